//! A polling decider worker on tokio.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_swf::types::EventType;
use aws_smithy_types::timeout::TimeoutConfig;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::{DecisionTask, Decisions};

/// SWF holds a decision-task poll open for up to 60 seconds.
pub const SWF_LONG_POLL: Duration = Duration::from_secs(60);
/// The read timeout [`worker_timeouts`] sets: above SWF's long poll, with room for
/// latency, so an empty long poll is not mistaken for a dead connection.
pub const WORKER_READ_TIMEOUT: Duration = Duration::from_secs(70);

/// An error a decider returns; the worker logs it and leaves the task uncompleted, so
/// SWF times it out and offers its events again.
pub type DecideError = Box<dyn std::error::Error + Send + Sync>;

/// Turns a decision task into decisions. Implemented for closures
/// `Fn(&DecisionTask) -> Result<Decisions, DecideError>`, so a generated handler fits
/// with no glue:
///
/// ```
/// use swf_signal::{BadSignalPolicy, DecisionTask, Decisions, Signal};
/// use swf_signal::worker::DecideError;
///
/// #[derive(Signal)]
/// enum OrderSignal { Approve { approver: String }, Cancel }
///
/// #[derive(Default)]
/// struct Order { approved: bool, cancelled: bool }
///
/// impl OrderSignalHandler for Order {
///     type Output = ();
///     fn approve(&mut self, _approver: String) { self.approved = true; }
///     fn cancel(&mut self) { self.cancelled = true; }
/// }
///
/// let decider = |task: &DecisionTask| -> Result<Decisions, DecideError> {
///     let mut order = Order::default();
///     let mut decisions = Decisions::new();
///     // Replay every signal so the state is rebuilt from the history each time.
///     for signal in task.signals::<OrderSignal>().flatten() {
///         swf_signal::Dispatch::dispatch(signal.signal, &mut order);
///     }
///     if order.approved || order.cancelled {
///         decisions.complete(None);
///     }
///     Ok(decisions)
/// };
/// # let _ = swf_signal::worker::Decider::decide(&decider, &swf_signal::testing::TaskBuilder::new("w").build());
/// ```
pub trait Decider {
    /// The decisions for `task`.
    ///
    /// # Errors
    ///
    /// Any error: the worker logs it and does not respond, so SWF times the task out and
    /// offers it again. [`Abandon`](crate::Abandon) from a bad-signal policy converts.
    fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError>;
}

impl<F> Decider for F
where
    F: Fn(&DecisionTask) -> Result<Decisions, DecideError>,
{
    fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError> {
        self(task)
    }
}

/// The timeouts a worker's SDK client needs: a read timeout of
/// [`WORKER_READ_TIMEOUT`] (70 s), above SWF's 60 s long poll.
///
/// ```
/// # fn f(builder: aws_sdk_swf::config::Builder) -> Result<(), swf_signal::worker::WorkerError> {
/// // builder: `aws_sdk_swf::config::Builder::from(&aws_config::load_defaults(..).await)`
/// let config = builder.timeout_config(swf_signal::worker::worker_timeouts()).build();
/// let worker = swf_signal::Worker::new(aws_sdk_swf::Client::from_conf(config), "orders", "deciders")?;
/// # Ok(()) }
/// ```
pub fn worker_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(WORKER_READ_TIMEOUT)
        .operation_attempt_timeout(WORKER_READ_TIMEOUT + Duration::from_secs(5))
        .build()
}

/// Why a worker was not built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// The client would cut SWF's 60 s long polls short.
    #[error("the SDK client's {which} timeout is {timeout:?}, not above SWF's 60 s long poll, so empty polls would fail as timeouts; build the client with swf_signal::worker::worker_timeouts()")]
    ClientTimeout {
        /// Which timeout.
        which: &'static str,
        /// Its value.
        timeout: Duration,
    },
    /// Zero pollers.
    #[error("a worker needs at least one poller")]
    NoPollers,
}

/// What a worker did, returned by [`Worker::run`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// Polls made.
    pub polls: u64,
    /// Polls that returned a task.
    pub tasks: u64,
    /// Tasks responded to.
    pub responded: u64,
    /// Tasks whose decider returned an error (left uncompleted).
    pub decider_errors: u64,
    /// Tasks whose decider panicked (left uncompleted).
    pub decider_panics: u64,
    /// Responses SWF refused (for example because the task had timed out).
    pub respond_errors: u64,
    /// Polls that failed (network, throttling, …), each followed by a backoff.
    pub poll_errors: u64,
}

/// The worker's running tally; pollers share it. A lock, not atomics, so the stats have
/// one definition; it is taken once per poll or task, never across an await.
#[derive(Default)]
struct Counters(std::sync::Mutex<WorkerStats>);

impl Counters {
    fn bump(&self, field: impl FnOnce(&mut WorkerStats) -> &mut u64) {
        // Only increments run under the lock, so it cannot be poisoned mid-update.
        let mut stats = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *field(&mut stats) += 1;
    }

    fn into_stats(self) -> WorkerStats {
        self.0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Polls a task list with N pollers, runs the decider on each task and responds.
///
/// - An empty poll (no task token) is nothing to do: it polls again.
/// - A failed poll is logged and followed by an exponential backoff with jitter
///   (100 ms doubling to 10 s), so an unreachable endpoint is not hammered.
/// - A decider that errors or panics is logged; the task is left to time out and is
///   offered again; the worker keeps polling.
/// - On cancellation no new poll starts; a poll in flight finishes (at most SWF's 60 s)
///   and any task it returns is decided and responded; then [`run`](Worker::run)
///   returns.
#[derive(Debug, Clone)]
pub struct Worker {
    client: aws_sdk_swf::Client,
    domain: String,
    task_list: String,
    identity: String,
    pollers: usize,
    max_backoff: Duration,
}

impl Worker {
    /// A worker with one poller. The client's timeouts are checked: a read, attempt or
    /// operation timeout at or below 60 s is refused.
    ///
    /// # Errors
    ///
    /// [`WorkerError::ClientTimeout`].
    pub fn new(
        client: aws_sdk_swf::Client,
        domain: impl Into<String>,
        task_list: impl Into<String>,
    ) -> Result<Self, WorkerError> {
        if let Some(t) = client.config().timeout_config() {
            for (which, timeout) in [
                ("read", t.read_timeout()),
                ("operation attempt", t.operation_attempt_timeout()),
                ("operation", t.operation_timeout()),
            ] {
                if let Some(timeout) = timeout.filter(|d| *d <= SWF_LONG_POLL) {
                    return Err(WorkerError::ClientTimeout { which, timeout });
                }
            }
        }
        let identity = format!("swf-signal-worker-{}", std::process::id());
        Ok(Worker {
            client,
            domain: domain.into(),
            task_list: task_list.into(),
            identity,
            pollers: 1,
            max_backoff: Duration::from_secs(10),
        })
    }

    /// How many polls run at once (default 1).
    ///
    /// # Errors
    ///
    /// [`WorkerError::NoPollers`] for 0.
    pub fn pollers(mut self, pollers: usize) -> Result<Self, WorkerError> {
        if pollers == 0 {
            return Err(WorkerError::NoPollers);
        }
        self.pollers = pollers;
        Ok(self)
    }

    /// The identity recorded in `DecisionTaskStarted` events (default
    /// `swf-signal-worker-<pid>`).
    #[must_use]
    pub fn identity(mut self, identity: impl Into<String>) -> Self {
        self.identity = identity.into();
        self
    }

    /// The longest pause between failed polls (default 10 s).
    #[must_use]
    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self
    }

    /// Runs until `shutdown` is cancelled, then returns what it did.
    pub async fn run<D: Decider + ?Sized>(
        &self,
        decider: &D,
        shutdown: CancellationToken,
    ) -> WorkerStats {
        let counters = Counters::default();
        let pollers = (0..self.pollers).map(|i| self.poller(i, decider, &shutdown, &counters));
        crate::send::run_bounded(pollers, self.pollers).await;
        counters.into_stats()
    }

    async fn poller<D: Decider + ?Sized>(
        &self,
        index: usize,
        decider: &D,
        shutdown: &CancellationToken,
        counters: &Counters,
    ) {
        let mut failures: u32 = 0;
        let mut rng = Jitter::new(index);
        loop {
            // The only place a poll starts: after a cancel, none does.
            if shutdown.is_cancelled() {
                break;
            }
            counters.bump(|s| &mut s.polls);
            match DecisionTask::poll(&self.client, &self.domain, &self.task_list, &self.identity)
                .await
            {
                Ok(None) => failures = 0,
                Ok(Some(task)) => {
                    failures = 0;
                    counters.bump(|s| &mut s.tasks);
                    self.handle(&task, decider, counters).await;
                }
                Err(err) => {
                    counters.bump(|s| &mut s.poll_errors);
                    failures = failures.saturating_add(1);
                    let pause = rng.backoff(failures, self.max_backoff);
                    tracing::warn!(error = %err, poller = index, retry_in = ?pause, "decision task poll failed");
                    tokio::select! {
                        biased;
                        () = shutdown.cancelled() => break,
                        () = tokio::time::sleep(pause) => {}
                    }
                }
            }
        }
    }

    async fn handle<D: Decider + ?Sized>(
        &self,
        task: &DecisionTask,
        decider: &D,
        counters: &Counters,
    ) {
        let new_signals = task
            .new_events()
            .iter()
            .filter(|e| *e.event_type() == EventType::WorkflowExecutionSignaled)
            .count();
        let span = tracing::info_span!(
            "swf_signal.task",
            workflow_id = task.workflow_id(),
            run_id = task.run_id(),
            task = task.started_event_id(),
            new_signals,
        );
        async {
            // A panicking decider must not take the worker down; its task is left to
            // time out like one that returned an error.
            match catch_unwind(AssertUnwindSafe(|| decider.decide(task))) {
                Ok(Ok(decisions)) => match task.respond(&self.client, decisions).await {
                    Ok(()) => {
                        counters.bump(|s| &mut s.responded);
                        tracing::debug!("decision task completed");
                    }
                    Err(err) => {
                        counters.bump(|s| &mut s.respond_errors);
                        tracing::warn!(error = %err, "decision task response refused");
                    }
                },
                Ok(Err(err)) => {
                    counters.bump(|s| &mut s.decider_errors);
                    // A signal that did not decode is logged without its input: serde's
                    // message can quote it. Other errors are the decider's own words.
                    let error = match err.downcast_ref::<crate::ReceiveError>() {
                        Some(bad) => bad.summary(),
                        None => err.to_string(),
                    };
                    tracing::error!(%error, "decider failed; the task is left to time out and will be offered again");
                }
                Err(panic) => {
                    counters.bump(|s| &mut s.decider_panics);
                    let msg = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    tracing::error!(panic = %msg, "decider panicked; the task is left to time out and will be offered again");
                }
            }
        }
        .instrument(span)
        .await;
    }
}

/// A small xorshift generator for backoff jitter; no `rand` dependency for one number.
struct Jitter(u64);

impl Jitter {
    fn new(index: usize) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()));
        Jitter((nanos ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// "Full jitter": a random pause up to min(max, 100 ms × 2^(failures-1)).
    fn backoff(&mut self, failures: u32, max: Duration) -> Duration {
        let exp = failures.saturating_sub(1).min(16);
        let cap = Duration::from_millis(100u64 << exp).min(max);
        let cap_ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX).max(1);
        Duration::from_millis(cap_ms / 2 + self.next() % (cap_ms / 2 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let mut j = Jitter::new(3);
        let max = Duration::from_secs(10);
        for failures in 1..40 {
            let d = j.backoff(failures, max);
            assert!(d <= max, "{failures}: {d:?}");
            assert!(d >= Duration::from_millis(50), "{failures}: {d:?}");
        }
        assert!(j.backoff(30, max) >= Duration::from_secs(5));
    }
}
