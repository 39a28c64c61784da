#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Programs under xfrmgw-exec when the gateway exits before them. A netlink
# socket never reports end-of-file, so the shim reports one receive error,
# answers requests in flight with an error, and then keeps the socket quiet
# (new requests fail with ECONNREFUSED):
#  - `ip xfrm monitor` exits with an error instead of spinning;
#  - strongSwan's charon (kernel-netlink) stays idle (no busy loop) and
#    still stops on SIGTERM, removing its trap policies fails cleanly;
#  - a request in flight when the gateway hangs up gets an NLMSG_ERROR
#    (shim_hangup.py; and charon: the gateway is stopped, charon is asked
#    to install policies, then the gateway is killed), so a thread waiting
#    for the answer wakes up.
# charon runs in its own mount and network namespace (own /run and ports);
# its part is skipped when strongswan-charon/swanctl are not installed.
#
# usage: test_shim_gateway_exit.sh XFRMGW_EXEC fake|real [XFRMGW_BINARY]
set -u
EXEC=${1:?usage: test_shim_gateway_exit.sh XFRMGW_EXEC fake|real [XFRMGW_BINARY]}
MODE=${2:-fake}
HERE=$(cd "$(dirname "$0")" && pwd)
CHARON=/usr/lib/ipsec/charon
LOST="xfrmgw-exec: the gateway closed the control socket"
command -v ip >/dev/null || { echo "SKIP: no ip"; exit 77; }
have_charon=0
[ -x "$CHARON" ] && command -v swanctl >/dev/null && command -v unshare >/dev/null && have_charon=1

TMP=$(mktemp -d /tmp/xfrmgw-gwexit-test.XXXXXX)
CHARON_PID= MON_PID= HUP_PID=
. "$HERE/gw_lib.sh"
. "$HERE/charon_lib.sh"
cleanup() {
	for p in $CHARON_PID $MON_PID $HUP_PID; do kill -KILL "$p" 2>/dev/null; done
	gw_stop
	wait 2>/dev/null
	if [ -n "${KEEP_TMP:-}" ]; then echo "# kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

skip() { echo "ok - $1 # SKIP $2"; }

# CPU ticks (utime + stime, all threads) a process has used so far.
cpu_ticks() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	set -- $s
	echo $(( ${12} + ${13} ))
}

# wait_exit PID SECONDS: 0 once PID is gone (its status in $STATUS),
# 1 on timeout.
STATUS=
wait_exit() {
	for _ in $(seq $(( $2 * 10 ))); do
		kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null; STATUS=$?; return 0; }
		sleep 0.1
	done
	return 1
}

# ---- a request in flight when the endpoint hangs up ----
/usr/bin/python3 "$HERE/shim_hangup.py" serve "$TMP/hup.sock" & HUP_PID=$!
for _ in $(seq 50); do [ -S "$TMP/hup.sock" ] && break; sleep 0.1; done
timeout 20 "$EXEC" --ctl "$TMP/hup.sock" /usr/bin/python3 "$HERE/shim_hangup.py" client \
	> "$TMP/hup.out" 2>&1; rc=$?
sed 's/^/    /' "$TMP/hup.out"
[ $rc = 0 ] && ok "request in flight answered, then a quiet socket" || not_ok "shim_hangup.py client"
grep -q "^$LOST" "$TMP/hup.out" && [ "$(grep -c "$LOST" "$TMP/hup.out")" = 1 ] \
	&& ok "one line on stderr says the gateway went away" || not_ok "gateway-gone message"
wait_exit "$HUP_PID" 5; HUP_PID=

# ---- the gateway exits under ip xfrm monitor and charon ----
gw_start "$MODE" "${3:-}" || exit $?

# Not about the gateway exiting, but about its hanging up: after refusing a
# port id the server closes the connection, and bind() may still retry.
timeout 20 "$EXEC" --ctl "$SOCK" /usr/bin/python3 "$HERE/shim_hangup.py" rebind \
	> "$TMP/rebind.out" 2>&1; rc=$?
sed 's/^/    /' "$TMP/rebind.out"
[ $rc = 0 ] && ok "bind() retried after EADDRINUSE" || not_ok "shim_hangup.py rebind"

timeout 60 "$EXEC" --ctl "$SOCK" ip xfrm monitor > "$TMP/monitor" 2>&1 & MON_PID=$!

if [ $have_charon = 1 ]; then
	charon_conf
	# No timeout(1) in between: $! is charon itself once the execs are done.
	charon_start
	charon_load && ok "trap policies installed" \
		|| { not_ok "swanctl --load-conns"; cat "$TMP/swanctl.out"; }
	# The same and a second trap connection, loaded while the gateway
	# cannot answer.
	sed -e 's/trap {/trap2 {/; s/10\.1\.0\.0/10.3.0.0/; s/10\.2\.0\.0/10.4.0.0/' \
		"$TMP/swanctl.conf" > "$TMP/trap2.conf"
	cat "$TMP/swanctl.conf" "$TMP/trap2.conf" | sed '/^}$/d; /^connections {$/d' \
		| { echo "connections {"; cat; echo "}"; } > "$TMP/swanctl2.conf"
fi
sleep 0.5
kill -0 "$MON_PID" 2>/dev/null && ok "ip xfrm monitor running" || { not_ok "monitor start"; cat "$TMP/monitor"; }

# The gateway is $GW_PID's child (timeout(1) in between).
gw=$(cat "/proc/$GW_PID/task/$GW_PID/children" 2>/dev/null); gw=${gw%% *}
[ -n "$gw" ] || { echo "cannot find the gateway process under $GW_PID"; exit 1; }
LOAD_PID=
if [ $have_charon = 1 ]; then
	kill -STOP "$gw"
	timeout 20 swanctl --load-conns --file "$TMP/swanctl2.conf" --uri "unix://$TMP/charon.vici" \
		> "$TMP/swanctl2.out" 2>&1 & LOAD_PID=$!
	sleep 1	# charon now waits for the gateway's answer
fi
kill -KILL "$gw"
wait "$GW_PID" 2>/dev/null; GW_PID=
echo "# gateway killed"
if [ -n "$LOAD_PID" ]; then
	if wait_exit "$LOAD_PID" 10; then
		ok "a charon request in flight is answered when the gateway dies"
	else
		not_ok "swanctl still waiting for charon 10 s after the gateway died"
		kill -KILL "$LOAD_PID" 2>/dev/null
	fi
	grep -q "received netlink error: Connection reset by peer" "$TMP/charon.log" \
		&& ok "charon logs the error answer" || { not_ok "no error answer in charon.log"; tail -n 20 "$TMP/charon.log"; }
fi

if wait_exit "$MON_PID" 5; then
	MON_PID=
	[ "$STATUS" != 0 ] && ok "ip xfrm monitor exits with an error ($STATUS) when the gateway goes" \
		|| not_ok "ip xfrm monitor exit status 0"
else
	not_ok "ip xfrm monitor still running 5 s after the gateway went"
fi
grep -q "^$LOST" "$TMP/monitor" && ok "monitor: the shim says why" \
	|| { not_ok "monitor: no gateway-gone line"; cat "$TMP/monitor"; }

if [ $have_charon = 1 ] && [ -n "$CHARON_PID" ]; then
	sleep 0.5
	t0=$(cpu_ticks "$CHARON_PID"); sleep 3; t1=$(cpu_ticks "$CHARON_PID")
	used=$(( ${t1:-0} - ${t0:-0} ))
	hz=$(getconf CLK_TCK)
	# A busy loop burns 3 s of ticks (or more); idle charon a handful.
	[ -n "$t0" ] && [ -n "$t1" ] && [ "$used" -lt $(( hz / 2 )) ] \
		&& ok "charon idle after the gateway went ($used ticks in 3 s, $hz/s)" \
		|| not_ok "charon busy after the gateway went ($used ticks in 3 s, $hz/s)"
	grep -q "^$LOST" "$TMP/charon.out" && ok "charon: the shim says why" \
		|| not_ok "charon: no gateway-gone line"
	kill -TERM "$CHARON_PID"
	if wait_exit "$CHARON_PID" 5; then
		CHARON_PID=
		ok "charon stops on SIGTERM"
	else
		not_ok "charon ignores SIGTERM"
		tail -n 20 "$TMP/charon.log"
	fi
	grep -q "unable to delete policy\|netlink write error\|unable to uninstall" "$TMP/charon.log" \
		&& ok "charon logs failed requests at shutdown" \
		|| { not_ok "charon shutdown log"; tail -n 20 "$TMP/charon.log"; }
else
	skip "charon" "strongswan-charon/strongswan-swanctl not installed"
fi

netns_summary
