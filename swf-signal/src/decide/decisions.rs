//! Decisions a decider responds with, and the policy for signals that do not decode.

use std::time::Duration;

use aws_sdk_swf::types::{
    ActivityType, CancelTimerDecisionAttributes, CancelWorkflowExecutionDecisionAttributes,
    CompleteWorkflowExecutionDecisionAttributes, Decision, DecisionType,
    FailWorkflowExecutionDecisionAttributes, RecordMarkerDecisionAttributes,
    RequestCancelExternalWorkflowExecutionDecisionAttributes,
    ScheduleActivityTaskDecisionAttributes, SignalExternalWorkflowExecutionDecisionAttributes,
    StartChildWorkflowExecutionDecisionAttributes, StartTimerDecisionAttributes, WorkflowType,
};

use crate::error::EncodeError;
use crate::execution::{Execution, MAX_INPUT_CHARS, MAX_SIGNAL_NAME_CHARS};
use crate::signal::Signal;

/// SWF's limit on `details` of markers and failures, and on results, in characters.
pub const MAX_DETAILS_CHARS: usize = 32_768;
/// SWF's limit on a failure `reason`, in characters.
pub const MAX_REASON_CHARS: usize = 256;
/// SWF's limit on a marker name, in characters.
const MAX_MARKER_NAME_CHARS: usize = 256;
/// SWF's limit on ids and type names and versions in decisions (activityId, timerId, …).
const MAX_ID_CHARS: usize = 256;
/// The marker name the default policy records undecodable signals under.
pub const UNDECODABLE_SIGNAL_MARKER: &str = "swf-signal.undecodable-signal";
/// The marker recorded when a bad-signal policy stops dispatch ([`Flow::Stop`](crate::Flow::Stop)) without
/// closing the workflow; details `{"event_id": N}`, the bad signal's. The signals after
/// it that the task brought are reported as new on the next task, so the workflow's
/// `decide` sees them once as new, as every signal is.
pub const STOPPED_MARKER: &str = "swf-signal.stopped";

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
///     .record_marker("charged", Some("1250"))?
///     .complete(None)?;
/// assert_eq!(decisions.len(), 3);
///
/// // Caller data over SWF's limits is refused, never cut (a cut JSON result is not JSON),
/// // and nothing may follow the close decision.
/// assert!(Decisions::new().complete(Some(&"x".repeat(32_769))).is_err());
/// assert!(decisions.record_marker("late", None).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    decisions: Vec<Decision>,
    /// `executionContext` of the response ([`Workflow::context`](crate::Workflow::context)).
    context: Option<String>,
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
    /// The signal name is empty or over 256 characters (a `#[signal(other)]` value
    /// carries any name).
    #[error("cannot signal {execution} with `{signal}`: the signal name is {chars} characters; SWF needs 1 to {MAX_SIGNAL_NAME_CHARS}")]
    InvalidSignalName {
        /// The target.
        execution: Execution,
        /// The signal name.
        signal: String,
        /// Its length in characters.
        chars: usize,
    },
    /// `control` is over 32,768 characters.
    #[error("cannot signal {execution} with `{signal}`: its control is {chars} characters, over SWF's limit of {MAX_DETAILS_CHARS}")]
    ControlTooLong {
        /// The target.
        execution: Execution,
        /// The signal name.
        signal: String,
        /// The control's length in characters.
        chars: usize,
    },
    /// A close decision is already there; SWF requires it to be the last.
    #[error("cannot signal {execution} with `{signal}` after {close}: a close decision must be the last decision of a task")]
    AfterClose {
        /// The target.
        execution: Execution,
        /// The signal name.
        signal: String,
        /// The close decision already there.
        close: &'static str,
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

/// Why a decision could not be added: caller data over SWF's limits (never truncated:
/// a cut JSON result is not JSON), or a decision after the close decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecisionError {
    /// A field is longer than SWF accepts.
    #[error("{decision}: `{field}` is {chars} characters, over SWF's limit of {limit}; shorten it (SWF counts characters, not bytes)")]
    TooLong {
        /// The decision type, e.g. `CompleteWorkflowExecution`.
        decision: &'static str,
        /// The field, e.g. `result`.
        field: &'static str,
        /// Its length in characters.
        chars: usize,
        /// SWF's limit in characters.
        limit: usize,
    },
    /// A required name is empty.
    #[error("{decision}: `{field}` is empty; SWF needs 1 to {limit} characters")]
    Empty {
        /// The decision type.
        decision: &'static str,
        /// The field.
        field: &'static str,
        /// SWF's limit in characters.
        limit: usize,
    },
    /// A duration SWF cannot express: its durations are whole seconds, at least 1 for a
    /// timer (and at most a year, an execution's longest life).
    #[error("{decision}: `{field}` is {duration:?}; SWF takes whole seconds from 1 to 31,536,000 (a year): round it, e.g. Duration::from_secs(n)")]
    NotWholeSeconds {
        /// The decision type.
        decision: &'static str,
        /// The field.
        field: &'static str,
        /// The duration given.
        duration: Duration,
    },
    /// The target of a decision breaks SWF's limits on workflow and run ids.
    #[error("{decision}: {reason}")]
    InvalidTarget {
        /// The decision type.
        decision: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A value did not serialize into the decision's field.
    #[error("{decision}: `{field}` does not encode: {reason}")]
    NotEncoded {
        /// The decision type.
        decision: &'static str,
        /// The field.
        field: &'static str,
        /// The serializer's error, with the value's owner.
        reason: String,
    },
    /// A decision after the close decision (complete, fail, cancel, continue-as-new),
    /// which SWF requires to be the last; for example a bad-signal policy already failed
    /// the workflow.
    #[error("{decision} after {close}: a close decision must be the last decision of a task; check Decisions::closes_workflow() before adding one")]
    AfterClose {
        /// The decision refused.
        decision: &'static str,
        /// The close decision already there.
        close: &'static str,
    },
}

fn check_len(
    decision: &'static str,
    field: &'static str,
    value: &str,
    min: usize,
    limit: usize,
) -> Result<(), DecisionError> {
    let chars = value.chars().count();
    if chars > limit {
        return Err(DecisionError::TooLong {
            decision,
            field,
            chars,
            limit,
        });
    }
    if chars < min {
        return Err(DecisionError::Empty {
            decision,
            field,
            limit,
        });
    }
    Ok(())
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
        let reason = crate::execution::execution_problem(&execution);
        if let Some(reason) = reason {
            return Err(SignalDecisionError::InvalidTarget {
                execution,
                signal: name,
                reason,
            });
        }
        let name_chars = name.chars().count();
        if name_chars == 0 || name_chars > MAX_SIGNAL_NAME_CHARS {
            return Err(SignalDecisionError::InvalidSignalName {
                execution,
                signal: name,
                chars: name_chars,
            });
        }
        let control_chars = control.map_or(0, |c| c.chars().count());
        if control_chars > MAX_DETAILS_CHARS {
            return Err(SignalDecisionError::ControlTooLong {
                execution,
                signal: name,
                chars: control_chars,
            });
        }
        if let Some(close) = self.closing_decision() {
            return Err(SignalDecisionError::AfterClose {
                execution,
                signal: name,
                close,
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

    /// `CompleteWorkflowExecution`, with an optional result.
    ///
    /// # Errors
    ///
    /// [`DecisionError`] when the result is over 32,768 characters or a close decision
    /// is already there.
    pub fn complete(&mut self, result: Option<&str>) -> Result<&mut Self, DecisionError> {
        const D: &str = "CompleteWorkflowExecution";
        self.check_open(D)?;
        if let Some(r) = result {
            check_len(D, "result", r, 0, MAX_DETAILS_CHARS)?;
        }
        let attrs = CompleteWorkflowExecutionDecisionAttributes::builder()
            .set_result(result.map(ToOwned::to_owned))
            .build();
        Ok(self.push_built(
            DecisionType::CompleteWorkflowExecution,
            Some(Decision::builder().complete_workflow_execution_decision_attributes(attrs)),
        ))
    }

    /// `FailWorkflowExecution` with a reason (at most 256 characters) and optional
    /// details (at most 32,768).
    ///
    /// # Errors
    ///
    /// [`DecisionError`] when either is too long or a close decision is already there.
    pub fn fail(
        &mut self,
        reason: &str,
        details: Option<&str>,
    ) -> Result<&mut Self, DecisionError> {
        const D: &str = "FailWorkflowExecution";
        self.check_open(D)?;
        check_len(D, "reason", reason, 0, MAX_REASON_CHARS)?;
        if let Some(d) = details {
            check_len(D, "details", d, 0, MAX_DETAILS_CHARS)?;
        }
        Ok(self.push_fail(reason.to_owned(), details.map(ToOwned::to_owned)))
    }

    /// A fail decision the library writes itself (bad-signal policy, undecodable input):
    /// its reason is cut to SWF's limit with a note saying so; its details are built to
    /// fit. Replaces nothing: after a close decision it adds nothing.
    pub(crate) fn fail_by_library(&mut self, reason: &str, details: &str) {
        if self.closing_decision().is_none() {
            self.push_fail(
                truncate_chars(reason, MAX_REASON_CHARS),
                Some(truncate_chars(details, MAX_DETAILS_CHARS)),
            );
        }
    }

    fn push_fail(&mut self, reason: String, details: Option<String>) -> &mut Self {
        let attrs = FailWorkflowExecutionDecisionAttributes::builder()
            .reason(reason)
            .set_details(details)
            .build();
        self.push_built(
            DecisionType::FailWorkflowExecution,
            Some(Decision::builder().fail_workflow_execution_decision_attributes(attrs)),
        )
    }

    /// `StartTimer`: `timer_id` (1 to 256 characters) fires after `after` (whole seconds:
    /// SWF's unit), with an optional `control` (at most 32,768 characters) that comes back
    /// in `TimerStarted`. The history then holds `TimerFired` (a decision task follows),
    /// or `TimerCanceled` after [`cancel_timer`](Self::cancel_timer).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let mut decisions = swf_signal::Decisions::new();
    /// decisions.start_timer("approval-deadline", Duration::from_secs(7 * 86_400), None)?;
    /// assert!(decisions.start_timer("t", Duration::from_millis(1500), None).is_err());
    /// # Ok::<(), swf_signal::DecisionError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`DecisionError`]: an id or control out of SWF's limits, a duration that is not
    /// whole seconds from 1 s to a year, a close decision already there.
    pub fn start_timer(
        &mut self,
        timer_id: &str,
        after: Duration,
        control: Option<&str>,
    ) -> Result<&mut Self, DecisionError> {
        const D: &str = "StartTimer";
        self.check_open(D)?;
        check_len(D, "timerId", timer_id, 1, MAX_ID_CHARS)?;
        if let Some(c) = control {
            check_len(D, "control", c, 0, MAX_DETAILS_CHARS)?;
        }
        let seconds = whole_seconds(D, "startToFireTimeout", after)?;
        let attrs = StartTimerDecisionAttributes::builder()
            .timer_id(timer_id)
            .start_to_fire_timeout(seconds.to_string())
            .set_control(control.map(ToOwned::to_owned))
            .build();
        Ok(self.push_built(
            DecisionType::StartTimer,
            attrs
                .ok()
                .map(|a| Decision::builder().start_timer_decision_attributes(a)),
        ))
    }

    /// `CancelTimer` for `timer_id` (1 to 256 characters): `TimerCanceled` if it had not
    /// fired, else `CancelTimerFailed` (`TIMER_ID_UNKNOWN`).
    ///
    /// # Errors
    ///
    /// [`DecisionError`] for an id out of SWF's limits or after a close decision.
    pub fn cancel_timer(&mut self, timer_id: &str) -> Result<&mut Self, DecisionError> {
        const D: &str = "CancelTimer";
        self.check_open(D)?;
        check_len(D, "timerId", timer_id, 1, MAX_ID_CHARS)?;
        let attrs = CancelTimerDecisionAttributes::builder()
            .timer_id(timer_id)
            .build();
        Ok(self.push_built(
            DecisionType::CancelTimer,
            attrs
                .ok()
                .map(|a| Decision::builder().cancel_timer_decision_attributes(a)),
        ))
    }

    /// `CancelWorkflowExecution`, the answer to a cancellation request
    /// (`WorkflowExecutionCancelRequested`): the run closes as `CANCELED` with `details`
    /// (at most 32,768 characters). A close decision: it must be the last.
    ///
    /// # Errors
    ///
    /// [`DecisionError`] when the details are too long or a close decision is there.
    pub fn cancel(&mut self, details: Option<&str>) -> Result<&mut Self, DecisionError> {
        const D: &str = "CancelWorkflowExecution";
        self.check_open(D)?;
        if let Some(d) = details {
            check_len(D, "details", d, 0, MAX_DETAILS_CHARS)?;
        }
        let attrs = CancelWorkflowExecutionDecisionAttributes::builder()
            .set_details(details.map(ToOwned::to_owned))
            .build();
        Ok(self.push_built(
            DecisionType::CancelWorkflowExecution,
            Some(Decision::builder().cancel_workflow_execution_decision_attributes(attrs)),
        ))
    }

    /// `RequestCancelExternalWorkflowExecution`: asks `target` (a workflow id, its open
    /// run, or an [`Execution`]) to cancel; `control` (at most 32,768 characters) comes
    /// back in the `…Initiated` and `…Failed` events.
    ///
    /// # Errors
    ///
    /// [`DecisionError`] for a target or control out of SWF's limits or after a close
    /// decision.
    pub fn request_cancel_external(
        &mut self,
        target: impl Into<Execution>,
        control: Option<&str>,
    ) -> Result<&mut Self, DecisionError> {
        const D: &str = "RequestCancelExternalWorkflowExecution";
        self.check_open(D)?;
        let execution = target.into();
        if let Some(reason) = crate::execution::execution_problem(&execution) {
            return Err(DecisionError::InvalidTarget {
                decision: D,
                reason,
            });
        }
        if let Some(c) = control {
            check_len(D, "control", c, 0, MAX_DETAILS_CHARS)?;
        }
        let attrs = RequestCancelExternalWorkflowExecutionDecisionAttributes::builder()
            .workflow_id(execution.workflow_id())
            .set_run_id(execution.run_id().map(ToOwned::to_owned))
            .set_control(control.map(ToOwned::to_owned))
            .build();
        Ok(self.push_built(
            DecisionType::RequestCancelExternalWorkflowExecution,
            attrs.ok().map(|a| {
                Decision::builder()
                    .request_cancel_external_workflow_execution_decision_attributes(a)
            }),
        ))
    }

    /// `RecordMarker` named `name` (1 to 256 characters) with optional details (at most
    /// 32,768).
    ///
    /// # Errors
    ///
    /// [`DecisionError`] when the name or details break SWF's limits, or a close decision
    /// is already there.
    pub fn record_marker(
        &mut self,
        name: &str,
        details: Option<&str>,
    ) -> Result<&mut Self, DecisionError> {
        const D: &str = "RecordMarker";
        self.check_open(D)?;
        check_len(D, "markerName", name, 1, MAX_MARKER_NAME_CHARS)?;
        if let Some(d) = details {
            check_len(D, "details", d, 0, MAX_DETAILS_CHARS)?;
        }
        let attrs = RecordMarkerDecisionAttributes::builder()
            .marker_name(name)
            .set_details(details.map(ToOwned::to_owned))
            .build();
        Ok(self.push_built(
            DecisionType::RecordMarker,
            attrs
                .ok()
                .map(|a| Decision::builder().record_marker_decision_attributes(a)),
        ))
    }

    /// `ScheduleActivityTask` for `name`/`version` with an id and an optional input; the
    /// task list and timeouts are the activity type's registered defaults.
    ///
    /// # Errors
    ///
    /// [`DecisionError`] when the name, version or id is empty or over 256 characters,
    /// the input over 32,768, or a close decision is already there (SWF requires it last).
    pub fn schedule_activity(
        &mut self,
        name: &str,
        version: &str,
        activity_id: &str,
        input: Option<&str>,
    ) -> Result<&mut Self, DecisionError> {
        const D: &str = "ScheduleActivityTask";
        self.check_open(D)?;
        // ScheduleActivityTaskDecisionAttributes: activityType name and version, and
        // activityId, are 1 to 256 characters; input at most 32,768.
        check_len(D, "activityType.name", name, 1, MAX_ID_CHARS)?;
        check_len(D, "activityType.version", version, 1, MAX_ID_CHARS)?;
        check_len(D, "activityId", activity_id, 1, MAX_ID_CHARS)?;
        if let Some(i) = input {
            check_len(D, "input", i, 0, MAX_DETAILS_CHARS)?;
        }
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
        Ok(self.push_built(
            DecisionType::ScheduleActivityTask,
            attrs.map(|a| Decision::builder().schedule_activity_task_decision_attributes(a)),
        ))
    }

    /// `StartChildWorkflowExecution` by type name and version, with raw input; the typed
    /// form is [`start_child`](Self::start_child).
    pub(crate) fn start_child_raw(
        &mut self,
        name: &str,
        version: &str,
        workflow_id: &str,
        input: Option<&str>,
    ) -> Result<&mut Self, DecisionError> {
        const D: &str = "StartChildWorkflowExecution";
        self.check_open(D)?;
        if let Some(reason) = crate::execution::execution_problem(&Execution::current(workflow_id))
        {
            return Err(DecisionError::InvalidTarget {
                decision: D,
                reason,
            });
        }
        if let Some(i) = input {
            check_len(D, "input", i, 0, MAX_INPUT_CHARS)?;
        }
        let attrs = WorkflowType::builder()
            .name(name)
            .version(version)
            .build()
            .ok()
            .and_then(|t| {
                StartChildWorkflowExecutionDecisionAttributes::builder()
                    .workflow_type(t)
                    .workflow_id(workflow_id)
                    .set_input(input.map(ToOwned::to_owned))
                    .build()
                    .ok()
            });
        Ok(self.push_built(
            DecisionType::StartChildWorkflowExecution,
            attrs
                .map(|a| Decision::builder().start_child_workflow_execution_decision_attributes(a)),
        ))
    }

    /// Any other decision, as the SDK builds it.
    ///
    /// # Errors
    ///
    /// [`DecisionError::AfterClose`] when a close decision is already there: SWF requires
    /// the close decision to be the last of a task.
    pub fn push(&mut self, decision: Decision) -> Result<&mut Self, DecisionError> {
        self.check_open(decision_name(decision.decision_type()))?;
        self.decisions.push(decision);
        Ok(self)
    }

    /// Sets the `executionContext` the response carries (what
    /// `DescribeWorkflowExecution` shows as `latestExecutionContext`);
    /// [`WorkflowDecider`](crate::WorkflowDecider) sets it from
    /// [`Workflow::context`](crate::Workflow::context).
    ///
    /// # Errors
    ///
    /// The context's length in characters when it is over SWF's limit of 32,768 (nothing
    /// set).
    pub fn set_context(&mut self, context: Option<String>) -> Result<&mut Self, usize> {
        if let Some(c) = &context {
            let chars = c.chars().count();
            if chars > MAX_DETAILS_CHARS {
                return Err(chars);
            }
        }
        self.context = context;
        Ok(self)
    }

    /// The `executionContext` the response carries, if any.
    pub fn context(&self) -> Option<&str> {
        self.context.as_deref()
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
        self.closing_decision().is_some()
    }

    /// The close decision's type, if there is one.
    fn closing_decision(&self) -> Option<&'static str> {
        self.decisions.iter().find_map(|d| match d.decision_type() {
            DecisionType::CompleteWorkflowExecution => Some("CompleteWorkflowExecution"),
            DecisionType::FailWorkflowExecution => Some("FailWorkflowExecution"),
            DecisionType::CancelWorkflowExecution => Some("CancelWorkflowExecution"),
            DecisionType::ContinueAsNewWorkflowExecution => Some("ContinueAsNewWorkflowExecution"),
            _ => None,
        })
    }

    fn check_open(&self, decision: &'static str) -> Result<(), DecisionError> {
        match self.closing_decision() {
            Some(close) => Err(DecisionError::AfterClose { decision, close }),
            None => Ok(()),
        }
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

/// SWF's longest duration: an execution lives at most a year.
const MAX_SECONDS: u64 = 31_536_000;

/// `d` in SWF's unit, whole seconds from 1 to a year; anything else is refused rather
/// than rounded, so a timer never fires at another time than the one asked for.
fn whole_seconds(
    decision: &'static str,
    field: &'static str,
    d: Duration,
) -> Result<u64, DecisionError> {
    if d.subsec_nanos() != 0 || d.as_secs() == 0 || d.as_secs() > MAX_SECONDS {
        return Err(DecisionError::NotWholeSeconds {
            decision,
            field,
            duration: d,
        });
    }
    Ok(d.as_secs())
}

/// SWF's name of a decision type, for errors.
fn decision_name(kind: &DecisionType) -> &'static str {
    match kind {
        DecisionType::CancelTimer => "CancelTimer",
        DecisionType::CancelWorkflowExecution => "CancelWorkflowExecution",
        DecisionType::CompleteWorkflowExecution => "CompleteWorkflowExecution",
        DecisionType::ContinueAsNewWorkflowExecution => "ContinueAsNewWorkflowExecution",
        DecisionType::FailWorkflowExecution => "FailWorkflowExecution",
        DecisionType::RecordMarker => "RecordMarker",
        DecisionType::RequestCancelActivityTask => "RequestCancelActivityTask",
        DecisionType::RequestCancelExternalWorkflowExecution => {
            "RequestCancelExternalWorkflowExecution"
        }
        DecisionType::ScheduleActivityTask => "ScheduleActivityTask",
        DecisionType::ScheduleLambdaFunction => "ScheduleLambdaFunction",
        DecisionType::SignalExternalWorkflowExecution => "SignalExternalWorkflowExecution",
        DecisionType::StartChildWorkflowExecution => "StartChildWorkflowExecution",
        DecisionType::StartTimer => "StartTimer",
        _ => "a decision",
    }
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
