//! Decisions a decider responds with, and the policy for signals that do not decode.

use std::fmt;
use std::sync::Arc;

use aws_sdk_swf::types::{
    ActivityType, CompleteWorkflowExecutionDecisionAttributes, Decision, DecisionType,
    FailWorkflowExecutionDecisionAttributes, RecordMarkerDecisionAttributes,
    ScheduleActivityTaskDecisionAttributes, SignalExternalWorkflowExecutionDecisionAttributes,
};

use crate::send::MAX_INPUT_CHARS;
use crate::task::{DecisionTask, ReceiveError};
use crate::{EncodeError, Execution, Signal};

/// SWF's limit on `details` of markers and failures, and on results, in characters.
pub const MAX_DETAILS_CHARS: usize = 32_768;
/// SWF's limit on a failure `reason`, in characters.
pub const MAX_REASON_CHARS: usize = 256;
/// SWF's limit on a marker name, in characters.
const MAX_MARKER_NAME_CHARS: usize = 256;
/// The marker name the default policy records undecodable signals under.
pub const UNDECODABLE_SIGNAL_MARKER: &str = "swf-signal.undecodable-signal";

/// The decisions of one decision task, built in order.
///
/// ```
/// use swf_signal::{Decisions, Execution, Signal};
///
/// #[derive(Signal)]
/// enum Billing { Charge { cents: u64 } }
///
/// let mut decisions = Decisions::new();
/// decisions
///     .signal_external(Execution::current("billing-7"), &Billing::Charge { cents: 1250 }, Some("charge-1"))?
///     .record_marker("charged", Some("1250"))
///     .complete(None);
/// assert_eq!(decisions.len(), 3);
/// # Ok::<(), swf_signal::SignalDecisionError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    decisions: Vec<Decision>,
}

/// Why a `SignalExternalWorkflowExecution` decision could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignalDecisionError {
    /// The workflow id or run id breaks SWF's limits.
    #[error("cannot signal {execution} with `{signal}`: {reason}")]
    InvalidTarget {
        /// The target.
        execution: Execution,
        /// The signal name.
        signal: String,
        /// Which limit.
        reason: String,
    },
    /// The input is over 32,768 characters.
    #[error("cannot signal {execution} with `{signal}`: its input is {chars} characters, over SWF's limit of {MAX_INPUT_CHARS}")]
    InputTooLarge {
        /// The target.
        execution: Execution,
        /// The signal name.
        signal: String,
        /// The input's length in characters.
        chars: usize,
    },
    /// The payload did not serialize.
    #[error("cannot signal {execution}: {source}")]
    Encode {
        /// The target.
        execution: Execution,
        /// The serializer's error.
        #[source]
        source: EncodeError,
    },
}

impl Decisions {
    /// No decisions yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A typed `SignalExternalWorkflowExecution` decision: `signal` to `target` (a
    /// workflow id or an [`Execution`]), with an optional `control` string that comes
    /// back in the `…Initiated` and `…Failed` events.
    ///
    /// # Errors
    ///
    /// [`SignalDecisionError`], checked here rather than by a failed response.
    pub fn signal_external<S: Signal>(
        &mut self,
        target: impl Into<Execution>,
        signal: &S,
        control: Option<&str>,
    ) -> Result<&mut Self, SignalDecisionError> {
        let execution = target.into();
        let name = signal.wire_name().to_owned();
        let reason = crate::send::execution_problem(&execution);
        if let Some(reason) = reason {
            return Err(SignalDecisionError::InvalidTarget {
                execution,
                signal: name,
                reason,
            });
        }
        let input = match signal.encode_input() {
            Ok(input) => input,
            Err(source) => return Err(SignalDecisionError::Encode { execution, source }),
        };
        let chars = input.as_deref().map_or(0, |s| s.chars().count());
        if chars > MAX_INPUT_CHARS {
            return Err(SignalDecisionError::InputTooLarge {
                execution,
                signal: name,
                chars,
            });
        }
        let attrs = SignalExternalWorkflowExecutionDecisionAttributes::builder()
            .workflow_id(execution.workflow_id())
            .set_run_id(execution.run_id().map(ToOwned::to_owned))
            .signal_name(name)
            .set_input(input)
            .set_control(control.map(ToOwned::to_owned))
            .build();
        Ok(self.push_built(
            DecisionType::SignalExternalWorkflowExecution,
            attrs.ok().map(|a| {
                Decision::builder().signal_external_workflow_execution_decision_attributes(a)
            }),
        ))
    }

    /// `CompleteWorkflowExecution`, with an optional result (truncated to SWF's limit,
    /// with a note, if longer).
    pub fn complete(&mut self, result: Option<&str>) -> &mut Self {
        let attrs = CompleteWorkflowExecutionDecisionAttributes::builder()
            .set_result(result.map(|r| truncate_chars(r, MAX_DETAILS_CHARS)))
            .build();
        self.push_built(
            DecisionType::CompleteWorkflowExecution,
            Some(Decision::builder().complete_workflow_execution_decision_attributes(attrs)),
        )
    }

    /// `FailWorkflowExecution`; reason and details are truncated to SWF's limits, with a
    /// note, if longer.
    pub fn fail(&mut self, reason: &str, details: Option<&str>) -> &mut Self {
        let attrs = FailWorkflowExecutionDecisionAttributes::builder()
            .reason(truncate_chars(reason, MAX_REASON_CHARS))
            .set_details(details.map(|d| truncate_chars(d, MAX_DETAILS_CHARS)))
            .build();
        self.push_built(
            DecisionType::FailWorkflowExecution,
            Some(Decision::builder().fail_workflow_execution_decision_attributes(attrs)),
        )
    }

    /// `RecordMarker`; details are truncated to SWF's limit, with a note, if longer.
    pub fn record_marker(&mut self, name: &str, details: Option<&str>) -> &mut Self {
        let attrs = RecordMarkerDecisionAttributes::builder()
            .marker_name(truncate_chars(name, MAX_MARKER_NAME_CHARS))
            .set_details(details.map(|d| truncate_chars(d, MAX_DETAILS_CHARS)))
            .build();
        self.push_built(
            DecisionType::RecordMarker,
            attrs
                .ok()
                .map(|a| Decision::builder().record_marker_decision_attributes(a)),
        )
    }

    /// `ScheduleActivityTask` for `name`/`version` with an id and an optional input; the
    /// task list and timeouts are the activity type's registered defaults.
    pub fn schedule_activity(
        &mut self,
        name: &str,
        version: &str,
        activity_id: &str,
        input: Option<&str>,
    ) -> &mut Self {
        let attrs = ActivityType::builder()
            .name(name)
            .version(version)
            .build()
            .ok()
            .and_then(|t| {
                ScheduleActivityTaskDecisionAttributes::builder()
                    .activity_type(t)
                    .activity_id(activity_id)
                    .set_input(input.map(ToOwned::to_owned))
                    .build()
                    .ok()
            });
        self.push_built(
            DecisionType::ScheduleActivityTask,
            attrs.map(|a| Decision::builder().schedule_activity_task_decision_attributes(a)),
        )
    }

    /// Any other decision, as the SDK builds it.
    pub fn push(&mut self, decision: Decision) -> &mut Self {
        self.decisions.push(decision);
        self
    }

    /// The decisions so far.
    pub fn as_slice(&self) -> &[Decision] {
        &self.decisions
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.decisions.len()
    }

    /// None yet.
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty()
    }

    /// The decisions, for `RespondDecisionTaskCompleted`.
    pub fn into_vec(self) -> Vec<Decision> {
        self.decisions
    }

    /// Whether a decision closes the workflow (complete, fail, cancel, continue-as-new).
    pub fn closes_workflow(&self) -> bool {
        self.decisions.iter().any(|d| {
            matches!(
                d.decision_type(),
                DecisionType::CompleteWorkflowExecution
                    | DecisionType::FailWorkflowExecution
                    | DecisionType::CancelWorkflowExecution
                    | DecisionType::ContinueAsNewWorkflowExecution
            )
        })
    }

    fn push_built(
        &mut self,
        kind: DecisionType,
        builder: Option<aws_sdk_swf::types::builders::DecisionBuilder>,
    ) -> &mut Self {
        // The SDK's builders only fail on a missing required field, and every required
        // field is set above; should that ever change, the decision is still recorded by
        // type so SWF's answer names the problem instead of a decision vanishing.
        let decision = builder
            .and_then(|b| b.decision_type(kind.clone()).build().ok())
            .or_else(|| Decision::builder().decision_type(kind).build().ok());
        if let Some(d) = decision {
            self.decisions.push(d);
        }
        self
    }
}

/// Cuts `text` to at most `limit` characters; a cut text ends with a note saying how
/// much was left out, and still fits the limit.
pub(crate) fn truncate_chars(text: &str, limit: usize) -> String {
    let total = text.chars().count();
    if total <= limit {
        return text.to_owned();
    }
    let note = format!(" …[truncated from {total} characters]");
    let keep = limit.saturating_sub(note.chars().count());
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(&note);
    out
}

/// What to do with a received signal that does not decode. The default loses nothing and
/// does not wedge the workflow: [`BadSignalPolicy::RecordMarker`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum BadSignalPolicy {
    /// Add a `RecordMarker` decision named [`UNDECODABLE_SIGNAL_MARKER`] whose details are
    /// JSON with the signal name, event id, error and raw input (the input truncated with
    /// a note if the details would exceed SWF's limit), log a `tracing` warning, and go
    /// on with the other signals.
    #[default]
    RecordMarker,
    /// Add a `FailWorkflowExecution` decision with those details and stop dispatching.
    FailWorkflow,
    /// Leave the decision task uncompleted, so SWF times it out and offers it again
    /// (for a decider about to be fixed and redeployed).
    LeaveUncompleted,
    /// Call back; the callback may add decisions and says how to go on.
    Callback(BadSignalCallback),
}

impl fmt::Debug for BadSignalPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadSignalPolicy::RecordMarker => f.write_str("RecordMarker"),
            BadSignalPolicy::FailWorkflow => f.write_str("FailWorkflow"),
            BadSignalPolicy::LeaveUncompleted => f.write_str("LeaveUncompleted"),
            BadSignalPolicy::Callback(_) => f.write_str("Callback(..)"),
        }
    }
}

/// The function a [`BadSignalPolicy::Callback`] calls for each bad signal.
pub type BadSignalCallback = Arc<dyn Fn(&ReceiveError, &mut Decisions) -> Flow + Send + Sync>;

/// How dispatch goes on after a bad signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Dispatch the remaining signals.
    Continue,
    /// Dispatch no more signals, but respond with the decisions so far.
    Stop,
    /// Do not respond at all; the task times out and is retried.
    Abandon,
}

impl BadSignalPolicy {
    /// A callback policy.
    pub fn callback(
        f: impl Fn(&ReceiveError, &mut Decisions) -> Flow + Send + Sync + 'static,
    ) -> Self {
        BadSignalPolicy::Callback(Arc::new(f))
    }

    /// Applies the policy to one bad signal of `task`.
    pub fn apply(
        &self,
        task: &DecisionTask,
        bad: &ReceiveError,
        decisions: &mut Decisions,
    ) -> Flow {
        match self {
            BadSignalPolicy::RecordMarker => {
                // Never the input at warn level: it may hold data that does not belong
                // in logs. It is in the marker, in the workflow's history.
                tracing::warn!(
                    workflow_id = task.workflow_id(),
                    run_id = task.run_id(),
                    event_id = bad.event_id,
                    signal = bad.name(),
                    error = %bad.error.summary(),
                    "undecodable signal recorded as a marker"
                );
                decisions.record_marker(UNDECODABLE_SIGNAL_MARKER, Some(&bad_signal_details(bad)));
                Flow::Continue
            }
            BadSignalPolicy::FailWorkflow => {
                tracing::warn!(
                    workflow_id = task.workflow_id(),
                    event_id = bad.event_id,
                    signal = bad.name(),
                    error = %bad.error.summary(),
                    "undecodable signal fails the workflow execution"
                );
                let reason = format!(
                    "undecodable signal `{}` (event {})",
                    bad.name(),
                    bad.event_id
                );
                decisions.fail(&reason, Some(&bad_signal_details(bad)));
                Flow::Stop
            }
            BadSignalPolicy::LeaveUncompleted => {
                tracing::warn!(
                    workflow_id = task.workflow_id(),
                    event_id = bad.event_id,
                    signal = bad.name(),
                    error = %bad.error.summary(),
                    "undecodable signal leaves the decision task uncompleted"
                );
                Flow::Abandon
            }
            BadSignalPolicy::Callback(f) => f(bad, decisions),
        }
    }
}

/// The details of a bad signal as JSON, always within [`MAX_DETAILS_CHARS`]: the input
/// is cut (with `input_truncated` and `input_chars` saying so) if it would not fit.
pub fn bad_signal_details(bad: &ReceiveError) -> String {
    let json = |input: Option<&str>, truncated: bool| {
        let mut v = serde_json::json!({
            "signal": bad.name(),
            "event_id": bad.event_id,
            "error": bad.error.to_string(),
            "input": input,
        });
        if truncated {
            v["input_truncated"] = serde_json::Value::Bool(true);
            v["input_chars"] =
                serde_json::Value::from(bad.input().map_or(0, |s| s.chars().count()));
        }
        v.to_string()
    };
    let full = json(bad.input(), false);
    if full.chars().count() <= MAX_DETAILS_CHARS {
        return full;
    }
    // Escaping can make the input longer than itself, so find the longest prefix that
    // fits by binary search on its length in characters.
    let input = bad.input().unwrap_or_default();
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let end = chars.get(mid).map_or(input.len(), |(i, _)| *i);
        if json(Some(&input[..end]), true).chars().count() <= MAX_DETAILS_CHARS {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let end = chars.get(lo).map_or(input.len(), |(i, _)| *i);
    json(Some(&input[..end]), true)
}

#[cfg(test)]
mod tests {
    use super::truncate_chars;

    #[test]
    fn truncation_keeps_the_limit_and_says_so() {
        assert_eq!(truncate_chars("short", 10), "short");
        let cut = truncate_chars(&"é".repeat(300), 256);
        assert_eq!(cut.chars().count(), 256);
        assert!(cut.ends_with("…[truncated from 300 characters]"), "{cut}");
    }
}
