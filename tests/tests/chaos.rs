//! Chaos: executions signalled by the project's sender while two sticky, checked workers
//! decide them, on `scripts/swf-server` with injected faults (`SWF_SERVER_FAULTS`: 5xx
//! before and after a call is applied, held answers) on the sender's, the poller's, the
//! history fetch's and the response's calls; one worker is killed midway and another
//! started. Every execution must close with the result its workflow computes from
//! exactly the signals SWF recorded (none lost, none folded twice), every recorded
//! signal handled once.
//!
//! Sized for CI by `SWF_CHAOS_EXECUTIONS` (default 200, 10 signals each); `scripts/chaos
//! 2000` runs a long one and prints the figures RELIABILITY.md quotes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::{Duration, Instant};

use aws_sdk_swf::types::EventType;
use swf_signal::{SendError, SignalSender, Worker, WorkflowDecider};
use swf_signal_tests::{
    client_on_port, handled_counts, spawn_worker, Counter, CounterSignal, Fixture, OwnServer,
};

const SIGNALS: u32 = 10;
const FAULTS: &str = "SignalWorkflowExecution=fail:0.05,SignalWorkflowExecution=lose:0.03,\
PollForDecisionTask=delay:0.05,RespondDecisionTaskCompleted=fail:0.05,\
RespondDecisionTaskCompleted=lose:0.02,GetWorkflowExecutionHistory=fail:0.05";

fn executions() -> usize {
    std::env::var("SWF_CHAOS_EXECUTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn worker(client: &aws_sdk_swf::Client, fx: &Fixture, identity: &str) -> Worker {
    Worker::new(client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .identity(identity)
        .unwrap()
        .pollers(2)
        .unwrap()
        .sticky_schedule_to_start(Duration::from_secs(2))
        .max_backoff(Duration::from_millis(500))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_execution_closes_with_exactly_the_signals_swf_recorded() {
    let started = Instant::now();
    let server = OwnServer::start_with_env(
        OwnServer::free_port(),
        &[
            ("SWF_SERVER_FAULTS", FAULTS),
            ("SWF_SERVER_FAULT_SEED", "2026"),
            ("SWF_SERVER_POLL_SECONDS", "2"),
        ],
    );
    // The workers' client has the SDK's retries off: what recovers from the faults is
    // the library (backoff on polls, retried pages, fetches and responses). The test's
    // own calls, and the sender's, go through the SDK's standard retries (a 5xx after
    // the call was applied is then resent: the signal is recorded twice, which the
    // workflow must fold twice).
    let bare = client_on_port(server.port).await;
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{}", server.port))
        .credentials_provider(aws_sdk_swf::config::Credentials::for_tests())
        .retry_config(aws_sdk_swf::config::retry::RetryConfig::standard().with_max_attempts(5))
        .load()
        .await;
    let retrying = aws_sdk_swf::Client::new(&config);
    let fx = Fixture::with_client(retrying.clone(), "chaos").await;
    let n = executions();
    let mut runs = Vec::new();
    for i in 0..n {
        let wf = format!("chaos-{i}");
        runs.push((wf.clone(), fx.start_with_timeout(&wf, "5").await));
    }
    let decider = || WorkflowDecider::<Counter>::new().sticky(n).checked();
    let (a_shutdown, a_running) = spawn_worker(worker(&bare, &fx, "chaos-a"), decider());
    let (b_shutdown, b_running) = spawn_worker(worker(&bare, &fx, "chaos-b"), decider());
    let sender = SignalSender::new(retrying.clone(), &fx.domain);
    let mut send_errors = 0u32;
    drop(a_shutdown); // A is killed, never shut down
    let mut a = Some(a_running);
    let mut c = None;
    for round in 0..SIGNALS {
        if round == SIGNALS / 2 {
            // Kill worker A (no graceful shutdown: its polls and tasks die with it) and
            // start C; A's sticky executions revert to the shared list.
            if let Some(running) = a.take() {
                running.abort();
            }
            c = Some(spawn_worker(worker(&bare, &fx, "chaos-c"), decider()));
        }
        let signal = if round + 1 == SIGNALS {
            CounterSignal::Finish
        } else {
            CounterSignal::Add(round + 1)
        };
        for (wf, run) in &runs {
            // Until SWF says it has it: resent after an error that may not have applied
            // it; one that may have is left as it is (the history says what happened).
            loop {
                match sender
                    .send(swf_signal::Execution::new(wf, run), &signal)
                    .await
                {
                    Ok(()) => break,
                    // Only a resent Finish meets a closed run: its first attempt was
                    // recorded (its answer lost) and the workflow completed on it. The
                    // histories are checked below either way.
                    Err(SendError::NotOpen { .. }) if matches!(signal, CounterSignal::Finish) => {
                        break
                    }
                    Err(err) => {
                        send_errors += 1;
                        if err.may_have_been_applied() {
                            break;
                        }
                    }
                }
            }
        }
    }
    finish_where_missing(&fx, &sender, &runs).await;
    fx.wait_completed(&runs, Duration::from_mins(4)).await;
    let elapsed = started.elapsed();
    b_shutdown.cancel();
    let b = b_running.await.unwrap();
    let (c_shutdown, c_running) = c.unwrap();
    c_shutdown.cancel();
    let c = c_running.await.unwrap();

    let recorded_signals = check_histories(&fx, &runs).await;
    println!(
        "CHAOS | {n} executions, {} signals recorded ({} sent), {send_errors} send errors | worker B: {b:?} | worker C: {c:?} | {:.1} s |",
        recorded_signals,
        n * SIGNALS as usize,
        elapsed.as_secs_f64()
    );
    assert_eq!(b.check_failures + c.check_failures, 0, "sticky = replay");
    assert!(
        b.respond_errors + c.respond_errors + b.poll_errors + c.poll_errors > 0 || send_errors > 0,
        "the faults were injected: some call must have failed"
    );
}

/// Each execution closed once, with the sum of exactly the Adds SWF recorded before its
/// Finish, every recorded signal handled once; returns how many signals SWF recorded.
async fn check_histories(fx: &Fixture, runs: &[(String, String)]) -> usize {
    let mut recorded_signals = 0usize;
    for (wf, run) in runs {
        let history = fx.history(wf, run).await;
        // The result is the sum of exactly the Adds SWF recorded before the Finish the
        // workflow completed on.
        let mut expected = 0u64;
        for e in &history {
            if let Some(a) = e.workflow_execution_signaled_event_attributes() {
                if a.signal_name() == "finish" {
                    break;
                }
                expected += a.input().unwrap_or("0").parse::<u64>().unwrap();
            }
        }
        let result = history
            .iter()
            .find_map(|e| e.workflow_execution_completed_event_attributes())
            .and_then(|a| a.result().map(ToOwned::to_owned));
        assert_eq!(result, Some(expected.to_string()), "{wf}");
        assert_eq!(
            history
                .iter()
                .filter(|e| *e.event_type() == EventType::WorkflowExecutionCompleted)
                .count(),
            1
        );
        // Every signal recorded before the close was handled exactly once.
        let (signals, handled) = handled_counts(&history);
        for id in &signals {
            assert_eq!(handled.get(id), Some(&1), "{wf}: signal event {id}");
        }
        recorded_signals += signals.len();
    }
    recorded_signals
}

/// A Finish whose answer was lost may not have been recorded: sent again where the
/// history has none.
async fn finish_where_missing(fx: &Fixture, sender: &SignalSender, runs: &[(String, String)]) {
    for (wf, run) in runs {
        let history = fx.history(wf, run).await;
        let finished = history.iter().any(|e| {
            e.workflow_execution_signaled_event_attributes()
                .is_some_and(|a| a.signal_name() == "finish")
        });
        if !finished {
            sender
                .send(swf_signal::Execution::new(wf, run), &CounterSignal::Finish)
                .await
                .unwrap();
        }
    }
}
