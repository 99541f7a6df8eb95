#!/usr/bin/python3
"""Draws the on-chip network's link utilisation from `cyclops run --out DIR` (DIR/noc.json) into a PNG.

Left: the topology, every used link coloured and thickened by its utilisation (busy cycles / simulated
cycles), busier links drawn over paler ones, the busiest labelled with utilisation and name. PEs sit at their
mesh position; every other node beside the PEs nearest to it: a row bus left of its row, a column bus above
its column, one that serves every row (a Y-bus, the global buffer) left of the array, one that serves an area
(a cluster) above it; the more hops from the PEs, the further out. Right: per data type, the busiest link into each PE over the PE array, numbered in percent.
Matplotlib from Debian's python3-matplotlib (scripts/setup installs it).

    scripts/plot_noc.py DIR/noc.json [-o noc.png] [--label N]
"""
import argparse
import json
import sys
from collections import deque

import matplotlib

matplotlib.use("Agg")  # files only: no display on a build machine
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

CMAP = "inferno_r"


def pe_positions(noc):
    """Mesh (x, y) of every PE node: cluster position × cluster size + position inside the cluster."""
    width, height = noc["pe_columns_per_cluster"], noc["pe_rows_per_cluster"]
    positions = {}
    for node in noc["nodes"]:
        if node["kind"] == "pe":
            (cx, cy), (lx, ly) = node["cluster"], node["local"]
            positions[node["id"]] = (max(cx, 0) * width + lx, max(cy, 0) * height + ly)
    return positions


def nearest_pes(noc, pes):
    """For every non-PE node: (hops, the PEs at the fewest hops), over links taken in either direction."""
    neighbours = {node["id"]: set() for node in noc["nodes"]}
    for link in noc["links"]:
        neighbours[link["from"]].add(link["to"])
        neighbours[link["to"]].add(link["from"])
    nearest = {}
    for node in noc["nodes"]:
        start = node["id"]
        if start in pes:
            continue
        seen, frontier, hops, found = {start}, deque([start]), 0, []
        while frontier and not found:
            hops += 1
            for _ in range(len(frontier)):
                for n in neighbours[frontier.popleft()]:
                    if n in seen:
                        continue
                    seen.add(n)
                    if n in pes:
                        found.append(n)
                    elif not found:
                        frontier.append(n)
        nearest[start] = (hops, found)
    return nearest


def place_nodes(noc, pes):
    """Positions for every node (module docstring); nodes of different data types are set slightly apart."""
    types = sorted({t for node in noc["nodes"] for t in node["data_types"].split(",")})
    placed = dict(pes)
    all_rows = {p[1] for p in pes.values()}
    nearest = nearest_pes(noc, pes)
    for node in noc["nodes"]:
        if node["id"] in pes:
            continue
        hops, found = nearest[node["id"]]
        node_types = node["data_types"].split(",")
        shift = 0.22 * types.index(node_types[0]) if len(node_types) == 1 else 0.0
        if not found:  # not connected to any PE: out of the way, top left
            placed[node["id"]] = (-2.0, -2.0 - shift)
            continue
        xs = [pes[p][0] for p in found]
        ys = [pes[p][1] for p in found]
        step = 1.3 * hops
        if len(set(ys)) == 1 and len(found) > 1:  # a row bus: left of its row
            placed[node["id"]] = (min(xs) - step - shift, ys[0] + shift)
        elif len(set(xs)) == 1 and len(found) > 1:  # a column bus: above its column
            placed[node["id"]] = (xs[0] + shift, min(ys) - step - shift)
        elif set(ys) == all_rows:  # serves every row (a Y-bus, a global buffer): left of the array
            placed[node["id"]] = (min(xs) - step - shift, (min(ys) + max(ys)) / 2 + shift)
        else:  # an area (a cluster, or one PE): above its middle, higher the further it is from the PEs
            placed[node["id"]] = ((min(xs) + max(xs)) / 2 + shift, min(ys) - step - shift)
    return placed


def draw_links(axis, noc, placed, label_count):
    names = {node["id"]: node["name"] for node in noc["nodes"]}
    used = sorted((link for link in noc["links"] if link["values"] > 0), key=lambda link: link["utilisation"])
    segments = [[placed[link["from"]], placed[link["to"]]] for link in used]
    utilisation = [link["utilisation"] for link in used]
    # Sorted ascending: the busiest are drawn last, over the paler ones; thicker too.
    lines = LineCollection(segments, cmap=CMAP, linewidths=[0.6 + 3.4 * u for u in utilisation], zorder=2)
    lines.set_array(utilisation)
    lines.set_clim(0, 1)
    axis.add_collection(lines)
    pe_xy = [placed[n["id"]] for n in noc["nodes"] if n["kind"] == "pe"]
    axis.scatter([p[0] for p in pe_xy], [p[1] for p in pe_xy], s=5, c="grey", zorder=3)
    other = [n for n in noc["nodes"] if n["kind"] != "pe"]
    axis.scatter([placed[n["id"]][0] for n in other], [placed[n["id"]][1] for n in other], s=9, marker="s",
                 c="#4c72b0", zorder=3, label="buses, routers, buffers")
    axis.scatter([], [], s=5, c="grey", label="PEs")
    axis.legend(loc="lower left", fontsize=7, framealpha=0.9)
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    axis.set_xlim(min(xs) - 1, max(xs) + 1)
    axis.set_ylim(max(ys) + 1, min(ys) - 1.5)  # y grows southwards, as in the topology
    axis.set_aspect("equal", adjustable="datalim")
    # The busiest links: a numbered marker on each, and what it is in a box (arrows across the graph would
    # hide the links they point at).
    busiest = list(reversed(used[-label_count:])) if label_count else []
    lines_of_text = []
    for rank, link in enumerate(busiest, start=1):
        (x0, y0), (x1, y1) = placed[link["from"]], placed[link["to"]]
        axis.annotate(str(rank), ((x0 + x1) / 2, (y0 + y1) / 2), xytext=(0, 9), textcoords="offset points",
                      ha="center", fontsize=7, zorder=5, color="white", fontweight="bold",
                      bbox={"boxstyle": "circle,pad=0.15", "fc": "#b2182b", "ec": "none"})
        lines_of_text.append(f"{rank}: {100 * link['utilisation']:.0f}% busy  {names[link['from']]} → "
                             f"{names[link['to']]} ({link['width_bits']} b)")
    if lines_of_text:  # under the graph, where it hides nothing
        axis.set_xlabel("\n".join(lines_of_text), fontsize=8, loc="left")
        print("busiest links: " + "; ".join(text.split(": ", 1)[1] for text in lines_of_text))
    axis.set_title(f"link utilisation: {len(used)} of {len(noc['links'])} links used", fontsize=10)
    axis.set_xticks([])
    axis.set_yticks([])
    return lines


def draw_heatmap(axis, noc, pes, data_type):
    columns = 1 + max((p[0] for p in pes.values()), default=0)
    rows = 1 + max((p[1] for p in pes.values()), default=0)
    grid = [[0.0] * columns for _ in range(rows)]
    for link in noc["links"]:
        if link["values"] > 0 and link["to"] in pes and data_type in link["data_types"].split(","):
            x, y = pes[link["to"]]
            grid[y][x] = max(grid[y][x], link["utilisation"])
    image = axis.imshow(grid, cmap=CMAP, vmin=0, vmax=1, interpolation="nearest")
    if rows <= 16 and columns <= 16:  # numbers fit in the cells
        for y in range(rows):
            for x in range(columns):
                value = 100 * grid[y][x]
                axis.text(x, y, f"{value:.0f}" if value >= 9.5 else f"{value:.1f}", ha="center", va="center", fontsize=5.5,
                          color="white" if grid[y][x] > 0.55 else "black")
    busiest = max(max(row) for row in grid)
    axis.set_title(f"{data_type}: busiest link into each PE, % (max {100 * busiest:.1f})", fontsize=9)
    axis.set_xlabel("PE column")
    axis.set_ylabel("PE row")
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("noc_json", help="noc.json written by `cyclops run --out DIR`")
    parser.add_argument("-o", "--output", default="noc.png", help="PNG to write (default noc.png)")
    parser.add_argument("--label", type=int, default=3, help="how many of the busiest links to label (default 3)")
    args = parser.parse_args()
    with open(args.noc_json) as file:
        noc = json.load(file)

    pes = pe_positions(noc)
    placed = place_nodes(noc, pes)
    types = sorted({t for link in noc["links"] if link["values"] > 0 for t in link["data_types"].split(",")})
    figure = plt.figure(figsize=(7 + 3.6 * len(types), 6.2), layout="constrained")
    grid = figure.add_gridspec(1, 1 + len(types), width_ratios=[2.2] + [1] * len(types))
    graph = figure.add_subplot(grid[0, 0])
    lines = draw_links(graph, noc, placed, args.label)
    figure.colorbar(lines, ax=graph, label="busy cycles / simulated cycles", shrink=0.8)
    image = None
    for i, data_type in enumerate(types):
        image = draw_heatmap(figure.add_subplot(grid[0, 1 + i]), noc, pes, data_type)
    if image is not None:
        figure.colorbar(image, ax=figure.axes[-1], label="utilisation", shrink=0.8)
    figure.suptitle(f"{noc['topology']}: {noc['cycles']:,} simulated cycles", fontsize=12)
    figure.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
