//! `pollers_scaling`: decisions per second of a `Worker` with 2 pollers over 1 poller, for
//! a decider that burns 20 ms of CPU per task. The SDK client is aws-smithy-mocks (every
//! poll returns a task at once, every response succeeds), so the worker's own
//! concurrency is what is measured, not a local server competing for the same 2 cores.
//! Each poller is a tokio task and each decision runs on the blocking pool, so 2 pollers
//! should use 2 cores: goal ≥ 1.7.
//!
//! Run: `cargo bench -p swf-signal-benches --bench pollers`
#![allow(clippy::expect_used, clippy::cast_precision_loss)] // set-up failures end the bench; counts become f64 only for ratios

use std::time::{Duration, Instant};

use aws_sdk_swf::operation::respond_decision_task_completed::RespondDecisionTaskCompletedOutput;
use aws_sdk_swf::Client;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use swf_signal::testing::TaskBuilder;
use swf_signal::{CancellationToken, DecideError, DecisionTask, Decisions, Signal, Worker};

#[derive(Signal)]
enum Tick {
    Tick,
}

/// 20 ms of CPU, not of sleep. (A `Decider` returns a `Result`: the wrap is its signature.)
#[allow(clippy::unnecessary_wraps)]
fn burn(task: &DecisionTask) -> Result<Decisions, DecideError> {
    let until = Instant::now() + Duration::from_millis(20);
    let mut x: u64 = task.started_event_id().unsigned_abs();
    while Instant::now() < until {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
    }
    Ok(Decisions::new())
}

fn client() -> Client {
    let mut history = TaskBuilder::new("bench-1");
    for _ in 0..10 {
        history.signal(&Tick::Tick);
    }
    let page = history.pages(1).remove(0);
    let poll = mock!(Client::poll_for_decision_task)
        .sequence()
        .output(move || page.clone())
        .repeatedly()
        .build();
    let respond = mock!(Client::respond_decision_task_completed)
        .sequence()
        .output(|| RespondDecisionTaskCompletedOutput::builder().build())
        .repeatedly()
        .build();
    let client = mock_client!(aws_sdk_swf, RuleMode::MatchAny, &[&poll, &respond]);
    let config = client
        .config()
        .to_builder()
        .timeout_config(swf_signal::worker::worker_timeouts())
        .build();
    Client::from_conf(config)
}

/// Decisions per second with `pollers` pollers over `window`.
fn rate(rt: &tokio::runtime::Runtime, pollers: usize, window: Duration) -> f64 {
    let worker = Worker::new(client(), "bench", "deciders")
        .expect("worker")
        .pollers(pollers)
        .expect("pollers");
    let shutdown = CancellationToken::new();
    let stats = rt.block_on(async {
        let stopper = shutdown.clone();
        let run = tokio::spawn(async move { worker.run(&burn, shutdown).await });
        tokio::time::sleep(window).await;
        stopper.cancel();
        run.await.expect("worker task")
    });
    stats.responded as f64 / window.as_secs_f64()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let window = Duration::from_secs(5);
    // Alternating, twice each, so a noisy minute weighs on both.
    let (mut one, mut two) = (0.0, 0.0);
    for _ in 0..2 {
        one += rate(&rt, 1, window);
        two += rate(&rt, 2, window);
    }
    println!(
        "THROUGHPUT | pollers: {:.1} decisions/s with 1 poller, {:.1} with 2 (20 ms of CPU each) |",
        one / 2.0,
        two / 2.0
    );
    let ratio = two / one;
    println!(
        "RATIO | `pollers_scaling` | {ratio:.3} | ≥ 1.7 | {} | {:.1} / {:.1} decisions per second |",
        if ratio >= 1.7 { "met" } else { "NOT MET" },
        two / 2.0,
        one / 2.0
    );
}
