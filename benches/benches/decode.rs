//! Decoding and finding signals in a 25,000-event history, against hand-written
//! baselines measured in the same run. Prints the ratio rows of BENCHMARKS.md.
//!
//! Run: `cargo bench -p swf-signal-benches --bench decode`
#![allow(clippy::cast_precision_loss)] // counts and nanoseconds become f64 only for reporting ratios

use std::cell::RefCell;
use std::hint::black_box;
use std::sync::Mutex;

use aws_sdk_swf::types::EventType;
use criterion::{Criterion, Throughput};
use swf_signal::Signal;
use swf_signal_benches::{
    criterion_mean_ns, decode_handwritten, decode_via_value, print_ratio, signal_inputs,
    task_all_new, task_one_new, BenchSignal, Paired,
};

const EVENTS: usize = 25_000;

/// Decodes every signal of the task with `decode`: the one loop all three rows share,
/// generic so each decoder is inlined as it would be in user code.
fn decode_all<E>(
    task: &swf_signal::DecisionTask,
    decode: impl Fn(&str, Option<&str>) -> Result<BenchSignal, E>,
) -> Result<Vec<BenchSignal>, E> {
    task.events()
        .iter()
        .filter_map(|e| e.workflow_execution_signaled_event_attributes())
        .map(|a| decode(a.signal_name(), a.input()))
        .collect()
}

/// The pair sums of `decode_group`, read by `main` to print the rows.
static PAIRS: Mutex<Option<(Paired, Paired)>> = Mutex::new(None);

fn decode_group(c: &mut Criterion) {
    let task = task_all_new(EVENTS);
    let inputs = signal_inputs(&task);
    let mut g = c.benchmark_group("decode_25k");
    g.throughput(Throughput::Elements(inputs.len() as u64));
    // All three walk the same events and build the same Vec<BenchSignal>. Each is timed
    // in pairs with its baseline (see `Paired`); the rows are ratios of the pair sums.
    let derived = || drop(black_box(decode_all(black_box(&task), BenchSignal::decode)));
    let handwritten = || drop(black_box(decode_all(black_box(&task), decode_handwritten)));
    let via_value = || drop(black_box(decode_all(black_box(&task), decode_via_value)));
    let vs_handwritten = RefCell::new(Paired::default());
    let vs_value = RefCell::new(Paired::default());
    g.bench_function("derived", |b| {
        b.iter_custom(|iters| {
            vs_handwritten
                .borrow_mut()
                .run(iters, true, derived, handwritten)
        });
    });
    g.bench_function("handwritten", |b| {
        b.iter_custom(|iters| {
            vs_handwritten
                .borrow_mut()
                .run(iters, false, derived, handwritten)
        });
    });
    g.bench_function("via_value", |b| {
        b.iter_custom(|iters| vs_value.borrow_mut().run(iters, true, via_value, derived));
    });
    g.finish();
    *PAIRS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some((*vs_handwritten.borrow(), *vs_value.borrow()));

    let signals: Vec<BenchSignal> = inputs
        .iter()
        .filter_map(|(n, i)| BenchSignal::decode(n, *i).ok())
        .collect();
    let mut g = c.benchmark_group("encode");
    g.throughput(Throughput::Elements(signals.len() as u64));
    g.bench_function("derived", |b| {
        b.iter(|| {
            black_box(&signals)
                .iter()
                .map(|s| s.encode_input().map(|i| i.map_or(0, |t| t.len())))
                .sum::<Result<usize, _>>()
        });
    });
    g.finish();
}

fn new_signals_group(c: &mut Criterion) {
    let task = task_one_new(EVENTS);
    let prev = task.previous_started_event_id();
    let mut g = c.benchmark_group("new_signals_25k");
    g.bench_function("new_signals", |b| {
        b.iter(|| {
            black_box(&task)
                .new_signals::<BenchSignal>()
                .collect::<Vec<_>>()
        });
    });
    // The baseline: look at every event for signals after previousStartedEventId.
    g.bench_function("full_scan", |b| {
        b.iter(|| {
            black_box(&task)
                .events()
                .iter()
                .filter(|e| {
                    e.event_id() > prev && *e.event_type() == EventType::WorkflowExecutionSignaled
                })
                .filter_map(|e| e.workflow_execution_signaled_event_attributes())
                .map(|a| BenchSignal::decode(a.signal_name(), a.input()))
                .collect::<Vec<_>>()
        });
    });
    g.finish();
}

/// Resident memory (kB) of this process: (current, peak), from /proc.
fn rss_kb() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn memory_report() {
    let before = rss_kb();
    let task = task_all_new(EVENTS);
    let with_history = rss_kb();
    let decoded: Vec<_> = task.signals::<BenchSignal>().collect();
    let after = rss_kb();
    let input_bytes: usize = signal_inputs(&task)
        .iter()
        .map(|(_, i)| i.map_or(0, str::len))
        .sum();
    if let (Some(b), Some(h), Some(a)) = (before, with_history, after) {
        println!(
            "MEMORY | history of {} events: +{} kB resident; decoding its {} signals ({} kB of input) into Received<BenchSignal>: +{} kB resident; peak resident {} kB |",
            task.events().len(),
            h.0.saturating_sub(b.0),
            decoded.len(),
            input_bytes / 1024,
            a.0.saturating_sub(h.0),
            a.1
        );
    }
    black_box(decoded);
}

fn main() {
    memory_report();
    let mut c = Criterion::default().configure_from_args();
    decode_group(&mut c);
    new_signals_group(&mut c);
    c.final_summary();
    // `cargo bench --no-run` and `--test` runs skip the ratios.
    if std::env::args().any(|a| a == "--bench") {
        let pairs = *PAIRS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (h, v) = pairs.unwrap_or_default();
        print_ratio(
            "decode_vs_handwritten",
            h.mean_a_ns(),
            h.mean_b_ns(),
            "≤ 1.05",
            |r| r <= 1.05,
        );
        print_ratio(
            "decode_vs_value",
            v.mean_a_ns(),
            v.mean_b_ns(),
            "≥ 1.5",
            |r| r >= 1.5,
        );
        println!(
            "PAIRS | decode: {} derived/hand-written pairs, {} via-Value/derived pairs; criterion means: derived {:.0} ns, hand-written {:.0} ns, via Value {:.0} ns |",
            h.pairs,
            v.pairs,
            criterion_mean_ns("decode_25k", "derived").unwrap_or(f64::NAN),
            criterion_mean_ns("decode_25k", "handwritten").unwrap_or(f64::NAN),
            criterion_mean_ns("decode_25k", "via_value").unwrap_or(f64::NAN),
        );
        print_ratio(
            "new_signals_vs_scan",
            criterion_mean_ns("new_signals_25k", "full_scan"),
            criterion_mean_ns("new_signals_25k", "new_signals"),
            "≥ 100",
            |r| r >= 100.0,
        );
        if let Some(ns) = criterion_mean_ns("encode", "derived") {
            let n = signal_inputs(&task_all_new(EVENTS)).len() as f64;
            println!(
                "THROUGHPUT | encode | {:.0} signals/s ({n} signals in {:.2} ms) |",
                n / (ns / 1e9),
                ns / 1e6
            );
        }
    }
}
