# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the two-gateway netns tests (test_gw_esp.sh, test_gw_acquire.sh,
# test_gw_workers.sh, test_gw_ipv6.sh). The topology:
#
#   h1 ---- [gwA lan | wan] ---- br0 (ns mid) ---- [wan | lan gwB] ---- h2
#   10.1.0.2  10.1.0.1  192.168.0.1           192.168.0.2  10.2.0.1   10.2.0.2
#   fd01::2   fd01::1   fd00::1                fd00::2     fd02::1    fd02::2
#
# The middle link is a bridge in its own namespace, so one capture there
# sees both directions and Scapy can inject toward either gateway.
# Namespaces, processes, check and the gateway's start and stop come from
# tests/lib/netns.sh: only what is started here is killed (by PID), the
# namespaces go on exit. Background helpers a test starts itself go into
# BG_PIDS (stopped first at cleanup).
#
# Needs: BIN (xfrmgw), EXEC (xfrmgw-exec), TAG, TMP set by the caller.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"
PY=$NETNS_PY
NETNS_GW=$BIN NETNS_EXEC=$EXEC NETNS_TMP=$TMP
NS_H1=$TAG-h1 NS_A=$TAG-a NS_MID=$TAG-mid NS_B=$TAG-b NS_H2=$TAG-h2
declare -A GWPID=()
BG_PIDS=
CAP_PID=
FAIL=0

pair_cleanup() {
	local p
	for p in $BG_PIDS $CAP_PID; do netns_kill "$p" "helper"; done
	if [ "$FAIL" != 0 ]; then	# what the gateways said, for the failure report
		for p in a b; do
			[ -s "$TMP/$p.log" ] && { echo "--- gateway $p log:"; tail -40 "$TMP/$p.log"; }
		done
	fi
	netns_cleanup
	rm -rf "$TMP"
}

pair_requirements() {
	local why
	why=$(netns_can_run) || { echo "SKIP: $why"; exit 77; }
	[ -x "$BIN" ] && [ -x "$EXEC" ] || { echo "SKIP: binaries missing"; exit 77; }
	$PY -c 'import scapy.all' 2>/dev/null || { echo "SKIP: no scapy"; exit 77; }
}

# host NS IF ADDR4 GW4 ADDR6 GW6
host_side() {
	ip -n "$1" link set lo up
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$1" addr add "$5" dev "$2" nodad
	ip -n "$1" route add default via "$4"
	ip -n "$1" -6 route add default via "$6"
}

pair_topology() {
	local ns
	netns_add $NS_H1 $NS_A $NS_MID $NS_B $NS_H2
	for ns in $NS_H1 $NS_A $NS_MID $NS_B $NS_H2; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 2>/dev/null
	done
	netns_veth $NS_A a-lan $NS_H1 h1
	netns_veth $NS_A a-wan $NS_MID m-a
	netns_veth $NS_B b-wan $NS_MID m-b
	netns_veth $NS_B b-lan $NS_H2 h2
	for ns in $NS_A $NS_B; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	ip -n $NS_MID link set lo up
	ip -n $NS_MID link add br0 type bridge
	ip netns exec $NS_MID sysctl -qw net.ipv6.conf.br0.disable_ipv6=1 2>/dev/null
	for i in m-a m-b; do
		ip netns exec $NS_MID sysctl -qw net.ipv6.conf.$i.disable_ipv6=1 2>/dev/null
		ip -n $NS_MID link set $i master br0
	done
	ip -n $NS_MID link set br0 up
	host_side $NS_H1 h1 10.1.0.2/24 10.1.0.1 fd01::2/64 fd01::1
	host_side $NS_H2 h2 10.2.0.2/24 10.2.0.1 fd02::2/64 fd02::1
}

# gw_conf SIDE EXTRA...: write $TMP/SIDE.conf (SIDE a or b). With WANTAP
# set, the wan port gets a TAP named SIDE-tap: the namespace's kernel then
# holds the wan addresses (192.168.0.SIDE, fd00::SIDE) as a host behind the
# gateway's exception path.
gw_conf() {
	local s=$1 n lanp
	[ "$s" = a ] && n=1 || n=2
	shift
	cat > "$TMP/$s.conf" <<CONF
port lan net_af_packet0,iface=$s-lan${LANQ:+,qpairs=$LANQ}${LANQ:+ rxq $LANQ}
port wan net_af_packet1,iface=$s-wan${WANQ:+,qpairs=$WANQ}${WANQ:+ rxq $WANQ}${WANTAP:+ tap $s-tap}
address lan 10.$n.0.1/24
address lan fd0$n::1/64
address wan 192.168.0.$n/24
address wan fd00::$n/64
mempool mbufs 4096 cache 64
idle sleep 200
CONF
	for lanp in "$@"; do echo "$lanp" >> "$TMP/$s.conf"; done
}

# pair_tap_hosts: for WANTAP, IPv6 back on in the gateways' namespaces (the
# TAPs get fd00::N; xfrmgw turns it off again on its af_packet ports)
pair_tap_hosts() {
	local ns
	for ns in $NS_A $NS_B; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0
	done
}

# gw_start SIDE [LCORES]: start the gateway of side a or b in its namespace;
# LCORES is EAL's --lcores map (default 0), e.g. 0@0,1@0,2@1 for two workers
# on a machine with two cores
gw_start() {
	local s=$1 ns
	[ "$s" = a ] && ns=$NS_A || ns=$NS_B
	NETNS_GW_LCORES=${2:-0} NETNS_GW_TIMEOUT=170 NETNS_GW_TELEMETRY=${TELEMETRY:-} \
		netns_gw_start "$s:xfrmgw" "$ns" "$TMP/$s.log" "$TAG-$s" "$TMP/$s.sock" \
		--config "$TMP/$s.conf" || { FAIL=1; return 1; }
	GWPID[$s]=$NETNS_LASTPID
}

gw_stop() {	# gw_stop SIDE: SIGTERM, exit status 0 expected
	unset "GWPID[$1]"
	netns_gw_stop "$1:xfrmgw"
}

X() {	# X SIDE CMD...: a program with its XFRM netlink bound to gateway SIDE
	local s=$1
	shift
	netns_ctl "$TMP/$s.sock" "$@"
}

# gw_telemetry SIDE PATH: one DPDK telemetry command (gateway started with TELEMETRY=" ")
gw_telemetry() {
	ip netns exec "$([ "$1" = a ] && echo $NS_A || echo $NS_B)" $PY - "$TAG-$1" "$2" <<'PY'
import json, socket, sys, glob
path = glob.glob("/var/run/dpdk/%s/dpdk_telemetry.*" % sys.argv[1])[0]
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(path)
json.loads(s.recv(16384).decode())
s.send(sys.argv[2].encode())
print(json.dumps(json.loads(s.recv(65536).decode())[sys.argv[2]]))
PY
}

# drop_count SIDE REASON: the gateway's /xfrmgw/stats drop counter REASON
drop_count() {
	gw_telemetry "$1" /xfrmgw/stats | $PY -c 'import json,sys; print(json.load(sys.stdin)["drop"][sys.argv[1]])' "$2"
}

# kping NS DST [COUNT]: ICMP echoes built by the namespace's kernel (raw
# socket: the host's own IP stack and routes); all COUNT must be answered
kping() {
	ip netns exec "$1" $PY - "$2" "${3:-3}" <<'PY'
import os, select, socket, struct, sys, time
dst, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident, got = os.getpid() & 0xffff, 0
def csum(b):
    b += b"\0" * (len(b) & 1)
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff)
    return ~(t + (t >> 16)) & 0xffff
for seq in range(count):
    body = b"k" * 56
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    s.sendto(struct.pack("!BBHHH", 8, 0, csum(hdr + body), ident, seq) + body, (dst, 0))
    end = time.monotonic() + 2
    while time.monotonic() < end:
        if not select.select([s], [], [], max(0, end - time.monotonic()))[0]:
            break
        d, src = s.recvfrom(2048)
        ihl = (d[0] & 15) * 4
        t, _, _, i, q = struct.unpack("!BBHHH", d[ihl:ihl + 8])
        if t == 0 and i == ident and q == seq and src[0] == dst:
            got += 1
            break
    time.sleep(0.05)
assert got == count, "%d/%d echo replies" % (got, count)
PY
}

# ping_ok NS DST [COUNT]: ICMP echoes by Scapy; at least COUNT-1 answered
ping_ok() {
	ip netns exec "$1" $PY - "$2" "${3:-3}" "${4:-56}" <<'PY'
import sys
from scapy.all import IP, IPv6, ICMP, ICMPv6EchoRequest, ICMPv6EchoReply, Raw, sr1, conf
conf.verb = 0
dst, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
got = 0
for seq in range(count):
    if ":" in dst:
        q = IPv6(dst=dst) / ICMPv6EchoRequest(id=0x77, seq=seq, data=b"p" * size)
        r = sr1(q, timeout=2)
        ok = r is not None and ICMPv6EchoReply in r
    else:
        r = sr1(IP(dst=dst) / ICMP(id=0x77, seq=seq) / Raw(b"p" * size), timeout=2)
        ok = r is not None and ICMP in r and r[ICMP].type == 0
    got += ok
assert got >= max(count - 1, 1), "%d/%d echo replies" % (got, count)
PY
}

# capture_start FILE: Scapy sniff on m-a (both directions, each frame once) until capture_stop; pcap in FILE
capture_start() {
	rm -f "$1" "$1.up"
	ip netns exec $NS_MID timeout 60 $PY - "$1" <<'PY' > "$1.log" 2>&1 &
import signal, sys
from scapy.all import AsyncSniffer, wrpcap
out = sys.argv[1]
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
s = AsyncSniffer(iface="m-a", store=True,
                 started_callback=lambda: open(out + ".up", "w").close())
s.start()
signal.sigwait([signal.SIGTERM, signal.SIGINT])
pk = s.stop()
wrpcap(out, pk)
PY
	CAP_PID=$!
	for _ in $(seq 50); do [ -e "$1.up" ] && break; sleep 0.1; done
}

capture_stop() {
	sleep 0.3
	kill -TERM "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
}

# udp_send NS DST COUNT SIZE [SPORTS]: COUNT UDP datagrams of SIZE bytes of
# payload, source ports cycling over SPORTS distinct values (flows)
udp_send() {
	ip netns exec "$1" $PY - "$2" "$3" "$4" "${5:-1}" <<'PY'
import sys
from scapy.all import IP, IPv6, UDP, Raw, send, conf
conf.verb = 0
dst, n, size, flows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
L3 = IPv6 if ":" in dst else IP
send([L3(dst=dst) / UDP(sport=20000 + i % flows, dport=9) / Raw(b"u" * size)
      for i in range(n)], inter=0)
PY
}
