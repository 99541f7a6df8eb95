#!/usr/bin/python3
"""Draws a network run (the network.json `cyclops network` writes) as a PNG: per layer, the latency split into
accelerator compute, on-chip stalls, vector unit, DMA and host (the accelerator's share is the first two), and
below it the accelerator's energy split by storage level; the totals and shares in the titles. Layers are
named short: ONNX paths such as /layer1/layer1.0/conv1/Conv become "layer1.0/conv1".
Debian's python3-matplotlib: run as scripts/plot_network.py (or /usr/bin/python3 scripts/plot_network.py).
Usage: scripts/plot_network.py OUT/network.json [--output FILE.png] [--skip-free]"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

PARTS = [("accelerator_compute", "accelerator compute", "#1f77b4"),
         ("on_chip_stalls", "on-chip stalls", "#ff7f0e"),
         ("vector_unit", "vector unit", "#2ca02c"),
         ("dma", "DMA", "#9467bd"),
         ("host", "host", "#8c564b")]
MAX_LABEL = 22


def short_name(name, op):
    """The specific end of a layer name, with its op: ONNX paths '/1/1.3/Conv' → '1.3 conv',
    '/layer1/layer1.0/conv1/Conv' → 'layer1.0/conv1', '/GlobalAveragePool' → 'global_avgpool'; plain names
    stay as they are."""
    if "/" in name:
        segments = [s for s in name.split("/") if s]
        if segments and segments[-1][:1].isupper() and segments[-1].isalpha():
            segments = segments[:-1]  # an ONNX op type (Conv, Gemm, GlobalAveragePool) ends the path: op says it
        # A segment that the next one extends ('layer1' before 'layer1.0') says nothing more.
        kept = [s for i, s in enumerate(segments) if i + 1 == len(segments) or not segments[i + 1].startswith(s)]
        text = "/".join(kept[-2:])
        if not text.split("/")[-1].lower().startswith(op.lower()):
            text = f"{text} {op}".strip()
    else:
        text = name
    if len(text) > MAX_LABEL:  # keep both ends: the block and the op
        text = text[: MAX_LABEL // 2 - 1] + "…" + text[-(MAX_LABEL // 2):]
    return text


def unique(labels):
    seen = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("network_json")
    parser.add_argument("--output", help="PNG path (default: beside the JSON, network.png)")
    parser.add_argument("--skip-free", action="store_true", help="leave out layers that cost nothing (views)")
    args = parser.parse_args()
    with open(args.network_json) as f:
        report = json.load(f)
    layers = [l for l in report["layers"] if not (args.skip_free and l["cycles"]["total"] == 0)]
    clock = report.get("clock_hz", 1.0)
    totals = report["totals"]
    figure, (latency, energy) = plt.subplots(2, 1, sharex=True, figsize=(max(9, 0.16 * len(layers) + 3), 7.5),
                                             height_ratios=[3, 2], layout="constrained")
    x = range(len(layers))
    seconds_per_unit, unit = (1e-3, "ms") if totals["seconds"] >= 1e-3 else (1e-6, "us")
    bottom = [0.0] * len(layers)
    for key, label, colour in PARTS:
        values = [l["cycles"][key] / clock / seconds_per_unit for l in layers]
        latency.bar(x, values, bottom=bottom, label=label, color=colour, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values)]
    macs = totals["macs"]
    work = f"{macs / 1e9:.3f} GMAC" if macs >= 1e9 else f"{macs / 1e6:.2f} MMAC" if macs >= 1e6 else f"{macs:,} MACs"
    share = lambda part: 100 * totals[part] / max(1, totals["cycles"])  # noqa: E731
    # Two lines, so that the title fits a figure as narrow as a small network's.
    latency.set_title(
        f"{report['network']} on {os.path.basename(report['architecture'].split(' + ')[0])}: "
        f"{totals['seconds'] / seconds_per_unit:,.2f} {unit} for {work}\n"
        f"the accelerator {100 * totals['accelerator_share']:.1f}% of the time (of which on-chip stalls "
        f"{share('on_chip_stalls'):.1f}%), vector unit {share('vector_unit'):.1f}%, DMA {share('dma'):.1f}%, "
        f"host {share('host'):.1f}%", fontsize=10)
    latency.set_ylabel(f"latency ({unit})")
    latency.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the bars, not over them
    latency.grid(axis="y", alpha=0.3)

    levels = [level for level, pj in totals["energy_pj_by_level"].items() if pj > 0]
    colours = plt.get_cmap("tab10")
    bottom = [0.0] * len(layers)
    for i, level in enumerate(levels):
        values = [l.get("energy_pj_by_level", {}).get(level, 0.0) / 1e6 for l in layers]  # uJ
        energy.bar(x, values, bottom=bottom, label=level, color=colours(i % 10), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values)]
    by_level = totals["energy_pj_by_level"]
    biggest = max(levels, key=lambda level: by_level[level]) if levels else "-"
    energy.set_title(f"accelerator energy {totals['energy_pj'] / 1e6:,.2f} uJ, "
                     f"{biggest} {100 * by_level.get(biggest, 0) / max(1.0, totals['energy_pj']):.0f}%\n"
                     "(the vector unit's, DMA's and host's energy is not modelled)", fontsize=10)
    energy.set_ylabel("energy (uJ)")
    energy.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    energy.grid(axis="y", alpha=0.3)
    energy.set_xticks(list(x))
    energy.set_xticklabels(unique([short_name(l["name"], l["op"]) for l in layers]), rotation=90,
                           fontsize=6 if len(layers) > 40 else 8)
    output = args.output or os.path.join(os.path.dirname(os.path.abspath(args.network_json)), "network.png")
    figure.savefig(output, dpi=110)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
