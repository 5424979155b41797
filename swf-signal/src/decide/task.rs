//! The decider's view of a decision task: every page merged into one history, with the
//! signals in it decoded into a [`Signal`] enum.

use std::fmt;

use aws_sdk_swf::error::SdkError;
use aws_sdk_swf::operation::get_workflow_execution_history::GetWorkflowExecutionHistoryOutput;
use aws_sdk_swf::operation::poll_for_decision_task::{
    PollForDecisionTaskError, PollForDecisionTaskOutput,
};
use aws_sdk_swf::operation::respond_decision_task_completed::RespondDecisionTaskCompletedError;
use aws_sdk_swf::types::{
    EventType, SignalExternalWorkflowExecutionFailedCause, WorkflowExecution, WorkflowType,
};
use aws_smithy_types::DateTime;

use super::decisions::Decisions;
use super::event::Event;
use super::page::PageEvents;
use crate::error::DecodeError;
use crate::signal::Signal;

/// One decision task: the token to respond with, the execution, and its history (every
/// page of it, in event order).
#[derive(Debug, Clone)]
pub struct DecisionTask {
    task_token: String,
    workflow_execution: WorkflowExecution,
    workflow_type: Option<WorkflowType>,
    previous_started_event_id: i64,
    started_event_id: i64,
    events: Vec<Event>,
    /// Computed once at construction; every `new_*` call reads it.
    processed_started_event_id: i64,
}

/// Why pages could not be turned into a [`DecisionTask`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TaskError {
    /// No page at all, or a first page without a task token: the poll came back empty
    /// (`DecisionTask::poll` returns `Ok(None)` for that).
    #[error("the poll returned no decision task (no task token); poll again")]
    EmptyPoll,
    /// A page carries a different task token than the first: pages of two tasks mixed.
    #[error("page {page} has a different task token than the first page; pass the pages of one decision task only")]
    MixedPages {
        /// The 0-based index of the odd page.
        page: usize,
    },
    /// The first page has no workflow execution.
    #[error("the decision task has no workflow execution; SWF always sends one, so the pages are incomplete")]
    MissingExecution,
}

/// Why polling for a decision task failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PollError {
    /// The SDK call failed (network, throttling after the SDK's retries, unknown domain, …).
    #[error(
        "cannot poll for a decision task in domain `{domain}`, task list `{task_list}`: {}{}",
        crate::error::error_chain(source),
        poll_hint(source)
    )]
    Sdk {
        /// The domain polled.
        domain: String,
        /// The task list polled.
        task_list: String,
        /// The SDK's error.
        #[source]
        source: Box<SdkError<PollForDecisionTaskError>>,
    },
    /// The pages did not form one task.
    #[error(transparent)]
    Task(#[from] TaskError),
    /// Fetching an execution's whole history failed.
    #[error(
        "cannot fetch the history of workflow `{workflow_id}` (run `{run_id}`): {}",
        crate::error::error_chain(source)
    )]
    History {
        /// The workflow id.
        workflow_id: String,
        /// The run id.
        run_id: String,
        /// The SDK's error.
        #[source]
        source: Box<SdkError<aws_sdk_swf::operation::get_workflow_execution_history::GetWorkflowExecutionHistoryError>>,
    },
}

/// Why responding to a decision task failed.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot respond to the decision task of workflow `{workflow_id}` (run `{run_id}`): {}",
    crate::error::error_chain(source)
)]
pub struct RespondError {
    /// The workflow id.
    pub workflow_id: String,
    /// The run id.
    pub run_id: String,
    /// The SDK's error.
    #[source]
    pub source: Box<SdkError<RespondDecisionTaskCompletedError>>,
}

/// A signal decoded from a `WorkflowExecutionSignaled` event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Received<S> {
    /// The decoded signal.
    pub signal: S,
    /// The id of its `WorkflowExecutionSignaled` event.
    pub event_id: i64,
    /// When SWF recorded it.
    pub timestamp: DateTime,
    /// The sending workflow, when another workflow sent it with a
    /// `SignalExternalWorkflowExecution` decision.
    pub external: Option<ExternalSender>,
}

/// The workflow execution that sent a signal, and the id of its `…Initiated` event in
/// the sender's history.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalSender {
    /// The sending execution.
    pub execution: WorkflowExecution,
    /// The `SignalExternalWorkflowExecutionInitiated` event id in the sender's history.
    pub initiated_event_id: i64,
}

/// The fix for a poll error, where the error says which: `PollForDecisionTask`'s only
/// `UnknownResourceFault` is an unknown domain.
fn poll_hint(err: &SdkError<PollForDecisionTaskError>) -> &'static str {
    if err
        .as_service_error()
        .is_some_and(PollForDecisionTaskError::is_unknown_resource_fault)
    {
        " (the domain is not registered: register it with WorkflowClient::register_domain)"
    } else {
        ""
    }
}

/// A received signal that did not decode: the event, and the [`DecodeError`] that keeps
/// its name and raw input.
#[derive(Debug, thiserror::Error)]
#[error("event {event_id}: {error}")]
#[non_exhaustive]
pub struct ReceiveError {
    /// The id of the `WorkflowExecutionSignaled` event.
    pub event_id: i64,
    /// When SWF recorded it.
    pub timestamp: DateTime,
    /// What went wrong, with the name and raw input.
    #[source]
    pub error: DecodeError,
    /// The sending workflow, when another workflow sent it.
    pub external: Option<ExternalSender>,
}

impl ReceiveError {
    /// A description safe for logs: no part of the input (see [`DecodeError::summary`]).
    pub fn summary(&self) -> String {
        format!("event {}: {}", self.event_id, self.error.summary())
    }

    /// The signal name as received.
    pub fn name(&self) -> &str {
        self.error.name()
    }

    /// The raw input as received.
    pub fn input(&self) -> Option<&str> {
        self.error.input()
    }
}

/// The fate of a signal this workflow sent with a `SignalExternalWorkflowExecution`
/// decision, read from its history.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OutgoingState {
    /// Initiated, with neither a delivery nor a failure recorded yet.
    Pending,
    /// `ExternalWorkflowExecutionSignaled`: SWF delivered it.
    Delivered {
        /// The event that says so.
        event_id: i64,
    },
    /// `SignalExternalWorkflowExecutionFailed`.
    Failed {
        /// The event that says so.
        event_id: i64,
        /// SWF's cause, for example `UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION`.
        cause: SignalExternalWorkflowExecutionFailedCause,
        /// The `control` of the decision, as the failure event carries it.
        control: Option<String>,
        /// The `DecisionTaskCompleted` event of the task that made the decision.
        decision_task_completed_event_id: i64,
    },
}

/// A signal this workflow sent, correlated by its initiated event id; or, for a decision
/// SWF refused at once (a `…Failed` event with `initiatedEventId` 0 and no initiated
/// event), an entry of its own with `initiated_event_id` 0, to correlate by `control`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OutgoingSignal {
    /// The `SignalExternalWorkflowExecutionInitiated` event id; 0 when SWF failed the
    /// decision without initiating it.
    pub initiated_event_id: i64,
    /// The target workflow id.
    pub workflow_id: String,
    /// The target run id, when one run was addressed.
    pub run_id: Option<String>,
    /// The signal name (empty for a decision failed without an initiated event: the
    /// failure event does not carry it).
    pub signal_name: String,
    /// The decision's `control` value, for the decider's own bookkeeping.
    pub control: Option<String>,
    /// Delivered, failed or pending.
    pub state: OutgoingState,
}

impl DecisionTask {
    /// Polls `task_list` once (a long poll: SWF holds it up to 60 s) and fetches every
    /// page of the task's history. `Ok(None)` when the poll came back without a task.
    ///
    /// # Errors
    ///
    /// [`PollError`] when a call fails or the pages do not form one task.
    pub async fn poll(
        client: &aws_sdk_swf::Client,
        domain: &str,
        task_list: &str,
        identity: &str,
    ) -> Result<Option<Self>, PollError> {
        Self::poll_with(client, domain, task_list, identity, false).await
    }

    /// [`poll`](Self::poll), optionally with `startAtPreviousStartedEvent`: the history
    /// then begins at the previous processed task's `DecisionTaskStarted` event (the
    /// whole history for an execution's first task). A sticky decider folds just that.
    ///
    /// # Errors
    ///
    /// [`PollError`] when a call fails or the pages do not form one task.
    pub async fn poll_with(
        client: &aws_sdk_swf::Client,
        domain: &str,
        task_list: &str,
        identity: &str,
        start_at_previous_started_event: bool,
    ) -> Result<Option<Self>, PollError> {
        let sdk_err = |e| PollError::Sdk {
            domain: domain.to_owned(),
            task_list: task_list.to_owned(),
            source: Box::new(e),
        };
        // Each page is converted to compact events as it arrives and dropped, so the
        // peak is the compact history plus one page.
        let mut assembler: Option<Assembler> = None;
        let mut next: Option<String> = None;
        let mut backoff = crate::retry::Backoff::new();
        loop {
            let token = next.clone();
            let page_events = PageEvents::<PollForDecisionTaskOutput>::new();
            let page = client
                .poll_for_decision_task()
                .domain(domain)
                .task_list(
                    aws_sdk_swf::types::TaskList::builder()
                        .name(task_list)
                        .build()
                        .map_err(|e| sdk_err(SdkError::construction_failure(e)))?,
                )
                .identity(identity)
                .set_start_at_previous_started_event(
                    start_at_previous_started_event.then_some(true),
                )
                .set_next_page_token(token)
                .customize()
                .interceptor(page_events.clone())
                .send()
                .await;
            let page = match page {
                Ok(page) => page,
                // The task is taken once the first page came back: a later page is
                // retried (same token) rather than the task dropped to its timeout.
                Err(err)
                    if assembler.is_some()
                        && backoff
                            .again(client, &err, "PollForDecisionTask (a later page)")
                            .await =>
                {
                    continue;
                }
                Err(err) => return Err(sdk_err(err)),
            };
            if assembler.is_none() && page.task_token().is_empty() {
                return Ok(None);
            }
            next = page
                .next_page_token()
                .filter(|t| !t.is_empty())
                .map(ToOwned::to_owned);
            let events = page_events.take();
            match &mut assembler {
                None => assembler = Some(Assembler::start(page, events)?),
                Some(a) => a.add(page, events)?,
            }
            if next.is_none() {
                break;
            }
        }
        match assembler {
            Some(a) => Ok(Some(a.finish()?)),
            None => Ok(None),
        }
    }

    /// Builds a task from the pages of one poll, as the SDK returns them. Each page's
    /// events are moved into compact [`Event`]s as the page is taken, and the page
    /// dropped.
    ///
    /// # Errors
    ///
    /// [`TaskError`] when there is no task or the pages belong to different tasks.
    pub fn from_pages(
        pages: impl IntoIterator<Item = PollForDecisionTaskOutput>,
    ) -> Result<Self, TaskError> {
        let mut pages = pages.into_iter();
        let mut assembler =
            Assembler::start(pages.next().ok_or(TaskError::EmptyPoll)?, Vec::new())?;
        for page in pages {
            assembler.add(page, Vec::new())?;
        }
        assembler.finish()
    }

    /// The one constructor: pages, whole-history fetches and [`testing`](crate::testing)
    /// all end here. The events are put in id order, once each, and the vector trimmed to
    /// its length (pages come in order, so the sort is one linear pass in practice; it
    /// also puts a reverse-order poll right).
    pub(crate) fn from_parts(
        task_token: String,
        workflow_execution: WorkflowExecution,
        workflow_type: Option<WorkflowType>,
        previous_started_event_id: i64,
        started_event_id: i64,
        mut events: Vec<Event>,
    ) -> Self {
        events.sort_by_key(Event::event_id);
        events.dedup_by_key(|e| e.event_id());
        events.shrink_to_fit();
        let processed_started_event_id =
            processed_started_event_id(&events, previous_started_event_id);
        DecisionTask {
            task_token,
            workflow_execution,
            workflow_type,
            previous_started_event_id,
            started_event_id,
            events,
            processed_started_event_id,
        }
    }

    /// The token to respond with.
    pub fn task_token(&self) -> &str {
        &self.task_token
    }

    /// The workflow execution the task is for.
    pub fn workflow_execution(&self) -> &WorkflowExecution {
        &self.workflow_execution
    }

    /// Its workflow id.
    pub fn workflow_id(&self) -> &str {
        self.workflow_execution.workflow_id()
    }

    /// Its run id.
    pub fn run_id(&self) -> &str {
        self.workflow_execution.run_id()
    }

    /// The workflow type.
    pub fn workflow_type(&self) -> Option<&WorkflowType> {
        self.workflow_type.as_ref()
    }

    /// The `DecisionTaskStarted` event id of the previous decision task the decider
    /// processed; 0 for the first task.
    pub fn previous_started_event_id(&self) -> i64 {
        self.previous_started_event_id
    }

    /// The `DecisionTaskStarted` event id of this task.
    pub fn started_event_id(&self) -> i64 {
        self.started_event_id
    }

    /// The whole history, in event order, as compact [`Event`]s (the SDK's accessors;
    /// [`Event::to_sdk`] for a `HistoryEvent`).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Whether the history begins with `WorkflowExecutionStarted` (not a partial one
    /// polled with `startAtPreviousStartedEvent`).
    pub fn is_whole(&self) -> bool {
        self.events
            .first()
            .is_some_and(|e| e.workflow_execution_started_event_attributes().is_some())
    }

    /// Why the history is not what SWF sends for this task, if it is not: event ids not
    /// contiguous (a page lost or repeated), a whole history not starting at event 1, or
    /// a history not ending at the task's `DecisionTaskStarted` (`started_event_id`).
    /// `None`: complete. A decider folds nothing from a history with a hole: the hole
    /// would be carried into every later state.
    pub fn incompleteness(&self) -> Option<String> {
        let (first, last) = match (self.events.first(), self.events.last()) {
            (Some(f), Some(l)) => (f.event_id(), l.event_id()),
            _ => return Some("the history has no events".to_owned()),
        };
        if self.is_whole() && first != 1 {
            return Some(format!("the whole history starts at event {first}, not 1"));
        }
        if let Some(w) = self
            .events
            .windows(2)
            .find(|w| w[1].event_id() != w[0].event_id() + 1)
        {
            return Some(format!(
                "event {} follows event {}: events are missing or repeated",
                w[1].event_id(),
                w[0].event_id()
            ));
        }
        if last != self.started_event_id {
            return Some(format!(
                "the history ends at event {last}, not at the task's DecisionTaskStarted (event {})",
                self.started_event_id
            ));
        }
        None
    }

    /// The same task over the whole history of its execution, fetched with
    /// `GetWorkflowExecutionHistory` (every page, converted as it arrives) and cut at
    /// this task's started event, as SWF gives it to a decider.
    ///
    /// # Errors
    ///
    /// [`PollError::History`] when a call fails.
    pub async fn with_whole_history(
        &self,
        client: &aws_sdk_swf::Client,
        domain: &str,
    ) -> Result<DecisionTask, PollError> {
        let events = fetch_history(
            client,
            domain,
            &self.workflow_execution,
            self.started_event_id,
        )
        .await
        .map_err(|err| PollError::History {
            workflow_id: self.workflow_id().to_owned(),
            run_id: self.run_id().to_owned(),
            source: Box::new(err),
        })?;
        Ok(DecisionTask::from_parts(
            self.task_token.clone(),
            self.workflow_execution.clone(),
            self.workflow_type.clone(),
            self.previous_started_event_id,
            self.started_event_id,
            events,
        ))
    }

    /// A task over a run's whole history as it stands (for a query by replay): its last
    /// event plays the started event, and the last `DecisionTaskStarted` the previous one.
    pub(crate) fn of_history(execution: WorkflowExecution, events: Vec<Event>) -> Self {
        let workflow_type = events
            .first()
            .and_then(Event::workflow_execution_started_event_attributes)
            .and_then(|a| a.workflow_type().cloned());
        let last = events.last().map_or(0, Event::event_id);
        let previous = events
            .iter()
            .rev()
            .find(|e| *e.event_type() == EventType::DecisionTaskStarted)
            .map_or(0, Event::event_id);
        DecisionTask::from_parts(
            String::new(),
            execution,
            workflow_type,
            previous,
            last,
            events,
        )
    }

    /// The input of `WorkflowExecutionStarted`: `None` when the history does not begin
    /// with that event (it is not whole), `Some(None)` when the execution has no input.
    pub fn started_input(&self) -> Option<Option<&str>> {
        self.events
            .first()
            .and_then(Event::workflow_execution_started_event_attributes)
            .map(aws_sdk_swf::types::WorkflowExecutionStartedEventAttributes::input)
    }

    /// Whether this execution's decision tasks never time out
    /// (`taskStartToCloseTimeout` is `NONE`): a task left unanswered then stays started
    /// forever.
    pub fn decision_tasks_never_time_out(&self) -> bool {
        self.events
            .first()
            .and_then(Event::workflow_execution_started_event_attributes)
            .and_then(aws_sdk_swf::types::WorkflowExecutionStartedEventAttributes::task_start_to_close_timeout)
            .is_some_and(|t| t.eq_ignore_ascii_case("NONE"))
    }

    /// The events after the last decision task the decider completed: what happened
    /// since it last decided. Found by binary search on the event ids (see
    /// [`processed_started_event_id`](Self::processed_started_event_id)).
    pub fn new_events(&self) -> &[Event] {
        let processed = self.processed_started_event_id();
        let start = self.events.partition_point(|e| e.event_id() <= processed);
        &self.events[start..]
    }

    /// The `DecisionTaskStarted` event id of the last decision task that was *completed*;
    /// events after it are new.
    ///
    /// Usually this is `previous_started_event_id`. But when the previous task timed out,
    /// its decisions never happened, so its signals must count as new again.
    /// SWF's documentation defines the field as the previous task "processed by the
    /// decider"; some endpoints (moto) report the timed-out task instead. Checking costs a binary search
    /// for that task's started event and a look at the few events until it closed, and
    /// only after a timeout a walk back to the completed task before it; it is done once,
    /// when the task is built.
    pub fn processed_started_event_id(&self) -> i64 {
        self.processed_started_event_id
    }

    /// The signals received since the previous decision task, in order, each decoded
    /// into `S` or reported with its name and raw input.
    pub fn new_signals<S: Signal>(
        &self,
    ) -> impl Iterator<Item = Result<Received<S>, ReceiveError>> + '_ {
        decode_signals(self.new_events())
    }

    /// Every signal in the history, in order, for a decider that replays.
    pub fn signals<S: Signal>(
        &self,
    ) -> impl Iterator<Item = Result<Received<S>, ReceiveError>> + '_ {
        decode_signals(&self.events)
    }

    /// Every signal this workflow sent with `SignalExternalWorkflowExecution`, in order,
    /// with what became of it (delivered, failed with a cause, or pending).
    pub fn outgoing_signals(&self) -> Vec<OutgoingSignal> {
        let mut out: Vec<OutgoingSignal> = Vec::new();
        for e in &self.events {
            if let Some(a) = e.signal_external_workflow_execution_initiated_event_attributes() {
                out.push(OutgoingSignal {
                    initiated_event_id: e.event_id(),
                    workflow_id: a.workflow_id().to_owned(),
                    run_id: a.run_id().map(ToOwned::to_owned),
                    signal_name: a.signal_name().to_owned(),
                    control: a.control().map(ToOwned::to_owned),
                    state: OutgoingState::Pending,
                });
            }
        }
        // Initiated events are in id order, so each outcome finds its signal by binary
        // search. A failure that names no initiated event (SWF refused the decision at
        // once) gets an entry of its own, in history order, so it is not lost.
        let mut unmatched = Vec::new();
        for e in &self.events {
            if let Some(a) = e.external_workflow_execution_signaled_event_attributes() {
                if let Ok(i) =
                    out.binary_search_by_key(&a.initiated_event_id(), |o| o.initiated_event_id)
                {
                    out[i].state = OutgoingState::Delivered {
                        event_id: e.event_id(),
                    };
                }
            } else if let Some(a) = e.signal_external_workflow_execution_failed_event_attributes() {
                let state = OutgoingState::Failed {
                    event_id: e.event_id(),
                    cause: a.cause().clone(),
                    control: a.control().map(ToOwned::to_owned),
                    decision_task_completed_event_id: a.decision_task_completed_event_id(),
                };
                match out.binary_search_by_key(&a.initiated_event_id(), |o| o.initiated_event_id) {
                    Ok(i) if a.initiated_event_id() > 0 => out[i].state = state,
                    _ => unmatched.push(OutgoingSignal {
                        initiated_event_id: 0,
                        workflow_id: a.workflow_id().to_owned(),
                        run_id: a.run_id().map(ToOwned::to_owned),
                        signal_name: String::new(),
                        control: a.control().map(ToOwned::to_owned),
                        state,
                    }),
                }
            }
        }
        out.extend(unmatched);
        out
    }

    /// Responds with the decisions (`RespondDecisionTaskCompleted`).
    ///
    /// # Errors
    ///
    /// [`RespondError`] with the SDK's error, for example when the task timed out.
    pub async fn respond(
        &self,
        client: &aws_sdk_swf::Client,
        decisions: Decisions,
    ) -> Result<(), RespondError> {
        self.respond_with(client, decisions, None).await
    }

    /// [`respond`](Self::respond), optionally with a task-list override: the
    /// execution's next decision tasks go to `task_list`; one not started within
    /// `schedule_to_start` times out and SWF reverts to the original list
    /// (`API_RespondDecisionTaskCompleted.html`). This is how a sticky worker keeps an
    /// execution's tasks for itself without ever stranding them.
    ///
    /// # Errors
    ///
    /// [`RespondError`] with the SDK's error.
    pub async fn respond_with(
        &self,
        client: &aws_sdk_swf::Client,
        decisions: Decisions,
        sticky: Option<(&str, std::time::Duration)>,
    ) -> Result<(), RespondError> {
        self.respond_routed(client, decisions, sticky.map(|(list, t)| (list, Some(t))))
            .await
    }

    /// [`respond_with`](Self::respond_with), the override's timeout optional: without
    /// one the override is permanent, which is how a worker hands an execution back to
    /// its shared list (an override stays in force for later tasks until replaced).
    pub(crate) async fn respond_routed(
        &self,
        client: &aws_sdk_swf::Client,
        decisions: Decisions,
        route: Option<(&str, Option<std::time::Duration>)>,
    ) -> Result<(), RespondError> {
        let (list, timeout) = match route {
            Some((name, timeout)) => (
                aws_sdk_swf::types::TaskList::builder()
                    .name(name)
                    .build()
                    .ok(),
                timeout.map(|t| t.as_secs().max(1).to_string()),
            ),
            None => (None, None),
        };
        let context = decisions.context().map(ToOwned::to_owned);
        let decisions = decisions.into_vec();
        let mut backoff = crate::retry::Backoff::new();
        loop {
            let out = client
                .respond_decision_task_completed()
                .task_token(&self.task_token)
                .set_decisions(Some(decisions.clone()))
                .set_task_list(list.clone())
                .set_task_list_schedule_to_start_timeout(timeout.clone())
                .set_execution_context(context.clone())
                .send()
                .await;
            match out {
                Ok(_) => return Ok(()),
                // Retried within the window: answering twice is safe (SWF refuses the
                // second answer to a completed task with UnknownResourceFault), leaving
                // the task unanswered costs its whole timeout.
                Err(err)
                    if backoff
                        .again(client, &err, "RespondDecisionTaskCompleted")
                        .await => {}
                Err(err) => {
                    return Err(RespondError {
                        workflow_id: self.workflow_id().to_owned(),
                        run_id: self.run_id().to_owned(),
                        source: Box::new(err),
                    })
                }
            }
        }
    }
}

/// Every event of `execution`'s history through event `through`, fetched with
/// `GetWorkflowExecutionHistory` (every page, converted as it arrives; transient failures
/// retried with [`Backoff`](crate::retry::Backoff), throttling included).
pub(crate) async fn fetch_history(
    client: &aws_sdk_swf::Client,
    domain: &str,
    execution: &WorkflowExecution,
    through: i64,
) -> Result<
    Vec<Event>,
    SdkError<
        aws_sdk_swf::operation::get_workflow_execution_history::GetWorkflowExecutionHistoryError,
    >,
> {
    let mut events: Vec<Event> = Vec::new();
    let mut next: Option<String> = None;
    let mut backoff = crate::retry::Backoff::new();
    loop {
        let page_events = PageEvents::<GetWorkflowExecutionHistoryOutput>::new();
        let page = client
            .get_workflow_execution_history()
            .domain(domain)
            .execution(execution.clone())
            .set_next_page_token(next.clone())
            .customize()
            .interceptor(page_events.clone())
            .send()
            .await;
        let mut page = match page {
            Ok(page) => page,
            // For a taken task: retried, not dropped to its timeout.
            Err(err)
                if backoff
                    .again(client, &err, "GetWorkflowExecutionHistory")
                    .await =>
            {
                continue;
            }
            Err(err) => return Err(err),
        };
        next = page
            .next_page_token()
            .filter(|t| !t.is_empty())
            .map(ToOwned::to_owned);
        events.extend(
            page_events
                .take()
                .into_iter()
                .filter(|e| e.event_id() <= through),
        );
        // Filled only when the SDK's own deserializer read the page (see `page`).
        events.extend(
            page.events
                .iter_mut()
                .filter(|e| e.event_id <= through)
                .map(Event::take_from),
        );
        if next.is_none() {
            return Ok(events);
        }
    }
}

/// The pages of one decision task, turned into compact events one page at a time. A page's
/// events come read already (`events`, see [`page`](super::page)) or in the SDK's output
/// (pages a caller built, or read by the SDK's own deserializer): both are taken.
struct Assembler {
    first: PollForDecisionTaskOutput,
    events: Vec<Event>,
    pages: usize,
}

impl Assembler {
    fn start(
        mut first: PollForDecisionTaskOutput,
        mut events: Vec<Event>,
    ) -> Result<Self, TaskError> {
        if first.task_token.is_empty() {
            return Err(TaskError::EmptyPoll);
        }
        events.extend(first.events.iter_mut().map(Event::take_from));
        first.events = Vec::new();
        Ok(Assembler {
            first,
            events,
            pages: 1,
        })
    }

    fn add(
        &mut self,
        mut page: PollForDecisionTaskOutput,
        events: Vec<Event>,
    ) -> Result<(), TaskError> {
        if page.task_token != self.first.task_token && !page.task_token.is_empty() {
            return Err(TaskError::MixedPages { page: self.pages });
        }
        self.pages += 1;
        self.events.extend(events);
        // The page is ours: its attribute sets are moved, then the page is dropped.
        self.events
            .extend(page.events.iter_mut().map(Event::take_from));
        Ok(())
    }

    fn finish(self) -> Result<DecisionTask, TaskError> {
        let Assembler {
            mut first, events, ..
        } = self;
        let workflow_execution = first
            .workflow_execution
            .take()
            .ok_or(TaskError::MissingExecution)?;
        Ok(DecisionTask::from_parts(
            first.task_token,
            workflow_execution,
            first.workflow_type,
            first.previous_started_event_id,
            first.started_event_id,
            events,
        ))
    }
}

/// See [`DecisionTask::processed_started_event_id`].
fn processed_started_event_id(events: &[Event], previous_started: i64) -> i64 {
    let mut candidate = previous_started;
    // Each round steps back over one timed-out task; the id strictly decreases (checked).
    while candidate > 0 {
        let Ok(at) = events.binary_search_by_key(&candidate, Event::event_id) else {
            return candidate; // not in this history: trust SWF
        };
        match outcome_of_decision_task(&events[at + 1..], candidate) {
            DecisionOutcome::Completed | DecisionOutcome::Unknown => return candidate,
            DecisionOutcome::NotCompleted => {
                let earlier = events[..at]
                    .iter()
                    .rev()
                    .find_map(Event::decision_task_completed_event_attributes)
                    .map_or(
                        0,
                        aws_sdk_swf::types::DecisionTaskCompletedEventAttributes::started_event_id,
                    );
                if earlier >= candidate {
                    // Only a malformed history points forward; stop walking (no loop)
                    // and trust what SWF said.
                    tracing::warn!(
                        previous_started_event_id = previous_started,
                        at = candidate,
                        points_to = earlier,
                        "malformed history: a DecisionTaskCompleted event names a later task; using previousStartedEventId as is"
                    );
                    return previous_started;
                }
                candidate = earlier;
            }
        }
    }
    0
}

/// How the decision task whose `DecisionTaskStarted` event id is `started` ended, from
/// the events after that one.
fn outcome_of_decision_task(after: &[Event], started: i64) -> DecisionOutcome {
    for e in after {
        if let Some(a) = e.decision_task_completed_event_attributes() {
            if a.started_event_id() == started {
                return DecisionOutcome::Completed;
            }
        } else if let Some(a) = e.decision_task_timed_out_event_attributes() {
            if a.started_event_id() == started {
                return DecisionOutcome::NotCompleted;
            }
        } else if *e.event_type() == EventType::DecisionTaskStarted {
            // A later task started, so this one ended; without a completion before
            // it, it did not complete.
            return DecisionOutcome::NotCompleted;
        }
    }
    DecisionOutcome::Unknown
}

enum DecisionOutcome {
    Completed,
    NotCompleted,
    /// The history ends before the task closed (the current task, or a cut history).
    Unknown,
}

// ReceiveError is the bad signal itself (name, input, sender), the value a caller keeps;
// it is returned once per bad signal, so its size costs nothing on the hot path.
#[allow(clippy::result_large_err)]
fn decode_signals<S: Signal>(
    events: &[Event],
) -> impl Iterator<Item = Result<Received<S>, ReceiveError>> + '_ {
    signal_events(events).map(|e| decode_signal_event::<S>(e))
}

/// The `WorkflowExecutionSignaled` events, in order.
pub(crate) fn signal_events(events: &[Event]) -> impl Iterator<Item = &Event> {
    events
        .iter()
        .filter(|e| *e.event_type() == EventType::WorkflowExecutionSignaled)
}

/// Decodes one `WorkflowExecutionSignaled` event; one without attributes is an error,
/// not skipped.
#[allow(clippy::result_large_err)] // see decode_signals
pub(crate) fn decode_signal_event<S: Signal>(e: &Event) -> Result<Received<S>, ReceiveError> {
    let Some(a) = e.workflow_execution_signaled_event_attributes() else {
        return Err(ReceiveError {
            event_id: e.event_id(),
            timestamp: *e.event_timestamp(),
            error: DecodeError::MissingAttributes,
            external: None,
        });
    };
    let external = a
        .external_workflow_execution()
        .map(|execution| ExternalSender {
            execution: execution.clone(),
            initiated_event_id: a.external_initiated_event_id(),
        });
    match S::decode(a.signal_name(), a.input()) {
        Ok(signal) => Ok(Received {
            signal,
            event_id: e.event_id(),
            timestamp: *e.event_timestamp(),
            external,
        }),
        Err(error) => Err(ReceiveError {
            event_id: e.event_id(),
            timestamp: *e.event_timestamp(),
            error,
            external,
        }),
    }
}

impl fmt::Display for OutgoingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutgoingState::Pending => f.write_str("pending"),
            OutgoingState::Delivered { event_id } => write!(f, "delivered (event {event_id})"),
            OutgoingState::Failed {
                event_id, cause, ..
            } => {
                write!(f, "failed: {} (event {event_id})", cause.as_str())
            }
        }
    }
}
