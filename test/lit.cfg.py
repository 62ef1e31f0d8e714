# -*- Python -*-
# lit configuration for kiln's tests.

import os
import shutil
import subprocess
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "Sweep"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.kiln_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["kilnc", "kiln-opt"], tool_dirs)
# Upstream tools run lowered code in the numerics tests.
llvm_config.add_tool_substitutions(["mlir-opt", "mlir-runner"],
                                   [config.llvm_tools_dir])
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))

# protoc writes binary models (%encode-model) and tensors (%encode-tensor,
# the inputs and expected outputs of kiln-run) from protobuf text.
protoc = shutil.which("protoc")
if protoc:
    config.available_features.add("protoc")
    for name, message in [("%encode-model", "ModelProto"),
                          ("%encode-tensor", "TensorProto")]:
        config.substitutions.append(
            (name,
             f"{protoc} -I{config.onnx_include_dir} --encode=onnx.{message} "
             f"{config.onnx_include_dir}/onnx.proto"))

# %expect-exit N cmd...: cmd must exit with status N (and not by a signal).
config.substitutions.append(
    ("%expect-exit",
     f"{sys.executable} {os.path.join(os.path.dirname(config.test_source_root), 'utils', 'lit', 'expect-exit.py')}"))
config.substitutions.append(("%python", sys.executable))

# The system C and C++ compilers build the programs that link compiled models.
config.substitutions.append(
    ("%cc", shutil.which("cc") or shutil.which("clang-22") or "cc"))
config.substitutions.append(
    ("%cxx", shutil.which("c++") or shutil.which("clang++-22") or "c++"))
llvm_config.add_tool_substitutions(["kiln-run"], tool_dirs)

# clang-22 instruments a model's LLVM IR for ThreadSanitizer.
clang = shutil.which("clang-22")
if clang:
    config.available_features.add("clang")
    config.substitutions.append(("%clang", clang))

# The host runs x86-64-v4 code (AVX-512 F, BW, CD, DQ and VL): a portable
# object's last variant.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        cpu_flags = set(next((line.split(":", 1)[1].split()
                              for line in cpuinfo
                              if line.startswith("flags")), []))
except OSError:
    cpu_flags = set()
if {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"} <= cpu_flags:
    config.available_features.add("x86-64-v4")
# And AVX512-VNNI's int8 dot products (icelake-server and later).
if "x86-64-v4" in config.available_features and "avx512_vnni" in cpu_flags:
    config.available_features.add("avx512vnni")

# AArch64 code runs under qemu-user, linked by Debian's cross gcc.
cross_cc = shutil.which("aarch64-linux-gnu-gcc")
qemu = shutil.which("qemu-aarch64")
if cross_cc and qemu and os.path.isdir("/usr/aarch64-linux-gnu/lib"):
    config.available_features.add("qemu-aarch64")
    config.substitutions.append(("%aarch64-cc", cross_cc))
    config.substitutions.append(
        ("%aarch64-qemu", f"{qemu} -L /usr/aarch64-linux-gnu"))

# Headless Chromium renders the HTML compile report (--report=F.html).
chromium = shutil.which("chromium")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(
        ("%chromium-dump-dom",
         f"{chromium} --headless --no-sandbox --disable-gpu --dump-dom"))

# Debian's cpp-httplib is a compiled library: its header needs the flags it
# was built with (pkg-config cpp-httplib), for the server example.
pkg_config = shutil.which("pkg-config")
if pkg_config and subprocess.run(
        [pkg_config, "--exists", "cpp-httplib"]).returncode == 0:
    config.available_features.add("httplib")
    for kind in ("cflags", "libs"):
        flags = subprocess.check_output(
            [pkg_config, f"--{kind}", "cpp-httplib"], text=True).strip()
        config.substitutions.append((f"%httplib-{kind}", flags))
