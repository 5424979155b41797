"""botoflow's side of the swf-signal interop test: botoflow's own decider and signal client.

  wait DOMAIN TASK_LIST   -- registers and starts `Order` with botoflow's workflow_starter,
                             prints "started WORKFLOW_ID RUN_ID", then runs botoflow's
                             WorkflowWorker until the execution closes. Its @signal methods
                             record what they received (values and Python types); the
                             workflow completes with that record once both signals came.
  send DOMAIN TASK_LIST WORKFLOW_ID RUN_ID
                          -- signals that execution through botoflow's signal client
                             (SignalType.__call__: JSONDataConverter.dumps([args, kwargs])).
  encode                  -- prints "name<TAB>input" for values botoflow marks specially
                             (datetime, set, Decimal, bytes, timedelta, tuple), as the signal
                             client encodes them; tests/fixtures/botoflow-signals.tsv.

Endpoint and credentials come from the environment (AWS_ENDPOINT_URL_SWF, read by botocore).
"""

import datetime
import decimal
import sys
import time

import compat  # noqa: F401  (botoflow 0.8 on Python 3.11 and current botocore)

import botocore.session
from botoflow import (Future, WorkflowDefinition, WorkflowWorker, execute, return_,
                      signal, workflow_starter)
from botoflow.data_converter import JSONDataConverter
from botoflow.flow_types import WorkflowType
from botoflow.workflow_execution import WorkflowExecution

REGION = "us-east-1"


class Order(WorkflowDefinition):
    def __init__(self, workflow_execution):
        super(Order, self).__init__(workflow_execution)
        self.seen = []
        self.both = Future()

    @execute(version="1", execution_start_to_close_timeout=300)
    def order(self):
        yield self.both
        return_(self.seen)

    def _saw(self, entry):
        self.seen.append(entry)
        if len(self.seen) == 2 and not self.both.done():
            self.both.set_result(None)

    @signal()
    def approve(self, approver, level):
        self._saw(["approve", approver, type(approver).__name__, level, type(level).__name__])

    @signal()
    def add_data(self, n, pair):
        self._saw(["add_data", n, type(n).__name__, list(pair), type(pair).__name__])


def is_open(client, domain, workflow_id, run_id):
    info = client.describe_workflow_execution(
        domain=domain, execution={"workflowId": workflow_id, "runId": run_id})
    return info["executionInfo"]["executionStatus"] == "OPEN"


def main(argv):
    mode = argv[1]
    if mode == "encode":
        converter = JSONDataConverter()
        values = [
            ("approve", ("ana \u00e9",), {"level": 2}),
            ("add_data", (3, (1, "a")), {}),
            ("everything", (
                datetime.datetime(2024, 5, 17, 13, 45, 30, 123000),
                {7},
                decimal.Decimal("-12.50"),
                b"\x00\x01",
                datetime.timedelta(days=1, seconds=2, microseconds=500000),
            ), {}),
        ]
        for name, args, kwargs in values:
            print(name + "\t" + converter.dumps([args, kwargs]))
        return 0

    session = botocore.session.get_session()
    domain, task_list = argv[2], argv[3]
    if mode == "send":
        order = Order(WorkflowExecution(argv[4], argv[5]))
        # What botoflow's WorkflowType sets on the instances it makes (workflow_type.py),
        # here for an execution started elsewhere.
        order._data_converter = WorkflowType.DEFAULT_DATA_CONVERTER
        with workflow_starter(session, REGION, domain, task_list):
            order.add_data(3, (1, "a"))
            order.approve(approver="ana \u00e9", level=2)
        return 0

    # wait
    worker = WorkflowWorker(session, REGION, domain, task_list, Order)
    with workflow_starter(session, REGION, domain, task_list):
        instance = Order.order()
        execution = instance.workflow_execution
    print("started", execution.workflow_id, execution.run_id, flush=True)
    client = session.create_client("swf", region_name=REGION)
    deadline = time.time() + 120
    while time.time() < deadline:
        worker.run_once()
        if not is_open(client, domain, execution.workflow_id, execution.run_id):
            print("closed", flush=True)
            return 0
    print("timed out waiting for the execution to close", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
