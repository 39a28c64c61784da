#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end throughput through an IPsec tunnel: iperf3 (TCP, then UDP) from
# lanE to lanW across the interop topology (interop/lib.sh), twice:
#
#   xfrmgw     east = xfrmgw gateway + charon under xfrmgw-exec,
#              west = charon with kernel-libipsec
#   libipsec   east and west both charon with kernel-libipsec (strongSwan's
#              userspace ESP on a TUN device): the baseline
#
#   bench/e2e.sh BUILD_DIR [SECONDS] [OUT.json]
#   (E2E_KINDS="libipsec" runs one side only)
#
# The ratio xfrmgw/libipsec is printed per protocol; a JSON summary goes to
# OUT.json when given. Both runs use the same proposal (aes128gcm16), the
# same namespaces and the same iperf3 arguments. Exit 77 (skip) when the
# interop topology or a package is missing, saying which; every step is
# bounded in time and the namespaces are removed on exit.
set -u
BUILD=${1:-build}
SECS=${2:-10}
OUT=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
LIB=$ROOT/interop/lib.sh

skip() { echo "e2e: SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -r "$LIB" ] || skip "interop/lib.sh not present (the interop topology has not landed)"
command -v iperf3 >/dev/null || sh "$ROOT/tools/install-deps.sh" iperf3 >/dev/null 2>&1
command -v iperf3 >/dev/null || skip "iperf3 missing (sh tools/install-deps.sh iperf3)"

export XI_BUILD=$BUILD
export XI_PREFIX=xb$$
# shellcheck source=/dev/null
. "$LIB"
( xi_require ) || skip "interop prerequisites missing (see above)"
xi_setup

# iperf3 in lanW as a one-shot server, the client in lanE; prints bits/s.
iperf() {	# iperf PROTO NAME
	local proto=$1 name=$2 args=(-c 10.2.0.2 -t "$SECS" -J)
	[ "$proto" = udp ] && args+=(-u -b 0 -l 1300)	# fits the tunnel MTU
	xi_bg lanW "iperf3_${name//-/_}" iperf3 -s -1 -B 10.2.0.2
	sleep 0.5
	xi_in lanE timeout $((SECS + 20)) iperf3 "${args[@]}" > "$XI_RUN/iperf-$name.json" 2>&1 || {
		echo "iperf3 $name failed:" >&2
		tail -n 5 "$XI_RUN/iperf-$name.json" >&2
		echo 0
		return
	}
	"$XI_PY" - "$XI_RUN/iperf-$name.json" "$proto" <<'EOF'
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t[t.index("{"):])	# iperf3 may warn before its JSON
e = d["end"]
s = e.get("sum_received") or e.get("sum") or {}	# UDP: what arrived
print(int(s.get("bits_per_second", 0)))
EOF
}

# One tunnel, both measurements; KIND = xfrmgw or libipsec.
run_kind() {
	local kind=$1 ek=gateway
	[ "$kind" = libipsec ] && ek=libipsec
	xi_topology_create plain "$ek" libipsec
	if [ "$kind" = xfrmgw ]; then
		xi_gw_start east gateway || return 1
		xi_charon_conf east shim esp=aes128gcm16
	else
		xi_charon_conf east libipsec esp=aes128gcm16
	fi
	xi_charon_conf west libipsec esp=aes128gcm16
	xi_charon_start west || return 1
	xi_charon_start east || return 1
	xi_initiate west || return 1
	xi_wait 10 xi_child_installed east || { echo "east has no CHILD_SA" >&2; return 1; }
	xi_traffic lanE ping 10.2.0.2 --count 2 --interval 0.2 >/dev/null || {
		echo "no ping through the $kind tunnel" >&2
		return 1
	}
	eval "TCP_$kind=$(iperf tcp "$kind-tcp")"
	eval "UDP_$kind=$(iperf udp "$kind-udp")"
}

reset_topology() {
	local i e
	for ((i = ${#XI_PIDS[@]} - 1; i >= 0; i--)); do
		e=${XI_PIDS[$i]}
		kill "${e##*:}" 2>/dev/null
		wait "${e##*:}" 2>/dev/null
	done
	XI_PIDS=()
	xi_topology_destroy
}

TCP_xfrmgw=0 UDP_xfrmgw=0 TCP_libipsec=0 UDP_libipsec=0
status=0
for kind in ${E2E_KINDS:-xfrmgw libipsec}; do
	xi_log "e2e: $kind tunnel, iperf3 ${SECS}s TCP then UDP"
	if ! run_kind "$kind"; then
		echo "e2e: the $kind tunnel did not come up; logs:" >&2
		xi_dump_logs east west >&2 2>/dev/null
		status=1
	fi
	reset_topology
done

ratio() { "$XI_PY" -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.2f' % (a/b) if a and b else '-')" "$1" "$2"; }
printf '%-8s %14s %14s %8s\n' proto "xfrmgw Mbit/s" "libipsec Mbit/s" ratio
for p in TCP UDP; do
	x=$(eval echo "\$${p}_xfrmgw") l=$(eval echo "\$${p}_libipsec")
	printf '%-8s %14.1f %14.1f %8s\n' "$p" "$((x / 1000))e-3" "$((l / 1000))e-3" \
		"$(ratio "$x" "$l")"
done
if [ -n "$OUT" ]; then
	cat > "$OUT" <<EOF
{"bench": "e2e", "seconds": $SECS, "proposal": "aes128gcm16",
 "tcp_bps": {"xfrmgw": $TCP_xfrmgw, "libipsec": $TCP_libipsec},
 "udp_bps": {"xfrmgw": $UDP_xfrmgw, "libipsec": $UDP_libipsec}}
EOF
fi
exit $status
