//! Workflows seen from other services: a client for one domain, typed handles that only
//! accept their workflow's signal enum, and start-or-signal.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use aws_sdk_swf::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_swf::types::{
    ChildPolicy, CloseStatus, ExecutionStatus, TaskList, WorkflowExecutionFilter, WorkflowType,
};
use aws_smithy_types::DateTime;

use super::{
    error_chain, Closed, Execution, FanOut, FanOutReport, SendError, SignalSender, MAX_INPUT_CHARS,
};
use crate::decide::workflow::Workflow;
use crate::registration::{RegisterError, Registered, ServedType};

/// Starts, signals and describes the workflows of one domain, typed by [`Workflow`].
///
/// ```no_run
/// # use swf_signal::{DecideError, DecisionContext, Decisions, Signal, Workflow};
/// # #[derive(Signal)] enum OrderSignal { ChangeQuantity(u32) }
/// # #[derive(serde::Serialize, serde::Deserialize)] struct NewOrder { quantity: u32 }
/// # struct Order;
/// # impl OrderSignalHandler for Order { type Output = (); fn change_quantity(&mut self, _: u32) {} }
/// # impl Workflow for Order {
/// #     const NAME: &'static str = "order"; const VERSION: &'static str = "1";
/// #     type Signal = OrderSignal; type Input = NewOrder;
/// #     fn start(_: NewOrder) -> Self { Order }
/// #     fn decide(&mut self, _: &DecisionContext<'_, Self>, _: &mut Decisions) -> Result<(), DecideError> { Ok(()) }
/// # }
/// # async fn run(sdk: aws_sdk_swf::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use swf_signal::WorkflowClient;
///
/// let client = WorkflowClient::new(sdk, "orders");
/// let handle = client.start::<Order>("order-42", &NewOrder { quantity: 1 }).await?;
/// handle.signal(&OrderSignal::ChangeQuantity(3)).await?;
/// let outcome = client
///     .start_or_signal::<Order>("order-43", &NewOrder { quantity: 1 }, &OrderSignal::ChangeQuantity(2))
///     .await?;
/// println!("run {} (started by this call: {})", outcome.run_id, outcome.started);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct WorkflowClient {
    sender: SignalSender,
}

/// Options of `StartWorkflowExecution`; unset ones take the workflow type's registered
/// defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartOptions {
    /// The decision task list.
    pub task_list: Option<String>,
    /// The execution's start-to-close timeout.
    pub execution_timeout: Option<Duration>,
    /// The decision tasks' start-to-close timeout.
    pub task_timeout: Option<Duration>,
    /// Up to 5 tags.
    pub tags: Vec<String>,
    /// What happens to child executions when this one closes.
    pub child_policy: Option<ChildPolicy>,
}

/// Why an execution was not started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// An execution with this workflow id is open.
    #[error("cannot start workflow `{workflow_id}` in domain `{domain}`: an execution with this id is already open; signal it, or use start_or_signal")]
    AlreadyStarted {
        /// The domain.
        domain: String,
        /// The workflow id.
        workflow_id: String,
    },
    /// The domain is not registered.
    #[error("cannot start workflow `{workflow_id}`: domain `{domain}` is not registered; register it first with WorkflowClient::register_domain (RegisterDomain); SWF said: {message}")]
    UnknownDomain {
        /// The domain.
        domain: String,
        /// The workflow id.
        workflow_id: String,
        /// SWF's message.
        message: String,
    },
    /// The workflow type is not registered in the domain, or is deprecated.
    #[error("cannot start workflow `{workflow_id}`: workflow type `{name}` version `{version}` is not registered (or is deprecated) in domain `{domain}`; register it with WorkflowClient::register::<W>(), or start a Worker serving it first (a worker registers the types it serves); SWF said: {message}")]
    UnknownType {
        /// The domain.
        domain: String,
        /// The workflow id.
        workflow_id: String,
        /// `W::NAME`.
        name: &'static str,
        /// `W::VERSION`.
        version: &'static str,
        /// SWF's message.
        message: String,
    },
    /// The caller may not start it (IAM).
    #[error("cannot start workflow `{workflow_id}` in domain `{domain}`: not permitted (check the IAM policy for swf:StartWorkflowExecution); SWF said: {message}")]
    NotPermitted {
        /// The domain.
        domain: String,
        /// The workflow id.
        workflow_id: String,
        /// SWF's message.
        message: String,
    },
    /// A default SWF needs (task list, timeouts, child policy) is neither registered with
    /// the type nor given in [`StartOptions`].
    #[error("cannot start workflow `{workflow_id}`: {message}; register a default with the workflow type or set it in StartOptions")]
    DefaultUndefined {
        /// The workflow id.
        workflow_id: String,
        /// SWF's message (names the missing default).
        message: String,
    },
    /// The input does not encode or is over 32,768 characters, or an id breaks a limit.
    #[error("cannot start workflow `{workflow_id}`: {reason}")]
    Invalid {
        /// The workflow id.
        workflow_id: String,
        /// What is wrong.
        reason: String,
    },
    /// SWF throttled the call after the SDK's retries.
    #[error("cannot start workflow `{workflow_id}`: throttled by SWF after the SDK's retries; slow down or raise the account quota")]
    Throttled {
        /// The workflow id.
        workflow_id: String,
    },
    /// Anything else from the SDK.
    #[error("cannot start workflow `{workflow_id}` in domain `{domain}`: {}", error_chain(source.as_ref()))]
    Sdk {
        /// The domain.
        domain: String,
        /// The workflow id.
        workflow_id: String,
        /// The SDK's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Why an execution could not be looked up (described, or its outcome read).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DescribeError {
    /// No such execution (or, without a run id, none open now).
    #[error("cannot describe {execution} in domain `{domain}`: no such execution{}", if execution.run_id().is_none() { " open now (check the workflow id and domain, or give a run id to look up a closed run)" } else { " (check the workflow id, run id and domain; SWF forgets closed runs after the domain's retention period)" })]
    NotFound {
        /// The domain.
        domain: String,
        /// The execution.
        execution: Execution,
    },
    /// Anything else from the SDK.
    #[error("cannot describe {execution} in domain `{domain}`: {}", error_chain(source.as_ref()))]
    Sdk {
        /// The domain.
        domain: String,
        /// The execution.
        execution: Execution,
        /// The SDK's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// An execution's status, as `DescribeWorkflowExecution` reports it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WorkflowDescription {
    /// The workflow id and run id.
    pub execution: Execution,
    /// Open or closed.
    pub status: ExecutionStatus,
    /// How it closed, when closed.
    pub close_status: Option<CloseStatus>,
    /// When it started.
    pub started: DateTime,
    /// The latest `executionContext` its decider sent (`latestExecutionContext`;
    /// [`Workflow::context`]), if any.
    pub context: Option<String>,
}

/// Why [`WorkflowHandle::state`] returned no state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// No such run (or, without a run id, none open now).
    #[error("cannot fold {execution} in domain `{domain}`: no such execution{}", if execution.run_id().is_none() { " open now (give a run id to fold a closed run)" } else { " (check the workflow id, run id and domain; SWF forgets closed runs after the domain's retention period)" })]
    UnknownExecution {
        /// The domain.
        domain: String,
        /// The execution.
        execution: Execution,
    },
    /// The run's input, or one of its signals under the decider's bad-signal policy, does
    /// not decode: the decider fails (or stops) this run the same way, so there is no
    /// state to return.
    #[error("cannot fold {execution} as `{workflow}`: {reason}")]
    Undecodable {
        /// The run.
        execution: Execution,
        /// `W::NAME`.
        workflow: &'static str,
        /// What does not decode, as the decider would record it.
        reason: String,
    },
    /// The history cannot be folded as `W` (a run of another type, a history with a hole).
    #[error("cannot fold {execution} as `{workflow}`: {source}")]
    Replay {
        /// The run.
        execution: Execution,
        /// `W::NAME`.
        workflow: &'static str,
        /// Why.
        #[source]
        source: crate::DecideError,
    },
    /// Anything else from the SDK.
    #[error("cannot fold {execution} in domain `{domain}`: {}", error_chain(source.as_ref()))]
    Sdk {
        /// The domain.
        domain: String,
        /// The execution.
        execution: Execution,
        /// The SDK's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl From<DescribeError> for StateError {
    fn from(e: DescribeError) -> Self {
        match e {
            DescribeError::NotFound { domain, execution } => {
                StateError::UnknownExecution { domain, execution }
            }
            DescribeError::Sdk {
                domain,
                execution,
                source,
            } => StateError::Sdk {
                domain,
                execution,
                source,
            },
        }
    }
}

/// `OPEN`, or the close status (`COMPLETED`, `FAILED`, …), as SWF spells them.
impl fmt::Display for WorkflowDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.close_status {
            Some(close) if self.status == ExecutionStatus::Closed => f.write_str(close.as_str()),
            _ => f.write_str(self.status.as_str()),
        }
    }
}

/// What [`WorkflowClient::start_or_signal`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StartOrSignal {
    /// The run that got the signal.
    pub run_id: String,
    /// Whether this call started that run.
    pub started: bool,
}

/// Why start-or-signal failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartOrSignalError {
    /// Starting failed for a reason other than an open execution.
    #[error(transparent)]
    Start(#[from] StartError),
    /// Signalling the run failed for a reason other than it having closed.
    #[error(transparent)]
    Send(#[from] SendError),
    /// Looking up the open run failed.
    #[error(transparent)]
    Describe(#[from] DescribeError),
    /// The workflow id kept flipping between open and closed; gave up.
    #[error("start-or-signal of workflow `{workflow_id}` gave up after {attempts} attempts: its executions kept closing between the start and the signal")]
    Contended {
        /// The workflow id.
        workflow_id: String,
        /// How many rounds were tried.
        attempts: u32,
    },
}

/// A handle on one workflow execution of type `W`: the open run of a workflow id, or one
/// run. It only accepts `W::Signal`.
pub struct WorkflowHandle<W> {
    sender: SignalSender,
    execution: Execution,
    _workflow: PhantomData<fn() -> W>,
}

impl<W> Clone for WorkflowHandle<W> {
    fn clone(&self) -> Self {
        WorkflowHandle {
            sender: self.sender.clone(),
            execution: self.execution.clone(),
            _workflow: PhantomData,
        }
    }
}

impl<W> fmt::Debug for WorkflowHandle<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkflowHandle")
            .field("workflow", &std::any::type_name::<W>())
            .field("domain", &self.sender.domain())
            .field("execution", &self.execution)
            .finish()
    }
}

/// How long start-or-signal keeps trying before [`StartOrSignalError::Contended`]:
/// `ListOpenWorkflowExecutions` is eventually consistent, so a run another caller just
/// started can be missing from it for a while; rounds pause 50 ms, doubling to 1 s.
const START_OR_SIGNAL_DEADLINE: Duration = Duration::from_secs(30);

impl WorkflowClient {
    /// A client for `domain`; its fan-outs are paced by SWF's account quota (see
    /// [`SignalSender::rate_limit`]).
    pub fn new(client: aws_sdk_swf::Client, domain: impl Into<String>) -> Self {
        WorkflowClient {
            sender: SignalSender::new(client, domain),
        }
    }

    /// A client over an existing sender (sharing its rate limit).
    pub fn from_sender(sender: SignalSender) -> Self {
        WorkflowClient { sender }
    }

    /// The sender underneath.
    pub fn sender(&self) -> &SignalSender {
        &self.sender
    }

    /// The domain.
    pub fn domain(&self) -> &str {
        self.sender.domain()
    }

    /// A handle on the open run of `workflow_id`; `.run(run_id)` for one run.
    pub fn handle<W: Workflow>(&self, workflow_id: impl Into<String>) -> WorkflowHandle<W> {
        WorkflowHandle {
            sender: self.sender.clone(),
            execution: Execution::current(workflow_id),
            _workflow: PhantomData,
        }
    }

    /// Starts an execution of `W` (`W::NAME`, `W::VERSION`) with `input`, encoded as the
    /// decider decodes it (JSON; `()` and `None` go as no input).
    ///
    /// # Errors
    ///
    /// [`StartError`].
    pub async fn start<W: Workflow>(
        &self,
        workflow_id: &str,
        input: &W::Input,
    ) -> Result<WorkflowHandle<W>, StartError> {
        self.start_with::<W>(workflow_id, input, &StartOptions::default())
            .await
    }

    /// [`start`](Self::start) with options.
    ///
    /// # Errors
    ///
    /// [`StartError`].
    pub async fn start_with<W: Workflow>(
        &self,
        workflow_id: &str,
        input: &W::Input,
        options: &StartOptions,
    ) -> Result<WorkflowHandle<W>, StartError> {
        let run_id = self.start_run::<W>(workflow_id, input, options).await?;
        Ok(self.handle::<W>(workflow_id).run(run_id))
    }

    async fn start_run<W: Workflow>(
        &self,
        workflow_id: &str,
        input: &W::Input,
        options: &StartOptions,
    ) -> Result<String, StartError> {
        let domain = self.domain().to_owned();
        let invalid = |reason: String| StartError::Invalid {
            workflow_id: workflow_id.to_owned(),
            reason,
        };
        if let Some(reason) = super::execution_problem(&Execution::current(workflow_id)) {
            return Err(invalid(reason));
        }
        let json = serde_json::to_string(input)
            .map_err(|e| invalid(format!("the input does not encode as JSON: {e}")))?;
        let chars = json.chars().count();
        if chars > MAX_INPUT_CHARS {
            return Err(invalid(format!(
                "its input is {chars} characters, over SWF's limit of {MAX_INPUT_CHARS}"
            )));
        }
        // The decider reads an absent input as JSON null: send none rather than "null".
        let input = (json != "null").then_some(json);
        let workflow_type = WorkflowType::builder()
            .name(W::NAME)
            .version(W::VERSION)
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        let task_list = match &options.task_list {
            Some(name) => Some(
                TaskList::builder()
                    .name(name)
                    .build()
                    .map_err(|e| invalid(e.to_string()))?,
            ),
            None => None,
        };
        let secs = |d: Duration| d.as_secs().max(1).to_string();
        let out = self
            .sender
            .client
            .start_workflow_execution()
            .domain(&domain)
            .workflow_id(workflow_id)
            .workflow_type(workflow_type)
            .set_input(input)
            .set_task_list(task_list)
            .set_execution_start_to_close_timeout(options.execution_timeout.map(secs))
            .set_task_start_to_close_timeout(options.task_timeout.map(secs))
            .set_tag_list((!options.tags.is_empty()).then(|| options.tags.clone()))
            .set_child_policy(options.child_policy.clone())
            .send()
            .await;
        match out {
            Ok(out) => Ok(out.run_id().unwrap_or_default().to_owned()),
            Err(err) => {
                let unknown = err.as_service_error().is_some_and(
                    aws_sdk_swf::operation::start_workflow_execution::StartWorkflowExecutionError::is_unknown_resource_fault,
                );
                let domain_unknown = unknown && !self.domain_exists().await;
                Err(classify_start::<W>(
                    &domain,
                    workflow_id,
                    err,
                    domain_unknown,
                ))
            }
        }
    }

    /// Delivers `signal` exactly once to exactly one run of `workflow_id`: the open run if
    /// there is one, else a run this call starts with `input`. SWF has no
    /// signal-with-start, so this is built from its calls:
    ///
    /// 1. `StartWorkflowExecution`. Started: the new run is the target. Already open:
    ///    `ListOpenWorkflowExecutions` finds the open run (none: it closed meanwhile, go
    ///    to 1).
    /// 2. `SignalWorkflowExecution` *with that run id*, so the signal can only land in
    ///    the run this call chose. If SWF says the run is not open (it closed between 1
    ///    and 2), the signal was not delivered: go to 1, which starts a new run.
    ///
    /// Concurrent callers on one fresh id: one start wins, the others see "already
    /// started" and signal the winner's run; every signal lands once. Between rounds it
    /// pauses (50 ms doubling to 1 s, for up to 30 s): the visibility call that finds the
    /// open run is eventually consistent, and a round without a pause would give up
    /// before it caught up.
    ///
    /// What cannot be told from outside SWF:
    /// - `started` is `false` for a run this call did start when the answer of its
    ///   `StartWorkflowExecution` was lost and the SDK's retry then met "already started"
    ///   (SWF gives no way to tell whose start that was); the signal still lands exactly
    ///   once, in that run.
    /// - a `SignalWorkflowExecution` whose answer is lost (a timeout or dropped
    ///   connection after SWF applied it) is reported as an error, not retried here,
    ///   because SWF gives no way to tell whether it was applied; the client's retry
    ///   configuration decides whether the SDK resends it (see
    ///   [`SignalSender::at_most_once`](crate::SignalSender::at_most_once)).
    ///
    /// # Errors
    ///
    /// [`StartOrSignalError`].
    pub async fn start_or_signal<W: Workflow>(
        &self,
        workflow_id: &str,
        input: &W::Input,
        signal: &W::Signal,
    ) -> Result<StartOrSignal, StartOrSignalError> {
        let deadline = std::time::Instant::now() + START_OR_SIGNAL_DEADLINE;
        let mut pause = Duration::from_millis(50);
        let mut attempts: u32 = 0;
        loop {
            if attempts > 0 {
                if std::time::Instant::now() + pause > deadline {
                    break;
                }
                super::pause(&self.sender.client, pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
            }
            attempts += 1;
            let (run_id, started) = match self
                .start_run::<W>(workflow_id, input, &StartOptions::default())
                .await
            {
                Ok(run_id) => (run_id, true),
                Err(StartError::AlreadyStarted { .. }) => {
                    match self.open_run(workflow_id).await? {
                        Some(run_id) => (run_id, false),
                        None => continue, // closed since: start again
                    }
                }
                Err(e) => return Err(e.into()),
            };
            match self
                .sender
                .send(Execution::new(workflow_id, run_id.as_str()), signal)
                .await
            {
                Ok(()) => return Ok(StartOrSignal { run_id, started }),
                // SWF answered: that run is not open, so the signal was not applied.
                Err(SendError::NotOpen { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(StartOrSignalError::Contended {
            workflow_id: workflow_id.to_owned(),
            attempts,
        })
    }

    /// Registers the client's domain (`RegisterDomain`), keeping closed executions'
    /// histories `retention_days` days (0 to 90). Idempotent: an existing domain is left
    /// as it is and reported as [`Registered::AlreadyRegistered`].
    ///
    /// # Errors
    ///
    /// [`RegisterError`].
    pub async fn register_domain(&self, retention_days: u32) -> Result<Registered, RegisterError> {
        crate::registration::register_domain(&self.sender.client, self.domain(), retention_days)
            .await
    }

    /// Registers `W`'s workflow type (`W::NAME`, `W::VERSION`) with the defaults of
    /// [`Workflow::registration`]. Idempotent. A [`Worker`](crate::Worker) does this for
    /// the types it serves, with its own task list as the default; here a registration
    /// without a task list registers none, and every start must then name one
    /// ([`StartOptions::task_list`]).
    ///
    /// # Errors
    ///
    /// [`RegisterError`]; [`RegisterError::UnknownDomain`] names the fix.
    pub async fn register<W: Workflow>(&self) -> Result<Registered, RegisterError> {
        crate::registration::register_type(
            &self.sender.client,
            self.domain(),
            &ServedType::of::<W>(),
            None,
        )
        .await
    }

    /// Whether `DescribeDomain` knows the domain; anything but `UnknownResourceFault`
    /// counts as "exists", so a failed look-up never invents a missing domain.
    async fn domain_exists(&self) -> bool {
        let out = self
            .sender
            .client
            .describe_domain()
            .name(self.domain())
            .send()
            .await;
        !matches!(&out, Err(e) if e.code() == Some("UnknownResourceFault"))
    }

    /// The run id of the open execution of `workflow_id`, if any.
    async fn open_run(&self, workflow_id: &str) -> Result<Option<String>, DescribeError> {
        let sdk_err = |e: Box<dyn std::error::Error + Send + Sync>| DescribeError::Sdk {
            domain: self.domain().to_owned(),
            execution: Execution::current(workflow_id),
            source: e,
        };
        let filter = WorkflowExecutionFilter::builder()
            .workflow_id(workflow_id)
            .build()
            .map_err(|e| sdk_err(Box::new(e)))?;
        let out = self
            .sender
            .client
            .list_open_workflow_executions()
            .domain(self.domain())
            .start_time_filter(
                aws_sdk_swf::types::ExecutionTimeFilter::builder()
                    .oldest_date(DateTime::from_secs(0))
                    .build()
                    .map_err(|e| sdk_err(Box::new(e)))?,
            )
            .execution_filter(filter)
            .send()
            .await
            .map_err(|e| sdk_err(Box::new(e)))?;
        // The filter asked for this id only; checked again here so an endpoint that
        // ignores it can never make this signal another workflow's run.
        Ok(out
            .execution_infos()
            .iter()
            .filter(|i| *i.execution_status() == ExecutionStatus::Open)
            .filter_map(|i| i.execution())
            .find(|e| e.workflow_id() == workflow_id)
            .map(|e| e.run_id().to_owned()))
    }

    /// Sends `signal` to many executions of `W`, paced and retried as
    /// [`SignalSender::fan_out`] does.
    pub async fn signal_many<W, I, T>(
        &self,
        targets: I,
        signal: &W::Signal,
        options: &FanOut,
    ) -> FanOutReport
    where
        W: Workflow,
        I: IntoIterator<Item = T>,
        T: Into<Execution>,
    {
        self.sender.fan_out(targets, signal, options).await
    }
}

impl<W: Workflow> WorkflowHandle<W> {
    /// The same workflow id, one run.
    #[must_use]
    pub fn run(mut self, run_id: impl Into<String>) -> Self {
        self.execution = Execution::new(self.execution.workflow_id().to_owned(), run_id);
        self
    }

    /// The addressed execution.
    pub fn execution(&self) -> &Execution {
        &self.execution
    }

    /// The workflow id.
    pub fn workflow_id(&self) -> &str {
        self.execution.workflow_id()
    }

    /// The run id, when one run is addressed.
    pub fn run_id(&self) -> Option<&str> {
        self.execution.run_id()
    }

    /// Sends one of this workflow's signals. Another workflow's signal enum does not
    /// compile here.
    ///
    /// # Errors
    ///
    /// [`SendError`].
    pub async fn signal(&self, signal: &W::Signal) -> Result<(), SendError> {
        self.sender.send(&self.execution, signal).await
    }

    /// Waits until the run closes and says how: completed with its result, failed with
    /// its reason and details, canceled, terminated, timed out, or continued as new (with
    /// the new run's id, to wait on next). Without a run id, the run open now is the one
    /// waited on.
    ///
    /// SWF has no call that blocks until a run closes: this reads the history's last
    /// event, one event per look, pausing 200 ms after the first look and doubling up to
    /// 5 s. Bound the wait with `tokio::time::timeout`.
    ///
    /// ```no_run
    /// # async fn f<W: swf_signal::Workflow>(handle: swf_signal::WorkflowHandle<W>) -> Result<(), swf_signal::DescribeError> {
    /// match handle.result().await? {
    ///     swf_signal::Closed::Completed { result } => println!("done: {result:?}"),
    ///     other => println!("closed {other}"), // FAILED, CANCELED, TIMED_OUT, …
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`DescribeError::NotFound`] when there is no such run (or, without a run id, no
    /// open one); [`DescribeError::Sdk`] for anything else from the SDK.
    pub async fn result(&self) -> Result<Closed, DescribeError> {
        let run_id = self.resolve_run().await?;
        super::closed::wait_closed(
            &self.sender.client,
            self.sender.domain(),
            self.execution.workflow_id(),
            &run_id,
        )
        .await
    }

    /// Asks the run to cancel (`RequestCancelWorkflowExecution`): SWF records
    /// `WorkflowExecutionCancelRequested`, sets `cancelRequested` and gives its decider a
    /// decision task; the workflow decides what cancelling means (typically
    /// [`Decisions::cancel`](crate::Decisions::cancel), closing it as `CANCELED`).
    /// Without a run id, the open run is asked.
    ///
    /// # Errors
    ///
    /// [`DescribeError::NotFound`] when no such run is open; [`DescribeError::Sdk`] for
    /// anything else from the SDK.
    pub async fn cancel(&self) -> Result<(), DescribeError> {
        let domain = self.sender.domain();
        let out = self
            .sender
            .client
            .request_cancel_workflow_execution()
            .domain(domain)
            .workflow_id(self.execution.workflow_id())
            .set_run_id(self.execution.run_id().map(ToOwned::to_owned))
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("UnknownResourceFault") => Err(DescribeError::NotFound {
                domain: domain.to_owned(),
                execution: self.execution.clone(),
            }),
            Err(e) => Err(DescribeError::Sdk {
                domain: domain.to_owned(),
                execution: self.execution.clone(),
                source: Box::new(e),
            }),
        }
    }

    /// The addressed run id, or the open run's.
    async fn resolve_run(&self) -> Result<String, DescribeError> {
        match self.execution.run_id() {
            Some(run) => Ok(run.to_owned()),
            None => WorkflowClient::from_sender(self.sender.clone())
                .open_run(self.execution.workflow_id())
                .await?
                .ok_or_else(|| DescribeError::NotFound {
                    domain: self.sender.domain().to_owned(),
                    execution: self.execution.clone(),
                }),
        }
    }

    /// Its status and run id (`DescribeWorkflowExecution`; without a run id, the open
    /// run's).
    ///
    /// # Errors
    ///
    /// [`DescribeError`].
    pub async fn describe(&self) -> Result<WorkflowDescription, DescribeError> {
        let domain = self.sender.domain().to_owned();
        let not_found = || DescribeError::NotFound {
            domain: domain.clone(),
            execution: self.execution.clone(),
        };
        let run_id = self.resolve_run().await?;
        let sdk_err = |e: Box<dyn std::error::Error + Send + Sync>| DescribeError::Sdk {
            domain: domain.clone(),
            execution: self.execution.clone(),
            source: e,
        };
        let execution = aws_sdk_swf::types::WorkflowExecution::builder()
            .workflow_id(self.execution.workflow_id())
            .run_id(&run_id)
            .build()
            .map_err(|e| sdk_err(Box::new(e)))?;
        let out = self
            .sender
            .client
            .describe_workflow_execution()
            .domain(&domain)
            .execution(execution)
            .send()
            .await;
        let out = match out {
            Ok(out) => out,
            Err(e) if e.code() == Some("UnknownResourceFault") => return Err(not_found()),
            Err(e) => return Err(sdk_err(Box::new(e))),
        };
        let info = out.execution_info().ok_or_else(not_found)?;
        Ok(WorkflowDescription {
            execution: Execution::new(self.execution.workflow_id(), run_id),
            status: info.execution_status().clone(),
            close_status: info.close_status().cloned(),
            started: *info.start_timestamp(),
            context: out.latest_execution_context().map(ToOwned::to_owned),
        })
    }

    /// Query by replay: the run's whole history (every page, throttling and transient
    /// failures retried) folded exactly as a [`WorkflowDecider`](crate::WorkflowDecider)
    /// with the default policy folds it — `W::start`, every signal through the handlers,
    /// every other event through [`Workflow::apply`] — up to the history's last event.
    /// Works on open and closed runs; without a run id, the open run is folded.
    /// Nothing is sent to the workflow and its decider is not involved.
    ///
    /// ```no_run
    /// # async fn f<W: swf_signal::Workflow + std::fmt::Debug>(handle: swf_signal::WorkflowHandle<W>) -> Result<(), swf_signal::StateError> {
    /// let state: W = handle.state().await?;
    /// println!("{state:?}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`StateError`]: no such run, an input or signal that does not decode, a history
    /// of another type, an SDK error.
    pub async fn state(&self) -> Result<W, StateError> {
        self.state_with(&crate::WorkflowDecider::new()).await
    }

    /// [`state`](Self::state) folded with `decider`'s bad-signal policy (pass the
    /// decider the worker runs, so both skip or refuse the same signals). Its sticky
    /// cache is neither read nor changed.
    ///
    /// # Errors
    ///
    /// As [`state`](Self::state).
    pub async fn state_with(&self, decider: &crate::WorkflowDecider<W>) -> Result<W, StateError> {
        let domain = self.sender.domain();
        let run_id = self.resolve_run().await?;
        let execution = Execution::new(self.execution.workflow_id(), run_id.as_str());
        let sdk_err = |e: Box<dyn std::error::Error + Send + Sync>| StateError::Sdk {
            domain: domain.to_owned(),
            execution: execution.clone(),
            source: e,
        };
        let target = aws_sdk_swf::types::WorkflowExecution::builder()
            .workflow_id(self.execution.workflow_id())
            .run_id(&run_id)
            .build()
            .map_err(|e| sdk_err(Box::new(e)))?;
        let events =
            crate::decide::task::fetch_history(&self.sender.client, domain, &target, i64::MAX)
                .await
                .map_err(|e| {
                    if e.code() == Some("UnknownResourceFault") {
                        StateError::UnknownExecution {
                            domain: domain.to_owned(),
                            execution: execution.clone(),
                        }
                    } else {
                        sdk_err(Box::new(e))
                    }
                })?;
        let task = crate::DecisionTask::of_history(target, events);
        decider.query(&task).map_err(|failure| match failure {
            crate::decide::workflow::QueryFailure::Undecodable(reason) => StateError::Undecodable {
                execution: execution.clone(),
                workflow: W::NAME,
                reason,
            },
            crate::decide::workflow::QueryFailure::Replay(source) => StateError::Replay {
                execution: execution.clone(),
                workflow: W::NAME,
                source,
            },
        })
    }
}

/// `domain_unknown`: the caller asked `DescribeDomain` after an `UnknownResourceFault`,
/// because SWF's fault does not say which resource is unknown (its message does, in
/// words not documented as stable).
fn classify_start<W: Workflow>(
    domain: &str,
    workflow_id: &str,
    err: SdkError<aws_sdk_swf::operation::start_workflow_execution::StartWorkflowExecutionError>,
    domain_unknown: bool,
) -> StartError {
    use aws_sdk_swf::operation::start_workflow_execution::StartWorkflowExecutionError as E;
    let message = err.message().unwrap_or_default().to_owned();
    let workflow_id = workflow_id.to_owned();
    let domain = domain.to_owned();
    match err.as_service_error() {
        Some(E::WorkflowExecutionAlreadyStartedFault(_)) => StartError::AlreadyStarted {
            domain,
            workflow_id,
        },
        Some(E::UnknownResourceFault(_)) if domain_unknown => StartError::UnknownDomain {
            domain,
            workflow_id,
            message,
        },
        Some(E::UnknownResourceFault(_) | E::TypeDeprecatedFault(_)) => StartError::UnknownType {
            domain,
            workflow_id,
            name: W::NAME,
            version: W::VERSION,
            message,
        },
        Some(E::OperationNotPermittedFault(_)) => StartError::NotPermitted {
            domain,
            workflow_id,
            message,
        },
        Some(E::DefaultUndefinedFault(_)) => StartError::DefaultUndefined {
            workflow_id,
            message,
        },
        _ if err.code() == Some("ThrottlingException") => StartError::Throttled { workflow_id },
        _ => StartError::Sdk {
            domain,
            workflow_id,
            source: Box::new(err),
        },
    }
}
