"""Behaviour 7: SWF's length limits (characters, not bytes) and an optional signal input."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import Env


def unvalidated(url: str) -> Any:
    # botocore would refuse some of these before sending; the server must refuse them too.
    return boto3.client(
        "swf", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(parameter_validation=False, retries={"max_attempts": 1}),
    )


@pytest.fixture
def venv(url: str) -> Env:
    return Env(unvalidated(url))


def refused(call: Any, **kw: Any) -> str:
    with pytest.raises(ClientError) as e:
        call(**kw)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    return e.value.response["Error"]["Message"]


def test_input_counts_characters_not_bytes(venv: Env) -> None:
    ex = venv.start()
    venv.signal(ex, input="é" * 32768)  # 65,536 bytes, 32,768 characters: accepted
    msg = refused(venv.swf.signal_workflow_execution, domain=venv.domain,
                  workflowId=ex["workflowId"], signalName="s", input="é" * 32769)
    assert "at 'input'" in msg and "32768" in msg


def test_signal_name_length(venv: Env) -> None:
    ex = venv.start()
    refused(venv.swf.signal_workflow_execution, domain=venv.domain, workflowId=ex["workflowId"], signalName="")
    refused(venv.swf.signal_workflow_execution, domain=venv.domain, workflowId=ex["workflowId"], signalName="x" * 257)
    venv.signal(ex, name="x" * 256)


def test_signal_without_input(venv: Env) -> None:
    ex = venv.start()
    venv.signal(ex, name="bare")
    # The first decision task is still only scheduled, so the signal is the last event.
    signaled = venv.history(ex)[-1]
    assert signaled["workflowExecutionSignaledEventAttributes"] == {"signalName": "bare"}


def test_start_input(venv: Env) -> None:
    refused(venv.swf.start_workflow_execution, domain=venv.domain, workflowId="w",
            workflowType={"name": "wf", "version": "1"}, input="x" * 32769)


@pytest.mark.parametrize(
    "kind,attrs,where",
    [
        ("CompleteWorkflowExecution", {"result": "x" * 32769}, "completeWorkflowExecutionDecisionAttributes.result"),
        ("FailWorkflowExecution", {"reason": "x" * 257}, "failWorkflowExecutionDecisionAttributes.reason"),
        ("FailWorkflowExecution", {"details": "x" * 32769}, "failWorkflowExecutionDecisionAttributes.details"),
        ("RecordMarker", {"markerName": "m", "details": "x" * 32769}, "recordMarkerDecisionAttributes.details"),
        ("SignalExternalWorkflowExecution",
         {"workflowId": "w", "signalName": "s", "control": "x" * 32769},
         "signalExternalWorkflowExecutionDecisionAttributes.control"),
        ("SignalExternalWorkflowExecution",
         {"workflowId": "w", "signalName": "x" * 257},
         "signalExternalWorkflowExecutionDecisionAttributes.signalName"),
    ],
)
def test_decision_attributes(venv: Env, kind: str, attrs: dict, where: str) -> None:
    ex = venv.start()
    task = venv.poll()
    key = kind[0].lower() + kind[1:] + "DecisionAttributes"
    msg = refused(venv.swf.respond_decision_task_completed, taskToken=task["taskToken"],
                  decisions=[{"decisionType": kind, key: attrs}])
    assert f"decisions.1.member.{where}" in msg
    # Nothing of a refused response happened: the task is still started.
    assert venv.history(ex)[-1]["eventType"] == "DecisionTaskStarted"
    venv.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])


def test_activity_failure_reason(venv: Env) -> None:
    refused(venv.swf.respond_activity_task_failed, taskToken="t", reason="x" * 257)
