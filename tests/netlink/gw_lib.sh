# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the shim integration tests: start an endpoint on $TMP/xfrm.sock
# and stop only what was started here (tests/lib/netns.sh records it).
#
#   gw_start fake                 tests/netlink/fake_gateway.py
#   gw_start real PATH/xfrmgw     the gateway (EAL without hugepages or PCI)
# Sets GW_PID (timeout(1), the endpoint is its child) and SOCK; gw_stop
# stops GW_PID. A missing gateway binary is a failure, not a skip. ok,
# not_ok, netns_summary and netns_ctl (xfrmgw-exec: EXEC) come with
# tests/lib/netns.sh.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"
NETNS_TMP=$TMP NETNS_EXEC=${EXEC:-}
GW_PID=
SOCK=$TMP/xfrm.sock

gw_start() {
	case "$1" in
	fake)
		netns_spawn gw - "$TMP/gateway.log" timeout 120 "$NETNS_PY" \
			"$(dirname "${BASH_SOURCE[0]}")/fake_gateway.py" "$SOCK"
		GW_PID=$NETNS_LASTPID
		netns_wait_for "$GW_PID" 10 test -S "$SOCK" && return 0
		echo "gateway did not open $SOCK:"; cat "$TMP/gateway.log"
		return 1
		;;
	real)
		[ -x "$2" ] || { echo "no gateway binary at $2"; return 1; }
		NETNS_GW=$2 NETNS_GW_TIMEOUT=120 netns_gw_start gw - "$TMP/gateway.log" \
			"xfrmgw-shim-$$" "$SOCK" || return 1
		GW_PID=$NETNS_LASTPID
		;;
	esac
}

# A caller that reaped the endpoint itself (killed it) has cleared GW_PID.
gw_stop() {
	if [ -n "$GW_PID" ]; then netns_stop gw; else netns_forget gw; fi
	GW_PID=
}
