#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into OUT/<harness>/ from the specs in configs/ and the reference
cases in ../shared/reference/ (nothing is copied into the repository: the seeds follow the sources).

  fuzz_spec_loader    every YAML file alone, and every complete case as one input
  fuzz_analysis       every complete case (architecture, problem, mapping, ERT) as one input
  fuzz_mapping        every mapping file, prefixed with the byte that picks its architecture pair
  fuzz_onnx_importer  every ONNX network, prefixed with a byte (0: unsupported ops are errors)

Files of one input are joined by "#@file" lines (fuzz/fuzz_input.h)."""
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "..", "shared", "reference")
SEPARATOR = b"\n#@file\n"
MAX_SEED_BYTES = 64 * 1024


def read(path):
    with open(path, "rb") as file:
        return file.read()


def complete_cases():
    """Lists of files that together make one analysable case."""
    cases = []
    for processed in sorted(glob.glob(os.path.join(REFERENCE, "timeloop", "**", "parsed-processed-input.yaml"),
                                      recursive=True)):
        folder = os.path.dirname(processed)
        files = [processed]
        files += glob.glob(os.path.join(folder, "timeloop-mapper.map.yaml"))
        files += (glob.glob(os.path.join(folder, "timeloop-*.ERT.yaml")))[:1]
        cases.append(files)
    example = os.path.join(ROOT, "configs", "examples", "eyeriss_like")
    cases.append([os.path.join(example, name) for name in ("arch.yaml", "conv_layer.yaml", "mapping.yaml", "ERT.yaml")])
    configs = os.path.join(ROOT, "configs")
    cases.append([os.path.join(configs, path) for path in (
        "arch/eyeriss_v1.yaml", "workloads/layers/alexnet_conv3.yaml", "mappings/eyeriss_v1_alexnet_conv3.yaml",
        "energy/eyeriss_v1_65nm_relative.yaml")])
    cases.append([os.path.join(configs, path) for path in (
        "arch/eyeriss_v2.yaml", "workloads/layers/mobilenet_v1_dw7_11.yaml", "mappings/eyeriss_v2_mobilenet_dw7.yaml",
        "energy/eyeriss_v2_65nm_relative.yaml")])
    return [case for case in cases if all(os.path.exists(path) for path in case)]


def write(out, harness, name, data):
    if len(data) > MAX_SEED_BYTES:
        return 0
    folder = os.path.join(out, harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as file:
        file.write(data)
    return 1


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fuzz/make_seeds.py OUT_DIR")
    out = sys.argv[1]
    counts = {}
    def add(harness, name, data):
        counts[harness] = counts.get(harness, 0) + write(out, harness, name, data)

    yaml_files = sorted(glob.glob(os.path.join(ROOT, "configs", "**", "*.yaml"), recursive=True))
    yaml_files += sorted(glob.glob(os.path.join(REFERENCE, "**", "*.yaml"), recursive=True))
    for index, path in enumerate(yaml_files):
        add("fuzz_spec_loader", "file%03d.yaml" % index, read(path))
    for index, case in enumerate(complete_cases()):
        joined = SEPARATOR.join(read(path) for path in case)
        add("fuzz_spec_loader", "case%02d.yaml" % index, joined)
        add("fuzz_analysis", "case%02d.yaml" % index, joined)
    # fuzz_mapping's pairs (fuzz_mapping.cpp): 0 the example, 1 Eyeriss v1 + AlexNet conv3, 2 Eyeriss v2.
    mappings = [(0, os.path.join(ROOT, "configs", "examples", "eyeriss_like", "mapping.yaml")),
                (1, os.path.join(ROOT, "configs", "mappings", "eyeriss_v1_alexnet_conv3.yaml"))]
    mappings += [(0, path) for path in sorted(glob.glob(os.path.join(REFERENCE, "timeloop", "**", "*.map.yaml"),
                                                        recursive=True))]
    for index, (pair, path) in enumerate(mappings):
        add("fuzz_mapping", "map%02d.yaml" % index, bytes([pair]) + read(path))
    for index, path in enumerate(sorted(glob.glob(os.path.join(REFERENCE, "networks", "*.onnx")))):
        add("fuzz_onnx_importer", "net%02d.onnx" % index, b"\0" + read(path))
    for harness, count in sorted(counts.items()):
        print("%s: %d seeds" % (harness, count))


if __name__ == "__main__":
    main()
