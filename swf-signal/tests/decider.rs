//! The decider side in memory: new vs replayed signals, dispatch, every bad-signal
//! policy, decisions, outgoing-signal correlation and paging.
#![cfg(feature = "aws")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::sync::{Arc, Mutex};

use aws_sdk_swf::types::{
    DecisionType, SignalExternalWorkflowExecutionFailedCause, WorkflowExecution,
};
use serde::{Deserialize, Serialize};
use swf_signal::testing::TaskBuilder;
use swf_signal::{
    BadSignalPolicy, DecisionTask, Decisions, DecodeError, Flow, OutgoingState, Signal, TaskError,
    MAX_DETAILS_CHARS, UNDECODABLE_SIGNAL_MARKER,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reason {
    text: String,
}

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
enum OrderSignal {
    Approve { approver: String },
    ChangeQuantity(u32),
    Cancel(Reason),
    Ping,
}

#[derive(Default)]
struct Order {
    log: Vec<String>,
}

impl OrderSignalHandler for Order {
    type Output = &'static str;
    fn approve(&mut self, approver: String) -> &'static str {
        self.log.push(format!("approve:{approver}"));
        "approve"
    }
    fn change_quantity(&mut self, value: u32) -> &'static str {
        self.log.push(format!("qty:{value}"));
        "qty"
    }
    fn cancel(&mut self, value: Reason) -> &'static str {
        self.log.push(format!("cancel:{}", value.text));
        "cancel"
    }
    fn ping(&mut self) -> &'static str {
        self.log.push("ping".into());
        "ping"
    }
}

fn history_with_old_and_new() -> TaskBuilder {
    let mut h = TaskBuilder::new("order-1");
    h.signal(&OrderSignal::Ping);
    h.signal(&OrderSignal::ChangeQuantity(2));
    h.decision_task_completed();
    h.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    h.signal(&OrderSignal::ChangeQuantity(5));
    h
}

#[test]
fn new_signals_are_those_after_the_previous_started_event_and_replay_sees_all() {
    let mut h = history_with_old_and_new();
    let task = h.build();
    assert!(task.previous_started_event_id() > 0);
    assert!(task.started_event_id() > task.previous_started_event_id());
    let new: Vec<OrderSignal> = task.new_signals().map(|r| r.unwrap().signal).collect();
    assert_eq!(
        new,
        [
            OrderSignal::Approve {
                approver: "ana".into()
            },
            OrderSignal::ChangeQuantity(5)
        ]
    );
    let all: Vec<OrderSignal> = task.signals().map(|r| r.unwrap().signal).collect();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], OrderSignal::Ping);
    // Event ids and order are kept.
    let ids: Vec<i64> = task
        .signals::<OrderSignal>()
        .map(|r| r.unwrap().event_id)
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert!(task
        .new_events()
        .iter()
        .all(|e| e.event_id() > task.previous_started_event_id()));
}

#[test]
fn signals_of_a_timed_out_task_stay_new_whatever_the_endpoint_reports() {
    let mut h = TaskBuilder::new("order-timeout");
    h.signal(&OrderSignal::Ping);
    let completed = h.decision_task_completed();
    h.signal(&OrderSignal::ChangeQuantity(1));
    let timed_out = h.decision_task_timed_out();
    h.signal(&OrderSignal::ChangeQuantity(2));
    // As SWF documents it: the last task the decider processed.
    let task = h.build();
    assert_eq!(task.processed_started_event_id(), completed - 1);
    let new: Vec<OrderSignal> = task.new_signals().map(|r| r.unwrap().signal).collect();
    assert_eq!(
        new,
        [
            OrderSignal::ChangeQuantity(1),
            OrderSignal::ChangeQuantity(2)
        ]
    );
    // As moto reports it: the task that timed out. Same new signals.
    let mut h2 = h.clone();
    let task = h2.set_previous_started_event_id(timed_out).build();
    assert_eq!(task.previous_started_event_id(), timed_out);
    assert_eq!(task.processed_started_event_id(), completed - 1);
    let new: Vec<OrderSignal> = task.new_signals().map(|r| r.unwrap().signal).collect();
    assert_eq!(
        new,
        [
            OrderSignal::ChangeQuantity(1),
            OrderSignal::ChangeQuantity(2)
        ]
    );
}

#[test]
fn two_timed_out_tasks_in_a_row_and_no_completed_one() {
    let mut h = TaskBuilder::new("order-timeouts");
    h.signal(&OrderSignal::Ping);
    h.decision_task_timed_out();
    h.signal(&OrderSignal::ChangeQuantity(3));
    let second = h.decision_task_timed_out();
    let task = h.set_previous_started_event_id(second).build();
    assert_eq!(task.processed_started_event_id(), 0);
    assert_eq!(task.new_signals::<OrderSignal>().count(), 2);
}

#[test]
fn first_task_has_every_signal_new() {
    let mut h = TaskBuilder::new("order-first");
    h.signal(&OrderSignal::Ping);
    let task = h.build();
    assert_eq!(task.previous_started_event_id(), 0);
    assert_eq!(task.new_signals::<OrderSignal>().count(), 1);
}

#[test]
fn dispatch_hands_new_signals_to_the_handler_in_order() {
    let task = history_with_old_and_new().build();
    let mut order = Order::default();
    let mut decisions = Decisions::new();
    let outputs = task
        .dispatch_new_signals::<OrderSignal, _>(
            &mut order,
            &BadSignalPolicy::default(),
            &mut decisions,
        )
        .unwrap()
        .outputs;
    assert_eq!(outputs, ["approve", "qty"]);
    assert_eq!(order.log, ["approve:ana", "qty:5"]);
    assert!(decisions.is_empty());
}

#[test]
fn external_sender_is_reported() {
    let mut h = TaskBuilder::new("order-ext");
    let from = WorkflowExecution::builder()
        .workflow_id("billing-1")
        .run_id("r9")
        .build()
        .unwrap();
    h.external_signal(&OrderSignal::Ping, &from, 17);
    h.signal(&OrderSignal::Ping);
    let task = h.build();
    let got: Vec<_> = task
        .new_signals::<OrderSignal>()
        .map(Result::unwrap)
        .collect();
    let ext = got[0].external.as_ref().unwrap();
    assert_eq!(
        (ext.execution.workflow_id(), ext.initiated_event_id),
        ("billing-1", 17)
    );
    assert!(got[1].external.is_none());
}

/// Dispatches the new signals of `task` to a fresh `Order` under `policy`.
fn dispatch(
    task: &DecisionTask,
    policy: &BadSignalPolicy,
) -> (
    Result<swf_signal::Dispatched<&'static str>, swf_signal::Abandon>,
    Decisions,
) {
    let mut decisions = Decisions::new();
    let outputs =
        task.dispatch_new_signals::<OrderSignal, _>(&mut Order::default(), policy, &mut decisions);
    (outputs, decisions)
}

fn history_with_bad_signals() -> TaskBuilder {
    let mut h = TaskBuilder::new("order-bad");
    h.signal(&OrderSignal::Ping);
    h.raw_signal("approve", Some("{\"approver\": 42, \"card\": \"4111\"}"));
    h.raw_signal("refund", Some("{}"));
    h.signal(&OrderSignal::ChangeQuantity(9));
    h
}

#[test]
fn bad_signals_come_back_with_event_name_and_raw_input() {
    let task = history_with_bad_signals().build();
    let results: Vec<_> = task.new_signals::<OrderSignal>().collect();
    assert_eq!(results.len(), 4);
    let bad = results[1].as_ref().unwrap_err();
    assert_eq!(bad.event_id, 3);
    assert_eq!(bad.name(), "approve");
    assert_eq!(bad.input(), Some("{\"approver\": 42, \"card\": \"4111\"}"));
    assert!(matches!(bad.error, DecodeError::MalformedInput { .. }));
    let unknown = results[2].as_ref().unwrap_err();
    assert!(matches!(unknown.error, DecodeError::UnknownName { .. }));
    assert!(unknown
        .to_string()
        .starts_with("event 4: unknown signal `refund`"));
}

#[test]
fn default_policy_records_a_marker_per_bad_signal_and_goes_on() {
    let task = history_with_bad_signals().build();
    let (outputs, decisions) = dispatch(&task, &BadSignalPolicy::default());
    let outputs = outputs.unwrap().outputs;
    assert_eq!(outputs, ["ping", "qty"]);
    assert_eq!(decisions.len(), 2);
    let markers: Vec<serde_json::Value> = decisions
        .as_slice()
        .iter()
        .map(|d| {
            assert_eq!(*d.decision_type(), DecisionType::RecordMarker);
            let a = d.record_marker_decision_attributes().unwrap();
            assert_eq!(a.marker_name(), UNDECODABLE_SIGNAL_MARKER);
            serde_json::from_str(a.details().unwrap()).unwrap()
        })
        .collect();
    assert_eq!(markers[0]["signal"], "approve");
    assert_eq!(markers[0]["event_id"], 3);
    assert_eq!(
        markers[0]["input"],
        "{\"approver\": 42, \"card\": \"4111\"}"
    );
    // The log's wording, word for word, and no part of the input in it.
    assert_eq!(
        markers[0]["error"],
        "signal `approve` has a malformed input (invalid type, expected a string at line 1 column 15)"
    );
    assert_eq!(markers[1]["signal"], "refund");
}

#[test]
fn fail_policy_fails_the_workflow_and_stops() {
    let task = history_with_bad_signals().build();
    let (dispatched, decisions) = dispatch(&task, &BadSignalPolicy::FailWorkflow);
    let dispatched = dispatched.unwrap();
    assert!(
        dispatched.stopped(),
        "the caller is told the policy stopped the task"
    );
    assert_eq!(dispatched.stopped_at, Some(3));
    let outputs = dispatched.outputs;
    assert_eq!(
        outputs,
        ["ping"],
        "nothing after the bad signal is dispatched"
    );
    assert_eq!(decisions.len(), 1);
    let d = &decisions.as_slice()[0];
    assert_eq!(*d.decision_type(), DecisionType::FailWorkflowExecution);
    let a = d.fail_workflow_execution_decision_attributes().unwrap();
    assert_eq!(a.reason(), Some("undecodable signal `approve` (event 3)"));
    let details: serde_json::Value = serde_json::from_str(a.details().unwrap()).unwrap();
    assert_eq!(details["input"], "{\"approver\": 42, \"card\": \"4111\"}");
    assert!(decisions.closes_workflow());
}

#[test]
fn leave_uncompleted_policy_abandons_the_task() {
    let task = history_with_bad_signals().build();
    let (outputs, decisions) = dispatch(&task, &BadSignalPolicy::LeaveUncompleted);
    let err = outputs.unwrap_err();
    assert_eq!((err.event_id, err.name.as_str()), (3, "approve"));
    assert!(err.to_string().contains("will be retried"));
    assert!(decisions.is_empty());
}

#[test]
fn callback_policy_sees_each_bad_signal_and_decides() {
    let task = history_with_bad_signals().build();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = Arc::clone(&seen);
    let policy = BadSignalPolicy::callback(move |bad, decisions| {
        seen2
            .lock()
            .unwrap()
            .push((bad.event_id, bad.name().to_owned()));
        decisions.record_marker("custom", bad.input()).unwrap();
        Flow::Continue
    });
    let (outputs, decisions) = dispatch(&task, &policy);
    let outputs = outputs.unwrap().outputs;
    assert_eq!(outputs, ["ping", "qty"]);
    assert_eq!(
        *seen.lock().unwrap(),
        [(3, "approve".to_owned()), (4, "refund".to_owned())]
    );
    assert_eq!(decisions.len(), 2);
}

#[test]
fn marker_details_never_exceed_the_limit_and_say_they_were_cut() {
    let mut h = TaskBuilder::new("order-big");
    // Quotes double when escaped: the worst case for fitting JSON into the limit.
    let input = "\"".repeat(32_768);
    h.raw_signal("approve", Some(&input));
    let task = h.build();
    let mut decisions = Decisions::new();
    let dispatched = task
        .dispatch_new_signals::<OrderSignal, _>(
            &mut Order::default(),
            &BadSignalPolicy::default(),
            &mut decisions,
        )
        .unwrap();
    assert!(!dispatched.stopped());
    let details = decisions.as_slice()[0]
        .record_marker_decision_attributes()
        .unwrap()
        .details()
        .unwrap();
    assert!(
        details.chars().count() <= MAX_DETAILS_CHARS,
        "{}",
        details.chars().count()
    );
    let v: serde_json::Value = serde_json::from_str(details).unwrap();
    assert_eq!(v["input_truncated"], true);
    assert_eq!(v["input_chars"], 32_768);
    assert!(
        v["input"].as_str().unwrap().len() > 10_000,
        "kept as much as fits"
    );
}

#[test]
fn typed_signal_external_decision_and_builder() {
    let mut decisions = Decisions::new();
    decisions
        .signal_external(
            swf_signal::Execution::new("billing-1", "r1"),
            &OrderSignal::Cancel(Reason { text: "dup".into() }),
            Some("c-1"),
        )
        .unwrap()
        .schedule_activity("ship", "1", "ship-1", Some("{}"))
        .unwrap()
        .record_marker("m", None)
        .unwrap()
        .complete(Some("done"))
        .unwrap();
    let d = decisions.as_slice();
    assert_eq!(d.len(), 4);
    let a = d[0]
        .signal_external_workflow_execution_decision_attributes()
        .unwrap();
    assert_eq!(
        (
            a.workflow_id(),
            a.run_id(),
            a.signal_name(),
            a.input(),
            a.control()
        ),
        (
            "billing-1",
            Some("r1"),
            "cancel",
            Some("{\"text\":\"dup\"}"),
            Some("c-1")
        )
    );
    assert_eq!(*d[1].decision_type(), DecisionType::ScheduleActivityTask);
    assert_eq!(
        *d[3].decision_type(),
        DecisionType::CompleteWorkflowExecution
    );

    let err = Decisions::new()
        .signal_external("w".repeat(257), &OrderSignal::Ping, None)
        .unwrap_err();
    assert!(err.to_string().contains("257 characters"), "{err}");
}

#[test]
fn outgoing_signals_are_correlated_by_initiated_event_id() {
    let mut h = TaskBuilder::new("order-out");
    h.decision_task_completed();
    let target = WorkflowExecution::builder()
        .workflow_id("billing-1")
        .run_id("r1")
        .build()
        .unwrap();
    let a = h.signal_external_initiated("billing-1", None, &OrderSignal::Ping, Some("a"));
    let b = h.signal_external_initiated("gone-2", None, &OrderSignal::ChangeQuantity(1), Some("b"));
    let c = h.signal_external_initiated("billing-3", None, &OrderSignal::Ping, None);
    // Outcomes arrive out of order.
    h.signal_external_failed(
        b,
        "gone-2",
        SignalExternalWorkflowExecutionFailedCause::UnknownExternalWorkflowExecution,
    );
    let delivered = h.external_signaled(a, &target);
    let task = h.build();
    let out = task.outgoing_signals();
    assert_eq!(out.len(), 3);
    assert_eq!(
        (out[0].initiated_event_id, out[0].control.as_deref()),
        (a, Some("a"))
    );
    assert_eq!(
        out[0].state,
        OutgoingState::Delivered {
            event_id: delivered
        }
    );
    assert_eq!(out[1].signal_name, "change_quantity");
    assert!(matches!(
        &out[1].state,
        OutgoingState::Failed {
            cause: SignalExternalWorkflowExecutionFailedCause::UnknownExternalWorkflowExecution,
            ..
        }
    ));
    assert_eq!(
        (out[2].initiated_event_id, &out[2].state),
        (c, &OutgoingState::Pending)
    );
    assert_eq!(
        out[1].state.to_string(),
        format!(
            "failed: UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION (event {})",
            b + 2
        )
    );
}

#[test]
fn pages_merge_into_one_history_in_order() {
    let mut h = history_with_old_and_new();
    for i in 0..20 {
        h.signal(&OrderSignal::ChangeQuantity(i));
    }
    let whole = h.build();
    let pages = h.pages(3);
    assert_eq!(pages.len(), 3);
    assert!(pages[0].next_page_token().is_some() && pages[2].next_page_token().is_none());
    // Out-of-order pages still give one ordered history.
    let mut shuffled = pages.clone();
    shuffled.swap(1, 2);
    for set in [pages, shuffled] {
        let task = DecisionTask::from_pages(set).unwrap();
        assert_eq!(task.events(), whole.events());
        assert_eq!(task.new_signals::<OrderSignal>().count(), 22);
    }
}

#[test]
fn from_pages_rejects_empty_and_mixed_pages() {
    assert!(matches!(
        DecisionTask::from_pages(Vec::new()),
        Err(TaskError::EmptyPoll)
    ));
    let mut a = TaskBuilder::new("a").pages(2);
    let b = TaskBuilder::new("b").pages(1);
    a.extend(b);
    assert!(matches!(
        DecisionTask::from_pages(a),
        Err(TaskError::MixedPages { page: 2 })
    ));
}

/// Issue 19 (13): every way of adding a decision refuses one after the close decision
/// (SWF requires the close last), and `schedule_activity` checks SWF's limits.
#[test]
fn nothing_is_added_after_a_close_decision() {
    use aws_sdk_swf::types::{Decision, DecisionType, StartTimerDecisionAttributes};
    use swf_signal::DecisionError;
    let timer = || {
        Decision::builder()
            .decision_type(DecisionType::StartTimer)
            .start_timer_decision_attributes(
                StartTimerDecisionAttributes::builder()
                    .timer_id("t")
                    .start_to_fire_timeout("5")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    };
    let mut decisions = Decisions::new();
    decisions.push(timer()).unwrap();
    decisions.complete(None).unwrap();
    let err = decisions.push(timer()).unwrap_err();
    assert!(
        matches!(
            err,
            DecisionError::AfterClose {
                decision: "StartTimer",
                close: "CompleteWorkflowExecution"
            }
        ),
        "{err}"
    );
    let err = decisions
        .schedule_activity("ship", "1", "ship-1", None)
        .unwrap_err();
    assert!(
        matches!(
            err,
            DecisionError::AfterClose {
                decision: "ScheduleActivityTask",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(decisions.len(), 2);

    let mut open = Decisions::new();
    let err = open.schedule_activity("ship", "1", "", None).unwrap_err();
    assert!(
        matches!(
            err,
            DecisionError::Empty {
                field: "activityId",
                ..
            }
        ),
        "{err}"
    );
    let long = "x".repeat(257);
    let err = open.schedule_activity(&long, "1", "a", None).unwrap_err();
    assert!(
        matches!(
            err,
            DecisionError::TooLong {
                field: "activityType.name",
                chars: 257,
                ..
            }
        ),
        "{err}"
    );
    let input = "é".repeat(32_769);
    let err = open
        .schedule_activity("ship", "1", "a", Some(&input))
        .unwrap_err();
    assert!(
        matches!(err, DecisionError::TooLong { field: "input", .. }),
        "{err}"
    );
    assert!(open.is_empty());
}

/// Typed timer and cancellation decisions, validated like the others (issue 20's
/// decisions, for the server's timers and cancellation).
#[test]
fn timer_and_cancel_decisions_are_typed_and_validated() {
    use std::time::Duration;
    use swf_signal::DecisionError;
    let mut decisions = Decisions::new();
    decisions
        .start_timer("deadline", Duration::from_secs(90), Some("c"))
        .unwrap()
        .cancel_timer("old")
        .unwrap()
        .request_cancel_external(swf_signal::Execution::new("child-1", "r1"), Some("why"))
        .unwrap()
        .cancel(Some("asked"))
        .unwrap();
    let d = decisions.as_slice();
    let timer = d[0].start_timer_decision_attributes().unwrap();
    assert_eq!(
        (
            timer.timer_id(),
            timer.start_to_fire_timeout(),
            timer.control()
        ),
        ("deadline", "90", Some("c"))
    );
    assert_eq!(
        d[1].cancel_timer_decision_attributes().unwrap().timer_id(),
        "old"
    );
    let ext = d[2]
        .request_cancel_external_workflow_execution_decision_attributes()
        .unwrap();
    assert_eq!(
        (ext.workflow_id(), ext.run_id(), ext.control()),
        ("child-1", Some("r1"), Some("why"))
    );
    assert_eq!(
        d[3].cancel_workflow_execution_decision_attributes()
            .unwrap()
            .details(),
        Some("asked")
    );
    assert!(decisions.closes_workflow());

    let mut open = Decisions::new();
    for bad in [
        Duration::from_millis(1500),
        Duration::ZERO,
        Duration::from_secs(31_536_001),
    ] {
        assert!(matches!(
            open.start_timer("t", bad, None),
            Err(DecisionError::NotWholeSeconds {
                field: "startToFireTimeout",
                ..
            })
        ));
    }
    assert!(matches!(
        open.start_timer("", Duration::from_secs(1), None),
        Err(DecisionError::Empty { .. })
    ));
    assert!(matches!(
        open.cancel_timer(&"x".repeat(257)),
        Err(DecisionError::TooLong { .. })
    ));
    assert!(matches!(
        open.request_cancel_external("", None),
        Err(DecisionError::InvalidTarget { .. })
    ));
    assert!(open.is_empty());
}
