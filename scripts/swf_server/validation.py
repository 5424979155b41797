"""Length limits SWF enforces and moto skips.

Each limit is the one the SWF API Reference gives for the member (characters, not bytes,
as SWF's "Length Constraints" count them): `input`, `result`, `details`, `control` at most
32,768 (e.g. API_SignalWorkflowExecution.html, API_CompleteWorkflowExecutionDecisionAttributes.html,
API_RecordMarkerDecisionAttributes.html); `reason` at most 256
(API_FailWorkflowExecutionDecisionAttributes.html); `signalName` 1 to 256
(API_SignalWorkflowExecution.html). A breach is SWF's ValidationException, in the
"N validation error(s) detected: Value at '...' failed to satisfy constraint" form.
"""

from __future__ import annotations

from typing import Any

from moto.swf.exceptions import SWFValidationException

DATA = 32768
REASON = 256
NAME = 256

# Per API: (member, min, max) of the top-level request.
REQUEST_LIMITS: dict[str, list[tuple[str, int, int]]] = {
    "StartWorkflowExecution": [("input", 0, DATA)],
    "SignalWorkflowExecution": [("input", 0, DATA), ("signalName", 1, NAME)],
    "RespondActivityTaskCompleted": [("result", 0, DATA)],
    "RespondActivityTaskFailed": [("reason", 0, REASON), ("details", 0, DATA)],
    "RespondActivityTaskCanceled": [("details", 0, DATA)],
    "RecordActivityTaskHeartbeat": [("details", 0, DATA)],
    "TerminateWorkflowExecution": [("reason", 0, REASON), ("details", 0, DATA)],
    "RespondDecisionTaskCompleted": [("executionContext", 0, DATA)],
}

# Per decision attributes: (member, min, max).
DECISION_LIMITS: dict[str, list[tuple[str, int, int]]] = {
    "completeWorkflowExecutionDecisionAttributes": [("result", 0, DATA)],
    "failWorkflowExecutionDecisionAttributes": [("reason", 0, REASON), ("details", 0, DATA)],
    "cancelWorkflowExecutionDecisionAttributes": [("details", 0, DATA)],
    "continueAsNewWorkflowExecutionDecisionAttributes": [("input", 0, DATA)],
    "recordMarkerDecisionAttributes": [("markerName", 1, NAME), ("details", 0, DATA)],
    "scheduleActivityTaskDecisionAttributes": [("input", 0, DATA), ("control", 0, DATA)],
    "signalExternalWorkflowExecutionDecisionAttributes": [
        ("signalName", 1, NAME),
        ("input", 0, DATA),
        ("control", 0, DATA),
    ],
    "startTimerDecisionAttributes": [("control", 0, DATA)],
    "startChildWorkflowExecutionDecisionAttributes": [("input", 0, DATA), ("control", 0, DATA)],
    "requestCancelExternalWorkflowExecutionDecisionAttributes": [("control", 0, DATA)],
}


def _problem(where: str, value: str, low: int, high: int) -> str | None:
    n = len(value)  # Python counts code points: characters, as SWF does
    if n > high:
        return (
            f"Value '{value[:32]}...' at '{where}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {high}"
        )
    if n < low:
        return (
            f"Value '{value}' at '{where}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {low}"
        )
    return None


def check(api: str, params: dict[str, Any]) -> None:
    problems = []
    for member, low, high in REQUEST_LIMITS.get(api, []):
        value = params.get(member)
        if isinstance(value, str):
            p = _problem(member, value, low, high)
            if p:
                problems.append(p)
    if api == "RespondDecisionTaskCompleted":
        for i, decision in enumerate(params.get("decisions") or [], start=1):
            for key, limits in DECISION_LIMITS.items():
                attrs = decision.get(key)
                if not isinstance(attrs, dict):
                    continue
                for member, low, high in limits:
                    value = attrs.get(member)
                    if isinstance(value, str):
                        p = _problem(f"decisions.{i}.member.{key}.{member}", value, low, high)
                        if p:
                            problems.append(p)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise SWFValidationException(
            f"{count} validation {noun} detected: " + "; ".join(problems)
        )
