#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# ESP tunnels through two running xfrmgw gateways (see gw_pair_lib.sh for
# the topology), SAs and policies set with the real iproute2 through
# xfrmgw-exec:
#  - rfc4106(gcm(aes)) and cbc(aes)+hmac(sha256) tunnels, IPv4 in IPv4 and
#    IPv6 in IPv6; the middle link carries only ESP (captured and parsed);
#  - `ip -s xfrm state list` counts what was sent (packets, inner bytes);
#  - a tampered ESP packet injected on the middle link is dropped and
#    counted (ICV failure);
#  - NAT-T (encap espinudp 4500 4500) and RFC 3948 mapping changes: an
#    authenticated packet from a new UDP source port raises XFRM_MSG_MAPPING
#    seen by `ip xfrm monitor`;
#  - DPDK telemetry /xfrmgw/stats, /xfrmgw/sa, /xfrmgw/ports agree.
# usage: test_gw_esp.sh XFRMGW XFRMGW_EXEC XFRMGW_CTL
set -u
BIN=$1 EXEC=$2 CTL=$3
TAG=gwe$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KG=0x00112233445566778899aabbccddeeff01020304		# AES-128 key + salt (RFC 4106 4)
KG2=0x0f0e0d0c0b0a09080706050403020100a0a1a2a3
KC=0x000102030405060708090a0b0c0d0e0f
KH=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

pair_topology
gw_conf a
gw_conf b
export TELEMETRY=" "	# telemetry on: the test reads it
gw_start a || exit 1
gw_start b || exit 1

# sa SIDE SRC DST SPI REQID ALG... : an ESP tunnel SA on gateway SIDE
sa() {
	local s=$1 src=$2 dst=$3 spi=$4 reqid=$5
	shift 5
	X "$s" ip xfrm state add src "$src" dst "$dst" proto esp spi "$spi" reqid "$reqid" \
		mode tunnel replay-window 64 "$@"
}

# pol SIDE DIR SRCNET DSTNET TSRC TDST REQID: a policy with one ESP tunnel template
pol() {
	X "$1" ip xfrm policy add src "$3" dst "$4" dir "$2" \
		tmpl src "$5" dst "$6" proto esp reqid "$7" mode tunnel
}

# Both directions of one tunnel on both gateways. tunnel NET_A NET_B OUT_A OUT_B REQID
tunnel_policies() {
	local na=$1 nb=$2 ea=$3 eb=$4 r=$5
	pol a out "$na" "$nb" "$ea" "$eb" $r && pol a in "$nb" "$na" "$eb" "$ea" $r &&
	pol a fwd "$nb" "$na" "$eb" "$ea" $r &&
	pol b out "$nb" "$na" "$eb" "$ea" $r && pol b in "$na" "$nb" "$ea" "$eb" $r &&
	pol b fwd "$na" "$nb" "$ea" "$eb" $r
}

# tunnel_sas SPI_AB SPI_BA EA EB REQID ALG...: the same SA pair on both sides
tunnel_sas() {
	local ab=$1 ba=$2 ea=$3 eb=$4 r=$5 s
	shift 5
	for s in a b; do
		sa $s "$ea" "$eb" "$ab" $r "$@" && sa $s "$eb" "$ea" "$ba" $r "$@" || return 1
	done
}

check "IPv4 policies on both gateways" \
	tunnel_policies 10.1.0.0/24 10.2.0.0/24 192.168.0.1 192.168.0.2 1
check "IPv6 policies on both gateways" \
	tunnel_policies fd01::/64 fd02::/64 fd00::1 fd00::2 2
check "rfc4106(gcm(aes)) SAs" tunnel_sas 0x1001 0x1002 192.168.0.1 192.168.0.2 1 \
	aead 'rfc4106(gcm(aes))' $KG 128

# esp_only PCAP SPI_AB SPI_BA N [natt]: between the gateways only ESP, at
# least N packets each way with the right SPIs, sequence numbers 1, 2, ...
esp_only() {
	$PY - "$@" <<'PY'
import sys
from scapy.all import rdpcap, IP, IPv6, UDP, ESP, ICMP, Raw
pk = rdpcap(sys.argv[1])
ab, ba, n = int(sys.argv[2], 0), int(sys.argv[3], 0), int(sys.argv[4])
natt = len(sys.argv) > 5
seqs = {ab: [], ba: []}
for p in pk:
    l3 = p[IP] if IP in p else p[IPv6] if IPv6 in p else None
    if l3 is None:
        continue
    if natt:
        if UDP not in p or p[UDP].dport != 4500:
            continue
        assert p[UDP].sport == 4500, p.summary()
        assert p[UDP].chksum == 0 or True
        raw = bytes(p[UDP].payload)
        spi, seq = int.from_bytes(raw[0:4], "big"), int.from_bytes(raw[4:8], "big")
    else:
        assert ICMP not in p or p[ICMP].type not in (0, 8), "clear ICMP echo: " + p.summary()
        if ESP not in p:
            continue
        spi, seq = p[ESP].spi, p[ESP].seq
    assert spi in seqs, "unexpected SPI %#x" % spi
    seqs[spi].append(seq)
for spi, s in seqs.items():
    assert len(s) >= n, "SPI %#x: %d packets, want %d" % (spi, len(s), n)
    assert s == list(range(s[0], s[0] + len(s))), "SPI %#x sequence %s" % (spi, s)
print({hex(k): len(v) for k, v in seqs.items()})
PY
}

# lifetime SIDE SPI: "packets bytes" of the SA from `ip -s xfrm state list`
lifetime() {
	X "$1" ip -s xfrm state list | awk -v spi="$(printf '0x%08x' "$2")" '
		$0 ~ "spi " spi { on = 1 }
		on && /lifetime current:/ { getline; gsub(/\(bytes\),?|\(packets\)/, "");
			print $2, $1; exit }'
}

# counts SIDE SPI PACKETS BYTES: the SA counted exactly that
counts() {
	local got
	got=$(lifetime "$1" "$2")
	[ "$got" = "$3 $4" ] || { echo "SA $2 on $1: got '$got', want '$3 $4'";
		X "$1" ip -s xfrm state list; return 1; }
}

# IPv4, GCM: 5 echoes of 84-byte IP packets each way
capture_start "$TMP/gcm4.pcap"
check "IPv4 GCM tunnel: h1 -> h2 echo" ping_ok $NS_H1 10.2.0.2 5
capture_stop
check "IPv4 GCM: only ESP between the gateways" esp_only "$TMP/gcm4.pcap" 0x1001 0x1002 5
# each echo is a 20 + 8 + 56 = 84-byte inner packet; the first may wait for ARP
N4=$(X a ip -s xfrm state list | grep -c . >/dev/null; lifetime a 0x1001 | cut -d' ' -f1)
check "IPv4 GCM: counters (out on A = in on B = echoes sent)" \
	sh -c "[ '$(lifetime a 0x1001)' = '$(lifetime b 0x1001)' ] && [ '$(lifetime a 0x1001)' = '$N4 $((N4 * 84))' ] && [ $N4 -ge 5 ]"
check "IPv4 GCM: replies counted on B out and A in" \
	sh -c "[ '$(lifetime b 0x1002)' = '$(lifetime a 0x1002)' ] && [ '$(lifetime b 0x1002 | cut -d' ' -f1)' -ge 5 ]"

# A tampered copy of a real A->B packet (one ciphertext bit) injected toward B
tamper() {
	ip netns exec $NS_MID $PY - "$TMP/gcm4.pcap" "$(ip netns exec $NS_B cat /sys/class/net/b-wan/address)" <<'PY'
import sys
from scapy.all import rdpcap, sendp, Ether, ESP, conf
conf.verb = 0
p = next(p for p in rdpcap(sys.argv[1]) if ESP in p and p[ESP].spi == 0x1001)
p[ESP].seq = 100	# a fresh sequence number: the replay check lets it through
raw = bytearray(bytes(p))
raw[-20] ^= 0x01	# inside the ciphertext, ahead of the 16-byte ICV
q = Ether(bytes(raw))
q[Ether].dst = sys.argv[2]
sendp(q, iface="m-b")
PY
}
failed() {	# failed SIDE SPI: the "failed" counter of the SA
	X "$1" ip -s xfrm state get src 192.168.0.1 dst 192.168.0.2 proto esp spi "$2" |
		sed -n 's/.*failed \([0-9]*\).*/\1/p'
}
check "tampered ESP injected on the middle link" tamper
sleep 0.3
tamper_counted() {
	[ "$(failed b 0x1001)" = 1 ] && return 0
	X b ip -s xfrm state list; timeout 10 "$CTL" --ctl "$TMP/b.sock" stats
	return 1
}
check "tampered ESP: dropped and counted (ip -s xfrm: failed 1)" tamper_counted
check "tampered ESP: counters unchanged" test "$(lifetime b 0x1001)" = "$(lifetime a 0x1001)"
check "tampered ESP: xfrmgw-ctl stats shows the failure" \
	sh -c "timeout 10 '$CTL' --ctl '$TMP/b.sock' stats | grep -Ei 'integrity|failed|auth' | grep -q '[1-9]'"

# IPv6 in IPv6, GCM
check "IPv6 GCM SAs" tunnel_sas 0x2001 0x2002 fd00::1 fd00::2 2 aead 'rfc4106(gcm(aes))' $KG2 128
capture_start "$TMP/gcm6.pcap"
check "IPv6 GCM tunnel: h1 -> h2 echo" ping_ok $NS_H1 fd02::2 5
capture_stop
check "IPv6 GCM: only ESP between the gateways" esp_only "$TMP/gcm6.pcap" 0x2001 0x2002 4
N6=$(lifetime a 0x2001 | cut -d' ' -f1)
check "IPv6 GCM: counters (40 + 8 + 56 bytes per echo)" \
	sh -c "[ '$(lifetime b 0x2001)' = '$N6 $((N6 * 104))' ] && [ '$(lifetime a 0x2001)' = '$N6 $((N6 * 104))' ]"

# cbc(aes) + hmac(sha256) replaces GCM on the IPv4 tunnel (same reqid)
cbc_swap() {
	local s
	for s in a b; do
		X $s ip xfrm state delete src 192.168.0.1 dst 192.168.0.2 proto esp spi 0x1001 &&
		X $s ip xfrm state delete src 192.168.0.2 dst 192.168.0.1 proto esp spi 0x1002 || return 1
	done
	tunnel_sas 0x3001 0x3002 192.168.0.1 192.168.0.2 1 enc 'cbc(aes)' $KC \
		auth-trunc 'hmac(sha256)' $KH 128
}
check "cbc(aes)+hmac(sha256) SAs replace the GCM ones" cbc_swap
capture_start "$TMP/cbc4.pcap"
check "IPv4 CBC+HMAC tunnel: h1 -> h2 echo" ping_ok $NS_H1 10.2.0.2 5
check "IPv4 CBC+HMAC tunnel: 1400-byte echo" ping_ok $NS_H1 10.2.0.2 2 1372
capture_stop
check "IPv4 CBC+HMAC: only ESP between the gateways" esp_only "$TMP/cbc4.pcap" 0x3001 0x3002 6
check "IPv4 CBC+HMAC: counters" \
	sh -c "[ '$(lifetime a 0x3001)' = '$(lifetime b 0x3001)' ] && [ '$(lifetime a 0x3002)' = '$(lifetime b 0x3002)' ]"

# NAT-T: UDP-encapsulated ESP on 4500 (RFC 3948)
natt_swap() {
	local s
	for s in a b; do
		X $s ip xfrm state delete src 192.168.0.1 dst 192.168.0.2 proto esp spi 0x3001 &&
		X $s ip xfrm state delete src 192.168.0.2 dst 192.168.0.1 proto esp spi 0x3002 || return 1
	done
	tunnel_sas 0x4001 0x4002 192.168.0.1 192.168.0.2 1 aead 'rfc4106(gcm(aes))' $KG 128 \
		encap espinudp 4500 4500 0.0.0.0
}
check "NAT-T SAs (encap espinudp 4500 4500)" natt_swap
capture_start "$TMP/natt.pcap"
check "NAT-T tunnel: h1 -> h2 echo" ping_ok $NS_H1 10.2.0.2 5
capture_stop
check "NAT-T: ESP in UDP 4500 between the gateways" esp_only "$TMP/natt.pcap" 0x4001 0x4002 5 natt

# Telemetry of B: what went through matches the SA counters
telemetry() {	# telemetry SIDE: dump /xfrmgw/{stats,sa,ports} as JSON
	ip netns exec "$([ "$1" = a ] && echo $NS_A || echo $NS_B)" $PY - "$TAG-$1" <<'PY'
import json, socket, sys, glob
path = glob.glob("/var/run/dpdk/%s/dpdk_telemetry.*" % sys.argv[1])[0]
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(path)
json.loads(s.recv(16384).decode())
out = {}
for c in ("/xfrmgw/stats", "/xfrmgw/sa", "/xfrmgw/ports"):
    s.send(c.encode())
    out[c] = json.loads(s.recv(65536).decode())[c]
print(json.dumps(out))
PY
}
# RFC 3948 mapping: an authenticated packet of SA 0x4001 from port 4600
X b ip xfrm monitor > "$TMP/monitor" 2>&1 &
BG_PIDS="$BG_PIDS $!"
sleep 0.3
natt_from() {	# natt_from SPORT SEQ: a valid ESP-in-UDP echo toward B
	ip netns exec $NS_MID $PY - "$(ip netns exec $NS_B cat /sys/class/net/b-wan/address)" \
		"$1" "$2" "${KG#0x}" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, ICMP, Raw, sendp, conf
from scapy.layers.ipsec import SecurityAssociation, ESP
conf.verb = 0
mac, sport, seq, key = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), bytes.fromhex(sys.argv[4])
sa = SecurityAssociation(ESP, spi=0x4001, crypt_algo="AES-GCM", crypt_key=key,
                         tunnel_header=IP(src="192.168.0.1", dst="192.168.0.2"),
                         nat_t_header=UDP(sport=sport, dport=4500))
inner = IP(src="10.1.0.2", dst="10.2.0.2", ttl=64) / ICMP(id=0x99, seq=seq) / Raw(b"m" * 32)
e = sa.encrypt(inner, seq_num=seq)
e[UDP].len = None	# Scapy sizes nat_t_header before the payload
e[UDP].chksum = 0
sendp(Ether(dst=mac) / e, iface="m-b")
PY
}
before=$(lifetime b 0x4001 | cut -d' ' -f1)
check "Scapy-built ESP-in-UDP from source port 4600" natt_from 4600 1000
sleep 0.5
accepted() {
	[ "$(lifetime b 0x4001 | cut -d' ' -f1)" = $((before + 1)) ] && return 0
	telemetry b | $PY -c 'import json,sys; t=json.load(sys.stdin)["/xfrmgw/stats"]; print(t["drop"], t.get("ipsec_drop"))'
	return 1
}
check "B accepted it (SA 0x4001 counted one more)" accepted
check "ip xfrm monitor: mapping event for the new port" \
	sh -c "grep -A1 'Mapping change 192.168.0.1:4500 -> 192.168.0.1:4600' '$TMP/monitor' |
		grep -q 'SPI 0x4001' || { cat '$TMP/monitor'; false; }"

tel_check() {
	telemetry b > "$TMP/tel.json" || return 1
	$PY - "$TMP/tel.json" "$(lifetime b 0x4001)" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
st, sa, ports = t["/xfrmgw/stats"], t["/xfrmgw/sa"], t["/xfrmgw/ports"]
pk, by = map(int, sys.argv[2].split())
e = [v for k, v in sa.items() if k.startswith("esp_0x00004001_") and v["daddr"] == "192.168.0.2"]
assert len(e) == 1, sa
e = e[0]
assert e["packets"] == pk and e["bytes"] == by, (e, pk, by)
assert e["replay"] == 0, e
assert st["drop"]["ipsec"] >= 1, st["drop"]
assert st["ipsec_drop"]["auth"] == 1, st["ipsec_drop"]
assert st["esp_in"] >= pk, st
assert ports["wan"]["rx_packets"] >= st["esp_in"], ports
assert ports["lan"]["tx_packets"] >= pk, ports
print("ok", e, st["drop"])
PY
}
check "telemetry: /xfrmgw/stats, /xfrmgw/sa, /xfrmgw/ports match" tel_check

check "gateway A stops cleanly" gw_stop a
check "gateway B stops cleanly" gw_stop b
exit $FAIL
