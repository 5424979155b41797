//! botoflow, proven against botoflow itself (`PyPI`, pinned in `./.venv` by
//! `scripts/interop.sh`; `interop/botoflow/compat.py` holds the one patch botoflow 0.8 needs
//! on current botocore): its own `WorkflowWorker` decides on `scripts/swf-server`, its own
//! signal client sends (`interop/botoflow/botoflow_interop.py`).
//!
//! 1. A botoflow decider receives the Rust sender's signals in its `@signal` methods, with
//!    the right arguments and Python types (a Rust tuple arrives as a `tuple`).
//! 2. botoflow's signal client reaches a Rust `WorkflowDecider`.
//! 3. What botoflow's data converter makes of datetimes, sets, decimals, bytes and
//!    timedeltas decodes in Rust (committed fixture, checked against botoflow today).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::io::BufRead as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use swf_signal::{Execution, Signal, SignalSender, Worker, WorkflowDecider};
use swf_signal_tests::interop::{current_fixture, repo_root, venv_python, wait_exit, Recorder};
use swf_signal_tests::{spawn_worker, Fixture};

/// The `@signal` methods of `Order` in `botoflow_interop.py`; botoflow names a signal after
/// its method.
#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(format = "botoflow", rename_all = "snake_case")]
enum BotoSignals {
    Approve { approver: String, level: u8 },
    AddData(i32, (i32, String)),
    Everything(String, Vec<i32>, String, Vec<u8>, f64),
}

fn botoflow(args: &[&str]) -> Command {
    let mut cmd = Command::new(venv_python("botoflow"));
    cmd.current_dir(repo_root().join("interop/botoflow"))
        .arg("botoflow_interop.py")
        .args(args)
        .env("AWS_DEFAULT_REGION", "us-east-1");
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_botoflow_decider_receives_the_rust_signals_in_its_signal_methods() {
    let fx = Fixture::new("botoflow-wait").await;
    let mut decider = botoflow(&["wait", &fx.domain, &fx.task_list])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the botoflow decider");
    let stdout = decider.stdout.take().unwrap();
    // botoflow starts its own workflow and says which execution it is.
    // The reader stays open until botoflow exits: it prints "closed" last.
    let (line, _reader) = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        let mut reader = std::io::BufReader::new(stdout);
        reader.read_line(&mut line).unwrap();
        (line, reader)
    })
    .await
    .unwrap();
    let mut words = line.split_whitespace();
    assert_eq!(words.next(), Some("started"), "{line}");
    let (workflow_id, run_id) = (words.next().unwrap(), words.next().unwrap());

    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    let target = Execution::new(workflow_id, run_id);
    sender
        .send(target.clone(), &BotoSignals::AddData(3, (1, "a".into())))
        .await
        .unwrap();
    let approve = BotoSignals::Approve {
        approver: "ana é".into(),
        level: 2,
    };
    sender.send(target, &approve).await.unwrap();
    wait_exit(decider, "the botoflow process", Duration::from_secs(90)).await;

    let result = fx
        .history(workflow_id, run_id)
        .await
        .iter()
        .find_map(|e| e.workflow_execution_completed_event_attributes())
        .and_then(|a| a.result().map(ToOwned::to_owned))
        .expect("the botoflow workflow completed");
    // What each @signal method received: values and Python types. When both signals
    // arrive in one decision task botoflow runs the two methods as tasks of its own, in an
    // order of its choosing (seen both ways), so the order is not asserted.
    let mut got: Vec<serde_json::Value> = serde_json::from_str(&result).unwrap();
    got.sort_by_key(ToString::to_string);
    assert_eq!(
        got,
        [
            serde_json::json!(["add_data", 3, "int", [1, "a"], "tuple"]),
            serde_json::json!(["approve", "ana é", "str", 2, "int"]),
        ]
    );
}

/// The Rust workflow botoflow signals: completes once both signals arrived.
type Target = Recorder<BotoSignals, 2>;

impl BotoSignalsHandler for Target {
    type Output = ();
    fn approve(&mut self, approver: String, level: u8) {
        self.seen.push(format!("approve {approver} {level}"));
    }
    fn add_data(&mut self, n: i32, pair: (i32, String)) {
        self.seen.push(format!("add_data {n} {pair:?}"));
    }
    fn everything(&mut self, _: String, _: Vec<i32>, _: String, _: Vec<u8>, _: f64) {
        self.seen.push("everything".into());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_botoflow_signal_client_reaches_a_rust_decider() {
    let fx = Fixture::new("botoflow-send").await;
    let run = fx.start("target").await;
    let worker = Worker::new(fx.client.clone(), &fx.domain, &fx.task_list)
        .unwrap()
        .no_sticky();
    let (shutdown, running) = spawn_worker(worker, WorkflowDecider::<Target>::new());
    let client = botoflow(&["send", &fx.domain, &fx.task_list, "target", &run])
        .spawn()
        .expect("start the botoflow signal client");
    wait_exit(client, "the botoflow process", Duration::from_mins(1)).await;
    fx.wait_completed(
        &[("target".to_owned(), run.clone())],
        Duration::from_mins(1),
    )
    .await;
    shutdown.cancel();
    let stats = running.await.unwrap();
    assert_eq!(stats.decider_errors, 0, "{stats:?}");

    assert_eq!(
        fx.signals("target", &run).await,
        vec![
            (
                "add_data".to_owned(),
                Some(r#"[{"__tuple":[3,{"__tuple":[1,"a"]}]},{}]"#.to_owned())
            ),
            (
                "approve".to_owned(),
                Some(r#"[{"__tuple":[]},{"approver":"ana \u00e9","level":2}]"#.to_owned())
            ),
        ]
    );
    let result = fx
        .history("target", &run)
        .await
        .iter()
        .find_map(|e| e.workflow_execution_completed_event_attributes())
        .and_then(|a| a.result().map(ToOwned::to_owned));
    assert_eq!(
        result.as_deref(),
        Some(r#"add_data 3 (1, "a"); approve ana é 2"#)
    );
}

const FIXTURE: &str = "tests/fixtures/botoflow-signals.tsv";

#[test]
fn what_botoflow_marks_specially_decodes() {
    let out = botoflow(&["encode"])
        .output()
        .expect("run botoflow's encoder");
    assert!(out.status.success(), "botoflow_interop.py encode failed");
    let fixture = current_fixture(FIXTURE, &String::from_utf8(out.stdout).unwrap());
    let want = [
        BotoSignals::Approve {
            approver: "ana é".into(),
            level: 2,
        },
        BotoSignals::AddData(3, (1, "a".into())),
        BotoSignals::Everything(
            "2024-05-17T13:45:30.123000".into(),
            vec![7],
            "-12.50".into(),
            vec![0, 1],
            86_402.5,
        ),
    ];
    let lines: Vec<&str> = fixture.lines().collect();
    assert_eq!(lines.len(), want.len());
    for (line, want) in lines.iter().zip(want) {
        let (name, input) = line.split_once('\t').unwrap();
        let got = BotoSignals::decode(name, Some(input)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, want, "{line}");
    }
}
