#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The real gateway driven by unmodified iproute2 through xfrmgw-exec, and
# queried with xfrmgw-ctl.
#
# With SHIM_PROBE, also the socket calls of shim_probe against the gateway,
# lying nlmsg_len values included (answered or refused, never a hang).
#
# usage: test_gateway_ip.sh XFRMGW_EXEC XFRMGW_BINARY XFRMGW_CTL [SHIM_PROBE]
set -u
EXEC=${1:?usage: test_gateway_ip.sh XFRMGW_EXEC XFRMGW_BINARY XFRMGW_CTL [SHIM_PROBE]}
GW=${2:?}
CTL=${3:?}
PROBE=${4:-}
TMP=$(mktemp -d /tmp/xfrmgw-gw-test.XXXXXX)
MON_PID=
. "$(dirname "$0")/gw_lib.sh"
cleanup() {
	[ -n "$MON_PID" ] && kill "$MON_PID" 2>/dev/null && wait "$MON_PID" 2>/dev/null
	gw_stop
	rm -rf "$TMP"
}
trap cleanup EXIT
gw_start real "$GW" || exit $?

X() { netns_ctl "$SOCK" "$@"; }
# expect NAME FILE PATTERN...: every extended regexp matches a line of FILE
expect() {
	local name=$1 file=$2 p
	shift 2
	for p in "$@"; do
		grep -Eq -- "$p" "$file" || { not_ok "$name: no line matching '$p'"; sed 's/^/    /' "$file"; return; }
	done
	ok "$name"
}
run() {	# run NAME CMD...: the command succeeds
	local name=$1
	shift
	if "$@" > "$TMP/out" 2>&1; then ok "$name"; else not_ok "$name: $(cat "$TMP/out")"; fi
}

# not X: its 10 s limit would end the monitor before the deletes on a loaded machine
timeout 120 "$EXEC" --ctl "$SOCK" ip xfrm monitor > "$TMP/monitor" 2>&1 & MON_PID=$!
sleep 0.3

K16=0x00112233445566778899aabbccddeeff
K20=0x0102030405060708090a0b0c0d0e0f1011121314
K32=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

run "add AEAD rfc4106 tunnel" X ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
	spi 0x1001 reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
run "add CBC+HMAC transport with mark and if_id" X ip xfrm state add src 192.0.2.1 dst 192.0.2.2 \
	proto esp spi 0x1002 reqid 8 mode transport enc 'cbc(aes)' $K16 \
	auth-trunc 'hmac(sha256)' $K32 128 mark 0x10 mask 0xff if_id 5
run "add ESN with replay window" X ip xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp \
	spi 0x1003 reqid 9 mode tunnel flag esn replay-window 128 \
	aead 'rfc4106(gcm(aes))' $K20 128
run "add encap espinudp with lifetimes" X ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
	spi 0x1004 reqid 10 mode tunnel encap espinudp 4500 4500 0.0.0.0 \
	aead 'rfc4106(gcm(aes))' $K20 128 limit time-soft 100 limit time-hard 200 \
	limit byte-soft 1000000 limit byte-hard 2000000

X ip xfrm state list > "$TMP/states" 2>&1
expect "state list" "$TMP/states" \
	"^src 192.0.2.1 dst 192.0.2.2$" \
	"proto esp spi 0x00001001 reqid 7 mode tunnel" \
	"aead rfc4106\(gcm\(aes\)\) $K20 128" \
	"proto esp spi 0x00001002 reqid 8 mode transport" \
	"auth-trunc hmac\(sha256\) $K32 128" \
	"enc cbc\(aes\) $K16" \
	"mark 0x10/0xff" "if_id 0x5" \
	"proto esp spi 0x00001003 reqid 9 mode tunnel" "flag .*esn" \
	"encap type espinudp sport 4500 dport 4500 addr 0.0.0.0"

X ip -s xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1004 > "$TMP/get" 2>&1
expect "state get with lifetimes" "$TMP/get" "spi 0x00001004" \
	"soft 100\(sec\)|time-soft 100|expire add: soft 100" "hard 200"

X ip xfrm state count > "$TMP/count" 2>&1
expect "state count" "$TMP/count" "SAD count 4"

cat > "$TMP/batch" <<EOF
xfrm policy add src 198.51.100.0/24 dst 203.0.113.0/24 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 7 mode tunnel
xfrm policy add src 203.0.113.0/24 dst 198.51.100.0/24 dir in tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 9 mode tunnel
xfrm policy add src 203.0.113.0/24 dst 198.51.100.0/24 dir fwd tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 9 mode tunnel
EOF
run "ip -batch policies" X ip -batch "$TMP/batch"
X ip xfrm policy list > "$TMP/policy" 2>&1
expect "policy list" "$TMP/policy" "^src 198.51.100.0/24 dst 203.0.113.0/24" "dir out" "dir in" "dir fwd" \
	"tmpl src 192.0.2.1 dst 192.0.2.2" "proto esp reqid 7 mode tunnel"
X ip xfrm policy get src 198.51.100.0/24 dst 203.0.113.0/24 dir out > "$TMP/pget" 2>&1
expect "policy get" "$TMP/pget" "dir out"

# xfrmgw-ctl over the same socket.
timeout 10 "$CTL" --ctl "$SOCK" sa > "$TMP/ctl_sa" 2>&1
expect "xfrmgw-ctl sa" "$TMP/ctl_sa" "spi 0x00001001" "aead rfc4106\(gcm\(aes\)\) key 160 bits icv 128"
! grep -q "0102030405" "$TMP/ctl_sa" && ok "xfrmgw-ctl sa prints no key bytes" || not_ok "key bytes printed"
timeout 10 "$CTL" --ctl "$SOCK" policy > "$TMP/ctl_pol" 2>&1
expect "xfrmgw-ctl policy" "$TMP/ctl_pol" "dir out" "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp"
timeout 10 "$CTL" --ctl "$SOCK" stats > "$TMP/ctl_stats" 2>&1
expect "xfrmgw-ctl stats" "$TMP/ctl_stats" "^sas: 4$"
timeout 20 "$CTL" --ctl "$SOCK" algs > "$TMP/ctl_algs" 2>&1
expect "xfrmgw-ctl algs (NETLINK_CRYPTO dump)" "$TMP/ctl_algs" "^name +: gcm\(aes\)" "^selftest +: passed"
timeout 30 "$CTL" --ctl "$SOCK" proposals > "$TMP/ctl_prop" 2>&1
expect "xfrmgw-ctl proposals" "$TMP/ctl_prop" "^esp_proposals = .*aes128gcm16" "^ah_proposals = .*sha256"

# Errors come back as netlink errors with a clear text.
if X ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1005 mode tunnel \
	enc 'cbc(nosuchcipher)' $K16 auth-trunc 'hmac(sha256)' $K32 128 2> "$TMP/err"; then
	not_ok "bad algorithm refused"
else
	grep -qE "RTNETLINK answers|Error: XFRMA_ALG_CRYPT" "$TMP/err" && ok "bad algorithm refused: $(head -1 "$TMP/err")" \
		|| not_ok "bad algorithm error: $(cat "$TMP/err")"
fi
if X ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 reqid 7 mode tunnel \
	aead 'rfc4106(gcm(aes))' $K20 128 2> "$TMP/err"; then
	not_ok "duplicate SA refused"
else
	grep -qE "File exists|SA already exists" "$TMP/err" && ok "duplicate SA refused" || not_ok "duplicate: $(cat "$TMP/err")"
fi

# An SA with a 1 s soft / 2 s hard lifetime expires: EXPIRE events.
run "add short-lived SA" X ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1006 \
	mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 limit time-soft 1 limit time-hard 2
sleep 4
grep -q "Expired src 192.0.2.1 dst 192.0.2.2" "$TMP/monitor" && ok "monitor sees EXPIRE" \
	|| not_ok "no EXPIRE event in monitor"
if X ip xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1006 > /dev/null 2>&1; then
	not_ok "hard-expired SA removed"
else
	ok "hard-expired SA removed"
fi

run "state delete" X ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001
run "policy delete" X ip xfrm policy delete src 198.51.100.0/24 dst 203.0.113.0/24 dir out
run "state flush" X ip xfrm state flush
run "policy flush" X ip xfrm policy flush
[ -z "$(X ip xfrm state list)$(X ip xfrm policy list)" ] && ok "empty after flush" || not_ok "not empty after flush"

kill "$MON_PID" 2>/dev/null; wait "$MON_PID" 2>/dev/null; MON_PID=
expect "monitor sees SA and policy events" "$TMP/monitor" "spi 0x00001001" "dir out" "Deleted"

if [ -n "$PROBE" ]; then
	X "$PROBE" > "$TMP/probe" 2>&1; rc=$?
	sed 's/^/    /' "$TMP/probe"
	[ $rc = 0 ] && ok "socket calls (shim_probe)" || not_ok "socket calls (shim_probe), exit $rc"
fi

netns_summary
