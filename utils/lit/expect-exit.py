#!/usr/bin/env python3
"""expect-exit.py CODE CMD ARGS...: runs CMD, passes its output through, and
fails unless it exits with CODE. A signal (crash, abort) is always a failure.
"""
import subprocess
import sys

code = int(sys.argv[1])
proc = subprocess.run(sys.argv[2:])
if proc.returncode < 0:
    sys.exit(f"expect-exit: '{sys.argv[2]}' died of signal {-proc.returncode}")
if proc.returncode != code:
    sys.exit(f"expect-exit: '{sys.argv[2]}' exited {proc.returncode}, "
             f"expected {code}")
