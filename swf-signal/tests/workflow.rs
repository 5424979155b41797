//! Replay-first deciders in memory: `WorkflowDecider` rebuilds the state from the whole
//! history on every task, hands each new bad signal to the policy once, and decodes the
//! started input strictly.
#![cfg(feature = "aws")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test
#![allow(clippy::items_after_statements)] // a test's helper types sit where they are used

use std::sync::{Arc, Mutex};

use aws_sdk_swf::types::{DecisionType, SignalExternalWorkflowExecutionFailedCause};
use serde::{Deserialize, Serialize};
use swf_signal::testing::TaskBuilder;
use swf_signal::{
    BadSignalPolicy, DecideError, DecisionContext, DecisionError, Decisions, Execution, Flow,
    OutgoingState, ReplayError, Signal, SignalDecisionError, Workflow, WorkflowDecider,
    UNDECODABLE_INPUT_REASON, UNDECODABLE_SIGNAL_MARKER,
};

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "kebab-case")]
enum OrderSignal {
    Approve {
        approver: String,
    },
    ChangeQuantity(u32),
    #[signal(raw)]
    Comment(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct NewOrder {
    quantity: u32,
}

#[derive(Debug, Clone, PartialEq)]
struct Order {
    quantity: u32,
    approved_by: Option<String>,
    comments: Vec<String>,
    decided_with_new: Vec<i64>,
}

impl OrderSignalHandler for Order {
    type Output = ();
    fn approve(&mut self, approver: String) {
        self.approved_by = Some(approver);
    }
    fn change_quantity(&mut self, quantity: u32) {
        self.quantity = quantity;
    }
    fn comment(&mut self, text: String) {
        self.comments.push(text);
    }
}

impl Workflow for Order {
    const NAME: &'static str = "order";
    const VERSION: &'static str = "1";
    type Signal = OrderSignal;
    type Input = NewOrder;
    fn start(input: NewOrder) -> Self {
        Order {
            quantity: input.quantity,
            approved_by: None,
            comments: Vec::new(),
            decided_with_new: Vec::new(),
        }
    }
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        self.decided_with_new = ctx.new_signals().iter().map(|r| r.event_id).collect();
        if let Some(approver) = &self.approved_by {
            decisions.complete(Some(&format!("{approver}:{}", self.quantity)))?;
        }
        Ok(())
    }
}

fn result_of(decisions: &Decisions) -> Option<String> {
    decisions.as_slice().iter().find_map(|d| {
        d.complete_workflow_execution_decision_attributes()
            .and_then(|a| a.result().map(ToOwned::to_owned))
    })
}

/// The sequence that loses state on SWF with a new-signals-only decider: the approval in
/// task 1, its completion failed with `UNHANDLED_DECISION` because a comment arrived while
/// it decided; task 2 brings only the comment as new, and must still complete.
#[test]
fn unhandled_decision_sequence_completes_on_the_next_task() {
    let mut h = TaskBuilder::new("order-1").input(r#"{"quantity":2}"#);
    h.signal(&OrderSignal::ChangeQuantity(3));
    let approve = h.signal(&OrderSignal::Approve {
        approver: "dana".into(),
    });
    let task1 = h.build();
    let decider = WorkflowDecider::<Order>::new();
    let first = decider.decide(&task1).unwrap();
    assert_eq!(result_of(&first).as_deref(), Some("dana:3"));

    // The comment arrives while task 1 is being decided; SWF fails the completion.
    let comment = h.signal(&OrderSignal::Comment("call me".into()));
    h.decision_task_completed();
    h.complete_failed_unhandled();
    let task2 = h.build();
    let new: Vec<i64> = task2
        .new_signals::<OrderSignal>()
        .map(|r| r.unwrap().event_id)
        .collect();
    assert_eq!(new, [comment], "the approval is no longer new");
    assert!(approve < comment);

    let second = decider.decide(&task2).unwrap();
    assert_eq!(
        result_of(&second).as_deref(),
        Some("dana:3"),
        "the replay kept the approval"
    );
    let state = decider.state(&task2).unwrap().unwrap();
    assert_eq!(state.comments, ["call me"]);
    assert_eq!(state.approved_by.as_deref(), Some("dana"));

    // A decider that only dispatches the new signals loses the approval here.
    #[derive(Default)]
    struct NewOnly(Option<String>);
    impl OrderSignalHandler for NewOnly {
        type Output = ();
        fn approve(&mut self, approver: String) {
            self.0 = Some(approver);
        }
        fn change_quantity(&mut self, _: u32) {}
        fn comment(&mut self, _: String) {}
    }
    let mut naive = NewOnly::default();
    let _ = task2
        .dispatch_new_signals::<OrderSignal, _>(
            &mut naive,
            &BadSignalPolicy::default(),
            &mut Decisions::new(),
        )
        .unwrap();
    assert!(naive.0.is_none());
}

#[test]
fn decide_sees_the_new_signals_with_their_event_ids() {
    /// Writes what its context showed into a marker.
    #[derive(Debug)]
    struct Probe(u32);
    impl OrderSignalHandler for Probe {
        type Output = ();
        fn approve(&mut self, _: String) {}
        fn change_quantity(&mut self, q: u32) {
            self.0 = q;
        }
        fn comment(&mut self, _: String) {}
    }
    impl Workflow for Probe {
        const NAME: &'static str = "p";
        const VERSION: &'static str = "1";
        type Signal = OrderSignal;
        type Input = ();
        fn start((): ()) -> Self {
            Probe(0)
        }
        fn decide(
            &mut self,
            ctx: &DecisionContext<'_, Self>,
            decisions: &mut Decisions,
        ) -> Result<(), DecideError> {
            let seen = serde_json::json!({
                "state": self.0,
                "new": ctx.new_signals().iter().map(|r| r.event_id).collect::<Vec<_>>(),
                "new_values": ctx.new_signals().iter().map(|r| format!("{:?}", r.signal)).collect::<Vec<_>>(),
                "bad": ctx.new_bad_signals().iter().map(|r| r.event_id).collect::<Vec<_>>(),
                "first": ctx.is_first_task(),
                "task": ctx.task().started_event_id(),
            });
            decisions.record_marker("probe", Some(&seen.to_string()))?;
            Ok(())
        }
    }
    let mut h = TaskBuilder::for_workflow::<Probe>("order-2");
    h.signal(&OrderSignal::ChangeQuantity(4));
    h.decision_task_completed();
    let new = h.signal(&OrderSignal::ChangeQuantity(5));
    let bad = h.raw_signal("change-quantity", Some("-1"));
    let task = h.build();
    let decisions = WorkflowDecider::<Probe>::new().decide(&task).unwrap();
    let probe = decisions
        .as_slice()
        .iter()
        .filter_map(|d| d.record_marker_decision_attributes())
        .find(|m| m.marker_name() == "probe")
        .unwrap();
    let seen: serde_json::Value = serde_json::from_str(probe.details().unwrap()).unwrap();
    assert_eq!(
        seen,
        serde_json::json!({
            "state": 5, "new": [new], "new_values": ["ChangeQuantity(5)"], "bad": [bad],
            "first": false, "task": task.started_event_id(),
        })
    );
}

#[test]
fn absent_or_empty_input_is_json_null() {
    #[derive(Debug)]
    struct NoInput(u32);
    impl OrderSignalHandler for NoInput {
        type Output = ();
        fn approve(&mut self, _: String) {}
        fn change_quantity(&mut self, q: u32) {
            self.0 = q;
        }
        fn comment(&mut self, _: String) {}
    }
    impl Workflow for NoInput {
        // One type for both probes: each decides the same tasks.
        const NAME: &'static str = "input-probe";
        const VERSION: &'static str = "1";
        type Signal = OrderSignal;
        type Input = ();
        fn start((): ()) -> Self {
            NoInput(0)
        }
        fn decide(
            &mut self,
            _: &DecisionContext<'_, Self>,
            _: &mut Decisions,
        ) -> Result<(), DecideError> {
            Ok(())
        }
    }
    #[derive(Debug)]
    struct Maybe(Option<u32>);
    impl OrderSignalHandler for Maybe {
        type Output = ();
        fn approve(&mut self, _: String) {}
        fn change_quantity(&mut self, _: u32) {}
        fn comment(&mut self, _: String) {}
    }
    impl Workflow for Maybe {
        const NAME: &'static str = "input-probe";
        const VERSION: &'static str = "1";
        type Signal = OrderSignal;
        type Input = Option<u32>;
        fn start(input: Option<u32>) -> Self {
            Maybe(input)
        }
        fn decide(
            &mut self,
            _: &DecisionContext<'_, Self>,
            _: &mut Decisions,
        ) -> Result<(), DecideError> {
            Ok(())
        }
    }
    let mut absent = TaskBuilder::for_workflow::<NoInput>("a");
    absent.signal(&OrderSignal::ChangeQuantity(7));
    let absent = absent.build();
    assert_eq!(
        WorkflowDecider::<NoInput>::new()
            .state(&absent)
            .unwrap()
            .unwrap()
            .0,
        7
    );
    let empty = TaskBuilder::for_workflow::<NoInput>("e")
        .input("  ")
        .build();
    assert!(WorkflowDecider::<NoInput>::new()
        .state(&empty)
        .unwrap()
        .is_some());
    assert_eq!(
        WorkflowDecider::<Maybe>::new()
            .state(&empty)
            .unwrap()
            .unwrap()
            .0,
        None
    );
    let some = TaskBuilder::for_workflow::<Maybe>("s").input("9").build();
    assert_eq!(
        WorkflowDecider::<Maybe>::new()
            .state(&some)
            .unwrap()
            .unwrap()
            .0,
        Some(9)
    );
}

#[test]
fn an_input_that_does_not_decode_fails_the_workflow_with_the_details() {
    let task = TaskBuilder::new("order-bad")
        .input(r#"{"quantity":"lots"}"#)
        .build();
    let decider = WorkflowDecider::<Order>::new();
    assert!(decider.state(&task).unwrap().is_none(), "never a default");
    let decisions = decider.decide(&task).unwrap();
    assert_eq!(decisions.len(), 1);
    let fail = decisions.as_slice()[0]
        .fail_workflow_execution_decision_attributes()
        .unwrap();
    assert_eq!(fail.reason(), Some(UNDECODABLE_INPUT_REASON));
    let details: serde_json::Value = serde_json::from_str(fail.details().unwrap()).unwrap();
    assert_eq!(details["input"], r#"{"quantity":"lots"}"#);
    assert_eq!(details["workflow"], "order");
    assert!(
        details["error"].as_str().unwrap().contains("invalid type"),
        "{details}"
    );
}

#[test]
fn a_history_that_is_not_whole_is_refused() {
    let mut h = TaskBuilder::new("order-cut");
    h.signal(&OrderSignal::ChangeQuantity(1));
    let whole = h.build();
    let pages = h.pages(2);
    let cut = swf_signal::DecisionTask::from_pages(pages.into_iter().skip(1)).unwrap();
    assert_ne!(
        cut.events().first().map(swf_signal::Event::event_id),
        whole.events().first().map(swf_signal::Event::event_id),
        "the second page alone does not start at event 1"
    );
    let err = WorkflowDecider::<Order>::new().decide(&cut).unwrap_err();
    let err = err.downcast::<ReplayError>().unwrap();
    assert!(err
        .to_string()
        .contains("does not start with WorkflowExecutionStarted"));
}

/// A policy that counts the event ids it is handed.
fn counting_policy(seen: &Arc<Mutex<Vec<i64>>>) -> BadSignalPolicy {
    let seen = Arc::clone(seen);
    BadSignalPolicy::callback(move |bad, decisions| {
        seen.lock().unwrap().push(bad.event_id);
        let _ = decisions.record_marker("bad", Some(&bad.event_id.to_string()));
        Flow::Continue
    })
}

#[test]
fn a_bad_signal_reaches_the_policy_only_while_new_and_replay_skips_it() {
    let mut h = TaskBuilder::new("order-3").input(r#"{"quantity":1}"#);
    let bad_old = h.raw_signal("change-quantity", Some("\"four\""));
    h.signal(&OrderSignal::ChangeQuantity(4));
    h.decision_task_completed();
    let bad_new = h.raw_signal("refund", Some("{}"));
    h.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    let task = h.build();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let decisions = WorkflowDecider::<Order>::new()
        .policy(counting_policy(&seen))
        .decide(&task)
        .unwrap();
    assert_eq!(*seen.lock().unwrap(), [bad_new]);
    assert!(bad_old < bad_new);
    assert_eq!(decisions.len(), 2, "the marker, then the completion");
    assert_eq!(result_of(&decisions).as_deref(), Some("ana:4"));
}

#[test]
fn the_default_policy_records_a_marker_and_decide_still_runs() {
    let mut h = TaskBuilder::new("order-4").input(r#"{"quantity":1}"#);
    h.raw_signal("approve", Some("{oops"));
    h.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    let decisions = WorkflowDecider::<Order>::new().decide(&h.build()).unwrap();
    let marker = decisions.as_slice()[0]
        .record_marker_decision_attributes()
        .unwrap();
    assert_eq!(marker.marker_name(), UNDECODABLE_SIGNAL_MARKER);
    assert!(decisions.closes_workflow());
}

#[test]
fn fail_policy_stops_before_decide() {
    let mut h = TaskBuilder::new("order-5").input(r#"{"quantity":1}"#);
    h.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    h.raw_signal("approve", Some("{oops"));
    let decisions = WorkflowDecider::<Order>::new()
        .policy(BadSignalPolicy::FailWorkflow)
        .decide(&h.build())
        .unwrap();
    let kinds: Vec<_> = decisions
        .as_slice()
        .iter()
        .map(|d| d.decision_type().clone())
        .collect();
    assert_eq!(kinds, [DecisionType::FailWorkflowExecution]);
}

#[test]
fn leave_uncompleted_abandons_but_is_refused_where_tasks_never_time_out() {
    let mut h = TaskBuilder::new("order-6").input(r#"{"quantity":1}"#);
    h.raw_signal("approve", Some("{oops"));
    let err = WorkflowDecider::<Order>::new()
        .policy(BadSignalPolicy::LeaveUncompleted)
        .decide(&h.build())
        .unwrap_err();
    assert!(err.downcast_ref::<swf_signal::Abandon>().is_some(), "{err}");

    let mut h = TaskBuilder::new("order-7")
        .input(r#"{"quantity":1}"#)
        .task_start_to_close_timeout("NONE");
    h.raw_signal("approve", Some("{oops"));
    let task = h.build();
    assert!(task.decision_tasks_never_time_out());
    let decisions = WorkflowDecider::<Order>::new()
        .policy(BadSignalPolicy::LeaveUncompleted)
        .decide(&task)
        .unwrap();
    let marker = decisions.as_slice()[0]
        .record_marker_decision_attributes()
        .unwrap();
    assert_eq!(marker.marker_name(), UNDECODABLE_SIGNAL_MARKER);
}

#[derive(Debug, PartialEq, Signal)]
enum Open {
    Known(u32),
    #[signal(other)]
    Other {
        name: String,
        input: Option<String>,
    },
}

#[derive(Debug, Default, PartialEq)]
struct Collector(Vec<String>);

impl OpenHandler for Collector {
    type Output = ();
    fn known(&mut self, v: u32) {
        self.0.push(v.to_string());
    }
    fn other(&mut self, name: String, input: Option<String>) {
        self.0.push(format!("{name}={}", input.unwrap_or_default()));
    }
}

impl Workflow for Collector {
    const NAME: &'static str = "c";
    const VERSION: &'static str = "1";
    type Signal = Open;
    type Input = ();
    fn start((): ()) -> Self {
        Collector::default()
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        _: &mut Decisions,
    ) -> Result<(), DecideError> {
        Ok(())
    }
}

#[test]
fn an_enum_with_an_other_variant_replays_every_name() {
    let mut h = TaskBuilder::for_workflow::<Collector>("open");
    h.signal(&Open::Known(1));
    h.raw_signal("whatever", Some("x"));
    h.decision_task_completed();
    h.raw_signal("later", None);
    let state = WorkflowDecider::<Collector>::new()
        .state(&h.build())
        .unwrap()
        .unwrap();
    assert_eq!(state.0, ["1", "whatever=x", "later="]);
}

#[test]
fn caller_data_over_the_limits_is_refused_not_cut() {
    let mut d = Decisions::new();
    let long = "é".repeat(32_769);
    assert!(matches!(
        d.complete(Some(&long)),
        Err(DecisionError::TooLong {
            field: "result",
            chars: 32_769,
            ..
        })
    ));
    assert!(matches!(
        d.fail(&"r".repeat(257), None),
        Err(DecisionError::TooLong {
            field: "reason",
            ..
        })
    ));
    assert!(matches!(
        d.record_marker("", None),
        Err(DecisionError::Empty {
            field: "markerName",
            ..
        })
    ));
    assert!(d.is_empty(), "nothing half-added");
    // Exactly at the limit is fine: characters, not bytes.
    d.complete(Some(&"é".repeat(32_768))).unwrap();
    let err = d.fail("late", None).unwrap_err();
    assert!(
        err.to_string().contains("after CompleteWorkflowExecution"),
        "{err}"
    );
}

#[test]
fn signal_external_checks_the_name_and_the_control() {
    #[derive(Signal)]
    enum Any {
        #[signal(other)]
        Other { name: String, input: Option<String> },
    }
    let mut d = Decisions::new();
    let err = d
        .signal_external(
            "w",
            &Any::Other {
                name: String::new(),
                input: None,
            },
            None,
        )
        .unwrap_err();
    assert!(matches!(
        err,
        SignalDecisionError::InvalidSignalName { chars: 0, .. }
    ));
    let err = d
        .signal_external(
            "w",
            &Any::Other {
                name: "n".repeat(257),
                input: None,
            },
            None,
        )
        .unwrap_err();
    assert!(matches!(
        err,
        SignalDecisionError::InvalidSignalName { chars: 257, .. }
    ));
    let err = d
        .signal_external(
            Execution::current("w"),
            &OrderSignal::ChangeQuantity(1),
            Some(&"c".repeat(32_769)),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        SignalDecisionError::ControlTooLong { chars: 32_769, .. }
    ));
    assert!(d.is_empty());
}

#[test]
fn a_failure_without_an_initiated_event_is_reported_with_its_control() {
    let mut h = TaskBuilder::new("sender");
    let delivered =
        h.signal_external_initiated("a", None, &OrderSignal::ChangeQuantity(1), Some("c-1"));
    let target = aws_sdk_swf::types::WorkflowExecution::builder()
        .workflow_id("a")
        .run_id("r")
        .build()
        .unwrap();
    h.external_signaled(delivered, &target);
    // SWF refused this decision at once: no initiated event, initiatedEventId 0.
    let completed = h.decision_task_completed();
    h.event(
        aws_sdk_swf::types::EventType::SignalExternalWorkflowExecutionFailed,
        |e| {
            e.signal_external_workflow_execution_failed_event_attributes(
                aws_sdk_swf::types::SignalExternalWorkflowExecutionFailedEventAttributes::builder()
                    .workflow_id("b")
                    .cause(SignalExternalWorkflowExecutionFailedCause::OperationNotPermitted)
                    .initiated_event_id(0)
                    .decision_task_completed_event_id(completed)
                    .control("c-2")
                    .build()
                    .unwrap(),
            )
        },
    );
    let out = h.build().outgoing_signals();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].control.as_deref(), Some("c-1"));
    assert!(matches!(out[0].state, OutgoingState::Delivered { .. }));
    assert_eq!(out[1].initiated_event_id, 0);
    assert_eq!(out[1].workflow_id, "b");
    assert_eq!(out[1].control.as_deref(), Some("c-2"));
    match &out[1].state {
        OutgoingState::Failed {
            cause,
            control,
            decision_task_completed_event_id,
            ..
        } => {
            assert_eq!(
                *cause,
                SignalExternalWorkflowExecutionFailedCause::OperationNotPermitted
            );
            assert_eq!(control.as_deref(), Some("c-2"));
            assert_eq!(*decision_task_completed_event_id, completed);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_signaled_event_without_attributes_is_reported() {
    let mut h = TaskBuilder::new("odd");
    let id = h.event(
        aws_sdk_swf::types::EventType::WorkflowExecutionSignaled,
        |e| e,
    );
    let task = h.build();
    let got: Vec<_> = task.new_signals::<OrderSignal>().collect();
    assert_eq!(got.len(), 1);
    let err = got[0].as_ref().unwrap_err();
    assert_eq!(err.event_id, id);
    assert!(matches!(
        err.error,
        swf_signal::DecodeError::MissingAttributes
    ));
}

#[test]
fn a_bad_external_signal_keeps_its_sender() {
    let mut h = TaskBuilder::new("ext");
    let from = aws_sdk_swf::types::WorkflowExecution::builder()
        .workflow_id("billing-1")
        .run_id("r9")
        .build()
        .unwrap();
    #[derive(Signal)]
    enum Wrong {
        Nope,
    }
    h.external_signal(&Wrong::Nope, &from, 17);
    let task = h.build();
    let err = task
        .new_signals::<OrderSignal>()
        .next()
        .unwrap()
        .unwrap_err();
    let sender = err.external.unwrap();
    assert_eq!(sender.execution.workflow_id(), "billing-1");
    assert_eq!(sender.initiated_event_id, 17);
}

#[test]
fn a_malformed_history_cannot_loop_the_processed_walk() {
    // Task at 3 timed out, and a DecisionTaskCompleted before it names a later task.
    let mut h = TaskBuilder::new("loop");
    h.event(aws_sdk_swf::types::EventType::DecisionTaskCompleted, |e| {
        e.decision_task_completed_event_attributes(
            aws_sdk_swf::types::DecisionTaskCompletedEventAttributes::builder()
                .scheduled_event_id(1)
                .started_event_id(50)
                .build(),
        )
    });
    let started = h.decision_task_timed_out();
    h.set_previous_started_event_id(started);
    let task = h.build();
    assert_eq!(task.processed_started_event_id(), started);
}

#[test]
fn a_sticky_decider_folds_only_the_new_events_of_a_partial_history() {
    let decider = WorkflowDecider::<Order>::new().sticky(8).checked();
    let mut h = TaskBuilder::new("sticky-1").input(r#"{"quantity":1}"#);
    h.signal(&OrderSignal::ChangeQuantity(4));
    // First task: whole, replayed, cached.
    let first = h.build();
    assert!(decider.decide(&first).unwrap().is_empty());
    h.decision_task_completed();
    h.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    // Second task as a sticky poll gives it: from the previous started event on.
    let partial = h.build_partial();
    assert!(!partial.is_whole());
    assert!(partial.events().len() < h.build().events().len());
    let decisions = decider.decide(&partial).unwrap();
    assert_eq!(
        result_of(&decisions).as_deref(),
        Some("ana:4"),
        "the cached quantity"
    );
    let stats = decider.cache_stats();
    assert_eq!((stats.hits, stats.misses), (1, 0));
    // Check mode agrees with a full replay of the same task...
    let whole = h.build();
    // (the completion above closed the workflow and dropped its state; rebuild it)
    let _ = decider.state(&whole).unwrap();
    decider.check_cached(&whole).unwrap();

    // ...and a partial task with nothing cached is refused, not decided on a guess.
    decider.evict("sticky-1", "run-1");
    let err = decider.decide(&partial).unwrap_err();
    assert!(err.downcast_ref::<ReplayError>().is_some(), "{err}");
    assert_eq!(decider.cache_stats().misses, 1);
}

/// Issue 19 (1): a `WorkflowDecider<Order>` given another type's task (SWF routes by task
/// list, which several types share) makes no decision. Before, it failed the healthy
/// execution (its input did not decode as `NewOrder`) or completed it.
#[test]
fn a_decider_refuses_tasks_of_another_type_or_version() {
    // A payment whose input is no NewOrder: replayed as an Order, it was failed.
    let payment = TaskBuilder::new("pay-1")
        .workflow_type("payment", "1")
        .input(r#"{"amount":"12.00"}"#)
        .build();
    let err = WorkflowDecider::<Order>::new()
        .decide(&payment)
        .unwrap_err();
    match err.downcast_ref::<ReplayError>() {
        Some(ReplayError::WrongWorkflowType {
            task_name,
            task_version,
            name,
            version,
            ..
        }) => {
            assert_eq!(
                (task_name.as_str(), task_version.as_str()),
                ("payment", "1")
            );
            assert_eq!((*name, *version), ("order", "1"));
        }
        other => panic!("{other:?}: {err}"),
    }
    assert!(err.to_string().contains("swf_signal::Workflows"), "{err}");
    // Version 2 of the same type, whose signals v1 would happily complete on.
    let mut v2 = TaskBuilder::new("order-9")
        .workflow_type("order", "2")
        .input(r#"{"quantity":1}"#);
    v2.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    let err = WorkflowDecider::<Order>::new()
        .decide(&v2.build())
        .unwrap_err();
    assert!(
        err.downcast_ref::<ReplayError>()
            .is_some_and(ReplayError::is_wrong_type),
        "{err}"
    );
    // The same history as `order` version 1 completes.
    let mut v1 = TaskBuilder::for_workflow::<Order>("order-9").input(r#"{"quantity":1}"#);
    v1.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    assert!(WorkflowDecider::<Order>::new()
        .decide(&v1.build())
        .unwrap()
        .closes_workflow());
}

#[cfg(feature = "worker")]
#[derive(Debug, Clone, PartialEq)]
struct OrderV2(Order);

#[cfg(feature = "worker")]
impl OrderSignalHandler for OrderV2 {
    type Output = ();
    fn approve(&mut self, approver: String) {
        // Version 2 needs two approvals: the first is kept as a comment.
        if self.0.comments.iter().any(|c| c.starts_with("approved:")) {
            self.0.approved_by = Some(approver);
        } else {
            self.0.comments.push(format!("approved:{approver}"));
        }
    }
    fn change_quantity(&mut self, quantity: u32) {
        self.0.change_quantity(quantity);
    }
    fn comment(&mut self, text: String) {
        self.0.comment(text);
    }
}

#[cfg(feature = "worker")]
impl Workflow for OrderV2 {
    const NAME: &'static str = "order";
    const VERSION: &'static str = "2";
    type Signal = OrderSignal;
    type Input = NewOrder;
    fn start(input: NewOrder) -> Self {
        OrderV2(Order::start(input))
    }
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if let Some(approver) = &self.0.approved_by {
            decisions.complete(Some(&format!("v2 {approver}:{}", self.0.quantity)))?;
        }
        let _ = ctx;
        Ok(())
    }
}

/// A rolling deploy: versions 1 and 2 of `order` on one list, each task to its version;
/// a type nobody serves gets no decision and an error naming it.
#[cfg(feature = "worker")]
#[test]
fn workflows_route_by_type_and_version() {
    use swf_signal::{Decider, UnroutedTask, Workflows};
    let deciders = Workflows::new()
        .add(WorkflowDecider::<Order>::new())
        .add(WorkflowDecider::<OrderV2>::new());
    let approve = |h: &mut TaskBuilder| {
        h.signal(&OrderSignal::Approve {
            approver: "ana".into(),
        });
    };
    let mut v1 = TaskBuilder::for_workflow::<Order>("o-1").input(r#"{"quantity":3}"#);
    approve(&mut v1);
    assert_eq!(
        result_of(&deciders.decide(&v1.build()).unwrap()).as_deref(),
        Some("ana:3")
    );
    let mut v2 = TaskBuilder::for_workflow::<OrderV2>("o-2").input(r#"{"quantity":3}"#);
    approve(&mut v2);
    assert!(deciders.decide(&v2.build()).unwrap().is_empty());
    v2.decision_task_completed();
    approve(&mut v2);
    assert_eq!(
        result_of(&deciders.decide(&v2.build()).unwrap()).as_deref(),
        Some("v2 ana:3")
    );
    let served: Vec<_> = deciders
        .served_types()
        .iter()
        .map(|t| (t.name, t.version))
        .collect();
    assert_eq!(served, [("order", "1"), ("order", "2")]);

    let payment = TaskBuilder::new("pay-1")
        .workflow_type("payment", "1")
        .build();
    let err = deciders.decide(&payment).unwrap_err();
    let unrouted = err.downcast_ref::<UnroutedTask>().unwrap();
    assert_eq!(
        (unrouted.name.as_str(), unrouted.version.as_str()),
        ("payment", "1")
    );
    assert_eq!(unrouted.served, "order@1, order@2");
}

/// Issue 19 (4): on a sticky hit the partial history has no `WorkflowExecutionStarted`,
/// so the guard against leaving a task uncompleted under a `NONE` task timeout could not
/// see it, and `LeaveUncompleted` wedged the execution. The flag is kept with the state.
#[test]
fn the_none_guard_holds_on_a_sticky_hit() {
    let decider = WorkflowDecider::<Order>::new()
        .sticky(8)
        .policy(BadSignalPolicy::LeaveUncompleted);
    let mut h = TaskBuilder::for_workflow::<Order>("none-1")
        .input(r#"{"quantity":1}"#)
        .task_start_to_close_timeout("NONE");
    h.signal(&OrderSignal::ChangeQuantity(2));
    assert!(decider.decide(&h.build()).unwrap().is_empty());
    h.decision_task_completed();
    h.raw_signal("change-quantity", Some("\"many\""));
    let partial = h.build_partial();
    assert!(!partial.is_whole());
    assert!(
        !partial.decision_tasks_never_time_out(),
        "the partial history cannot tell"
    );
    let decisions = decider.decide(&partial).unwrap();
    assert_eq!(decider.cache_stats().hits, 1);
    let marker = decisions
        .as_slice()
        .iter()
        .find_map(|d| d.record_marker_decision_attributes())
        .expect("the bad signal recorded instead of the task left uncompleted");
    assert_eq!(marker.marker_name(), UNDECODABLE_SIGNAL_MARKER);
    // A whole history with a task timeout still leaves it uncompleted, as asked.
    let mut timed = TaskBuilder::for_workflow::<Order>("timed-1").input(r#"{"quantity":1}"#);
    timed.raw_signal("change-quantity", Some("\"many\""));
    assert!(decider.decide(&timed.build()).is_err());
}

/// The SDK pages of `h`'s task with the events `keep` accepts.
fn pages_keeping(h: &mut TaskBuilder, keep: impl Fn(i64) -> bool) -> swf_signal::DecisionTask {
    use aws_sdk_swf::operation::poll_for_decision_task::PollForDecisionTaskOutput;
    let page = h.pages(1).remove(0);
    let events = page
        .events()
        .iter()
        .filter(|e| keep(e.event_id()))
        .cloned()
        .collect();
    let page = PollForDecisionTaskOutput::builder()
        .task_token(page.task_token())
        .set_workflow_execution(page.workflow_execution().cloned())
        .set_workflow_type(page.workflow_type().cloned())
        .previous_started_event_id(page.previous_started_event_id())
        .started_event_id(page.started_event_id())
        .set_events(Some(events))
        .build()
        .unwrap();
    swf_signal::DecisionTask::from_pages(vec![page]).unwrap()
}

/// Issue 19 (5): a history with a hole (a page lost, events missing) is never folded:
/// whole, it is refused; partial, it is a cache miss, and the worker fetches the whole
/// history. Before, the hole went into the state and the cache, and on.
#[test]
fn a_history_with_a_hole_is_never_folded() {
    let mut h = TaskBuilder::for_workflow::<Order>("hole-1").input(r#"{"quantity":1}"#);
    h.signal(&OrderSignal::ChangeQuantity(2));
    let lost = h.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    h.signal(&OrderSignal::ChangeQuantity(3));
    let whole_with_hole = pages_keeping(&mut h, |id| id != lost);
    assert!(whole_with_hole.incompleteness().is_some());
    let decider = WorkflowDecider::<Order>::new().sticky(8);
    let err = decider.decide(&whole_with_hole).unwrap_err();
    assert!(
        matches!(err.downcast_ref::<ReplayError>(), Some(ReplayError::IncompleteHistory { reason, .. }) if reason.contains(&format!("follows event {}", lost - 1))),
        "{err}"
    );
    // Without the hole it completes (the approval was in the lost events).
    let complete = h.build();
    assert_eq!(complete.incompleteness(), None);
    assert_eq!(
        result_of(&decider.decide(&complete).unwrap()).as_deref(),
        Some("ana:3")
    );

    // A sticky hit whose partial history has a hole: a miss, not a fold.
    let mut s = TaskBuilder::for_workflow::<Order>("hole-2").input(r#"{"quantity":1}"#);
    s.signal(&OrderSignal::ChangeQuantity(2));
    assert!(decider.decide(&s.build()).unwrap().is_empty());
    s.decision_task_completed();
    let previous = s.build().previous_started_event_id();
    let lost = s.signal(&OrderSignal::ChangeQuantity(7));
    s.signal(&OrderSignal::Comment("x".into()));
    let partial = pages_keeping(&mut s, |id| id >= previous && id != lost);
    assert!(!partial.is_whole());
    let misses = decider.cache_stats().misses;
    let err = decider.decide(&partial).unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<ReplayError>(),
            Some(ReplayError::NotWholeHistory { .. })
        ),
        "{err}"
    );
    assert_eq!(decider.cache_stats().misses, misses + 1);
    // A history that stops short of the task's started event is incomplete too.
    let started = s.build().started_event_id();
    let short = pages_keeping(&mut s, |id| id < started);
    assert!(short
        .incompleteness()
        .unwrap()
        .contains("not at the task's DecisionTaskStarted"));
}

/// Issue 19 (3): a verdict counts only when the task that gave it took effect. The
/// `FailWorkflow` verdict on a bad signal was refused (`UNHANDLED_DECISION`: an approval
/// arrived meanwhile); on the next task the bad signal is old, and was skipped, so the
/// approval completed a workflow the policy had failed. Now the verdict is given again.
#[test]
fn a_verdict_refused_by_unhandled_decision_is_given_again() {
    let decider = WorkflowDecider::<Order>::new().policy(BadSignalPolicy::FailWorkflow);
    let mut h = TaskBuilder::for_workflow::<Order>("verdict-1").input(r#"{"quantity":1}"#);
    let bad = h.raw_signal("change-quantity", Some("\"lots\""));
    let first = decider.decide(&h.build()).unwrap();
    assert!(first.as_slice()[0]
        .fail_workflow_execution_decision_attributes()
        .is_some());
    // While task 1 decided, the approval arrived: its fail decision is refused.
    h.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    h.decision_task_completed();
    h.fail_failed_unhandled();
    let second = h.build();
    assert!(
        second.processed_started_event_id() > bad,
        "the bad signal is old now"
    );
    let decisions = decider.decide(&second).unwrap();
    let fail = decisions.as_slice()[0]
        .fail_workflow_execution_decision_attributes()
        .expect("the verdict again, not a completion");
    assert!(
        fail.reason().unwrap().contains(&format!("event {bad}")),
        "{fail:?}"
    );
    assert_eq!(result_of(&decisions), None);

    // A verdict that took effect is not given twice: the default policy's marker stands.
    let marker = WorkflowDecider::<Order>::new();
    let mut m = TaskBuilder::for_workflow::<Order>("verdict-2").input(r#"{"quantity":1}"#);
    m.raw_signal("change-quantity", Some("\"lots\""));
    m.signal(&OrderSignal::Approve {
        approver: "ana".into(),
    });
    let first = marker.decide(&m.build()).unwrap();
    assert_eq!(first.len(), 2, "a marker and the completion");
    m.signal(&OrderSignal::Comment("late".into()));
    m.decision_task_completed();
    m.marker_recorded(
        UNDECODABLE_SIGNAL_MARKER,
        first.as_slice()[0]
            .record_marker_decision_attributes()
            .unwrap()
            .details(),
    );
    m.complete_failed_unhandled();
    let again = marker.decide(&m.build()).unwrap();
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(result_of(&again).as_deref(), Some("ana:1"));
}

/// Records the event ids `decide` gets as new, in a marker `new`.
#[derive(Debug, Clone, PartialEq)]
struct NewIds(u32);

impl OrderSignalHandler for NewIds {
    type Output = ();
    fn approve(&mut self, _: String) {}
    fn change_quantity(&mut self, quantity: u32) {
        self.0 = quantity;
    }
    fn comment(&mut self, _: String) {}
}

impl Workflow for NewIds {
    const NAME: &'static str = "order";
    const VERSION: &'static str = "1";
    type Signal = OrderSignal;
    type Input = ();
    fn start((): ()) -> Self {
        NewIds(0)
    }
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        let ids: Vec<i64> = ctx.new_signals().iter().map(|r| r.event_id).collect();
        decisions.record_marker("new", Some(&format!("{ids:?}")))?;
        Ok(())
    }
}

fn new_ids(decisions: &Decisions) -> Option<String> {
    decisions.as_slice().iter().find_map(|d| {
        d.record_marker_decision_attributes()
            .filter(|m| m.marker_name() == "new")
            .and_then(|m| m.details().map(ToOwned::to_owned))
    })
}

/// Issue 19 (13): a policy that stops dispatch without closing the workflow left the
/// signals after the bad one unseen as new: on the next task they were old. A marker now
/// says where dispatch stopped, and the next task reports them as new, once.
#[test]
fn signals_after_a_stop_without_a_close_are_new_on_the_next_task() {
    let policy = BadSignalPolicy::callback(|_, _| Flow::Stop);
    let decider = WorkflowDecider::<NewIds>::new().policy(policy);
    let mut h = TaskBuilder::for_workflow::<NewIds>("stop-1");
    let bad = h.raw_signal("change-quantity", Some("\"lots\""));
    let after = h.signal(&OrderSignal::ChangeQuantity(5));
    let first = decider.decide(&h.build()).unwrap();
    assert_eq!(first.len(), 1, "dispatch stopped: no decide");
    let marker = first.as_slice()[0]
        .record_marker_decision_attributes()
        .unwrap();
    assert_eq!(marker.marker_name(), swf_signal::STOPPED_MARKER);
    h.decision_task_completed();
    h.marker_recorded(swf_signal::STOPPED_MARKER, marker.details());
    let later = h.signal(&OrderSignal::Comment("hi".into()));
    // The state has every decodable signal; `decide` sees the skipped one as new.
    let decisions = decider.decide(&h.build()).unwrap();
    assert_eq!(
        new_ids(&decisions),
        Some(format!("{:?}", [after, later])),
        "bad {bad} stays old"
    );
    assert_eq!(decider.state(&h.build()).unwrap().unwrap().0, 5);
    // Once: the task after that one does not report them again.
    h.decision_task_completed();
    let last = h.signal(&OrderSignal::Comment("again".into()));
    let decisions = decider.decide(&h.build()).unwrap();
    assert_eq!(new_ids(&decisions), Some(format!("{:?}", [last])));
}
