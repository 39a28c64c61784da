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
#   gw2gw_proposals  the proposals between two xfrmgw, ESN off and on
#   gw2gw_tunnel   two xfrmgw gateways: ESP tunnel, ESN
#   gw2gw_transport  ESP transport between the gateways' own addresses
#   gw2gw_ah       AH tunnel, AH on the wire checked by Scapy
#   gw2gw_route    route-based: both charons with if_id_in = if_id_out = 7 and
#                  0.0.0.0/0 selectors, each gateway an XFRM interface ipsec7
#                  (if_id 7) with a route to the peer's LAN into it
#   gw2gw_mark     marks, no interfaces: mark_in = mark_out = set_mark_in = 42
#                  on both charons, each gateway's LAN port marks with 42
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
		xi_charon_conf west shim "$@" || return 1
	else
		xi_charon_conf west libipsec "$@" || return 1
	fi
	xi_charon_conf east shim "$@" || return 1
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
states() { xi_gw_ip "$1" -s xfrm state; }
policies() { xi_gw_ip "$1" xfrm policy; }

# ping_lan [COUNT] [SIZE]: lanE pings lanW, every echo answered
ping_lan() { xi_traffic lanE ping "$LANW" --count "${1:-5}" --size "${2:-56}" --interval 0.1; }

# tcp_file SIZE_KB: a random file from lanE to lanW, SHA-256 compared
# listening NODE tcp|udp PORT: a socket of NODE's namespace is bound to PORT
# (poll this rather than sleep: a loaded machine starts Python slowly)
listening() {
	ip netns exec "$(xi_ns "$1")" ss -Hln --"$2" "sport = :$3" | grep -q .
}

tcp_file() {
	local kb=$1 sent got
	head -c "$((kb * 1024))" /dev/urandom > "$XI_RUN/file.bin"
	xi_bg lanW tcpserve "$XI_PY" "$XI_DIR/traffic.py" tcp-serve 5001 "$XI_RUN/file.rcv" --timeout 60
	xi_wait 20 listening lanW tcp 5001
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
		xi_true 'xi_sas east | grep -q "encap=yes"'
	local spi_in spi_out
	spi_in=$(xi_sa_field east spi-in) spi_out=$(xi_sa_field east spi-out)
	states east > "$XI_RUN/states" 2>&1
	xi_check "xfrmgw holds both ESP SAs (SPIs $spi_in in, $spi_out out)" \
		sh -c "grep -q 'spi 0x$spi_in[ (]' $XI_RUN/states && grep -q 'spi 0x$spi_out[ (]' $XI_RUN/states \
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

# Scenarios take east's kind from XI_EAST_MODE (default gateway). With
# XI_EAST_MODE=kernel (developer runs only: make test always uses gateway)
# the control-plane half runs and each data check says it did not run.
EK=$XI_EAST_MODE
dcheck() {
	if [ "$EK" = kernel ]; then
		echo "---- not run (XI_EAST_MODE=kernel, no packet path): $1"
		return 0
	fi
	xi_check "$@"
}

# esp_row PROPOSAL: what `ip xfrm state` shows for it (algorithm, key bits)
# (ip -s prints the key length in bits after the key: optional here)
B='\( ([0-9]* bits)\)\?'
esp_row() {
	case "$1" in
	aes128gcm16*) echo "aead rfc4106(gcm(aes)) 0x[0-9a-f]\{40\}$B 128$" ;;
	aes256gcm16*) echo "aead rfc4106(gcm(aes)) 0x[0-9a-f]\{72\}$B 128$" ;;
	chacha20poly1305*) echo "aead rfc7539esp(chacha20,poly1305) 0x[0-9a-f]\{72\}$B 128$" ;;
	aes128-sha256*) echo "auth-trunc hmac(sha256) 0x[0-9a-f]\{64\}$B 128$" ;;
	aes256-sha512*) echo "auth-trunc hmac(sha512) 0x[0-9a-f]\{128\}$B 256$" ;;
	esac
}
esp_enc() {
	case "$1" in
	aes128-*) echo "enc cbc(aes) 0x[0-9a-f]\{32\}$B$" ;;
	aes256-*) echo "enc cbc(aes) 0x[0-9a-f]\{64\}$B$" ;;
	*) echo . ;;
	esac
}

# state_has NODE PATTERN COUNT: COUNT SAs in the gateway match PATTERN
state_has() {
	local got
	got=$(states "$1" | grep -c -- "$2")
	[ "$got" = "$3" ] || { echo "$got SAs match '$2' on $1, want $3:"; states "$1"; return 1; }
}

both_have() { state_has east "$1" "$2" && state_has west "$1" "$2"; }

# proposal_row WESTKIND PROPOSAL: negotiate one proposal, check and use it
proposal_row() {
	local wk=$1 p=$2 esn=0
	case "$p" in *-esn) esn=1 ;; esac
	xi_swanctl east --terminate --ike xi --timeout 10 >/dev/null 2>&1
	xi_wait 5 sh -c "[ -z \"\$('$XI_EXEC' --ctl '$XI_RUN/east/xfrm.sock' ip xfrm state)\" ]"
	xi_charon_reload west "$wk" esp="$p" || return 1
	xi_charon_reload east shim esp="$p" || return 1
	bring_up east || { tail -5 "$XI_RUN/west/charon.log"; return 1; }
	state_has east "$(esp_row "$p")" 2 || return 1
	[ "$(esp_enc "$p")" = . ] || state_has east "$(esp_enc "$p")" 2 || return 1
	state_has east "flag.* esn" $((esn * 2)) || return 1
	[ "$(xi_sa_field east esn)" = "$([ $esn = 1 ] && echo 1 || echo '')" ] \
		|| { echo "charon says esn=$(xi_sa_field east esn)"; return 1; }
	echo "negotiated: $(xi_swanctl east --list-sas | grep -m1 -o 'ESP:[^ ]*')"
}

# the esp_proposals line xfrmgw-ctl prints is what docs/interop.md tells
# users to paste into swanctl.conf: it must load and negotiate as is
ctl_proposals_row() {
	local line
	line=$(xi_gw_ctl east proposals | sed -n 's/^esp_proposals = //p')
	[ -n "$line" ] || { echo "xfrmgw-ctl proposals printed no esp_proposals"; return 1; }
	xi_charon_reload east shim esp="$line" || return 1
	xi_charon_reload west libipsec esp=aes256gcm16 || return 1
	bring_up east || return 1
	state_has east "$(esp_row aes256gcm16)" 2 || return 1
	xi_swanctl east --terminate --ike xi --timeout 10 >/dev/null 2>&1
	echo "esp_proposals = $line"
}

PROPOSALS="aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256 aes256-sha512"

# kernel-libipsec refuses ESN ("IPsec SA: ESN not supported"): against it
# the rows are ESN off; gw2gw_proposals runs them with ESN on and off.
sc_proposals() {
	local p
	pair_up plain "$EK" libipsec || { fail_with_logs "bring-up"; return; }
	xi_check "east proposes the whole 'xfrmgw-ctl proposals' list, west picks aes256gcm16" \
		ctl_proposals_row
	for p in $PROPOSALS; do
		xi_check "proposal $p-noesn: negotiated, in xfrmgw with the right transform" \
			proposal_row libipsec "$p-noesn" || continue
		dcheck "proposal $p-noesn: 5 pings lanE -> lanW" ping_lan 5 200
	done
}

sc_gw2gw_proposals() {
	local p esn
	pair_up plain gateway gateway || { fail_with_logs "bring-up (two xfrmgw)"; return; }
	for p in $PROPOSALS; do
		for esn in noesn esn; do
			xi_check "proposal $p-$esn: negotiated, in xfrmgw with the right transform" \
				proposal_row shim "$p-$esn" || continue
			xi_check "proposal $p-$esn: 5 pings lanE -> lanW" ping_lan 5 200
		done
	done
}

# stream SECONDS RATE: numbered UDP both ways (lanE -> lanW, lanW -> lanE) in
# the background; stream_result prints the loss and fails on any
stream() {
	xi_bg lanW sinkW "$XI_PY" "$XI_DIR/traffic.py" udp-sink 6000 --seconds $(($1 + 10))
	xi_bg lanE sinkE "$XI_PY" "$XI_DIR/traffic.py" udp-sink 6000 --seconds $(($1 + 10))
	xi_wait 20 listening lanW udp 6000
	xi_wait 20 listening lanE udp 6000
	xi_bg lanE srcE "$XI_PY" "$XI_DIR/traffic.py" udp-source "$LANW" 6000 --rate "$2" --seconds "$1"
	xi_bg lanW srcW "$XI_PY" "$XI_DIR/traffic.py" udp-source "$LANE" 6000 --rate "$2" --seconds "$1"
}
stream_result() {
	wait "$XI_BG_srcE" "$XI_BG_srcW" "$XI_BG_sinkW" "$XI_BG_sinkE" 2>/dev/null
	echo "lanE -> lanW: $(cat "$XI_RUN/sinkW.out")"
	echo "lanW -> lanE: $(cat "$XI_RUN/sinkE.out")"
	grep -q "lost 0 " "$XI_RUN/sinkW.out" && grep -q "lost 0 " "$XI_RUN/sinkE.out"
}

# rekeys NODE: how many CHILD_SA rekeys charon on NODE logged
rekeys() { grep -c "outbound CHILD_SA net{[0-9]*} established" "$XI_RUN/$1/charon.log"; }
expires() { grep -c "received a XFRM_MSG_EXPIRE" "$XI_RUN/$1/charon.log"; }

sc_rekey_child() {
	# east rekeys by its own timer every ~6 s; west keeps long lifetimes
	pair_up plain "$EK" libipsec || { fail_with_logs "bring-up"; return; }
	xi_charon_reload east shim rekey_time=6s life_time=30s || { xi_not_ok "reload"; return; }
	xi_check "CHILD_SA up" bring_up east || { xi_dump_logs east west; return; }
	local spi0 n0 r0
	spi0=$(xi_sa_field east spi-in) n0=$(rekeys east)
	[ "$EK" = gateway ] && stream 20 200
	sleep 1
	# charon puts rekey_time into the SA as its soft add_expires: xfrmgw's
	# lifetime timer sends the soft XFRM_MSG_EXPIRE and charon rekeys
	xi_check "xfrmgw's soft EXPIRE (time) -> charon rekeys (make-before-break) twice in 20 s" \
		xi_wait 22 xi_true '[ "$(rekeys east)" -ge $((n0 + 2)) ] && [ "$(expires east)" -ge 2 ]'
	grep -q "closing CHILD_SA net{1}" "$XI_RUN/east/charon.log" && \
	xi_check "the new CHILD_SA was installed before the old one was closed" \
		xi_true '[ "$(grep -n "outbound CHILD_SA net{2} established" "$XI_RUN/east/charon.log" | cut -d: -f1)" \
			-lt "$(grep -n "closing CHILD_SA net{1}" "$XI_RUN/east/charon.log" | cut -d: -f1)" ]'
	xi_check "the first SAs left xfrmgw, two current ones remain (between rekeys)" \
		xi_wait 8 xi_true '! states east | grep -q "spi 0x$spi0[ (]" && state_has east "^src" 2 \
			&& state_has east "spi 0x$(xi_sa_field east spi-in)[ (]" 1'
	xi_check "policies untouched by the rekey (3)" \
		sh -c "[ \$('$XI_EXEC' --ctl '$XI_RUN/east/xfrm.sock' ip xfrm policy | grep -c '^src') = 3 ]"
	[ "$EK" = gateway ] && XI_SHOW=1 xi_check "no UDP datagram lost across the timer rekeys (200/s each way)" stream_result
	[ "$EK" = gateway ] || dcheck "no UDP datagram lost across the timer rekeys" false

	# soft packet lifetime in xfrmgw: EXPIRE(soft) makes charon rekey
	xi_swanctl east --terminate --ike xi --timeout 10 >/dev/null 2>&1
	xi_charon_reload east shim rekey_time=0 rekey_packets=600 life_packets=5000 \
		|| { xi_not_ok "reload"; return; }
	xi_check "CHILD_SA up (rekey_packets 600)" bring_up east || return
	xi_check "charon set the 600-packet soft limit in xfrmgw" state_has east "soft 600(packets)" 2
	n0=$(expires east) r0=$(rekeys east)
	if [ "$EK" = gateway ]; then
		stream 12 200
		xi_check "xfrmgw's soft EXPIRE (600 packets) triggers charon's rekey" \
			xi_wait 20 xi_true '[ "$(expires east)" -gt "$n0" ] && [ "$(rekeys east)" -gt "$r0" ]'
		XI_SHOW=1 xi_check "no UDP datagram lost across the EXPIRE rekeys" stream_result
	else
		dcheck "xfrmgw's soft EXPIRE on 600 packets triggers charon's rekey" false
	fi
}

sc_rekey_ike() {
	# east rekeys its IKE_SA every 8 s; west keeps the defaults (no collisions)
	pair_up plain "$EK" libipsec || { fail_with_logs "bring-up"; return; }
	xi_charon_reload east shim ike_rekey=8s ike_over=30s || { xi_not_ok "reload"; return; }
	xi_check "IKE_SA and CHILD_SA up" bring_up east || { xi_dump_logs east west; return; }
	local spi id0
	spi=$(xi_sa_field east spi-in)
	id0=$(xi_swanctl east --list-sas --raw | grep -o 'uniqueid=[0-9]*' | head -1)
	xi_check "the IKE_SA is rekeyed (new IKE_SA) within 20 s" \
		xi_wait 20 xi_true 'grep -q "IKE_SA xi\[[0-9]*\] rekeyed" "$XI_RUN/east/charon.log" \
			&& [ "$(xi_sas east | grep -o "uniqueid=[0-9]*" | head -1)" != "$id0" ]'
	xi_check "the CHILD_SA moved to the new IKE_SA unchanged (SPI $spi)" \
		xi_true 'xi_sas east | grep -q "spi-in=$spi"'
	dcheck "traffic after the IKE rekey (10 pings)" ping_lan 10
	xi_check "a second IKE rekey 8 s later, the CHILD_SA still there" \
		xi_wait 20 xi_true '[ "$(grep -c "IKE_SA xi\[[0-9]*\] rekeyed" "$XI_RUN/east/charon.log")" -ge 2 ] \
			&& xi_sas east | grep -q "spi-in=$spi"'
	xi_check "no rekey collision, no IKE_SA deleted by its lifetime" \
		sh -c "! grep -q 'collision\|IKE_SA will timeout\|maximum IKE_SA lifetime reached' $XI_RUN/east/charon.log $XI_RUN/west/charon.log"
	dcheck "traffic after the second IKE rekey" ping_lan 5
}

sc_dpd() {
	pair_up plain "$EK" libipsec dpd=2s retrans=1.0 || { fail_with_logs "bring-up"; return; }
	xi_charon_reload east shim dpd=2s retrans=1.0 dpd_action=restart keyingtries=0 \
		|| { xi_not_ok "reload"; return; }
	xi_check "CHILD_SA up, DPD every 2 s" bring_up east || { xi_dump_logs east west; return; }
	dcheck "traffic before" ping_lan 3
	# the peer dies without a word (SIGKILL: no DELETE sent)
	xi_crash west:charon
	local t0=$SECONDS
	xi_check "east declares the peer dead (DPD retransmits given up)" \
		xi_wait 40 grep -q "giving up after\|peer not responding" "$XI_RUN/east/charon.log"
	echo "       (dead peer detected after $((SECONDS - t0)) s)"
	xi_check "the dead CHILD_SA's SAs leave xfrmgw" \
		xi_wait 10 xi_true '! states east | grep -q spi'
	xi_charon_start west || { xi_not_ok "west charon restart"; return; }
	xi_check "west restarted: east's dpd_action=restart brings the tunnel back" \
		xi_wait 40 xi_child_installed west
	xi_check "east has the new CHILD_SA in xfrmgw" xi_wait 10 state_has east "proto esp" 2
	dcheck "traffic after the restart" ping_lan 5
}

sc_natt() {
	pair_up nat "$EK" libipsec keepalive=2s dpd=3s || { fail_with_logs "bring-up"; return; }
	xi_check "west (behind masquerade) initiates to east" bring_up west || { xi_dump_logs east west; return; }
	xi_check "east sees the NAT (remote 192.0.2.254, port 40000-40999)" \
		xi_true 'xi_sas east | grep -q "remote-host=192.0.2.254 remote-port=40[0-9][0-9][0-9]"'
	xi_check "UDP encapsulation negotiated, in xfrmgw (NAT port 40xxx)" \
		state_has east 'espinudp sport \(4500 dport 40[0-9]\{3\}\|40[0-9]\{3\} dport 4500\) ' 2
	dcheck "lanE -> lanW through the NAT (5 pings)" ping_lan 5
	# a new mapping: other source ports, old conntrack entries gone
	xi_nat_rules 41000-41999
	xi_in nat conntrack -F >/dev/null 2>&1 || xi_not_ok "conntrack -F in nat (package conntrack)"
	if [ "$EK" = gateway ]; then
		xi_bg lanW pingW "$XI_PY" "$XI_DIR/traffic.py" ping "$LANE" --count 40 --interval 0.25 --min 1
		# RFC 3948 / XFRM: ESP from the new port makes xfrmgw send
		# XFRM_MSG_MAPPING; west's next DPD would also update the IKE_SA
		xi_check "xfrmgw sends XFRM_MSG_MAPPING for ESP from the new port (charon: 'NAT mappings ... changed')" \
			xi_wait 10 grep -q "received a XFRM_MSG_MAPPING" "$XI_RUN/east/charon.log"
	fi
	xi_check "the IKE_SA follows the new port" \
		xi_wait 25 xi_true 'xi_sas east | grep -q "remote-port=41[0-9][0-9][0-9]"'
	xi_check "xfrmgw's SAs now encapsulate to the new port" \
		xi_wait 10 state_has east 'espinudp sport \(4500 dport 41[0-9]\{3\}\|41[0-9]\{3\} dport 4500\) ' 2
	dcheck "lanE -> lanW after the mapping change (5 pings)" ping_lan 5
}

# ---- two xfrmgw gateways, each with charon under xfrmgw-exec ----
sc_gw2gw_tunnel() {
	pair_up plain gateway gateway esp=aes128gcm16-esn || { fail_with_logs "bring-up (two xfrmgw)"; return; }
	xi_check "IKEv2 between the two gateways' TAPs, CHILD_SA on both" bring_up east \
		|| { xi_dump_logs east west; return; }
	xi_check "ESN on both gateways' SAs" both_have "flag.* esn" 2
	xi_check "no UDP encapsulation between two xfrmgw without NAT" state_has east "encap" 0
	xi_check "20 pings lanE -> lanW" ping_lan 20
	xi_check "counters agree on both sides: 20 x 84 bytes each way" counters_agree 20 84
	xi_check "TCP file transfer lanE -> lanW (4 MiB, SHA-256)" tcp_file 4096
}

sc_gw2gw_transport() {
	pair_up plain gateway gateway mode=transport \
		local_ts='dynamic[icmp],dynamic[tcp]' remote_ts='dynamic[icmp],dynamic[tcp]' \
		|| { fail_with_logs "bring-up (two xfrmgw)"; return; }
	xi_check "transport-mode CHILD_SA (ICMP and TCP between 192.0.2.1 and 192.0.2.2)" bring_up east \
		|| { xi_dump_logs east west; return; }
	xi_check "the SAs are transport mode in both gateways" both_have "mode transport" 2
	xi_spawn east tcpdump "$XI_RUN/tcpdump.out" timeout 60 tcpdump -n -U -i e-wan -w "$XI_RUN/tr.pcap" \
		icmp or esp
	local tpid=$XI_LASTPID
	xi_wait 20 grep -q "listening on" "$XI_RUN/tcpdump.out"
	sleep 1	# (what it says and when it sees the first frame are not the same moment)
	xi_check "10 pings east host -> west host (through both TAPs)" \
		xi_traffic east ping 192.0.2.2 --count 10 --interval 0.1
	sleep 0.5
	xi_kill "$tpid" tcpdump
	# the capture must see ESP and never cleartext; the SA counters below count every packet
	# (a loaded machine's capture can miss a few of the 20)
	xi_check "on the wire: ESP only, no cleartext ICMP between the hosts (tcpdump on e-wan)" \
		xi_true 'n=$(tcpdump -n -r "$XI_RUN/tr.pcap" icmp 2>/dev/null | wc -l); \
			e=$(tcpdump -n -r "$XI_RUN/tr.pcap" esp 2>/dev/null | wc -l); \
			echo "$n cleartext ICMP, $e ESP packets"; [ "$n" = 0 ] && [ "$e" -ge 10 ]'
	# transport mode counts the payload behind the IP header, as the kernel: 84 - 20
	xi_check "counters agree: 10 x 64 bytes each way (payload behind the IP header)" counters_agree 10 64
	head -c $((1024 * 1024)) /dev/urandom > "$XI_RUN/file.bin"
	xi_bg west tcpserve "$XI_PY" "$XI_DIR/traffic.py" tcp-serve 5001 "$XI_RUN/file.rcv" --timeout 60
	xi_wait 20 listening west tcp 5001
	xi_check "TCP file transfer host to host (1 MiB, SHA-256)" sh -c "
		ip netns exec $(xi_ns east) timeout 60 $XI_PY $XI_DIR/traffic.py tcp-send 192.0.2.2 5001 $XI_RUN/file.bin \
		&& sleep 1 && cmp $XI_RUN/file.bin $XI_RUN/file.rcv"
	xi_check "the transfer went through the CHILD_SA (> 100 packets out)" \
		xi_true '[ "$(xi_sa_field east packets-out)" -gt 100 ]'
}

sc_gw2gw_route() {
	XI_GW_EXTRA=$'xfrmi ipsec7 if_id 7\nroute @PEERLAN@ dev ipsec7' \
		pair_up plain gateway gateway if_id_in=7 if_id_out=7 \
		local_ts=0.0.0.0/0 remote_ts=0.0.0.0/0 \
		|| { fail_with_logs "bring-up (two xfrmgw, route-based)"; return; }
	xi_check "IKEv2, CHILD_SA 0.0.0.0/0 === 0.0.0.0/0 with interface ids on both" bring_up east \
		|| { xi_dump_logs east west; return; }
	xi_check "the SAs carry if_id 7 on both gateways" both_have "if_id 0x7" 2
	xi_check "the policies carry if_id 7 and 0.0.0.0/0 selectors" xi_true \
		'[ "$(policies east | grep -c "if_id 0x7")" -ge 3 ] &&
		 policies east | grep -q "src 0.0.0.0/0 dst 0.0.0.0/0"'
	xi_check "20 pings lanE -> lanW, routed into ipsec7" ping_lan 20
	xi_check "counters agree on both sides: 20 x 84 bytes each way" counters_agree 20 84
	xi_check "TCP file transfer lanE -> lanW (2 MiB, SHA-256)" tcp_file 2048
}

sc_gw2gw_mark() {
	XI_GW_LANOPTS="mark 42" \
		pair_up plain gateway gateway mark_in=42/0xffffffff mark_out=42/0xffffffff \
		set_mark_in=42/0xffffffff \
		|| { fail_with_logs "bring-up (two xfrmgw, marks)"; return; }
	xi_check "IKEv2, CHILD_SA with marks on both" bring_up east \
		|| { xi_dump_logs east west; return; }
	xi_check "the outbound SAs carry mark 42" both_have "[[:space:]]mark 0x2a/0xffffffff" 1
	xi_check "the inbound SAs set mark 42 (set_mark_in)" both_have "output-mark 0x2a/0xffffffff" 1
	xi_check "the policies carry mark 42" xi_true \
		'[ "$(policies east | grep -c "mark 0x2a/0xffffffff")" -ge 3 ]'
	xi_check "20 pings lanE -> lanW (the LAN ports mark 42)" ping_lan 20
	xi_check "counters agree on both sides: 20 x 84 bytes each way" counters_agree 20 84
}

sc_gw2gw_ah() {
	pair_up plain gateway gateway ah=sha256 || { fail_with_logs "bring-up (two xfrmgw)"; return; }
	xi_check "AH tunnel CHILD_SA (HMAC-SHA-256-128) between the gateways" bring_up east \
		|| { xi_dump_logs east west; return; }
	xi_check "xfrmgw holds AH SAs with hmac(sha256) 128" state_has east "proto ah" 2
	states east > "$XI_RUN/ah-states"
	xi_spawn east tcpdump "$XI_RUN/tcpdump.out" timeout 60 tcpdump -n -U -i e-wan -w "$XI_RUN/ah.pcap" ip proto 51
	local tpid=$XI_LASTPID
	xi_wait 20 grep -q "listening on" "$XI_RUN/tcpdump.out"
	sleep 1	# (what it says and when it sees the first frame are not the same moment)
	xi_check "20 pings lanE -> lanW over AH" ping_lan 20
	sleep 0.5
	xi_kill "$tpid" tcpdump
	xi_check "counters agree: 20 x 84 bytes each way" counters_agree 20 84
	# every captured packet is checked; the counters above count all 40 (a loaded
	# machine's capture can miss some)
	xi_check "Scapy: AH on the wire (RFC 4302: next header IPv4, length, SPI, sequence, ICV)" \
		"$XI_PY" "$XI_DIR/ah_check.py" "$XI_RUN/ah.pcap" "$XI_RUN/ah-states" 20
}

[ "$(type -t "sc_$SCENARIO")" = function ] || xi_die "no scenario '$SCENARIO'"
xi_require
xi_setup
echo "# interop scenario $SCENARIO (run dir $XI_RUN, namespaces $XI_PREFIX-*)"
"sc_$SCENARIO"
# every gateway still running must stop cleanly (a crash at exit is a bug)
for node in east west; do
	for e in "${XI_PIDS[@]}"; do
		[ "${e%:*}" = "$node:xfrmgw" ] || continue
		[ -n "${XI_HOLD:-}" ] && break
		xi_check "xfrmgw on $node stops cleanly on SIGTERM (after its charon)" xi_gw_stop "$node"
		break
	done
done
[ -n "${XI_HOLD:-}" ] && { echo "holding the topology for $XI_HOLD s (XI_HOLD)"; sleep "$XI_HOLD"; }
xi_summary
