"""SWF behaviour moto 5.2.5 lacks, added to moto's own model classes.

Every request runs under `STATE` (moto's backends are shared by the werkzeug threads and
moto itself has no lock); long polls wait on it, so a poll wakes as soon as any request
changes the state. Each behaviour names the SWF API Reference page it follows
(https://docs.aws.amazon.com/amazonswf/latest/apireference/<page>).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from typing import Any, Iterable

from moto.core.utils import unix_time
from moto.swf.exceptions import SWFUnknownResourceFault, SWFValidationException
from moto.swf.models import SWFBackend
from moto.swf.models import history_event as history_event_module
from moto.swf.models.activity_task import ActivityTask
from moto.swf.models.decision_task import DecisionTask
from moto.swf.models.domain import Domain
from moto.swf.models.timeout import Timeout
from moto.swf.models.workflow_execution import WorkflowExecution

from . import activities, cancellation, children

# One lock for moto's shared backends; a Condition so long polls can wait on it.
STATE = threading.Condition(threading.RLock())

# Close decisions: API_Decision.html ("close decisions ... must be the last decision").
CLOSE_DECISIONS = (
    "CompleteWorkflowExecution",
    "FailWorkflowExecution",
    "CancelWorkflowExecution",
    "ContinueAsNewWorkflowExecution",
)
# Events that schedule a decision task (swf-dg-dev-deciders.html: the decider is given a
# decision task when something happens it must decide on: a signal, a cancellation
# request, an activity's, timer's or child's outcome, an outgoing signal's or
# cancellation's outcome). A close decision fails with UNHANDLED_DECISION only when one
# of these was recorded after its task started; events like ActivityTaskStarted or
# MarkerRecorded schedule nothing, so they do not.
DECISION_SCHEDULING_EVENTS = frozenset(
    (
        "WorkflowExecutionSignaled",
        "WorkflowExecutionCancelRequested",
        "ActivityTaskCompleted",
        "ActivityTaskFailed",
        "ActivityTaskTimedOut",
        "ActivityTaskCanceled",
        "TimerFired",
        "ChildWorkflowExecutionStarted",
        "ChildWorkflowExecutionCompleted",
        "ChildWorkflowExecutionFailed",
        "ChildWorkflowExecutionTimedOut",
        "ChildWorkflowExecutionCanceled",
        "ChildWorkflowExecutionTerminated",
        "StartChildWorkflowExecutionFailed",
        "ExternalWorkflowExecutionSignaled",
        "SignalExternalWorkflowExecutionFailed",
        "ExternalWorkflowExecutionCancelRequested",
        "RequestCancelExternalWorkflowExecutionFailed",
    )
)
EXTRA_EVENT_TYPES = (
    "CompleteWorkflowExecutionFailed",
    "FailWorkflowExecutionFailed",
    "ContinueAsNewWorkflowExecutionFailed",
    "WorkflowExecutionContinuedAsNew",
    "SignalExternalWorkflowExecutionInitiated",
    "ExternalWorkflowExecutionSignaled",
    "SignalExternalWorkflowExecutionFailed",
    # API_HistoryEvent.html spells it with one l; moto's "TimerCancelled" is replaced.
    "TimerCanceled",
)
# API_PollForDecisionTask.html / API_GetWorkflowExecutionHistory.html: maximumPageSize,
# "Valid Range: Maximum value of 1000"; 1000 when omitted.
MAX_PAGE_SIZE = 1000


def max_events() -> int:
    """swf-dg-limits.html: a workflow execution history holds at most 25,000 events;
    SWF_SERVER_MAX_EVENTS lowers it for tests."""
    return int(os.environ.get("SWF_SERVER_MAX_EVENTS", "25000"))


def delivery_delay() -> float:
    """Seconds between a SignalExternalWorkflowExecution decision and its delivery
    (SWF_SERVER_DELIVERY_DELAY_MS, default 50; 0 delivers inside the respond call)."""
    return float(os.environ.get("SWF_SERVER_DELIVERY_DELAY_MS", "50")) / 1000.0


def poll_seconds() -> float:
    """How long a poll is held without a task (SWF: 60 s, API_PollForDecisionTask.html)."""
    return float(os.environ.get("SWF_SERVER_POLL_SECONDS", "60"))


# ---------------------------------------------------------------------------------------
# Bookkeeping moto does in O(all tasks) or O(all events) per call: a 25,000-event history
# would make each event cost 25,000 steps. Ids are dense and events appended under STATE.


def _next_event_id(self: WorkflowExecution) -> int:
    return len(self._events) + 1


def _decision_tasks(self: WorkflowExecution) -> list[DecisionTask]:
    """The execution's open decision tasks (at most one scheduled and one started).

    Closed tasks leave the list as soon as it is next read: every timeout sweep and every
    poll reads it, and a list of every task an execution ever had made each sweep cost
    the whole history (the 2,000-execution chaos run spent its CPU there). Their tokens
    stay in TOKENS, so a late answer still gets SWF's UnknownResourceFault."""
    tasks = self.__dict__.setdefault("_swf_decision_tasks", [])
    if any(t.state not in _OPEN_TASK_STATES for t in tasks):
        tasks[:] = [t for t in tasks if t.state in _OPEN_TASK_STATES]
    return tasks


_OPEN_TASK_STATES = ("SCHEDULED", "STARTED")


TOKENS: dict[str, DecisionTask] = {}


def _add_to_decision_task_list(self: Domain, task_list: str, obj: DecisionTask) -> None:
    self.decision_task_lists.setdefault(task_list, []).append(obj)
    _decision_tasks(obj.workflow_execution).append(obj)
    TOKENS[obj.task_token] = obj


# ---------------------------------------------------------------------------------------
# Scheduling, with the task-list override of RespondDecisionTaskCompleted
# (API_RespondDecisionTaskCompleted.html: `taskList` "overrides the original task list";
# `taskListScheduleToStartTimeout`: "If a decision task scheduled on the override task
# list is not started within the timeout, the decision task will time out. Amazon SWF will
# revert the override and schedule a new decision task to the original task list.")


def _schedule_decision_task(self: WorkflowExecution) -> None:
    # At most one decision task is open, scheduled or started (swf-dg-dev-deciders.html;
    # API_WorkflowExecutionOpenCounts.html: openDecisionTasks is 0 or 1). Events that
    # arrive while one is scheduled are in its history when it starts; events that arrive
    # while one is started get the next task, scheduled after that one's
    # DecisionTaskCompleted and its decisions' events (or after its DecisionTaskTimedOut),
    # and on the list the response chose.
    if any(t.state == "SCHEDULED" for t in self.decision_tasks):
        return
    if any(t.state == "STARTED" for t in self.decision_tasks):
        self._swf_schedule_after = True
        return
    override = getattr(self, "_swf_override", None)
    task_list = override[0] if override else self.task_list
    to_start = override[1] if override else None
    evt = self._add_event(
        "DecisionTaskScheduled",
        start_to_close_timeout=self.task_start_to_close_timeout,
        task_list=task_list,
        schedule_to_start_timeout=to_start,
    )
    task = DecisionTask(self, evt.event_id)
    task.swf_task_list = task_list
    # "NONE": no schedule-to-start timeout on the override list.
    task.swf_schedule_to_start = int(to_start) if to_start and to_start != "NONE" else None
    task.swf_scheduled_timestamp = unix_time()
    self.domain.add_to_decision_task_list(task_list, task)
    self.open_counts["openDecisionTasks"] += 1
    STATE.notify_all()


def _decision_first_timeout(self: DecisionTask) -> Timeout | None:
    if not self.workflow_execution.open:
        return None
    if self.state == "SCHEDULED" and getattr(self, "swf_schedule_to_start", None):
        at = self.swf_scheduled_timestamp + self.swf_schedule_to_start
        timeout = Timeout(self, at, "SCHEDULE_TO_START")
        return timeout if timeout.reached else None
    if self.state != "STARTED" or str(self.start_to_close_timeout) == "NONE":
        # NONE: no timeout (API_StartWorkflowExecution.html, taskStartToCloseTimeout).
        return None
    timeout = Timeout(
        self, self.started_timestamp + int(self.start_to_close_timeout), "START_TO_CLOSE"
    )
    return timeout if timeout.reached else None


def _timeout_decision_task(self: WorkflowExecution, timeout: Timeout) -> None:
    task = timeout.obj
    task.timeout(timeout)
    self.open_counts["openDecisionTasks"] -= 1
    self._add_event(
        "DecisionTaskTimedOut",
        event_timestamp=timeout.timestamp,
        scheduled_event_id=task.scheduled_event_id,
        started_event_id=task.started_event_id,
        timeout_type=timeout.kind,
    )
    if timeout.kind == "SCHEDULE_TO_START":
        self._swf_override = None  # "revert the override"
    self._swf_schedule_after = False  # moto schedules the next task right after this
    # moto's _process_timeouts schedules the next decision task.


# ---------------------------------------------------------------------------------------
# Completing a decision task: UNHANDLED_DECISION, signal-external, continue-as-new.


def _unseen_events(self: WorkflowExecution, started_event_id: int) -> bool:
    # API_CompleteWorkflowExecutionFailedEventAttributes.html, cause UNHANDLED_DECISION:
    # a close decision fails when events the decider had not seen, of the kind that
    # schedule a decision task (a signal, an activity or timer result, ...), were recorded
    # after its decision task started.
    return any(
        e.event_type in DECISION_SCHEDULING_EVENTS for e in self._events[started_event_id:]
    )


def _complete_decision_task(
    self: WorkflowExecution,
    task_token: str,
    decisions: list[dict[str, Any]] | None = None,
    execution_context: str | None = None,
    task_list: str | None = None,
    schedule_to_start: str | None = None,
) -> None:
    decisions = decisions or []
    # Everything SWF refuses as a request is refused before anything is written: the
    # response is applied whole or not at all, and never answered with a 5xx.
    self.validate_decisions(decisions)
    _check_decision_list(decisions)
    task = self._find_decision_task(task_token)
    completed = self._add_event(
        "DecisionTaskCompleted",
        scheduled_event_id=task.scheduled_event_id,
        started_event_id=task.started_event_id,
        execution_context=execution_context,
        task_list=task_list,
        task_list_schedule_to_start_timeout=schedule_to_start,
    )
    task.complete()
    self.open_counts["openDecisionTasks"] -= 1
    if task_list:
        self._swf_override = (task_list, schedule_to_start)
    # API_PollForDecisionTask.html: previousStartedEventId is the previous decision task
    # "that was processed by the decider"; a task that timed out was not.
    self._swf_processed_started = task.started_event_id
    unhandled = _unseen_events(self, task.started_event_id)
    self.should_schedule_decision_next = False
    outgoing: list[tuple[int, dict[str, Any]]] = []
    for decision in decisions:
        kind = decision["decisionType"]
        key = kind[0].lower() + kind[1:] + "DecisionAttributes"
        attrs = decision.get(key) or {}
        if kind in CLOSE_DECISIONS and unhandled:
            self._add_event(
                f"{kind}Failed",
                cause="UNHANDLED_DECISION",
                decision_task_completed_event_id=completed.event_id,
            )
            self.should_schedule_decision_next = True
        elif kind == "SignalExternalWorkflowExecution":
            outgoing.append((_initiate_signal(self, completed.event_id, attrs), attrs))
        elif kind == "ContinueAsNewWorkflowExecution":
            _continue_as_new(self, completed.event_id, attrs)
        elif kind == "RequestCancelExternalWorkflowExecution":
            cancellation.request_cancel_external(self, completed.event_id, attrs)
        elif kind == "StartChildWorkflowExecution":
            children.start_child(self, completed.event_id, attrs)
        elif kind == "RequestCancelActivityTask":
            activities.request_cancel(self, completed.event_id, attrs)
        elif kind == "CancelWorkflowExecution":
            _close(self, "CANCELED", "WorkflowExecutionCanceled", completed.event_id,
                   details=attrs.get("details"))
        else:
            # moto's own handling for the rest (it decrements the counter at the end,
            # which we did above, so give it one to take).
            self.open_counts["openDecisionTasks"] += 1
            self.handle_decisions(completed.event_id, [decision])
    # SWF delivers an outgoing signal after the response that initiated it, not inside
    # it: the sender sees "initiated, not yet delivered", and the delivery (and its
    # ExternalWorkflowExecutionSignaled, which schedules a decision task) can land while
    # the sender decides its next task (API_SignalExternalWorkflowExecutionInitiated
    # EventAttributes.html: the initiated event records the decision; the outcome is a
    # later event).
    delay = delivery_delay()
    for initiated, attrs in outgoing:
        if delay <= 0:
            _deliver_signal(self, completed.event_id, initiated, attrs)
        else:
            timer = threading.Timer(
                delay, _deliver_later, args=(self, completed.event_id, initiated, attrs)
            )
            timer.daemon = True
            timer.start()
    owed = getattr(self, "_swf_schedule_after", False)
    self._swf_schedule_after = False
    if (self.should_schedule_decision_next or owed) and self.open:
        self.schedule_decision_task()
    self.latest_execution_context = execution_context


# Decision types this server carries out; API_Decision.html lists one more,
# ScheduleLambdaFunction, which it refuses up front (see docs/swf-server.md).
HANDLED_DECISIONS = frozenset(
    (
        "ScheduleActivityTask",
        "RequestCancelActivityTask",
        "RecordMarker",
        "StartTimer",
        "CancelTimer",
        "SignalExternalWorkflowExecution",
        "RequestCancelExternalWorkflowExecution",
        "StartChildWorkflowExecution",
    )
    + CLOSE_DECISIONS
)


def _check_decision_list(decisions: list[dict[str, Any]]) -> None:
    """API_Decision.html: a close decision (complete, fail, cancel, continue-as-new) must
    be the last decision of a response. SWF does not document its answer to a list that
    breaks this; the server refuses the whole response with a ValidationException
    (nothing written, the task still started), which is what a decider can act on."""
    for i, decision in enumerate(decisions):
        kind = decision.get("decisionType")
        if kind not in HANDLED_DECISIONS:
            raise SWFValidationException(
                f"decision {i + 1} ({kind}) is not carried out by scripts/swf-server; nothing applied"
            )
        if kind in CLOSE_DECISIONS and i != len(decisions) - 1:
            raise SWFValidationException(
                f"decision {i + 1} ({kind}) closes the workflow but is not the last decision "
                f"of the response ({len(decisions)} decisions); a close decision must be the "
                "last (API_Decision.html); nothing applied"
            )


def _close(self: WorkflowExecution, status: str, event: str, completed_id: int,
           **attrs: Any) -> None:
    self.execution_status = "CLOSED"
    self.close_status = status
    self.close_timestamp = unix_time()
    self._add_event(event, decision_task_completed_event_id=completed_id, **attrs)
    _stop_timers(self)


def _initiate_signal(self: WorkflowExecution, completed_id: int, attrs: dict[str, Any]) -> int:
    # API_SignalExternalWorkflowExecutionInitiatedEventAttributes.html
    return self._add_event(
        "SignalExternalWorkflowExecutionInitiated",
        workflow_id=attrs.get("workflowId"),
        run_id=attrs.get("runId"),
        signal_name=attrs.get("signalName"),
        input=attrs.get("input"),
        control=attrs.get("control"),
        decision_task_completed_event_id=completed_id,
    ).event_id


def _deliver_signal(self: WorkflowExecution, completed_id: int, initiated: int,
                    attrs: dict[str, Any]) -> None:
    workflow_id = attrs.get("workflowId")
    run_id = attrs.get("runId")
    target = cancellation.open_execution(self.domain, workflow_id, run_id)
    if target is None:
        # API_SignalExternalWorkflowExecutionFailedEventAttributes.html: the target is not
        # open (or the run id does not match): UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION.
        if self.open:
            self._add_event(
                "SignalExternalWorkflowExecutionFailed",
                workflow_id=workflow_id,
                run_id=run_id,
                cause="UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
                initiated_event_id=initiated,
                decision_task_completed_event_id=completed_id,
                control=attrs.get("control"),
            )
            self.should_schedule_decision_next = True
        return
    # API_WorkflowExecutionSignaledEventAttributes.html: externalWorkflowExecution and
    # externalInitiatedEventId name the sender.
    target._add_event(
        "WorkflowExecutionSignaled",
        signal_name=attrs.get("signalName"),
        input=attrs.get("input"),
        external_workflow_execution=self.to_short_dict(),
        external_initiated_event_id=initiated,
    )
    target.schedule_decision_task()
    if self.open:
        # API_ExternalWorkflowExecutionSignaledEventAttributes.html
        self._add_event(
            "ExternalWorkflowExecutionSignaled",
            workflow_execution=target.to_short_dict(),
            initiated_event_id=initiated,
        )
        self.should_schedule_decision_next = True


def _deliver_later(self: WorkflowExecution, completed_id: int, initiated: int,
                   attrs: dict[str, Any]) -> None:
    with STATE:
        self.should_schedule_decision_next = False
        _deliver_signal(self, completed_id, initiated, attrs)
        if self.should_schedule_decision_next and self.open:
            self.should_schedule_decision_next = False
            self.schedule_decision_task()
        STATE.notify_all()


def _continue_as_new(self: WorkflowExecution, completed_id: int, attrs: dict[str, Any]) -> None:
    # API_ContinueAsNewWorkflowExecutionDecisionAttributes.html: a new run of the same
    # workflow id; each unset attribute is the type's registered default ("This overrides
    # the default ... specified when registering the workflow type"), not this run's, and
    # a default SWF needs that the type lacks fails the decision with the matching cause
    # (API_ContinueAsNewWorkflowExecutionFailedEventAttributes.html).
    version = attrs.get("workflowTypeVersion") or self.workflow_type.version

    def refuse(cause: str) -> None:
        self._add_event(
            "ContinueAsNewWorkflowExecutionFailed",
            cause=cause,
            decision_task_completed_event_id=completed_id,
        )
        self.should_schedule_decision_next = True

    try:
        wf_type = self.domain.get_type("workflow", self.workflow_type.name, version)
    except Exception:  # moto raises its UnknownResourceFault
        refuse("WORKFLOW_TYPE_DOES_NOT_EXIST")
        return
    if wf_type.status == "DEPRECATED":
        refuse("WORKFLOW_TYPE_DEPRECATED")
        return
    task_list = (attrs.get("taskList") or {}).get("name") or wf_type.task_list
    settings = {
        "execution_start_to_close_timeout": attrs.get("executionStartToCloseTimeout")
        or wf_type.default_execution_start_to_close_timeout,
        "task_list": task_list,
        "task_start_to_close_timeout": attrs.get("taskStartToCloseTimeout")
        or wf_type.default_task_start_to_close_timeout,
        "child_policy": attrs.get("childPolicy") or wf_type.default_child_policy,
    }
    for key, cause in (
        ("execution_start_to_close_timeout", "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED"),
        ("task_list", "DEFAULT_TASK_LIST_UNDEFINED"),
        ("task_start_to_close_timeout", "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED"),
        ("child_policy", "DEFAULT_CHILD_POLICY_UNDEFINED"),
    ):
        if not settings[key]:
            refuse(cause)
            return
    new = WorkflowExecution(
        self.domain,
        wf_type,
        self.workflow_id,
        tag_list=attrs.get("tagList") or [],
        workflow_input=attrs.get("input"),
        **settings,
    )
    _close(
        self,
        "CONTINUED_AS_NEW",
        "WorkflowExecutionContinuedAsNew",
        completed_id,
        new_execution_run_id=new.run_id,
        input=attrs.get("input"),
        task_list=task_list,
        task_start_to_close_timeout=new.task_start_to_close_timeout,
        execution_start_to_close_timeout=new.execution_start_to_close_timeout,
        child_policy=new.child_policy,
        tag_list=new.tag_list,
        workflow_type=wf_type,
    )
    self.domain.add_workflow_execution(new)
    new.start()
    new._events[0].event_attributes["continuedExecutionRunId"] = self.run_id
    children.continued(self, new)


def _start_decision_task(self: WorkflowExecution, task_token: str, identity: str | None = None) -> None:
    task = self._find_decision_task(task_token)
    evt = self._add_event(
        "DecisionTaskStarted", scheduled_event_id=task.scheduled_event_id, identity=identity
    )
    task.start(evt.event_id, getattr(self, "_swf_processed_started", 0))


def _signal(self: WorkflowExecution, signal_name: str, workflow_input: Any) -> None:
    self._add_event("WorkflowExecutionSignaled", signal_name=signal_name, input=workflow_input)
    self.schedule_decision_task()


def _fire_timer(self: WorkflowExecution, started_event_id: int, timer_id: str) -> None:
    # moto fires timers from a threading.Timer: take the lock like a request does.
    with STATE:
        # API_TimerFiredEventAttributes.html: a timer fires for an open execution; a
        # closed run's timers are gone, and a canceled timer does not fire.
        if not self.open:
            self._timers.pop(timer_id, None)
            return
        timer = self._timers.get(timer_id)
        if timer is None or timer.started_event_id != started_event_id:
            return
        _ORIGINAL["fire_timer"](self, started_event_id, timer_id)
        STATE.notify_all()


def _cancel_timer(self: WorkflowExecution, event_id: int, timer_id: str) -> None:
    # API_CancelTimerDecisionAttributes.html / API_TimerCanceledEventAttributes.html
    # (TimerCanceled: timerId, startedEventId, decisionTaskCompletedEventId) and
    # API_CancelTimerFailedEventAttributes.html (timerId, cause, decisionTaskCompletedEventId).
    timer = self._timers.get(timer_id)
    if timer is None or not timer.is_alive():
        self._add_event(
            "CancelTimerFailed",
            cause="TIMER_ID_UNKNOWN",
            decision_task_completed_event_id=event_id,
            timer_id=timer_id,
        )
        return
    timer.cancel()
    self._timers.pop(timer_id)
    self._add_event(
        "TimerCanceled",
        decision_task_completed_event_id=event_id,
        started_event_id=timer.started_event_id,
        timer_id=timer_id,
    )


def _add_event(self: WorkflowExecution, *args: Any, **kwargs: Any) -> Any:
    # swf-dg-limits.html ("Maximum workflow execution history size: 25,000 events"): an
    # execution whose history reaches the limit is terminated, cause EVENT_LIMIT_EXCEEDED
    # (API_WorkflowExecutionTerminatedEventAttributes.html); the terminated event is the
    # last of the allowed events, and later calls find no open execution.
    evt = _ORIGINAL["add_event"](self, *args, **kwargs)
    children.on_event(self, evt)
    if self.open and len(self._events) >= max_events() - 1:
        self.execution_status = "CLOSED"
        self.close_status = "TERMINATED"
        self.close_cause = "EVENT_LIMIT_EXCEEDED"
        self.close_timestamp = unix_time()
        terminated = _ORIGINAL["add_event"](
            self,
            "WorkflowExecutionTerminated",
            cause="EVENT_LIMIT_EXCEEDED",
            child_policy=self.child_policy,
        )
        _stop_timers(self)
        children.on_event(self, terminated)
    return evt


def _terminate(self: WorkflowExecution, *args: Any, **kwargs: Any) -> None:
    # API_WorkflowExecutionInfo.html: closeTimestamp is set for every closed execution.
    _ORIGINAL["terminate"](self, *args, **kwargs)
    self.close_timestamp = unix_time()
    _stop_timers(self)


def _timeout_execution(self: WorkflowExecution, timeout: Timeout) -> None:
    _ORIGINAL["timeout"](self, timeout)
    self.close_timestamp = timeout.timestamp
    _stop_timers(self)


def _stop_timers(self: WorkflowExecution) -> None:
    """A closed run's timers never fire (and their threads end now)."""
    for timer in self._timers.values():
        timer.cancel()
    self._timers.clear()


# ---------------------------------------------------------------------------------------
# Long polls (API_PollForDecisionTask.html: "If no decision task is available in the
# specified task list before the timeout of 60 seconds expires, an empty result is
# returned"; API_PollForActivityTask.html likewise).


def _hold(backend: SWFBackend, take: Any) -> Any:
    # Timeouts are the clock thread's (_start_ticker), which wakes every held poll when
    # one changed an execution: a poll sweeping every execution itself, 10 times a second,
    # cost O(polls x executions) and starved the server at 2,000 executions.
    deadline = time.monotonic() + poll_seconds()
    while True:
        got = take()
        if got is not None:
            return got
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        STATE.wait(remaining)


def _take_decision_task(domain: Domain, task_list: str, identity: str | None) -> DecisionTask | None:
    queue = domain.decision_task_lists.get(task_list, [])
    queue[:] = [t for t in queue if t.state == "SCHEDULED" and t.workflow_execution.open]
    for task in sorted(queue, key=lambda t: t.scheduled_at):
        wfe = task.workflow_execution
        # Only one decision task of an execution is started at a time.
        if any(t.state == "STARTED" for t in wfe.decision_tasks):
            continue
        wfe.start_decision_task(task.task_token, identity=identity)
        return task
    return None


def poll_for_decision_task(
    self: SWFBackend,
    domain_name: str,
    task_list: str,
    identity: str | None = None,
) -> DecisionTask | None:
    domain = self._get_domain(domain_name)
    return _hold(self, lambda: _take_decision_task(domain, task_list, identity))


def _take_activity_task(domain: Domain, task_list: str, identity: str | None) -> ActivityTask | None:
    queue = domain.activity_task_lists.get(task_list, [])
    task = min((t for t in queue if t.state == "SCHEDULED"), key=lambda t: t.scheduled_at, default=None)
    if task is not None:
        task.workflow_execution.start_activity_task(task.task_token, identity=identity)
    return task


def poll_for_activity_task(
    self: SWFBackend, domain_name: str, task_list: str, identity: str | None = None
) -> ActivityTask | None:
    domain = self._get_domain(domain_name)
    return _hold(self, lambda: _take_activity_task(domain, task_list, identity))


def respond_decision_task_completed(
    self: SWFBackend,
    task_token: str,
    decisions: list[dict[str, Any]] | None = None,
    execution_context: str | None = None,
    task_list: str | None = None,
    schedule_to_start: str | None = None,
) -> None:
    task = TOKENS.get(task_token)
    if task is None:
        raise SWFValidationException("Invalid token")
    wfe = task.workflow_execution
    # A task whose start-to-close timeout passed is timed out before its answer counts,
    # even if the clock thread has not swept it yet.
    if wfe.open:
        wfe._process_timeouts()
    if not wfe.open:
        raise SWFUnknownResourceFault(
            "execution", f"WorkflowExecution=[workflowId={wfe.workflow_id}, runId={wfe.run_id}]"
        )
    if task.state != "STARTED":
        raise SWFUnknownResourceFault(f"decision task, scheduledEventId = {task.scheduled_event_id}")
    wfe.complete_decision_task(task_token, decisions, execution_context, task_list, schedule_to_start)


# ---------------------------------------------------------------------------------------
# History pages (API_PollForDecisionTask.html, API_GetWorkflowExecutionHistory.html:
# maximumPageSize, nextPageToken, reverseOrder; PollForDecisionTask's
# startAtPreviousStartedEvent: "returns the events with eventTimestamp greater than or
# equal to eventTimestamp of the previous DecisionTaskStarted event").


def page_size(value: Any) -> int:
    if value in (None, 0):
        return MAX_PAGE_SIZE
    if not isinstance(value, int) or value < 0 or value > MAX_PAGE_SIZE:
        raise SWFValidationException(
            f"1 validation error detected: Value '{value}' at 'maximumPageSize' failed to "
            f"satisfy constraint: Member must have value less than or equal to {MAX_PAGE_SIZE}"
        )
    return value


def encode_token(key: str, position: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": key, "e": position}).encode()).decode()


def decode_token(token: str, key: str | None = None) -> tuple[str, int]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        got_key, position = str(data["k"]), int(data["e"])
    except Exception as e:  # any malformed token is the caller's error
        raise SWFValidationException(f"Invalid nextPageToken: {e}") from None
    if key is not None and got_key != key:
        raise SWFValidationException("nextPageToken belongs to another request")
    return got_key, position


def page(
    events: list[Any], size: int, position: int | None, reverse: bool
) -> tuple[list[Any], int | None]:
    """One page of `events` (oldest first, ids dense) starting at event id `position`
    (None: the first page), and the event id the next page starts at, if any.

    A token holds that event id, not an offset: a live execution's history grows at its
    end, so an offset from the end would repeat events on the next reverse page, and
    events appended between pages neither repeat nor shift a page here."""
    if not events:
        return [], None
    base, n = events[0].event_id, len(events)
    if position is not None and not base <= position <= base + n - 1:
        raise SWFValidationException("Invalid nextPageToken: no such event")
    if reverse:
        top = n if position is None else position - base + 1
        low = max(top - size, 0)
        return events[low:top][::-1], (events[low - 1].event_id if low > 0 else None)
    start = 0 if position is None else position - base
    end = start + size
    return events[start:end], (events[end].event_id if end < n else None)


def decision_task_events(task: DecisionTask, start_at_previous: bool) -> list[Any]:
    # A decision task's history ends at its DecisionTaskStarted event: what happens later
    # reaches the decider in its next task (and makes close decisions fail, above).
    events = task.workflow_execution._events
    first = 0
    if start_at_previous and task.previous_started_event_id:
        first = task.previous_started_event_id - 1
    return events[first:task.started_event_id]


def find_task(token: str) -> DecisionTask:
    task = TOKENS.get(token)
    if task is None:
        raise SWFValidationException("Invalid nextPageToken: no such decision task")
    return task


def events_of(wfe: WorkflowExecution) -> list[Any]:
    return wfe._events


# ---------------------------------------------------------------------------------------

_ORIGINAL: dict[str, Any] = {}


def install() -> None:
    history_event_module.SUPPORTED_HISTORY_EVENT_TYPES = (
        tuple(history_event_module.SUPPORTED_HISTORY_EVENT_TYPES)
        + EXTRA_EVENT_TYPES
        + cancellation.EVENT_TYPES
        + children.EVENT_TYPES
        + activities.EVENT_TYPES
    )
    activities.install()
    # moto's BaseModel appends every instance it ever creates to a class-wide list (its
    # /moto-api/data.json view). A sweep makes a Timeout for each open execution ten times
    # a second and drops it at once, so that list grew by ~20,000 objects a second at 2,000
    # executions: the memory scripts/chaos 2000 ran out of. Timeouts are not tracked.
    Timeout.__new__ = staticmethod(lambda cls, *args, **kwargs: object.__new__(cls))
    _start_ticker()
    _ORIGINAL["fire_timer"] = WorkflowExecution._fire_timer
    _ORIGINAL["terminate"] = WorkflowExecution.terminate
    _ORIGINAL["add_event"] = WorkflowExecution._add_event
    WorkflowExecution._add_event = _add_event
    _ORIGINAL["timeout"] = WorkflowExecution.timeout
    WorkflowExecution.cancel_timer = _cancel_timer
    # API_WorkflowExecutionInfo.html: DescribeWorkflowExecution's executionInfo carries the
    # real startTimestamp (moto's is a constant) and `parent` for a child execution.
    WorkflowExecution.to_medium_dict = WorkflowExecution.to_list_dict
    WorkflowExecution.terminate = _terminate
    WorkflowExecution.timeout = _timeout_execution
    WorkflowExecution.next_event_id = _next_event_id
    WorkflowExecution.decision_tasks = property(_decision_tasks)
    WorkflowExecution._schedule_decision_task = _schedule_decision_task
    WorkflowExecution.timeout_decision_task = _timeout_decision_task
    WorkflowExecution.complete_decision_task = _complete_decision_task
    WorkflowExecution.signal = _signal
    WorkflowExecution.start_decision_task = _start_decision_task
    WorkflowExecution._fire_timer = _fire_timer
    WorkflowExecution.KNOWN_DECISION_TYPES = list(WorkflowExecution.KNOWN_DECISION_TYPES)
    DecisionTask.first_timeout = _decision_first_timeout
    Domain.add_to_decision_task_list = _add_to_decision_task_list
    # Request-time sweeps (moto runs one before most calls) cover open executions only.
    SWFBackend._process_timeouts = sweep_timeouts
    SWFBackend.poll_for_decision_task = poll_for_decision_task
    SWFBackend.poll_for_activity_task = poll_for_activity_task
    SWFBackend.respond_decision_task_completed = respond_decision_task_completed


TICK_SECONDS = 0.1


def _start_ticker() -> None:
    """Timeouts fire on time: every 0.1 s, under STATE, every open execution's timeouts
    (its own, its decision and activity tasks') are processed, as SWF's clock would,
    not only when a request happens to come in (API_DecisionTaskTimedOutEventAttributes
    .html, API_ActivityTaskTimedOutEventAttributes.html, API_WorkflowExecutionTimedOut
    EventAttributes.html)."""
    from moto.swf.models import swf_backends

    def tick() -> None:
        while True:
            time.sleep(TICK_SECONDS)
            with STATE:
                changed = sweep_timeouts(swf_backends)
                if changed:
                    STATE.notify_all()

    threading.Thread(target=tick, name="swf-server-timeouts", daemon=True).start()


def sweep_timeouts(backends: Any) -> bool:
    """Process the timeouts of every open execution (closed ones have none); True when
    one changed an execution. `backends` is moto's swf_backends or one SWFBackend."""
    if isinstance(backends, SWFBackend):
        regions = [{"": backends}]
    else:
        regions = list(backends.values())
    changed = False
    for region in regions:
        for backend in list(region.values()):
            for domain in backend.domains:
                for wfe in domain.workflow_executions:
                    if wfe.open:
                        before = len(wfe._events)
                        wfe._process_timeouts()
                        changed = changed or len(wfe._events) != before
    return changed


def iter_events(events: Iterable[Any]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in events]
