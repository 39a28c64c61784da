#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The strongSwan interop suite, one scenario per run:
#
#   interop/suite.sh BUILD_DIR SCENARIO [-v]
#
# Scenarios (east = xfrmgw + charon under xfrmgw-exec; west = charon with
# kernel-libipsec unless the name says gw2gw):
#   ike_ctl        control plane: IKEv2 PSK between west and east, with east's
#                  IKE on its namespace's own kernel address; the CHILD_SA and
#                  its policies appear in `xfrmgw-exec ip xfrm state|policy`
#   tunnel         east's address on the xfrmgw port, IKE through the TAP;
#                  ping and a TCP file transfer lanE <-> lanW; counters agree
#   proposals      aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256
#                  aes256-sha512, ESN off and on (where kernel-libipsec has it)
#   rekey_child    CHILD_SA rekey under continuous traffic, by charon's timer
#                  and by xfrmgw's soft packet EXPIRE; packets lost reported
#   rekey_ike      IKE_SA rekey, the CHILD_SA survives and carries traffic
#   dpd            DPD: west stopped (east clears), west restarted (tunnel back)
#   natt           west behind nftables masquerade: UDP encapsulation, then a
#                  NAT mapping change (new source port) recovered
#   gw2gw_tunnel   two xfrmgw gateways: ESP tunnel, ESN
#   gw2gw_transport  ESP transport between the gateways' own addresses
#   gw2gw_ah       AH tunnel, AH on the wire checked by Scapy
# A scenario that needs a missing piece FAILS saying what is missing.
set -u
XI_BUILD=${1:?usage: suite.sh BUILD_DIR SCENARIO [-v]}
SCENARIO=${2:?usage: suite.sh BUILD_DIR SCENARIO [-v]}
[ "${3:-}" = -v ] && XI_VERBOSE=1
XI_KEEP_ON_FAIL=${XI_KEEP_ON_FAIL:-0}
. "$(dirname "$0")/lib.sh"

LANE=10.1.0.2 LANW=10.2.0.2

# ---------------------------------------------------------------- bring-up --
# pair_up VARIANT EAST_KIND WEST_KIND [charon key=value... for both]
#   EAST_KIND gateway|kernel; WEST_KIND libipsec|gateway. Starts the gateways
#   and both charons with the connection loaded (nothing initiated).
pair_up() {
	local variant=$1 ek=$2 wk=$3
	shift 3
	xi_topology_create "$variant" "$ek" "$wk"
	xi_gw_start east "$ek" || return 1
	if [ "$wk" = gateway ]; then
		xi_gw_start west gateway || return 1
		xi_charon_conf west shim "$@"
	else
		xi_charon_conf west libipsec "$@"
	fi
	xi_charon_conf east shim "$@"
	xi_charon_start west || return 1
	xi_charon_start east || return 1
}

# bring_up INITIATOR: initiate and wait until both sides have the CHILD_SA
bring_up() {
	local other=east
	[ "$1" = east ] && other=west
	xi_initiate "$1" || return 1
	xi_wait 10 xi_child_installed "$other" || {
		echo "$other has no INSTALLED CHILD_SA"
		return 1
	}
}

# states NODE: the gateway's SAs through the shim
states() { xi_gw_ip "$1" xfrm state; }
policies() { xi_gw_ip "$1" xfrm policy; }

# ping_lan [COUNT] [SIZE]: lanE pings lanW, every echo answered
ping_lan() { xi_traffic lanE ping "$LANW" --count "${1:-5}" --size "${2:-56}" --interval 0.1; }

# tcp_file SIZE_KB: a random file from lanE to lanW, SHA-256 compared
tcp_file() {
	local kb=$1 sent got
	head -c "$((kb * 1024))" /dev/urandom > "$XI_RUN/file.bin"
	xi_bg lanW tcpserve "$XI_PY" "$XI_DIR/traffic.py" tcp-serve 5001 "$XI_RUN/file.rcv" --timeout 60
	sleep 0.3
	xi_traffic lanE tcp-send "$LANW" 5001 "$XI_RUN/file.bin" --timeout 60 > "$XI_RUN/tcpsend.out" 2>&1
	wait "$XI_BG_tcpserve"
	cat "$XI_RUN/tcpsend.out" "$XI_RUN/tcpserve.out"
	sent=$(sha256sum < "$XI_RUN/file.bin" | cut -d' ' -f1)
	got=$(sha256sum < "$XI_RUN/file.rcv" 2>/dev/null | cut -d' ' -f1)
	[ "$sent" = "$got" ] || { echo "sha256 differs: sent $sent received ${got:-nothing}"; return 1; }
	echo "sha256 $sent on both sides ($kb KiB)"
}

# counters_agree N PKTBYTES: the CHILD_SA counters of both charons (GETSA)
# show exactly N packets each way, PKTBYTES each, and mirror each other
counters_agree() {
	local n=$1 b=$2 e w
	e=$(xi_counters east) w=$(xi_counters west)
	echo "east: $e"
	echo "west: $w"
	echo "expected: $((n * b)) bytes / $n packets each way"
	local ein=${e#in } wout=${w#*out } eout=${e#*out } win=${w#in }
	ein=${ein%% *} win=${win%% *}
	[ "$ein" = "$wout" ] && [ "$eout" = "$win" ] || { echo "the two sides disagree"; return 1; }
	[ "$ein" = "$((n * b))/$n" ] && [ "$eout" = "$((n * b))/$n" ] || { echo "not what was sent"; return 1; }
}

fail_with_logs() { xi_not_ok "$1"; xi_dump_logs east west; }

# ------------------------------------------------------------- scenarios --
sc_ike_ctl() {
	pair_up plain kernel libipsec || { fail_with_logs "bring-up"; return; }
	xi_ok "xfrmgw (control plane), charon under xfrmgw-exec on east, charon+kernel-libipsec on west"
	xi_check "east initiates IKEv2 PSK, CHILD_SA installed on both sides" bring_up east \
		|| { xi_dump_logs east west; return; }
	xi_check "east's IKE_SA uses UDP encapsulation (kernel-libipsec forces it)" \
		sh -c "$(declare -f xi_swanctl); XI_RUN=$XI_RUN; xi_swanctl east --list-sas --raw | grep -q 'encap=yes'"
	local spi_in spi_out
	spi_in=$(xi_sa_field east spi-in) spi_out=$(xi_sa_field east spi-out)
	states east > "$XI_RUN/states" 2>&1
	xi_check "xfrmgw holds both ESP SAs (SPIs $spi_in in, $spi_out out)" \
		sh -c "grep -q 'spi 0x$spi_in ' $XI_RUN/states && grep -q 'spi 0x$spi_out ' $XI_RUN/states \
			&& [ \$(grep -c '^src' $XI_RUN/states) = 2 ] || { cat $XI_RUN/states; exit 1; }"
	xi_check "the SAs are ESP tunnel, espinudp 4500, AEAD rfc4106(gcm(aes))" \
		sh -c "[ \$(grep -c 'proto esp .* mode tunnel' $XI_RUN/states) = 2 ] \
			&& [ \$(grep -c 'encap type espinudp sport 4500 dport 4500' $XI_RUN/states) = 2 ] \
			&& [ \$(grep -c 'aead rfc4106(gcm(aes))' $XI_RUN/states) = 2 ] || { cat $XI_RUN/states; exit 1; }"
	policies east > "$XI_RUN/policies" 2>&1
	xi_check "xfrmgw holds the CHILD_SA's policies (out, in, fwd)" \
		sh -c "grep -q 'src 10.1.0.0/24 dst 10.2.0.0/24' $XI_RUN/policies \
			&& grep -A1 'src 10.1.0.0/24 dst 10.2.0.0/24' $XI_RUN/policies | grep -q 'dir out' \
			&& grep -A1 'src 10.2.0.0/24 dst 10.1.0.0/24' $XI_RUN/policies | grep -q 'dir in' \
			&& grep -A1 'src 10.2.0.0/24 dst 10.1.0.0/24' $XI_RUN/policies | grep -q 'dir fwd' \
			|| { cat $XI_RUN/policies; exit 1; }"
	xi_check "xfrmgw-ctl sa and stats list them" \
		sh -c "'$XI_CTL' --ctl '$XI_RUN/east/xfrm.sock' sa | grep -qi '$spi_in' \
			&& '$XI_CTL' --ctl '$XI_RUN/east/xfrm.sock' stats"
	xi_check "west (kernel-libipsec) installed the mirror SAs" \
		sh -c "[ '$(xi_sa_field west spi-in)' = '$spi_out' ] && [ '$(xi_sa_field west spi-out)' = '$spi_in' ]"
	xi_check "charon on east queried the SA usage (GETSA) without error" \
		sh -c "! grep -q 'unable to query SAD' $XI_RUN/east/charon.log"
	xi_swanctl east --terminate --ike xi --timeout 10 > "$XI_RUN/term.out" 2>&1
	xi_check "terminate: SAs and policies leave xfrmgw" \
		xi_wait 5 sh -c "[ -z \"\$('$XI_EXEC' --ctl '$XI_RUN/east/xfrm.sock' ip xfrm state)\" ] \
			&& [ -z \"\$('$XI_EXEC' --ctl '$XI_RUN/east/xfrm.sock' ip xfrm policy)\" ]"
}

sc_tunnel() {
	pair_up plain gateway libipsec || { fail_with_logs "bring-up (xfrmgw packet path + charon)"; return; }
	xi_ok "xfrmgw on east owns 192.0.2.1 and 10.1.0.1 (TAP xgw-wan for the host kernel)"
	xi_check "west reaches east's charon through xfrmgw's TAP (ping 192.0.2.1 from west)" \
		xi_traffic west ping 192.0.2.1 --count 3
	xi_check "IKEv2 PSK through the exception path, CHILD_SA on both sides" bring_up east \
		|| { xi_dump_logs east west; return; }
	xi_check "20 pings lanE -> lanW through the tunnel" ping_lan 20 56 \
		|| { xi_dump_logs east west; }
	xi_check "CHILD_SA counters: east and west agree, 20 x 84 bytes each way" counters_agree 20 84
	xi_check "TCP file transfer lanE -> lanW (2 MiB, SHA-256)" tcp_file 2048
	xi_check "xfrmgw-ctl stats counts the traffic" \
		sh -c "'$XI_CTL' --ctl '$XI_RUN/east/xfrm.sock' stats | tee /dev/stderr | grep -Eq '[1-9][0-9]{3,}'"
}

[ "$(type -t "sc_$SCENARIO")" = function ] || xi_die "no scenario '$SCENARIO'"
xi_require
xi_setup
echo "# interop scenario $SCENARIO (run dir $XI_RUN, namespaces $XI_PREFIX-*)"
"sc_$SCENARIO"
[ -n "${XI_HOLD:-}" ] && { echo "holding the topology for $XI_HOLD s (XI_HOLD)"; sleep "$XI_HOLD"; }
xi_summary
