#!/usr/bin/python3
"""Draws a network run's per-layer latency breakdown as a PNG: one stacked bar per layer (accelerator compute,
on-chip stalls, vector unit, DMA, host), from the network.json `cyclops network` writes.
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
    fig, ax = plt.subplots(figsize=(max(8, 0.18 * len(layers) + 2), 5))
    x = range(len(layers))
    bottom = [0.0] * len(layers)
    for key, label, colour in PARTS:
        values = [1e3 * l["cycles"][key] / clock for l in layers]  # milliseconds
        ax.bar(x, values, bottom=bottom, label=label, color=colour, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values)]
    totals = report["totals"]
    ax.set_title(f"{report['network']}: {1e3 * totals['seconds']:.2f} ms, accelerator share "
                 f"{100 * totals['accelerator_share']:.1f}%, {totals['macs'] / 1e9:.3f} GMAC")
    ax.set_ylabel("latency (ms)")
    ax.set_xticks(list(x))
    ax.set_xticklabels([l["name"] for l in layers], rotation=90, fontsize=6 if len(layers) > 40 else 8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    output = args.output or os.path.join(os.path.dirname(os.path.abspath(args.network_json)), "network.png")
    fig.savefig(output, dpi=120)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
