"""Behaviour 6: per-API token buckets answering HTTP 400 ThrottlingException."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import SCRIPTS, Env, client_for

import boto3


def no_retry_client(url: str) -> Any:
    return boto3.client(
        "swf", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def test_over_quota_is_a_throttle_and_the_bucket_refills(server_factory: Any) -> None:
    url = server_factory(SWF_SERVER_THROTTLE="SignalWorkflowExecution=5/0.5")
    env = Env(no_retry_client(url))
    ex = env.start()
    for _ in range(5):
        env.signal(ex)
    with pytest.raises(ClientError) as e:
        env.signal(ex)
    assert e.value.response["Error"]["Code"] == "ThrottlingException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # Other APIs are not throttled.
    env.status(ex)
    time.sleep(2.2)  # refill 0.5/s: one token
    env.signal(ex)
    signals = [t for t in env.types(ex) if t == "WorkflowExecutionSignaled"]
    assert len(signals) == 6


def test_default_profile_is_swf_quota() -> None:
    sys.path.insert(0, str(SCRIPTS))
    from swf_server import throttle

    assert throttle.parse("default") == {"SignalWorkflowExecution": (2000.0, 30.0)}
    assert throttle.parse("default,PollForDecisionTask=10/1")["PollForDecisionTask"] == (10.0, 1.0)
    with pytest.raises(ValueError, match="Api=BUCKET/REFILL"):
        throttle.parse("SignalWorkflowExecution=fast")


def test_a_bad_setting_stops_the_server() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "swf_server"],
        env={"PYTHONPATH": str(SCRIPTS), "SWF_SERVER_THROTTLE": "nonsense"},
        cwd=SCRIPTS,
        capture_output=True, text=True, timeout=30,
    )
    assert proc.returncode == 2
    assert "SWF_SERVER_THROTTLE" in proc.stderr


def test_off_by_default(env: Env) -> None:
    ex = env.start()
    for _ in range(50):
        env.signal(ex)
    assert env.types(ex).count("WorkflowExecutionSignaled") == 50
