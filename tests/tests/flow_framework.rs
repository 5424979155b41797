//! The AWS Flow Framework for Java itself (2.0, `interop/flow-framework`, from Maven Central)
//! on the wire with swf-signal, on `scripts/swf-server`:
//! 1. a Rust `SignalSender` signals a Flow workflow (flow-java format) and Flow's own decider
//!    completes it with every value and its Java runtime class;
//! 2. Flow's external client signals a Rust `WorkflowDecider`, which decodes every case;
//! 3. a Rust workflow sends `SignalExternalWorkflowExecution` to the Flow workflow and sees
//!    it delivered (and Flow's decider sees the value).
//!
//! `scripts/test` builds the Maven project and exports its classpath as
//! `SWF_SIGNAL_FLOW_CP`; without it this test fails, saying so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use swf_signal::Signal as _;
use swf_signal::{
    Closed, DecideError, DecisionContext, Decisions, Dispatch, Worker, Workflow, WorkflowClient,
    WorkflowDecider, WorkflowEvent, Workflows,
};
use swf_signal_tests::flow_cases::{cases, OrderSignals};
use swf_signal_tests::{spawn_worker, Fixture};

const FLOW_TASK_LIST: &str = "flow-deciders";

fn classpath() -> String {
    std::env::var("SWF_SIGNAL_FLOW_CP").unwrap_or_else(|_| {
        panic!("SWF_SIGNAL_FLOW_CP is not set: run scripts/test, which builds interop/flow-framework with Maven and exports its classpath")
    })
}

fn java(args: &[&str]) -> Command {
    let mut cmd = Command::new("java");
    cmd.arg("-cp")
        .arg(classpath())
        .arg("com.example.flow.FlowInterop")
        .args(args)
        .env(
            "SWF_SERVER_URL",
            std::env::var("AWS_ENDPOINT_URL_SWF").expect("AWS_ENDPOINT_URL_SWF"),
        );
    cmd
}

/// Runs a Flow mode to completion; its stdout.
fn flow(args: &[&str]) -> String {
    let out = java(args).stderr(Stdio::inherit()).output().expect("java");
    assert!(out.status.success(), "FlowInterop {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// Flow's `WorkflowWorker`, running until dropped (its stdin closes).
struct FlowWorker(Child);

impl FlowWorker {
    fn start(domain: &str) -> Self {
        let mut child = java(&["worker", domain, FLOW_TASK_LIST])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("java");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "Flow's worker did not start");
        FlowWorker(child)
    }
}

impl Drop for FlowWorker {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

/// A handle type for Flow's workflow (`flow-orders` 1): Rust only signals it and waits.
#[derive(Debug)]
struct FlowOrders;

impl swf_signal::Workflow for FlowOrders {
    const NAME: &'static str = "flow-orders";
    const VERSION: &'static str = "1";
    type Signal = OrderSignals;
    type Input = ();
    fn start((): ()) -> Self {
        FlowOrders
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        _: &mut Decisions,
    ) -> Result<(), DecideError> {
        Ok(())
    }
}

impl swf_signal_tests::flow_cases::OrderSignalsHandler for FlowOrders {
    type Output = ();
    fn ping(&mut self) {}
    fn cancel(&mut self, _: String) {}
    fn r#move(&mut self, _: i32, _: i64) {}
    fn approve(&mut self, _: String, _: Option<u8>) {}
    #[allow(clippy::too_many_arguments, clippy::similar_names)]
    fn everything(
        &mut self,
        _: i8,
        _: i16,
        _: u8,
        _: u32,
        _: u64,
        _: f32,
        _: f64,
        _: char,
        _: bool,
        _: Option<String>,
    ) {
    }
    fn nested(
        &mut self,
        _: Vec<i64>,
        _: std::collections::BTreeMap<String, i64>,
        _: (i32, String),
        _: swf_signal_tests::flow_cases::Reason,
        _: swf_signal_tests::flow_cases::Color,
    ) {
    }
    fn dated(
        &mut self,
        _: i64,
        _: swf_signal_tests::flow_cases::Why,
        _: Vec<swf_signal_tests::flow_cases::Reason>,
    ) {
    }
    fn widened(&mut self, _: i32, _: i64, _: i16) {}
    fn done(&mut self) {}
}

/// A Rust workflow that Flow's external client signals: it keeps every signal as decoded
/// and completes, on `done`, with their Debug forms, one per line.
#[derive(Debug, Default, Clone)]
struct Receiver {
    seen: Vec<String>,
    done: bool,
}

impl Workflow for Receiver {
    const NAME: &'static str = "rust-receiver";
    const VERSION: &'static str = "1";
    type Signal = Seen;
    type Input = ();
    fn start((): ()) -> Self {
        Receiver::default()
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if self.done {
            decisions.complete(Some(&self.seen.join("\n")))?;
        }
        Ok(())
    }
}

/// `OrderSignals` received whole: the handler keeps the value itself.
#[derive(Debug)]
struct Seen(OrderSignals);

impl swf_signal::Signal for Seen {
    const NAMES: &'static [&'static str] = OrderSignals::NAMES;
    fn signal_name(&self) -> &'static str {
        self.0.signal_name()
    }
    fn encode_input(&self) -> Result<Option<String>, swf_signal::EncodeError> {
        self.0.encode_input()
    }
    fn decode(name: &str, input: Option<&str>) -> Result<Self, swf_signal::DecodeError> {
        OrderSignals::decode(name, input).map(Seen)
    }
}

impl Dispatch<Receiver> for Seen {
    type Output = ();
    fn dispatch(self, r: &mut Receiver) {
        if self.0 == OrderSignals::Done {
            r.done = true;
        } else {
            r.seen.push(format!("{:?}", self.0));
        }
    }
}

/// A Rust workflow that signals the Flow workflow with a decision and completes once SWF
/// says it was delivered.
#[derive(Debug, Default, Clone)]
struct Forwarder {
    delivered: bool,
}

impl Workflow for Forwarder {
    const NAME: &'static str = "rust-forwarder";
    const VERSION: &'static str = "1";
    type Signal = Seen;
    type Input = String;
    fn start(_target: String) -> Self {
        Forwarder::default()
    }
    fn apply(&mut self, event: &WorkflowEvent<'_>) {
        if let WorkflowEvent::SignalDelivered {
            control: Some("to-flow"),
            ..
        } = event
        {
            self.delivered = true;
        }
    }
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if self.delivered {
            decisions.complete(Some("delivered"))?;
        } else if ctx.is_first_task() {
            decisions.signal_external(
                "flow-orders-1",
                &OrderSignals::Cancel("from a rust decider".into()),
                Some("to-flow"),
            )?;
        }
        Ok(())
    }
}

impl Dispatch<Forwarder> for Seen {
    type Output = ();
    fn dispatch(self, _: &mut Forwarder) {}
}

fn completed(closed: Closed) -> String {
    match closed {
        Closed::Completed { result } => result.unwrap_or_default(),
        other => panic!("closed {other}, not COMPLETED"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_framework_itself_on_the_wire() {
    let fx = Fixture::new("flow").await;
    let _flow = FlowWorker::start(&fx.domain);
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list).unwrap();
    let deciders = Workflows::new()
        .add(WorkflowDecider::<Receiver>::new())
        .add(WorkflowDecider::<Forwarder>::new());
    worker.register(&deciders).await.unwrap();
    let (shutdown, stats) = spawn_worker(worker, deciders);
    let within = Duration::from_mins(1);

    // Flow's own external client starts its workflow.
    let run = flow(&["start", &fx.domain, "flow-orders-1"]);
    let flow_run = run.trim().to_owned();
    println!("flow started flow-orders-1 run {flow_run}");

    // 3. A Rust decider signals it; SWF reports the delivery to the Rust workflow.
    let forwarder = client
        .start::<Forwarder>("rust-forwarder-1", &"flow-orders-1".to_owned())
        .await
        .unwrap();
    let outcome = completed(
        tokio::time::timeout(within, forwarder.result())
            .await
            .unwrap()
            .unwrap(),
    );
    assert_eq!(outcome, "delivered");
    println!("rust decider's signal delivered to the Flow workflow");

    // 1. The Rust sender signals every case, then done.
    let flow_handle = client.handle::<FlowOrders>("flow-orders-1").run(&flow_run);
    let expected = cases();
    for (value, _) in &expected {
        flow_handle.signal(value).await.unwrap();
    }
    flow_handle.signal(&OrderSignals::Done).await.unwrap();
    let result = completed(
        tokio::time::timeout(within, flow_handle.result())
            .await
            .unwrap()
            .unwrap(),
    );
    // Flow's JsonDataConverter writes the String result as a JSON string.
    let result: String = serde_json::from_str(&result).unwrap();
    let lines: Vec<&str> = result.lines().collect();
    println!("flow's decider saw:\n{result}");
    assert_eq!(
        lines[0], "ok cancel String(from a rust decider)",
        "the Rust decider's signal first"
    );
    assert_eq!(lines.len(), expected.len() + 1, "{result}");
    for ((value, want), got) in expected.iter().zip(&lines[1..]) {
        assert_eq!(got, want, "Flow's view of {value:?}");
    }

    // 2. Flow's external client signals a Rust workflow: every case decodes.
    let receiver = client
        .start::<Receiver>("rust-receiver-1", &())
        .await
        .unwrap();
    let sent = flow(&["signal", &fx.domain, "rust-receiver-1"]);
    print!("{sent}");
    let seen = completed(
        tokio::time::timeout(within, receiver.result())
            .await
            .unwrap()
            .unwrap(),
    );
    println!("rust decoded from flow:\n{seen}");
    // Flow sends the values of `cases()` but the last (widening is Java→Java only).
    let mut want: Vec<String> = expected.iter().map(|(v, _)| format!("{v:?}")).collect();
    want.pop();
    assert_eq!(seen.lines().collect::<Vec<_>>(), want);

    // The Flow workflow's history as Rust reads it: every signal decodes.
    let history = fx.history("flow-orders-1", &flow_run).await;
    let signals: Vec<_> = history
        .iter()
        .filter_map(|e| e.workflow_execution_signaled_event_attributes())
        .collect();
    assert_eq!(signals.len(), expected.len() + 2);
    for s in signals {
        OrderSignals::decode(s.signal_name(), s.input()).unwrap();
    }
    shutdown.cancel();
    let stats = stats.await.unwrap();
    assert_eq!(stats.decider_errors, 0, "{stats:?}");
}
