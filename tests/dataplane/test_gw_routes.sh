#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The kernel mirror (docs/ROUTING.md): routes, neighbours and addresses
# that `ip` changes on gateway A's TAP change what A forwards. Topology of
# gw_pair_lib.sh (only gateway A runs), plus two routers on the middle
# bridge, each in its own namespace:
#
#   h1 -- [lan gwA wan] -- br0 --+-- r1 192.168.0.254 fd00::fe 02:52:31:00:00:01
#                                +-- r2 192.168.0.253 fd00::fd 02:52:31:00:00:02
#
# h1 sends UDP datagrams and polls until they show up on a router's
# interface (raw socket there) or until the ICMP error it expects comes
# back (IP_RECVERR); no fixed sleeps. A's namespace keeps ip_forward 0: its
# kernel only ever sees the TAP, and never forwards.
#  - ip route add / replace / del, two metrics (lowest wins, the other
#    takes over when it goes), no route: ICMP net unreachable;
#  - ECMP: 32 flows spread over both routers, each flow on one router;
#  - blackhole (counted, no ICMP), unreachable (ICMP host unreachable),
#    prohibit (ICMP communication administratively prohibited);
#  - ip -6 route add / del;
#  - a next hop that never answers ARP reached through `ip neigh replace
#    ... nud permanent` on the TAP, and through the configuration's
#    `neighbour wan IP lladdr MAC`; the kernel entry removed: ARP again;
#  - xfrmgw-ctl routes / neighbours show them (origin, held), also as JSON;
#  - the gateway stops with exit status 0; restarted with `mirror wan off`
#    it leaves the kernel's routes alone.
# usage: test_gw_routes.sh XFRMGW XFRMGW_EXEC XFRMGW_CTL
set -u
BIN=$1 EXEC=$2 CTL=${3:-}
TAG=gwr$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
NS_R1=$TAG-r1 NS_R2=$TAG-r2
MAC1=02:52:31:00:00:01 MAC2=02:52:31:00:00:02
routes_cleanup() {
	ip netns del $NS_R1 2>/dev/null
	ip netns del $NS_R2 2>/dev/null
	pair_cleanup
}
trap routes_cleanup EXIT
pair_requirements

pair_topology
pair_tap_hosts
router() {	# router NS IF MAC ADDR4 ADDR6
	ip netns add "$1"
	ip link add "$2" netns "$1" address "$3" type veth peer name "$2b" netns $NS_MID
	ip -n $NS_MID link set "$2b" master br0
	ip -n $NS_MID link set "$2b" up
	ip netns exec $NS_MID sysctl -qw "net.ipv6.conf.$2b.disable_ipv6=1" 2>/dev/null
	ip -n "$1" link set lo up
	ip -n "$1" addr add "$4/24" dev "$2"
	ip -n "$1" addr add "$5/64" dev "$2" nodad
	ip -n "$1" link set "$2" up
}
router $NS_R1 r1 $MAC1 192.168.0.254 fd00::fe
router $NS_R2 r2 $MAC2 192.168.0.253 fd00::fd
export WANTAP=1 TELEMETRY=" "
# the configuration's own static neighbour: .249 never answers ARP
gw_conf a "neighbour wan 192.168.0.249 lladdr $MAC2" "route 10.3.0.0/16 via 192.168.0.249 dev wan"
gw_start a || exit 1
A() { ip -n $NS_A "$@"; }

# reach NS IF DST [SECONDS]: h1 sends UDP to DST (port 9999) every 50 ms
# until a datagram with this call's token shows up on IF in NS.
reach() {
	local tok=t$RANDOM$RANDOM secs=${4:-10}
	rm -f "$TMP/got"
	ip netns exec "$1" timeout $((secs + 2)) $PY - "$2" "$3" "$tok" "$secs" "$TMP/got" <<'PY' &
import socket, sys, time
ifname, dst, tok, secs, flag = sys.argv[1], sys.argv[2], sys.argv[3].encode(), float(sys.argv[4]), sys.argv[5]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((ifname, 0))
s.settimeout(0.2)
want = socket.inet_pton(socket.AF_INET6 if ":" in dst else socket.AF_INET, dst)
end = time.monotonic() + secs
open(flag + ".up", "w").close()
while time.monotonic() < end:
    try:
        f = s.recv(4096)
    except socket.timeout:
        continue
    et = f[12:14]
    if et == b"\x08\x00" and f[30:34] == want and tok in f:
        break
    if et == b"\x86\xdd" and f[38:54] == want and tok in f:
        break
else:
    sys.exit(1)
open(flag, "w").close()
PY
	local rpid=$!
	for _ in $(seq 50); do [ -e "$TMP/got.up" ] && break; sleep 0.05; done
	rm -f "$TMP/got.up"
	ip netns exec $NS_H1 $PY - "$3" "$tok" "$secs" "$TMP/got" <<'PY'
import os, socket, sys, time
dst, tok, secs, flag = sys.argv[1], sys.argv[2].encode(), float(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + secs
while time.monotonic() < end and not os.path.exists(flag):
    try:
        s.sendto(tok, (dst, 9999))
    except OSError:
        pass
    time.sleep(0.05)
PY
	wait $rpid
}

# icmp_back DST TYPE CODE [SECONDS]: h1's datagrams to DST come back as
# ICMP (or ICMPv6) TYPE/CODE, read from the socket's error queue.
icmp_back() {
	ip netns exec $NS_H1 $PY - "$@" <<'PY'
import socket, struct, sys, time
dst, typ, code = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
secs = float(sys.argv[4]) if len(sys.argv) > 4 else 10
v6 = ":" in dst
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
if v6:
    s.setsockopt(socket.IPPROTO_IPV6, 25, 1)	# IPV6_RECVERR
else:
    s.setsockopt(socket.IPPROTO_IP, 11, 1)		# IP_RECVERR
s.connect((dst, 9999))
end, seen = time.monotonic() + secs, []
while time.monotonic() < end:
    try:
        s.send(b"probe")
    except OSError:
        pass
    time.sleep(0.05)
    while True:
        try:
            _, anc, _, _ = s.recvmsg(512, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
        except OSError:
            break
        for lvl, t, data in anc:
            _, origin, et, ec = struct.unpack_from("=IBBB", data)
            seen.append((et, ec))
            if (et, ec) == (typ, code):
                sys.exit(0)
sys.exit("no ICMP %d/%d from the gateway; saw %s" % (typ, code, seen[:5]))
PY
}

# drop_grows REASON BEFORE: gateway A's drop counter REASON goes past BEFORE
drop_grows() {
	local i now
	for i in $(seq 100); do
		now=$(drop_count a "$1") && [ "$now" -gt "$2" ] && return 0
		sleep 0.1
	done
	echo "$1 stayed at ${now:-?} (was $2)"
	return 1
}

# blackholed DST REASON: h1's datagrams to DST are dropped with REASON, no ICMP back
blackholed() {
	local before
	before=$(drop_count a "$2") || return 1
	udp_send $NS_H1 "$1" 5 20 &&
	drop_grows "$2" "$before" &&
	! icmp_back "$1" 3 0 1 >/dev/null 2>&1 && ! icmp_back "$1" 3 1 1 >/dev/null 2>&1
}

check "A's namespace does not forward (ip_forward 0)" \
	test "$(ip netns exec $NS_A sysctl -n net.ipv4.ip_forward)" = 0
check "no route to 10.9.0.0/16: ICMP net unreachable" icmp_back 10.9.1.1 3 0
check "ip route add 10.9.0.0/16 via r1: reaches r1" \
	sh -c "ip -n $NS_A route add 10.9.0.0/16 via 192.168.0.254 dev a-tap"
check "  ... forwarded to r1" reach $NS_R1 r1 10.9.1.1
check "ip route replace via r2: reaches r2" \
	sh -c "ip -n $NS_A route replace 10.9.0.0/16 via 192.168.0.253 dev a-tap"
check "  ... forwarded to r2" reach $NS_R2 r2 10.9.1.1
check "a second route, metric 5 via r1, wins over metric 0? no: 0 stays" \
	sh -c "ip -n $NS_A route add 10.9.0.0/16 via 192.168.0.254 dev a-tap metric 5"
check "  ... still r2 (metric 0)" reach $NS_R2 r2 10.9.2.2
check "metric 0 route deleted: the metric 5 route takes over" \
	sh -c "ip -n $NS_A route del 10.9.0.0/16 via 192.168.0.253 dev a-tap metric 0"
check "  ... forwarded to r1" reach $NS_R1 r1 10.9.2.2
check "ip route del the last one" \
	sh -c "ip -n $NS_A route del 10.9.0.0/16 metric 5"
check "  ... ICMP net unreachable again" icmp_back 10.9.3.3 3 0

# ECMP: 32 flows (source ports) with 3 datagrams each; each router logs the source ports it sees
ecmp() {
	local r ns pids=
	rm -f "$TMP"/ecmp*.up
	for r in 1 2; do
		ns=$TAG-r$r
		ip netns exec $ns timeout 12 $PY - r$r "$TMP/ecmp$r.up" > "$TMP/ecmp$r" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind((sys.argv[1], 0))
s.settimeout(0.5)
open(sys.argv[2], "w").close()
end = time.monotonic() + 10
while time.monotonic() < end:
    try:
        f = s.recv(4096)
    except socket.timeout:
        continue
    if f[30:32] == bytes([10, 8]) and f[23] == 17 and f.endswith(b"ecmp-end"):
        break
    if f[30:32] == bytes([10, 8]) and f[23] == 17 and b"ecmp" in f:
        ihl = (f[14] & 15) * 4
        print(int.from_bytes(f[14 + ihl:16 + ihl], "big"), flush=True)
PY
		pids="$pids $!"
	done
	for _ in $(seq 100); do
		[ -e "$TMP/ecmp1.up" ] && [ -e "$TMP/ecmp2.up" ] && break
		sleep 0.05
	done
	ip netns exec $NS_H1 $PY - <<'PY'
import socket, time
socks = []
for i in range(32):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.1.0.2", 31000 + i))
    socks.append(s)
for rnd in range(3):
    for s in socks:
        s.sendto(b"ecmp", ("10.8.0.7", 9999))
    time.sleep(0.3)
time.sleep(1)
for s in socks:		# the receivers stop when they see this (each router gets some)
    s.sendto(b"ecmp-end", ("10.8.0.7", 9999))
PY
	wait $pids
	$PY - "$TMP/ecmp1" "$TMP/ecmp2" <<'PY'
import sys
a = [int(l) for l in open(sys.argv[1])]
b = [int(l) for l in open(sys.argv[2])]
both = set(a) & set(b)
print("r1 %d datagrams (%d flows), r2 %d (%d flows)" % (len(a), len(set(a)), len(b), len(set(b))))
assert len(set(a) | set(b)) == 32, "flows missing"
assert len(a) + len(b) >= 80, "datagrams lost"
assert not both, "flows split over both routers: %s" % sorted(both)
assert len(set(a)) >= 4 and len(set(b)) >= 4, "not spread"
PY
}
check "ECMP route (nexthop via r1 nexthop via r2)" \
	sh -c "ip -n $NS_A route add 10.8.0.0/16 nexthop via 192.168.0.254 dev a-tap nexthop via 192.168.0.253 dev a-tap"
check "  ... 32 flows: each on one router, both routers used" ecmp
check "ECMP member r2 gone (route replaced by r1 alone)" \
	sh -c "ip -n $NS_A route replace 10.8.0.0/16 via 192.168.0.254 dev a-tap"
check "  ... forwarded to r1" reach $NS_R1 r1 10.8.9.9

check "ip route add blackhole / unreachable / prohibit" sh -c "
	ip -n $NS_A route add blackhole 10.7.0.0/16 &&
	ip -n $NS_A route add unreachable 10.6.0.0/16 &&
	ip -n $NS_A route add prohibit 10.5.0.0/16"
check "  ... blackhole: dropped and counted, no ICMP" blackholed 10.7.1.1 route_blackhole
check "  ... unreachable: ICMP host unreachable" icmp_back 10.6.1.1 3 1
check "  ... prohibit: ICMP communication administratively prohibited" icmp_back 10.5.1.1 3 13

check "ip -6 route add fd09::/64 via r1" \
	sh -c "ip -n $NS_A -6 route add fd09::/64 via fd00::fe dev a-tap"
check "  ... forwarded to r1" reach $NS_R1 r1 fd09::9
check "ip -6 route del" sh -c "ip -n $NS_A -6 route del fd09::/64 via fd00::fe dev a-tap"
check "  ... ICMPv6 no route" icmp_back fd09::9 1 0

# .250 never answers ARP: only a permanent entry gets datagrams to it
check "route via 192.168.0.250 (nobody answers its ARP)" \
	sh -c "ip -n $NS_A route add 10.4.0.0/16 via 192.168.0.250 dev a-tap"
check "  ... unresolved: ICMP host unreachable" icmp_back 10.4.1.1 3 1
check "ip neigh replace 192.168.0.250 lladdr r1 nud permanent dev a-tap" \
	sh -c "ip -n $NS_A neigh replace 192.168.0.250 lladdr $MAC1 nud permanent dev a-tap"
check "  ... forwarded to r1's MAC" reach $NS_R1 r1 10.4.1.1
check "the configuration's neighbour wan 192.168.0.249 lladdr r2: 10.3.0.0/16 reaches r2" \
	reach $NS_R2 r2 10.3.1.1

if [ -x "$CTL" ]; then
	ctl() { timeout 10 "$CTL" --ctl "$TMP/a.sock" "$@"; }
	check "xfrmgw-ctl routes: 10.4.0.0/16 from the kernel, held" sh -c "
		$(declare -f ctl); CTL=$CTL TMP=$TMP
		ctl routes | grep -E '^10\.4\.0\.0/16 .*via 192\.168\.0\.250 .*wan.*kernel.*yes'"
	check "xfrmgw-ctl routes: 10.3.0.0/16 from the configuration, held" sh -c "
		$(declare -f ctl); CTL=$CTL TMP=$TMP
		ctl routes | grep -E '^10\.3\.0\.0/16 .*via 192\.168\.0\.249 .*wan.*config.*yes'"
	check "xfrmgw-ctl -j routes: JSON with the blackhole route" sh -c "
		$(declare -f ctl); CTL=$CTL TMP=$TMP
		ctl -j routes | $PY -c '
import json, sys
r = json.load(sys.stdin)
b = [x for x in r[\"routes\"] if x[\"prefix\"] == \"10.7.0.0/16\"]
assert b and b[0][\"type\"] == \"blackhole\" and b[0][\"held\"] and b[0][\"origin\"] == \"kernel\", b
assert r[\"summary\"][\"held4\"] >= 8, r[\"summary\"]'"
	check "xfrmgw-ctl neighbours: both static entries, their origins" sh -c "
		$(declare -f ctl); CTL=$CTL TMP=$TMP
		out=\$(ctl neighbours) &&
		echo \"\$out\" | grep -E '^192\.168\.0\.250 +$MAC1 +wan +permanent +kernel' &&
		echo \"\$out\" | grep -E '^192\.168\.0\.249 +$MAC2 +wan +permanent +config'"
	check "xfrmgw-ctl -j neighbours: JSON" sh -c "
		$(declare -f ctl); CTL=$CTL TMP=$TMP
		ctl --json neighbours | $PY -c '
import json, sys
n = json.load(sys.stdin)[\"neighbours\"]
assert any(x[\"address\"] == \"192.168.0.250\" and x[\"state\"] == \"permanent\" for x in n), n'"
fi

check "ip neigh del 192.168.0.250: resolved by ARP again, unanswered: ICMP host unreachable" \
	sh -c "ip -n $NS_A neigh del 192.168.0.250 dev a-tap"
check "  ... ICMP host unreachable" icmp_back 10.4.2.2 3 1 12
check "A's namespace still does not forward" \
	test "$(ip netns exec $NS_A sysctl -n net.ipv4.ip_forward)" = 0
check "gateway A stops cleanly (exit 0)" gw_stop a

# mirror wan off: the kernel's routes on the TAP stay the kernel's business
gw_conf a "mirror wan off"
gw_start a || exit 1
check "mirror wan off: ip route add 10.9.0.0/16 via r1" \
	sh -c "ip -n $NS_A route add 10.9.0.0/16 via 192.168.0.254 dev a-tap"
check "  ... not taken: ICMP net unreachable" icmp_back 10.9.1.1 3 0
if [ -x "$CTL" ]; then
	check "  ... xfrmgw-ctl routes: no TAP mirrored, no kernel route" sh -c "
		out=\$(timeout 10 $CTL --ctl $TMP/a.sock routes) &&
		echo \"\$out\" | grep -q 'kernel mirror: 0 TAP' && ! echo \"\$out\" | grep -q ' kernel '"
fi
check "gateway A stops cleanly again (exit 0)" gw_stop a
exit $FAIL
