#!/usr/bin/env python3
"""Writes the ONNX backend node tests of the installed `onnx` package.

The PyPI wheel ships the test *generators* (onnx/backend/test/case/node) but
not their data; this script writes each case in the backend-test layout:
<out>/<test>/model.onnx and <out>/<test>/test_data_set_<i>/{input,output}_<j>.pb

Used by tests only (see test/Sweep).
"""
import argparse
import os
import sys

import onnx
from onnx import numpy_helper
from onnx.backend.test.case import node as node_cases


def to_proto(value, value_info):
    if isinstance(value, onnx.TensorProto):
        return value
    t = value_info.type
    if t.HasField("sequence_type"):
        return numpy_helper.from_list(value, value_info.name)
    if t.HasField("map_type"):
        return numpy_helper.from_dict(value, value_info.name)
    if t.HasField("optional_type"):
        return numpy_helper.from_optional(value, value_info.name)
    return numpy_helper.from_array(value, value_info.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", help="directory to write the tests into")
    args = parser.parse_args()
    cases = node_cases.collect_testcases()
    written = 0
    for case in cases:
        case_dir = os.path.join(args.output, case.name)
        os.makedirs(case_dir, exist_ok=True)
        with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        graph = case.model.graph
        for i, (inputs, outputs) in enumerate(case.data_sets or []):
            data_dir = os.path.join(case_dir, f"test_data_set_{i}")
            os.makedirs(data_dir, exist_ok=True)
            for kind, values, infos in (("input", inputs, graph.input),
                                        ("output", outputs, graph.output)):
                for j, value in enumerate(values):
                    proto = to_proto(value, infos[j])
                    with open(os.path.join(data_dir, f"{kind}_{j}.pb"), "wb") as f:
                        f.write(proto.SerializeToString())
        written += 1
    print(f"wrote {written} node tests of onnx {onnx.__version__} "
          f"into {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
