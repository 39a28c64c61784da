#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Policy enforcement on the packet path (RFC 4301 5.2, the kernel's input
# policy check), two gateways in network namespaces (gw_pair_lib.sh), SAs and
# policies through the real iproute2 and xfrmgw-exec; Scapy injects on the
# middle link toward B:
#  - forwarded cleartext claiming a protected source is dropped
#    (policy_cleartext) and never reaches h2, while the tunnel keeps working;
#  - ESP on a valid SA whose inner source is outside the SA's selector is
#    dropped (policy_mismatch);
#  - a tunnel packet that matches no policy is dropped (policy_none_tunnel);
#  - `ip xfrm policy setdefault fwd block`: unmatched forwarded cleartext is
#    dropped (policy_default_block); with accept it is forwarded again;
#  - IPv6 UDP with Hop-by-Hop, Destination Options, Routing (segments left
#    0) and a first fragment before it matches a `proto udp dport` out
#    policy: ESP on the wire, never cleartext; a later fragment matches only
#    port-less selectors and leaves in clear, as the kernel's;
#  - ESP to B's IPv6 address after a Destination Options header is decrypted
#    and delivered to h2.
# usage: test_gw_enforce.sh XFRMGW XFRMGW_EXEC
set -u
BIN=$1 EXEC=$2
TAG=gwf$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KG=0x00112233445566778899aabbccddeeff01020304		# AES-128 key + salt (RFC 4106 4)

pair_topology
gw_conf a "route fd02::/64 via fd00::2 dev wan"
gw_conf b "route fd01::/64 via fd00::1 dev wan"
export TELEMETRY=" "
gw_start a || exit 1
gw_start b || exit 1

# pol SIDE DIR SRCNET DSTNET TSRC TDST REQID [SELECTOR...]: one ESP tunnel template
pol() {
	local s=$1 d=$2 sn=$3 dn=$4 ts=$5 td=$6 r=$7
	shift 7
	X "$s" ip xfrm policy add src "$sn" dst "$dn" "$@" dir "$d" \
		tmpl src "$ts" dst "$td" proto esp reqid "$r" mode tunnel
}

# sa SIDE SRC DST SPI REQID [EXTRA...]: a GCM tunnel SA
sa() {
	local s=$1 src=$2 dst=$3 spi=$4 r=$5
	shift 5
	X "$s" ip xfrm state add src "$src" dst "$dst" proto esp spi "$spi" reqid "$r" \
		mode tunnel replay-window 64 aead 'rfc4106(gcm(aes))' $KG 128 "$@"
}

setup4() {
	pol a out 10.1.0.0/24 10.2.0.0/24 192.168.0.1 192.168.0.2 1 &&
	pol a fwd 10.2.0.0/24 10.1.0.0/24 192.168.0.2 192.168.0.1 1 &&
	pol b out 10.2.0.0/24 10.1.0.0/24 192.168.0.2 192.168.0.1 1 &&
	pol b fwd 10.1.0.0/24 10.2.0.0/24 192.168.0.1 192.168.0.2 1 &&
	sa a 192.168.0.1 192.168.0.2 0x1001 1 && sa b 192.168.0.1 192.168.0.2 0x1001 1 &&
	sa a 192.168.0.2 192.168.0.1 0x1002 1 && sa b 192.168.0.2 192.168.0.1 0x1002 1 &&
	# only Scapy sends on these two: one with a selector, one without
	sa b 192.168.0.1 192.168.0.2 0x1003 1 sel src 10.1.0.0/24 dst 10.2.0.0/24 &&
	sa b 192.168.0.1 192.168.0.2 0x1004 1
}
check "IPv4 tunnel policies (out, fwd) and SAs on both gateways" setup4
check "the tunnel carries h1 -> h2" ping_ok $NS_H1 10.2.0.2 3

BMAC=$(ip netns exec $NS_B cat /sys/class/net/b-wan/address)

# h2 listens: how many ICMP echo requests with id ID reach it
listen_h2() {	# listen_h2 FILTER: tcpdump on h2 until killed
	local i
	rm -f "$TMP/h2.pcap" "$TMP/h2.err"
	ip netns exec $NS_H2 timeout 30 tcpdump -n -U -i h2 -w "$TMP/h2.pcap" "$1" \
		>/dev/null 2>"$TMP/h2.err" &
	TD_PID=$!
	for i in $(seq 100); do	# until it says it listens (poll, no fixed sleep)
		grep -qs "listening on" "$TMP/h2.err" && break
		sleep 0.05
	done
}
h2_count() {
	sleep 0.5
	kill "$TD_PID" 2>/dev/null
	wait "$TD_PID" 2>/dev/null
	tcpdump -n -r "$TMP/h2.pcap" 2>/dev/null | wc -l
}
h2_saw() {	# h2_saw N: the capture since listen_h2 holds N packets
	local n
	n=$(h2_count)
	[ "$n" = "$1" ] || { echo "h2 saw $n packets, expected $1"; tcpdump -n -r "$TMP/h2.pcap"; \
		gw_telemetry b /xfrmgw/stats | $PY -c 'import json,sys; d=json.load(sys.stdin); print({k: v for k, v in d["drop"].items() if v})'; return 1; }
}

# inject_esp SPI SRC SEQ N: Scapy ESP (the GCM key) A -> B, inner IP src SRC to h2
inject_esp() {
	ip netns exec $NS_MID $PY - "$BMAC" "$@" "${KG#0x}" <<'PY'
import sys
from scapy.all import Ether, IP, ICMP, Raw, sendp, conf
from scapy.layers.ipsec import SecurityAssociation, ESP
conf.verb = 0
mac, spi, src, seq, n, key = sys.argv[1], int(sys.argv[2], 0), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), bytes.fromhex(sys.argv[6])
sa = SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM", crypt_key=key,
                         tunnel_header=IP(src="192.168.0.1", dst="192.168.0.2"))
pk = [Ether(dst=mac) / sa.encrypt(IP(src=src, dst="10.2.0.2") / ICMP(id=0x77, seq=i) / Raw(b"e" * 24),
                                   seq_num=seq + i) for i in range(n)]
sendp(pk, iface="m-b")
PY
}

# inject_clear SRC DST N: cleartext echoes toward B's WAN port
inject_clear() {
	ip netns exec $NS_MID $PY - "$BMAC" "$@" <<'PY'
import sys
from scapy.all import Ether, IP, ICMP, Raw, sendp, conf
conf.verb = 0
mac, src, dst, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sendp([Ether(dst=mac) / IP(src=src, dst=dst, ttl=64) / ICMP(id=0x66, seq=i) / Raw(b"c" * 24)
       for i in range(n)], iface="m-b")
PY
}

delta() {	# delta REASON BEFORE EXPECTED: B's drop counter moved by EXPECTED
	local now
	now=$(drop_count b "$1")
	[ "$((now - $2))" = "$3" ] || { echo "$1: $2 -> $now, expected +$3"; return 1; }
}

# 1. forwarded cleartext claiming a protected source
c0=$(drop_count b policy_cleartext)
listen_h2 "icmp[0] = 8 and icmp[4:2] = 0x66"
check "cleartext from 10.1.0.2 to h2 injected on the WAN" inject_clear 10.1.0.2 10.2.0.2 4
check "h2 never saw it" h2_saw 0
check "B counts it as policy_cleartext (4)" delta policy_cleartext "$c0" 4
check "the tunnel still carries h1 -> h2" ping_ok $NS_H1 10.2.0.2 3

# 2. ESP on SA 0x1003 (selector 10.1.0.0/24 -> 10.2.0.0/24) with an inner source outside it
m0=$(drop_count b policy_mismatch)
listen_h2 "icmp[0] = 8 and icmp[4:2] = 0x77"
check "ESP with inner source 10.9.0.9 on SA 0x1003" inject_esp 0x1003 10.9.0.9 1 3
check "h2 never saw it" h2_saw 0
check "B counts it as policy_mismatch (3)" delta policy_mismatch "$m0" 3
listen_h2 "icmp[0] = 8 and icmp[4:2] = 0x77"
check "the same SA with a source inside its selector" inject_esp 0x1003 10.1.0.9 10 2
check "h2 received those 2" h2_saw 2

# 3. a tunnel packet that matches no fwd policy (SA 0x1004 has no selector)
n0=$(drop_count b policy_none_tunnel)
listen_h2 "icmp[0] = 8 and icmp[4:2] = 0x77"
check "ESP with inner source 10.9.0.9 on SA 0x1004" inject_esp 0x1004 10.9.0.9 1 3
check "h2 never saw it" h2_saw 0
check "B counts it as policy_none_tunnel (3)" delta policy_none_tunnel "$n0" 3

# 4. default policies. With fwd block, what B forwards into the tunnel needs a
# fwd policy too (strongSwan installs one for each direction for this reason)
d0=$(drop_count b policy_default_block)
check "B: an allow fwd policy for the tunnel's outbound direction" \
	X b ip xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir fwd
check "ip xfrm policy setdefault fwd block" X b ip xfrm policy setdefault fwd block
getdefault() {	# getdefault DIR ACTION: what ip xfrm policy getdefault says of DIR
	X b ip xfrm policy getdefault > "$TMP/def" && grep -Eq "^ *$1: *$2" "$TMP/def" ||
		{ cat "$TMP/def"; return 1; }
}
defaults_shown() { getdefault fwd block && getdefault in accept && getdefault out accept; }
check "ip xfrm policy getdefault: fwd block, in and out accept" defaults_shown
listen_h2 "icmp[0] = 8 and icmp[4:2] = 0x66"
check "unmatched forwarded cleartext (192.168.0.77 -> h2)" inject_clear 192.168.0.77 10.2.0.2 3
check "h2 never saw it" h2_saw 0
check "B counts it as policy_default_block (3)" delta policy_default_block "$d0" 3
check "the tunnel still carries h1 -> h2 (fwd policy matches)" ping_ok $NS_H1 10.2.0.2 3
check "ip xfrm policy setdefault fwd accept" X b ip xfrm policy setdefault fwd accept
listen_h2 "icmp[0] = 8 and icmp[4:2] = 0x66"
check "the same cleartext again" inject_clear 192.168.0.77 10.2.0.2 3
check "h2 received it (3)" h2_saw 3

# 5. IPv6 extension headers before UDP, out policy proto udp dport 5555 on A
setup6() {
	X a ip xfrm policy add src fd01::/64 dst fd02::/64 proto udp dport 5555 dir out \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 6 mode tunnel &&
	X b ip xfrm policy add src fd01::/64 dst fd02::/64 proto udp dport 5555 dir fwd \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 6 mode tunnel &&
	sa a 192.168.0.1 192.168.0.2 0x6001 6 && sa b 192.168.0.1 192.168.0.2 0x6001 6
}
check "IPv6 UDP 5555 policy, its SA" setup6
capture_start "$TMP/v6.pcap"
send6() {
	ip netns exec $NS_H1 $PY - <<'PY'
from scapy.all import (IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                       IPv6ExtHdrFragment, UDP, Raw, send, conf)
conf.verb = 0
base = IPv6(src="fd01::2", dst="fd02::2")
u = UDP(sport=4444, dport=5555) / Raw(b"SECRET-EXTHDR" * 4)
send([base / IPv6ExtHdrHopByHop() / u,
      base / IPv6ExtHdrDestOpt() / u,
      base / IPv6ExtHdrRouting(segleft=0, addresses=[]) / u,
      base / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting(segleft=0, addresses=[]) / u,
      base / IPv6ExtHdrFragment(id=7, m=1, offset=0, nh=17) / u])
# a later fragment: no ports, so only port-less selectors can match it
send(base / IPv6ExtHdrFragment(id=8, m=0, offset=4, nh=17) / Raw(b"LATER-FRAGMENT" * 3))
PY
}
check "h1 sends UDP 5555 after HBH, DstOpts, Routing, all three, a first fragment" send6
sleep 0.5
capture_stop
check "middle link: 5 ESP packets on SPI 0x6001, never the cleartext" $PY - "$TMP/v6.pcap" <<'PY'
import sys
from scapy.all import rdpcap, IP, IPv6
from scapy.layers.ipsec import ESP
from scapy.all import UDP
pk = rdpcap(sys.argv[1])
esp = sum(1 for p in pk if IP in p and ESP in p and p[ESP].spi == 0x6001)
# h2's ICMPv6 port unreachable quotes the datagram: only UDP itself counts
clear = [p for p in pk if IPv6 in p and UDP in p and p[UDP].dport == 5555 and
         not p.haslayer("IPerror6")]
later = [p for p in pk if IPv6 in p and p[IPv6].src == "fd01::2" and b"LATER-FRAGMENT" in bytes(p)]
assert not clear, "%d cleartext packets on the wire: %s" % (
    len(clear), "; ".join(p.summary() for p in clear))
assert esp == 5, "%d ESP packets, expected 5" % esp
assert len(later) == 1, "the later fragment: %d in clear (expected 1, as the kernel)" % len(later)
PY

# 6. ESP to B's IPv6 address after a Destination Options header
setup6in() {
	X b ip xfrm policy add src fd01::/64 dst fd02::/64 dir fwd \
		tmpl src fd00::1 dst fd00::2 proto esp reqid 16 mode tunnel &&
	X b ip xfrm state add src fd00::1 dst fd00::2 proto esp spi 0x6101 reqid 16 mode tunnel \
		replay-window 64 aead 'rfc4106(gcm(aes))' $KG 128
}
check "an IPv6-outer SA on B" setup6in
inject_dst6() {
	ip netns exec $NS_MID $PY - "$BMAC" "${KG#0x}" <<'PY'
import sys
from scapy.all import Ether, IPv6, IPv6ExtHdrDestOpt, ICMPv6EchoRequest, sendp, conf, raw
from scapy.layers.ipsec import SecurityAssociation, ESP
conf.verb = 0
mac, key = sys.argv[1], bytes.fromhex(sys.argv[2])
sa = SecurityAssociation(ESP, spi=0x6101, crypt_algo="AES-GCM", crypt_key=key,
                         tunnel_header=IPv6(src="fd00::1", dst="fd00::2"))
out = []
for i in range(3):
    e = sa.encrypt(IPv6(src="fd01::2", dst="fd02::2") / ICMPv6EchoRequest(id=0x55, seq=i), seq_num=1 + i)
    # put a Destination Options header between the outer header and ESP
    esp = raw(e[ESP])
    out.append(Ether(dst=mac) / IPv6(src="fd00::1", dst="fd00::2", nh=60) /
               IPv6ExtHdrDestOpt(nh=50) / esp)
sendp(out, iface="m-b")
PY
}
listen_h2 "icmp6 and ip6[40] = 128"
check "ESP after a Destination Options header to fd00::2" inject_dst6
check "h2 received the 3 decrypted echoes" h2_saw 3

check "gateway A stops cleanly" gw_stop a
check "gateway B stops cleanly" gw_stop b
exit $FAIL
