#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# XFRM_MSG_ACQUIRE from the running gateway: an `out` policy with an ESP
# tunnel template and no SA; h1's packet is dropped and `ip xfrm monitor`
# (through xfrmgw-exec) sees an acquire with the packet's flow as selector
# and the policy's template. As the kernel: the ACQUIRE leaves a larval SA
# (SPI 0) that mutes further ACQUIREs for the template; ALLOCSPI quoting the
# ACQUIRE's seq gives it an SPI, UPDSA completes it and traffic flows; a
# larval SA nobody answers expires after 30 s with a hard EXPIRE, and the
# next packet asks again. About 40 s.
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

# No IKE daemon listens yet: the ACQUIRE reaches nobody and, as the kernel's
# failed km_query(), leaves no larval SA that would mute the next packet.
policies() {
	X a ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out priority 100 \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 7 mode tunnel &&
	X a ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.99/32 dir out priority 10 \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp reqid 9 mode tunnel &&
	X b ip xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out \
		tmpl src 192.168.0.2 dst 192.168.0.1 proto esp reqid 7 mode tunnel &&
	# what comes out of a tunnel must match a fwd policy (RFC 4301 5.2)
	X a ip xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir fwd \
		tmpl src 192.168.0.2 dst 192.168.0.1 proto esp mode tunnel &&
	X b ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir fwd \
		tmpl src 192.168.0.1 dst 192.168.0.2 proto esp mode tunnel
}
check "out policies with a template, no SA" policies
sad_count() {	# sad_count SIDE: SAs in the gateway's SAD, larval ones included
	X "$1" ip xfrm state count | sed -n 's/.*SAD count \([0-9]*\).*/\1/p'
}
udp_send $NS_H1 10.2.0.2 1 10 1
sleep 0.5
check "an ACQUIRE nobody hears leaves no larval SA" test "$(sad_count a)" = 0

# (not X: its 10 s limit would end the monitor before the larval SA expires)
timeout 90 "$EXEC" --ctl "$TMP/a.sock" ip -s xfrm monitor acquire expire > "$TMP/monitor" 2>&1 &
BG_PIDS="$BG_PIDS $!"
sleep 0.3
acquires() {	# acquires [REQID]: ACQUIREs seen so far (for that reqid's template)
	awk -v r="${1:-}" 'function count() { if (b && (r == "" || m)) n++ }
		/^[^ \t]/ { count(); b = $0 ~ /^acquire/; m = 0 }
		b && r != "" && index($0, "reqid " r "(") { m = 1 }
		END { count(); print n + 0 }' "$TMP/monitor"
}

# reqid 9: a template no SA ever comes for; its larval SA must expire
check "a packet for the template nobody answers (reqid 9)" udp_send $NS_H1 10.2.0.99 1 10 1
T9=$(date +%s)

# h1 sends one UDP datagram 10.1.0.2:5555 -> 10.2.0.2:7777
check "a packet matching the policy" ip netns exec $NS_H1 $PY -c '
from scapy.all import IP, UDP, Raw, send, conf
conf.verb = 0
send(IP(dst="10.2.0.2") / UDP(sport=5555, dport=7777) / Raw(b"a" * 10))'
sleep 0.5
acq_block() {	# acq_block PATTERN: the first ACQUIRE printed with a line matching PATTERN
	awk -v p="$1" 'function out() { if (f) { printf "%s", t; exit } }
		/^[^ \t]/ { out(); t = ""; b = $0 ~ /^acquire/ }
		b { t = t $0 "\n"; if ($0 ~ p) f = 1 } END { out() }' "$TMP/monitor"
}
acquire_seen() {
	grep -q "^acquire proto esp" "$TMP/monitor" || { cat "$TMP/monitor"; return 1; }
	# the template's endpoints, reqid and mode; the flow as selector; the policy
	acq_block "sport 5555" > "$TMP/acq"
	grep -Eq "src 192.168.0.1 dst 192.168.0.2" "$TMP/acq" &&
	grep -Eq "sel src 10.1.0.2/32 dst 10.2.0.2/32 .*proto udp sport 5555 dport 7777" "$TMP/acq" &&
	grep -Eq "policy .*src 10.1.0.0/24 dst 10.2.0.0/24" "$TMP/acq" &&
	grep -Eq "dir out" "$TMP/acq" ||
	{ cat "$TMP/monitor"; return 1; }
}
check "ip xfrm monitor: acquire with the flow and the template" acquire_seen
check "two ACQUIREs: one per template" test "$(acquires)" = 2
# The kernel's xfrm_state_find(): the ACQUIRE left a larval SA (SPI 0); while
# it lives, no other ACQUIRE for its template, whatever the flow or the time.
larval_listed() {
	X a ip xfrm state list > "$TMP/states" &&
	grep -q "proto esp spi 0x00000000 reqid 7 mode tunnel" "$TMP/states" &&
	grep -q "proto esp spi 0x00000000 reqid 9 mode tunnel" "$TMP/states" ||
	{ cat "$TMP/states"; return 1; }
}
check "ip xfrm state: the larval SAs (SPI 0) of both templates" larval_listed
for i in 1 2 3 4; do udp_send $NS_H1 10.2.0.2 3 10 3; sleep 0.4; done
check "one ACQUIRE per larval SA, not one a second (packets over 1.6 s)" \
	test "$(acquires)" = 2

# xfrmgw-ctl stats: the packet path's drops by reason over the control socket
CTL=$(dirname "$EXEC")/../../tools/xfrmgw-ctl
ctl_drops() {
	timeout 10 "$CTL" --ctl "$TMP/a.sock" stats > "$TMP/stats" 2>&1 &&
	grep -Eq "^drops: [1-9]" "$TMP/stats" &&
	grep -Eq "^	no_sa_acquire (1[4-9]|[2-9][0-9])$" "$TMP/stats" &&
	grep -q "^ipsec-drops: 0$" "$TMP/stats" || { cat "$TMP/stats"; return 1; }
}
if [ -x "$CTL" ]; then
	check "xfrmgw-ctl stats: drops by reason (the packets without SA)" ctl_drops
fi

# charon's ALLOCSPI quoting the ACQUIRE's seq turns that larval SA into one
# with an SPI (no reqid given: the seq finds it)
# (iproute2 prints it in decimal after "0x")
SEQ=$(acq_block "sport 5555" | sed -n 's/^  seq 0x0*\([0-9][0-9]*\) .*/\1/p')
allocspi() {
	local be
	[ -n "$SEQ" ] || { echo "no seq in:"; cat "$TMP/monitor"; return 1; }
	# iproute2 sends `seq` in network byte order (xfrm_seq_parse); charon and
	# the kernel use host order: swap it so the message carries $SEQ
	be=$(( (SEQ & 0xff) << 24 | (SEQ & 0xff00) << 8 | (SEQ >> 8 & 0xff00) | SEQ >> 24 ))
	X a ip xfrm state allocspi src 192.168.0.1 dst 192.168.0.2 proto esp mode tunnel \
		seq "$be" min 0x7100 max 0x71ff > "$TMP/alloc" || return 1
	SPI=$(sed -n 's/.*spi \(0x[0-9a-f]*\).*/\1/p' "$TMP/alloc" | head -1)
	grep -q "reqid 7 mode tunnel" "$TMP/alloc" && [ -n "$SPI" ] &&
	[ "$(sad_count a)" = 2 ] || { cat "$TMP/alloc"; sad_count a; return 1; }
	echo "$SPI" > "$TMP/spi"
}
check "ALLOCSPI with the ACQUIRE's seq gives its larval SA an SPI" allocspi
SPI=$(cat "$TMP/spi" 2>/dev/null)

# the IKE daemon's part: UPDSA completes the larval SA on gateway A, the
# peer adds the same SA; and the SAs of the way back
sas() {
	X a ip xfrm state update src 192.168.0.1 dst 192.168.0.2 proto esp spi "$SPI" reqid 7 \
		mode tunnel aead 'rfc4106(gcm(aes))' $KG 128 &&
	X b ip xfrm state add src 192.168.0.1 dst 192.168.0.2 proto esp spi "$SPI" reqid 7 \
		mode tunnel aead 'rfc4106(gcm(aes))' $KG 128 || return 1
	for s in a b; do
		X $s ip xfrm state add src 192.168.0.2 dst 192.168.0.1 proto esp spi 0x7002 reqid 7 \
			mode tunnel aead 'rfc4106(gcm(aes))' $KG 128 || return 1
	done
}
check "the IKE daemon's part: UPDSA on the allocated SPI, SAs added" sas
# NEWAE (XFRMNLGRP_AEVENTS): the SAs carry the kernel's default thresholds
# (2 packets, 1 s); the control thread tells subscribers as the outbound
# sequence number advances
"$EXEC" --ctl "$TMP/a.sock" ip xfrm monitor aevent > "$TMP/aevents" 2>&1 &
AE_PID=$!
BG_PIDS="$BG_PIDS $AE_PID"
sleep 0.3
check "traffic flows once the SAs are there" ping_ok $NS_H1 10.2.0.2 3
sleep 0.3
kill "$AE_PID" 2>/dev/null
aevents_seen() {
	# iproute2 prints XFRM_AE_CR (0x10) as "replay update"
	grep -q "^Async event  (0x10)  replay update" "$TMP/aevents" &&
	grep -q "src 192.168.0.1 dst 192.168.0.2  reqid 0x7 protocol esp  SPI $(printf 0x%x "$SPI")" \
		"$TMP/aevents" || { cat "$TMP/aevents"; return 1; }
}
check "ip xfrm monitor aevent: NEWAE as the sequence numbers advance" aevents_seen
n=$(acquires)
check "no more ACQUIREs with the SA in place" ping_ok $NS_H1 10.2.0.2 2
check "acquire count unchanged" test "$(acquires)" = "$n"
# (counted by reqid: reqid 9's larval SA may expire meanwhile on a loaded machine)
reqid7() { X a ip xfrm state list | grep -c "reqid 7 "; }
check "the completed SA replaced its larval SA (reqid 7: the 2 SAs, no larval one)" \
	test "$(reqid7)" = 2

# reqid 9's larval SA lives XFRM_ACQ_EXPIRES (30 s), then the IKE daemon
# gets a hard EXPIRE for it (SPI 0), as from the kernel; the next packet
# asks again
left=$((T9 + 31 - $(date +%s)))
[ "$left" -gt 0 ] && sleep "$left"
for _ in $(seq 20); do grep -q "^	hard 1" "$TMP/monitor" && break; sleep 0.2; done
larval_expired() {
	awk '/^[^ \t]/ { b = $0 ~ /^Expired/ } b' "$TMP/monitor" > "$TMP/exp"
	grep -q "proto esp spi 0x00000000" "$TMP/exp" && grep -q "reqid 9(" "$TMP/exp" &&
	grep -q "hard 1" "$TMP/exp" || { cat "$TMP/monitor"; return 1; }
}
check "the unanswered larval SA expired: hard EXPIRE with SPI 0" larval_expired
check "... and left the SAD" test "$(sad_count a)" = 2
udp_send $NS_H1 10.2.0.99 1 10 1
sleep 0.5
check "a new ACQUIRE for that template once its larval SA is gone" test "$(acquires 9)" = 2
check "gateway A stops cleanly" gw_stop a
check "gateway B stops cleanly" gw_stop b
exit $FAIL
