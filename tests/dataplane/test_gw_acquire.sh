#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# XFRM_MSG_ACQUIRE from the running gateway: an `out` policy with an ESP
# tunnel template and no SA; h1's packet is dropped and `ip xfrm monitor`
# (through xfrmgw-exec) sees an acquire with the packet's flow as selector
# and the policy's template; once the SAs are added, traffic flows.
# usage: test_gw_acquire.sh XFRMGW XFRMGW_EXEC
set -u
BIN=$1 EXEC=$2
TAG=gwq$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KG=0x00112233445566778899aabbccddeeff01020304

pair_topology
gw_conf a
gw_conf b
gw_start a || exit 1
gw_start b || exit 1

X a ip xfrm monitor acquire > "$TMP/monitor" 2>&1 &
BG_PIDS="$BG_PIDS $!"
policies() {
	X a ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 7 mode tunnel &&
	X b ip xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out \
		tmpl src 192.168.0.2 dst 192.168.0.1 proto esp reqid 7 mode tunnel
}
check "out policies with a template, no SA" policies
sleep 0.3

# h1 sends one UDP datagram 10.1.0.2:5555 -> 10.2.0.2:7777
check "a packet matching the policy" ip netns exec $NS_H1 $PY -c '
from scapy.all import IP, UDP, Raw, send, conf
conf.verb = 0
send(IP(dst="10.2.0.2") / UDP(sport=5555, dport=7777) / Raw(b"a" * 10))'
sleep 0.5
acquire_seen() {
	grep -q "^acquire proto esp" "$TMP/monitor" || { cat "$TMP/monitor"; return 1; }
	# the template's endpoints, reqid and mode; the flow as selector; the policy
	grep -A12 "^acquire" "$TMP/monitor" > "$TMP/acq"
	grep -Eq "src 192.168.0.1 dst 192.168.0.2" "$TMP/acq" &&
	grep -Eq "sel src 10.1.0.2/32 dst 10.2.0.2/32 .*proto udp sport 5555 dport 7777" "$TMP/acq" &&
	grep -Eq "policy .*src 10.1.0.0/24 dst 10.2.0.0/24" "$TMP/acq" &&
	grep -Eq "dir out" "$TMP/acq" ||
	{ cat "$TMP/monitor"; return 1; }
}
check "ip xfrm monitor: acquire with the flow and the template" acquire_seen
# at most one acquire a second for a policy while no SA comes
udp_send $NS_H1 10.2.0.2 5 10 1
sleep 0.3
check "ACQUIREs are rate limited (one a second per policy)" \
	sh -c "[ \$(grep -c '^acquire' '$TMP/monitor') -le 2 ]"

sas() {
	local s
	for s in a b; do
		X $s ip xfrm state add src 192.168.0.1 dst 192.168.0.2 proto esp spi 0x7001 reqid 7 \
			mode tunnel aead 'rfc4106(gcm(aes))' $KG 128 &&
		X $s ip xfrm state add src 192.168.0.2 dst 192.168.0.1 proto esp spi 0x7002 reqid 7 \
			mode tunnel aead 'rfc4106(gcm(aes))' $KG 128 || return 1
	done
}
check "the IKE daemon's part: SAs added" sas
check "traffic flows once the SAs are there" ping_ok $NS_H1 10.2.0.2 3
n=$(grep -c '^acquire' "$TMP/monitor")
check "no more ACQUIREs with the SA in place" ping_ok $NS_H1 10.2.0.2 2
check "acquire count unchanged" test "$(grep -c '^acquire' "$TMP/monitor")" = "$n"
check "gateway A stops cleanly" gw_stop a
check "gateway B stops cleanly" gw_stop b
exit $FAIL
