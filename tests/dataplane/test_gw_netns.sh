#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The packet path between network namespaces:
#
#   h1 (10.1.0.2) --veth-- [gw: port a 10.1.0.1, TAP xgwa | port b 10.2.0.1] --veth-- h2 (10.2.0.2)
#
# A gateway with two net_af_packet ports forwards by route, answers ARP for
# its address, lets the host kernel answer ping through the TAP, and sends
# ICMP time exceeded for TTL 1. Usage: test_gw_netns.sh XFRMGW_BINARY
set -u
BIN=$1
. "$(dirname "$0")/../lib/netns.sh"
why=$(netns_can_run) || { echo "SKIP: $why"; exit 77; }
PY=$NETNS_PY
TAG=gwt$$
NS_GW=$TAG-gw NS_H1=$TAG-h1 NS_H2=$TAG-h2
TMP=$(mktemp -d)
NETNS_GW=$BIN NETNS_TMP=$TMP

cleanup() {
	netns_cleanup
	rm -rf "$TMP"
}
trap cleanup EXIT

# ping NS DST [SIZE] [DF]: three ICMP echoes by Scapy (no ping binary needed)
ping_ok() {
	ip netns exec "$1" $PY - "$2" "${3:-56}" "${4:-0}" <<'PY'
import sys
from scapy.all import IP, ICMP, Raw, sr1, conf
conf.verb = 0
dst, size, df = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
got = 0
for seq in range(3):
    r = sr1(IP(dst=dst, flags="DF" if df else 0) / ICMP(id=0x77, seq=seq) / Raw(b"p" * size),
            timeout=2, retry=1)
    if r is not None and ICMP in r and r[ICMP].type == 0 and len(r[Raw].load) == size:
        got += 1
assert got >= 2, "%d/3 echo replies" % got
PY
}

netns_add $NS_GW $NS_H1 $NS_H2 || exit 1
netns_veth $NS_GW g1 $NS_H1 h1
netns_veth $NS_GW g2 $NS_H2 h2
for ns in $NS_H1 $NS_H2; do ip -n $ns link set lo up; done
ip -n $NS_H1 addr add 10.1.0.2/24 dev h1
ip -n $NS_H1 route add default via 10.1.0.1
ip -n $NS_H2 addr add 10.2.0.2/24 dev h2
ip -n $NS_H2 route add default via 10.2.0.1

cat > "$TMP/gw.conf" <<CONF
port a net_af_packet0,iface=g1 tap xgwa
port b net_af_packet1,iface=g2
address a 10.1.0.1/24
address b 10.2.0.1/24
mempool mbufs 4096 cache 64
idle sleep 200
CONF

NETNS_GW_MEM=160 NETNS_GW_TIMEOUT=150 netns_gw_start gw "$NS_GW" "$TMP/gw.log" "$TAG" \
	"$TMP/xfrm.sock" --config "$TMP/gw.conf" || exit 1
GW_PID=$NETNS_LASTPID
check "TAP xgwa carries 10.1.0.1" ip netns exec $NS_GW sh -c 'ip -4 addr show dev xgwa | grep -q 10.1.0.1/24'

GMAC=$(ip netns exec $NS_GW cat /sys/class/net/g1/address)
H1MAC=$(ip netns exec $NS_H1 cat /sys/class/net/h1/address)

# ARP: the reply built by the gateway, field by field (RFC 826)
check "ARP reply for 10.1.0.1" ip netns exec $NS_H1 $PY - "$GMAC" "$H1MAC" <<'PY'
import sys
from scapy.all import Ether, ARP, srp1, conf
conf.verb = 0
gmac, hmac = sys.argv[1], sys.argv[2]
r = srp1(Ether(dst="ff:ff:ff:ff:ff:ff", src=hmac) /
         ARP(op=1, hwsrc=hmac, psrc="10.1.0.2", pdst="10.1.0.1"),
         iface="h1", timeout=3, retry=2)
assert r is not None, "no ARP reply"
a = r[ARP]
assert (a.hwtype, a.ptype, a.hwlen, a.plen) == (1, 0x800, 6, 4), a.summary()
assert a.hwsrc == gmac and r[Ether].src == gmac, (a.hwsrc, gmac)
assert a.hwdst == hmac and r[Ether].dst == hmac and a.pdst == "10.1.0.2", a.summary()
PY

check "ping the gateway (host kernel through the TAP)" ping_ok $NS_H1 10.1.0.1
check "forward h1 -> h2 by route" ping_ok $NS_H1 10.2.0.2
check "forward h2 -> h1 by route" ping_ok $NS_H2 10.1.0.2
check "1400-byte pings" ping_ok $NS_H1 10.2.0.2 1372 1

# TTL 1: time exceeded from the arrival port's address (RFC 792, RFC 1812 5.3.1)
check "ICMP time exceeded on TTL 1" ip netns exec $NS_H1 $PY - <<'PY'
from scapy.all import IP, UDP, ICMP, sr1, conf, Raw
from scapy.layers.inet import IPerror, UDPerror
conf.verb = 0
r = sr1(IP(dst="10.2.0.2", ttl=1) / UDP(sport=4321, dport=33434) / Raw(b"x" * 20),
        timeout=3, retry=2)
assert r is not None, "no answer"
assert r[IP].src == "10.1.0.1", r.summary()
assert r[ICMP].type == 11 and r[ICMP].code == 0, r.summary()
assert r[IPerror].dst == "10.2.0.2" and r[UDPerror].dport == 33434, r.summary()
PY

# No route: net unreachable
check "ICMP unreachable without a route" ip netns exec $NS_H1 $PY - <<'PY'
from scapy.all import IP, UDP, ICMP, sr1, conf
conf.verb = 0
r = sr1(IP(dst="192.0.2.9", ttl=9) / UDP(dport=9), timeout=3, retry=2)
assert r is not None and r[ICMP].type == 3 and r[ICMP].code == 0, r
PY

# DF and a 1000-byte MTU on b: fragmentation needed with MTU 1000 (RFC 1191)
sed -i 's/^port b .*/& mtu 1000/' "$TMP/gw.conf"
kill -HUP $GW_PID; sleep 0.5
check "reload applied" grep -q reloaded "$TMP/gw.log"
check "frag needed carries the MTU" ip netns exec $NS_H1 $PY - <<'PY'
from scapy.all import IP, UDP, ICMP, sr1, conf, Raw
conf.verb = 0
r = sr1(IP(dst="10.2.0.2", flags="DF") / UDP(dport=9) / Raw(b"y" * 1200), timeout=3, retry=2)
assert r is not None and r[ICMP].type == 3 and r[ICMP].code == 4, r
assert r[ICMP].nexthopmtu == 1000, r[ICMP].nexthopmtu
PY
check "DF clear: fragmented to fit" ping_ok $NS_H1 10.2.0.2 1400 0

check "clean stop on SIGTERM" netns_gw_stop gw
grep -q stopped "$TMP/gw.log" || { echo "log:"; cat "$TMP/gw.log"; }
exit $FAIL
