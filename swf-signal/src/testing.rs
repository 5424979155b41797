//! Decision tasks built in memory, so a decider's handlers can be unit tested with no
//! network.
//!
//! ```
//! use swf_signal::testing::TaskBuilder;
//! use swf_signal::Signal;
//!
//! #[derive(Debug, PartialEq, Signal)]
//! enum OrderSignal { Approve { approver: String }, Ping }
//!
//! let mut history = TaskBuilder::new("order-42");
//! history.signal(&OrderSignal::Ping);
//! history.decision_task_completed();            // the decider saw the ping
//! history.signal(&OrderSignal::Approve { approver: "ana".into() });
//! history.raw_signal("Approve", Some("{oops"));
//! let task = history.build();
//!
//! let new: Vec<_> = task.new_signals::<OrderSignal>().collect();
//! assert_eq!(new.len(), 2);
//! assert_eq!(new[0].as_ref().unwrap().signal, OrderSignal::Approve { approver: "ana".into() });
//! assert_eq!(new[1].as_ref().unwrap_err().name(), "Approve");
//! assert_eq!(task.signals::<OrderSignal>().count(), 3);
//! ```

use aws_sdk_swf::operation::poll_for_decision_task::PollForDecisionTaskOutput;
use aws_sdk_swf::types::{
    DecisionTaskCompletedEventAttributes, DecisionTaskScheduledEventAttributes,
    DecisionTaskStartedEventAttributes, DecisionTaskTimedOutEventAttributes, EventType,
    ExternalWorkflowExecutionSignaledEventAttributes, HistoryEvent,
    SignalExternalWorkflowExecutionFailedCause,
    SignalExternalWorkflowExecutionFailedEventAttributes,
    SignalExternalWorkflowExecutionInitiatedEventAttributes, TaskList, WorkflowExecution,
    WorkflowExecutionSignaledEventAttributes, WorkflowExecutionStartedEventAttributes,
    WorkflowType,
};
use aws_smithy_types::DateTime;

use crate::decide::event::Event;
use crate::decide::task::DecisionTask;
use crate::signal::Signal;

/// Builds the history of one workflow execution event by event, then a [`DecisionTask`]
/// over it, or the SDK pages a poll would return.
///
/// Event ids count up from 1 (the `WorkflowExecutionStarted` event). A decision task
/// the decider completed is marked with [`decision_task_completed`]; the built task's
/// `previous_started_event_id` is the started event of the last completed one, as SWF
/// computes it.
///
/// [`decision_task_completed`]: TaskBuilder::decision_task_completed
#[derive(Debug, Clone)]
pub struct TaskBuilder {
    execution: WorkflowExecution,
    workflow_type: WorkflowType,
    events: Vec<HistoryEvent>,
    started: Option<i64>,
    previous_started: i64,
    clock: i64,
    input: Option<String>,
    task_start_to_close_timeout: Option<String>,
}

// The SDK's builders only fail when a required field is missing; every call here sets
// them, so a failure is a bug in this module, not something a caller can cause.
macro_rules! built {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(err) => unreachable!("swf_signal::testing: {err}"),
        }
    };
}

impl TaskBuilder {
    /// A history with one `WorkflowExecutionStarted` event for `workflow_id` (run id
    /// `"run-1"`, workflow type `order`/`1`).
    pub fn new(workflow_id: &str) -> Self {
        let execution = built!(WorkflowExecution::builder()
            .workflow_id(workflow_id)
            .run_id("run-1")
            .build());
        let workflow_type = built!(WorkflowType::builder().name("order").version("1").build());
        let mut b = TaskBuilder {
            execution,
            workflow_type: workflow_type.clone(),
            events: Vec::new(),
            started: None,
            previous_started: 0,
            clock: 1_700_000_000,
            input: None,
            task_start_to_close_timeout: None,
        };
        let attrs = b.started_attributes();
        b.event(EventType::WorkflowExecutionStarted, |e| {
            e.workflow_execution_started_event_attributes(attrs)
        });
        b
    }

    fn started_attributes(&self) -> WorkflowExecutionStartedEventAttributes {
        built!(WorkflowExecutionStartedEventAttributes::builder()
            .child_policy(aws_sdk_swf::types::ChildPolicy::Terminate)
            .task_list(built!(TaskList::builder().name("deciders").build()))
            .workflow_type(self.workflow_type.clone())
            .set_input(self.input.clone())
            .set_task_start_to_close_timeout(self.task_start_to_close_timeout.clone())
            .build())
    }

    /// Rewrites the `WorkflowExecutionStarted` event with the current settings.
    fn restart(&mut self) {
        let attrs = self.started_attributes();
        if let Some(first) = self.events.first_mut() {
            *first = built!(HistoryEvent::builder()
                .event_id(first.event_id())
                .event_type(EventType::WorkflowExecutionStarted)
                .event_timestamp(*first.event_timestamp())
                .workflow_execution_started_event_attributes(attrs)
                .build());
        }
    }

    /// The execution's input, in its `WorkflowExecutionStarted` event.
    #[must_use]
    pub fn input(mut self, input: &str) -> Self {
        self.input = Some(input.to_owned());
        self.restart();
        self
    }

    /// The execution's workflow type (default `order`/`1`). A
    /// [`WorkflowDecider<W>`](crate::WorkflowDecider) decides only tasks of `W::NAME` and
    /// `W::VERSION`: see [`for_workflow`](Self::for_workflow).
    #[must_use]
    pub fn workflow_type(mut self, name: &str, version: &str) -> Self {
        self.workflow_type = built!(WorkflowType::builder().name(name).version(version).build());
        self.restart();
        self
    }

    /// [`new`](Self::new) with `W`'s workflow type.
    pub fn for_workflow<W: crate::decide::workflow::Workflow>(workflow_id: &str) -> Self {
        Self::new(workflow_id).workflow_type(W::NAME, W::VERSION)
    }

    /// The execution's decision task start-to-close timeout (`"NONE"`: never).
    #[must_use]
    pub fn task_start_to_close_timeout(mut self, timeout: &str) -> Self {
        self.task_start_to_close_timeout = Some(timeout.to_owned());
        self.restart();
        self
    }

    /// The execution (workflow id and run id) of the history.
    pub fn execution(&self) -> &WorkflowExecution {
        &self.execution
    }

    /// Appends a `WorkflowExecutionSignaled` event carrying `signal`'s wire form; returns
    /// its event id. A unit variant arrives without input, as SWF records an empty one.
    pub fn signal<S: Signal>(&mut self, signal: &S) -> i64 {
        let input = signal.encode_input().ok().flatten();
        let name = signal.wire_name().to_owned();
        self.raw_signal(&name, input.as_deref())
    }

    /// Appends a `WorkflowExecutionSignaled` event with any name and input.
    pub fn raw_signal(&mut self, name: &str, input: Option<&str>) -> i64 {
        let attrs = built!(WorkflowExecutionSignaledEventAttributes::builder()
            .signal_name(name)
            .set_input(input.map(ToOwned::to_owned))
            .build());
        self.event(EventType::WorkflowExecutionSignaled, |e| {
            e.workflow_execution_signaled_event_attributes(attrs)
        })
    }

    /// Appends a signal sent by another workflow (`from`, whose initiated event id was
    /// `initiated_event_id`).
    pub fn external_signal<S: Signal>(
        &mut self,
        signal: &S,
        from: &WorkflowExecution,
        initiated_event_id: i64,
    ) -> i64 {
        let attrs = built!(WorkflowExecutionSignaledEventAttributes::builder()
            .signal_name(signal.wire_name())
            .set_input(signal.encode_input().ok().flatten())
            .external_workflow_execution(from.clone())
            .external_initiated_event_id(initiated_event_id)
            .build());
        self.event(EventType::WorkflowExecutionSignaled, |e| {
            e.workflow_execution_signaled_event_attributes(attrs)
        })
    }

    /// Appends `DecisionTaskScheduled` and `DecisionTaskStarted`; returns the started id.
    pub fn decision_task_started(&mut self) -> i64 {
        let list = built!(TaskList::builder().name("deciders").build());
        let scheduled = self.event(EventType::DecisionTaskScheduled, |e| {
            e.decision_task_scheduled_event_attributes(
                DecisionTaskScheduledEventAttributes::builder()
                    .task_list(list)
                    .build(),
            )
        });
        let started = self.event(EventType::DecisionTaskStarted, |e| {
            e.decision_task_started_event_attributes(
                DecisionTaskStartedEventAttributes::builder()
                    .scheduled_event_id(scheduled)
                    .build(),
            )
        });
        self.started = Some(started);
        started
    }

    /// Appends a decision task the decider processed: scheduled, started (unless one is
    /// already started and not completed) and completed. Signals before it are no
    /// longer new.
    pub fn decision_task_completed(&mut self) -> i64 {
        let started = match self.started {
            Some(s) => s,
            None => self.decision_task_started(),
        };
        let scheduled = started - 1;
        let completed = self.event(EventType::DecisionTaskCompleted, |e| {
            e.decision_task_completed_event_attributes(
                DecisionTaskCompletedEventAttributes::builder()
                    .scheduled_event_id(scheduled)
                    .started_event_id(started)
                    .build(),
            )
        });
        self.previous_started = started;
        self.started = None;
        completed
    }

    /// Appends a decision task that started and timed out without a response (scheduled,
    /// started unless one is in progress, timed out); returns its started event id. Its
    /// signals stay new.
    pub fn decision_task_timed_out(&mut self) -> i64 {
        let started = match self.started {
            Some(s) => s,
            None => self.decision_task_started(),
        };
        let attrs = built!(DecisionTaskTimedOutEventAttributes::builder()
            .timeout_type(aws_sdk_swf::types::DecisionTaskTimeoutType::StartToClose)
            .scheduled_event_id(started - 1)
            .started_event_id(started)
            .build());
        self.event(EventType::DecisionTaskTimedOut, |e| {
            e.decision_task_timed_out_event_attributes(attrs)
        });
        self.started = None;
        started
    }

    /// The last `DecisionTaskCompleted` event's id (0 before any): what the events a
    /// response's decisions record point back to.
    fn last_completed(&self) -> i64 {
        self.events
            .iter()
            .rev()
            .find(|e| e.decision_task_completed_event_attributes().is_some())
            .map_or(0, HistoryEvent::event_id)
    }

    /// Appends `CompleteWorkflowExecutionFailed` with cause `UNHANDLED_DECISION`, as SWF
    /// records when a completion was decided while an unseen event arrived; returns its id.
    pub fn complete_failed_unhandled(&mut self) -> i64 {
        let completed = self.last_completed();
        let attrs = built!(
            aws_sdk_swf::types::CompleteWorkflowExecutionFailedEventAttributes::builder()
                .cause(aws_sdk_swf::types::CompleteWorkflowExecutionFailedCause::UnhandledDecision)
                .decision_task_completed_event_id(completed)
                .build()
        );
        self.event(EventType::CompleteWorkflowExecutionFailed, |e| {
            e.complete_workflow_execution_failed_event_attributes(attrs)
        })
    }

    /// Appends `MarkerRecorded` for a `RecordMarker` decision of the last completed
    /// decision task; returns its id.
    pub fn marker_recorded(&mut self, name: &str, details: Option<&str>) -> i64 {
        let completed = self.last_completed();
        let attrs = built!(aws_sdk_swf::types::MarkerRecordedEventAttributes::builder()
            .marker_name(name)
            .set_details(details.map(ToOwned::to_owned))
            .decision_task_completed_event_id(completed)
            .build());
        self.event(EventType::MarkerRecorded, |e| {
            e.marker_recorded_event_attributes(attrs)
        })
    }

    /// Appends `FailWorkflowExecutionFailed` with cause `UNHANDLED_DECISION`, as SWF
    /// records when a fail decision was made while an unseen event arrived; returns its id.
    pub fn fail_failed_unhandled(&mut self) -> i64 {
        let completed = self.last_completed();
        let attrs = built!(
            aws_sdk_swf::types::FailWorkflowExecutionFailedEventAttributes::builder()
                .cause(aws_sdk_swf::types::FailWorkflowExecutionFailedCause::UnhandledDecision)
                .decision_task_completed_event_id(completed)
                .build()
        );
        self.event(EventType::FailWorkflowExecutionFailed, |e| {
            e.fail_workflow_execution_failed_event_attributes(attrs)
        })
    }

    /// Overrides the `previousStartedEventId` the built task reports (by default the
    /// started event of the last completed decision task), for example to mimic an
    /// endpoint that reports a timed-out task there.
    pub fn set_previous_started_event_id(&mut self, id: i64) -> &mut Self {
        self.previous_started = id;
        self
    }

    /// Appends a `SignalExternalWorkflowExecutionInitiated` event, as after a decider's
    /// signal-external decision; returns its id.
    pub fn signal_external_initiated<S: Signal>(
        &mut self,
        workflow_id: &str,
        run_id: Option<&str>,
        signal: &S,
        control: Option<&str>,
    ) -> i64 {
        let completed = self.events.last().map_or(0, HistoryEvent::event_id);
        let attrs = built!(
            SignalExternalWorkflowExecutionInitiatedEventAttributes::builder()
                .workflow_id(workflow_id)
                .set_run_id(run_id.map(ToOwned::to_owned))
                .signal_name(signal.wire_name())
                .set_input(signal.encode_input().ok().flatten())
                .set_control(control.map(ToOwned::to_owned))
                .decision_task_completed_event_id(completed)
                .build()
        );
        self.event(EventType::SignalExternalWorkflowExecutionInitiated, |e| {
            e.signal_external_workflow_execution_initiated_event_attributes(attrs)
        })
    }

    /// Appends `ExternalWorkflowExecutionSignaled` for an initiated signal.
    pub fn external_signaled(
        &mut self,
        initiated_event_id: i64,
        target: &WorkflowExecution,
    ) -> i64 {
        let attrs = ExternalWorkflowExecutionSignaledEventAttributes::builder()
            .workflow_execution(target.clone())
            .initiated_event_id(initiated_event_id)
            .build();
        self.event(EventType::ExternalWorkflowExecutionSignaled, |e| {
            e.external_workflow_execution_signaled_event_attributes(attrs)
        })
    }

    /// Appends `SignalExternalWorkflowExecutionFailed` for an initiated signal.
    pub fn signal_external_failed(
        &mut self,
        initiated_event_id: i64,
        workflow_id: &str,
        cause: SignalExternalWorkflowExecutionFailedCause,
    ) -> i64 {
        let completed = self.events.last().map_or(0, HistoryEvent::event_id);
        let attrs = built!(
            SignalExternalWorkflowExecutionFailedEventAttributes::builder()
                .workflow_id(workflow_id)
                .cause(cause)
                .initiated_event_id(initiated_event_id)
                .decision_task_completed_event_id(completed)
                .build()
        );
        self.event(EventType::SignalExternalWorkflowExecutionFailed, |e| {
            e.signal_external_workflow_execution_failed_event_attributes(attrs)
        })
    }

    /// Appends `TimerStarted` for `timer_id` (decided by the last completed task);
    /// returns its id.
    pub fn timer_started(&mut self, timer_id: &str, seconds: u64) -> i64 {
        let completed = self.last_completed();
        let attrs = built!(aws_sdk_swf::types::TimerStartedEventAttributes::builder()
            .timer_id(timer_id)
            .start_to_fire_timeout(seconds.to_string())
            .decision_task_completed_event_id(completed)
            .build());
        self.event(EventType::TimerStarted, |e| {
            e.timer_started_event_attributes(attrs)
        })
    }

    /// Appends `TimerFired` for `timer_id`, started by event `started_event_id`.
    pub fn timer_fired(&mut self, timer_id: &str, started_event_id: i64) -> i64 {
        let attrs = built!(aws_sdk_swf::types::TimerFiredEventAttributes::builder()
            .timer_id(timer_id)
            .started_event_id(started_event_id)
            .build());
        self.event(EventType::TimerFired, |e| {
            e.timer_fired_event_attributes(attrs)
        })
    }

    /// Appends `TimerCanceled` for `timer_id` (a `CancelTimer` of the last completed task).
    pub fn timer_canceled(&mut self, timer_id: &str, started_event_id: i64) -> i64 {
        let completed = self.last_completed();
        let attrs = built!(aws_sdk_swf::types::TimerCanceledEventAttributes::builder()
            .timer_id(timer_id)
            .started_event_id(started_event_id)
            .decision_task_completed_event_id(completed)
            .build());
        self.event(EventType::TimerCanceled, |e| {
            e.timer_canceled_event_attributes(attrs)
        })
    }

    /// Appends `WorkflowExecutionCancelRequested` (a `RequestCancelWorkflowExecution` call).
    pub fn cancel_requested(&mut self) -> i64 {
        let attrs =
            aws_sdk_swf::types::WorkflowExecutionCancelRequestedEventAttributes::builder().build();
        self.event(EventType::WorkflowExecutionCancelRequested, |e| {
            e.workflow_execution_cancel_requested_event_attributes(attrs)
        })
    }

    /// Appends `ActivityTaskScheduled` for activity `activity_id` of type `name`/`version`;
    /// returns its id (the outcome events refer to it).
    pub fn activity_scheduled(&mut self, activity_id: &str, name: &str, version: &str) -> i64 {
        let completed = self.last_completed();
        let kind = built!(aws_sdk_swf::types::ActivityType::builder()
            .name(name)
            .version(version)
            .build());
        let attrs = built!(
            aws_sdk_swf::types::ActivityTaskScheduledEventAttributes::builder()
                .activity_type(kind)
                .activity_id(activity_id)
                .decision_task_completed_event_id(completed)
                .build()
        );
        self.event(EventType::ActivityTaskScheduled, |e| {
            e.activity_task_scheduled_event_attributes(attrs)
        })
    }

    /// Appends `ActivityTaskCompleted` for the activity scheduled by `scheduled_event_id`.
    pub fn activity_completed(&mut self, scheduled_event_id: i64, result: Option<&str>) -> i64 {
        let attrs = aws_sdk_swf::types::ActivityTaskCompletedEventAttributes::builder()
            .set_result(result.map(ToOwned::to_owned))
            .scheduled_event_id(scheduled_event_id)
            .started_event_id(scheduled_event_id + 1)
            .build();
        self.event(EventType::ActivityTaskCompleted, |e| {
            e.activity_task_completed_event_attributes(attrs)
        })
    }

    /// Appends `ActivityTaskFailed` for the activity scheduled by `scheduled_event_id`.
    pub fn activity_failed(&mut self, scheduled_event_id: i64, reason: Option<&str>) -> i64 {
        let attrs = aws_sdk_swf::types::ActivityTaskFailedEventAttributes::builder()
            .set_reason(reason.map(ToOwned::to_owned))
            .scheduled_event_id(scheduled_event_id)
            .started_event_id(scheduled_event_id + 1)
            .build();
        self.event(EventType::ActivityTaskFailed, |e| {
            e.activity_task_failed_event_attributes(attrs)
        })
    }

    /// Appends `ChildWorkflowExecutionStarted` for child `workflow_id`/`run_id` of type
    /// `name`/`version`.
    pub fn child_started(
        &mut self,
        workflow_id: &str,
        run_id: &str,
        name: &str,
        version: &str,
    ) -> i64 {
        let attrs = aws_sdk_swf::types::ChildWorkflowExecutionStartedEventAttributes::builder()
            .workflow_execution(built!(WorkflowExecution::builder()
                .workflow_id(workflow_id)
                .run_id(run_id)
                .build()))
            .workflow_type(built!(aws_sdk_swf::types::WorkflowType::builder()
                .name(name)
                .version(version)
                .build()))
            .build();
        self.event(EventType::ChildWorkflowExecutionStarted, |e| {
            e.child_workflow_execution_started_event_attributes(attrs)
        })
    }

    /// Appends `ChildWorkflowExecutionCompleted` for child `workflow_id`/`run_id`.
    pub fn child_completed(
        &mut self,
        workflow_id: &str,
        run_id: &str,
        name: &str,
        version: &str,
        result: Option<&str>,
    ) -> i64 {
        let attrs = aws_sdk_swf::types::ChildWorkflowExecutionCompletedEventAttributes::builder()
            .workflow_execution(built!(WorkflowExecution::builder()
                .workflow_id(workflow_id)
                .run_id(run_id)
                .build()))
            .workflow_type(built!(aws_sdk_swf::types::WorkflowType::builder()
                .name(name)
                .version(version)
                .build()))
            .set_result(result.map(ToOwned::to_owned))
            .build();
        self.event(EventType::ChildWorkflowExecutionCompleted, |e| {
            e.child_workflow_execution_completed_event_attributes(attrs)
        })
    }

    /// The decision task over the history so far. A decision task is started at the end
    /// first if none is in progress.
    pub fn build(&mut self) -> DecisionTask {
        let started = match self.started {
            Some(s) => s,
            None => self.decision_task_started(),
        };
        DecisionTask::from_parts(
            format!("token-{}-{started}", self.execution.workflow_id()),
            self.execution.clone(),
            Some(self.workflow_type.clone()),
            self.previous_started,
            started,
            self.events.iter().cloned().map(Event::from).collect(),
        )
    }

    /// The task [`build`](TaskBuilder::build) gives, as a poll with
    /// `startAtPreviousStartedEvent` returns it: the history from the previous processed
    /// task's `DecisionTaskStarted` event on (whole for an execution's first task).
    pub fn build_partial(&mut self) -> DecisionTask {
        let whole = self.build();
        let from = whole.previous_started_event_id();
        let events: Vec<Event> = whole
            .events()
            .iter()
            .filter(|e| from == 0 || e.event_id() >= from)
            .cloned()
            .collect();
        DecisionTask::from_parts(
            whole.task_token().to_owned(),
            whole.workflow_execution().clone(),
            whole.workflow_type().cloned(),
            whole.previous_started_event_id(),
            whole.started_event_id(),
            events,
        )
    }

    /// The pages a poll would return for [`build`](TaskBuilder::build)'s task, the
    /// history split into `count` pages (at least 1) linked by `nextPageToken`.
    pub fn pages(&mut self, count: usize) -> Vec<PollForDecisionTaskOutput> {
        let task = self.build();
        let count = count.max(1);
        let per_page = task.events().len().div_ceil(count).max(1);
        let events: Vec<HistoryEvent> = task.events().iter().map(Event::to_sdk).collect();
        let chunks: Vec<&[HistoryEvent]> = events.chunks(per_page).collect();
        let last = chunks.len().saturating_sub(1);
        chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                built!(PollForDecisionTaskOutput::builder()
                    .task_token(task.task_token())
                    .started_event_id(task.started_event_id())
                    .previous_started_event_id(task.previous_started_event_id())
                    .workflow_execution(task.workflow_execution().clone())
                    .set_workflow_type(task.workflow_type().cloned())
                    .set_events(Some(chunk.to_vec()))
                    .set_next_page_token((i < last).then(|| format!("page-{}", i + 1)))
                    .build())
            })
            .collect()
    }

    /// Appends any event the SDK can build; its id and timestamp are set here.
    pub fn event(
        &mut self,
        event_type: EventType,
        fill: impl FnOnce(
            aws_sdk_swf::types::builders::HistoryEventBuilder,
        ) -> aws_sdk_swf::types::builders::HistoryEventBuilder,
    ) -> i64 {
        let id = self.events.last().map_or(1, |e| e.event_id() + 1);
        self.clock += 1;
        let builder = HistoryEvent::builder()
            .event_id(id)
            .event_type(event_type)
            .event_timestamp(DateTime::from_secs(self.clock));
        self.events.push(built!(fill(builder).build()));
        id
    }
}
