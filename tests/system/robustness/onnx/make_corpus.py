"""Writes the malformed-ONNX corpus beside this script: each file is a model `cyclops network` must refuse
with exit 2 and one message (tests/system/robustness/onnx_corpus_test.cpp). expected.tsv lists each file
with a phrase its message must contain. Debian's python3-onnx; run: /usr/bin/python3 make_corpus.py"""
import os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

here = os.path.dirname(os.path.abspath(__file__))
expected = []


def save(name, model_or_bytes, phrase):
    path = os.path.join(here, name + ".onnx")
    data = model_or_bytes if isinstance(model_or_bytes, bytes) else model_or_bytes.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    expected.append((name + ".onnx", phrase))


def model(nodes, inputs, outputs, inits=(), opset=13, ir=8):
    g = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=ir)


def x(shape=(1, 3, 8, 8), name="x", elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, list(shape))


def y(name="y"):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, None)


def w(name, shape):
    t = TensorProto()  # dims only, no values (as in the weights-stripped reference files)
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(shape)
    return t


def conv(**attrs):
    return helper.make_node("Conv", ["x", "w"], ["y"], name="conv", **attrs)


good = model([conv(kernel_shape=[3, 3], pads=[1, 1, 1, 1])], [x()], [y()], [w("w", [4, 3, 3, 3])])
good_bytes = good.SerializeToString()

save("empty", b"", "the file is empty")
save("truncated_10_bytes", good_bytes[:10], "not an ONNX model")
save("truncated_half", good_bytes[: len(good_bytes) // 2], "not an ONNX model")
save("text_file", b"hello, this is not a model\n", "not an ONNX model")
save("yaml_file", b"network:\n  name: n\n  layers: []\n", "not an ONNX model")
save("random_bytes", bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8)), "not an ONNX model")
no_graph = onnx.ModelProto()
no_graph.ir_version = 8
no_graph.opset_import.add().version = 13
save("no_graph", no_graph, "no graph")
save("no_ir_version", model([conv(kernel_shape=[3, 3])], [x()], [y()], [w("w", [4, 3, 3, 3])], ir=0), "no ir_version")
save("no_nodes", model([], [x()], [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])]), "no nodes")
save("cycle", model([helper.make_node("Relu", ["b"], ["a"], name="r1"), helper.make_node("Relu", ["a"], ["b"], name="r2"),
                     helper.make_node("Add", ["x", "a"], ["y"], name="add")], [x()], [y()]), "cycle")
save("dangling_input", model([helper.make_node("Add", ["x", "nowhere"], ["y"], name="add")], [x()], [y()]),
     "which no graph input, initializer or node produces")
save("unknown_input_type", model([helper.make_node("Relu", ["x"], ["y"], name="r")], [x(elem=99)], [y()]), "unknown data type")
bad_init = w("w", [4, 3, 3, 3])
bad_init.data_type = 77
save("unknown_initializer_type", model([conv(kernel_shape=[3, 3])], [x()], [y()], [bad_init]), "unknown data type")
save("negative_pads", model([conv(kernel_shape=[3, 3], pads=[-1, 0, 0, 0])], [x()], [y()], [w("w", [4, 3, 3, 3])]), "pads")
save("odd_pads", model([conv(kernel_shape=[3, 3], pads=[1, 1, 1])], [x()], [y()], [w("w", [4, 3, 3, 3])]), "one pad before and one after")
save("mismatched_ranks", model([conv()], [x()], [y()], [w("w", [4, 3, 3])]), "rank")
save("empty_initializer", model([conv()], [x()], [y()], [w("w", [4, 0, 3, 3])]), "empty")
save("group_zero", model([conv(group=0)], [x()], [y()], [w("w", [4, 3, 3, 3])]), "group = 0")
save("group_negative", model([conv(group=-3)], [x()], [y()], [w("w", [4, 3, 3, 3])]), "group = -3")
save("zero_stride", model([conv(strides=[0, 1])], [x()], [y()], [w("w", [4, 3, 3, 3])]), "strides")
save("pool_one_stride", model([helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2])],
                              [x()], [y()]), "one stride per kernel axis")
save("pool_zero_stride", model([helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], strides=[0, 0])],
                               [x()], [y()]), "strides")
save("pool_no_kernel", model([helper.make_node("AveragePool", ["x"], ["y"], name="pool")], [x()], [y()]), "kernel_shape")
save("pool_zero_kernel", model([helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[0, 2])], [x()], [y()]),
     "kernel_shape")
save("conv_one_input", model([helper.make_node("Conv", ["x"], ["y"], name="conv")], [x()], [y()]), "Conv(X, W[, B])")
save("conv_rank2_weight", model([conv()], [x()], [y()], [w("w", [4, 27])]), "rank")
save("negative_dilation", model([conv(dilations=[-1, 1])], [x()], [y()], [w("w", [4, 3, 3, 3])]), "dilations")
save("input_product_overflow", model([helper.make_node("Relu", ["x"], ["y"], name="r")],
                                     [x((1, 2 ** 31, 2 ** 31, 2))], [y()]), "2^31")
save("input_dimension_zero", model([helper.make_node("Relu", ["x"], ["y"], name="r")], [x((1, 0, 8, 8))], [y()]),
     "dimension 0")
save("symbolic_input", model([helper.make_node("Relu", ["x"], ["y"], name="r")], [x(("N", 3, 8, 8))], [y()]), "symbolic")
save("huge_channels", model([conv()], [x()], [y()], [w("w", [2 ** 30, 3, 3, 3])]), "2^31")
save("huge_pads", model([conv(pads=[2 ** 40, 0, 0, 0])], [x()], [y()], [w("w", [4, 3, 3, 3])]), "pads")
save("nan_clip_attribute", model([helper.make_node("Clip", ["x"], ["y"], name="clip", min=float("nan"), max=6.0)],
                                 [x()], [y()], opset=6), "NaN")
save("nan_clip_input", model([helper.make_node("Clip", ["x", "lo"], ["y"], name="clip")], [x()], [y()],
                             [numpy_helper.from_array(np.array(np.nan, dtype=np.float32), "lo")]), "NaN")
save("duplicate_output", model([helper.make_node("Relu", ["x"], ["y"], name="r1"), helper.make_node("Relu", ["x"], ["y"], name="r2")],
                               [x()], [y()]), "defined twice")
save("unproduced_graph_output", model([helper.make_node("Relu", ["x"], ["r"], name="r")], [x()], [y("missing")]),
     "produced by no node")
save("no_op_type", model([helper.make_node("", ["x"], ["y"], name="blank")], [x()], [y()]), "no op_type")
save("broadcast_mismatch", model([helper.make_node("Add", ["x", "b"], ["y"], name="add")], [x()], [y()],
                                 [w("b", [5, 7])]), "shape inference")
save("reshape_wrong_count", model([helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")], [x()], [y()],
                                  [numpy_helper.from_array(np.array([1, 7, 7], dtype=np.int64), "s")]), "reshape")
save("two_graph_inputs", model([helper.make_node("Add", ["x", "x2"], ["y"], name="add")], [x(), x(name="x2")], [y()]),
     "second graph input")
save("matmul_k_mismatch", model([helper.make_node("MatMul", ["x", "m"], ["y"], name="mm")], [x((1, 4, 6))], [y()],
                                [w("m", [5, 3])]), "shape inference")
save("no_graph_output", model([helper.make_node("Relu", ["x"], ["y"], name="r")], [x()], []), "no output")

with open(os.path.join(here, "expected.tsv"), "w") as f:
    for name, phrase in expected:
        f.write(f"{name}\t{phrase}\n")
print(len(expected), "files")
