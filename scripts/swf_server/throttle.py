"""Per-API token buckets, as SWF throttles an account's calls.

swf-dg-limits.html, "Amazon SWF throttling quotas": each API has a bucket of calls that
refills at a fixed rate per second; a call over quota fails with HTTP 400 and the
`ThrottlingException` error type (which the AWS SDKs classify as a throttle and retry).

Off by default. `SWF_SERVER_THROTTLE=default` applies SWF's account quota for
SignalWorkflowExecution (bucket 2,000, refill 30/s); `SWF_SERVER_THROTTLE="Api=B/R,..."`
sets bucket B and refill R per second for each named API (and may be combined with
`default`, e.g. "default,PollForDecisionTask=100/10").
"""

from __future__ import annotations

import os
import threading
import time

from moto.core.exceptions import JsonRESTError

# swf-dg-limits.html, "Throttling quotas for all Regions" (bucket, refill per second).
DEFAULT_QUOTAS: dict[str, tuple[float, float]] = {
    "SignalWorkflowExecution": (2000, 30),
}


class ThrottlingException(JsonRESTError):
    code = 400

    def __init__(self, api: str) -> None:
        super().__init__(
            "com.amazon.coral.availability#ThrottlingException",
            f"Rate exceeded for {api}",
        )


class Bucket:
    def __init__(self, capacity: float, refill: float) -> None:
        self.capacity = capacity
        self.refill = refill
        self.tokens = capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.refill)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def parse(spec: str) -> dict[str, tuple[float, float]]:
    """Parse SWF_SERVER_THROTTLE; raises ValueError with the offending part."""
    quotas: dict[str, tuple[float, float]] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if part == "default":
            quotas.update(DEFAULT_QUOTAS)
            continue
        try:
            api, rate = part.split("=", 1)
            bucket, refill = rate.split("/", 1)
            quotas[api.strip()] = (float(bucket), float(refill))
        except ValueError:
            raise ValueError(
                f"SWF_SERVER_THROTTLE: cannot read `{part}`; write Api=BUCKET/REFILL, "
                "e.g. SignalWorkflowExecution=50/20, or `default`"
            ) from None
    return quotas


class Throttle:
    def __init__(self, quotas: dict[str, tuple[float, float]]) -> None:
        self._lock = threading.Lock()
        self._buckets = {api: Bucket(b, r) for api, (b, r) in quotas.items()}

    def check(self, api: str) -> None:
        bucket = self._buckets.get(api)
        if bucket is None:
            return
        with self._lock:
            if not bucket.take():
                raise ThrottlingException(api)


def from_env() -> Throttle:
    return Throttle(parse(os.environ.get("SWF_SERVER_THROTTLE", "")))
