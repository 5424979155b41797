//! One task list, several workflow types (issue 19 point 1), on `scripts/swf-server`: a
//! `Workflows` worker decides each execution with its own type's decider, and a worker
//! that does not serve a type leaves its tasks undecided instead of failing them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::Duration;

use aws_sdk_swf::types::EventType;
use swf_signal::{
    Closed, DecideError, DecisionContext, Decisions, StartOptions, Worker, WorkflowClient,
    WorkflowDecider, Workflows,
};
use swf_signal_tests::{spawn_worker, Counter, CounterSignal, CounterSignalHandler, Fixture};

/// A second type on the counter's list: completes with twice the total.
#[derive(Debug, Default, Clone, PartialEq)]
struct Doubler {
    total: u64,
    finished: bool,
}

impl CounterSignalHandler for Doubler {
    type Output = ();
    fn add(&mut self, value: u32) {
        self.total += u64::from(value);
    }
    fn finish(&mut self) {
        self.finished = true;
    }
}

impl swf_signal::Workflow for Doubler {
    const NAME: &'static str = "doubler";
    const VERSION: &'static str = "1";
    type Signal = CounterSignal;
    type Input = ();
    fn start((): ()) -> Self {
        Doubler::default()
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if self.finished {
            decisions.complete(Some(&(self.total * 2).to_string()))?;
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_worker_serves_two_types_on_one_list() {
    let fx = Fixture::new("routing").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let deciders = Workflows::new()
        .add(WorkflowDecider::<Counter>::new())
        .add(WorkflowDecider::<Doubler>::new().sticky(100).checked());
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list).unwrap();
    worker.register(&deciders).await.unwrap(); // registers `doubler` on the fixture's list
    let (shutdown, stats) = spawn_worker(worker, deciders);

    let counter = client.start::<Counter>("c-1", &()).await.unwrap();
    let doubler = client.start::<Doubler>("d-1", &()).await.unwrap();
    for signal in [
        CounterSignal::Add(2),
        CounterSignal::Add(3),
        CounterSignal::Finish,
    ] {
        counter.signal(&signal).await.unwrap();
        doubler.signal(&signal).await.unwrap();
    }
    let within = Duration::from_secs(30);
    let counter_closed = tokio::time::timeout(within, counter.result())
        .await
        .unwrap()
        .unwrap();
    let doubler_closed = tokio::time::timeout(within, doubler.result())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        counter_closed,
        Closed::Completed {
            result: Some("5".into())
        }
    );
    assert_eq!(
        doubler_closed,
        Closed::Completed {
            result: Some("10".into())
        }
    );
    shutdown.cancel();
    let stats = stats.await.unwrap();
    assert_eq!(stats.unrouted_tasks, 0, "{stats:?}");
    assert_eq!(stats.decider_errors, 0, "{stats:?}");
    assert_eq!(stats.check_failures, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_leaves_a_type_it_does_not_serve_undecided() {
    let fx = Fixture::new("unrouted").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list).unwrap();
    // `doubler` is registered (by a worker that serves it), but this one serves only the
    // counter.
    worker
        .register(&WorkflowDecider::<Doubler>::new())
        .await
        .unwrap();
    let (shutdown, stats) = spawn_worker(worker, WorkflowDecider::<Counter>::new());
    let options = StartOptions {
        task_timeout: Some(Duration::from_secs(2)),
        ..StartOptions::default()
    };
    let doubler = client
        .start_with::<Doubler>("d-2", &(), &options)
        .await
        .unwrap();
    doubler.signal(&CounterSignal::Finish).await.unwrap();
    // Long enough for the task to be taken, refused and (after 2 s) offered again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    shutdown.cancel();
    let stats = stats.await.unwrap();
    assert!(stats.unrouted_tasks >= 1, "{stats:?}");
    assert_eq!(stats.responded, 0, "{stats:?}");
    assert_eq!(stats.decider_errors, 0, "{stats:?}");
    // Still open, never answered: no DecisionTaskCompleted, no close.
    let run = doubler.run_id().unwrap();
    let history = fx.history("d-2", run).await;
    assert!(
        !history.iter().any(|e| matches!(
            e.event_type(),
            EventType::DecisionTaskCompleted
                | EventType::WorkflowExecutionFailed
                | EventType::WorkflowExecutionCompleted
        )),
        "{:?}",
        history
            .iter()
            .map(aws_sdk_swf::types::HistoryEvent::event_type)
            .collect::<Vec<_>>()
    );
    assert!(history
        .iter()
        .any(|e| *e.event_type() == EventType::DecisionTaskStarted));
}
