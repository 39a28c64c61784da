#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# strongSwan charon (kernel-netlink) under xfrmgw-exec: its startup requests
# (GETSPDINFO, the event socket bound to its groups) reach the endpoint, and
# a start_action=trap connection loaded with swanctl shows up as three
# policies in `ip xfrm policy list` under the shim; at shutdown they go.
# charon runs in its own mount and network namespace (own /run and ports).
#
# usage: test_shim_charon.sh XFRMGW_EXEC fake|real [XFRMGW_BINARY]
set -u
EXEC=${1:?usage: test_shim_charon.sh XFRMGW_EXEC fake|real [XFRMGW_BINARY]}
MODE=${2:-fake}
CHARON=/usr/lib/ipsec/charon
[ -x "$CHARON" ] && command -v swanctl >/dev/null && command -v unshare >/dev/null \
	|| { echo "SKIP: strongswan-charon/strongswan-swanctl not installed"; exit 77; }

TMP=$(mktemp -d /tmp/xfrmgw-charon-test.XXXXXX)
CHARON_PID=
. "$(dirname "$0")/gw_lib.sh"
. "$(dirname "$0")/charon_lib.sh"
cleanup() {
	[ -n "$CHARON_PID" ] && kill "$CHARON_PID" 2>/dev/null && wait "$CHARON_PID" 2>/dev/null
	gw_stop
	rm -rf "$TMP"
}
trap cleanup EXIT
gw_start "$MODE" "${3:-}" || exit $?


charon_conf
XFRMGW_SHIM_DEBUG=1 charon_start timeout 60

grep -q "DATA out .* first type 37 " "$TMP/charon.out" && grep -q "DATA in" "$TMP/charon.out" \
	&& ok "GETSPDINFO answered" || not_ok "GETSPDINFO"
grep -q "welcomed, nl_pid [0-9]* groups 0x[0-9a-f]*[1-9a-f]" "$TMP/charon.out" \
	&& ok "event socket bound with its groups" || not_ok "event socket groups"

charon_load && ok "swanctl --load-conns (trap)" || { not_ok "swanctl"; cat "$TMP/swanctl.out"; }
sleep 0.5
timeout 10 "$EXEC" --ctl "$SOCK" ip xfrm policy list > "$TMP/policies" 2>&1
n=$(grep -c "tmpl src" "$TMP/policies")
grep -q "dir out" "$TMP/policies" && grep -q "dir in" "$TMP/policies" && grep -q "dir fwd" "$TMP/policies" \
	&& [ "$n" = 3 ] && ok "trap policies in ip xfrm policy list" || { not_ok "trap policies"; cat "$TMP/policies"; }
grep -q "adding policy 10.1.0.0/16 === 10.2.0.0/16 out" "$TMP/charon.log" \
	&& ! grep -q "unable to add policy" "$TMP/charon.log" \
	&& ok "charon logs the policies installed" || not_ok "charon policy log"

kill "$CHARON_PID" 2>/dev/null; wait "$CHARON_PID" 2>/dev/null; CHARON_PID=
[ -z "$(timeout 10 "$EXEC" --ctl "$SOCK" ip xfrm policy list)" ] \
	&& ok "policies deleted at charon shutdown" || not_ok "policies left after shutdown"

netns_summary
