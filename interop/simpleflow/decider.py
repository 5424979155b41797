"""simpleflow's side of the swf-signal interop test: a real simpleflow decider.

Runs simpleflow's own DeciderPoller (poll, decide with simpleflow's Executor, complete) on
one domain and task list until the execution given on the command line closes. Workflows
(the fixture's workflow type is `order` version `1`):

  wait  -- waits in `wait_signal("Approve")`, then completes with the signal's input as
           simpleflow hands it to the workflow (the whole decoded dict).
  send  -- signals another execution, with keyword arguments (`self.signal(...)`) and
           positional ones (simpleflow's SignalTask), then completes.

Usage: decider.py wait|send DOMAIN TASK_LIST WORKFLOW_ID [TARGET_WORKFLOW_ID TARGET_RUN_ID]
Endpoint and credentials come from the environment (AWS_ENDPOINT_URL_SWF, as boto3 reads it).
"""

import sys
import time

import boto3
from simpleflow import Workflow, futures
from simpleflow.swf.executor import Executor
from simpleflow.swf.mapper.exceptions import PollTimeout
from simpleflow.swf.mapper.models import Domain
from simpleflow.swf.process.decider.base import DeciderPoller
from simpleflow.swf.task import SignalTask


class WaitForApprove(Workflow):
    name = "order"
    version = "1"

    def run(self, *args, **kwargs):
        signal = self.submit(self.wait_signal("Approve"))
        futures.wait(signal)
        return signal.result


TARGET = {}


class SendToRust(Workflow):
    name = "order"
    version = "1"

    def run(self, *args, **kwargs):
        wid, rid = TARGET["workflow_id"], TARGET["run_id"]
        sent = [
            # simpleflow 0.36's Workflow.signal() passes positional arguments where
            # SignalTask expects workflow_id and run_id ("got multiple values for argument
            # 'workflow_id'"), so positional arguments go through the SignalTask its own
            # propagate_signals() builds; keyword arguments through self.signal().
            self.submit(SignalTask("Move", wid, rid, None, {"__propagate": True}, 3, 4)),
            self.submit(self.signal("Approve", approver="ana \u00e9", level=2, workflow_id=wid, run_id=rid)),
        ]
        futures.wait(*sent)
        return "sent"


def main(argv):
    kind, domain_name, task_list, workflow_id = argv[1:5]
    if kind == "send":
        TARGET["workflow_id"], TARGET["run_id"] = argv[5], argv[6]
    workflow = {"wait": WaitForApprove, "send": SendToRust}[kind]
    domain = Domain(domain_name)
    poller = DeciderPoller([Executor(domain, workflow, task_list)], domain, task_list, is_standalone=False)
    swf = boto3.client("swf")
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            response = poller.poll(task_list=task_list, identity="simpleflow-interop")
        except PollTimeout:  # an empty long poll, as simpleflow's own Poller treats it
            response = None
        if response is not None and response.token:
            decisions = poller.decide(response)
            poller.complete(response.token, decisions)
        open_runs = swf.list_open_workflow_executions(
            domain=domain_name,
            startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": workflow_id},
        )["executionInfos"]
        if not open_runs:
            print("closed", flush=True)
            return 0
    print("timed out waiting for the execution to close", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
