//! Throttle-aware fan-out: one signal to many executions, paced by a client-side token
//! bucket and retried on `ThrottlingException` until a deadline.
//!
//! SWF throttles `SignalWorkflowExecution` per account with a token bucket (2,000 calls,
//! refilled at 30 per second; swf-dg-limits.html, "Amazon SWF throttling quotas"). The
//! SDK's `adaptive` retry mode learns a send rate only *after* throttles, and its standard
//! mode gives up after three attempts; a fan-out that knows the quota can pace itself so
//! that SWF never has to say no. So the pacing is ours, mirroring SWF's bucket, and the
//! SDK's retry configuration stays in charge of everything else (transient network
//! errors, 5xx): this layer retries only what SWF answered with a throttle, which SWF did
//! not apply, so no signal is sent twice by these retries.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::SendError;

/// A token bucket: `bucket` calls at once, refilled at `refill_per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    bucket: f64,
    refill_per_second: f64,
}

impl RateLimit {
    /// SWF's per-account quota for `SignalWorkflowExecution`: a bucket of 2,000 refilled
    /// at 30 per second (swf-dg-limits.html).
    pub const SWF_SIGNAL_QUOTA: RateLimit = RateLimit {
        bucket: 2_000.0,
        refill_per_second: 30.0,
    };

    /// A bucket of `bucket` calls refilled at `refill_per_second`; `None` unless both are
    /// positive and finite.
    pub fn new(bucket: f64, refill_per_second: f64) -> Option<Self> {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        (ok(bucket) && ok(refill_per_second)).then_some(RateLimit {
            bucket,
            refill_per_second,
        })
    }

    /// The bucket size.
    pub fn bucket(&self) -> f64 {
        self.bucket
    }

    /// The refill rate per second.
    pub fn refill_per_second(&self) -> f64 {
        self.refill_per_second
    }

    /// The least time `calls` calls take through a full bucket: the first `bucket` go at
    /// once, the rest at the refill rate.
    pub fn minimum_duration(&self, calls: usize) -> Duration {
        #[allow(clippy::cast_precision_loss)] // call counts far below 2^52
        let over = (calls as f64 - self.bucket).max(0.0);
        Duration::from_secs_f64(over / self.refill_per_second)
    }
}

/// The bucket itself, shared by the clones of one sender. Each caller reserves the next
/// slot under the lock and sleeps outside it, so callers are paced in arrival order and
/// the lock is held for a few instructions.
#[derive(Debug)]
pub(crate) struct Bucket {
    limit: RateLimit,
    state: Mutex<BucketState>,
}

#[derive(Debug)]
struct BucketState {
    /// May go negative: slots reserved by callers still sleeping.
    tokens: f64,
    stamp: Instant,
}

impl Bucket {
    pub(crate) fn new(limit: RateLimit) -> Arc<Self> {
        Arc::new(Bucket {
            limit,
            state: Mutex::new(BucketState {
                tokens: limit.bucket,
                stamp: Instant::now(),
            }),
        })
    }

    /// The bucket at SWF's `SignalWorkflowExecution` quota shared by every sender in the
    /// process that talks to the same region: SWF's quota is per account and region, so
    /// senders built separately must not each get a full bucket. Kept
    /// while a sender holds it. (A process that uses several accounts in one region
    /// gives each its own with [`SignalSender::rate_limit`](crate::SignalSender::rate_limit).)
    pub(crate) fn shared_for(client: &aws_sdk_swf::Client) -> Arc<Self> {
        use std::collections::HashMap;
        use std::sync::{OnceLock, Weak};
        static SHARED: OnceLock<Mutex<HashMap<String, Weak<Bucket>>>> = OnceLock::new();
        // The region: the SDK does not expose the account (that takes a call to STS)
        // nor a configured endpoint URL.
        let key = client
            .config()
            .region()
            .map_or_else(String::new, |r| r.as_ref().to_owned());
        // Only map operations run under the lock.
        let mut shared = SHARED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shared.retain(|_, bucket| bucket.strong_count() > 0);
        if let Some(bucket) = shared.get(&key).and_then(Weak::upgrade) {
            return bucket;
        }
        let bucket = Bucket::new(RateLimit::SWF_SIGNAL_QUOTA);
        shared.insert(key, Arc::downgrade(&bucket));
        bucket
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Reserves one call; returns how long to wait before making it.
    fn reserve(&self) -> Duration {
        // Only arithmetic runs under the lock, so a poisoned one is still consistent.
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let refilled = now.duration_since(s.stamp).as_secs_f64() * self.limit.refill_per_second;
        s.tokens = (s.tokens + refilled).min(self.limit.bucket);
        s.stamp = now;
        s.tokens -= 1.0;
        if s.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-s.tokens / self.limit.refill_per_second)
        }
    }

    /// Waits for a slot, sleeping with the client's sleep implementation (or tokio's:
    /// a client built without one must not silently lose its pacing).
    pub(crate) async fn acquire(&self, client: &aws_sdk_swf::Client) {
        let wait = self.reserve();
        if !wait.is_zero() {
            super::pause(client, wait).await;
        }
    }
}

/// Counts of a fan-out so far, handed to the progress callback after each target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Targets finished (sent or failed).
    pub done: usize,
    /// Of those, failed.
    pub failed: usize,
    /// All targets.
    pub total: usize,
}

/// The progress callback's type.
pub type ProgressCallback = Arc<dyn Fn(Progress) + Send + Sync>;

/// How a fan-out runs: concurrency, the deadline for throttle retries, progress.
///
/// ```
/// use std::time::Duration;
/// use swf_signal::FanOut;
///
/// let options = FanOut::new()
///     .concurrency(32)
///     .deadline(Duration::from_secs(600))
///     .on_progress(|p| eprintln!("{}/{} ({} failed)", p.done, p.total, p.failed));
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct FanOut {
    pub(crate) concurrency: usize,
    pub(crate) deadline: Duration,
    pub(crate) progress: Option<ProgressCallback>,
}

impl Default for FanOut {
    fn default() -> Self {
        FanOut {
            concurrency: 16,
            deadline: Duration::from_mins(5),
            progress: None,
        }
    }
}

impl fmt::Debug for FanOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FanOut")
            .field("concurrency", &self.concurrency)
            .field("deadline", &self.deadline)
            .field("progress", &self.progress.as_ref().map(|_| ".."))
            .finish()
    }
}

impl FanOut {
    /// 16 sends in flight, throttled sends retried for up to 5 minutes, no progress.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many sends are in flight at once (at least 1).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// How long, from the start of the fan-out, a throttled send is retried; after it the
    /// target fails with [`SendError::Throttled`].
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Called after each target finishes, with the counts so far.
    #[must_use]
    pub fn on_progress(mut self, f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }
}

/// What a fan-out did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FanOutSummary {
    /// Targets that got the signal.
    pub sent: usize,
    /// Sends retried because SWF throttled them (each was not applied by SWF).
    pub throttled_retries: u64,
    /// Failed targets by cause ([`SendError::kind`]).
    pub failed: BTreeMap<&'static str, usize>,
    /// From the first send to the last answer.
    pub elapsed: Duration,
}

impl FanOutSummary {
    /// All failed targets.
    pub fn failed_total(&self) -> usize {
        self.failed.values().sum()
    }
}

impl fmt::Display for FanOutSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} sent, {} failed, {} throttled retries, {:.1} s",
            self.sent,
            self.failed_total(),
            self.throttled_retries,
            self.elapsed.as_secs_f64()
        )?;
        for (cause, n) in &self.failed {
            write!(f, "; {cause}: {n}")?;
        }
        Ok(())
    }
}

/// Per-target results in the order of the targets, and the summary.
#[derive(Debug)]
#[non_exhaustive]
pub struct FanOutReport {
    /// One result per target, in input order.
    pub results: Vec<Result<(), SendError>>,
    /// The counts.
    pub summary: FanOutSummary,
}

/// The running counts of one fan-out.
pub(crate) struct Tally {
    state: Mutex<(Progress, u64)>,
    progress: Option<ProgressCallback>,
}

impl Tally {
    pub(crate) fn new(total: usize, progress: Option<ProgressCallback>) -> Self {
        Tally {
            state: Mutex::new((
                Progress {
                    done: 0,
                    failed: 0,
                    total,
                },
                0,
            )),
            progress,
        }
    }

    pub(crate) fn throttled(&self) {
        crate::telemetry::fanout_throttled();
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 += 1;
    }

    pub(crate) fn finished(&self, ok: bool) {
        let now = {
            let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            s.0.done += 1;
            if !ok {
                s.0.failed += 1;
            }
            s.0
        };
        // Outside the lock: the callback may take its time.
        if let Some(f) = &self.progress {
            f(now);
        }
    }

    pub(crate) fn throttled_retries(&self) -> u64 {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1
    }
}

/// Exponential backoff with jitter for throttle retries: 100 ms doubling to 5 s, each
/// pause drawn from its upper half. Hand-written: a few lines, where a crate would add a
/// dependency for one formula.
pub(crate) fn throttle_backoff(attempt: u32, seed: u64) -> Duration {
    let cap_ms: u64 = (100u64 << attempt.min(6)).min(5_000);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(attempt);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    Duration::from_millis(cap_ms / 2 + x % (cap_ms / 2 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_paces_after_its_burst() {
        let bucket = Bucket::new(RateLimit::new(3.0, 10.0).unwrap());
        assert_eq!(bucket.reserve(), Duration::ZERO);
        assert_eq!(bucket.reserve(), Duration::ZERO);
        assert_eq!(bucket.reserve(), Duration::ZERO);
        let fourth = bucket.reserve();
        let fifth = bucket.reserve();
        assert!(
            fourth > Duration::from_millis(90) && fourth <= Duration::from_millis(100),
            "{fourth:?}"
        );
        assert!(
            fifth > Duration::from_millis(190) && fifth <= Duration::from_millis(200),
            "{fifth:?}"
        );
    }

    #[test]
    fn minimum_duration_is_the_overflow_at_the_refill_rate() {
        let limit = RateLimit::new(50.0, 20.0).unwrap();
        assert_eq!(limit.minimum_duration(1_000), Duration::from_secs_f64(47.5));
        assert_eq!(limit.minimum_duration(10), Duration::ZERO);
        assert!(RateLimit::new(0.0, 1.0).is_none());
        assert!(RateLimit::new(1.0, f64::NAN).is_none());
    }

    #[test]
    fn backoff_is_bounded() {
        for attempt in 0..40 {
            let d = throttle_backoff(attempt, 7);
            assert!(
                d >= Duration::from_millis(50) && d <= Duration::from_secs(5),
                "{d:?}"
            );
        }
    }
}

#[cfg(test)]
mod shared_bucket_tests {
    use super::*;

    fn client(region: &str) -> aws_sdk_swf::Client {
        aws_sdk_swf::Client::from_conf(
            aws_sdk_swf::Config::builder()
                .behavior_version(aws_sdk_swf::config::BehaviorVersion::latest())
                .region(aws_sdk_swf::config::Region::new(region.to_owned()))
                .build(),
        )
    }

    /// Issue 19 (13): every `SignalSender::new` got its own full bucket, so several
    /// senders in one process together exceeded the account's quota.
    #[test]
    fn senders_of_one_region_share_one_bucket() {
        let a = Bucket::shared_for(&client("eu-west-1"));
        let b = Bucket::shared_for(&client("eu-west-1"));
        let other = Bucket::shared_for(&client("us-east-2"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &other));
        // What one takes, the other no longer has.
        for _ in 0..2_000 {
            assert!(a.reserve().is_zero());
        }
        assert!(!b.reserve().is_zero());
        assert_eq!(a.limit(), RateLimit::SWF_SIGNAL_QUOTA);
    }
}
