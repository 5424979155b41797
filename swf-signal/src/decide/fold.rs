//! Everything the history says besides signals, as [`WorkflowEvent`]s for
//! [`Workflow::apply`](crate::Workflow::apply).
//!
//! Some outcomes do not name what they are the outcome of: `ActivityTaskCompleted` carries
//! the id of its `ActivityTaskScheduled` event, not the activity id, and
//! `ExternalWorkflowExecutionSignaled` the id of its initiated event, not its `control`.
//! On a sticky hit that older event is not in the task's history, so the fold keeps what
//! it needs of it ([`Pending`]) beside the state, in the cache; an entry leaves when its
//! outcome is folded, so `Pending` holds only what is in flight.

use std::collections::HashMap;

use aws_sdk_swf::types::WorkflowExecution;

use super::event::Event;

/// One event of the history other than a signal, as a workflow reacts to it: timers,
/// cancellation requests, activity and child workflow outcomes, the outcomes of outgoing
/// signals and cancellation requests, markers, and the decisions SWF refused — and the
/// events that say a decision took effect (`TimerStarted`, `ActivityScheduled`,
/// `ChildInitiated`, `SignalInitiated`), so a workflow knows what it has in flight from
/// its history alone, as every fold must.
///
/// Variants are named after SWF's event types and borrow from the event; each carries its
/// `event_id`. The library's own markers (named `swf-signal.…`) are not passed on.
///
/// ```
/// use swf_signal::WorkflowEvent;
///
/// fn expired(event: &WorkflowEvent<'_>) -> bool {
///     matches!(event, WorkflowEvent::TimerFired { timer_id: "approval-deadline", .. })
/// }
/// let fired = WorkflowEvent::TimerFired { event_id: 9, timer_id: "approval-deadline" };
/// assert!(expired(&fired));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WorkflowEvent<'a> {
    /// `TimerStarted`: a `StartTimer` decision took effect (the timer is running).
    TimerStarted {
        /// The event id.
        event_id: i64,
        /// The timer's id.
        timer_id: &'a str,
    },
    /// `TimerFired`.
    TimerFired {
        /// The event id.
        event_id: i64,
        /// The timer's id.
        timer_id: &'a str,
    },
    /// `TimerCanceled`: a `CancelTimer` decision took effect before the timer fired.
    TimerCanceled {
        /// The event id.
        event_id: i64,
        /// The timer's id.
        timer_id: &'a str,
    },
    /// `StartTimerFailed`: SWF refused a `StartTimer` decision (e.g. `TIMER_ID_ALREADY_IN_USE`).
    StartTimerFailed {
        /// The event id.
        event_id: i64,
        /// The timer's id.
        timer_id: &'a str,
        /// SWF's cause.
        cause: &'a str,
        /// The `DecisionTaskCompleted` event of the task that decided it.
        decision_task_completed_event_id: i64,
    },
    /// `CancelTimerFailed` (e.g. `TIMER_ID_UNKNOWN`: it had fired already).
    CancelTimerFailed {
        /// The event id.
        event_id: i64,
        /// The timer's id.
        timer_id: &'a str,
        /// SWF's cause.
        cause: &'a str,
        /// The `DecisionTaskCompleted` event of the task that decided it.
        decision_task_completed_event_id: i64,
    },
    /// `WorkflowExecutionCancelRequested`: someone asked this run to cancel; answer with
    /// [`Decisions::cancel`](crate::Decisions::cancel) (or not: it is a request).
    CancelRequested {
        /// The event id.
        event_id: i64,
        /// SWF's cause, e.g. `CHILD_POLICY_APPLIED`; `None` for a plain request.
        cause: Option<&'a str>,
        /// The execution whose decision asked, when another workflow asked.
        external: Option<&'a WorkflowExecution>,
    },
    /// `ActivityTaskScheduled`: a `ScheduleActivityTask` decision took effect.
    ActivityScheduled {
        /// The event id.
        event_id: i64,
        /// The activity id.
        activity_id: &'a str,
    },
    /// `ActivityTaskCompleted`.
    ActivityCompleted {
        /// The event id.
        event_id: i64,
        /// The activity id it was scheduled with.
        activity_id: &'a str,
        /// Its result.
        result: Option<&'a str>,
    },
    /// `ActivityTaskFailed`.
    ActivityFailed {
        /// The event id.
        event_id: i64,
        /// The activity id.
        activity_id: &'a str,
        /// The reason the worker gave.
        reason: Option<&'a str>,
        /// The details the worker gave.
        details: Option<&'a str>,
    },
    /// `ActivityTaskTimedOut`.
    ActivityTimedOut {
        /// The event id.
        event_id: i64,
        /// The activity id.
        activity_id: &'a str,
        /// Which timeout: `START_TO_CLOSE`, `SCHEDULE_TO_START`, `SCHEDULE_TO_CLOSE`, `HEARTBEAT`.
        timeout_type: &'a str,
        /// The last heartbeat's details.
        details: Option<&'a str>,
    },
    /// `ActivityTaskCanceled`.
    ActivityCanceled {
        /// The event id.
        event_id: i64,
        /// The activity id.
        activity_id: &'a str,
        /// The details the worker gave.
        details: Option<&'a str>,
    },
    /// `ScheduleActivityTaskFailed`: SWF refused a `ScheduleActivityTask` decision.
    ScheduleActivityFailed {
        /// The event id.
        event_id: i64,
        /// The activity id.
        activity_id: &'a str,
        /// SWF's cause, e.g. `ACTIVITY_TYPE_DOES_NOT_EXIST`.
        cause: &'a str,
        /// The `DecisionTaskCompleted` event of the task that decided it.
        decision_task_completed_event_id: i64,
    },
    /// `StartChildWorkflowExecutionInitiated`: a `StartChildWorkflowExecution` decision
    /// took effect; `ChildStarted` or `StartChildFailed` follows.
    ChildInitiated {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// The decision's `control`.
        control: Option<&'a str>,
    },
    /// `ChildWorkflowExecutionStarted`.
    ChildStarted {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// The child's run id.
        run_id: &'a str,
    },
    /// `ChildWorkflowExecutionCompleted`.
    ChildCompleted {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// The child's run id.
        run_id: &'a str,
        /// Its result.
        result: Option<&'a str>,
    },
    /// `ChildWorkflowExecutionFailed`.
    ChildFailed {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// The child's run id.
        run_id: &'a str,
        /// Its failure reason.
        reason: Option<&'a str>,
        /// Its failure details.
        details: Option<&'a str>,
    },
    /// `ChildWorkflowExecutionTimedOut`.
    ChildTimedOut {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// The child's run id.
        run_id: &'a str,
    },
    /// `ChildWorkflowExecutionCanceled`.
    ChildCanceled {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// The child's run id.
        run_id: &'a str,
        /// Its cancellation details.
        details: Option<&'a str>,
    },
    /// `ChildWorkflowExecutionTerminated`.
    ChildTerminated {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// The child's run id.
        run_id: &'a str,
    },
    /// `StartChildWorkflowExecutionFailed` (e.g. `WORKFLOW_ALREADY_RUNNING`).
    StartChildFailed {
        /// The event id.
        event_id: i64,
        /// The child's workflow id.
        workflow_id: &'a str,
        /// SWF's cause.
        cause: &'a str,
        /// The decision's `control`.
        control: Option<&'a str>,
        /// The `DecisionTaskCompleted` event of the task that decided it.
        decision_task_completed_event_id: i64,
    },
    /// `SignalExternalWorkflowExecutionInitiated`: a `SignalExternalWorkflowExecution`
    /// decision took effect; `SignalDelivered` or `SignalFailed` follows.
    SignalInitiated {
        /// The event id.
        event_id: i64,
        /// The target's workflow id.
        workflow_id: &'a str,
        /// The signal's name.
        signal_name: &'a str,
        /// The decision's `control`.
        control: Option<&'a str>,
    },
    /// `ExternalWorkflowExecutionSignaled`: an outgoing signal was delivered.
    SignalDelivered {
        /// The event id.
        event_id: i64,
        /// The target's workflow id.
        workflow_id: &'a str,
        /// The target's run id.
        run_id: &'a str,
        /// The `control` the signal was sent with.
        control: Option<&'a str>,
    },
    /// `SignalExternalWorkflowExecutionFailed` (e.g. `UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION`).
    SignalFailed {
        /// The event id.
        event_id: i64,
        /// The target's workflow id.
        workflow_id: &'a str,
        /// SWF's cause.
        cause: &'a str,
        /// The `control` the signal was sent with.
        control: Option<&'a str>,
        /// The `DecisionTaskCompleted` event of the task that decided it.
        decision_task_completed_event_id: i64,
    },
    /// `ExternalWorkflowExecutionCancelRequested`: a cancellation request reached its target.
    ExternalCancelRequested {
        /// The event id.
        event_id: i64,
        /// The target's workflow id.
        workflow_id: &'a str,
        /// The target's run id.
        run_id: &'a str,
        /// The `control` the request was sent with.
        control: Option<&'a str>,
    },
    /// `RequestCancelExternalWorkflowExecutionFailed`.
    RequestCancelExternalFailed {
        /// The event id.
        event_id: i64,
        /// The target's workflow id.
        workflow_id: &'a str,
        /// SWF's cause.
        cause: &'a str,
        /// The `control` the request was sent with.
        control: Option<&'a str>,
        /// The `DecisionTaskCompleted` event of the task that decided it.
        decision_task_completed_event_id: i64,
    },
    /// `MarkerRecorded` (not the library's own markers).
    MarkerRecorded {
        /// The event id.
        event_id: i64,
        /// The marker's name.
        marker_name: &'a str,
        /// Its details.
        details: Option<&'a str>,
    },
    /// Any other decision SWF refused with a `…Failed` event: `RecordMarker`,
    /// `RequestCancelActivityTask`, and the close decisions
    /// (`CompleteWorkflowExecution`, `FailWorkflowExecution`, `CancelWorkflowExecution`,
    /// `ContinueAsNewWorkflowExecution`, e.g. `UNHANDLED_DECISION`).
    DecisionRefused {
        /// The event id.
        event_id: i64,
        /// The decision type, e.g. `CompleteWorkflowExecution`.
        decision: &'static str,
        /// SWF's cause.
        cause: &'a str,
        /// The `DecisionTaskCompleted` event of the task that decided it.
        decision_task_completed_event_id: i64,
    },
}

/// A decision SWF refused, whichever event says so (see [`WorkflowEvent::refusal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refusal<'a> {
    /// The decision type, e.g. `StartTimer`.
    pub decision: &'static str,
    /// SWF's cause.
    pub cause: &'a str,
    /// The `DecisionTaskCompleted` event of the task that decided it.
    pub decision_task_completed_event_id: i64,
}

impl<'a> WorkflowEvent<'a> {
    /// The event's id.
    pub fn event_id(&self) -> i64 {
        use WorkflowEvent as E;
        match self {
            E::TimerStarted { event_id, .. }
            | E::TimerFired { event_id, .. }
            | E::ActivityScheduled { event_id, .. }
            | E::ChildInitiated { event_id, .. }
            | E::SignalInitiated { event_id, .. }
            | E::TimerCanceled { event_id, .. }
            | E::StartTimerFailed { event_id, .. }
            | E::CancelTimerFailed { event_id, .. }
            | E::CancelRequested { event_id, .. }
            | E::ActivityCompleted { event_id, .. }
            | E::ActivityFailed { event_id, .. }
            | E::ActivityTimedOut { event_id, .. }
            | E::ActivityCanceled { event_id, .. }
            | E::ScheduleActivityFailed { event_id, .. }
            | E::ChildStarted { event_id, .. }
            | E::ChildCompleted { event_id, .. }
            | E::ChildFailed { event_id, .. }
            | E::ChildTimedOut { event_id, .. }
            | E::ChildCanceled { event_id, .. }
            | E::ChildTerminated { event_id, .. }
            | E::StartChildFailed { event_id, .. }
            | E::SignalDelivered { event_id, .. }
            | E::SignalFailed { event_id, .. }
            | E::ExternalCancelRequested { event_id, .. }
            | E::RequestCancelExternalFailed { event_id, .. }
            | E::MarkerRecorded { event_id, .. }
            | E::DecisionRefused { event_id, .. } => *event_id,
        }
    }

    /// The refused decision, when this event is one of SWF's `…Failed` events for a
    /// decision: one arm for every refusal.
    pub fn refusal(&self) -> Option<Refusal<'a>> {
        use WorkflowEvent as E;
        let (decision, cause, id) = match *self {
            E::StartTimerFailed {
                cause,
                decision_task_completed_event_id,
                ..
            } => ("StartTimer", cause, decision_task_completed_event_id),
            E::CancelTimerFailed {
                cause,
                decision_task_completed_event_id,
                ..
            } => ("CancelTimer", cause, decision_task_completed_event_id),
            E::ScheduleActivityFailed {
                cause,
                decision_task_completed_event_id,
                ..
            } => (
                "ScheduleActivityTask",
                cause,
                decision_task_completed_event_id,
            ),
            E::StartChildFailed {
                cause,
                decision_task_completed_event_id,
                ..
            } => (
                "StartChildWorkflowExecution",
                cause,
                decision_task_completed_event_id,
            ),
            E::SignalFailed {
                cause,
                decision_task_completed_event_id,
                ..
            } => (
                "SignalExternalWorkflowExecution",
                cause,
                decision_task_completed_event_id,
            ),
            E::RequestCancelExternalFailed {
                cause,
                decision_task_completed_event_id,
                ..
            } => (
                "RequestCancelExternalWorkflowExecution",
                cause,
                decision_task_completed_event_id,
            ),
            E::DecisionRefused {
                decision,
                cause,
                decision_task_completed_event_id,
                ..
            } => (decision, cause, decision_task_completed_event_id),
            _ => return None,
        };
        Some(Refusal {
            decision,
            cause,
            decision_task_completed_event_id: id,
        })
    }
}

/// What the fold keeps of events whose outcomes come later and do not repeat them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Pending {
    /// `ActivityTaskScheduled` event id → activity id.
    activities: HashMap<i64, String>,
    /// `SignalExternalWorkflowExecutionInitiated` event id → control.
    signals: HashMap<i64, Option<String>>,
    /// `RequestCancelExternalWorkflowExecutionInitiated` event id → control.
    cancels: HashMap<i64, Option<String>>,
}

impl Pending {
    /// Notes what `event` starts (before [`event_of`] reads it).
    pub(crate) fn note(&mut self, event: &Event) {
        let id = event.event_id();
        if let Some(a) = event.activity_task_scheduled_event_attributes() {
            self.activities.insert(id, a.activity_id().to_owned());
        } else if let Some(a) =
            event.signal_external_workflow_execution_initiated_event_attributes()
        {
            self.signals.insert(id, a.control().map(ToOwned::to_owned));
        } else if let Some(a) =
            event.request_cancel_external_workflow_execution_initiated_event_attributes()
        {
            self.cancels.insert(id, a.control().map(ToOwned::to_owned));
        }
    }

    /// Forgets what `event` ends (after it was applied).
    pub(crate) fn settle(&mut self, event: &Event) {
        if let Some(scheduled) = activity_outcome(event) {
            self.activities.remove(&scheduled);
        } else if let Some(a) = event.external_workflow_execution_signaled_event_attributes() {
            self.signals.remove(&a.initiated_event_id());
        } else if let Some(a) = event.signal_external_workflow_execution_failed_event_attributes() {
            self.signals.remove(&a.initiated_event_id());
        } else if let Some(a) =
            event.external_workflow_execution_cancel_requested_event_attributes()
        {
            self.cancels.remove(&a.initiated_event_id());
        } else if let Some(a) =
            event.request_cancel_external_workflow_execution_failed_event_attributes()
        {
            self.cancels.remove(&a.initiated_event_id());
        }
    }

    fn activity(&self, scheduled: i64) -> &str {
        self.activities.get(&scheduled).map_or("", String::as_str)
    }

    fn signal_control(&self, initiated: i64) -> Option<&str> {
        self.signals.get(&initiated).and_then(Option::as_deref)
    }

    fn cancel_control(&self, initiated: i64) -> Option<&str> {
        self.cancels.get(&initiated).and_then(Option::as_deref)
    }
}

/// The `ActivityTaskScheduled` event id an activity outcome refers to.
fn activity_outcome(event: &Event) -> Option<i64> {
    use aws_sdk_swf::types as t;
    event
        .activity_task_completed_event_attributes()
        .map(t::ActivityTaskCompletedEventAttributes::scheduled_event_id)
        .or_else(|| {
            event
                .activity_task_failed_event_attributes()
                .map(t::ActivityTaskFailedEventAttributes::scheduled_event_id)
        })
        .or_else(|| {
            event
                .activity_task_timed_out_event_attributes()
                .map(t::ActivityTaskTimedOutEventAttributes::scheduled_event_id)
        })
        .or_else(|| {
            event
                .activity_task_canceled_event_attributes()
                .map(t::ActivityTaskCanceledEventAttributes::scheduled_event_id)
        })
}

/// The library's marker names begin with this; they are its bookkeeping, not the workflow's.
const LIBRARY_MARKER_PREFIX: &str = "swf-signal.";

/// `event` as a workflow sees it, `None` for events a workflow does not react to
/// (signals, which go to the handlers, decision task and scheduling bookkeeping).
pub(crate) fn event_of<'a>(event: &'a Event, pending: &'a Pending) -> Option<WorkflowEvent<'a>> {
    timers_and_cancellation(event)
        .or_else(|| activities(event, pending))
        .or_else(|| children(event))
        .or_else(|| outgoing(event, pending))
        .or_else(|| markers_and_refusals(event))
}

fn ids(e: Option<&WorkflowExecution>) -> (&str, &str) {
    e.map_or(("", ""), |e| (e.workflow_id(), e.run_id()))
}

fn timers_and_cancellation(event: &Event) -> Option<WorkflowEvent<'_>> {
    use super::event::Attributes as A;
    use WorkflowEvent as E;
    let event_id = event.event_id();
    Some(match event.attributes() {
        A::TimerStarted(a) => E::TimerStarted {
            event_id,
            timer_id: a.timer_id(),
        },
        A::TimerFired(a) => E::TimerFired {
            event_id,
            timer_id: a.timer_id(),
        },
        A::TimerCanceled(a) => E::TimerCanceled {
            event_id,
            timer_id: a.timer_id(),
        },
        A::StartTimerFailed(a) => E::StartTimerFailed {
            event_id,
            timer_id: a.timer_id(),
            cause: a.cause().as_str(),
            decision_task_completed_event_id: a.decision_task_completed_event_id(),
        },
        A::CancelTimerFailed(a) => E::CancelTimerFailed {
            event_id,
            timer_id: a.timer_id(),
            cause: a.cause().as_str(),
            decision_task_completed_event_id: a.decision_task_completed_event_id(),
        },
        A::WorkflowExecutionCancelRequested(a) => E::CancelRequested {
            event_id,
            cause: a
                .cause()
                .map(aws_sdk_swf::types::WorkflowExecutionCancelRequestedCause::as_str),
            external: a.external_workflow_execution(),
        },
        _ => return None,
    })
}

fn activities<'a>(event: &'a Event, pending: &'a Pending) -> Option<WorkflowEvent<'a>> {
    use super::event::Attributes as A;
    use WorkflowEvent as E;
    let event_id = event.event_id();
    Some(match event.attributes() {
        A::ActivityTaskScheduled(a) => E::ActivityScheduled {
            event_id,
            activity_id: a.activity_id(),
        },
        A::ActivityTaskCompleted(a) => E::ActivityCompleted {
            event_id,
            activity_id: pending.activity(a.scheduled_event_id()),
            result: a.result(),
        },
        A::ActivityTaskFailed(a) => E::ActivityFailed {
            event_id,
            activity_id: pending.activity(a.scheduled_event_id()),
            reason: a.reason(),
            details: a.details(),
        },
        A::ActivityTaskTimedOut(a) => E::ActivityTimedOut {
            event_id,
            activity_id: pending.activity(a.scheduled_event_id()),
            timeout_type: a.timeout_type().as_str(),
            details: a.details(),
        },
        A::ActivityTaskCanceled(a) => E::ActivityCanceled {
            event_id,
            activity_id: pending.activity(a.scheduled_event_id()),
            details: a.details(),
        },
        A::ScheduleActivityTaskFailed(a) => E::ScheduleActivityFailed {
            event_id,
            activity_id: a.activity_id(),
            cause: a.cause().as_str(),
            decision_task_completed_event_id: a.decision_task_completed_event_id(),
        },
        _ => return None,
    })
}

fn children(event: &Event) -> Option<WorkflowEvent<'_>> {
    use super::event::Attributes as A;
    use WorkflowEvent as E;
    let event_id = event.event_id();
    Some(match event.attributes() {
        A::StartChildWorkflowExecutionInitiated(a) => E::ChildInitiated {
            event_id,
            workflow_id: a.workflow_id(),
            control: a.control(),
        },
        A::ChildWorkflowExecutionStarted(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::ChildStarted {
                event_id,
                workflow_id,
                run_id,
            }
        }
        A::ChildWorkflowExecutionCompleted(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::ChildCompleted {
                event_id,
                workflow_id,
                run_id,
                result: a.result(),
            }
        }
        A::ChildWorkflowExecutionFailed(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::ChildFailed {
                event_id,
                workflow_id,
                run_id,
                reason: a.reason(),
                details: a.details(),
            }
        }
        A::ChildWorkflowExecutionTimedOut(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::ChildTimedOut {
                event_id,
                workflow_id,
                run_id,
            }
        }
        A::ChildWorkflowExecutionCanceled(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::ChildCanceled {
                event_id,
                workflow_id,
                run_id,
                details: a.details(),
            }
        }
        A::ChildWorkflowExecutionTerminated(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::ChildTerminated {
                event_id,
                workflow_id,
                run_id,
            }
        }
        A::StartChildWorkflowExecutionFailed(a) => E::StartChildFailed {
            event_id,
            workflow_id: a.workflow_id(),
            cause: a.cause().as_str(),
            control: a.control(),
            decision_task_completed_event_id: a.decision_task_completed_event_id(),
        },
        _ => return None,
    })
}

fn outgoing<'a>(event: &'a Event, pending: &'a Pending) -> Option<WorkflowEvent<'a>> {
    use super::event::Attributes as A;
    use WorkflowEvent as E;
    let event_id = event.event_id();
    Some(match event.attributes() {
        A::SignalExternalWorkflowExecutionInitiated(a) => E::SignalInitiated {
            event_id,
            workflow_id: a.workflow_id(),
            signal_name: a.signal_name(),
            control: a.control(),
        },
        A::ExternalWorkflowExecutionSignaled(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::SignalDelivered {
                event_id,
                workflow_id,
                run_id,
                control: pending.signal_control(a.initiated_event_id()),
            }
        }
        A::SignalExternalWorkflowExecutionFailed(a) => E::SignalFailed {
            event_id,
            workflow_id: a.workflow_id(),
            cause: a.cause().as_str(),
            control: a.control(),
            decision_task_completed_event_id: a.decision_task_completed_event_id(),
        },
        A::ExternalWorkflowExecutionCancelRequested(a) => {
            let (workflow_id, run_id) = ids(a.workflow_execution());
            E::ExternalCancelRequested {
                event_id,
                workflow_id,
                run_id,
                control: pending.cancel_control(a.initiated_event_id()),
            }
        }
        A::RequestCancelExternalWorkflowExecutionFailed(a) => E::RequestCancelExternalFailed {
            event_id,
            workflow_id: a.workflow_id(),
            cause: a.cause().as_str(),
            control: a.control(),
            decision_task_completed_event_id: a.decision_task_completed_event_id(),
        },
        _ => return None,
    })
}

fn refused<'a>(
    event_id: i64,
    decision: &'static str,
    cause: &'a str,
    completed: i64,
) -> WorkflowEvent<'a> {
    WorkflowEvent::DecisionRefused {
        event_id,
        decision,
        cause,
        decision_task_completed_event_id: completed,
    }
}

fn markers_and_refusals(event: &Event) -> Option<WorkflowEvent<'_>> {
    use super::event::Attributes as A;
    use WorkflowEvent as E;
    let event_id = event.event_id();
    Some(match event.attributes() {
        A::MarkerRecorded(a) if !a.marker_name().starts_with(LIBRARY_MARKER_PREFIX) => {
            E::MarkerRecorded {
                event_id,
                marker_name: a.marker_name(),
                details: a.details(),
            }
        }
        A::RecordMarkerFailed(a) if !a.marker_name().starts_with(LIBRARY_MARKER_PREFIX) => refused(
            event_id,
            "RecordMarker",
            a.cause().as_str(),
            a.decision_task_completed_event_id(),
        ),
        A::RequestCancelActivityTaskFailed(a) => refused(
            event_id,
            "RequestCancelActivityTask",
            a.cause().as_str(),
            a.decision_task_completed_event_id(),
        ),
        A::CompleteWorkflowExecutionFailed(a) => refused(
            event_id,
            "CompleteWorkflowExecution",
            a.cause().as_str(),
            a.decision_task_completed_event_id(),
        ),
        A::FailWorkflowExecutionFailed(a) => refused(
            event_id,
            "FailWorkflowExecution",
            a.cause().as_str(),
            a.decision_task_completed_event_id(),
        ),
        A::CancelWorkflowExecutionFailed(a) => refused(
            event_id,
            "CancelWorkflowExecution",
            a.cause().as_str(),
            a.decision_task_completed_event_id(),
        ),
        A::ContinueAsNewWorkflowExecutionFailed(a) => refused(
            event_id,
            "ContinueAsNewWorkflowExecution",
            a.cause().as_str(),
            a.decision_task_completed_event_id(),
        ),
        _ => return None,
    })
}
