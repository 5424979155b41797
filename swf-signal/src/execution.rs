//! The vocabulary the sender and the decider share: which execution, and SWF's limits on
//! what is sent to it.

use std::fmt;

/// SWF's limit on `workflowId`, in characters.
pub const MAX_WORKFLOW_ID_CHARS: usize = 256;
/// SWF's limit on `runId`, in characters.
pub const MAX_RUN_ID_CHARS: usize = 64;
/// SWF's limit on a signal `input`, in characters (not bytes).
pub const MAX_INPUT_CHARS: usize = 32_768;
/// SWF's limit on `signalName`, in characters.
pub const MAX_SIGNAL_NAME_CHARS: usize = 256;

/// A workflow execution to signal: a workflow id, and optionally one run of it.
///
/// Without a run id SWF delivers the signal to the execution of that id that is open now.
/// A `&str` or `String` converts into the current open run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Execution {
    workflow_id: String,
    run_id: Option<String>,
}

impl Execution {
    /// One specific run of a workflow.
    pub fn new(workflow_id: impl Into<String>, run_id: impl Into<String>) -> Self {
        Execution {
            workflow_id: workflow_id.into(),
            run_id: Some(run_id.into()),
        }
    }

    /// The execution with this workflow id that is open now.
    pub fn current(workflow_id: impl Into<String>) -> Self {
        Execution {
            workflow_id: workflow_id.into(),
            run_id: None,
        }
    }

    /// The workflow id.
    pub fn workflow_id(&self) -> &str {
        &self.workflow_id
    }

    /// The run id, when one run is addressed.
    pub fn run_id(&self) -> Option<&str> {
        self.run_id.as_deref()
    }
}

impl From<&str> for Execution {
    fn from(workflow_id: &str) -> Self {
        Execution::current(workflow_id)
    }
}

impl From<String> for Execution {
    fn from(workflow_id: String) -> Self {
        Execution::current(workflow_id)
    }
}

impl From<&String> for Execution {
    fn from(workflow_id: &String) -> Self {
        Execution::current(workflow_id.as_str())
    }
}

impl From<&Execution> for Execution {
    fn from(execution: &Execution) -> Self {
        execution.clone()
    }
}

impl fmt::Display for Execution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "workflow `{}`", self.workflow_id)?;
        if let Some(run) = &self.run_id {
            write!(f, " (run `{run}`)")?;
        }
        Ok(())
    }
}

/// What is wrong with a target execution's ids, if anything; shared by the sender and
/// the signal-external decision.
pub(crate) fn execution_problem(execution: &Execution) -> Option<String> {
    let wf = execution.workflow_id.chars().count();
    if wf == 0 {
        return Some(format!(
            "the workflow id is empty; SWF workflow ids are 1 to {MAX_WORKFLOW_ID_CHARS} characters"
        ));
    }
    if wf > MAX_WORKFLOW_ID_CHARS {
        return Some(format!(
            "the workflow id is {wf} characters, over SWF's limit of {MAX_WORKFLOW_ID_CHARS}"
        ));
    }
    if let Some(run) = &execution.run_id {
        let run = run.chars().count();
        if run == 0 {
            return Some(
                "the run id is empty; use Execution::current(workflow_id) to address the open run"
                    .to_owned(),
            );
        }
        if run > MAX_RUN_ID_CHARS {
            return Some(format!(
                "the run id is {run} characters, over SWF's limit of {MAX_RUN_ID_CHARS}"
            ));
        }
    }
    None
}
