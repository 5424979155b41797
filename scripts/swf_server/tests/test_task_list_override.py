"""Behaviour 5: RespondDecisionTaskCompleted's taskList and taskListScheduleToStartTimeout."""

from __future__ import annotations

import time

from conftest import Env


def stick(env: Env, task: dict, timeout: str | None = "1") -> None:
    kw = {"taskListScheduleToStartTimeout": timeout} if timeout else {}
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=[], taskList={"name": "sticky"}, **kw
    )


def test_next_decision_task_goes_to_the_override_list(env: Env) -> None:
    ex = env.start()
    stick(env, env.poll())
    completed = env.history(ex)[-1]
    assert completed["decisionTaskCompletedEventAttributes"]["taskList"] == {"name": "sticky"}
    assert completed["decisionTaskCompletedEventAttributes"]["taskListScheduleToStartTimeout"] == "1"
    env.signal(ex)
    scheduled = env.history(ex)[-1]["decisionTaskScheduledEventAttributes"]
    assert scheduled["taskList"] == {"name": "sticky"}
    assert scheduled["scheduleToStartTimeout"] == "1"
    task = env.poll("sticky")
    assert task["workflowExecution"] == ex


def test_not_started_in_time_times_out_and_reverts_to_the_original_list(env: Env) -> None:
    ex = env.start()
    stick(env, env.poll())
    env.signal(ex)
    time.sleep(1.2)
    task = env.poll()  # the original list
    assert task["workflowExecution"] == ex
    types = [e["eventType"] for e in task["events"]]
    assert types[-4:] == [
        "DecisionTaskScheduled", "DecisionTaskTimedOut", "DecisionTaskScheduled", "DecisionTaskStarted"
    ]
    timed_out = task["events"][-3]["decisionTaskTimedOutEventAttributes"]
    assert timed_out["timeoutType"] == "SCHEDULE_TO_START"
    assert timed_out["scheduledEventId"] == task["events"][-4]["eventId"]
    assert "startedEventId" not in timed_out
    assert task["events"][-2]["decisionTaskScheduledEventAttributes"]["taskList"] == {"name": "deciders"}
    # Reverted: later tasks go to the original list too.
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])
    env.signal(ex)
    assert env.history(ex)[-1]["decisionTaskScheduledEventAttributes"]["taskList"] == {"name": "deciders"}


def test_override_without_timeout_is_permanent(env: Env) -> None:
    ex = env.start()
    stick(env, env.poll(), timeout=None)
    env.signal(ex)
    time.sleep(1.2)
    assert not env.poll().get("taskToken")
    assert env.poll("sticky")["workflowExecution"] == ex
