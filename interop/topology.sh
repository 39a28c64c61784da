#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Create or destroy the interop topology by hand (the scenarios and the demo
# create their own and remove it on exit):
#
#   interop/topology.sh create [plain|nat] [EAST_KIND [WEST_KIND]]
#   interop/topology.sh destroy
#   interop/topology.sh show
#
# Namespaces are named $XI_PREFIX-lanE, -east, -west, -lanW (and -nat);
# XI_PREFIX defaults to "xi" here. Kinds: gateway (east/west addresses are
# left to xfrmgw's ports and TAPs), kernel or libipsec (addresses on the
# veths). Defaults: plain gateway libipsec. See interop/lib.sh for the
# addresses.
set -u
export XI_PREFIX=${XI_PREFIX:-xi}
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || xi_die "needs root"
case "${1:-}" in
create)
	for n in lanE east west lanW nat; do
		ip netns list | grep -qw "$(xi_ns $n)" && xi_die "$(xi_ns $n) exists (destroy first)"
	done
	xi_topology_create "${2:-plain}" "${3:-gateway}" "${4:-libipsec}"
	echo "created: $(ip netns list | grep -o "^$XI_PREFIX-[A-Za-z]*" | tr '\n' ' ')"
	;;
destroy)
	for n in lanE east west lanW nat; do ip netns del "$(xi_ns $n)" 2>/dev/null; done
	echo "destroyed $XI_PREFIX-*"
	;;
show)
	for n in lanE east nat west lanW; do
		ip netns list | grep -qw "$(xi_ns $n)" || continue
		echo "== $(xi_ns $n)"
		ip -n "$(xi_ns $n)" -br addr
		ip -n "$(xi_ns $n)" route
	done
	;;
*)
	sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
