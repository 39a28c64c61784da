#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The xfrmgw demo (make demo): a site-to-site IPsec tunnel between xfrmgw and
# strongSwan, all inside network namespaces on this machine.
#
#   interop/demo.sh [BUILD_DIR]
#
#   lanE 10.1.0.2 -- east: xfrmgw --- west: strongSwan -- lanW 10.2.0.2
#                    192.0.2.1         192.0.2.2
#
# east is xfrmgw (DPDK af_packet ports) with strongSwan's charon started
# through xfrmgw-exec, so its SAs and policies go into xfrmgw; charon's IKE
# reaches the wire through xfrmgw's TAP exception path. west is charon with
# kernel-libipsec (strongSwan's own userspace ESP). Needs root. Cleans up on
# exit, on failure and on Ctrl-C; bounded to two minutes.
set -u
export XI_BUILD=${1:-build}
export XI_PREFIX=xgwdemo$$
. "$(dirname "$0")/lib.sh"

T0=$SECONDS
say() { printf '\n=== %s\n' "$*"; }
note() { printf '    %s\n' "$@"; }
hide_keys() { sed -E 's/0x[0-9a-f]{16,}/0x<key>/g'; }

# step DESCRIPTION COMMAND...: run, or stop the demo saying what failed
step() {
	local what=$1
	shift
	"$@" && return 0
	echo
	echo "DEMO FAILED: $what"
	xi_dump_logs east west
	exit 1
}

xi_require
xi_setup
# the whole demo is bounded: a watchdog we own interrupts it (cleanup runs)
# (killed at cleanup: its sleep dies and the && chain stops there)
( sleep 115 && echo "DEMO FAILED: took more than 115 s" && kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
XI_PIDS+=("host:watchdog:$WATCHDOG")

say "Part 1: the crypto API (self-tests run at start, then the listing)"
"$XI_CTL" --local algs > "$XI_RUN/algs.txt" 2>&1 || { cat "$XI_RUN/algs.txt"; exit 1; }
SELFTESTS=$(awk '/^selftest/ { n[$3]++ } END { for (k in n) printf "%s %d ", k, n[k] }' "$XI_RUN/algs.txt")
note "$(grep -c '^name' "$XI_RUN/algs.txt") algorithm implementations registered; self-tests: $SELFTESTS"
note "what strongSwan may propose to this gateway (xfrmgw-ctl proposals):"
"$XI_CTL" --local proposals | sed 's/,/, /g' | fold -s -w 96 | sed 's/^/      /'

say "Part 2: xfrmgw and strongSwan, one tunnel"
note "lanE 10.1.0.2 -- east: xfrmgw + charon --- west: charon + kernel-libipsec -- lanW 10.2.0.2" \
	"                  192.0.2.1                   192.0.2.2" \
	"namespaces: $XI_PREFIX-{lanE,east,west,lanW}"
step "create the namespaces" xi_topology_create plain gateway libipsec
step "start xfrmgw on east" xi_gw_start east gateway
xi_wait 5 sh -c "ip -n $(xi_ns east) -4 addr show dev xgw-lan | grep -q inet"
note "xfrmgw runs: ports e-wan and e-lan (af_packet); its TAPs give east's kernel the gateway's addresses:"
for tap in xgw-wan xgw-lan; do ip -n "$(xi_ns east)" -br -4 addr show dev $tap; done | sed 's/^/      /'
step "configure charon" xi_charon_conf west libipsec
step "configure charon" xi_charon_conf east shim
step "start charon on west (kernel-libipsec)" xi_charon_start west
step "start charon on east (under xfrmgw-exec)" xi_charon_start east

say "IKEv2 with a pre-shared key, east initiates (aes128gcm16 for ESP)"
step "IKE_SA and CHILD_SA" xi_initiate east
step "west's CHILD_SA" xi_wait 10 xi_child_installed west
note "established in $((SECONDS - T0)) s since the start of the demo"

say "east: swanctl --list-sas"
xi_swanctl east --list-sas 2>/dev/null
say "west: swanctl --list-sas"
xi_swanctl west --list-sas 2>/dev/null
say "east: xfrmgw-exec ip xfrm state   (the SAs charon installed live in xfrmgw; keys hidden here)"
xi_gw_ip east xfrm state | hide_keys
say "east: xfrmgw-exec ip xfrm policy"
xi_gw_ip east xfrm policy

say "Traffic: lanE pings lanW through the tunnel"
step "ping lanE -> lanW" xi_traffic lanE ping 10.2.0.2 --count 10 --interval 0.1

say "Traffic: an 8 MiB file over TCP from lanE to lanW, SHA-256 checked on both ends"
head -c $((8 * 1024 * 1024)) /dev/urandom > "$XI_RUN/file.bin"
xi_bg lanW tcpserve "$XI_PY" "$XI_DIR/traffic.py" tcp-serve 5001 "$XI_RUN/file.rcv" --timeout 40
sleep 0.3
step "TCP transfer" xi_traffic lanE tcp-send 10.2.0.2 5001 "$XI_RUN/file.bin" --timeout 40
wait "$XI_BG_tcpserve"
sed 's/^/    /' "$XI_RUN/tcpserve.out"
SENT=$(sha256sum < "$XI_RUN/file.bin" | cut -d' ' -f1)
GOT=$(sha256sum < "$XI_RUN/file.rcv" 2>/dev/null | cut -d' ' -f1)
[ "$SENT" = "$GOT" ] || { echo "DEMO FAILED: the file arrived damaged or not at all"; exit 1; }
note "sent and received files are identical (sha256 $SENT)"

say "Counters: what each side's CHILD_SA carried (charon reads them from its kernel"
note "interface: east from xfrmgw over XFRM GETSA, west from libipsec)"
note "east: $(xi_counters east)   (in/out bytes/packets)"
note "west: $(xi_counters west)"
E_OUT=$(xi_sa_field east packets-out) W_IN=$(xi_sa_field west packets-in)
# UDP datagrams west's kernel dropped because libipsec's socket was full
RCVBUF=$(xi_in west awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
	else print $c["RcvbufErrors"] }' /proc/net/snmp)
if [ "$E_OUT" = "$W_IN" ]; then
	note "every ESP packet xfrmgw sent ($E_OUT) was received by west"
else
	note "xfrmgw sent $E_OUT ESP packets, west's libipsec took in $W_IN: west's kernel dropped" \
		"$RCVBUF datagrams because libipsec's UDP socket was full (it decrypts slower than" \
		"xfrmgw encrypts); TCP sent those segments again"
fi
say "east: xfrmgw-ctl stats"
xi_gw_ctl east stats

say "Done in $((SECONDS - T0)) s: IKEv2 between strongSwan peers, ESP carried by xfrmgw. Cleaning up."
exit 0
