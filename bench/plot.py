#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Plots and a summary of `xfrmgw-bench traffic --json` output.

usage: bench/plot.py TRAFFIC.json OUTDIR [--targets]

Writes OUTDIR/traffic-<alg>-<dir>.png (throughput vs packet size: xfrmgw,
the raw crypto limit, the rte_ipsec peers) and OUTDIR/scaling.png, prints
the targets of docs/PERFORMANCE.md (ESP tunnel IPv4, AES-128-GCM, 1 lcore)
with the measured value and by how much each is met or missed.
Needs python3-matplotlib (Debian) for the PNGs; the summary works without.
"""
import json
import os
import sys

SERIES = [
    ("xfrmgw", "xfrmgw", "-o"),
    ("raw", "raw crypto limit (intel-ipsec-mb)", "--s"),
    ("peer-cpu", "DPDK rte_ipsec, cpu-crypto", "-.^"),
    ("peer-lookaside", "DPDK rte_ipsec, lookaside", ":v"),
]


def rows_of(data, alg, direction):
    rows = [r for r in data["results"] if r["alg"] == alg and r["dir"] == direction]
    return sorted(rows, key=lambda r: r["mean_bytes"])


def plot_traffic(data, outdir, plt):
    made = []
    for alg in sorted({r["alg"] for r in data["results"]}):
        for direction in ("out", "in"):
            rows = rows_of(data, alg, direction)
            if not rows:
                continue
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
            for key, label, style in SERIES:
                pts = [(r["mean_bytes"], r["impls"][key]) for r in rows if key in r["impls"]]
                if not pts:
                    continue
                xs = [p[0] for p in pts]
                ax1.plot(xs, [p[1]["gbps"] for p in pts], style, label=label)
                ax2.plot(xs, [p[1]["mpps"] for p in pts], style, label=label)
            for ax, unit in ((ax1, "Gbit/s (inner bytes)"), (ax2, "Mpps")):
                ax.set_xscale("log", base=2)
                ax.set_xticks([r["mean_bytes"] for r in rows])
                ax.set_xticklabels([r["size"] for r in rows])
                ax.set_xlabel("inner IPv4 packet bytes")
                ax.set_ylabel(unit)
                ax.grid(True, alpha=0.3)
            ax1.legend(fontsize=8)
            fig.suptitle("%s, ESP tunnel IPv4, %s, 1 lcore (median of %d)"
                         % (alg, "outbound (encrypt)" if direction == "out" else
                            "inbound (decrypt)", data.get("reps", 1)))
            fig.tight_layout()
            path = os.path.join(outdir, "traffic-%s-%s.png" % (alg, direction))
            fig.savefig(path, dpi=90)
            plt.close(fig)
            made.append(path)
    return made


def plot_scaling(data, outdir, plt):
    sc = data.get("scaling") or []
    if not sc:
        return []
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for size in sorted({s["size"] for s in sc}, key=lambda x: (len(x), x)):
        for sas, style in (("many", "-o"), ("one", "--s")):
            pts = sorted((s["lcores"], s["mpps_out"]) for s in sc
                         if s["size"] == size and s["sas"] == sas)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style,
                        label="%s B, %s SA%s" % (size, sas, "s" if sas == "many" else ""))
    ax.set_xlabel("lcores")
    ax.set_ylabel("outbound Mpps (sum over lcores)")
    ax.set_xticks(sorted({s["lcores"] for s in sc}))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("xfrmgw scaling, %s" % sc[0]["alg"])
    fig.tight_layout()
    path = os.path.join(outdir, "scaling.png")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return [path]


def find(data, alg, size, direction):
    for r in data["results"]:
        if r["alg"] == alg and r["size"] == size and r["dir"] == direction:
            return r
    return None


def targets(data):
    """The issue's targets; each line: name, measured, goal, verdict."""
    out = []
    for size, goal in (("1420", 0.90), ("64", 0.70)):
        for d in ("out", "in"):
            r = find(data, "aes128gcm", size, d)
            if r and r["ratio_limit"] > 0:
                out.append(("xfrmgw/limit %s B %s" % (size, d), r["ratio_limit"], goal))
    for size, goal in (("64", 1.2), ("1420", 1.0)):
        for d in ("out", "in"):
            r = find(data, "aes128gcm", size, d)
            if r and r["ratio_peer"] > 0:
                out.append(("xfrmgw/peer %s B %s" % (size, d), r["ratio_peer"], goal))
    for s in data.get("scaling") or []:
        if s["alg"] == "aes128gcm" and s["sas"] == "one" and s["lcores"] == 2:
            out.append(("2 lcores/1, one SA, %s B out" % s["size"], s["speedup_out"], 1.8))
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        data = json.load(f)
    os.makedirs(argv[2], exist_ok=True)
    print("targets (ESP tunnel IPv4, AES-128-GCM, 1 lcore unless said):")
    for name, got, goal in targets(data):
        verdict = "met" if got >= goal else "MISSED by %.0f%%" % ((goal - got) / goal * 100)
        print("  %-32s %6.3f  goal >= %.2f  %s" % (name, got, goal, verdict))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot.py: python3-matplotlib missing: no PNGs", file=sys.stderr)
        return 0
    for p in plot_traffic(data, argv[2], plt) + plot_scaling(data, argv[2], plt):
        print("wrote", p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
