#!/usr/bin/env python3
"""Writes the malformed-spec corpus tests/system/robustness/cases/*.yaml from the example in
configs/examples/eyeriss_like (see README.md in this folder). Each case is one file holding the top-level
keys it changes; the header names the files that complete it and what the command must say:

  # robustness case: what is wrong
  # command: analyze | run [options]
  # with: companion files (repository-relative), given before the case file
  # error: text the one error message must contain
  # at: LINE:COL of the offending token in this file, or "file" for an error about the file itself

The expected positions are computed here from where each mutation puts its offending token (the value,
key or tagged node the loader must blame), not from what Cyclops prints. Rerun after changing the
example: python3 tests/system/robustness/make_cases.py (cases named fuzz_* and hand_* are written by hand
and left alone)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
EXAMPLE = "configs/examples/eyeriss_like"
FILES = {key: open(os.path.join(ROOT, EXAMPLE, name), "rb").read()
         for key, name in (("arch", "arch.yaml"), ("problem", "conv_layer.yaml"), ("mapping", "mapping.yaml"),
                           ("ert", "ERT.yaml"))}
COMPANION = {key: "%s/%s" % (EXAMPLE, name) for key, name in (("arch", "arch.yaml"), ("problem", "conv_layer.yaml"),
                                                              ("mapping", "mapping.yaml"), ("ert", "ERT.yaml"))}
ORDER = ["arch", "problem", "mapping", "ert"]
CASES = []


def b(text):
    """Text as bytes; "<0xFF>" in a str stands for that raw (non-UTF-8) byte."""
    return text.encode("utf-8").replace(b"<0xFF>", b"\xff") if isinstance(text, str) else text


def value(text):
    """The blamed token of "key: value" is its value."""
    text = b(text)
    return (text, text[text.index(b": ") + 2:])


def case(name, description, changes, error, at, command="analyze", extra=None):
    """changes: {file key: [(old, new), ...]} applied to those example files, which the case then holds
    (in ORDER); the others are companions. `at`: the blamed token, as text whose first occurrence in the
    case (after the header) starts with it, or (context, token): the token's first occurrence within the
    context's first occurrence; "file" for an error about the file, "any" for a located error whose
    position yaml-cpp decides (syntax errors). `extra`: text appended to the case."""
    CASES.append(dict(name=name, description=description, changes=changes, error=error, at=at, command=command,
                      extra=extra))


def build(spec):
    held = [key for key in ORDER if key in spec["changes"]]
    body = b""
    for key in held:
        text = FILES[key]
        for old, new in spec["changes"][key]:
            old, new = b(old), b(new)
            assert text.count(old) >= 1, (spec["name"], old)
            text = text.replace(old, new, 1)
        body += text if text.endswith(b"\n") else text + b"\n"
    if spec["extra"] is not None:
        body += b(spec["extra"])
    companions = [COMPANION[key] for key in ORDER if key not in held]
    def header(position):
        return ("\n".join(["# robustness case: " + spec["description"], "# command: " + spec["command"],
                           "# with: " + " ".join(companions), "# at: " + position,
                           "# error: " + spec["error"]]) + "\n").encode()
    header_text = header("?")
    at = spec["at"]
    if at in ("file", "any"):
        position = at
    else:
        context, token = (b(at[0]), b(at[1])) if isinstance(at, tuple) else (b(at), b(at))
        offset = body.index(context) + context.index(token)
        before = header_text + body[:offset]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        position = "%d:%d" % (line, column)
    return header(position) + body


GLB = "      read_bandwidth: 16\n      write_bandwidth: 16\n"


def glb(new):
    return {"arch": [(GLB, new)]}


INSTANCE = "instance: {C: 16, M: 32, R: 3, S: 3, N: 1, P: 14, Q: 14}"
DRAM_FACTORS = "factors: C=1 M=1 R=1 S=1 N=1 P=1 Q=1"

# ---------------------------------------------------------------- bandwidths, buffering, cycle times
for index, (text, error) in enumerate([
        ("nan", "expected a finite number"), ("NaN", "expected a finite number"), ("inf", "expected a finite number"),
        ("-inf", "expected a finite number"), ("infinity", "expected a finite number"), ("0", "below 1e-06"),
        ("-16", "below 1e-06"), ("1e-20", "below 1e-06"), ("1e-320", "expected a number"),
        ("1e400", "expected a number"), (".nan", "expected a number"), (".inf", "expected a number"),
        ("fast", "expected a number"), ("[16]", "expected a number"), ("{x: 1}", "expected a number"),
        ("0x1p-40", "below 1e-06")]):
    case("bandwidth_read_%02d" % index, "shared_glb read_bandwidth %s" % text,
         glb("      read_bandwidth: %s\n      write_bandwidth: 16\n" % text), error, value("read_bandwidth: " + text))
for index, text in enumerate(["nan", "0", "1e-9"]):
    case("bandwidth_write_%02d" % index, "shared_glb write_bandwidth %s" % text,
         glb("      read_bandwidth: 16\n      write_bandwidth: %s\n" % text),
         "expected a finite number" if text == "nan" else "below 1e-06", value("write_bandwidth: " + text))
for index, text in enumerate(["nan", "-1", "1e-7"]):
    case("bandwidth_shared_%02d" % index, "shared_glb shared_bandwidth %s" % text,
         glb(GLB + "      shared_bandwidth: %s\n" % text),
         "expected a finite number" if text == "nan" else "below 1e-06", value("shared_bandwidth: " + text))
for index, (text, error) in enumerate([("0.5", "below 1"), ("nan", "expected a finite number"), ("0", "below 1"),
                                       ("-2", "below 1")]):
    case("multiple_buffering_%02d" % index, "shared_glb multiple_buffering %s" % text,
         glb(GLB + "      multiple_buffering: %s\n" % text), error, value("multiple_buffering: " + text))
for index, (text, error) in enumerate([("0", "below 1e-15"), ("1e-30", "below 1e-15"), ("1e10", "above 1000"),
                                       ("nan", "expected a finite number"), ("-1e-9", "below 1e-15")]):
    case("cycle_seconds_%02d" % index, "global_cycle_seconds %s" % text,
         {"arch": [("global_cycle_seconds: 1e-9", "global_cycle_seconds: " + text)]}, error,
         value("global_cycle_seconds: " + text))

# ---------------------------------------------------------------- integer attributes and sizes
GLB_SIZES = "      depth: 16384\n      width: 64\n"
GLB_NODE = ("!Component\n    name: shared_glb", "!Component")
for index, (new, error, at) in enumerate([
        ("depth: 9223372036854775807\n      width: 64", "capacity (depth × block_size) of shared_glb exceeds 2^63",
         GLB_NODE),
        ("depth: 9223372036854775808\n      width: 64", "expected an integer", value("depth: 9223372036854775808")),
        ("depth: -5\n      width: 64", "expected an integer >= 1", value("depth: -5")),
        ("depth: 1e30\n      width: 64", "expected an integer", value("depth: 1e30")),
        ("depth: 16384.5\n      width: 64", "expected an integer", value("depth: 16384.5")),
        ("depth: nan\n      width: 64", "expected an integer", value("depth: nan")),
        ("depth: 16384\n      width: 9223372036854775807", "is not a multiple of datawidth",
         value("width: 9223372036854775807")),
        ("depth: 16384\n      width: 0", "expected an integer >= 1", value("width: 0")),
        ("depth: 16384\n      block_size: 2305843009213693952",
         "width (block_size × datawidth) of shared_glb exceeds 2^63", GLB_NODE),
]):
    case("storage_size_%02d" % index, "shared_glb " + new.replace("\n      ", ", "),
         {"arch": [(GLB_SIZES, "      %s\n" % new)]}, error, at)
case("datawidth_zero", "shared_glb datawidth 0",
     {"arch": [("      n_banks: 32\n      datawidth: 8\n", "      n_banks: 32\n      datawidth: 0\n")]},
     "expected an integer >= 1", value("datawidth: 0"))
case("instances_overflow", "meshX x meshY of the PE containers pass 2^63",
     {"arch": [("spatial: {meshX: 14}", "spatial: {meshX: 4294967296}"),
               ("spatial: {meshY: 12}", "spatial: {meshY: 4294967296}")]},
     "the instances of PE", ("!Container          # each PE in a", "!Container"))
case("mesh_zero", "meshX 0", {"arch": [("spatial: {meshX: 14}", "spatial: {meshX: 0}")]}, "expected an integer >= 1",
     ("{meshX: 0}", "0}"))
case("mesh_negative", "meshY -12", {"arch": [("spatial: {meshY: 12}", "spatial: {meshY: -12}")]},
     "expected an integer >= 1", ("{meshY: -12}", "-12}"))

# ---------------------------------------------------------------- names: UTF-8 and control characters
for index, (raw, error, what) in enumerate([
        (b"shared_\xff", "invalid UTF-8 byte 0xFF", "a stray 0xFF byte"),
        (b"shared_\xc0\xaf", "invalid UTF-8 byte 0xC0", "an overlong encoding"),
        (b"shared_\xed\xa0\x80", "invalid UTF-8 byte 0xED", "a UTF-16 surrogate"),
        (b"shared_\xe2\x82", "invalid UTF-8 byte 0xE2", "a truncated 3-byte sequence"),
        (b"shared_\xf8\x88\x80\x80\x80", "invalid UTF-8 byte 0xF8", "a 5-byte sequence"),
        (b'"shared\\tglb"', "a control character", "an escaped tab"),
        (b'"shared\\nglb"', "a control character", "an escaped line break"),
        (b'"shared\\0glb"', "a control character", "an escaped NUL"),
        (b'"shared\\x1bglb"', "a control character", "an escaped ESC"),
]):
    case("name_%02d" % index, "the global buffer's name holds %s" % what,
         {"arch": [(b"name: shared_glb", b"name: " + raw)]}, error, value(b"name: " + raw))
case("name_raw_control", "a raw 0x01 byte in a name", {"arch": [(b"name: shared_glb", b"name: shared\x01glb")]},
     "a control character (0x01)", b"\x01")
case("name_raw_nul", "a raw NUL byte in the file", {"arch": [(b"name: shared_glb", b"name: shared\x00glb")]},
     "a control character (0x00)", b"\x00")
case("key_invalid_utf8", "an attribute key that is not UTF-8",
     {"arch": [(b"      n_banks: 32\n", b"      n_banks: 32\n      \xc3\x28: 1\n")]}, "invalid UTF-8 byte 0xC3",
     b"\xc3\x28: 1")
case("dimension_invalid_utf8", "a dimension name that is not UTF-8",
     {"problem": [(b"dimensions: [C, M, R, S, N, P, Q]", b"dimensions: [C, M, R, S, N, P, \xfeQ]")]},
     "invalid UTF-8 byte 0xFE", b"\xfeQ]")
case("data_space_control", "a data space name with an escaped bell",
     {"problem": [(b"- name: Weights", b'- name: "Wei\\aghts"')]}, "a control character", b'"Wei\\aghts"')

# ---------------------------------------------------------------- documents
case("second_document", "a second YAML document after the ERT", {"ert": []}, "a second YAML document",
     "---\narchitecture_constraints", extra="---\narchitecture_constraints: {}\n")
case("second_document_empty", "an empty second document", {"ert": []}, "a second YAML document", "---\n",
     extra="---\n")
case("second_document_after_end", "content after a document end marker", {"ert": []}, "a second YAML document",
     "cyclops: {seed: 2}", extra="...\ncyclops: {seed: 2}\n")
case("second_document_inline", "a second document starting on its marker line", {"ert": []},
     "a second YAML document", "--- {cyclops: {seed: 2}}", extra="--- {cyclops: {seed: 2}}\n")

# ---------------------------------------------------------------- YAML syntax
case("syntax_flow_map", "an unclosed flow map",
     {"problem": [(INSTANCE, INSTANCE[:-1])]}, "YAML syntax error", "any")
case("syntax_tab_indent", "a tab used for indentation",
     {"mapping": [("- target: DRAM\n  type: temporal", "- target: DRAM\n\ttype: temporal")]}, "YAML syntax error", "any")
case("syntax_unterminated_quote", "an unterminated quoted string",
     {"arch": [('technology: "32nm"', 'technology: "32nm')]}, "YAML syntax error", "any")
case("syntax_undefined_alias", "an alias to an anchor never defined",
     {"problem": [("instance: {C: 16,", "instance: {C: *missing,")]}, "YAML syntax error", "any")
case("syntax_duplicate_key", "a key given twice in one map",
     {"mapping": [("- target: DRAM\n  type: temporal", "- target: DRAM\n  target: DRAM\n  type: temporal")]},
     "appears twice", "target: DRAM\n  type: temporal")
case("syntax_list_key", "a map key that is a list", {"problem": [("    name: CNN_Layer", "    [name]: CNN_Layer")]},
     "a map key must be a plain name", "[name]")
ARCH = FILES["arch"].decode()
case("truncated", "the architecture cut off in the middle of a component",
     {"arch": [(ARCH[ARCH.index("    - !Component\n      name: weights_spad"):],
                "    - !Component\n      name: weights_spad\n      cla")]}, "", "any")

# ---------------------------------------------------------------- the problem: bounds and coefficients
for index, (changed, error, at) in enumerate([
        ("P: 9223372036854775807", "the operation count (product of all bounds) exceeds 2^63 at dimension P",
         "9223372036854775807"),
        ("N: 2147483648, P: 2147483648", "the operation count (product of all bounds) exceeds 2^63 at dimension P",
         ("P: 2147483648", "2147483648")),
        ("Q: 4611686018427387904", "the operation count (product of all bounds) exceeds 2^63 at dimension Q",
         "4611686018427387904"),
        ("C: 4294967296, M: 4294967296", "the operation count (product of all bounds) exceeds 2^63 at dimension M",
         ("M: 4294967296", "4294967296")),
        ("Q: 14, Wstride: 4611686018427387904", "the extent of Inputs[R+P] exceeds 2^63 at dimension P",
         ("P: 14", "14")),
        ("Q: 14, Hdilation: 9223372036854775807", "the extent of Inputs[S+Q] exceeds 2^63 at dimension S",
         ("S: 3", "3")),
        ("Q: 14, Wstride: -1", "expected an integer >= 0", ("Wstride: -1", "-1")),
        ("P: 0", "expected an integer >= 1", ("P: 0", "0")),
        ("P: -14", "expected an integer >= 1", "-14"),
        ("P: 14.5", "expected an integer", "14.5"),
        ("P: nan", "expected an integer", "nan"),
        ("P: 1e19", "expected an integer", "1e19"),
        ("P: 9223372036854775808", "expected an integer", "9223372036854775808"),
        ("P: [14]", "expected an integer", "[14]"),
]):
    bounds = dict(part.split(": ") for part in INSTANCE[len("instance: {"):-1].split(", "))
    extra_keys = {}
    for part in changed.split(", "):
        key, text = part.split(": ")
        (bounds if key in bounds else extra_keys)[key] = text
    bounds.update(extra_keys)
    line = "instance: {" + ", ".join("%s: %s" % item for item in bounds.items()) + "}"
    case("bounds_%02d" % index, "problem instance " + changed, {"problem": [(INSTANCE, line)]}, error, at)
case("coefficient_default_overflow", "a stride default that overflows the Inputs extent",
     {"problem": [("- {name: Wstride, default: 1}", "- {name: Wstride, default: 9223372036854775807}")]},
     "the extent of Inputs[R+P] exceeds 2^63 at dimension P", ("P: 14", "14"))
case("coefficient_default_negative", "a negative dilation default",
     {"problem": [("- {name: Hdilation, default: 1}", "- {name: Hdilation, default: -2}")]}, "expected an integer >= 0",
     ("default: -2", "-2"))
# A density below 1 is Sparseloop's sparse model (analyze, map and run use it); one outside [0, 1] is refused
# by every command at the density.
for index, (text, error, command) in enumerate([
        ("nan", "expected a finite number", "analyze"),
        ("1.5", "a density must be between 0 and 1", "run"),
        ("2", "a density must be between 0 and 1", "analyze"), ("-1", "a density must be between 0 and 1", "analyze"),
        ("inf", "expected a finite number", "analyze")]):
    case("density_%02d" % index, "Weights density %s" % text,
         {"problem": [(INSTANCE, INSTANCE[:-1] + ", densities: {Weights: %s}}" % text)]}, error,
         value("Weights: " + text), command=command)

# ---------------------------------------------------------------- the mapping
MAPPING_NODE = "- target: DRAM"  # errors about the whole mapping point at its first directive
for index, (new, error, at) in enumerate([
        ("C=4294967296 M=1 R=1 S=1 N=1 P=1 Q=1", "multiply to more than 2^63", MAPPING_NODE),
        ("C=0 M=1 R=1 S=1 N=1 P=1 Q=1", "factor of C", None),
        ("C=-4 M=1 R=1 S=1 N=1 P=1 Q=1", "factor of C", None),
        ("C=nan M=1 R=1 S=1 N=1 P=1 Q=1", "factor of C", None),
        ("C=1e30 M=1 R=1 S=1 N=1 P=1 Q=1", "factor of C", None),
        ("C=99999999999999999999 M=1 R=1 S=1 N=1 P=1 Q=1", "factor of C", None),
        ("C=1 M=1 R=1 S=1 N=1 P=1 Q=1 <0xFF>=2", "invalid UTF-8 byte 0xFF", None),
]):
    changes = [(DRAM_FACTORS, "factors: " + new)]
    if index == 0:  # 2^32 here and 2^32 at the global buffer: 2^64, which wraps to 0 in 64 bits
        changes.append(("factors: C=4 M=1 R=1 S=1 N=1 P=14 Q=1", "factors: C=4294967296 M=1 R=1 S=1 N=1 P=14 Q=1"))
    case("factors_%02d" % index, "DRAM factors " + new, {"mapping": changes}, error, at or value("factors: " + new))
case("spatial_factors_huge", "spatial factors M=2^32 S=2^32 under the PE container",
     {"mapping": [("factors: M=4 S=3", "factors: M=4294967296 S=4294967296")]}, "factors of dimension M multiply to",
     MAPPING_NODE)
case("split_huge", "a spatial split of 1e30", {"mapping": [("  split: 0", "  split: 1e30")]}, "expected an integer",
     value("split: 1e30"))
case("target_invalid_utf8", "a mapping target that is not UTF-8",
     {"mapping": [(b"- target: psum_spad\n  type: temporal", b"- target: psum_\xe9spad\n  type: temporal")]},
     "invalid UTF-8 byte 0xE9", value(b"target: psum_\xe9spad"))

# ---------------------------------------------------------------- the energy table
for index, (old, new, error, at) in enumerate([
        ("system_top_level.DRAM[1..1]", "system_top_level.DARM[1..1]", "did you mean 'DRAM'", None),
        ("system_top_level.psum_spad[1..168]", "system_top_level.psum_spd[1..168]", "did you mean 'psum_spad'", None),
        ("system_top_level.mac[1..168]", "system_top_level.MAC[1..168]", "did you mean 'mac'", None),
        ("system_top_level.DRAM[1..1]", "system_top_level.HBM[1..1]", "matches no component", None),
        ("          - name: read\n", "          - name: raed\n", "did you mean 'read'", None),
        ("          - name: write\n", "          - name: wirte\n", "did you mean 'write'", None),
        ("          - name: update\n", "          - name: jump\n", "is not an action Cyclops counts", None),
        ("energy: 512.0", "energy: NaN", "expected a finite number", None),
        ("energy: 512.0", "energy: nan", "expected a finite number", None),
        ("energy: 512.0", "energy: -512", "below 0", None),
        ("energy: 512.0", "energy: inf", "expected a finite number", None),
        ("energy: 512.0", "energy: 1e20", "above 1e+12", None),
        ("energy: 512.0", "energy: lots", "expected a number", None),
        ("system_top_level.DRAM[1..1]", b"system_top_level.DR\xe0M[1..1]", "invalid UTF-8 byte 0xE0", None),
        ("          - name: read\n", '          - name: "re\\tad"\n', "a control character", None),
]):
    new = b(new)
    token = new.strip()
    case("ert_%02d" % index, "ERT: %s" % token.decode("utf-8", "replace"), {"ert": [(b(old), new)]}, error,
         value(token) if token.startswith((b"- name: ", b"energy: ")) else token)

# ---------------------------------------------------------------- Cyclops settings
for index, (setting, error) in enumerate([
        ("clock_hz: nan", "expected a finite number"), ("clock_hz: 0", "below 0.001"),
        ("clock_hz: 1e30", "above 1e+15"), ("clock_hz: -inf", "expected a finite number"),
        ("psum_bits: 65", "psum_bits above 64"), ("seed: -1", "expected an integer >= 0"),
        ("seed: 1e30", "expected an integer")]):
    case("cyclops_%02d" % index, "cyclops: {%s}" % setting, {"ert": []}, error, value(setting),
         extra="cyclops: {%s}\n" % setting)

case("cyclops_psum_bits_narrowing", "psum_bits 2^31 (narrowed to int, it passed the <= 64 check)", {"ert": []},
     "psum_bits above 64", value("psum_bits: 2147483648"), extra="cyclops: {psum_bits: 2147483648}\n")

# ---------------------------------------------------------------- analysis and simulation limits
case("run_banks_too_many", "2^31 banks in the global buffer: 32 GB of bank state (the run was killed by the OOM killer)",
     {"arch": [("      n_banks: 32\n", "      n_banks: 2147483648\n")]}, "would need about 32.",
     ("version: 0.4\n  nodes", "version"), command="run --max-memory 8G")
case("fanout_too_wide", "a 2^40-PE array and a mapping that fans out over all of it",
     {"arch": [("spatial: {meshX: 14}", "spatial: {meshX: 1099511627776}")],
      "problem": [(INSTANCE, INSTANCE.replace("Q: 14}", "Q: 1099511627776}"))],
      "mapping": [("factors: Q=14", "factors: Q=1099511627776"),
                  # nothing kept in the global buffer, so its capacity is not what stops the mapping first
                  ("keep: [Inputs, Outputs]\n  bypass: [Weights]", "keep: []\n  bypass: [Weights, Inputs, Outputs]")]},
     "fan out to 1099511627776 children", ("- target: PE_column", "target: PE_column"))
case("cycles_overflow", "a DRAM read bandwidth of 1e-6 values per cycle for 1.6e14 weights: over 2^63 cycles",
     {"arch": [("      width: 64\n      datawidth: 8\n", "      width: 64\n      datawidth: 8\n      read_bandwidth: 1e-6\n")],
      "problem": [(INSTANCE, "instance: {C: 4194304, M: 4194304, R: 3, S: 3, N: 1, P: 14, Q: 14}")],
      "mapping": [(DRAM_FACTORS, "factors: C=262144 M=131072 R=1 S=1 N=1 P=1 Q=1")]},
     "needs more than 2^63 cycles", ("!Component\n    name: DRAM", "!Component"))
PROBLEM_NODE = ("version: 0.4\n  shape", "version")  # errors about the workload point at the problem's first key
case("run_too_many_macs", "a layer of 4.7e11 MACs, above the default --max-macs",
     {"problem": [(INSTANCE, "instance: {C: 1024, M: 1024, R: 3, S: 3, N: 256, P: 14, Q: 14}")],
      "mapping": [(DRAM_FACTORS, "factors: C=64 M=32 R=1 S=1 N=256 P=1 Q=1")]},
     "above --max-macs", PROBLEM_NODE, command="run --max-memory 1T")
case("run_tensors_too_large", "tensors of 2^40 x 9 weights (79 TB): above the default --max-memory",
     {"problem": [(INSTANCE, "instance: {C: 1048576, M: 1048576, R: 3, S: 3, N: 1, P: 14, Q: 14}")],
      "mapping": [(DRAM_FACTORS, "factors: C=65536 M=32768 R=1 S=1 N=1 P=1 Q=1")]},
     "of memory", PROBLEM_NODE, command="run")
case("run_max_memory", "the example's architecture under --max-memory 1M, refused before mapping",
     {"arch": []}, "elaborating this architecture (168 PEs) would need about", ("version: 0.4\n  nodes", "version"),
     command="run --max-memory 1M")
case("run_max_macs", "the example under --max-macs 1000", {"problem": []}, "above --max-macs 1e+03", PROBLEM_NODE,
     command="run --max-macs 1000")


# ---------------------------------------------------------------- networks (configs/workloads/networks/tiny.yaml)
TINY = open(os.path.join(ROOT, "configs/workloads/networks/tiny.yaml"), "rb").read()
NETWORK_COMMAND = "network --list --arch configs/workloads/synthetic/small_array.yaml"
NETWORK_CASES = []
for index, (old, new, error, token) in enumerate([
        ("{name: relu6_2, op: clip, min: 0, max: 96}", "{name: relu6_2, op: clip, min: nan, max: 96}",
         "expected an integer", "nan"),
        ("{name: relu6_2, op: clip, min: 0, max: 96}", "{name: relu6_2, op: clip, min: 0, max: .nan}",
         "expected an integer", ".nan"),
        ("{name: pool1, op: maxpool, kernel: 2, stride: 2}", "{name: pool1, op: maxpool, kernel: 2, stride: 0}",
         "expected an integer >= 1", "0}"),
        ("{name: pool1, op: maxpool, kernel: 2, stride: 2}", "{name: pool1, op: maxpool, kernel: 0, stride: 2}",
         "expected an integer >= 1", "0, stride"),
        ("P: 8, Q: 8}, pad: 1}", "P: 8, Q: 8}, pad: -1}", "expected an integer >= 0", "-1}"),
        ("P: 8, Q: 8}, pad: 1}", "P: 8, Q: 8}, pad: 1e30}", "expected an integer", "1e30}"),
        ("{G: 1, C: 4, M: 8, R: 3, S: 3, P: 8, Q: 8}", "{G: 1, C: 4, M: 8, R: 3, S: 3, P: 8, Q: 9223372036854775807}",
         "Q = 9223372036854775807 (valid: 1 to 2^31)", None),
]):
    NETWORK_CASES.append(("network_%02d" % index, old, new, error, token))


def network_case(name, old, new, error, token):
    body = TINY.replace(old.encode(), new.encode(), 1)
    assert body != TINY, name
    header = ["# robustness case: tiny network: " + new, "# command: " + NETWORK_COMMAND, "# with:",
              "# at: ?", "# error: " + error]
    head = ("\n".join(header) + "\n").encode()
    text = head + body
    if token is None:
        position = "any"
    else:
        offset = len(head) + body.index(new.encode()) + new.encode().index(token.encode())
        line = text[:offset].count(b"\n") + 1
        position = "%d:%d" % (line, offset - text[:offset].rfind(b"\n"))
    return text.replace(b"# at: ?", b"# at: " + position.encode())


def main():
    folder = os.path.join(HERE, "cases")
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".yaml") and not name.startswith(("fuzz_", "hand_")):
            os.remove(os.path.join(folder, name))
    for spec in CASES:
        with open(os.path.join(folder, spec["name"] + ".yaml"), "wb") as file:
            file.write(build(spec))
    for name, old, new, error, token in NETWORK_CASES:
        with open(os.path.join(folder, name + ".yaml"), "wb") as file:
            file.write(network_case(name, old, new, error, token))
    print("%d cases in %s" % (len(CASES) + len(NETWORK_CASES), folder))


if __name__ == "__main__":
    main()
