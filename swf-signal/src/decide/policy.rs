//! What happens to a received signal that does not decode: the policy, its verdicts,
//! and the low-level dispatch that applies it.

use std::fmt;
use std::sync::Arc;

use super::decisions::{Decisions, MAX_DETAILS_CHARS, UNDECODABLE_SIGNAL_MARKER};
use super::task::{DecisionTask, ReceiveError};
use crate::signal::Dispatch;

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
        self.apply_guarded(task, task.decision_tasks_never_time_out(), bad, decisions)
    }

    /// [`apply`](Self::apply), told whether the execution's decision tasks never time
    /// out: a partial (sticky) history lacks the started event that says so, and the
    /// sticky cache keeps it.
    pub(crate) fn apply_guarded(
        &self,
        task: &DecisionTask,
        never_times_out: bool,
        bad: &ReceiveError,
        decisions: &mut Decisions,
    ) -> Flow {
        let flow = match self {
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
                // Library-written and built to fit, so it cannot break a limit; only a
                // close decision already there (a callback's) refuses it, and then the
                // signal is in the history for the next run of the workflow anyway.
                let _ = decisions
                    .record_marker(UNDECODABLE_SIGNAL_MARKER, Some(&bad_signal_details(bad)));
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
                decisions.fail_by_library(&reason, &bad_signal_details(bad));
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
        };
        if flow == Flow::Abandon && never_times_out {
            // Leaving the task uncompleted relies on SWF timing it out; with a
            // start-to-close timeout of NONE it would stay started forever and the
            // execution would be wedged. Refused: the signal is recorded instead.
            tracing::error!(
                workflow_id = task.workflow_id(),
                run_id = task.run_id(),
                event_id = bad.event_id,
                signal = bad.name(),
                "refused to leave the decision task uncompleted: this execution's taskStartToCloseTimeout is NONE, so SWF would never offer the task again and the execution would be wedged; the undecodable signal is recorded as a marker instead (start executions with a task timeout to use LeaveUncompleted)"
            );
            let _ =
                decisions.record_marker(UNDECODABLE_SIGNAL_MARKER, Some(&bad_signal_details(bad)));
            return Flow::Continue;
        }
        flow
    }
}

/// The details of a bad signal as JSON, always within [`MAX_DETAILS_CHARS`]: the input
/// is cut (with `input_truncated` and `input_chars` saying so) if it would not fit.
pub fn bad_signal_details(bad: &ReceiveError) -> String {
    details_with_input(
        &serde_json::json!({
            "signal": bad.name(),
            "event_id": bad.event_id,
            // The log's words: one wording for one bad signal wherever it is read.
            "error": bad.error.summary().to_string(),
        }),
        bad.input(),
    )
}

/// The details of a workflow input that does not decode, within [`MAX_DETAILS_CHARS`].
pub(crate) fn input_failure_details<W: super::workflow::Workflow>(
    err: &serde_json::Error,
    input: Option<&str>,
) -> String {
    details_with_input(
        &serde_json::json!({
            "workflow": W::NAME,
            "version": W::VERSION,
            "input_type": std::any::type_name::<W::Input>(),
            "error": err.to_string(),
        }),
        input,
    )
}

/// `fields` plus `"input"`, as JSON of at most [`MAX_DETAILS_CHARS`] characters: the
/// input is cut, and `input_truncated` / `input_chars` say so, when it would not fit.
fn details_with_input(fields: &serde_json::Value, input: Option<&str>) -> String {
    let json = |cut: Option<&str>, truncated: bool| {
        let mut v = fields.clone();
        v["input"] = cut.map_or(serde_json::Value::Null, serde_json::Value::from);
        if truncated {
            v["input_truncated"] = serde_json::Value::Bool(true);
            v["input_chars"] = serde_json::Value::from(input.map_or(0, |s| s.chars().count()));
        }
        v.to_string()
    };
    let full = json(input, false);
    if full.chars().count() <= MAX_DETAILS_CHARS {
        return full;
    }
    // Escaping can make the input longer than itself, so find the longest prefix that
    // fits by binary search on its length in characters.
    let input = input.unwrap_or_default();
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

impl DecisionTask {
    /// Decodes the new signals and hands each to `handler`; a signal that does not decode
    /// goes to `policy`, which may add decisions to `decisions`. Returns the handler
    /// outputs in signal order, and whether the policy stopped dispatch.
    ///
    /// This is the low-level path: the state it builds holds only the *new* signals. On
    /// SWF a decider must rebuild its state from the whole history each task (a close
    /// decision fails with `UNHANDLED_DECISION` when a signal arrived meanwhile, and the
    /// next task's new signals no longer include the earlier ones), so fold
    /// [`signals`](Self::signals) up to [`processed_started_event_id`](Self::processed_started_event_id)
    /// first, or use [`WorkflowDecider`](crate::WorkflowDecider), which does all of it.
    ///
    /// # Errors
    ///
    /// [`Abandon`] when the policy says to leave the task uncompleted (so SWF times it
    /// out and offers the signals again): do not respond.
    pub fn dispatch_new_signals<S, H>(
        &self,
        handler: &mut H,
        policy: &BadSignalPolicy,
        decisions: &mut Decisions,
    ) -> Result<Dispatched<S::Output>, Abandon>
    where
        S: Dispatch<H>,
        H: ?Sized,
    {
        let mut outputs = Vec::new();
        for received in self.new_signals::<S>() {
            match received {
                Ok(r) => outputs.push(r.signal.dispatch(handler)),
                Err(bad) => match policy.apply(self, &bad, decisions) {
                    Flow::Continue => {}
                    Flow::Stop => {
                        return Ok(Dispatched {
                            outputs,
                            stopped_at: Some(bad.event_id),
                        })
                    }
                    Flow::Abandon => {
                        return Err(Abandon {
                            event_id: bad.event_id,
                            name: bad.name().to_owned(),
                        })
                    }
                },
            }
        }
        Ok(Dispatched {
            outputs,
            stopped_at: None,
        })
    }
}

/// What [`DecisionTask::dispatch_new_signals`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "when `stopped_at` is set the policy stopped the task: respond with the decisions as they are"]
#[non_exhaustive]
pub struct Dispatched<O> {
    /// The handler outputs, in signal order.
    pub outputs: Vec<O>,
    /// The event id of the bad signal at which the policy stopped dispatch (for
    /// [`BadSignalPolicy::FailWorkflow`], after adding its fail decision): respond with
    /// the decisions as they are and add none.
    pub stopped_at: Option<i64>,
}

impl<O> Dispatched<O> {
    /// Whether the policy stopped dispatch.
    pub fn stopped(&self) -> bool {
        self.stopped_at.is_some()
    }
}

/// The policy chose to leave the task uncompleted: do not respond, SWF times the task out
/// and offers the same signals again in the next one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("decision task abandoned at signal `{name}` (event {event_id}) by the bad-signal policy; it will be retried after its timeout")]
pub struct Abandon {
    /// The event of the signal that did not decode.
    pub event_id: i64,
    /// Its name.
    pub name: String,
}
