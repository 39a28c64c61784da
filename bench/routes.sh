#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (not a test): how fast the kernel mirror brings a big table
# into the gateway (docs/PERFORMANCE.md, "Routes").
#
#   bench/routes.sh [BUILD_DIR] [ROUTES]        (root; default build, 1000000)
#   INJECT=netlink bench/routes.sh ...           (pipelined RTM_NEWROUTE, no acks)
#
# A gateway in its own namespace with a TAP on its wan port and
# `routes max4 ROUTES+64K`:
#  1. ROUTES distinct /24 routes via one next hop are put into that
#     namespace's kernel with one `ip -batch` (events): the time until the
#     gateway holds them all (xfrmgw-ctl routes --summary, polled every
#     0.1 s), the kernel's own time, the gateway's RSS before and after;
#  2. they are removed with one `ip -batch`: the time until the gateway
#     holds none of them.
# `ip -batch` waits for the kernel's answer to each route; INJECT=netlink
# sends them back to back without acknowledgements instead (the kernel then
# goes faster, and so must the gateway).
set -eu
BUILD=${1:-build}
N=${2:-1000000}
BIN=$BUILD/dataplane/xfrmgw
CTL=$BUILD/tools/xfrmgw-ctl
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
[ -x "$BIN" ] && [ -x "$CTL" ] || { echo "build $BUILD first" >&2; exit 1; }
TAG=brt$$
NS=$TAG-gw PEER=$TAG-peer
TMP=$(mktemp -d)
GWPID=
cleanup() {
	[ -n "$GWPID" ] && kill "$GWPID" 2>/dev/null && wait "$GWPID" 2>/dev/null
	ip netns del $NS 2>/dev/null
	ip netns del $PEER 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add $NS
ip netns add $PEER
ip link add b-lan netns $NS type veth peer name p-lan netns $PEER
ip link add b-wan netns $NS type veth peer name p-wan netns $PEER
for i in lo b-lan b-wan; do ip -n $NS link set $i up; done
for i in lo p-lan p-wan; do ip -n $PEER link set $i up; done
ip -n $PEER addr add 192.168.0.254/24 dev p-wan

cat > "$TMP/gw.conf" <<CONF
port lan net_af_packet0,iface=b-lan
port wan net_af_packet1,iface=b-wan tap b-tap
address lan 10.1.0.1/24
address wan 192.168.0.1/24
routes max4 $((N + 65536)) max6 1024
mempool mbufs 4096 cache 64
CONF
start_gw() {
	: > "$TMP/gw.log"
	ip netns exec $NS "$BIN" --no-huge --in-memory -m 2048 --no-pci -l 0 --file-prefix $TAG \
		--log-level 'lib.*:warning' --no-telemetry -- --config "$TMP/gw.conf" \
		--ctl "$TMP/ctl.sock" > "$TMP/gw.log" 2>&1 &
	GWPID=$!
	for _ in $(seq 3000); do grep -qs running "$TMP/gw.log" && return 0; sleep 0.1; done
	cat "$TMP/gw.log"
	exit 1
}
start_gw

held4() {	# 0 while the gateway cannot answer yet
	"$CTL" --ctl "$TMP/ctl.sock" -j -s routes 2>>"$TMP/ctl.err" |
		/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["held4"])' \
		2>/dev/null || echo 0
}
rss_kb() { awk '/^VmRSS/ { print $2 }' /proc/$GWPID/status; }
now() { date +%s.%N; }

# N /24 prefixes from 16.0.0.0 up, one next hop
/usr/bin/python3 - "$N" "$TMP/add" "$TMP/del" <<'PY'
import sys
n = int(sys.argv[1])
with open(sys.argv[2], "w") as a, open(sys.argv[3], "w") as d:
    for i in range(n):
        p = "%d.%d.%d.0/24" % (16 + (i >> 16), (i >> 8) & 255, i & 255)
        a.write("route add %s via 192.168.0.254 dev b-tap\n" % p)
        d.write("route del %s via 192.168.0.254 dev b-tap\n" % p)
PY

INJECT=${INJECT:-ip}
# inject add|del: the routes into the namespace's kernel
inject() {
	if [ "$INJECT" = ip ]; then
		ip -n $NS -batch "$TMP/$1"
		return
	fi
	ip netns exec $NS /usr/bin/python3 - "$1" "$N" <<'PY'
import socket, struct, sys
op, n = sys.argv[1], int(sys.argv[2])
ifindex = socket.if_nametoindex("b-tap")
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)	# NETLINK_ROUTE
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 24)
s.bind((0, 0))
def attr(t, v):
    return struct.pack("=HH", 4 + len(v), t) + v
typ, flags = (24, 0x601) if op == "add" else (25, 0x1)	# NEWROUTE REQUEST|CREATE|EXCL, DELROUTE
batch = []
for i in range(n):
    dst = bytes([16 + (i >> 16), (i >> 8) & 255, i & 255, 0])
    body = (struct.pack("=BBBBBBBBI", socket.AF_INET, 24, 0, 0, 254, 4, 0, 1, 0) +
            attr(1, dst) + attr(5, socket.inet_aton("192.168.0.254")) +
            attr(4, struct.pack("=I", ifindex)))	# RTA_DST, RTA_GATEWAY, RTA_OIF
    batch.append(struct.pack("=IHHII", 16 + len(body), typ, flags, i + 1, 0) + body)
    if len(batch) == 256:
        s.send(b"".join(batch))
        batch = []
if batch:
    s.send(b"".join(batch))
PY
}

# wait_held TARGET CMP: poll until held4 CMP TARGET (ge / le); prints seconds since T0
wait_held() {
	local h
	while :; do
		h=$(held4)
		if { [ "$2" = ge ] && [ "$h" -ge "$1" ]; } || { [ "$2" = le ] && [ "$h" -le "$1" ]; }; then
			break
		fi
		sleep 0.1
	done
	echo "$(now) - $T0" | bc
}

base=$(held4)
rss0=$(rss_kb)
echo "routes: $N /24 routes via one next hop, gateway $BIN (held before: $base, RSS $rss0 kB)"
T0=$(now)
inject add &
IPPID=$!
t_gw=$(wait_held $((base + N)) ge)
wait $IPPID
t_k=$(echo "$(now) - $T0" | bc)
rss1=$(rss_kb)
summary=$("$CTL" --ctl "$TMP/ctl.sock" -s routes)
echo "add:    gateway holds all $N after ${t_gw} s ($(echo "$N / $t_gw" | bc) routes/s); the injection ($INJECT) returned after ${t_k} s"
echo "        RSS ${rss0} kB -> ${rss1} kB: $(( (rss1 - rss0) * 1024 / N )) bytes per route"
echo "$summary" | sed 's/^/        /'
T0=$(now)
inject del &
IPPID=$!
t_gw=$(wait_held "$base" le)
wait $IPPID
echo "delete: gateway back to $base held after ${t_gw} s ($(echo "$N / $t_gw" | bc) routes/s); RSS $(rss_kb) kB"
"$CTL" --ctl "$TMP/ctl.sock" -s routes | sed 's/^/        /'
