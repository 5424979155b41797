//! A new user's first hour, on `scripts/swf-server`: registration without raw SDK calls,
//! the worker's client, waiting for an outcome, a quick shutdown, and every error a first
//! program meets naming its fix.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use swf_signal::aws_sdk_swf::types::{
    ContinueAsNewWorkflowExecutionDecisionAttributes, Decision, DecisionType,
};
use swf_signal::{
    Closed, DecideError, DecisionContext, Decisions, DescribeError, RegisterError, Registered,
    Registration, SendError, Signal, StartError, StartOptions, StateError, Worker, WorkflowClient,
    WorkflowDecider,
};
use swf_signal_tests::{client, client_on_port, spawn_worker, OwnServer};

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "kebab-case")]
enum TicketSignal {
    Resolve { by: String },
    Reject { why: String },
    Reopen,
}

#[derive(Debug, Serialize, Deserialize)]
struct NewTicket {
    title: String,
}

#[derive(Debug, Default)]
struct Ticket {
    title: String,
    resolved_by: Option<String>,
    rejected: Option<String>,
    reopened: bool,
}

impl TicketSignalHandler for Ticket {
    type Output = ();
    fn resolve(&mut self, by: String) {
        self.resolved_by = Some(by);
    }
    fn reject(&mut self, why: String) {
        self.rejected = Some(why);
    }
    fn reopen(&mut self) {
        self.reopened = true;
    }
}

impl swf_signal::Workflow for Ticket {
    const NAME: &'static str = "ticket";
    const VERSION: &'static str = "1";
    type Signal = TicketSignal;
    type Input = NewTicket;

    fn start(input: NewTicket) -> Self {
        Ticket {
            title: input.title,
            ..Ticket::default()
        }
    }

    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if let Some(by) = &self.resolved_by {
            decisions.complete(Some(&format!("{} resolved by {by}", self.title)))?;
        } else if let Some(why) = &self.rejected {
            decisions.fail("rejected", Some(why))?;
        } else if self.reopened {
            // A new run with the same input: the run closes as continued-as-new.
            let attrs = ContinueAsNewWorkflowExecutionDecisionAttributes::builder()
                .input(serde_json::to_string(&NewTicket {
                    title: self.title.clone(),
                })?)
                .build();
            decisions.push(
                Decision::builder()
                    .decision_type(DecisionType::ContinueAsNewWorkflowExecution)
                    .continue_as_new_workflow_execution_decision_attributes(attrs)
                    .build()?,
            )?;
        }
        Ok(())
    }

    fn registration() -> Registration {
        Registration::default().task_timeout(Some(Duration::from_secs(20)))
    }
}

fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{name}-{}-{nanos}", std::process::id())
}

/// The whole first program: a domain registered by the client, the type by the worker,
/// a ticket started, signalled and waited for, with no raw SDK call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_program_needs_no_raw_sdk_call() {
    let sdk = client().await;
    let domain = unique("first");
    let client = WorkflowClient::new(sdk.clone(), &domain);
    assert_eq!(
        client.register_domain(1).await.unwrap(),
        Registered::Created
    );
    assert_eq!(
        client.register_domain(1).await.unwrap(),
        Registered::AlreadyRegistered,
        "register_domain is idempotent"
    );

    let worker = Worker::new(sdk.clone(), &domain, "tickets")
        .unwrap()
        .shutdown_grace(Duration::from_secs(1));
    let (shutdown, stats) = spawn_worker(worker, WorkflowDecider::<Ticket>::new());

    // The worker registers `ticket` with its own task list as the default: a start that
    // names no task list reaches it. Until it has, the type is unknown; wait for that.
    let handle = loop {
        match client
            .start::<Ticket>(
                "t-1",
                &NewTicket {
                    title: "printer".into(),
                },
            )
            .await
        {
            Ok(handle) => break handle,
            Err(StartError::UnknownType { .. }) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(other) => panic!("{other}"),
        }
    };
    handle
        .signal(&TicketSignal::Resolve { by: "ana".into() })
        .await
        .unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(30), handle.result())
        .await
        .expect("closed within 30 s")
        .unwrap();
    assert_eq!(
        closed,
        Closed::Completed {
            result: Some("printer resolved by ana".into())
        }
    );
    assert_eq!(closed.to_string(), "COMPLETED");
    assert_eq!(handle.describe().await.unwrap().to_string(), "COMPLETED");

    shutdown.cancel();
    let stats = stats.await.unwrap();
    assert_eq!(stats.types_registered, 1, "{stats:?}");
    assert_eq!(stats.registration_errors, 0, "{stats:?}");

    // Registered once: a second worker finds it there.
    assert_eq!(
        client.register::<Ticket>().await.unwrap(),
        Registered::AlreadyRegistered
    );
}

/// `result()` reports each way a run closes, with what the decider or the operator gave.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_reports_failed_terminated_and_continued_as_new() {
    let sdk = client().await;
    let domain = unique("outcomes");
    let client = WorkflowClient::new(sdk.clone(), &domain);
    client.register_domain(1).await.unwrap();
    let worker = Worker::new(sdk.clone(), &domain, "tickets").unwrap();
    let (shutdown, stats) = spawn_worker(worker, WorkflowDecider::<Ticket>::new());
    let start = |id: &'static str| {
        let client = client.clone();
        async move {
            loop {
                match client
                    .start::<Ticket>(id, &NewTicket { title: id.into() })
                    .await
                {
                    Ok(handle) => return handle,
                    Err(StartError::UnknownType { .. }) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    Err(other) => panic!("{other}"),
                }
            }
        }
    };
    let within = Duration::from_secs(30);

    let rejected = start("t-rejected").await;
    rejected
        .signal(&TicketSignal::Reject { why: "spam".into() })
        .await
        .unwrap();
    let closed = tokio::time::timeout(within, rejected.result())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        closed,
        Closed::Failed {
            reason: Some("rejected".into()),
            details: Some("spam".into())
        }
    );
    assert_eq!(closed.to_string(), "FAILED");

    let reopened = start("t-reopened").await;
    let first_run = reopened.run_id().unwrap().to_owned();
    reopened.signal(&TicketSignal::Reopen).await.unwrap();
    let closed = tokio::time::timeout(within, reopened.result())
        .await
        .unwrap()
        .unwrap();
    let Closed::ContinuedAsNew { new_run_id } = &closed else {
        panic!("{closed:?}")
    };
    assert_ne!(new_run_id, &first_run);
    assert_eq!(closed.to_string(), "CONTINUED_AS_NEW");
    // The handle without a run id follows the open run: the new one.
    let current = client.handle::<Ticket>("t-reopened");
    assert_eq!(
        current.describe().await.unwrap().execution.run_id(),
        Some(new_run_id.as_str())
    );

    let stuck = start("t-terminated").await;
    sdk.terminate_workflow_execution()
        .domain(&domain)
        .workflow_id("t-terminated")
        .reason("operator")
        .details("cleanup")
        .send()
        .await
        .unwrap();
    let closed = stuck.result().await.unwrap();
    match &closed {
        Closed::Terminated {
            reason, details, ..
        } => {
            assert_eq!(reason.as_deref(), Some("operator"));
            assert_eq!(details.as_deref(), Some("cleanup"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(closed.to_string(), "TERMINATED");

    shutdown.cancel();
    stats.await.unwrap();
}

/// Each error a first program meets says what to do.
#[tokio::test]
async fn the_errors_of_a_first_program_name_their_fix() {
    let sdk = client().await;

    // An unknown domain: register the domain, not the type.
    let nowhere = WorkflowClient::new(sdk.clone(), unique("no-such-domain"));
    let err = nowhere
        .start::<Ticket>("t-1", &NewTicket { title: "x".into() })
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::UnknownDomain { .. }), "{err}");
    assert!(
        err.to_string().contains("WorkflowClient::register_domain"),
        "{err}"
    );
    let err = nowhere.register::<Ticket>().await.unwrap_err();
    assert!(matches!(err, RegisterError::UnknownDomain { .. }), "{err}");
    assert!(
        err.to_string().contains("WorkflowClient::register_domain"),
        "{err}"
    );

    // A registered domain without the type: register the type.
    let domain = unique("no-type");
    let client = WorkflowClient::new(sdk.clone(), &domain);
    client.register_domain(1).await.unwrap();
    let err = client
        .start::<Ticket>("t-1", &NewTicket { title: "x".into() })
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::UnknownType { .. }), "{err}");
    assert!(
        err.to_string().contains("WorkflowClient::register::<W>()"),
        "{err}"
    );

    // Registered by the client without a task list: every start must name one.
    assert_eq!(
        client.register::<Ticket>().await.unwrap(),
        Registered::Created
    );
    let err = client
        .start::<Ticket>("t-1", &NewTicket { title: "x".into() })
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::DefaultUndefined { .. }), "{err}");
    assert!(err.to_string().contains("StartOptions"), "{err}");
    let options = StartOptions {
        task_list: Some("tickets".into()),
        ..StartOptions::default()
    };
    client
        .start_with::<Ticket>("t-1", &NewTicket { title: "x".into() }, &options)
        .await
        .unwrap();

    // An unknown execution: check the id, or give a run id for a closed run.
    let missing = client.handle::<Ticket>("never-started");
    let err = missing.result().await.unwrap_err();
    assert!(matches!(err, DescribeError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("check the workflow id"), "{err}");
    let err = missing.signal(&TicketSignal::Reopen).await.unwrap_err();
    assert!(matches!(err, SendError::NotOpen { .. }), "{err}");
    assert!(err.to_string().contains("start it first"), "{err}");
    // The two calls whose pages the library reads itself: their faults still arrive as
    // the SDK's typed errors, which choose the error and its hint.
    let err = missing.run("no-such-run").state().await.unwrap_err();
    assert!(matches!(err, StateError::UnknownExecution { .. }), "{err}");
    let err = swf_signal::DecisionTask::poll(&sdk, &unique("no-such-domain"), "tickets", "t")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("WorkflowClient::register_domain"),
        "{err}"
    );

    // A worker client without the long-poll timeouts: build it with worker::client.
    let config = swf_signal::aws_sdk_swf::Config::builder()
        .behavior_version(swf_signal::aws_sdk_swf::config::BehaviorVersion::latest())
        .build();
    let err = Worker::new(
        swf_signal::aws_sdk_swf::Client::from_conf(config.clone()),
        &domain,
        "tickets",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("swf_signal::worker::client(&config)"),
        "{err}"
    );
    assert!(Worker::new(
        swf_signal::worker::client(config.to_builder()),
        &domain,
        "tickets"
    )
    .is_ok());
}

/// Against SWF's own 60 s long polls, a worker with a shutdown grace stops within it,
/// abandoning the poll in flight; without one it waits the poll out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_grace_cuts_sixty_second_polls_short() {
    let server =
        OwnServer::start_with_env(OwnServer::free_port(), &[("SWF_SERVER_POLL_SECONDS", "60")]);
    let sdk = client_on_port(server.port).await;
    let domain = unique("grace");
    WorkflowClient::new(sdk.clone(), &domain)
        .register_domain(1)
        .await
        .unwrap();
    let worker = Worker::new(sdk, &domain, "tickets")
        .unwrap()
        .pollers(2)
        .unwrap()
        .shutdown_grace(Duration::from_millis(500));
    let (shutdown, stats) = spawn_worker(worker, WorkflowDecider::<Ticket>::new());
    // Let both polls reach the server and be held there.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let asked = Instant::now();
    shutdown.cancel();
    let stats = tokio::time::timeout(Duration::from_secs(10), stats)
        .await
        .expect("stopped long before the 60 s polls ended")
        .unwrap();
    let took = asked.elapsed();
    assert!(took < Duration::from_millis(1500), "stopped after {took:?}");
    assert!(
        took >= Duration::from_millis(450),
        "stopped after {took:?}: before its grace"
    );
    assert_eq!(stats.polls_abandoned, 2, "{stats:?}");
}
