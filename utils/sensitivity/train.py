#!/usr/bin/env python3
"""Trains kiln's int8 sensitivity predictor and validates it on held-out models.

Reads the JSON lines collect.py measured (each layer's features and its
measured sensitivity: the noise-to-signal ratio of its output when it
alone is int8). The model is the first-order estimate (the `estimate`
feature: weight and activation rounding noise at the output, added) with
a learned correction: a ridge regression of log10(sensitivity) - estimate
on the other features. Its penalty is chosen from a grid by holding each
model out in turn (fitted on the others, scored by the mean error in dB
on its layers). The report gives, per held-out model, the Spearman rank
correlation of the predictions with the measurements (the policy orders
layers by them) and the error in dB, for the chosen model and for the
estimate alone.

The model fitted on every layer is written as C++ constants to
lib/Quantization/SensitivityModelWeights.inc, which kilnc compiles in.
With --check nothing is written: the script fails if the shipped
constants are not the ones the shipped data give, or if the held-out
median rank correlation is below --min-spearman.

    python3 utils/sensitivity/train.py                 # retrain, report
    python3 utils/sensitivity/train.py --check         # ctest sensitivity-model
"""
import argparse
import json
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data.jsonl")
WEIGHTS = os.path.join(ROOT, "lib", "Quantization",
                       "SensitivityModelWeights.inc")
# In the order of kiln::quant::toArray (SensitivityModel.cpp).
FEATURES = ["weight_noise", "activation_noise", "estimate", "gain", "zeros",
            "padding", "activation_crest", "reduction", "depth",
            "convolution"]
# Penalties on the standardized coefficients, tried in turn.
PENALTIES = (0.01, 0.1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6)
FLOOR = -12.0     # log10 ratios below this are measured as noise-free


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            if record.get("measured") is None or record["measured"] <= 0:
                continue
            rows.append(record)
    x = np.array([[r["features"][n] for n in FEATURES] for r in rows])
    y = np.maximum(np.log10([r["measured"] for r in rows]), FLOOR)
    models = np.array([r["model"] for r in rows])
    return x, y, models


ESTIMATE = FEATURES.index("estimate")


def fit(x, y, penalty):
    """The estimate plus a ridge regression of the rest on the other
    features (standardized); returns (intercept, coefficients) on the raw
    features, the estimate's coefficient 1."""
    others = [i for i in range(x.shape[1]) if i != ESTIMATE]
    residual = y - x[:, ESTIMATE]
    mean, scale = x[:, others].mean(axis=0), x[:, others].std(axis=0)
    scale[scale == 0] = 1.0
    z = (x[:, others] - mean) / scale
    gram = z.T @ z + penalty * np.eye(z.shape[1])
    beta = np.linalg.solve(gram, z.T @ (residual - residual.mean()))
    coefficients = np.zeros(x.shape[1])
    coefficients[others] = beta / scale
    coefficients[ESTIMATE] = 1.0
    intercept = residual.mean() - coefficients[others] @ mean
    return intercept, coefficients


def predict(model, x):
    intercept, coefficients = model
    return intercept + x @ coefficients


def ranks(values):
    """Ranks from 0, ties given their mean rank."""
    order = np.argsort(values, kind="mergesort")
    result = np.empty(len(values))
    sorted_values = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        result[order[i:j + 1]] = (i + j) / 2
        i = j + 1
    return result


def spearman(a, b):
    ra, rb = ranks(np.asarray(a)), ranks(np.asarray(b))
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def held_out(x, y, models, min_layers, penalty):
    """Per model with at least `min_layers` layers: (name, layers,
    Spearman of the predictor and of the estimate, mean |error| in dB of
    the predictor and of the estimate)."""
    estimate = x[:, ESTIMATE]
    results = []
    for name in sorted(set(models)):
        test = models == name
        if test.sum() < min_layers:
            continue
        guess = predict(fit(x[~test], y[~test], penalty), x[test])
        results.append((name, int(test.sum()), spearman(guess, y[test]),
                        spearman(estimate[test], y[test]),
                        float(np.mean(np.abs(guess - y[test])) * 10),
                        float(np.mean(np.abs(estimate[test] - y[test])) * 10)))
    return results


def choose_penalty(x, y, models, min_layers):
    """The penalty with the least held-out mean error."""
    def error(penalty):
        return np.mean([r[4] for r in held_out(x, y, models, min_layers,
                                                penalty)])
    return min(PENALTIES, key=error)


def render(model, penalty, layers, model_count, median, error):
    intercept, coefficients = model
    summary = (f"the rounding-noise estimate with a ridge regression on "
               f"{len(FEATURES) - 1} features (penalty {penalty:g}, chosen "
               f"by cross-validation), fitted to {layers} layers of "
               f"{model_count} zoo models (held out one model at a time: "
               f"median Spearman {median:.2f}, mean error {error:.2f} dB)")
    lines = ["// Generated by utils/sensitivity/train.py from "
             "utils/sensitivity/data.jsonl:",
             "// do not edit. log10(sensitivity) = intercept + weights . "
             "features, the",
             "// features in the order of kiln::quant::toArray.",
             f"constexpr double kSensitivityIntercept = {float(intercept)!r};",
             "constexpr double kSensitivityWeights[] = {"]
    lines += [f"    {float(c)!r}, // {n}"
              for c, n in zip(coefficients, FEATURES)]
    lines += ["};", "constexpr const char kSensitivityModelSummary[] =",
              f"    \"{summary}\";", ""]
    return "\n".join(lines)


def shipped():
    """The intercept and weights in the shipped .inc."""
    with open(WEIGHTS) as f:
        text = f.read()
    numbers = r"(-?[0-9.eE+-]+)"
    intercept = float(re.search(r"kSensitivityIntercept = " + numbers,
                                text).group(1))
    body = text.split("kSensitivityWeights[] = {")[1].split("}")[0]
    weights = [float(v) for v in re.findall(r"^\s*" + numbers + ",", body,
                                            re.M)]
    return intercept, np.array(weights)


def report(results, penalty):
    print(f"penalty {penalty:g} (least held-out error)")
    print(f"{'held-out model':24} {'layers':>6} {'Spearman':>9} "
          f"{'estimate':>9} {'|err| dB':>9} {'estimate':>9}")
    for name, n, rho, base, error, base_error in results:
        print(f"{name:24} {n:6d} {rho:9.3f} {base:9.3f} {error:9.2f} "
              f"{base_error:9.2f}")
    rhos = [r[2] for r in results if not np.isnan(r[2])]
    bases = [r[3] for r in results if not np.isnan(r[3])]
    median = float(np.median(rhos))
    error = float(np.mean([r[4] for r in results]))
    print(f"median Spearman: predictor {median:.3f}, estimate alone "
          f"{float(np.median(bases)):.3f}; mean |error|: predictor "
          f"{error:.2f} dB, estimate alone "
          f"{float(np.mean([r[5] for r in results])):.2f} dB; "
          f"{len(rhos)} models")
    return median, error


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--check", action="store_true",
                        help="verify the shipped model; write nothing")
    parser.add_argument("--min-layers", type=int, default=5,
                        help="models with fewer layers are not held out")
    parser.add_argument("--min-spearman", type=float, default=0.7)
    opts = parser.parse_args()
    x, y, models = load(opts.data)
    penalty = choose_penalty(x, y, models, opts.min_layers)
    median, error = report(
        held_out(x, y, models, opts.min_layers, penalty), penalty)
    model = fit(x, y, penalty)
    if not opts.check:
        with open(WEIGHTS, "w") as f:
            f.write(render(model, penalty, len(y), len(set(models)),
                           median, error))
        print(f"wrote {WEIGHTS}")
        return
    intercept, weights = shipped()
    if (len(weights) != len(FEATURES) or
            not np.allclose(weights, model[1], rtol=1e-9, atol=1e-12) or
            not np.isclose(intercept, model[0], rtol=1e-9, atol=1e-12)):
        sys.exit("the shipped predictor is not the one the shipped data "
                 "give: run utils/sensitivity/train.py")
    if not median >= opts.min_spearman:  # NaN fails too
        sys.exit(f"held-out median Spearman {median:.3f} is below "
                 f"{opts.min_spearman}")
    print("the shipped predictor matches its data")


if __name__ == "__main__":
    main()
