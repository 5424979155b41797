//! An order workflow driven by typed signals, end to end: registers its domain and
//! workflow type (idempotently), starts two orders, runs a decider worker, and — from a
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

use aws_sdk_swf::types::{ChildPolicy, ExecutionStatus, TaskList, WorkflowExecution, WorkflowType};
use serde::{Deserialize, Serialize};
use swf_signal::worker::worker_timeouts;
use swf_signal::{
    CancellationToken, DecideError, DecisionContext, DecisionTask, Decisions, SignalSender, Worker,
    Workflow, WorkflowDecider,
};
use swf_signal_examples::{CancelReason, OrderSignal, OrderSignalHandler};

const DOMAIN: &str = "swf-signal-demo";
const WORKFLOW: &str = "order-approval";
const VERSION: &str = "1";
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
    const NAME: &'static str = WORKFLOW;
    const VERSION: &'static str = VERSION;
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
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let config = aws_sdk_swf::config::Builder::from(&sdk)
        .timeout_config(worker_timeouts())
        .build();
    let client = aws_sdk_swf::Client::from_conf(config);
    let start = Instant::now();
    let timeline: Timeline = Arc::default();

    register(&client).await?;
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let first = format!("order-{stamp}-1");
    let second = format!("order-{stamp}-2");
    let mut runs = Vec::new();
    for wf in [&first, &second] {
        let run = client
            .start_workflow_execution()
            .domain(DOMAIN)
            .workflow_id(wf)
            .workflow_type(
                WorkflowType::builder()
                    .name(WORKFLOW)
                    .version(VERSION)
                    .build()?,
            )
            .input(serde_json::to_string(&NewOrder { quantity: 1 })?)
            .send()
            .await?
            .run_id()
            .unwrap_or_default()
            .to_owned();
        note(&timeline, start, &format!("client   started {wf}"));
        runs.push((wf.clone(), run));
    }

    let worker = Worker::new(client.clone(), DOMAIN, TASK_LIST)?
        .pollers(2)?
        .identity("order-approval-demo");
    let shutdown = CancellationToken::new();
    let worker_task = tokio::spawn({
        let (shutdown, timeline) = (shutdown.clone(), Arc::clone(&timeline));
        async move {
            let workflow = WorkflowDecider::<Order>::new();
            let decider = move |task: &DecisionTask| decide(&workflow, task, &timeline, start);
            worker.run(&decider, shutdown).await
        }
    });

    // Another service: it knows only the workflow ids and the signal enum.
    tokio::spawn(run_service(
        SignalSender::new(client.clone(), DOMAIN),
        first,
        second,
        Arc::clone(&timeline),
        start,
    ))
    .await??;

    let closed = wait_closed(&client, &runs, Duration::from_mins(2)).await;
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
    let closed = closed?;
    println!();
    for (wf, status) in &closed {
        println!("{wf}: {status}");
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

/// Registers the domain and workflow type; "already exists" is fine.
async fn register(client: &aws_sdk_swf::Client) -> Result<(), Box<dyn std::error::Error>> {
    match client
        .register_domain()
        .name(DOMAIN)
        .workflow_execution_retention_period_in_days("1")
        .send()
        .await
    {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(aws_sdk_swf::operation::register_domain::RegisterDomainError::is_domain_already_exists_fault) => {}
        Err(e) => return Err(swf_error(e)),
    }
    let registered = client
        .register_workflow_type()
        .domain(DOMAIN)
        .name(WORKFLOW)
        .version(VERSION)
        .default_task_list(TaskList::builder().name(TASK_LIST).build()?)
        .default_execution_start_to_close_timeout("600")
        .default_task_start_to_close_timeout("30")
        .default_child_policy(ChildPolicy::Terminate)
        .send()
        .await;
    match registered {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(aws_sdk_swf::operation::register_workflow_type::RegisterWorkflowTypeError::is_type_already_exists_fault) =>
        {
            Ok(())
        }
        Err(e) => Err(swf_error(e)),
    }
}

fn swf_error<E: std::error::Error + Send + Sync + 'static>(e: E) -> Box<dyn std::error::Error> {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg.into()
}

/// Waits until every execution is closed; returns each one's close status.
async fn wait_closed(
    client: &aws_sdk_swf::Client,
    runs: &[(String, String)],
    within: Duration,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let deadline = Instant::now() + within;
    loop {
        let mut statuses = Vec::new();
        for (wf, run) in runs {
            let info = client
                .describe_workflow_execution()
                .domain(DOMAIN)
                .execution(
                    WorkflowExecution::builder()
                        .workflow_id(wf)
                        .run_id(run)
                        .build()?,
                )
                .send()
                .await?;
            let status = info
                .execution_info()
                .map(|i| (i.execution_status().clone(), i.close_status().cloned()));
            match status {
                Some((ExecutionStatus::Closed, close)) => statuses.push((
                    wf.clone(),
                    format!(
                        "closed ({})",
                        close.map(|c| c.as_str().to_owned()).unwrap_or_default()
                    ),
                )),
                _ => break,
            }
        }
        if statuses.len() == runs.len() {
            return Ok(statuses);
        }
        if Instant::now() > deadline {
            return Err(format!("the orders were not closed within {within:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
