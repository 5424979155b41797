"""Behaviour 2: SignalExternalWorkflowExecution decisions, end to end."""

from __future__ import annotations

import time
from typing import Any

from conftest import Env, client_for

OUTCOMES = ("ExternalWorkflowExecutionSignaled", "SignalExternalWorkflowExecutionFailed")


def signal_external(token_task: dict, env: Env, **attrs: str) -> None:
    """Responds with the decision, then waits for its delivery (asynchronous, 50 ms)."""
    env.swf.respond_decision_task_completed(
        taskToken=token_task["taskToken"],
        decisions=[
            {
                "decisionType": "SignalExternalWorkflowExecution",
                "signalExternalWorkflowExecutionDecisionAttributes": attrs,
            }
        ],
    )
    deadline = time.monotonic() + 5
    while not any(t in OUTCOMES for t in env.types(token_task["workflowExecution"])):
        assert time.monotonic() < deadline, "never delivered"
        time.sleep(0.02)


def test_delivery_is_asynchronous_and_can_land_during_the_next_decision(
    server_factory: Any,
) -> None:
    # The sender first records only the initiation; the delivery and its outcome come
    # later, and an outcome landing while the sender decides again fails that task's
    # close decision with UNHANDLED_DECISION, as on SWF.
    env = Env(client_for(server_factory(SWF_SERVER_DELIVERY_DELAY_MS="800")))
    target = env.start("target")
    sender = env.start("sender")
    env.swf.respond_decision_task_completed(taskToken=env.poll()["taskToken"], decisions=[])
    s = env.poll()
    assert s["workflowExecution"] == sender
    env.swf.respond_decision_task_completed(
        taskToken=s["taskToken"],
        decisions=[{
            "decisionType": "SignalExternalWorkflowExecution",
            "signalExternalWorkflowExecutionDecisionAttributes": {
                "workflowId": "target", "signalName": "ping"},
        }],
    )
    assert env.types(sender)[-1] == "SignalExternalWorkflowExecutionInitiated"
    assert "WorkflowExecutionSignaled" not in env.types(target)
    env.signal(sender, "nudge")  # a task for the sender, started before the delivery
    s2 = env.poll()
    assert s2["workflowExecution"] == sender
    time.sleep(1.2)
    assert "WorkflowExecutionSignaled" in env.types(target)
    env.swf.respond_decision_task_completed(
        taskToken=s2["taskToken"],
        decisions=[{"decisionType": "CompleteWorkflowExecution",
                    "completeWorkflowExecutionDecisionAttributes": {}}],
    )
    types = env.types(sender)
    assert "ExternalWorkflowExecutionSignaled" in types
    assert types[-2:] == ["CompleteWorkflowExecutionFailed", "DecisionTaskScheduled"]


def test_delivered_signal_in_both_histories(env: Env) -> None:
    target = env.start("target")
    sender = env.start("sender")
    # Decide the target's first task so its next one is caused by the signal.
    t = env.poll()
    assert t["workflowExecution"] == target
    env.swf.respond_decision_task_completed(taskToken=t["taskToken"], decisions=[])
    s = env.poll()
    assert s["workflowExecution"] == sender
    signal_external(s, env, workflowId="target", signalName="ping", input='{"n":1}', control="c-1")

    sent = env.history(sender)
    assert [e["eventType"] for e in sent[3:]] == [
        "DecisionTaskCompleted",
        "SignalExternalWorkflowExecutionInitiated",
        "ExternalWorkflowExecutionSignaled",
        "DecisionTaskScheduled",
    ]
    initiated = sent[4]
    assert initiated["signalExternalWorkflowExecutionInitiatedEventAttributes"] == {
        "workflowId": "target",
        "signalName": "ping",
        "input": '{"n":1}',
        "control": "c-1",
        "decisionTaskCompletedEventId": 4,
    }
    assert sent[5]["externalWorkflowExecutionSignaledEventAttributes"] == {
        "workflowExecution": target,
        "initiatedEventId": initiated["eventId"],
    }

    got = env.history(target)
    signaled = [e for e in got if e["eventType"] == "WorkflowExecutionSignaled"]
    assert len(signaled) == 1
    assert signaled[0]["workflowExecutionSignaledEventAttributes"] == {
        "signalName": "ping",
        "input": '{"n":1}',
        "externalWorkflowExecution": sender,
        "externalInitiatedEventId": initiated["eventId"],
    }
    assert got[-1]["eventType"] == "DecisionTaskScheduled"
    # ... and the target's decider gets a task with it.
    t2 = env.poll()
    assert t2["workflowExecution"] == target
    assert t2["events"][-2]["eventType"] in ("WorkflowExecutionSignaled", "DecisionTaskScheduled")


def test_unknown_target_fails_with_cause_and_control(env: Env) -> None:
    sender = env.start("sender")
    s = env.poll()
    signal_external(s, env, workflowId="nobody", signalName="ping", control="c-2")
    sent = env.history(sender)
    failed = sent[-2]
    assert failed["eventType"] == "SignalExternalWorkflowExecutionFailed"
    assert failed["signalExternalWorkflowExecutionFailedEventAttributes"] == {
        "workflowId": "nobody",
        "cause": "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        "initiatedEventId": sent[-3]["eventId"],
        "decisionTaskCompletedEventId": 4,
        "control": "c-2",
    }
    assert sent[-1]["eventType"] == "DecisionTaskScheduled"


def test_run_id_that_does_not_match_fails(env: Env) -> None:
    env.start("target")
    sender = env.start("sender")
    env.swf.respond_decision_task_completed(taskToken=env.poll()["taskToken"], decisions=[])
    s = env.poll()
    assert s["workflowExecution"] == sender
    signal_external(s, env, workflowId="target", runId="not-the-run", signalName="ping")
    failed = [e for e in env.history(sender) if e["eventType"] == "SignalExternalWorkflowExecutionFailed"]
    assert len(failed) == 1
    attrs = failed[0]["signalExternalWorkflowExecutionFailedEventAttributes"]
    assert attrs["cause"] == "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    assert attrs["runId"] == "not-the-run"


def test_closed_target_fails(env: Env) -> None:
    target = env.start("target")
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="target")
    env.start("sender")
    s = env.poll()
    signal_external(s, env, workflowId="target", runId=target["runId"], signalName="ping")
    assert "SignalExternalWorkflowExecutionFailed" in env.types(s["workflowExecution"])
