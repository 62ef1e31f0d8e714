#!/usr/bin/env python3
"""Runs ONNX backend node tests through kilnc and kiln-run.

For each test directory (model.onnx plus test_data_set_*/): `kilnc --emit=lib`
compiles the model, then `kiln-run --check` runs every data set against its
expected outputs with kiln-run's default tolerance (ONNX's: rtol 1e-3, atol
1e-7, with kiln-run's per-dtype rule for narrow floats) unless the
expectations file records a looser one, with its reason, for that test.

The expectations file of a suite (EXPECTATIONS_DIR/<suite>.txt) has one line
per test:

    test_abs: pass
    test_cast_FLOAT_to_STRING: xfail unsupported: graph output 'output' has ...
    test_foo: pass rtol=1e-2 atol=1e-5 # reason for the looser tolerance

An xfail line names the failure's category (the word after `xfail`: invalid,
unsupported, run-io, run-error, mismatch, compile-exit-N or run-exit-N), then
the first error. The run fails when:
  - a `pass` test fails, or an `xfail` test passes;
  - an `xfail` test fails in another category than the recorded one
    ("category changed");
  - kilnc reports an internal error (exit 4), a tool crashes or times out, or
    a test directory has no test_data_set_* ('no-data'): these are never
    acceptable, and an xfail line naming them is refused when the file loads;
  - a test passes without its recorded looser tolerance (the tolerance is no
    longer needed: remove it);
  - a test is missing from the file, or an entry of the file has no test
    directory (without --filter);
  - a suite directory is missing or holds no test, or the file is missing;
  - the known-bad canary (--canary, test/Conformance/canary by default) is
    not reported as a mismatch: the comparator accepted a known-bad output.

--update rewrites the files from this run and prints every transition (old
-> new, per test; pass -> xfail regressions first). It writes nothing, and
fails, when the run has a regression (unless --allow-regressions), a result
that is never acceptable, a failed canary or a missing suite. Recorded
looser tolerances are kept while they are needed, dropped when they are not.
With --report, per-op tallies and the looser tolerances go to a Markdown
file (docs/conformance.md).

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
# The failure categories an xfail line may record. Everything else (internal,
# *-crash, *-timeout, no-data) always fails the run.
ACCEPTABLE = re.compile(r"(invalid|unsupported|run-io|run-error|mismatch|"
                        r"compile-exit-\d+|run-exit-\d+)$")
NEVER_ACCEPTABLE = re.compile(r"(internal|no-data|.*-crash|.*-timeout)$")
DEFAULT_CANARY = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "canary")

# status: 'pass' or a failure category; strict_pass: a test that passes with
# its looser tolerance passes without it too.
Result = collections.namedtuple("Result", "status detail strict_pass",
                                defaults=("", False))


def first_error(text):
    for line in text.splitlines():
        if "error" in line or "MISMATCH" in line:
            line = re.sub(r"^.*?error: ", "", line)
            line = re.sub(r"^node '[^']*': ", "", line)
            # The category is recorded already ("xfail unsupported: ...").
            line = re.sub(r"^unsupported: ", "", line)
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


def find_tests(directory):
    """The test directories (with a model.onnx) under `directory`."""
    return sorted(d for d in glob.glob(os.path.join(directory, "*"))
                  if os.path.isfile(os.path.join(d, "model.onnx")))


def compile_model(opts, test_dir, lib):
    """kilnc --emit=lib: None when it built `lib`, else (status, detail).
    For the host's CPU alone: the node tests check each op's lowering, and
    a portable object would compile it three times to run one
    (test/Target/CPU/variants.test and the model zoo run the variants)."""
    args = [opts.kilnc, os.path.join(test_dir, "model.onnx"), "-o", lib,
            "--emit=lib", "--header=none", "--prefix", "model",
            f"--mcpu={opts.mcpu}"]
    if opts.force_dynamic:
        args.append("--force-dynamic")
    rc, out = run(args, opts.timeout)
    return failure_of(rc, out, "compile", "kilnc", CATEGORIES)


def failure_of(rc, out, stage, tool, categories):
    """None for exit 0, else the (status, detail) of a tool's run: a
    timeout, a signal, or the category its exit code means."""
    if rc is None:
        return f"{stage}-timeout", f"{tool} timed out"
    if rc < 0:
        return f"{stage}-crash", f"{tool} killed by signal {-rc}"
    if rc != 0:
        return (categories.get(rc, f"{stage}-exit-{rc}"),
                first_error(out) or f"{tool} exited with {rc}")
    return None


def check_data_sets(opts, lib, data_sets, tolerance=None):
    """kiln-run --check on each data set: the first failure's (status,
    detail), or ('pass', '')."""
    for data in data_sets:
        cmd = [opts.kiln_run, lib, "--check", data]
        if tolerance:
            cmd += [f"--rtol={tolerance[0]}", f"--atol={tolerance[1]}"]
        rc, out = run(cmd, opts.timeout)
        failure = failure_of(rc, out, "run", "kiln-run", RUN_CATEGORIES)
        if failure:
            return failure
    return "pass", ""


def data_sets_of(test_dir, prefix="test_data_set_"):
    return sorted(glob.glob(os.path.join(test_dir, prefix + "*")))


def run_test(opts, suite, test_dir, tolerance):
    """Compiles and checks one test: a Result."""
    data_sets = data_sets_of(test_dir)
    if not data_sets:
        return Result("no-data", "model.onnx but no test_data_set_*: "
                      "nothing to check")
    work = os.path.join(opts.work, suite)
    os.makedirs(work, exist_ok=True)
    lib = os.path.join(work, os.path.basename(test_dir) + ".so")
    failure = compile_model(opts, test_dir, lib)
    if failure:
        return Result(*failure)
    try:
        status, detail = check_data_sets(opts, lib, data_sets, tolerance)
        strict = (status == "pass" and tolerance is not None and
                  check_data_sets(opts, lib, data_sets)[0] == "pass")
        return Result(status, detail, strict)
    finally:
        if os.path.exists(lib):
            os.remove(lib)


def check_canary_test(opts, test_dir):
    """Problems with one canary: its test_data_set_* must pass, and each of
    its bad_data_set_* (a deliberately wrong output) must be a mismatch."""
    name = "canary " + os.path.basename(test_dir)
    good, bad = data_sets_of(test_dir), data_sets_of(test_dir, "bad_data_set_")
    if not bad:
        return [f"{name}: no bad_data_set_*: nothing to check"]
    work = os.path.join(opts.work, "canary")
    os.makedirs(work, exist_ok=True)
    lib = os.path.join(work, os.path.basename(test_dir) + ".so")
    failure = compile_model(opts, test_dir, lib)
    if failure:
        return [f"{name}: kilnc failed: {failure[0]}: {failure[1]}"]
    problems = []
    try:
        status, detail = check_data_sets(opts, lib, good)
        if status != "pass":
            problems.append(f"{name}: the correct output does not pass: "
                            f"{status}: {detail}")
        for data in bad:
            status, detail = check_data_sets(opts, lib, [data])
            data = os.path.basename(data)
            if status == "pass":
                problems.append(f"{name}: the comparator accepted a "
                                f"known-bad output ({data})")
            elif status != "mismatch":
                problems.append(f"{name}: {data} should be a mismatch, "
                                f"got {status}: {detail}")
    finally:
        if os.path.exists(lib):
            os.remove(lib)
    return problems


def check_canary(opts):
    tests = find_tests(opts.canary)
    if not tests:
        return [f"canary: no test (model.onnx) under {opts.canary}"]
    problems = []
    for test_dir in tests:
        problems += check_canary_test(opts, test_dir)
    return problems


def parse_xfail(path, number, rest):
    """The category and reason of `xfail CATEGORY: reason`."""
    category, _, reason = rest[len("xfail"):].strip().partition(" ")
    category = category.rstrip(":")
    where = f"{path}:{number}"
    if not category or not reason.strip():
        sys.exit(f"{where}: xfail needs a category and a reason "
                 "('xfail CATEGORY: reason')")
    if NEVER_ACCEPTABLE.match(category):
        sys.exit(f"{where}: '{category}' is never an acceptable xfail "
                 "category: internal errors, crashes, timeouts and tests "
                 "without data always fail the run; fix the cause")
    if not ACCEPTABLE.match(category):
        sys.exit(f"{where}: unknown xfail category '{category}' (expected "
                 "invalid, unsupported, run-io, run-error, mismatch, "
                 "compile-exit-N or run-exit-N)")
    return category, reason.strip()


def parse_pass(path, number, rest, entry):
    body, _, reason = rest.partition("#")
    tol = dict(re.findall(r"(rtol|atol)=([0-9.eE+-]+)", body))
    if not tol:
        return
    if not reason.strip():
        sys.exit(f"{path}:{number}: a looser tolerance needs a reason "
                 "after '#'")
    entry["tolerance"] = (tol.get("rtol", "1e-3"), tol.get("atol", "1e-7"))
    entry["tolerance_reason"] = reason.strip()


def load_expectations(path):
    """{test: entry}; entry: status, line (the text after 'name:'), and
    category/reason (xfail) or tolerance/tolerance_reason (loosened pass)."""
    expected = {}
    if not os.path.exists(path):
        return expected
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            name, _, rest = line.partition(":")
            name, rest = name.strip(), rest.strip()
            entry = {"status": rest.split()[0] if rest else "", "line": rest}
            if entry["status"] == "xfail":
                entry["category"], entry["reason"] = parse_xfail(path, number,
                                                                 rest)
            elif entry["status"] == "pass":
                parse_pass(path, number, rest, entry)
            else:
                sys.exit(f"{path}:{number}: expected 'pass' or 'xfail'")
            if name in expected:
                sys.exit(f"{path}:{number}: a second entry for {name}")
            expected[name] = entry
    return expected


def check_result(name, result, want, path):
    """The problem with one test's result, or None."""
    status, detail = result.status, result.detail
    if status != "pass" and not ACCEPTABLE.match(status):
        return f"{name}: {status}: {detail} (always a failure)"
    if want is None:
        return f"{name}: not in {path} (got {status})"
    if want["status"] == "pass":
        if status != "pass":
            return f"{name}: regressed: {status}: {detail}"
        if result.strict_pass:
            return (f"{name}: the looser tolerance is no longer needed (it "
                    f"passes at kiln-run's default); remove it from {path}")
        return None
    if status == "pass":
        return f"{name}: unexpectedly passes; update {path}"
    if status != want["category"]:
        return (f"{name}: category changed: expected {want['category']}, "
                f"got {status}: {detail}")
    return None


def new_line(result, old):
    """The expectation line (after 'name: ') recording `result`."""
    if result.status != "pass":
        line = f"xfail {result.status}: {result.detail}"
        # A hand-written " # why" note stays while the category holds.
        if (old and old["status"] == "xfail" and
                old.get("category") == result.status and " # " in old["line"]):
            line += " # " + old["line"].split(" # ", 1)[1]
        return line
    if old and old["status"] == "pass" and not result.strict_pass:
        return old["line"]  # keeps a looser tolerance that is still needed
    return "pass"


def summary(entry):
    """'pass', 'pass rtol=R atol=A', 'xfail CATEGORY' or '(none)'."""
    if entry is None:
        return "(none)"
    if entry["status"] == "xfail":
        return "xfail " + entry["category"]
    if "tolerance" in entry:
        return "pass rtol={} atol={}".format(*entry["tolerance"])
    return "pass"


TRANSITION_KINDS = ("pass -> xfail", "xfail -> pass", "category changed",
                    "tolerance dropped", "new test", "removed")


def transition_kind(old, result):
    if old is None:
        return "new test"
    if result is None:
        return "removed"
    if old["status"] == "pass":
        if result.status != "pass":
            return "pass -> xfail"
        return "tolerance dropped" if result.strict_pass else None
    if result.status == "pass":
        return "xfail -> pass"
    return "category changed" if result.status != old["category"] else None


def transitions(results, expected, stale):
    """{kind: [(name, old summary, new summary)]} of this run's changes."""
    changes = collections.defaultdict(list)
    for name in sorted(set(results) | set(stale)):
        old, result = expected.get(name), results.get(name)
        kind = transition_kind(old, result)
        if kind is None:
            continue
        new = "(no test directory)"
        if result is not None:
            new = ("pass" if result.status == "pass"
                   else f"xfail {result.status}: {result.detail}")
        changes[kind].append((name, summary(old), new))
    return changes


def print_transitions(suite, changes):
    if changes.get("pass -> xfail"):
        print(f"{suite}: !!! REGRESSIONS: {len(changes['pass -> xfail'])} "
              "tests went from pass to xfail !!!")
    for kind in TRANSITION_KINDS:
        if kind != "pass -> xfail" and changes.get(kind):
            print(f"{suite}: {kind}:")
        for name, old, new in changes.get(kind, []):
            print(f"  {name}: {old} -> {new}")
    print(f"{suite}: --update: " +
          ", ".join(f"{len(changes.get(k, []))} {k}"
                    for k in TRANSITION_KINDS))


def write_expectations(path, suite, results, expected, stale):
    """Rewrites `path`: this run's results, and the entries of tests it did
    not run (--filter), except the stale ones."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"# Expected results of the {suite} ONNX node tests, written "
                "by test/Conformance/conformance.py --update.\n"
                "# xfail lines give the failure's category (checked: another "
                "category fails the run) and the first error.\n")
        for name in sorted((set(expected) - set(stale)) | set(results)):
            old = expected.get(name)
            line = (new_line(results[name], old) if name in results
                    else old["line"])
            f.write(f"{name}: {line}\n")


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


TOLERANCE_TEXT = (
    "Outputs are compared at ONNX's default tolerance (rtol 1e-3, atol "
    "1e-7), except that:\n\n"
    "- narrow float outputs (float16, bfloat16) are compared with kiln-run's "
    "per-dtype rule: ONNX's rule for bfloat16, and its equivalent for "
    "float16 (see docs/testing.md);\n"
    "- the tests listed under \"Looser tolerances\" run with the tolerance "
    "recorded, with its reason, in their expectations file; the run fails "
    "when one of them passes without it.\n\n")


def write_loosened(f, loosened):
    """The section listing the tests that run with a looser tolerance."""
    f.write(f"### Looser tolerances ({len(loosened)})\n\n")
    if not loosened:
        f.write("None: every test runs at the default tolerance.\n\n")
        return
    f.write("| test | rtol | atol | reason |\n|---|---:|---:|---|\n")
    for name, (rtol, atol), reason in loosened:
        f.write(f"| {name} | {rtol} | {atol} | "
                f"{reason.replace('|', chr(92) + '|')} |\n")
    f.write("\n")


def write_report(path, tallies, force_dynamic, retained, loosened):
    with open(path, "w") as f:
        if force_dynamic:
            f.write("# ONNX conformance with every input dim dynamic\n\n"
                    "Generated by `test/Conformance/conformance.py "
                    "--force-dynamic --report` (run by `ctest -R "
                    "conformance-dynamic`); do not edit.\n"
                    "Each backend node test is compiled with `kilnc "
                    "--emit=lib --mcpu=host --force-dynamic` (every "
                    "graph-input dim "
                    "dynamic) and run at the test's shapes with `kiln-run "
                    "--check`.\n")
        else:
            f.write("# ONNX conformance\n\n"
                    "Generated by `test/Conformance/conformance.py --report` "
                    "(run by `ctest -R conformance`); do not edit.\n"
                    "Each backend node test is compiled with `kilnc "
                    "--emit=lib --mcpu=host` and run with `kiln-run "
                    "--check`.\n")
        f.write(TOLERANCE_TEXT)
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
            write_loosened(f, loosened.get(suite, []))
            f.write("| op | passed | total |\n|---|---:|---:|\n")
            for op in sorted(per_op):
                p, t = per_op[op]
                f.write(f"| {op} | {p} | {t} |\n")
            f.write("\n")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--mcpu", default="host",
                        help="kilnc's --mcpu (%(default)s)")
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
    parser.add_argument("--allow-regressions", action="store_true",
                        help="let --update record pass -> xfail")
    parser.add_argument("--canary", default=DEFAULT_CANARY,
                        help="folder of known-bad canary tests, which must "
                        "come out as mismatches (default: %(default)s)")
    parser.add_argument("--report", help="write per-op tallies here")
    parser.add_argument("--force-dynamic", action="store_true",
                        help="compile with every input dim dynamic")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args()


def suite_tests(opts, suite, directory):
    """(tests, problem): the suite's test directories (after --filter), or
    the reason there are none to trust."""
    if not os.path.isdir(directory):
        return [], f"{suite}: suite directory {directory} does not exist"
    tests = find_tests(directory)
    if not tests:
        return [], f"{suite}: no test (a folder with model.onnx) in {directory}"
    if opts.filter:
        tests = [t for t in tests
                 if re.search(opts.filter, os.path.basename(t))]
    return tests, None


def run_tests(opts, suite, tests, expected):
    results = {}
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        futures = {
            pool.submit(run_test, opts, suite, t,
                        expected.get(os.path.basename(t), {})
                        .get("tolerance")): t for t in tests}
        for future in concurrent.futures.as_completed(futures):
            results[os.path.basename(futures[future])] = future.result()
    return results


def stale_entries(opts, expected, tests):
    """Entries (matching --filter) whose test directory does not exist."""
    names = {os.path.basename(t) for t in tests}
    return sorted(n for n in expected if n not in names and
                  (not opts.filter or re.search(opts.filter, n)))


def print_summary(opts, suite, results, static_path, retained):
    counts = collections.Counter(r.status for r in results.values())
    passed = counts.get("pass", 0)
    print(f"{suite}: {passed} / {len(results)} passed "
          f"({100.0 * passed / max(len(results), 1):.1f}%); " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())
                    if k != "pass"))
    if opts.force_dynamic:
        static = {n for n, e in load_expectations(static_path).items()
                  if e["status"] == "pass" and n in results}
        both = sum(1 for n in static if results[n].status == "pass")
        retained[suite] = (both, len(static))
        print(f"{suite}: {both} of the {len(static)} tests that pass "
              f"statically pass with dynamic shapes "
              f"({100.0 * both / max(len(static), 1):.1f}%)")


def tally_ops(tests, results, python_onnx):
    per_op = collections.defaultdict(lambda: [0, 0])
    for t in tests:
        op = test_ops(t, python_onnx)
        per_op[op][1] += 1
        if results[os.path.basename(t)].status == "pass":
            per_op[op][0] += 1
    return per_op


def print_problems(title, problems):
    if problems:
        print(f"{title}: {len(problems)} unexpected results:")
        for line in problems:
            print("  " + line)


class Session:
    """What a run found: problems fail it; refusals stop --update."""

    def __init__(self, opts):
        self.opts = opts
        self.problems, self.refusals = [], []
        self.pending = []  # (path, suite, results, expected, stale)
        self.tallies, self.retained, self.loosened = {}, {}, {}
        self.python_onnx = None
        if opts.report:
            import onnx  # only the report needs op types
            self.python_onnx = onnx

    def fail(self, problem, refusal=None):
        print(problem)
        self.problems.append(problem)
        self.refusals.append(refusal or problem)

    def canary(self):
        """Refuses to trust a comparator that accepts a known-bad output."""
        problems = check_canary(self.opts)
        print_problems("canary", problems)
        if problems:
            self.problems += problems
            self.refusals.append("the canary failed")
        else:
            print(f"canary: every known-bad output of {self.opts.canary} "
                  "is a mismatch")

    def suite(self, spec):
        """Runs one suite; returns how many tests it ran."""
        opts = self.opts
        suite, _, directory = spec.partition("=")
        tests, problem = suite_tests(opts, suite, directory)
        if problem:
            self.fail(problem)
            return 0
        static_path = os.path.join(opts.expectations, suite + ".txt")
        path = static_path
        if opts.force_dynamic:
            path = os.path.join(opts.expectations, suite + ".dynamic.txt")
        if not os.path.exists(path) and not opts.update:
            self.fail(f"{suite}: {path} does not exist (--update writes it)")
            return 0
        expected = load_expectations(path)
        results = run_tests(opts, suite, tests, expected)
        stale = stale_entries(opts, expected, tests)
        if opts.verbose:
            for name in sorted(results):
                print(f"{suite} {name}: {results[name].status} "
                      f"{results[name].detail}")
        print_summary(opts, suite, results, static_path, self.retained)
        if opts.update:
            self.plan_update(path, suite, results, expected, stale)
        else:
            self.check(path, directory, suite, results, expected, stale)
        if self.python_onnx is not None:
            self.tallies[suite] = tally_ops(tests, results, self.python_onnx)
            self.loosened[suite] = [
                (n, expected[n]["tolerance"], expected[n]["tolerance_reason"])
                for n in sorted(results) if "tolerance" in expected.get(n, {})]
        return len(tests)

    def check(self, path, directory, suite, results, expected, stale):
        problems = [p for p in (check_result(n, results[n], expected.get(n),
                                             path)
                                for n in sorted(results)) if p]
        problems += [f"{n}: in {path} but no test directory in {directory}"
                     for n in stale]
        print_problems(suite, problems)
        self.problems += problems

    def plan_update(self, path, suite, results, expected, stale):
        changes = transitions(results, expected, stale)
        print_transitions(suite, changes)
        never = [f"{n}: {r.status}: {r.detail}"
                 for n, r in sorted(results.items())
                 if r.status != "pass" and not ACCEPTABLE.match(r.status)]
        print_problems(f"{suite}: never acceptable, cannot be recorded", never)
        if never:
            self.refusals.append(f"{suite}: {len(never)} results are never "
                                 "acceptable (internal error, crash, "
                                 "timeout, no data)")
        regressions = len(changes.get("pass -> xfail", []))
        if regressions and not self.opts.allow_regressions:
            self.refusals.append(f"{suite}: {regressions} pass -> xfail "
                                 "regressions (--allow-regressions records "
                                 "them)")
        self.pending.append((path, suite, results, expected, stale))

    def write(self):
        """--update: writes every file, or nothing when a refusal stands."""
        if self.refusals:
            print("--update: nothing written:\n  " +
                  "\n  ".join(self.refusals))
            return False
        for path, suite, results, expected, stale in self.pending:
            write_expectations(path, suite, results, expected, stale)
            print(f"{suite}: wrote {path}")
        return True


def main():
    opts = parse_args()
    session = Session(opts)
    session.canary()
    ran = sum(session.suite(spec) for spec in opts.suite)
    if opts.filter and not ran:
        session.fail(f"--filter '{opts.filter}' matched no test")
    if opts.update and not session.write():
        return 1
    if opts.report:
        write_report(opts.report, session.tallies, opts.force_dynamic,
                     session.retained, session.loosened)
    return 1 if session.problems else 0


if __name__ == "__main__":
    sys.exit(main())
