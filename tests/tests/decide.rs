//! The decider side against a real SWF endpoint (`scripts/swf-server`): typed and raw signals come back
//! from `PollForDecisionTask` decoded or reported by name, and the default policy's
//! marker is accepted and lands in the history.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use aws_sdk_swf::types::EventType;
use swf_signal::{
    BadSignalPolicy, DecisionTask, Decisions, DecodeError, Signal, SignalSender,
    UNDECODABLE_SIGNAL_MARKER,
};
use swf_signal_tests::Fixture;

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
enum OrderSignal {
    Approve { approver: String },
    ChangeQuantity(u32),
    Ping,
}

#[derive(Default)]
struct Seen(Vec<OrderSignal>);

impl OrderSignalHandler for Seen {
    type Output = ();
    fn approve(&mut self, approver: String) {
        self.0.push(OrderSignal::Approve { approver });
    }
    fn change_quantity(&mut self, value: u32) {
        self.0.push(OrderSignal::ChangeQuantity(value));
    }
    fn ping(&mut self) {
        self.0.push(OrderSignal::Ping);
    }
}

#[tokio::test]
async fn signals_come_back_from_a_real_poll_and_bad_ones_become_markers() {
    let fx = Fixture::new("decide-e2e").await;
    let run = fx.start("order-1").await;
    let sender = SignalSender::new(fx.client.clone(), &fx.domain);
    let sent = [
        OrderSignal::Approve {
            approver: "ana".into(),
        },
        OrderSignal::ChangeQuantity(4),
        OrderSignal::Ping,
    ];
    for s in &sent[..2] {
        sender.send("order-1", s).await.unwrap();
    }
    // Raw signals another service might send: malformed JSON and an unknown name.
    for (name, input) in [
        ("change_quantity", "\"four\""),
        ("refund", "{\"amount\":3}"),
    ] {
        fx.client
            .signal_workflow_execution()
            .domain(&fx.domain)
            .workflow_id("order-1")
            .signal_name(name)
            .input(input)
            .send()
            .await
            .unwrap();
    }
    sender.send("order-1", &sent[2]).await.unwrap();

    let mut seen = Seen::default();
    let mut bad = Vec::new();
    let mut responded = 0;
    // Poll until the queue is drained (an empty poll ends the loop).
    for _ in 0..10 {
        let Some(task) = DecisionTask::poll(&fx.client, &fx.domain, &fx.task_list, "test-host")
            .await
            .unwrap()
        else {
            break;
        };
        assert_eq!(task.workflow_id(), "order-1");
        assert_eq!(task.run_id(), run);
        for r in task.new_signals::<OrderSignal>() {
            if let Err(e) = r {
                bad.push((
                    e.name().to_owned(),
                    e.input().map(ToOwned::to_owned),
                    e.error.to_string(),
                ));
            }
        }
        let mut decisions = Decisions::new();
        let dispatched = task
            .dispatch_new_signals::<OrderSignal, _>(
                &mut seen,
                &BadSignalPolicy::default(),
                &mut decisions,
            )
            .unwrap();
        assert!(!dispatched.stopped(), "the default policy never stops");
        task.respond(&fx.client, decisions).await.unwrap();
        responded += 1;
    }
    assert!(responded >= 1);
    assert_eq!(seen.0, sent, "each typed signal handled once, in order");
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert_eq!(
        (bad[0].0.as_str(), bad[0].1.as_deref()),
        ("change_quantity", Some("\"four\""))
    );
    assert!(bad[0].2.contains("malformed input"), "{}", bad[0].2);
    assert_eq!(bad[1].0, "refund");

    // The markers were accepted by SWF and are in the history with the raw input.
    let history = fx.history("order-1", &run).await;
    let markers: Vec<serde_json::Value> = history
        .iter()
        .filter(|e| *e.event_type() == EventType::MarkerRecorded)
        .filter_map(|e| e.marker_recorded_event_attributes())
        .filter(|a| a.marker_name() == UNDECODABLE_SIGNAL_MARKER)
        .map(|a| serde_json::from_str(a.details().unwrap()).unwrap())
        .collect();
    assert_eq!(markers.len(), 2, "{markers:?}");
    assert_eq!(markers[0]["signal"], "change_quantity");
    assert_eq!(markers[0]["input"], "\"four\"");
    assert_eq!(markers[1]["signal"], "refund");
    assert_eq!(markers[1]["input"], "{\"amount\":3}");

    // Replay from the full history gives the same picture.
    let decoded: Vec<Result<OrderSignal, DecodeError>> = history
        .iter()
        .filter_map(|e| e.workflow_execution_signaled_event_attributes())
        .map(|a| OrderSignal::decode(a.signal_name(), a.input()))
        .collect();
    assert_eq!(decoded.len(), 5);
    assert_eq!(decoded.iter().filter(|r| r.is_err()).count(), 2);
}
