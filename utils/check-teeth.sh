#!/usr/bin/env bash
# Shows that the suite catches what it guards: each patch in test/teeth
# breaks kiln on purpose; this script applies it, rebuilds ./build, runs
# every check that must catch it (each must fail), and reverts.
#
#   utils/check-teeth.sh            # every patch
#   utils/check-teeth.sh NAME...    # some (file names without .patch)
#
# Needs a built ./build and the test data of scripts/test.sh, and no
# uncommitted changes in the patched files. Exits 1 if a check missed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
py="${KILN_TEST_PYTHON:-$root/.venv/bin/python}"
missed=0

conformance() {
  "$py" test/Conformance/conformance.py --kilnc build/bin/kilnc \
    --kiln-run build/bin/kiln-run --expectations test/Conformance/expectations \
    --canary test/Conformance/canary --work "$work/conformance" "$@"
}

# must_fail NAME CMD...: CMD must exit non-zero with the breakage in.
must_fail() {
  local what="$1"
  shift
  if "$@" >"$work/log" 2>&1; then
    echo "  MISSED by $what: it passed with the breakage in"
    missed=1
  else
    echo "  caught by $what:"
    grep -m3 -E "category changed|MISMATCH|comparator|regressed|Failed Tests|FAIL:" \
      "$work/log" | sed 's/^/    /'
  fi
}

checks() {
  case "$1" in
  xfail-lowering-broken)
    must_fail "ctest -R conformance (the antialiased Resize tests)" \
      conformance --suite onnx-1.23.2=build/onnx-node-tests --filter antialias ;;
  comparator-broken)
    must_fail "the oracle lit tests" lit-22 -q build/test --filter 'tools/kiln-run'
    must_fail "the conformance canary" \
      conformance --suite onnx-1.12=/usr/share/libonnx-testdata/data/node \
        --filter '^test_abs$' ;;
  *) echo "  no checks for $1"; missed=1 ;;
  esac
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for p in test/teeth/*.patch; do names+=("$(basename "$p" .patch)"); done
fi
for name in "${names[@]}"; do
  patch="test/teeth/$name.patch"
  git apply "$patch" || { echo "$name: the patch does not apply"; exit 2; }
  echo "$name:"
  if ninja -C build >"$work/build.log" 2>&1; then
    checks "$name"
  else
    echo "  build failed"; missed=1
  fi
  git apply -R "$patch"
done
ninja -C build >"$work/build.log" 2>&1 || { echo "rebuild after revert failed"; exit 2; }
exit $missed
