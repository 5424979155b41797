"""Connections are kept alive, as SWF's endpoints keep them (HTTP/1.1), and held long polls
do not starve other calls.

werkzeug's development server, which served moto's app before, closed the connection
after every answer: each SDK call paid a new TCP connection (0.39 ms of the Rust client's
CPU per small call against 0.27 ms kept alive), which no client of the real service pays.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from typing import Any
from urllib.parse import urlparse

import boto3
import botocore.config

from conftest import Env, client_for


def _call(conn: http.client.HTTPConnection, action: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], str | None]:
    conn.request(
        "POST",
        "/",
        body=json.dumps(body),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"SimpleWorkflowService.{action}",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20261203/us-east-1/swf/aws4_request, SignedHeaders=host, Signature=0",
        },
    )
    response = conn.getresponse()
    payload = json.loads(response.read() or b"{}")
    return response.status, payload, response.getheader("Connection")


def test_one_connection_serves_many_calls(url: str, env: Env) -> None:
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    status, _, _ = _call(conn, "DescribeDomain", {"name": env.domain})
    assert status == 200
    sock = conn.sock
    assert sock is not None, "the server closed the connection after the first answer"
    for _ in range(5):
        status, payload, connection = _call(conn, "DescribeDomain", {"name": env.domain})
        assert status == 200, payload
        assert payload["domainInfo"]["name"] == env.domain
        assert (connection or "").lower() != "close"
        assert conn.sock is sock, "a new connection was opened"
    conn.close()


def test_held_polls_do_not_stop_other_calls(server_factory: Any) -> None:
    url = server_factory(SWF_SERVER_POLL_SECONDS="3")
    env = Env(client_for(url))
    # More held polls than a small thread pool would have (each holds one of the server's
    # threads until it is answered), each on a connection of its own.
    polls = boto3.client(
        "swf",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=botocore.config.Config(max_pool_connections=64, read_timeout=30),
    )

    def poll() -> None:
        polls.poll_for_decision_task(
            domain=env.domain, taskList={"name": env.task_list}, identity="held"
        )

    pollers = [threading.Thread(target=poll) for _ in range(40)]
    for p in pollers:
        p.start()
    time.sleep(0.5)
    began = time.monotonic()
    ex = env.start()
    assert ex["workflowId"]
    assert time.monotonic() - began < 1.0, "a call waited behind held polls"
    for p in pollers:
        p.join(timeout=10)
        assert not p.is_alive()
