#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Route-based IPsec and marks (gw_pair_lib.sh topology, real iproute2 through
# xfrmgw-exec):
#  - gateway A has two XFRM interfaces, ipsec7 (if_id 7) and ipsec8 (if_id
#    8), with routes into them (10.2.0.0/25 and 10.2.0.128/25); both tunnels
#    have the SAME selectors (0.0.0.0/0 both ways) and are told apart only by
#    if_id, as strongSwan's route-based setups; each carries only its own
#    traffic (SA and per-interface counters);
#  - a route into an interface whose policy is gone drops and counts
#    (xfrmi_no_policy, the interface's tx_errors) instead of sending clear;
#  - gateway B is policy based with marks: its lan port marks what it
#    receives (mark 42), its out policy and outbound SA carry mark 42, its
#    inbound SA sets mark 42 (output-mark) and its fwd policy wants mark 42;
#    traffic flows only because the marks line up.
# usage: test_gw_xfrmi.sh XFRMGW XFRMGW_EXEC
set -u
BIN=$1 EXEC=$2
TAG=gwx$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KG=0x00112233445566778899aabbccddeeff01020304		# AES-128 key + salt (RFC 4106 4)

pair_topology
ip -n $NS_H2 addr add 10.2.0.200/24 dev h2
gw_conf a "xfrmi ipsec7 if_id 7" "xfrmi ipsec8 if_id 8" \
	"route 10.2.0.0/25 dev ipsec7" "route 10.2.0.128/25 dev ipsec8"
gw_conf b
sed -i 's/^\(port lan .*\)$/\1 mark 42/' "$TMP/b.conf"
export TELEMETRY=" "
gw_start a || exit 1
gw_start b || exit 1

sa() {	# sa SIDE SRC DST SPI REQID [EXTRA...]
	local s=$1 src=$2 dst=$3 spi=$4 r=$5
	shift 5
	X "$s" ip xfrm state add src "$src" dst "$dst" proto esp spi "$spi" reqid "$r" \
		mode tunnel replay-window 64 aead 'rfc4106(gcm(aes))' $KG 128 "$@"
}

# A: two route-based tunnels, identical selectors, if_id 7 and 8
side_a() {
	local id
	for id in 7 8; do
		X a ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out if_id $id \
			tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid $id mode tunnel &&
		X a ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir fwd if_id $id \
			tmpl src 192.168.0.2 dst 192.168.0.1 proto esp reqid $id mode tunnel &&
		sa a 192.168.0.1 192.168.0.2 0x${id}001 $id if_id $id &&
		sa a 192.168.0.2 192.168.0.1 0x${id}002 $id if_id $id || return 1
	done
}
# B: policy based, one tunnel per half of its LAN, the first one with marks
side_b() {
	X b ip xfrm policy add src 10.2.0.0/25 dst 10.1.0.0/24 dir out mark 42 mask 0xffffffff \
		tmpl src 192.168.0.2 dst 192.168.0.1 proto esp reqid 7 mode tunnel &&
	X b ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/25 dir fwd mark 42 mask 0xffffffff \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 7 mode tunnel &&
	X b ip xfrm policy add src 10.2.0.128/25 dst 10.1.0.0/24 dir out \
		tmpl src 192.168.0.2 dst 192.168.0.1 proto esp reqid 8 mode tunnel &&
	X b ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.128/25 dir fwd \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 8 mode tunnel &&
	sa b 192.168.0.1 192.168.0.2 0x7001 7 output-mark 42 &&
	sa b 192.168.0.2 192.168.0.1 0x7002 7 mark 42 mask 0xffffffff &&
	sa b 192.168.0.1 192.168.0.2 0x8001 8 &&
	sa b 192.168.0.2 192.168.0.1 0x8002 8
}
check "A: ipsec7 and ipsec8 policies (0.0.0.0/0, if_id 7 / 8) and SAs" side_a
check "B: policies and SAs, the 10.2.0.0/25 tunnel with mark 42" side_b
check "ip xfrm policy on A shows both if_ids" sh -c \
	"timeout 10 '$EXEC' --ctl '$TMP/a.sock' ip xfrm policy | grep -c 'if_id 0x[78]' | grep -qx 4"

packets() {	# packets SIDE SPI: the SA's packet count
	X "$1" ip -s xfrm state list | awk -v spi="$(printf '0x%08x' "$2")" '
		$0 ~ "spi " spi { on = 1 }
		on && /lifetime current:/ { getline; gsub(/\(bytes\),?|\(packets\)/, ""); print $2; exit }'
}
xfrmi() {	# xfrmi NAME FIELD: A's telemetry counter of the interface
	gw_telemetry a /xfrmgw/stats |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["xfrmi"][sys.argv[1]][sys.argv[2]])' "$1" "$2"
}

check "h1 -> 10.2.0.2 through ipsec7 (marks on B)" ping_ok $NS_H1 10.2.0.2 4
check "h1 -> 10.2.0.200 through ipsec8" ping_ok $NS_H1 10.2.0.200 3
counts() {
	local a7 a8 b7 b8
	a7=$(packets a 0x7001) a8=$(packets a 0x8001) b7=$(packets b 0x7002) b8=$(packets b 0x8002)
	echo "A out 7:$a7 8:$a8, B out 7:$b7 8:$b8"
	[ "$a7" -ge 3 ] && [ "$a7" -le 4 ] && [ "$a8" -ge 2 ] && [ "$a8" -le 3 ] &&
	[ "$b7" = "$(packets a 0x7002)" ] && [ "$b8" = "$(packets a 0x8002)" ] &&
	[ "$b7" -ge 3 ] && [ "$b8" -ge 2 ]
}
check "each tunnel carried only its own echoes (SA counters)" counts
ifcounts() {
	[ "$(xfrmi ipsec7 tx_packets)" = "$(packets a 0x7001)" ] &&
	[ "$(xfrmi ipsec8 tx_packets)" = "$(packets a 0x8001)" ] &&
	[ "$(xfrmi ipsec7 rx_packets)" = "$(packets a 0x7002)" ] &&
	[ "$(xfrmi ipsec8 rx_packets)" = "$(packets a 0x8002)" ]
}
check "ipsec7 / ipsec8 counters equal their SAs'" ifcounts

# an SA missing behind ipsec8: the ACQUIRE carries the policy's if_id (XFRMA_IF_ID)
timeout 30 "$EXEC" --ctl "$TMP/a.sock" ip xfrm monitor acquire > "$TMP/monitor" 2>&1 &
BG_PIDS="$BG_PIDS $!"
sleep 0.3
check "A: delete SA 0x8001" X a ip xfrm state delete src 192.168.0.1 dst 192.168.0.2 proto esp \
	spi 0x8001
check "a packet routed into ipsec8 without its SA" udp_send $NS_H1 10.2.0.200 1 20
acq_if_id() {
	local i
	for i in $(seq 40); do
		grep -q "if_id 0x8" "$TMP/monitor" && grep -q "^acquire" "$TMP/monitor" && return 0
		sleep 0.1
	done
	echo "monitor:"; cat "$TMP/monitor"
	echo "A's drops:"; gw_telemetry a /xfrmgw/stats | $PY -c 'import json,sys; d=json.load(sys.stdin); print({k: v for k, v in d["drop"].items() if v}, "acquires", d["acquires"])'
	X a ip xfrm state
	return 1
}
check "ip xfrm monitor: an acquire with if_id 0x8" acq_if_id
check "A: SA 0x8001 back" sa a 192.168.0.1 192.168.0.2 0x8001 8 if_id 8

e0=$(xfrmi ipsec8 tx_errors)
d0=$(drop_count a xfrmi_no_policy)
check "A: delete ipsec8's out policy" X a ip xfrm policy delete src 0.0.0.0/0 dst 0.0.0.0/0 \
	dir out if_id 8
capture_start "$TMP/mid.pcap"
udp_send $NS_H1 10.2.0.200 3 40
capture_stop
check "routed into ipsec8 without policy: dropped (xfrmi_no_policy +3)" \
	test "$(($(drop_count a xfrmi_no_policy) - d0))" = 3
check "ipsec8 tx_errors +3" test "$(($(xfrmi ipsec8 tx_errors) - e0))" = 3
check "nothing in clear toward 10.2.0.200 on the middle link" $PY - "$TMP/mid.pcap" <<'PY'
import sys
from scapy.all import rdpcap, IP, UDP
bad = [p for p in rdpcap(sys.argv[1]) if IP in p and p[IP].dst == "10.2.0.200"]
assert not bad, "%d cleartext packets" % len(bad)
PY
check "ipsec7 still carries h1 -> 10.2.0.2" ping_ok $NS_H1 10.2.0.2 2

check "gateway A stops cleanly" gw_stop a
check "gateway B stops cleanly" gw_stop b
exit $FAIL
