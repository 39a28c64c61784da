#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# One SA carried by two workers: both gateways run `worker 1` and
# `worker 2` (EAL --lcores 0@0,1@0,2@1: lcores outnumber the two cores, so
# idle sleep) and
# ports with two RX queues (net_af_packet qpairs=2, a fanout group that
# spreads flows over the queues).
#  - outbound: 16 flows from h1 land on both of A's workers, which encrypt
#    with the same SA: the captured sequence numbers are 1..N, no duplicate;
#  - inbound: ESP built by Scapy for one SA, in order, from several outer
#    source addresses (the kernel's fanout hashes them to both queues), is
#    decapsulated by both of B's workers with no false replay drop;
#  - telemetry: per-lcore counters show both workers did the work, per-SA
#    counters match what was sent.
# usage: test_gw_workers.sh XFRMGW XFRMGW_EXEC
set -u
BIN=$1 EXEC=$2
TAG=gwk$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KG=0x00112233445566778899aabbccddeeff01020304
N=400

pair_topology
export LANQ=2 WANQ=2 TELEMETRY=" "
gw_conf a "worker 1" "worker 2"
gw_conf b "worker 1" "worker 2"
gw_start a 0@0,1@0,2@1 || exit 1
gw_start b 0@0,1@1,2@0 || exit 1

setup() {
	local s
	X a ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 1 mode tunnel || return 1
	for s in a b; do
		X $s ip xfrm state add src 192.168.0.1 dst 192.168.0.2 proto esp spi 0x5001 reqid 1 \
			mode tunnel replay-window 1024 aead 'rfc4106(gcm(aes))' $KG 128 || return 1
	done
}
check "one SA A -> B, replay window 1024" setup
# h2 absorbs the datagrams (no ICMP port unreachable back)
ip netns exec $NS_H2 timeout 60 $PY -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9))
while True:
    s.recv(2048)' &
BG_PIDS="$BG_PIDS $!"

check "prime ARP on both sides" udp_send $NS_H1 10.2.0.2 2 10 1
sleep 0.5
X a ip -s xfrm state list > "$TMP/before"
capture_start "$TMP/out.pcap"
check "h1 sends $N datagrams in 16 flows" udp_send $NS_H1 10.2.0.2 $N 100 16
capture_stop

seq_unique() {
	$PY - "$TMP/out.pcap" $((N + 2)) <<'PY'
import sys
from scapy.all import rdpcap, ESP
s = [p[ESP].seq for p in rdpcap(sys.argv[1]) if ESP in p and p[ESP].spi == 0x5001]
assert len(s) == len(set(s)), "duplicate sequence numbers: %d packets, %d distinct" % (len(s), len(set(s)))
want = int(sys.argv[2])
assert sorted(s) == list(range(3, want + 1)), "got %d seqs, %s..%s" % (len(s), min(s), max(s))
print(len(s), "unique; out of order:", sum(1 for a, b in zip(s, s[1:]) if b < a))
PY
}
check "outbound: sequence numbers 3..$((N + 2)), each once" seq_unique

telemetry() {	# telemetry NS PREFIX CMD: one telemetry command's JSON
	ip netns exec "$1" $PY - "$2" "$3" <<'PY'
import json, socket, sys, glob
path = glob.glob("/var/run/dpdk/%s/dpdk_telemetry.*" % sys.argv[1])[0]
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(path)
s.recv(16384)
s.send(sys.argv[2].encode())
print(json.dumps(json.loads(s.recv(65536).decode())))
PY
}
lcore_val() {	# lcore_val NS PREFIX LCORE COUNTER
	telemetry "$1" "$2" "/xfrmgw/stats,$3" |
		$PY -c "import json,sys; print(json.load(sys.stdin)['/xfrmgw/stats']['$4'])"
}
per_lcore() {	# per_lcore NS PREFIX COUNTER MIN [BASE1 BASE2]: each worker's growth >= MIN
	local l v base=(0 "${5:-0}" "${6:-0}")
	for l in 1 2; do
		v=$(lcore_val "$1" "$2" $l "$3")
		echo "lcore $l $3 $v (was ${base[$l]})"
		[ $((v - base[l])) -ge "$4" ] || return 1
	done
}
check "A: both workers encrypted (per-lcore esp_out)" per_lcore $NS_A $TAG-a esp_out 20

replay_stats() {	# replay_stats SIDE: "replay-window N replay N failed N" of 0x5001
	X "$1" ip -s xfrm state get src 192.168.0.1 dst 192.168.0.2 proto esp spi 0x5001 |
		grep -o 'replay-window [0-9]* replay [0-9]* failed [0-9]*'
}
lifetime_pk() {
	X "$1" ip -s xfrm state get src 192.168.0.1 dst 192.168.0.2 proto esp spi 0x5001 |
		awk '/lifetime current:/ { getline; print $2; exit }' | tr -d '(packets)'
}
check "B: all $((N + 2)) decapsulated" test "$(lifetime_pk b)" = $((N + 2))
check "B: no replay drops" test "$(replay_stats b)" = "replay-window 0 replay 0 failed 0"

# Inbound split over B's workers: Scapy-built ESP of SA 0x5001, sequence
# numbers 1001..1000+N in order, outer sources 192.168.0.1, .101, .102, ...
inject() {
	ip netns exec $NS_MID $PY - "$(ip netns exec $NS_B cat /sys/class/net/b-wan/address)" \
		"${KG#0x}" $N <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, sendp, conf
from scapy.layers.ipsec import SecurityAssociation, ESP
conf.verb = 0
mac, key, n = sys.argv[1], bytes.fromhex(sys.argv[2]), int(sys.argv[3])
pk = []
for i in range(n):
    src = "192.168.0.1" if i % 8 == 0 else "192.168.0.%d" % (100 + i % 8)
    sa = SecurityAssociation(ESP, spi=0x5001, crypt_algo="AES-GCM", crypt_key=key,
                             tunnel_header=IP(src=src, dst="192.168.0.2"))
    inner = IP(src="10.1.0.2", dst="10.2.0.2") / UDP(sport=30000 + i % 16, dport=9) / Raw(b"i" * 64)
    pk.append(Ether(dst=mac) / sa.encrypt(inner, seq_num=1001 + i))
sendp(pk, iface="m-b")
PY
}
b_in1=$(lcore_val $NS_B $TAG-b 1 esp_in)
b_in2=$(lcore_val $NS_B $TAG-b 2 esp_in)
check "inject $N in-order ESP packets from 8 outer sources toward B" inject
sleep 0.5
check "B: all injected decapsulated" test "$(lifetime_pk b)" = $((2 * N + 2))
check "B: still no replay drops" test "$(replay_stats b)" = "replay-window 0 replay 0 failed 0"
check "B: both workers decapsulated (per-lcore esp_in)" \
	per_lcore $NS_B $TAG-b esp_in 10 "$b_in1" "$b_in2"
check "gateway A stops cleanly" gw_stop a
check "gateway B stops cleanly" gw_stop b
exit $FAIL
