"""The generated TypeScript and Python senders, end to end on scripts/swf-server
(scripts/test runs this after `orders_cli generate` and the type generators).

1. The domain and examples/orders_cli's workflow type are registered (boto3).
2. TypeScript: `node build/send_all.js` sends every signal of the enum through the
   generated sender (@aws-sdk/client-swf); `orders_cli history --json` (the Rust enum)
   must decode each one.
3. Python: the generated sender (pydantic v2 models from datamodel-code-generator, boto3)
   refuses wrong payloads before sending -- the history stays empty -- and delivers right
   ones, which the Rust enum decodes.

Usage: check_senders.py ORDERS_CLI TS_DIR PY_GENERATED_DIR (SWF_SERVER_URL set).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import boto3
import pydantic

DOMAIN = "swf-signal-demo"


def main() -> None:
    cli, ts_dir, py_dir = sys.argv[1:4]
    url = os.environ["SWF_SERVER_URL"]
    client = boto3.client("swf", endpoint_url=url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    register(client)
    stamp = str(int(time.time() * 1000))

    def orders(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "AWS_ENDPOINT_URL_SWF": url}
        done = subprocess.run([cli, "--domain", DOMAIN, *args], capture_output=True, text=True, env=env)
        if check and done.returncode != 0:
            sys.exit(f"orders_cli {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done

    def decoded(workflow_id: str) -> list[dict]:
        lines = orders("history", workflow_id, "--json").stdout.splitlines()
        return [e for e in map(json.loads, lines) if "signal" in e]

    # TypeScript.
    ts_run = f"ts-{stamp}"
    orders("start", ts_run, '{"quantity":1}')
    env = {**os.environ, "ORDER_WORKFLOW_ID": ts_run, "ORDER_DOMAIN": DOMAIN}
    sent = subprocess.run(["node", os.path.join(ts_dir, "build", "send_all.js")], env=env,
                          capture_output=True, text=True)
    print(sent.stdout, end="")
    if sent.returncode != 0:
        sys.exit(f"the TypeScript sender failed: {sent.stderr}")
    seen = decoded(ts_run)
    for e in seen:
        print(f"rust decoded from typescript: {e['signal']}: {e.get('decoded') or e.get('error')}")
    assert [e["signal"] for e in seen] == ["approve", "change-quantity", "cancel", "nudge"], seen
    assert all("decoded" in e and "error" not in e for e in seen), seen

    # Python.
    sys.path.insert(0, py_dir)
    import sender  # the generated module, with models.py beside it

    py_run = f"py-{stamp}"
    orders("start", py_run, '{"quantity":1}')
    for name, payload in [("approve", {"aprover": "dana"}), ("change-quantity", -1),
                          ("cancel", {"detail": "no code"})]:
        try:
            sender.send_signal(client, DOMAIN, py_run, name, payload)
        except pydantic.ValidationError as e:
            print(f"python refused {name} {payload!r}: {e.errors()[0]['msg']} at {e.errors()[0]['loc']}")
        else:
            sys.exit(f"the Python sender sent {name} {payload!r}")
    for name, payload in [("nudge", {"x": 1}), ("aprove", {})]:
        try:
            sender.send_signal(client, DOMAIN, py_run, name, payload)
        except ValueError as e:
            print(f"python refused {name}: {e}")
        else:
            sys.exit(f"the Python sender sent {name} {payload!r}")
    assert decoded(py_run) == [], "a refused payload reached SWF"
    good = [("approve-order", {"approver": "ana"}), ("change-quantity", 5),
            ("cancel", sender.models.Cancel(code="LATE")), ("nudge", None)]
    for name, payload in good:
        sender.send_signal(client, DOMAIN, py_run, name, payload)
        print(f"python sent {name}")
    seen = decoded(py_run)
    for e in seen:
        print(f"rust decoded from python: {e['signal']}: {e.get('decoded') or e.get('error')}")
    assert [e["signal"] for e in seen] == ["approve", "change-quantity", "cancel", "nudge"], seen
    assert all("decoded" in e and "error" not in e for e in seen), seen
    print("typescript and python senders: ok")


def register(client) -> None:
    try:
        client.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    except client.exceptions.DomainAlreadyExistsFault:
        pass
    try:
        client.register_workflow_type(
            domain=DOMAIN, name="order-approval", version="1",
            defaultTaskList={"name": "order-deciders"}, defaultChildPolicy="TERMINATE",
            defaultTaskStartToCloseTimeout="30", defaultExecutionStartToCloseTimeout="3600",
        )
    except client.exceptions.TypeAlreadyExistsFault:
        pass


if __name__ == "__main__":
    main()
