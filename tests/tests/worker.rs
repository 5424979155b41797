//! The polling worker against a real SWF endpoint (`scripts/swf-server`): many workflows and signals,
//! graceful shutdown, and a panicking decider.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_swf::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_swf::config::{ConfigBag, Intercept};
use aws_sdk_swf::operation::poll_for_decision_task::PollForDecisionTaskInput;
use aws_sdk_swf::types::EventType;
use swf_signal::worker::DecideError;
use swf_signal::{CancellationToken, DecisionTask, Decisions, SignalSender, Worker};
use swf_signal_tests::{counter_decider, handled_counts, spawn_worker, CounterSignal, Fixture};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_workflows_ten_signals_each_every_signal_handled_exactly_once() {
    let fx = Fixture::new("worker-load").await;
    let mut runs = Vec::new();
    for i in 0..20 {
        let wf = format!("counter-{i}");
        let run = fx.start(&wf).await;
        runs.push((wf, run));
    }
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .pollers(2)
        .unwrap();
    let (shutdown, running) = spawn_worker(worker, counter_decider);

    // Sent while the worker runs, as another service would.
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    for round in 0..10u32 {
        for (wf, run) in &runs {
            let signal = if round == 9 {
                CounterSignal::Finish
            } else {
                CounterSignal::Add(round)
            };
            sender
                .send(swf_signal::Execution::new(wf, run), &signal)
                .await
                .unwrap();
        }
    }
    fx.wait_completed(&runs, Duration::from_mins(2)).await;
    shutdown.cancel();
    let stats = running.await.unwrap();
    assert_eq!(stats.decider_errors + stats.decider_panics, 0, "{stats:?}");

    let mut total = 0;
    for (wf, run) in &runs {
        let (signal_ids, handled) = handled_counts(&fx.history(wf, run).await);
        assert_eq!(signal_ids.len(), 10, "{wf}");
        for id in &signal_ids {
            assert_eq!(
                handled.get(id),
                Some(&1),
                "{wf}: signal event {id} handled {:?} times",
                handled.get(id)
            );
        }
        assert_eq!(handled.len(), 10, "{wf}: nothing else was marked");
        total += handled.len();
    }
    assert_eq!(total, 200);
}

/// Records when each `PollForDecisionTask` request starts, seen from the SDK.
#[derive(Debug, Default, Clone)]
struct PollTimes(Arc<Mutex<Vec<Instant>>>);

impl Intercept for PollTimes {
    fn name(&self) -> &'static str {
        "PollTimes"
    }
    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if context
            .input()
            .downcast_ref::<PollForDecisionTaskInput>()
            .is_some()
        {
            self.0.lock().unwrap().push(Instant::now());
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_in_flight_tasks_and_starts_no_poll_after_cancel() {
    let fx = Fixture::new("worker-shutdown").await;
    let mut runs = Vec::new();
    for i in 0..4 {
        let wf = format!("slow-{i}");
        runs.push((wf.clone(), fx.start(&wf).await));
    }
    let polls = PollTimes::default();
    let config = fx
        .client
        .config()
        .to_builder()
        .interceptor(polls.clone())
        .build();
    let client = aws_sdk_swf::Client::from_conf(config);
    let worker = Worker::new(client, &fx.domain, &fx.task_list)
        .unwrap()
        .pollers(2)
        .unwrap();

    let shutdown = CancellationToken::new();
    let in_decider = Arc::new(AtomicBool::new(false));
    let completed_ids = Arc::new(Mutex::new(Vec::<String>::new()));
    let decider = {
        let (in_decider, completed_ids) = (Arc::clone(&in_decider), Arc::clone(&completed_ids));
        move |task: &DecisionTask| -> Result<Decisions, DecideError> {
            in_decider.store(true, Ordering::SeqCst);
            // A slow decider: cancellation arrives while this task is in flight.
            std::thread::sleep(Duration::from_millis(800));
            completed_ids
                .lock()
                .unwrap()
                .push(task.workflow_id().to_owned());
            let mut d = Decisions::new();
            d.complete(None)?;
            Ok(d)
        }
    };
    let running = tokio::spawn({
        let shutdown = shutdown.clone();
        async move { worker.run(&decider, shutdown).await }
    });
    let start = Instant::now();
    while !in_decider.load(Ordering::SeqCst) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no task reached the decider"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    shutdown.cancel();
    let cancelled_at = Instant::now();
    let stats = tokio::time::timeout(Duration::from_secs(90), running)
        .await
        .expect("run returns")
        .unwrap();

    assert!(stats.tasks >= 1);
    assert_eq!(
        stats.responded, stats.tasks,
        "every taken task was responded: {stats:?}"
    );
    let late: Vec<_> = polls
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|t| **t > cancelled_at)
        .copied()
        .collect();
    assert!(
        late.is_empty(),
        "{} polls started after the cancel",
        late.len()
    );
    // The executions whose tasks were taken are completed in SWF.
    let completed: Vec<String> = completed_ids.lock().unwrap().clone();
    for wf in &completed {
        let run = &runs.iter().find(|(w, _)| w == wf).unwrap().1;
        let h = fx.history(wf, run).await;
        assert!(
            h.iter()
                .any(|e| *e.event_type() == EventType::WorkflowExecutionCompleted),
            "{wf}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_decider_does_not_stop_the_worker() {
    let fx = Fixture::new("worker-panic").await;
    let bad_run = fx.start("bad").await;
    let mut good = Vec::new();
    for i in 0..3 {
        let wf = format!("good-{i}");
        good.push((wf.clone(), fx.start(&wf).await));
    }
    let decider = |task: &DecisionTask| -> Result<Decisions, DecideError> {
        assert_ne!(
            task.workflow_id(),
            "bad",
            "this decider cannot handle workflow `bad`"
        );
        counter_decider(task)
    };
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .pollers(2)
        .unwrap();
    let (shutdown, running) = spawn_worker(worker, decider);
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender.send("bad", &CounterSignal::Finish).await.unwrap();
    for (wf, _) in &good {
        sender
            .send(wf.as_str(), &CounterSignal::Finish)
            .await
            .unwrap();
    }
    fx.wait_completed(&good, Duration::from_mins(1)).await;
    shutdown.cancel();
    let stats = running.await.unwrap();
    assert!(stats.decider_panics >= 1, "{stats:?}");
    let bad_history = fx.history("bad", &bad_run).await;
    assert!(!bad_history
        .iter()
        .any(|e| *e.event_type() == EventType::WorkflowExecutionCompleted));
}

#[tokio::test]
async fn a_client_that_would_cut_long_polls_short_is_refused() {
    let fx_client = swf_signal_tests::client().await;
    let short = aws_sdk_swf::config::timeout::TimeoutConfig::builder()
        .read_timeout(Duration::from_secs(30))
        .build();
    let client = aws_sdk_swf::Client::from_conf(
        fx_client
            .config()
            .to_builder()
            .timeout_config(short)
            .build(),
    );
    let err = Worker::new(client, "d", "t").unwrap_err();
    assert!(err.to_string().contains("read timeout is 30s"), "{err}");
    let ok = aws_sdk_swf::Client::from_conf(
        fx_client
            .config()
            .to_builder()
            .timeout_config(swf_signal::worker::worker_timeouts())
            .build(),
    );
    assert!(Worker::new(ok, "d", "t").is_ok());

    // No read timeout at all: a silently dead connection would hold a poller forever.
    let none = swf_signal_tests::dead_client().await;
    let err = Worker::new(none, "d", "t").unwrap_err();
    assert!(
        matches!(err, swf_signal::worker::WorkerError::NoReadTimeout),
        "{err}"
    );
    assert!(err.to_string().contains("no read timeout"), "{err}");
}
