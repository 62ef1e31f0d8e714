#!/usr/bin/env python3
"""Exports the model zoo: real architectures with random weights, as ONNX.

Each model is built from its torchvision or transformers class (nothing is
downloaded), seeded with torch.manual_seed, exported with the TorchScript
exporter (torch.onnx.export, opset 17, dynamo=False) at batch 1 and checked
with onnx.checker. Next to it go seeded random inputs and ONNX Runtime's
outputs (CPU, one thread), in the backend-test layout:

    OUT/<model>/model.onnx
    OUT/<model>/test_data_set_0/input_<i>.pb, output_<i>.pb
    OUT/<model>/info.json   (family, configuration, parameters; for the report)

--size ci builds reduced configurations of the same classes (fewer blocks,
narrower, 64x64 images, short sequences) so that the whole tier compiles and
runs in minutes; --size full builds the real sizes (ResNet-50 at 224x224,
BERT-base at sequence 128, ...). Exports are incremental: a model whose
stamp (a hash of this script, the size and the package versions) matches is
skipped.

    .venv/bin/python test/Models/export_models.py --size ci \\
        --out build/test/models-ci
"""
import argparse
import collections
import hashlib
import json
import os
import sys
import time
import warnings

import numpy as np
import onnx
import onnxruntime
import torch
import torchvision
import transformers
from onnx import numpy_helper
from torch import nn
from torchvision import models as tvm

SEED = 0
OPSET = 17

# module: an nn.Module returning a tensor or a tuple of tensors; inputs:
# [(name, array)] to trace with; outputs: output names; config: a short
# description for the report; dynamic: torch.onnx dynamic_axes, or None;
# test_inputs: the test data's inputs when they differ from `inputs`.
Built = collections.namedtuple(
    "Built", "module inputs config outputs dynamic test_inputs",
    defaults=(("output",), None, None))
Spec = collections.namedtuple("Spec", "family build")
MODELS = {}


def model(family):
    """Registers a builder `name(full) -> Built` under its function name."""
    def register(build):
        MODELS[build.__name__] = Spec(family, build)
        return build
    return register


def rng():
    return np.random.default_rng(SEED)


def image(res, batch=1):
    return [("input", rng().standard_normal((batch, 3, res, res))
             .astype(np.float32))]


def tokens(vocab, seq, batch=1, mask=True):
    """int64 ids in [0, vocab), and an attention mask of ones."""
    ids = rng().integers(0, vocab, (batch, seq), dtype=np.int64)
    arrays = [("input_ids", ids)]
    if mask:
        arrays.append(("attention_mask", np.ones((batch, seq), np.int64)))
    return arrays


class Named(nn.Module):
    """Calls a model with keyword inputs; returns the named outputs."""

    def __init__(self, inner, inputs, outputs):
        super().__init__()
        self.inner, self.inputs, self.outputs = inner, inputs, outputs

    def forward(self, *args):
        result = self.inner(**dict(zip(self.inputs, args)))
        return tuple(result[k] for k in self.outputs)


class Picked(nn.Module):
    """Keeps some entries of a model's dict output, in order."""

    def __init__(self, inner, keys):
        super().__init__()
        self.inner, self.keys = inner, keys

    def forward(self, x):
        result = self.inner(x)
        return tuple(result[k] for k in self.keys)


def text_model(inner, inputs, outputs, config, dynamic=None, test=None):
    names = tuple(n for n, _ in inputs)
    return Built(Named(inner, names, outputs), inputs, config, outputs,
                 dynamic, test)


def classifier(module, res, config):
    return Built(module, image(res), f"{res}x{res}, {config}", ("logits",))


# -- CNNs -------------------------------------------------------------------

@model("ResNet (basic blocks)")
def resnet18(full):
    if full:
        return classifier(tvm.resnet18(), 224, "resnet18")
    return classifier(tvm.ResNet(tvm.resnet.BasicBlock, [1, 1, 1, 1],
                                 num_classes=10), 64, "blocks [1,1,1,1]")


@model("ResNet (bottleneck)")
def resnet50(full):
    if full:
        return classifier(tvm.ResNet(tvm.resnet.Bottleneck, [3, 4, 6, 3]),
                          224, "blocks [3,4,6,3]")
    return classifier(tvm.ResNet(tvm.resnet.Bottleneck, [1, 1, 1, 1],
                                 width_per_group=16, num_classes=10), 64,
                      "blocks [1,1,1,1], width/4")


@model("ResNeXt (grouped conv)")
def resnext50_32x4d(full):
    if full:
        return classifier(tvm.resnext50_32x4d(), 224, "32x4d, [3,4,6,3]")
    return classifier(tvm.ResNet(tvm.resnet.Bottleneck, [1, 1, 1, 1],
                                 groups=8, width_per_group=4,
                                 num_classes=10), 64, "8x4d, [1,1,1,1]")


@model("MobileNetV2 (depthwise, inverted residual)")
def mobilenet_v2(full):
    if full:
        return classifier(tvm.mobilenet_v2(), 224, "width 1.0")
    setting = [[1, 16, 1, 1], [6, 24, 1, 2], [6, 32, 1, 2], [6, 64, 1, 2],
               [6, 96, 1, 1], [6, 160, 1, 2], [6, 320, 1, 1]]
    return classifier(tvm.MobileNetV2(width_mult=0.35, num_classes=10,
                                      inverted_residual_setting=setting),
                      64, "width 0.35, one block a stage")


@model("MobileNetV3 (squeeze-excite, hardswish)")
def mobilenet_v3_small(full):
    if full:
        return classifier(tvm.mobilenet_v3_small(), 224, "small, width 1.0")
    return classifier(tvm.mobilenet_v3_small(width_mult=0.5, num_classes=10),
                      64, "small, width 0.5")


@model("EfficientNet (MBConv, squeeze-excite, SiLU)")
def efficientnet_b0(full):
    if full:
        return classifier(tvm.efficientnet_b0(), 224, "b0")
    setting, last = tvm.efficientnet._efficientnet_conf(
        "efficientnet_b0", width_mult=0.25, depth_mult=0.25)
    return classifier(tvm.EfficientNet(setting, 0.2, num_classes=10,
                                       last_channel=last),
                      64, "b0 table, width 0.25, depth 0.25")


@model("RegNetY (grouped conv, squeeze-excite)")
def regnet_y_400mf(full):
    if full:
        return classifier(tvm.regnet_y_400mf(), 224, "400MF")
    params = tvm.regnet.BlockParams.from_init_params(
        depth=4, w_0=16, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25)
    return classifier(tvm.RegNet(params, num_classes=10, stem_width=16), 64,
                      "depth 4, w0 16")


@model("DenseNet (dense connections)")
def densenet121(full):
    if full:
        return classifier(tvm.densenet121(), 224, "121")
    return classifier(tvm.DenseNet(growth_rate=8, block_config=(2, 2, 2, 2),
                                   num_init_features=16, num_classes=10),
                      64, "growth 8, blocks (2,2,2,2)")


@model("ShuffleNetV2 (channel shuffle)")
def shufflenet_v2(full):
    if full:
        return classifier(tvm.shufflenet_v2_x1_0(), 224, "x1.0")
    return classifier(tvm.ShuffleNetV2([1, 2, 1], [16, 32, 64, 128, 256],
                                       num_classes=10),
                      64, "repeats [1,2,1], channels [16..256]")


@model("SqueezeNet (fire modules, ceil-mode pooling)")
def squeezenet1_1(full):
    if full:
        return classifier(tvm.squeezenet1_1(), 224, "1.1")
    return classifier(tvm.squeezenet1_1(num_classes=10), 64, "1.1")


@model("ConvNeXt (LayerNorm, GELU, 7x7 depthwise)")
def convnext_tiny(full):
    if full:
        return classifier(tvm.convnext_tiny(), 224, "tiny")
    Block = tvm.convnext.CNBlockConfig
    blocks = [Block(16, 32, 1), Block(32, 64, 1), Block(64, 128, 1),
              Block(128, None, 1)]
    return classifier(tvm.ConvNeXt(blocks, num_classes=10), 64,
                      "one block a stage, widths 16..128")


@model("Segmentation (LR-ASPP on MobileNetV3, bilinear resize)")
def lraspp_mobilenet_v3(full):
    seg = tvm.segmentation
    if full:
        module = seg.lraspp_mobilenet_v3_large(weights_backbone=None)
        res, config = 224, "large, 21 classes"
    else:
        backbone = tvm.mobilenet_v3_large(width_mult=0.5, dilated=True)
        module = seg.lraspp._lraspp_mobilenetv3(backbone, 4)
        res, config = 64, "large, width 0.5, 4 classes"
    return Built(Picked(module, ("out",)), image(res),
                 f"{res}x{res}, {config}", ("out",))


class RetinaNetHeads(nn.Module):
    """RetinaNet without anchors or postprocessing: backbone, FPN, heads."""

    def __init__(self, backbone, head):
        super().__init__()
        self.backbone, self.head = backbone, head

    def forward(self, x):
        result = self.head(list(self.backbone(x).values()))
        return result["cls_logits"], result["bbox_regression"]


@model("Detection (ResNet + FPN + RetinaNet heads, no NMS)")
def retinanet_fpn(full):
    from torchvision.models.detection.backbone_utils import BackboneWithFPN
    from torchvision.models.detection.retinanet import RetinaNetHead
    from torchvision.ops.feature_pyramid_network import LastLevelP6P7
    if full:
        resnet = tvm.ResNet(tvm.resnet.Bottleneck, [3, 4, 6, 3])
        channels, width, classes, res = [512, 1024, 2048], 256, 91, 224
        config = "ResNet-50, FPN 256, 91 classes"
    else:
        resnet = tvm.ResNet(tvm.resnet.BasicBlock, [1, 1, 1, 1])
        channels, width, classes, res = [128, 256, 512], 32, 10, 64
        config = "ResNet [1,1,1,1] basic, FPN 32, 10 classes"
    backbone = BackboneWithFPN(
        resnet, {"layer2": "0", "layer3": "1", "layer4": "2"}, channels,
        width, extra_blocks=LastLevelP6P7(width, width))
    module = RetinaNetHeads(backbone, RetinaNetHead(width, 9, classes))
    return Built(module, image(res), f"{res}x{res}, {config}",
                 ("cls_logits", "bbox_regression"))


# -- Transformers -----------------------------------------------------------

@model("Vision transformer (torchvision)")
def vit_b_16(full):
    if full:
        return classifier(tvm.vit_b_16(), 224, "B/16")
    return classifier(tvm.VisionTransformer(64, 16, num_layers=2,
                                            num_heads=2, hidden_dim=64,
                                            mlp_dim=128, num_classes=10),
                      64, "patch 16, 2 layers, hidden 64")


def bert_config(full):
    if full:
        return transformers.BertConfig(), 128, "base"
    return transformers.BertConfig(
        vocab_size=1000, hidden_size=64, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=128,
        max_position_embeddings=64), 16, "2 layers, hidden 64, vocab 1000"


@model("BERT encoder (transformers)")
def bert_base(full):
    config, seq, name = bert_config(full)
    return text_model(transformers.BertModel(config),
                      tokens(config.vocab_size, seq),
                      ("last_hidden_state", "pooler_output"),
                      f"seq {seq}, {name}")


@model("DistilBERT encoder (transformers)")
def distilbert(full):
    T = transformers
    config = T.DistilBertConfig() if full else T.DistilBertConfig(
        vocab_size=1000, dim=64, n_layers=2, n_heads=2, hidden_dim=128,
        max_position_embeddings=64)
    seq = 128 if full else 16
    name = "base" if full else "2 layers, dim 64, vocab 1000"
    return text_model(T.DistilBertModel(config),
                      tokens(config.vocab_size, seq), ("last_hidden_state",),
                      f"seq {seq}, {name}")


@model("GPT-2 decoder (transformers, causal, no cache)")
def gpt2(full):
    T = transformers
    config = T.GPT2Config(use_cache=False) if full else T.GPT2Config(
        vocab_size=1000, n_positions=64, n_embd=64, n_layer=2, n_head=2,
        bos_token_id=999, eos_token_id=999, use_cache=False)
    seq = 128 if full else 16
    name = "small (124M)" if full else "2 layers, 64 wide, vocab 1000"
    return text_model(T.GPT2Model(config), tokens(config.vocab_size, seq),
                      ("last_hidden_state",), f"seq {seq}, {name}")


@model("BERT encoder with dynamic batch and sequence")
def minilm_dynamic(full):
    """A MiniLM-L6-H384 shaped BertModel, exported with dynamic_axes; traced
    at batch 1, its test data has batch 2 and another sequence length."""
    T = transformers
    if full:
        config = T.BertConfig(hidden_size=384, num_hidden_layers=6,
                              num_attention_heads=12, intermediate_size=1536)
        seq, test_seq, name = 128, 96, "MiniLM-L6-H384"
    else:
        config = T.BertConfig(vocab_size=1000, hidden_size=64,
                              num_hidden_layers=1, num_attention_heads=2,
                              intermediate_size=128,
                              max_position_embeddings=64)
        seq, test_seq, name = 16, 12, "1 layer, hidden 64, vocab 1000"
    axes = {0: "batch", 1: "sequence"}
    dynamic = {"input_ids": axes, "attention_mask": axes,
               "last_hidden_state": axes}
    return text_model(T.BertModel(config), tokens(config.vocab_size, seq),
                      ("last_hidden_state",),
                      f"traced batch 1 seq {seq}, tested batch 2 seq "
                      f"{test_seq}, {name}", dynamic,
                      tokens(config.vocab_size, test_seq, batch=2))


# -- Recurrent --------------------------------------------------------------

class LSTMClassifier(nn.Module):
    """Embedding, a stacked LSTM, and a classifier on the last step; returns
    the logits and every step's hidden state."""

    def __init__(self, vocab, embed, hidden, layers, classes):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, layers, batch_first=True)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, ids):
        out, _ = self.lstm(self.embed(ids))
        return self.fc(out[:, -1]), out


@model("LSTM text classifier")
def lstm_classifier(full):
    if full:
        vocab, embed, hidden, layers, seq = 10000, 256, 512, 2, 64
    else:
        vocab, embed, hidden, layers, seq = 1000, 32, 64, 2, 16
    return Built(LSTMClassifier(vocab, embed, hidden, layers, 2),
                 tokens(vocab, seq, mask=False),
                 f"seq {seq}, {layers} layers, hidden {hidden}",
                 ("logits", "hidden_states"))


# -- Weights ----------------------------------------------------------------

NORMS = (nn.modules.batchnorm._BatchNorm, nn.LayerNorm, nn.GroupNorm)


def redraw(module, shape):
    """Torchvision's initialisation leaves a random network with vanishing
    or constant outputs (zero heads and biases, 1e-6 layer scales, identity
    BatchNorm), which a comparison at atol 1e-4 cannot tell apart. Redraws
    them (seeded): conv and linear weights N(0, 1/fan_in), biases
    U(-0.1, 0.1), norm scales and layer scales U(0.5, 1.5); then sets the
    BatchNorm statistics from a batch of 4 random inputs of `shape`, so that
    every layer sees values of order 1."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                m.weight.normal_(0, m.weight[0].numel() ** -0.5)
            if isinstance(m, NORMS) and m.weight is not None:
                m.weight.uniform_(0.5, 1.5)
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.uniform_(-0.1, 0.1)
            elif name.endswith("layer_scale"):
                p.uniform_(0.5, 1.5)
        settle_batchnorm(module, torch.randn((4,) + tuple(shape[1:])))


def settle_batchnorm(module, batch):
    """BatchNorm's running statistics: those of `batch`."""
    norms = [m for m in module.modules()
             if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average: this batch's statistics
        m.train()
    module(batch)
    for m in norms:
        m.momentum = 0.1
    module.eval()


def is_transformers(module):
    """transformers models keep their own initialisation (outputs of order
    1 already: every block ends in a LayerNorm)."""
    return any(isinstance(m, transformers.PreTrainedModel)
               for m in module.modules())


# -- Export -----------------------------------------------------------------

def stamp_of(size):
    """The hash that makes an export current: this script, the size and the
    versions of everything that shapes the output."""
    with open(os.path.abspath(__file__), "rb") as f:
        text = f.read()
    versions = [torch.__version__, torchvision.__version__,
                transformers.__version__, onnx.__version__,
                onnxruntime.__version__, np.__version__]
    return hashlib.sha256(text + repr((size, versions)).encode()).hexdigest()


def is_current(directory, stamp):
    path = os.path.join(directory, "stamp")
    if not os.path.exists(path):
        return False
    with open(path) as f:
        return f.read().strip() == stamp


def ort_outputs(path, inputs):
    """ONNX Runtime's outputs, [(name, array)], for inputs [(name, array)]."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        path, options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return list(zip(names, session.run(names, dict(inputs))))


def torch_outputs(module, inputs):
    with torch.no_grad():
        result = module(*(torch.from_numpy(a) for _, a in inputs))
    if isinstance(result, torch.Tensor):
        result = (result,)
    return [t.numpy() for t in result]


def max_difference(reference, outputs):
    return max(float(np.max(np.abs(r - a)))
               for r, (_, a) in zip(reference, outputs))


def write_data_set(directory, inputs, outputs):
    os.makedirs(directory, exist_ok=True)
    for kind, arrays in (("input", inputs), ("output", outputs)):
        for i, (name, array) in enumerate(arrays):
            tensor = numpy_helper.from_array(array, name)
            with open(os.path.join(directory, f"{kind}_{i}.pb"), "wb") as f:
                f.write(tensor.SerializeToString())


def graph_inputs(path, arrays):
    """The arrays the exported graph takes (an unused input disappears)."""
    graph = onnx.load(path, load_external_data=False).graph
    given = dict(arrays)
    return [(i.name, given[i.name]) for i in graph.input]


def build(name, size):
    """The seeded model of `size`: its Built, with weights redrawn when
    they come from torchvision."""
    torch.manual_seed(SEED)
    built = MODELS[name].build(size == "full")
    module = built.module.eval()
    if not is_transformers(module):
        redraw(module, built.inputs[0][1].shape)
    return built


def to_onnx(built, path):
    """torch.onnx.export with the TorchScript exporter, then onnx.checker."""
    args = tuple(torch.from_numpy(a) for _, a in built.inputs)
    # Not under no_grad: nn.MultiheadAttention would take its fused fast
    # path, which the exporter cannot express.
    torch.onnx.export(built.module, args, path, opset_version=OPSET,
                      dynamo=False, input_names=[n for n, _ in built.inputs],
                      output_names=list(built.outputs),
                      dynamic_axes=built.dynamic)
    onnx.checker.check_model(path)  # the path form: fine above 2 GB


def export(name, size, out, stamp):
    """Exports one model with its test data; returns the seconds it took
    and the largest difference between torch's and ONNX Runtime's outputs
    (a sanity check of the export)."""
    directory = os.path.join(out, name)
    start = time.monotonic()
    os.makedirs(directory, exist_ok=True)
    if os.path.exists(os.path.join(directory, "stamp")):
        os.remove(os.path.join(directory, "stamp"))
    built = build(name, size)
    path = os.path.join(directory, "model.onnx")
    to_onnx(built, path)
    inputs = graph_inputs(path, built.test_inputs or built.inputs)
    outputs = ort_outputs(path, inputs)
    difference = max_difference(torch_outputs(built.module, inputs), outputs)
    write_data_set(os.path.join(directory, "test_data_set_0"), inputs,
                   outputs)
    params = sum(p.numel() for p in built.module.parameters())
    info = {"family": MODELS[name].family, "config": built.config,
            "size": size, "parameters": params, "torch_vs_ort": difference}
    with open(os.path.join(directory, "info.json"), "w") as f:
        json.dump(info, f, indent=1)
    with open(os.path.join(directory, "stamp"), "w") as f:
        f.write(stamp + "\n")
    return time.monotonic() - start, difference


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=("ci", "full"), required=True)
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--only", action="append",
                        help="export only this model (repeatable)")
    parser.add_argument("--force", action="store_true",
                        help="export even when the stamp is current")
    opts = parser.parse_args()
    names = opts.only or sorted(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        sys.exit(f"unknown model(s): {', '.join(unknown)}; known: "
                 f"{', '.join(sorted(MODELS))}")
    stamp = stamp_of(opts.size)
    warnings.simplefilter("ignore")  # the exporter's tracer warnings
    for name in names:
        if not opts.force and is_current(os.path.join(opts.out, name), stamp):
            print(f"{name}: current, skipped")
            continue
        seconds, difference = export(name, opts.size, opts.out, stamp)
        print(f"{name}: exported in {seconds:.1f} s (torch vs ONNX Runtime: "
              f"max abs difference {difference:.2e})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
