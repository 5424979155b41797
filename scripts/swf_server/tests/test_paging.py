"""Behaviour 3: history pages, reverse order, startAtPreviousStartedEvent."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conftest import Env, client_for


def many_signals(env: Env, ex: dict, n: int) -> None:
    for i in range(n):
        env.signal(ex, "s", str(i))


def test_decision_task_pages_follow_the_token_without_starting_another_task(env: Env, url: str) -> None:
    ex = env.start()
    many_signals(env, ex, 2500)
    first = env.poll()
    pages = [first]
    while "nextPageToken" in pages[-1]:
        pages.append(env.poll(nextPageToken=pages[-1]["nextPageToken"]))
    assert [len(p["events"]) for p in pages] == [1000, 1000, 503]
    ids = [e["eventId"] for p in pages for e in p["events"]]
    # 1 started + 1 scheduled + 2,500 signals + the started event of this task.
    assert ids == list(range(1, 2504))
    assert all(p["taskToken"] == first["taskToken"] for p in pages)
    assert {p["startedEventId"] for p in pages} == {2503}
    # Still one task started: another poller finds nothing.
    other = client_for(url).poll_for_decision_task(domain=env.domain, taskList={"name": env.task_list})
    assert not other.get("taskToken")


def test_reverse_order_and_page_size(env: Env) -> None:
    ex = env.start()
    many_signals(env, ex, 20)
    task = env.poll(reverseOrder=True, maximumPageSize=10)
    assert [e["eventId"] for e in task["events"]] == list(range(23, 13, -1))
    nxt = env.poll(reverseOrder=True, maximumPageSize=10, nextPageToken=task["nextPageToken"])
    assert [e["eventId"] for e in nxt["events"]] == list(range(13, 3, -1))
    last = env.poll(reverseOrder=True, maximumPageSize=10, nextPageToken=nxt["nextPageToken"])
    assert [e["eventId"] for e in last["events"]] == [3, 2, 1]
    assert "nextPageToken" not in last


def test_history_pages(env: Env) -> None:
    ex = env.start()
    many_signals(env, ex, 150)
    page1 = env.swf.get_workflow_execution_history(domain=env.domain, execution=ex, maximumPageSize=100)
    assert [e["eventId"] for e in page1["events"]] == list(range(1, 101))
    page2 = env.swf.get_workflow_execution_history(
        domain=env.domain, execution=ex, maximumPageSize=100, nextPageToken=page1["nextPageToken"]
    )
    assert [e["eventId"] for e in page2["events"]] == list(range(101, 153))
    assert "nextPageToken" not in page2
    rev = env.swf.get_workflow_execution_history(
        domain=env.domain, execution=ex, maximumPageSize=5, reverseOrder=True
    )
    assert [e["eventId"] for e in rev["events"]] == [152, 151, 150, 149, 148]
    whole = env.swf.get_workflow_execution_history(domain=env.domain, execution=ex)
    assert len(whole["events"]) == 152  # default page size 1000


def test_page_size_over_1000_is_refused(env: Env) -> None:
    ex = env.start()
    with pytest.raises(ClientError) as e:
        env.swf.get_workflow_execution_history(domain=env.domain, execution=ex, maximumPageSize=1001)
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_start_at_previous_started_event(env: Env) -> None:
    ex = env.start()
    task = env.poll()
    env.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])
    many_signals(env, ex, 3)
    task2 = env.poll(startAtPreviousStartedEvent=True)
    assert task2["previousStartedEventId"] == 3
    assert [e["eventId"] for e in task2["events"]] == [3, 4, 5, 6, 7, 8, 9]
    assert task2["events"][0]["eventType"] == "DecisionTaskStarted"
    assert task2["events"][-1]["eventType"] == "DecisionTaskStarted"


def test_first_task_with_start_at_previous_is_the_whole_history(env: Env) -> None:
    env.start()
    task = env.poll(startAtPreviousStartedEvent=True)
    assert [e["eventId"] for e in task["events"]] == [1, 2, 3]


def test_reverse_pages_of_a_live_execution_neither_repeat_nor_skip(env: Env) -> None:
    # API_GetWorkflowExecutionHistory.html: nextPageToken continues the same listing.
    # moto-style offsets from the end repeated events once the history grew between pages.
    ex = env.start()
    many_signals(env, ex, 10)
    seen: list[int] = []
    token = None
    while True:
        kw = {"nextPageToken": token} if token else {}
        page = env.swf.get_workflow_execution_history(
            domain=env.domain, execution=ex, maximumPageSize=4, reverseOrder=True, **kw
        )
        seen += [e["eventId"] for e in page["events"]]
        env.signal(ex, "meanwhile")  # the history grows between pages
        token = page.get("nextPageToken")
        if not token:
            break
    assert seen == list(range(12, 0, -1))
    # Forward pages likewise end where the history ended at the first page... and go on.
    ids: list[int] = []
    token = None
    while True:
        kw = {"nextPageToken": token} if token else {}
        page = env.swf.get_workflow_execution_history(
            domain=env.domain, execution=ex, maximumPageSize=5, **kw
        )
        ids += [e["eventId"] for e in page["events"]]
        token = page.get("nextPageToken")
        if not token:
            break
    assert ids == list(range(1, len(ids) + 1))
