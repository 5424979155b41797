//! Property: a sticky `WorkflowDecider` (partial histories, a small cache, random
//! evictions, several executions sharing the cache, bad signals, refused closes) builds,
//! on every task, the state a full replay builds and makes the same decisions, and a miss
//! is always reported, never decided on a wrong state.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use proptest::prelude::*;
use swf_signal::testing::TaskBuilder;
use swf_signal::{ReplayError, WorkflowDecider};
use swf_signal_tests::{Counter, CounterSignal, TaskEnd};

#[derive(Debug, Clone)]
enum Op {
    /// A signal to execution `n % 3`.
    Add(usize, u32),
    Bad(usize),
    /// A decision task of execution `n % 3`, ending so.
    Decide(usize, TaskEnd),
    /// The cache forgets execution `n % 3`.
    Evict(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 0u32..100).prop_map(|(n, v)| Op::Add(n, v)),
        1 => (0usize..3).prop_map(Op::Bad),
        4 => (
            0usize..3,
            proptest::sample::select(TaskEnd::ALL.to_vec()),
        )
            .prop_map(|(n, e)| Op::Decide(n, e)),
        1 => (0usize..3).prop_map(Op::Evict),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn sticky_state_equals_full_replay(ops in proptest::collection::vec(op(), 1..60), capacity in 1usize..3) {
        let sticky = WorkflowDecider::<Counter>::new().sticky(capacity).checked();
        let plain = WorkflowDecider::<Counter>::new();
        let mut runs: Vec<TaskBuilder> = (0..3).map(|i| TaskBuilder::new(&format!("run-{i}"))).collect();
        for op in &ops {
            match op {
                Op::Add(n, v) => { runs[*n].signal(&CounterSignal::Add(*v)); }
                Op::Bad(n) => { runs[*n].raw_signal("add", Some("\"x\"")); }
                Op::Evict(n) => {
                    let e = runs[*n].execution();
                    sticky.evict(e.workflow_id(), e.run_id());
                }
                Op::Decide(n, end) => {
                    let h = &mut runs[*n];
                    let whole = h.build();
                    let partial = h.build_partial();
                    let expected = plain.decide(&whole).unwrap();
                    // As the worker does: the partial history on a hit; after a miss,
                    // the whole one.
                    let decisions = match sticky.decide(&partial) {
                        Ok(decisions) => {
                            // Check mode: the state just cached equals a full replay's.
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
                    let checked = sticky.check_decisions(&whole, &decisions);
                    prop_assert!(checked.is_ok(), "{:?}", checked);
                    end.apply(h);
                }
            }
        }
    }
}
