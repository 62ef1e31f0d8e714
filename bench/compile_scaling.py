#!/usr/bin/env python3
"""kilnc's compile time and peak memory against graph size.

Three generated graph families (onnx.helper, opset 17, static shapes,
seeded random weights):
  relu-chain   N Relu nodes on a float[8] tensor
  mixed-chain  a chain cycling through Add, Mul, Sigmoid, Transpose, Tanh,
               Transpose, Reshape, Sub, Reshape on a float[4,8] tensor, each
               Add/Mul/Sub with its own small constant
  transformer  stacked encoder layers (batch 1, seq 16, hidden 64, 4 heads,
               MLP 256, Erf-based GELU, post-norm), each with its own weights;
               as many layers as come closest to the node target

Each model is compiled once with `kilnc model.onnx -o model.o --header=none`;
the wall time, the child's peak RSS (os.wait4's rusage), the object size
and the time per node are recorded, and per family the growth exponent
log(t2/t1)/log(n2/n1) between consecutive sizes and a least-squares fit of
log t on log n (1 is linear). A compile past --timeout is killed, reported,
and the family's bigger sizes are skipped (so are they after a failure).
With --mlir-timing each compile also passes --mlir-timing and the report
splits its time into MLIR passes and the rest (import, LLVM, object).
--breakdown adds LLVM's --time-passes too and a section listing, per family,
the MLIR and LLVM passes that take at least 5% of the largest compile with
their growth exponents.

The smallest size of each family is also checked: compiled to a .so, run by
`kiln-run --random --save-inputs IN --outputs OUT`, and compared with ONNX
Runtime on the same inputs (rtol 1e-3, atol 1e-4).

Writes a Markdown report (--report, default docs/compile-scaling.md), after
every compile so a long run leaves a partial one. Only one kilnc runs at a
time. Needs numpy, onnx and onnxruntime.

Usage: bench/compile_scaling.py [--quick] [--sizes 1000,5000,20000,50000]
           [--families relu-chain,mixed-chain,transformer] [--timeout 900]
           [--mlir-timing | --breakdown] [--json FILE]
           [--kilnc build/bin/kilnc] [--kiln-run build/bin/kiln-run]
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SIZES = "1000,5000,20000,50000"
QUICK_SIZES = "200,1000"
OPSET = 17
SEED = 0
RTOL, ATOL = 1e-3, 1e-4


# --- graph families ---------------------------------------------------------

def make_model(nodes, name, x_shape, y_shape, inits):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model


class Namer:
    """Fresh value names; the chain's last output is renamed to y."""

    def __init__(self):
        self.count = 0

    def __call__(self, prefix="t"):
        self.count += 1
        return f"{prefix}{self.count}"


def rename_output(nodes, old, new="y"):
    for node in nodes:
        for i, out in enumerate(node.output):
            if out == old:
                node.output[i] = new


def relu_chain(n, rng):
    del rng
    names = [f"t{i}" for i in range(n)] + ["y"]
    names[0] = "x"
    nodes = [helper.make_node("Relu", [names[i]], [names[i + 1]]) for i in range(n)]
    return make_model(nodes, "relu_chain", [8], [8], [])


def const(rng, name, shape, low, high, inits):
    array = rng.uniform(low, high, shape).astype(np.float32)
    inits.append(numpy_helper.from_array(array, name))
    return name


def mixed_step(op, cur, shape, fresh, rng, inits):
    """One node of the mixed chain: (node, output shape)."""
    out = fresh()
    if op in ("Add", "Sub"):
        c = const(rng, fresh("c"), shape[-1:], -0.5, 0.5, inits)
        return helper.make_node(op, [cur, c], [out]), shape
    if op == "Mul":
        c = const(rng, fresh("c"), shape, 0.5, 1.5, inits)
        return helper.make_node(op, [cur, c], [out]), shape
    if op == "Transpose":
        return helper.make_node(op, [cur], [out], perm=[1, 0]), shape[::-1]
    if op == "Reshape":
        target = "shape_flat" if len(shape) == 2 else "shape_4x8"
        new = [32] if len(shape) == 2 else [4, 8]
        return helper.make_node(op, [cur, target], [out]), new
    return helper.make_node(op, [cur], [out]), shape


MIXED_CYCLE = ["Add", "Mul", "Sigmoid", "Transpose", "Tanh", "Transpose",
               "Reshape", "Sub", "Reshape"]


def mixed_chain(n, rng):
    fresh = Namer()
    inits = [numpy_helper.from_array(np.array([32], np.int64), "shape_flat"),
             numpy_helper.from_array(np.array([4, 8], np.int64), "shape_4x8")]
    nodes, cur, shape = [], "x", [4, 8]
    for i in range(n):
        node, shape = mixed_step(MIXED_CYCLE[i % len(MIXED_CYCLE)], cur, shape,
                                 fresh, rng, inits)
        nodes.append(node)
        cur = node.output[0]
    rename_output(nodes, cur)
    return make_model(nodes, "mixed_chain", [4, 8], shape, inits)


SEQ, HIDDEN, HEADS, MLP = 16, 64, 4, 256
HEAD_DIM = HIDDEN // HEADS


class Layer:
    """Builds one encoder layer's nodes and initializers."""

    def __init__(self, index, rng, fresh, inits):
        self.p, self.rng, self.fresh, self.inits = f"l{index}_", rng, fresh, inits
        self.nodes = []

    def node(self, op, inputs, **attrs):
        out = self.fresh()
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def weight(self, name, shape, scale, offset=0.0):
        array = (self.rng.standard_normal(shape) * scale + offset).astype(np.float32)
        self.inits.append(numpy_helper.from_array(array, self.p + name))
        return self.p + name

    def linear(self, x, name, fan_in, fan_out):
        w = self.weight(name + "_w", (fan_in, fan_out), fan_in ** -0.5)
        b = self.weight(name + "_b", (fan_out,), 0.02)
        return self.node("Add", [self.node("MatMul", [x, w]), b])

    def heads(self, x, name, perm):
        h = self.linear(x, name, HIDDEN, HIDDEN)
        h = self.node("Reshape", [h, "heads_shape"])
        return self.node("Transpose", [h], perm=perm)

    def attention(self, x):
        q = self.heads(x, "q", [0, 2, 1, 3])
        kt = self.heads(x, "k", [0, 2, 3, 1])
        v = self.heads(x, "v", [0, 2, 1, 3])
        s = self.node("Div", [self.node("MatMul", [q, kt]), "sqrt_head_dim"])
        a = self.node("MatMul", [self.node("Softmax", [s], axis=-1), v])
        a = self.node("Transpose", [a], perm=[0, 2, 1, 3])
        a = self.node("Reshape", [a, "hidden_shape"])
        return self.linear(a, "o", HIDDEN, HIDDEN)

    def layer_norm(self, x, name):
        gamma = self.weight(name + "_g", (HIDDEN,), 0.1, offset=1.0)
        beta = self.weight(name + "_b", (HIDDEN,), 0.1)
        return self.node("LayerNormalization", [x, gamma, beta], axis=-1)

    def gelu(self, x):
        e = self.node("Erf", [self.node("Div", [x, "sqrt_two"])])
        return self.node("Mul", [self.node("Mul", [x, self.node("Add", [e, "one"])]),
                                 "half"])

    def build(self, x):
        x = self.layer_norm(self.node("Add", [x, self.attention(x)]), "ln1")
        h = self.linear(self.gelu(self.linear(x, "fc1", HIDDEN, MLP)), "fc2", MLP, HIDDEN)
        return self.layer_norm(self.node("Add", [x, h]), "ln2")


def transformer_consts():
    def scalar(name, value):
        return numpy_helper.from_array(np.array(value, np.float32), name)
    return [numpy_helper.from_array(np.array([1, SEQ, HEADS, HEAD_DIM], np.int64),
                                    "heads_shape"),
            numpy_helper.from_array(np.array([1, SEQ, HIDDEN], np.int64), "hidden_shape"),
            scalar("sqrt_head_dim", math.sqrt(HEAD_DIM)), scalar("sqrt_two", math.sqrt(2)),
            scalar("one", 1.0), scalar("half", 0.5)]


def transformer(n, rng):
    fresh, inits, nodes, cur = Namer(), transformer_consts(), [], "x"
    per_layer = nodes_per_layer()
    for index in range(max(1, round(n / per_layer))):
        layer = Layer(index, rng, fresh, inits)
        cur = layer.build(cur)
        nodes += layer.nodes
    rename_output(nodes, cur)
    return make_model(nodes, "transformer", [1, SEQ, HIDDEN], [1, SEQ, HIDDEN], inits)


def nodes_per_layer():
    layer = Layer(0, np.random.default_rng(0), Namer(), [])
    layer.build("x")
    return len(layer.nodes)


FAMILIES = {"relu-chain": relu_chain, "mixed-chain": mixed_chain,
            "transformer": transformer}


def build(family, n):
    return FAMILIES[family](n, np.random.default_rng(SEED))


# --- compiling and measuring ------------------------------------------------

def run_measured(cmd, timeout, log_path):
    """Runs cmd with stdout+stderr to log_path: (status, wall s, CPU s, peak MB)."""
    stats = log_path + ".stats"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-c", benchlib.LAUNCHER, stats]
                                + cmd,
                                stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "timeout", timeout, None, None
    code, wall, cpu, peak_kib = benchlib.read_launched(stats)
    os.remove(stats)
    status = "ok" if code == "0" else f"failed (exit {code})"
    return status, float(wall), float(cpu), int(peak_kib) / 1024


TIMING_LINE = re.compile(r"^\s+(?:[\d.]+ \(\s*[\d.]+%\)\s+)+(\S.*)$")
TIMING_VALUE = re.compile(r"([\d.]+) \(\s*[\d.]+%\)")


def parse_mlir_timing(text):
    """Sums kilnc's --mlir-timing reports: (total s, {pass: wall s})."""
    total, passes = 0.0, {}
    for line in text.splitlines():
        if line.strip().startswith("Total Execution Time:"):
            total += float(line.split(":")[1].split()[0])
            continue
        match = TIMING_LINE.match(line)
        if not match:
            continue
        name = match.group(1).strip()
        if name == "Total" or name.endswith("Pipeline") or name.startswith("(A)"):
            continue
        wall = float(TIMING_VALUE.findall(line)[-1])
        name = "(MLIR Rest)" if name == "Rest" else name
        passes[name] = passes.get(name, 0.0) + wall
    return total, passes


LLVM_REPORT = "Pass execution timing report"


def parse_llvm_timing(text):
    """LLVM's --time-passes pass report: (wall s, {pass: wall s})."""
    if LLVM_REPORT not in text:
        return 0.0, {}
    section = text.split(LLVM_REPORT, 1)[1].split("===-", 2)[1]
    total = re.search(r"\(([\d.]+) wall clock\)", section)
    passes = {}
    for line in section.splitlines():
        match = TIMING_LINE.match(line)
        if match and match.group(1).strip() != "Total":
            passes[match.group(1).strip()] = float(TIMING_VALUE.findall(line)[-1])
    return float(total.group(1)) if total else 0.0, passes


def record_timing(run, text):
    mlir_text = text.split(LLVM_REPORT, 1)[0]
    run["mlir"], run["passes"] = parse_mlir_timing(mlir_text)
    run["llvm"], run["llvm_passes"] = parse_llvm_timing(text)


def compile_one(args, family, n, work):
    model = build(family, n)
    path, nodes = os.path.join(work, f"{family}-{n}.onnx"), len(model.graph.node)
    onnx.save(model, path)
    del model  # not kept in memory while kilnc runs
    obj, log = os.path.join(work, "model.o"), os.path.join(work, "kilnc.log")
    cmd = [args.kilnc, path, "-o", obj, "--header=none"]
    cmd += ["--mlir-timing"] if args.mlir_timing else []
    cmd += ["--time-passes"] if args.breakdown else []
    status, wall, cpu, peak = run_measured(cmd, args.timeout, log)
    run = {"family": family, "target": n, "nodes": nodes,
           "status": status, "wall": wall, "cpu": cpu, "peak_mb": peak,
           "obj_mb": os.path.getsize(obj) / 2**20 if status == "ok" else None,
           "onnx_mb": os.path.getsize(path) / 2**20}
    with open(log, errors="replace") as f:
        text = f.read()
    if args.mlir_timing and status == "ok":
        record_timing(run, text)
    elif status.startswith("failed"):
        run["log"] = text[-2000:]
    for leftover in (path, obj, log):
        if os.path.exists(leftover):
            os.remove(leftover)
    return run


# --- correctness ------------------------------------------------------------

def load_pbs(directory, prefix):
    files = sorted((f for f in os.listdir(directory) if f.startswith(prefix)),
                   key=lambda f: int(re.findall(r"\d+", f)[0]))
    return [numpy_helper.to_array(onnx.load_tensor(os.path.join(directory, f)))
            for f in files]


def check_one(args, family, n, work):
    """Compiles to a .so, runs it on random inputs, compares with ORT."""
    import onnxruntime
    model = build(family, n)
    path, lib = os.path.join(work, "check.onnx"), os.path.join(work, "check.so")
    ins, outs = os.path.join(work, "in"), os.path.join(work, "out")
    onnx.save(model, path)
    steps = [[args.kilnc, path, "-o", lib, "--header=none"],
             [args.kiln_run, lib, "--random", "--save-inputs", ins, "--outputs", outs]]
    for cmd in steps:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        if proc.returncode != 0:
            return {"family": family, "nodes": len(model.graph.node),
                    "ok": False, "detail": f"`{os.path.basename(cmd[0])}` exit "
                                           f"{proc.returncode}"}
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    feeds = dict(zip([i.name for i in session.get_inputs()], load_pbs(ins, "input_")))
    return compare(family, len(model.graph.node), session.run(None, feeds),
                   load_pbs(outs, "output_"))


def compare(family, nodes, expected, got):
    worst, ok = 0.0, len(expected) == len(got)
    for e, g in zip(expected, got):
        ok = ok and e.shape == g.shape and np.allclose(g, e, rtol=RTOL, atol=ATOL)
        if e.shape == g.shape:
            worst = max(worst, float(np.max(np.abs(g.astype(np.float64) - e))))
    return {"family": family, "nodes": nodes, "ok": ok,
            "detail": f"max abs diff {worst:.2e}"}


# --- growth fits ------------------------------------------------------------

def exponents(runs, key):
    """Consecutive and least-squares log-log exponents of runs[key], ok runs."""
    ok = [r for r in runs if r["status"] == "ok"]
    pairs = [(f"{a['nodes']}→{b['nodes']}",
              math.log(b[key] / a[key]) / math.log(b["nodes"] / a["nodes"]))
             for a, b in zip(ok, ok[1:])]
    overall = None
    if len(ok) >= 2:
        x = np.log([r["nodes"] for r in ok])
        y = np.log([r[key] for r in ok])
        overall = float(np.polyfit(x, y, 1)[0])
    return pairs, overall


# --- report -----------------------------------------------------------------

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 2**20
    return (f"{model}, {os.cpu_count()} logical cores "
            f"({len(os.sched_getaffinity(0))} usable), {mem_gb:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}")


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def binary_info(path):
    stamp = datetime.datetime.fromtimestamp(os.path.getmtime(path)).astimezone()
    return f"`{path}` built {stamp.strftime('%Y-%m-%d %H:%M %Z')}"


def git_rev():
    proc = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--",
                            "lib", "include", "tools"]).returncode
    return proc.stdout.strip() + (" (compiler sources modified)" if dirty else "")


def fmt(value, spec):
    return "–" if value is None else format(value, spec)


def run_rows(runs, mlir_timing):
    head = ("| family | nodes | status | compile s | CPU s | peak MB | object MB "
            "| ms/node |")
    rule = "|---|---:|---|---:|---:|---:|---:|---:|"
    if mlir_timing:
        head += " MLIR s | rest s | top MLIR passes (s) |"
        rule += "---:|---:|---|"
    rows = [head, rule]
    for r in runs:
        ok = r["status"] == "ok"
        timed_out = r["status"] == "timeout"
        wall = f"> {r['wall']:.0f}" if timed_out else f"{r['wall']:.2f}"
        per_node = 1000 * r["wall"] / r["nodes"] if ok else None
        row = (f"| {r['family']} | {r['nodes']} | {r['status']} | {wall} | "
               f"{fmt(r['cpu'], '.2f')} | {fmt(r['peak_mb'], '.0f')} | "
               f"{fmt(r['obj_mb'], '.2f')} | {fmt(per_node, '.3f')} |")
        if mlir_timing:
            row += timing_cells(r)
        rows.append(row)
    return rows


def timing_cells(run):
    if "mlir" not in run:
        return " – | – | – |"
    top = sorted(run["passes"].items(), key=lambda kv: -kv[1])[:3]
    names = ", ".join(f"{name} {sec:.2f}" for name, sec in top)
    return f" {run['mlir']:.2f} | {run['wall'] - run['mlir']:.2f} | {names} |"


def exponent_rows(runs, families):
    rows = ["| family | time | consecutive exponents | overall (least squares) |",
            "|---|---|---|---:|"]
    for family in families:
        for key, label in (("wall", "compile (wall)"), ("cpu", "CPU")):
            pairs, overall = exponents([r for r in runs if r["family"] == family], key)
            text = ", ".join(f"{span}: {e:.2f}" for span, e in pairs) or "–"
            rows.append(f"| {family} | {label} | {text} | {fmt(overall, '.2f')} |")
    return rows


def time_parts(run):
    """A compile's wall time split into MLIR passes, LLVM passes and the rest."""
    parts = {f"MLIR {name}": sec for name, sec in run["passes"].items()}
    parts.update({f"LLVM {name}": sec for name, sec in run["llvm_passes"].items()})
    parts["other (import, translation, object)"] = run["wall"] - run["mlir"] - run["llvm"]
    return parts


def breakdown_rows(runs, families):
    """Per family, between its two largest ok sizes: the parts taking at
    least 5% of the larger compile, with their growth exponents."""
    rows = ["| family | part | s (smaller) | s (larger) | share of larger | exponent |",
            "|---|---|---:|---:|---:|---:|"]
    for family in families:
        ok = [r for r in runs if r["family"] == family and "mlir" in r]
        if len(ok) < 2:
            continue
        a, b = ok[-2], ok[-1]
        before, after = time_parts(a), time_parts(b)
        for name, sec in sorted(after.items(), key=lambda kv: -kv[1]):
            if sec < 0.05 * b["wall"] or before.get(name, 0) <= 0:
                continue
            e = math.log(sec / before[name]) / math.log(b["nodes"] / a["nodes"])
            rows.append(f"| {family} {a['nodes']}→{b['nodes']} | {name} | "
                        f"{before[name]:.2f} | {sec:.2f} | {sec / b['wall']:.0%} | {e:.2f} |")
    return rows


def check_rows(checks):
    rows = ["| family | nodes | result | detail |", "|---|---:|---|---|"]
    for c in checks:
        rows.append(f"| {c['family']} | {c['nodes']} | {'pass' if c['ok'] else 'FAIL'} "
                    f"| {c['detail']} |")
    return rows


def failure_notes(runs):
    notes = []
    for r in runs:
        if "log" in r:
            notes += [f"`{r['family']}` at {r['nodes']} nodes, end of kilnc's output:",
                      "", "```", r["log"].strip(), "```", ""]
    return notes


def report_header(args, meta):
    flags = (" --mlir-timing" if args.mlir_timing else "") + \
        (" --time-passes" if args.breakdown else "")
    lines = [
        "# kilnc compile-time scaling", "",
        "Generated by `bench/compile_scaling.py`; do not edit by hand.", "",
        f"- Command: `{meta['command']}`",
        f"- Machine: {meta['machine']}",
        f"- Date: {meta['date']}; load average (1/5/15 min) at start {meta['load']}, "
        f"at the last write {load_average()}",
        f"- kilnc: {meta['binary']}, tree at commit {meta['rev']}; each model compiled "
        f"once with `kilnc model.onnx -o model.o --header=none{flags}`, "
        f"timeout {args.timeout:.0f} s, one compile at a time",
        f"- Transformer layer: {nodes_per_layer()} ONNX nodes (seq {SEQ}, hidden "
        f"{HIDDEN}, {HEADS} heads, MLP {MLP}), each layer with its own weights", "",
        "Compile s is the wall time of the kilnc process, CPU s its user + system "
        "time (less disturbed by other load on the machine); peak MB its maximum "
        "resident set (rusage); ms/node is compile s / nodes.", ""]
    if args.mlir_timing:
        lines += ["MLIR s sums kilnc's `--mlir-timing` reports; rest s is the "
                  "remainder of the wall time (ONNX import, LLVM translation, "
                  "optimisation and code generation, writing the object).", ""]
    return lines


def report_sections(args, runs, checks, skipped):
    lines = ["## Runs", ""] + run_rows(runs, args.mlir_timing) + [""]
    if skipped:
        lines += ["Skipped after a timeout or failure: " + ", ".join(skipped) + ".", ""]
    lines += ["## Growth exponents", "",
              "log(t2/t1) / log(n2/n1) between consecutive sizes, and the slope of "
              "a least-squares fit of log t on log n; 1 is linear, 2 quadratic.", ""]
    lines += exponent_rows(runs, args.families) + [""]
    if args.breakdown:
        lines += ["## Where the time goes", "",
                  "Between each family's two largest completed sizes: the MLIR passes "
                  "(summed over kilnc's pass pipelines), LLVM passes (`--time-passes`) "
                  "and the remainder (ONNX import, translation to LLVM IR, writing the "
                  "object) that take at least 5% of the larger compile, with their "
                  "growth exponent.", ""] + breakdown_rows(runs, args.families) + [""]
    lines += ["## Correctness (smallest size)", "",
              f"`kilnc -o model.so`, `kiln-run --random --save-inputs IN --outputs "
              f"OUT`, ONNX Runtime on IN, compared at rtol {RTOL:g}, atol {ATOL:g}.", ""]
    lines += (check_rows(checks) if checks else ["Not run (--no-check)."]) + [""]
    return lines + failure_notes(runs)


def write_report(args, meta, runs, checks, skipped):
    lines = report_header(args, meta) + report_sections(args, runs, checks, skipped)
    with open(args.report, "w") as f:
        f.write("\n".join(lines).rstrip() + "\n")


# --- driver -----------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", default=os.path.join(ROOT, "build", "bin", "kilnc"))
    parser.add_argument("--kiln-run", default=os.path.join(ROOT, "build", "bin", "kiln-run"))
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"node counts, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--timeout", type=float, default=900, help="seconds per compile")
    parser.add_argument("--mlir-timing", action="store_true",
                        help="pass --mlir-timing and split MLIR time from the rest")
    parser.add_argument("--breakdown", action="store_true",
                        help="--mlir-timing plus LLVM's --time-passes, and a per-pass "
                             "growth section")
    parser.add_argument("--no-check", action="store_true", help="skip the ORT check")
    parser.add_argument("--report", default=os.path.join(ROOT, "docs", "compile-scaling.md"))
    parser.add_argument("--json", help="also write the raw results here")
    args = parser.parse_args()
    args.sizes = sorted(int(s) for s in (QUICK_SIZES if args.quick else args.sizes).split(","))
    args.families = args.families.split(",")
    args.mlir_timing = args.mlir_timing or args.breakdown
    unknown = [f for f in args.families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
    return args


def run_family(args, family, work, runs, skipped, save):
    for i, n in enumerate(args.sizes):
        print(f"{family} {n} ...", end=" ", flush=True)
        run = compile_one(args, family, n, work)
        runs.append(run)
        print(f"{run['status']} {run['wall']:.2f} s, {fmt(run['peak_mb'], '.0f')} MB",
              flush=True)
        save()
        if run["status"] != "ok":
            skipped += [f"{family} {m}" for m in args.sizes[i + 1:]]
            return


def main():
    args = parse_args()
    meta = {"command": "bench/compile_scaling.py " + shlex.join(sys.argv[1:]),
            "machine": machine(), "rev": git_rev(), "binary": binary_info(args.kilnc),
            "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "load": load_average()}
    runs, checks, skipped = [], [], []
    def save():
        write_report(args, meta, runs, checks, skipped)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"meta": meta, "runs": runs, "checks": checks,
                           "skipped": skipped}, f, indent=1)

    work = tempfile.mkdtemp(prefix="kiln-scaling-")
    try:
        if not args.no_check:
            for family in args.families:
                checks.append(check_one(args, family, args.sizes[0], work))
                print(f"check {family}: {'pass' if checks[-1]['ok'] else 'FAIL'} "
                      f"({checks[-1]['detail']})", flush=True)
        for family in args.families:
            run_family(args, family, work, runs, skipped, save)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save()
    print(f"wrote {args.report}")
    return 0 if all(c["ok"] for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
