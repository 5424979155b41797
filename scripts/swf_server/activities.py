"""Activity tasks at SWF's edges (moto 5.2.5 knows only the heartbeat timeout, schedules no
decision task after a timeout, and has no activity cancellation).

- Timeouts of all four kinds (API_ActivityTaskTimedOutEventAttributes.html, timeoutType
  START_TO_CLOSE | SCHEDULE_TO_START | SCHEDULE_TO_CLOSE | HEARTBEAT;
  API_ScheduleActivityTaskDecisionAttributes.html for what each bounds): SCHEDULE_TO_START
  from scheduling while nobody has taken the task, SCHEDULE_TO_CLOSE from scheduling to
  any close, START_TO_CLOSE from the start, HEARTBEAT from the start or the last
  RecordActivityTaskHeartbeat. "NONE" disables one. The earliest one reached wins; the
  event carries the last heartbeat's details, and the decider gets a decision task.
- RequestCancelActivityTask decisions
  (API_RequestCancelActivityTaskDecisionAttributes.html): an activity id with no open
  task is `RequestCancelActivityTaskFailed`, cause ACTIVITY_ID_UNKNOWN
  (API_RequestCancelActivityTaskFailedEventAttributes.html), and a decision task.
  Otherwise `ActivityTaskCancelRequested`
  (API_ActivityTaskCancelRequestedEventAttributes.html); a task nobody has started is
  canceled at once (`ActivityTaskCanceled`, a decision task), a started one learns it
  from RecordActivityTaskHeartbeat's `cancelRequested`
  (API_RecordActivityTaskHeartbeat.html) and answers with RespondActivityTaskCanceled
  (API_RespondActivityTaskCanceled.html): `ActivityTaskCanceled` with its details and
  `latestCancelRequestedEventId` (API_ActivityTaskCanceledEventAttributes.html).
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.utils import unix_time
from moto.swf.exceptions import SWFUnknownResourceFault, SWFValidationException
from moto.swf.models import SWFBackend
from moto.swf.models.activity_task import ActivityTask
from moto.swf.models.timeout import Timeout
from moto.swf.models.workflow_execution import WorkflowExecution
from moto.swf.responses import SWFResponse

EVENT_TYPES = (
    "ActivityTaskCancelRequested",
    "ActivityTaskCanceled",
    "RequestCancelActivityTaskFailed",
)

_ORIGINAL: dict[str, Any] = {}


def _init(self: ActivityTask, *args: Any, **kwargs: Any) -> None:
    _ORIGINAL["init"](self, *args, **kwargs)
    self._swf_scheduled = unix_time()
    self._swf_started: float | None = None
    self._swf_cancel_requested: int | None = None
    # Indexed by execution and by token: moto finds an execution's tasks by scanning every
    # task of the domain, and a token by scanning every execution's, which made each
    # timeout sweep quadratic in the number of executions.
    _tasks_of(self.workflow_execution).append(self)
    TOKENS[self.task_token] = self


TOKENS: dict[str, ActivityTask] = {}


def _tasks_of(wfe: WorkflowExecution) -> list[ActivityTask]:
    """Every activity task of the execution, open or closed (moto's ACTIVITY_ID_ALREADY_IN_USE
    check reads closed ones too)."""
    return wfe.__dict__.setdefault("_swf_activity_tasks", [])


def _find_from_token(self: Any, task_token: str) -> ActivityTask:
    task = TOKENS.get(task_token)
    if task is None:
        raise SWFValidationException("Invalid token")
    wfe = task.workflow_execution
    if not wfe.open:
        raise SWFUnknownResourceFault(
            "execution", f"WorkflowExecution=[workflowId={wfe.workflow_id}, runId={wfe.run_id}]"
        )
    # A task that timed out or was canceled is as unknown as a completed one (moto raised a
    # ValueError there, an HTTP 500). API_RespondActivityTaskCompleted.html: "A task is
    # closed after it has been specified in a call to RespondActivityTaskCompleted, ...
    # or the task has timed out"; answering a closed task is UnknownResourceFault.
    if task.state != "STARTED":
        raise SWFUnknownResourceFault(f"activity, scheduledEventId = {task.scheduled_event_id}")
    return task


def _start(self: ActivityTask, started_event_id: int) -> None:
    _ORIGINAL["start"](self, started_event_id)
    self._swf_started = unix_time()
    # The heartbeat clock runs from the start, not from scheduling.
    self.last_heartbeat_timestamp = self._swf_started


def _seconds(value: Any) -> float | None:
    if value in (None, "", "NONE"):
        return None
    return float(value)


def _first_timeout(self: ActivityTask) -> Timeout | None:
    if not self.open or not self.workflow_execution.open:
        return None
    t = self.timeouts
    candidates: list[tuple[float, str]] = []
    if (s := _seconds(t.get("scheduleToCloseTimeout"))) is not None:
        candidates.append((self._swf_scheduled + s, "SCHEDULE_TO_CLOSE"))
    if self.state == "SCHEDULED":
        if (s := _seconds(t.get("scheduleToStartTimeout"))) is not None:
            candidates.append((self._swf_scheduled + s, "SCHEDULE_TO_START"))
    elif self._swf_started is not None:
        if (s := _seconds(t.get("startToCloseTimeout"))) is not None:
            candidates.append((self._swf_started + s, "START_TO_CLOSE"))
        if (s := _seconds(t.get("heartbeatTimeout"))) is not None:
            candidates.append((self.last_heartbeat_timestamp + s, "HEARTBEAT"))
    reached = [Timeout(self, at, kind) for at, kind in sorted(candidates) if at <= unix_time()]
    return reached[0] if reached else None


def _timeout_activity_task(self: WorkflowExecution, timeout: Timeout) -> None:
    task = timeout.obj
    task.timeout(timeout)
    self._add_event(
        "ActivityTaskTimedOut",
        details=task.details,
        event_timestamp=timeout.timestamp,
        scheduled_event_id=task.scheduled_event_id,
        started_event_id=task.started_event_id,
        timeout_type=task.timeout_type,
    )
    self.open_counts["openActivityTasks"] -= 1
    self.schedule_decision_task()


def _open_task(wfe: WorkflowExecution, activity_id: str) -> ActivityTask | None:
    return next((t for t in wfe.activity_tasks if t.activity_id == activity_id and t.open), None)


def _canceled(wfe: WorkflowExecution, task: ActivityTask, details: Any = None) -> None:
    wfe._add_event(
        "ActivityTaskCanceled",
        details=details,
        scheduled_event_id=task.scheduled_event_id,
        started_event_id=task.started_event_id,
        latest_cancel_requested_event_id=task._swf_cancel_requested,
    )
    task.state = "CANCELED"
    wfe.open_counts["openActivityTasks"] -= 1


def request_cancel(wfe: WorkflowExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    activity_id = attrs.get("activityId")
    task = _open_task(wfe, activity_id)
    if task is None:
        wfe._add_event(
            "RequestCancelActivityTaskFailed",
            activity_id=activity_id,
            cause="ACTIVITY_ID_UNKNOWN",
            decision_task_completed_event_id=completed_id,
        )
        wfe.should_schedule_decision_next = True
        return
    task._swf_cancel_requested = wfe._add_event(
        "ActivityTaskCancelRequested",
        activity_id=activity_id,
        decision_task_completed_event_id=completed_id,
    ).event_id
    if task.state == "SCHEDULED":
        _canceled(wfe, task)
        wfe.should_schedule_decision_next = True


def record_activity_task_heartbeat(self: SWFResponse) -> str:
    task_token = self._params["taskToken"]
    details = self._params.get("details")
    self._check_string(task_token)
    self._check_none_or_string(details)
    self.swf_backend.record_activity_task_heartbeat(task_token, details=details)
    task = self.swf_backend._find_activity_task_from_token(task_token)
    return json.dumps({"cancelRequested": task._swf_cancel_requested is not None})


def respond_activity_task_canceled(self: SWFResponse) -> str:
    task_token = self._params["taskToken"]
    details = self._params.get("details")
    self._check_string(task_token)
    self._check_none_or_string(details)
    backend = self.swf_backend
    task = backend._find_activity_task_from_token(task_token)
    if task.workflow_execution.open:
        task.workflow_execution._process_timeouts()
    if task.state != "STARTED":
        raise SWFUnknownResourceFault(f"activity task, scheduledEventId = {task.scheduled_event_id}")
    wfe = task.workflow_execution
    _canceled(wfe, task, details)
    wfe.schedule_decision_task()
    return ""


REPLACED = {
    "record_activity_task_heartbeat": record_activity_task_heartbeat,
    "respond_activity_task_canceled": respond_activity_task_canceled,
}


def install() -> None:
    _ORIGINAL["init"] = ActivityTask.__init__
    _ORIGINAL["start"] = ActivityTask.start
    ActivityTask.__init__ = _init
    WorkflowExecution.activity_tasks = property(_tasks_of)
    SWFBackend._find_activity_task_from_token = _find_from_token
    ActivityTask.start = _start
    ActivityTask.first_timeout = _first_timeout
    WorkflowExecution.timeout_activity_task = _timeout_activity_task
