//! A polling decider worker on tokio.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_swf::types::{EventType, WorkflowType};
use aws_smithy_types::timeout::TimeoutConfig;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::decide::decisions::Decisions;
use crate::decide::router::UnroutedTask;
use crate::decide::task::{DecisionTask, ReceiveError};
use crate::decide::workflow::ReplayError;
use crate::registration::{register_type, RegisterError, Registered, ServedType};

pub use crate::decide::decider::Decider;
pub use crate::decide::workflow::DecideError;

/// SWF holds a decision-task poll open for up to 60 seconds.
pub const SWF_LONG_POLL: Duration = Duration::from_mins(1);
/// The read timeout [`worker_timeouts`] sets: above SWF's long poll, with room for
/// latency, so an empty long poll is not mistaken for a dead connection.
pub const WORKER_READ_TIMEOUT: Duration = Duration::from_secs(70);

/// An SDK client for a worker: `config` (an `aws_config::SdkConfig`, or a client config
/// builder) with [`worker_timeouts`] applied, so SWF's 60 s long polls are not cut short
/// and a dead connection does not hold a poller forever.
///
/// ```no_run
/// # async fn f(config: aws_sdk_swf::config::Builder) -> Result<(), swf_signal::worker::WorkerError> {
/// // config: &aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await,
/// // or a client config builder
/// let worker = swf_signal::Worker::new(swf_signal::worker::client(config), "orders", "deciders")?;
/// # Ok(()) }
/// ```
pub fn client(config: impl Into<aws_sdk_swf::config::Builder>) -> aws_sdk_swf::Client {
    let config = config.into().timeout_config(worker_timeouts()).build();
    aws_sdk_swf::Client::from_conf(config)
}

/// The timeouts a worker's SDK client needs: a read timeout of
/// [`WORKER_READ_TIMEOUT`] (70 s), above SWF's 60 s long poll. [`client`] applies them.
///
/// ```
/// # fn f(builder: aws_sdk_swf::config::Builder) -> Result<(), swf_signal::worker::WorkerError> {
/// // builder: `aws_sdk_swf::config::Builder::from(&aws_config::load_defaults(..).await)`
/// let config = builder.timeout_config(swf_signal::worker::worker_timeouts()).build();
/// let worker = swf_signal::Worker::new(aws_sdk_swf::Client::from_conf(config), "orders", "deciders")?;
/// # Ok(()) }
/// ```
pub fn worker_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(WORKER_READ_TIMEOUT)
        .operation_attempt_timeout(WORKER_READ_TIMEOUT + Duration::from_secs(5))
        .build()
}

/// Why a worker was not built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// The client would cut SWF's 60 s long polls short.
    #[error("the SDK client's {which} timeout is {timeout:?}, not above SWF's 60 s long poll, so empty polls would fail as timeouts; build the client with swf_signal::worker::client(&config), or set swf_signal::worker::worker_timeouts() on its config")]
    ClientTimeout {
        /// Which timeout.
        which: &'static str,
        /// Its value.
        timeout: Duration,
    },
    /// The client has no read timeout: a connection that dies silently would hold a
    /// poller forever.
    #[error("the SDK client has no read timeout, so a connection that dies silently would hold a poller forever; build the client with swf_signal::worker::client(&config), or set swf_signal::worker::worker_timeouts() on its config")]
    NoReadTimeout,
    /// Zero pollers.
    #[error("a worker needs at least one poller")]
    NoPollers,
    /// An identity SWF would refuse on every poll.
    #[error("a worker identity is 1 to 256 characters (SWF's limit for PollForDecisionTask), not {chars}; shorten it")]
    InvalidIdentity {
        /// Its length in characters.
        chars: usize,
    },
}

/// What a worker did, returned by [`Worker::run`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// Polls made.
    pub polls: u64,
    /// Polls that returned a task.
    pub tasks: u64,
    /// Tasks responded to.
    pub responded: u64,
    /// Tasks whose decider returned an error (left uncompleted).
    pub decider_errors: u64,
    /// Tasks whose decider panicked (left uncompleted).
    pub decider_panics: u64,
    /// Responses SWF refused (for example because the task had timed out).
    pub respond_errors: u64,
    /// Polls that failed (network, throttling, …), each followed by a backoff.
    pub poll_errors: u64,
    /// Tasks taken from the worker's own sticky task list (partial histories).
    pub sticky_tasks: u64,
    /// Partial tasks the decider had no cached state for: the whole history was fetched.
    pub whole_history_fetches: u64,
    /// Check mode: cached states that differed from a full replay.
    pub check_failures: u64,
    /// Workflow types this worker registered at start (the others were registered
    /// already).
    pub types_registered: u64,
    /// Workflow types it could not register (logged with the reason and the fix).
    pub registration_errors: u64,
    /// Polls abandoned at shutdown after [`Worker::shutdown_grace`].
    pub polls_abandoned: u64,
    /// Tasks of a workflow type the decider does not serve, left undecided (logged with
    /// their type): see [`Workflows`](crate::Workflows).
    pub unrouted_tasks: u64,
}

/// The worker's running tally; pollers share it. A lock, not atomics, so the stats have
/// one definition; it is taken once per poll or task, never across an await.
#[derive(Default)]
struct Counters(std::sync::Mutex<WorkerStats>);

impl Counters {
    fn bump(&self, field: impl FnOnce(&mut WorkerStats) -> &mut u64) {
        // Only increments run under the lock, so it cannot be poisoned mid-update.
        let mut stats = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *field(&mut stats) += 1;
    }

    fn snapshot(&self) -> WorkerStats {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Polls a task list with N pollers, runs the decider on each task and responds.
///
/// - An empty poll (no task token) is nothing to do: it polls again.
/// - A failed poll is logged and followed by an exponential backoff with jitter
///   (100 ms doubling to 10 s), so an unreachable endpoint is not hammered.
/// - A decider that errors or panics is logged; the task is left to time out and is
///   offered again; the worker keeps polling.
/// - On cancellation no new poll starts; a poll in flight finishes (at most SWF's 60 s,
///   or [`shutdown_grace`](Worker::shutdown_grace) when set) and any task it returns is
///   decided and responded; then [`run`](Worker::run) returns.
/// - At start it registers each workflow type its decider serves
///   ([`Decider::served_types`]) that is not registered yet, with the type's
///   [`Registration`](crate::Registration) and this worker's task list as the default
///   ([`register_types`](Worker::register_types) turns it off).
#[derive(Debug, Clone)]
pub struct Worker {
    client: aws_sdk_swf::Client,
    domain: String,
    task_list: String,
    identity: String,
    pollers: usize,
    max_backoff: Duration,
    /// `None`: never sticky, whatever the decider.
    sticky_schedule_to_start: Option<Duration>,
    /// `None`: polls in flight at shutdown are waited for.
    shutdown_grace: Option<Duration>,
    register_types: bool,
}

impl Worker {
    /// A worker with one poller. The client's timeouts are checked: no read timeout, or a
    /// read, attempt or operation timeout at or below 60 s, is refused.
    ///
    /// # Errors
    ///
    /// [`WorkerError::NoReadTimeout`], [`WorkerError::ClientTimeout`].
    pub fn new(
        client: aws_sdk_swf::Client,
        domain: impl Into<String>,
        task_list: impl Into<String>,
    ) -> Result<Self, WorkerError> {
        let timeouts = client.config().timeout_config();
        if timeouts.and_then(TimeoutConfig::read_timeout).is_none() {
            return Err(WorkerError::NoReadTimeout);
        }
        if let Some(t) = timeouts {
            for (which, timeout) in [
                ("read", t.read_timeout()),
                ("operation attempt", t.operation_attempt_timeout()),
                ("operation", t.operation_timeout()),
            ] {
                if let Some(timeout) = timeout.filter(|d| *d <= SWF_LONG_POLL) {
                    return Err(WorkerError::ClientTimeout { which, timeout });
                }
            }
        }
        let identity = default_identity();
        Ok(Worker {
            client,
            domain: domain.into(),
            task_list: task_list.into(),
            identity,
            pollers: 1,
            max_backoff: Duration::from_secs(10),
            sticky_schedule_to_start: Some(Duration::from_secs(5)),
            shutdown_grace: None,
            register_types: true,
        })
    }

    /// How many polls run at once (default 1).
    ///
    /// # Errors
    ///
    /// [`WorkerError::NoPollers`] for 0.
    pub fn pollers(mut self, pollers: usize) -> Result<Self, WorkerError> {
        if pollers == 0 {
            return Err(WorkerError::NoPollers);
        }
        self.pollers = pollers;
        Ok(self)
    }

    /// The identity recorded in `DecisionTaskStarted` events (default
    /// `<host name>:<pid>`).
    ///
    /// # Errors
    ///
    /// [`WorkerError::InvalidIdentity`] when it is empty or over 256 characters
    /// (`PollForDecisionTask`'s limit): every poll would be refused.
    pub fn identity(mut self, identity: impl Into<String>) -> Result<Self, WorkerError> {
        let identity = identity.into();
        let chars = identity.chars().count();
        if chars == 0 || chars > 256 {
            return Err(WorkerError::InvalidIdentity { chars });
        }
        self.identity = identity;
        Ok(self)
    }

    /// For a sticky decider: how long an execution's next decision task waits on this
    /// worker's own task list before SWF times it out and reverts it to the shared list
    /// (default 5 s; a worker that died costs its executions this much delay, nothing
    /// more).
    #[must_use]
    pub fn sticky_schedule_to_start(mut self, timeout: Duration) -> Self {
        self.sticky_schedule_to_start = Some(timeout.max(Duration::from_secs(1)));
        self
    }

    /// Never sticky: every task is polled and replayed whole, even for a sticky decider.
    #[must_use]
    pub fn no_sticky(mut self) -> Self {
        self.sticky_schedule_to_start = None;
        self
    }

    /// This worker's own task list for sticky executions: `<task list>-sticky-<identity>`,
    /// made a valid SWF task list name (no `:`, `/`, `|`, control characters or `arn`,
    /// at most 256 characters).
    pub fn sticky_task_list(&self) -> String {
        let raw = format!("{}-sticky-{}", self.task_list, self.identity);
        let clean: String = raw
            .chars()
            .map(|c| {
                if matches!(c, ':' | '/' | '|') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect::<String>()
            .replace("arn", "ar-n");
        clean.chars().take(256).collect()
    }

    /// How long a shutdown waits for the polls in flight before abandoning them. Unset
    /// (the default), it waits for them: up to SWF's 60 s long poll.
    ///
    /// The trade-off: SWF may hand a task to a poll at the moment it is abandoned. Nobody
    /// answers that task, so it waits out its decision task start-to-close timeout before
    /// SWF offers it to another worker (the default [`Registration`](crate::Registration)
    /// gives 30 s). Under a timeout of `NONE` it would never be offered again and the
    /// execution would be wedged: a worker with a grace warns at start when a type it
    /// serves is registered that way. Tasks already taken are always decided and
    /// answered.
    #[must_use]
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = Some(grace);
        self
    }

    /// Whether the worker registers the workflow types it serves at start (default
    /// `true`; turn it off where its IAM role may not call `RegisterWorkflowType`).
    #[must_use]
    pub fn register_types(mut self, register: bool) -> Self {
        self.register_types = register;
        self
    }

    /// The longest pause between failed polls (default 10 s).
    #[must_use]
    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self
    }

    /// Runs until `shutdown` is cancelled, then returns what it did.
    ///
    /// Each poller is a tokio task of its own and every decision runs on tokio's blocking
    /// pool (`spawn_blocking`), so a slow decider never stalls another poller and N
    /// pollers use N cores. The decider is cloned once and shared by the pollers.
    pub async fn run<D>(&self, decider: &D, shutdown: CancellationToken) -> WorkerStats
    where
        D: Decider + Clone + Send + Sync + 'static,
    {
        let sticky = self
            .sticky_schedule_to_start
            .filter(|_| decider.is_sticky())
            .map(|timeout| (self.sticky_task_list(), timeout));
        let shared = Arc::new(Shared {
            worker: self.clone(),
            decider: decider.clone(),
            counters: Counters::default(),
            sticky,
        });
        self.register_served(&decider.served_types(), &shared.counters)
            .await;
        // The shared list, whole histories; a sticky worker also its own list, with only
        // the new events.
        let mut lists = vec![(self.task_list.clone(), false)];
        if let Some((list, _)) = &shared.sticky {
            lists.push((list.clone(), true));
        }
        let mut pollers = tokio::task::JoinSet::new();
        for index in 0..self.pollers {
            for (list, partial) in &lists {
                let task = poller(
                    Arc::clone(&shared),
                    index,
                    list.clone(),
                    *partial,
                    shutdown.clone(),
                );
                pollers.spawn(task);
            }
        }
        while let Some(done) = pollers.join_next().await {
            if let Err(err) = done {
                // A poller only ends by returning; anything else is a bug worth seeing.
                tracing::error!(error = %err, "a poller task ended abnormally");
            }
        }
        shared.counters.snapshot()
    }
}

impl Worker {
    /// Registers the workflow types `decider` serves that are not registered yet, as
    /// [`run`](Worker::run) does at start, and says what it did; for a program that
    /// starts executions before its worker is up. Idempotent.
    ///
    /// # Errors
    ///
    /// The first [`RegisterError`]; [`RegisterError::UnknownDomain`] names the fix.
    pub async fn register<D: Decider>(
        &self,
        decider: &D,
    ) -> Result<Vec<(ServedType, Registered)>, RegisterError> {
        let mut done = Vec::new();
        for served in decider.served_types() {
            let outcome =
                register_type(&self.client, &self.domain, &served, Some(&self.task_list)).await?;
            done.push((served, outcome));
        }
        Ok(done)
    }

    /// Registers each served type that is not registered yet; a failure is logged with
    /// its fix and counted, and polling goes on (the type may have been registered by
    /// someone allowed to).
    async fn register_served(&self, types: &[ServedType], counters: &Counters) {
        for served in types {
            if self.shutdown_grace.is_some() && served.registration.task_timeout_value().is_none() {
                tracing::warn!(
                    workflow_type = served.name,
                    version = served.version,
                    "this worker abandons polls after its shutdown grace, and this type's decision tasks never time out (NONE): a task handed to an abandoned poll would wedge its execution; give the type a task timeout or drop the grace"
                );
            }
            if !self.register_types {
                continue;
            }
            match register_type(&self.client, &self.domain, served, Some(&self.task_list)).await {
                Ok(Registered::Created) => {
                    counters.bump(|s| &mut s.types_registered);
                    tracing::info!(
                        workflow_type = served.name,
                        version = served.version,
                        task_list = served
                            .registration
                            .task_list_name()
                            .unwrap_or(&self.task_list),
                        "registered the workflow type"
                    );
                }
                Ok(Registered::AlreadyRegistered) => {}
                Err(err) => {
                    counters.bump(|s| &mut s.registration_errors);
                    let level_error = matches!(err, RegisterError::UnknownDomain { .. });
                    if level_error {
                        tracing::error!(error = %err, "cannot register a served workflow type");
                    } else {
                        tracing::warn!(error = %err, "cannot register a served workflow type; polling anyway");
                    }
                }
            }
        }
    }
}

/// What the pollers of one `run` share.
struct Shared<D> {
    worker: Worker,
    decider: D,
    counters: Counters,
    /// This worker's sticky task list and schedule-to-start timeout, when sticky.
    sticky: Option<(String, Duration)>,
}

async fn poller<D>(
    shared: Arc<Shared<D>>,
    index: usize,
    task_list: String,
    start_at_previous: bool,
    shutdown: CancellationToken,
) where
    D: Decider + Send + Sync + 'static,
{
    let w = &shared.worker;
    let mut failures: u32 = 0;
    let mut rng = Jitter::new(index);
    loop {
        // The only place a poll starts: after a cancel, none does.
        if shutdown.is_cancelled() {
            break;
        }
        shared.counters.bump(|s| &mut s.polls);
        let poll = DecisionTask::poll_with(
            &w.client,
            &w.domain,
            &task_list,
            &w.identity,
            start_at_previous,
        );
        let polled = match w.shutdown_grace {
            None => poll.await,
            Some(grace) => {
                tokio::select! {
                    biased;
                    polled = poll => polled,
                    () = async { shutdown.cancelled().await; tokio::time::sleep(grace).await; } => {
                        // Dropping the request: a task SWF hands to it now waits out its
                        // start-to-close timeout (Worker::shutdown_grace says so).
                        shared.counters.bump(|s| &mut s.polls_abandoned);
                        tracing::info!(task_list = %task_list, ?grace, "shutdown grace over: poll in flight abandoned");
                        break;
                    }
                }
            }
        };
        match polled {
            Ok(None) => failures = 0,
            Ok(Some(task)) => {
                failures = 0;
                shared.counters.bump(|s| &mut s.tasks);
                if start_at_previous {
                    shared.counters.bump(|s| &mut s.sticky_tasks);
                }
                handle(&shared, task, &shutdown).await;
            }
            Err(err) => {
                shared.counters.bump(|s| &mut s.poll_errors);
                failures = failures.saturating_add(1);
                let pause = rng.backoff(failures, w.max_backoff);
                tracing::warn!(error = %err, poller = index, retry_in = ?pause, "decision task poll failed");
                tokio::select! {
                    biased;
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
}

async fn handle<D>(shared: &Arc<Shared<D>>, task: DecisionTask, shutdown: &CancellationToken)
where
    D: Decider + Send + Sync + 'static,
{
    let new_signals = task
        .new_events()
        .iter()
        .filter(|e| *e.event_type() == EventType::WorkflowExecutionSignaled)
        .count();
    let span = tracing::info_span!(
        "swf_signal.task",
        workflow_id = task.workflow_id(),
        run_id = task.run_id(),
        task = task.started_event_id(),
        new_signals,
    );
    let task = Arc::new(task);
    async {
        let began = std::time::Instant::now();
        let mut responded = false;
        let mut decided = decide_blocking(shared, &task).await;
        let mut task = task;
        // A partial history the decider has no state for: fetch the whole one, decide
        // again (a sticky cache miss, an eviction, a restart).
        // Or a history with a hole (a page lost on the way): fetched again, whole.
        let missed = matches!(&decided, Ok(Err(err)) if matches!(
            err.downcast_ref::<ReplayError>(),
            Some(ReplayError::NotWholeHistory { .. } | ReplayError::IncompleteHistory { .. })
        ));
        if missed {
            shared.counters.bump(|s| &mut s.whole_history_fetches);
            match task.with_whole_history(&shared.worker.client, &shared.worker.domain).await {
                Ok(whole) => {
                    task = Arc::new(whole);
                    decided = decide_blocking(shared, &task).await;
                }
                Err(err) => {
                    tracing::warn!(error = %err, "cannot fetch the whole history; the task is left to time out");
                }
            }
        } else if let (false, Ok(Ok(decisions))) = (task.is_whole(), &decided) {
            check_sticky(shared, &task, decisions).await;
        }
        let counters = &shared.counters;
        // A decider that fails or panics leaves the task to time out, and SWF offers it
        // again; unless its tasks never time out, which wedges the execution.
        let wedged = task.decision_tasks_never_time_out();
        match decided {
            Ok(Ok(decisions)) => {
                let route = next_task_route(shared, &task, &decisions, shutdown);
                match task.respond_routed(&shared.worker.client, decisions, route).await {
                    Ok(()) => {
                        responded = true;
                        counters.bump(|s| &mut s.responded);
                        tracing::debug!("decision task completed");
                    }
                    Err(err) => {
                        counters.bump(|s| &mut s.respond_errors);
                        tracing::warn!(error = %err, "decision task response refused");
                    }
                }
            }
            Ok(Err(err)) if is_unrouted(&*err) => {
                counters.bump(|s| &mut s.unrouted_tasks);
                let (name, version) = task
                    .workflow_type()
                    .map_or(("", ""), |t| (t.name(), t.version()));
                tracing::warn!(workflow_type = name, version, error = %err, "task of a workflow type this worker does not serve: left undecided");
            }
            Ok(Err(err)) => {
                counters.bump(|s| &mut s.decider_errors);
                // A signal that did not decode is logged without its input: serde's
                // message can quote it. Other errors are the decider's own words.
                let error = match err.downcast_ref::<ReceiveError>() {
                    Some(bad) => bad.summary(),
                    None => err.to_string(),
                };
                if wedged {
                    tracing::error!(%error, "decider failed on an execution whose taskStartToCloseTimeout is NONE: the task stays started and SWF will never offer it again; the execution is wedged until it is terminated");
                } else {
                    tracing::error!(%error, "decider failed; the task is left to time out and will be offered again");
                }
            }
            Err(join) => {
                counters.bump(|s| &mut s.decider_panics);
                let msg = panic_message(join);
                if wedged {
                    tracing::error!(panic = %msg, "decider panicked on an execution whose taskStartToCloseTimeout is NONE: the task stays started and SWF will never offer it again; the execution is wedged until it is terminated");
                } else {
                    tracing::error!(panic = %msg, "decider panicked; the task is left to time out and will be offered again");
                }
            }
        }
        crate::telemetry::decision_task(
            task.workflow_type().map_or("", WorkflowType::name),
            began.elapsed(),
            responded,
        );
    }
    .instrument(span)
    .await;
}

/// What a decider's panic said (or how its task ended otherwise).
fn panic_message(join: tokio::task::JoinError) -> String {
    if join.is_panic() {
        let panic = join.into_panic();
        panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    } else {
        join.to_string()
    }
}

/// Where the execution's next task goes: this worker's own list while it is sticky and
/// running; else back to the shared list, said explicitly, because an earlier override
/// stays in force until replaced (a worker shutting down would otherwise strand the next
/// task on a list nobody polls until its schedule-to-start timeout). A closing execution
/// has no next task.
fn next_task_route<'s, D: Decider>(
    shared: &'s Shared<D>,
    task: &DecisionTask,
    decisions: &Decisions,
    shutdown: &CancellationToken,
) -> Option<(&'s str, Option<Duration>)> {
    match &shared.sticky {
        _ if decisions.closes_workflow() => None,
        Some((list, timeout)) if !shutdown.is_cancelled() && shared.decider.is_sticky_for(task) => {
            Some((list.as_str(), Some(*timeout)))
        }
        Some(_) => Some((shared.worker.task_list.as_str(), None)),
        None => None,
    }
}

/// Whether a decider refused a task for its workflow type (no decision made on purpose).
fn is_unrouted(err: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    err.downcast_ref::<UnroutedTask>().is_some()
        || err
            .downcast_ref::<ReplayError>()
            .is_some_and(ReplayError::is_wrong_type)
}

/// Runs the decider on the blocking pool, with the caller's subscriber and span.
async fn decide_blocking<D>(
    shared: &Arc<Shared<D>>,
    task: &Arc<DecisionTask>,
) -> Result<Result<Decisions, DecideError>, tokio::task::JoinError>
where
    D: Decider + Send + Sync + 'static,
{
    let (shared, task) = (Arc::clone(shared), Arc::clone(task));
    let span = tracing::Span::current();
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    // Off the async threads; a panic comes back as a JoinError, not through us.
    tokio::task::spawn_blocking(move || {
        tracing::dispatcher::with_default(&dispatch, || {
            span.in_scope(|| shared.decider.decide(&task))
        })
    })
    .await
}

/// Check mode: the whole history, replayed, against the state just cached and the
/// decisions just made from it.
async fn check_sticky<D>(shared: &Arc<Shared<D>>, task: &Arc<DecisionTask>, decided: &Decisions)
where
    D: Decider + Send + Sync + 'static,
{
    if !shared.decider.wants_check() {
        return;
    }
    let whole = match task
        .with_whole_history(&shared.worker.client, &shared.worker.domain)
        .await
    {
        Ok(whole) => Arc::new(whole),
        Err(err) => {
            tracing::warn!(error = %err, "check mode: cannot fetch the whole history");
            return;
        }
    };
    let checked = {
        let (shared, decided) = (Arc::clone(shared), decided.clone());
        tokio::task::spawn_blocking(move || shared.decider.check_decided(&whole, &decided)).await
    };
    match checked {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            shared.counters.bump(|s| &mut s.check_failures);
            tracing::error!(error = %err, "check mode: the sticky state or decisions differ from a full replay");
        }
        // A check that panics found something too: counted, not lost.
        Err(join) => {
            shared.counters.bump(|s| &mut s.check_failures);
            tracing::error!(error = %join, "check mode: the check panicked");
        }
    }
}

/// `<host name>:<pid>`, cut to SWF's 256-character identity limit.
fn default_identity() -> String {
    // The kernel's name for the host, then what shells export; no libc call needed.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()))
        .or_else(|| std::env::var("COMPUTERNAME").ok().filter(|h| !h.is_empty()))
        .unwrap_or_else(|| "unknown-host".to_owned());
    let id = format!("{host}:{}", std::process::id());
    id.chars().take(256).collect()
}

struct Jitter(u64);

impl Jitter {
    fn new(index: usize) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()));
        Jitter((nanos ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// "Full jitter": a random pause up to min(max, 100 ms × 2^(failures-1)).
    fn backoff(&mut self, failures: u32, max: Duration) -> Duration {
        let exp = failures.saturating_sub(1).min(16);
        let cap = Duration::from_millis(100u64 << exp).min(max);
        let cap_ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX).max(1);
        Duration::from_millis(cap_ms / 2 + self.next() % (cap_ms / 2 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_identity_names_the_host_and_process() {
        let id = default_identity();
        assert!(id.ends_with(&format!(":{}", std::process::id())), "{id}");
        assert!(id.len() > format!(":{}", std::process::id()).len(), "{id}");
        assert!(id.chars().count() <= 256);
    }

    /// Issue 19 (13): an identity SWF refuses is refused when it is set, not on every poll.
    #[tokio::test]
    async fn an_identity_over_256_characters_is_refused() {
        let config = aws_sdk_swf::Config::builder()
            .behavior_version(aws_sdk_swf::config::BehaviorVersion::latest())
            .build();
        let worker = || Worker::new(client(config.to_builder()), "d", "l");
        let err = worker()
            .and_then(|w| w.identity("é".repeat(257)))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("a worker identity is 1 to 256 characters (SWF's limit for PollForDecisionTask), not 257; shorten it")
        );
        assert!(worker().and_then(|w| w.identity("")).is_err());
        assert!(worker().and_then(|w| w.identity("é".repeat(256))).is_ok());
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let mut j = Jitter::new(3);
        let max = Duration::from_secs(10);
        for failures in 1..40 {
            let d = j.backoff(failures, max);
            assert!(d <= max, "{failures}: {d:?}");
            assert!(d >= Duration::from_millis(50), "{failures}: {d:?}");
        }
        assert!(j.backoff(30, max) >= Duration::from_secs(5));
    }
}
