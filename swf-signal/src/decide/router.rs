//! One worker, many workflow types: decision tasks routed by type and version.

use std::fmt;
use std::sync::Arc;

use super::decider::Decider;
use super::decisions::Decisions;
use super::task::DecisionTask;
use super::workflow::DecideError;
use crate::registration::ServedType;

/// Routes each decision task to the decider of its workflow type and version.
///
/// SWF routes decision tasks by task list, not by type: one list commonly carries several
/// workflow types, and two versions of one type during a rolling deploy. A
/// [`WorkflowDecider<W>`](crate::WorkflowDecider) refuses every task that is not of
/// (`W::NAME`, `W::VERSION`); `Workflows` puts several behind one [`Worker`](crate::Worker).
/// A task of a type it does not know gets no decision at all
/// ([`UnroutedTask`]: the worker logs it with its type and counts it in
/// [`WorkerStats::unrouted_tasks`](crate::WorkerStats::unrouted_tasks)), so SWF times it out
/// and offers it again, perhaps to a worker that knows it.
///
/// ```
/// use swf_signal::testing::TaskBuilder;
/// use swf_signal::{DecideError, DecisionContext, Decider, Decisions, Signal, Workflow, WorkflowDecider, Workflows};
///
/// #[derive(Signal)] enum PaySignal { Paid }
/// struct Payment { paid: bool }
/// impl PaySignalHandler for Payment { type Output = (); fn paid(&mut self) { self.paid = true; } }
/// impl Workflow for Payment {
///     const NAME: &'static str = "payment";
///     const VERSION: &'static str = "2";
///     type Signal = PaySignal;
///     type Input = ();
///     fn start((): ()) -> Self { Payment { paid: false } }
///     fn decide(&mut self, _: &DecisionContext<'_, Self>, d: &mut Decisions) -> Result<(), DecideError> {
///         if self.paid { d.complete(None)?; }
///         Ok(())
///     }
/// }
///
/// let deciders = Workflows::new().add(WorkflowDecider::<Payment>::new());
/// let mut history = TaskBuilder::for_workflow::<Payment>("pay-1");
/// history.signal(&PaySignal::Paid);
/// assert!(deciders.decide(&history.build())?.closes_workflow());
///
/// // Version 1 of the type is not served here: no decision, an error naming the type.
/// let old = TaskBuilder::new("pay-0").workflow_type("payment", "1").build();
/// let err = deciders.decide(&old).unwrap_err();
/// assert!(err.to_string().contains("`payment` version `1`"), "{err}");
/// # Ok::<(), DecideError>(())
/// ```
#[derive(Clone, Default)]
pub struct Workflows {
    routes: Vec<Route>,
}

#[derive(Clone)]
struct Route {
    served: ServedType,
    decider: Arc<dyn Decider + Send + Sync>,
}

/// A task of a workflow type no decider in a [`Workflows`] serves; no decision is made.
#[derive(Debug, thiserror::Error)]
#[error("workflow `{workflow_id}` is of type `{name}` version `{version}`, which this worker does not serve (it serves {served}); no decision made, the task will time out and be offered again (add a decider for the type, or poll another task list)")]
#[non_exhaustive]
pub struct UnroutedTask {
    /// The workflow id.
    pub workflow_id: String,
    /// The task's type name (empty when the task has none).
    pub name: String,
    /// The task's type version.
    pub version: String,
    /// The served types, as `name@version`, comma-separated.
    pub served: String,
}

impl fmt::Debug for Workflows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.routes
                    .iter()
                    .map(|r| format!("{}@{}", r.served.name, r.served.version)),
            )
            .finish()
    }
}

impl Workflows {
    /// No types yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves the types `decider` serves ([`Decider::served_types`]; one for a
    /// [`WorkflowDecider`](crate::WorkflowDecider)). A type added again replaces the
    /// earlier decider. A decider that names no type (a closure) is never routed to.
    #[must_use]
    // The contract's name (DESIGN.md): a builder step, not arithmetic.
    #[allow(clippy::should_implement_trait)]
    pub fn add<D>(mut self, decider: D) -> Self
    where
        D: Decider + Send + Sync + 'static,
    {
        let decider: Arc<dyn Decider + Send + Sync> = Arc::new(decider);
        for served in decider.served_types() {
            self.routes
                .retain(|r| (r.served.name, r.served.version) != (served.name, served.version));
            self.routes.push(Route {
                served,
                decider: Arc::clone(&decider),
            });
        }
        self
    }

    fn route(&self, task: &DecisionTask) -> Result<&Route, UnroutedTask> {
        let (name, version) = task
            .workflow_type()
            .map_or(("", ""), |t| (t.name(), t.version()));
        self.routes
            .iter()
            .find(|r| r.served.name == name && r.served.version == version)
            .ok_or_else(|| UnroutedTask {
                workflow_id: task.workflow_id().to_owned(),
                name: name.to_owned(),
                version: version.to_owned(),
                served: self
                    .routes
                    .iter()
                    .map(|r| format!("{}@{}", r.served.name, r.served.version))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl Decider for Workflows {
    fn decide(&self, task: &DecisionTask) -> Result<Decisions, DecideError> {
        self.route(task)?.decider.decide(task)
    }

    fn is_sticky(&self) -> bool {
        self.routes.iter().any(|r| r.decider.is_sticky())
    }

    fn is_sticky_for(&self, task: &DecisionTask) -> bool {
        self.route(task)
            .is_ok_and(|r| r.decider.is_sticky_for(task))
    }

    fn wants_check(&self) -> bool {
        self.routes.iter().any(|r| r.decider.wants_check())
    }

    fn check(&self, whole: &DecisionTask) -> Result<(), DecideError> {
        match self.route(whole) {
            Ok(r) => r.decider.check(whole),
            Err(_) => Ok(()),
        }
    }

    fn check_decided(&self, whole: &DecisionTask, decided: &Decisions) -> Result<(), DecideError> {
        match self.route(whole) {
            Ok(r) => r.decider.check_decided(whole, decided),
            Err(_) => Ok(()),
        }
    }

    fn served_types(&self) -> Vec<ServedType> {
        self.routes.iter().map(|r| r.served.clone()).collect()
    }
}
