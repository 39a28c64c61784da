#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# IPv6 through two running gateways (topology in gw_pair_lib.sh):
#  - ND: the gateway answers a neighbour solicitation for its address
#    (RFC 4861 7.2.4: solicited, override, target link-layer address);
#  - forwarding by route (fd02::/64 via fd00::2), hop limit exhausted ->
#    time exceeded (RFC 4443 3.3);
#  - packet too big with the link MTU (RFC 8201; routers never fragment);
#  - ESP: IPv6 inside IPv4 ESP tunnel; only ESP on the middle link; an
#    inner packet that does not fit the MTU less ESP's overhead gets packet
#    too big with that smaller MTU (RFC 4301 8.2), a packet of exactly that
#    size goes through.
# usage: test_gw_ipv6.sh XFRMGW XFRMGW_EXEC
set -u
BIN=$1 EXEC=$2
TAG=gw6$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KG=0x00112233445566778899aabbccddeeff01020304

pair_topology
gw_conf a "route fd02::/64 via fd00::2 dev wan"
gw_conf b "route fd01::/64 via fd00::1 dev wan"
sed -i 's/^port wan .*/& mtu 1400/' "$TMP/a.conf"
gw_start a || exit 1
gw_start b || exit 1

GMAC=$(ip netns exec $NS_A cat /sys/class/net/a-lan/address)
check "ND: neighbour advertisement for fd01::1" ip netns exec $NS_H1 $PY - "$GMAC" <<'PY'
import sys
from scapy.all import (Ether, IPv6, ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr,
                       ICMPv6NDOptDstLLAddr, srp1, conf, get_if_hwaddr)
from scapy.utils6 import in6_getnsma, in6_getnsmac
from socket import inet_pton, inet_ntop, AF_INET6
conf.verb = 0
gmac, me = sys.argv[1], get_if_hwaddr("h1")
tgt = "fd01::1"
sn = inet_ntop(AF_INET6, in6_getnsma(inet_pton(AF_INET6, tgt)))
q = (Ether(src=me, dst=in6_getnsmac(inet_pton(AF_INET6, sn))) /
     IPv6(src="fd01::2", dst=sn, hlim=255) / ICMPv6ND_NS(tgt=tgt) / ICMPv6NDOptSrcLLAddr(lladdr=me))
r = srp1(q, iface="h1", timeout=3, retry=2)
assert r is not None, "no NA"
na = r[ICMPv6ND_NA]
assert na.tgt == tgt and na.S == 1 and na.O == 1 and na.R == 1, na.summary()
assert r[IPv6].hlim == 255 and r[IPv6].dst == "fd01::2", r.summary()
assert r[ICMPv6NDOptDstLLAddr].lladdr == gmac and r[Ether].src == gmac, r.summary()
PY

check "IPv6 forwarding h1 -> h2 by route" ping_ok $NS_H1 fd02::2 3
check "IPv6 forwarding h2 -> h1 by route" ping_ok $NS_H2 fd01::2 3

check "hop limit 1: time exceeded from fd01::1" ip netns exec $NS_H1 $PY - <<'PY'
from scapy.all import IPv6, UDP, Raw, sr1, conf, ICMPv6TimeExceeded, IPerror6
conf.verb = 0
r = sr1(IPv6(dst="fd02::2", hlim=1) / UDP(sport=4321, dport=33434) / Raw(b"x" * 20),
        timeout=3, retry=2)
assert r is not None and ICMPv6TimeExceeded in r, r
assert r[IPv6].src == "fd01::1" and r[ICMPv6TimeExceeded].code == 0, r.summary()
assert r[IPerror6].dst == "fd02::2", r.summary()
PY

# ptb SIZE: the MTU packet too big reports for an IPv6 packet of SIZE bytes to h2
ptb() {
	ip netns exec $NS_H1 $PY - "$1" <<'PY'
import sys
from scapy.all import IPv6, UDP, Raw, sr1, conf, ICMPv6PacketTooBig
conf.verb = 0
size = int(sys.argv[1])
r = sr1(IPv6(dst="fd02::2") / UDP(sport=4321, dport=9) / Raw(b"b" * (size - 48)),
        timeout=3, retry=2, filter="icmp6")
assert r is not None and ICMPv6PacketTooBig in r, r
assert r[IPv6].src == "fd01::1", r.summary()
print(r[ICMPv6PacketTooBig].mtu)
PY
}
mtu=$(ptb 1450)
check "packet too big carries the link MTU 1400 (got ${mtu:-none})" test "${mtu:-0}" = 1400
check "a 1400-byte IPv6 packet fits" ping_ok $NS_H1 fd02::2 2 1352

# ESP: IPv6 in an IPv4 tunnel (the policy is consulted before the route)
esp_setup() {
	local s
	X a ip xfrm policy add src fd01::/64 dst fd02::/64 dir out \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 6 mode tunnel &&
	X b ip xfrm policy add src fd02::/64 dst fd01::/64 dir out \
		tmpl src 192.168.0.2 dst 192.168.0.1 proto esp reqid 6 mode tunnel &&
	X a ip xfrm policy add src fd02::/64 dst fd01::/64 dir fwd \
		tmpl src 192.168.0.2 dst 192.168.0.1 proto esp reqid 6 mode tunnel &&
	X b ip xfrm policy add src fd01::/64 dst fd02::/64 dir fwd \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 6 mode tunnel || return 1
	for s in a b; do
		X $s ip xfrm state add src 192.168.0.1 dst 192.168.0.2 proto esp spi 0x6001 reqid 6 \
			mode tunnel replay-window 32 aead 'rfc4106(gcm(aes))' $KG 128 &&
		X $s ip xfrm state add src 192.168.0.2 dst 192.168.0.1 proto esp spi 0x6002 reqid 6 \
			mode tunnel replay-window 32 aead 'rfc4106(gcm(aes))' $KG 128 || return 1
	done
}
check "IPv6-in-IPv4 ESP SAs and policies" esp_setup
capture_start "$TMP/esp6.pcap"
check "IPv6 over ESP: h1 -> h2 echo" ping_ok $NS_H1 fd02::2 3
capture_stop
only_esp() {
	$PY - "$TMP/esp6.pcap" <<'PY'
import sys
from scapy.all import rdpcap, IP, IPv6, ESP
pk = rdpcap(sys.argv[1])
assert not [p for p in pk if IPv6 in p and p[IPv6].nh == 58 and p[IPv6].src.startswith("fd0")
            and not p[IPv6].src.startswith("fd00")], "clear IPv6 between the gateways"
spis = {p[ESP].spi for p in pk if IP in p and ESP in p}
assert spis == {0x6001, 0x6002}, spis
PY
}
check "IPv6 over ESP: only ESP in IPv4 between the gateways" only_esp
mtu=$(ptb 1400)
check "ESP: packet too big with the MTU left by ESP (got ${mtu:-none})" \
	sh -c "[ '${mtu:-0}' -ge 1280 ] && [ '${mtu:-0}' -lt 1400 ]"
check "ESP: a packet of exactly that MTU goes through" ping_ok $NS_H1 fd02::2 2 $(( ${mtu:-1300} - 48 ))
check "gateway A stops cleanly" gw_stop a
check "gateway B stops cleanly" gw_stop b
exit $FAIL
