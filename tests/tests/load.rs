//! Load: 50 workflows × 20 signals sent concurrently while 2 pollers run. Every signal is
//! handled exactly once, checked from the histories.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::{Duration, Instant};

use swf_signal::{Execution, SignalSender, Worker};
use swf_signal_tests::{counter_decider, handled_counts, spawn_worker, CounterSignal, Fixture};

const WORKFLOWS: usize = 50;
const SIGNALS: u32 = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_workflows_twenty_signals_each_none_lost_none_twice() {
    let fx = Fixture::new("load").await;
    let mut runs = Vec::new();
    for i in 0..WORKFLOWS {
        let wf = format!("load-{i}");
        runs.push((wf.clone(), fx.start(&wf).await));
    }
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .pollers(2)
        .unwrap();
    let (shutdown, running) = spawn_worker(worker, counter_decider);

    let started = Instant::now();
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    // Each round goes to all 50 workflows at once (16 in flight); rounds keep each
    // workflow's own signals in order, so `Finish` is last.
    for round in 0..SIGNALS {
        let targets: Vec<Execution> = runs
            .iter()
            .map(|(wf, run)| Execution::new(wf, run))
            .collect();
        let signal = if round + 1 == SIGNALS {
            CounterSignal::Finish
        } else {
            CounterSignal::Add(round)
        };
        let results = sender.send_many(&targets, &signal, 16).await;
        assert!(
            results.iter().all(Result::is_ok),
            "{:?}",
            results.iter().find(|r| r.is_err())
        );
    }
    fx.wait_completed(&runs, Duration::from_mins(5)).await;
    let elapsed = started.elapsed();
    shutdown.cancel();
    let stats = running.await.unwrap();

    let (mut sent, mut handled_once, mut lost, mut twice) = (0, 0, 0, 0);
    for (wf, run) in &runs {
        let (signals, handled) = handled_counts(&fx.history(wf, run).await);
        sent += signals.len();
        for id in &signals {
            match handled.get(id) {
                None => lost += 1,
                Some(1) => handled_once += 1,
                Some(_) => twice += 1,
            }
        }
    }
    println!(
        "load: {sent} signals to {WORKFLOWS} workflows, {handled_once} handled once, {lost} lost, {twice} handled twice, {:.1} s, worker {stats:?}",
        elapsed.as_secs_f64()
    );
    assert_eq!(sent, WORKFLOWS * SIGNALS as usize);
    assert_eq!((handled_once, lost, twice), (1_000, 0, 0));
}
