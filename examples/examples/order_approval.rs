//! An order workflow driven by typed signals, end to end: registers its domain and
//! workflow type (idempotently), starts two orders, runs a decider worker, and — from a
//! separate task, as another service would — sends typed signals: a quantity change and
//! an approval to the first order, a comment and a cancellation to the second. It prints
//! a timeline of what the decider saw and decided, and exits 0 once both are closed.
//!
//! Endpoint, region and credentials come the standard AWS way, so it runs unchanged
//! against Amazon SWF; `scripts/demo` runs it against a local moto server.
//!
//! Run: `cargo run -p swf-signal-examples --example order_approval`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_swf::types::{ChildPolicy, ExecutionStatus, TaskList, WorkflowExecution, WorkflowType};
use swf_signal::worker::{worker_timeouts, DecideError};
use swf_signal::{
    BadSignalPolicy, CancellationToken, DecisionTask, Decisions, Dispatch, SignalSender, Worker,
};
use swf_signal_examples::{CancelReason, OrderSignal, OrderSignalHandler};

const DOMAIN: &str = "swf-signal-demo";
const WORKFLOW: &str = "order-approval";
const VERSION: &str = "1";
const TASK_LIST: &str = "order-deciders";

/// An order's state, rebuilt from the signals in its history on every decision task.
#[derive(Debug, Default)]
struct Order {
    quantity: u32,
    approved_by: Option<String>,
    cancelled: Option<CancelReason>,
    comments: Vec<String>,
    rerouted_to: Option<(i32, i32)>,
}

impl OrderSignalHandler for Order {
    type Output = String;
    fn approve(&mut self, approver: String, note: Option<String>) -> String {
        let said = format!(
            "approved by {approver}{}",
            note.map(|n| format!(" ({n})")).unwrap_or_default()
        );
        self.approved_by = Some(approver);
        said
    }
    fn change_quantity(&mut self, quantity: u32) -> String {
        self.quantity = quantity;
        format!("quantity changed to {quantity}")
    }
    fn cancel(&mut self, reason: CancelReason) -> String {
        let said = format!("cancelled: {} ({})", reason.code, reason.detail);
        self.cancelled = Some(reason);
        said
    }
    fn reroute(&mut self, x: i32, y: i32) -> String {
        self.rerouted_to = Some((x, y));
        format!("rerouted to cell {x},{y}")
    }
    fn nudge(&mut self) -> String {
        "nudged".to_owned()
    }
    fn comment(&mut self, text: String) -> String {
        self.comments.push(text.clone());
        format!("comment: {text:?}")
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

/// The decider: replay the history into an `Order`, report what is new, decide.
fn decide(
    task: &DecisionTask,
    timeline: &Timeline,
    start: Instant,
) -> Result<Decisions, DecideError> {
    let wf = task.workflow_id();
    let mut order = Order {
        quantity: 1,
        ..Order::default()
    };
    let mut decisions = Decisions::new();
    // Old signals rebuild the state silently; a bad old one was already recorded.
    let new_from = task.previous_started_event_id();
    for received in task
        .signals::<OrderSignal>()
        .flatten()
        .filter(|r| r.event_id <= new_from)
    {
        received.signal.dispatch(&mut order);
    }
    let said = task.dispatch_new_signals::<OrderSignal, _>(
        &mut order,
        &BadSignalPolicy::default(),
        &mut decisions,
    )?;
    for line in said {
        note(timeline, start, &format!("decider  {wf}: saw {line}"));
    }
    if let Some(reason) = &order.cancelled {
        decisions.complete(Some(&format!("cancelled: {}", reason.code)));
        note(
            timeline,
            start,
            &format!("decider  {wf}: decided CompleteWorkflowExecution (cancelled)"),
        );
    } else if let Some(approver) = &order.approved_by {
        decisions.complete(Some(&format!(
            "approved by {approver}, quantity {}",
            order.quantity
        )));
        note(
            timeline,
            start,
            &format!(
                "decider  {wf}: decided CompleteWorkflowExecution (approved, quantity {})",
                order.quantity
            ),
        );
    } else if task.new_signals::<OrderSignal>().next().is_none()
        && task.previous_started_event_id() == 0
    {
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
            let decider = move |task: &DecisionTask| decide(task, &timeline, start);
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
