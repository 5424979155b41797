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
    CancellationToken, DecideError, Decider, DecisionContext, DecisionTask, Decisions, Signal,
    SignalSender, Worker, Workflow, WorkflowClient, WorkflowDecider, WorkflowEvent, Workflows,
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

/// The warehouse's restock of an order's item: a second workflow type on the same task
/// list, with signals of its own and a deadline. SWF routes decision tasks by list, not
/// by type; the worker's `Workflows` sends each task to its type's decider.
#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "kebab-case")]
enum RestockSignal {
    /// Some units arrived.
    Arrived(u32),
}

#[derive(Debug, Serialize, Deserialize)]
struct NewRestock {
    needed: u32,
}

#[derive(Debug)]
struct Restock {
    needed: u32,
    arrived: u32,
    /// The deadline timer is running (from its `TimerStarted` to its `TimerFired` or
    /// `TimerCanceled`, and set by `decide` when it starts or cancels it).
    deadline_running: bool,
    overdue: bool,
}

/// How long the warehouse has for a restock (short, for the demo).
const RESTOCK_DEADLINE: &str = "restock-deadline";
const RESTOCK_WITHIN: Duration = Duration::from_secs(3);

impl RestockSignalHandler for Restock {
    type Output = ();
    fn arrived(&mut self, units: u32) {
        self.arrived += units;
    }
}

impl Workflow for Restock {
    const NAME: &'static str = "restock";
    const VERSION: &'static str = "1";
    type Signal = RestockSignal;
    type Input = NewRestock;

    fn start(input: NewRestock) -> Self {
        Restock {
            needed: input.needed,
            arrived: 0,
            deadline_running: false,
            overdue: false,
        }
    }

    /// The timer's events reach the state like the signals do, in history order.
    fn apply(&mut self, event: &WorkflowEvent<'_>) {
        match event {
            WorkflowEvent::TimerStarted {
                timer_id: RESTOCK_DEADLINE,
                ..
            } => {
                self.deadline_running = true;
            }
            WorkflowEvent::TimerFired {
                timer_id: RESTOCK_DEADLINE,
                ..
            } => {
                self.deadline_running = false;
                self.overdue = true;
            }
            WorkflowEvent::TimerCanceled {
                timer_id: RESTOCK_DEADLINE,
                ..
            } => {
                self.deadline_running = false;
            }
            _ => {}
        }
    }

    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if self.arrived >= self.needed {
            if self.deadline_running {
                decisions.cancel_timer(RESTOCK_DEADLINE)?;
                self.deadline_running = false;
            }
            decisions.complete(Some(&format!(
                "{} of {} units in",
                self.arrived, self.needed
            )))?;
        } else if self.overdue {
            decisions.complete(Some(&format!(
                "overdue: {} of {} units in",
                self.arrived, self.needed
            )))?;
        } else if ctx.is_first_task() {
            decisions.start_timer(RESTOCK_DEADLINE, RESTOCK_WITHIN, None)?;
            self.deadline_running = true;
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

/// The demo's decider: `Workflows` (an order or a restock decider per task, by its
/// workflow type), plus a timeline of what each task brought and what was decided.
fn decide(
    workflows: &Workflows,
    task: &DecisionTask,
    timeline: &Timeline,
    start: Instant,
) -> Result<Decisions, DecideError> {
    let wf = task.workflow_id();
    let decisions = workflows.decide(task)?;
    let restock = task
        .workflow_type()
        .is_some_and(|t| t.name() == Restock::NAME);
    let seen: Vec<String> = if restock {
        task.new_signals::<RestockSignal>()
            .flatten()
            .map(|r| match r.signal {
                RestockSignal::Arrived(units) => format!("{units} units arrived"),
            })
            .collect()
    } else {
        task.new_signals::<OrderSignal>()
            .flatten()
            .map(|r| describe(&r.signal))
            .collect()
    };
    let fired = task
        .new_events()
        .iter()
        .any(|e| e.timer_fired_event_attributes().is_some());
    if fired {
        note(
            timeline,
            start,
            &format!("decider  {wf}: saw its deadline pass"),
        );
    }
    let new = seen.len();
    for line in seen {
        note(timeline, start, &format!("decider  {wf}: saw {line}"));
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
            &format!(
                "decider  {wf}: started, waiting for {}",
                if restock { "deliveries" } else { "approval" }
            ),
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
        .identity("order-approval-demo")?
        .shutdown_grace(Duration::from_secs(1));
    // Two workflow types on one task list, one worker.
    let workflows = Workflows::new()
        .add(WorkflowDecider::<Order>::new())
        .add(WorkflowDecider::<Restock>::new());
    // The demo's decider is a closure around `workflows` (for the timeline), which names
    // no type of its own: register the types through `workflows` itself.
    worker.register(&workflows).await?;

    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let first = format!("order-{stamp}-1");
    let second = format!("order-{stamp}-2");
    let mut handles = Vec::new();
    for wf in [&first, &second] {
        handles.push(orders.start::<Order>(wf, &NewOrder { quantity: 1 }).await?);
        note(&timeline, start, &format!("client   started {wf}"));
    }
    // Two restocks of 5 units within 3 s: one gets them all, one only 2 and goes overdue.
    let mut restocks = Vec::new();
    for suffix in ["full", "short"] {
        let id = format!("restock-{stamp}-{suffix}");
        restocks.push(
            orders
                .start::<Restock>(&id, &NewRestock { needed: 5 })
                .await?,
        );
        note(&timeline, start, &format!("client   started {id}"));
    }

    let shutdown = CancellationToken::new();
    let worker_task = tokio::spawn({
        let (shutdown, timeline) = (shutdown.clone(), Arc::clone(&timeline));
        async move {
            let decider = move |task: &DecisionTask| decide(&workflows, task, &timeline, start);
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
    // The warehouse: two deliveries to the first restock, one to the second.
    for (restock, units) in [(&restocks[0], 2), (&restocks[0], 3), (&restocks[1], 2)] {
        restock.signal(&RestockSignal::Arrived(units)).await?;
        note(
            &timeline,
            start,
            &format!(
                "service  sent arrived({units}) to {}",
                restock.workflow_id()
            ),
        );
    }

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
    for restock in &restocks {
        let id = restock.workflow_id().to_owned();
        match tokio::time::timeout(Duration::from_mins(2), restock.result()).await {
            Ok(result) => closed.push((id, result?)),
            Err(_) => return Err(format!("{id} was not closed within 2 minutes").into()),
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
