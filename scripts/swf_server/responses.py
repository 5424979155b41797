"""The responses layer: parse the parameters the added behaviour needs, render pages.

Every action runs under models.STATE, after the throttle and the length checks.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable

from moto.swf.responses import SWFResponse

from . import activities, cancellation, faults, models, throttle, validation, visibility

_THROTTLE: throttle.Throttle | None = None
_FAULTS: faults.Faults | None = None


def _guard(api: str, action: Callable[[SWFResponse], str]) -> Callable[[SWFResponse], str]:
    @functools.wraps(action)
    def run(self: SWFResponse) -> str:
        if _THROTTLE is not None:
            _THROTTLE.check(api)
        fault, delay = _FAULTS.draw(api) if _FAULTS is not None else (None, 0.0)
        if fault == "fail":
            raise faults.InternalFailure(api, fault)
        if fault == "delay":
            faults.hold(delay)  # outside STATE: other calls go on meanwhile
        validation.check(api, self._params)
        with models.STATE:
            try:
                answer = action(self)
            finally:
                models.STATE.notify_all()
        if fault == "lose":
            raise faults.InternalFailure(api, fault)
        return answer

    return run


def _render_decision_page(
    task: Any, size: int, position: int | None, reverse: bool, start_at_previous: bool
) -> str:
    events = models.decision_task_events(task, start_at_previous)
    chunk, nxt = models.page(events, size, position, reverse)
    body: dict[str, Any] = {
        "taskToken": task.task_token,
        "workflowExecution": task.workflow_execution.to_short_dict(),
        "workflowType": task.workflow_type.to_short_dict(),
        "events": models.iter_events(chunk),
        "previousStartedEventId": task.previous_started_event_id or 0,
        "startedEventId": task.started_event_id,
    }
    if nxt is not None:
        body["nextPageToken"] = models.encode_token(task.task_token, nxt)
    return json.dumps(body)


def poll_for_decision_task(self: SWFResponse) -> str:
    params = self._params
    domain_name = params["domain"]
    task_list = params["taskList"]["name"]
    self._check_string(domain_name)
    self._check_string(task_list)
    size = models.page_size(params.get("maximumPageSize"))
    reverse = bool(params.get("reverseOrder"))
    start_at_previous = bool(params.get("startAtPreviousStartedEvent"))
    token = params.get("nextPageToken")
    if token:
        # API_PollForDecisionTask.html: a later page of the same task, fetched by
        # calling PollForDecisionTask again with nextPageToken; no new task is started.
        key, position = models.decode_token(token)
        return _render_decision_page(models.find_task(key), size, position, reverse, start_at_previous)
    task = self.swf_backend.poll_for_decision_task(
        domain_name, task_list, identity=params.get("identity")
    )
    if task is None:
        return json.dumps({"previousStartedEventId": 0, "startedEventId": 0})
    return _render_decision_page(task, size, None, reverse, start_at_previous)


def get_workflow_execution_history(self: SWFResponse) -> str:
    domain_name, run_id, workflow_id = self._get_workflow_execution_params()
    params = self._params
    size = models.page_size(params.get("maximumPageSize"))
    reverse = bool(params.get("reverseOrder"))
    wfe = self.swf_backend.describe_workflow_execution(domain_name, run_id, workflow_id)
    key = f"{workflow_id}/{run_id}"
    position = None
    if params.get("nextPageToken"):
        _, position = models.decode_token(params["nextPageToken"], key)
    chunk, nxt = models.page(models.events_of(wfe), size, position, reverse)
    body: dict[str, Any] = {"events": models.iter_events(chunk)}
    if nxt is not None:
        body["nextPageToken"] = models.encode_token(key, nxt)
    return json.dumps(body)


def respond_decision_task_completed(self: SWFResponse) -> str:
    params = self._params
    task_token = params["taskToken"]
    execution_context = params.get("executionContext")
    self._check_string(task_token)
    self._check_none_or_string(execution_context)
    task_list = (params.get("taskList") or {}).get("name")
    schedule_to_start = params.get("taskListScheduleToStartTimeout")
    self._check_none_or_string(schedule_to_start)
    self.swf_backend.respond_decision_task_completed(
        task_token,
        decisions=params.get("decisions"),
        execution_context=execution_context,
        task_list=task_list,
        schedule_to_start=schedule_to_start,
    )
    return ""


def signal_workflow_execution(self: SWFResponse) -> str:
    # API_SignalWorkflowExecution.html: `input` is optional (moto answers 500 without it).
    params = self._params
    for key in ("domain", "signalName", "workflowId"):
        self._check_string(params.get(key))
    self._check_none_or_string(params.get("input"))
    self._check_none_or_string(params.get("runId"))
    self.swf_backend.signal_workflow_execution(
        params["domain"], params["signalName"], params["workflowId"],
        params.get("input"), params.get("runId"),
    )
    return ""


REPLACED = {
    "poll_for_decision_task": poll_for_decision_task,
    "get_workflow_execution_history": get_workflow_execution_history,
    "respond_decision_task_completed": respond_decision_task_completed,
    "signal_workflow_execution": signal_workflow_execution,
}


def _api_name(method: str) -> str:
    return "".join(part.capitalize() for part in method.split("_"))


def install() -> None:
    global _THROTTLE, _FAULTS
    _THROTTLE = throttle.from_env()
    _FAULTS = faults.from_env()
    for name, fn in {
        **REPLACED, **visibility.REPLACED, **cancellation.REPLACED, **activities.REPLACED
    }.items():
        setattr(SWFResponse, name, fn)
    # Every action moto serves for SWF, ours included, goes through the guard.
    for name, fn in list(vars(SWFResponse).items()):
        if name.startswith("_") or not callable(fn) or isinstance(fn, property):
            continue
        setattr(SWFResponse, name, _guard(_api_name(name), fn))
