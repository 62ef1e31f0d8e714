#!/usr/bin/env python3
"""Imports every model.onnx under the given directories with `kilnc --check`.

Each model must either import and verify (exit 0) or be refused with a clean
"unsupported" diagnostic (exit 3). A signal, a timeout, an internal error
(exit 4) or an "invalid model" verdict on a test model that is not listed in
the expectations file fails the sweep. With --lower, every model that
imports is also lowered (`--compile-to=linalg`): it must lower or be refused
as unsupported. The counts are printed per suite.
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys

EXIT_NAMES = {0: "imported", 2: "invalid", 3: "unsupported", 4: "internal"}


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


def run_one(kilnc, model, timeout, lower=False):
    args = ([kilnc, "--compile-to=linalg", "-o", os.devnull, model] if lower
            else [kilnc, "--check", model])
    try:
        proc = subprocess.run(args, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    if proc.returncode < 0:
        return f"crash (signal {-proc.returncode})", proc.stderr
    return EXIT_NAMES.get(proc.returncode, f"exit {proc.returncode}"), proc.stderr


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
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    expected_invalid = load_expected_invalid(args.expected_invalid)

    failed = False
    for suite in args.suite:
        name, _, root = suite.partition("=")
        if not os.path.isdir(root):
            print(f"{name}: {root} does not exist", file=sys.stderr)
            failed = True
            continue
        tests = sorted(d for d in os.listdir(root)
                       if os.path.isfile(os.path.join(root, d, "model.onnx")))
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
        lowered = None
        if args.lower:
            imported = [t for t in tests if futures[t].result()[0] == "imported"]
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
                        problems.append((t, "lowering: " + verdict,
                                         stderr.strip()))
        total = len(tests)
        summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in
                            ("imported", "unsupported", "invalid", "internal"))
        others = {k: v for k, v in counts.items() if k not in EXIT_NAMES.values()}
        crashes = sum(others.values())
        print(f"{name}: {total} models: {summary}, {crashes} crashes/timeouts"
              f" ({100.0 * counts.get('imported', 0) / max(total, 1):.1f}% import)"
              + (f"; {lowered} lower to linalg" if lowered is not None else ""))
        for t, verdict, stderr in problems:
            failed = True
            print(f"  FAIL {t}: {verdict}\n    " +
                  "\n    ".join(stderr.splitlines()[:4]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
