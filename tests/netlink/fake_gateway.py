#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A tiny stand-in for the xfrmgw control socket, for testing the shim alone.

It speaks netlink/shim_proto.h and keeps XFRM states and policies as the
opaque bytes the client sent: enough for iproute2 to add, list, get, delete,
flush and monitor, without any of the server's validation.

usage: fake_gateway.py SOCKET_PATH   (runs until killed; exits after 120 s)
"""
import os
import select
import socket
import struct
import sys
import time

HELLO, WELCOME, BIND, SETOPT, DATA, OVERRUN = 1, 2, 3, 4, 5, 6
NETLINK_XFRM, NETLINK_CRYPTO = 6, 21
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 0x2, 0x4, 0x300
ADD_MEMBERSHIP, DROP_MEMBERSHIP = 1, 2

NEWSA, DELSA, GETSA = 16, 17, 18
NEWPOLICY, DELPOLICY, GETPOLICY = 19, 20, 21
UPDPOLICY, UPDSA, FLUSHSA, FLUSHPOLICY = 25, 26, 28, 29
NEWSPDINFO, GETSPDINFO = 36, 37
GRP_SA, GRP_POLICY = 3, 4
DUMP_BUDGET = 4096

SA_ID = slice(56, 77)		# xfrm_usersa_info.id (daddr, spi, proto)
POL_SEL = slice(0, 56)		# xfrm_userpolicy_info.sel
POL_DIR = 160			# xfrm_userpolicy_info.dir
USERSA_INFO_LEN = 224		# sizeof(struct xfrm_usersa_info)
XFRMA_SA = 6


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.proto = None
        self.pid = 0
        self.groups = 0

    def frame(self, ftype, body=b"", group=0):
        try:
            self.sock.send(struct.pack("=HHI", ftype, 0, group) + body)
        except OSError:
            pass


class Gateway:
    def __init__(self):
        self.clients = {}
        self.states = {}	# (daddr, spi, proto) -> xfrm_usersa_info + attrs
        self.policies = {}	# (sel, dir) -> xfrm_userpolicy_info + attrs
        self.next_pid = 0xfffff000

    def port_taken(self, pid):
        return any(c.pid == pid for c in self.clients.values())

    def hello(self, c, body):
        _ver, proto, pid, want, groups = struct.unpack_from("=5I", body)
        if proto not in (NETLINK_XFRM, NETLINK_CRYPTO):
            c.frame(WELCOME, struct.pack("=iI", -93, 0))
            return False
        if want and self.port_taken(want):
            c.frame(WELCOME, struct.pack("=iI", -98, 0))
            return False
        if not want:
            want = pid
            if self.port_taken(want):
                want = self.next_pid
                self.next_pid -= 1
        c.proto, c.pid, c.groups = proto, want, groups
        c.frame(WELCOME, struct.pack("=iI", 0, want))
        return True

    def multicast(self, group, msgs):
        for c in self.clients.values():
            if c.proto == NETLINK_XFRM and c.groups & (1 << (group - 1)):
                c.frame(DATA, msgs, group)

    @staticmethod
    def msg(mtype, flags, seq, pid, payload):
        m = struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, pid) + payload
        return m + b"\0" * ((4 - len(m) % 4) % 4)

    def ack(self, c, hdr, err, force=False):
        mlen, _t, flags, seq, _p = struct.unpack_from("=IHHII", hdr)
        if err or flags & NLM_F_ACK or force:
            body = struct.pack("=i", err) + hdr[:16]
            c.frame(DATA, self.msg(NLMSG_ERROR, 0, seq, c.pid, body))

    def dump(self, c, seq, mtype, items):
        page = b""
        for payload in items:
            m = self.msg(mtype, NLM_F_MULTI, seq, c.pid, payload)
            if page and len(page) + len(m) > DUMP_BUDGET:
                c.frame(DATA, page)
                page = b""
            page += m
        c.frame(DATA, page + self.msg(NLMSG_DONE, NLM_F_MULTI, seq, c.pid, struct.pack("=i", 0)))

    def request(self, c, m):
        mlen, mtype, flags, seq, _pid = struct.unpack_from("=IHHII", m)
        p = m[16:mlen]
        if c.proto != NETLINK_XFRM:
            return self.ack(c, m, -95)
        if mtype in (NEWSA, UPDSA):
            key = p[SA_ID]
            if mtype == NEWSA and key in self.states:
                return self.ack(c, m, -17)
            self.states[key] = p
            self.ack(c, m, 0)
            return self.multicast(GRP_SA, self.msg(mtype, 0, seq, 0, p))
        if mtype in (DELSA, GETSA) and not flags & NLM_F_DUMP:
            daddr, spi, _fam, proto = p[0:16], p[16:20], p[20:22], p[22:23]
            key = daddr + spi + proto
            if key not in self.states:
                return self.ack(c, m, -3)
            if mtype == GETSA:
                return c.frame(DATA, self.msg(NEWSA, 0, seq, c.pid, self.states[key]))
            info = self.states.pop(key)[:USERSA_INFO_LEN]
            self.ack(c, m, 0)
            # The kernel's DELSA event: xfrm_usersa_id, then XFRMA_SA.
            attr = struct.pack("=HH", 4 + len(info), XFRMA_SA) + info
            return self.multicast(GRP_SA, self.msg(DELSA, 0, seq, 0, p[:24] + attr))
        if mtype == GETSA:
            return self.dump(c, seq, NEWSA, list(self.states.values()))
        if mtype == FLUSHSA:
            self.states.clear()
            return self.ack(c, m, 0)
        if mtype in (NEWPOLICY, UPDPOLICY):
            key = (p[POL_SEL], p[POL_DIR])
            if mtype == NEWPOLICY and key in self.policies:
                return self.ack(c, m, -17)
            self.policies[key] = p
            self.ack(c, m, 0)
            return self.multicast(GRP_POLICY, self.msg(mtype, 0, seq, 0, p))
        if mtype == GETPOLICY and flags & NLM_F_DUMP:
            return self.dump(c, seq, NEWPOLICY, list(self.policies.values()))
        if mtype in (DELPOLICY, GETPOLICY):
            key = (p[POL_SEL], p[56 + 4])	# xfrm_userpolicy_id: sel, index, dir
            if key not in self.policies:
                return self.ack(c, m, -2)
            if mtype == GETPOLICY:
                return c.frame(DATA, self.msg(NEWPOLICY, 0, seq, c.pid, self.policies[key]))
            del self.policies[key]
            return self.ack(c, m, 0)
        if mtype == FLUSHPOLICY:
            self.policies.clear()
            return self.ack(c, m, 0)
        if mtype == GETSPDINFO:
            return c.frame(DATA, self.msg(NEWSPDINFO, 0, seq, c.pid, struct.pack("=I", 0)))
        return self.ack(c, m, -95)

    def data(self, c, body):
        off = 0
        while off + 16 <= len(body):
            mlen = struct.unpack_from("=I", body, off)[0]
            if mlen < 16 or off + mlen > len(body):
                break
            self.request(c, body[off:off + mlen])
            off += (mlen + 3) & ~3

    def frame(self, c, buf):
        if len(buf) < 8:
            return False
        ftype, _r, _g = struct.unpack_from("=HHI", buf)
        body = buf[8:]
        if c.proto is None:
            return ftype == HELLO and self.hello(c, body)
        if ftype == BIND:
            c.groups = struct.unpack_from("=I", body)[0]
        elif ftype == SETOPT:
            name, value = struct.unpack_from("=II", body)
            if name == ADD_MEMBERSHIP:
                c.groups |= 1 << (value - 1)
            elif name == DROP_MEMBERSHIP:
                c.groups &= ~(1 << (value - 1))
        elif ftype == DATA:
            self.data(c, body)
        return True


def main():
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ls.bind(path)
    os.chmod(path, 0o600)
    ls.listen(16)
    gw = Gateway()
    deadline = time.time() + 120
    while time.time() < deadline:
        fds = [ls] + [c.sock for c in gw.clients.values()]
        ready, _, _ = select.select(fds, [], [], 1.0)
        for s in ready:
            if s is ls:
                cs, _ = ls.accept()
                gw.clients[cs.fileno()] = Client(cs)
                continue
            c = gw.clients[s.fileno()]
            try:
                buf = s.recv(70000)
            except OSError:
                buf = b""
            if not buf or not gw.frame(c, buf):
                del gw.clients[s.fileno()]
                s.close()


if __name__ == "__main__":
    main()
