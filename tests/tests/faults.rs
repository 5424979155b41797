//! Fault tests against `scripts/swf-server`: no server, a server that restarts and loses its state, a
//! decider that takes a task and never responds, a signal that arrives while a decision
//! is in flight. In each, no signal is lost and none is handled twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::{Duration, Instant};

use swf_signal::{DecisionTask, SignalSender, Worker};
use swf_signal_tests::{
    client_on_port, counter_decider, handled_counts, spawn_worker, CounterSignal, Fixture,
    OwnServer,
};

fn assert_each_handled_once(history: &[aws_sdk_swf::types::HistoryEvent], expected_signals: usize) {
    let (signals, handled) = handled_counts(history);
    assert_eq!(signals.len(), expected_signals, "signals in the history");
    for id in &signals {
        assert_eq!(
            handled.get(id),
            Some(&1),
            "signal event {id} handled {:?} times",
            handled.get(id)
        );
    }
    assert_eq!(handled.len(), signals.len(), "only signals were marked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_retries_with_backoff_and_serves_tasks_once_the_server_appears() {
    let port = OwnServer::free_port();
    let client = client_on_port(port).await;
    let domain_holder = format!("late-server-{}", std::process::id());
    let worker = Worker::new(client.clone(), &domain_holder, "deciders")
        .unwrap()
        .max_backoff(Duration::from_millis(400));
    let (shutdown, running) = spawn_worker(worker, counter_decider);
    // No server yet: every poll fails and the worker backs off.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        !running.is_finished(),
        "the worker gave up without a server"
    );

    let _server = OwnServer::start_on(port);
    let fx = Fixture {
        client: client.clone(),
        domain: domain_holder.clone(),
        task_list: "deciders".into(),
    };
    fx.register().await;
    let run = fx.start("late-1").await;
    let sender = SignalSender::new(client, &fx.domain);
    sender.send("late-1", &CounterSignal::Add(1)).await.unwrap();
    sender.send("late-1", &CounterSignal::Finish).await.unwrap();
    fx.wait_completed(&[("late-1".into(), run.clone())], Duration::from_secs(30))
        .await;
    shutdown.cancel();
    let stats = running.await.unwrap();
    // Refused for 1.5 s with backoff capped at 0.4 s: several failed polls, each retried.
    assert!(stats.poll_errors >= 2, "{stats:?}");
    assert!(stats.responded >= 1, "{stats:?}");
    assert_each_handled_once(&fx.history("late-1", &run).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restart_that_loses_all_state_does_not_kill_the_worker() {
    let port = OwnServer::free_port();
    let server = OwnServer::start_on(port);
    let client = client_on_port(port).await;
    let fx = Fixture::with_client(client.clone(), "restart").await;
    let worker = Worker::new(client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .pollers(2)
        .unwrap()
        .max_backoff(Duration::from_millis(400));
    let (shutdown, running) = spawn_worker(worker, counter_decider);
    let sender = SignalSender::new(client.clone(), &fx.domain);
    let before = fx.start("before").await;
    sender.send("before", &CounterSignal::Finish).await.unwrap();
    fx.wait_completed(&[("before".into(), before)], Duration::from_secs(30))
        .await;

    server.kill();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(!running.is_finished(), "the worker died with the server");
    let _server = OwnServer::start_on(port);
    // Everything is gone: the domain too. Until it is back, polls fail and back off.
    tokio::time::sleep(Duration::from_millis(800)).await;
    fx.register().await;
    let after = fx.start("after").await;
    sender.send("after", &CounterSignal::Add(7)).await.unwrap();
    sender.send("after", &CounterSignal::Finish).await.unwrap();
    fx.wait_completed(&[("after".into(), after.clone())], Duration::from_secs(30))
        .await;
    shutdown.cancel();
    let stats = running.await.unwrap();
    assert!(stats.poll_errors >= 1, "{stats:?}");
    assert_each_handled_once(&fx.history("after", &after).await, 2);
}

/// Polls until a task for `workflow_id` comes back (an empty poll polls again).
async fn poll_task(fx: &Fixture, workflow_id: &str) -> DecisionTask {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(task) = DecisionTask::poll(&fx.client, &fx.domain, &fx.task_list, "fault-test")
            .await
            .unwrap()
        {
            if task.workflow_id() == workflow_id {
                return task;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no decision task for {workflow_id}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn signals_of_a_task_that_timed_out_are_offered_again_and_handled_once() {
    let fx = Fixture::new("task-timeout").await;
    // A 1 s decision-task timeout: the task taken below times out quickly.
    let run = fx.start_with_timeout("stuck", "1").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender.send("stuck", &CounterSignal::Add(1)).await.unwrap();
    sender.send("stuck", &CounterSignal::Add(2)).await.unwrap();

    // A decider takes the task and never responds.
    let taken = poll_task(&fx, "stuck").await;
    assert_eq!(taken.new_signals::<CounterSignal>().count(), 2);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    sender.send("stuck", &CounterSignal::Finish).await.unwrap();

    // The next task still offers all three as new: the first was never completed.
    // (SWF reports the last *processed* task as previousStartedEventId, as the server
    // does; endpoints that report the timed-out task work too: the library looks at how
    // that task ended.)
    let next = poll_task(&fx, "stuck").await;
    assert_eq!(next.processed_started_event_id(), 0);
    let new: Vec<CounterSignal> = next.new_signals().map(|r| r.unwrap().signal).collect();
    assert_eq!(
        new,
        [
            CounterSignal::Add(1),
            CounterSignal::Add(2),
            CounterSignal::Finish
        ]
    );
    next.respond(&fx.client, counter_decider(&next).unwrap())
        .await
        .unwrap();
    // The stale task's token is dead: responding to it now is refused, so nothing is
    // handled twice.
    assert!(taken
        .respond(&fx.client, counter_decider(&taken).unwrap())
        .await
        .is_err());

    let history = fx.history("stuck", &run).await;
    assert!(history
        .iter()
        .any(|e| *e.event_type() == aws_sdk_swf::types::EventType::DecisionTaskTimedOut));
    assert_each_handled_once(&history, 3);
}

#[tokio::test]
async fn a_signal_that_arrives_during_a_decision_is_in_the_next_task() {
    let fx = Fixture::new("in-flight").await;
    let run = fx.start("busy").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender.send("busy", &CounterSignal::Add(1)).await.unwrap();

    let first = poll_task(&fx, "busy").await;
    let decisions = counter_decider(&first).unwrap();
    // Arrives after the task was handed out, before its response.
    sender.send("busy", &CounterSignal::Finish).await.unwrap();
    first.respond(&fx.client, decisions).await.unwrap();

    let second = poll_task(&fx, "busy").await;
    let new: Vec<CounterSignal> = second.new_signals().map(|r| r.unwrap().signal).collect();
    assert_eq!(
        new,
        [CounterSignal::Finish],
        "not lost, and the first signal not offered again"
    );
    second
        .respond(&fx.client, counter_decider(&second).unwrap())
        .await
        .unwrap();
    fx.wait_completed(&[("busy".into(), run.clone())], Duration::from_secs(10))
        .await;
    assert_each_handled_once(&fx.history("busy", &run).await, 2);
}
