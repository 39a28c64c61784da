#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# AH (RFC 4302) through two running xfrmgw gateways (gw_pair_lib.sh, with a
# TAP on each wan port so that the gateways' hosts can talk too), SAs and
# policies set with iproute2 through xfrmgw-exec; every AH packet on the
# middle link is checked with Scapy (SPI, next header, payload length,
# sequence numbers from 1, ICV recomputed under the SA's key):
#  - AH tunnel h1 <-> h2 (hmac(sha256) 128), next header 4;
#  - AH transport between the gateways' own addresses, echoes built by host
#    A's kernel leaving through the TAP, next header 1;
#  - an ESP-then-AH bundle (policies with two templates: ESP tunnel, then AH
#    transport, as strongSwan installs ah+esp): IP | AH | ESP on the wire,
#    h1 <-> h2 answered; an ESP packet of the bundle's SA sent without its
#    AH is decrypted and then refused by B's fwd policy (policy_templates);
#  - both gateways stop on SIGTERM with exit status 0 after AH traffic.
# usage: test_gw_ah.sh XFRMGW XFRMGW_EXEC
set -u
BIN=$1 EXEC=$2
TAG=gwah$$
TMP=$(mktemp -d)
HERE=$(dirname "$0")
. "$HERE/gw_pair_lib.sh"
trap pair_cleanup EXIT
pair_requirements

KH=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f	# HMAC-SHA-256 key
KH2=0x1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100
KG=0x00112233445566778899aabbccddeeff01020304		# AES-128 key + salt (RFC 4106 4)
A=192.168.0.1 B=192.168.0.2 NA=10.1.0.0/24 NB=10.2.0.0/24

pair_topology
pair_tap_hosts
export WANTAP=1 TELEMETRY=" "
gw_conf a
gw_conf b
gw_start a || exit 1
gw_start b || exit 1

# sa_pair PROTO MODE SPI_AB SPI_BA REQID ALG...: the same two SAs on both gateways
sa_pair() {
	local proto=$1 mode=$2 ab=$3 ba=$4 r=$5 s
	shift 5
	for s in a b; do
		X $s ip xfrm state add src $A dst $B proto $proto spi $ab reqid $r mode $mode \
			replay-window 64 "$@" &&
		X $s ip xfrm state add src $B dst $A proto $proto spi $ba reqid $r mode $mode \
			replay-window 64 "$@" || return 1
	done
}

# policies VERB SIDE LOCAL REMOTE LOCAL_GW REMOTE_GW TMPL...: out, in (and
# fwd for subnets) on one gateway; TMPL is the template list of the out
# direction with @L/@R for the local/remote gateway, swapped for in/fwd
policies() {
	local verb=$1 s=$2 l=$3 r=$4 lg=$5 rg=$6 d t
	shift 6
	for d in out in fwd; do
		[ $d = fwd ] && [ "${l%/32}" != "$l" ] && continue	# host to host: no fwd
		if [ $d = out ]; then
			t=$(echo "$@" | sed "s#@L#$lg#g; s#@R#$rg#g")
			X $s ip xfrm policy $verb src $l dst $r dir $d $t || return 1
		else
			t=$(echo "$@" | sed "s#@L#$rg#g; s#@R#$lg#g")
			X $s ip xfrm policy $verb src $r dst $l dir $d $t || return 1
		fi
	done
}

# both_sides VERB LOCAL_A LOCAL_B TMPL...: policies on A and B
both_sides() {
	local verb=$1 la=$2 lb=$3
	shift 3
	policies $verb a $la $lb $A $B "$@" && policies $verb b $lb $la $B $A "$@"
}

# ah_wire PCAP KIND SPI_AB SPI_BA N: every AH packet between the gateways
# verified (KIND tunnel: next header 4; transport: 1; bundle: 50 with the
# ESP SPIs given as 0xESP_AB/0xESP_BA after N); ip xfrm SAs without align4:
# the header padded to 64 bits
ah_wire() {
	$PY - "$@" "${KH#0x}" <<'PY'
import sys
from scapy.all import rdpcap, IP, ICMP
from scapy.layers.ipsec import AH, ESP, SecurityAssociation
pcap, kind, ab, ba, n = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0), int(sys.argv[5])
key = bytes.fromhex(sys.argv[-1])
esp_spis = {int(x, 0) for x in sys.argv[6:-1]}
ends = {ab: ("192.168.0.1", "192.168.0.2"), ba: ("192.168.0.2", "192.168.0.1")}
want_nh = {"tunnel": 4, "transport": 1, "bundle": 50}[kind]
seqs = {ab: [], ba: []}
for p in rdpcap(pcap):
    if IP not in p:
        continue
    ip = p[IP]
    if (ip.src, ip.dst) not in ends.values():
        continue
    if kind != "bundle":
        assert ICMP not in p, "cleartext ICMP between the gateways: " + p.summary()
    assert ip.proto == 51, "not AH between the gateways: " + p.summary()
    ah = ip[AH]
    assert ah.spi in seqs and (ip.src, ip.dst) == ends[ah.spi], p.summary()
    assert ah.nh == want_nh, "SPI %#x: next header %d, want %d" % (ah.spi, ah.nh, want_nh)
    # 12 + 16-byte ICV, padded to 64 bits as XFRM does without align4 (RFC 4302 2.6)
    assert ah.payloadlen == 32 // 4 - 2 and len(ah.icv) == 20 and ah.icv[16:] == bytes(4), \
        "AH length %d" % ah.payloadlen
    assert ah.reserved == 0
    sa = SecurityAssociation(AH, spi=ah.spi, auth_algo="SHA2-256-128", auth_key=key,
                             **({"tunnel_header": IP(src=ip.src, dst=ip.dst)} if kind == "tunnel" else {}))
    inner = sa.decrypt(IP(bytes(ip)))	# raises on a bad ICV
    if kind == "bundle":
        spi = int.from_bytes(bytes(inner[IP].payload)[:4], "big")	# RFC 4303 2.1
        assert inner.proto == 50 and spi in esp_spis, inner.summary()
    seqs[ah.spi].append(ah.seq)
for spi, s in seqs.items():
    assert len(s) >= n and s == list(range(s[0], s[0] + len(s))), "SPI %#x: %s" % (spi, s)
    if kind != "bundle":
        assert s[0] == 1, "SPI %#x starts at %d" % (spi, s[0])
print(kind, {hex(k): len(v) for k, v in seqs.items()}, "ICVs good")
PY
}

# ---- AH tunnel, subnet to subnet ----
check "AH tunnel SAs (hmac(sha256) 128)" sa_pair ah tunnel 0x6001 0x6002 6 \
	auth-trunc 'hmac(sha256)' $KH 128
check "AH tunnel policies (out, in, fwd)" both_sides add $NA $NB \
	tmpl src @L dst @R proto ah reqid 6 mode tunnel
capture_start "$TMP/tun.pcap"
check "h1 -> h2 echoes over the AH tunnel" ping_ok $NS_H1 10.2.0.2 5
capture_stop
check "middle link: AH tunnel only, next header 4, ICVs verify" ah_wire "$TMP/tun.pcap" tunnel 0x6001 0x6002 5

# ---- AH transport, host to host through the TAPs ----
check "AH transport SAs between the gateways' own addresses" sa_pair ah transport 0x6101 0x6102 7 \
	auth-trunc 'hmac(sha256)' $KH 128
check "AH transport policies (out, in)" both_sides add $A/32 $B/32 \
	tmpl proto ah reqid 7 mode transport
capture_start "$TMP/trs.pcap"
check "host A -> host B echoes over AH transport (kernel-built ICMP)" kping $NS_A $B 5
capture_stop
check "middle link: AH transport, next header 1, ICVs verify" ah_wire "$TMP/trs.pcap" transport 0x6101 0x6102 5

# ---- ESP then AH: ESP tunnel inside AH transport ----
check "ESP tunnel SAs for the bundle" sa_pair esp tunnel 0x6201 0x6202 8 \
	aead 'rfc4106(gcm(aes))' $KG 128
check "bundle policies: ESP tunnel then AH transport" both_sides update $NA $NB \
	tmpl src @L dst @R proto esp reqid 8 mode tunnel tmpl proto ah reqid 7 mode transport
capture_start "$TMP/bundle.pcap"
check "h1 -> h2 echoes over the ESP+AH bundle" ping_ok $NS_H1 10.2.0.2 5
capture_stop
check "middle link: IP | AH | ESP, AH ICVs verify, ESP SPIs of the bundle" \
	ah_wire "$TMP/bundle.pcap" bundle 0x6101 0x6102 5 0x6201 0x6202

# A valid ESP packet of the bundle's SA without the AH around it
esp_alone() {
	ip netns exec $NS_MID $PY - "$(ip netns exec $NS_B cat /sys/class/net/b-wan/address)" \
		"${KG#0x}" <<'PY'
import sys
from scapy.all import Ether, IP, ICMP, Raw, sendp, conf
from scapy.layers.ipsec import SecurityAssociation, ESP
conf.verb = 0
key = bytes.fromhex(sys.argv[2])
sa = SecurityAssociation(ESP, spi=0x6201, crypt_algo="AES-GCM", crypt_key=key,
                         tunnel_header=IP(src="192.168.0.1", dst="192.168.0.2"))
inner = IP(src="10.1.0.2", dst="10.2.0.2", ttl=63) / ICMP(id=0x55, seq=1) / Raw(b"e" * 32)
sendp(Ether(dst=sys.argv[1]) / sa.encrypt(inner, seq_num=1000), iface="m-b")
PY
}
before=$(drop_count b policy_templates)
check "ESP of the bundle sent without its AH" esp_alone
sleep 0.5
counted() {	# counted SIDE REASON BEFORE N: the counter rose by N
	local now
	now=$(drop_count "$1" "$2") || return 1
	[ $((now - $3)) = "$4" ] || { echo "$2: $3 -> $now, want +$4"; return 1; }
}
check "B decrypts it and its fwd policy refuses it (policy_templates +1)" \
	counted b policy_templates "$before" 1

check "gateway A stops on SIGTERM with exit 0 after AH traffic" gw_stop a
check "gateway B stops on SIGTERM with exit 0 after AH traffic" gw_stop b
exit $FAIL
