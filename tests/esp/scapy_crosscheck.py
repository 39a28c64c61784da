#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Scapy cross-check of xfrmgw ESP (esp_outbound / esp_inbound through
esp_pcap_harness), both directions:
  out: xfrmgw encrypts, Scapy (scapy.layers.ipsec.SecurityAssociation)
       decrypts, or python3-cryptography where Scapy cannot (AES-GMAC,
       AES-XCBC-MAC-96, ESN with a non-AEAD algorithm: Scapy signs without
       the ESN high bits);
  in:  Scapy (or the hand-built packet) encrypts, xfrmgw decrypts.
Matrix: algorithm x tunnel/transport x IPv4/IPv6 outer (tunnel: random
inner family per packet) x ESN on/off x NAT-T on/off, random payload sizes,
packets re-chained into segments at odd boundaries (some with no head- or
tailroom). Inner packets are compared byte for byte.

Fails (does not skip) when Scapy or python3-cryptography is missing.
"""
import argparse
import os
import random
import struct
import subprocess
import sys

try:
    from scapy.all import (IP, IPv6, UDP, TCP, ICMP, Raw, wrpcap, rdpcap, conf,
                           IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting)
    from scapy.layers.ipsec import SecurityAssociation, ESP, split_for_transport
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives import hmac, hashes, cmac
except ImportError as e:  # a missing dependency is a failure, not a skip
    print("FAIL: scapy_crosscheck needs scapy and python3-cryptography: %s" % e)
    sys.exit(1)

conf.verb = 0
SPI = 0x1234abcd
NATT_PORT = 4500


def key(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


# name, part, XFRM lines builder, description for the hand implementation,
# Scapy crypt/auth names (None: Scapy lacks it)
def alg_table():
    t = []

    def gcm(bits, icv):
        return dict(name="gcm%d-%d" % (bits, icv), part="aead", kind="gcm", klen=bits // 8,
                    salt=4, iv=8, icv=icv, block=4, scapy=("AES-GCM", None))
    for bits, icv in ((128, 16), (128, 12), (128, 8), (192, 16), (256, 16), (256, 12), (256, 8)):
        t.append(gcm(bits, icv))
    t.append(dict(name="gmac128", part="aead", kind="gmac", klen=16, salt=4, iv=8, icv=16,
                  block=4, scapy=None))
    t.append(dict(name="gmac256", part="aead", kind="gmac", klen=32, salt=4, iv=8, icv=16,
                  block=4, scapy=None))
    t.append(dict(name="chacha", part="aead", kind="chacha", klen=32, salt=4, iv=8, icv=16,
                  block=4, scapy=("CHACHA20-POLY1305", None)))
    auths = {"sha1": ("hmac(sha1)", 20, 12, "HMAC-SHA1-96"),
             "sha256": ("hmac(sha256)", 32, 16, "SHA2-256-128"),
             "sha384": ("hmac(sha384)", 48, 24, "SHA2-384-192"),
             "sha512": ("hmac(sha512)", 64, 32, "SHA2-512-256"),
             "xcbc": ("xcbc(aes)", 16, 12, None),
             "cmac": ("cmac(aes)", 16, 12, "AES-CMAC-96")}
    for enc, a, klen, part in (("cbc", "sha1", 16, "cbc"), ("cbc", "sha256", 16, "cbc"),
                               ("cbc", "sha384", 24, "cbc"), ("cbc", "sha512", 32, "cbc"),
                               ("cbc", "xcbc", 16, "cbc"), ("cbc", "cmac", 16, "cbc"),
                               ("ctr", "sha256", 16, "other"), ("ctr", "sha1", 32, "other"),
                               ("ctr", "xcbc", 16, "other"), ("null", "sha256", 0, "other"),
                               ("null", "sha1", 0, "other"), ("null", "cmac", 0, "other")):
        an, ak, icv, sname = auths[a]
        ename = {"cbc": "AES-CBC", "ctr": "AES-CTR", "null": "NULL"}[enc]
        t.append(dict(name="%s%d-%s" % (enc, klen * 8, a), part=part, kind=enc, klen=klen,
                      salt=4 if enc == "ctr" else 0, iv={"cbc": 16, "ctr": 8, "null": 0}[enc],
                      icv=icv, block=16 if enc == "cbc" else 4, auth=a, auth_name=an,
                      auth_klen=ak, scapy=(ename, sname) if sname else None))
    return t


# ---- hand-built ESP with python3-cryptography (RFC 4106, 4543, 7634, 3602, 3686, 2410) ----

def aes_ecb(k, b):
    e = Cipher(algorithms.AES(k), modes.ECB()).encryptor()
    return e.update(b) + e.finalize()


def xcbc_mac(k, msg):
    """RFC 3566 AES-XCBC-MAC (full 16 bytes)."""
    k1 = aes_ecb(k, b"\x01" * 16)
    k2 = aes_ecb(k, b"\x02" * 16)
    k3 = aes_ecb(k, b"\x03" * 16)
    blocks = [msg[i:i + 16] for i in range(0, len(msg), 16)] or [b""]
    e = b"\x00" * 16
    for b in blocks[:-1]:
        e = aes_ecb(k1, bytes(x ^ y for x, y in zip(e, b)))
    last = blocks[-1]
    if len(last) == 16:
        last = bytes(x ^ y for x, y in zip(last, k2))
    else:
        last = last + b"\x80" + b"\x00" * (15 - len(last))
        last = bytes(x ^ y for x, y in zip(last, k3))
    return aes_ecb(k1, bytes(x ^ y for x, y in zip(e, last)))


def mac(a, k, msg):
    if a["auth"] == "xcbc":
        return xcbc_mac(k, msg)[:a["icv"]]
    if a["auth"] == "cmac":
        c = cmac.CMAC(algorithms.AES(k))
        c.update(msg)
        return c.finalize()[:a["icv"]]
    h = hmac.HMAC(k, {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(),
                      "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[a["auth"]])
    h.update(msg)
    return h.finalize()[:a["icv"]]


def gcm_raw(k, nonce, pt, aad):
    e = Cipher(algorithms.AES(k), modes.GCM(nonce)).encryptor()
    e.authenticate_additional_data(aad)
    ct = e.update(pt) + e.finalize()
    return ct, e.tag


def ctr_xor(k, counter_block, data):
    e = Cipher(algorithms.AES(k), modes.CTR(counter_block)).encryptor()
    return e.update(data) + e.finalize()


def hand_seal(a, keys, seq, esn, iv, pt):
    """ESP header || IV || ciphertext || ICV for plaintext pt (trailer included)."""
    spi = struct.pack("!I", SPI)
    lo = struct.pack("!I", seq & 0xffffffff)
    hi = struct.pack("!I", seq >> 32)
    aad = spi + (hi if esn else b"") + lo
    k, salt = keys["enc"], keys["salt"]
    if a["kind"] == "gcm":
        ct, tag = gcm_raw(k, salt + iv, pt, aad)
        return spi + lo + iv + ct + tag[:a["icv"]]
    if a["kind"] == "gmac":
        _, tag = gcm_raw(k, salt + iv, b"", aad + iv + pt)
        return spi + lo + iv + pt + tag
    if a["kind"] == "chacha":
        out = ChaCha20Poly1305(k).encrypt(salt + iv, pt, aad)
        return spi + lo + iv + out
    if a["kind"] == "cbc":
        e = Cipher(algorithms.AES(k), modes.CBC(iv)).encryptor()
        ct = e.update(pt) + e.finalize()
    elif a["kind"] == "ctr":
        ct = ctr_xor(k, salt + iv + b"\x00\x00\x00\x01", pt)
    else:
        ct = pt
    icv = mac(a, keys["auth"], spi + lo + iv + ct + (hi if esn else b""))
    return spi + lo + iv + ct + icv


def hand_open(a, keys, esp, seq_hi, esn):
    """Plaintext (trailer included) of an ESP packet, or raise ValueError."""
    iv = esp[8:8 + a["iv"]]
    body, icv = esp[8 + a["iv"]:len(esp) - a["icv"]], esp[len(esp) - a["icv"]:]
    seq = seq_hi << 32 | struct.unpack("!I", esp[4:8])[0]
    k, salt = keys["enc"], keys["salt"]
    if a["kind"] == "gcm":
        pt = ctr_xor(k, salt + iv + b"\x00\x00\x00\x02", body)
    elif a["kind"] == "chacha":
        pt = ChaCha20Poly1305(k).decrypt(salt + iv, body + icv,
                                         esp[0:4] + (struct.pack("!I", seq_hi) if esn else b"")
                                         + esp[4:8])
        return pt
    elif a["kind"] == "cbc":
        d = Cipher(algorithms.AES(k), modes.CBC(iv)).decryptor()
        pt = d.update(body) + d.finalize()
    elif a["kind"] == "ctr":
        pt = ctr_xor(k, salt + iv + b"\x00\x00\x00\x01", body)
    else:
        pt = body
    if hand_seal(a, keys, seq, esn, iv, pt) != esp:
        raise ValueError("ICV mismatch")
    return pt


def add_trailer(payload, nh, block):
    padlen = (block - (len(payload) + 2) % block) % block
    return payload + bytes(range(1, padlen + 1)) + bytes([padlen, nh])


def strip_trailer(pt):
    padlen, nh = pt[-2], pt[-1]
    pad = pt[len(pt) - 2 - padlen:-2]
    if pad != bytes(range(1, padlen + 1)):
        raise ValueError("bad padding")
    return pt[:len(pt) - 2 - padlen], nh


# ---- packets ----

def l3_split(b, natt):
    """(L3 header bytes, offset of the next-header byte, ESP bytes) of a packet."""
    if b[0] >> 4 == 4:
        hl, nho = (b[0] & 15) * 4, 9
    else:
        hl, nho, nh = 40, 6, b[6]
        while nh in (0, 43, 60):
            nho = hl
            nh, hl = b[hl], hl + (b[hl + 1] + 1) * 8
    if natt:
        return b[:hl], nho, b[hl + 8:]
    return b[:hl], nho, b[hl:]


def inner_packet(rng, fam, size, ext=None):
    payload = bytes(rng.getrandbits(8) for _ in range(size))
    proto = rng.choice(["udp", "tcp", "icmp"])
    if fam == 4:
        ip = IP(src="10.1.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)), dst="10.2.0.9",
                tos=rng.choice([0, 0x28, 0xb8, 0x02]), flags=rng.choice([0, 2]),
                id=rng.randrange(65536), ttl=rng.randrange(1, 255))
    else:
        ip = IPv6(src="2001:db8:1::%x" % rng.randrange(1, 65535), dst="2001:db8:2::9",
                  tc=rng.choice([0, 0x28, 0xb8, 0x01]), fl=rng.randrange(1 << 20),
                  hlim=rng.randrange(1, 255))
    l4 = {"udp": UDP(sport=rng.randrange(1024, 65535), dport=9999),
          "tcp": TCP(sport=rng.randrange(1024, 65535), dport=9998, flags="A"),
          "icmp": ICMP() if fam == 4 else UDP(sport=7, dport=7)}[proto]
    p = (ip / ext / l4 / Raw(payload)) if ext is not None else (ip / l4 / Raw(payload))
    return p.__class__(bytes(p))


def transport_packet(rng, fam, size):
    if fam == 6 and rng.random() < 0.5:
        # extension headers that stay in front of ESP (RFC 4303 3.1.1)
        ext = rng.choice([lambda: IPv6ExtHdrHopByHop(), lambda: IPv6ExtHdrDestOpt(),
                          lambda: IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()])
        return inner_packet(rng, fam, size, ext())
    return inner_packet(rng, fam, size)


class Case:
    def __init__(self, idx, a, mode, outer, esn, natt, rng, workdir):
        self.idx, self.a, self.mode, self.outer, self.esn, self.natt = idx, a, mode, outer, esn, natt
        self.rng = rng
        self.dir = workdir
        self.keys = dict(enc=key(rng, a["klen"]), salt=key(rng, a["salt"]),
                         auth=key(rng, a.get("auth_klen", 0)))
        self.src = "192.0.2.1" if outer == 4 else "2001:db8:ff::1"
        self.dst = "198.51.100.2" if outer == 4 else "2001:db8:ff::2"
        self.hi = rng.choice([0, 1, 7]) if esn else 0
        self.base = rng.randrange(1, 1000)
        self.tfc = 0

    def sa_text(self, direction):
        a = self.a
        lines = ["spi %#x" % SPI, "src %s" % self.src, "dst %s" % self.dst,
                 "mode %s" % self.mode, "esn %d" % self.esn, "replay 64"]
        if a["kind"] in ("gcm", "gmac", "chacha"):
            name = {"gcm": "rfc4106(gcm(aes))", "gmac": "rfc4543(gcm(aes))",
                    "chacha": "rfc7539esp(chacha20,poly1305)"}[a["kind"]]
            lines.append("aead %s 0x%s %d" % (name, (self.keys["enc"] + self.keys["salt"]).hex(),
                                              a["icv"] * 8))
        else:
            ename = {"cbc": "cbc(aes)", "ctr": "rfc3686(ctr(aes))",
                     "null": "ecb(cipher_null)"}[a["kind"]]
            k = (self.keys["enc"] + self.keys["salt"]).hex() or "00"
            lines.append("enc %s 0x%s" % (ename, k if a["kind"] != "null" else ""))
            lines.append("auth %s 0x%s %d" % (a["auth_name"], self.keys["auth"].hex(),
                                              a["icv"] * 8))
        if self.natt:
            lines.append("encap %d %d" % (NATT_PORT, NATT_PORT))
        if direction == "out":
            lines.append("oseq %d" % ((self.hi << 32) + self.base - 1))
            if self.tfc:
                lines.append("tfcpad %d" % self.tfc)
        else:
            lines.append("iseq %d" % ((self.hi << 32) + self.base - 1))
        return "\n".join(lines) + "\n"

    def scapy_sa(self):
        a = self.a
        crypt, auth = a["scapy"]
        th = None
        if self.mode == "tunnel":
            th = IP(src=self.src, dst=self.dst) if self.outer == 4 else IPv6(src=self.src, dst=self.dst)
        return SecurityAssociation(
            ESP, spi=SPI, seq_num=self.base, crypt_algo=crypt,
            crypt_key=(self.keys["enc"] + self.keys["salt"]) if crypt != "NULL" else None,
            crypt_icv_size=a["icv"] if a["kind"] == "gcm" else None,
            auth_algo=auth, auth_key=self.keys["auth"] if auth else None,
            tunnel_header=th, esn_en=bool(self.esn), esn=self.hi)

    def use_scapy(self):
        # Scapy 2.5 signs non-AEAD ESP without the ESN high bits, and its
        # AES-GCM (AEAD API) always appends a 16-byte ICV whatever
        # crypt_icv_size says: hand-build those with python3-cryptography.
        a = self.a
        if a["scapy"] is None:
            return False
        if self.esn and a["kind"] in ("cbc", "ctr", "null"):
            return False
        return not (a["kind"] == "gcm" and a["icv"] != 16)

    def plain_packets(self, n):
        sizes = [self.rng.choice([0, 1, 15, 16, 17, 63, 64, 200, 1000, 1400,
                                  self.rng.randrange(0, 1400)]) for _ in range(n)]
        pk = []
        for s in sizes:
            if self.mode == "tunnel":
                pk.append(inner_packet(self.rng, self.rng.choice([4, 6]), s))
            else:
                pk.append(transport_packet(self.rng, self.outer, s))
        return pk


def fix_lengths(p):
    """Recompute IP length fields of a packet whose payload was rebuilt."""
    if p.version == 4:
        del p.len
        del p.chksum
    else:
        del p.plen
    return p.__class__(bytes(p))


def build_inbound(case, plains):
    out = []
    for i, p in enumerate(plains):
        seq = case.base + i
        if case.use_scapy():
            sa = case.scapy_sa()
            e = sa.encrypt(p, seq_num=seq)
            e = e.__class__(bytes(e))
            # Scapy 2.5's nat_t_header gets UDP length (IPv4) and the next
            # header of IPv6 extension headers wrong: add RFC 3948 UDP here.
            out.append(insert_udp(e) if case.natt else e)
        else:
            out.append(case_hand_inbound(case, p, seq))
    return out


def case_hand_inbound(case, p, seq):
    a = case.a
    if case.mode == "tunnel":
        hdr = IP(src=case.src, dst=case.dst) if case.outer == 4 else IPv6(src=case.src, dst=case.dst)
        nh = 4 if p.version == 4 else 41
        payload = bytes(p)
    else:
        hdr, nh, pl = split_for_transport(p, 17 if case.natt else 50)
        payload = bytes(pl)
    iv = key(case.rng, a["iv"])
    esp = hand_seal(a, case.keys, (case.hi << 32) | seq, case.esn, iv,
                    add_trailer(payload, nh, a["block"]))
    if case.mode == "tunnel":
        if case.outer == 4:
            hdr.proto = 17 if case.natt else 50
        else:
            hdr.nh = 17 if case.natt else 50
    if case.natt:
        body = bytes(UDP(sport=NATT_PORT, dport=NATT_PORT, len=8 + len(esp), chksum=0)) + esp
    else:
        body = esp
    return udp6_csum(fix_lengths(hdr / Raw(body)))


def udp6_csum(p):
    """UDP over IPv6 needs its checksum (RFC 8200 8.1); RFC 3948 sends 0 only over IPv4."""
    if p.version == 6 and UDP in p:
        p = p.copy()
        del p[UDP].chksum
        return p.__class__(bytes(p))
    return p


def insert_udp(p):
    """RFC 3948 2.1: put a UDP header (4500, checksum 0) in front of ESP."""
    hdr, nho, esp = l3_split(bytes(p), False)
    hb = bytearray(hdr)
    hb[nho] = 17
    if p.version == 4:
        struct.pack_into("!H", hb, 2, len(hb) + 8 + len(esp))
    else:
        struct.pack_into("!H", hb, 4, len(hb) - 40 + 8 + len(esp))
    b = bytes(hb) + bytes(UDP(sport=NATT_PORT, dport=NATT_PORT, len=8 + len(esp), chksum=0)) + esp
    return udp6_csum(fix_lengths(IP(b) if p.version == 4 else IPv6(b)))


def check_outbound(case, plains, results, errors):
    if len(results) != len(plains):
        errors.append("%d packets out of %d" % (len(results), len(plains)))
        return
    for i, (p, r) in enumerate(zip(plains, results)):
        raw_r = bytes(r)
        hdr, nho, esp = l3_split(raw_r, case.natt)
        if case.natt and case.outer == 6:
            # RFC 8200 8.1: the outer UDP checksum must verify (chains cut at odd offsets).
            pk6 = IPv6(raw_r)
            if pk6[UDP].chksum == 0 or udp6_csum(pk6)[UDP].chksum != pk6[UDP].chksum:
                errors.append("pkt %d: outer UDP/IPv6 checksum 0x%04x wrong" % (i, pk6[UDP].chksum))
                continue
        seq = struct.unpack("!I", esp[4:8])[0]
        if seq != ((case.base + i) & 0xffffffff):
            errors.append("pkt %d: seq %d" % (i, seq))
            continue
        if case.use_scapy():
            # Scapy decrypts an ESP packet without UDP: take the UDP header out.
            if case.natt:
                hb = bytearray(hdr)
                hb[nho] = 50
                rb = bytes(hb) + esp
                pk = IP(rb) if case.outer == 4 else IPv6(rb)
                pk = fix_lengths(pk)
            else:
                pk = IP(raw_r) if case.outer == 4 else IPv6(raw_r)
            try:
                d = case.scapy_sa().decrypt(pk)
            except Exception as e:  # noqa
                errors.append("pkt %d: scapy decrypt: %s" % (i, e))
                continue
            got = bytes(d)
            want = bytes(p)
        else:
            try:
                pt = hand_open(case.a, case.keys, esp, case.hi, case.esn)
                inner, nh = strip_trailer(pt)
            except ValueError as e:
                errors.append("pkt %d: %s" % (i, e))
                continue
            want = bytes(p)
            if case.mode == "tunnel":
                got = inner
            else:
                ph, pnh, ppl = split_for_transport(p, 50)
                got, want = bytes([nh]) + inner, bytes([pnh]) + bytes(ppl)
        if case.mode == "tunnel" and case.tfc and len(got) > len(want):
            if any(got[len(want):]):
                errors.append("pkt %d: TFC padding not zero" % i)
            got = got[:len(want)]
        if got != want:
            errors.append("pkt %d: inner differs (%d vs %d bytes)\n  got  %s\n  want %s" %
                          (i, len(got), len(want), got[:64].hex(), want[:64].hex()))


def check_inbound(case, plains, results, errors):
    if len(results) != len(plains):
        errors.append("%d packets decapsulated out of %d" % (len(results), len(plains)))
        return
    for i, (p, r) in enumerate(zip(plains, results)):
        want = bytes(p)
        if case.mode == "transport" and case.natt and p.version == 4 and p.proto == 17:
            # RFC 3948 3.1.2 step 3: no NAT-OA, so the inner UDP checksum is zeroed.
            b = bytearray(want)
            struct.pack_into("!H", b, (b[0] & 15) * 4 + 6, 0)
            want = bytes(b)
        if bytes(r) != want:
            errors.append("pkt %d: decapsulated packet differs\n  got  %s\n  want %s" %
                          (i, bytes(r)[:64].hex(), want[:64].hex()))


def natt_extras(case):
    """A NAT-keepalive and an IKE packet (non-ESP marker) on the NAT-T port."""
    ip = IP(src=case.src, dst=case.dst) if case.outer == 4 else IPv6(src=case.src, dst=case.dst)
    ka = fix_lengths(ip / UDP(sport=NATT_PORT, dport=NATT_PORT, chksum=0) / Raw(b"\xff"))
    ike = fix_lengths(ip / UDP(sport=NATT_PORT, dport=NATT_PORT, chksum=0) / Raw(b"\x00" * 4 + b"ike!" * 8))
    return [ka, ike]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--part", default="all")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--packets", type=int, default=5)
    ap.add_argument("--seed", type=int, default=4303)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)

    cases = []
    idx = 0
    for a in alg_table():
        if args.part != "all" and a["part"] != args.part:
            continue
        for mode in ("tunnel", "transport"):
            for outer in (4, 6):
                for esn in (0, 1):
                    for natt in (0, 1):
                        rng = random.Random("%d-%s-%s-%d-%d-%d" % (args.seed, a["name"], mode, outer, esn, natt))
                        c = Case(idx, a, mode, outer, esn, natt, rng, args.workdir)
                        if mode == "tunnel" and rng.random() < 0.25:
                            c.tfc = rng.choice([300, 1200])
                        cases.append(c)
                        idx += 1

    jobs = []
    meta = []
    for c in cases:
        for direction in ("out", "in"):
            pre = os.path.join(args.workdir, "c%03d-%s" % (c.idx, direction))
            with open(pre + ".sa", "w") as f:
                f.write(c.sa_text(direction))
            plains = c.plain_packets(args.packets)
            if direction == "out":
                wrpcap(pre + ".in.pcap", plains, linktype=101)
            else:
                enc = build_inbound(c, plains)
                if c.natt:
                    enc = enc[:2] + natt_extras(c) + enc[2:]
                wrpcap(pre + ".in.pcap", enc, linktype=101)
            segs = c.rng.choice([1, 1, 2, 3, 5, 9])
            tight = 1 if c.rng.random() < 0.3 else 0
            jobs.append("%s.sa %s %d %d %s.in.pcap %s.out.pcap" % (pre, direction, segs, tight, pre, pre))
            meta.append((c, direction, plains, pre, segs, tight))
    jobfile = os.path.join(args.workdir, "jobs.txt")
    with open(jobfile, "w") as f:
        f.write("\n".join(jobs) + "\n")
    r = subprocess.run([args.harness, "--jobs", jobfile], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=540)
    logs = r.stderr.decode(errors="replace").split("job ")[1:]
    failures = 0
    pkts = 0
    for k, (c, direction, plains, pre, segs, tight) in enumerate(meta):
        errors = []
        log = logs[k] if k < len(logs) else "(no log)"
        try:
            results = list(rdpcap(pre + ".out.pcap"))
        except Exception as e:  # noqa
            results = []
            errors.append("cannot read output: %s" % e)
        if direction == "out":
            check_outbound(c, plains, results, errors)
        else:
            check_inbound(c, plains, results, errors)
            if c.natt and ("natt.keepalive=1" not in log or "natt.ike=1" not in log):
                errors.append("NAT-T keepalive/IKE not classified")
        pkts += len(plains)
        if errors:
            failures += 1
            print("FAIL %s %s %s outer=v%d esn=%d natt=%d tfc=%d segs=%d tight=%d (%s): %s\n  log: %s" %
                  (direction, c.a["name"], c.mode, c.outer, c.esn, c.natt, c.tfc, segs, tight,
                   "scapy" if c.use_scapy() else "hand", "; ".join(errors), log.strip().replace("\n", " ")))
    nscapy = sum(1 for m in meta if m[0].use_scapy())
    print("scapy_crosscheck part=%s: %d cases x 2 directions = %d jobs (%d via Scapy, %d hand-built "
          "with python3-cryptography), %d packets, %d failed; harness exit %d" %
          (args.part, len(cases), len(meta), nscapy, len(meta) - nscapy, pkts, failures, r.returncode))
    if r.returncode != 0:
        print(r.stderr.decode(errors="replace")[-2000:])
    return 1 if failures or r.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
