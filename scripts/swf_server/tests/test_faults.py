"""Behaviour 11: injected faults (SWF_SERVER_FAULTS, SWF_SERVER_FAULT_SEED).

CommonErrors.html: SWF answers an internal error with HTTP 500 `InternalFailure`. A
`fail` is answered before anything is applied, a `lose` after the call was applied,
a `delay` holds the answer up to 2 s.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import SCRIPTS, Env
from test_throttle import no_retry_client


def _signals(env: Env, ex: dict[str, str]) -> int:
    return env.types(ex).count("WorkflowExecutionSignaled")


def test_fail_is_a_500_before_anything_is_applied(server_factory: Any) -> None:
    url = server_factory(SWF_SERVER_FAULTS="SignalWorkflowExecution=fail:1")
    env = Env(no_retry_client(url))
    ex = env.start()
    with pytest.raises(ClientError) as e:
        env.signal(ex)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert e.value.response["Error"]["Code"] == "InternalFailure"
    assert _signals(env, ex) == 0
    # Other APIs answer as usual.
    assert env.status(ex)["executionStatus"] == "OPEN"


def test_lose_applies_the_call_then_answers_500(server_factory: Any) -> None:
    url = server_factory(SWF_SERVER_FAULTS="SignalWorkflowExecution=lose:1")
    env = Env(no_retry_client(url))
    ex = env.start()
    with pytest.raises(ClientError) as e:
        env.signal(ex)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    # The answer was lost, not the call: a resend records the signal twice, as on SWF.
    assert _signals(env, ex) == 1
    with pytest.raises(ClientError):
        env.signal(ex)
    assert _signals(env, ex) == 2


def test_delay_holds_the_answer_up_to_two_seconds(server_factory: Any) -> None:
    url = server_factory(
        SWF_SERVER_FAULTS="DescribeWorkflowExecution=delay:1", SWF_SERVER_FAULT_SEED="7"
    )
    env = Env(no_retry_client(url))
    ex = env.start()
    took = []
    for _ in range(3):
        began = time.monotonic()
        assert env.status(ex)["executionStatus"] == "OPEN"
        took.append(time.monotonic() - began)
    assert all(t <= 2.5 for t in took), took
    assert sum(took) > 0.3, took  # three draws of up to 2 s each
    # Held calls do not hold the others up.
    began = time.monotonic()
    env.signal(ex)
    assert time.monotonic() - began < 0.5


def test_a_seed_makes_the_faults_reproducible(server_factory: Any) -> None:
    def pattern() -> list[bool]:
        url = server_factory(
            SWF_SERVER_FAULTS="SignalWorkflowExecution=fail:0.5", SWF_SERVER_FAULT_SEED="42"
        )
        env = Env(no_retry_client(url))
        ex = env.start()
        failed = []
        for _ in range(24):
            try:
                env.signal(ex)
                failed.append(False)
            except ClientError:
                failed.append(True)
        assert _signals(env, ex) == failed.count(False)
        return failed

    first, second = pattern(), pattern()
    assert first == second
    assert 3 <= first.count(True) <= 21, first


def test_off_by_default_and_a_bad_setting_stops_the_server(env: Env) -> None:
    ex = env.start()
    for _ in range(20):
        env.signal(ex)
    assert _signals(env, ex) == 20
    sys.path.insert(0, str(SCRIPTS))
    from swf_server import faults

    assert faults.parse("A=fail:0.1,A=delay:1,B=lose:0") == {
        "A": [("fail", 0.1), ("delay", 1.0)],
        "B": [("lose", 0.0)],
    }
    for bad in ("A=explode:0.1", "A=fail:2", "A=fail"):
        with pytest.raises(ValueError, match="SWF_SERVER_FAULTS"):
            faults.parse(bad)
    proc = subprocess.run(
        [sys.executable, "-m", "swf_server"],
        env={"PYTHONPATH": str(SCRIPTS), "SWF_SERVER_FAULTS": "Signal=often"},
        cwd=SCRIPTS, capture_output=True, text=True, timeout=30,
    )
    assert proc.returncode == 2
    assert "SWF_SERVER_FAULTS" in proc.stderr
