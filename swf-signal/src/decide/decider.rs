//! What turns a decision task into decisions: [`Decider`], implemented by
//! [`WorkflowDecider`], [`Workflows`](super::router::Workflows) and closures.

use super::decisions::Decisions;
use super::task::DecisionTask;
use super::workflow::{DecideError, Workflow, WorkflowDecider};
use crate::registration::ServedType;

/// Turns a decision task into decisions. Implemented by [`WorkflowDecider`] (the
/// replay-first way: see [`Workflow`]) and by closures
/// `Fn(&DecisionTask) -> Result<Decisions, DecideError>` for deciders that use the
/// low-level [`DecisionTask`] view. Such a closure must rebuild its state from the whole
/// history on every task, as [`WorkflowDecider`] does:
///
/// ```
/// use swf_signal::{DecideError, DecisionTask, Decisions, Signal};
///
/// #[derive(Signal)]
/// enum OrderSignal { Approve { approver: String }, Cancel }
///
/// #[derive(Default)]
/// struct Order { approved: bool, cancelled: bool }
///
/// impl OrderSignalHandler for Order {
///     type Output = ();
///     fn approve(&mut self, _approver: String) { self.approved = true; }
///     fn cancel(&mut self) { self.cancelled = true; }
/// }
///
/// let decider = |task: &DecisionTask| -> Result<Decisions, DecideError> {
///     let mut order = Order::default();
///     let mut decisions = Decisions::new();
///     // Every signal of the history, so the state is whole on every task.
///     for signal in task.signals::<OrderSignal>().flatten() {
///         swf_signal::Dispatch::dispatch(signal.signal, &mut order);
///     }
///     if order.approved || order.cancelled {
///         decisions.complete(None)?;
///     }
///     Ok(decisions)
/// };
/// # let _ = swf_signal::Decider::decide(&decider, &swf_signal::testing::TaskBuilder::new("w").build());
/// ```
pub trait Decider {
    /// The decisions for `task`.
    ///
    /// # Errors
    ///
    /// Any error: the worker logs it and does not respond, so SWF times the task out and
    /// offers it again. [`Abandon`](crate::Abandon) from a bad-signal policy converts.
    fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError>;

    /// Whether the decider keeps executions' states between tasks, so the worker should
    /// route an execution's next tasks to its own task list and poll it with
    /// `startAtPreviousStartedEvent` ([`WorkflowDecider::sticky`]).
    fn is_sticky(&self) -> bool {
        false
    }

    /// Whether `task`'s execution should be kept sticky (its next task routed to the
    /// worker's own list); default [`is_sticky`](Decider::is_sticky). A router answers
    /// for the decider of the task's type.
    fn is_sticky_for(&self, task: &DecisionTask) -> bool {
        let _ = task;
        self.is_sticky()
    }

    /// Whether check mode is on: after a task decided from cached state, the worker
    /// fetches the whole history and calls [`check`](Decider::check).
    fn wants_check(&self) -> bool {
        false
    }

    /// Check mode: compares the state cached for `whole`'s run with a replay of `whole`.
    ///
    /// # Errors
    ///
    /// When they differ.
    fn check(&self, whole: &DecisionTask) -> Result<(), DecideError> {
        let _ = whole;
        Ok(())
    }

    /// Check mode: [`check`](Decider::check), and whether `decided` (the decisions just
    /// made from the cached state) are the ones a full replay of `whole` makes. Default:
    /// `check` alone.
    ///
    /// # Errors
    ///
    /// When the states or the decisions differ.
    fn check_decided(&self, whole: &DecisionTask, decided: &Decisions) -> Result<(), DecideError> {
        let _ = decided;
        self.check(whole)
    }

    /// The workflow types this decider serves, which a [`Worker`](crate::Worker) registers at start when
    /// they are not registered yet. Default: none (a closure decider can serve any type).
    fn served_types(&self) -> Vec<ServedType> {
        Vec::new()
    }
}

impl<F> Decider for F
where
    F: Fn(&DecisionTask) -> Result<Decisions, DecideError>,
{
    fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError> {
        self(task)
    }
}

impl<W: Workflow> Decider for WorkflowDecider<W> {
    fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError> {
        WorkflowDecider::decide(self, task)
    }

    fn is_sticky(&self) -> bool {
        WorkflowDecider::is_sticky(self)
    }

    fn wants_check(&self) -> bool {
        self.is_checked()
    }

    fn check(&self, whole: &DecisionTask) -> Result<(), DecideError> {
        self.check_cached(whole)
    }

    fn check_decided(&self, whole: &DecisionTask, decided: &Decisions) -> Result<(), DecideError> {
        self.check_cached(whole)?;
        self.check_decisions(whole, decided)
    }

    fn served_types(&self) -> Vec<ServedType> {
        vec![ServedType::of::<W>()]
    }
}
