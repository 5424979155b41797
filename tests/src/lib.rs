// Test set-up: a failed set-up call is a failed test, so it panics with what failed.
#![allow(clippy::expect_used, clippy::missing_panics_doc)]
//! Shared set-up for the end-to-end tests: an SDK client for the SWF endpoint that
//! `scripts/test` starts (`scripts/swf-server` on loopback), and a fixture that gives each
//! test its own domain, workflow type and executions, because the server's state is global.
#![forbid(unsafe_code)]

pub mod flow_cases;
pub mod interop;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_swf::types::{HistoryEvent, TaskList, WorkflowExecution, WorkflowType};
use aws_sdk_swf::Client;

/// The workflow type every fixture registers.
pub const WORKFLOW_NAME: &str = "order";
/// Its version.
pub const WORKFLOW_VERSION: &str = "1";

/// An SDK client for the endpoint in `AWS_ENDPOINT_URL_SWF`.
///
/// # Panics
///
/// When the variable is unset: these tests need the server `scripts/test` starts, and
/// must fail rather than skip without it.
pub async fn client() -> Client {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_SWF").unwrap_or_default();
    assert!(
        !endpoint.is_empty(),
        "AWS_ENDPOINT_URL_SWF is not set: run the end-to-end tests through ./scripts/test, which starts scripts/swf-server"
    );
    // The worker's timeouts: workers refuse a client without a read timeout.
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .timeout_config(swf_signal::worker::worker_timeouts())
        .load()
        .await;
    Client::new(&config)
}

/// A client pointed at a loopback port where nothing listens: any request it makes
/// fails to connect, so a call that returns a validation error made no request.
pub async fn dead_client() -> Client {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
        listener.local_addr().expect("local addr").port()
    };
    loopback_client(
        port,
        aws_sdk_swf::config::timeout::TimeoutConfig::builder().build(),
    )
    .await
}

/// A client for `http://127.0.0.1:<port>` with dummy credentials and `timeouts`.
async fn loopback_client(
    port: u16,
    timeouts: aws_sdk_swf::config::timeout::TimeoutConfig,
) -> Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(aws_sdk_swf::config::Credentials::for_tests())
        .timeout_config(timeouts)
        .load()
        .await;
    Client::new(&config)
}

/// One test's own SWF domain with a registered workflow type.
pub struct Fixture {
    /// The client.
    pub client: Client,
    /// The unique domain.
    pub domain: String,
    /// The decision task list.
    pub task_list: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl Fixture {
    /// Registers a fresh domain (named after `test` and made unique) and the `order`
    /// workflow type in it.
    pub async fn new(test: &str) -> Self {
        Self::with_client(client().await, test).await
    }

    /// The workflow type.
    pub fn workflow_type(&self) -> WorkflowType {
        WorkflowType::builder()
            .name(WORKFLOW_NAME)
            .version(WORKFLOW_VERSION)
            .build()
            .expect("workflow type")
    }

    /// Starts an execution and returns its run id.
    pub async fn start(&self, workflow_id: &str) -> String {
        self.start_with_timeout(workflow_id, "60").await
    }

    /// Starts an execution with a given decision task start-to-close timeout (seconds).
    pub async fn start_with_timeout(&self, workflow_id: &str, task_timeout: &str) -> String {
        let out = self
            .client
            .start_workflow_execution()
            .domain(&self.domain)
            .workflow_id(workflow_id)
            .workflow_type(self.workflow_type())
            .task_start_to_close_timeout(task_timeout)
            .send()
            .await
            .expect("start workflow execution");
        out.run_id().unwrap_or_default().to_owned()
    }

    /// The whole history of an execution.
    pub async fn history(&self, workflow_id: &str, run_id: &str) -> Vec<HistoryEvent> {
        let execution = WorkflowExecution::builder()
            .workflow_id(workflow_id)
            .run_id(run_id)
            .build()
            .expect("execution");
        let mut events = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .get_workflow_execution_history()
                .domain(&self.domain)
                .execution(execution.clone())
                .set_next_page_token(token.take())
                .send()
                .await
                .expect("get workflow execution history");
            events.extend(page.events().iter().cloned());
            match page.next_page_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => break,
            }
        }
        events
    }

    /// `(signalName, input)` of every `WorkflowExecutionSignaled` event, in order.
    pub async fn signals(&self, workflow_id: &str, run_id: &str) -> Vec<(String, Option<String>)> {
        self.history(workflow_id, run_id)
            .await
            .iter()
            .filter_map(|e| e.workflow_execution_signaled_event_attributes())
            .map(|a| (a.signal_name().to_owned(), a.input().map(ToOwned::to_owned)))
            .collect()
    }

    /// Terminates an execution (closes it).
    pub async fn terminate(&self, workflow_id: &str, run_id: &str) {
        self.client
            .terminate_workflow_execution()
            .domain(&self.domain)
            .workflow_id(workflow_id)
            .run_id(run_id)
            .send()
            .await
            .expect("terminate");
    }
}

/// A signal enum for worker tests: `Add` some number of times, then `Finish`.
#[derive(Debug, Clone, PartialEq, swf_signal::Signal)]
#[signal(rename_all = "snake_case")]
pub enum CounterSignal {
    /// One more.
    Add(u32),
    /// Complete the workflow.
    Finish,
}

/// The marker the counter decider records for every signal it handles; its details are
/// the signal's event id, so a history shows how often each signal was handled.
pub const HANDLED: &str = "handled";

/// The counter workflow: the sum of its `Add`s, and whether it was told to finish.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counter {
    /// The sum of every `Add` so far.
    pub total: u64,
    /// Whether `Finish` arrived.
    pub finished: bool,
}

impl CounterSignalHandler for Counter {
    type Output = ();
    fn add(&mut self, value: u32) {
        self.total += u64::from(value);
    }
    fn finish(&mut self) {
        self.finished = true;
    }
}

impl swf_signal::Workflow for Counter {
    const NAME: &'static str = WORKFLOW_NAME;
    const VERSION: &'static str = WORKFLOW_VERSION;
    type Signal = CounterSignal;
    type Input = ();

    fn start((): ()) -> Self {
        Counter::default()
    }

    /// Marks each new signal `handled` (details: its event id) and completes with the
    /// total once `Finish` arrived.
    fn decide(
        &mut self,
        ctx: &swf_signal::DecisionContext<'_, Self>,
        decisions: &mut swf_signal::Decisions,
    ) -> Result<(), swf_signal::DecideError> {
        for received in ctx.new_signals() {
            decisions.record_marker(HANDLED, Some(&received.event_id.to_string()))?;
        }
        if self.finished {
            decisions.complete(Some(&self.total.to_string()))?;
        }
        Ok(())
    }
}

/// The counter workflow's decider, as a function (a `Decider`).
///
/// # Errors
///
/// What `WorkflowDecider::<Counter>::decide` returns.
pub fn counter_decider(
    task: &swf_signal::DecisionTask,
) -> Result<swf_signal::Decisions, swf_signal::DecideError> {
    swf_signal::WorkflowDecider::<Counter>::new().decide(task)
}

/// How a history's signals were handled: (signal event ids, handled count per event id).
pub fn handled_counts(
    history: &[HistoryEvent],
) -> (Vec<i64>, std::collections::BTreeMap<i64, usize>) {
    let signals = history
        .iter()
        .filter(|e| e.workflow_execution_signaled_event_attributes().is_some())
        .map(HistoryEvent::event_id)
        .collect();
    let mut handled = std::collections::BTreeMap::new();
    for a in history
        .iter()
        .filter_map(HistoryEvent::marker_recorded_event_attributes)
    {
        if a.marker_name() == HANDLED {
            if let Some(id) = a.details().and_then(|d| d.parse().ok()) {
                *handled.entry(id).or_insert(0) += 1;
            }
        }
    }
    (signals, handled)
}

impl Fixture {
    /// Waits until every execution has completed, or panics after `within`.
    pub async fn wait_completed(&self, runs: &[(String, String)], within: std::time::Duration) {
        let deadline = std::time::Instant::now() + within;
        loop {
            let mut open = 0;
            for (wf, run) in runs {
                let h = self.history(wf, run).await;
                if !h.iter().any(|e| {
                    *e.event_type() == aws_sdk_swf::types::EventType::WorkflowExecutionCompleted
                }) {
                    open += 1;
                }
            }
            if open == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{open} workflows still open after {within:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }

    /// A fixture on a given client (for tests that run their own server).
    pub async fn with_client(client: Client, test: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let domain = format!("{test}-{}-{nanos}-{n}", std::process::id());
        let fx = Fixture {
            client,
            domain,
            task_list: "deciders".to_owned(),
        };
        fx.register().await;
        fx
    }

    /// (Re-)registers the domain and workflow type, e.g. after a server restart.
    pub async fn register(&self) {
        self.client
            .register_domain()
            .name(&self.domain)
            .workflow_execution_retention_period_in_days("1")
            .send()
            .await
            .expect("register domain");
        self.client
            .register_workflow_type()
            .domain(&self.domain)
            .name(WORKFLOW_NAME)
            .version(WORKFLOW_VERSION)
            .default_task_list(
                TaskList::builder()
                    .name(&self.task_list)
                    .build()
                    .expect("task list"),
            )
            .default_execution_start_to_close_timeout("3600")
            .default_task_start_to_close_timeout("60")
            .default_child_policy(aws_sdk_swf::types::ChildPolicy::Terminate)
            .send()
            .await
            .expect("register workflow type");
    }
}

/// A `scripts/swf-server` a test starts itself (for fault tests), stopped on drop. The
/// script is `SWF_SERVER_BIN`, which `scripts/test` exports.
pub struct OwnServer {
    child: std::process::Child,
    /// The port it listens on.
    pub port: u16,
}

impl OwnServer {
    /// A free loopback port.
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port()
    }

    /// Starts the server on `port` and waits until it accepts connections.
    pub fn start_on(port: u16) -> Self {
        Self::start_with_env(port, &[])
    }

    /// Starts the server on `port` with extra environment (e.g. `SWF_SERVER_THROTTLE`).
    pub fn start_with_env(port: u16, env: &[(&str, &str)]) -> Self {
        let bin = std::env::var("SWF_SERVER_BIN").unwrap_or_default();
        assert!(
            !bin.is_empty(),
            "SWF_SERVER_BIN is not set: run the tests through ./scripts/test"
        );
        // `exec`s python, so the child is the server itself and a kill stops it.
        let child = std::process::Command::new(bin)
            .arg(port.to_string())
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start scripts/swf-server");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "scripts/swf-server did not listen on {port}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        OwnServer { child, port }
    }

    /// Stops it (state is lost, as in a crash).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client for `http://127.0.0.1:<port>` with dummy credentials, the worker's timeouts
/// and the SDK's own retries off: the fault tests watch the worker's backoff, which SDK
/// retries would otherwise hide (a poll that outlives the outage by retrying never fails).
pub async fn client_on_port(port: u16) -> Client {
    let client = loopback_client(port, swf_signal::worker::worker_timeouts()).await;
    let config = client
        .config()
        .to_builder()
        .retry_config(aws_sdk_swf::config::retry::RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

/// Runs `worker` with `decider` on a tokio task; cancel the token to stop it, await the
/// handle for its stats.
pub fn spawn_worker<D>(
    worker: swf_signal::Worker,
    decider: D,
) -> (
    swf_signal::CancellationToken,
    tokio::task::JoinHandle<swf_signal::WorkerStats>,
)
where
    D: swf_signal::Decider + Clone + Send + Sync + 'static,
{
    let shutdown = swf_signal::CancellationToken::new();
    let handle = tokio::spawn({
        let shutdown = shutdown.clone();
        async move { worker.run(&decider, shutdown).await }
    });
    (shutdown, handle)
}

/// How a decision task of an in-memory history ends, for the replay and sticky property
/// tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskEnd {
    /// The decider responded.
    Completed,
    /// Nobody responded in time.
    TimedOut,
    /// The decider responded with a completion SWF failed as `UNHANDLED_DECISION`.
    CloseFailed,
}

impl TaskEnd {
    /// Every way.
    pub const ALL: [TaskEnd; 3] = [TaskEnd::Completed, TaskEnd::TimedOut, TaskEnd::CloseFailed];

    /// Ends the task in progress of `history` this way.
    pub fn apply(self, history: &mut swf_signal::testing::TaskBuilder) {
        match self {
            TaskEnd::Completed => {
                history.decision_task_completed();
            }
            TaskEnd::TimedOut => {
                history.decision_task_timed_out();
            }
            TaskEnd::CloseFailed => {
                history.decision_task_completed();
                history.complete_failed_unhandled();
            }
        }
    }
}
