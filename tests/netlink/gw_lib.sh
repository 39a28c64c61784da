# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the shim integration tests: start an endpoint on $TMP/xfrm.sock
# and stop only what was started here.
#
#   gw_start fake                 tests/netlink/fake_gateway.py
#   gw_start real PATH/xfrmgw     the gateway (EAL without hugepages or PCI)
# Sets GW_PID and SOCK; gw_stop kills GW_PID. Returns 77 (skip) when the
# real gateway is missing or does not have --ctl yet.

GW_PID=
SOCK=$TMP/xfrm.sock

gw_start() {
	case "$1" in
	fake)
		timeout 120 /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/fake_gateway.py" "$SOCK" \
			> "$TMP/gateway.log" 2>&1 &
		GW_PID=$!
		;;
	real)
		[ -x "$2" ] || { echo "SKIP: no gateway binary at $2"; return 77; }
		"$2" --help 2>&1 | grep -q -- --ctl || { echo "SKIP: $2 has no --ctl"; return 77; }
		timeout 120 "$2" --no-huge --in-memory --no-pci --file-prefix "xfrmgw-shim-$$" -l 0 \
			-- --ctl "$SOCK" > "$TMP/gateway.log" 2>&1 &
		GW_PID=$!
		;;
	esac
	for _ in $(seq 100); do
		[ -S "$SOCK" ] && return 0
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "gateway did not open $SOCK:"; cat "$TMP/gateway.log"
	return 1
}

gw_stop() {
	[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
	GW_PID=
}
