//! No input content reaches the logs at info level or above: the sender, the bad-signal
//! policies and the worker are run with inputs holding a secret, every log line is
//! captured, and only trace lines may contain it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use swf_signal::testing::TaskBuilder;
use swf_signal::WorkflowDecider;
use swf_signal::{BadSignalPolicy, CancellationToken, Decisions, Signal, SignalSender, Worker};
use swf_signal_tests::{Counter, CounterSignal, Fixture};

const SECRET: &str = "4111-1111-1111-1111";

#[derive(Debug, Clone, PartialEq, Signal)]
enum Payment {
    Pay { card: String },
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn inputs_appear_only_at_trace_level() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .without_time()
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // The sender: a secret in a sent input.
    let fx = Fixture::new("logs").await;
    let run = fx.start("pay-1").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender
        .send(
            "pay-1",
            &Payment::Pay {
                card: SECRET.into(),
            },
        )
        .await
        .unwrap();

    // The policies: a secret in inputs that do not decode, including one that serde's
    // message would quote (a string where a number is expected).
    let mut h = TaskBuilder::new("pay-2");
    h.raw_signal(
        "Pay",
        Some(&format!("{{\"card\": 5, \"note\": \"{SECRET}\"}}")),
    );
    h.raw_signal("Add", Some(&format!("\"{SECRET}\"")));
    h.raw_signal("Refund", Some(SECRET));
    let task = h.build();
    for policy in [
        BadSignalPolicy::RecordMarker,
        BadSignalPolicy::FailWorkflow,
        BadSignalPolicy::LeaveUncompleted,
    ] {
        let _ = task.dispatch_new_signals::<CounterSignal, _>(
            &mut NoopCounter,
            &policy,
            &mut Decisions::new(),
        );
    }

    // The worker: a decider that fails on a signal whose input holds the secret.
    fx.client
        .signal_workflow_execution()
        .domain(&fx.domain)
        .workflow_id("pay-1")
        .signal_name("add")
        .input(format!("\"{SECRET}\""))
        .send()
        .await
        .unwrap();
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list).unwrap();
    let shutdown = CancellationToken::new();
    let stopper = shutdown.clone();
    let failed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let decider = {
        let failed = std::sync::Arc::clone(&failed);
        // Leaving the task uncompleted makes the bad signal a decider error.
        let workflow = WorkflowDecider::<Counter>::new().policy(BadSignalPolicy::LeaveUncompleted);
        move |task: &swf_signal::DecisionTask| {
            let out = workflow.decide(task);
            if out.is_err() {
                failed.store(true, std::sync::atomic::Ordering::SeqCst);
            }
            out
        }
    };
    // Stop once the decider has met the bad signal (or after 30 s, and fail below).
    let (stats, ()) = tokio::join!(worker.run(&decider, shutdown), async {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !failed.load(std::sync::atomic::Ordering::SeqCst)
            && std::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stopper.cancel();
    });
    assert!(
        stats.decider_errors >= 1,
        "the decider saw the bad signal: {stats:?}"
    );
    let _ = run;

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert_only_trace_has_the_secret(&logs);
}

/// No line at info or above holds the secret; the trace, warn and error lines the run
/// must produce are there (so the capture itself is proven to work).
fn assert_only_trace_has_the_secret(logs: &str) {
    let level = |line: &str| {
        line.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let leaks: Vec<&str> = logs
        .lines()
        .filter(|l| matches!(level(l).as_str(), "INFO" | "WARN" | "ERROR") && l.contains(SECRET))
        .collect();
    assert!(
        leaks.is_empty(),
        "input content at info or above:\n{}",
        leaks.join("\n")
    );
    // The capture works: the secret is there at trace, and the warnings were logged.
    assert!(
        logs.lines()
            .any(|l| level(l) == "TRACE" && l.contains(SECRET)),
        "{logs}"
    );
    assert!(
        logs.lines()
            .any(|l| level(l) == "WARN" && l.contains("undecodable signal")),
        "{logs}"
    );
    assert!(
        logs.lines()
            .any(|l| level(l) == "ERROR" && l.contains("decider failed")),
        "{logs}"
    );
}

struct NoopCounter;

impl swf_signal_tests::CounterSignalHandler for NoopCounter {
    type Output = ();
    fn add(&mut self, _value: u32) {}
    fn finish(&mut self) {}
}
