//! `SignalSender::send` against the raw SDK call it wraps, both through the SDK's own
//! test HTTP client (`aws_smithy_http_client::test_util::infallible_client_fn`, answering
//! every request with an empty 200 at once): the whole SDK pipeline runs (serialization,
//! signing, retries, deserialization), but no server's milliseconds per request hide the
//! sender's own cost. Each measured call is interleaved with a call of the other kind.
//! Prints the `send_vs_raw_sdk` row.
//!
//! Run: `cargo bench -p swf-signal-benches --bench send`
#![allow(clippy::cast_precision_loss)] // counts and nanoseconds become f64 only for reporting ratios
#![allow(clippy::expect_used)] // set-up failures end the bench with what failed

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "support/replay_client.rs"]
mod replay_client;

use criterion::Criterion;
use swf_signal::{Signal, SignalSender};
use swf_signal_benches::{criterion_mean_ns, print_ratio, BenchSignal, CancelReason};

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = replay_client::replay_client("{}");
    let domain = "bench-send".to_owned();
    let ids: Vec<String> = (0..64).map(|i| format!("bench-{i}")).collect();
    let sender = SignalSender::new(client.clone(), &domain);
    let signal = BenchSignal::Cancel(CancelReason {
        code: "DUPLICATE".into(),
        detail: "ordered twice, keep the first one and refund the second".into(),
    });

    // What a careful engineer writes without the library: encode, then the SDK call.
    let raw = |i: u64| {
        let (client, domain, id) = (
            &client,
            &domain,
            &ids[usize::try_from(i).unwrap_or(0) % ids.len()],
        );
        let signal = &signal;
        async move {
            let input = match signal {
                BenchSignal::Cancel(reason) => serde_json::to_string(reason).expect("encode"),
                _ => String::new(),
            };
            client
                .signal_workflow_execution()
                .domain(domain)
                .workflow_id(id)
                .signal_name("cancel")
                .input(input)
                .send()
                .await
                .expect("raw signal");
        }
    };
    let typed = |i: u64| {
        let (sender, id) = (&sender, &ids[usize::try_from(i).unwrap_or(0) % ids.len()]);
        let signal = &signal;
        async move {
            sender
                .send(id.as_str(), signal)
                .await
                .expect("typed signal");
        }
    };
    assert_eq!(signal.signal_name(), "cancel");

    let mut c = Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    // Every pair is timed whole: criterion's estimates come from the same loop, and the
    // row is Σ typed / Σ raw over all pairs, so both sides see the same server state.
    // Pairs alternate their order (ABBA) so neither side always goes first.
    let totals = std::cell::RefCell::new((Duration::ZERO, Duration::ZERO, 0u64));
    let pairs = |iters: u64, report_typed: bool| {
        rt.block_on(async {
            let mut mine = Duration::ZERO;
            for i in 0..iters {
                let (mut t_typed, mut t_raw) = (Duration::ZERO, Duration::ZERO);
                for typed_first in [i % 2 == 0, i % 2 != 0] {
                    let t = Instant::now();
                    if typed_first {
                        typed(i).await;
                        t_typed = t.elapsed();
                    } else {
                        raw(i).await;
                        t_raw = t.elapsed();
                    }
                }
                let mut tot = totals.borrow_mut();
                tot.0 += t_typed;
                tot.1 += t_raw;
                tot.2 += 1;
                mine += if report_typed { t_typed } else { t_raw };
            }
            black_box(mine)
        })
    };
    let mut g = c.benchmark_group("send");
    g.bench_function("typed", |b| b.iter_custom(|iters| pairs(iters, true)));
    g.bench_function("raw_sdk", |b| b.iter_custom(|iters| pairs(iters, false)));
    g.finish();
    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        let (typed_sum, raw_sum, n) = *totals.borrow();
        print_ratio(
            "send_vs_raw_sdk",
            Some(typed_sum.as_nanos() as f64 / n.max(1) as f64),
            Some(raw_sum.as_nanos() as f64 / n.max(1) as f64),
            "≤ 1.05",
            |r| r <= 1.05,
        );
        println!(
            "SEND | {n} interleaved pairs; criterion means: typed {:.0} ns, raw {:.0} ns |",
            criterion_mean_ns("send", "typed").unwrap_or(f64::NAN),
            criterion_mean_ns("send", "raw_sdk").unwrap_or(f64::NAN)
        );
    }
}
