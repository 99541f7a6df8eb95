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


def NP_TYPE(onnx_type):
    """numpy dtype of an ONNX tensor type (onnx.helper's function is newer than Debian's onnx)."""
    helper = getattr(onnx.helper, "tensor_dtype_to_np_dtype", None)
    return helper(onnx_type) if helper else onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[onnx_type]


def fold_shapes(model):
    """numpy constant folding of the graph's shape arithmetic (Shape of a static tensor, and the ops below on
    constants the file holds), repeated with shape inference until nothing changes: the shapes the MAC count
    reads. The graph saved is the export as it is; Cyclops' importer folds it itself."""
    from onnx import numpy_helper as nh
    model = onnx.ModelProto.FromString(model.SerializeToString())
    for _ in range(64):
        model = shape_inference.infer_shapes(model, data_prop=True)
        shapes = {vi.name: [d.dim_value if d.HasField("dim_value") else None for d in vi.type.tensor_type.shape.dim]
                  for vi in list(model.graph.value_info) + list(model.graph.input)
                  if vi.type.tensor_type.HasField("shape")}
        const = {t.name: nh.to_array(t) for t in model.graph.initializer
                 if t.raw_data or t.int64_data or t.float_data or t.int32_data or not t.dims}
        folded = 0
        for n in model.graph.node:
            a = {at.name: onnx.helper.get_attribute_value(at) for at in n.attribute}
            if n.op_type == "Constant":
                const[n.output[0]] = nh.to_array(a["value"])
                continue
            ins = [const.get(i) for i in n.input]
            v = None
            if n.op_type == "Shape" and n.input[0] in shapes and None not in shapes[n.input[0]]:
                v = np.array(shapes[n.input[0]], dtype=np.int64)
            elif n.input and all(x is not None for x, i in zip(ins, n.input) if i):
                op = n.op_type
                if op in ("Identity", "Cast"):
                    v = ins[0].astype(NP_TYPE(a["to"])) if op == "Cast" else ins[0]
                elif op == "Gather":
                    v = np.take(ins[0], ins[1], axis=a.get("axis", 0))
                elif op == "Transpose":
                    v = np.transpose(ins[0], a.get("perm"))
                elif op == "Unsqueeze":
                    v = np.expand_dims(ins[0], tuple(int(x) for x in ins[1]))
                elif op == "Squeeze":
                    v = np.squeeze(ins[0], tuple(int(x) for x in ins[1])) if len(ins) > 1 else np.squeeze(ins[0])
                elif op == "Concat":
                    v = np.concatenate(ins, axis=a.get("axis", 0))
                elif op in ("Add", "Sub", "Mul", "Div", "Equal", "Mod"):
                    f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Equal": np.equal,
                         "Mod": np.fmod if a.get("fmod", 0) else np.mod,
                         "Div": (lambda x, y: (np.trunc(x / y).astype(x.dtype)
                                               if np.issubdtype(x.dtype, np.integer) else x / y))}[op]
                    v = f(ins[0], ins[1])
                elif op == "Slice":
                    axes = ins[3] if len(ins) > 3 and n.input[3] else range(len(ins[1]))
                    steps = ins[4] if len(ins) > 4 and n.input[4] else [1] * len(ins[1])
                    sl = [slice(None)] * ins[0].ndim
                    for s0, e0, ax, st in zip(ins[1], ins[2], axes, steps):
                        sl[int(ax)] = slice(int(s0), int(e0), int(st))
                    v = ins[0][tuple(sl)]
                elif op == "Reshape":
                    dims = [int(d) if d != 0 else ins[0].shape[k] for k, d in enumerate(ins[1])]
                    v = ins[0].reshape(dims)
                elif op == "ConstantOfShape":
                    fill = nh.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
                    v = np.full([int(d) for d in ins[0]], fill.reshape(-1)[0], dtype=fill.dtype)
                elif op == "Range":
                    v = np.arange(ins[0], ins[1], ins[2])
                elif op == "Where":
                    v = np.where(ins[0], ins[1], ins[2])
                elif op == "Expand":
                    v = ins[0] * np.ones([int(d) for d in ins[1]], dtype=ins[0].dtype)
            if v is None or np.asarray(v).size > 65536:
                continue
            v = np.asarray(v)
            out = n.output[0]
            n.CopyFrom(onnx.helper.make_node("Constant", [], [out], name=n.name, value=nh.from_array(v, out)))
            const[out] = v
            folded += 1
        if not folded:
            return model
        keep = [vi for vi in model.graph.value_info
                if vi.type.tensor_type.HasField("shape")
                and all(d.HasField("dim_value") for d in vi.type.tensor_type.shape.dim)]
        del model.graph.value_info[:]
        model.graph.value_info.extend(keep)
    return model


for name in names:
    try:
        hw = SIZES.get(name, 224)
        m = make(name).eval()
        p = os.path.join(out, name + ".full.onnx")
        torch.onnx.export(m, torch.randn(1, 3, hw, hw), p, opset_version=13, do_constant_folding=True,
                          input_names=["input"], output_names=["output"])
        # data_prop: shapes computed in the graph (Shape → Gather → Concat → Reshape, as torch exports a
        # view of x.size()) are propagated, so channel shuffles and attention reshapes get static shapes.
        model = shape_inference.infer_shapes(onnx.load(p), data_prop=True)
        os.remove(p)
        folded = fold_shapes(model)
        shapes = {vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim]
                  for vi in list(folded.graph.value_info) + list(folded.graph.input) + list(folded.graph.output)}
        inits = {t.name: list(t.dims) for t in folded.graph.initializer}
        rows, total = [], 0
        for n in folded.graph.node:
            if n.op_type not in ("Conv", "Gemm", "MatMul", "Einsum"):
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
            else:  # Gemm, MatMul, and Einsum's batched forms (..ik,..kj / ..ik,..jk): K is A's last axis
                k = ins[-1]
                if n.op_type == "Einsum":
                    # ONNX's shape inference leaves einsum outputs unknown (0): sizes by letter from both
                    # operands, whichever knows them.
                    eq = a["equation"].decode() if isinstance(a["equation"], bytes) else a["equation"]
                    lhs, out_term = eq.replace(" ", "").split("->")
                    terms = lhs.split(",")
                    assert terms[0][-1] not in out_term, f"{n.name}: {eq}"
                    size = {}
                    for term, dims in zip(terms, (ins, wd)):
                        for letter, dim in zip(term, dims):
                            if dim:
                                size[letter] = dim
                    outs = [size[c] for c in out_term]
                    ins = [size[c] for c in terms[0]]
                    wd = [size[c] for c in terms[1]]
                    k = size[terms[0][-1]]
                macs = int(np.prod(outs)) * k
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
