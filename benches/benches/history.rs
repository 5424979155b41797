//! `history_memory_vs_boto3`: the heap a `DecisionTask` holds for a 25,000-event history
//! (signals with 50–500-character inputs, fetched by `DecisionTask::poll` from a
//! `scripts/swf-server` in 25 pages), against what boto3's parsed
//! `GetWorkflowExecutionHistory` events hold for the same history (Python, tracemalloc,
//! `scripts/bench_boto3_memory.py`, same server). Rust's side is measured with dhat's
//! global allocator: live bytes after the poll minus before, and the peak while paging.
//!
//! On the same execution, then, `sticky_pages` and `sticky_decide_cpu`: one more signal
//! arrives and is decided, alternately (a) the whole history polled (every page) and
//! replayed by a plain `WorkflowDecider`, and (b) as a sticky worker does: the task on
//! the worker's own list polled with `startAtPreviousStartedEvent` (the events since the
//! previous task) and folded into the state a sticky `WorkflowDecider` cached. Pages are
//! counted with an SDK interceptor; the decide time is the fold and `decide` (the network
//! is not in it). Each row is (a) / (b) over 5 decisions of each kind.
//!
//! Run: `cargo bench -p swf-signal-benches --bench history`
#![allow(clippy::expect_used, clippy::panic, clippy::cast_precision_loss)] // set-up failures end the bench with what failed; byte counts become f64 only for ratios

use std::path::PathBuf;
use std::process::Command;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_swf::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_swf::config::{ConfigBag, Intercept};
use aws_sdk_swf::operation::poll_for_decision_task::PollForDecisionTaskInput;
use serde::{Deserialize, Serialize};
use swf_signal::{
    DecideError, DecisionContext, DecisionTask, Decisions, Execution, FanOut, Signal, SignalSender,
    Workflow, WorkflowDecider,
};
use swf_signal_benches::{setup, SwfServer};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const SIGNALS: usize = 25_000;

#[derive(Debug, Signal)]
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

    let profiler = dhat::Profiler::builder().testing().build();
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
    drop(profiler);

    sticky_rows(&rt, &client, &domain, &task, (&ids[0], &run_id));
}

/// The history's workflow: counts characters of its notes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
struct Notes {
    chars: usize,
}

impl NoteHandler for Notes {
    type Output = ();
    fn text(&mut self, text: String) {
        self.chars += text.len();
    }
}

impl Workflow for Notes {
    const NAME: &'static str = "bench";
    const VERSION: &'static str = "1";
    type Signal = Note;
    type Input = ();
    fn start((): ()) -> Self {
        Notes::default()
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        _: &mut Decisions,
    ) -> Result<(), DecideError> {
        Ok(())
    }
}

/// Counts `PollForDecisionTask` calls: one per history page.
#[derive(Debug, Clone, Default)]
struct Pages(Arc<AtomicU64>);

impl Intercept for Pages {
    fn name(&self) -> &'static str {
        "Pages"
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
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }
}

fn sticky_rows(
    rt: &tokio::runtime::Runtime,
    client: &aws_sdk_swf::Client,
    domain: &str,
    first: &DecisionTask,
    (workflow_id, run_id): (&str, &str),
) {
    const ROUNDS: usize = 5;
    let pages = Pages::default();
    let client = aws_sdk_swf::Client::from_conf(
        client
            .config()
            .to_builder()
            .interceptor(pages.clone())
            .build(),
    );
    let sender = SignalSender::new(client.clone(), domain);
    let sticky = WorkflowDecider::<Notes>::new().sticky(16);
    let plain = WorkflowDecider::<Notes>::new();
    let sticky_list = "bench-sticky";
    let keep = Some((sticky_list, Duration::from_mins(1)));
    let poll = |list: &str, partial: bool| {
        let before = pages.0.load(Ordering::SeqCst);
        let task = rt
            .block_on(DecisionTask::poll_with(
                &client, domain, list, "bench", partial,
            ))
            .expect("poll")
            .expect("a task");
        (task, pages.0.load(Ordering::SeqCst) - before)
    };
    // The first task (polled above): whole, replayed, cached; its response makes the
    // execution sticky.
    let decisions = sticky.decide(first).expect("decide");
    rt.block_on(first.respond_with(&client, decisions, keep))
        .expect("respond");

    let (mut full_pages, mut sticky_pages) = (0u64, 0u64);
    let (mut full_time, mut sticky_time) = (Duration::ZERO, Duration::ZERO);
    for round in 0..ROUNDS * 2 {
        rt.block_on(sender.send(
            Execution::new(workflow_id, run_id),
            &Note::Text("one more".into()),
        ))
        .expect("send");
        let partial = round % 2 == 1;
        let (task, fetched) = poll(sticky_list, partial);
        let started = Instant::now();
        let decisions = if partial {
            sticky.decide(&task)
        } else {
            // A whole history keeps the sticky cache current too.
            let d = plain.decide(&task);
            let _ = sticky.state(&task);
            d
        }
        .expect("decide");
        let took = started.elapsed();
        if partial {
            assert!(!task.is_whole());
            sticky_pages += fetched;
            sticky_time += took;
        } else {
            full_pages += fetched;
            full_time += took;
        }
        rt.block_on(task.respond_with(&client, decisions, keep))
            .expect("respond");
    }
    let stats = sticky.cache_stats();
    assert_eq!(stats.hits, ROUNDS as u64, "{stats:?}");
    println!(
        "STICKY | per decision: full replay {:.1} pages, {:.3} ms; sticky {:.1} pages, {:.3} ms ({ROUNDS} each, cache {stats:?}) |",
        full_pages as f64 / ROUNDS as f64,
        full_time.as_secs_f64() * 1e3 / ROUNDS as f64,
        sticky_pages as f64 / ROUNDS as f64,
        sticky_time.as_secs_f64() * 1e3 / ROUNDS as f64,
    );
    let pages_ratio = full_pages as f64 / sticky_pages as f64;
    println!(
        "RATIO | `sticky_pages` | {pages_ratio:.1} | ≥ 20 | {} | {full_pages} pages / {sticky_pages} pages |",
        if pages_ratio >= 20.0 { "met" } else { "NOT MET" }
    );
    let cpu_ratio = full_time.as_secs_f64() / sticky_time.as_secs_f64();
    println!(
        "RATIO | `sticky_decide_cpu` | {cpu_ratio:.0} | ≥ 20 | {} | {:.0} µs / {:.0} µs |",
        if cpu_ratio >= 20.0 { "met" } else { "NOT MET" },
        full_time.as_secs_f64() * 1e6,
        sticky_time.as_secs_f64() * 1e6,
    );
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
