#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
xfrmgw-pcap against Scapy (scapy.layers.ipsec.SecurityAssociation).

  decrypt    Scapy encrypts (ESP: AES-GCM, AES-CBC + HMAC-SHA256/SHA1;
             tunnel and transport; IPv4 and IPv6; an IPv4-in-IPv6 tunnel),
             xfrmgw-pcap decrypts; the result equals the cleartext capture
             byte for byte (Ethernet, raw IP and Linux cooked link types,
             flat and chained mbufs)
  encrypt    xfrmgw-pcap encrypts the cleartext, Scapy decrypts each packet
             and compares it with the original
  roundtrip  IN -> encapsulate -> decapsulate == IN, the capture file itself
             (mixed traffic: policy hits, misses, ARP, IPv6)
  policy     block policies, "no SA (acquire)", NAT-T (ESP in UDP, IKE,
             keepalives), replays, a bad ICV, bundles of two ESP SAs
  linktypes  Linux cooked v1/v2, BSD loopback, LINKTYPE_IPV4 refusing IPv6
             results, VLAN-tagged Ethernet, nanosecond timestamps
  errors     missing files, not a pcap, a truncated pcap record, a bad
             `ip xfrm` line (iproute2's text and the line), non-xfrm
             commands, a packet truncated inside its ESP header, usage
  ah         AH (HMAC-SHA256-128) transport and tunnel against Scapy, and
             the ESP-then-AH bundle
  mutate     300 ESP packets cut or bit-flipped anywhere: each counted once,
             exit 0, no crash (run it under ASan/UBSan too)

Every case fails (never skips) when something is missing: scapy, the
xfrmgw-pcap binary, iproute2, AH support.
"""
import argparse
import logging
import os
import re
import struct
import subprocess
import sys

try:
    from scapy.all import (Ether, IP, IPv6, UDP, TCP, ICMP, ARP, Raw, Dot1Q, CookedLinux,
                           Loopback, Padding, wrpcap, rdpcap, conf)
    from scapy.layers.l2 import CookedLinuxV2
    from scapy.layers.ipsec import SecurityAssociation, ESP, AH
    from scapy.utils import PcapWriter
except ImportError as e:  # a missing dependency is a failure, not a skip
    print("FAIL: test_pcap needs scapy: %s" % e)
    sys.exit(1)

conf.verb = 0
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)  # linktype warnings

DLT_EN10MB, DLT_RAW, DLT_NULL, DLT_LINUX_SLL, DLT_IPV4, DLT_LINUX_SLL2 = 1, 101, 0, 113, 228, 276

GCM_KEY = bytes(range(1, 21))                 # 16-byte key + 4-byte salt (RFC 4106 8.1)
CBC_KEY = bytes.fromhex("00112233445566778899aabbccddeeff")
SHA256_KEY = bytes(range(0x20, 0x40))
SHA1_KEY = bytes(range(0x40, 0x54))

# name, Scapy arguments, XFRM algorithm text
ALGS = {
    "gcm": (dict(crypt_algo="AES-GCM", crypt_key=GCM_KEY),
            "aead 'rfc4106(gcm(aes))' 0x%s 128" % GCM_KEY.hex()),
    "cbc-sha256": (dict(crypt_algo="AES-CBC", crypt_key=CBC_KEY, auth_algo="SHA2-256-128",
                        auth_key=SHA256_KEY),
                   "enc 'cbc(aes)' 0x%s auth-trunc 'hmac(sha256)' 0x%s 128"
                   % (CBC_KEY.hex(), SHA256_KEY.hex())),
    "cbc-sha1": (dict(crypt_algo="AES-CBC", crypt_key=CBC_KEY, auth_algo="HMAC-SHA1-96",
                      auth_key=SHA1_KEY),
                 "enc 'cbc(aes)' 0x%s auth 'hmac(sha1)' 0x%s" % (CBC_KEY.hex(), SHA1_KEY.hex())),
}

GW4 = ("192.0.2.1", "192.0.2.2")
GW6 = ("2001:db8::1", "2001:db8::2")
NET4 = ("10.1.0.0/16", "10.2.0.0/16")
NET6 = ("fd01::/64", "fd02::/64")
MAC = dict(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


class Env:
    def __init__(self, binary, workdir):
        self.bin = binary
        self.dir = workdir
        self.n = 0
        os.makedirs(workdir, exist_ok=True)
        check(os.access(binary, os.X_OK), "xfrmgw-pcap not found at %s" % binary)

    def path(self, name):
        return os.path.join(self.dir, name)

    def conf(self, name, lines):
        p = self.path(name)
        with open(p, "w") as f:
            f.write("\n".join(lines) + "\n")
        return p

    def run(self, xfrm, inp, out, extra=(), rc=0):
        cmd = [self.bin] + list(extra)
        if xfrm is not None:
            cmd += ["--xfrm", xfrm]
        cmd += [inp, out]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        err = p.stderr.decode(errors="replace")
        self.n += 1
        if rc is not None and p.returncode != rc:
            raise Fail("%s: exit %d, wanted %d\n%s" % (" ".join(cmd), p.returncode, rc, err))
        return p.returncode, err, counters(err)


def counters(err):
    c = {}
    for line in err.splitlines():
        m = re.match(r"^(\S+) (\d+)$", line)
        if m:
            c[m.group(1)] = int(m.group(2))
    return c


def expect(c, **want):
    for k, v in want.items():
        key = k.replace("__", ".")
        check(c.get(key) == v, "counter %s = %s, wanted %s (%s)" % (key, c.get(key), v, c))


def write(path, pkts, linktype, nano=False):
    w = PcapWriter(path, linktype=linktype, nano=nano, sync=True)
    for p in pkts:
        w.write(p)
    w.close()
    return path


def stamp(pkts, base=1700000000.0):
    for i, p in enumerate(pkts):
        p.time = base + i * 0.25
    return pkts


# ---- configurations ----

def sa_line(gw, spi, mode, alg, reqid=1, extra=""):
    return ("xfrm state add src %s dst %s proto esp spi 0x%x reqid %d mode %s replay-window 32 %s %s"
            % (gw[0], gw[1], spi, reqid, mode, ALGS[alg][1], extra)).rstrip()


def policy_line(net, gw, mode, reqid=1, proto="esp", extra=""):
    if mode == "tunnel":
        t = "tmpl src %s dst %s proto %s reqid %d mode tunnel" % (gw[0], gw[1], proto, reqid)
    else:
        t = "tmpl proto %s reqid %d mode transport" % (proto, reqid)
    return "xfrm policy add src %s dst %s %s dir out %s" % (net[0], net[1], extra, t)


def fwd_line(net, proto="esp"):
    """What comes out of a tunnel must match a fwd policy (RFC 4301 5.2, as the
    gateway checks it); `level use` lets the same file encrypt the cleartext too."""
    return "xfrm policy add src %s dst %s dir fwd tmpl proto %s mode tunnel level use" % (
        net[0], net[1], proto)


def scapy_sa(alg, spi, mode, gw, proto=ESP, nat_t=None):
    kw = dict(ALGS[alg][0])
    if mode == "tunnel":
        kw["tunnel_header"] = (IPv6 if ":" in gw[0] else IP)(src=gw[0], dst=gw[1])
    if nat_t:
        kw["nat_t_header"] = nat_t
    return SecurityAssociation(proto, spi=spi, **kw)


def inner(v6, i, size):
    payload = Raw(bytes((i + j) & 0xff for j in range(size)))
    if v6:
        return IPv6(src="fd01::%x" % (i + 1), dst="fd02::1", hlim=63) / UDP(sport=1000 + i, dport=53) / payload
    return IP(src="10.1.0.%d" % (i + 1), dst="10.2.0.1", id=i, ttl=63) / UDP(sport=1000 + i, dport=53) / payload


def l2(linktype, ip):
    if linktype == DLT_EN10MB:
        return Ether(**MAC) / ip
    if linktype == DLT_LINUX_SLL:
        return CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\x02\0\0\0\0\x01\0\0") / ip
    if linktype == DLT_LINUX_SLL2:
        return CookedLinuxV2(ifindex=2, pkttype=0, lladdrtype=1, lladdrlen=6,
                             src=b"\x02\0\0\0\0\x01\0\0") / ip
    if linktype == DLT_NULL:
        return Loopback(type=24 if ip.version == 6 else 2) / ip
    return ip


def l3(p):
    """The outermost IP layer of a frame."""
    q = p
    while q is not None and not isinstance(q, (IP, IPv6)):
        q = q.payload if q.payload else None
    return q


# ---- decrypt ----

# (alg, mode, outer family, inner family)
DECRYPT_CASES = [
    ("gcm", "tunnel", 4, 4), ("gcm", "tunnel", 6, 6), ("gcm", "transport", 4, 4),
    ("gcm", "transport", 6, 6), ("cbc-sha256", "tunnel", 4, 4), ("cbc-sha256", "tunnel", 6, 6),
    ("cbc-sha256", "transport", 4, 4), ("cbc-sha256", "transport", 6, 6),
    ("cbc-sha1", "tunnel", 4, 4), ("gcm", "tunnel", 6, 4),
]


def case_config(env, name, alg, mode, outer, inner_v6, spi=0x1000):
    if mode == "tunnel":
        gw = GW6 if outer == 6 else GW4
        net = NET6 if inner_v6 else NET4
    else:
        gw = ("fd01::1", "fd02::1") if outer == 6 else ("10.1.0.1", "10.2.0.1")
        net = (gw[0] + ("/128" if outer == 6 else "/32"), gw[1] + ("/128" if outer == 6 else "/32"))
    lines = ["# %s %s outer v%d" % (alg, mode, outer), sa_line(gw, spi, mode, alg),
             policy_line(net, gw, mode)]
    if mode == "tunnel":
        lines.append(fwd_line(net))
    return env.conf(name + ".xfrm", lines), gw


def cleartext(mode, outer, inner_v6, n=6):
    pk = []
    for i in range(n):
        if mode == "transport":
            if outer == 6:
                ip = IPv6(src="fd01::1", dst="fd02::1") / UDP(sport=7, dport=9) / Raw(b"t" * (i * 37))
            else:
                ip = IP(src="10.1.0.1", dst="10.2.0.1", id=100 + i) / UDP(sport=7, dport=9) / Raw(b"t" * (i * 37))
        else:
            ip = inner(inner_v6, i, 1 + i * 91)
        pk.append(ip.__class__(bytes(ip)))
    return pk


def test_decrypt(env):
    for k, (alg, mode, outer, inv) in enumerate(DECRYPT_CASES):
        inner_v6 = inv == 6
        name = "dec-%s-%s-%d%d" % (alg, mode, outer, inv)
        xfrm, gw = case_config(env, name, alg, mode, outer, inner_v6)
        sa = scapy_sa(alg, 0x1000, mode, gw)
        clear = cleartext(mode, outer, inner_v6)
        enc = [sa.encrypt(p) for p in clear]
        for lt in (DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL):
            segs = ["--segments", str(1 + (k + lt) % 5)]
            fin = write(env.path(name + "-%d-in.pcap" % lt), stamp([l2(lt, p) for p in enc]), lt)
            want = write(env.path(name + "-%d-want.pcap" % lt), stamp([l2(lt, p) for p in clear]), lt)
            out = env.path(name + "-%d-out.pcap" % lt)
            _, _, c = env.run(xfrm, fin, out, segs)
            expect(c, packets__decapsulated=len(clear), packets__dropped=0)
            check(open(out, "rb").read() == open(want, "rb").read(),
                  "%s link %d: decrypted capture differs from the cleartext" % (name, lt))
    print("decrypt: %d cases x 3 link types equal to the cleartext" % len(DECRYPT_CASES))


# ---- encrypt ----

def test_encrypt(env):
    for k, (alg, mode, outer, inv) in enumerate(DECRYPT_CASES):
        inner_v6 = inv == 6
        name = "enc-%s-%s-%d%d" % (alg, mode, outer, inv)
        xfrm, gw = case_config(env, name, alg, mode, outer, inner_v6, spi=0x2000 + k)
        sa = scapy_sa(alg, 0x2000 + k, mode, gw)
        clear = cleartext(mode, outer, inner_v6)
        for lt in (DLT_EN10MB, DLT_RAW):
            fin = write(env.path(name + "-%d-in.pcap" % lt), stamp([l2(lt, p) for p in clear]), lt)
            out = env.path(name + "-%d-out.pcap" % lt)
            _, _, c = env.run(xfrm, fin, out, ["--segments", str(1 + k % 4)])
            expect(c, packets__encapsulated=len(clear), packets__dropped=0)
            got = rdpcap(out)
            check(len(got) == len(clear), "%s: %d packets out" % (name, len(got)))
            for i, (g, p) in enumerate(zip(got, clear)):
                check(abs(float(g.time) - (1700000000.0 + i * 0.25)) < 1e-6, "timestamp changed")
                outer_ip = l3(g)
                check(ESP in outer_ip, "%s: packet %d is not ESP" % (name, i))
                check(outer_ip[ESP].seq == i + 1, "%s: sequence %d" % (name, outer_ip[ESP].seq))
                if lt == DLT_EN10MB:
                    check(g[Ether].type == (0x86dd if outer == 6 else 0x0800), "ethertype not fixed")
                d = sa.decrypt(outer_ip)
                check(bytes(d) == bytes(p), "%s: packet %d: Scapy's decryption differs" % (name, i))
    print("encrypt: %d cases x 2 link types decrypted by Scapy" % len(DECRYPT_CASES))


# ---- round trip ----

def test_roundtrip(env):
    xfrm = env.conf("rt.xfrm", [
        sa_line(GW4, 0x3000, "tunnel", "gcm"),
        policy_line(NET4, GW4, "tunnel"),
        sa_line(GW6, 0x3001, "tunnel", "cbc-sha256", reqid=2),
        policy_line(NET6, GW6, "tunnel", reqid=2),
        fwd_line(NET4), fwd_line(NET6),
    ])
    pk = []
    for i in range(40):
        kind = i % 5
        if kind == 0:
            p = Ether(**MAC) / inner(False, i, i * 13 + 1)
        elif kind == 1:
            p = Ether(**MAC) / inner(True, i, i * 29 + 3)
        elif kind == 2:   # no policy: passes
            p = Ether(**MAC) / IP(src="10.9.0.1", dst="10.2.0.1") / TCP(sport=5, dport=80) / Raw(b"x" * i)
        elif kind == 3:
            p = Ether(**MAC) / ARP(psrc="10.1.0.1", pdst="10.1.0.2")
        else:
            p = Ether(**MAC) / IP(src="10.1.0.7", dst="10.2.3.4") / ICMP(id=i) / Raw(b"ping" * i)
        pk.append(Ether(bytes(p)))
    fin = write(env.path("rt-in.pcap"), stamp(pk), DLT_EN10MB)
    mid, back = env.path("rt-enc.pcap"), env.path("rt-back.pcap")
    _, _, c = env.run(xfrm, fin, mid, ["--segments", "3"])
    expect(c, packets__read=40, packets__encapsulated=24, packets__passed=16,
           passed__no_policy=8, passed__not_ip=8)
    _, _, c = env.run(xfrm, mid, back, ["--segments", "7"])
    expect(c, packets__decapsulated=24, packets__passed=16)
    expect(c, **{"sa__esp__0x00003000@192__0__2__2__decap_packets": 16,
                 "sa__esp__0x00003001@2001:db8::2__decap_packets": 8})
    check(open(back, "rb").read() == open(fin, "rb").read(), "round trip changed the capture")
    print("roundtrip: 40 packets, encapsulated and decapsulated back to the same file")


# ---- policies, NAT-T, replay, ICV ----

def test_policy(env):
    xfrm = env.conf("pol.xfrm", [
        sa_line(GW4, 0x4000, "tunnel", "gcm"),
        policy_line(NET4, GW4, "tunnel"),
        fwd_line(NET4),
        "xfrm policy add src 10.3.0.0/16 dst 10.2.0.0/16 dir out action block",
        "xfrm policy add src 10.4.0.0/16 dst 10.2.0.0/16 dir out "
        "tmpl src 192.0.2.1 dst 192.0.2.9 proto esp reqid 9 mode tunnel",
        "xfrm policy add src 10.5.0.0/16 dst 10.2.0.0/16 dir out priority 10",
        "xfrm state add src 198.51.100.1 dst 198.51.100.2 proto esp spi 0x4001 reqid 3 "
        "mode tunnel replay-window 32 encap espinudp 4500 4500 0.0.0.0 " + ALGS["gcm"][1],
    ])
    sa = scapy_sa("gcm", 0x4000, "tunnel", GW4)
    natt = scapy_sa("gcm", 0x4001, "tunnel", ("198.51.100.1", "198.51.100.2"),
                    nat_t=UDP(sport=4500, dport=4500))
    p0 = inner(False, 0, 50)
    good = sa.encrypt(p0)
    in_udp = natt.encrypt(inner(False, 2, 70))
    in_udp[UDP].len = None                       # Scapy 2.5 leaves the header's 8 there
    in_udp[IP].chksum = None
    bad = IP(bytes(sa.encrypt(inner(False, 1, 60))))
    raw = bytearray(bytes(bad))
    raw[-1] ^= 1                                   # ICV no longer verifies
    pk = [
        IP(src="10.3.0.1", dst="10.2.0.1") / UDP() / Raw(b"blocked"),
        IP(src="10.4.0.1", dst="10.2.0.1") / UDP() / Raw(b"no SA"),
        IP(src="10.5.0.1", dst="10.2.0.1") / UDP() / Raw(b"bypass"),
        good, good,                                # the second one is a replay
        IP(bytes(raw)),
        IP(bytes(in_udp)),
        IP(src="198.51.100.1", dst="198.51.100.2") / UDP(sport=4500, dport=4500) / Raw(b"\xff"),
        IP(src="198.51.100.1", dst="198.51.100.2") / UDP(sport=4500, dport=4500) / Raw(b"\0\0\0\0ike"),
        IP(src="192.0.2.1", dst="192.0.2.2") / ESP(spi=0x7777, seq=1) / Raw(b"z" * 40),
    ]
    fin = write(env.path("pol-in.pcap"), stamp([Ether(**MAC) / p for p in pk]), DLT_EN10MB)
    out = env.path("pol-out.pcap")
    _, _, c = env.run(xfrm, fin, out)
    expect(c, packets__read=10, drop__policy_block=1, drop__no_sa_acquire=1,
           passed__bypass=1, packets__decapsulated=2, drop__esp=2, drop__esp__replay=1,
           drop__esp__auth=1, info__natt_esp=1, drop__natt_keepalive=1, passed__natt_ike=1,
           info__unknown_spi=1, passed__no_policy=1, packets__written=5, packets__dropped=5)
    got = rdpcap(out)
    check(bytes(got[1][IP]) == bytes(p0), "decapsulated packet differs")
    # two ESP SAs in one policy: tmpl[0] inner (transport), tmpl[1] outer (tunnel)
    xfrm = env.conf("bundle.xfrm", [
        sa_line(("10.1.0.1", "10.2.0.1"), 0x4100, "transport", "cbc-sha256", reqid=5),
        sa_line(GW4, 0x4101, "tunnel", "gcm", reqid=6),
        "xfrm policy add src 10.1.0.1/32 dst 10.2.0.1/32 dir out "
        "tmpl proto esp reqid 5 mode transport "
        "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 6 mode tunnel",
        fwd_line(("10.1.0.1/32", "10.2.0.1/32")),
    ])
    clear = [IP(bytes(IP(src="10.1.0.1", dst="10.2.0.1", id=i) / UDP(sport=1, dport=2) / Raw(b"b" * i)))
             for i in range(5)]
    fin = write(env.path("bundle-in.pcap"), stamp(clear), DLT_RAW)
    mid, back = env.path("bundle-enc.pcap"), env.path("bundle-back.pcap")
    _, _, c = env.run(xfrm, fin, mid, ["--segments", "2"])
    expect(c, packets__encapsulated=5)
    inner_sa = scapy_sa("cbc-sha256", 0x4100, "transport", None)
    outer_sa = scapy_sa("gcm", 0x4101, "tunnel", GW4)
    for g, p in zip(rdpcap(mid), clear):
        check(bytes(inner_sa.decrypt(outer_sa.decrypt(g[IP]))) == bytes(p), "bundle: Scapy differs")
    _, _, c = env.run(xfrm, mid, back)
    expect(c, packets__decapsulated=5)
    check(open(back, "rb").read() == open(fin, "rb").read(), "bundle round trip differs")
    print("policy: block, acquire, bypass, replay, ICV, NAT-T, unknown SPI, two-SA bundle")


# ---- link types ----

def test_linktypes(env):
    xfrm, gw = case_config(env, "lt", "gcm", "tunnel", 6, False)
    clear = cleartext("tunnel", 6, False, n=4)
    for lt, nano in ((DLT_LINUX_SLL, False), (DLT_LINUX_SLL2, True), (DLT_NULL, False)):
        fin = write(env.path("lt-%d-in.pcap" % lt), stamp([l2(lt, p) for p in clear]), lt, nano)
        mid, back = env.path("lt-%d-enc.pcap" % lt), env.path("lt-%d-back.pcap" % lt)
        _, _, c = env.run(xfrm, fin, mid)
        expect(c, packets__encapsulated=4)
        _, _, c = env.run(xfrm, mid, back)
        expect(c, packets__decapsulated=4)
        check(open(back, "rb").read() == open(fin, "rb").read(), "link type %d round trip" % lt)
        head = open(mid, "rb").read(24)
        check(struct.unpack("<I", head[20:24])[0] == lt, "link type %d not kept" % lt)
        check(head[:4] == (b"\x4d\x3c\xb2\xa1" if nano else b"\xd4\xc3\xb2\xa1"),
              "timestamp precision not kept")
    # IPv4 inner, IPv6 outer: a LINKTYPE_IPV4 file cannot hold the result
    fin = write(env.path("lt-ipv4-in.pcap"), stamp(clear), DLT_IPV4)
    _, _, c = env.run(xfrm, fin, env.path("lt-ipv4-out.pcap"))
    expect(c, drop__link_family=4, packets__written=0)
    # 802.1Q: tags kept, the inner ethertype rewritten
    vl = [Ether(**MAC) / Dot1Q(vlan=5) / Dot1Q(vlan=7) / p for p in clear]
    fin = write(env.path("lt-vlan-in.pcap"), stamp(vl), DLT_EN10MB)
    mid, back = env.path("lt-vlan-enc.pcap"), env.path("lt-vlan-back.pcap")
    env.run(xfrm, fin, mid)
    g = rdpcap(mid)[0]
    check(g[Dot1Q].vlan == 5 and g[Dot1Q].payload.vlan == 7 and g[Dot1Q].payload.type == 0x86dd,
          "VLAN tags or ethertype wrong")
    env.run(xfrm, mid, back)
    check(open(back, "rb").read() == open(fin, "rb").read(), "VLAN round trip")
    # Ethernet padding: passed frames keep it, encapsulation takes the IP packet alone
    small = Ether(**MAC) / IP(src="10.1.0.1", dst="10.2.0.1") / UDP() / Padding(b"\0" * 10)
    other = Ether(**MAC) / IP(src="10.9.0.1", dst="10.2.0.1") / UDP() / Padding(b"\0" * 10)
    xfrm4, gw4 = case_config(env, "pad", "gcm", "tunnel", 4, False)
    fin = write(env.path("pad-in.pcap"), stamp([small, other]), DLT_EN10MB)
    out = env.path("pad-out.pcap")
    _, _, c = env.run(xfrm4, fin, out)
    expect(c, packets__encapsulated=1, passed__no_policy=1)
    got = rdpcap(out)
    d = scapy_sa("gcm", 0x1000, "tunnel", gw4).decrypt(got[0][IP])
    check(bytes(d) == bytes(small[IP])[:28], "padding was encrypted")
    check(bytes(got[1]) == bytes(other), "passed frame changed")
    print("linktypes: sll, sll2 (ns), null, ipv4, vlan, padding")


# ---- errors ----

def test_errors(env):
    xfrm, gw = case_config(env, "err", "gcm", "tunnel", 4, False)
    clear = cleartext("tunnel", 4, False, n=3)
    good = write(env.path("err-good.pcap"), stamp([Ether(**MAC) / p for p in clear]), DLT_EN10MB)
    out = env.path("err-out.pcap")

    rc, err, _ = env.run(xfrm, env.path("missing.pcap"), out, rc=1)
    check("missing.pcap" in err and "No such file" in err, "missing IN: " + err)
    rc, err, _ = env.run(env.path("missing.xfrm"), good, out, rc=1)
    check("missing.xfrm" in err and "No such file" in err, "missing FILE: " + err)
    rc, err, _ = env.run(xfrm, xfrm, out, rc=1)
    check("not a pcap file" in err, "not a pcap: " + err)

    # a record cut short: the packets before it are written, then exit 1
    data = open(good, "rb").read()
    cut = write(env.path("err-cut.pcap"), [], DLT_EN10MB)
    with open(cut, "wb") as f:
        f.write(data[:-10])
    rc, err, c = env.run(xfrm, cut, out, rc=1)
    check("packet 3" in err and "truncated" in err, "truncated record: " + err)
    check(len(rdpcap(out)) == 2, "the two good packets were not written")

    # a bad line: iproute2's own words, the file, the line number and the line
    bad = env.conf("err-bad.xfrm", [
        "# comment",
        sa_line(GW4, 0x5000, "tunnel", "gcm"),
        "xfrm state add src 192.0.2.1 dst 192.0.2.3 proto esp spi 0x5001 mode tunnel \\",
        "    aead 'rfc4106(gcm(aes))' 0x0102 128",
    ])
    rc, err, _ = env.run(bad, good, out, rc=1)
    check("err-bad.xfrm:3" in err and "dst 192.0.2.3" in err and "0x0102 128" in err,
          "bad line not quoted: " + err)
    check("ip: Error:" in err and "key" in err, "iproute2's text missing: " + err)
    bad2 = env.conf("err-bad2.xfrm", [sa_line(GW4, 0x5000, "tunnel", "gcm"),
                                      "xfrm policy add src 10.0.0.0/8 dir out frobnicate"])
    rc, err, _ = env.run(bad2, good, out, rc=1)
    check("err-bad2.xfrm:2" in err and "frobnicate" in err and "ip:" in err, "parse error: " + err)
    host = env.conf("err-host.xfrm", ["link add x type veth"])
    rc, err, _ = env.run(host, good, out, rc=1)
    check("err-host.xfrm:1" in err and "only 'xfrm' commands" in err, "non-xfrm: " + err)
    mon = env.conf("err-mon.xfrm", ["xfrm monitor"])
    rc, err, _ = env.run(mon, good, out, rc=1)
    check("monitor" in err, "monitor: " + err)
    beet = env.conf("err-beet.xfrm", [
        "xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x5002 mode beet "
        + ALGS["gcm"][1]])
    rc, err, _ = env.run(beet, good, out, rc=1)
    check("err-beet.xfrm:1" in err and "mode beet" in err, "BEET SA: " + err)
    # accepted by XFRM, refused by ESP: a GCM counter IV must not wrap (RFC 4106 3.1)
    wrap = env.conf("err-wrap.xfrm", [sa_line(GW4, 0x5003, "tunnel", "gcm",
                                              extra="extra-flag oseq-may-wrap")])
    rc, err, _ = env.run(wrap, good, out, rc=1)
    check("err-wrap.xfrm:1" in err and "ip: Error:" in err and "wrap" in err,
          "wrapping GCM SA: " + err)

    # packets cut inside their ESP header: counted, never a crash
    sa = scapy_sa("gcm", 0x1000, "tunnel", gw)
    e = bytes(sa.encrypt(clear[0]))
    short = [IP(src=GW4[0], dst=GW4[1], proto=50) / Raw(b"\0\0"),        # half an SPI
             IP(bytes(IP(e[:20] + e[20:30])[IP]))]                          # SPI, part of seq/IV
    short[1][IP].len = 30
    short[1][IP].chksum = None
    pk = [Ether(**MAC) / IP(bytes(p)) for p in short] + [Ether(**MAC) / IP(src="10.1.0.1")]
    raw = bytearray(bytes(pk[2]))
    raw[14 + 2:14 + 4] = struct.pack(">H", 9)           # IPv4 total length shorter than the header
    fin = write(env.path("err-short.pcap"), stamp(pk[:2] + [Ether(bytes(raw))]), DLT_EN10MB)
    _, _, c = env.run(xfrm, fin, out, ["--segments", "4"])
    expect(c, drop__truncated=1, drop__esp__truncated=1, drop__malformed=1, packets__written=0)

    # usage: exit 2
    env.run(None, good, out, rc=2)
    env.run(xfrm, good, out, ["--segments", "0"], rc=2)
    p = subprocess.run([env.bin], stderr=subprocess.PIPE, timeout=30)
    check(p.returncode == 2, "no arguments: exit %d" % p.returncode)
    print("errors: missing files, not a pcap, truncated record, bad lines, short ESP, usage")


# ---- AH ----

AH_KEY = bytes(range(0x60, 0x80))


def test_ah(env):
    for mode in ("transport", "tunnel"):
        gw = ("10.1.0.1", "10.2.0.1") if mode == "transport" else GW4
        xfrm = env.conf("ah-%s.xfrm" % mode, [
            "xfrm state add src %s dst %s proto ah spi 0x6000 reqid 1 mode %s replay-window 32 "
            "auth-trunc 'hmac(sha256)' 0x%s 128" % (gw[0], gw[1], mode, AH_KEY.hex()),
            "xfrm policy add src 10.1.0.1/32 dst 10.2.0.1/32 dir out %s"
            % (("tmpl proto ah reqid 1 mode transport") if mode == "transport" else
               "tmpl src %s dst %s proto ah reqid 1 mode tunnel" % gw),
            fwd_line(("10.1.0.1/32", "10.2.0.1/32"), "ah"),
        ])
        kw = dict(auth_algo="SHA2-256-128", auth_key=AH_KEY)
        if mode == "tunnel":
            kw["tunnel_header"] = IP(src=gw[0], dst=gw[1])
        sa = SecurityAssociation(AH, spi=0x6000, **kw)
        clear = [IP(bytes(IP(src="10.1.0.1", dst="10.2.0.1", id=i) / UDP(sport=3, dport=4) / Raw(b"a" * i * 9)))
                 for i in range(4)]
        # Scapy signs, xfrmgw-pcap verifies and removes AH
        signed = [IP(bytes(sa.encrypt(p))) for p in clear]
        fin = write(env.path("ah-%s-in.pcap" % mode), stamp(signed), DLT_RAW)
        want = write(env.path("ah-%s-want.pcap" % mode), stamp(clear), DLT_RAW)
        out = env.path("ah-%s-out.pcap" % mode)
        _, _, c = env.run(xfrm, fin, out, ["--segments", "3"])
        expect(c, packets__decapsulated=4)
        check(open(out, "rb").read() == open(want, "rb").read(), "AH %s: differs" % mode)
        # xfrmgw-pcap signs, Scapy verifies
        fin = write(env.path("ah-%s-clear.pcap" % mode), stamp(clear), DLT_RAW)
        out = env.path("ah-%s-signed.pcap" % mode)
        _, _, c = env.run(xfrm, fin, out)
        expect(c, packets__encapsulated=4)
        for g, p in zip(rdpcap(out), clear):
            check(AH in g, "AH %s: no AH header" % mode)
            d = SecurityAssociation(AH, spi=0x6000, **kw).decrypt(g[IP])
            check(bytes(d)[20:] == bytes(p)[20:] if mode == "transport" else bytes(d) == bytes(p),
                  "AH %s: Scapy's verification differs" % mode)
    # ESP then AH on one policy (RFC 4301 4.3): IP | AH | ESP | ...
    xfrm = env.conf("ah-bundle.xfrm", [
        "xfrm state add src 10.1.0.1 dst 10.2.0.1 proto ah spi 0x6100 reqid 7 mode transport "
        "auth-trunc 'hmac(sha256)' 0x%s 128" % AH_KEY.hex(),
        sa_line(("10.1.0.1", "10.2.0.1"), 0x6101, "transport", "gcm", reqid=7),
        "xfrm policy add src 10.1.0.1/32 dst 10.2.0.1/32 dir out "
        "tmpl proto esp reqid 7 mode transport tmpl proto ah reqid 7 mode transport",
    ])
    clear = [IP(bytes(IP(src="10.1.0.1", dst="10.2.0.1", id=i) / UDP(sport=3, dport=4) / Raw(b"c" * i)))
             for i in range(4)]
    fin = write(env.path("ah-bundle-in.pcap"), stamp(clear), DLT_RAW)
    mid, back = env.path("ah-bundle-enc.pcap"), env.path("ah-bundle-back.pcap")
    _, _, c = env.run(xfrm, fin, mid, ["--segments", "5"])
    expect(c, packets__encapsulated=4)
    g = rdpcap(mid)[0]
    check(g[IP].proto == 51 and g[AH].nh == 50, "bundle: not IP|AH|ESP")
    _, _, c = env.run(xfrm, mid, back)
    expect(c, packets__decapsulated=4)
    check(open(back, "rb").read() == open(fin, "rb").read(), "ESP+AH round trip differs")
    print("ah: transport and tunnel against Scapy, ESP+AH bundle")


# ---- policy enforcement (RFC 4301 5.2) and IPv6 extension headers ----

def test_enforce(env):
    """The gateway's in/fwd checks, default policies and the extension-header walk, offline."""
    from scapy.all import (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                           IPv6ExtHdrFragment)
    xfrm = env.conf("enf.xfrm", [
        sa_line(GW4, 0x8000, "tunnel", "gcm"),
        policy_line(NET4, GW4, "tunnel"),
        # 10.6/16 -> 10.2/16 must come through a tunnel from 192.0.2.9: never in clear
        "xfrm policy add src 10.6.0.0/16 dst 10.2.0.0/16 dir fwd "
        "tmpl src 192.0.2.9 dst 192.0.2.2 proto esp mode tunnel",
        # the gateway's own address (192.0.2.2, from that template) wants IPsec from 10.7/16
        "xfrm policy add src 10.7.0.0/16 dst 192.0.2.2/32 dir in tmpl proto esp mode transport",
        # what SA 0x8000 decapsulates must match a fwd policy: 10.1/16 -> 10.2/16 only
        "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir fwd "
        "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel",
        "xfrm policy add src fd01::/64 dst fd02::/64 proto udp dport 5555 dir out "
        "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel",
    ])
    sa = scapy_sa("gcm", 0x8000, "tunnel", GW4)
    base6 = IPv6(src="fd01::2", dst="fd02::2")
    u = UDP(sport=4444, dport=5555) / Raw(b"SECRET" * 4)
    pk = [
        IP(src="10.6.0.1", dst="10.2.0.1") / UDP() / Raw(b"clear, protected"),     # fwd: cleartext
        IP(src="10.7.0.1", dst="192.0.2.2") / UDP() / Raw(b"clear, to us"),       # in: cleartext
        IP(src="10.8.0.1", dst="192.0.2.2") / UDP() / Raw(b"to us, no policy"),   # passed: local
        sa.encrypt(IP(src="10.1.0.5", dst="10.2.0.1") / UDP() / Raw(b"good")),    # decapsulated
        sa.encrypt(IP(src="10.9.0.5", dst="10.2.0.1") / UDP() / Raw(b"no policy")),  # none_tunnel
        base6 / IPv6ExtHdrHopByHop() / u,
        base6 / IPv6ExtHdrDestOpt() / u,
        base6 / IPv6ExtHdrRouting(segleft=0, addresses=[]) / u,
        base6 / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / IPv6ExtHdrFragment(id=3, m=1, nh=17) / u,
        base6 / IPv6ExtHdrFragment(id=4, m=0, offset=8, nh=17) / Raw(b"later fragment"),
    ]
    fin = write(env.path("enf-in.pcap"), stamp([Ether(**MAC) / p for p in pk]), DLT_EN10MB)
    out = env.path("enf-out.pcap")
    _, _, c = env.run(xfrm, fin, out)
    expect(c, packets__read=10, drop__policy_cleartext=2, passed__local=1, packets__decapsulated=1,
           drop__policy_none_tunnel=1, packets__encapsulated=4, passed__no_policy=1,
           packets__written=7)
    got = rdpcap(out)
    check(not any(b"clear, protected" in bytes(g) or b"clear, to us" in bytes(g) or
                  b"SECRET" in bytes(g) for g in got), "protected cleartext written out")
    # --local: the same packet to an address the policies do not name
    xfrm2 = env.conf("enf-local.xfrm", [
        "xfrm policy add src 10.7.0.0/16 dst 203.0.113.7/32 dir in tmpl proto esp mode transport"])
    one = write(env.path("enf-local.pcap"),
                stamp([Ether(**MAC) / IP(src="10.7.0.1", dst="203.0.113.8") / UDP()]), DLT_EN10MB)
    _, _, c = env.run(xfrm2, one, out, ["--local", "203.0.113.8"])
    expect(c, passed__local=1)
    # default policies: fwd block drops what no policy matches, out accept passes it
    xfrm3 = env.conf("enf-default.xfrm", ["xfrm policy setdefault fwd block"])
    _, _, c = env.run(xfrm3, one, out)
    expect(c, drop__policy_default_block=1, packets__written=0)
    xfrm4 = env.conf("enf-default2.xfrm", ["xfrm policy setdefault fwd accept out block"])
    _, _, c = env.run(xfrm4, one, out)
    expect(c, drop__policy_default_block=1)
    # a chain of 20 Destination Options headers: dropped under its own reason
    chain = base6
    for _ in range(20):
        chain = chain / IPv6ExtHdrDestOpt()
    fin = write(env.path("enf-chain.pcap"), stamp([Ether(**MAC) / (chain / u)]), DLT_EN10MB)
    _, _, c = env.run(xfrm, fin, out)
    expect(c, drop__bad_ext_headers=1)
    print("enforce: fwd/in cleartext, --local, decapsulated without policy, defaults, IPv6 extension headers")


# ---- mutated packets ----

def test_mutate(env):
    """Valid ESP, ESP-in-UDP, AH-less bundles, cut and bit-flipped: counted, never a crash."""
    import random
    rng = random.Random(4303)
    xfrm = env.conf("mut.xfrm", [
        sa_line(GW4, 0x7000, "tunnel", "gcm"),
        sa_line(GW6, 0x7001, "tunnel", "cbc-sha256", reqid=2),
        sa_line(("10.1.0.1", "10.2.0.1"), 0x7002, "transport", "cbc-sha1", reqid=3),
        "xfrm state add src 198.51.100.1 dst 198.51.100.2 proto esp spi 0x7003 reqid 4 "
        "mode tunnel encap espinudp 4500 4500 0.0.0.0 " + ALGS["gcm"][1],
        policy_line(NET4, GW4, "tunnel"),
    ])
    sas = [scapy_sa("gcm", 0x7000, "tunnel", GW4), scapy_sa("cbc-sha256", 0x7001, "tunnel", GW6),
           scapy_sa("cbc-sha1", 0x7002, "transport", None)]
    base = []
    for i in range(30):
        sa = sas[i % 3]
        p = IP(src="10.1.0.1", dst="10.2.0.1", id=i) / UDP(sport=9, dport=9) / Raw(b"m" * (i * 7))
        base.append(bytes(sa.encrypt(IP(bytes(p)))))
        base.append(bytes(IP(src="10.1.0.1", dst="10.2.0.9") / TCP() / Raw(b"c" * i)))
    pk = []
    for i in range(300):
        b = bytearray(rng.choice(base))
        what = rng.randrange(4)
        if what == 0:                                   # cut anywhere after the version
            b = b[:rng.randrange(1, len(b))]
        elif what == 1:                                 # flip bytes, headers included
            for _ in range(rng.randrange(1, 4)):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif what == 2:                                 # cut, then fix the IP length
            b = b[:rng.randrange(20, len(b))]
            if b[0] >> 4 == 4:
                b[2:4] = struct.pack(">H", len(b))
            else:
                b[4:6] = struct.pack(">H", max(0, len(b) - 40))
        else:                                           # random tail behind a good header
            b = b[:28] + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 80)))
        pk.append(Ether(**MAC) / Raw(bytes(b)))
    for f in pk:
        f[Ether].type = 0x86dd if bytes(f[Raw])[0] >> 4 == 6 else 0x0800
    fin = write(env.path("mut-in.pcap"), stamp(pk), DLT_EN10MB)
    for segs in ("1", "3", "11"):
        _, _, c = env.run(xfrm, fin, env.path("mut-out.pcap"), ["--segments", segs])
        check(c["packets.read"] == 300, "not every packet read")
        check(c["packets.written"] + c["packets.dropped"] == 300,
              "written + dropped != read: %s" % c)
    print("mutate: 300 cut or corrupted packets x 3 chain layouts, all counted")


PARTS = dict(decrypt=test_decrypt, encrypt=test_encrypt, roundtrip=test_roundtrip,
             policy=test_policy, linktypes=test_linktypes, errors=test_errors, ah=test_ah,
             mutate=test_mutate, enforce=test_enforce)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcap", required=True, help="the xfrmgw-pcap binary")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--part", choices=sorted(PARTS), action="append")
    a = ap.parse_args()
    env = Env(a.pcap, a.workdir)
    try:
        for part in a.part or sorted(PARTS):
            PARTS[part](env)
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    print("ok (%d xfrmgw-pcap runs)" % env.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
