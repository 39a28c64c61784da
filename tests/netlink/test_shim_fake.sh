#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The shim alone: unmodified iproute2 under xfrmgw-exec against the fake
# endpoint (fake_gateway.py). Checks add/list/get/delete/flush, dumps,
# ip -batch, ip xfrm monitor, errors, and that NETLINK_ROUTE still reaches
# the kernel.
#
# usage: test_shim_fake.sh XFRMGW_EXEC [SHIM_PROBE]
set -u
EXEC=${1:?usage: test_shim_fake.sh XFRMGW_EXEC [SHIM_PROBE]}
PROBE=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v ip >/dev/null || { echo "SKIP: no ip"; exit 77; }

TMP=$(mktemp -d /tmp/xfrmgw-shim-test.XXXXXX)
MON_PID=
. "$HERE/gw_lib.sh"	# SOCK, gw_start/gw_stop, ok, not_ok, netns_summary
cleanup() {
	[ -n "$MON_PID" ] && kill "$MON_PID" 2>/dev/null
	gw_stop
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

X() { netns_ctl "$SOCK" "$@"; }
# check NAME EXPECTED-FILE ACTUAL-FILE
same() {
	if diff -u "$2" "$3"; then ok "$1"; else not_ok "$1"; fi
}

gw_start fake || exit 1

X ip xfrm monitor > "$TMP/monitor" 2>&1 & MON_PID=$!
sleep 0.3

KEY20=0x0102030405060708090a0b0c0d0e0f1011121314
X ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 reqid 7 mode tunnel \
	aead 'rfc4106(gcm(aes))' $KEY20 128 && ok "state add (aead)" || not_ok "state add (aead)"

cat > "$TMP/batch" <<EOF
xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1002 mode transport enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff auth-trunc 'hmac(sha256)' 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128
xfrm policy add src 198.51.100.0/24 dst 203.0.113.0/24 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 7 mode tunnel
EOF
X ip -batch "$TMP/batch" && ok "ip -batch" || not_ok "ip -batch"

cat > "$TMP/expect_states" <<EOF
src 192.0.2.1 dst 192.0.2.2
	proto esp spi 0x00001001 reqid 7 mode tunnel
	replay-window 0 
	aead rfc4106(gcm(aes)) $KEY20 128
src 192.0.2.1 dst 192.0.2.2
	proto esp spi 0x00001002 reqid 0 mode transport
	replay-window 0 
	auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128
	enc cbc(aes) 0x00112233445566778899aabbccddeeff
EOF
X ip xfrm state list > "$TMP/states" 2>&1
same "state list" "$TMP/expect_states" "$TMP/states"

X ip xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1002 > "$TMP/get" 2>&1
tail -n 5 "$TMP/expect_states" > "$TMP/expect_get"
same "state get" "$TMP/expect_get" "$TMP/get"

# A dump longer than one frame: 40 states are paginated by the endpoint.
for i in $(seq 1 40); do
	printf 'xfrm state add src 192.0.2.1 dst 192.0.2.3 proto esp spi %d mode tunnel aead rfc4106(gcm(aes)) %s 128\n' \
		$((0x2000 + i)) $KEY20
done > "$TMP/batch40"
X ip -batch "$TMP/batch40" || not_ok "batch of 40"
n=$(X ip xfrm state list | grep -c '^src')
[ "$n" = 42 ] && ok "paginated dump ($n states)" || not_ok "paginated dump ($n states, want 42)"

cat > "$TMP/expect_policy" <<EOF
src 198.51.100.0/24 dst 203.0.113.0/24 
	dir out priority 0 
	tmpl src 192.0.2.1 dst 192.0.2.2
		proto esp reqid 7 mode tunnel
EOF
X ip xfrm policy list > "$TMP/policy" 2>&1
same "policy list" "$TMP/expect_policy" "$TMP/policy"

X ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 && ok "state delete" || not_ok "state delete"
if X ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 2> "$TMP/err"; then
	not_ok "delete of a missing state fails"
else
	grep -q "No such process" "$TMP/err" && ok "delete of a missing state fails" || not_ok "delete error text: $(cat "$TMP/err")"
fi
X ip xfrm state flush && ok "state flush" || not_ok "state flush"
[ -z "$(X ip xfrm state list)" ] && ok "empty after flush" || not_ok "empty after flush"
X ip xfrm policy flush && ok "policy flush" || not_ok "policy flush"

# The gateway gone: a clear error, not a hang.
if timeout 10 "$EXEC" --ctl "$TMP/none.sock" ip xfrm state list 2> "$TMP/err"; then
	not_ok "unreachable gateway reported"
else
	grep -q "cannot reach the gateway" "$TMP/err" && ok "unreachable gateway reported" || not_ok "unreachable: $(cat "$TMP/err")"
fi

# NETLINK_ROUTE is not redirected.
X ip -d link show lo > "$TMP/link" 2>&1
grep -q "LOOPBACK" "$TMP/link" && ok "ip -d link reaches the kernel" || not_ok "ip -d link: $(cat "$TMP/link")"
X ip route show table local > "$TMP/route" 2>&1 && grep -q "127.0.0.1" "$TMP/route" \
	&& ok "ip route reaches the kernel" || not_ok "ip route: $(cat "$TMP/route")"

if [ -n "$PROBE" ]; then
	X "$PROBE" > "$TMP/probe" 2>&1; rc=$?
	sed 's/^/    /' "$TMP/probe"
	[ $rc = 0 ] && ok "socket calls (shim_probe)" || not_ok "socket calls (shim_probe)"
fi

sleep 0.3
kill "$MON_PID" 2>/dev/null; wait "$MON_PID" 2>/dev/null; MON_PID=
grep -q "spi 0x00001001" "$TMP/monitor" && grep -q "src 198.51.100.0/24" "$TMP/monitor" \
	&& grep -q "Deleted src 192.0.2.1" "$TMP/monitor" \
	&& ok "ip xfrm monitor sees SA, policy and delete events" || { not_ok "monitor"; cat "$TMP/monitor"; }

netns_summary
