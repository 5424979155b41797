//! Sending typed signals: `SignalWorkflowExecution` over `aws-sdk-swf`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Instant;

use aws_sdk_swf::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_swf::operation::signal_workflow_execution::SignalWorkflowExecutionError;
use tracing::Instrument;

use crate::error::EncodeError;
use crate::signal::Signal;

mod closed;
mod fanout;
mod handle;

pub(crate) use crate::error::error_chain;
pub(crate) use crate::execution::execution_problem;
pub use crate::execution::{
    Execution, MAX_INPUT_CHARS, MAX_RUN_ID_CHARS, MAX_SIGNAL_NAME_CHARS, MAX_WORKFLOW_ID_CHARS,
};
pub(crate) use crate::retry::pause;

pub use closed::Closed;

pub use fanout::{FanOut, FanOutReport, FanOutSummary, Progress, ProgressCallback, RateLimit};
pub use handle::{
    DescribeError, StartError, StartOptions, StartOrSignal, StartOrSignalError, StateError,
    WorkflowClient, WorkflowDescription, WorkflowHandle,
};

/// What a failed send was about: the domain, the execution and the signal name. Its
/// `Display` reads "signal `approve` to workflow `order-42` in domain `orders`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendTarget {
    /// The SWF domain.
    pub domain: String,
    /// The addressed execution.
    pub execution: Execution,
    /// The signal's wire name.
    pub signal: String,
}

impl fmt::Display for SendTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "signal `{}` to {} in domain `{}`",
            self.signal, self.execution, self.domain
        )
    }
}

/// Why a signal was not sent. Every message names the domain, the workflow id (and run
/// id) and the signal; none prints the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// SWF has no open execution at that target (`UnknownResourceFault`): the workflow id
    /// is unknown, the run id is wrong, the execution is closed, or the domain does not
    /// exist.
    #[error("cannot send {target}: no such open execution (unknown workflow id or run id, closed execution, or unknown domain); check the id and the domain, or start it first; SWF said: {message}")]
    NotOpen {
        /// What was sent where.
        target: SendTarget,
        /// SWF's message.
        message: String,
    },
    /// The caller may not signal it (`OperationNotPermittedFault`): check the IAM policy
    /// for `swf:SignalWorkflowExecution` on the domain.
    #[error("cannot send {target}: not permitted (check the IAM policy for swf:SignalWorkflowExecution on the domain); SWF said: {message}")]
    NotPermitted {
        /// What was sent where.
        target: SendTarget,
        /// SWF's message.
        message: String,
    },
    /// The workflow id, run id or signal name breaks SWF's limits; refused before any
    /// network call.
    #[error("cannot send {target}: {reason}")]
    InvalidTarget {
        /// What was sent where.
        target: SendTarget,
        /// Which limit, and by how much.
        reason: String,
    },
    /// The encoded input is longer than SWF's 32,768 characters; refused before any
    /// network call.
    #[error("cannot send {target}: its input is {chars} characters, over SWF's limit of {MAX_INPUT_CHARS}; send a reference (an S3 key, a database id) instead of the data")]
    InputTooLarge {
        /// What was sent where.
        target: SendTarget,
        /// The input's length in characters.
        chars: usize,
    },
    /// The payload did not serialize.
    #[error("cannot send {target}: {source}")]
    Encode {
        /// What was sent where.
        target: SendTarget,
        /// The serializer's error.
        #[source]
        source: EncodeError,
    },
    /// A fan-out kept getting `ThrottlingException` until its deadline; SWF applied none
    /// of the attempts.
    #[error("cannot send {target}: throttled by SWF on all {attempts} attempts until the fan-out's deadline; raise the deadline, lower the rate limit, or ask for a higher quota")]
    Throttled {
        /// What was sent where.
        target: SendTarget,
        /// Attempts made.
        attempts: u32,
    },
    /// Anything else from the SDK (network, throttling after the SDK's retries,
    /// credentials, …), with its source kept.
    #[error("cannot send {target}: {}", error_chain(source))]
    Sdk {
        /// What was sent where.
        target: SendTarget,
        /// The SDK's error.
        #[source]
        source: Box<SdkError<SignalWorkflowExecutionError>>,
    },
}

impl SendError {
    /// What was being sent where.
    pub fn target(&self) -> &SendTarget {
        match self {
            SendError::NotOpen { target, .. }
            | SendError::NotPermitted { target, .. }
            | SendError::InvalidTarget { target, .. }
            | SendError::InputTooLarge { target, .. }
            | SendError::Encode { target, .. }
            | SendError::Throttled { target, .. }
            | SendError::Sdk { target, .. } => target,
        }
    }

    /// Whether SWF may have recorded the signal despite the error: no answer came back
    /// (a timeout, a dropped connection), the answer was unreadable, or it was a 5xx.
    /// `false` for everything refused before a request or answered with a 4xx
    /// (validation, an execution not open, throttling): resending those cannot
    /// duplicate the signal.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            SendError::Sdk { source, .. } => match source.as_ref() {
                SdkError::ConstructionFailure(_) => false,
                SdkError::ServiceError(e) => e.raw().status().is_server_error(),
                _ => true,
            },
            _ => false,
        }
    }

    /// A short name of the cause, for counting failures: `not_open`, `not_permitted`,
    /// `invalid_target`, `input_too_large`, `encode`, `throttled`, `sdk`.
    pub fn kind(&self) -> &'static str {
        match self {
            SendError::NotOpen { .. } => "not_open",
            SendError::NotPermitted { .. } => "not_permitted",
            SendError::InvalidTarget { .. } => "invalid_target",
            SendError::InputTooLarge { .. } => "input_too_large",
            SendError::Encode { .. } => "encode",
            SendError::Throttled { .. } => "throttled",
            SendError::Sdk { .. } => "sdk",
        }
    }

    /// Whether SWF answered `ThrottlingException` (after the SDK's own retries).
    pub fn is_throttle(&self) -> bool {
        match self {
            SendError::Throttled { .. } => true,
            SendError::Sdk { source, .. } => source.code() == Some("ThrottlingException"),
            _ => false,
        }
    }
}

/// Sends typed signals to the executions of one domain.
///
/// Cheap to clone (the SDK client is reference-counted). [`send`](Self::send) is one
/// call: retries follow the client's retry configuration. Fan-outs
/// ([`send_many`](Self::send_many), [`fan_out`](Self::fan_out)) are paced by a client-side
/// token bucket — SWF's account quota for `SignalWorkflowExecution` unless set with
/// [`rate_limit`](Self::rate_limit), shared by the clones of this sender — and retry only
/// what SWF answered with `ThrottlingException` (not applied), until a deadline.
///
/// ```no_run
/// # async fn run(config: aws_sdk_swf::config::Config) -> Result<(), Box<dyn std::error::Error>> {
/// use swf_signal::{Execution, Signal, SignalSender};
///
/// #[derive(Signal)]
/// enum OrderSignal { Approve { approver: String }, Ping }
///
/// // `config` from `aws_config::load_defaults(BehaviorVersion::latest()).await`
/// let sender = SignalSender::new(aws_sdk_swf::Client::from_conf(config), "orders");
/// sender.send("order-42", &OrderSignal::Ping).await?;
/// sender
///     .send(Execution::new("order-42", "22Ch8s…"), &OrderSignal::Approve { approver: "ana".into() })
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SignalSender {
    client: aws_sdk_swf::Client,
    domain: String,
    bucket: Option<Arc<fanout::Bucket>>,
    at_most_once: bool,
}

impl SignalSender {
    /// The SDK client it sends with.
    pub fn client(&self) -> &aws_sdk_swf::Client {
        &self.client
    }

    /// A sender for `domain` over an SDK client. Its fan-outs are paced by the token
    /// bucket at SWF's account quota that every sender of the process on the same region
    /// and endpoint shares (SWF's quota is per account and region); see
    /// [`rate_limit`](Self::rate_limit) for one of its own.
    pub fn new(client: aws_sdk_swf::Client, domain: impl Into<String>) -> Self {
        let bucket = fanout::Bucket::shared_for(&client);
        SignalSender {
            client,
            domain: domain.into(),
            bucket: Some(bucket),
            at_most_once: false,
        }
    }

    /// Never resends a signal that may have been applied. `SignalWorkflowExecution` is
    /// not idempotent: SWF records every call, and the SDK's standard retry resends after
    /// a timeout or a 5xx answer — when the first call may already have been recorded,
    /// so the workflow sees the signal twice. With this, the SDK does not retry sends;
    /// an error says whether the signal may have been applied
    /// ([`SendError::may_have_been_applied`]), and the caller decides (throttles, which
    /// SWF never applies, are still retried by fan-outs).
    ///
    /// Without it (the default), a signal can arrive twice after a lost answer: make
    /// handlers idempotent (a signal carrying its own id, a state change that can be
    /// applied twice), or use this.
    #[must_use]
    pub fn at_most_once(mut self) -> Self {
        self.at_most_once = true;
        self
    }

    /// The token bucket fan-outs are paced by (`None`: not paced, throttles are only
    /// retried). A new bucket, shared by the clones made from here on.
    #[must_use]
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.bucket = limit.map(fanout::Bucket::new);
        self
    }

    /// The fan-out rate limit in force.
    pub fn current_rate_limit(&self) -> Option<RateLimit> {
        self.bucket.as_ref().map(|b| b.limit())
    }

    /// The domain signals go to.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Sends `signal` to `target`: a workflow id (`&str`, `String`: the open run) or an
    /// [`Execution`]. Unit variants go out with an empty input.
    ///
    /// # Errors
    ///
    /// [`SendError`]; the target, the signal name and the input size are checked before
    /// any network call.
    pub async fn send<S: Signal>(
        &self,
        target: impl Into<Execution>,
        signal: &S,
    ) -> Result<(), SendError> {
        let encoded = Encoded::new(signal);
        let prepared = encoded.to(&self.domain, target.into())?;
        self.send_prepared(&prepared).await
    }

    /// Sends one signal to many targets, at most `concurrency` at a time (at least 1),
    /// paced and retried on throttles as [`fan_out`](Self::fan_out) does (deadline 5
    /// minutes). Returns one result per target, in the order of `targets`; none is
    /// dropped.
    pub async fn send_many<S, I, T>(
        &self,
        targets: I,
        signal: &S,
        concurrency: usize,
    ) -> Vec<Result<(), SendError>>
    where
        S: Signal,
        I: IntoIterator<Item = T>,
        T: Into<Execution>,
    {
        self.fan_out(targets, signal, &FanOut::new().concurrency(concurrency))
            .await
            .results
    }

    /// Sends one signal to many targets: paced by the sender's token bucket, a target that
    /// SWF throttles retried with backoff until `options`' deadline (SWF applied none of
    /// the throttled attempts, so nothing is sent twice), progress reported after each
    /// target. Returns per-target results in input order and a summary.
    pub async fn fan_out<S, I, T>(&self, targets: I, signal: &S, options: &FanOut) -> FanOutReport
    where
        S: Signal,
        I: IntoIterator<Item = T>,
        T: Into<Execution>,
    {
        let started = Instant::now();
        let deadline = started + options.deadline;
        // Encoded and measured once; every target borrows the same input.
        let encoded = Encoded::new(signal);
        let jobs: Vec<Result<Prepared<'_>, SendError>> = targets
            .into_iter()
            .map(|t| encoded.to(&self.domain, t.into()))
            .collect();
        let tally = fanout::Tally::new(jobs.len(), options.progress.clone());
        let futures = jobs.into_iter().enumerate().map(|(i, job)| {
            let tally = &tally;
            async move {
                let result = match job {
                    Ok(prepared) => self.send_paced(&prepared, deadline, i, tally).await,
                    Err(err) => Err(err),
                };
                tally.finished(result.is_ok());
                result
            }
        });
        let results = run_bounded(futures, options.concurrency.max(1)).await;
        let mut summary = FanOutSummary {
            throttled_retries: tally.throttled_retries(),
            elapsed: started.elapsed(),
            ..FanOutSummary::default()
        };
        for r in &results {
            match r {
                Ok(()) => summary.sent += 1,
                Err(e) => *summary.failed.entry(e.kind()).or_default() += 1,
            }
        }
        FanOutReport { results, summary }
    }

    async fn send_paced(
        &self,
        p: &Prepared<'_>,
        deadline: Instant,
        seed: usize,
        tally: &fanout::Tally,
    ) -> Result<(), SendError> {
        let mut attempt: u32 = 0;
        loop {
            if let Some(bucket) = &self.bucket {
                bucket.acquire(&self.client).await;
            }
            match self.send_prepared(p).await {
                Err(err) if err.is_throttle() => {
                    tally.throttled();
                    attempt += 1;
                    let pause = fanout::throttle_backoff(attempt, seed as u64);
                    if Instant::now() + pause >= deadline {
                        return Err(SendError::Throttled {
                            target: err.target().clone(),
                            attempts: attempt,
                        });
                    }
                    tracing::debug!(attempt, retry_in = ?pause, "signal throttled by SWF; retrying");
                    self::pause(&self.client, pause).await;
                }
                other => return other,
            }
        }
    }

    async fn send_prepared(&self, p: &Prepared<'_>) -> Result<(), SendError> {
        let span = tracing::info_span!(
            "swf_signal.send",
            domain = %p.target.domain,
            workflow_id = %p.target.execution.workflow_id(),
            run_id = p.target.execution.run_id(),
            signal = %p.target.signal,
            input_len = p.input.len(),
        );
        async {
            tracing::trace!(input = %p.input, "signal input");
            let call = self
                .client
                .signal_workflow_execution()
                .domain(&p.target.domain)
                .workflow_id(p.target.execution.workflow_id())
                .set_run_id(p.target.execution.run_id().map(ToOwned::to_owned))
                .signal_name(&p.target.signal)
                // The wire format sends a unit variant with an empty input (SWF treats
                // it as none); some endpoints refused a missing `input` outright.
                .input(p.input);
            let result = if self.at_most_once {
                call.customize()
                    .config_override(
                        aws_sdk_swf::config::Builder::default()
                            .retry_config(aws_sdk_swf::config::retry::RetryConfig::disabled()),
                    )
                    .send()
                    .await
            } else {
                call.send().await
            };
            match result {
                Ok(_) => {
                    tracing::debug!("signal sent");
                    Ok(())
                }
                Err(err) => {
                    let err = classify(p.target.clone(), err);
                    tracing::debug!(error = %err, "signal not sent");
                    Err(err)
                }
            }
        }
        .instrument(span)
        .await
    }
}

/// A signal's wire name and input, encoded and measured once.
struct Encoded<'s> {
    name: &'s str,
    /// The input (`""` for none), or why it could not be encoded.
    input: Result<String, EncodeError>,
    chars: usize,
}

impl<'s> Encoded<'s> {
    fn new<S: Signal>(signal: &'s S) -> Self {
        let input = signal.encode_input().map(Option::unwrap_or_default);
        let chars = input.as_ref().map_or(0, |s| s.chars().count());
        Encoded {
            name: signal.wire_name(),
            input,
            chars,
        }
    }

    /// Validates a send of this signal to `execution` in `domain`.
    fn to(&self, domain: &str, execution: Execution) -> Result<Prepared<'_>, SendError> {
        let target = SendTarget {
            domain: domain.to_owned(),
            execution,
            signal: self.name.to_owned(),
        };
        if let Some(reason) = target_problem(&target) {
            return Err(SendError::InvalidTarget { target, reason });
        }
        let input = match &self.input {
            Ok(input) => input,
            Err(err) => {
                return Err(SendError::Encode {
                    target,
                    source: EncodeError::new(err.name(), clone_json_error(err)),
                })
            }
        };
        if self.chars > MAX_INPUT_CHARS {
            return Err(SendError::InputTooLarge {
                target,
                chars: self.chars,
            });
        }
        Ok(Prepared { target, input })
    }
}

/// A validated send, borrowing its input from the [`Encoded`] signal.
struct Prepared<'a> {
    target: SendTarget,
    input: &'a str,
}

/// `serde_json::Error` is not `Clone`; a signal is encoded once and its failure reported
/// for every target, so each gets an error with the same message.
fn clone_json_error(err: &EncodeError) -> serde_json::Error {
    use serde::ser::Error as _;
    let message =
        std::error::Error::source(err).map_or_else(|| err.to_string(), ToString::to_string);
    serde_json::Error::custom(message)
}

fn target_problem(t: &SendTarget) -> Option<String> {
    if let Some(problem) = execution_problem(&t.execution) {
        return Some(problem);
    }
    let name = t.signal.chars().count();
    if name == 0 || name > MAX_SIGNAL_NAME_CHARS {
        return Some(format!(
            "the signal name is {name} characters; SWF signal names are 1 to {MAX_SIGNAL_NAME_CHARS} characters"
        ));
    }
    None
}

fn classify(target: SendTarget, err: SdkError<SignalWorkflowExecutionError>) -> SendError {
    let message = |e: &SignalWorkflowExecutionError| e.message().unwrap_or_default().to_owned();
    match err.as_service_error() {
        Some(e @ SignalWorkflowExecutionError::UnknownResourceFault(_)) => SendError::NotOpen {
            message: message(e),
            target,
        },
        Some(e @ SignalWorkflowExecutionError::OperationNotPermittedFault(_)) => {
            SendError::NotPermitted {
                message: message(e),
                target,
            }
        }
        _ => SendError::Sdk {
            target,
            source: Box::new(err),
        },
    }
}

/// Runs futures with at most `limit` in flight and returns their outputs in input order.
/// Polled in place (no spawning), so the futures may borrow.
pub(crate) async fn run_bounded<F: Future>(
    futures: impl IntoIterator<Item = F>,
    limit: usize,
) -> Vec<F::Output> {
    let mut pending = futures.into_iter().enumerate();
    let mut results: Vec<Option<F::Output>> = Vec::new();
    // `limit` may be anything up to usize::MAX ("no limit"): never allocate by it.
    let mut in_flight: Vec<(usize, Pin<Box<F>>)> =
        Vec::with_capacity(limit.min(pending.size_hint().0).min(1024));
    loop {
        while in_flight.len() < limit {
            let Some((i, fut)) = pending.next() else {
                break;
            };
            if results.len() <= i {
                results.resize_with(i + 1, || None);
            }
            in_flight.push((i, Box::pin(fut)));
        }
        if in_flight.is_empty() {
            break;
        }
        std::future::poll_fn(|cx| {
            let mut progressed = false;
            let mut k = 0;
            while k < in_flight.len() {
                if let Poll::Ready(out) = in_flight[k].1.as_mut().poll(cx) {
                    let (i, _) = in_flight.swap_remove(k);
                    results[i] = Some(out);
                    progressed = true;
                } else {
                    k += 1;
                }
            }
            if progressed {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
    }
    // Every index was pushed to `in_flight` and only leaves it with its output.
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(wf: &str, run: Option<&str>, signal: &str) -> SendTarget {
        SendTarget {
            domain: "orders".into(),
            execution: match run {
                Some(run) => Execution::new(wf, run),
                None => Execution::current(wf),
            },
            signal: signal.into(),
        }
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert!(target_problem(&target(&"é".repeat(256), None, "s")).is_none());
        let too_long = target_problem(&target(&"é".repeat(257), None, "s")).unwrap_or_default();
        assert!(
            too_long.contains("257 characters, over SWF's limit of 256"),
            "{too_long}"
        );
        assert!(target_problem(&target("wf", Some(&"r".repeat(64)), "s")).is_none());
        assert!(target_problem(&target("wf", Some(&"r".repeat(65)), "s")).is_some());
        assert!(target_problem(&target("wf", Some(""), "s")).is_some());
        assert!(target_problem(&target("", None, "s")).is_some());
        assert!(target_problem(&target("wf", None, "")).is_some());
    }

    #[test]
    fn target_display_names_domain_workflow_run_and_signal() {
        let t = target("order-42", Some("run-1"), "approve");
        assert_eq!(
            t.to_string(),
            "signal `approve` to workflow `order-42` (run `run-1`) in domain `orders`"
        );
    }

    #[tokio::test]
    async fn run_bounded_keeps_input_order_and_the_limit() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let live = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let futures = (0..50u64).map(|i| {
            let (live, peak) = (&live, &peak);
            async move {
                let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                // Later items finish first, so order comes from the index, not completion.
                for _ in 0..(50 - i) {
                    tokio::task::yield_now().await;
                }
                live.fetch_sub(1, Ordering::SeqCst);
                i
            }
        });
        let out = run_bounded(futures, 7).await;
        assert_eq!(out, (0..50).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 7);
    }
}
