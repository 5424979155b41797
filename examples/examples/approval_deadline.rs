//! Approve within a deadline, or expire; a cancellation request closes the run as
//! `CANCELED`. Three runs of one workflow, each folded from its whole history — the
//! approval signal through the handler, the timer and the cancellation request through
//! `Workflow::apply` — by a sticky decider in check mode (each cached state and its
//! decisions compared with a full replay's). Meanwhile another task, as an operator's tool
//! would, prints each run's state with `WorkflowHandle::state()`: the history folded on the
//! client exactly as the decider folds it (a query by replay). It exits non-zero if a run
//! closes otherwise than planned or the decider and a full replay ever disagree.
//!
//! Run: `cargo run -p swf-signal-examples --example approval_deadline` (against Amazon SWF
//! with the standard AWS configuration; `scripts/test` runs it on `scripts/swf-server`).

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use swf_signal::{
    CancellationToken, Closed, DecideError, DecisionContext, Decisions, Signal, Worker, Workflow,
    WorkflowClient, WorkflowDecider, WorkflowEvent, WorkflowHandle,
};

#[derive(Debug, Clone, Signal)]
#[signal(rename_all = "kebab-case")]
enum ExpenseSignal {
    Approve { by: String },
}

#[derive(Serialize, Deserialize)]
struct NewExpense {
    euros: u32,
    /// Seconds the approver has.
    within: u64,
}

/// The state: nothing here is written by `decide` alone; each field follows from events.
#[derive(Debug, Clone, PartialEq)]
struct Expense {
    euros: u32,
    within: u64,
    approved_by: Option<String>,
    deadline_running: bool,
    expired: bool,
    cancel_requested: bool,
}

impl ExpenseSignalHandler for Expense {
    type Output = ();
    fn approve(&mut self, by: String) {
        self.approved_by = Some(by);
    }
}

const DEADLINE: &str = "approval-deadline";

impl Workflow for Expense {
    const NAME: &'static str = "expense-approval";
    const VERSION: &'static str = "1";
    type Signal = ExpenseSignal;
    type Input = NewExpense;

    fn start(input: NewExpense) -> Self {
        Expense {
            euros: input.euros,
            within: input.within,
            approved_by: None,
            deadline_running: false,
            expired: false,
            cancel_requested: false,
        }
    }

    fn apply(&mut self, event: &WorkflowEvent<'_>) {
        match event {
            WorkflowEvent::TimerStarted {
                timer_id: DEADLINE, ..
            } => self.deadline_running = true,
            WorkflowEvent::TimerFired {
                timer_id: DEADLINE, ..
            } => {
                self.deadline_running = false;
                self.expired = true;
            }
            WorkflowEvent::TimerCanceled {
                timer_id: DEADLINE, ..
            } => self.deadline_running = false,
            WorkflowEvent::CancelRequested { .. } => self.cancel_requested = true,
            _ => {}
        }
    }

    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if self.deadline_running && (self.cancel_requested || self.approved_by.is_some()) {
            decisions.cancel_timer(DEADLINE)?;
        }
        if self.cancel_requested {
            decisions.cancel(Some("withdrawn by the requester"))?;
        } else if let Some(by) = &self.approved_by {
            decisions.complete(Some(&format!("{} EUR approved by {by}", self.euros)))?;
        } else if self.expired {
            decisions.complete(Some(&format!(
                "{} EUR expired after {} s",
                self.euros, self.within
            )))?;
        } else if ctx.is_first_task() {
            decisions.start_timer(DEADLINE, Duration::from_secs(self.within), None)?;
        }
        Ok(())
    }

    /// What operators see in `DescribeWorkflowExecution` without replaying anything.
    fn context(&self) -> Option<String> {
        Some(if self.cancel_requested {
            "withdrawn".to_owned()
        } else if self.expired {
            "expired".to_owned()
        } else if self.approved_by.is_some() {
            "approved".to_owned()
        } else {
            "waiting for approval".to_owned()
        })
    }
}

const DOMAIN: &str = "expenses";

/// Prints each run's state four times, 0.9 s apart, as `state()` folds it.
async fn watch(handles: Vec<WorkflowHandle<Expense>>, start: Instant) {
    for _ in 0..4 {
        for h in &handles {
            match h.state().await {
                Ok(s) => println!(
                    "[{:5.2}s] state of {}: approved by {:?}, deadline running {}, expired {}, cancel requested {}",
                    start.elapsed().as_secs_f64(),
                    h.workflow_id(),
                    s.approved_by,
                    s.deadline_running,
                    s.expired,
                    s.cancel_requested
                ),
                Err(e) => println!("[{:5.2}s] {e}", start.elapsed().as_secs_f64()),
            }
        }
        tokio::time::sleep(Duration::from_millis(900)).await;
    }
}

/// Waits for each run to close and checks it closed as planned; prints its outcome,
/// latest execution context and final state (closed runs fold too).
async fn outcomes(
    runs: &[(WorkflowHandle<Expense>, &str)],
    start: Instant,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut failures = Vec::new();
    for (handle, plan) in runs {
        let closed = tokio::time::timeout(Duration::from_secs(30), handle.result()).await??;
        let described = handle.describe().await?;
        println!(
            "[{:5.2}s] {}: {closed} (context: {:?})",
            start.elapsed().as_secs_f64(),
            handle.workflow_id(),
            described.context.unwrap_or_default()
        );
        if closed.status() != *plan {
            failures.push(format!(
                "{} closed {closed}, not {plan}",
                handle.workflow_id()
            ));
        }
        if let Closed::Completed { result } = &closed {
            println!(
                "          result: {}",
                result.as_deref().unwrap_or_default()
            );
        }
        println!("          final state: {:?}", handle.state().await?);
    }
    Ok(failures)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = WorkflowClient::new(swf_signal::aws_sdk_swf::Client::new(&config), DOMAIN);
    client.register_domain(1).await?;

    let worker = Worker::new(swf_signal::worker::client(&config), DOMAIN, "approvers")?
        .shutdown_grace(Duration::from_secs(2));
    let decider = WorkflowDecider::<Expense>::new().sticky(1_000).checked();
    worker.register(&decider).await?;
    let shutdown = CancellationToken::new();
    let running = tokio::spawn({
        let (shutdown, decider) = (shutdown.clone(), decider.clone());
        async move { worker.run(&decider, shutdown).await }
    });

    let stamp = std::process::id();
    let start = Instant::now();
    let mut runs: Vec<(WorkflowHandle<Expense>, &str)> = Vec::new();
    for (name, plan) in [
        ("approved", "COMPLETED"),
        ("expires", "COMPLETED"),
        ("withdrawn", "CANCELED"),
    ] {
        let id = format!("expense-{stamp}-{name}");
        let handle = client
            .start::<Expense>(
                &id,
                &NewExpense {
                    euros: 120,
                    within: 2,
                },
            )
            .await?;
        println!("[{:5.2}s] started {id}", start.elapsed().as_secs_f64());
        runs.push((handle, plan));
    }

    // The operator's view, from another task: each run's state, folded on the client.
    let watcher = tokio::spawn(watch(runs.iter().map(|(h, _)| h.clone()).collect(), start));

    tokio::time::sleep(Duration::from_millis(500)).await;
    runs[0]
        .0
        .signal(&ExpenseSignal::Approve { by: "dana".into() })
        .await?;
    println!(
        "[{:5.2}s] dana approved {}",
        start.elapsed().as_secs_f64(),
        runs[0].0.workflow_id()
    );
    runs[2].0.cancel().await?;
    println!(
        "[{:5.2}s] requested cancellation of {}",
        start.elapsed().as_secs_f64(),
        runs[2].0.workflow_id()
    );

    let mut failures = outcomes(&runs, start).await?;
    watcher.await?;
    shutdown.cancel();
    let stats = running.await?;
    println!(
        "worker stopped: {} tasks, {} check failures, {} decider errors",
        stats.tasks, stats.check_failures, stats.decider_errors
    );
    if stats.check_failures > 0 || stats.decider_errors > 0 {
        failures
            .push("the sticky decider and a full replay disagreed, or the decider failed".into());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; ").into())
    }
}
