#!/usr/bin/env python3
"""Runs ONNX backend node tests through kilnc and kiln-run.

For each test directory (model.onnx plus test_data_set_*/): `kilnc --emit=lib`
compiles the model, then `kiln-run --check` runs every data set against its
expected outputs with ONNX's default tolerance (rtol 1e-3, atol 1e-7) unless
the expectations file records a looser one, with its reason, for that test.

The expectations file of a suite (EXPECTATIONS_DIR/<suite>.txt) has one line
per test:

    test_abs: pass
    test_cast_FLOAT_to_STRING: xfail unsupported: graph output 'output' has ...
    test_foo: pass rtol=1e-2 atol=1e-5 # reason for the looser tolerance

The run fails when a `pass` test fails, when an `xfail` test passes, or when
a test is missing from the file (--update rewrites it from this run). A
crash or timeout is always a failure, never an acceptable expectation.
With --report, per-op tallies go to a Markdown file (docs/conformance.md).

With --force-dynamic, every model is compiled with `kilnc --force-dynamic`
(every graph-input dim dynamic, declared output shapes ignored) and run at
the test's shapes; the expectations are then EXPECTATIONS_DIR/<suite>.dynamic.txt,
and the run also reports how many of the tests that pass statically (by
<suite>.txt) pass dynamically.
"""
import argparse
import collections
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

CATEGORIES = {2: "invalid", 3: "unsupported", 4: "internal"}
RUN_CATEGORIES = {1: "run-io", 2: "run-error", 3: "mismatch"}


def first_error(text):
    for line in text.splitlines():
        if "error" in line or "MISMATCH" in line:
            line = re.sub(r"^.*?error: ", "", line)
            line = re.sub(r"^node '[^']*': ", "", line)
            return line.strip()[:160]
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1].strip()[:160] if lines else ""


def run(args, timeout):
    try:
        proc = subprocess.run(args, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    return proc.returncode, proc.stdout + proc.stderr


def run_test(opts, suite, test_dir, tolerance):
    """Returns (status, detail): status is 'pass' or a failure category."""
    name = os.path.basename(test_dir)
    work = os.path.join(opts.work, suite)
    os.makedirs(work, exist_ok=True)
    lib = os.path.join(work, name + ".so")
    args = [opts.kilnc, os.path.join(test_dir, "model.onnx"), "-o", lib,
            "--emit=lib", "--header=none", "--prefix", "model"]
    if opts.force_dynamic:
        args.append("--force-dynamic")
    rc, out = run(args, opts.timeout)
    if rc is None:
        return "compile-timeout", "kilnc timed out"
    if rc < 0:
        return "compile-crash", f"kilnc killed by signal {-rc}"
    if rc != 0:
        return CATEGORIES.get(rc, f"compile-exit-{rc}"), first_error(out)
    try:
        data_sets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
        for data in data_sets:
            cmd = [opts.kiln_run, lib, "--check", data]
            if tolerance:
                cmd += [f"--rtol={tolerance[0]}", f"--atol={tolerance[1]}"]
            rc, out = run(cmd, opts.timeout)
            if rc is None:
                return "run-timeout", "kiln-run timed out"
            if rc < 0:
                return "run-crash", f"kiln-run killed by signal {-rc}"
            if rc != 0:
                return RUN_CATEGORIES.get(rc, f"run-exit-{rc}"), first_error(out)
        return "pass", ""
    finally:
        if os.path.exists(lib):
            os.remove(lib)


def load_expectations(path):
    expected = {}
    if not os.path.exists(path):
        return expected
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            name, _, rest = line.partition(":")
            rest = rest.strip()
            entry = {"status": rest.split()[0] if rest else ""}
            if entry["status"] == "xfail":
                entry["reason"] = rest[len("xfail"):].strip()
                if not entry["reason"]:
                    sys.exit(f"{path}:{number}: xfail without a reason")
            elif entry["status"] == "pass":
                body, _, reason = rest.partition("#")
                tol = dict(re.findall(r"(rtol|atol)=([0-9.eE+-]+)", body))
                if tol:
                    if not reason.strip():
                        sys.exit(f"{path}:{number}: a looser tolerance needs "
                                 "a reason after '#'")
                    entry["tolerance"] = (tol.get("rtol", "1e-3"),
                                          tol.get("atol", "1e-7"))
                    entry["line"] = rest
            else:
                sys.exit(f"{path}:{number}: expected 'pass' or 'xfail'")
            expected[name.strip()] = entry
    return expected


def write_expectations(path, suite, results, expected):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"# Expected results of the {suite} ONNX node tests, written "
                "by test/Conformance/conformance.py --update.\n"
                "# xfail lines give the reason: the failure's category and "
                "the first error.\n")
        for name in sorted(results):
            status, detail = results[name]
            if status == "pass":
                old = expected.get(name, {})
                f.write(f"{name}: {old.get('line', 'pass')}\n")
            else:
                f.write(f"{name}: xfail {status}: {detail}\n")


def test_ops(test_dir, python_onnx):
    """The op type(s) a node test exercises, from its model."""
    if python_onnx is None:
        return os.path.basename(test_dir)
    try:
        model = python_onnx.load(os.path.join(test_dir, "model.onnx"),
                                 load_external_data=False)
    except Exception:
        return "(unreadable)"
    ops = []
    for node in model.graph.node:
        if node.op_type not in ops:
            ops.append(node.op_type)
    if len(ops) == 1:
        return ops[0]
    return "(multi-node: expanded functions and composites)"


def write_report(path, tallies, force_dynamic, retained):
    with open(path, "w") as f:
        if force_dynamic:
            f.write("# ONNX conformance with every input dim dynamic\n\n"
                    "Generated by `test/Conformance/conformance.py "
                    "--force-dynamic --report` (run by `ctest -R "
                    "conformance-dynamic`); do not edit.\n"
                    "Each backend node test is compiled with `kilnc "
                    "--emit=lib --force-dynamic` (every graph-input dim "
                    "dynamic) and run at the test's shapes with `kiln-run "
                    "--check` at ONNX's default tolerance.\n\n")
        else:
            f.write("# ONNX conformance\n\n"
                    "Generated by `test/Conformance/conformance.py --report` "
                    "(run by `ctest -R conformance`); do not edit.\n"
                    "Each backend node test is compiled with `kilnc "
                    "--emit=lib` and run with `kiln-run --check` at ONNX's "
                    "default tolerance (rtol 1e-3, atol 1e-7).\n\n")
        for suite, per_op in tallies.items():
            passed = sum(p for p, _ in per_op.values())
            total = sum(t for _, t in per_op.values())
            f.write(f"## {suite}: {passed} / {total} passed "
                    f"({100.0 * passed / max(total, 1):.1f}%)\n\n")
            if suite in retained:
                both, static = retained[suite]
                f.write(f"Of the {static} tests that pass with static "
                        f"shapes, {both} pass with dynamic ones "
                        f"({100.0 * both / max(static, 1):.1f}%).\n\n")
            f.write("| op | passed | total |\n|---|---:|---:|\n")
            for op in sorted(per_op):
                p, t = per_op[op]
                f.write(f"| {op} | {p} | {t} |\n")
            f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--suite", action="append", required=True,
                        help="NAME=DIR of node-test directories")
    parser.add_argument("--expectations", required=True,
                        help="directory of <suite>.txt expectation files")
    parser.add_argument("--work", required=True, help="scratch directory")
    parser.add_argument("--filter", help="only tests matching this regex")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expectations from this run")
    parser.add_argument("--report", help="write per-op tallies here")
    parser.add_argument("--force-dynamic", action="store_true",
                        help="compile with every input dim dynamic")
    parser.add_argument("-v", "--verbose", action="store_true")
    opts = parser.parse_args()

    python_onnx = None
    if opts.report:
        import onnx as python_onnx  # only the report needs op types

    failed = False
    tallies = {}
    retained = {}
    for spec in opts.suite:
        suite, _, directory = spec.partition("=")
        tests = sorted(d for d in glob.glob(os.path.join(directory, "*"))
                       if os.path.exists(os.path.join(d, "model.onnx")))
        if opts.filter:
            tests = [t for t in tests
                     if re.search(opts.filter, os.path.basename(t))]
        static_path = os.path.join(opts.expectations, suite + ".txt")
        path = static_path
        if opts.force_dynamic:
            path = os.path.join(opts.expectations, suite + ".dynamic.txt")
        expected = load_expectations(path)
        results = {}
        with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
            futures = {
                pool.submit(run_test, opts, suite, t,
                            expected.get(os.path.basename(t), {})
                            .get("tolerance")): t for t in tests}
            for future in concurrent.futures.as_completed(futures):
                results[os.path.basename(futures[future])] = future.result()

        counts = collections.Counter(s for s, _ in results.values())
        unexpected = []
        for name in sorted(results):
            status, detail = results[name]
            want = expected.get(name, {}).get("status")
            if status.endswith("crash") or status.endswith("timeout"):
                unexpected.append(f"{name}: {status}: {detail}")
            elif want is None:
                unexpected.append(f"{name}: not in {path} (got {status})")
            elif want == "pass" and status != "pass":
                unexpected.append(f"{name}: regressed: {status}: {detail}")
            elif want == "xfail" and status == "pass":
                unexpected.append(f"{name}: unexpectedly passes; update "
                                  f"{path}")
            if opts.verbose:
                print(f"{suite} {name}: {status} {detail}")
        passed = counts.get("pass", 0)
        print(f"{suite}: {passed} / {len(results)} passed "
              f"({100.0 * passed / max(len(results), 1):.1f}%); " +
              ", ".join(f"{k} {v}" for k, v in sorted(counts.items())
                        if k != "pass"))
        if opts.force_dynamic:
            static = {n for n, e in load_expectations(static_path).items()
                      if e["status"] == "pass" and n in results}
            both = sum(1 for n in static if results[n][0] == "pass")
            retained[suite] = (both, len(static))
            print(f"{suite}: {both} of the {len(static)} tests that pass "
                  f"statically pass with dynamic shapes "
                  f"({100.0 * both / max(len(static), 1):.1f}%)")
        if opts.update:
            write_expectations(path, suite, results, expected)
            print(f"{suite}: wrote {path}")
        elif unexpected:
            failed = True
            print(f"{suite}: {len(unexpected)} unexpected results:")
            for line in unexpected:
                print("  " + line)
        if python_onnx is not None:
            per_op = collections.defaultdict(lambda: [0, 0])
            for t in tests:
                op = test_ops(t, python_onnx)
                per_op[op][1] += 1
                if results[os.path.basename(t)][0] == "pass":
                    per_op[op][0] += 1
            tallies[suite] = per_op
    if opts.report:
        write_report(opts.report, tallies, opts.force_dynamic, retained)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
