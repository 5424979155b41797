//! `fanout_vs_token_bucket_minimum`: 1,000 signals to 200 executions through a
//! `scripts/swf-server` that throttles `SignalWorkflowExecution` at a bucket of 50
//! refilled at 20 per second, sent by `SignalSender::fan_out` with the same rate limit.
//! The fastest any client can go is the bucket's minimum, (1,000 − 50) / 20 = 47.5 s;
//! the row is the fan-out's elapsed time over that minimum, in one run.
//!
//! Always starts its own server (the throttle is a server setting).
//!
//! Run: `cargo bench -p swf-signal-benches --bench fanout`
#![allow(clippy::expect_used)] // set-up failures end the bench with what failed

use swf_signal::{Execution, FanOut, RateLimit, SignalSender};
use swf_signal_benches::{print_ratio, setup, BenchSignal, SwfServer};

const EXECUTIONS: usize = 200;
const PER_EXECUTION: usize = 5;

fn main() {
    let (url, _server) =
        SwfServer::start(&[("SWF_SERVER_THROTTLE", "SignalWorkflowExecution=50/20")]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (client, domain, ids) = rt.block_on(setup(&url, "fanout", EXECUTIONS));
    let limit = RateLimit::new(50.0, 20.0).expect("a valid rate");
    let sender = SignalSender::new(client, &domain).rate_limit(Some(limit));
    let targets: Vec<Execution> = (0..PER_EXECUTION)
        .flat_map(|_| ids.iter().map(Execution::current))
        .collect();
    let report = rt.block_on(sender.fan_out(
        &targets,
        &BenchSignal::Comment("nudge".into()),
        &FanOut::new().concurrency(16),
    ));
    let minimum = limit.minimum_duration(targets.len());
    println!("FANOUT | {} |", report.summary);
    assert_eq!(report.summary.sent, targets.len(), "{}", report.summary);
    print_ratio(
        "fanout_vs_token_bucket_minimum",
        Some(report.summary.elapsed.as_secs_f64() * 1e9),
        Some(minimum.as_secs_f64() * 1e9),
        "≤ 1.15",
        |r| r <= 1.15,
    );
}
