//! Property: over random histories (signals good and bad, decision tasks that complete,
//! time out, or complete with a failed close decision, signals arriving mid-decision),
//! the state a `WorkflowDecider` builds for every task equals the fold of every decodable
//! signal before that task started, and every bad signal reaches the policy exactly once
//! among the tasks whose decisions took effect: completed, with no close decision
//! refused (a verdict given by a task whose close SWF refused did not happen, and is
//! given again).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use swf_signal::testing::TaskBuilder;
use swf_signal::{BadSignalPolicy, Flow, WorkflowDecider};
use swf_signal_tests::{Counter, CounterSignal, TaskEnd};

#[derive(Debug, Clone)]
enum Op {
    Add(u32),
    Finish,
    Bad,
    /// A decision task; `late` signals arrive while it is decided; then it ends so.
    Decide {
        late: Vec<u32>,
        end: TaskEnd,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u32..100).prop_map(Op::Add),
        1 => Just(Op::Finish),
        2 => Just(Op::Bad),
        3 => (
            proptest::collection::vec(0u32..100, 0..3),
            proptest::sample::select(TaskEnd::ALL.to_vec()),
        )
            .prop_map(|(late, end)| Op::Decide { late, end }),
    ]
}

/// The model: the fold of every decodable signal, in order.
#[derive(Default)]
struct Model {
    total: u64,
    finished: bool,
}

impl Model {
    fn apply(&mut self, s: &CounterSignal) {
        match s {
            CounterSignal::Add(v) => self.total += u64::from(*v),
            CounterSignal::Finish => self.finished = true,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn replay_equals_the_fold_and_bad_signals_meet_the_policy_once(ops in proptest::collection::vec(op(), 1..40)) {
        let calls = Arc::new(Mutex::new(Vec::<i64>::new()));
        let policy = {
            let calls = Arc::clone(&calls);
            BadSignalPolicy::callback(move |bad, _| {
                calls.lock().unwrap().push(bad.event_id);
                Flow::Continue
            })
        };
        let decider = WorkflowDecider::<Counter>::new().policy(policy);
        let mut h = TaskBuilder::new("prop");
        let mut model = Model::default();
        let mut bad_ids = Vec::new();
        // Policy calls of the tasks whose decisions took effect (completed, close not
        // refused).
        let mut effective: BTreeMap<i64, usize> = BTreeMap::new();

        let decide = |h: &mut TaskBuilder, model: &Model, late: &[u32], end: TaskEnd,
                      effective: &mut BTreeMap<i64, usize>| {
            let task = h.build();
            calls.lock().unwrap().clear();
            let state = decider.state(&task).unwrap().unwrap();
            // `state` runs the policy too; count only `decide`'s calls below.
            calls.lock().unwrap().clear();
            decider.decide(&task).unwrap();
            let this_task: Vec<i64> = calls.lock().unwrap().clone();
            prop_assert_eq!(state.total, model.total);
            prop_assert_eq!(state.finished, model.finished);
            for v in late {
                h.signal(&CounterSignal::Add(*v));
            }
            end.apply(h);
            if matches!(end, TaskEnd::Completed) {
                for id in this_task {
                    *effective.entry(id).or_default() += 1;
                }
            }
            Ok(())
        };

        for op in &ops {
            match op {
                Op::Add(v) => { model.apply(&CounterSignal::Add(*v)); h.signal(&CounterSignal::Add(*v)); }
                Op::Finish => { model.apply(&CounterSignal::Finish); h.signal(&CounterSignal::Finish); }
                Op::Bad => bad_ids.push(h.raw_signal("add", Some("\"not a number\""))),
                Op::Decide { late, end } => {
                    decide(&mut h, &model, late, *end, &mut effective)?;
                    for v in late {
                        model.apply(&CounterSignal::Add(*v));
                    }
                }
            }
        }
        // A last task that completes: every bad signal has now met the policy.
        decide(&mut h, &model, &[], TaskEnd::Completed, &mut effective)?;
        for id in &bad_ids {
            prop_assert_eq!(effective.get(id).copied(), Some(1), "bad signal {} in {:?}", id, effective);
        }
        prop_assert_eq!(effective.len(), bad_ids.len());
    }
}
