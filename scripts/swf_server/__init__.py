"""moto's SWF server plus the SWF behaviour moto 5.2.5 lacks.

`install()` patches moto's SWF models and responses in place, before the server
serves a request. Each behaviour lives in its own module and names the page of the
SWF API Reference it follows:

- models.py: UNHANDLED_DECISION on close decisions, SignalExternalWorkflowExecution
  and ContinueAsNewWorkflowExecution decisions, history paging, long polls, the
  decision task-list override with its schedule-to-start timeout;
- throttle.py: per-API token buckets (off unless SWF_SERVER_THROTTLE is set);
- faults.py: injected 5xx answers, lost answers and delays (off unless
  SWF_SERVER_FAULTS is set; SWF_SERVER_FAULT_SEED makes them reproducible);
- validation.py: the length limits SWF enforces and moto skips;
- cancellation.py: RequestCancelWorkflowExecution and the
  RequestCancelExternalWorkflowExecution decision, in both executions;
- children.py: StartChildWorkflowExecution decisions, the child's close reported to
  its parent, child policies when a parent is terminated or times out;
- activities.py: activity timeouts of all four kinds and activity cancellation;
- visibility.py: ListOpen/ListClosedWorkflowExecutions filters, order and pages, and
  CountPendingDecisionTasks/CountPendingActivityTasks;
- responses.py: the request parsing and rendering those need.
"""

from __future__ import annotations

_INSTALLED = False


def install() -> None:
    """Patch moto once; later calls do nothing."""
    global _INSTALLED
    if _INSTALLED:
        return
    from . import models, responses

    models.install()
    responses.install()
    _INSTALLED = True
