//! A workflow is the fold of its whole history, end to end on `scripts/swf-server`, with
//! sticky deciders in check mode (every cached task's state and decisions compared with a
//! full replay's):
//! - approve within a deadline or expire; a cancellation request closes the run as
//!   `CANCELED`; timers, cancellation and signals all reach the state through
//!   `Workflow::apply` and the handlers, and `WorkflowHandle::state()` (query by replay)
//!   equals the decider's state — sent as `executionContext` — at every step;
//! - an activity's result and a child workflow's result reach `apply`, then `decide`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::Duration;

use aws_sdk_swf::types::{ActivityType, EventType, TaskList};
use serde::{Deserialize, Serialize};
use swf_signal::{
    Closed, DecideError, DecisionContext, Decisions, Signal, Worker, WorkflowClient,
    WorkflowDecider, WorkflowEvent, WorkflowHandle, Workflows,
};
use swf_signal_tests::{spawn_worker, Fixture};

#[derive(Debug, Clone, Signal)]
#[signal(rename_all = "kebab-case")]
enum ApprovalSignal {
    Approve { by: String },
}

/// Everything comes from the history: the approval from a signal, the deadline's state
/// from the timer's events, the cancellation request from its event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Approval {
    approved_by: Option<String>,
    deadline_running: bool,
    expired: bool,
    cancel_requested: bool,
}

impl ApprovalSignalHandler for Approval {
    type Output = ();
    fn approve(&mut self, by: String) {
        self.approved_by = Some(by);
    }
}

const DEADLINE: &str = "approval-deadline";

impl swf_signal::Workflow for Approval {
    const NAME: &'static str = "order";
    const VERSION: &'static str = "1";
    type Signal = ApprovalSignal;
    type Input = ();
    fn start((): ()) -> Self {
        Approval::default()
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
        // What decide does to the timer it also records, so the state it leaves (sent as
        // the context) is the state the history will fold to once the decisions' events
        // (TimerStarted, TimerCanceled) are in it.
        if self.deadline_running && (self.cancel_requested || self.approved_by.is_some()) {
            decisions.cancel_timer(DEADLINE)?;
            self.deadline_running = false;
        }
        if self.cancel_requested {
            decisions.cancel(Some("asked to"))?;
        } else if let Some(by) = &self.approved_by {
            decisions.complete(Some(&format!("approved by {by}")))?;
        } else if self.expired {
            decisions.complete(Some("expired"))?;
        } else if ctx.is_first_task() {
            decisions.start_timer(DEADLINE, Duration::from_secs(3), None)?;
            self.deadline_running = true;
        }
        Ok(())
    }
    fn context(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// Waits until the decider has answered everything the run has seen (no decision task
/// scheduled or started), then checks that the client's fold — `state()` — equals the
/// state the decider decided on, which it sent as the execution context.
async fn state_agrees(fx: &Fixture, handle: &WorkflowHandle<Approval>) -> Approval {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let execution = aws_sdk_swf::types::WorkflowExecution::builder()
        .workflow_id(handle.workflow_id())
        .run_id(handle.run_id().unwrap())
        .build()
        .unwrap();
    loop {
        let out = fx
            .client
            .describe_workflow_execution()
            .domain(&fx.domain)
            .execution(execution.clone())
            .send()
            .await
            .unwrap();
        let quiet = out
            .open_counts()
            .is_some_and(|c| c.open_decision_tasks() == 0);
        if quiet {
            let described = handle.describe().await.unwrap();
            let decided: Approval =
                serde_json::from_str(described.context.as_deref().expect("a context")).unwrap();
            let folded = handle.state().await.unwrap();
            assert_eq!(folded, decided, "state() differs from the decider's state");
            return folded;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the decider never caught up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_within_a_deadline_expire_or_be_canceled_and_state_agrees_at_every_step() {
    let fx = Fixture::new("deadline").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .sticky_schedule_to_start(Duration::from_secs(5));
    let (shutdown, stats) = spawn_worker(
        worker,
        WorkflowDecider::<Approval>::new().sticky(16).checked(),
    );
    let expires = client.start::<Approval>("expires", &()).await.unwrap();
    let approved = client.start::<Approval>("approved", &()).await.unwrap();
    let canceled = client.start::<Approval>("canceled", &()).await.unwrap();
    for h in [&expires, &approved, &canceled] {
        let s = state_agrees(&fx, h).await;
        assert!(s.deadline_running && !s.expired, "{s:?}");
    }
    approved
        .signal(&ApprovalSignal::Approve { by: "ana".into() })
        .await
        .unwrap();
    canceled.cancel().await.unwrap();
    let within = Duration::from_secs(20);
    let wait = |h: WorkflowHandle<Approval>| async move {
        tokio::time::timeout(within, h.result())
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        wait(approved.clone()).await,
        Closed::Completed {
            result: Some("approved by ana".into())
        }
    );
    let s = state_agrees(&fx, &approved).await;
    assert_eq!(s.approved_by.as_deref(), Some("ana"));
    assert!(
        !s.deadline_running,
        "the approval canceled the timer: {s:?}"
    );
    assert_eq!(
        wait(canceled.clone()).await,
        Closed::Canceled {
            details: Some("asked to".into())
        }
    );
    let s = state_agrees(&fx, &canceled).await;
    assert!(s.cancel_requested && !s.deadline_running, "{s:?}");
    assert_eq!(
        wait(expires.clone()).await,
        Closed::Completed {
            result: Some("expired".into())
        }
    );
    let s = state_agrees(&fx, &expires).await;
    assert!(s.expired && !s.deadline_running, "{s:?}");
    // The histories say the same: fired, canceled as SWF spells it, never fired after.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let types = |run: &str, wf: &str| {
        let (fx, run, wf) = (&fx, run.to_owned(), wf.to_owned());
        async move {
            fx.history(&wf, &run)
                .await
                .iter()
                .map(|e| e.event_type().clone())
                .collect::<Vec<_>>()
        }
    };
    let fired = types(expires.run_id().unwrap(), "expires").await;
    assert!(fired.contains(&EventType::TimerFired), "{fired:?}");
    for (h, wf) in [(&approved, "approved"), (&canceled, "canceled")] {
        let t = types(h.run_id().unwrap(), wf).await;
        assert!(t.contains(&EventType::TimerCanceled), "{wf}: {t:?}");
        assert!(!t.contains(&EventType::TimerFired), "{wf}: {t:?}");
    }
    // A closed run cannot be asked again; an unknown one has no state.
    assert!(matches!(
        canceled.cancel().await,
        Err(swf_signal::DescribeError::NotFound { .. })
    ));
    assert!(matches!(
        client.handle::<Approval>("nobody").state().await,
        Err(swf_signal::StateError::UnknownExecution { .. })
    ));
    shutdown.cancel();
    let stats = stats.await.unwrap();
    assert_eq!(stats.decider_errors, 0, "{stats:?}");
    assert_eq!(stats.check_failures, 0, "{stats:?}");
}

/// Charges through an activity, then has a child workflow write the receipt.
#[derive(Debug, Clone, Default, PartialEq)]
struct Payment {
    charge: Option<String>,
    receipt_started: bool,
    receipt: Option<String>,
}

#[derive(Debug, Clone, Signal)]
enum PaymentSignal {
    Nudge,
}

impl PaymentSignalHandler for Payment {
    type Output = ();
    fn nudge(&mut self) {}
}

impl swf_signal::Workflow for Payment {
    const NAME: &'static str = "payment";
    const VERSION: &'static str = "1";
    type Signal = PaymentSignal;
    type Input = ();
    fn start((): ()) -> Self {
        Payment::default()
    }
    fn apply(&mut self, event: &WorkflowEvent<'_>) {
        match *event {
            WorkflowEvent::ActivityCompleted {
                activity_id: "charge",
                result,
                ..
            } => self.charge = result.map(ToOwned::to_owned),
            WorkflowEvent::ChildInitiated { .. } => self.receipt_started = true,
            WorkflowEvent::ChildCompleted { result, .. } => {
                self.receipt = result.map(ToOwned::to_owned);
            }
            _ => {}
        }
    }
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        match (&self.charge, &self.receipt) {
            (_, Some(receipt)) => {
                decisions.complete(Some(receipt))?;
            }
            (Some(charge), None) if !self.receipt_started => {
                let id = format!("{}-receipt", ctx.task().workflow_id());
                decisions.start_child::<Receipt>(
                    &id,
                    &ReceiptInput {
                        charge: charge.clone(),
                    },
                )?;
            }
            (None, None) if ctx.is_first_task() => {
                decisions.schedule_activity("charge-card", "1", "charge", Some("1250"))?;
            }
            _ => {}
        }
        Ok(())
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ReceiptInput {
    charge: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Receipt {
    charge: String,
}

#[derive(Debug, Clone, Signal)]
enum ReceiptSignal {
    Void,
}

impl ReceiptSignalHandler for Receipt {
    type Output = ();
    fn void(&mut self) {}
}

impl swf_signal::Workflow for Receipt {
    const NAME: &'static str = "receipt";
    const VERSION: &'static str = "1";
    type Signal = ReceiptSignal;
    type Input = ReceiptInput;
    fn start(input: ReceiptInput) -> Self {
        Receipt {
            charge: input.charge,
        }
    }
    fn decide(
        &mut self,
        _ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        decisions.complete(Some(&format!("receipt for {}", self.charge)))?;
        Ok(())
    }
}

/// The activity worker: takes one task from `list` and charges the amount it is given.
async fn charge_one(fx: &Fixture, list: &str) {
    let task = loop {
        let out = fx
            .client
            .poll_for_activity_task()
            .domain(&fx.domain)
            .task_list(TaskList::builder().name(list).build().unwrap())
            .send()
            .await
            .unwrap();
        if !out.task_token().is_empty() {
            break out;
        }
    };
    assert_eq!(task.activity_id(), "charge");
    assert_eq!(
        task.activity_type().map(ActivityType::name),
        Some("charge-card")
    );
    fx.client
        .respond_activity_task_completed()
        .task_token(task.task_token())
        .result(format!("ch_{}", task.input().unwrap_or_default()))
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_result_and_a_child_result_reach_apply_then_decide() {
    let fx = Fixture::new("fold-children").await;
    let activities = format!("{}-activities", fx.task_list);
    fx.client
        .register_activity_type()
        .domain(&fx.domain)
        .name("charge-card")
        .version("1")
        .default_task_list(TaskList::builder().name(&activities).build().unwrap())
        .default_task_schedule_to_start_timeout("60")
        .default_task_start_to_close_timeout("60")
        .default_task_schedule_to_close_timeout("120")
        .default_task_heartbeat_timeout("NONE")
        .send()
        .await
        .unwrap();
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    // One task list, two types (the worker registers both): the router sends each task
    // to its type's decider.
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .sticky_schedule_to_start(Duration::from_secs(5));
    let deciders = Workflows::new()
        .add(WorkflowDecider::<Payment>::new().sticky(16).checked())
        .add(WorkflowDecider::<Receipt>::new().sticky(16).checked());
    worker.register(&deciders).await.unwrap();
    let (shutdown, stats) = spawn_worker(worker, deciders);
    let payment = client.start::<Payment>("pay-1", &()).await.unwrap();

    charge_one(&fx, &activities).await;

    let closed = tokio::time::timeout(Duration::from_secs(20), payment.result())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        closed,
        Closed::Completed {
            result: Some("receipt for ch_1250".into())
        }
    );
    // The client's fold agrees, and the child is a run of its own with its parent named.
    let folded = payment.state().await.unwrap();
    assert_eq!(
        folded,
        Payment {
            charge: Some("ch_1250".into()),
            receipt_started: true,
            receipt: Some("receipt for ch_1250".into()),
        }
    );
    let child = client.handle::<Receipt>("pay-1-receipt");
    let parent_history = fx.history("pay-1", payment.run_id().unwrap()).await;
    let child_run = parent_history
        .iter()
        .find_map(|e| e.child_workflow_execution_started_event_attributes())
        .and_then(|a| a.workflow_execution())
        .map(|e| e.run_id().to_owned())
        .expect("ChildWorkflowExecutionStarted");
    let history = fx.history("pay-1-receipt", &child_run).await;
    assert_eq!(
        child.clone().run(&child_run).state().await.unwrap(),
        Receipt {
            charge: "ch_1250".into()
        },
        "state() works on closed runs"
    );
    let started = history[0]
        .workflow_execution_started_event_attributes()
        .unwrap();
    assert_eq!(
        started
            .parent_workflow_execution()
            .map(aws_sdk_swf::types::WorkflowExecution::workflow_id),
        Some("pay-1")
    );
    assert_eq!(started.input(), Some(r#"{"charge":"ch_1250"}"#));
    assert!(
        matches!(
            child.state().await,
            Err(swf_signal::StateError::UnknownExecution { .. })
        ),
        "no open run: the child closed"
    );
    shutdown.cancel();
    let stats = stats.await.unwrap();
    assert_eq!(stats.decider_errors, 0, "{stats:?}");
    assert_eq!(stats.check_failures, 0, "{stats:?}");
}
