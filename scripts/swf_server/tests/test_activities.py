"""Activity timeouts of all four kinds, activity cancellation
(API_ActivityTaskTimedOutEventAttributes.html, API_RequestCancelActivityTaskDecision
Attributes.html, API_RespondActivityTaskCanceled.html, API_RecordActivityTaskHeartbeat.html),
timeouts that fire on time, and responses applied whole or not at all."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import Env
from test_unhandled_decision import decision

ACTIVITIES = "workers"


def register_activity(env: Env, **timeouts: str) -> None:
    defaults = {
        "defaultTaskScheduleToStartTimeout": "NONE",
        "defaultTaskScheduleToCloseTimeout": "NONE",
        "defaultTaskStartToCloseTimeout": "NONE",
        "defaultTaskHeartbeatTimeout": "NONE",
    }
    env.swf.register_activity_type(
        domain=env.domain, name="work", version="1",
        defaultTaskList={"name": ACTIVITIES}, **{**defaults, **timeouts},
    )


def schedule(env: Env, activity_id: str = "a-1") -> dict[str, str]:
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("ScheduleActivityTask", {
            "activityType": {"name": "work", "version": "1"}, "activityId": activity_id})],
    )
    return ex


def take_activity(env: Env) -> dict[str, Any]:
    task = env.swf.poll_for_activity_task(domain=env.domain, taskList={"name": ACTIVITIES})
    assert task.get("taskToken"), task
    return task


def last(env: Env, ex: dict[str, str], kind: str) -> dict[str, Any]:
    found = [e for e in env.history(ex) if e["eventType"] == kind]
    assert found, [e["eventType"] for e in env.history(ex)]
    return {"eventId": found[-1]["eventId"],
            **found[-1][kind[0].lower() + kind[1:] + "EventAttributes"]}


@pytest.mark.parametrize(
    "timeouts,start,kind",
    [
        ({"defaultTaskScheduleToStartTimeout": "1"}, False, "SCHEDULE_TO_START"),
        ({"defaultTaskScheduleToCloseTimeout": "1"}, True, "SCHEDULE_TO_CLOSE"),
        ({"defaultTaskStartToCloseTimeout": "1"}, True, "START_TO_CLOSE"),
        ({"defaultTaskHeartbeatTimeout": "1"}, True, "HEARTBEAT"),
    ],
)
def test_each_activity_timeout_fires_and_gives_the_decider_a_task(
    env: Env, timeouts: dict[str, str], start: bool, kind: str
) -> None:
    register_activity(env, **timeouts)
    ex = schedule(env)
    if start:
        task = take_activity(env)
        if kind == "HEARTBEAT":
            env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="50%")
    time.sleep(2.5)
    timed_out = last(env, ex, "ActivityTaskTimedOut")
    assert timed_out["timeoutType"] == kind
    scheduled = last(env, ex, "ActivityTaskScheduled")
    assert timed_out["scheduledEventId"] == scheduled["eventId"]
    if kind == "HEARTBEAT":
        assert timed_out["details"] == "50%"
    types = env.types(ex)
    assert types[types.index("ActivityTaskTimedOut") + 1] == "DecisionTaskScheduled"
    if start:
        with pytest.raises(ClientError):
            env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="late")


def test_canceling_a_scheduled_activity_cancels_it_at_once(env: Env) -> None:
    register_activity(env)
    ex = schedule(env, "a-7")
    env.signal(ex, "stop-it")
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("RequestCancelActivityTask", {"activityId": "a-7"}),
                   decision("RequestCancelActivityTask", {"activityId": "nope"})],
    )
    requested = last(env, ex, "ActivityTaskCancelRequested")
    canceled = last(env, ex, "ActivityTaskCanceled")
    assert requested["activityId"] == "a-7"
    assert canceled["latestCancelRequestedEventId"] == requested["eventId"]
    assert canceled["scheduledEventId"] == last(env, ex, "ActivityTaskScheduled")["eventId"]
    failed = last(env, ex, "RequestCancelActivityTaskFailed")
    assert (failed["activityId"], failed["cause"]) == ("nope", "ACTIVITY_ID_UNKNOWN")
    assert env.types(ex)[-1] == "DecisionTaskScheduled"
    # Nobody can take a canceled task.
    empty = env.swf.poll_for_activity_task(domain=env.domain, taskList={"name": ACTIVITIES})
    assert not empty.get("taskToken")


def test_a_started_activity_learns_of_the_request_and_answers_canceled(env: Env) -> None:
    register_activity(env)
    ex = schedule(env, "a-8")
    activity = take_activity(env)
    beat = env.swf.record_activity_task_heartbeat(taskToken=activity["taskToken"])
    assert beat["cancelRequested"] is False
    env.signal(ex, "stop-it")
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("RequestCancelActivityTask", {"activityId": "a-8"})],
    )
    assert "ActivityTaskCanceled" not in env.types(ex)
    beat = env.swf.record_activity_task_heartbeat(taskToken=activity["taskToken"])
    assert beat["cancelRequested"] is True
    env.swf.respond_activity_task_canceled(taskToken=activity["taskToken"], details="stopped")
    canceled = last(env, ex, "ActivityTaskCanceled")
    assert canceled["details"] == "stopped"
    assert canceled["latestCancelRequestedEventId"] == last(env, ex, "ActivityTaskCancelRequested")["eventId"]
    assert env.types(ex)[-1] == "DecisionTaskScheduled"
    described = env.swf.describe_workflow_execution(domain=env.domain, execution=ex)
    assert described["openCounts"]["openActivityTasks"] == 0


def test_timeouts_fire_on_time_without_a_request(swf: Any) -> None:
    env = Env(swf, task_start_to_close="1")
    ex = env.start()
    started_at = time.time()
    env.poll()
    time.sleep(3)  # no request at all meanwhile
    events = env.history(ex)
    types = [e["eventType"] for e in events]
    i = types.index("DecisionTaskTimedOut")
    assert types[i + 1] == "DecisionTaskScheduled"
    scheduled_at = events[i + 1]["eventTimestamp"].timestamp()
    # Scheduled by the server's clock about 1 s after the start, not when history was read.
    assert scheduled_at - started_at < 2.0, scheduled_at - started_at


def test_a_response_is_applied_whole_or_not_at_all(env: Env) -> None:
    ex = env.start()
    task = env.poll()
    before = env.types(ex)
    for decisions in (
        [decision("ContinueAsNewWorkflowExecution", {}),
         decision("CompleteWorkflowExecution", {})],
        [decision("RecordMarker", {"markerName": "m"}),
         decision("ScheduleLambdaFunction", {"id": "l", "name": "f"})],
    ):
        with pytest.raises(ClientError) as e:
            env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert env.types(ex) == before, "nothing written"
    # The task is still the decider's: a valid response goes through.
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=[decision("CompleteWorkflowExecution", {})])
    assert env.status(ex)["closeStatus"] == "COMPLETED"


def test_an_override_without_a_schedule_to_start_timeout(env: Env) -> None:
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=[], taskList={"name": "sticky"},
        taskListScheduleToStartTimeout="NONE",
    )
    env.signal(ex)
    task = env.poll("sticky")
    assert task["workflowExecution"] == ex


def test_answering_a_timed_out_activity_is_unknown_resource_not_a_500(env: Env) -> None:
    # API_RespondActivityTaskCompleted.html: "A task is closed after ... the task has timed
    # out"; a closed task's token is an unknown resource (moto answered HTTP 500).
    register_activity(env, defaultTaskStartToCloseTimeout="1")
    ex = schedule(env)
    task = take_activity(env)
    time.sleep(1.6)
    for call in (
        lambda: env.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="late"),
        lambda: env.swf.respond_activity_task_failed(taskToken=task["taskToken"], reason="late"),
        lambda: env.swf.record_activity_task_heartbeat(taskToken=task["taskToken"]),
    ):
        with pytest.raises(ClientError) as err:
            call()
        assert err.value.response["Error"]["Code"].endswith("UnknownResourceFault"), err.value.response
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    kinds = [e["eventType"] for e in env.history(ex)]
    assert "ActivityTaskCompleted" not in kinds and "ActivityTaskFailed" not in kinds, kinds
    assert kinds.count("ActivityTaskTimedOut") == 1, kinds


def test_an_activity_token_is_found_among_many_executions(env: Env) -> None:
    # Tokens are indexed (moto scanned every execution's every task per call): the right
    # task of the right execution is completed, the others stay open.
    register_activity(env)
    runs = [schedule(env, activity_id=f"a-{i}") for i in range(3)]
    tasks = [take_activity(env) for _ in runs]
    middle = tasks[1]
    env.swf.respond_activity_task_completed(taskToken=middle["taskToken"], result="r1")
    for ex, task in zip(runs, tasks):
        kinds = [e["eventType"] for e in env.history(ex)]
        done = ex["workflowId"] == middle["workflowExecution"]["workflowId"]
        assert ("ActivityTaskCompleted" in kinds) == done, (ex, kinds)
