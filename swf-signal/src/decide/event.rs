//! A compact history event: the SDK's `HistoryEvent` holds one inline `Option` per event
//! type (4,744 bytes whatever the kind, measured with `size_of`); an [`Event`] holds its
//! one attribute set in a box, so a history costs about the size of its data. Pages the
//! library fetches are read straight into `Event`s ([`page`](super::page)); pages a caller
//! built with the SDK are converted, their attribute sets moved, not copied.

use aws_sdk_swf::types::{EventType, HistoryEvent};
use aws_smithy_schema::serde::{SerdeError, ShapeDeserializer};
use aws_smithy_types::DateTime;

/// Declares `Attributes` with one boxed variant per event attribute type, the accessors
/// of [`Event`] under the SDK's names, and the moves between the two representations.
macro_rules! event_attributes {
    ($($variant:ident => $field:ident: $ty:ident = $member:literal,)*) => {
        /// The attribute set of one event: exactly the one its type carries.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Attributes {
            /// An event that came without attributes.
            None,
            $(
                #[doc = concat!("`", stringify!($ty), "`.")]
                $variant(Box<aws_sdk_swf::types::$ty>),
            )*
        }

        impl Event {
            $(
                #[doc = concat!("The `", stringify!($ty), "`, when this event has them.")]
                pub fn $field(&self) -> Option<&aws_sdk_swf::types::$ty> {
                    match &self.attributes {
                        Attributes::$variant(a) => Some(a),
                        _ => None,
                    }
                }
            )*
        }

        /// Moves the one attribute set out of `e` (the SDK fills exactly one; if it ever
        /// filled more, the first in declaration order is kept).
        fn take_attributes(e: &mut HistoryEvent) -> Attributes {
            $(
                if let Some(a) = e.$field.take() {
                    return Attributes::$variant(Box::new(a));
                }
            )*
            Attributes::None
        }

        /// Reads the attribute set the `HistoryEvent` member `member` (its JSON name)
        /// holds, with the SDK's own reader for that type; `Ok(None)` for a member that is
        /// not an attribute set.
        pub(crate) fn read_attributes(
            member: &str,
            d: &mut dyn ShapeDeserializer,
        ) -> Result<Option<Attributes>, SerdeError> {
            Ok(Some(match member {
                $($member => Attributes::$variant(Box::new(aws_sdk_swf::types::$ty::deserialize(d)?)),)*
                _ => return Ok(None),
            }))
        }

        /// Whether `member` (a JSON name) is a `HistoryEvent`'s attribute set.
        pub(crate) fn is_attribute_member(member: &str) -> bool {
            matches!(member, $($member)|*)
        }

        /// Every attribute-set member: its JSON name and the SDK's schema of its type.
        #[cfg(test)]
        pub(crate) const ATTRIBUTE_SCHEMAS: &[(&str, &aws_smithy_schema::Schema<'static>)] =
            &[$(($member, aws_sdk_swf::types::$ty::SCHEMA),)*];

        fn put_attributes(b: aws_sdk_swf::types::builders::HistoryEventBuilder, a: &Attributes)
            -> aws_sdk_swf::types::builders::HistoryEventBuilder {
            match a {
                Attributes::None => b,
                $(Attributes::$variant(a) => b.$field((**a).clone()),)*
            }
        }
    };
}

event_attributes! {
    WorkflowExecutionStarted => workflow_execution_started_event_attributes: WorkflowExecutionStartedEventAttributes = "workflowExecutionStartedEventAttributes",
    WorkflowExecutionCompleted => workflow_execution_completed_event_attributes: WorkflowExecutionCompletedEventAttributes = "workflowExecutionCompletedEventAttributes",
    CompleteWorkflowExecutionFailed => complete_workflow_execution_failed_event_attributes: CompleteWorkflowExecutionFailedEventAttributes = "completeWorkflowExecutionFailedEventAttributes",
    WorkflowExecutionFailed => workflow_execution_failed_event_attributes: WorkflowExecutionFailedEventAttributes = "workflowExecutionFailedEventAttributes",
    FailWorkflowExecutionFailed => fail_workflow_execution_failed_event_attributes: FailWorkflowExecutionFailedEventAttributes = "failWorkflowExecutionFailedEventAttributes",
    WorkflowExecutionTimedOut => workflow_execution_timed_out_event_attributes: WorkflowExecutionTimedOutEventAttributes = "workflowExecutionTimedOutEventAttributes",
    WorkflowExecutionCanceled => workflow_execution_canceled_event_attributes: WorkflowExecutionCanceledEventAttributes = "workflowExecutionCanceledEventAttributes",
    CancelWorkflowExecutionFailed => cancel_workflow_execution_failed_event_attributes: CancelWorkflowExecutionFailedEventAttributes = "cancelWorkflowExecutionFailedEventAttributes",
    WorkflowExecutionContinuedAsNew => workflow_execution_continued_as_new_event_attributes: WorkflowExecutionContinuedAsNewEventAttributes = "workflowExecutionContinuedAsNewEventAttributes",
    ContinueAsNewWorkflowExecutionFailed => continue_as_new_workflow_execution_failed_event_attributes: ContinueAsNewWorkflowExecutionFailedEventAttributes = "continueAsNewWorkflowExecutionFailedEventAttributes",
    WorkflowExecutionTerminated => workflow_execution_terminated_event_attributes: WorkflowExecutionTerminatedEventAttributes = "workflowExecutionTerminatedEventAttributes",
    WorkflowExecutionCancelRequested => workflow_execution_cancel_requested_event_attributes: WorkflowExecutionCancelRequestedEventAttributes = "workflowExecutionCancelRequestedEventAttributes",
    DecisionTaskScheduled => decision_task_scheduled_event_attributes: DecisionTaskScheduledEventAttributes = "decisionTaskScheduledEventAttributes",
    DecisionTaskStarted => decision_task_started_event_attributes: DecisionTaskStartedEventAttributes = "decisionTaskStartedEventAttributes",
    DecisionTaskCompleted => decision_task_completed_event_attributes: DecisionTaskCompletedEventAttributes = "decisionTaskCompletedEventAttributes",
    DecisionTaskTimedOut => decision_task_timed_out_event_attributes: DecisionTaskTimedOutEventAttributes = "decisionTaskTimedOutEventAttributes",
    ActivityTaskScheduled => activity_task_scheduled_event_attributes: ActivityTaskScheduledEventAttributes = "activityTaskScheduledEventAttributes",
    ActivityTaskStarted => activity_task_started_event_attributes: ActivityTaskStartedEventAttributes = "activityTaskStartedEventAttributes",
    ActivityTaskCompleted => activity_task_completed_event_attributes: ActivityTaskCompletedEventAttributes = "activityTaskCompletedEventAttributes",
    ActivityTaskFailed => activity_task_failed_event_attributes: ActivityTaskFailedEventAttributes = "activityTaskFailedEventAttributes",
    ActivityTaskTimedOut => activity_task_timed_out_event_attributes: ActivityTaskTimedOutEventAttributes = "activityTaskTimedOutEventAttributes",
    ActivityTaskCanceled => activity_task_canceled_event_attributes: ActivityTaskCanceledEventAttributes = "activityTaskCanceledEventAttributes",
    ActivityTaskCancelRequested => activity_task_cancel_requested_event_attributes: ActivityTaskCancelRequestedEventAttributes = "activityTaskCancelRequestedEventAttributes",
    WorkflowExecutionSignaled => workflow_execution_signaled_event_attributes: WorkflowExecutionSignaledEventAttributes = "workflowExecutionSignaledEventAttributes",
    MarkerRecorded => marker_recorded_event_attributes: MarkerRecordedEventAttributes = "markerRecordedEventAttributes",
    RecordMarkerFailed => record_marker_failed_event_attributes: RecordMarkerFailedEventAttributes = "recordMarkerFailedEventAttributes",
    TimerStarted => timer_started_event_attributes: TimerStartedEventAttributes = "timerStartedEventAttributes",
    TimerFired => timer_fired_event_attributes: TimerFiredEventAttributes = "timerFiredEventAttributes",
    TimerCanceled => timer_canceled_event_attributes: TimerCanceledEventAttributes = "timerCanceledEventAttributes",
    StartChildWorkflowExecutionInitiated => start_child_workflow_execution_initiated_event_attributes: StartChildWorkflowExecutionInitiatedEventAttributes = "startChildWorkflowExecutionInitiatedEventAttributes",
    ChildWorkflowExecutionStarted => child_workflow_execution_started_event_attributes: ChildWorkflowExecutionStartedEventAttributes = "childWorkflowExecutionStartedEventAttributes",
    ChildWorkflowExecutionCompleted => child_workflow_execution_completed_event_attributes: ChildWorkflowExecutionCompletedEventAttributes = "childWorkflowExecutionCompletedEventAttributes",
    ChildWorkflowExecutionFailed => child_workflow_execution_failed_event_attributes: ChildWorkflowExecutionFailedEventAttributes = "childWorkflowExecutionFailedEventAttributes",
    ChildWorkflowExecutionTimedOut => child_workflow_execution_timed_out_event_attributes: ChildWorkflowExecutionTimedOutEventAttributes = "childWorkflowExecutionTimedOutEventAttributes",
    ChildWorkflowExecutionCanceled => child_workflow_execution_canceled_event_attributes: ChildWorkflowExecutionCanceledEventAttributes = "childWorkflowExecutionCanceledEventAttributes",
    ChildWorkflowExecutionTerminated => child_workflow_execution_terminated_event_attributes: ChildWorkflowExecutionTerminatedEventAttributes = "childWorkflowExecutionTerminatedEventAttributes",
    SignalExternalWorkflowExecutionInitiated => signal_external_workflow_execution_initiated_event_attributes: SignalExternalWorkflowExecutionInitiatedEventAttributes = "signalExternalWorkflowExecutionInitiatedEventAttributes",
    ExternalWorkflowExecutionSignaled => external_workflow_execution_signaled_event_attributes: ExternalWorkflowExecutionSignaledEventAttributes = "externalWorkflowExecutionSignaledEventAttributes",
    SignalExternalWorkflowExecutionFailed => signal_external_workflow_execution_failed_event_attributes: SignalExternalWorkflowExecutionFailedEventAttributes = "signalExternalWorkflowExecutionFailedEventAttributes",
    ExternalWorkflowExecutionCancelRequested => external_workflow_execution_cancel_requested_event_attributes: ExternalWorkflowExecutionCancelRequestedEventAttributes = "externalWorkflowExecutionCancelRequestedEventAttributes",
    RequestCancelExternalWorkflowExecutionInitiated => request_cancel_external_workflow_execution_initiated_event_attributes: RequestCancelExternalWorkflowExecutionInitiatedEventAttributes = "requestCancelExternalWorkflowExecutionInitiatedEventAttributes",
    RequestCancelExternalWorkflowExecutionFailed => request_cancel_external_workflow_execution_failed_event_attributes: RequestCancelExternalWorkflowExecutionFailedEventAttributes = "requestCancelExternalWorkflowExecutionFailedEventAttributes",
    ScheduleActivityTaskFailed => schedule_activity_task_failed_event_attributes: ScheduleActivityTaskFailedEventAttributes = "scheduleActivityTaskFailedEventAttributes",
    RequestCancelActivityTaskFailed => request_cancel_activity_task_failed_event_attributes: RequestCancelActivityTaskFailedEventAttributes = "requestCancelActivityTaskFailedEventAttributes",
    StartTimerFailed => start_timer_failed_event_attributes: StartTimerFailedEventAttributes = "startTimerFailedEventAttributes",
    CancelTimerFailed => cancel_timer_failed_event_attributes: CancelTimerFailedEventAttributes = "cancelTimerFailedEventAttributes",
    StartChildWorkflowExecutionFailed => start_child_workflow_execution_failed_event_attributes: StartChildWorkflowExecutionFailedEventAttributes = "startChildWorkflowExecutionFailedEventAttributes",
    LambdaFunctionScheduled => lambda_function_scheduled_event_attributes: LambdaFunctionScheduledEventAttributes = "lambdaFunctionScheduledEventAttributes",
    LambdaFunctionStarted => lambda_function_started_event_attributes: LambdaFunctionStartedEventAttributes = "lambdaFunctionStartedEventAttributes",
    LambdaFunctionCompleted => lambda_function_completed_event_attributes: LambdaFunctionCompletedEventAttributes = "lambdaFunctionCompletedEventAttributes",
    LambdaFunctionFailed => lambda_function_failed_event_attributes: LambdaFunctionFailedEventAttributes = "lambdaFunctionFailedEventAttributes",
    LambdaFunctionTimedOut => lambda_function_timed_out_event_attributes: LambdaFunctionTimedOutEventAttributes = "lambdaFunctionTimedOutEventAttributes",
    ScheduleLambdaFunctionFailed => schedule_lambda_function_failed_event_attributes: ScheduleLambdaFunctionFailedEventAttributes = "scheduleLambdaFunctionFailedEventAttributes",
    StartLambdaFunctionFailed => start_lambda_function_failed_event_attributes: StartLambdaFunctionFailedEventAttributes = "startLambdaFunctionFailedEventAttributes",
}

/// One event of a workflow execution's history, as compact as its data: id, timestamp,
/// type and its one attribute set. The accessors are the SDK's
/// (`event_id()`, `workflow_execution_signaled_event_attributes()`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    id: i64,
    timestamp: DateTime,
    kind: EventType,
    attributes: Attributes,
}

impl Event {
    /// The event id (1 for `WorkflowExecutionStarted`, then one more per event).
    pub fn event_id(&self) -> i64 {
        self.id
    }

    /// When SWF recorded it.
    pub fn event_timestamp(&self) -> &DateTime {
        &self.timestamp
    }

    /// Its type.
    pub fn event_type(&self) -> &EventType {
        &self.kind
    }

    /// Its attribute set.
    pub fn attributes(&self) -> &Attributes {
        &self.attributes
    }

    /// The SDK's representation (a copy), for code that needs `HistoryEvent`.
    pub fn to_sdk(&self) -> HistoryEvent {
        let b = HistoryEvent::builder()
            .event_id(self.id)
            .event_timestamp(self.timestamp)
            .event_type(self.kind.clone());
        // `build` only fails without id, timestamp or type, all set above.
        put_attributes(b, &self.attributes)
            .build()
            .unwrap_or_else(|_| unreachable!("id, timestamp and type are set"))
    }
}

impl Event {
    /// Moves the attribute set out of `e`, leaving the rest of it in place. Pages are
    /// converted through `&mut` and not by value: a `HistoryEvent` is 4,744 bytes, and
    /// moving each one out of the page's `Vec` into a by-value conversion was a memcpy per
    /// event — 14 % of a whole-history replay's CPU (perf, `benches/examples/profile_replay.rs`).
    pub(crate) fn take_from(e: &mut HistoryEvent) -> Self {
        Event {
            id: e.event_id,
            timestamp: e.event_timestamp,
            kind: e.event_type.clone(),
            attributes: take_attributes(e),
        }
    }
}

impl Event {
    /// An event from its parts, as a page reader found them.
    pub(crate) fn new(
        id: i64,
        timestamp: DateTime,
        kind: EventType,
        attributes: Attributes,
    ) -> Self {
        Event {
            id,
            timestamp,
            kind,
            attributes,
        }
    }
}

impl From<HistoryEvent> for Event {
    /// Moves the attributes; nothing is copied.
    fn from(mut e: HistoryEvent) -> Self {
        Event::take_from(&mut e)
    }
}

impl From<&Event> for HistoryEvent {
    fn from(e: &Event) -> Self {
        e.to_sdk()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_a_small_fraction_of_the_sdk_value() {
        assert!(
            std::mem::size_of::<Event>() <= 80,
            "{}",
            std::mem::size_of::<Event>()
        );
        assert!(std::mem::size_of::<HistoryEvent>() > 4_000);
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let sdk = HistoryEvent::builder()
            .event_id(7)
            .event_timestamp(DateTime::from_secs(1_700_000_000))
            .event_type(EventType::WorkflowExecutionSignaled)
            .workflow_execution_signaled_event_attributes(
                aws_sdk_swf::types::WorkflowExecutionSignaledEventAttributes::builder()
                    .signal_name("approve")
                    .input("{}")
                    .build()
                    .unwrap_or_else(|_| unreachable!()),
            )
            .build()
            .unwrap_or_else(|_| unreachable!());
        let event = Event::from(sdk.clone());
        assert_eq!(event.event_id(), 7);
        assert_eq!(
            event
                .workflow_execution_signaled_event_attributes()
                .map(aws_sdk_swf::types::WorkflowExecutionSignaledEventAttributes::signal_name),
            Some("approve")
        );
        assert!(event
            .workflow_execution_started_event_attributes()
            .is_none());
        assert_eq!(event.to_sdk(), sdk);
    }
}
