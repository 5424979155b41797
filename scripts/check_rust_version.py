"""Checks that the workspace's `rust-version` is the real minimum: the highest
`rust-version` any package in the lock file declares (aws-sdk-swf and the smithy crates
set it). Only the machine's one toolchain exists here, so "builds on the stated minimum"
is checked this way: no dependency asks for more, and we do not claim more than they do.

Usage: python3 scripts/check_rust_version.py   (run from the repository root)
"""

from __future__ import annotations

import json
import subprocess
import sys


def version(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


def main() -> int:
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True, capture_output=True, text=True,
        ).stdout
    )
    members = set(meta["workspace_members"])
    ours = {p["rust_version"] for p in meta["packages"] if p["id"] in members}
    if len(ours) != 1 or None in ours:
        print(f"error: workspace members disagree on rust-version: {sorted(map(str, ours))}", file=sys.stderr)
        return 1
    stated = ours.pop()
    deps = [(p["rust_version"], p["name"]) for p in meta["packages"]
            if p["id"] not in members and p.get("rust_version")]
    need, who = max(deps, key=lambda d: version(d[0]))
    if version(stated) != version(need):
        print(f"error: rust-version is {stated} but the dependencies need {need} ({who}); "
              f"set rust-version = \"{need}\" in [workspace.package]", file=sys.stderr)
        return 1
    print(f"rust-version {stated}: the highest any dependency declares ({who})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
