#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check AH packets captured between two xfrmgw gateways (RFC 4302).

  ah_check.py CAPTURE.pcap STATES MIN_PACKETS

STATES is `ip -s xfrm state` output from one gateway (keys included). Every
AH packet in CAPTURE must belong to one of its AH SAs and have: next header
4 (IPv4, tunnel mode), payload length matching the ICV (RFC 4302 2.2),
reserved zero, sequence numbers counting up from 1 per SPI without repeats
(RFC 4302 2.5), a valid ICV under the SA's key (Scapy recomputes it over the
immutable fields, RFC 4302 3.3.3), and an inner IPv4 packet between the two
LANs. At least MIN_PACKETS must be seen.
"""
import re
import sys

from scapy.all import IP, rdpcap
from scapy.layers.ipsec import AH, SecurityAssociation

ALGS = {	# ip xfrm name, truncation bits -> Scapy name, ICV bytes
	("hmac(sha256)", 128): ("SHA2-256-128", 16),
	("hmac(sha384)", 192): ("SHA2-384-192", 24),
	("hmac(sha512)", 256): ("SHA2-512-256", 32),
	("hmac(sha1)", 96): ("HMAC-SHA1-96", 12),
}


def read_states(path):
	"""{spi: (src, dst, scapy_alg, icv_len, key)} for the AH SAs."""
	sas = {}
	text = open(path).read()
	for block in re.split(r"\n(?=src )", text):
		m = re.match(r"src (\S+) dst (\S+)\s+proto ah spi 0x([0-9a-f]+)", block)
		if not m:
			continue
		a = re.search(r"auth-trunc (\S+) 0x([0-9a-f]+)(?: \(\d+ bits\))? (\d+)", block)
		if not a or (a.group(1), int(a.group(3))) not in ALGS:
			sys.exit("AH SA 0x%s: unexpected algorithm in:\n%s" % (m.group(3), block))
		alg, icv = ALGS[(a.group(1), int(a.group(3)))]
		sas[int(m.group(3), 16)] = (m.group(1), m.group(2), alg, icv, bytes.fromhex(a.group(2)))
	return sas


def main():
	if len(sys.argv) != 4:
		sys.exit(__doc__)
	sas = read_states(sys.argv[2])
	if not sas:
		sys.exit("no AH SA in %s" % sys.argv[2])
	need = int(sys.argv[3])
	last = {}
	n = 0
	for pkt in rdpcap(sys.argv[1]):
		if IP not in pkt or pkt[IP].proto != 51:
			continue
		ip = pkt[IP]
		ah = ip[AH]
		spi = ah.spi
		if spi not in sas:
			sys.exit("packet %d: SPI 0x%08x is not an AH SA of the gateway" % (n, spi))
		src, dst, alg, icv, key = sas[spi]
		if (ip.src, ip.dst) != (src, dst):
			sys.exit("SPI 0x%08x seen %s -> %s, SA is %s -> %s" % (spi, ip.src, ip.dst, src, dst))
		if ah.nh != 4:
			sys.exit("SPI 0x%08x: next header %d, want 4 (IPv4, tunnel mode)" % (spi, ah.nh))
		if ah.payloadlen != (12 + icv) // 4 - 2 or len(ah.icv) != icv:
			sys.exit("SPI 0x%08x: payload length %d for a %d-byte ICV" % (spi, ah.payloadlen, icv))
		if ah.reserved != 0:
			sys.exit("SPI 0x%08x: reserved field %d" % (spi, ah.reserved))
		want = last.get(spi, 0) + 1
		if ah.seq != want:
			sys.exit("SPI 0x%08x: sequence %d after %d" % (spi, ah.seq, want - 1))
		last[spi] = ah.seq
		sa = SecurityAssociation(AH, spi=spi, auth_algo=alg, auth_key=key,
					 tunnel_header=IP(src=src, dst=dst))
		try:
			inner = sa.decrypt(IP(bytes(ip)))
		except Exception as e:	# IPSecIntegrityError and parse errors alike
			sys.exit("SPI 0x%08x seq %d: ICV check failed: %s" % (spi, ah.seq, e))
		if IP not in inner:	# tunnel mode: Scapy may hand the inner packet back as bytes
			inner = IP(bytes(inner))
		if {inner[IP].src, inner[IP].dst} != {"10.1.0.2", "10.2.0.2"}:
			sys.exit("SPI 0x%08x seq %d: inner packet %s" % (spi, ah.seq, inner.summary()))
		n += 1
	print("%d AH packets on %d SAs: next header, length, sequence and ICV (%s) all good"
	      % (n, len(last), ", ".join(sorted({sas[s][2] for s in last}))))
	if n < need:
		sys.exit("only %d AH packets captured, want at least %d" % (n, need))


if __name__ == "__main__":
	main()
