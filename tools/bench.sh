#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The standard benchmark set (`make bench`), under 10 minutes on 2 cores:
#   1. machine description (lscpu)
#   2. xfrmgw-bench crypto            crypto API drivers vs raw libraries
#   3. xfrmgw-bench traffic --json    ESP data path vs limit vs rte_ipsec peer,
#                                     every algorithm, 7 sizes, 5 repetitions,
#                                     then 1/2-lcore scaling on many SAs / one SA
#   4. bench/plot.py                  PNG plots and the targets, met or missed
#   5. bench/e2e.sh (root only, when interop/ is present; BENCH_E2E=0 skips)
#
#   tools/bench.sh [BUILD_DIR] [OUT_DIR]      (defaults: build, BUILD_DIR/bench-results)
set -eu
BUILD=${1:-build}
OUT=${2:-$BUILD/bench-results}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$BUILD/bench/xfrmgw-bench
PY=/usr/bin/python3

[ -x "$BIN" ] || { echo "bench.sh: $BIN is not built (ninja -C $BUILD)" >&2; exit 1; }
sh "$ROOT/tools/install-deps.sh" python3-matplotlib iperf3 || \
	echo "bench.sh: could not install python3-matplotlib/iperf3: no plots or e2e" >&2
mkdir -p "$OUT"
start=$(date +%s)

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|L1d|L2|L3|Hypervisor vendor)' \
	| tee "$OUT/machine.txt"
echo "== xfrmgw-bench crypto"
"$BIN" crypto | tee "$OUT/crypto.txt"
echo "== xfrmgw-bench traffic --algs all --json (table below)"
"$BIN" traffic --algs all --json > "$OUT/traffic.json"
"$PY" - "$OUT/traffic.json" <<'PYEOF' | tee "$OUT/traffic.txt"
import json, sys
d = json.load(open(sys.argv[1]))
print("# %s, TSC %.2f GHz, median of %d x %.2f s; cyc = cycles/packet; x/limit, x/peer ="
      " xfrmgw throughput / other's" % (d["cpu"], d["tsc_hz"] / 1e9, d["reps"], d["seconds"]))
cols = ("xfrmgw", "raw", "peer-cpu", "peer-lookaside")
print("%-17s %5s %-3s %7s %7s %8s %8s %8s %8s %7s %7s" % ("algorithm", "size", "dir", "Mpps",
      "Gbps", "cyc", "limit", "peer-cpu", "peer-lks", "x/limit", "x/peer"))
for r in d["results"]:
    x = r["impls"].get("xfrmgw", {})
    cyc = ["%8.0f" % r["impls"][c]["cycles_per_packet"] if c in r["impls"] else "%8s" % "-"
           for c in cols]
    print("%-17s %5s %-3s %7.3f %7.2f %s %7s %7s" % (r["alg"], r["size"], r["dir"],
          x.get("mpps", 0), x.get("gbps", 0), " ".join(cyc),
          "%.3f" % r["ratio_limit"] if r["ratio_limit"] else "-",
          "%.3f" % r["ratio_peer"] if r["ratio_peer"] else "-"))
if d.get("scaling"):
    print("\n%-17s %5s %-4s %6s %8s %8s %6s %6s" % ("scaling", "size", "SAs", "lcores",
          "Mpps-out", "Mpps-in", "x-out", "x-in"))
    for s in d["scaling"]:
        print("%-17s %5s %-4s %6d %8.3f %8.3f %6.2f %6.2f" % (s["alg"], s["size"], s["sas"],
              s["lcores"], s["mpps_out"], s["mpps_in"], s["speedup_out"], s["speedup_in"]))
PYEOF
echo "== plots and targets"
"$PY" "$ROOT/bench/plot.py" "$OUT/traffic.json" "$OUT" | tee "$OUT/targets.txt"
if [ "${BENCH_E2E:-1}" != 0 ] && [ "$(id -u)" = 0 ] && [ -r "$ROOT/interop/lib.sh" ]; then
	echo "== end to end (iperf3 through the interop topology)"
	rc=0
	timeout 240 bash "$ROOT/bench/e2e.sh" "$BUILD" 10 "$OUT/e2e.json" > "$OUT/e2e.log" 2>&1 || rc=$?
	grep -E '^(proto|TCP|UDP|e2e:)|did not come up|not running|SKIP' "$OUT/e2e.log" || true
	[ "$rc" = 0 ] || echo "e2e: incomplete (exit $rc), see $OUT/e2e.log"
fi
echo "== done in $(( $(date +%s) - start )) s; results in $OUT"
