#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/lib/netns.sh on its own, without a gateway: what the integration
# tests rely on when something goes wrong.
#  - netns_check counts, sets FAIL and shows a failing command's output;
#  - netns_kill reports a program's own exit status (0 after SIGTERM when it
#    exits cleanly, 143 when SIGTERM kills it) and falls back to SIGKILL
#    (137) for one that ignores SIGTERM;
#  - netns_stop stops only its tag, newest first; netns_forget drops records;
#  - netns_gw_start fails, showing the log, when the program never says it
#    started; netns_gw_stop is 0 only for exit status 0;
#  - netns_veth joins two namespaces (a ping crosses), and netns_cleanup
#    removes the namespaces and stops what is left.
# usage: test_netns.sh
set -u
. "$(dirname "$0")/netns.sh"
why=$(netns_can_run) || { echo "SKIP: $why"; exit 77; }
TMP=$(mktemp -d /tmp/xfrmgw-netns-test.XXXXXX)
NETNS_TMP=$TMP
TAG=nst$$
trap 'netns_cleanup; rm -rf "$TMP"' EXIT
RESULT=0
t_ok() { echo "ok - $1"; }
t_fail() { echo "not ok - $1"; RESULT=1; }
expect() {	# expect NAME 'SHELL CODE': the library's own counters stay out of it
	if eval "$2"; then t_ok "$1"; else t_fail "$1"; fi
}

# ---- checks: counted, FAIL set, output of a failure shown ----
netns_check "passes" true > "$TMP/c1"
netns_check "fails" sh -c 'echo the reason; exit 3' > "$TMP/c2"; rc=$?
expect "netns_check: pass counted" '[ "$NETNS_PASSES" = 1 ]'
expect "netns_check: failure counted, FAIL=1, status kept" \
	'[ "$NETNS_FAILS" = 1 ] && [ "$FAIL" = 1 ] && [ "$rc" = 3 ]'
expect "netns_check: lines say ok/FAIL, the failure's output under it" \
	'grep -qx "ok   - passes" "$TMP/c1" && grep -qx "FAIL - fails" "$TMP/c2" &&
	 grep -qx "       the reason" "$TMP/c2"'
expect "netns_summary: counts and status" \
	'[ "$(netns_summary)" = "1 passed, 1 failed" ] && ! netns_summary > /dev/null'
NETNS_PASSES=0 NETNS_FAILS=0 FAIL=0

# ---- processes: exit status through SIGTERM, SIGKILL fallback, tags ----
netns_spawn clean - "$TMP/clean.log" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
netns_spawn dies - "$TMP/dies.log" sleep 30
netns_spawn stubborn - "$TMP/stubborn.log" sh -c 'trap "" TERM; while :; do sleep 0.1; done'
stubborn=$NETNS_LASTPID
sleep 0.3
netns_stop clean
expect "netns_kill: status 0 of a program that exits on SIGTERM" '[ "$NETNS_KILL_STATUS" = 0 ]'
netns_stop dies
expect "netns_kill: status 143 of one SIGTERM kills" '[ "$NETNS_KILL_STATUS" = 143 ]'
expect "netns_stop: other tags untouched" 'kill -0 "$stubborn"'
start=$SECONDS
netns_stop stubborn
expect "netns_kill: SIGKILL (137) after 5 s for one that ignores SIGTERM" \
	'[ "$NETNS_KILL_STATUS" = 137 ] && [ $((SECONDS - start)) -ge 4 ] &&
	 ! kill -0 "$stubborn" 2>/dev/null'
expect "records of stopped programs are gone" '[ "${#NETNS_PIDS[@]}" = 0 ]'

# newest first: the second program sees the first still running when stopped
netns_spawn pair - "$TMP/first.log" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
first=$NETNS_LASTPID
netns_spawn pair - "$TMP/second.log" sh -c \
	"trap 'kill -0 $first && echo first-alive; exit 0' TERM; while :; do sleep 0.1; done"
sleep 0.3
netns_stop pair
expect "netns_stop: newest first" 'grep -qx first-alive "$TMP/second.log"'
netns_spawn reaped - /dev/null true
wait "$NETNS_LASTPID"
netns_forget reaped
expect "netns_forget: record dropped" '[ "${#NETNS_PIDS[@]}" = 0 ]'

# ---- a gateway that never starts, one that exits badly ----
printf '#!/bin/sh\necho "not a gateway: $*"\nexit 5\n' > "$TMP/fakegw"
chmod +x "$TMP/fakegw"
NETNS_GW=$TMP/fakegw netns_gw_start gw - "$TMP/gw.log" "$TAG" "$TMP/gw.sock" --config x \
	> "$TMP/start.out"; rc=$?
expect "netns_gw_start: fails when the program never says it started" '[ "$rc" != 0 ]'
expect "... and shows its log" 'grep -q "did not start" "$TMP/start.out" &&
	grep -q "not a gateway: .*--file-prefix $TAG .* -- --ctl $TMP/gw.sock --config x" "$TMP/start.out"'
netns_gw_stop gw > "$TMP/stop.out"; rc=$?
expect "netns_gw_stop: not 0 for exit status 5, and says so" \
	'[ "$rc" != 0 ] && grep -q "exited with status 5" "$TMP/stop.out"'

# ---- namespaces and veths ----
netns_add "$TAG-x" "$TAG-y"
netns_veth "$TAG-x" vx "$TAG-y" vy
ip -n "$TAG-x" addr add 10.99.0.1/24 dev vx
ip -n "$TAG-y" addr add 10.99.0.2/24 dev vy
netns_spawn rx "$TAG-y" "$TMP/rx.log" timeout 10 "$NETNS_PY" -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.99.0.2", 9999))
print(s.recv(64).decode(), flush=True)'
send() { netns_in "$TAG-x" bash -c 'echo across > /dev/udp/10.99.0.2/9999'; grep -q across "$TMP/rx.log"; }
expect "netns_veth: both ends up, a datagram crosses" 'netns_wait 5 send'
netns_spawn late "$TAG-x" "$TMP/late.log" sleep 30
late=$NETNS_LASTPID
netns_cleanup
expect "netns_cleanup: namespaces removed" '! ip netns list | grep -q "^$TAG-"'
expect "netns_cleanup: programs stopped" '! kill -0 "$late" 2>/dev/null'
exit $RESULT
