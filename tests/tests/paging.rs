//! `DecisionTask::poll` follows `nextPageToken` through every page, seen at the seam: the
//! SDK driven by aws-smithy-mocks, three pages requested in order with the right token
//! and merged into one history. (`replay.rs` pages a 2,500-event history through
//! `scripts/swf-server` end to end.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use aws_sdk_swf::operation::poll_for_decision_task::PollForDecisionTaskOutput;
use aws_sdk_swf::Client;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use swf_signal::testing::TaskBuilder;
use swf_signal::{DecisionTask, Signal};

#[derive(Debug, PartialEq, Signal)]
enum Counter {
    Add(u32),
    Reset,
}

#[tokio::test]
async fn a_task_split_over_three_pages_is_one_history_in_order() {
    let mut history = TaskBuilder::new("counter-1");
    for i in 0..30 {
        history.signal(&Counter::Add(i));
    }
    history.signal(&Counter::Reset);
    let whole = history.build();
    let pages = history.pages(3);
    assert_eq!(pages.len(), 3);

    let expected_tokens = [None, Some("page-1".to_owned()), Some("page-2".to_owned())];
    let rules: Vec<_> = pages
        .into_iter()
        .zip(expected_tokens)
        .map(|(page, token)| {
            mock!(Client::poll_for_decision_task)
                .match_requests(move |req| {
                    req.next_page_token().map(ToOwned::to_owned) == token
                        && req.domain() == Some("counters")
                        && req.task_list().map(aws_sdk_swf::types::TaskList::name)
                            == Some("deciders")
                })
                .then_output(move || page.clone())
        })
        .collect();
    let client = mock_client!(aws_sdk_swf, RuleMode::Sequential, &rules);

    let task = DecisionTask::poll(&client, "counters", "deciders", "test-host")
        .await
        .unwrap()
        .expect("a task");
    for rule in &rules {
        assert_eq!(rule.num_calls(), 1, "each page requested exactly once");
    }
    assert_eq!(task.events(), whole.events());
    assert_eq!(task.task_token(), whole.task_token());
    assert_eq!(task.workflow_id(), "counter-1");
    let signals: Vec<Counter> = task.new_signals().map(|r| r.unwrap().signal).collect();
    assert_eq!(signals.len(), 31);
    assert_eq!(signals[0], Counter::Add(0));
    assert_eq!(signals[29], Counter::Add(29));
    assert_eq!(signals[30], Counter::Reset);
}

#[tokio::test]
async fn an_empty_poll_is_none() {
    let rule = mock!(Client::poll_for_decision_task)
        // What the SDK makes of a poll that timed out: an empty task token.
        .then_output(|| {
            PollForDecisionTaskOutput::builder()
                .task_token("")
                .set_events(Some(Vec::new()))
                .build()
                .unwrap()
        });
    let client = mock_client!(aws_sdk_swf, [&rule]);
    let got = DecisionTask::poll(&client, "counters", "deciders", "test-host")
        .await
        .unwrap();
    assert!(got.is_none());
}
