//! Typed workflow handles, start-or-signal and the throttle-aware fan-out, on
//! `scripts/swf-server` (its own throttling for the fan-out).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_sdk_swf::types::{CloseStatus, ExecutionStatus};
use swf_signal::{
    DecideError, DecisionContext, Decisions, Execution, FanOut, RateLimit, SendError, StartError,
    Workflow, WorkflowClient,
};
use swf_signal_tests::{client_on_port, Counter, CounterSignal, Fixture, OwnServer};

#[tokio::test]
async fn start_signal_describe_through_a_typed_handle() {
    let fx = Fixture::new("handle").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let handle = client.start::<Counter>("h-1", &()).await.unwrap();
    let run = handle.run_id().unwrap().to_owned();
    handle.signal(&CounterSignal::Add(2)).await.unwrap();
    let by_id = client.handle::<Counter>("h-1");
    by_id.signal(&CounterSignal::Add(3)).await.unwrap();
    let described = by_id.describe().await.unwrap();
    assert_eq!(described.execution, Execution::new("h-1", run.as_str()));
    assert_eq!(described.status, ExecutionStatus::Open);
    assert_eq!(
        fx.signals("h-1", &run).await,
        [
            ("add".to_owned(), Some("2".to_owned())),
            ("add".to_owned(), Some("3".to_owned()))
        ]
    );
    // `()` goes as no input, which the decider reads as null.
    let history = fx.history("h-1", &run).await;
    let started = history[0]
        .workflow_execution_started_event_attributes()
        .unwrap();
    assert_eq!(started.input(), None);

    // Typed errors.
    let again = client.start::<Counter>("h-1", &()).await.unwrap_err();
    assert!(
        matches!(again, StartError::AlreadyStarted { .. }),
        "{again}"
    );
    fx.terminate("h-1", &run).await;
    let closed = handle.signal(&CounterSignal::Finish).await.unwrap_err();
    assert!(matches!(closed, SendError::NotOpen { .. }), "{closed}");
    let described = handle.describe().await.unwrap();
    assert_eq!(described.status, ExecutionStatus::Closed);
    assert_eq!(described.close_status, Some(CloseStatus::Terminated));
}

/// A workflow type nobody registered.
struct Unregistered;

impl swf_signal_tests::CounterSignalHandler for Unregistered {
    type Output = ();
    fn add(&mut self, _: u32) {}
    fn finish(&mut self) {}
}

impl Workflow for Unregistered {
    const NAME: &'static str = "never-registered";
    const VERSION: &'static str = "9";
    type Signal = CounterSignal;
    type Input = ();
    fn start((): ()) -> Self {
        Unregistered
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        _: &mut Decisions,
    ) -> Result<(), DecideError> {
        Ok(())
    }
}

#[tokio::test]
async fn an_unknown_workflow_type_is_a_typed_error() {
    let fx = Fixture::new("unknown-type").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let err = client.start::<Unregistered>("u-1", &()).await.unwrap_err();
    match &err {
        StartError::UnknownType { name, version, .. } => {
            assert_eq!((*name, *version), ("never-registered", "9"));
        }
        other => panic!("{other}"),
    }
    assert!(
        err.to_string().contains("WorkflowClient::register::<W>()"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_start_or_signal_calls_make_one_run_with_twenty_signals() {
    let fx = Fixture::new("start-or-signal").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let calls = (0..20u32).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .start_or_signal::<Counter>("race-1", &(), &CounterSignal::Add(i))
                .await
        })
    });
    let mut outcomes = Vec::new();
    for call in calls {
        outcomes.push(call.await.unwrap().unwrap());
    }
    let run = &outcomes[0].run_id;
    assert!(
        outcomes.iter().all(|o| &o.run_id == run),
        "one run: {outcomes:?}"
    );
    assert_eq!(outcomes.iter().filter(|o| o.started).count(), 1);
    let mut values: Vec<String> = fx
        .signals("race-1", run)
        .await
        .into_iter()
        .map(|(name, input)| {
            assert_eq!(name, "add");
            input.unwrap()
        })
        .collect();
    values.sort_by_key(|v| v.parse::<u32>().unwrap());
    assert_eq!(values, (0..20).map(|i| i.to_string()).collect::<Vec<_>>());
}

#[tokio::test]
async fn start_or_signal_on_a_closed_execution_starts_a_new_run() {
    let fx = Fixture::new("closed").await;
    let client = WorkflowClient::new(fx.client.clone(), &fx.domain);
    let first = client.start::<Counter>("again-1", &()).await.unwrap();
    let first_run = first.run_id().unwrap().to_owned();
    fx.terminate("again-1", &first_run).await;
    let outcome = client
        .start_or_signal::<Counter>("again-1", &(), &CounterSignal::Finish)
        .await
        .unwrap();
    assert!(outcome.started);
    assert_ne!(outcome.run_id, first_run);
    assert_eq!(
        fx.signals("again-1", &outcome.run_id).await,
        [("finish".to_owned(), None)]
    );
    assert!(fx.signals("again-1", &first_run).await.is_empty());
}

const EXECUTIONS: usize = 200;
const PER_EXECUTION: usize = 5;

/// Fans 1,000 signals out to 200 executions on a server that throttles
/// `SignalWorkflowExecution` at 50/20; returns (fixture, runs, report).
async fn throttled_fan_out(port: u16, limit: Option<RateLimit>) -> swf_signal::FanOutReport {
    let _server = OwnServer::start_with_env(
        port,
        &[("SWF_SERVER_THROTTLE", "SignalWorkflowExecution=50/20")],
    );
    let fx = Fixture::with_client(client_on_port(port).await, "fan-out").await;
    let mut runs = Vec::new();
    for i in 0..EXECUTIONS {
        runs.push(fx.start(&format!("fan-{i}")).await);
    }
    let targets: Vec<Execution> = (0..PER_EXECUTION)
        .flat_map(|_| (0..EXECUTIONS).map(|i| Execution::new(format!("fan-{i}"), runs[i].as_str())))
        .collect();
    let sender = WorkflowClient::new(fx.client.clone(), &fx.domain)
        .sender()
        .clone()
        .rate_limit(limit);
    let progressed = Arc::new(AtomicUsize::new(0));
    let options = FanOut::new().concurrency(16).on_progress({
        let progressed = Arc::clone(&progressed);
        move |p| {
            assert_eq!(p.total, EXECUTIONS * PER_EXECUTION);
            progressed.fetch_max(p.done, Ordering::SeqCst);
        }
    });
    let report = sender
        .fan_out(&targets, &CounterSignal::Add(1), &options)
        .await;
    assert_eq!(
        progressed.load(Ordering::SeqCst),
        EXECUTIONS * PER_EXECUTION
    );
    // Every signal delivered exactly once, read back from the histories.
    for (i, run) in runs.iter().enumerate() {
        let got = fx.signals(&format!("fan-{i}"), run).await.len();
        assert_eq!(got, PER_EXECUTION, "fan-{i}");
    }
    report
}

/// 1,000 signals to 200 executions through SWF's throttle at 50/20: paced by our bucket,
/// none throttled to the caller and the time within 15 % of the bucket's minimum; and
/// without our bucket, the server's throttles show, and are retried until all arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fan_out_through_a_throttling_server() {
    let limit = RateLimit::new(50.0, 20.0).unwrap();
    let minimum = limit.minimum_duration(EXECUTIONS * PER_EXECUTION);
    let (paced, unpaced) = tokio::join!(
        throttled_fan_out(OwnServer::free_port(), Some(limit)),
        throttled_fan_out(OwnServer::free_port(), None),
    );
    let (paced, unpaced) = (paced.summary, unpaced.summary);
    let ratio = paced.elapsed.as_secs_f64() / minimum.as_secs_f64();
    println!(
        "RATIO | `fanout_vs_token_bucket_minimum` | {ratio:.3} | ≤ 1.15 | {} | {:.1} s / {:.1} s (paced: {paced}; without our bucket: {unpaced}) |",
        if ratio <= 1.15 { "met" } else { "NOT MET" },
        paced.elapsed.as_secs_f64(),
        minimum.as_secs_f64(),
    );
    assert_eq!(paced.sent, EXECUTIONS * PER_EXECUTION, "{paced}");
    assert_eq!(paced.failed_total(), 0, "{paced}");
    assert!(
        paced.elapsed >= minimum.mul_f64(0.97) && ratio <= 1.15,
        "paced fan-out took {:?}, bucket minimum {minimum:?}",
        paced.elapsed
    );
    assert_eq!(unpaced.sent, EXECUTIONS * PER_EXECUTION, "{unpaced}");
    // The server really throttles: without our bucket (and with the SDK's retries off in
    // this client) its answers come back as throttles, retried by the fan-out.
    assert!(unpaced.throttled_retries > 0, "{unpaced}");
    assert_eq!(unpaced.failed_total(), 0, "{unpaced}");
}

/// Issue 19 (10): a client built with `aws_sdk_swf::Config::builder()` has no sleep
/// implementation; the fan-out still paces by its bucket and retries throttles (before,
/// both silently switched off and the throttled signals came back as errors).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fan_out_paces_and_retries_on_a_client_without_a_sleep_implementation() {
    let server = OwnServer::start_with_env(
        OwnServer::free_port(),
        &[("SWF_SERVER_THROTTLE", "SignalWorkflowExecution=2/2")],
    );
    let fx = Fixture::with_client(client_on_port(server.port).await, "sleepless").await;
    let runs = [fx.start("s-1").await, fx.start("s-2").await];
    let sleepless = aws_sdk_swf::Client::from_conf(
        aws_sdk_swf::Config::builder()
            .behavior_version(aws_sdk_swf::config::BehaviorVersion::latest())
            .region(aws_sdk_swf::config::Region::new("us-east-1"))
            .endpoint_url(format!("http://127.0.0.1:{}", server.port))
            .credentials_provider(aws_sdk_swf::config::Credentials::for_tests())
            .build(),
    );
    assert!(sleepless.config().sleep_impl().is_none());
    let targets: Vec<Execution> = (0..5)
        .flat_map(|_| {
            [
                Execution::new("s-1", runs[0].as_str()),
                Execution::new("s-2", runs[1].as_str()),
            ]
        })
        .collect();
    // Our bucket at 2/2: ten signals take at least 4 s, and none is throttled.
    let paced = swf_signal::SignalSender::new(sleepless.clone(), &fx.domain)
        .rate_limit(Some(RateLimit::new(2.0, 2.0).unwrap()));
    let report = paced
        .fan_out(&targets, &CounterSignal::Add(1), &FanOut::new())
        .await;
    assert_eq!(report.summary.sent, 10, "{}", report.summary);
    assert!(
        report.summary.elapsed >= std::time::Duration::from_millis(3800),
        "{}",
        report.summary
    );
    // Without our bucket the server throttles; each throttle is retried after a pause.
    let unpaced = swf_signal::SignalSender::new(sleepless, &fx.domain).rate_limit(None);
    let report = unpaced
        .fan_out(&targets, &CounterSignal::Add(1), &FanOut::new())
        .await;
    assert_eq!(report.summary.sent, 10, "{}", report.summary);
    assert!(report.summary.throttled_retries > 0, "{}", report.summary);
    assert_eq!(fx.signals("s-1", &runs[0]).await.len(), 10);
}
