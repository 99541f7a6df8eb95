"""The whole-network studies of scripts/reproduce_eyeriss, end to end with `cyclops network`.

The HM-NoC alone on the paper's own workload: MobileNet width 0.5 at 128 x 128, dense, on the SIMD-2 chip
(configs/arch/eyeriss_v2_simd2.yaml) against the same chip with v1's flat buses
(eyeriss_v2_simd2_flat_noc.yaml).

The sparse study: the sparse presets (configs/arch/eyeriss_v1_sparse.yaml: zero gating on iacts, RLC feature maps in DRAM;
eyeriss_v2_sparse.yaml: CSC PEs that skip zero iacts and weights, SIMD-2), weights magnitude-pruned
(`--prune`), activations carrying the zeros their ReLUs leave; then v2's DRAM: the throughput the paper's
25.6 GB/s DRAM costs (one 64-bit DDR4-3200 channel through the DRAM timing model, configs/arch/dram/) and sparse
AlexNet's conv-layer DRAM traffic. Every figure comes from a run's network.json (and its layers' summary.json).

The paper's figures are the chip's: its cycles are the accelerator's (compute + on-chip stalls), not the
SoC's DMA and host work around each layer, which `cyclops network` adds in its own totals.
"""
import json
import os

CLOCK_HZ = 200e6
PRUNE = 0.5  # the density the weights keep: the papers' pruned models' densities are not in eyeriss.md
PES = {"v1": 168, "v2": 192}
PRESETS = {"v1": ("eyeriss_v1_sparse.yaml", "eyeriss_v1_32nm_pj.yaml"),
           "v2": ("eyeriss_v2_sparse.yaml", "eyeriss_v2_32nm_pj.yaml")}
NETWORKS = {"MobileNet": "mobilenet_v1_0.5_128.yaml", "AlexNet": "alexnet.yaml"}
REDUCED = {"tiny": "tiny.yaml"}  # --reduced: the tiny network, to check the study end to end
PAPER = {  # eyeriss.md, "Eyeriss v2"
    ("MobileNet", "inferences/s"): 1470.6, ("MobileNet", "inferences/J"): 2560.3,
    ("AlexNet", "speed"): 42.5, ("AlexNet", "energy"): 11.3,
    ("MobileNet", "speed"): 12.6, ("MobileNet", "energy"): 2.5,
    ("AlexNet", "DRAM limit cost"): 0.16, ("MobileNet", "DRAM limit cost"): 0.24,
    ("AlexNet", "conv DRAM MB"): 4.6,
}
# The paper's 25.6 GB/s DRAM: one 64-bit DDR4-3200 channel (3200 MT/s x 8 B) through the DRAM timing model
# (banks, row buffers, refresh), merged with the preset as `cyclops run` merges it.
DRAM_LIMIT = ("dram", "ddr4_3200.yaml")


def run_network(cy, root, network, version, dram_limit=False):
    """One sparse `cyclops network` run of `version`'s preset, weights pruned to PRUNE (with the paper's 25.6 GB/s
    DRAM when `dram_limit`, else the preset's unlimited DRAM bandwidth)."""
    arch, energy = PRESETS[version]
    extra = ["--prune", str(PRUNE)]
    if dram_limit:
        extra += ["--arch", os.path.join(root, "configs", "arch", *DRAM_LIMIT)]
    tag = "sparse_%s_%s%s" % (os.path.splitext(network)[0], version, "_ddr4_3200" if dram_limit else "")
    return network_totals(cy, root, network, arch, energy, tag, extra)


def network_totals(cy, root, network, arch, energy, tag, extra=()):
    """One `cyclops network` run (kept in WORK/tag for --reuse): the totals the figures need, or {'error': ...}."""
    out = os.path.join(cy.work, tag)
    path = os.path.join(out, "network.json")
    if not (cy.reuse and os.path.exists(path)):
        status, text = cy.call(["network", os.path.join(root, "configs", "workloads", "networks", network),
                                "--arch", os.path.join(root, "configs", "arch", arch),
                                "--arch", os.path.join(root, "configs", "energy", energy)] + list(extra) +
                               ["--out", out, "--no-progress"], timeout=7200)
        if status != 0:
            return {"error": text.strip().splitlines()[-1] if text.strip() else "exit %d" % status}
    with open(path) as f:
        report = json.load(f)
    totals = report["totals"]
    cycles = totals["accelerator_compute"] + totals["on_chip_stalls"]
    conv = [layer for layer in report["layers"] if layer["op"] == "conv" and "dram_bytes" in layer]
    weighted, macs = 0.0, 0
    for layer in report["layers"]:
        if "sparse" in layer:
            weighted += layer["sparse"]["densities"].get("Inputs", 1.0) * layer["macs"]
            macs += layer["macs"]
    sparse = totals.get("sparse_macs", {})
    levels = totals["energy_pj_by_level"]
    # The NoC's energy (value-hops x the table's noc.hop; 0 where the table has none) beside the levels'.
    noc = totals["noc"]["energy_pj"]
    energy = totals["energy_pj"] + noc
    return {"cycles": cycles, "stalls": totals["on_chip_stalls"], "energy_pj": energy,
            "noc_share": noc / energy if energy else 0.0, "macs": totals["macs"],
            "actual_macs": sparse.get("actual", totals["macs"]),
            "iact_density": weighted / macs if macs else 1.0,
            "bit_exact": report.get("output_matches_reference", False),
            "mac_instances": report["mac_instances"],
            "dram_bytes": totals["dram_bytes"],
            "conv_cycles": sum(layer["cycles"]["accelerator_compute"] + layer["cycles"]["on_chip_stalls"]
                               for layer in conv),
            "conv_dram_bytes": sum(layer["dram_bytes"] for layer in conv),
            "conv_layers": conv, "out": out,
            "dram_share": levels.get("DRAM", 0.0) / energy if energy else 0.0}


def weight_fetches(out, conv):
    """How many times the conv layers read each weight from DRAM, weighted by their weights: the weights' DRAM
    reads (every value, zeros too) from each layer's summary.json over its weights (MACs / output points);
    None when a summary is missing."""
    reads = weights = 0
    for layer in conv:
        path = os.path.join(out, "layers", layer.get("cache_key", ""), "summary.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            summary = json.load(f)
        dram = summary["storage_levels"][0]  # outermost first
        reads += dram["data_spaces"].get("Weights", {}).get("simulated", {}).get("reads", 0)
        outputs = 1
        for extent in layer["output_shape"]:
            outputs *= extent
        weights += layer["macs"] * layer["output_shape"][1] / outputs  # MACs / (N P Q): M C R S
    return reads / weights if weights else None


def label_and_key(net):
    """A study network's name in the rows, and its key in PAPER (the reduced run's tiny network stands in for
    MobileNet)."""
    return ("MobileNet (0.5, 128 x 128)" if net == "MobileNet" else net), (net if net in NETWORKS else "MobileNet")


def busy(r):
    """MACs done per cycle against the MAC units there are, as text."""
    return "%.1f of %d" % (r["actual_macs"] / r["cycles"], r["mac_instances"]) if r["cycles"] else "n/a"


def study_sparse(cy, root, reduced, Table, fmt, ratio):
    """The sparse v2 MobileNet figures and v2-over-v1 ratios: (figures table, per-run table, first error)."""
    table = Table("sparse")
    detail = Table("sparse runs", ("network", "chip", "PEs", "accelerator cycles", "energy uJ (32 nm pJ table)",
                                   "MACs", "MACs done", "iact density (MAC-weighted)", "output"))
    nets = REDUCED if reduced else NETWORKS
    runs, error = {}, None
    for net, file in nets.items():
        for version in ("v1", "v2"):
            runs[(net, version)] = r = run_network(cy, root, file, version)
            if "error" in r:
                error = error or "%s on %s: %s" % (net, version, r["error"])
                continue
            detail.rows.append([net, version, str(PES[version]), fmt(r["cycles"]), fmt(r["energy_pj"] / 1e6),
                                fmt(r["macs"]), fmt(r["actual_macs"]), fmt(r["iact_density"]),
                                "bit-exact" if r["bit_exact"] else "DIFFERS"])
    densities = ("weights magnitude-pruned to %.2f (--prune; an assumption, the paper's pruned models' densities "
                 "are not known here), iact zeros as the ReLUs leave them, measured in the flowing data" % PRUNE)
    mobilenet = "tiny" if reduced else "MobileNet"
    v2 = runs.get((mobilenet, "v2"), {"error": "not run"})
    if "error" not in v2:
        seconds = v2["cycles"] / CLOCK_HZ
        ours = 1 / seconds
        table.add("Sparse MobileNet (0.5, 128 x 128), v2: inferences/s", "1470.6", ours,
                  ratio(ours, PAPER[("MobileNet", "inferences/s")]), "simulated",
                  "Accelerator cycles only (the SoC's DMA and host work excluded); %s; v2's CSC PEs at their "
                  "spad sizes, SIMD-2, the HM-NoC, a mapper's mapping per layer." % densities)
        ours = 1e12 / v2["energy_pj"]
        table.add("Sparse MobileNet (0.5, 128 x 128), v2: inferences/J", "2560.3", ours,
                  ratio(ours, PAPER[("MobileNet", "inferences/J")]), "simulated",
                  "Energy from the 32 nm per-access estimates of configs/energy/eyeriss_v2_32nm_pj.yaml (not the "
                  "chip's 65 nm silicon), no static or clock energy, DRAM included; %s." % densities)
    for net in nets:
        a, b = runs[(net, "v1")], runs[(net, "v2")]
        if "error" in a or "error" in b:
            continue
        label, key = label_and_key(net)
        speed, energy = a["cycles"] / b["cycles"], a["energy_pj"] / b["energy_pj"]
        why = ("v1 runs its 168 PEs (the paper scales v1 to v2's 192 PEs and storage: a linear scaling would "
               "divide this ratio by %.2f); %s." % (PES["v2"] / PES["v1"], densities))
        table.add("Sparse %s, v2 over v1: speed" % label, "%sx" % PAPER[(key, "speed")], speed,
                  ratio(speed, PAPER[(key, "speed")]), "simulated",
                  "MACs done per cycle: v1 %s (a gated MAC still takes its cycle), v2 %s (a skipped one takes "
                  "none). %s" % (busy(a), busy(b), why))
        table.add("Sparse %s, v2 over v1: energy efficiency" % label, "%sx" % PAPER[(key, "energy")], energy,
                  ratio(energy, PAPER[(key, "energy")]), "simulated",
                  "DRAM is %.0f%% of v1's energy and %.0f%% of v2's (every weight fetched from DRAM, FC layers "
                  "included); v1 priced by its 16-bit, v2 by its 8-bit 32 nm tables; no static or clock energy. %s"
                  % (100 * a["dram_share"], 100 * b["dram_share"], why))
    error = error or study_dram(cy, root, nets, runs, reduced, table, fmt, ratio)
    error = error or study_v1_chip(cy, root, reduced, table, fmt, ratio)
    return table, detail, error


V1_BATCH = 4  # the JSSC paper's AlexNet batch


def study_v1_chip(cy, root, reduced, table, fmt, ratio):
    """Eyeriss v1's AlexNet figures as the chip ran them: conv layers at batch 4 on real data (ReLU zeros gating
    the MACs, feature maps run-length compressed in DRAM; the weights as drawn, not pruned), end to end. Adds the
    frames/s and DRAM MB per batch rows to `table`; the error or None."""
    network, batch = (REDUCED["tiny"], 2) if reduced else (NETWORKS["AlexNet"], V1_BATCH)
    name = "tiny" if reduced else "AlexNet"
    arch, energy = PRESETS["v1"]
    r = network_totals(cy, root, network, arch, energy, "v1_chip_%s_batch%d" % (name.lower(), batch),
                       ["--batch", str(batch)])
    label = "Eyeriss v1, %s conv layers at batch %d, ReLU zeros gated and RLC in DRAM" % (name, batch)
    if "error" in r:
        table.add("%s: frames/s" % label, "34.7", "not available", None, "simulated", "not available: " + r["error"])
        return "%s on v1 at batch %d: %s" % (name, batch, r["error"])
    how = ("`cyclops network` at --batch %d on eyeriss_v1_sparse.yaml, a mapper's mapping per layer (EDP), weights "
           "as drawn (not pruned), iact density %s (MAC-weighted, measured in the flowing data), output %s" % (
               batch, fmt(r["iact_density"]), "bit-exact" if r["bit_exact"] else "NOT bit-exact"))
    fps = batch * CLOCK_HZ / r["conv_cycles"] if r["conv_cycles"] else 0.0
    table.add("%s: frames/s" % label, "34.7", fps, ratio(fps, 34.7), "simulated",
              "Accelerator cycles of the conv layers (compute + on-chip stalls, the v1 buses' included): %s for %d "
              "frames; %s." % (fmt(r["conv_cycles"]), batch, how))
    mb = r["conv_dram_bytes"] / 1e6
    table.add("%s: DRAM MB per batch" % label, "15.4", mb, ratio(mb, 15.4), "simulated",
              "The conv layers' DRAM words at 16 bits, feature maps run-length compressed (5-bit run, 16-bit level) "
              "as the chip stores them, weights uncompressed; %s." % how)
    return None


def study_dram(cy, root, nets, runs, reduced, table, fmt, ratio):
    """v2's DRAM rows: the throughput a 25.6 GB/s DRAM costs each sparse network, and sparse AlexNet's conv-layer
    DRAM traffic. Adds them to `table`; the first error or None."""
    error = None
    for net, file in nets.items():
        v2 = runs[(net, "v2")]
        if "error" in v2:
            continue
        label, key = label_and_key(net)
        quantity = "Sparse %s, v2: fraction of throughput lost to a 25.6 GB/s DRAM" % label
        paper = PAPER[(key, "DRAM limit cost")]
        limited = run_network(cy, root, file, "v2", dram_limit=True)
        if "error" in limited:
            error = error or "%s on v2 with DDR4-3200: %s" % (net, limited["error"])
            table.add(quantity, fmt(paper), "not available", None, "simulated", "not available: " + limited["error"])
            continue
        cost = 1 - v2["cycles"] / limited["cycles"]
        conv_cost = 1 - v2["conv_cycles"] / limited["conv_cycles"] if limited["conv_cycles"] else 0.0
        table.add(quantity, fmt(paper), cost, ratio(cost, paper), "simulated",
                  "Accelerator cycles with one 64-bit DDR4-3200 channel (25.6 GB/s; configs/arch/dram/%s: banks, "
                  "row buffers, refresh) %s against %s with the preset's unlimited DRAM bandwidth (the conv layers "
                  "alone lose %.1f%%); %s MB moved (compressed words and their metadata words)." % (
                      DRAM_LIMIT[1], fmt(limited["cycles"]), fmt(v2["cycles"]), 100 * conv_cost,
                      fmt(v2["dram_bytes"] / 1e6)))
    alexnet = "tiny" if reduced else "AlexNet"
    v2 = runs.get((alexnet, "v2"), {"error": "not run"})
    if "error" not in v2:
        mb, paper = v2["conv_dram_bytes"] / 1e6, PAPER[("AlexNet", "conv DRAM MB")]
        fetches = weight_fetches(v2["out"], v2["conv_layers"])
        table.add("Sparse %s, v2: conv-layer DRAM traffic (MB)" % alexnet, fmt(paper), mb, ratio(mb, paper),
                  "simulated",
                  "Each conv weight is read from DRAM %sx on average: v2 keeps no weights on chip above the PE "
                  "spads, so a weight comes from DRAM once per pass of the loops its mapping puts above the spad "
                  "(each layer's mapping the mapper's choice for EDP, DRAM energy included). Compressed data "
                  "moves as its words plus its metadata words, each counted as a DRAM word."
                  % (fmt(fetches) if fetches else "n/a"))
    return error


HM_PRESETS = ("eyeriss_v2_simd2.yaml", "eyeriss_v2_simd2_flat_noc.yaml")  # HM-NoC, flat NoC
HM_ENERGY = "eyeriss_v2_65nm_relative.yaml"
HM_LABEL = "MobileNet (0.5, 128 x 128), dense, SIMD-2"


def study_hm_noc_network(cy, root, reduced, table, ratio):
    """The HM-NoC alone on the paper's workload: adds its throughput and energy rows to `table`; the error or None."""
    network = REDUCED["tiny"] if reduced else NETWORKS["MobileNet"]
    hm, flat = (network_totals(cy, root, network, arch, HM_ENERGY, "hm_network_%s" % os.path.splitext(arch)[0])
                for arch in HM_PRESETS)
    throughput = "%s throughput, HM-NoC over flat NoC" % HM_LABEL
    error = hm.get("error") or flat.get("error")
    if error:
        table.add(throughput, "5.6x", "not available", None, "simulated", "not available: " + error)
        return error
    outputs = "bit-exact" if hm["bit_exact"] and flat["bit_exact"] else "NOT bit-exact"
    speed = flat["cycles"] / hm["cycles"]
    table.add(throughput, "5.6x", speed, ratio(speed, 5.6), "simulated",
              "Accelerator cycles (compute + on-chip stalls; the SoC's DMA and host work excluded): HM-NoC %d, of "
              "which %d stalled, flat NoC %d, of which %d stalled; dense data (the CSC PE's skipping off, so the "
              "NoC alone differs), a mapper's mapping per layer on each NoC, real data through every layer, "
              "outputs %s." % (hm["cycles"], hm["stalls"], flat["cycles"], flat["stalls"], outputs))
    energy = flat["energy_pj"] / hm["energy_pj"]
    table.add("%s energy efficiency, HM-NoC over flat NoC" % HM_LABEL, "1.8x", energy, ratio(energy, 1.8),
              "simulated",
              "The runs' counts x the 65 nm relative table (%s), DRAM included (%.0f%% of the HM-NoC run's "
              "energy), and the NoC's value-hops x its noc.hop (%.1f%% of the HM-NoC run's energy, %.1f%% of the "
              "flat NoC's; the paper: 6-10%%): both NoCs deliver the same values, so only the hops and the "
              "mappings differ, and a stalled cycle costs nothing (the table has no static or clock energy), "
              "which is where a flat NoC's %.1fx longer run spends the paper's extra energy." % (
                  HM_ENERGY, 100 * hm["dram_share"], 100 * hm["noc_share"], 100 * flat["noc_share"], speed))
    return None
