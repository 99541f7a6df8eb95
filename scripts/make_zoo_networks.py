"""torchvision classification models as weights-stripped ONNX graphs, with the method of
../shared/reference/networks/make_networks.py: exported at batch 1, opset 13, eval mode with constant folding,
ONNX shape inference, weight payloads stripped (INT64 tensors of fewer than 16 values kept), and NAME.layers.csv
listing every Conv/Gemm/MatMul with its MACs computed here from the ONNX shapes (independently of Cyclops).
Needs Debian's python3-torch, python3-torchvision and python3-onnx (not in scripts/setup: the outputs are
committed in tests/data/zoo/). Usage: /usr/bin/python3 scripts/make_zoo_networks.py OUTDIR [NAME...]"""
import csv, os, sys
import numpy as np
import onnx
import torch
import torchvision
from onnx import shape_inference

torch.manual_seed(0)
M = torchvision.models
SIZES = {"inception_v3": 299}
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
names = sys.argv[2:] or ["squeezenet1_1", "googlenet", "mobilenet_v3_small", "shufflenet_v2_x0_5",
                         "efficientnet_b0", "mnasnet0_5", "regnet_x_400mf", "densenet121"]


def make(name):
    if name == "googlenet":
        return M.googlenet(aux_logits=False, transform_input=False, init_weights=False)
    if name == "inception_v3":
        return M.inception_v3(aux_logits=False, transform_input=False, init_weights=False)
    return getattr(M, name)()


for name in names:
    try:
        hw = SIZES.get(name, 224)
        m = make(name).eval()
        p = os.path.join(out, name + ".full.onnx")
        torch.onnx.export(m, torch.randn(1, 3, hw, hw), p, opset_version=13, do_constant_folding=True,
                          input_names=["input"], output_names=["output"])
        model = shape_inference.infer_shapes(onnx.load(p))
        os.remove(p)
        shapes = {vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim]
                  for vi in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output)}
        inits = {t.name: list(t.dims) for t in model.graph.initializer}
        rows, total = [], 0
        for n in model.graph.node:
            if n.op_type not in ("Conv", "Gemm", "MatMul"):
                continue
            a = {at.name: onnx.helper.get_attribute_value(at) for at in n.attribute}
            ins = shapes.get(n.input[0]) or inits.get(n.input[0])
            if ins is None:
                raise ValueError(f"no shape for the input of {n.name}")
            outs = shapes.get(n.output[0])
            wd = inits.get(n.input[1]) or shapes.get(n.input[1])
            if n.op_type == "Conv":
                N, C, H, W = ins
                _, Mo, P, Q = outs
                g = a.get("group", 1)
                macs = N * Mo * P * Q * (C // g) * wd[2] * wd[3]
            else:
                macs = int(np.prod(outs)) * ins[-1]
            rows.append([n.name, n.op_type, "x".join(map(str, ins)), "x".join(map(str, wd)),
                         "x".join(map(str, outs)), macs])
            total += macs
        for t in model.graph.initializer:
            keep = t.data_type == onnx.TensorProto.INT64 and (int(np.prod(t.dims)) if t.dims else 1) < 16
            if not keep:
                for f in ("raw_data", "float_data", "int64_data", "int32_data", "double_data"):
                    t.ClearField(f)
        e = model.metadata_props.add()
        e.key, e.value = "weights", "stripped; shapes only"
        onnx.save(model, os.path.join(out, name + ".onnx"))
        with open(os.path.join(out, name + ".layers.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["node", "op", "A", "B", "Y", "macs"])
            w.writerows(rows)
        ops = sorted({n.op_type for n in model.graph.node})
        print(f"{name}: {total} MACs, {len(model.graph.node)} nodes, ops={ops}", flush=True)
    except Exception as ex:
        print(f"{name}: FAILED {type(ex).__name__}: {ex}", flush=True)
