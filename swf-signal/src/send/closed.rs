//! How a run closed, read from the last event of its history, and waiting for it.

use std::fmt;
use std::time::Duration;

use aws_sdk_swf::error::ProvideErrorMetadata;
use aws_sdk_swf::types::{EventType, HistoryEvent, WorkflowExecution};

use super::{DescribeError, Execution};

/// How a workflow run closed ([`WorkflowHandle::result`](crate::WorkflowHandle::result)).
/// `Display` prints the close status as SWF spells it (`COMPLETED`, `TIMED_OUT`, …).
///
/// ```
/// let closed = swf_signal::Closed::Completed { result: Some("42".into()) };
/// assert_eq!(closed.to_string(), "COMPLETED");
/// assert_eq!(closed.status(), "COMPLETED");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Closed {
    /// `WorkflowExecutionCompleted`.
    Completed {
        /// The result the decider gave (`CompleteWorkflowExecution`'s `result`).
        result: Option<String>,
    },
    /// `WorkflowExecutionFailed`.
    Failed {
        /// The reason the decider gave.
        reason: Option<String>,
        /// Its details.
        details: Option<String>,
    },
    /// `WorkflowExecutionCanceled`.
    Canceled {
        /// The details the decider gave.
        details: Option<String>,
    },
    /// `WorkflowExecutionTerminated` (by an operator, a parent's child policy, or SWF's
    /// event limit).
    Terminated {
        /// The reason given.
        reason: Option<String>,
        /// Its details.
        details: Option<String>,
        /// SWF's cause (`OPERATOR_INITIATED`, `CHILD_POLICY_APPLIED`,
        /// `EVENT_LIMIT_EXCEEDED`), when SWF gave one.
        cause: Option<String>,
    },
    /// `WorkflowExecutionTimedOut`: its execution start-to-close timeout passed.
    TimedOut,
    /// `WorkflowExecutionContinuedAsNew`: a new run of the same workflow id goes on.
    ContinuedAsNew {
        /// The new run's id.
        new_run_id: String,
    },
}

impl Closed {
    /// The close status as SWF spells it.
    pub fn status(&self) -> &'static str {
        match self {
            Closed::Completed { .. } => "COMPLETED",
            Closed::Failed { .. } => "FAILED",
            Closed::Canceled { .. } => "CANCELED",
            Closed::Terminated { .. } => "TERMINATED",
            Closed::TimedOut => "TIMED_OUT",
            Closed::ContinuedAsNew { .. } => "CONTINUED_AS_NEW",
        }
    }

    /// The close this event records, if it is a close event.
    pub(crate) fn from_event(event: &HistoryEvent) -> Option<Closed> {
        let owned = |s: Option<&str>| s.map(str::to_owned);
        Some(match event.event_type() {
            EventType::WorkflowExecutionCompleted => Closed::Completed {
                result: owned(
                    event
                        .workflow_execution_completed_event_attributes()
                        .and_then(|a| a.result()),
                ),
            },
            EventType::WorkflowExecutionFailed => {
                let a = event.workflow_execution_failed_event_attributes();
                Closed::Failed {
                    reason: owned(a.and_then(|a| a.reason())),
                    details: owned(a.and_then(|a| a.details())),
                }
            }
            EventType::WorkflowExecutionCanceled => Closed::Canceled {
                details: owned(
                    event
                        .workflow_execution_canceled_event_attributes()
                        .and_then(|a| a.details()),
                ),
            },
            EventType::WorkflowExecutionTerminated => {
                let a = event.workflow_execution_terminated_event_attributes();
                Closed::Terminated {
                    reason: owned(a.and_then(|a| a.reason())),
                    details: owned(a.and_then(|a| a.details())),
                    cause: a.and_then(|a| a.cause()).map(|c| c.as_str().to_owned()),
                }
            }
            EventType::WorkflowExecutionTimedOut => Closed::TimedOut,
            EventType::WorkflowExecutionContinuedAsNew => Closed::ContinuedAsNew {
                new_run_id: event
                    .workflow_execution_continued_as_new_event_attributes()
                    .map(|a| a.new_execution_run_id().to_owned())
                    .unwrap_or_default(),
            },
            _ => return None,
        })
    }
}

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.status())
    }
}

/// The first pause between two looks at a run that is still open, doubled after each
/// look up to [`MAX_RESULT_POLL`].
const FIRST_RESULT_POLL: Duration = Duration::from_millis(200);
/// The longest pause between two looks: one `GetWorkflowExecutionHistory` of one event
/// every 5 s per waiting caller stays far inside SWF's quota for that call.
pub(crate) const MAX_RESULT_POLL: Duration = Duration::from_secs(5);

/// Waits until `run_id` of `workflow_id` closes. SWF has no call that blocks until a run
/// closes, so this reads the history's last event (`reverseOrder`, one event) with a
/// growing pause between looks.
pub(crate) async fn wait_closed(
    client: &aws_sdk_swf::Client,
    domain: &str,
    workflow_id: &str,
    run_id: &str,
) -> Result<Closed, DescribeError> {
    let execution = Execution::new(workflow_id, run_id);
    let sdk_err = |e: Box<dyn std::error::Error + Send + Sync>| DescribeError::Sdk {
        domain: domain.to_owned(),
        execution: execution.clone(),
        source: e,
    };
    let target = WorkflowExecution::builder()
        .workflow_id(workflow_id)
        .run_id(run_id)
        .build()
        .map_err(|e| sdk_err(Box::new(e)))?;
    let mut pause = FIRST_RESULT_POLL;
    loop {
        let out = client
            .get_workflow_execution_history()
            .domain(domain)
            .execution(target.clone())
            .reverse_order(true)
            .maximum_page_size(1)
            .send()
            .await;
        let out = match out {
            Ok(out) => out,
            Err(e) if e.code() == Some("UnknownResourceFault") => {
                return Err(DescribeError::NotFound {
                    domain: domain.to_owned(),
                    execution,
                })
            }
            Err(e) => return Err(sdk_err(Box::new(e))),
        };
        if let Some(closed) = out.events().first().and_then(Closed::from_event) {
            return Ok(closed);
        }
        super::pause(client, pause).await;
        pause = (pause * 2).min(MAX_RESULT_POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_swf::types::{
        WorkflowExecutionCanceledEventAttributes, WorkflowExecutionTerminatedCause,
        WorkflowExecutionTerminatedEventAttributes, WorkflowExecutionTimedOutEventAttributes,
        WorkflowExecutionTimeoutType,
    };
    use aws_smithy_types::DateTime;

    fn event(kind: EventType) -> aws_sdk_swf::types::builders::HistoryEventBuilder {
        HistoryEvent::builder()
            .event_id(9)
            .event_timestamp(DateTime::from_secs(0))
            .event_type(kind)
    }

    #[test]
    fn the_close_events_seen_less_often_map_and_print_as_swf_spells_them(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let canceled = event(EventType::WorkflowExecutionCanceled)
            .workflow_execution_canceled_event_attributes(
                WorkflowExecutionCanceledEventAttributes::builder()
                    .details("asked")
                    .decision_task_completed_event_id(8)
                    .build(),
            )
            .build()?;
        let closed = Closed::from_event(&canceled);
        assert_eq!(
            closed,
            Some(Closed::Canceled {
                details: Some("asked".into())
            })
        );
        assert_eq!(closed.map(|c| c.to_string()).as_deref(), Some("CANCELED"));

        let timed_out = event(EventType::WorkflowExecutionTimedOut)
            .workflow_execution_timed_out_event_attributes(
                WorkflowExecutionTimedOutEventAttributes::builder()
                    .timeout_type(WorkflowExecutionTimeoutType::StartToClose)
                    .child_policy(aws_sdk_swf::types::ChildPolicy::Terminate)
                    .build()?,
            )
            .build()?;
        assert_eq!(Closed::from_event(&timed_out), Some(Closed::TimedOut));
        assert_eq!(Closed::TimedOut.to_string(), "TIMED_OUT");

        let limit = event(EventType::WorkflowExecutionTerminated)
            .workflow_execution_terminated_event_attributes(
                WorkflowExecutionTerminatedEventAttributes::builder()
                    .cause(WorkflowExecutionTerminatedCause::EventLimitExceeded)
                    .child_policy(aws_sdk_swf::types::ChildPolicy::Terminate)
                    .build()?,
            )
            .build()?;
        assert_eq!(
            Closed::from_event(&limit),
            Some(Closed::Terminated {
                reason: None,
                details: None,
                cause: Some("EVENT_LIMIT_EXCEEDED".into())
            })
        );
        // Any other event: the run is still open.
        let signal = event(EventType::WorkflowExecutionSignaled).build()?;
        assert_eq!(Closed::from_event(&signal), None);
        Ok(())
    }
}
