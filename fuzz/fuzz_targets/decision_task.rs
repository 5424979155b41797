//! Building a `DecisionTask` from arbitrary pages of arbitrary event sequences, then
//! everything a decider does with it: it never panics, new events are a suffix of the
//! history, and every bad-signal detail fits SWF's limit.
#![no_main]

use arbitrary::Arbitrary;
use aws_sdk_swf::operation::poll_for_decision_task::PollForDecisionTaskOutput;
use aws_sdk_swf::types::{
    DecisionTaskCompletedEventAttributes, DecisionTaskStartedEventAttributes,
    DecisionTaskTimedOutEventAttributes, DecisionTaskTimeoutType, EventType,
    ExternalWorkflowExecutionSignaledEventAttributes, HistoryEvent,
    SignalExternalWorkflowExecutionFailedCause,
    SignalExternalWorkflowExecutionFailedEventAttributes,
    SignalExternalWorkflowExecutionInitiatedEventAttributes, WorkflowExecution,
    WorkflowExecutionSignaledEventAttributes,
};
use aws_smithy_types::DateTime;
use libfuzzer_sys::fuzz_target;
use swf_signal::{BadSignalPolicy, DecisionTask, Decisions, Flow, Signal};

#[derive(Debug, Signal)]
enum Counter {
    Add(u32),
    Reset,
    Note { text: String },
}

struct Sink;

impl CounterHandler for Sink {
    type Output = ();
    fn add(&mut self, _value: u32) {}
    fn reset(&mut self) {}
    fn note(&mut self, _text: String) {}
}

#[derive(Debug, Arbitrary)]
enum Ev {
    Signal {
        name: String,
        input: Option<String>,
        external: Option<i64>,
    },
    Started,
    Completed {
        started: i64,
    },
    TimedOut {
        started: i64,
    },
    Initiated {
        workflow_id: String,
        control: Option<String>,
    },
    Delivered {
        initiated: i64,
    },
    Failed {
        initiated: i64,
    },
}

#[derive(Debug, Arbitrary)]
struct Input {
    events: Vec<(u8, Ev)>,
    previous_started: i64,
    started: i64,
    page_size: u8,
    policy: u8,
}

fn event(id: i64, ev: &Ev) -> Option<HistoryEvent> {
    let b = HistoryEvent::builder()
        .event_id(id)
        .event_timestamp(DateTime::from_secs(id));
    let execution = WorkflowExecution::builder()
        .workflow_id("w")
        .run_id("r")
        .build()
        .ok()?;
    let b = match ev {
        Ev::Signal { name, input, external } => {
            let mut a = WorkflowExecutionSignaledEventAttributes::builder().signal_name(name).set_input(input.clone());
            if let Some(i) = external {
                a = a.external_workflow_execution(execution).external_initiated_event_id(*i);
            }
            b.event_type(EventType::WorkflowExecutionSignaled).workflow_execution_signaled_event_attributes(a.build().ok()?)
        }
        Ev::Started => b.event_type(EventType::DecisionTaskStarted).decision_task_started_event_attributes(
            DecisionTaskStartedEventAttributes::builder().scheduled_event_id(id - 1).build(),
        ),
        Ev::Completed { started } => b.event_type(EventType::DecisionTaskCompleted).decision_task_completed_event_attributes(
            DecisionTaskCompletedEventAttributes::builder().scheduled_event_id(started - 1).started_event_id(*started).build(),
        ),
        Ev::TimedOut { started } => b.event_type(EventType::DecisionTaskTimedOut).decision_task_timed_out_event_attributes(
            DecisionTaskTimedOutEventAttributes::builder()
                .timeout_type(DecisionTaskTimeoutType::StartToClose)
                .scheduled_event_id(started - 1)
                .started_event_id(*started)
                .build()
                .ok()?,
        ),
        Ev::Initiated { workflow_id, control } => b
            .event_type(EventType::SignalExternalWorkflowExecutionInitiated)
            .signal_external_workflow_execution_initiated_event_attributes(
                SignalExternalWorkflowExecutionInitiatedEventAttributes::builder()
                    .workflow_id(workflow_id)
                    .signal_name("s")
                    .set_control(control.clone())
                    .decision_task_completed_event_id(0)
                    .build()
                    .ok()?,
            ),
        Ev::Delivered { initiated } => b
            .event_type(EventType::ExternalWorkflowExecutionSignaled)
            .external_workflow_execution_signaled_event_attributes(
                ExternalWorkflowExecutionSignaledEventAttributes::builder()
                    .workflow_execution(execution)
                    .initiated_event_id(*initiated)
                    .build(),
            ),
        Ev::Failed { initiated } => b
            .event_type(EventType::SignalExternalWorkflowExecutionFailed)
            .signal_external_workflow_execution_failed_event_attributes(
                SignalExternalWorkflowExecutionFailedEventAttributes::builder()
                    .workflow_id("x")
                    .cause(SignalExternalWorkflowExecutionFailedCause::UnknownExternalWorkflowExecution)
                    .initiated_event_id(*initiated)
                    .decision_task_completed_event_id(0)
                    .build()
                    .ok()?,
            ),
    };
    b.build().ok()
}

fuzz_target!(|input: Input| {
    // Ids mostly increase, but gaps, repeats and reversals are fuzzed too.
    let mut id = 0i64;
    let mut events = Vec::new();
    for (step, ev) in &input.events {
        id = id.saturating_add(i64::from(*step) - 8);
        if let Some(e) = event(id, ev) {
            events.push(e);
        }
    }
    let execution = WorkflowExecution::builder()
        .workflow_id("w")
        .run_id("r")
        .build()
        .ok();
    let size = usize::from(input.page_size).max(1);
    let pages: Vec<PollForDecisionTaskOutput> = events
        .chunks(size)
        .filter_map(|chunk| {
            PollForDecisionTaskOutput::builder()
                .task_token("t")
                .started_event_id(input.started)
                .previous_started_event_id(input.previous_started)
                .set_workflow_execution(execution.clone())
                .set_events(Some(chunk.to_vec()))
                .build()
                .ok()
        })
        .collect();
    let Ok(task) = DecisionTask::from_pages(pages) else {
        return;
    };
    let all = task.events();
    assert!(
        all.windows(2).all(|w| w[0].event_id() < w[1].event_id()),
        "merged history is ordered"
    );
    let new = task.new_events();
    assert!(all.ends_with(new), "new events are a suffix of the history");
    let _ = task.processed_started_event_id();
    let _ = task.signals::<Counter>().count();
    let _ = task.outgoing_signals();
    let policy = match input.policy % 4 {
        0 => BadSignalPolicy::RecordMarker,
        1 => BadSignalPolicy::FailWorkflow,
        2 => BadSignalPolicy::LeaveUncompleted,
        _ => BadSignalPolicy::callback(|_, _| Flow::Continue),
    };
    let mut decisions = Decisions::new();
    let _ = task.dispatch_new_signals::<Counter, _>(&mut Sink, &policy, &mut decisions);
    for d in decisions.as_slice() {
        let details = d
            .record_marker_decision_attributes()
            .and_then(|a| a.details())
            .or_else(|| {
                d.fail_workflow_execution_decision_attributes()
                    .and_then(|a| a.details())
            });
        if let Some(details) = details {
            assert!(details.chars().count() <= swf_signal::MAX_DETAILS_CHARS);
        }
    }
});
