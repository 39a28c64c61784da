# SPDX-License-Identifier: BSD-3-Clause
# tests/lib/netns.sh — what every network-namespace test builds its topology
# and runs its programs with (bash; sourced). The topologies themselves stay
# with their tests: tests/dataplane/gw_pair_lib.sh (two gateways and a
# bridge), tests/netlink/gw_lib.sh (a gateway on a control socket),
# interop/lib.sh (xfrmgw and strongSwan, with and without NAT).
#
# Invariants the callers rely on:
#  - only what was started or created here is stopped or removed, by PID or
#    by name, never by matching process names: tests run side by side;
#  - every background program is bounded (timeout(1) in front) and stopped
#    newest first at cleanup, so a daemon goes before the gateway it talks to;
#  - a gateway counts as started only once its log says the control socket is
#    open and either the packet path runs or there is none (dataplane/main.c).
#
#   netns_can_run                    root and `ip netns`; says what is missing
#   netns_add NS...                  create namespaces (removed by netns_cleanup)
#   netns_veth NS1 IF1 NS2 IF2       a veth pair between two namespaces, both
#                                    ends up; IF2 (the end that sends to the
#                                    program under test on IF1) with its TX
#                                    checksum offload off
#   netns_link_up NS IF              an existing link up, TX checksum offload off
#   netns_in NS CMD...               CMD in NS ("" or - : here)
#   netns_spawn TAG NS LOG CMD...    CMD in the background in NS, output in LOG,
#                                    PID in NETNS_LASTPID, recorded under TAG
#   netns_kill PID [NAME]            SIGTERM (and its children), SIGKILL after 5 s;
#                                    exit status in NETNS_KILL_STATUS
#   netns_stop TAG / netns_crash TAG stop (SIGTERM) / SIGKILL what runs under TAG
#   netns_forget TAG                 drop TAG's records (its process was reaped)
#   netns_cleanup                    stop everything recorded, remove namespaces
#   netns_wait SECONDS CMD...        poll CMD every 0.2 s until it succeeds
#   netns_wait_for PID SECONDS CMD...  the same, giving up when PID exits
#   netns_ok / netns_not_ok NAME [FILE] / netns_check NAME CMD...
#                                    "ok   - NAME" or "FAIL - NAME" (CMD's output
#                                    under it); counts in NETNS_PASSES and
#                                    NETNS_FAILS, FAIL=1 on a failure; check,
#                                    ok and not_ok are the short names
#   netns_summary                    "N passed, N failed"; 0 when none failed
#   netns_gw_start TAG NS LOG PREFIX CTL [ARGS...]
#                                    xfrmgw ($NETNS_GW) in NS on control socket
#                                    CTL, EAL without hugepages, PCI or files
#                                    (--file-prefix PREFIX); waits until started
#   netns_gw_stop TAG                stop it; 0 only when it exited with status 0
#   netns_ctl CTL CMD...             CMD (e.g. ip xfrm ...) with its XFRM netlink
#                                    bound to the gateway on CTL ($NETNS_EXEC)
#
# Settings: NETNS_GW, NETNS_EXEC (binaries), NETNS_GW_LCORES (EAL --lcores,
# default 0), NETNS_GW_MEM (MB, default 256), NETNS_GW_TIMEOUT (s, default
# 300), NETNS_GW_TELEMETRY (default --no-telemetry; " " keeps telemetry on),
# NETNS_CTL_TIMEOUT (s, default 10), NETNS_VERBOSE (show output of passing
# checks too), NETNS_TMP (directory for check output, default /tmp).

NETNS_PY=/usr/bin/python3
NETNS_LIST=()		# namespaces created here
NETNS_PIDS=()		# "TAG:PID", started here, stopped newest first
NETNS_PASSES=0
NETNS_FAILS=0
FAIL=${FAIL:-0}

netns_can_run() {
	[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)"; return 1; }
	ip netns list >/dev/null 2>&1 || { echo "no ip netns"; return 1; }
}

# ------------------------------------------------------------- topology --
netns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || { echo "cannot create namespace $ns" >&2; return 1; }
		NETNS_LIST+=("$ns")
	done
}

netns_in() {
	local ns=$1
	shift
	if [ -z "$ns" ] || [ "$ns" = - ]; then "$@"; else ip netns exec "$ns" "$@"; fi
}

# The programs under test see frames as the veth hands them: a checksum left
# to a NIC that does not exist would reach them wrong.
netns_link_up() {
	ip -n "$1" link set "$2" up || return 1
	ip netns exec "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || true
}

# The program's own end keeps its offloads, as the tests were written (with
# them off too, gw_acquire ran about 10 s slower on a loaded machine and
# missed its 30 s larval-SA window).
netns_veth() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up && netns_link_up "$3" "$4"
}

# ------------------------------------------------------------ processes --
netns_spawn() {
	local tag=$1 ns=$2 log=$3
	shift 3
	# a simple command in the background, and ip netns exec execs it: $! is
	# the command itself, whose exit status netns_kill reports
	if [ -z "$ns" ] || [ "$ns" = - ]; then
		"$@" > "$log" 2>&1 &
	else
		ip netns exec "$ns" "$@" > "$log" 2>&1 &
	fi
	NETNS_LASTPID=$!
	NETNS_PIDS+=("$tag:$NETNS_LASTPID")
}

# Says so when the process had died of a signal other than ours.
netns_kill() {
	local pid=$1 name=${2:-process} i st
	if kill -0 "$pid" 2>/dev/null; then
		pkill -TERM -P "$pid" 2>/dev/null	# its children too (a subshell's sleep)
		kill "$pid" 2>/dev/null
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			pkill -KILL -P "$pid" 2>/dev/null
			kill -KILL "$pid" 2>/dev/null
		fi
	fi
	wait "$pid" 2>/dev/null
	st=$?
	NETNS_KILL_STATUS=$st
	[ $st -gt 128 ] && [ $st != 143 ] && [ $st != 137 ] && [ $st != 130 ] \
		&& echo "NOTE: $name (pid $pid) died of signal $((st - 128))" >&2
	return 0
}

# _netns_each TAG FN: FN PID TAG for every record under TAG, newest first,
# then the records go
_netns_each() {
	local i e keep=()
	for ((i = ${#NETNS_PIDS[@]} - 1; i >= 0; i--)); do
		e=${NETNS_PIDS[$i]}
		[ "${e%:*}" = "$1" ] && "$2" "${e##*:}" "${e%:*}"
	done
	for e in "${NETNS_PIDS[@]}"; do [ "${e%:*}" = "$1" ] || keep+=("$e"); done
	NETNS_PIDS=("${keep[@]}")
}

_netns_sigkill() {
	pkill -KILL -P "$1" 2>/dev/null
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

netns_stop() { _netns_each "$1" netns_kill; }
netns_crash() { _netns_each "$1" _netns_sigkill; }
netns_forget() { _netns_each "$1" true; }

netns_cleanup() {
	local i e ns
	for ((i = ${#NETNS_PIDS[@]} - 1; i >= 0; i--)); do
		e=${NETNS_PIDS[$i]}
		netns_kill "${e##*:}" "${e%:*}"
	done
	NETNS_PIDS=()
	for ns in "${NETNS_LIST[@]}"; do ip netns del "$ns" 2>/dev/null; done
	NETNS_LIST=()
}

# ---------------------------------------------------------------- waits --
netns_wait() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@" >/dev/null 2>&1
}

netns_wait_for() {
	local pid=$1 end=$((SECONDS + $2))
	shift 2
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	"$@" >/dev/null 2>&1
}

# --------------------------------------------------------------- checks --
netns_ok() { echo "ok   - $1"; NETNS_PASSES=$((NETNS_PASSES + 1)); }

netns_not_ok() {
	echo "FAIL - $1"
	[ $# -ge 2 ] && [ -s "$2" ] && sed 's/^/       /' "$2"
	NETNS_FAILS=$((NETNS_FAILS + 1))
	FAIL=1
}

# The command runs in this shell (functions and the caller's locals visible).
netns_check() {
	local name=$1 out rc
	shift
	out=$(mktemp "${NETNS_TMP:-/tmp}/check.XXXXXX") || return 1
	"$@" > "$out" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		netns_ok "$name"
		[ -n "${NETNS_VERBOSE:-}" ] && sed 's/^/       /' "$out"
	else
		netns_not_ok "$name" "$out"
	fi
	rm -f "$out"
	return $rc
}

netns_summary() {
	echo "$NETNS_PASSES passed, $NETNS_FAILS failed"
	[ "$NETNS_FAILS" = 0 ]
}

check() { netns_check "$@"; }
ok() { netns_ok "$@"; }
not_ok() { netns_not_ok "$@"; }

# -------------------------------------------------------------- gateway --
netns_gw_start() {
	local tag=$1 ns=$2 log=$3 prefix=$4 ctl=$5
	shift 5
	rm -f "$ctl"
	# shellcheck disable=SC2086	# NETNS_GW_TELEMETRY: no word, or one option
	netns_spawn "$tag" "$ns" "$log" timeout "${NETNS_GW_TIMEOUT:-300}" "$NETNS_GW" \
		--no-huge --in-memory -m "${NETNS_GW_MEM:-256}" --no-pci --lcores "${NETNS_GW_LCORES:-0}" \
		--file-prefix "$prefix" --log-level 'lib.*:warning' ${NETNS_GW_TELEMETRY:---no-telemetry} \
		-- --ctl "$ctl" "$@"
	if netns_wait_for "$NETNS_LASTPID" 20 grep -qE "packet path running|control plane only" "$log" \
		&& [ -S "$ctl" ]; then
		return 0
	fi
	echo "xfrmgw $tag did not start:"
	sed 's/^/  /' "$log"
	return 1
}

netns_gw_stop() {
	local e found=0
	for e in "${NETNS_PIDS[@]}"; do [ "${e%:*}" = "$1" ] && found=1; done
	[ $found = 1 ] || { echo "no xfrmgw running as $1"; return 1; }
	NETNS_KILL_STATUS=
	netns_stop "$1"
	case "$NETNS_KILL_STATUS" in
	0) return 0 ;;
	137) echo "xfrmgw $1 did not stop within 5 s of SIGTERM (killed)" ;;
	*) echo "xfrmgw $1 exited with status $NETNS_KILL_STATUS" \
		"$([ "${NETNS_KILL_STATUS:-0}" -gt 128 ] && echo "(signal $((NETNS_KILL_STATUS - 128)))")" ;;
	esac
	return 1
}

netns_ctl() {
	local ctl=$1
	shift
	timeout "${NETNS_CTL_TIMEOUT:-10}" "$NETNS_EXEC" --ctl "$ctl" "$@"
}
