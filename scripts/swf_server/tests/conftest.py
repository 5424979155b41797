"""Each test talks to a real `python -m swf_server` over HTTP with boto3."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import boto3
import pytest

SCRIPTS = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    full = {**os.environ, "PYTHONPATH": str(SCRIPTS), **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "swf_server"],
        env=full,
        cwd=SCRIPTS,  # not this folder: its modules would shadow moto's dependencies
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"swf_server did not start: {line!r}")
    return proc, line.removeprefix("listening on ")


@pytest.fixture(scope="session")
def server_factory() -> Iterator[Callable[..., str]]:
    procs: list[subprocess.Popen[str]] = []

    def start(**env: str) -> str:
        proc, url = _start({"SWF_SERVER_POLL_SECONDS": "1", **env})
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def url(server_factory: Callable[..., str]) -> str:
    return server_factory()


def client_for(url: str) -> Any:
    return boto3.client(
        "swf",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def swf(url: str) -> Any:
    return client_for(url)


class Env:
    """A fresh domain with one workflow type, and helpers to drive executions."""

    def __init__(self, swf: Any, task_start_to_close: str = "30") -> None:
        self.swf = swf
        self.domain = f"d-{uuid.uuid4().hex[:12]}"
        self.task_list = "deciders"
        swf.register_domain(name=self.domain, workflowExecutionRetentionPeriodInDays="1")
        swf.register_workflow_type(
            domain=self.domain,
            name="wf",
            version="1",
            defaultTaskList={"name": self.task_list},
            defaultChildPolicy="TERMINATE",
            defaultTaskStartToCloseTimeout=task_start_to_close,
            defaultExecutionStartToCloseTimeout="3600",
        )

    def start(self, workflow_id: str | None = None, **kw: Any) -> dict[str, str]:
        workflow_id = workflow_id or f"wf-{uuid.uuid4().hex[:8]}"
        run = self.swf.start_workflow_execution(
            domain=self.domain, workflowId=workflow_id,
            workflowType={"name": "wf", "version": "1"}, **kw,
        )
        return {"workflowId": workflow_id, "runId": run["runId"]}

    def poll(self, task_list: str | None = None, **kw: Any) -> dict[str, Any]:
        return self.swf.poll_for_decision_task(
            domain=self.domain, taskList={"name": task_list or self.task_list}, identity="t", **kw
        )

    def history(self, execution: dict[str, str]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        token = None
        while True:
            kw = {"nextPageToken": token} if token else {}
            page = self.swf.get_workflow_execution_history(
                domain=self.domain, execution=execution, **kw
            )
            events += page["events"]
            token = page.get("nextPageToken")
            if not token:
                return events

    def types(self, execution: dict[str, str]) -> list[str]:
        return [e["eventType"] for e in self.history(execution)]

    def signal(self, execution: dict[str, str], name: str = "go", input: str | None = None) -> None:
        kw = {"input": input} if input is not None else {}
        self.swf.signal_workflow_execution(
            domain=self.domain, workflowId=execution["workflowId"], signalName=name, **kw
        )

    def status(self, execution: dict[str, str]) -> dict[str, Any]:
        return self.swf.describe_workflow_execution(domain=self.domain, execution=execution)[
            "executionInfo"
        ]


@pytest.fixture
def env(swf: Any) -> Env:
    return Env(swf)
