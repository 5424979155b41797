"""Behaviour 12: timers as SWF records them, nothing firing after close, close times;
and UNHANDLED_DECISION only for events that schedule a decision task."""

from __future__ import annotations

import time

from conftest import Env, client_for
from test_unhandled_decision import decision


def _timer(timer_id: str, seconds: str = "1") -> dict:
    return decision("StartTimer", {"timerId": timer_id, "startToFireTimeout": seconds})


def test_a_canceled_timer_is_timer_canceled_and_never_fires(env: Env) -> None:
    # API_TimerCanceledEventAttributes.html: the event type is TimerCanceled (moto wrote
    # "TimerCancelled", which the AWS SDKs cannot read).
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[_timer("t1")])
    env.signal(ex, "cancel-it")
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=[decision("CancelTimer", {"timerId": "t1"})]
    )
    time.sleep(1.5)
    events = env.history(ex)
    types = [e["eventType"] for e in events]
    assert "TimerFired" not in types
    canceled = events[types.index("TimerCanceled")]["timerCanceledEventAttributes"]
    started = types.index("TimerStarted") + 1
    assert canceled["timerId"] == "t1"
    assert canceled["startedEventId"] == started
    assert canceled["decisionTaskCompletedEventId"] == types.index("TimerCanceled")


def test_canceling_an_unknown_timer_fails_with_its_id(env: Env) -> None:
    # API_CancelTimerFailedEventAttributes.html: timerId, cause, decisionTaskCompletedEventId.
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=[decision("CancelTimer", {"timerId": "nope"})]
    )
    events = env.history(ex)
    failed = [e for e in events if e["eventType"] == "CancelTimerFailed"][0]
    assert failed["cancelTimerFailedEventAttributes"] == {
        "timerId": "nope",
        "cause": "TIMER_ID_UNKNOWN",
        "decisionTaskCompletedEventId": 4,
    }


def test_no_timer_fires_after_the_run_closed(env: Env) -> None:
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[_timer("t1"), decision("CompleteWorkflowExecution", {"result": "ok"})],
    )
    time.sleep(1.5)
    types = env.types(ex)
    assert types[-1] == "WorkflowExecutionCompleted"
    assert "TimerFired" not in types
    # And a terminated run's timers, likewise; its close is timestamped.
    ex2 = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[_timer("t2")])
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId=ex2["workflowId"])
    time.sleep(1.5)
    assert env.types(ex2)[-1] == "WorkflowExecutionTerminated"
    info = env.status(ex2)
    assert info["closeStatus"] == "TERMINATED"
    assert info["closeTimestamp"] >= info["startTimestamp"]


def test_an_activity_started_during_a_decision_does_not_fail_the_close(env: Env) -> None:
    # API_CompleteWorkflowExecutionFailedEventAttributes.html, UNHANDLED_DECISION: only
    # new events that would schedule a decision task count; ActivityTaskStarted does not.
    env.swf.register_activity_type(
        domain=env.domain, name="act", version="1",
        defaultTaskList={"name": "acts"},
        defaultTaskStartToCloseTimeout="60", defaultTaskScheduleToStartTimeout="60",
        defaultTaskScheduleToCloseTimeout="120", defaultTaskHeartbeatTimeout="NONE",
    )
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("ScheduleActivityTask", {
            "activityType": {"name": "act", "version": "1"}, "activityId": "a1",
        })],
    )
    env.signal(ex, "wake")
    task = env.poll()
    activity = env.swf.poll_for_activity_task(
        domain=env.domain, taskList={"name": "acts"}, identity="w"
    )
    assert activity["activityId"] == "a1"
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("CompleteWorkflowExecution", {"result": "done"})],
    )
    types = env.types(ex)
    assert "ActivityTaskStarted" in types
    assert "CompleteWorkflowExecutionFailed" not in types
    assert types[-1] == "WorkflowExecutionCompleted"


def test_the_history_limit_terminates_the_execution(server_factory) -> None:  # type: ignore[no-untyped-def]
    # swf-dg-limits.html: 25,000 events at most (SWF_SERVER_MAX_EVENTS lowers it here).
    from botocore.exceptions import ClientError
    import pytest

    env = Env(client_for(server_factory(SWF_SERVER_MAX_EVENTS="12")))
    ex = env.start()
    for _ in range(9):
        env.signal(ex)  # events 3..11
    with pytest.raises(ClientError) as e:
        env.signal(ex)
    assert e.value.response["Error"]["Code"] == "UnknownResourceFault"
    events = env.history(ex)
    assert len(events) == 12
    last = events[-1]
    assert last["eventType"] == "WorkflowExecutionTerminated"
    assert last["workflowExecutionTerminatedEventAttributes"]["cause"] == "EVENT_LIMIT_EXCEEDED"
    info = env.status(ex)
    assert (info["executionStatus"], info["closeStatus"]) == ("CLOSED", "TERMINATED")


def test_timeout_sweeps_keep_nothing(env: Env) -> None:
    # The clock sweeps every open execution ten times a second; moto's model tracking kept
    # each sweep's Timeout objects forever (the server grew ~9 MB a second at 2,000 open
    # executions). After a second of sweeps over open executions nothing is kept.
    import json
    import urllib.request

    for _ in range(5):
        env.start()
    time.sleep(1.0)
    data = json.loads(urllib.request.urlopen(f"{env.swf.meta.endpoint_url}/moto-api/data.json", timeout=30).read())
    assert data["swf"].get("Timeout", []) == [], len(data["swf"].get("Timeout", []))
    assert len(data["swf"]["WorkflowExecution"]) >= 5
