//! Timers and cancellation end to end on `scripts/swf-server`, with the typed decisions
//! (`start_timer`, `cancel_timer`, `cancel`) and `WorkflowHandle::cancel`: approve within
//! a deadline or expire; a cancellation request closes the run as `CANCELED`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::Duration;

use aws_sdk_swf::types::EventType;
use swf_signal::{
    Closed, DecideError, DecisionContext, Decisions, Signal, Worker, WorkflowClient,
    WorkflowDecider,
};
use swf_signal_tests::{spawn_worker, Fixture};

#[derive(Debug, Clone, Signal)]
#[signal(rename_all = "kebab-case")]
enum ApprovalSignal {
    Approve { by: String },
}

#[derive(Debug, Default)]
struct Approval {
    approved_by: Option<String>,
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
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        let new = ctx.task().new_events();
        let fired = new
            .iter()
            .filter_map(|e| e.timer_fired_event_attributes())
            .any(|a| a.timer_id() == DEADLINE);
        let cancel_requested = new
            .iter()
            .any(|e| *e.event_type() == EventType::WorkflowExecutionCancelRequested);
        if cancel_requested {
            decisions.cancel_timer(DEADLINE)?.cancel(Some("asked to"))?;
        } else if let Some(by) = &self.approved_by {
            decisions
                .cancel_timer(DEADLINE)?
                .complete(Some(&format!("approved by {by}")))?;
        } else if fired {
            decisions.complete(Some("expired"))?;
        } else if ctx.is_first_task() {
            decisions.start_timer(DEADLINE, Duration::from_secs(2), Some("waiting"))?;
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_within_a_deadline_expire_or_be_canceled() {
    let fx = Fixture::new("deadline").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list).unwrap();
    let (shutdown, stats) = spawn_worker(worker, WorkflowDecider::<Approval>::new());
    let expires = client.start::<Approval>("expires", &()).await.unwrap();
    let approved = client.start::<Approval>("approved", &()).await.unwrap();
    let canceled = client.start::<Approval>("canceled", &()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    approved
        .signal(&ApprovalSignal::Approve { by: "ana".into() })
        .await
        .unwrap();
    canceled.cancel().await.unwrap();
    let within = Duration::from_secs(20);
    let wait = |h: swf_signal::WorkflowHandle<Approval>| async move {
        tokio::time::timeout(within, h.result())
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        wait(expires.clone()).await,
        Closed::Completed {
            result: Some("expired".into())
        }
    );
    assert_eq!(
        wait(approved.clone()).await,
        Closed::Completed {
            result: Some("approved by ana".into())
        }
    );
    assert_eq!(
        wait(canceled.clone()).await,
        Closed::Canceled {
            details: Some("asked to".into())
        }
    );
    // The histories say the same: fired, canceled as SWF spells it, never fired after.
    tokio::time::sleep(Duration::from_secs(2)).await;
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
    // A closed run cannot be asked again.
    assert!(matches!(
        canceled.cancel().await,
        Err(swf_signal::DescribeError::NotFound { .. })
    ));
    shutdown.cancel();
    let stats = stats.await.unwrap();
    assert_eq!(stats.decider_errors, 0, "{stats:?}");
}
