#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Smoke test of `xfrmgw-bench traffic --quick --json`: it exits 0, its JSON
parses, xfrmgw and the raw limit report non-zero figures for both directions
and every size, and no packet was dropped. Timing is never asserted."""
import json
import subprocess
import sys


def main(bench):
    p = subprocess.run([bench, "traffic", "--quick", "--json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=240)
    sys.stderr.write(p.stderr)
    if p.returncode != 0:
        print("traffic --quick exited %d" % p.returncode)
        return 1
    data = json.loads(p.stdout)
    checks = failed = 0
    rows = data["results"]
    sizes = {r["size"] for r in rows}
    for want in ("64", "1420", "imix"):
        checks += 1
        if want not in sizes:
            print("FAIL: size %s missing" % want)
            failed += 1
    for r in rows:
        for impl in ("xfrmgw", "raw"):
            checks += 1
            f = r["impls"].get(impl)
            ok = f and f["mpps"] > 0 and f["gbps"] > 0 and f["cycles_per_packet"] > 0 \
                and f["drops"] == 0
            if not ok:
                print("FAIL: %s %s %s %s: %r" % (r["alg"], r["size"], r["dir"], impl, f))
                failed += 1
        checks += 1
        if r["ratio_limit"] <= 0:
            print("FAIL: %s %s %s: no xfrmgw/limit ratio" % (r["alg"], r["size"], r["dir"]))
            failed += 1
    for s in data.get("scaling") or []:
        checks += 1
        if s["mpps_out"] <= 0 or s["mpps_in"] <= 0:
            print("FAIL: scaling %r" % s)
            failed += 1
    print("%d passed, %d failed" % (checks - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
