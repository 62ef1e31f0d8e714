#!/usr/bin/env python3
"""Compiles and runs the model zoo (test/Models/export_models.py) with kiln.

For each model directory: `kilnc model.onnx -o WORK/<model>/lib<model>.so`
(wall time and the child's peak RSS measured), then `kiln-run lib.so --check
test_data_set_0 --rtol 1e-3 --atol 1e-4` against ONNX Runtime's outputs,
then `kiln-run --threads 2` on the same inputs, whose outputs must be the
1-thread run's bit for bit, then each code variant of the portable library
(x86-64-v2, -v3, -v4, forced with KILN_CPU_VARIANT; those the CPU lacks
skipped) against ONNX Runtime's outputs again.

The expectations file has one line per model:

    resnet18: pass
    bert_base: xfail unsupported cannot lower 'onnx.LayerNormalization': ...

with a category of unsupported, invalid, internal (kilnc exits 3, 2, 4),
mismatch, model-error (kiln-run exits 3, 2), threads (the outputs at 2
threads differ), variant (a forced variant fails) or timeout, then the
first error.
The run fails on a regression, an unexpected pass, a changed category, a
crash (a signal or an unknown exit code), an I/O error, a model without an
entry, or an entry without a model. --update rewrites the file from the run
(a crash or an I/O error is not recorded: the model keeps its old entry);
--report writes this size's table into a Markdown file (docs/models.md),
keeping the other size's.

CI tier (what `ctest -L models` runs, into build/test/models-ci):
    .venv/bin/python test/Models/export_models.py --size ci \\
        --out build/test/models-ci
    .venv/bin/python test/Models/models.py --models build/test/models-ci \\
        --expectations test/Models/expectations-ci.txt --report docs/models.md

Full size (manual, about 8 minutes on 2 cores; docs/testing.md):
    .venv/bin/python test/Models/export_models.py --size full \\
        --out build/models-full
    .venv/bin/python test/Models/models.py --models build/models-full \\
        --expectations test/Models/expectations-full.txt \\
        --work build/models-full-work --timeout 1800 --report docs/models.md
"""
import argparse
import filecmp
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Conformance"))
from conformance import find_tests, first_error  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
COMPILE = {2: "invalid", 3: "unsupported", 4: "internal"}
RUN = {2: "model-error", 3: "mismatch"}
RECORDABLE = (set(COMPILE.values()) | set(RUN.values()) |
              {"timeout", "threads", "variant"})
# The code variants of a portable object (kilnc's default on x86-64).
VARIANTS = ["x86-64-v2", "x86-64-v3", "x86-64-v4"]
TOLERANCE = ["--rtol", "1e-3", "--atol", "1e-4"]

# status: 'pass' or a category; the compile measurements are None when
# kilnc did not finish.
Result = collections.namedtuple(
    "Result", "status detail compile_s peak_mb so_mb",
    defaults=(None, None, None))
Process = collections.namedtuple("Process", "code output seconds peak_mb")


def measure(cmd, timeout, env=None):
    """Runs cmd: its exit code (None after a timeout; negative for a
    signal), output, wall seconds and peak RSS in MB."""
    killed = threading.Event()

    def kill():
        killed.set()
        proc.kill()

    start = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                env=env)
        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        output = out.read().decode(errors="replace")
    code = None if killed.is_set() else proc.returncode
    return Process(code, output, seconds, usage.ru_maxrss / 1024)


def failure(proc, tool, categories):
    """(category, detail) of a failed run, or None."""
    if proc.code is None:
        return "timeout", f"{tool} timed out after {proc.seconds:.0f} s"
    if proc.code < 0:
        return "crash", f"{tool} killed by signal {-proc.code}"
    if proc.code == 1:
        return "io", f"{tool}: " + (first_error(proc.output) or "exit 1")
    if proc.code:
        category = categories.get(proc.code, "crash")
        return category, (first_error(proc.output) or
                          f"{tool} exited with {proc.code}")
    return None


def run_model(opts, model_dir):
    """Compiles and checks one model: a Result."""
    name = os.path.basename(model_dir)
    work = os.path.join(opts.work, name)
    os.makedirs(work, exist_ok=True)
    lib = os.path.join(work, f"lib{name}.so")
    if os.path.exists(lib):
        os.remove(lib)
    # kilnc's compile report of each model (docs/models.md says where).
    reports = [os.path.join(work, f"report.{ext}") for ext in ("json", "html")]
    for path in reports:
        if os.path.exists(path):
            os.remove(path)
    compiled = measure([opts.kilnc, os.path.join(model_dir, "model.onnx"),
                        "-o", lib, "--header=none"] +
                       [f"--report={path}" for path in reports], opts.timeout)
    failed = failure(compiled, "kilnc", COMPILE) or check_report(*reports)
    if failed:
        return Result(*failed)
    measured = (compiled.seconds, compiled.peak_mb,
                os.path.getsize(lib) / 1e6)
    data = os.path.join(model_dir, "test_data_set_0")
    one, two = os.path.join(work, "outputs-1"), os.path.join(work, "outputs-2")
    for folder in (one, two):
        shutil.rmtree(folder, ignore_errors=True)
    ran = measure([opts.kiln_run, lib, "--check", data, "--outputs", one] +
                  TOLERANCE, opts.timeout)
    failed = failure(ran, "kiln-run", RUN)
    if failed:
        return Result(*failed, *measured)
    return Result(*(check_threads(opts, lib, data, one, two) or
                    check_variants(opts, lib, data) or ("pass", "")),
                  *measured)


def check_report(json_path, html_path):
    """(category, detail) if the compile report is missing or empty."""
    try:
        with open(json_path) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        return "report", f"no JSON report: {e}"
    if not report["decisions"] or not report["ops_by_kind"] or \
            not os.path.getsize(html_path):
        return "report", "the report has no decisions or ops"
    return None


def check_threads(opts, lib, data, one, two):
    """(category, detail) if the outputs at 2 threads are not the bits of
    the 1-thread run's (in `one`), else None."""
    ran = measure([opts.kiln_run, lib, "--inputs", data, "--threads", "2",
                   "--outputs", two], opts.timeout)
    failed = failure(ran, "kiln-run --threads 2", RUN)
    if failed:
        return failed
    differ = [name for name in sorted(os.listdir(one))
              if not filecmp.cmp(os.path.join(one, name),
                                 os.path.join(two, name), shallow=False)]
    if differ:
        return "threads", ("outputs at 2 threads differ from 1 thread's: " +
                           ", ".join(differ))
    return None


def check_variants(opts, lib, data):
    """(category, detail) if a variant of the portable library, forced
    with KILN_CPU_VARIANT, misses ONNX Runtime's outputs, else None. The
    variants this CPU cannot run are skipped."""
    for variant in VARIANTS:
        env = dict(os.environ, KILN_CPU_VARIANT=variant)
        ran = measure([opts.kiln_run, lib, "--check", data] + TOLERANCE,
                      opts.timeout, env)
        if ran.code == 2 and "the CPU lacks" in ran.output:
            continue
        failed = failure(ran, f"kiln-run ({variant})", RUN)
        if failed:
            return "variant", f"{variant}: {failed[1]}"
    return None


def load_expectations(path):
    """{model: (status, category, detail)}; status 'pass' or 'xfail'."""
    expected = {}
    if not os.path.exists(path):
        return expected
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            name, _, rest = line.strip().partition(": ")
            words = rest.split(" ", 2) + ["", ""]
            if words[0] == "pass" and len(rest.split()) == 1:
                expected[name] = ("pass", "", "")
            elif words[0] == "xfail" and words[1] in RECORDABLE:
                expected[name] = ("xfail", words[1], words[2])
            else:
                sys.exit(f"{path}:{number}: expected 'NAME: pass' or 'NAME: "
                         f"xfail CATEGORY error' (CATEGORY one of "
                         f"{', '.join(sorted(RECORDABLE))})")
    return expected


def problem(name, result, want):
    """What is wrong with a model's result, or None."""
    if result.status not in RECORDABLE | {"pass"}:
        return f"{name}: {result.status}: {result.detail} (always a failure)"
    if want is None:
        return f"{name}: no expectation (got {result.status}); use --update"
    status, category, _ = want
    if status == "pass" and result.status != "pass":
        return f"{name}: REGRESSION: {result.status}: {result.detail}"
    if status == "xfail" and result.status == "pass":
        return f"{name}: unexpectedly passes; use --update"
    if status == "xfail" and result.status != category:
        return (f"{name}: category changed: expected {category}, got "
                f"{result.status}: {result.detail}")
    return None


def line_of(result):
    if result.status == "pass":
        return "pass"
    return f"xfail {result.status} {result.detail}"


def update(path, size, results, expected, stale):
    """Rewrites the expectations (dropping `stale` entries); prints what
    changed."""
    lines = {n: " ".join(w for w in e if w) for n, e in expected.items()
             if n not in stale}
    for name in stale:
        print(f"  {name}: removed (no model)")
    for name, result in sorted(results.items()):
        if result.status not in RECORDABLE | {"pass"}:
            continue  # a crash: keeps its old entry, and fails the run
        new = line_of(result)
        if lines.get(name) != new:
            print(f"  {name}: {lines.get(name, '(none)')} -> {new}")
        lines[name] = new
    with open(path, "w") as f:
        f.write(f"# Expected kiln results of the model zoo at --size {size}"
                ", written by test/Models/models.py --update.\n"
                "# xfail CATEGORY first-error; another category, a "
                "regression or an unexpected pass fails the run.\n")
        for name in sorted(lines):
            f.write(f"{name}: {lines[name]}\n")
    print(f"wrote {path}")


def info_of(model_dir):
    with open(os.path.join(model_dir, "info.json")) as f:
        info = json.load(f)
    info["model_mb"] = os.path.getsize(
        os.path.join(model_dir, "model.onnx")) / 1e6
    return info


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def section(size, infos, results):
    """The report's Markdown section for one size."""
    passed = sum(r.status == "pass" for r in results.values())
    out = [f"## {size} size: {passed} of {len(results)} models match ONNX "
           "Runtime\n",
           "| model | family | configuration | parameters | model MB | "
           "result | compile s | compile peak MB | .so MB |",
           "|---|---|---|---:|---:|---|---:|---:|---:|"]
    for name, r in sorted(results.items()):
        i = infos[name]
        out.append(f"| {name} | {i['family']} | {i['config']} | "
                   f"{i['parameters'] / 1e6:.2f}M | {i['model_mb']:.1f} | "
                   f"{r.status} | {fmt(r.compile_s, '.1f')} | "
                   f"{fmt(r.peak_mb, '.0f')} | {fmt(r.so_mb, '.1f')} |")
    failures = [f"- {n}: {r.status}: `{r.detail}`"
                for n, r in sorted(results.items()) if r.status != "pass"]
    if failures:
        out += ["", "First errors:", ""] + failures
    return "\n".join(out) + "\n"


REPORT_HEAD = """# Model zoo

Generated by `test/Models/models.py --report docs/models.md` (one section
a size; the commands are at the top of models.py and in docs/testing.md,
"Model zoo"); do not edit. Real architectures with random weights
(test/Models/export_models.py), each compiled with `kilnc` and run with
`kiln-run --check` against ONNX Runtime's outputs at rtol 1e-3, atol 1e-4.
The ci size is what `ctest -L models` runs; the full size is a manual run.
Compile s and peak MB are kilnc's wall time and peak RSS on the 2-core
machine that wrote the table.
"""


def write_report(path, size, infos, results):
    """Replaces this size's section of the report, keeping the others."""
    sections = {}
    if os.path.exists(path):
        with open(path) as f:
            for match in re.finditer(r"<!-- (\w+) -->\n(.*?)<!-- end -->",
                                     f.read(), re.S):
                sections[match.group(1)] = match.group(2)
    sections[size] = section(size, infos, results)
    with open(path, "w") as f:
        f.write(REPORT_HEAD)
        for key in sorted(sections):
            f.write(f"\n<!-- {key} -->\n{sections[key]}<!-- end -->\n")
    print(f"wrote {path}")


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    bin_dir = os.path.join(ROOT, "build", "bin")
    parser.add_argument("--kilnc", default=os.path.join(bin_dir, "kilnc"))
    parser.add_argument("--kiln-run",
                        default=os.path.join(bin_dir, "kiln-run"))
    parser.add_argument("--models", required=True,
                        help="directory written by export_models.py")
    parser.add_argument("--expectations", required=True)
    parser.add_argument("--work", default=os.path.join(
        tempfile.gettempdir(), "kiln-models"), help="scratch directory")
    parser.add_argument("--report", help="Markdown report to write")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds per kilnc or kiln-run (%(default)s)")
    parser.add_argument("--only", help="run only this model")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expectations from this run")
    return parser.parse_args()


def run_all(opts, dirs, names, expected):
    """Runs the models; returns their results, infos and problems."""
    results, infos, problems = {}, {}, []
    for name in names:
        r = results[name] = run_model(opts, dirs[name])
        infos[name] = info_of(dirs[name])
        print(f"{name}: {r.status} {r.detail} (compile "
              f"{fmt(r.compile_s, '.1f')} s, {fmt(r.peak_mb, '.0f')} MB)",
              flush=True)
        problems += filter(None, [problem(name, r, expected.get(name))])
    return results, infos, problems


def main():
    opts = parse_args()
    dirs = {os.path.basename(d): d for d in find_tests(opts.models)}
    expected = load_expectations(opts.expectations)
    names = [opts.only] if opts.only else sorted(set(dirs) | set(expected))
    stale = [n for n in names if n not in dirs]
    names = [n for n in names if n in dirs]
    results, infos, problems = run_all(opts, dirs, names, expected)
    size = infos[names[0]]["size"] if names else "?"
    if opts.update:
        update(opts.expectations, size, results, expected, stale)
        problems = [p for p in problems if "always a failure" in p]
    else:
        problems += [f"{n}: in {opts.expectations} but no model in "
                     f"{opts.models}" for n in stale]
    if not names:
        problems.append(f"no model to run in {opts.models}")
    if opts.report and names and not opts.only:
        write_report(opts.report, size, infos, results)
    passed = sum(r.status == "pass" for r in results.values())
    print(f"{passed} of {len(results)} models match ONNX Runtime")
    for p in problems:
        print("FAIL " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
