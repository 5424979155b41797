//! `SignalSender::send` against the raw SDK call it wraps, both against the same
//! `scripts/swf-server`. Each measured call is interleaved with a call of the other kind, so drift in
//! the server (its histories grow) weighs on both alike. Prints the `send_vs_raw_sdk` row.
//!
//! Uses `AWS_ENDPOINT_URL_SWF` when set (scripts/test, scripts/bench); otherwise starts
//! `scripts/swf-server` (which installs moto into `./.venv`) and stops it afterwards.
//!
//! Run: `cargo bench -p swf-signal-benches --bench send`
#![allow(clippy::cast_precision_loss)] // counts and nanoseconds become f64 only for reporting ratios
#![allow(clippy::expect_used)] // set-up failures end the bench with what failed

use std::hint::black_box;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use aws_sdk_swf::types::{ChildPolicy, TaskList, WorkflowType};
use criterion::Criterion;
use swf_signal::{Signal, SignalSender};
use swf_signal_benches::{criterion_mean_ns, print_ratio, BenchSignal, CancelReason};

/// A `scripts/swf-server` this bench started, stopped on drop.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn endpoint() -> (String, Option<Server>) {
    if let Ok(url) = std::env::var("AWS_ENDPOINT_URL_SWF") {
        if !url.is_empty() {
            return (url, None);
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(root.join("scripts/swf-server"))
        .arg(port.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start scripts/swf-server");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_mins(2);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "scripts/swf-server did not listen on {port} within 120 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (format!("http://127.0.0.1:{port}"), Some(server))
}

async fn setup(url: &str) -> (aws_sdk_swf::Client, String, Vec<String>) {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(aws_sdk_swf::config::Credentials::for_tests())
        .load()
        .await;
    let client = aws_sdk_swf::Client::new(&config);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let domain = format!("bench-send-{nanos}");
    client
        .register_domain()
        .name(&domain)
        .workflow_execution_retention_period_in_days("1")
        .send()
        .await
        .expect("register domain");
    let wf_type = WorkflowType::builder()
        .name("bench")
        .version("1")
        .build()
        .expect("type");
    client
        .register_workflow_type()
        .domain(&domain)
        .name("bench")
        .version("1")
        .default_task_list(TaskList::builder().name("bench").build().expect("list"))
        .default_execution_start_to_close_timeout("3600")
        .default_task_start_to_close_timeout("60")
        .default_child_policy(ChildPolicy::Terminate)
        .send()
        .await
        .expect("register type");
    let mut ids = Vec::new();
    // Many executions, so no one history grows long enough to slow the server down.
    for i in 0..64 {
        let id = format!("bench-{i}");
        client
            .start_workflow_execution()
            .domain(&domain)
            .workflow_id(&id)
            .workflow_type(wf_type.clone())
            .send()
            .await
            .expect("start");
        ids.push(id);
    }
    (client, domain, ids)
}

fn main() {
    let (url, _server) = endpoint();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (client, domain, ids) = rt.block_on(setup(&url));
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
