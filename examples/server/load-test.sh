#!/bin/sh
# The full load test of kiln-server (docs/serving.md):
#
#   examples/server/load-test.sh [KILNC | BINDIR]
#
# KILNC (default build/bin/kilnc) compiles the digits classifier and the
# tiny CNN; ${CXX:-c++} builds kiln-server and kiln-load-client in
# ${WORK:-/tmp/kiln-server-load}. Or BINDIR holds both programs already
# built (build/examples/server). Then, on a server listening on a free port
# of 127.0.0.1: the protocol checks, the bad requests, and 16 connections
# sending 20,000 requests after 1,000 warm-up ones, every reply checked
# against ONNX Runtime; and on a second server with --workers 1
# --max-queue 1, the overload check. Exits non-zero if any check fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
arg=${1:-$root/build/bin/kilnc}

if [ -d "$arg" ]; then
  bin=$arg
else
  bin=${WORK:-/tmp/kiln-server-load}
  mkdir -p "$bin"
  "$arg" "$root/examples/digits/digits.onnx" -o "$bin/digits.o" --prefix=digits
  "$arg" "$root/examples/tiny-cnn/model.onnxtxt" -o "$bin/tiny_cnn.o" \
    --prefix=tiny_cnn
  cxx=${CXX:-c++}
  flags="-std=c++17 -O2 -pthread $(pkg-config --cflags cpp-httplib)"
  libs=$(pkg-config --libs cpp-httplib)
  # shellcheck disable=SC2086 # flags and libs are lists
  $cxx $flags -I"$bin" -I"$root/include" -I"$here" "$here/kiln_server.cpp" \
    "$here"/server/*.cpp "$bin/digits.o" "$bin/tiny_cnn.o" $libs -lm \
    -o "$bin/kiln-server"
  # shellcheck disable=SC2086
  $cxx $flags -I"$here" "$here/load_client.cpp" "$here"/client/*.cpp $libs \
    -o "$bin/kiln-load-client"
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
samples="--digits $root/examples/digits/test_set.txt \
  --tiny-cnn $here/tiny_cnn_test_set.txt"
# shellcheck disable=SC2086 # samples is a list
python3 "$here/with_server.py" "$bin/kiln-server" --port 0 -- \
  "$bin/kiln-load-client" --port '{port}' --pid '{pid}' $samples \
  --connections 16 --requests 20000 --warmup 1000 protocol bad-requests load
# shellcheck disable=SC2086
python3 "$here/with_server.py" "$bin/kiln-server" --port 0 --workers 1 \
  --max-queue 1 -- "$bin/kiln-load-client" --port '{port}' --pid '{pid}' \
  $samples overload
