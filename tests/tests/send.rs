//! The typed sender against a real SWF endpoint (`scripts/swf-server`, started by scripts/test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use serde::{Deserialize, Serialize};
use swf_signal::{Execution, SendError, Signal, SignalSender};
use swf_signal_tests::{dead_client, Fixture};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CancelReason {
    code: u16,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
enum OrderSignal {
    Approve {
        approver: String,
        note: Option<String>,
    },
    #[signal(name = "order.cancel")]
    Cancel(CancelReason),
    Move(i32, i32),
    Ping,
    #[signal(raw)]
    Comment(String),
    #[signal(other)]
    Other {
        name: String,
        input: Option<String>,
    },
}

#[tokio::test]
async fn every_shape_arrives_in_the_history_in_the_documented_wire_format() {
    let fx = Fixture::new("send-shapes").await;
    let run = fx.start("order-1").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    let signals = [
        OrderSignal::Approve {
            approver: "ana".into(),
            note: None,
        },
        OrderSignal::Cancel(CancelReason {
            code: 7,
            text: "dup ✓".into(),
        }),
        OrderSignal::Move(3, -4),
        OrderSignal::Ping,
        OrderSignal::Comment("free text, not JSON {".into()),
        OrderSignal::Other {
            name: "legacy.poke".into(),
            input: Some("x=1".into()),
        },
    ];
    for s in &signals {
        sender.send("order-1", s).await.unwrap();
    }
    let got = fx.signals("order-1", &run).await;
    let expected: Vec<(String, Option<String>)> = vec![
        (
            "approve".into(),
            Some(r#"{"approver":"ana","note":null}"#.into()),
        ),
        (
            "order.cancel".into(),
            Some(r#"{"code":7,"text":"dup ✓"}"#.into()),
        ),
        ("move".into(), Some("[3,-4]".into())),
        // Sent as an empty input; the server hands an empty input back as absent.
        ("ping".into(), None),
        ("comment".into(), Some("free text, not JSON {".into())),
        ("legacy.poke".into(), Some("x=1".into())),
    ];
    assert_eq!(got, expected);
    // And each decodes back to what was sent.
    let decoded: Vec<OrderSignal> = got
        .iter()
        .map(|(n, i)| OrderSignal::decode(n, i.as_deref()).unwrap())
        .collect();
    assert_eq!(decoded, signals);
}

#[tokio::test]
async fn a_specific_run_is_addressed_by_run_id() {
    let fx = Fixture::new("send-run").await;
    let run = fx.start("order-2").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    sender
        .send(Execution::new("order-2", &run), &OrderSignal::Ping)
        .await
        .unwrap();
    assert_eq!(
        fx.signals("order-2", &run).await,
        [("ping".to_owned(), None)]
    );
}

fn assert_not_open(err: &SendError, workflow_id: &str, run_id: Option<&str>) {
    assert!(
        matches!(err, SendError::NotOpen { .. }),
        "expected NotOpen, got {err:?}"
    );
    assert_eq!(err.target().execution.workflow_id(), workflow_id);
    assert_eq!(err.target().execution.run_id(), run_id);
    let msg = err.to_string();
    assert!(msg.contains(&format!("workflow `{workflow_id}`")), "{msg}");
    if let Some(run) = run_id {
        assert!(msg.contains(&format!("run `{run}`")), "{msg}");
    }
    assert!(msg.contains("signal `ping`"), "{msg}");
    assert!(msg.contains("no such open execution"), "{msg}");
}

#[tokio::test]
async fn unknown_workflow_wrong_run_and_closed_execution_are_not_open() {
    let fx = Fixture::new("send-not-open").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);

    let err = sender
        .send("no-such-order", &OrderSignal::Ping)
        .await
        .unwrap_err();
    assert_not_open(&err, "no-such-order", None);

    let run = fx.start("order-3").await;
    let wrong = "0".repeat(run.len().clamp(1, 64));
    let err = sender
        .send(Execution::new("order-3", &wrong), &OrderSignal::Ping)
        .await
        .unwrap_err();
    assert_not_open(&err, "order-3", Some(&wrong));

    fx.terminate("order-3", &run).await;
    let err = sender
        .send("order-3", &OrderSignal::Ping)
        .await
        .unwrap_err();
    assert_not_open(&err, "order-3", None);
    let err = sender
        .send(Execution::new("order-3", &run), &OrderSignal::Ping)
        .await
        .unwrap_err();
    assert_not_open(&err, "order-3", Some(&run));
}

#[tokio::test]
async fn limits_are_checked_before_any_network_call() {
    // Nothing listens behind this client: had the sender reached the network, the
    // error would be `Sdk` (connection refused), not a validation variant.
    let sender = SignalSender::new(dead_client().await, "orders");

    let big = OrderSignal::Comment("x".repeat(32_769));
    let err = sender.send("order-4", &big).await.unwrap_err();
    assert!(
        matches!(err, SendError::InputTooLarge { chars: 32_769, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("32769 characters, over SWF's limit of 32768"),
        "{msg}"
    );
    assert!(msg.contains("signal `comment`"), "{msg}");
    assert!(!msg.contains("xxxx"), "the input never reaches Display");

    // 32,768 two-byte characters: at the limit in characters though over it in bytes.
    // It passes validation, so it reaches the (dead) network.
    let at_limit = OrderSignal::Comment("é".repeat(32_768));
    let err = sender.send("order-4", &at_limit).await.unwrap_err();
    assert!(matches!(err, SendError::Sdk { .. }), "{err:?}");

    let long_id = "w".repeat(257);
    let err = sender
        .send(long_id.as_str(), &OrderSignal::Ping)
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::InvalidTarget { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("257 characters, over SWF's limit of 256"),
        "{err}"
    );

    let long_run = "r".repeat(65);
    let err = sender
        .send(Execution::new("order-4", long_run), &OrderSignal::Ping)
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::InvalidTarget { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("65 characters, over SWF's limit of 64"),
        "{err}"
    );

    let err = sender.send("", &OrderSignal::Ping).await.unwrap_err();
    assert!(matches!(err, SendError::InvalidTarget { .. }), "{err:?}");
}

#[tokio::test]
async fn no_server_is_a_transport_error_that_names_the_target() {
    let sender = SignalSender::new(dead_client().await, "orders");
    let started = std::time::Instant::now();
    let err = sender
        .send("order-5", &OrderSignal::Ping)
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Sdk { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("signal `ping` to workflow `order-5` in domain `orders`"),
        "{msg}"
    );
    assert!(std::error::Error::source(&err).is_some());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "bounded time"
    );
}

#[tokio::test]
async fn fan_out_of_200_signals_to_20_executions() {
    let fx = Fixture::new("send-fanout").await;
    let mut runs = Vec::new();
    for i in 0..20 {
        runs.push(fx.start(&format!("fan-{i}")).await);
    }
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    let mut all = Vec::new();
    for round in 0..10 {
        let targets: Vec<Execution> = runs
            .iter()
            .enumerate()
            .map(|(i, run)| Execution::new(format!("fan-{i}"), run))
            .collect();
        let signal = OrderSignal::Move(round, -round);
        all.extend(sender.send_many(&targets, &signal, 8).await);
    }
    assert_eq!(all.len(), 200);
    assert!(
        all.iter().all(Result::is_ok),
        "{:?}",
        all.iter().find(|r| r.is_err())
    );
    for (i, run) in runs.iter().enumerate() {
        let got = fx.signals(&format!("fan-{i}"), run).await;
        let expected: Vec<(String, Option<String>)> = (0..10)
            .map(|r| ("move".to_owned(), Some(format!("[{r},{}]", -r))))
            .collect();
        assert_eq!(got, expected, "execution fan-{i}");
    }
}

#[tokio::test]
async fn fan_out_reports_each_failure_in_place() {
    let fx = Fixture::new("send-fanout-mixed").await;
    let run = fx.start("real").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    let long = "w".repeat(300);
    let targets = vec![
        Execution::current("real"),
        Execution::current("missing"),
        Execution::current(long),
        Execution::new("real", &run),
    ];
    let results = sender.send_many(&targets, &OrderSignal::Ping, 2).await;
    assert_eq!(results.len(), 4);
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(SendError::NotOpen { .. })));
    assert!(matches!(results[2], Err(SendError::InvalidTarget { .. })));
    assert!(results[3].is_ok());
    assert_eq!(fx.signals("real", &run).await.len(), 2);
}
