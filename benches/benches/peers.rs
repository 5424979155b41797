//! Peers measured side by side (DESIGN.md "Peers measured side by side"): the same
//! history for every decider — 5,000 `add(n)` signals in one execution, interleaved with
//! the decision tasks a live workflow has (three signals, then a task answered with no
//! decision), about 10,000 events, then `finish` — each in the decider's own wire format,
//! on `scripts/swf-server`. Each decider takes the execution's pending task, decodes
//! every signal and makes the same decision: complete with the sum (checked here, for
//! every decider). Figures: process CPU per decision task (poll every page, parse, decode,
//! decide, respond; median of `PEERS_RUNS` executions, default 3) and memory.
//!
//! - `WorkflowDecider` whole: a plain decider replays the whole history (CPU of this
//!   thread, `/proc/thread-self/schedstat`, the runtime being current-thread; bytes live
//!   while deciding, dhat — profiling in a separate execution, its bookkeeping costs CPU);
//! - `WorkflowDecider` sticky: the previous task decided by a sticky decider, which keeps
//!   the state and routes the next task to its own list; the measured task is polled with
//!   `startAtPreviousStartedEvent` and folded into the cached state (bytes: what the cache
//!   holds for the execution between tasks);
//! - simpleflow's decider (`scripts/bench_simpleflow_peer.py`: `DeciderPoller` + `Executor`,
//!   `time.process_time_ns`; bytes live while deciding, tracemalloc);
//! - the Flow Framework for Java 2.0's decider (`interop/flow-framework`, `FlowInterop
//!   bench` / `bench-affinity`; JVM process CPU less the watching thread's, the first
//!   execution a JIT warm-up not counted): affinity off, Flow's `WorkflowWorker` replays the
//!   whole history (bytes: the heap's peak above its post-GC level, garbage included — an
//!   upper bound); affinity on, its `AffinityWorkflowWorker` decides the task from its
//!   decider cache (bytes: the heap retained after a GC with the execution cached). Needs
//!   `SWF_SIGNAL_FLOW_CP`, which `scripts/bench` exports.
//!
//! Run: `./scripts/bench peers` (or `cargo bench -p swf-signal-benches --bench peers` with
//! the `.venv` and `SWF_SIGNAL_FLOW_CP` in place).
#![allow(clippy::expect_used, clippy::panic, clippy::cast_precision_loss)] // set-up failures end the bench with what failed; figures become f64 only for ratios

use std::path::PathBuf;
use std::process::Command;

use swf_signal::{
    DecideError, DecisionContext, DecisionTask, Decisions, Signal, SignalSender, Workflow,
    WorkflowDecider,
};
use swf_signal_benches::{thread_cpu_ns, SwfServer};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const SIGNALS: u32 = 5_000;
/// Decisions measured per decider (`PEERS_RUNS`, default 3); building each history costs
/// about 8,000 calls to the server, so this is what the bench's time scales with.
fn runs() -> usize {
    std::env::var("PEERS_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
}

/// The JSON-format signals of the Rust execution.
#[derive(Debug, Clone, Signal)]
#[signal(rename_all = "snake_case")]
enum Sum {
    Add(u32),
    Finish,
}

#[derive(Debug, Clone, Signal)]
#[signal(rename_all = "snake_case", format = "simpleflow")]
enum SimpleflowSum {
    Add(u32),
    Finish,
}

#[derive(Debug, Clone, Signal)]
#[signal(
    rename_all = "camelCase",
    format = "flow-java",
    java_package = "com.example"
)]
enum FlowSum {
    Add(i32),
    Finish,
}

#[derive(Debug, Clone, Default)]
struct Total {
    sum: u64,
    finished: bool,
}

impl SumHandler for Total {
    type Output = ();
    fn add(&mut self, n: u32) {
        self.sum += u64::from(n);
    }
    fn finish(&mut self) {
        self.finished = true;
    }
}

impl Workflow for Total {
    const NAME: &'static str = "peer-sum-rust";
    const VERSION: &'static str = "1";
    type Signal = Sum;
    type Input = ();
    fn start((): ()) -> Self {
        Total::default()
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if self.finished {
            decisions.complete(Some(&self.sum.to_string()))?;
        }
        Ok(())
    }
}

/// Bytes live on the heap now when dhat is profiling (`profiling`), else 0.
fn dhat_bytes(profiling: bool) -> usize {
    if profiling {
        dhat::HeapStats::get().curr_bytes
    } else {
        0
    }
}

fn expected_sum() -> u64 {
    (0..SIGNALS).map(|i| u64::from(i % 100)).sum()
}

#[derive(Clone)]
struct Bench {
    client: aws_sdk_swf::Client,
    domain: String,
}

impl Bench {
    async fn register(&self, name: &str) {
        self.client
            .register_workflow_type()
            .domain(&self.domain)
            .name(name)
            .version("1")
            .default_execution_start_to_close_timeout("3600")
            .default_task_start_to_close_timeout("60")
            .default_child_policy(aws_sdk_swf::types::ChildPolicy::Terminate)
            .send()
            .await
            .expect("register type");
    }

    /// Starts `workflow_id` of `name` on the task list of that name and builds its history: 5,000 `add`
    /// signals made by `add`, three per answered decision task, then `finish`; the
    /// execution's last task is left pending on `list`.
    async fn prepare<S: Signal>(
        &self,
        name: &str,
        workflow_id: &str,
        input: Option<&str>,
        add: impl Fn(u32) -> S,
        finish: Option<S>,
    ) {
        let wf_type = aws_sdk_swf::types::WorkflowType::builder()
            .name(name)
            .version("1")
            .build()
            .expect("type");
        self.client
            .start_workflow_execution()
            .domain(&self.domain)
            .workflow_id(workflow_id)
            .workflow_type(wf_type)
            .task_list(
                aws_sdk_swf::types::TaskList::builder()
                    .name(workflow_id)
                    .build()
                    .expect("list"),
            )
            .set_input(input.map(ToOwned::to_owned))
            .send()
            .await
            .expect("start");
        let sender = SignalSender::new(self.client.clone(), &self.domain).rate_limit(None);
        let mut n = 0;
        while n < SIGNALS {
            // The pending task (the start's, then the signals') answered with no decision.
            self.answer_empty(workflow_id).await;
            for _ in 0..3 {
                if n < SIGNALS {
                    sender.send(workflow_id, &add(n % 100)).await.expect("send");
                    n += 1;
                }
            }
        }
        // With `finish`: the builder answers task N-1 and `finish` brings task N. Without
        // (the sticky runs): task N-1 is left pending for the sticky decider.
        if let Some(finish) = finish {
            self.answer_empty(workflow_id).await;
            sender
                .send(workflow_id, &finish)
                .await
                .expect("send finish");
        }
    }

    /// Answers the list's pending task with no decision. Straight SDK calls reading one
    /// event: the builder needs the token only, and `DecisionTask::poll` would read the
    /// whole history each time (1,667 times per execution, quadratic in its length).
    async fn answer_empty(&self, list: &str) {
        let task = self
            .client
            .poll_for_decision_task()
            .domain(&self.domain)
            .task_list(
                aws_sdk_swf::types::TaskList::builder()
                    .name(list)
                    .build()
                    .expect("list"),
            )
            .identity("builder")
            .maximum_page_size(1)
            .reverse_order(true)
            .send()
            .await
            .expect("poll");
        let token = task.task_token();
        assert!(!token.is_empty(), "no pending task on {list}");
        self.client
            .respond_decision_task_completed()
            .task_token(token)
            .send()
            .await
            .expect("respond");
    }
}

/// Flow's start input: its `JsonDataConverter`'s empty argument list.
const FLOW_NO_ARGUMENTS: &str = r#"["[Ljava.lang.Object;",[]]"#;

/// Builds one execution's history on its own task, in `set`.
fn spawn_history<S: Signal + Send + Sync + 'static>(
    set: &mut tokio::task::JoinSet<()>,
    bench: &Bench,
    name: &'static str,
    workflow_id: String,
    input: Option<&'static str>,
    add: fn(u32) -> S,
    finish: Option<S>,
) {
    let b = bench.clone();
    set.spawn(async move { b.prepare(name, &workflow_id, input, add, finish).await });
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[allow(clippy::too_many_lines)] // one measurement script, read top to bottom
fn main() {
    let (url, _server) = SwfServer::start(&[("SWF_SERVER_POLL_SECONDS", "2")]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (client, domain, _) = rt.block_on(swf_signal_benches::setup(&url, "peers", 0));
    let bench = Bench { client, domain };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let want = expected_sum();
    let events = std::cell::Cell::new(0);

    // Every history first (four at a time: the server's own threads), so the deciders run
    // on a quiet server.
    let runs = runs();
    rt.block_on(async {
        for name in ["peer-sum-rust", "peer-sum-simpleflow", "peer-sum"] {
            bench.register(name).await;
        }
        for i in 0..=runs {
            let mut set = tokio::task::JoinSet::new();
            let flow_input = Some(FLOW_NO_ARGUMENTS);
            let flow_add = |n: u32| FlowSum::Add(i32::try_from(n).expect("small"));
            spawn_history(
                &mut set,
                &bench,
                "peer-sum-rust",
                format!("rust-{i}"),
                None,
                Sum::Add,
                Some(Sum::Finish),
            );
            // The sticky and affinity executions leave task N-1 pending: the decider takes
            // it (and caches the execution), then `finish` brings the measured task N.
            spawn_history(
                &mut set,
                &bench,
                "peer-sum-rust",
                format!("sticky-{i}"),
                None,
                Sum::Add,
                None,
            );
            spawn_history(
                &mut set,
                &bench,
                "peer-sum-simpleflow",
                format!("simpleflow-{i}"),
                None,
                SimpleflowSum::Add,
                Some(SimpleflowSum::Finish),
            );
            spawn_history(
                &mut set,
                &bench,
                "peer-sum",
                format!("flow-{i}"),
                flow_input,
                flow_add,
                Some(FlowSum::Finish),
            );
            spawn_history(
                &mut set,
                &bench,
                "peer-sum",
                format!("flowaff-{i}"),
                flow_input,
                flow_add,
                None,
            );
            while let Some(done) = set.join_next().await {
                done.expect("a history");
            }
            eprintln!("histories {i} of {runs} built");
        }
    });
    eprintln!("histories built");

    // WorkflowDecider, whole history, and sticky: executions 0..runs for CPU, then
    // execution `runs` of each for memory, under dhat (whose bookkeeping costs CPU, so it
    // is not running while CPU is measured).
    let whole = WorkflowDecider::<Total>::new();
    let whole_once = |i: usize, profiling: bool| -> (u64, usize) {
        let list = format!("rust-{i}");
        let before_bytes = dhat_bytes(profiling);
        let before = thread_cpu_ns();
        let (result, held) = rt.block_on(async {
            let task = DecisionTask::poll(&bench.client, &bench.domain, &list, "rust")
                .await
                .expect("poll")
                .expect("a task");
            events.set(task.events().len());
            let decisions = whole.decide(&task).expect("decide");
            let held = dhat_bytes(profiling).saturating_sub(before_bytes);
            let result = decisions.as_slice()[0]
                .complete_workflow_execution_decision_attributes()
                .and_then(|a| a.result())
                .map(ToOwned::to_owned);
            task.respond(&bench.client, decisions)
                .await
                .expect("respond");
            (result, held)
        });
        let cpu = thread_cpu_ns() - before;
        assert_eq!(result, Some(want.to_string()), "rust {i}");
        (cpu, held)
    };

    // Sticky: a sticky decider took task N-1 (the whole history: the fold is cached, and
    // the next task is routed to its own list); `finish` brings task N, polled with
    // `startAtPreviousStartedEvent` and folded into the cached state. Measured: task N;
    // the bytes are what the cache holds for the execution once task N-1's history is
    // dropped.
    let sticky = WorkflowDecider::<Total>::new().sticky(16);
    let sender = SignalSender::new(bench.client.clone(), &bench.domain).rate_limit(None);
    let sticky_once = |i: usize, profiling: bool| -> (u64, usize) {
        let id = format!("sticky-{i}");
        let own = format!("sticky-{i}-own");
        let before_bytes = dhat_bytes(profiling);
        rt.block_on(async {
            let task = DecisionTask::poll(&bench.client, &bench.domain, &id, "sticky")
                .await
                .expect("poll")
                .expect("task N-1");
            let decisions = sticky.decide(&task).expect("decide N-1");
            assert!(
                !decisions.closes_workflow(),
                "sticky {i}: finish is not in yet"
            );
            task.respond_with(
                &bench.client,
                decisions,
                Some((&own, std::time::Duration::from_secs(30))),
            )
            .await
            .expect("respond N-1");
        });
        let held = dhat_bytes(profiling).saturating_sub(before_bytes);
        rt.block_on(sender.send(id.as_str(), &Sum::Finish))
            .expect("finish");
        let before = thread_cpu_ns();
        let result = rt.block_on(async {
            let task = DecisionTask::poll_with(&bench.client, &bench.domain, &own, "sticky", true)
                .await
                .expect("poll")
                .expect("task N");
            assert!(!task.is_whole(), "a partial history");
            let decisions = sticky.decide(&task).expect("decided from the cache");
            let result = decisions.as_slice()[0]
                .complete_workflow_execution_decision_attributes()
                .and_then(|a| a.result())
                .map(ToOwned::to_owned);
            task.respond(&bench.client, decisions)
                .await
                .expect("respond N");
            result
        });
        let cpu = thread_cpu_ns() - before;
        assert_eq!(result, Some(want.to_string()), "sticky {i}");
        (cpu, held)
    };
    let rust_cpu: Vec<f64> = (0..runs).map(|i| whole_once(i, false).0 as f64).collect();
    let sticky_cpu: Vec<f64> = (0..runs).map(|i| sticky_once(i, false).0 as f64).collect();
    let profiler = dhat::Profiler::builder().testing().build();
    let rust_bytes = whole_once(runs, true).1;
    let sticky_bytes = sticky_once(runs, true).1;
    drop(profiler);
    let events = events.get();
    assert_eq!(
        sticky.cache_stats().misses,
        0,
        "every task N decided from the cache"
    );

    // simpleflow.
    let python = root.join(".venv/bin/python");
    let script = root.join("scripts/bench_simpleflow_peer.py");
    let run_python = |mode: &str, lists: &[String]| -> Vec<(u64, String)> {
        let out = Command::new(&python)
            .arg(&script)
            .arg(&url)
            .arg(&bench.domain)
            .arg(mode)
            .args(lists)
            // The local server's dummy credentials, as the Rust client's (`setup`): the
            // bench needs no AWS configuration.
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .expect("run scripts/bench_simpleflow_peer.py");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "simpleflow: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        text.lines()
            .filter_map(|l| l.strip_prefix("SIMPLEFLOW "))
            .map(|l| {
                let parts: Vec<&str> = l.split_whitespace().collect();
                (
                    parts[2].parse().expect("a figure"),
                    parts.get(3).copied().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let cpu_lists: Vec<String> = (0..runs).map(|i| format!("simpleflow-{i}")).collect();
    let simpleflow_cpu = run_python("cpu", &cpu_lists);
    let simpleflow_mem = run_python("memory", &[format!("simpleflow-{runs}")]);
    for (_, result) in simpleflow_cpu.iter().chain(&simpleflow_mem) {
        assert!(
            result.contains(&want.to_string()),
            "simpleflow decided {result}, not the sum {want}"
        );
    }
    let simpleflow_cpu = median(simpleflow_cpu.iter().map(|(c, _)| *c as f64).collect());
    let simpleflow_bytes = simpleflow_mem[0].0 as f64;

    // The Flow Framework for Java, its decider affinity off and on.
    let run_java = |mode: &str, prefix: &str, tag: &str| -> Option<(f64, f64)> {
        let cp = std::env::var("SWF_SIGNAL_FLOW_CP").ok()?;
        let lists: Vec<String> = (0..=runs).map(|i| format!("{prefix}-{i}")).collect();
        let out = Command::new("java")
            .arg("-cp")
            .arg(cp)
            .arg("com.example.flow.FlowInterop")
            .arg(mode)
            .arg(&bench.domain)
            .args(&lists)
            .env("SWF_SERVER_URL", &url)
            .output()
            .expect("run java");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "flow {mode}: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Vec<(f64, f64, String)> = text
            .lines()
            .filter_map(|l| l.strip_prefix(tag))
            .map(|l| {
                let p: Vec<&str> = l.split_whitespace().collect();
                (
                    p[1].parse().expect("cpu"),
                    p[2].parse().expect("bytes"),
                    p.get(3).copied().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        assert_eq!(rows.len(), runs + 1, "flow {mode}: {text}");
        for (_, _, result) in &rows {
            assert_eq!(result, &want.to_string(), "flow {mode} decided {result}");
        }
        // The first execution pays the JVM's class loading and JIT: warm-up, not counted.
        Some((
            median(rows[1..].iter().map(|r| r.0).collect()),
            median(rows[1..].iter().map(|r| r.1).collect()),
        ))
    };
    let flow = run_java("bench", "flow", "FLOW ");
    let flow_affinity = run_java("bench-affinity", "flowaff", "FLOW_AFFINITY ");

    let rust = median(rust_cpu);
    let sticky = median(sticky_cpu);
    let ms = |ns: f64| format!("{:.1} ms", ns / 1e6);
    let mib = |b: f64| format!("{:.2} MiB", b / 1_048_576.0);
    println!(
        "PEERS | one decision on a {events}-event history of {SIGNALS} signals, process CPU (median of {runs}): WorkflowDecider whole {}, sticky {:.2} ms, simpleflow {}{}; memory: WorkflowDecider {} live while deciding, {} bytes held by the sticky cache between tasks; simpleflow {} live while deciding{} |",
        ms(rust),
        sticky / 1e6,
        ms(simpleflow_cpu),
        match (flow, flow_affinity) {
            (Some((w, _)), Some((a, _))) => format!(", Flow-Java {} (affinity off), {} (affinity on)", ms(w), ms(a)),
            _ => ", Flow-Java not measured (SWF_SIGNAL_FLOW_CP unset)".to_owned(),
        },
        mib(rust_bytes as f64),
        sticky_bytes,
        mib(simpleflow_bytes),
        match (flow, flow_affinity) {
            (Some((_, w)), Some((_, a))) => format!(
                ", Flow-Java heap peak above its post-GC level {} while deciding (affinity off; garbage included), {} retained with the execution in its decider cache (affinity on)",
                mib(w),
                mib(a)
            ),
            _ => String::new(),
        },
    );
    let row = |name: &str, n: f64, d: f64, goal: f64, unit: &str| {
        println!(
            "RATIO | `{name}` | {:.1} | ≥ {goal} | {} | {n:.0} {unit} / {d:.0} {unit} |",
            n / d,
            if n / d >= goal { "met" } else { "NOT MET" }
        );
    };
    row("cpu_vs_simpleflow", simpleflow_cpu, rust, 30.0, "ns");
    row(
        "sticky_cpu_vs_simpleflow",
        simpleflow_cpu,
        sticky,
        30.0,
        "ns",
    );
    row(
        "memory_vs_simpleflow",
        simpleflow_bytes,
        rust_bytes as f64,
        2.0,
        "bytes",
    );
    match (flow, flow_affinity) {
        (Some((cpu, _)), Some((affinity_cpu, retained))) => {
            row("cpu_vs_flow_java", cpu, rust, 5.0, "ns");
            row("sticky_cpu_vs_flow_java_affinity", affinity_cpu, sticky, 5.0, "ns");
            row("memory_vs_flow_java_affinity", retained, sticky_bytes as f64, 2.0, "bytes");
        }
        _ => println!(
            "RATIO | `cpu_vs_flow_java` | not measured (SWF_SIGNAL_FLOW_CP unset) | ≥ 5 | NOT MEASURED | |"
        ),
    }
}
