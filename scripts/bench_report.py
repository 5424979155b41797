#!/usr/bin/env python3
"""Rewrites BENCHMARKS.md from the output of scripts/bench (argument: that output's file)."""
import platform, re, subprocess, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
pick = lambda tag: [l.split("|", 1)[1].strip().rstrip("|").strip() for l in lines if l.startswith(tag + " |")]
ratios = {re.search(r"`(\w+)`", r).group(1): r for r in pick("RATIO")}
order = ["decode_vs_handwritten", "decode_vs_value", "new_signals_vs_scan", "send_vs_raw_sdk", "page_read_vs_sdk", "derive_compile_vs_handwritten", "fanout_vs_token_bucket_minimum", "history_memory_vs_boto3", "sticky_pages", "sticky_decide_cpu", "pollers_scaling", "cpu_vs_simpleflow", "sticky_cpu_vs_simpleflow", "memory_vs_simpleflow", "cpu_vs_flow_java", "sticky_cpu_vs_flow_java_affinity", "memory_vs_flow_java_affinity"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
baseline = {
    "decode_vs_handwritten": "hand-written `match name` + `serde_json::from_str` (denominator)",
    "decode_vs_value": "derived decode (denominator); numerator: via `serde_json::Value` + `from_value`",
    "new_signals_vs_scan": "`new_signals` with 1 new signal (denominator); numerator: full scan",
    "send_vs_raw_sdk": "raw `signal_workflow_execution` + `serde_json::to_string`, same SDK test HTTP client (denominator)",
    "page_read_vs_sdk": "the SDK's deserializer then `DecisionTask::from_pages`, same SDK test HTTP client (denominator); numerator: `DecisionTask::poll`, the page read straight",
    "derive_compile_vs_handwritten": "the same crate written by hand (denominator)",
    "fanout_vs_token_bucket_minimum": "the server's token bucket minimum, (1,000 − 50) / 20 s (denominator)",
    "history_memory_vs_boto3": "boto3's parsed GetWorkflowExecutionHistory events, tracemalloc (denominator)",
    "pollers_scaling": "1 poller (denominator); numerator: 2 pollers",
    "sticky_pages": "sticky: the new events only (denominator); numerator: the whole history",
    "sticky_decide_cpu": "sticky: fold the new events into the cached state (denominator); numerator: full replay",
    "cpu_vs_simpleflow": "`WorkflowDecider`, whole history (denominator); numerator: simpleflow's decider; CPU per decision task, same history in each one's format",
    "sticky_cpu_vs_simpleflow": "sticky `WorkflowDecider` (denominator); numerator: simpleflow's decider; CPU per decision task",
    "memory_vs_simpleflow": "`WorkflowDecider` while deciding, dhat (denominator); numerator: simpleflow, tracemalloc",
    "cpu_vs_flow_java": "`WorkflowDecider`, whole history (denominator); numerator: the Flow Framework 2.0's decider, affinity off (JVM process CPU from worker start to close, warm)",
    "sticky_cpu_vs_flow_java_affinity": "sticky `WorkflowDecider` (denominator); numerator: Flow 2.0's decider with its affinity on, the task decided from its decider cache (JVM process CPU, warm)",
    "memory_vs_flow_java_affinity": "held between tasks for the execution: the sticky cache's bytes, dhat (denominator); numerator: the JVM's live heap with the execution in Flow's decider cache less without it",
}
# A run of some benches only (`scripts/bench peers`) keeps the other rows and lines of the
# current BENCHMARKS.md, each as last measured.
previous_rows, previous_extra = {}, []
try:
    current = open("BENCHMARKS.md", encoding="utf-8").read().splitlines()
    for l in current:
        m = re.match(r"\| `(\w+)` \|", l)
        if m:
            previous_rows[m.group(1)] = l
    if "Also measured (no goal yet):" in current:
        i = current.index("Also measured (no goal yet):") + 2
        while i < len(current) and current[i].startswith("- "):
            previous_extra.append(current[i][2:])
            i += 1
except FileNotFoundError:
    pass

def row(k):
    if k not in ratios and k in previous_rows:
        return previous_rows[k]
    cells = ratios.get(k, f"`{k}` | not measured | | |").split(" | ")
    # name | ratio | goal | verdict | figures  ->  name | ratio | goal | verdict | baseline | figures
    cells.insert(4, baseline[k])
    return "| " + " | ".join(cells) + " |"
rows = "\n".join(row(k) for k in order)
new_extra = pick("THROUGHPUT") + pick("MEMORY") + pick("PAIRS") + pick("SEND") + pick("FANOUT") + pick("STICKY") + pick("PEERS") + pick("PAGE")
# Keep a line of the previous file unless this run printed a line of the same kind.
kept = [x for x in previous_extra if not any(x.split(" ")[:3] == n.split(" ")[:3] for n in new_extra)]
extra = "\n".join(f"- {x}" for x in (new_extra if len(new_extra) > 3 else kept + new_extra))
template = open("scripts/BENCHMARKS.md.in", encoding="utf-8").read()
md = template.format(rows=rows, extra=extra, cpu=cpu, cores=cores, rustc=rustc, os=platform.platform())
open("BENCHMARKS.md", "w", encoding="utf-8").write(md)
print("==> BENCHMARKS.md written")
