"""simpleflow's side of the `peers` bench: simpleflow's own decider (DeciderPoller: poll
every page, replay with its Executor, complete) takes the one pending decision task of
each execution and completes it with the sum of the execution's `add` signals, each
decoded from simpleflow's wire format by simpleflow's history parser.

Usage: bench_simpleflow_peer.py URL DOMAIN cpu|memory TASK_LIST...
Prints, per task list, `SIMPLEFLOW <cpu|memory> <task list> <process CPU ns | bytes> <result>`:
process CPU time of poll + decide + complete (time.process_time_ns), or the bytes
tracemalloc counts as held when the decisions are made (the parsed history and the
workflow's state: what the decider holds for the execution).
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from simpleflow import Workflow  # noqa: E402
from simpleflow.swf.executor import Executor  # noqa: E402
from simpleflow.swf.mapper.models import Domain  # noqa: E402
from simpleflow.swf.process.decider.base import DeciderPoller  # noqa: E402


class PeerSum(Workflow):
    name = "peer-sum-simpleflow"
    version = "1"

    def run(self, *args, **kwargs):
        history = self.executor._history
        total = 0
        for signal in history.get_signal_events("add"):
            total += signal["input"]["args"][0]
        return total


def main(argv: list[str]) -> int:
    url, domain_name, mode = argv[1:4]
    os.environ["AWS_ENDPOINT_URL_SWF"] = url
    domain = Domain(domain_name)
    for task_list in argv[4:]:
        poller = DeciderPoller([Executor(domain, PeerSum, task_list)], domain, task_list, is_standalone=False)
        gc.collect()
        if mode == "memory":
            tracemalloc.start()
            response = poller.poll(task_list=task_list, identity="peers-bench")
            decisions = poller.decide(response)
            held = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            poller.complete(response.token, decisions)
            figure = held
        else:
            started = time.process_time_ns()
            response = poller.poll(task_list=task_list, identity="peers-bench")
            decisions = poller.decide(response)
            poller.complete(response.token, decisions)
            figure = time.process_time_ns() - started
        made = getattr(decisions, "decisions", decisions)  # simpleflow 0.36: DecisionsAndContext
        result = made[0].get("completeWorkflowExecutionDecisionAttributes", {}).get("result") if made else None
        print(f"SIMPLEFLOW {mode} {task_list} {figure} {result}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
