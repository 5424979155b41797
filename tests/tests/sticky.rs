//! Sticky deciders end to end on `scripts/swf-server`: a worker keeps an execution's tasks
//! on its own task list and folds only their new events (checked against full replays),
//! and a worker that dies strands nothing: its executions go back to the shared list
//! after the schedule-to-start timeout and another worker completes them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::Duration;

use aws_sdk_swf::types::{DecisionTaskTimeoutType, EventType};
use swf_signal::{SignalSender, Worker, WorkflowDecider};
use swf_signal_tests::{handled_counts, spawn_worker, Counter, CounterSignal, Fixture};

fn sticky_decider() -> WorkflowDecider<Counter> {
    WorkflowDecider::<Counter>::new().sticky(64).checked()
}

async fn completed_result(fx: &Fixture, wf: &str, run: &str) -> Option<String> {
    fx.history(wf, run)
        .await
        .iter()
        .find_map(|e| e.workflow_execution_completed_event_attributes())
        .map(|a| a.result().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sticky_worker_decides_from_its_cache_and_agrees_with_full_replays() {
    let fx = Fixture::new("sticky").await;
    let run = fx.start("sticky-1").await;
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .identity("sticky-worker")
        .unwrap()
        .sticky_schedule_to_start(Duration::from_secs(5));
    let sticky_list = worker.sticky_task_list();
    let (shutdown, running) = spawn_worker(worker, sticky_decider());
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    for i in 1..=5 {
        // Spaced, so each signal is its own decision task.
        tokio::time::sleep(Duration::from_millis(400)).await;
        sender
            .send("sticky-1", &CounterSignal::Add(i))
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    sender
        .send("sticky-1", &CounterSignal::Finish)
        .await
        .unwrap();
    fx.wait_completed(
        &[("sticky-1".to_owned(), run.clone())],
        Duration::from_mins(1),
    )
    .await;
    shutdown.cancel();
    let stats = running.await.unwrap();
    println!("sticky worker: {stats:?}");

    assert_eq!(
        completed_result(&fx, "sticky-1", &run).await.as_deref(),
        Some("15")
    );
    let history = fx.history("sticky-1", &run).await;
    let (signals, handled) = handled_counts(&history);
    assert!(
        signals.iter().all(|id| handled.get(id) == Some(&1)),
        "{handled:?}"
    );
    // After the first task, the execution's tasks went to the worker's own list...
    let on_sticky = history
        .iter()
        .filter_map(|e| e.decision_task_scheduled_event_attributes())
        .filter(|a| {
            a.task_list().map(aws_sdk_swf::types::TaskList::name) == Some(sticky_list.as_str())
        })
        .count();
    assert!(on_sticky >= 5, "{on_sticky} tasks on {sticky_list}");
    // ...were polled with only their new events and decided from the cache, and every
    // one agreed with a full replay of the same task.
    assert!(stats.sticky_tasks >= 5, "{stats:?}");
    assert_eq!(stats.whole_history_fetches, 0, "{stats:?}");
    assert_eq!(stats.check_failures, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_sticky_worker_loses_nothing() {
    let fx = Fixture::new("sticky-kill").await;
    let run = fx.start("kill-1").await;
    let poll_hold = Duration::from_secs(
        std::env::var("SWF_SERVER_POLL_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2),
    );
    let worker_a = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .identity("worker-a")
        .unwrap()
        .sticky_schedule_to_start(Duration::from_secs(2));
    let (_a_shutdown, a_running) = spawn_worker(worker_a, sticky_decider());
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender.send("kill-1", &CounterSignal::Add(1)).await.unwrap();
    // Until worker A has decided a task and so made the execution stick to its list.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let history = fx.history("kill-1", &run).await;
        let stuck = history.iter().any(|e| {
            e.decision_task_completed_event_attributes()
                .and_then(|a| a.task_list())
                .is_some()
        });
        if stuck && handled_counts(&history).1.len() == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "worker A never decided"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Killed: no graceful shutdown. Its held polls expire empty on the server.
    a_running.abort();
    let _ = a_running.await;
    tokio::time::sleep(poll_hold + Duration::from_millis(500)).await;

    // The next task is scheduled on A's list, where nobody polls any more.
    sender.send("kill-1", &CounterSignal::Add(2)).await.unwrap();
    sender.send("kill-1", &CounterSignal::Finish).await.unwrap();
    let worker_b = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .identity("worker-b")
        .unwrap();
    let (b_shutdown, b_running) = spawn_worker(worker_b, sticky_decider());
    fx.wait_completed(
        &[("kill-1".to_owned(), run.clone())],
        Duration::from_mins(1),
    )
    .await;
    b_shutdown.cancel();
    let b_stats = b_running.await.unwrap();

    assert_eq!(
        completed_result(&fx, "kill-1", &run).await.as_deref(),
        Some("3")
    );
    let history = fx.history("kill-1", &run).await;
    let reverted = history.iter().any(|e| {
        e.decision_task_timed_out_event_attributes()
            .is_some_and(|a| *a.timeout_type() == DecisionTaskTimeoutType::ScheduleToStart)
    });
    assert!(
        reverted,
        "the task on A's list timed out and went back to the shared list"
    );
    assert!(b_stats.responded >= 1, "{b_stats:?}");
    let (signals, handled) = handled_counts(&history);
    assert!(
        signals.iter().all(|id| handled.get(id) == Some(&1)),
        "{handled:?}"
    );
    assert!(history
        .iter()
        .any(|e| *e.event_type() == EventType::WorkflowExecutionCompleted));
}

/// A sticky decider whose `decide` takes its time on a task bringing `Add(999)` (so a
/// test can shut the worker down meanwhile), and whose check may panic.
#[derive(Clone)]
struct Slow {
    inner: WorkflowDecider<Counter>,
    panicking_check: bool,
}

impl swf_signal::Decider for Slow {
    fn decide(
        &self,
        task: &swf_signal::DecisionTask,
    ) -> Result<swf_signal::Decisions, swf_signal::DecideError> {
        if task
            .new_signals::<CounterSignal>()
            .flatten()
            .any(|r| r.signal == CounterSignal::Add(999))
        {
            std::thread::sleep(Duration::from_millis(1500));
        }
        self.inner.decide(task)
    }
    fn is_sticky(&self) -> bool {
        true
    }
    fn wants_check(&self) -> bool {
        true
    }
    fn check(&self, whole: &swf_signal::DecisionTask) -> Result<(), swf_signal::DecideError> {
        assert!(!self.panicking_check, "a check that panics");
        self.inner.check(whole)
    }
}

/// Issue 19 (13): a worker shutting down answered its last task with the sticky
/// override, so the execution's next task waited on a list nobody polls any more until
/// the schedule-to-start timeout; and a check that panicked was not counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_shutting_down_hands_executions_back_and_counts_panicking_checks() {
    let fx = Fixture::new("sticky-shutdown").await;
    let run = fx.start("slow-1").await;
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .identity("slow-worker")
        .unwrap()
        .sticky_schedule_to_start(Duration::from_secs(30));
    let sticky_list = worker.sticky_task_list();
    let decider = Slow {
        inner: WorkflowDecider::<Counter>::new().sticky(8).checked(),
        panicking_check: true,
    };
    let (shutdown, running) = spawn_worker(worker, decider);
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender.send("slow-1", &CounterSignal::Add(1)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    // Decided from the cache on the sticky list, then checked: the check panics.
    sender.send("slow-1", &CounterSignal::Add(2)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    sender
        .send("slow-1", &CounterSignal::Add(999))
        .await
        .unwrap();
    // The worker is deciding the slow task now; shut it down meanwhile.
    tokio::time::sleep(Duration::from_millis(600)).await;
    shutdown.cancel();
    let stats = running.await.unwrap();
    assert!(
        stats.check_failures >= 1,
        "the panicking check counted: {stats:?}"
    );
    assert_eq!(stats.decider_panics, 0, "{stats:?}");
    // The next task goes to the shared list, not to the gone worker's own.
    sender.send("slow-1", &CounterSignal::Finish).await.unwrap();
    let history = fx.history("slow-1", &run).await;
    let last_scheduled = history
        .iter()
        .rev()
        .find_map(|e| e.decision_task_scheduled_event_attributes())
        .unwrap();
    assert_eq!(
        last_scheduled.task_list().unwrap().name(),
        fx.task_list,
        "not {sticky_list}"
    );
    assert!(
        history
            .iter()
            .filter_map(|e| e.decision_task_scheduled_event_attributes())
            .any(|a| a.task_list().map(aws_sdk_swf::types::TaskList::name)
                == Some(sticky_list.as_str())),
        "it was sticky before"
    );
}
