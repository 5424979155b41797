//! Replay-first deciders on `scripts/swf-server`, which behaves like SWF where moto does
//! not: a close decision made while a signal arrived fails with `UNHANDLED_DECISION`,
//! signal-external decisions reach their target, and histories come in pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_swf::types::{EventType, SignalExternalWorkflowExecutionFailedCause};
use swf_signal::{
    DecideError, DecisionContext, DecisionTask, Decisions, Execution, OutgoingState, Signal,
    SignalSender, Worker, Workflow, WorkflowDecider,
};
use swf_signal_tests::{handled_counts, spawn_worker, Counter, CounterSignal, Fixture};

async fn poll(fx: &Fixture) -> DecisionTask {
    for _ in 0..10 {
        if let Some(task) = DecisionTask::poll(&fx.client, &fx.domain, &fx.task_list, "test")
            .await
            .unwrap()
        {
            return task;
        }
    }
    panic!("no decision task after 10 polls");
}

/// The README's old decider lost state exactly here: the completion decided in task 1
/// fails because `Add(5)` arrived while it was decided, and task 2's new signals are
/// only `Add(5)`. The replay-first decider completes, with every signal counted.
#[tokio::test]
async fn a_signal_during_the_decision_fails_the_close_and_the_next_task_completes() {
    let fx = Fixture::new("unhandled").await;
    let run = fx.start("count-1").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender
        .send("count-1", &CounterSignal::Add(1))
        .await
        .unwrap();
    sender
        .send("count-1", &CounterSignal::Finish)
        .await
        .unwrap();

    let decider = WorkflowDecider::<Counter>::new();
    let task1 = poll(&fx).await;
    let decisions = decider.decide(&task1).unwrap();
    assert!(decisions.closes_workflow(), "task 1 decides to complete");
    // In flight: another service signals before the response reaches SWF.
    sender
        .send("count-1", &CounterSignal::Add(5))
        .await
        .unwrap();
    task1.respond(&fx.client, decisions).await.unwrap();

    let history = fx.history("count-1", &run).await;
    let failed = history
        .iter()
        .find_map(|e| e.complete_workflow_execution_failed_event_attributes())
        .expect("the completion failed");
    assert_eq!(failed.cause().as_str(), "UNHANDLED_DECISION");

    let task2 = poll(&fx).await;
    let new: Vec<CounterSignal> = task2
        .new_signals::<CounterSignal>()
        .map(|r| r.unwrap().signal)
        .collect();
    assert_eq!(new, [CounterSignal::Add(5)], "only the late signal is new");
    task2
        .respond(&fx.client, decider.decide(&task2).unwrap())
        .await
        .unwrap();

    let history = fx.history("count-1", &run).await;
    let completed = history
        .iter()
        .find_map(|e| e.workflow_execution_completed_event_attributes())
        .expect("the execution completed");
    assert_eq!(completed.result(), Some("6"), "1 + 5: no signal lost");
}

/// A workflow that, on its first task, signals `peer-1` and a workflow that does not
/// exist, and completes once both outcomes are in its history.
#[derive(Debug, Default)]
struct Caller;

#[derive(Debug, Signal)]
enum CallerSignal {
    Nudge,
}

impl CallerSignalHandler for Caller {
    type Output = ();
    fn nudge(&mut self) {}
}

impl Workflow for Caller {
    const NAME: &'static str = swf_signal_tests::WORKFLOW_NAME;
    const VERSION: &'static str = swf_signal_tests::WORKFLOW_VERSION;
    type Signal = CallerSignal;
    type Input = ();
    fn start((): ()) -> Self {
        Caller
    }
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        let out = ctx.task().outgoing_signals();
        if ctx.is_first_task() {
            decisions.signal_external(
                Execution::current("peer-1"),
                &CounterSignal::Add(7),
                Some("to-peer"),
            )?;
            decisions.signal_external("nobody", &CounterSignal::Finish, Some("to-nobody"))?;
        } else if out.iter().all(|o| o.state != OutgoingState::Pending) {
            decisions.complete(None)?;
        }
        Ok(())
    }
}

#[tokio::test]
async fn signal_external_decisions_reach_the_target_and_their_outcomes_are_correlated() {
    let fx = Fixture::new("external").await;
    let peer_run = fx.start("peer-1").await;
    // Decide the peer's first task so it is idle when the signal comes.
    let peer_task = poll(&fx).await;
    assert_eq!(peer_task.workflow_id(), "peer-1");
    peer_task
        .respond(&fx.client, Decisions::new())
        .await
        .unwrap();

    let caller_run = fx.start("caller-1").await;
    let caller = WorkflowDecider::<Caller>::new();
    let task = poll(&fx).await;
    assert_eq!(task.workflow_id(), "caller-1");
    task.respond(&fx.client, caller.decide(&task).unwrap())
        .await
        .unwrap();

    // The peer's decider gets the signal, decoded, with its sender.
    let mut peer_got = None;
    let mut caller_done = false;
    for _ in 0..6 {
        let task = poll(&fx).await;
        if task.workflow_id() == "peer-1" {
            let received: Vec<_> = task
                .new_signals::<CounterSignal>()
                .map(Result::unwrap)
                .collect();
            peer_got = received.into_iter().next();
            task.respond(&fx.client, Decisions::new()).await.unwrap();
        } else {
            let out = task.outgoing_signals();
            let decisions = caller.decide(&task).unwrap();
            caller_done = decisions.closes_workflow();
            if caller_done {
                assert_eq!(out.len(), 2, "{out:?}");
                assert_eq!(out[0].workflow_id, "peer-1");
                assert_eq!(out[0].control.as_deref(), Some("to-peer"));
                assert!(
                    matches!(out[0].state, OutgoingState::Delivered { .. }),
                    "{out:?}"
                );
                assert_eq!(out[1].workflow_id, "nobody");
                match &out[1].state {
                    OutgoingState::Failed { cause, control, .. } => {
                        assert_eq!(
                            *cause,
                            SignalExternalWorkflowExecutionFailedCause::UnknownExternalWorkflowExecution
                        );
                        assert_eq!(control.as_deref(), Some("to-nobody"));
                    }
                    other => panic!("{other:?}"),
                }
            }
            task.respond(&fx.client, decisions).await.unwrap();
        }
        if peer_got.is_some() && caller_done {
            break;
        }
    }
    let got = peer_got.expect("the peer received the signal");
    assert_eq!(got.signal, CounterSignal::Add(7));
    let sender = got.external.expect("sent by a workflow");
    assert_eq!(sender.execution.workflow_id(), "caller-1");
    assert_eq!(sender.execution.run_id(), caller_run);
    assert!(caller_done, "the caller saw both outcomes and completed");
    let _ = peer_run;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2500_event_history_comes_whole_through_its_pages() {
    let fx = Fixture::new("paging").await;
    let run = fx.start("long-1").await;
    let targets = vec![Execution::new("long-1", run.as_str()); 2_500];
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    // Sequential keeps the wire order equal to the Add order checked below.
    for (i, t) in targets.into_iter().enumerate() {
        sender
            .send(t, &CounterSignal::Add(u32::try_from(i).unwrap()))
            .await
            .unwrap();
    }
    let task = poll(&fx).await;
    // The server pages at 1,000 events: a whole history means DecisionTask::poll followed
    // nextPageToken twice.
    assert_eq!(task.events().len(), 2_503);
    let ids: Vec<i64> = task
        .events()
        .iter()
        .map(swf_signal::Event::event_id)
        .collect();
    assert_eq!(ids, (1..=2_503).collect::<Vec<_>>());
    let adds: Vec<u32> = task
        .new_signals::<CounterSignal>()
        .map(|r| match r.unwrap().signal {
            CounterSignal::Add(v) => v,
            CounterSignal::Finish => panic!("no finish sent"),
        })
        .collect();
    assert_eq!(adds, (0..2_500).collect::<Vec<_>>());
    assert_eq!(
        WorkflowDecider::<Counter>::new()
            .state(&task)
            .unwrap()
            .unwrap()
            .total,
        (0..2_500u64).sum::<u64>()
    );
}

#[tokio::test]
async fn send_many_without_a_concurrency_limit_does_not_panic() {
    let fx = Fixture::new("unbounded").await;
    let mut targets = Vec::new();
    for i in 0..3 {
        let wf = format!("u-{i}");
        let run = fx.start(&wf).await;
        targets.push(Execution::new(wf, run));
    }
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    let results = sender
        .send_many(&targets, &CounterSignal::Add(1), usize::MAX)
        .await;
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

/// A decider that takes 300 ms per task.
#[derive(Clone)]
struct Slow {
    inner: WorkflowDecider<Counter>,
    decisions: Arc<AtomicUsize>,
}

impl swf_signal::Decider for Slow {
    fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError> {
        std::thread::sleep(Duration::from_millis(300));
        self.decisions.fetch_add(1, Ordering::SeqCst);
        self.inner.decide(task)
    }
}

/// 2 pollers, a 300 ms decider, 20 workflows x 10 signals: every signal handled once, no
/// decision task timed out, and the run well under the serial time of its decisions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_decider_two_pollers_every_signal_once_no_timeouts() {
    const WORKFLOWS: usize = 20;
    const SIGNALS: u32 = 10;
    let fx = Fixture::new("slow").await;
    let mut runs = Vec::new();
    for i in 0..WORKFLOWS {
        let wf = format!("slow-{i}");
        runs.push((wf.clone(), fx.start(&wf).await));
    }
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .pollers(2)
        .unwrap();
    let slow = Slow {
        inner: WorkflowDecider::new(),
        decisions: Arc::new(AtomicUsize::new(0)),
    };
    let counted = Arc::clone(&slow.decisions);
    let started = Instant::now();
    let (shutdown, running) = spawn_worker(worker, slow);
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    let targets: Vec<Execution> = runs.iter().map(|(w, r)| Execution::new(w, r)).collect();
    for round in 0..SIGNALS {
        let signal = if round + 1 == SIGNALS {
            CounterSignal::Finish
        } else {
            CounterSignal::Add(round)
        };
        let results = sender.send_many(&targets, &signal, 8).await;
        assert!(results.iter().all(Result::is_ok));
    }
    fx.wait_completed(&runs, Duration::from_mins(3)).await;
    let elapsed = started.elapsed();
    shutdown.cancel();
    let stats = running.await.unwrap();

    let (mut once, mut timed_out) = (0, 0);
    for (wf, run) in &runs {
        let history = fx.history(wf, run).await;
        timed_out += history
            .iter()
            .filter(|e| *e.event_type() == EventType::DecisionTaskTimedOut)
            .count();
        let (signals, handled) = handled_counts(&history);
        assert_eq!(signals.len(), SIGNALS as usize);
        for id in signals {
            assert_eq!(handled.get(&id), Some(&1), "{wf}: signal {id}");
            once += 1;
        }
    }
    let decided = counted.load(Ordering::SeqCst);
    let serial = Duration::from_millis(300) * u32::try_from(decided).unwrap();
    println!(
        "slow decider: {once} signals handled once, {decided} decisions, elapsed {:.1} s, serial {:.1} s ({:.2}x), {timed_out} decision tasks timed out, worker {stats:?}",
        elapsed.as_secs_f64(),
        serial.as_secs_f64(),
        serial.as_secs_f64() / elapsed.as_secs_f64()
    );
    assert_eq!(once, WORKFLOWS * SIGNALS as usize);
    assert_eq!(timed_out, 0);
    assert!(
        elapsed.as_secs_f64() < serial.as_secs_f64() * 0.8,
        "2 pollers should overlap decisions: {elapsed:?} vs serial {serial:?}"
    );
}
