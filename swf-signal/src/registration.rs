//! Registering a domain and the workflow types a worker serves.
//!
//! SWF refuses to start an execution whose domain or type is not registered, and a type
//! registered without defaults makes every `StartWorkflowExecution` spell out its task
//! list, timeouts and child policy (`DefaultUndefinedFault`). The AWS Flow Framework's
//! worker registers the types it serves at start; [`Worker`](crate::Worker) does the
//! same, and [`WorkflowClient`](crate::WorkflowClient) can do it explicitly.

use std::time::Duration;

use aws_sdk_swf::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_swf::types::{ChildPolicy, TaskList};

use crate::error::error_chain;

/// A workflow type's registered defaults, from [`Workflow::registration`](crate::Workflow::registration).
///
/// The defaults apply to every execution started without its own value. They follow the
/// AWS Flow Framework's (`@WorkflowRegistrationOptions`): a 30 s decision task timeout and
/// the `TERMINATE` child policy; the execution timeout defaults to 30 days (SWF's limit is
/// one year).
///
/// ```
/// use std::time::Duration;
/// use swf_signal::Registration;
///
/// let registration = Registration::default()
///     .execution_timeout(Duration::from_secs(7 * 86_400))
///     .task_timeout(Some(Duration::from_secs(10)));
/// assert_eq!(registration.task_list_name(), None); // the worker's task list
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    task_list: Option<String>,
    execution_timeout: Duration,
    task_timeout: Option<Duration>,
    child_policy: ChildPolicy,
    description: Option<String>,
}

impl Default for Registration {
    fn default() -> Self {
        Registration {
            task_list: None,
            execution_timeout: Duration::from_hours(30 * 24),
            task_timeout: Some(Duration::from_secs(30)),
            child_policy: ChildPolicy::Terminate,
            description: None,
        }
    }
}

impl Registration {
    /// The default decision task list. Unset (the default), the worker that registers the
    /// type uses its own, which is what decides where executions started without a task
    /// list go: a worker polling another list never sees them.
    #[must_use]
    pub fn task_list(mut self, name: impl Into<String>) -> Self {
        self.task_list = Some(name.into());
        self
    }

    /// The default execution start-to-close timeout (whole seconds, at least 1).
    #[must_use]
    pub fn execution_timeout(mut self, timeout: Duration) -> Self {
        self.execution_timeout = timeout;
        self
    }

    /// The default decision task start-to-close timeout; `None` is SWF's `NONE` (a task a
    /// worker takes and never answers is never offered again: the execution is wedged).
    #[must_use]
    pub fn task_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.task_timeout = timeout;
        self
    }

    /// The default child policy (default `TERMINATE`).
    #[must_use]
    pub fn child_policy(mut self, policy: ChildPolicy) -> Self {
        self.child_policy = policy;
        self
    }

    /// A description of the type (at most 1,024 characters).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The default task list, if set.
    pub fn task_list_name(&self) -> Option<&str> {
        self.task_list.as_deref()
    }

    /// The default execution timeout.
    pub fn execution_timeout_value(&self) -> Duration {
        self.execution_timeout
    }

    /// The default decision task timeout (`None`: `NONE`).
    pub fn task_timeout_value(&self) -> Option<Duration> {
        self.task_timeout
    }
}

/// One workflow type a decider serves, with its defaults ([`Decider::served_types`](crate::Decider::served_types)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServedType {
    /// The type's name.
    pub name: &'static str,
    /// The type's version.
    pub version: &'static str,
    /// Its defaults.
    pub registration: Registration,
}

/// What a registration call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Registered {
    /// This call registered it.
    Created,
    /// It was registered already (its registered defaults were left as they are: SWF
    /// cannot change them; register a new version to change them).
    AlreadyRegistered,
}

/// Why a domain or a workflow type was not registered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The domain does not exist.
    #[error("cannot register workflow type `{name}` version `{version}`: domain `{domain}` is not registered; register it first with WorkflowClient::register_domain (RegisterDomain)")]
    UnknownDomain {
        /// The domain.
        domain: String,
        /// The type's name.
        name: String,
        /// The type's version.
        version: String,
    },
    /// The caller may not register it (IAM).
    #[error("cannot register {what}: not permitted (check the IAM policy for swf:RegisterDomain / swf:RegisterWorkflowType); SWF said: {message}")]
    NotPermitted {
        /// What was being registered.
        what: String,
        /// SWF's message.
        message: String,
    },
    /// The account's limit on registered domains or types is reached.
    #[error("cannot register {what}: the account's limit is reached (deprecate unused ones); SWF said: {message}")]
    LimitExceeded {
        /// What was being registered.
        what: String,
        /// SWF's message.
        message: String,
    },
    /// A value breaks one of SWF's limits.
    #[error("cannot register {what}: {reason}")]
    Invalid {
        /// What was being registered.
        what: String,
        /// What is wrong.
        reason: String,
    },
    /// Anything else from the SDK.
    #[error("cannot register {what}: {}", error_chain(source.as_ref()))]
    Sdk {
        /// What was being registered.
        what: String,
        /// The SDK's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Whole seconds as SWF spells a duration, at least 1.
fn seconds(d: Duration) -> String {
    d.as_secs().max(1).to_string()
}

/// `RegisterDomain`, idempotent.
pub(crate) async fn register_domain(
    client: &aws_sdk_swf::Client,
    domain: &str,
    retention_days: u32,
) -> Result<Registered, RegisterError> {
    use aws_sdk_swf::operation::register_domain::RegisterDomainError as E;
    let what = format!("domain `{domain}`");
    // RegisterDomain: "workflowExecutionRetentionPeriodInDays … The maximum is 90 days."
    if !(0..=90).contains(&retention_days) {
        return Err(RegisterError::Invalid {
            what,
            reason: format!(
                "a retention of {retention_days} days is over SWF's maximum of 90 days"
            ),
        });
    }
    if domain.is_empty() || domain.chars().count() > 256 {
        return Err(RegisterError::Invalid {
            what,
            reason: "a domain name is 1 to 256 characters".to_owned(),
        });
    }
    let out = client
        .register_domain()
        .name(domain)
        .workflow_execution_retention_period_in_days(retention_days.to_string())
        .send()
        .await;
    match out {
        Ok(_) => Ok(Registered::Created),
        Err(err)
            if err
                .as_service_error()
                .is_some_and(E::is_domain_already_exists_fault) =>
        {
            Ok(Registered::AlreadyRegistered)
        }
        Err(err) => Err(refused(what, err)),
    }
}

/// A registration SWF refused, by the fault both calls share.
fn refused<E>(what: String, err: SdkError<E>) -> RegisterError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let message = err.message().unwrap_or_default().to_owned();
    match err.code() {
        Some("OperationNotPermittedFault") => RegisterError::NotPermitted { what, message },
        Some("LimitExceededFault") => RegisterError::LimitExceeded { what, message },
        _ => RegisterError::Sdk {
            what,
            source: Box::new(err),
        },
    }
}

/// `RegisterWorkflowType` with `served`'s defaults, `task_list` standing in for an unset
/// default task list; idempotent.
pub(crate) async fn register_type(
    client: &aws_sdk_swf::Client,
    domain: &str,
    served: &ServedType,
    task_list: Option<&str>,
) -> Result<Registered, RegisterError> {
    use aws_sdk_swf::operation::register_workflow_type::RegisterWorkflowTypeError as E;
    let r = &served.registration;
    let what = format!(
        "workflow type `{}` version `{}` in domain `{domain}`",
        served.name, served.version
    );
    let invalid = |reason: String| RegisterError::Invalid {
        what: what.clone(),
        reason,
    };
    // RegisterWorkflowType: defaultExecutionStartToCloseTimeout "The value must be
    // specified in seconds" and may not exceed one year; the task list 1–256 characters.
    if r.execution_timeout > Duration::from_hours(365 * 24) {
        return Err(invalid(format!(
            "its execution timeout of {} s is over SWF's maximum of one year",
            r.execution_timeout.as_secs()
        )));
    }
    let list = r.task_list.as_deref().or(task_list);
    let list = match list {
        Some(name) => Some(
            TaskList::builder()
                .name(name)
                .build()
                .map_err(|e| invalid(e.to_string()))?,
        ),
        None => None,
    };
    let out = client
        .register_workflow_type()
        .domain(domain)
        .name(served.name)
        .version(served.version)
        .set_description(r.description.clone())
        .set_default_task_list(list)
        .default_execution_start_to_close_timeout(seconds(r.execution_timeout))
        .default_task_start_to_close_timeout(r.task_timeout.map_or("NONE".to_owned(), seconds))
        .default_child_policy(r.child_policy.clone())
        .send()
        .await;
    match out {
        Ok(_) => Ok(Registered::Created),
        Err(err) => match err.as_service_error() {
            Some(E::TypeAlreadyExistsFault(_)) => Ok(Registered::AlreadyRegistered),
            // The only resource RegisterWorkflowType names is the domain.
            Some(E::UnknownResourceFault(_)) => Err(RegisterError::UnknownDomain {
                domain: domain.to_owned(),
                name: served.name.to_owned(),
                version: served.version.to_owned(),
            }),
            _ => Err(refused(what, err)),
        },
    }
}
