"""Visibility calls as SWF answers them (moto 5.2.5 ignores executionFilter and typeFilter,
drops list items while iterating them under tagFilter and closeStatusFilter, has no
paging, and counts pending decision tasks by open ones on the original list).

- API_ListOpenWorkflowExecutions.html / API_ListClosedWorkflowExecutions.html:
  `startTimeFilter` (required for open; closed takes it or `closeTimeFilter`, exactly
  one) with `oldestDate` and optional `latestDate`; `executionFilter` (workflowId),
  `typeFilter` (name, optional version), `tagFilter` (tag) and, for closed,
  `closeStatusFilter` (status) are mutually exclusive; results newest first by start
  (or close) time, `reverseOrder` oldest first; `maximumPageSize` at most 1000
  (1000 when omitted), `nextPageToken` for the next page.
- API_CountPendingDecisionTasks.html / API_CountPendingActivityTasks.html: the tasks
  scheduled on the list and not yet started (an override list's included).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from moto.swf.exceptions import SWFValidationException
from moto.swf.responses import SWFResponse

from . import models

MUTUALLY_EXCLUSIVE = ("executionFilter", "typeFilter", "tagFilter", "closeStatusFilter")


def _signature(params: dict[str, Any]) -> str:
    """What a page token is bound to: the same query, any page."""
    query = {k: v for k, v in params.items() if k not in ("nextPageToken", "maximumPageSize")}
    return hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]


def _token(signature: str, position: tuple[float, str]) -> str:
    data = {"q": signature, "t": position[0], "r": position[1]}
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


def _after(token: str, signature: str) -> tuple[float, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        got, position = str(data["q"]), (float(data["t"]), str(data["r"]))
    except Exception as e:  # any malformed token is the caller's error
        raise SWFValidationException(f"Invalid nextPageToken: {e}") from None
    if got != signature:
        raise SWFValidationException("nextPageToken belongs to another request")
    return position


def _time_filter(params: dict[str, Any], closed: bool) -> tuple[str, dict[str, Any]]:
    start = params.get("startTimeFilter")
    close = params.get("closeTimeFilter") if closed else None
    if closed and (start is None) == (close is None):
        raise SWFValidationException(
            "exactly one of startTimeFilter and closeTimeFilter must be specified"
        )
    if not closed and start is None:
        raise SWFValidationException("startTimeFilter is required")
    window = start if start is not None else close
    if not isinstance(window, dict) or "oldestDate" not in window:
        raise SWFValidationException("the time filter needs an oldestDate")
    return ("start_timestamp" if start is not None else "close_timestamp"), window


def _matches(wfe: Any, params: dict[str, Any], field: str, window: dict[str, Any]) -> bool:
    stamp = getattr(wfe, field) or 0
    if stamp < float(window["oldestDate"]):
        return False
    if "latestDate" in window and stamp > float(window["latestDate"]):
        return False
    execution = params.get("executionFilter")
    if execution and wfe.workflow_id != execution.get("workflowId"):
        return False
    wf_type = params.get("typeFilter")
    if wf_type:
        if wfe.workflow_type.name != wf_type.get("name"):
            return False
        if wf_type.get("version") and wfe.workflow_type.version != wf_type["version"]:
            return False
    tag = params.get("tagFilter")
    if tag and tag.get("tag") not in (wfe.tag_list or []):
        return False
    status = params.get("closeStatusFilter")
    if status and wfe.close_status != status.get("status"):
        return False
    return True


def _found(self: SWFResponse, closed: bool) -> tuple[list[Any], str]:
    """The open (or closed) executions the request's filters select, and the time field
    its time filter is on."""
    params = self._params
    domain = self.swf_backend._get_domain(params["domain"])
    present = [k for k in MUTUALLY_EXCLUSIVE if params.get(k)]
    if len(present) > 1:
        raise SWFValidationException(
            f"{' and '.join(present)} are mutually exclusive: give at most one"
        )
    field, window = _time_filter(params, closed)
    models.sweep_timeouts(self.swf_backend)
    wanted = "CLOSED" if closed else "OPEN"
    found = [
        w
        for w in domain.workflow_executions
        if w.execution_status == wanted and _matches(w, params, field, window)
    ]
    return found, field


def _count(self: SWFResponse, closed: bool) -> str:
    # API_CountOpenWorkflowExecutions.html / API_CountClosedWorkflowExecutions.html: the
    # same filters as the List calls (moto has neither: an HTTP 500). Every execution is
    # counted here, so `truncated` is false.
    found, _ = _found(self, closed)
    return json.dumps({"count": len(found), "truncated": False})


def count_open_workflow_executions(self: SWFResponse) -> str:
    return _count(self, closed=False)


def count_closed_workflow_executions(self: SWFResponse) -> str:
    return _count(self, closed=True)


def _list(self: SWFResponse, closed: bool) -> str:
    params = self._params
    size = models.page_size(params.get("maximumPageSize"))
    found, field = _found(self, closed)
    # Newest first; the run id orders executions started in the same instant.
    oldest_first = bool(params.get("reverseOrder"))
    found.sort(key=lambda w: (getattr(w, field) or 0, w.run_id), reverse=not oldest_first)
    signature = _signature(params)
    if params.get("nextPageToken"):
        # The token holds the position of the last execution returned, not an offset:
        # executions started or closed meanwhile neither repeat nor shift the page.
        last = _after(params["nextPageToken"], signature)
        key = lambda w: (getattr(w, field) or 0, w.run_id)  # noqa: E731
        found = [w for w in found if (key(w) > last if oldest_first else key(w) < last)]
    page = found[:size]
    body: dict[str, Any] = {"executionInfos": [w.to_list_dict() for w in page]}
    if len(found) > size:
        tail = page[-1]
        body["nextPageToken"] = _token(signature, (getattr(tail, field) or 0, tail.run_id))
    return json.dumps(body)


def list_open_workflow_executions(self: SWFResponse) -> str:
    return _list(self, closed=False)


def list_closed_workflow_executions(self: SWFResponse) -> str:
    return _list(self, closed=True)


def _pending(queues: dict[str, list[Any]], task_list: str) -> int:
    return sum(
        1
        for t in queues.get(task_list, [])
        if t.state == "SCHEDULED" and t.workflow_execution.open
    )


def count_pending_decision_tasks(self: SWFResponse) -> str:
    params = self._params
    domain = self.swf_backend._get_domain(params["domain"])
    models.sweep_timeouts(self.swf_backend)
    count = _pending(domain.decision_task_lists, params["taskList"]["name"])
    return json.dumps({"count": count, "truncated": False})


def count_pending_activity_tasks(self: SWFResponse) -> str:
    params = self._params
    domain = self.swf_backend._get_domain(params["domain"])
    models.sweep_timeouts(self.swf_backend)
    count = _pending(domain.activity_task_lists, params["taskList"]["name"])
    return json.dumps({"count": count, "truncated": False})


REPLACED = {
    "count_open_workflow_executions": count_open_workflow_executions,
    "count_closed_workflow_executions": count_closed_workflow_executions,
    "list_open_workflow_executions": list_open_workflow_executions,
    "list_closed_workflow_executions": list_closed_workflow_executions,
    "count_pending_decision_tasks": count_pending_decision_tasks,
    "count_pending_activity_tasks": count_pending_activity_tasks,
}
