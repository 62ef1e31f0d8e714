#!/usr/bin/env python3
"""Feeds kilnc mutants of real ONNX models; each must get a documented answer.

Byte mutants are truncations, byte flips, inserted and deleted runs of bytes
of the backend node-test models; structured mutants (--structured, needs the
`onnx` package) change dims, types, attributes, opsets and node wiring.
By default every mutant is compiled all the way to an object file
(`kilnc mutant.onnx -o mutant.o`: graph, linalg, bufferize, llvm phases and
code emission); --phase stops earlier.

kilnc may answer a mutant with exit 0 (compiled), 2 (invalid model) or
3 (unsupported). Anything else fails the run:
  4        an internal error, a kiln bug;
  1        an I/O error, which a readable mutant in a writable directory
           cannot legitimately cause;
  a signal a crash (including an abort on the --memory-limit);
  timeout  no answer within --timeout seconds.
Each failing mutant is kept in --keep with a .txt beside it (seed, index,
source model, the mutations, the kilnc command line, its stderr, and whether
onnx's checker accepts the mutant).

--known FILE lists the internal errors already found and not yet fixed, one
regular expression a line with its reason after ` # `: an exit 4 whose first
error matches one is counted and reported as known, not as a failure. A
signal, a hang, an exit 1 or an internal error that matches no line still
fails, and so does a line that matches no kept regression (--regressions),
so the list cannot outlive its bugs.

The seed changes per run unless --seed is given; the first line printed is
`seed: N (replay: ...)`. Mutant i is a function of (seed, i, mode) alone, so
`--seed N --index i` regenerates and reruns just that mutant.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ALLOWED = {0: "ok", 2: "invalid model", 3: "unsupported"}
PHASES = ("graph", "linalg", "bufferize", "llvm", "obj")


# --- byte mutants ------------------------------------------------------------

def mutate_bytes(rng, data):
    data = bytearray(data)
    steps = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        kind = rng.randrange(6)
        if kind == 0 and data:
            cut = rng.randrange(len(data))
            del data[cut:]
            steps.append(f"truncate at {cut}")
        elif kind == 1:
            flips = []
            for _ in range(rng.randint(1, 8)):
                if data:
                    pos = rng.randrange(len(data))
                    data[pos] = rng.randrange(256)
                    flips.append(pos)
            steps.append(f"overwrite bytes {flips}")
        elif kind == 2:
            pos = rng.randrange(len(data) + 1)
            n = rng.randint(1, 16)
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(n))
            steps.append(f"insert {n} bytes at {pos}")
        elif kind == 3 and data:
            pos = rng.randrange(len(data))
            n = rng.randint(1, 16)
            del data[pos:pos + n]
            steps.append(f"delete {n} bytes at {pos}")
        elif kind == 4 and data:
            # A small change to one byte keeps a varint's length (bit 7
            # unchanged), so dims, types and attribute values change but the
            # message still parses more often than not.
            pos = rng.randrange(len(data))
            old = data[pos]
            data[pos] = (old & 0x80) | ((old + rng.choice([-2, -1, 1, 2])) & 0x7F)
            steps.append(f"byte {pos}: {old} -> {data[pos]}")
        elif data:
            pos = rng.randrange(len(data))
            bit = rng.randrange(8)
            data[pos] ^= 1 << bit
            steps.append(f"flip bit {bit} of byte {pos}")
    return bytes(data), steps


# --- structured mutants ------------------------------------------------------

ODD_INTS = [-(1 << 62), -7, -1, 0, 1, 2, 3, 1 << 41, (1 << 63) - 1]
SMALL_INTS = [-3, -2, -1, 0, 1, 2, 3, 4, 5, 7, 16]


def mutate_structure(rng, data):
    """Semantic mutants: odd and plausible dims, dynamic and unranked shapes,
    attribute values and kinds, dropped attributes, dangling or reordered
    nodes, odd types and opsets. The plausible ones (small dims, dynamic
    dims, small attribute values, dropped attributes) often give a valid
    model that reaches the later phases."""
    import onnx
    model = onnx.ModelProto()
    model.ParseFromString(data)
    g = model.graph
    steps = []

    def value_name(v):
        return f"value '{v.name}'"

    def node_name(node):
        name = node.name or (f"-> {node.output[0]}" if node.output else "")
        return f"node '{name}' ({node.op_type})"

    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(15)
        values = list(g.input) + list(g.output) + list(g.value_info)
        if kind == 0 and values:
            v = rng.choice(values)
            t = v.type.tensor_type
            if t.shape.dim:
                i = rng.randrange(len(t.shape.dim))
                t.shape.dim[i].dim_value = rng.choice(ODD_INTS)
                steps.append(f"{value_name(v)} dim {i} = {t.shape.dim[i].dim_value}")
        elif kind == 1 and g.node:
            node = rng.choice(g.node)
            if node.attribute:
                a = rng.choice(node.attribute)
                choice = rng.randrange(4)
                if choice == 0:
                    a.type = rng.randrange(1, 14)
                    steps.append(f"{node_name(node)} "
                                 f"attribute {a.name} type = {a.type}")
                elif choice == 1:
                    a.i = rng.choice(ODD_INTS)
                    steps.append(f"{node_name(node)} "
                                 f"attribute {a.name} i = {a.i}")
                elif choice == 2:
                    del a.ints[:]
                    a.ints.extend(rng.choice(ODD_INTS)
                                  for _ in range(rng.randrange(6)))
                    steps.append(f"{node_name(node)} "
                                 f"attribute {a.name} ints = {list(a.ints)}")
                else:
                    a.f = rng.choice([float("nan"), float("inf"), -1e30, 0.0])
                    steps.append(f"{node_name(node)} "
                                 f"attribute {a.name} f = {a.f}")
        elif kind == 2 and g.node:
            node = rng.choice(g.node)
            if node.input:
                i = rng.randrange(len(node.input))
                node.input[i] = rng.choice(
                    ["", "nowhere", node.output[0] if node.output else "x"])
                steps.append(f"{node_name(node)} "
                             f"input {i} = '{node.input[i]}'")
        elif kind == 3 and len(g.node) > 1:
            i, j = rng.randrange(len(g.node)), rng.randrange(len(g.node))
            a, b = onnx.NodeProto(), onnx.NodeProto()
            a.CopyFrom(g.node[i])
            b.CopyFrom(g.node[j])
            g.node[i].CopyFrom(b)
            g.node[j].CopyFrom(a)
            steps.append(f"swap nodes {i} and {j}")
        elif kind == 4 and values:
            v = rng.choice(values)
            v.type.tensor_type.elem_type = rng.randrange(0, 30)
            steps.append(f"{value_name(v)} elem_type = "
                         f"{v.type.tensor_type.elem_type}")
        elif kind == 5 and model.opset_import:
            o = rng.choice(model.opset_import)
            o.version = rng.randrange(-1, 32)
            steps.append(f"opset '{o.domain}' version = {o.version}")
        elif kind == 6 and g.initializer:
            t = rng.choice(g.initializer)
            if t.dims:
                i = rng.randrange(len(t.dims))
                t.dims[i] = rng.choice(ODD_INTS)
                steps.append(f"initializer '{t.name}' dim {i} = {t.dims[i]}")
        elif kind == 7 and g.node:
            node = rng.choice(g.node)
            if rng.randrange(2) and node.input:
                del node.input[-1]
                steps.append(f"{node_name(node)} "
                             "drops its last input")
            else:
                node.input.append(rng.choice(
                    ["", node.input[0] if node.input else "x"]))
                steps.append(f"{node_name(node)} "
                             f"gets input '{node.input[-1]}'")
        elif kind in (8, 9) and values:
            # 8: a dynamic dim, for the dims function and dynamic lowering;
            # 9: a small static one.
            v = rng.choice(values)
            dims = v.type.tensor_type.shape.dim
            if dims:
                i = rng.randrange(len(dims))
                if kind == 8:
                    dims[i].dim_param = rng.choice(["N", "M", "dyn"])
                    shown = f"'{dims[i].dim_param}'"
                else:
                    dims[i].dim_value = rng.choice([0, 1, 2, 3, 5, 8])
                    shown = f"{dims[i].dim_value}"
                steps.append(f"{value_name(v)} dim {i} = {shown}")
        elif kind == 10 and values:
            v = rng.choice(values)
            if rng.randrange(2):
                v.type.tensor_type.ClearField("shape")
                steps.append(f"{value_name(v)} unranked")
            else:
                t = v.type.tensor_type
                if t.shape.dim:
                    del t.shape.dim[rng.randrange(len(t.shape.dim))]
                else:
                    t.shape.dim.add().dim_value = rng.choice([1, 2])
                steps.append(f"{value_name(v)} rank = {len(t.shape.dim)}")
        elif kind == 11 and g.node:
            node = rng.choice(g.node)
            ints = [a for a in node.attribute
                    if a.type in (onnx.AttributeProto.INT,
                                  onnx.AttributeProto.INTS)]
            if ints:
                a = rng.choice(ints)
                if a.type == onnx.AttributeProto.INT:
                    a.i = rng.choice(SMALL_INTS)
                    steps.append(f"{node_name(node)} "
                                 f"attribute {a.name} i = {a.i}")
                elif a.ints:
                    a.ints[rng.randrange(len(a.ints))] = rng.choice(SMALL_INTS)
                    steps.append(f"{node_name(node)} "
                                 f"attribute {a.name} ints = {list(a.ints)}")
        elif kind == 12 and g.node:
            node = rng.choice(g.node)
            if node.attribute:
                i = rng.randrange(len(node.attribute))
                name = node.attribute[i].name
                del node.attribute[i]
                steps.append(f"{node_name(node)} "
                             f"drops attribute {name}")
        elif kind == 13 and (g.value_info or g.output):
            if g.value_info and rng.randrange(2):
                del g.value_info[:]
                steps.append("value_info cleared")
            else:
                v = rng.choice(g.output)
                v.type.tensor_type.ClearField("shape")
                steps.append(f"output {value_name(v)} unranked")
        elif kind == 14 and g.node and g.input:
            # Rewire an input to another graph input (often another type).
            node = rng.choice(g.node)
            if node.input:
                i = rng.randrange(len(node.input))
                node.input[i] = rng.choice(g.input).name
                steps.append(f"{node_name(node)} "
                             f"input {i} = '{node.input[i]}'")
    return model.SerializeToString(), steps


# --- running -----------------------------------------------------------------

def mutant_rng(seed, index, structured):
    # A string seed is hashed with SHA-512: stable across runs and Pythons.
    mode = "structured" if structured else "bytes"
    return random.Random(f"{seed}/{index}/{mode}")


def make_mutant(models, seed, index, structured):
    rng = mutant_rng(seed, index, structured)
    source = rng.choice(models)
    with open(source, "rb") as f:
        data = f.read()
    mutant, steps = (mutate_structure(rng, data) if structured
                     else mutate_bytes(rng, data))
    return source, mutant, steps


def kilnc_args(kilnc, path, phase, out=None):
    """kilnc's command line; the output goes next to `path` unless `out`
    names a directory."""
    stem = os.path.join(out, "replay") if out else os.path.splitext(path)[0]
    if phase == "graph":
        return [kilnc, "--check", path]
    if phase == "obj":
        return [kilnc, path, "-o", stem + ".o"]
    return [kilnc, "--emit=mlir", f"--compile-to={phase}",
            "-o", stem + ".mlir", path]


def run_kilnc(args, timeout, memory_mib):
    """(status, seconds, stderr); status is an exit code, "signal N (NAME)"
    or "timeout"."""
    wrapped = args
    if memory_mib and shutil.which("prlimit"):
        wrapped = ["prlimit", f"--as={memory_mib << 20}", "--"] + args
    start = time.monotonic()
    try:
        proc = subprocess.run(wrapped, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return "timeout", time.monotonic() - start, e.stderr or b""
    elapsed = time.monotonic() - start
    rc = proc.returncode
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = "?"
        rc = f"signal {-rc} ({name})"
    return rc, elapsed, proc.stderr


def describe(rc):
    if isinstance(rc, str):
        return rc
    return {1: "I/O error (unexpected for a mutant)",
            4: "internal error"}.get(rc, ALLOWED.get(rc, "exit code")) + \
        f" (exit {rc})"


def first_error(stderr):
    """The line that says what went wrong: the first error; for a crash,
    the function that crashed and the innermost kiln function under it."""
    lines = stderr.decode(errors="replace").splitlines()
    for line in lines:
        if ": error: " in line:
            return line.split(": error: ", 1)[1][:300]
    fatal = next((line for line in lines if line.startswith("LLVM ERROR:")),
                 None)
    frames = []
    for line in lines:
        m = re.match(r"\s*#\d+ 0x[0-9a-f]+ (.*)$", line)
        if m:
            # Drop the "(/lib/x.so+0x12)" or " file.cpp:0:0" tail.
            frame = re.sub(r"(^| )(\([^()]*\+0x[0-9a-f]+\)|\S+:\d+:\d+)$",
                           "", m.group(1)).strip()
            if frame and "libc.so" not in m.group(1) and " ./" not in \
                    m.group(1) and not re.match(
                        r"llvm::sys::(PrintStackTrace|RunSignalHandlers)",
                        frame):
                frames.append((frame, m.group(1)))
    if frames:
        top = frames[0][0]
        kiln = next((f for f, full in frames
                     if "kiln::" in f or "kilnc" in full), None)
        what = f"{fatal}, " if fatal else "crash "
        text = f"{what}in {top[:200]}"
        if kiln and kiln != top:
            text += f", under {kiln[:200]}"
        return text
    return (fatal or (lines[-1] if lines else ""))[:300]


def onnx_verdict(data):
    """What onnx's own checker says of a mutant: tells a kiln bug on a valid
    model from one on an invalid model."""
    try:
        import onnx
    except ImportError:
        return "onnx not available"
    try:
        model = onnx.ModelProto()
        model.ParseFromString(data)
    except Exception as e:  # noqa: BLE001 - any parse failure
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        return f"not a protobuf onnx parses: {first[:200]}"
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:  # noqa: BLE001
        first = (str(e).strip().splitlines() or [""])[0]
        return f"invalid for onnx.checker (full_check): {first[:300]}"
    return "valid for onnx.checker (full_check, strict shape inference)"


def status_name(rc):
    return f"exit {rc}" if isinstance(rc, int) else rc


def keep_failure(base, data, info, rc, secs, err, cmd):
    """Writes base.onnx and base.txt (what it is, how to reproduce it)."""
    with open(base + ".onnx", "wb") as f:
        f.write(data)
    lines = err.decode(errors="replace").splitlines()
    if len(lines) > 200:
        lines = lines[:100] + ["[...]"] + lines[-100:]
    with open(base + ".txt", "w") as f:
        f.write(info)
        f.write(f"result: {describe(rc)} after {secs:.1f} s\n")
        f.write(f"first error: {first_error(err)}\n")
        f.write(f"onnx: {onnx_verdict(data)}\n")
        f.write(f"reproduce: {cmd}\n")
        f.write("stderr:\n" + "\n".join(lines) + "\n")


def load_known(path):
    """[(regex, reason)] from `REGEX # reason` lines."""
    known = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, sep, reason = line.partition(" # ")
            if not sep or not reason.strip():
                sys.exit(f"{path}:{number}: expected 'REGEX # reason'")
            known.append((re.compile(pattern.strip()), reason.strip()))
    return known


def match_known(known, rc, error):
    """The known entry an exit-4 error matches, if any."""
    if rc != 4:
        return None
    return next((k for k in known if k[0].search(error)), None)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--models", required=True,
                        help="directory of <test>/model.onnx")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int,
                        help="default: a fresh one from os.urandom, printed")
    parser.add_argument("--index", type=int, action="append",
                        help="run only these mutants of --seed (repeatable); "
                             "prints kilnc's stderr")
    parser.add_argument("--regressions",
                        help="a directory of kept mutants (*.onnx) to replay "
                             "first; each must get an allowed exit code too")
    parser.add_argument("--known",
                        help="known internal errors: `REGEX # reason` lines")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds a kilnc run may take before it counts "
                             "as a hang (default 120; the slowest unmutated "
                             "node test compiles in under 2 s on one core)")
    parser.add_argument("--max-time", type=float,
                        help="start no new mutant after this many seconds; "
                             "the ones not run are reported")
    parser.add_argument("--memory-limit", type=int, default=4096,
                        help="address-space limit of each kilnc in MiB "
                             "(through prlimit; 0 for none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--phase", default="obj", choices=PHASES,
                        help="the last phase kilnc runs (default obj: a full "
                             "compile to an object file)")
    parser.add_argument("--structured", action="store_true",
                        help="mutate fields with the onnx package, not bytes")
    parser.add_argument("--keep", default=tempfile.gettempdir(),
                        help="where failing mutants are kept")
    parser.add_argument("--slowest", type=int, default=5,
                        help="how many of the slowest mutants to list")
    args = parser.parse_args()

    seed = (args.seed if args.seed is not None
            else int.from_bytes(os.urandom(4), "little") & 0x7FFFFFFF)
    mode = "structured" if args.structured else "bytes"
    replay = [sys.argv[0], "--kilnc", args.kilnc, "--models", args.models]
    if args.structured:
        replay.append("--structured")
    if args.phase != "obj":
        replay += ["--phase", args.phase]
    replay += ["--count", str(args.count), "--seed", str(seed)]
    shown = replay
    if args.index:
        shown = replay[:-4] + ["--seed", str(seed)] + [
            a for i in sorted(set(args.index)) for a in ("--index", str(i))]
    print(f"seed: {seed} (replay: {shlex.join(shown)})", flush=True)

    models = sorted(os.path.join(args.models, d, "model.onnx")
                    for d in os.listdir(args.models)
                    if os.path.isfile(os.path.join(args.models, d, "model.onnx")))
    if not models:
        print(f"error: no <test>/model.onnx under {args.models}")
        return 1
    kilnc = os.path.abspath(args.kilnc)
    if not os.access(kilnc, os.X_OK):
        print(f"error: {kilnc} is not an executable")
        return 1
    regressions = []
    if args.regressions:
        regressions = sorted(os.path.join(args.regressions, f)
                             for f in os.listdir(args.regressions)
                             if f.endswith(".onnx"))
        if not regressions:
            print(f"error: no *.onnx under {args.regressions}")
            return 1
    known = load_known(args.known) if args.known else []
    seen_known = {}
    indices = sorted(set(args.index)) if args.index else range(args.count)
    verbose = bool(args.index)
    work = tempfile.mkdtemp(prefix="kiln-fuzz-")
    tmp = tempfile.gettempdir()  # where reproduce commands write
    os.makedirs(args.keep, exist_ok=True)
    start = time.monotonic()
    lock = threading.Lock()

    def compile_in(d, data):
        """Compiles `data` as d/model.onnx: one directory per mutant, so
        external-data paths in a mutant never resolve to a sibling."""
        os.mkdir(d)
        path = os.path.join(d, "model.onnx")
        with open(path, "wb") as f:
            f.write(data)
        result = run_kilnc(kilnc_args(kilnc, path, args.phase),
                           args.timeout, args.memory_limit)
        shutil.rmtree(d, ignore_errors=True)
        return result

    def replay_regression(i, path):
        with open(path, "rb") as f:
            data = f.read()
        rc, secs, err = compile_in(os.path.join(work, f"r{i}"), data)
        return path, rc, secs, err

    def one(index):
        if args.max_time is not None and time.monotonic() - start > args.max_time:
            return None
        source, mutant, steps = make_mutant(models, seed, index,
                                            args.structured)
        rc, secs, err = compile_in(os.path.join(work, str(index)), mutant)
        kept = None
        if rc not in ALLOWED:
            base = os.path.join(args.keep, f"fuzz-{mode}-{seed}-{index}")
            kept = base + ".onnx"
            keep_failure(
                base, mutant,
                f"seed {seed}, mutant {index} ({mode}, phase {args.phase})\n"
                f"source: {source}\nmutations:\n" +
                "".join(f"  {s}\n" for s in steps) +
                f"regenerate: {shlex.join(replay + ['--index', str(index)])}\n",
                rc, secs, err,
                shlex.join(kilnc_args(kilnc, kept, args.phase, tmp)))
        if verbose:
            with lock:
                print(f"mutant {index} from {source}: {describe(rc)}, "
                      f"{secs:.2f} s")
                for s in steps:
                    print(f"  {s}")
                sys.stdout.write(err.decode(errors="replace"))
                sys.stdout.flush()
        return index, source, rc, secs, kept, first_error(err)

    counts = {}
    failures = []
    times = []
    skipped = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for path, rc, secs, err in pool.map(
                lambda r: replay_regression(*r), enumerate(regressions)):
            entry = match_known(known, rc, first_error(err))
            if entry:
                seen_known.setdefault(entry[0].pattern, []).append(
                    os.path.basename(path))
            elif rc not in ALLOWED:
                cmd = shlex.join(kilnc_args(kilnc, path, args.phase, tmp))
                failures.append(f"regression {path}: {describe(rc)}: "
                                f"{first_error(err)}\n      reproduce: {cmd}")
                print("  FAIL", failures[-1], flush=True)
        if regressions:
            print(f"{len(regressions)} regressions replayed, "
                  f"{len(failures)} failed", flush=True)
        for result in pool.map(one, indices):
            if result is None:
                skipped += 1
                continue
            index, source, rc, secs, kept, error = result
            counts[rc] = counts.get(rc, 0) + 1
            times.append((secs, index, source, rc))
            entry = match_known(known, rc, error)
            if entry:
                seen_known.setdefault(entry[0].pattern, []).append(
                    f"mutant {index}")
            elif kept:
                failures.append(
                    f"mutant {index} ({os.path.basename(os.path.dirname(source))}"
                    f"): {describe(rc)}: {error}\n      kept {kept} and "
                    f"{os.path.splitext(kept)[0]}.txt")
                print("  FAIL", failures[-1], flush=True)
    shutil.rmtree(work, ignore_errors=True)

    wall = time.monotonic() - start
    ran = len(times)
    total = sum(t[0] for t in times)
    print(f"{ran} {mode} mutants (seed {seed}, phase {args.phase}, jobs "
          f"{args.jobs}): " +
          ", ".join(f"{status_name(k)}: {v}" for k, v in
                    sorted(counts.items(), key=lambda kv: str(kv[0]))))
    if ran:
        print(f"time: {wall:.1f} s wall, {total / ran:.3f} s per mutant on "
              f"average ({total:.1f} s of kilnc runs)")
        for secs, index, source, rc in sorted(times, reverse=True)[:args.slowest]:
            print(f"  slow: {secs:.2f} s mutant {index} "
                  f"({os.path.basename(os.path.dirname(source))}, "
                  f"{status_name(rc)})")
    if skipped:
        print(f"{skipped} of {len(indices)} mutants not run: --max-time "
              f"{args.max_time:g} s reached")
    for pattern, reason in known:
        hits = seen_known.get(pattern.pattern, [])
        if hits:
            print(f"known internal error ({len(hits)}x: "
                  f"{', '.join(hits[:3])}): {pattern.pattern} -- {reason}")
        elif regressions:
            failures.append(f"known internal error {pattern.pattern!r} "
                            "matches no regression: fixed? remove its line")
            print("  FAIL", failures[-1], flush=True)
    if failures:
        # Each was printed as a FAIL line above, as it came.
        print(f"{len(failures)} failures (seed {seed}; replay: "
              f"{shlex.join(shown)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
