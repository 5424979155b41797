//! Profiling aid for the whole-history decision (the `peers` bench's
//! `cpu_vs_simpleflow`): one execution of 5,000 signals on `scripts/swf-server`, then
//! `WorkflowHandle::state()` (every page fetched, parsed and replayed, as a plain decider
//! does) `PROFILE_REPLAYS` times (default 30), printing the mean; `PROFILE_MODE=poll`
//! replays through `DecisionTask::poll` instead (the decider's path, every page of
//! `PollForDecisionTask`). Run it under a profiler:
//! `perf record -g target/release/examples/profile_replay`.
#![allow(clippy::expect_used, clippy::cast_precision_loss)] // a profiling aid: set-up failures end it with what failed

use swf_signal::{
    DecideError, DecisionContext, Decisions, Signal, SignalSender, Workflow, WorkflowClient,
};
use swf_signal_benches::{thread_cpu_ns, SwfServer};

#[derive(Debug, Clone, Signal)]
#[signal(rename_all = "snake_case")]
enum Sum {
    Add(u32),
}

#[derive(Debug, Default)]
struct Total(u64);

impl SumHandler for Total {
    type Output = ();
    fn add(&mut self, n: u32) {
        self.0 += u64::from(n);
    }
}

impl Workflow for Total {
    const NAME: &'static str = "bench";
    const VERSION: &'static str = "1";
    type Signal = Sum;
    type Input = ();
    fn start((): ()) -> Self {
        Total::default()
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        _: &mut Decisions,
    ) -> Result<(), DecideError> {
        Ok(())
    }
}

fn main() {
    let (url, _server) = SwfServer::start(&[]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (client, domain, ids) = rt.block_on(swf_signal_benches::setup(&url, "replay", 1));
    let sender = SignalSender::new(client.clone(), &domain).rate_limit(None);
    rt.block_on(async {
        for n in 0..5_000 {
            sender
                .send(ids[0].as_str(), &Sum::Add(n % 100))
                .await
                .expect("send");
        }
    });
    let replays: u32 = std::env::var("PROFILE_REPLAYS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    // Time to attach a profiler to the replays only: `perf record -p PID`.
    eprintln!(
        "history built (pid {}); replaying in 2 s",
        std::process::id()
    );
    std::thread::sleep(std::time::Duration::from_secs(2));
    if std::env::var("PROFILE_MODE").as_deref() == Ok("poll") {
        poll_replays(&rt, &client, &domain, &sender, ids[0].as_str(), replays);
        return;
    }
    let handle = WorkflowClient::new(client, &domain).handle::<Total>(ids[0].as_str());
    let started = std::time::Instant::now();
    let cpu = thread_cpu_ns();
    for _ in 0..replays {
        let state = rt.block_on(handle.state()).expect("state");
        assert_eq!(state.0, (0..5_000u64).map(|n| n % 100).sum::<u64>());
    }
    println!(
        "{replays} replays of a 5,003-event history: {:.1} ms each, {:.1} ms of this thread's CPU",
        started.elapsed().as_secs_f64() * 1e3 / f64::from(replays),
        (thread_cpu_ns() - cpu) as f64 / 1e6 / f64::from(replays)
    );
}

/// `PROFILE_MODE=poll`: the decider's path instead of `state()`'s — `DecisionTask::poll`
/// (every page of `PollForDecisionTask`) and the replay; only that is timed. Between
/// replays the task is answered with no decision and one more signal brings the next.
fn poll_replays(
    rt: &tokio::runtime::Runtime,
    client: &aws_sdk_swf::Client,
    domain: &str,
    sender: &SignalSender,
    id: &str,
    replays: u32,
) {
    let decider = swf_signal::WorkflowDecider::<Total>::new();
    let (mut cpu, mut wall, mut events) = (0, std::time::Duration::ZERO, 0);
    for _ in 0..replays {
        let started = std::time::Instant::now();
        let before = thread_cpu_ns();
        let (task, decisions) = rt.block_on(async {
            let task = swf_signal::DecisionTask::poll(client, domain, "bench", "profile")
                .await
                .expect("poll")
                .expect("a task");
            let decisions = swf_signal::Decider::decide(&decider, &task).expect("decide");
            (task, decisions)
        });
        cpu += thread_cpu_ns() - before;
        wall += started.elapsed();
        events = task.events().len();
        rt.block_on(async {
            task.respond(client, decisions).await.expect("respond");
            sender.send(id, &Sum::Add(1)).await.expect("send");
        });
    }
    println!(
        "{replays} polls of a ~{events}-event history: {:.1} ms each, {:.1} ms of this thread's CPU",
        wall.as_secs_f64() * 1e3 / f64::from(replays),
        cpu as f64 / 1e6 / f64::from(replays)
    );
}
