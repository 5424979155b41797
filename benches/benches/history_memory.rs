//! `history_memory_vs_boto3`: the heap a `DecisionTask` holds for a 25,000-event history
//! (signals with 50–500-character inputs, fetched by `DecisionTask::poll` from a
//! `scripts/swf-server` in 25 pages), against what boto3's parsed
//! `GetWorkflowExecutionHistory` events hold for the same history (Python, tracemalloc,
//! `scripts/bench_boto3_memory.py`, same server). Rust's side is measured with dhat's
//! global allocator: live bytes after the poll minus before, and the peak while paging.
//!
//! Run: `cargo bench -p swf-signal-benches --bench history_memory`
#![allow(clippy::expect_used, clippy::panic, clippy::cast_precision_loss)] // set-up failures end the bench with what failed; byte counts become f64 only for ratios

use std::path::PathBuf;
use std::process::Command;

use swf_signal::{DecisionTask, Execution, FanOut, Signal, SignalSender};
use swf_signal_benches::{setup, SwfServer};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const SIGNALS: usize = 25_000;

#[derive(Signal)]
enum Note {
    #[signal(raw)]
    Text(String),
}

fn main() {
    let (url, _server) = SwfServer::start(&[("SWF_SERVER_POLL_SECONDS", "5")]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (client, domain, ids) = rt.block_on(setup(&url, "memory", 1));
    let run_id = rt.block_on(open_run(&client, &domain, &ids[0]));
    // 25,000 signals, inputs of 50 to 500 characters.
    let sender = SignalSender::new(client.clone(), &domain).rate_limit(None);
    rt.block_on(async {
        for chunk in 0..SIGNALS / 1_000 {
            let targets = vec![Execution::new(&ids[0], run_id.as_str()); 1_000];
            let text = "x".repeat(50 + (chunk * 37) % 451);
            let report = sender
                .fan_out(&targets, &Note::Text(text), &FanOut::new().concurrency(8))
                .await;
            assert_eq!(report.summary.sent, 1_000, "{}", report.summary);
        }
    });

    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let task = rt
        .block_on(DecisionTask::poll(&client, &domain, "bench", "bench"))
        .expect("poll")
        .expect("a task");
    let after = dhat::HeapStats::get();
    let held = after.curr_bytes.saturating_sub(before.curr_bytes);
    let peak = after.max_bytes.saturating_sub(before.curr_bytes);
    let events = task.events().len();
    assert!(events > SIGNALS, "{events} events");

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("scripts/bench_boto3_memory.py"))
        .args([&url, &domain, &ids[0], &run_id])
        .output()
        .expect("run scripts/bench_boto3_memory.py");
    let text = String::from_utf8_lossy(&out.stdout);
    let boto3: f64 = text
        .split_whitespace()
        .nth(1)
        .and_then(|b| b.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no BOTO3_BYTES in {text:?} / {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    println!(
        "MEMORY | DecisionTask of {events} events: {:.2} MiB held ({:.0} bytes/event), peak while paging {:.2} MiB; boto3: {:.2} MiB ({}) |",
        held as f64 / 1_048_576.0,
        held as f64 / events as f64,
        peak as f64 / 1_048_576.0,
        boto3 / 1_048_576.0,
        text.trim()
    );
    let ratio = held as f64 / boto3;
    println!(
        "RATIO | `history_memory_vs_boto3` | {ratio:.3} | ≤ 0.5 | {} | {held} bytes / {boto3:.0} bytes |",
        if ratio <= 0.5 { "met" } else { "NOT MET" }
    );
    drop(task);
}

async fn open_run(client: &aws_sdk_swf::Client, domain: &str, workflow_id: &str) -> String {
    let out = client
        .list_open_workflow_executions()
        .domain(domain)
        .start_time_filter(
            aws_sdk_swf::types::ExecutionTimeFilter::builder()
                .oldest_date(aws_smithy_types::DateTime::from_secs(0))
                .build()
                .expect("filter"),
        )
        .execution_filter(
            aws_sdk_swf::types::WorkflowExecutionFilter::builder()
                .workflow_id(workflow_id)
                .build()
                .expect("filter"),
        )
        .send()
        .await
        .expect("list open");
    out.execution_infos()
        .first()
        .and_then(|i| i.execution())
        .map(|e| e.run_id().to_owned())
        .expect("an open run")
}
