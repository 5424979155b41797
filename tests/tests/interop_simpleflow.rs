//! simpleflow, proven against simpleflow itself (`PyPI`, pinned in `./.venv` by
//! `scripts/interop.sh`): its own `DeciderPoller` and `Executor` decide on
//! `scripts/swf-server` (`interop/simpleflow/decider.py`).
//!
//! 1. A simpleflow workflow waiting in `wait_signal` receives what the Rust sender sent,
//!    and completes with the input as simpleflow hands it to the workflow.
//! 2. A simpleflow workflow's `self.signal(...)` (a `SignalExternalWorkflowExecution`
//!    decision) reaches a Rust `WorkflowDecider`, which decodes it into the enum.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use aws_sdk_swf::types::{EventType, TaskList, WorkflowType};
use swf_signal::{Signal, SignalSender, Worker, WorkflowDecider};
use swf_signal_tests::interop::{repo_root, venv_python, wait_exit, Recorder};
use swf_signal_tests::{spawn_worker, Fixture, WORKFLOW_NAME, WORKFLOW_VERSION};

/// The signals of the simpleflow estate: `Move(3, 4)` is `self.signal("Move", 3, 4)`,
/// `Approve` is `self.signal("Approve", approver=…, level=…)`.
#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(format = "simpleflow")]
enum Estate {
    Move(i32, i32),
    Approve { approver: String, level: u8 },
}

/// Runs `interop/simpleflow/decider.py` with the test's endpoint.
fn simpleflow_decider(args: &[&str]) -> Child {
    Command::new(venv_python("simpleflow"))
        .arg(repo_root().join("interop/simpleflow/decider.py"))
        .args(args)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .spawn()
        .expect("start the simpleflow decider")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_simpleflow_workflow_in_wait_signal_receives_the_rust_signal() {
    let fx = Fixture::new("simpleflow-wait").await;
    let run = fx.start("waiting").await;
    let decider = simpleflow_decider(&["wait", &fx.domain, &fx.task_list, "waiting"]);
    // Send once simpleflow has made its first decision: the workflow is in wait_signal.
    let deadline = Instant::now() + Duration::from_mins(1);
    while !fx
        .history("waiting", &run)
        .await
        .iter()
        .any(|e| *e.event_type() == EventType::DecisionTaskCompleted)
    {
        assert!(Instant::now() < deadline, "simpleflow made no decision");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let signal = Estate::Approve {
        approver: "ana é".into(),
        level: 2,
    };
    SignalSender::new(fx.client.clone(), &fx.domain)
        .send(swf_signal::Execution::new("waiting", &run), &signal)
        .await
        .unwrap();
    wait_exit(decider, "the simpleflow decider", Duration::from_secs(90)).await;

    let history = fx.history("waiting", &run).await;
    let result = history
        .iter()
        .find_map(|e| e.workflow_execution_completed_event_attributes())
        .and_then(|a| a.result())
        .expect("the simpleflow workflow completed with a result");
    // What simpleflow handed the workflow: the whole decoded dict, our keyword arguments.
    let got: serde_json::Value = serde_json::from_str(result).unwrap();
    assert_eq!(
        got,
        serde_json::json!({"__propagate": false, "args": [], "kwargs": {"approver": "ana é", "level": 2}})
    );
}

/// The Rust workflow simpleflow signals: completes once both signals arrived.
type Target = Recorder<Estate, 2>;

impl EstateHandler for Target {
    type Output = ();
    fn r#move(&mut self, x: i32, y: i32) {
        self.seen.push(format!("move {x} {y}"));
    }
    fn approve(&mut self, approver: String, level: u8) {
        self.seen.push(format!("approve {approver} {level}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_simpleflow_signal_reaches_a_rust_workflow_decider() {
    let fx = Fixture::new("simpleflow-send").await;
    // The Rust target decides on its own task list; simpleflow polls the fixture's.
    let rust_list = "rust-deciders";
    let target_run = fx
        .client
        .start_workflow_execution()
        .domain(&fx.domain)
        .workflow_id("target")
        .workflow_type(
            WorkflowType::builder()
                .name(WORKFLOW_NAME)
                .version(WORKFLOW_VERSION)
                .build()
                .unwrap(),
        )
        .task_list(TaskList::builder().name(rust_list).build().unwrap())
        .send()
        .await
        .unwrap()
        .run_id()
        .unwrap()
        .to_owned();
    let worker = Worker::new(fx.client.clone(), &fx.domain, rust_list)
        .unwrap()
        .no_sticky();
    let (shutdown, running) = spawn_worker(worker, WorkflowDecider::<Target>::new());

    let sender_run = fx.start("sender").await;
    let decider = simpleflow_decider(&[
        "send",
        &fx.domain,
        &fx.task_list,
        "sender",
        "target",
        &target_run,
    ]);
    wait_exit(decider, "the simpleflow decider", Duration::from_secs(90)).await;
    fx.wait_completed(
        &[("target".to_owned(), target_run.clone())],
        Duration::from_mins(1),
    )
    .await;
    shutdown.cancel();
    let stats = running.await.unwrap();

    // simpleflow's signals, as SWF recorded them, and what the Rust decider made of them.
    let signals = fx.signals("target", &target_run).await;
    assert_eq!(
        signals,
        vec![
            (
                "Move".to_owned(),
                Some(r#"{"__propagate":true,"args":[3,4],"kwargs":{}}"#.to_owned())
            ),
            (
                "Approve".to_owned(),
                Some(r#"{"__propagate":true,"args":[],"kwargs":{"approver":"ana \u00e9","level":2}}"#.to_owned())
            ),
        ]
    );
    let result = fx
        .history("target", &target_run)
        .await
        .iter()
        .find_map(|e| e.workflow_execution_completed_event_attributes())
        .and_then(|a| a.result().map(ToOwned::to_owned));
    assert_eq!(result.as_deref(), Some("move 3 4; approve ana é 2"));
    assert!(
        stats.responded >= 1 && stats.decider_errors == 0,
        "{stats:?}"
    );
    // simpleflow's own workflow saw its signals delivered.
    let sender_history = fx.history("sender", &sender_run).await;
    assert_eq!(
        sender_history
            .iter()
            .filter(|e| *e.event_type() == EventType::ExternalWorkflowExecutionSignaled)
            .count(),
        2
    );
}
