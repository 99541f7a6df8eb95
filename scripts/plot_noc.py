#!/usr/bin/python3
"""Draws the on-chip network's link utilisation from `cyclops run --out DIR` (DIR/noc.json) into a PNG.

Left: the topology, every link coloured by its utilisation (busy cycles / simulated cycles); PEs sit at their
mesh position, every other node at the mean position of the nodes it links to. Right: a heatmap over the PE
array of the busiest link into each PE, per data type the network carries. Matplotlib from Debian's
python3-matplotlib (scripts/setup installs it).

    scripts/plot_noc.py DIR/noc.json [-o noc.png]
"""
import argparse
import json
import sys

import matplotlib

matplotlib.use("Agg")  # files only: no display on a build machine
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402


def pe_positions(noc):
    """Mesh (x, y) of every PE node: cluster position × cluster size + position inside the cluster."""
    width, height = noc["pe_columns_per_cluster"], noc["pe_rows_per_cluster"]
    positions = {}
    for node in noc["nodes"]:
        if node["kind"] == "pe":
            (cx, cy), (lx, ly) = node["cluster"], node["local"]
            positions[node["id"]] = (max(cx, 0) * width + lx, max(cy, 0) * height + ly)
    return positions


def place_nodes(noc, positions):
    """Non-PE nodes at the mean of their placed neighbours, repeated so chains of routers settle."""
    neighbours = {node["id"]: set() for node in noc["nodes"]}
    for link in noc["links"]:
        neighbours[link["from"]].add(link["to"])
        neighbours[link["to"]].add(link["from"])
    placed = dict(positions)
    for _ in range(6):
        for node in noc["nodes"]:
            if node["kind"] == "pe":
                continue
            around = [placed[n] for n in neighbours[node["id"]] if n in placed]
            if around:
                x = sum(p[0] for p in around) / len(around)
                y = sum(p[1] for p in around) / len(around)
                # Off-chip ports and GLBs sit above the array so their fan-out stays visible.
                lift = {"offchip_port": 3.0, "glb_bank": 1.5, "bus": 0.8, "router": 0.8}.get(node["kind"], 0.0)
                placed[node["id"]] = (x, y - lift if node["kind"] != "offchip_port" else -lift)
    return placed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("noc_json", help="noc.json written by `cyclops run --out DIR`")
    parser.add_argument("-o", "--output", default="noc.png", help="PNG to write (default noc.png)")
    args = parser.parse_args()
    with open(args.noc_json) as file:
        noc = json.load(file)

    positions = pe_positions(noc)
    placed = place_nodes(noc, positions)
    used = [link for link in noc["links"] if link["values"] > 0]
    types = sorted({t for link in noc["links"] for t in link["data_types"].split(",")})

    figure, axes = plt.subplots(1, 1 + len(types), figsize=(6 + 4 * len(types), 6))
    graph = axes[0]
    segments, colours = [], []
    for link in used:
        if link["from"] in placed and link["to"] in placed:
            segments.append([placed[link["from"]], placed[link["to"]]])
            colours.append(link["utilisation"])
    lines = LineCollection(segments, cmap="inferno_r", linewidths=1.2)
    lines.set_array(colours)
    lines.set_clim(0, max([1.0] + colours))
    graph.add_collection(lines)
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    graph.scatter([positions[n][0] for n in positions], [positions[n][1] for n in positions], s=6, c="grey")
    graph.set_xlim(min(xs) - 1, max(xs) + 1)
    graph.set_ylim(max(ys) + 1, min(ys) - 1)  # y grows southwards, as in the topology
    graph.set_title(f"{noc['topology']}: link utilisation ({len(used)} links used)")
    figure.colorbar(lines, ax=graph, label="busy cycles / simulated cycles")

    columns = 1 + max((p[0] for p in positions.values()), default=0)
    rows = 1 + max((p[1] for p in positions.values()), default=0)
    for axis, data_type in zip(axes[1:], types):
        grid = [[0.0] * columns for _ in range(rows)]
        for link in used:
            if link["to"] in positions and data_type in link["data_types"].split(","):
                x, y = positions[link["to"]]
                grid[y][x] = max(grid[y][x], link["utilisation"])
        image = axis.imshow(grid, cmap="inferno_r", vmin=0, vmax=1, interpolation="nearest")
        axis.set_title(f"{data_type}: busiest link into each PE")
        axis.set_xlabel("PE column")
        axis.set_ylabel("PE row")
        figure.colorbar(image, ax=axis, label="utilisation")
    figure.suptitle(f"{noc['cycles']:,} simulated cycles")
    figure.tight_layout()
    figure.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
