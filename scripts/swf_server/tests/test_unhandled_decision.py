"""Behaviour 1: close decisions fail with UNHANDLED_DECISION when unseen events arrived."""

from __future__ import annotations

import pytest

from conftest import Env

CLOSE = {
    "CompleteWorkflowExecution": {"result": "done"},
    "FailWorkflowExecution": {"reason": "r", "details": "d"},
    "CancelWorkflowExecution": {"details": "d"},
    "ContinueAsNewWorkflowExecution": {"input": "again"},
}


def decision(kind: str, attrs: dict) -> dict:
    return {"decisionType": kind, kind[0].lower() + kind[1:] + "DecisionAttributes": attrs}


@pytest.mark.parametrize("kind", list(CLOSE))
def test_close_decision_after_an_unseen_signal_fails_and_the_other_decisions_happen(
    env: Env, kind: str
) -> None:
    ex = env.start()
    task = env.poll()
    assert [e["eventId"] for e in task["events"]] == [1, 2, 3]
    env.signal(ex, "late", "x")  # arrives while the decider decides
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("RecordMarker", {"markerName": "m"}), decision(kind, CLOSE[kind])],
    )
    events = env.history(ex)
    # One open decision task at a time: the signal's task is scheduled after this one
    # completed and its decisions' events were recorded.
    assert [e["eventType"] for e in events] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "WorkflowExecutionSignaled",
        "DecisionTaskCompleted",
        "MarkerRecorded",
        f"{kind}Failed",
        "DecisionTaskScheduled",
    ]
    attrs = events[6][f"{kind[0].lower() + kind[1:]}FailedEventAttributes"]
    assert attrs == {"cause": "UNHANDLED_DECISION", "decisionTaskCompletedEventId": 5}
    assert env.status(ex)["executionStatus"] == "OPEN"

    # The next task carries the signal; SWF's previousStartedEventId is the task the
    # decider processed. Deciding again closes the execution.
    task2 = env.poll()
    assert task2["previousStartedEventId"] == 3
    assert task2["startedEventId"] == 9
    assert [e["eventType"] for e in task2["events"]][-1] == "DecisionTaskStarted"
    env.swf.respond_decision_task_completed(
        taskToken=task2["taskToken"], decisions=[decision(kind, CLOSE[kind])]
    )
    info = env.status(ex)
    assert info["executionStatus"] == "CLOSED"


def test_close_decision_with_nothing_unseen_closes(env: Env) -> None:
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=[decision("CompleteWorkflowExecution", {"result": "ok"})]
    )
    assert env.types(ex)[-1] == "WorkflowExecutionCompleted"
    assert env.status(ex)["closeStatus"] == "COMPLETED"


def test_a_signal_seen_in_the_task_does_not_count(env: Env) -> None:
    ex = env.start()
    env.signal(ex, "early")  # before the task starts: in its history
    task = env.poll()
    assert "WorkflowExecutionSignaled" in [e["eventType"] for e in task["events"]]
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=[decision("CompleteWorkflowExecution", {})]
    )
    assert env.status(ex)["closeStatus"] == "COMPLETED"


def test_continue_as_new_starts_a_new_run(env: Env) -> None:
    ex = env.start(input="first")
    task = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("ContinueAsNewWorkflowExecution", {"input": "second"})],
    )
    events = env.history(ex)
    last = events[-1]
    assert last["eventType"] == "WorkflowExecutionContinuedAsNew"
    new_run = last["workflowExecutionContinuedAsNewEventAttributes"]["newExecutionRunId"]
    assert env.status(ex)["closeStatus"] == "CONTINUED_AS_NEW"
    new = {"workflowId": ex["workflowId"], "runId": new_run}
    started = env.history(new)[0]["workflowExecutionStartedEventAttributes"]
    assert started["input"] == "second"
    assert started["continuedExecutionRunId"] == ex["runId"]
    assert env.status(new)["executionStatus"] == "OPEN"


def test_one_open_decision_task_and_the_timeout_before_the_next(server_factory) -> None:  # type: ignore[no-untyped-def]
    # API_WorkflowExecutionOpenCounts.html: openDecisionTasks is 0 or 1. A signal while a
    # task is started schedules nothing until that task ends; after a start-to-close
    # timeout, DecisionTaskTimedOut comes first, then the next DecisionTaskScheduled.
    import time

    from conftest import client_for

    env = Env(client_for(server_factory()), task_start_to_close="1")
    ex = env.start()
    env.poll()
    env.signal(ex, "during")
    info = env.swf.describe_workflow_execution(domain=env.domain, execution=ex)
    assert info["openCounts"]["openDecisionTasks"] == 1
    assert env.types(ex)[-1] == "WorkflowExecutionSignaled"
    time.sleep(1.5)
    env.status(ex)  # timeouts are processed when a request comes in
    assert env.types(ex)[-2:] == ["DecisionTaskTimedOut", "DecisionTaskScheduled"]
    info = env.swf.describe_workflow_execution(domain=env.domain, execution=ex)
    assert info["openCounts"]["openDecisionTasks"] == 1
