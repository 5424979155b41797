"""The Python side of `history_memory_vs_boto3`: the bytes boto3's parsed
GetWorkflowExecutionHistory events hold for one execution, measured with tracemalloc.

Usage: python scripts/bench_boto3_memory.py URL DOMAIN WORKFLOW_ID RUN_ID
Prints `BOTO3_BYTES <bytes> <events>`. Run with the ./.venv python (boto3 comes with moto).
"""

from __future__ import annotations

import gc
import sys
import tracemalloc

import boto3


def main() -> int:
    url, domain, workflow_id, run_id = sys.argv[1:5]
    client = boto3.client(
        "swf", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    execution = {"workflowId": workflow_id, "runId": run_id}
    # A first call outside the measurement, so boto3's lazily loaded service model is not
    # counted as history.
    client.get_workflow_execution_history(domain=domain, execution=execution, maximumPageSize=1)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    events: list[dict] = []
    token = None
    while True:
        kw = {"nextPageToken": token} if token else {}
        page = client.get_workflow_execution_history(domain=domain, execution=execution, **kw)
        events.extend(page["events"])
        token = page.get("nextPageToken")
        del page
        if not token:
            break
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(f"BOTO3_BYTES {held} {len(events)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
