#!/bin/sh
# A fake kilnc and kiln-run, for the self-test of conformance.py and
# import_sweep.py (selftest.py):
#
#   fake_tools.sh kilnc MODEL -o LIB ...        (as conformance.py calls it)
#   fake_tools.sh kilnc --check MODEL           (as import_sweep.py does)
#   fake_tools.sh kiln-run LIB --check DATA [--rtol=R --atol=A]
#
# Each answers as the file fake.txt of the test directory (the folder of
# MODEL, or of DATA) says, one `KEY VALUE` a line:
#
#   kilnc V         kilnc's answer (default 0)
#   run V           kiln-run's answer (default 0)
#   run-default V   kiln-run's answer without --rtol/--atol (default: run's)
#   bad V           kiln-run's answer on a bad_data_set_* (default 3)
#
# V is an exit code, `crash` (the tool kills itself with SIGSEGV) or `hang`
# (it sleeps 30 s). Every call is appended to the file $FAKE_LOG, if set.
tool=$1
shift
if [ -n "$FAKE_LOG" ]; then echo "$tool $*" >> "$FAKE_LOG"; fi

# value DIR KEY DEFAULT: the value of KEY in DIR/fake.txt.
value() {
  v=$(sed -n "s/^$2 //p" "$1/fake.txt" 2>/dev/null)
  echo "${v:-$3}"
}

# answer VALUE MESSAGE: exits as VALUE says, printing MESSAGE on a failure.
answer() {
  case $1 in
    crash) kill -SEGV $$ ;;
    hang) exec sleep 30 ;;
    0) exit 0 ;;
  esac
  echo "$2" >&2
  exit "$1"
}

if [ "$tool" = kilnc ]; then
  prev=
  for arg in "$@"; do
    case $arg in *model.onnx) model=$arg ;; esac
    if [ "$prev" = -o ]; then echo "fake library" > "$arg"; fi
    prev=$arg
  done
  v=$(value "$(dirname "$model")" kilnc 0)
  case $v in
    2) answer 2 "error: the model is invalid" ;;
    3) answer 3 "error: node 'n': unsupported: op Foo" ;;
    4) answer 4 "error: internal: verifier failed" ;;
    *) answer "$v" "error: fake failure" ;;
  esac
fi

prev=
strict=yes
for arg in "$@"; do
  if [ "$prev" = --check ]; then data=$arg; fi
  case $arg in --rtol*) strict= ;; esac
  prev=$arg
done
dir=$(dirname "$data")
v=$(value "$dir" run 0)
case $(basename "$data") in
  bad_data_set_*) v=$(value "$dir" bad 3) ;;
  *) if [ -n "$strict" ]; then v=$(value "$dir" run-default "$v"); fi ;;
esac
case $v in
  1) answer 1 "kiln-run: cannot read input_0.pb" ;;
  2) answer 2 "kiln-run: model_create: error" ;;
  3) answer 3 "output 'y': MISMATCH: 1 of 4 elements differ (first at 3)" ;;
  *) answer "$v" "kiln-run: fake failure" ;;
esac
