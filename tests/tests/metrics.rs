//! The `metrics` feature: what a decider, a worker on `scripts/swf-server` and a throttled
//! fan-out emit, captured by a recorder installed for this test binary. Signals are counted
//! once (on the task that brings them), by declared name (an undeclared one as
//! `(undeclared)`); no label carries a workflow or run id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use metrics::{
    Counter, CounterFn, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder,
    SharedString, Unit,
};
use swf_signal::testing::TaskBuilder;
use swf_signal::{Execution, FanOut, Worker, WorkflowClient, WorkflowDecider};
use swf_signal_tests::{
    client_on_port, spawn_worker, Counter as CounterWf, CounterSignal, Fixture, OwnServer,
};

/// Every counter's total and every histogram's values, by `name{label=value,…}`.
#[derive(Clone, Default)]
struct Captured {
    counters: Arc<Mutex<BTreeMap<String, u64>>>,
    histograms: Arc<Mutex<BTreeMap<String, Vec<f64>>>>,
}

fn render(key: &Key) -> String {
    let mut labels: Vec<String> = key
        .labels()
        .map(|l| format!("{}={}", l.key(), l.value()))
        .collect();
    labels.sort();
    format!("{}{{{}}}", key.name(), labels.join(","))
}

struct One {
    key: String,
    to: Captured,
}

impl CounterFn for One {
    fn increment(&self, value: u64) {
        *self
            .to
            .counters
            .lock()
            .unwrap()
            .entry(self.key.clone())
            .or_default() += value;
    }
    fn absolute(&self, value: u64) {
        self.to
            .counters
            .lock()
            .unwrap()
            .insert(self.key.clone(), value);
    }
}

impl HistogramFn for One {
    fn record(&self, value: f64) {
        self.to
            .histograms
            .lock()
            .unwrap()
            .entry(self.key.clone())
            .or_default()
            .push(value);
    }
}

impl Recorder for Captured {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(Arc::new(One {
            key: render(key),
            to: self.clone(),
        }))
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(Arc::new(One {
            key: render(key),
            to: self.clone(),
        }))
    }
}

fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let c = Captured::default();
        metrics::set_global_recorder(c.clone()).unwrap();
        c
    })
}

fn count(name: &str) -> u64 {
    captured()
        .counters
        .lock()
        .unwrap()
        .get(name)
        .copied()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deciders_workers_and_fan_outs_emit_bounded_metrics() {
    let c = captured();

    // A decider: two good signals, one that does not decode, one of an undeclared name.
    let mut h = TaskBuilder::for_workflow::<CounterWf>("metrics-1");
    h.signal(&CounterSignal::Add(2));
    h.signal(&CounterSignal::Add(3));
    h.raw_signal("add", Some("\"x\""));
    h.raw_signal("order-4711-hack", Some("{}"));
    let sticky = WorkflowDecider::<CounterWf>::new().sticky(4).checked();
    sticky.decide(&h.build()).unwrap();
    let received = |s: &str| {
        count(&format!(
            "swf_signal_signals_received_total{{signal={s},workflow_type=order}}"
        ))
    };
    assert_eq!(received("add"), 3);
    assert_eq!(received("(undeclared)"), 1);
    assert_eq!(
        count("swf_signal_signals_decoded_total{signal=add,workflow_type=order}"),
        2
    );
    assert_eq!(
        count("swf_signal_signals_rejected_total{signal=add,workflow_type=order}"),
        1
    );
    assert_eq!(
        count("swf_signal_signals_rejected_total{signal=(undeclared),workflow_type=order}"),
        1
    );
    // The next task folds them again (and a check-mode replay a third time): not counted.
    h.decision_task_completed();
    h.signal(&CounterSignal::Finish);
    let whole = h.build();
    let decided = sticky.decide(&h.build_partial()).unwrap();
    sticky.check_decisions(&whole, &decided).unwrap();
    assert_eq!(received("add"), 3, "old signals are not counted again");
    assert_eq!(received("finish"), 1);
    assert_eq!(count("swf_signal_sticky_hits_total{}"), 1);
    sticky.evict("metrics-1", whole.run_id());
    assert!(sticky.decide(&h.build_partial()).is_err());
    assert_eq!(count("swf_signal_sticky_misses_total{}"), 1);

    // A worker on the server: each decision task counted and timed, by workflow type.
    let fx = Fixture::new("metrics").await;
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list).unwrap();
    let (shutdown, stats) = spawn_worker(worker, WorkflowDecider::<CounterWf>::new());
    let run = fx.start("metrics-run").await;
    let sender = WorkflowClient::new(fx.client.clone(), &fx.domain)
        .sender()
        .clone();
    sender
        .send("metrics-run", &CounterSignal::Finish)
        .await
        .unwrap();
    fx.wait_completed(&[("metrics-run".to_owned(), run)], Duration::from_secs(20))
        .await;
    shutdown.cancel();
    let stats = stats.await.unwrap();
    let tasks = count("swf_signal_decision_tasks_total{outcome=responded,workflow_type=order}");
    assert_eq!(tasks, stats.responded, "{stats:?}");
    let timed = c.histograms.lock().unwrap()
        ["swf_signal_decision_task_seconds{workflow_type=order}"]
        .clone();
    assert_eq!(timed.len() as u64, stats.tasks);
    assert!(timed.iter().all(|s| *s >= 0.0 && *s < 10.0), "{timed:?}");

    // A fan-out without our bucket on a server that throttles: each throttle counted.
    let port = OwnServer::free_port();
    let _server = OwnServer::start_with_env(
        port,
        &[("SWF_SERVER_THROTTLE", "SignalWorkflowExecution=2/2")],
    );
    let fx = Fixture::with_client(client_on_port(port).await, "metrics-fan").await;
    let mut targets = Vec::new();
    for i in 0..4 {
        let run = fx.start(&format!("fan-{i}")).await;
        for _ in 0..3 {
            targets.push(Execution::new(format!("fan-{i}"), run.as_str()));
        }
    }
    let report = WorkflowClient::new(fx.client.clone(), &fx.domain)
        .sender()
        .clone()
        .rate_limit(None)
        .fan_out(
            &targets,
            &CounterSignal::Add(1),
            &FanOut::new().concurrency(12),
        )
        .await;
    assert!(report.summary.throttled_retries > 0, "{:?}", report.summary);
    assert_eq!(
        count("swf_signal_fanout_throttled_total{}"),
        report.summary.throttled_retries
    );

    // No label anywhere names an execution.
    for key in c
        .counters
        .lock()
        .unwrap()
        .keys()
        .chain(c.histograms.lock().unwrap().keys())
    {
        assert!(!key.contains("metrics-") && !key.contains("fan-"), "{key}");
    }
}
