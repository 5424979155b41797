"""Child workflow executions (API_StartChildWorkflowExecutionDecisionAttributes.html,
API_ChildWorkflowExecution*EventAttributes.html, API_StartChildWorkflowExecutionFailed
EventAttributes.html) and ContinueAsNew's registered defaults
(API_ContinueAsNewWorkflowExecutionDecisionAttributes.html)."""

from __future__ import annotations

from typing import Any

from conftest import Env
from test_unhandled_decision import decision


def start_child(workflow_id: str, **extra: Any) -> dict[str, Any]:
    return decision(
        "StartChildWorkflowExecution",
        {"workflowType": {"name": "wf", "version": "1"}, "workflowId": workflow_id,
         "input": "{\"n\":1}", "control": "kid", **extra},
    )


def open_children(env: Env, execution: dict[str, str]) -> int:
    described = env.swf.describe_workflow_execution(domain=env.domain, execution=execution)
    return described["openCounts"]["openChildWorkflowExecutions"]


def take(env: Env, workflow_id: str) -> dict[str, Any]:
    task = env.poll()
    assert task["workflowExecution"]["workflowId"] == workflow_id, task["workflowExecution"]
    return task


def attrs(events: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [e for e in events if e["eventType"] == kind]
    assert found, f"no {kind} in {[e['eventType'] for e in events]}"
    key = kind[0].lower() + kind[1:] + "EventAttributes"
    return {"eventId": found[-1]["eventId"], **found[-1][key]}


def test_a_child_starts_reports_started_and_its_result_reaches_the_parent(env: Env) -> None:
    parent = env.start("parent")
    task = take(env, "parent")
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"],
                                            decisions=[start_child("kid-1")])
    events = env.history(parent)
    initiated = attrs(events, "StartChildWorkflowExecutionInitiated")
    assert (initiated["workflowId"], initiated["control"], initiated["input"]) == (
        "kid-1", "kid", "{\"n\":1}")
    # The registered defaults fill what the decision left unset.
    assert (initiated["taskList"], initiated["childPolicy"]) == ({"name": "deciders"}, "TERMINATE")
    started = attrs(events, "ChildWorkflowExecutionStarted")
    assert started["initiatedEventId"] == initiated["eventId"]
    assert started["workflowType"] == {"name": "wf", "version": "1"}
    child = started["workflowExecution"]
    assert child["workflowId"] == "kid-1"
    first = env.history(child)[0]["workflowExecutionStartedEventAttributes"]
    assert first["parentWorkflowExecution"] == parent
    assert first["parentInitiatedEventId"] == initiated["eventId"]
    assert env.status(child)["parent"] == parent
    assert open_children(env, parent) == 1

    # The parent decides on ChildWorkflowExecutionStarted; the child completes.
    polled = {}
    for _ in range(2):
        t = env.poll()
        polled[t["workflowExecution"]["workflowId"]] = t
    assert set(polled) == {"parent", "kid-1"}
    env.swf.respond_decision_task_completed(taskToken=polled["parent"]["taskToken"], decisions=[])
    env.swf.respond_decision_task_completed(
        taskToken=polled["kid-1"]["taskToken"],
        decisions=[decision("CompleteWorkflowExecution", {"result": "42"})],
    )
    events = env.history(parent)
    done = attrs(events, "ChildWorkflowExecutionCompleted")
    assert (done["result"], done["workflowExecution"], done["initiatedEventId"],
            done["startedEventId"]) == ("42", child, initiated["eventId"], started["eventId"])
    assert events[-1]["eventType"] == "DecisionTaskScheduled"
    assert open_children(env, parent) == 0


def test_a_child_that_fails_is_reported_with_reason_and_details(env: Env) -> None:
    env.start("parent")
    task = take(env, "parent")
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"],
                                            decisions=[start_child("kid-2")])
    polled = {}
    for _ in range(2):
        t = env.poll()
        polled[t["workflowExecution"]["workflowId"]] = t
    env.swf.respond_decision_task_completed(
        taskToken=polled["kid-2"]["taskToken"],
        decisions=[decision("FailWorkflowExecution", {"reason": "no stock", "details": "sku 9"})],
    )
    events = env.history(polled["parent"]["workflowExecution"])
    failed = attrs(events, "ChildWorkflowExecutionFailed")
    assert (failed["reason"], failed["details"]) == ("no stock", "sku 9")


def test_start_failures_carry_swf_causes(env: Env) -> None:
    parent = env.start("parent")
    env.start("busy")
    task = take(env, "parent")
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[
            start_child("busy"),
            decision("StartChildWorkflowExecution",
                     {"workflowType": {"name": "nope", "version": "1"}, "workflowId": "x",
                      "control": "c-2"}),
        ],
    )
    events = env.history(parent)
    failures = [e["startChildWorkflowExecutionFailedEventAttributes"] for e in events
                if e["eventType"] == "StartChildWorkflowExecutionFailed"]
    initiated = attrs(events, "StartChildWorkflowExecutionInitiated")
    assert [(f["cause"], f["workflowId"], f["initiatedEventId"]) for f in failures] == [
        ("WORKFLOW_ALREADY_RUNNING", "busy", initiated["eventId"]),
        # No initiated event exists for a type that does not: initiatedEventId is 0.
        ("WORKFLOW_TYPE_DOES_NOT_EXIST", "x", 0),
    ]
    assert failures[1]["control"] == "c-2"
    assert events[-1]["eventType"] == "DecisionTaskScheduled"


def test_terminating_the_parent_applies_its_child_policy(env: Env) -> None:
    parent = env.start("parent", childPolicy="TERMINATE")
    task = take(env, "parent")
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[start_child("kid-t"), start_child("kid-c", childPolicy="ABANDON")],
    )
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="parent")
    kids = [e["childWorkflowExecutionStartedEventAttributes"]["workflowExecution"]
            for e in env.history(parent) if e["eventType"] == "ChildWorkflowExecutionStarted"]
    # The parent's policy, not the one each child was started with, decides.
    for kid in kids:
        info = env.status(kid)
        assert (info["executionStatus"], info["closeStatus"]) == ("CLOSED", "TERMINATED")
        terminated = env.history(kid)[-1]
        assert terminated["eventType"] == "WorkflowExecutionTerminated"
        assert terminated["workflowExecutionTerminatedEventAttributes"]["cause"] == (
            "CHILD_POLICY_APPLIED")
    # The parent's terminated event is its last: nothing is written to a closed run.
    assert env.history(parent)[-1]["eventType"] == "WorkflowExecutionTerminated"


def test_request_cancel_policy_and_a_completed_parent_leave_children_running(env: Env) -> None:
    parent = env.start("parent", childPolicy="REQUEST_CANCEL")
    task = take(env, "parent")
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"],
                                            decisions=[start_child("kid-r")])
    child = attrs(env.history(parent), "ChildWorkflowExecutionStarted")["workflowExecution"]
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="parent")
    requested = attrs(env.history(child), "WorkflowExecutionCancelRequested")
    assert requested["cause"] == "CHILD_POLICY_APPLIED"
    assert env.status(child)["executionStatus"] == "OPEN"

    # Completing a parent applies no policy (childPolicy is for terminate and timeouts).
    other = env.start("parent-2")
    polled = {}
    while "parent-2" not in polled:
        t = env.poll()
        polled[t["workflowExecution"]["workflowId"]] = t
    env.swf.respond_decision_task_completed(taskToken=polled["parent-2"]["taskToken"],
                                            decisions=[start_child("kid-k")])
    kid = attrs(env.history(other), "ChildWorkflowExecutionStarted")["workflowExecution"]
    t = env.poll()
    while t["workflowExecution"]["workflowId"] != "parent-2":
        t = env.poll()
    env.swf.respond_decision_task_completed(
        taskToken=t["taskToken"], decisions=[decision("CompleteWorkflowExecution", {})])
    assert env.status(kid)["executionStatus"] == "OPEN"


def test_continue_as_new_takes_the_registered_defaults(env: Env) -> None:
    first = env.start(taskList={"name": "elsewhere"}, childPolicy="ABANDON",
                      tagList=["t1"], executionStartToCloseTimeout="600")
    task = env.poll("elsewhere")
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("ContinueAsNewWorkflowExecution", {"input": "again"})],
    )
    closed = attrs(env.history(first), "WorkflowExecutionContinuedAsNew")
    new = {"workflowId": first["workflowId"], "runId": closed["newExecutionRunId"]}
    started = env.history(new)[0]["workflowExecutionStartedEventAttributes"]
    # Not this run's task list, policy, tags or timeout: the type's registered defaults.
    assert (started["taskList"], started["childPolicy"], started["executionStartToCloseTimeout"],
            started.get("tagList")) == ({"name": "deciders"}, "TERMINATE", "3600", None)
    assert started["continuedExecutionRunId"] == first["runId"]
    assert started["input"] == "again"
