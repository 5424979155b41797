"""Injected faults, so a client's retry and redelivery paths can be tested end to end.

Real SWF answers some calls with a 5xx (CommonErrors.html: `InternalFailure`, HTTP 500;
`ServiceUnavailable`, HTTP 503), sometimes after it applied the call (the answer is lost
on the way back), and holds some answers up. Off by default.

`SWF_SERVER_FAULTS="Api=kind:rate,..."`, each call of `Api` drawing one number:

- `fail:R`  -- with probability R, HTTP 500 `InternalFailure` before anything is applied
               (safe to resend);
- `lose:R`  -- with probability R, the call is applied, then answered HTTP 500 (the
               answer lost: a resend applies it again);
- `delay:R` -- with probability R, the answer is held up to 2 s first.

Several kinds for one API are drawn in the order written. `SWF_SERVER_FAULT_SEED` (an
integer) makes the draws reproducible: the same calls in the same order get the same
faults. Every injected fault is counted; `counts()` has them and each is logged to
stderr.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from collections import Counter

from moto.core.exceptions import JsonRESTError

KINDS = ("fail", "lose", "delay")
MAX_DELAY_SECONDS = 2.0


class InternalFailure(JsonRESTError):
    """HTTP 500 `InternalFailure`, as SWF answers an internal error (CommonErrors.html)."""

    code = 500

    def __init__(self, api: str, kind: str) -> None:
        super().__init__(
            "InternalFailure",
            f"injected fault ({kind}) in {api}: the request processing has failed",
        )


def parse(spec: str) -> dict[str, list[tuple[str, float]]]:
    """Parse SWF_SERVER_FAULTS; raises ValueError naming the offending part."""
    faults: dict[str, list[tuple[str, float]]] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        try:
            api, rule = part.split("=", 1)
            kind, rate = rule.split(":", 1)
            kind, p = kind.strip(), float(rate)
        except ValueError:
            raise ValueError(
                f"SWF_SERVER_FAULTS: cannot read `{part}`; write Api=KIND:RATE with KIND one "
                "of fail, lose, delay, e.g. SignalWorkflowExecution=fail:0.1"
            ) from None
        if kind not in KINDS or not 0.0 <= p <= 1.0:
            raise ValueError(
                f"SWF_SERVER_FAULTS: `{part}`: KIND is one of fail, lose, delay and RATE "
                "a probability from 0 to 1"
            )
        faults.setdefault(api.strip(), []).append((kind, p))
    return faults


class Faults:
    def __init__(self, rules: dict[str, list[tuple[str, float]]], seed: int | None) -> None:
        self._rules = rules
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._counts: Counter[str] = Counter()

    def draw(self, api: str) -> tuple[str | None, float]:
        """The fault for this call of `api` (None: none) and, for a delay, its length."""
        rules = self._rules.get(api)
        if not rules:
            return None, 0.0
        with self._lock:
            for kind, p in rules:
                if self._rng.random() < p:
                    self._counts[f"{api}={kind}"] += 1
                    delay = self._rng.uniform(0.0, MAX_DELAY_SECONDS) if kind == "delay" else 0.0
                    print(f"swf-server: injected {kind} in {api}", file=sys.stderr, flush=True)
                    return kind, delay
        return None, 0.0

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


def from_env() -> Faults:
    seed = os.environ.get("SWF_SERVER_FAULT_SEED")
    try:
        seed_value = int(seed) if seed else None
    except ValueError:
        raise ValueError(f"SWF_SERVER_FAULT_SEED: `{seed}` is not an integer") from None
    return Faults(parse(os.environ.get("SWF_SERVER_FAULTS", "")), seed_value)


def hold(seconds: float) -> None:
    """The delay fault: held before anything is read or applied."""
    time.sleep(seconds)
