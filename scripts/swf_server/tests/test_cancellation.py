"""Behaviour 14: cancellation requested by the API and by another execution's decision
(API_RequestCancelWorkflowExecution.html,
API_RequestCancelExternalWorkflowExecutionDecisionAttributes.html)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conftest import Env
from test_unhandled_decision import decision


def test_a_cancel_request_is_recorded_flagged_and_decided(env: Env) -> None:
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])
    # moto answered HTTP 500 here.
    env.swf.request_cancel_workflow_execution(domain=env.domain, workflowId=ex["workflowId"])
    assert env.status(ex)["cancelRequested"] is True
    task = env.poll()
    types = [e["eventType"] for e in task["events"]]
    assert types[-3:] == ["WorkflowExecutionCancelRequested", "DecisionTaskScheduled",
                          "DecisionTaskStarted"]
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[decision("CancelWorkflowExecution", {"details": "asked to"})],
    )
    info = env.status(ex)
    assert (info["executionStatus"], info["closeStatus"]) == ("CLOSED", "CANCELED")
    # A closed (or unknown) execution cannot be asked.
    with pytest.raises(ClientError) as e:
        env.swf.request_cancel_workflow_execution(domain=env.domain, workflowId=ex["workflowId"])
    assert e.value.response["Error"]["Code"] == "UnknownResourceFault"


def test_one_execution_asks_another_to_cancel(env: Env) -> None:
    target = env.start("target")
    sender = env.start("sender")
    for _ in range(2):  # both first tasks, nothing decided
        task = env.poll()
        env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])
    env.signal(sender, "go")
    task = env.poll()
    assert task["workflowExecution"]["workflowId"] == "sender"
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[
            decision("RequestCancelExternalWorkflowExecution",
                     {"workflowId": "target", "control": "c-1"}),
            decision("RequestCancelExternalWorkflowExecution", {"workflowId": "nobody"}),
        ],
    )
    sent = env.history(sender)
    by_type = {e["eventType"]: e for e in sent}
    initiated = [e for e in sent if e["eventType"] == "RequestCancelExternalWorkflowExecutionInitiated"]
    assert [i["requestCancelExternalWorkflowExecutionInitiatedEventAttributes"]["workflowId"]
            for i in initiated] == ["target", "nobody"]
    assert initiated[0]["requestCancelExternalWorkflowExecutionInitiatedEventAttributes"][
        "control"] == "c-1"
    asked = by_type["ExternalWorkflowExecutionCancelRequested"][
        "externalWorkflowExecutionCancelRequestedEventAttributes"]
    assert asked["initiatedEventId"] == initiated[0]["eventId"]
    assert asked["workflowExecution"]["workflowId"] == "target"
    failed = by_type["RequestCancelExternalWorkflowExecutionFailed"][
        "requestCancelExternalWorkflowExecutionFailedEventAttributes"]
    assert failed["cause"] == "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    assert failed["initiatedEventId"] == initiated[1]["eventId"]
    requested = [e for e in env.history(target) if e["eventType"] == "WorkflowExecutionCancelRequested"]
    attrs = requested[0]["workflowExecutionCancelRequestedEventAttributes"]
    assert attrs["externalWorkflowExecution"] == {"workflowId": "sender", "runId": sender["runId"]}
    assert attrs["externalInitiatedEventId"] == initiated[0]["eventId"]
    assert env.status(target)["cancelRequested"] is True
    # Both have a decision task to decide on it.
    polled = {env.poll()["workflowExecution"]["workflowId"] for _ in range(2)}
    assert polled == {"target", "sender"}
