//! `page_read_vs_sdk`: one `PollForDecisionTask` page of 1,000 events (the peers bench's
//! shape: three signals, then a decision task's scheduled/started/completed events) taken
//! into a `DecisionTask`, (a) by `DecisionTask::poll`, which reads the page's body
//! straight into compact events (`swf-signal/src/decide/page.rs`), against (b) what it did
//! before: the SDK's own deserializer (every event a 4,744-byte `HistoryEvent`) then
//! `DecisionTask::from_pages`. Both go through the SDK's test HTTP client
//! (`infallible_client_fn`, answering with the same body at once), so the whole SDK
//! pipeline runs and no server's time hides the reading. Pairs are interleaved, their
//! order alternating; the row is Σ (a) / Σ (b).
//!
//! Run: `cargo bench -p swf-signal-benches --bench page`
#![allow(clippy::cast_precision_loss)] // nanoseconds become f64 only for reporting ratios
#![allow(clippy::expect_used)] // set-up failures end the bench with what failed

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "support/replay_client.rs"]
mod replay_client;

use criterion::Criterion;
use swf_signal::DecisionTask;
use swf_signal_benches::{criterion_mean_ns, print_ratio};

const EVENTS: u64 = 1_000;

/// The page's body, as `scripts/swf-server` writes one.
fn page_body() -> String {
    let mut events = Vec::new();
    for id in 1..=EVENTS {
        let at = 1_764_720_000.0 + id as f64 * 0.013;
        let event = match id % 6 {
            1..=3 => serde_json::json!({
                "eventId": id, "eventTimestamp": at, "eventType": "WorkflowExecutionSignaled",
                "workflowExecutionSignaledEventAttributes": {
                    "signalName": "add", "input": format!("{}", id % 100),
                    "externalInitiatedEventId": 0,
                },
            }),
            4 => serde_json::json!({
                "eventId": id, "eventTimestamp": at, "eventType": "DecisionTaskScheduled",
                "decisionTaskScheduledEventAttributes": {
                    "taskList": {"name": "rust-0"}, "startToCloseTimeout": "60",
                    "taskPriority": "0",
                },
            }),
            5 => serde_json::json!({
                "eventId": id, "eventTimestamp": at, "eventType": "DecisionTaskStarted",
                "decisionTaskStartedEventAttributes": {"identity": "builder", "scheduledEventId": id - 1},
            }),
            _ => serde_json::json!({
                "eventId": id, "eventTimestamp": at, "eventType": "DecisionTaskCompleted",
                "decisionTaskCompletedEventAttributes": {"scheduledEventId": id - 2, "startedEventId": id - 1},
            }),
        };
        events.push(event);
    }
    serde_json::json!({
        "taskToken": "token-1",
        "startedEventId": EVENTS,
        "previousStartedEventId": EVENTS - 6,
        "workflowExecution": {"workflowId": "bench-0", "runId": "run-0"},
        "workflowType": {"name": "bench", "version": "1"},
        "events": events,
    })
    .to_string()
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let body = page_body();
    // The page lives as long as the bench (the test client wants a `'static` body).
    let client = replay_client::replay_client(Box::leak(body.clone().into_boxed_str()));

    let ours = || async {
        DecisionTask::poll(&client, "bench", "rust-0", "bench")
            .await
            .expect("poll")
            .expect("a task")
    };
    let sdk = || async {
        let page = client
            .poll_for_decision_task()
            .domain("bench")
            .task_list(
                aws_sdk_swf::types::TaskList::builder()
                    .name("rust-0")
                    .build()
                    .expect("list"),
            )
            .identity("bench")
            .send()
            .await
            .expect("poll");
        DecisionTask::from_pages([page]).expect("a task")
    };
    // Both readers give the same task (the unit tests compare them field by field on
    // generated pages; this checks the bench's own page).
    let (straight, via_sdk) = rt.block_on(async { (ours().await, sdk().await) });
    assert_eq!(straight.events(), via_sdk.events());
    assert_eq!(
        straight.events().len(),
        usize::try_from(EVENTS).expect("fits")
    );

    let mut c = Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let totals = std::cell::RefCell::new((Duration::ZERO, Duration::ZERO, 0u64));
    let pairs = |iters: u64, report_ours: bool| {
        rt.block_on(async {
            let mut mine = Duration::ZERO;
            for i in 0..iters {
                let (mut t_ours, mut t_sdk) = (Duration::ZERO, Duration::ZERO);
                for ours_first in [i % 2 == 0, i % 2 != 0] {
                    let t = Instant::now();
                    if ours_first {
                        black_box(ours().await);
                        t_ours = t.elapsed();
                    } else {
                        black_box(sdk().await);
                        t_sdk = t.elapsed();
                    }
                }
                let mut tot = totals.borrow_mut();
                tot.0 += t_ours;
                tot.1 += t_sdk;
                tot.2 += 1;
                mine += if report_ours { t_ours } else { t_sdk };
            }
            mine
        })
    };
    let mut g = c.benchmark_group("page");
    g.bench_function("read_straight", |b| {
        b.iter_custom(|iters| pairs(iters, true));
    });
    g.bench_function("sdk_then_compact", |b| {
        b.iter_custom(|iters| pairs(iters, false));
    });
    g.finish();
    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        let (ours_sum, sdk_sum, n) = *totals.borrow();
        print_ratio(
            "page_read_vs_sdk",
            Some(ours_sum.as_nanos() as f64 / n.max(1) as f64),
            Some(sdk_sum.as_nanos() as f64 / n.max(1) as f64),
            "< 1",
            |r| r < 1.0,
        );
        println!(
            "PAGE | {n} interleaved pairs of one {EVENTS}-event page, {} bytes; criterion means: read straight {:.0} µs, SDK then compact {:.0} µs |",
            body.len(),
            criterion_mean_ns("page", "read_straight").unwrap_or(f64::NAN) / 1e3,
            criterion_mean_ns("page", "sdk_then_compact").unwrap_or(f64::NAN) / 1e3
        );
    }
}
