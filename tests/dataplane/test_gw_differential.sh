#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Differential test (issue 21): xfrmgw-pcap and a running gateway share every
# policy decision (sa/flow.c, sa/policy_path.h), so one capture must get the
# same verdict, packet by packet, from both: encapsulated with the same SPIs,
# decapsulated, passed (or for the gateway itself), or dropped with the same
# reason. differential.py writes one ip-batch file of SAs and policies (loaded
# into gateway B with `xfrmgw-exec ip -batch` and given to xfrmgw-pcap with
# --xfrm and --local set to B's four addresses) and one capture of ~50 packets:
# IPv4 and IPv6, extension headers before UDP and ESP, NAT-T ESP/IKE/keepalive,
# ESP and AH tunnels, an ESP-then-AH bundle, ESP transport to B, cleartext
# inside and outside protected subnets (fwd and in), unknown SPIs, a bad ICV,
# a replay, truncated and malformed headers, a too-long extension chain.
# xfrmgw-pcap reads the capture prefix by prefix (the counters that moved are
# the last packet's verdict); the gateway gets the same frames one by one (WAN
# frames on the middle link toward B's MAC, LAN frames from h2's link) and its
# verdict is read from /xfrmgw/stats (drop, ipsec_drop, esp/ah in/out) and the
# frames that left it. Table of reasons that differ by name: differential.py
# PCAP_TO_GW.
#
# Topology: gw_pair_lib.sh's, gateway B only. A's addresses (192.168.0.1,
# fd00::1) live on the middle bridge, so B's neighbours resolve; the middle
# namespace and h2 send nothing but ARP and neighbour discovery (nft), so
# every counter that moves is the injected packet's.
# usage: test_gw_differential.sh XFRMGW XFRMGW_EXEC XFRMGW_PCAP
set -u
BIN=$1 EXEC=$2 PCAP=$3
TAG=gwd$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements
[ -x "$PCAP" ] || { echo "FAIL: xfrmgw-pcap missing at $PCAP"; exit 1; }
command -v nft >/dev/null || { echo "FAIL: nft (nftables) missing"; exit 1; }

pair_topology
# A's WAN addresses on the middle bridge: it answers ARP/ND for B and nothing else
quiet_ns() {	# quiet_ns NS: only ARP (not inet) and ND neighbour messages leave it
	ip netns exec "$1" nft -f - <<'NFT'
table inet quiet {
	chain out {
		type filter hook output priority 0; policy drop;
		icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
	}
}
NFT
}
mid_as_a() {
	ip netns exec $NS_MID sysctl -qw net.ipv6.conf.br0.disable_ipv6=0 &&
	ip -n $NS_MID addr add 192.168.0.1/24 dev br0 &&
	ip -n $NS_MID addr add fd00::1/64 dev br0 nodad &&
	quiet_ns $NS_MID && quiet_ns $NS_H2
}
check "A's addresses on the middle bridge; middle and h2 send only ARP/ND" mid_as_a
gw_conf b "route 10.0.0.0/8 via 192.168.0.1 dev wan" "route fd01::/64 via fd00::1 dev wan" \
	"route fd03::/64 via fd00::1 dev wan"
export TELEMETRY=" "
gw_start b || exit 1

check "the ip-batch file of SAs and policies" $PY "$HERE/differential.py" xfrm "$TMP/diff.xfrm"
check "gateway B: xfrmgw-exec ip -batch" X b ip -batch "$TMP/diff.xfrm"

mac() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }
MACS="--wan-mac $(mac $NS_B b-wan) --lan-mac $(mac $NS_B b-lan) --mid-mac $(mac $NS_MID m-b) --h2-mac $(mac $NS_H2 h2)"
# xfrmgw-pcap reads the capture prefix by prefix (one run each), meanwhile
# the gateway gets the same frames
$PY "$HERE/differential.py" pcap "$TMP" --pcap "$PCAP" $MACS > "$TMP/pcap.log" 2>&1 &
PCAP_PID=$!
BG_PIDS="$BG_PIDS $PCAP_PID"
SOCK=$(ls /var/run/dpdk/$TAG-b/dpdk_telemetry.* 2>/dev/null | head -1)
check "gateway B: the capture's frames one by one (telemetry $SOCK)" \
	$PY "$HERE/differential.py" gateway "$TMP" --telemetry "$SOCK" --ns-wan $NS_MID \
	--ns-lan $NS_H2 $MACS
check "gateway B stops cleanly" gw_stop b
wait "$PCAP_PID"; rc=$?
BG_PIDS=
[ $rc = 0 ] || { echo "FAIL - xfrmgw-pcap prefix runs (exit $rc):"; sed 's/^/     /' "$TMP/pcap.log"; FAIL=1; exit 1; }
if $PY "$HERE/differential.py" compare "$TMP" > "$TMP/diff.out" 2>&1; then
	echo "ok   - the same verdict for every packet from xfrmgw-pcap and gateway B"
else
	echo "FAIL - xfrmgw-pcap and gateway B differ"; FAIL=1
fi
sed 's/^/     /' "$TMP/diff.out"
exit $FAIL
