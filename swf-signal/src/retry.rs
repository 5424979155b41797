//! Retrying the calls a worker makes for a decision task it has already taken.
//!
//! Once `PollForDecisionTask` handed out a task, SWF waits for its answer until the
//! task's start-to-close timeout (forever under `NONE`). A transient failure of a later
//! call for that task — the history's page 2, a whole-history fetch, the response — must
//! not drop it: the execution would stall for the whole timeout. Those calls are retried
//! with a bounded backoff for a bounded time. (The SDK's own retry configuration still
//! applies underneath; this covers what it gave up on, and clients built with retries
//! off.)

use std::time::{Duration, Instant};

use aws_sdk_swf::error::{ProvideErrorMetadata, SdkError};

/// How long a call for a taken task is retried: a decision task's timeout is commonly
/// 30 s or more (the default [`Registration`](crate::Registration)), and past this a
/// task is better left to SWF's timeout and redelivery.
pub(crate) const TAKEN_TASK_RETRY_WINDOW: Duration = Duration::from_secs(20);

/// Whether a failed call may succeed if made again unchanged: no answer (timeout,
/// connection), an unreadable answer, a 5xx, or a throttle. A 4xx (an unknown task token,
/// a validation error) will not change.
pub(crate) fn is_transient<E: ProvideErrorMetadata>(err: &SdkError<E>) -> bool {
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(service) => {
            service.raw().status().is_server_error()
                || matches!(
                    err.code(),
                    Some("ThrottlingException" | "Throttling" | "RequestLimitExceeded")
                )
        }
        _ => false,
    }
}

/// Sleeps `d` with the client's sleep implementation, or tokio's when the client was
/// built without one (`aws_sdk_swf::Config::builder()` sets none).
pub(crate) async fn pause(client: &aws_sdk_swf::Client, d: std::time::Duration) {
    use aws_sdk_swf::config::AsyncSleep as _;
    match client.config().sleep_impl() {
        Some(sleep) => sleep.sleep(d).await,
        None => tokio::time::sleep(d).await,
    }
}

/// Bounded exponential backoff for one taken task: 100 ms doubling to 2 s, until the
/// window is over.
pub(crate) struct Backoff {
    until: Instant,
    next: Duration,
    pub(crate) attempts: u32,
}

impl Backoff {
    pub(crate) fn new() -> Self {
        Backoff {
            until: Instant::now() + TAKEN_TASK_RETRY_WINDOW,
            next: Duration::from_millis(100),
            attempts: 0,
        }
    }

    /// Whether to make the failed call for a taken task again: `err` is transient and
    /// the window is not over (after the pause, which this waits); logged as a retry of
    /// `call`.
    pub(crate) async fn again<E>(
        &mut self,
        client: &aws_sdk_swf::Client,
        err: &SdkError<E>,
        call: &'static str,
    ) -> bool
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        if !is_transient(err) || !self.wait(client).await {
            return false;
        }
        tracing::warn!(
            error = %crate::error::error_chain(err),
            attempt = self.attempts,
            call,
            "a call for a taken decision task failed; retrying"
        );
        true
    }

    /// Waits before the next attempt; `false` when the window is over (give up).
    pub(crate) async fn wait(&mut self, client: &aws_sdk_swf::Client) -> bool {
        if Instant::now() + self.next > self.until {
            return false;
        }
        self.attempts += 1;
        pause(client, self.next).await;
        self.next = (self.next * 2).min(Duration::from_secs(2));
        true
    }
}
