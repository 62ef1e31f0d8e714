#!/usr/bin/env python3
"""Feeds kilnc byte-level mutants of real ONNX models; none may crash.

Mutants are truncations, byte flips, inserted and deleted runs of bytes of
the backend node-test models, from a fixed seed so a failure reproduces.
Any exit by signal or timeout, or an exit code outside kilnc's documented set
(0 ok, 2 invalid model, 3 unsupported), fails the run; the failing mutant is
kept for replay.
"""
import argparse
import concurrent.futures
import os
import random
import subprocess
import sys
import tempfile

ALLOWED = {0, 2, 3}


def mutate(rng, data):
    data = bytearray(data)
    kind = rng.randrange(4)
    if kind == 0 and data:
        del data[rng.randrange(len(data)):]
    elif kind == 1:
        for _ in range(rng.randint(1, 8)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 2:
        pos = rng.randrange(len(data) + 1)
        data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    elif data:
        pos = rng.randrange(len(data))
        del data[pos:pos + rng.randint(1, 16)]
    return bytes(data)


def mutate_structure(rng, data):
    """Semantic mutants (needs the `onnx` package): odd dims, attribute
    values and kinds, dangling or reordered nodes, odd types and opsets."""
    import onnx
    model = onnx.ModelProto()
    model.ParseFromString(data)
    g = model.graph
    odd_ints = [-(1 << 62), -7, -1, 0, 1, 2, 3, 1 << 41, (1 << 63) - 1]
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(8)
        values = list(g.input) + list(g.output) + list(g.value_info)
        if kind == 0 and values:
            t = rng.choice(values).type.tensor_type
            if t.shape.dim:
                rng.choice(t.shape.dim).dim_value = rng.choice(odd_ints)
        elif kind == 1 and g.node:
            node = rng.choice(g.node)
            if node.attribute:
                a = rng.choice(node.attribute)
                choice = rng.randrange(4)
                if choice == 0:
                    a.type = rng.randrange(1, 14)
                elif choice == 1:
                    a.i = rng.choice(odd_ints)
                elif choice == 2:
                    del a.ints[:]
                    a.ints.extend(rng.choice(odd_ints)
                                  for _ in range(rng.randrange(6)))
                else:
                    a.f = rng.choice([float("nan"), float("inf"), -1e30, 0.0])
        elif kind == 2 and g.node:
            node = rng.choice(g.node)
            if node.input:
                node.input[rng.randrange(len(node.input))] = rng.choice(
                    ["", "nowhere", node.output[0] if node.output else "x"])
        elif kind == 3 and len(g.node) > 1:
            i, j = rng.randrange(len(g.node)), rng.randrange(len(g.node))
            a, b = onnx.NodeProto(), onnx.NodeProto()
            a.CopyFrom(g.node[i])
            b.CopyFrom(g.node[j])
            g.node[i].CopyFrom(b)
            g.node[j].CopyFrom(a)
        elif kind == 4 and values:
            rng.choice(values).type.tensor_type.elem_type = rng.randrange(0, 30)
        elif kind == 5 and model.opset_import:
            rng.choice(model.opset_import).version = rng.randrange(-1, 32)
        elif kind == 6 and g.initializer:
            t = rng.choice(g.initializer)
            if t.dims:
                t.dims[rng.randrange(len(t.dims))] = rng.choice(odd_ints)
        elif kind == 7 and g.node:
            node = rng.choice(g.node)
            if rng.randrange(2) and node.input:
                del node.input[-1]
            else:
                node.input.append(rng.choice(["", node.input[0] if node.input else "x"]))
    return model.SerializeToString()


def run(kilnc, path, timeout, phase):
    args = ([kilnc, "--check", path] if phase == "graph" else
            [kilnc, f"--compile-to={phase}", "-o", os.devnull, path])
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout)
        return proc.returncode
    except subprocess.TimeoutExpired:
        return "timeout"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--models", required=True,
                        help="directory of <test>/model.onnx")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--phase", default="graph",
                        help="the last phase kilnc runs (graph, linalg)")
    parser.add_argument("--structured", action="store_true",
                        help="mutate fields with the onnx package, not bytes")
    parser.add_argument("--keep", default=tempfile.gettempdir(),
                        help="where failing mutants are kept")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    models = sorted(os.path.join(args.models, d, "model.onnx")
                    for d in os.listdir(args.models)
                    if os.path.isfile(os.path.join(args.models, d, "model.onnx")))
    work = tempfile.mkdtemp(prefix="kiln-fuzz-")
    jobs = []
    for i in range(args.count):
        source = rng.choice(models)
        with open(source, "rb") as f:
            data = f.read()
        mutant = (mutate_structure(rng, data) if args.structured
                  else mutate(rng, data))
        path = os.path.join(work, f"mutant_{i}.onnx")
        with open(path, "wb") as f:
            f.write(mutant)
        jobs.append((path, source))

    counts = {}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
        results = pool.map(
            lambda j: run(args.kilnc, j[0], args.timeout, args.phase), jobs)
        for (path, source), rc in zip(jobs, results):
            counts[rc] = counts.get(rc, 0) + 1
            if rc not in ALLOWED:
                kept = os.path.join(args.keep, os.path.basename(path))
                os.replace(path, kept)
                failures.append(f"{kept} (from {source}): exit {rc}")
            else:
                os.remove(path)
    os.rmdir(work) if not os.listdir(work) else None
    print(f"{args.count} mutants (seed {args.seed}): " +
          ", ".join(f"exit {k}: {v}" for k, v in sorted(counts.items(), key=str)))
    for f in failures:
        print("  FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
