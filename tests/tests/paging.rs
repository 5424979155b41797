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

/// Issue 19 (6): once the first page came back the task is taken; a transient failure of
/// page 2, of a whole-history page or of the response is retried, not left to drop the
/// task to its timeout (forever under `NONE`). The SDK's own retries are off here, so
/// what recovers is the library. A 4xx is not retried.
#[tokio::test]
async fn a_taken_task_survives_transient_failures() {
    use aws_sdk_swf::config::retry::RetryConfig;
    let mut history = TaskBuilder::new("counter-2");
    for i in 0..10 {
        history.signal(&Counter::Add(i));
    }
    let whole = history.build();
    let pages = history.pages(2);
    let (first, second) = (pages[0].clone(), pages[1].clone());
    let page_1 = mock!(Client::poll_for_decision_task)
        .match_requests(|req| req.next_page_token().is_none())
        .then_output(move || first.clone());
    let page_2 = mock!(Client::poll_for_decision_task)
        .match_requests(|req| req.next_page_token() == Some("page-1"))
        .sequence()
        .http_status(500, None)
        .times(2)
        .output(move || second.clone())
        .build();
    let respond = mock!(Client::respond_decision_task_completed)
        .sequence()
        .http_status(503, None)
        .output(|| {
            aws_sdk_swf::operation::respond_decision_task_completed::RespondDecisionTaskCompletedOutput::builder().build()
        })
        .build();
    let client = mock_client!(
        aws_sdk_swf,
        RuleMode::MatchAny,
        [&page_1, &page_2, &respond],
        |c| { c.retry_config(RetryConfig::disabled()) }
    );
    let task = DecisionTask::poll(&client, "counters", "deciders", "test-host")
        .await
        .unwrap()
        .expect("a task");
    assert_eq!(task.events(), whole.events());
    assert_eq!(page_2.num_calls(), 3, "two 500s, then the page");
    task.respond(&client, swf_signal::Decisions::new())
        .await
        .unwrap();
    assert_eq!(respond.num_calls(), 2, "one 503, then the answer");

    // A 400 is final: no retry.
    let refused = mock!(Client::respond_decision_task_completed)
        .sequence()
        .http_status(400, Some(r#"{"__type":"com.amazonaws.swf.base.model#UnknownResourceFault","message":"Unknown task token"}"#.into()))
        .output(|| {
            aws_sdk_swf::operation::respond_decision_task_completed::RespondDecisionTaskCompletedOutput::builder().build()
        })
        .build();
    let client = mock_client!(aws_sdk_swf, RuleMode::MatchAny, [&refused], |c| {
        c.retry_config(RetryConfig::disabled())
    });
    let err = task
        .respond(&client, swf_signal::Decisions::new())
        .await
        .unwrap_err();
    assert_eq!(refused.num_calls(), 1, "{err}");
}
