"""Behaviour 13: visibility calls honour their filters, order and pages
(API_ListOpenWorkflowExecutions.html, API_ListClosedWorkflowExecutions.html,
API_CountPendingDecisionTasks.html)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import Env

EPOCH = {"oldestDate": 0}


def _ids(page: dict[str, Any]) -> list[str]:
    return [i["execution"]["workflowId"] for i in page["executionInfos"]]


def _open(env: Env, **kw: Any) -> dict[str, Any]:
    return env.swf.list_open_workflow_executions(domain=env.domain, startTimeFilter=EPOCH, **kw)


def test_open_executions_filtered_by_id_type_and_tag(env: Env) -> None:
    env.swf.register_workflow_type(
        domain=env.domain, name="other", version="2", defaultTaskList={"name": "x"},
        defaultChildPolicy="TERMINATE", defaultTaskStartToCloseTimeout="30",
        defaultExecutionStartToCloseTimeout="3600",
    )
    a = env.start("a", tagList=["red"])
    env.start("b", tagList=["blue"])
    env.swf.start_workflow_execution(
        domain=env.domain, workflowId="c", workflowType={"name": "other", "version": "2"}
    )
    assert _ids(_open(env, executionFilter={"workflowId": "a"})) == ["a"]
    assert _open(env, executionFilter={"workflowId": "a"})["executionInfos"][0]["execution"][
        "runId"] == a["runId"]
    assert _ids(_open(env, executionFilter={"workflowId": "nobody"})) == []
    # moto returned a and b for a filter on b.
    assert _ids(_open(env, tagFilter={"tag": "blue"})) == ["b"]
    assert _ids(_open(env, typeFilter={"name": "other"})) == ["c"]
    assert _ids(_open(env, typeFilter={"name": "wf", "version": "1"})) == ["b", "a"]
    with pytest.raises(ClientError, match="mutually exclusive"):
        _open(env, tagFilter={"tag": "red"}, executionFilter={"workflowId": "a"})


def test_newest_first_time_windows_and_pages(env: Env) -> None:
    for i in range(5):
        env.start(f"w{i}")
        time.sleep(0.01)
    assert _ids(_open(env)) == ["w4", "w3", "w2", "w1", "w0"]
    assert _ids(_open(env, reverseOrder=True)) == ["w0", "w1", "w2", "w3", "w4"]
    first = _open(env, maximumPageSize=2)
    assert _ids(first) == ["w4", "w3"]
    # A run started between two pages neither repeats nor shifts what follows.
    env.start("late")
    second = _open(env, maximumPageSize=2, nextPageToken=first["nextPageToken"])
    assert _ids(second) == ["w2", "w1"]
    third = _open(env, maximumPageSize=2, nextPageToken=second["nextPageToken"])
    assert _ids(third) == ["w0"] and "nextPageToken" not in third
    with pytest.raises(ClientError, match="another request"):
        _open(env, maximumPageSize=2, reverseOrder=True, nextPageToken=first["nextPageToken"])
    future = {"oldestDate": time.time() + 3600}
    assert env.swf.list_open_workflow_executions(
        domain=env.domain, startTimeFilter=future)["executionInfos"] == []


def test_closed_executions_by_close_status_and_close_time(env: Env) -> None:
    done = env.start("done")
    env.start("killed")
    task = env.poll()
    assert task["workflowExecution"]["workflowId"] == "done"
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[{"decisionType": "CompleteWorkflowExecution",
                    "completeWorkflowExecutionDecisionAttributes": {"result": "ok"}}],
    )
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="killed")

    def closed(**kw: Any) -> list[str]:
        return _ids(env.swf.list_closed_workflow_executions(domain=env.domain, **kw))

    assert sorted(closed(startTimeFilter=EPOCH)) == ["done", "killed"]
    assert closed(closeTimeFilter=EPOCH, closeStatusFilter={"status": "COMPLETED"}) == ["done"]
    assert closed(closeTimeFilter=EPOCH, closeStatusFilter={"status": "TERMINATED"}) == ["killed"]
    assert closed(closeTimeFilter=EPOCH, executionFilter={"workflowId": "done"}) == ["done"]
    with pytest.raises(ClientError, match="exactly one"):
        env.swf.list_closed_workflow_executions(domain=env.domain)
    assert env.status(done)["executionStatus"] == "CLOSED"


def test_pending_decision_tasks_are_the_scheduled_ones(env: Env) -> None:
    def pending(task_list: str = "deciders") -> int:
        return env.swf.count_pending_decision_tasks(
            domain=env.domain, taskList={"name": task_list})["count"]

    ex = env.start()
    env.start()
    assert pending() == 2
    task = env.poll()
    assert pending() == 1  # started: no longer pending
    # The next task goes to an override list: counted there, not on the original.
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"], taskList={"name": "sticky-1"},
        taskListScheduleToStartTimeout="30",
    )
    env.signal({"workflowId": task["workflowExecution"]["workflowId"]})
    assert pending("sticky-1") == 1
    assert pending() == 1
    assert ex["workflowId"]


def test_count_open_and_closed_executions_with_the_list_filters(env: Env) -> None:
    # API_CountOpenWorkflowExecutions.html, API_CountClosedWorkflowExecutions.html (moto
    # has neither: HTTP 500).
    env.start("a", tagList=["red"])
    b = env.start("b", tagList=["blue"])
    env.start("c", tagList=["red"])
    env.swf.terminate_workflow_execution(domain=env.domain, workflowId="b", runId=b["runId"])
    count_open = env.swf.count_open_workflow_executions
    count_closed = env.swf.count_closed_workflow_executions
    assert count_open(domain=env.domain, startTimeFilter=EPOCH)["count"] == 2
    assert count_open(domain=env.domain, startTimeFilter=EPOCH, tagFilter={"tag": "red"})["count"] == 2
    assert count_open(domain=env.domain, startTimeFilter=EPOCH,
                      executionFilter={"workflowId": "b"})["count"] == 0
    closed = count_closed(domain=env.domain, startTimeFilter=EPOCH)
    assert closed == {**closed, "count": 1, "truncated": False}
    assert count_closed(domain=env.domain, closeTimeFilter=EPOCH,
                        closeStatusFilter={"status": "COMPLETED"})["count"] == 0
    assert count_closed(domain=env.domain, closeTimeFilter=EPOCH,
                        closeStatusFilter={"status": "TERMINATED"})["count"] == 1
    with pytest.raises(ClientError, match="mutually exclusive"):
        count_open(domain=env.domain, startTimeFilter=EPOCH, tagFilter={"tag": "red"},
                   executionFilter={"workflowId": "a"})
