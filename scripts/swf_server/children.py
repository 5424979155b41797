"""Child workflow executions as SWF records them (moto 5.2.5 answers a
StartChildWorkflowExecution decision with HTTP 500 after writing DecisionTaskCompleted,
which wedges the parent).

- API_StartChildWorkflowExecutionDecisionAttributes.html: the child is an execution of its
  own, started with the child's registered defaults for whatever the decision leaves
  unset. A type that does not exist or is deprecated, or a default SWF needs and the type
  lacks, fails the decision with `StartChildWorkflowExecutionFailed` and
  `initiatedEventId` 0, because no initiated event exists
  (API_StartChildWorkflowExecutionFailedEventAttributes.html).
- Otherwise the parent records `StartChildWorkflowExecutionInitiated`; an open execution
  with the same workflow id in the domain fails it with `WORKFLOW_ALREADY_RUNNING`
  (`initiatedEventId` names the initiated event). Else the child starts with
  `parentWorkflowExecution` and `parentInitiatedEventId` in its
  `WorkflowExecutionStarted` (API_WorkflowExecutionStartedEventAttributes.html), and the
  parent records `ChildWorkflowExecutionStarted`, which gives it a decision task.
- When the child closes, the parent (if open) records
  `ChildWorkflowExecution{Completed,Failed,Canceled,TimedOut,Terminated}` with the
  child's execution, type, `initiatedEventId` and `startedEventId`, and gets a decision
  task (API_ChildWorkflowExecution*EventAttributes.html). A child that continues as new
  stays the parent's child: its new run carries the link, and the parent hears when the
  last run closes.
- When the parent is terminated or times out -- and only then: the childPolicy "to use for
  the child workflow executions of this workflow execution if it is terminated, by calling
  the TerminateWorkflowExecution action explicitly or due to an expired timeout"
  (API_StartWorkflowExecution.html) -- the policy its closing event records is applied to
  its open children: TERMINATE terminates them (cause `CHILD_POLICY_APPLIED`,
  API_WorkflowExecutionTerminatedEventAttributes.html), REQUEST_CANCEL records
  `WorkflowExecutionCancelRequested` with that cause in each
  (API_WorkflowExecutionCancelRequestedEventAttributes.html), ABANDON leaves them. A
  parent that completes, fails or is canceled leaves its children running.
"""

from __future__ import annotations

from typing import Any

from moto.swf.models.workflow_execution import WorkflowExecution

from . import cancellation

EVENT_TYPES = (
    "StartChildWorkflowExecutionInitiated",
    "StartChildWorkflowExecutionFailed",
    "ChildWorkflowExecutionStarted",
    "ChildWorkflowExecutionCompleted",
    "ChildWorkflowExecutionFailed",
    "ChildWorkflowExecutionCanceled",
    "ChildWorkflowExecutionTimedOut",
    "ChildWorkflowExecutionTerminated",
)

# The event that closes a run -> the event its parent records, and the attributes copied.
CLOSE_TO_PARENT = {
    "WorkflowExecutionCompleted": ("ChildWorkflowExecutionCompleted", ("result",)),
    "WorkflowExecutionFailed": ("ChildWorkflowExecutionFailed", ("reason", "details")),
    "WorkflowExecutionCanceled": ("ChildWorkflowExecutionCanceled", ("details",)),
    "WorkflowExecutionTimedOut": ("ChildWorkflowExecutionTimedOut", ("timeoutType",)),
    "WorkflowExecutionTerminated": ("ChildWorkflowExecutionTerminated", ()),
}


def _link(wfe: WorkflowExecution) -> dict[str, Any] | None:
    return wfe.__dict__.get("_swf_parent")


def _children(wfe: WorkflowExecution) -> list[WorkflowExecution]:
    return wfe.__dict__.setdefault("_swf_children", [])


def _failed(parent: WorkflowExecution, completed_id: int, attrs: dict[str, Any], cause: str,
            initiated: int = 0) -> None:
    evt = parent._add_event(
        "StartChildWorkflowExecutionFailed",
        workflow_type=_TypeRef(attrs.get("workflowType") or {}),
        cause=cause,
        workflow_id=attrs.get("workflowId"),
        decision_task_completed_event_id=completed_id,
        control=attrs.get("control"),
    )
    # moto drops falsy attributes; SWF sends initiatedEventId 0 when nothing was initiated.
    evt.event_attributes["initiatedEventId"] = initiated
    parent.should_schedule_decision_next = True


class _TypeRef:
    """A workflow type as moto's HistoryEvent renders it (name and version)."""

    def __init__(self, t: dict[str, Any]):
        self.name = t.get("name")
        self.version = t.get("version")


def start_child(parent: WorkflowExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    wt = attrs.get("workflowType") or {}
    try:
        wf_type = parent.domain.get_type("workflow", wt.get("name"), wt.get("version"))
    except Exception:  # moto's UnknownResourceFault
        _failed(parent, completed_id, attrs, "WORKFLOW_TYPE_DOES_NOT_EXIST")
        return
    if wf_type.status == "DEPRECATED":
        _failed(parent, completed_id, attrs, "WORKFLOW_TYPE_DEPRECATED")
        return
    task_list = (attrs.get("taskList") or {}).get("name") or wf_type.task_list
    execution_timeout = (
        attrs.get("executionStartToCloseTimeout") or wf_type.default_execution_start_to_close_timeout
    )
    task_timeout = (
        attrs.get("taskStartToCloseTimeout") or wf_type.default_task_start_to_close_timeout
    )
    child_policy = attrs.get("childPolicy") or wf_type.default_child_policy
    for value, cause in (
        (execution_timeout, "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED"),
        (task_list, "DEFAULT_TASK_LIST_UNDEFINED"),
        (task_timeout, "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED"),
        (child_policy, "DEFAULT_CHILD_POLICY_UNDEFINED"),
    ):
        if not value:
            _failed(parent, completed_id, attrs, cause)
            return
    initiated = parent._add_event(
        "StartChildWorkflowExecutionInitiated",
        workflow_id=attrs.get("workflowId"),
        workflow_type=wf_type,
        control=attrs.get("control"),
        input=attrs.get("input"),
        execution_start_to_close_timeout=execution_timeout,
        task_list=task_list,
        decision_task_completed_event_id=completed_id,
        child_policy=child_policy,
        task_start_to_close_timeout=task_timeout,
        tag_list=attrs.get("tagList"),
    ).event_id
    if cancellation.open_execution(parent.domain, attrs.get("workflowId"), None) is not None:
        _failed(parent, completed_id, attrs, "WORKFLOW_ALREADY_RUNNING", initiated)
        return
    child = WorkflowExecution(
        parent.domain,
        wf_type,
        attrs.get("workflowId"),
        task_list=task_list,
        child_policy=child_policy,
        execution_start_to_close_timeout=execution_timeout,
        task_start_to_close_timeout=task_timeout,
        tag_list=attrs.get("tagList"),
        workflow_input=attrs.get("input"),
    )
    child.parent = parent.to_short_dict()
    parent.domain.add_workflow_execution(child)
    child.start()
    started_attrs = child._events[0].event_attributes
    started_attrs["parentWorkflowExecution"] = parent.to_short_dict()
    started_attrs["parentInitiatedEventId"] = initiated
    started = parent._add_event(
        "ChildWorkflowExecutionStarted",
        workflow_execution=child.to_short_dict(),
        workflow_type=wf_type,
        initiated_event_id=initiated,
    ).event_id
    child.__dict__["_swf_parent"] = {"parent": parent, "initiated": initiated, "started": started}
    _children(parent).append(child)
    parent.open_counts["openChildWorkflowExecutions"] += 1
    parent.should_schedule_decision_next = True


def continued(old: WorkflowExecution, new: WorkflowExecution) -> None:
    """A child that continues as new stays its parent's child (the new run has the link)."""
    link = _link(old)
    if link is None:
        return
    new.__dict__["_swf_parent"] = link
    new.parent = old.parent
    siblings = _children(link["parent"])
    if old in siblings:
        siblings.remove(old)
    siblings.append(new)
    new._events[0].event_attributes["parentWorkflowExecution"] = link["parent"].to_short_dict()
    new._events[0].event_attributes["parentInitiatedEventId"] = link["initiated"]


def on_event(wfe: WorkflowExecution, event: Any) -> None:
    """Called for every event recorded: a closing one tells the parent; a terminated or
    timed-out run's child policy is applied to its open children."""
    kind = event.event_type
    if kind not in CLOSE_TO_PARENT and kind != "WorkflowExecutionContinuedAsNew":
        return
    link = _link(wfe)
    if link is not None and kind in CLOSE_TO_PARENT:
        parent = link["parent"]
        siblings = _children(parent)
        if wfe in siblings:
            siblings.remove(wfe)
            parent.open_counts["openChildWorkflowExecutions"] -= 1
        if parent.open:
            child_event, copied = CLOSE_TO_PARENT[kind]
            extra = {
                _snake(k): event.event_attributes[k]
                for k in copied
                if k in event.event_attributes
            }
            parent._add_event(
                child_event,
                workflow_execution=wfe.to_short_dict(),
                workflow_type=wfe.workflow_type,
                initiated_event_id=link["initiated"],
                started_event_id=link["started"],
                **extra,
            )
            parent.schedule_decision_task()
    if kind not in ("WorkflowExecutionTerminated", "WorkflowExecutionTimedOut"):
        return
    # moto marks a terminated run closed only after recording the event: closed now, so a
    # child's outcome is not written after the parent's last event.
    wfe.execution_status = "CLOSED"
    policy = event.event_attributes.get("childPolicy") or wfe.child_policy
    for child in list(_children(wfe)):
        if not child.open:
            continue
        if policy == "TERMINATE":
            _terminate_child(child)
        elif policy == "REQUEST_CANCEL":
            cancellation.request_cancel(child, cause="CHILD_POLICY_APPLIED")


def _terminate_child(child: WorkflowExecution) -> None:
    child.terminate(reason="child policy applied: the parent closed")
    child.close_cause = "CHILD_POLICY_APPLIED"
    for evt in reversed(child._events):
        if evt.event_type == "WorkflowExecutionTerminated":
            evt.event_attributes["cause"] = "CHILD_POLICY_APPLIED"
            break


def _snake(camel: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in camel)
