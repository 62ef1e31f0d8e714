#!/usr/bin/env python3
"""Self-test of test/Conformance/conformance.py and test/Sweep/import_sweep.py.

Runs both against tiny fake suites, with a fake kilnc and kiln-run
(fake_tools.sh, driven by a fake.txt in each test directory), and checks
that they fail where they must: a changed xfail category, an internal error,
a crash or timeout, a missing or empty suite, a test without data, an
expectation without a test, an unneeded looser tolerance, a lenient
comparator (the canary), a regression recorded by --update, and import
counts that moved. Needs only Python 3 and a POSIX shell; takes a few
seconds.

    python3 test/Conformance/selftest/selftest.py [-v]
"""
import concurrent.futures
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEST = os.path.dirname(os.path.dirname(HERE))
CONFORMANCE = os.path.join(TEST, "Conformance", "conformance.py")
SWEEP = os.path.join(TEST, "Sweep", "import_sweep.py")
FAKE = os.path.join(HERE, "fake_tools.sh")
VERBOSE = "-v" in sys.argv

BASE_EXPECTATIONS = """\
# fake suite
test_mismatch: xfail mismatch: output 'y': MISMATCH at 1 elements
test_pass: pass
test_unsupported: xfail unsupported: node 'n': unsupported: op Foo
"""
LOOSE = "pass rtol=1e-2 atol=1e-5 # measured 0.004 near 0.4"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


def make_test(root, name, fake="", data=True, bad=False):
    """A test directory: an empty model.onnx, fake.txt, data-set folders."""
    write(os.path.join(root, name, "model.onnx"), "")
    write(os.path.join(root, name, "fake.txt"), fake.replace(";", "\n"))
    if data:
        os.makedirs(os.path.join(root, name, "test_data_set_0"))
    if bad:
        os.makedirs(os.path.join(root, name, "bad_data_set_0"))


class Fixture:
    """A scratch folder with the fake tools, a canary, the suite `fake` and
    its expectations."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.log = os.path.join(tmp, "log.txt")
        self.kilnc = self.tool("kilnc")
        self.kiln_run = self.tool("kiln-run")
        self.canary = os.path.join(tmp, "canary")
        make_test(self.canary, "test_canary", bad=True)
        self.suite = os.path.join(tmp, "suite")
        make_test(self.suite, "test_pass")
        make_test(self.suite, "test_unsupported", "kilnc 3")
        make_test(self.suite, "test_mismatch", "run 3")
        self.expectations = os.path.join(tmp, "expectations")
        self.path = os.path.join(self.expectations, "fake.txt")
        write(self.path, BASE_EXPECTATIONS)

    def tool(self, name):
        path = os.path.join(self.tmp, name)
        write(path, f'#!/bin/sh\nexec sh "{FAKE}" {name} "$@"\n')
        os.chmod(path, 0o755)
        return path

    def expect(self, *lines):
        """Appends lines to the suite's expectations."""
        write(self.path, read(self.path) + "".join(l + "\n" for l in lines))

    def conformance(self, *args, suite=None):
        suite = suite or self.suite
        cmd = [sys.executable, CONFORMANCE, "--kilnc", self.kilnc,
               "--kiln-run", self.kiln_run, "--suite", "fake=" + suite,
               "--expectations", self.expectations,
               "--work", os.path.join(self.tmp, "work"),
               "--canary", self.canary, "-j", "4", *args]
        return self.run(cmd)

    def sweep(self, *args, suite=None):
        cmd = [sys.executable, SWEEP, "--kilnc", self.kilnc,
               "--suite", "fake=" + (suite or self.suite), "-j", "4", *args]
        return self.run(cmd)

    def run(self, cmd):
        env = dict(os.environ, FAKE_LOG=self.log)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        return proc.returncode, proc.stdout + proc.stderr


def expect_run(rc, out, want_rc, *texts):
    """Fails (AssertionError) unless the exit status is `want_rc` (True: any
    non-zero one) and every text appears in the output."""
    ok_rc = rc != 0 if want_rc is True else rc == want_rc
    missing = [t for t in texts if t not in out]
    if not ok_rc or missing:
        raise AssertionError(f"exit {rc} (wanted "
                             f"{'non-zero' if want_rc is True else want_rc}); "
                             f"missing {missing}; output:\n{out}")


# --- conformance.py ---------------------------------------------------------

def test_baseline_passes(fx):
    expect_run(*fx.conformance(), 0, "fake: 1 / 3 passed",
               "canary: every known-bad output")


def test_category_change_fails(fx):
    write(os.path.join(fx.suite, "test_unsupported", "fake.txt"), "run 3")
    expect_run(*fx.conformance(), 1, "test_unsupported: category changed: "
               "expected unsupported, got mismatch: ")


def test_internal_fails(fx):
    write(os.path.join(fx.suite, "test_pass", "fake.txt"), "kilnc 4")
    expect_run(*fx.conformance(), 1, "test_pass: internal: internal: "
               "verifier failed (always a failure)")


def test_internal_xfail_refused(fx):
    write(os.path.join(fx.suite, "test_unsupported", "fake.txt"), "kilnc 4")
    write(fx.path, BASE_EXPECTATIONS.replace("xfail unsupported",
                                             "xfail internal"))
    expect_run(*fx.conformance(), True, "fake.txt:4: 'internal' is never an "
               "acceptable xfail category")


def test_crash_fails(fx):
    write(os.path.join(fx.suite, "test_mismatch", "fake.txt"), "run crash")
    expect_run(*fx.conformance(), 1, "test_mismatch: run-crash: kiln-run "
               "killed by signal 11")


def test_crash_xfail_refused(fx):
    write(fx.path, BASE_EXPECTATIONS.replace("xfail mismatch",
                                             "xfail run-crash"))
    expect_run(*fx.conformance(), True, "'run-crash' is never an acceptable")


def test_timeout_fails(fx):
    write(os.path.join(fx.suite, "test_pass", "fake.txt"), "kilnc hang")
    expect_run(*fx.conformance("--timeout", "0.5"), 1,
               "test_pass: compile-timeout")


def test_unknown_category_refused(fx):
    write(fx.path, BASE_EXPECTATIONS.replace("xfail unsupported",
                                             "xfail unsuported"))
    expect_run(*fx.conformance(), True, "unknown xfail category 'unsuported'")


def test_missing_suite_fails(fx):
    expect_run(*fx.conformance(suite=os.path.join(fx.tmp, "nowhere")), 1,
               "fake: suite directory", "does not exist")


def test_empty_suite_fails(fx):
    os.makedirs(os.path.join(fx.tmp, "empty"))
    expect_run(*fx.conformance(suite=os.path.join(fx.tmp, "empty")), 1,
               "fake: no test (a folder with model.onnx)")


def test_missing_expectations_fail(fx):
    os.remove(fx.path)
    expect_run(*fx.conformance(), 1, "fake.txt does not exist")


def test_no_data_fails(fx):
    make_test(fx.suite, "test_nodata", data=False)
    fx.expect("test_nodata: pass")
    expect_run(*fx.conformance(), 1, "test_nodata: no-data: model.onnx but "
               "no test_data_set_*")


def test_no_data_xfail_refused(fx):
    fx.expect("test_nodata: xfail no-data: nothing")
    expect_run(*fx.conformance(), True, "'no-data' is never an acceptable")


def test_stale_expectation_fails(fx):
    fx.expect("test_gone: pass")
    expect_run(*fx.conformance(), 1, "test_gone: in ", "but no test directory")


def test_stale_expectation_outside_filter_ignored(fx):
    fx.expect("test_gone: pass")
    expect_run(*fx.conformance("--filter", "test_(pass|mismatch)"), 0,
               "fake: 1 / 2 passed")


def test_filter_matching_nothing_fails(fx):
    expect_run(*fx.conformance("--filter", "test_nothing"), 1,
               "--filter 'test_nothing' matched no test")


def test_missing_entry_fails(fx):
    make_test(fx.suite, "test_new")
    expect_run(*fx.conformance(), 1, "test_new: not in ")


def test_unneeded_tolerance_fails(fx):
    make_test(fx.suite, "test_loose")
    fx.expect("test_loose: " + LOOSE)
    expect_run(*fx.conformance(), 1, "test_loose: the looser tolerance is "
               "no longer needed")


def test_needed_tolerance_passes(fx):
    make_test(fx.suite, "test_loose", "run-default 3")
    fx.expect("test_loose: " + LOOSE)
    expect_run(*fx.conformance(), 0, "fake: 2 / 4 passed")
    runs = [l for l in read(fx.log).splitlines()
            if l.startswith("kiln-run") and "test_loose" in l]
    if len(runs) != 2 or "--rtol=1e-2" not in runs[0] or "--rtol" in runs[1]:
        raise AssertionError("expected a run with --rtol=1e-2, then one "
                             "without:\n" + "\n".join(runs))


def test_update_refuses_regression(fx):
    write(os.path.join(fx.suite, "test_pass", "fake.txt"), "kilnc 3")
    expect_run(*fx.conformance("--update"), 1, "!!! REGRESSIONS: 1 tests",
               "test_pass: pass -> xfail unsupported: ", "nothing written",
               "--allow-regressions")
    if read(fx.path) != BASE_EXPECTATIONS:
        raise AssertionError("--update wrote the file:\n" + read(fx.path))


def test_update_allows_regression_when_asked(fx):
    write(os.path.join(fx.suite, "test_pass", "fake.txt"), "kilnc 3")
    expect_run(*fx.conformance("--update", "--allow-regressions"), 0,
               "test_pass: pass -> xfail unsupported", "1 pass -> xfail")
    expect_run(0, read(fx.path), 0,
               "test_pass: xfail unsupported: op Foo")


def test_update_refuses_internal(fx):
    write(os.path.join(fx.suite, "test_unsupported", "fake.txt"), "kilnc 4")
    expect_run(*fx.conformance("--update", "--allow-regressions"), 1,
               "never acceptable, cannot be recorded", "nothing written")
    if read(fx.path) != BASE_EXPECTATIONS:
        raise AssertionError("--update wrote the file")


def test_update_transitions_and_tolerances(fx):
    make_test(fx.suite, "test_loose", "run-default 3")
    make_test(fx.suite, "test_unneeded")
    make_test(fx.suite, "test_new", "run 2")
    write(os.path.join(fx.suite, "test_unsupported", "fake.txt"), "")
    write(os.path.join(fx.suite, "test_mismatch", "fake.txt"), "run 1")
    fx.expect("test_loose: " + LOOSE, "test_unneeded: " + LOOSE,
              "test_gone: pass")
    expect_run(*fx.conformance("--update"), 0,
               "test_unsupported: xfail unsupported -> pass",
               "test_mismatch: xfail mismatch -> xfail run-io: ",
               "test_unneeded: pass rtol=1e-2 atol=1e-5 -> pass",
               "test_new: (none) -> xfail run-error: ",
               "test_gone: pass -> (no test directory)",
               "0 pass -> xfail, 1 xfail -> pass, 1 category changed, "
               "1 tolerance dropped, 1 new test, 1 removed")
    text = read(fx.path)
    expect_run(0, text, 0, "test_loose: " + LOOSE + "\n",
               "test_unneeded: pass\n", "test_unsupported: pass\n",
               "test_mismatch: xfail run-io: ")
    if "test_gone" in text:
        raise AssertionError("the stale entry stayed:\n" + text)
    expect_run(*fx.conformance(), 0, "fake: 4 / 6 passed")


def test_update_with_filter_keeps_other_entries(fx):
    write(os.path.join(fx.suite, "test_unsupported", "fake.txt"), "")
    expect_run(*fx.conformance("--update", "--filter", "unsupported"), 0,
               "1 xfail -> pass")
    expect_run(0, read(fx.path), 0, "test_pass: pass", "test_mismatch: xfail "
               "mismatch", "test_unsupported: pass")


def test_canary_accepting_bad_output_fails(fx):
    write(os.path.join(fx.canary, "test_canary", "fake.txt"), "bad 0")
    expect_run(*fx.conformance(), 1, "canary test_canary: the comparator "
               "accepted a known-bad output (bad_data_set_0)")


def test_canary_other_failure_fails(fx):
    write(os.path.join(fx.canary, "test_canary", "fake.txt"), "bad 2")
    expect_run(*fx.conformance(), 1, "bad_data_set_0 should be a mismatch, "
               "got run-error")


def test_canary_good_output_must_pass(fx):
    write(os.path.join(fx.canary, "test_canary", "fake.txt"), "run 3")
    expect_run(*fx.conformance(), 1, "the correct output does not pass")


def test_canary_without_bad_data_fails(fx):
    shutil.rmtree(os.path.join(fx.canary, "test_canary", "bad_data_set_0"))
    expect_run(*fx.conformance(), 1, "no bad_data_set_*")


def test_missing_canary_fails(fx):
    shutil.rmtree(fx.canary)
    expect_run(*fx.conformance(), 1, "canary: no test (model.onnx)")


def test_update_refuses_after_failed_canary(fx):
    write(os.path.join(fx.canary, "test_canary", "fake.txt"), "bad 0")
    expect_run(*fx.conformance("--update"), 1, "nothing written",
               "the canary failed")


def test_force_dynamic(fx):
    write(os.path.join(fx.expectations, "fake.dynamic.txt"),
          BASE_EXPECTATIONS)
    expect_run(*fx.conformance("--force-dynamic"), 0,
               "1 of the 1 tests that pass statically")
    kilnc_calls = [l for l in read(fx.log).splitlines()
                   if l.startswith("kilnc")]
    if not all("--force-dynamic" in l for l in kilnc_calls):
        raise AssertionError("kilnc ran without --force-dynamic")


def test_report_lists_tolerances(fx):
    spec = importlib.util.spec_from_file_location("conformance", CONFORMANCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = os.path.join(fx.tmp, "report.md")
    module.write_report(report, {"fake": {"Relu": [1, 2]}}, False, {},
                        {"fake": [("test_loose", ("1e-2", "1e-5"),
                                   "measured | 0.004")]})
    text = read(report)
    expect_run(0, text, 0, "### Looser tolerances (1)",
               "| test_loose | 1e-2 | 1e-5 | measured \\| 0.004 |",
               "kiln-run's per-dtype rule", "docs/testing.md",
               "## fake: 1 / 2 passed")
    if "every test" in text.lower() and "default tolerance" in text.lower():
        raise AssertionError("the report still claims one tolerance:\n" + text)


# --- import_sweep.py --------------------------------------------------------

def sweep_fixture(fx):
    make_test(fx.suite, "test_invalid_ok", "kilnc 0")
    counts = os.path.join(fx.tmp, "counts.txt")
    write(counts, "# pinned\nfake: import 3 unsupported 1 invalid 0\n"
          "other: import 5 unsupported 0 invalid 0\n")
    return counts


def test_sweep_counts_match(fx):
    counts = sweep_fixture(fx)
    expect_run(*fx.sweep("--expect-counts", counts), 0,
               "fake: 4 models: 3 imported, 1 unsupported")


def test_sweep_counts_differ_fail(fx):
    counts = sweep_fixture(fx)
    write(os.path.join(fx.suite, "test_pass", "fake.txt"), "kilnc 3")
    expect_run(*fx.sweep("--expect-counts", counts), 1,
               "fake: counts differ from", "import 3 -> 2, unsupported 1 -> 2",
               "--update-counts", "`fake: import 2 unsupported 2 invalid 0`")


def test_sweep_update_counts(fx):
    counts = sweep_fixture(fx)
    write(os.path.join(fx.suite, "test_pass", "fake.txt"), "kilnc 3")
    expect_run(*fx.sweep("--expect-counts", counts, "--update-counts"), 0,
               "wrote")
    if read(counts) != ("# pinned\nfake: import 2 unsupported 2 invalid 0\n"
                        "other: import 5 unsupported 0 invalid 0\n"):
        raise AssertionError("unexpected counts file:\n" + read(counts))
    expect_run(*fx.sweep("--expect-counts", counts), 0)


def test_sweep_unpinned_suite_fails(fx):
    counts = sweep_fixture(fx)
    write(counts, "other: import 5 unsupported 0 invalid 0\n")
    expect_run(*fx.sweep("--expect-counts", counts), 1,
               "fake: no pinned counts")


def test_sweep_empty_folder_fails(fx):
    os.makedirs(os.path.join(fx.tmp, "empty"))
    expect_run(*fx.sweep(suite=os.path.join(fx.tmp, "empty")), 1,
               "fake: no model")


def test_sweep_missing_folder_fails(fx):
    expect_run(*fx.sweep(suite=os.path.join(fx.tmp, "nowhere")), 1,
               "does not exist")


def test_sweep_internal_fails(fx):
    write(os.path.join(fx.suite, "test_pass", "fake.txt"), "kilnc 4")
    expect_run(*fx.sweep(), 1, "FAIL test_pass: internal")


def run_case(function):
    """None when the case passes, else its error."""
    with tempfile.TemporaryDirectory(prefix="conformance-selftest-") as tmp:
        try:
            function(Fixture(tmp))
        except AssertionError as error:
            return str(error)
    return None


def main():
    tests = [(n, f) for n, f in globals().items() if n.startswith("test_")]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        errors = list(pool.map(run_case, [f for _, f in tests]))
    for (name, _), error in zip(tests, errors):
        if error:
            print(f"FAIL {name}: {error}")
        elif VERBOSE:
            print(f"PASS {name}")
    failures = sum(1 for e in errors if e)
    print(f"conformance selftest: {len(tests) - failures} / {len(tests)} "
          "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
