// Test set-up: a failed set-up call is a failed test, so it panics with what failed.
#![allow(clippy::expect_used, clippy::missing_panics_doc)]
//! Shared set-up for the end-to-end tests: an SDK client for the SWF endpoint that
//! `scripts/test` starts (moto on loopback), and a fixture that gives each test its own
//! domain, workflow type and executions, because moto's state is global.

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
        "AWS_ENDPOINT_URL_SWF is not set: run the end-to-end tests through ./scripts/test, which starts a local moto server"
    );
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
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
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(aws_sdk_swf::config::Credentials::for_tests())
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
        let client = client().await;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let domain = format!("{test}-{}-{nanos}-{n}", std::process::id());
        client
            .register_domain()
            .name(&domain)
            .workflow_execution_retention_period_in_days("1")
            .send()
            .await
            .expect("register domain");
        let task_list = "deciders".to_owned();
        client
            .register_workflow_type()
            .domain(&domain)
            .name(WORKFLOW_NAME)
            .version(WORKFLOW_VERSION)
            .default_task_list(
                TaskList::builder()
                    .name(&task_list)
                    .build()
                    .expect("task list"),
            )
            // Never "NONE": it breaks moto's whole server.
            .default_execution_start_to_close_timeout("3600")
            .default_task_start_to_close_timeout("60")
            .default_child_policy(aws_sdk_swf::types::ChildPolicy::Terminate)
            .send()
            .await
            .expect("register workflow type");
        Fixture {
            client,
            domain,
            task_list,
        }
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
