"""Cancellation as SWF records it (moto 5.2.5 answers RequestCancelWorkflowExecution
with HTTP 500 and has no RequestCancelExternalWorkflowExecution decision).

- API_RequestCancelWorkflowExecution.html: records `WorkflowExecutionCancelRequested` in
  the open execution (the current run without a runId), sets `cancelRequested`
  (API_WorkflowExecutionInfo.html) and schedules a decision task; an unknown or closed
  execution is `UnknownResourceFault`. The decider then decides (typically
  `CancelWorkflowExecution`).
- API_RequestCancelExternalWorkflowExecutionDecisionAttributes.html: the sender records
  `RequestCancelExternalWorkflowExecutionInitiated`; the target records
  `WorkflowExecutionCancelRequested` with `externalWorkflowExecution` and
  `externalInitiatedEventId` and gets a decision task; the sender then records
  `ExternalWorkflowExecutionCancelRequested`, or
  `RequestCancelExternalWorkflowExecutionFailed` (cause
  `UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION`) when the target is not open; either schedules a
  decision task in the sender.
"""

from __future__ import annotations

import json
from typing import Any

from moto.swf.exceptions import SWFUnknownResourceFault
from moto.swf.models.workflow_execution import WorkflowExecution
from moto.swf.responses import SWFResponse

EVENT_TYPES = (
    "WorkflowExecutionCancelRequested",
    "RequestCancelExternalWorkflowExecutionInitiated",
    "ExternalWorkflowExecutionCancelRequested",
    "RequestCancelExternalWorkflowExecutionFailed",
)


def open_execution(domain: Any, workflow_id: str, run_id: str | None) -> WorkflowExecution | None:
    """The open execution of `workflow_id` (that run, when `run_id` is given)."""
    return next(
        (
            w
            for w in domain.workflow_executions
            if w.workflow_id == workflow_id and w.open and (not run_id or w.run_id == run_id)
        ),
        None,
    )


def request_cancel(target: WorkflowExecution, **external: Any) -> None:
    target._add_event("WorkflowExecutionCancelRequested", **external)
    target.cancel_requested = True
    target.schedule_decision_task()


def request_cancel_workflow_execution(self: SWFResponse) -> str:
    params = self._params
    for key in ("domain", "workflowId"):
        self._check_string(params.get(key))
    self._check_none_or_string(params.get("runId"))
    domain = self.swf_backend._get_domain(params["domain"])
    target = open_execution(domain, params["workflowId"], params.get("runId"))
    if target is None:
        raise SWFUnknownResourceFault(
            "execution",
            f"WorkflowExecution=[workflowId={params['workflowId']}, runId={params.get('runId')}]",
        )
    request_cancel(target)
    return json.dumps({})


def request_cancel_external(sender: WorkflowExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    workflow_id, run_id = attrs.get("workflowId"), attrs.get("runId")
    initiated = sender._add_event(
        "RequestCancelExternalWorkflowExecutionInitiated",
        workflow_id=workflow_id,
        run_id=run_id,
        control=attrs.get("control"),
        decision_task_completed_event_id=completed_id,
    ).event_id
    target = open_execution(sender.domain, workflow_id, run_id)
    if target is None:
        sender._add_event(
            "RequestCancelExternalWorkflowExecutionFailed",
            workflow_id=workflow_id,
            run_id=run_id,
            cause="UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
            initiated_event_id=initiated,
            decision_task_completed_event_id=completed_id,
            control=attrs.get("control"),
        )
    else:
        request_cancel(
            target,
            external_workflow_execution=sender.to_short_dict(),
            external_initiated_event_id=initiated,
        )
        sender._add_event(
            "ExternalWorkflowExecutionCancelRequested",
            workflow_execution=target.to_short_dict(),
            initiated_event_id=initiated,
        )
    sender.should_schedule_decision_next = True


REPLACED = {"request_cancel_workflow_execution": request_cancel_workflow_execution}
