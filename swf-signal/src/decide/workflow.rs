//! Replay-first deciders: a workflow is a plain struct whose state is rebuilt from the
//! whole history on every decision task.
//!
//! SWF keeps no decider state. A decider that builds its state from the *new* signals
//! alone loses it: a close decision made while another signal arrived fails with
//! `UNHANDLED_DECISION`, and the next task's new signals no longer include the earlier
//! ones. [`WorkflowDecider`] therefore folds every signal of the history into the
//! workflow, in event order, and only then asks it to decide.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::cache::{CacheStats, StateCache};
use super::decisions::{DecisionError, Decisions, STOPPED_MARKER, UNDECODABLE_SIGNAL_MARKER};
use super::event::Event;
use super::fold::{event_of, Pending, WorkflowEvent};
use super::policy::{Abandon, BadSignalPolicy, Flow};
use super::task::{decode_signal_event, DecisionTask, ReceiveError, Received};
use crate::registration::{Registration, ServedType};
use crate::signal::Dispatch;

/// What a decider returns when it cannot decide: any error, boxed. The worker logs it and
/// leaves the task to time out, so SWF offers it again.
pub type DecideError = Box<dyn std::error::Error + Send + Sync>;

/// A workflow type whose state is folded from its signals.
///
/// The state changes happen in the generated handler trait (`…Handler`, one method per
/// signal, no I/O, no decisions); the decisions happen in [`decide`](Workflow::decide),
/// which sees the state after *every* signal of the history so far.
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use swf_signal::testing::TaskBuilder;
/// use swf_signal::{DecideError, DecisionContext, Decisions, Signal, Workflow, WorkflowDecider};
///
/// #[derive(Debug, Signal)]
/// #[signal(rename_all = "kebab-case")]
/// enum OrderSignal { Approve { approver: String }, ChangeQuantity(u32), #[signal(raw)] Comment(String) }
///
/// #[derive(Serialize, Deserialize)]
/// struct NewOrder { quantity: u32 }
///
/// #[derive(Debug, PartialEq)]
/// struct Order { quantity: u32, approved_by: Option<String> }
///
/// impl OrderSignalHandler for Order {
///     type Output = ();
///     fn approve(&mut self, approver: String) { self.approved_by = Some(approver); }
///     fn change_quantity(&mut self, quantity: u32) { self.quantity = quantity; }
///     fn comment(&mut self, _text: String) {}
/// }
///
/// impl Workflow for Order {
///     const NAME: &'static str = "order-approval";
///     const VERSION: &'static str = "1";
///     type Signal = OrderSignal;
///     type Input = NewOrder;
///     fn start(input: NewOrder) -> Self { Order { quantity: input.quantity, approved_by: None } }
///     fn decide(&mut self, _ctx: &DecisionContext<'_, Self>, decisions: &mut Decisions) -> Result<(), DecideError> {
///         if let Some(approver) = &self.approved_by {
///             decisions.complete(Some(&format!("approved by {approver}, quantity {}", self.quantity)))?;
///         }
///         Ok(())
///     }
/// }
///
/// // Task 1 saw the approval, but its close decision failed (a comment came in while it
/// // was deciding). Task 2 brings only the comment as new, and still completes.
/// let mut history = TaskBuilder::for_workflow::<Order>("order-7").input(r#"{"quantity":2}"#);
/// history.signal(&OrderSignal::Approve { approver: "dana".into() });
/// history.decision_task_started();
/// history.signal(&OrderSignal::Comment("call me".into()));
/// history.decision_task_completed();
/// history.complete_failed_unhandled();
/// let task = history.build();
///
/// let decisions = WorkflowDecider::<Order>::new().decide(&task)?;
/// assert!(decisions.closes_workflow());
/// # Ok::<(), DecideError>(())
/// ```
pub trait Workflow: Sized {
    /// The SWF workflow type name.
    const NAME: &'static str;
    /// The SWF workflow type version.
    const VERSION: &'static str;
    /// The signals this workflow accepts; `#[derive(Signal)]` makes the enum
    /// `Dispatch<W>` for every `W` that implements its handler trait.
    type Signal: Dispatch<Self>;
    /// The input of `WorkflowExecutionStarted`, as JSON; `()` when the workflow takes none.
    type Input: Serialize + DeserializeOwned;

    /// The state at the start of the execution.
    fn start(input: Self::Input) -> Self;

    /// Decides, after every signal so far has been dispatched to `self`.
    ///
    /// # Errors
    ///
    /// Any error: the task is not answered, SWF times it out and offers it again.
    fn decide(
        &mut self,
        ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError>;

    /// The defaults this type is registered with (SWF needs a task list, two timeouts
    /// and a child policy for every execution; registered defaults spare each start from
    /// naming them). A [`Worker`](crate::Worker) registers the types it serves when they
    /// are not registered yet, with its own task list unless this names one;
    /// [`WorkflowClient::register`](crate::WorkflowClient::register) does it explicitly.
    /// Default: [`Registration::default`].
    ///
    /// ```
    /// # use swf_signal::{DecideError, DecisionContext, Decisions, Registration, Signal, Workflow};
    /// # use std::time::Duration;
    /// # #[derive(Signal)] enum TicketSignal { Close }
    /// # struct Ticket;
    /// # impl TicketSignalHandler for Ticket { type Output = (); fn close(&mut self) {} }
    /// impl Workflow for Ticket {
    ///     // NAME, VERSION, Signal, Input, start, decide …
    /// #   const NAME: &'static str = "ticket"; const VERSION: &'static str = "1";
    /// #   type Signal = TicketSignal; type Input = ();
    /// #   fn start(_: ()) -> Self { Ticket }
    /// #   fn decide(&mut self, _: &DecisionContext<'_, Self>, _: &mut Decisions) -> Result<(), DecideError> { Ok(()) }
    ///     fn registration() -> Registration {
    ///         Registration::default().execution_timeout(Duration::from_secs(90 * 86_400))
    ///     }
    /// }
    /// ```
    fn registration() -> Registration {
        Registration::default()
    }

    /// Folds one event of the history that is not a signal — a timer fired, a
    /// cancellation requested, an activity's or child's outcome, an outgoing signal's
    /// fate, a marker, a decision SWF refused — into the state. Called in event order
    /// together with the signal handlers, on whole and sticky histories alike, before
    /// [`decide`](Workflow::decide); like the handlers it must not do I/O. Default:
    /// ignores every event.
    ///
    /// ```
    /// # use swf_signal::{DecideError, DecisionContext, Decisions, Signal, Workflow, WorkflowEvent};
    /// # #[derive(Signal)] enum ApprovalSignal { Approve }
    /// #[derive(Default)]
    /// struct Approval { approved: bool, expired: bool, cancel_requested: bool }
    /// # impl ApprovalSignalHandler for Approval { type Output = (); fn approve(&mut self) { self.approved = true; } }
    /// impl Workflow for Approval {
    ///     // NAME, VERSION, Signal, Input, start, decide …
    /// #   const NAME: &'static str = "approval"; const VERSION: &'static str = "1";
    /// #   type Signal = ApprovalSignal; type Input = ();
    /// #   fn start(_: ()) -> Self { Approval::default() }
    /// #   fn decide(&mut self, _: &DecisionContext<'_, Self>, _: &mut Decisions) -> Result<(), DecideError> { Ok(()) }
    ///     fn apply(&mut self, event: &WorkflowEvent<'_>) {
    ///         match event {
    ///             WorkflowEvent::TimerFired { timer_id: "approval-deadline", .. } => self.expired = true,
    ///             WorkflowEvent::CancelRequested { .. } => self.cancel_requested = true,
    ///             _ => {}
    ///         }
    ///     }
    /// }
    /// ```
    fn apply(&mut self, event: &WorkflowEvent<'_>) {
        let _ = event;
    }

    /// The execution context sent with every response (`executionContext` of
    /// `RespondDecisionTaskCompleted`), read after [`decide`](Workflow::decide): what
    /// operators see as `latestExecutionContext` in `DescribeWorkflowExecution`
    /// ([`WorkflowDescription::context`](crate::WorkflowDescription)) without replaying
    /// anything. At most 32,768 characters; a longer one fails the task with an error
    /// naming the workflow. Default: `None` (none sent).
    fn context(&self) -> Option<String> {
        None
    }
}

/// A folded state and what the fold keeps beside it (see [`Pending`]): what the sticky
/// cache holds.
pub(crate) struct Folded<W> {
    state: W,
    pending: Pending,
}

fn clone_folded<W: Clone>(f: &Folded<W>) -> Folded<W> {
    Folded {
        state: f.state.clone(),
        pending: f.pending.clone(),
    }
}

/// What [`Workflow::decide`] sees besides its state: the signals this task brings and the
/// whole task.
pub struct DecisionContext<'a, W: Workflow> {
    task: &'a DecisionTask,
    new_signals: Vec<Received<W::Signal>>,
    new_bad_signals: Vec<ReceiveError>,
}

impl<'a, W: Workflow> DecisionContext<'a, W> {
    /// The decision task: execution, ids, and its history — the whole history on a
    /// replay, but only the events since the previous task on a sticky hit
    /// ([`WorkflowDecider::sticky`]; [`DecisionTask::is_whole`] tells). A workflow whose
    /// decisions depend on older events (outgoing signals, markers, activity results)
    /// must fold them into its state with [`Workflow::apply`] (which sees every event,
    /// in both modes), not read them here; check mode ([`WorkflowDecider::checked`])
    /// compares a sticky task's decisions with a full replay's and reports the difference.
    pub fn task(&self) -> &'a DecisionTask {
        self.task
    }

    /// The signals received since the last completed decision task, decoded, in order,
    /// with their event ids (already dispatched to the workflow).
    pub fn new_signals(&self) -> &[Received<W::Signal>] {
        &self.new_signals
    }

    /// The new signals that did not decode; each has been handed to the bad-signal
    /// policy (this task only: later tasks do not see them again).
    pub fn new_bad_signals(&self) -> &[ReceiveError] {
        &self.new_bad_signals
    }

    /// Whether this is the execution's first decision task that a decider completes
    /// (no earlier task was completed).
    pub fn is_first_task(&self) -> bool {
        self.task.processed_started_event_id() == 0
    }
}

impl<W: Workflow> fmt::Debug for DecisionContext<'_, W>
where
    W::Signal: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecisionContext")
            .field("workflow_id", &self.task.workflow_id())
            .field("started_event_id", &self.task.started_event_id())
            .field("new_signals", &self.new_signals)
            .field("new_bad_signals", &self.new_bad_signals)
            .finish()
    }
}

/// Why a workflow's state could not be rebuilt from a task.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The history does not begin with `WorkflowExecutionStarted`: it is not the whole
    /// history (for example a poll with `startAtPreviousStartedEvent`).
    #[error("the history of workflow `{workflow_id}` does not start with WorkflowExecutionStarted (first event id: {first_event_id:?}); a replay needs the whole history")]
    NotWholeHistory {
        /// The workflow id.
        workflow_id: String,
        /// The first event id present, if any.
        first_event_id: Option<i64>,
    },
    /// The history is not whole and complete (a page lost or repeated, a history that does
    /// not end at the task's started event): nothing is folded from it.
    #[error("the history of workflow `{workflow_id}` (run `{run_id}`) is incomplete: {reason}; nothing decided (the task will be offered again)")]
    IncompleteHistory {
        /// The workflow id.
        workflow_id: String,
        /// The run id.
        run_id: String,
        /// What is wrong.
        reason: String,
    },
    /// The task is of another workflow type (or version) than the decider's. SWF routes
    /// decision tasks by task list, not by type: one list can carry several types, and two
    /// versions of one type during a rolling deploy. No decision is made for it (deciding
    /// would fail or complete someone else's execution); serve every type of a list with
    /// [`Workflows`](crate::Workflows).
    #[error("workflow `{workflow_id}` is of type `{task_name}` version `{task_version}`, but this decider serves `{name}` version `{version}`; no decision made (serve every type on the task list with swf_signal::Workflows)")]
    WrongWorkflowType {
        /// The workflow id.
        workflow_id: String,
        /// The task's type name.
        task_name: String,
        /// The task's type version.
        task_version: String,
        /// The decider's `W::NAME`.
        name: &'static str,
        /// The decider's `W::VERSION`.
        version: &'static str,
    },
}

impl ReplayError {
    /// A routing error: the task is of a type the decider does not serve
    /// ([`WrongWorkflowType`](ReplayError::WrongWorkflowType)).
    pub fn is_wrong_type(&self) -> bool {
        matches!(self, ReplayError::WrongWorkflowType { .. })
    }
}

/// The decision task completed event a refused close decision answers, if `event` is one
/// (`CompleteWorkflowExecutionFailed`, `FailWorkflowExecutionFailed`,
/// `CancelWorkflowExecutionFailed`, `ContinueAsNewWorkflowExecutionFailed`).
fn refused_close(event: &Event) -> Option<i64> {
    use aws_sdk_swf::types as t;
    event
        .complete_workflow_execution_failed_event_attributes()
        .map(t::CompleteWorkflowExecutionFailedEventAttributes::decision_task_completed_event_id)
        .or_else(|| {
            event
                .fail_workflow_execution_failed_event_attributes()
                .map(t::FailWorkflowExecutionFailedEventAttributes::decision_task_completed_event_id)
        })
        .or_else(|| {
            event
                .cancel_workflow_execution_failed_event_attributes()
                .map(t::CancelWorkflowExecutionFailedEventAttributes::decision_task_completed_event_id)
        })
        .or_else(|| {
            event
                .continue_as_new_workflow_execution_failed_event_attributes()
                .map(t::ContinueAsNewWorkflowExecutionFailedEventAttributes::decision_task_completed_event_id)
        })
}

/// The bad signals whose verdict did not take effect, to hand to the policy again: those
/// after the last completed decision task that took effect, that is, new in tasks whose
/// close decision SWF refused (their verdict — fail the workflow, or a callback's close —
/// never happened), unless a marker already records them. A verdict counts as given only
/// when the task that gave it took effect.
struct LostVerdicts {
    /// The started event of the last completed task whose close (if any) was not refused.
    effective_through: i64,
    /// Bad signals a marker already records.
    recorded: std::collections::HashSet<i64>,
    /// The last completed task's policy stopped dispatch at this bad signal without
    /// closing ([`STOPPED_MARKER`]): the signals after it are new again, once.
    resume_after: Option<i64>,
}

/// The event id in a library marker's JSON details.
fn marker_event_id(details: Option<&str>) -> Option<i64> {
    details
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|v| v["event_id"].as_i64())
}

impl LostVerdicts {
    fn of(task: &DecisionTask) -> Self {
        let mut recorded = std::collections::HashSet::new();
        let mut refused = std::collections::HashSet::new();
        let mut stops: Vec<(i64, Option<i64>)> = Vec::new();
        // (completed event id, its task's started event id), in order.
        let mut completed: Vec<(i64, i64)> = Vec::new();
        for e in task.events() {
            if let Some(a) = e.decision_task_completed_event_attributes() {
                completed.push((e.event_id(), a.started_event_id()));
            } else if let Some(answered) = refused_close(e) {
                refused.insert(answered);
            } else if let Some(m) = e.marker_recorded_event_attributes() {
                if m.marker_name() == UNDECODABLE_SIGNAL_MARKER {
                    if let Some(id) = marker_event_id(m.details()) {
                        recorded.insert(id);
                    }
                } else if m.marker_name() == STOPPED_MARKER {
                    stops.push((
                        m.decision_task_completed_event_id(),
                        marker_event_id(m.details()),
                    ));
                }
            }
        }
        let last_completed = completed.last().map(|(id, _)| *id);
        let resume_after = stops
            .iter()
            .rev()
            .find(|(answers, _)| Some(*answers) == last_completed)
            .and_then(|(_, at)| *at);
        let effective_through = completed
            .iter()
            .rev()
            .find(|(id, _)| !refused.contains(id))
            .map_or(0, |(_, started)| *started);
        LostVerdicts {
            effective_through,
            recorded,
            resume_after,
        }
    }

    /// Whether the old bad signal `event_id` must meet the policy again.
    fn lost(&self, event_id: i64) -> bool {
        event_id > self.effective_through && !self.recorded.contains(&event_id)
    }
}

/// The cache key of an execution: run ids are unique in practice, but the key does not
/// rely on it; `|` cannot occur in either id (SWF forbids it).
fn cache_key(workflow_id: &str, run_id: &str) -> String {
    format!("{workflow_id}|{run_id}")
}

/// The reason recorded when an execution's input does not decode into `W::Input`.
pub const UNDECODABLE_INPUT_REASON: &str = "swf-signal: the workflow input does not decode";

/// A [`Decider`](crate::Decider) for one [`Workflow`] type: each task, `W::start` from the
/// started event's input, every signal of the history dispatched in order, bad signals to
/// the policy only when new, then `W::decide`.
///
/// The input: an absent or empty one decodes as JSON `null` (so `()` and `Option<T>`
/// work); one that does not decode fails the execution with the error and the raw input
/// in the details, never a default.
pub struct WorkflowDecider<W> {
    policy: BadSignalPolicy,
    cache: Option<Arc<StateCache<Folded<W>>>>,
    check: Option<fn(&W, &W) -> Option<String>>,
    /// Whether its folds count in the metrics: not for the replays of check mode and
    /// queries, which fold signals a decider already counted.
    counted: bool,
    _workflow: PhantomData<fn() -> W>,
}

impl<W> Clone for WorkflowDecider<W> {
    fn clone(&self) -> Self {
        WorkflowDecider {
            policy: self.policy.clone(),
            cache: self.cache.clone(),
            check: self.check,
            counted: self.counted,
            _workflow: PhantomData,
        }
    }
}

impl<W> fmt::Debug for WorkflowDecider<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkflowDecider")
            .field("workflow", &std::any::type_name::<W>())
            .field("policy", &self.policy)
            .field("sticky", &self.cache.is_some())
            .field("check", &self.check.is_some())
            .field("counted", &self.counted)
            .finish()
    }
}

impl<W: Workflow> Default for WorkflowDecider<W> {
    fn default() -> Self {
        Self::new()
    }
}

/// The state a replay built, before `decide`.
pub(crate) enum Replay<'a, W: Workflow> {
    /// The state, and what `decide` will see.
    Ready(W, DecisionContext<'a, W>),
    /// The input did not decode, or the policy stopped: respond with these decisions.
    Stopped,
}

impl<W: Workflow> WorkflowDecider<W> {
    /// A decider with the default bad-signal policy ([`BadSignalPolicy::RecordMarker`]).
    pub fn new() -> Self {
        WorkflowDecider {
            policy: BadSignalPolicy::default(),
            cache: None,
            check: None,
            counted: true,
            _workflow: PhantomData,
        }
    }

    /// The policy for signals that do not decode.
    #[must_use]
    pub fn policy(mut self, policy: BadSignalPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Keeps each execution's state between tasks, in a cache of at most `capacity`
    /// executions (least recently used evicted first), so that a task polled with
    /// `startAtPreviousStartedEvent` (only the events since the previous task) folds only
    /// its new events. A task whose history is whole is always replayed in full and
    /// refreshes the cache; a partial one with no matching state (a miss, an eviction, a
    /// restart, a history that does not reach back to the cached event) is refused with
    /// [`ReplayError::NotWholeHistory`], and the [`Worker`](crate::Worker) then fetches the
    /// whole history and decides again. Needs `W: Clone` (the cached state is copied
    /// before `decide`, which may change it) and `Send`.
    #[must_use]
    pub fn sticky(mut self, capacity: usize) -> Self
    where
        W: Clone,
    {
        self.cache = Some(Arc::new(StateCache::new(capacity, clone_folded::<W>)));
        self
    }

    /// Check mode for sticky deciders: after each task decided from the cache, the
    /// worker fetches the whole history; [`check_cached`](Self::check_cached) compares
    /// the cached state, and [`check_decisions`](Self::check_decisions) the decisions,
    /// with a full replay's (logged as an error and counted in
    /// [`WorkerStats::check_failures`](crate::WorkerStats) when they differ). Costs what
    /// stickiness saves; for tests and canaries.
    #[must_use]
    pub fn checked(mut self) -> Self
    where
        W: PartialEq + fmt::Debug,
    {
        self.check = Some(|cached: &W, replayed: &W| {
            (cached != replayed).then(|| format!("cached {cached:?}, replayed {replayed:?}"))
        });
        self
    }

    /// Whether check mode is on.
    pub fn is_checked(&self) -> bool {
        self.check.is_some()
    }

    /// Decides one task: replay, then [`Workflow::decide`].
    ///
    /// # Errors
    ///
    /// [`ReplayError`] when the task's history is not whole, [`Abandon`] when the policy
    /// leaves the task uncompleted, and whatever `decide` returns.
    pub fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError> {
        let mut decisions = Decisions::new();
        match self.replay(task, &mut decisions)? {
            Replay::Ready(mut state, ctx) => {
                state.decide(&ctx, &mut decisions)?;
                let context = state.context();
                decisions.set_context(context).map_err(|chars| {
                    format!(
                        "workflow `{}` (type `{}`): Workflow::context() is {chars} characters, over SWF's limit of {}; nothing decided (shorten the context: it is a summary for operators, the state is the history)",
                        task.workflow_id(),
                        W::NAME,
                        super::decisions::MAX_DETAILS_CHARS
                    )
                })?;
            }
            Replay::Stopped => {}
        }
        if decisions.closes_workflow() {
            if let Some(cache) = &self.cache {
                cache.remove(&cache_key(task.workflow_id(), task.run_id()));
            }
        }
        Ok(decisions)
    }

    /// Whether this decider keeps states between tasks (see [`sticky`](Self::sticky)).
    pub fn is_sticky(&self) -> bool {
        self.cache.is_some()
    }

    /// The sticky cache's counts (all zero when not sticky).
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.as_ref().map(|c| c.stats()).unwrap_or_default()
    }

    /// Forgets the cached state of one execution, as an eviction would; its next partial
    /// task is a miss and replays the whole history.
    pub fn evict(&self, workflow_id: &str, run_id: &str) {
        if let Some(cache) = &self.cache {
            cache.remove(&cache_key(workflow_id, run_id));
        }
    }

    /// In check mode, compares the state cached for `whole`'s run (just folded from a
    /// partial history of the same task) with the state a full replay of `whole` builds.
    ///
    /// # Errors
    ///
    /// A message naming both states when they differ. `Ok` when not in check mode or
    /// nothing is cached for the task.
    pub fn check_cached(&self, whole: &DecisionTask) -> Result<(), DecideError> {
        let (Some(check), Some(cache)) = (self.check, &self.cache) else {
            return Ok(());
        };
        let Some((Folded { state: cached, .. }, through)) =
            cache.peek(&cache_key(whole.workflow_id(), whole.run_id()))
        else {
            return Ok(());
        };
        if through != whole.started_event_id() {
            return Ok(());
        }
        let plain = WorkflowDecider::<W> {
            policy: BadSignalPolicy::callback(|_, _| Flow::Continue),
            cache: None,
            check: None,
            counted: false,
            _workflow: PhantomData,
        };
        let Some(replayed) = plain.state(whole)? else {
            return Ok(());
        };
        match check(&cached, &replayed) {
            None => Ok(()),
            Some(diff) => Err(format!(
                "sticky state of workflow `{}` (run `{}`) differs from a full replay through event {through}: {diff}",
                whole.workflow_id(),
                whole.run_id()
            )
            .into()),
        }
    }

    /// In check mode, compares `decided` — the decisions a sticky task made from the
    /// cached state — with those a full replay of `whole` (the same task, whole history)
    /// makes, with the same policy (a callback policy runs again: check mode is for tests
    /// and canaries).
    ///
    /// # Errors
    ///
    /// A message naming both lists when they differ. `Ok` when not in check mode.
    pub fn check_decisions(
        &self,
        whole: &DecisionTask,
        decided: &Decisions,
    ) -> Result<(), DecideError> {
        if self.check.is_none() {
            return Ok(());
        }
        let plain = WorkflowDecider::<W> {
            policy: self.policy.clone(),
            cache: None,
            check: None,
            counted: false,
            _workflow: PhantomData,
        };
        let replayed = plain.decide(whole)?;
        if replayed.as_slice() == decided.as_slice() && replayed.context() == decided.context() {
            Ok(())
        } else {
            Err(format!(
                "sticky decisions of workflow `{}` (run `{}`) differ from a full replay's: sticky {:?}, replayed {:?}",
                whole.workflow_id(),
                whole.run_id(),
                decided.as_slice(),
                replayed.as_slice()
            )
            .into())
        }
    }

    /// The state after every signal of `task`'s history, as `decide` would see it (for
    /// tests and checks). `None` when the input does not decode or the policy stopped.
    ///
    /// # Errors
    ///
    /// As [`decide`](Self::decide), without `W::decide`'s own errors.
    pub fn state(&self, task: &DecisionTask) -> Result<Option<W>, DecideError> {
        let mut decisions = Decisions::new();
        Ok(match self.replay(task, &mut decisions)? {
            Replay::Ready(state, _) => Some(state),
            Replay::Stopped => None,
        })
    }

    /// The state a query by replay returns: `task`'s history (a run's whole history as
    /// it stands, [`DecisionTask::of_history`]) folded as this decider folds it, with its
    /// policy, never touching its cache.
    pub(crate) fn query(&self, task: &DecisionTask) -> Result<W, QueryFailure> {
        let plain = WorkflowDecider::<W> {
            policy: self.policy.clone(),
            cache: None,
            check: None,
            counted: false,
            _workflow: PhantomData,
        };
        let mut decisions = Decisions::new();
        match plain.replay(task, &mut decisions) {
            Ok(Replay::Ready(state, _)) => Ok(state),
            Ok(Replay::Stopped) => Err(QueryFailure::Undecodable(stopped_reason(&decisions))),
            Err(err) if err.is::<Abandon>() => Err(QueryFailure::Undecodable(err.to_string())),
            Err(err) => Err(QueryFailure::Replay(err)),
        }
    }

    /// `W::start` from the started event's input; `None` after a fail decision when the
    /// input does not decode.
    fn start_state(
        task: &DecisionTask,
        input: Option<&str>,
        decisions: &mut Decisions,
    ) -> Option<W> {
        let json = match input {
            Some(s) if !s.trim().is_empty() => s,
            _ => "null",
        };
        match serde_json::from_str::<W::Input>(json) {
            Ok(input) => Some(W::start(input)),
            Err(err) => {
                tracing::error!(
                    workflow_id = task.workflow_id(),
                    run_id = task.run_id(),
                    workflow = W::NAME,
                    error = %err,
                    "the workflow input does not decode; failing the execution"
                );
                let details = super::policy::input_failure_details::<W>(&err, input);
                decisions.fail_by_library(UNDECODABLE_INPUT_REASON, &details);
                None
            }
        }
    }

    /// The cached state for a partial `task`, when one folded exactly up to where the
    /// task's history begins.
    fn cached(&self, task: &DecisionTask) -> Option<(Folded<W>, bool)> {
        let cache = self.cache.as_ref()?;
        // A close the previous task decided was refused: a verdict it gave on a bad
        // signal may have to be given again, from the signal's event, which a partial
        // history lacks. Rare; a whole replay decides it.
        let stopped = |e: &Event| {
            e.marker_recorded_event_attributes()
                .is_some_and(|m| m.marker_name() == STOPPED_MARKER)
        };
        // Likewise a stop without a close: the signals to report again are older than
        // the partial history.
        if task
            .events()
            .iter()
            .any(|e| refused_close(e).is_some() || stopped(e))
        {
            cache.count_miss();
            return None;
        }
        let through = task.previous_started_event_id();
        let reaches = task
            .events()
            .first()
            .is_some_and(|e| e.event_id() <= through + 1);
        if through <= 0 || !reaches || task.processed_started_event_id() != through {
            return None;
        }
        cache.get(&cache_key(task.workflow_id(), task.run_id()), through)
    }

    /// Whether `task` is of `W`'s type and version. A task without a type (only a
    /// hand-built one: SWF always sends it) is not refused.
    pub fn serves(task: &DecisionTask) -> bool {
        task.workflow_type()
            .is_none_or(|t| t.name() == W::NAME && t.version() == W::VERSION)
    }

    fn check_type(task: &DecisionTask) -> Result<(), ReplayError> {
        match task.workflow_type() {
            Some(t) if !Self::serves(task) => Err(ReplayError::WrongWorkflowType {
                workflow_id: task.workflow_id().to_owned(),
                task_name: t.name().to_owned(),
                task_version: t.version().to_owned(),
                name: W::NAME,
                version: W::VERSION,
            }),
            _ => Ok(()),
        }
    }

    /// Where the fold starts: `W::start` on a whole history (`None` when the input does
    /// not decode: a fail decision is there), or the cached state on a partial one; with
    /// the event it has folded through and whether decision tasks never time out.
    #[allow(clippy::type_complexity)] // a private triple, named at its one use
    fn begin(
        &self,
        task: &DecisionTask,
        decisions: &mut Decisions,
    ) -> Result<Option<(Folded<W>, i64, bool)>, DecideError> {
        Ok(match task.started_input() {
            Some(input) => Self::start_state(task, input, decisions).map(|state| {
                (
                    Folded {
                        state,
                        pending: Pending::default(),
                    },
                    0,
                    task.decision_tasks_never_time_out(),
                )
            }),
            // A partial history (polled with startAtPreviousStartedEvent): the cached
            // state must have folded exactly through the previous task the decider
            // processed, which is where this history begins.
            // The NONE flag comes from the cache: the started event is not in the history.
            None => match self.cached(task) {
                Some((state, never)) => Some((state, task.previous_started_event_id(), never)),
                None => {
                    return Err(Box::new(ReplayError::NotWholeHistory {
                        workflow_id: task.workflow_id().to_owned(),
                        first_event_id: task.events().first().map(Event::event_id),
                    }))
                }
            },
        })
    }

    /// Refuses a history with a hole: a partial one is a miss (the worker fetches the
    /// whole history), a whole one an error.
    fn check_complete(&self, task: &DecisionTask) -> Result<(), DecideError> {
        if let Some(reason) = task.incompleteness() {
            if !task.is_whole() {
                // A partial history with a hole cannot extend the cached state: a miss,
                // and the worker fetches the whole history.
                if let Some(cache) = &self.cache {
                    cache.count_miss();
                }
                return Err(Box::new(ReplayError::NotWholeHistory {
                    workflow_id: task.workflow_id().to_owned(),
                    first_event_id: task.events().first().map(Event::event_id),
                }));
            }
            return Err(Box::new(ReplayError::IncompleteHistory {
                workflow_id: task.workflow_id().to_owned(),
                run_id: task.run_id().to_owned(),
                reason,
            }));
        }
        Ok(())
    }

    /// Counts a new signal in the metrics (not in the replays of checks and queries).
    fn count_signal(&self, event: &Event, decoded: bool) {
        if self.counted {
            let name = event
                .workflow_execution_signaled_event_attributes()
                .map_or("", |a| a.signal_name());
            crate::telemetry::signal(
                W::NAME,
                crate::telemetry::signal_label(<W::Signal as crate::Signal>::NAMES, name),
                decoded,
            );
        }
    }

    pub(crate) fn replay<'a>(
        &self,
        task: &'a DecisionTask,
        decisions: &mut Decisions,
    ) -> Result<Replay<'a, W>, DecideError> {
        // Before anything else: another type's input must not even be decoded (a failed
        // decode would fail that healthy execution).
        Self::check_type(task)?;
        self.check_complete(task)?;
        let Some((
            Folded {
                mut state,
                mut pending,
            },
            folded_through,
            never_times_out,
        )) = self.begin(task, decisions)?
        else {
            return Ok(Replay::Stopped);
        };
        let processed = task.processed_started_event_id();
        let lost = LostVerdicts::of(task);
        let mut new_signals = Vec::new();
        let mut new_bad_signals = Vec::new();
        // The cached state has folded everything through `folded_through`.
        let start = task
            .events()
            .partition_point(|e| e.event_id() <= folded_through);
        for event in &task.events()[start..] {
            if *event.event_type() != aws_sdk_swf::types::EventType::WorkflowExecutionSignaled {
                pending.note(event);
                if let Some(seen) = event_of(event, &pending) {
                    state.apply(&seen);
                }
                pending.settle(event);
                continue;
            }
            let is_new = event.event_id() > processed
                || lost.resume_after.is_some_and(|at| event.event_id() > at);
            let decoded = decode_signal_event::<W::Signal>(event);
            if is_new {
                self.count_signal(event, decoded.is_ok());
            }
            match decoded {
                Ok(received) => {
                    if is_new {
                        // Dispatch consumes the value; the context gets its own copy.
                        if let Ok(again) = decode_signal_event::<W::Signal>(event) {
                            new_signals.push(again);
                        }
                    }
                    received.signal.dispatch(&mut state);
                }
                // An old bad signal met the policy on the task that brought it, unless
                // that task's close was refused.
                Err(_) if !is_new && !lost.lost(event.event_id()) => {}
                Err(bad) => {
                    let flow = self
                        .policy
                        .apply_guarded(task, never_times_out, &bad, decisions);
                    match flow {
                        Flow::Continue => new_bad_signals.push(bad),
                        Flow::Stop => {
                            if !decisions.closes_workflow() {
                                // The signals after this one were not dispatched as new:
                                // the next task reports them (see LostVerdicts).
                                let details = serde_json::json!({ "event_id": bad.event_id });
                                let _ = decisions
                                    .record_marker(STOPPED_MARKER, Some(&details.to_string()));
                            }
                            return Ok(Replay::Stopped);
                        }
                        Flow::Abandon => {
                            return Err(Box::new(Abandon {
                                event_id: bad.event_id,
                                name: bad.name().to_owned(),
                            }))
                        }
                    }
                }
            }
        }
        if let Some(cache) = &self.cache {
            let folded = Folded { state, pending };
            cache.put(
                &cache_key(task.workflow_id(), task.run_id()),
                &folded,
                task.started_event_id(),
                never_times_out,
            );
            state = folded.state;
        }
        Ok(Replay::Ready(
            state,
            DecisionContext {
                task,
                new_signals,
                new_bad_signals,
            },
        ))
    }
}

/// Why a query by replay returned no state.
pub(crate) enum QueryFailure {
    /// The input, or a signal under the policy, does not decode: what the decider decided.
    Undecodable(String),
    /// The history could not be folded (another type, a hole).
    Replay(DecideError),
}

/// What a replay that stopped decided, in words: the fail decision's reason and details,
/// or the policy's stop.
fn stopped_reason(decisions: &Decisions) -> String {
    decisions
        .as_slice()
        .iter()
        .find_map(|d| d.fail_workflow_execution_decision_attributes())
        .map_or_else(
            || "the bad-signal policy stopped the fold at a signal that does not decode".to_owned(),
            |f| {
                format!(
                    "{}: {}",
                    f.reason().unwrap_or("the decider fails the run"),
                    f.details().unwrap_or_default()
                )
            },
        )
}

impl Decisions {
    /// `StartChildWorkflowExecution` of workflow type `C` (`C::NAME`, `C::VERSION`) with
    /// id `workflow_id` (1 to 256 characters) and `input` encoded as `C::Input` (JSON, at
    /// most 32,768 characters): task list, timeouts and child policy are `C`'s registered
    /// defaults ([`Workflow::registration`]). The parent hears of it in
    /// [`WorkflowEvent::ChildStarted`], then `ChildCompleted` (or failed, timed out,
    /// canceled, terminated), or `StartChildFailed` with SWF's cause.
    ///
    /// # Errors
    ///
    /// [`DecisionError`]: an id out of SWF's limits, an input that does not encode or is
    /// too long, a close decision already there.
    pub fn start_child<C: Workflow>(
        &mut self,
        workflow_id: &str,
        input: &C::Input,
    ) -> Result<&mut Self, DecisionError> {
        const D: &str = "StartChildWorkflowExecution";
        let json = serde_json::to_string(input).map_err(|e| DecisionError::NotEncoded {
            decision: D,
            field: "input",
            reason: format!(
                "child `{workflow_id}` of type `{}`: {e}; fix the value's Serialize implementation",
                C::NAME
            ),
        })?;
        self.start_child_raw(C::NAME, C::VERSION, workflow_id, Some(&json))
    }
}

// Here rather than beside `ServedType`: registration knows nothing of workflows.
impl ServedType {
    /// `W`'s name, version and [`Workflow::registration`](crate::Workflow::registration).
    pub fn of<W: Workflow>() -> Self {
        ServedType {
            name: W::NAME,
            version: W::VERSION,
            registration: W::registration(),
        }
    }
}
