//! An order workflow driven by typed signals, end to end: registers its domain and
//! workflow type (idempotently, no raw SDK call), starts two orders, runs a decider worker, and — from a
//! separate task, as another service would — sends typed signals: a quantity change and
//! an approval to the first order, a comment and a cancellation to the second. It prints
//! a timeline of what the decider saw and decided, and exits 0 once both are closed.
//!
//! Endpoint, region and credentials come the standard AWS way, so it runs unchanged
//! against Amazon SWF; `scripts/demo` runs it against `scripts/swf-server` (moto plus
//! the SWF behaviour it lacks).
//!
//! Run: `cargo run -p swf-signal-examples --example order_approval`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use swf_signal::{
    CancellationToken, DecideError, DecisionContext, DecisionTask, Decisions, SignalSender, Worker,
    Workflow, WorkflowClient, WorkflowDecider,
};
use swf_signal_examples::{CancelReason, OrderSignal, OrderSignalHandler};

const DOMAIN: &str = "swf-signal-demo";
const TASK_LIST: &str = "order-deciders";

/// The input an order starts with.
#[derive(Debug, Serialize, Deserialize)]
struct NewOrder {
    quantity: u32,
}

/// An order's state. SWF keeps none: the framework rebuilds it on every decision task by
/// folding every signal of the history into it (`WorkflowDecider`), then asks it to decide.
#[derive(Debug, Default)]
struct Order {
    quantity: u32,
    approved_by: Option<String>,
    cancelled: Option<CancelReason>,
    comments: Vec<String>,
    rerouted_to: Option<(i32, i32)>,
}

impl OrderSignalHandler for Order {
    type Output = ();
    fn approve(&mut self, approver: String, _note: Option<String>) {
        self.approved_by = Some(approver);
    }
    fn change_quantity(&mut self, quantity: u32) {
        self.quantity = quantity;
    }
    fn cancel(&mut self, reason: CancelReason) {
        self.cancelled = Some(reason);
    }
    fn reroute(&mut self, x: i32, y: i32) {
        self.rerouted_to = Some((x, y));
    }
    fn nudge(&mut self) {}
    fn comment(&mut self, text: String) {
        self.comments.push(text);
    }
}

impl Workflow for Order {
    const NAME: &'static str = "order-approval";
    const VERSION: &'static str = "1";
    type Signal = OrderSignal;
    type Input = NewOrder;

    fn start(input: NewOrder) -> Self {
        Order {
            quantity: input.quantity,
            ..Order::default()
        }
    }

    fn decide(
        &mut self,
        _ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if let Some(reason) = &self.cancelled {
            decisions.complete(Some(&format!("cancelled: {}", reason.code)))?;
        } else if let Some(approver) = &self.approved_by {
            decisions.complete(Some(&format!(
                "approved by {approver}, quantity {}",
                self.quantity
            )))?;
        }
        Ok(())
    }
}

type Timeline = Arc<Mutex<Vec<String>>>;

fn note(timeline: &Timeline, start: Instant, line: &str) {
    let line = format!("[{:>5.2}s] {line}", start.elapsed().as_secs_f64());
    println!("{line}");
    if let Ok(mut t) = timeline.lock() {
        t.push(line);
    }
}

/// How the timeline describes a signal.
fn describe(signal: &OrderSignal) -> String {
    match signal {
        OrderSignal::Approve { approver, note } => format!(
            "approved by {approver}{}",
            note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
        ),
        OrderSignal::ChangeQuantity(q) => format!("quantity changed to {q}"),
        OrderSignal::Cancel(r) => format!("cancelled: {} ({})", r.code, r.detail),
        OrderSignal::Reroute(x, y) => format!("rerouted to cell {x},{y}"),
        OrderSignal::Nudge => "nudged".to_owned(),
        OrderSignal::Comment(text) => format!("comment: {text:?}"),
    }
}

/// The demo's decider: the `WorkflowDecider` for `Order`, plus a timeline of what each
/// task brought and what was decided.
fn decide(
    workflow: &WorkflowDecider<Order>,
    task: &DecisionTask,
    timeline: &Timeline,
    start: Instant,
) -> Result<Decisions, DecideError> {
    let wf = task.workflow_id();
    let decisions = workflow.decide(task)?;
    let mut new = 0;
    for received in task.new_signals::<OrderSignal>().flatten() {
        new += 1;
        note(
            timeline,
            start,
            &format!("decider  {wf}: saw {}", describe(&received.signal)),
        );
    }
    let result = decisions
        .as_slice()
        .iter()
        .find_map(|d| d.complete_workflow_execution_decision_attributes())
        .and_then(|a| a.result());
    if let Some(result) = result {
        note(
            timeline,
            start,
            &format!("decider  {wf}: decided CompleteWorkflowExecution ({result})"),
        );
    } else if new == 0 && task.processed_started_event_id() == 0 {
        note(
            timeline,
            start,
            &format!("decider  {wf}: started, waiting for approval"),
        );
    }
    Ok(decisions)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Warnings only: a bad signal's marker or a refused response shows up in the timeline.
    tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::WARN)
        .init();
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let orders = WorkflowClient::new(swf_signal::aws_sdk_swf::Client::new(&sdk), DOMAIN);
    let start = Instant::now();
    let timeline: Timeline = Arc::default();

    orders.register_domain(1).await?; // idempotent
    let worker = Worker::new(swf_signal::worker::client(&sdk), DOMAIN, TASK_LIST)?
        .pollers(2)?
        .identity("order-approval-demo")
        .shutdown_grace(Duration::from_secs(1));
    let workflow = WorkflowDecider::<Order>::new();
    // The demo's decider is a closure around `workflow` (for the timeline), which serves
    // no type of its own: register `Order` through the workflow decider itself.
    worker.register(&workflow).await?;

    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let first = format!("order-{stamp}-1");
    let second = format!("order-{stamp}-2");
    let mut handles = Vec::new();
    for wf in [&first, &second] {
        handles.push(orders.start::<Order>(wf, &NewOrder { quantity: 1 }).await?);
        note(&timeline, start, &format!("client   started {wf}"));
    }

    let shutdown = CancellationToken::new();
    let worker_task = tokio::spawn({
        let (shutdown, timeline) = (shutdown.clone(), Arc::clone(&timeline));
        async move {
            let decider = move |task: &DecisionTask| decide(&workflow, task, &timeline, start);
            worker.run(&decider, shutdown).await
        }
    });

    // Another service: it knows only the workflow ids and the signal enum.
    tokio::spawn(run_service(
        orders.sender().clone(),
        first,
        second,
        Arc::clone(&timeline),
        start,
    ))
    .await??;

    let mut closed = Vec::new();
    for handle in &handles {
        let outcome = tokio::time::timeout(Duration::from_mins(2), handle.result()).await;
        match outcome {
            Ok(result) => closed.push((handle.workflow_id().to_owned(), result?)),
            Err(_) => {
                return Err(
                    format!("{} was not closed within 2 minutes", handle.workflow_id()).into(),
                )
            }
        }
    }
    shutdown.cancel();
    let stats = worker_task.await?;
    note(
        &timeline,
        start,
        &format!(
            "worker   stopped: {} polls, {} tasks, {} responded, {} decider errors",
            stats.polls,
            stats.tasks,
            stats.responded,
            stats.decider_errors + stats.decider_panics
        ),
    );
    println!();
    for (wf, outcome) in &closed {
        println!("{wf}: closed ({outcome})");
    }
    Ok(())
}

/// The signalling service: a quantity change and an approval for the first order, a
/// comment and a cancellation for the second.
async fn run_service(
    sender: SignalSender,
    first: String,
    second: String,
    timeline: Timeline,
    start: Instant,
) -> Result<(), swf_signal::SendError> {
    let plan = [
        (first.clone(), OrderSignal::ChangeQuantity(3)),
        (
            second.clone(),
            OrderSignal::Comment("customer called about delivery".into()),
        ),
        (
            first,
            OrderSignal::Approve {
                approver: "dana".into(),
                note: Some("priority".into()),
            },
        ),
        (
            second,
            OrderSignal::Cancel(CancelReason {
                code: "DUPLICATE".into(),
                detail: "ordered twice".into(),
            }),
        ),
    ];
    for (wf, signal) in plan {
        tokio::time::sleep(Duration::from_millis(300)).await;
        sender.send(wf.as_str(), &signal).await?;
        note(
            &timeline,
            start,
            &format!(
                "service  sent {} to {wf}",
                swf_signal::Signal::signal_name(&signal)
            ),
        );
    }
    Ok(())
}
