#!/usr/bin/python3
"""Draws a `cyclops sweep` database (OUT/sweep.sqlite) as a PNG: any metric against any parameter, one line
per combination of the other swept parameters, beside the energy-latency Pareto fronts (one per workload or
network when those are swept: a design for one layer competes only with designs for the same layer).

    scripts/plot_sweep.py DB [--metric cycles_simulated] [--parameter KEY] [-o sweep.png]
    scripts/plot_sweep.py DB --list        # the parameters and metrics the database holds

Metrics are the columns of the `points` table (sim/sweep/README.md) plus `ratio` (simulated / analytical
cycles). Latency on the front is the simulated cycles where there are any, else the analytical ones; energy
likewise. Python's own sqlite3 and Debian's python3-matplotlib (scripts/setup installs it).
"""
import argparse
import json
import sqlite3
import sys

import matplotlib

matplotlib.use("Agg")  # files only: no display on a build machine
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

METRICS = ["cycles_simulated", "cycles_analytical", "ratio", "energy_pj_simulated", "energy_pj_analytical",
           "noc_busiest_utilisation", "top_stall_cycles", "wall_seconds"]
LABELS = {"cycles_simulated": "simulated cycles", "cycles_analytical": "analytical cycles",
          "ratio": "simulated / analytical cycles", "energy_pj_simulated": "simulated energy (uJ)",
          "energy_pj_analytical": "analytical energy (uJ)", "noc_busiest_utilisation": "busiest NoC port utilisation",
          "top_stall_cycles": "top stall (cycles)", "wall_seconds": "wall time (s)"}


def load(path):
    """The sweep's name and its points, with their parameters as an ordered dict, in point order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    schema = db.execute("SELECT value FROM sweep_meta WHERE key = 'schema'").fetchone()
    if schema is None or not schema[0].startswith("cyclops.sweep-db/"):
        sys.exit(f"{path}: not a cyclops sweep database")
    name_row = db.execute("SELECT value FROM sweep_meta WHERE key = 'name'").fetchone()
    points = []
    for row in db.execute("SELECT * FROM points ORDER BY point_index"):
        point = dict(row)
        point["params"] = json.loads(row["parameters"])
        simulated, analytical = point["cycles_simulated"], point["cycles_analytical"]
        point["ratio"] = simulated / analytical if simulated and analytical else None
        for key in ("energy_pj_simulated", "energy_pj_analytical"):
            if point[key] is not None:
                point[key] = point[key] / 1e6  # uJ: what the axes say
        points.append(point)
    return (name_row[0] if name_row else path), points


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def compact(value):
    """1,622,341 → '1.62M', 7,362 → '7.4k': tick labels that do not run into each other."""
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:g}"


def short(value):
    """File values by stem: a legend names the layer, not the path."""
    return value.rsplit("/", 1)[-1].removesuffix(".yaml")


def metric_panel(axis, points, parameter, metric):
    # Parameters with one value are settings, not lines: leave them out of the legend.
    others = [key for key in points[0]["params"]
              if key != parameter and len({p["params"][key] for p in points}) > 1]
    values = list(dict.fromkeys(p["params"][parameter] for p in points))
    numeric = all(number(v) is not None for v in values)
    position = {v: (number(v) if numeric else i) for i, v in enumerate(values)}
    groups = {}
    for point in points:
        label = ", ".join(f"{key.split('.')[-1]}={short(point['params'][key])}" for key in others)
        groups.setdefault(label, []).append(point)
    for label, group in groups.items():
        pairs = sorted((position[p["params"][parameter]], p[metric]) for p in group if p[metric] is not None)
        if pairs:
            axis.plot([x for x, _ in pairs], [y for _, y in pairs], marker="o", label=label or None)
    if not numeric:
        axis.set_xticks(list(position.values()))
        axis.set_xticklabels([short(v) for v in values], rotation=30, ha="right")
    elif min(position.values()) > 0 and max(position.values()) >= 8 * min(position.values()):
        axis.set_xscale("log", base=2)  # doublings (a factor range) spread evenly
        axis.set_xticks(sorted(position.values()))
        axis.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"))
    axis.set_xlabel(parameter)
    axis.set_ylabel(LABELS.get(metric, metric))
    axis.set_title(f"{LABELS.get(metric, metric)} against {parameter.split('.')[-1]}", fontsize=10)
    axis.grid(alpha=0.3)
    if len(groups) > 1:
        axis.legend(fontsize=7, loc="best")


def latency(p):
    return p["cycles_simulated"] if p["cycles_simulated"] is not None else p["cycles_analytical"]


def energy(p):
    return p["energy_pj_simulated"] if p["energy_pj_simulated"] is not None else p["energy_pj_analytical"]


def pareto_front(points):
    """The points no other point beats on both latency and energy, by latency."""
    front, best = [], float("inf")
    for p in sorted(points, key=lambda p: (latency(p), energy(p))):
        if energy(p) < best:
            front.append(p)
            best = energy(p)
    return front


def pareto_panel(axis, points, group):
    """Energy against latency; a front per value of `group` (designs for one layer compare with each other,
    not with another layer's), joined and labelled."""
    ran = [p for p in points if latency(p) is not None and energy(p) is not None]
    groups = {}
    for p in ran:
        groups.setdefault(p["params"][group] if group else "", []).append(p)
    varying = [k for k in points[0]["params"] if k != group and len({p["params"][k] for p in points}) > 1]
    colours = plt.get_cmap("tab10")
    total = 0
    for i, (value, members) in enumerate(groups.items()):
        front = pareto_front(members)
        total += len(front)
        name = f"{group.split('.')[-1]}={short(value)}" if group else "all points"
        axis.scatter([latency(p) for p in members], [energy(p) for p in members], s=14, color=colours(i % 10),
                     alpha=0.45)
        axis.plot([latency(p) for p in front], [energy(p) for p in front], "o-", color=colours(i % 10),
                  label=f"{name}: front of {len(front)}")
        for rank, p in enumerate(front[:6]):  # more labels than that overlap; staggered so neighbours do not
            text = " ".join(f"{k.split('.')[-1]}={short(p['params'][k])}" for k in varying)
            axis.annotate(text, (latency(p), energy(p)), fontsize=6, xytext=(5, 4 + 8 * (rank % 3)),
                          textcoords="offset points", arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "#777777"})
        print(f"pareto front ({name}): " + ", ".join(f"#{p['point_index']}" for p in front))
    axis.set_xlabel("latency (cycles)")
    axis.set_ylabel("energy (uJ)")
    axis.xaxis.set_major_formatter(FuncFormatter(lambda v, _: compact(v)))
    axis.set_title(f"energy-latency Pareto fronts ({total} of {len(ran)} points)", fontsize=10)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=7, loc="best")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", help="the sweep database (OUT/sweep.sqlite)")
    parser.add_argument("--metric", default=None, help="a column of points, or ratio (default: the cycles)")
    parser.add_argument("--parameter", default=None, help="the x axis (default: the first parameter)")
    parser.add_argument("--group", default=None,
                        help="a front per value of this parameter (default: workload or network when swept)")
    parser.add_argument("-o", "--output", default="sweep.png", help="PNG to write (default sweep.png)")
    parser.add_argument("--list", action="store_true", help="print the parameters and metrics, draw nothing")
    args = parser.parse_args()
    name, points = load(args.db)
    points = [p for p in points if p["status"] == "ok"]
    if not points:
        sys.exit(f"{args.db}: no point ran successfully")
    parameters = list(points[0]["params"])
    available = [m for m in METRICS if any(p[m] is not None for p in points)]
    if args.list:
        print("parameters:", ", ".join(parameters))
        print("metrics:   ", ", ".join(available))
        return 0
    parameter = args.parameter or parameters[0]
    metric = args.metric or ("cycles_simulated" if "cycles_simulated" in available else "cycles_analytical")
    if parameter not in parameters:
        sys.exit(f"no parameter '{parameter}' (the database has: {', '.join(parameters)})")
    if metric not in available:
        sys.exit(f"no metric '{metric}' with values (available: {', '.join(available)})")
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    metric_panel(left, points, parameter, metric)
    group = args.group or next((k for k in ("workload", "network") if k in parameters), None)
    if group is not None and group not in parameters:
        sys.exit(f"no parameter '{group}' (the database has: {', '.join(parameters)})")
    pareto_panel(right, points, group)
    figure.suptitle(f"sweep {name}: {len(points)} points", fontsize=11)
    figure.tight_layout()
    figure.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
