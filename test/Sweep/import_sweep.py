#!/usr/bin/env python3
"""Imports every model.onnx under the given directories with `kilnc --check
--compile-to=graph` (import and the graph phase).

Each model must either import and verify (exit 0) or be refused with a clean
"unsupported" diagnostic (exit 3). A signal, a timeout, an internal error
(exit 4) or an "invalid model" verdict on a test model that is not listed in
the expectations file fails the sweep. With --lower, every model that
imports is also lowered (`--compile-to=linalg`): it must lower or be refused
as unsupported. The counts are printed per suite.

An empty or missing suite folder fails the sweep. With --expect-counts FILE,
the import/unsupported/invalid counts of each suite are pinned by a line of
FILE (`onnx-1.12: import 817 unsupported 115 invalid 0`): any difference
fails the sweep, so that an importer regression that turns a supported op
into "unsupported" is noticed. --update-counts rewrites those lines from
this run (review the diff: a lower import count is a regression).
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys

EXIT_NAMES = {0: "imported", 2: "invalid", 3: "unsupported", 4: "internal"}
# The pinned counts: the name in the counts file, and the verdict it counts.
PINNED = (("import", "imported"), ("unsupported", "unsupported"),
          ("invalid", "invalid"))


def load_expected_invalid(path):
    """Lines `<test name>  # reason`: models kiln rightly calls invalid."""
    expected = {}
    if not path:
        return expected
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition("#")
            if not reason.strip():
                sys.exit(f"{path}: entry '{name.strip()}' has no reason")
            expected[name.strip()] = reason.strip()
    return expected


def load_expected_counts(path):
    """{suite: {key: count}} from lines `SUITE: import N unsupported N
    invalid N`."""
    counts = {}
    if not path or not os.path.exists(path):
        return counts
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.split("#")[0].strip()
            if not line:
                continue
            suite, _, rest = line.partition(":")
            words = rest.split()
            entry = dict(zip(words[::2], words[1::2]))
            keys = [k for k, _ in PINNED]
            if (len(words) != 2 * len(keys) or sorted(entry) != sorted(keys)
                    or not all(v.isdigit() for v in entry.values())):
                sys.exit(f"{path}:{number}: expected '{suite.strip()}: " +
                         " ".join(f"{k} N" for k in keys) + "'")
            counts[suite.strip()] = {k: int(v) for k, v in entry.items()}
    return counts


def counts_line(suite, counts):
    return f"{suite}: " + " ".join(f"{key} {counts.get(verdict, 0)}"
                                   for key, verdict in PINNED)


def count_differences(suite, counts, expected, path):
    """Problems when this run's counts differ from the pinned ones."""
    if suite not in expected:
        return [f"{suite}: no pinned counts in {path}; add the line "
                f"`{counts_line(suite, counts)}`"]
    diffs = [f"{key} {expected[suite][key]} -> {counts.get(verdict, 0)}"
             for key, verdict in PINNED
             if expected[suite][key] != counts.get(verdict, 0)]
    if not diffs:
        return []
    return [f"{suite}: counts differ from {path}: " + ", ".join(diffs) +
            f". If the change is intended (e.g. an op newly imported), "
            f"rerun with --update-counts or set the line to "
            f"`{counts_line(suite, counts)}`"]


def write_counts(path, lines):
    """Replaces the lines of the suites in `lines` ({suite: line}) in `path`,
    keeping its comments and other suites."""
    kept = []
    if os.path.exists(path):
        with open(path) as f:
            kept = [l.rstrip("\n") for l in f]
    out = []
    for line in kept:
        suite = line.split("#")[0].partition(":")[0].strip()
        if suite in lines:
            out.append(lines.pop(suite))
        else:
            out.append(line)
    out += list(lines.values())
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def run_one(kilnc, model, timeout, lower=False):
    # --check alone runs every phase; the sweep measures import and the
    # graph phase (shape inference), so it stops there.
    args = ([kilnc, "--compile-to=linalg", "-o", os.devnull, model] if lower
            else [kilnc, "--check", "--compile-to=graph", model])
    try:
        proc = subprocess.run(args, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    if proc.returncode < 0:
        return f"crash (signal {-proc.returncode})", proc.stderr
    return EXIT_NAMES.get(proc.returncode, f"exit {proc.returncode}"), proc.stderr


def import_all(args, name, root, tests, expected_invalid):
    """Imports every model: (counts by verdict, problems, futures)."""
    counts = {}
    problems = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {t: pool.submit(run_one, args.kilnc,
                                  os.path.join(root, t, "model.onnx"),
                                  args.timeout) for t in tests}
        for t in tests:
            verdict, stderr = futures[t].result()
            counts[verdict] = counts.get(verdict, 0) + 1
            bad = verdict not in ("imported", "unsupported")
            if verdict == "invalid" and t in expected_invalid:
                bad = False
            if bad:
                problems.append((t, verdict, stderr.strip()))
            if args.verbose:
                print(f"{name} {t}: {verdict}")
    return counts, problems, futures


def lower_all(args, root, imported, problems):
    """Lowers every imported model to linalg: how many lower."""
    lowered = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        lowering = {t: pool.submit(run_one, args.kilnc,
                                   os.path.join(root, t, "model.onnx"),
                                   args.timeout, True)
                    for t in imported}
        for t in imported:
            verdict, stderr = lowering[t].result()
            if verdict == "imported":
                lowered += 1
            elif verdict != "unsupported":
                problems.append((t, "lowering: " + verdict, stderr.strip()))
    return lowered


def sweep_suite(args, name, root, expected_invalid):
    """Sweeps one suite and prints its summary: (counts, failed); counts is
    None when the folder is missing or holds no model."""
    if not os.path.isdir(root):
        print(f"{name}: {root} does not exist", file=sys.stderr)
        return None, True
    tests = sorted(d for d in os.listdir(root)
                   if os.path.isfile(os.path.join(root, d, "model.onnx")))
    if not tests:
        print(f"{name}: no model (DIR/*/model.onnx) in {root}",
              file=sys.stderr)
        return None, True
    counts, problems, futures = import_all(args, name, root, tests,
                                           expected_invalid)
    lowered = None
    if args.lower:
        imported = [t for t in tests if futures[t].result()[0] == "imported"]
        lowered = lower_all(args, root, imported, problems)
    total = len(tests)
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in
                        ("imported", "unsupported", "invalid", "internal"))
    others = {k: v for k, v in counts.items() if k not in EXIT_NAMES.values()}
    crashes = sum(others.values())
    print(f"{name}: {total} models: {summary}, {crashes} crashes/timeouts"
          f" ({100.0 * counts.get('imported', 0) / max(total, 1):.1f}% import)"
          + (f"; {lowered} lower to linalg" if lowered is not None else ""))
    for t, verdict, stderr in problems:
        print(f"  FAIL {t}: {verdict}\n    " +
              "\n    ".join(stderr.splitlines()[:4]))
    return counts, bool(problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--suite", action="append", required=True,
                        help="NAME=DIR; every DIR/*/model.onnx is imported")
    parser.add_argument("--expected-invalid", help="expectations file")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--lower", action="store_true",
                        help="also lower every imported model to linalg")
    parser.add_argument("--expect-counts", metavar="FILE",
                        help="pinned per-suite counts; a difference fails")
    parser.add_argument("--update-counts", action="store_true",
                        help="rewrite the --expect-counts lines of the "
                        "suites swept, from this run")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.update_counts and not args.expect_counts:
        parser.error("--update-counts needs --expect-counts FILE")
    expected_invalid = load_expected_invalid(args.expected_invalid)
    expected_counts = load_expected_counts(args.expect_counts)
    if args.expect_counts and not args.update_counts and not expected_counts:
        print(f"{args.expect_counts}: missing or empty; --update-counts "
              "writes it", file=sys.stderr)
        return 1

    failed = False
    new_counts = {}
    for suite in args.suite:
        name, _, root = suite.partition("=")
        counts, suite_failed = sweep_suite(args, name, root, expected_invalid)
        failed = failed or suite_failed
        if counts is None or not args.expect_counts:
            continue
        new_counts[name] = counts_line(name, counts)
        for problem in count_differences(name, counts, expected_counts,
                                         args.expect_counts):
            print("  " + problem)
            failed = failed or not args.update_counts
    if args.update_counts:
        if failed:
            print(f"not writing {args.expect_counts}: the sweep failed")
        elif new_counts:
            write_counts(args.expect_counts, new_counts)
            print(f"wrote {args.expect_counts}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
