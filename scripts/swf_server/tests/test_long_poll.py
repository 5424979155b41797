"""Behaviour 4: long polls hold until a task arrives or SWF_SERVER_POLL_SECONDS pass."""

from __future__ import annotations

import threading
import time
from typing import Any

from conftest import Env, client_for


def test_empty_poll_is_held_then_answers_empty(env: Env) -> None:
    began = time.monotonic()
    got = env.poll()
    held = time.monotonic() - began
    assert not got.get("taskToken")
    assert 0.9 <= held < 3, held  # SWF_SERVER_POLL_SECONDS=1 in the test server


def test_a_held_poll_answers_as_soon_as_a_task_is_scheduled(server_factory: Any) -> None:
    env = Env(client_for(server_factory(SWF_SERVER_POLL_SECONDS="20")))
    result: dict[str, Any] = {}

    def poll() -> None:
        result["task"] = env.poll()
        result["at"] = time.monotonic()

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.5)
    started = time.monotonic()
    ex = env.start()
    poller.join(timeout=10)
    assert result["task"]["workflowExecution"] == ex
    assert result["at"] - started < 0.5


def test_concurrent_polls_get_different_tasks(server_factory: Any) -> None:
    url = server_factory(SWF_SERVER_POLL_SECONDS="2")
    env = Env(client_for(url))
    runs = [env.start() for _ in range(2)]
    got: list[dict[str, Any]] = []
    lock = threading.Lock()

    def poll() -> None:
        task = client_for(url).poll_for_decision_task(
            domain=env.domain, taskList={"name": env.task_list}
        )
        with lock:
            got.append(task)

    threads = [threading.Thread(target=poll) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    tasks = [g for g in got if g.get("taskToken")]
    assert len(got) == 3
    assert len(tasks) == 2
    assert sorted(t["workflowExecution"]["runId"] for t in tasks) == sorted(r["runId"] for r in runs)


def test_activity_poll_is_held_until_an_activity_is_scheduled(server_factory: Any) -> None:
    env = Env(client_for(server_factory(SWF_SERVER_POLL_SECONDS="20")))
    env.swf.register_activity_type(
        domain=env.domain, name="act", version="1",
        defaultTaskScheduleToStartTimeout="60", defaultTaskScheduleToCloseTimeout="120",
        defaultTaskStartToCloseTimeout="60", defaultTaskHeartbeatTimeout="60",
    )
    result: dict[str, Any] = {}

    def poll() -> None:
        result["task"] = env.swf.poll_for_activity_task(domain=env.domain, taskList={"name": "acts"})
        result["at"] = time.monotonic()

    poller = threading.Thread(target=poll)
    poller.start()
    env.start()
    task = env.poll()
    time.sleep(0.3)
    scheduled = time.monotonic()
    env.swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[{
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "act", "version": "1"},
                "activityId": "a1",
                "taskList": {"name": "acts"},
            },
        }],
    )
    poller.join(timeout=10)
    assert result["task"]["activityId"] == "a1"
    assert result["at"] - scheduled < 0.5
