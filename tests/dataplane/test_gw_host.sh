#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The host behind each gateway's TAP (the exception path) under the SPD, as
# XFRM treats locally generated and locally delivered packets (see
# gw_pair_lib.sh for the topology; WANTAP gives each namespace's kernel the
# gateway's wan addresses 192.168.0.1 / 192.168.0.2):
#  - ESP transport between the two gateways' own addresses, all protocols,
#    set with iproute2 through xfrmgw-exec: echoes built by host A's kernel
#    leave through the TAP encrypted; the middle link carries them only as
#    ESP (parsed with Scapy, both SPIs, sequence numbers from 1); SA counters;
#  - IKE bypasses the SPD both ways: UDP 500 and UDP 4500 behind the
#    non-ESP marker between the hosts cross in clear and arrive;
#  - cleartext ICMP for B's address injected on the middle link is refused
#    by B's `in` policy (RFC 4301 5.2): B's host never sees it, B counts it
#    as policy_cleartext;
#  - TCP host to host through the SA (DF packets too big for ESP get the
#    gateway's ICMP "fragmentation needed", which the host accepts);
#  - both gateways stop with exit status 0.
# usage: test_gw_host.sh XFRMGW XFRMGW_EXEC
set -u
BIN=$1 EXEC=$2
TAG=gwh$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KG=0x00112233445566778899aabbccddeeff01020304		# AES-128 key + salt (RFC 4106 4)
A=192.168.0.1 B=192.168.0.2

pair_topology
pair_tap_hosts
export WANTAP=1 TELEMETRY=" "
gw_conf a
gw_conf b
gw_start a || exit 1
gw_start b || exit 1

# transport SIDE: both SAs and the out/in policies of the host-to-host SA pair
transport() {
	local s=$1 me=$2 peer=$3
	X "$s" ip xfrm state add src $A dst $B proto esp spi 0x5001 reqid 5 mode transport \
		replay-window 64 aead 'rfc4106(gcm(aes))' $KG 128 &&
	X "$s" ip xfrm state add src $B dst $A proto esp spi 0x5002 reqid 5 mode transport \
		replay-window 64 aead 'rfc4106(gcm(aes))' $KG 128 &&
	X "$s" ip xfrm policy add src $me/32 dst $peer/32 dir out \
		tmpl proto esp reqid 5 mode transport &&
	X "$s" ip xfrm policy add src $peer/32 dst $me/32 dir in \
		tmpl proto esp reqid 5 mode transport
}
both() { transport a $A $B && transport b $B $A; }
check "ESP transport SAs and policies between the gateways' own addresses" both

# host_traffic: echoes, then IKE-like UDP on 500 and 4500 between the hosts
capture_start "$TMP/host.pcap"
ip netns exec $NS_B $PY - > "$TMP/udp.rcv" 2>&1 <<'PY' &
import socket, select, time
socks = []
for port in (500, 4500):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.168.0.2", port))
    socks.append(s)
end = time.monotonic() + 8
while time.monotonic() < end:
    for s in select.select(socks, [], [], 0.2)[0]:
        d, src = s.recvfrom(2048)
        print(s.getsockname()[1], src[1], d.hex(), flush=True)
PY
UDP_PID=$!
sleep 0.5
check "host A -> host B echoes through both TAPs (kernel-built ICMP)" kping $NS_A $B 5
ike() {
	ip netns exec $NS_A $PY - <<'PY'
import socket
for port, data in ((500, b"ike-sa-init"), (4500, b"\0\0\0\0ike-auth")):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.168.0.1", port))
    s.sendto(data, ("192.168.0.2", port))
    s.close()
PY
	sleep 0.5
	grep -q "^500 500 $(printf ike-sa-init | od -An -tx1 | tr -d ' \n')" "$TMP/udp.rcv" &&
	grep -q "^4500 4500 00000000$(printf ike-auth | od -An -tx1 | tr -d ' \n')" "$TMP/udp.rcv" ||
		{ cat "$TMP/udp.rcv"; return 1; }
}
check "UDP 500 and 4500 (non-ESP marker) between the hosts pass outside the SA" ike
capture_stop
kill "$UDP_PID" 2>/dev/null; wait "$UDP_PID" 2>/dev/null

wire() {
	$PY - "$TMP/host.pcap" <<'PY'
import sys
from scapy.all import rdpcap, IP, UDP, ESP, ICMP
seqs, udp = {0x5001: [], 0x5002: []}, set()
for p in rdpcap(sys.argv[1]):
    if IP not in p:
        continue
    assert ICMP not in p, "cleartext ICMP between the hosts: " + p.summary()
    if UDP in p:
        assert (p[IP].src, p[IP].dst) == ("192.168.0.1", "192.168.0.2"), p.summary()
        udp.add(p[UDP].dport)
        continue	# Scapy reads UDP 4500 as ESP in UDP: it is the IKE test's
    if ESP in p:
        assert p[ESP].spi in seqs, p.summary()
        seqs[p[ESP].spi].append(p[ESP].seq)
assert udp == {500, 4500}, "IKE ports seen in clear: %s" % udp
for spi, s in seqs.items():
    assert len(s) >= 5 and s == list(range(1, len(s) + 1)), "SPI %#x: %s" % (spi, s)
print({hex(k): len(v) for k, v in seqs.items()}, "UDP in clear:", sorted(udp))
PY
}
check "middle link: the echoes only as ESP (both SPIs, seq 1..n), IKE ports in clear" wire

# counts SIDE SPI: packets of the SA from `ip -s xfrm state list`
packets() {
	X "$1" ip -s xfrm state list | awk -v spi="$(printf '0x%08x' "$2")" '
		$0 ~ "spi " spi { on = 1 }
		on && /lifetime current:/ { getline; gsub(/\(bytes\),?|\(packets\)/, ""); print $2; exit }'
}
check "SA counters: A out = B in, B out = A in, 5 or more each" sh -c "
	[ '$(packets a 0x5001)' = '$(packets b 0x5001)' ] && [ '$(packets b 0x5002)' = '$(packets a 0x5002)' ] &&
	[ '$(packets a 0x5001)' -ge 5 ] && [ '$(packets b 0x5002)' -ge 5 ]"

# cleartext ICMP to B's address from the middle link: B's in policy refuses it
clear_before=$(drop_count b policy_cleartext)
ip netns exec $NS_B timeout 5 tcpdump -n -i b-tap -w "$TMP/btap.pcap" icmp > /dev/null 2>&1 &
TD_PID=$!
sleep 1
inject_clear() {
	ip netns exec $NS_MID $PY - "$(ip netns exec $NS_B cat /sys/class/net/b-wan/address)" <<'PY'
import sys
from scapy.all import Ether, IP, ICMP, Raw, sendp, conf
conf.verb = 0
sendp([Ether(dst=sys.argv[1]) / IP(src="192.168.0.1", dst="192.168.0.2") /
       ICMP(id=0x99, seq=i) / Raw(b"c" * 32) for i in range(3)], iface="m-b")
PY
}
check "cleartext echoes injected toward B" inject_clear
sleep 0.5
counted() {	# counted SIDE REASON BEFORE N: the counter rose by N
	local now
	now=$(drop_count "$1" "$2") || return 1
	[ $((now - $3)) = "$4" ] || { echo "$2: $3 -> $now, want +$4"; return 1; }
}
check "B counts them as policy_cleartext (3)" counted b policy_cleartext "$clear_before" 3
wait "$TD_PID" 2>/dev/null
check "B's host never saw them (tcpdump on b-tap)" \
	sh -c "[ \$(tcpdump -n -r '$TMP/btap.pcap' 2>/dev/null | wc -l) = 0 ]"

# TCP host to host through the SA, segments larger than ESP leaves room for
tcp() {
	head -c 300000 /dev/urandom > "$TMP/f.bin"
	ip netns exec $NS_B $PY - "$TMP/f.rcv" <<'PY' &
import socket, sys
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("192.168.0.2", 5001))
ls.listen(1)
ls.settimeout(20)
c, _ = ls.accept()
c.settimeout(20)
with open(sys.argv[1], "wb") as f:
    while True:
        d = c.recv(65536)
        if not d:
            break
        f.write(d)
PY
	local srv=$!
	sleep 0.3
	ip netns exec $NS_A timeout 20 $PY - "$TMP/f.bin" <<'PY'
import socket, sys
s = socket.create_connection(("192.168.0.2", 5001), timeout=20)
s.sendall(open(sys.argv[1], "rb").read())
s.close()
PY
	wait $srv && cmp "$TMP/f.bin" "$TMP/f.rcv"
}
check "TCP host A -> host B (300 kB) through the ESP transport SA" tcp

check "gateway A stops cleanly (exit 0)" gw_stop a
check "gateway B stops cleanly (exit 0)" gw_stop b
exit $FAIL
