//! The sender and start-or-signal where the answers are what matter, driven by
//! aws-smithy-mocks: a lost answer resent by the SDK's retry (issue 19 point 9), and a
//! visibility call that lags behind a start (point 8).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use aws_sdk_swf::config::retry::RetryConfig;
use aws_sdk_swf::operation::list_open_workflow_executions::ListOpenWorkflowExecutionsOutput;
use aws_sdk_swf::operation::signal_workflow_execution::SignalWorkflowExecutionOutput;
use aws_sdk_swf::operation::start_workflow_execution::StartWorkflowExecutionError;
use aws_sdk_swf::types::{ExecutionStatus, WorkflowExecution, WorkflowExecutionInfo, WorkflowType};
use aws_sdk_swf::Client;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use swf_signal::{SendError, SignalSender, WorkflowClient};
use swf_signal_tests::{Counter, CounterSignal};

fn signal_500_then_ok() -> aws_smithy_mocks::Rule {
    mock!(Client::signal_workflow_execution)
        .sequence()
        .http_status(500, None)
        .output(|| SignalWorkflowExecutionOutput::builder().build())
        .build()
}

/// The SDK's standard retry resends a signal after a 5xx — which SWF may have recorded:
/// the workflow would see it twice. `at_most_once` never resends, and the error says the
/// signal may have been applied.
#[tokio::test]
async fn at_most_once_never_resends_a_signal_that_may_have_been_applied() {
    let retrying = |c: aws_sdk_swf::config::Builder| {
        c.retry_config(RetryConfig::standard().with_max_attempts(3))
    };
    let resent = signal_500_then_ok();
    let client = mock_client!(aws_sdk_swf, RuleMode::MatchAny, [&resent], retrying);
    SignalSender::new(client, "orders")
        .send("order-1", &CounterSignal::Finish)
        .await
        .unwrap();
    assert_eq!(resent.num_calls(), 2, "the default: resent by the SDK");

    let once = signal_500_then_ok();
    let client = mock_client!(aws_sdk_swf, RuleMode::MatchAny, [&once], retrying);
    let err = SignalSender::new(client, "orders")
        .at_most_once()
        .send("order-1", &CounterSignal::Finish)
        .await
        .unwrap_err();
    assert_eq!(once.num_calls(), 1, "never resent");
    assert!(err.may_have_been_applied(), "{err}");

    // A 4xx was not applied: safe to resend.
    let unknown = mock!(Client::signal_workflow_execution)
        .sequence()
        .http_status(
            400,
            Some(r#"{"__type":"com.amazonaws.swf.base.model#UnknownResourceFault","message":"Unknown execution"}"#.into()),
        )
        .build();
    let client = mock_client!(aws_sdk_swf, RuleMode::MatchAny, [&unknown], retrying);
    let err = SignalSender::new(client, "orders")
        .at_most_once()
        .send("order-1", &CounterSignal::Finish)
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::NotOpen { .. }), "{err}");
    assert!(!err.may_have_been_applied());
}

/// Another caller started the run, but the eventually consistent
/// `ListOpenWorkflowExecutions` does not show it for ten rounds. Start-or-signal used to
/// loop eight times without a pause and give up (`Contended`, no signal sent); now it
/// pauses between rounds and signals the run once it shows.
#[tokio::test]
async fn start_or_signal_waits_for_a_lagging_visibility_call() {
    let start = mock!(Client::start_workflow_execution).then_error(|| {
        StartWorkflowExecutionError::WorkflowExecutionAlreadyStartedFault(
            aws_sdk_swf::types::error::WorkflowExecutionAlreadyStartedFault::builder().build(),
        )
    });
    let open = || {
        let info = WorkflowExecutionInfo::builder()
            .execution(
                WorkflowExecution::builder()
                    .workflow_id("race-1")
                    .run_id("run-of-the-other-caller")
                    .build()
                    .unwrap(),
            )
            .workflow_type(
                WorkflowType::builder()
                    .name("order")
                    .version("1")
                    .build()
                    .unwrap(),
            )
            .start_timestamp(aws_sdk_swf::primitives::DateTime::from_secs(0))
            .execution_status(ExecutionStatus::Open)
            .build()
            .unwrap();
        ListOpenWorkflowExecutionsOutput::builder()
            .execution_infos(info)
            .build()
            .unwrap()
    };
    let list = mock!(Client::list_open_workflow_executions)
        .sequence()
        .output(|| {
            ListOpenWorkflowExecutionsOutput::builder()
                .set_execution_infos(Some(Vec::new()))
                .build()
                .unwrap()
        })
        .times(10)
        .output(open)
        .build();
    let signal = mock!(Client::signal_workflow_execution)
        .match_requests(|r| r.run_id() == Some("run-of-the-other-caller"))
        .then_output(|| SignalWorkflowExecutionOutput::builder().build());
    let client = mock_client!(
        aws_sdk_swf,
        RuleMode::MatchAny,
        [&start, &list, &signal],
        |c| { c.retry_config(RetryConfig::disabled()) }
    );
    let outcome = WorkflowClient::new(client, "orders")
        .start_or_signal::<Counter>("race-1", &(), &CounterSignal::Add(1))
        .await
        .unwrap();
    assert_eq!(outcome.run_id, "run-of-the-other-caller");
    assert!(!outcome.started);
    assert_eq!(list.num_calls(), 11);
    assert_eq!(signal.num_calls(), 1);
}
