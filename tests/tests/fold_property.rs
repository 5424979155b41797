//! Property: a workflow that folds *every* event kind through `Workflow::apply` (timers,
//! cancellation requests, activity outcomes that name their activity only through the
//! scheduled event, outgoing signals whose `control` is only on the initiated event,
//! child outcomes, markers, refused closes) gets, from a sticky decider on partial
//! histories, the state and the decisions a full replay gives — over random histories of
//! three executions sharing a small cache with random evictions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use proptest::prelude::*;
use swf_signal::testing::TaskBuilder;
use swf_signal::{
    DecideError, DecisionContext, Decisions, ReplayError, Signal, Workflow, WorkflowDecider,
    WorkflowEvent,
};
use swf_signal_tests::TaskEnd;

#[derive(Debug, Signal)]
enum LedgerSignal {
    Note(u32),
    Close,
}

/// Everything it was told, in order: what `apply` saw (with the activity ids and
/// controls only the fold's bookkeeping can supply on a sticky hit) and the signals.
#[derive(Debug, Clone, Default, PartialEq)]
struct Ledger {
    seen: Vec<String>,
    closed: bool,
}

impl LedgerSignalHandler for Ledger {
    type Output = ();
    fn note(&mut self, value: u32) {
        self.seen.push(format!("note {value}"));
    }
    fn close(&mut self) {
        self.closed = true;
    }
}

impl Workflow for Ledger {
    const NAME: &'static str = "ledger";
    const VERSION: &'static str = "1";
    type Signal = LedgerSignal;
    type Input = ();

    fn start((): ()) -> Self {
        Ledger::default()
    }

    fn apply(&mut self, event: &WorkflowEvent<'_>) {
        self.seen.push(format!("{event:?}"));
    }

    fn decide(
        &mut self,
        _ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        decisions.record_marker(
            "seen",
            Some(&format!("{} {:?}", self.seen.len(), self.seen.last())),
        )?;
        if self.closed {
            decisions.complete(Some(&self.seen.len().to_string()))?;
        }
        Ok(())
    }

    fn context(&self) -> Option<String> {
        Some(format!("{} events", self.seen.len()))
    }
}

#[derive(Debug, Clone)]
enum Op {
    Note(usize, u32),
    Close(usize),
    Timer(usize),
    Fire(usize),
    Schedule(usize, u8),
    /// The oldest open activity of the run ends (completed or failed).
    Finish(usize, bool),
    SendSignal(usize, u8),
    Delivered(usize),
    CancelRequested(usize),
    Child(usize, u8),
    Marker(usize),
    Decide(usize, TaskEnd),
    Evict(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let n = || 0usize..3;
    prop_oneof![
        3 => (n(), 0u32..100).prop_map(|(n, v)| Op::Note(n, v)),
        1 => n().prop_map(Op::Close),
        1 => n().prop_map(Op::Timer),
        1 => n().prop_map(Op::Fire),
        2 => (n(), any::<u8>()).prop_map(|(n, v)| Op::Schedule(n, v)),
        2 => (n(), any::<bool>()).prop_map(|(n, ok)| Op::Finish(n, ok)),
        1 => (n(), any::<u8>()).prop_map(|(n, v)| Op::SendSignal(n, v)),
        1 => n().prop_map(Op::Delivered),
        1 => n().prop_map(Op::CancelRequested),
        1 => (n(), any::<u8>()).prop_map(|(n, v)| Op::Child(n, v)),
        1 => n().prop_map(Op::Marker),
        4 => (n(), proptest::sample::select(TaskEnd::ALL.to_vec())).prop_map(|(n, e)| Op::Decide(n, e)),
        1 => n().prop_map(Op::Evict),
    ]
}

/// One execution's history and what is open in it.
struct Run {
    history: TaskBuilder,
    timers: Vec<(String, i64)>,
    activities: Vec<i64>,
    signals: Vec<i64>,
    count: u32,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn sticky_fold_of_every_event_kind_equals_full_replay(
        ops in proptest::collection::vec(op(), 1..80),
        capacity in 1usize..3,
    ) {
        let sticky = WorkflowDecider::<Ledger>::new().sticky(capacity).checked();
        let plain = WorkflowDecider::<Ledger>::new();
        let mut runs: Vec<Run> = (0..3)
            .map(|i| Run {
                history: TaskBuilder::for_workflow::<Ledger>(&format!("ledger-{i}")),
                timers: Vec::new(),
                activities: Vec::new(),
                signals: Vec::new(),
                count: 0,
            })
            .collect();
        for op in &ops {
            match *op {
                Op::Note(n, v) => { runs[n].history.signal(&LedgerSignal::Note(v)); }
                Op::Close(n) => { runs[n].history.signal(&LedgerSignal::Close); }
                Op::Timer(n) => {
                    let r = &mut runs[n];
                    r.count += 1;
                    let id = format!("t-{}", r.count);
                    let started = r.history.timer_started(&id, 60);
                    r.timers.push((id, started));
                }
                Op::Fire(n) => {
                    let r = &mut runs[n];
                    if !r.timers.is_empty() {
                        let (id, started) = r.timers.remove(0);
                        r.history.timer_fired(&id, started);
                    }
                }
                Op::Schedule(n, v) => {
                    let r = &mut runs[n];
                    let scheduled = r.history.activity_scheduled(&format!("act-{v}"), "charge", "1");
                    r.activities.push(scheduled);
                }
                Op::Finish(n, ok) => {
                    let r = &mut runs[n];
                    if !r.activities.is_empty() {
                        let scheduled = r.activities.remove(0);
                        if ok {
                            r.history.activity_completed(scheduled, Some("\"paid\""));
                        } else {
                            r.history.activity_failed(scheduled, Some("card declined"));
                        }
                    }
                }
                Op::SendSignal(n, v) => {
                    let r = &mut runs[n];
                    let initiated = r.history.signal_external_initiated(
                        "peer", None, &LedgerSignal::Note(1), Some(&format!("ctl-{v}")));
                    r.signals.push(initiated);
                }
                Op::Delivered(n) => {
                    let r = &mut runs[n];
                    if !r.signals.is_empty() {
                        let initiated = r.signals.remove(0);
                        let peer = swf_signal::aws_sdk_swf::types::WorkflowExecution::builder()
                            .workflow_id("peer").run_id("peer-run").build().unwrap();
                        r.history.external_signaled(initiated, &peer);
                    }
                }
                Op::CancelRequested(n) => { runs[n].history.cancel_requested(); }
                Op::Child(n, v) => {
                    let h = &mut runs[n].history;
                    let id = format!("child-{v}");
                    h.child_started(&id, "run-1", "ledger", "1");
                    h.child_completed(&id, "run-1", "ledger", "1", Some("7"));
                }
                Op::Marker(n) => { runs[n].history.marker_recorded("audit", Some("ok")); }
                Op::Evict(n) => {
                    let e = runs[n].history.execution().clone();
                    sticky.evict(e.workflow_id(), e.run_id());
                }
                Op::Decide(n, end) => {
                    let h = &mut runs[n].history;
                    let whole = h.build();
                    let partial = h.build_partial();
                    let expected = plain.decide(&whole).unwrap();
                    let decisions = match sticky.decide(&partial) {
                        Ok(decisions) => {
                            let checked = sticky.check_cached(&whole);
                            prop_assert!(checked.is_ok(), "{:?}", checked);
                            decisions
                        }
                        Err(err) => {
                            prop_assert!(matches!(err.downcast_ref::<ReplayError>(), Some(ReplayError::NotWholeHistory { .. })), "{err}");
                            sticky.decide(&whole).unwrap()
                        }
                    };
                    prop_assert_eq!(decisions.as_slice(), expected.as_slice());
                    prop_assert_eq!(decisions.context(), expected.context());
                    let checked = sticky.check_decisions(&whole, &decisions);
                    prop_assert!(checked.is_ok(), "{:?}", checked);
                    end.apply(h);
                }
            }
        }
    }
}

/// The events reach `apply` with what only the fold can name: the activity id of an
/// outcome, the control of a delivered signal, in event order with the signals.
#[test]
fn apply_sees_every_kind_in_order_with_names_the_outcomes_lack() {
    let mut h = TaskBuilder::for_workflow::<Ledger>("ledger-x");
    h.decision_task_started();
    h.decision_task_completed();
    let scheduled = h.activity_scheduled("charge-card", "charge", "1");
    let timer = h.timer_started("deadline", 60);
    let initiated =
        h.signal_external_initiated("peer", None, &LedgerSignal::Note(1), Some("ctl-9"));
    h.signal(&LedgerSignal::Note(5));
    h.activity_completed(scheduled, Some("\"paid\""));
    let peer = swf_signal::aws_sdk_swf::types::WorkflowExecution::builder()
        .workflow_id("peer")
        .run_id("peer-run")
        .build()
        .unwrap();
    h.external_signaled(initiated, &peer);
    h.timer_fired("deadline", timer);
    h.cancel_requested();
    h.child_completed("kid", "kid-run", "ledger", "1", Some("7"));
    h.marker_recorded("audit", None);
    let state = WorkflowDecider::<Ledger>::new()
        .state(&h.build())
        .unwrap()
        .unwrap();
    let kinds: Vec<&str> = state
        .seen
        .iter()
        .map(|s| s.split([' ', '{']).next().unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        [
            "ActivityScheduled",
            "TimerStarted",
            "SignalInitiated",
            "note",
            "ActivityCompleted",
            "SignalDelivered",
            "TimerFired",
            "CancelRequested",
            "ChildCompleted",
            "MarkerRecorded"
        ]
    );
    assert!(
        state.seen[4].contains("activity_id: \"charge-card\"")
            && state.seen[4].contains("\\\"paid\\\""),
        "{}",
        state.seen[4]
    );
    assert!(
        state.seen[5].contains("control: Some(\"ctl-9\")"),
        "{}",
        state.seen[5]
    );
    assert!(
        state.seen[6].contains("timer_id: \"deadline\""),
        "{}",
        state.seen[6]
    );
}
