#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The gateway going away while a request is in flight.

  shim_hangup.py serve SOCKET   an endpoint that welcomes one client, reads
                                its first DATA frame and hangs up unanswered
  shim_hangup.py client         run under xfrmgw-exec: sends that request
                                and checks what the program sees afterwards
  shim_hangup.py rebind         run under xfrmgw-exec against a gateway:
                                the server hangs up after refusing a taken
                                port id, yet bind() may try another one

A netlink socket never reports end-of-file: the client expects one receive
error (ECONNRESET), then an NLMSG_ERROR answer to its request (so a thread
waiting for it wakes up), then a socket that is quiet (not readable, no
hang-up, EAGAIN) and refuses new requests (ECONNREFUSED).
"""
import errno
import select
import socket
import struct
import sys

HELLO, WELCOME, DATA = 1, 2, 5
NETLINK_XFRM = 6
NLMSG_ERROR = 2
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
XFRM_MSG_FLUSHSA = 28
SEQ = 4242


def serve(path):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(30)
    conn, _ = srv.accept()
    conn.settimeout(30)
    while True:
        frame = conn.recv(70000)
        if not frame:
            return
        ftype = struct.unpack_from("=H", frame)[0]
        if ftype == HELLO:
            pid = struct.unpack_from("=IIIII", frame, 8)[2]
            conn.send(struct.pack("=HHIiI", WELCOME, 0, 0, 0, pid))
        elif ftype == DATA:
            conn.close()	# the gateway exits with the request unanswered
            return


passed = failed = 0


def check(cond, what):
    global passed, failed
    print(("ok - " if cond else "not ok - ") + what)
    if cond:
        passed += 1
    else:
        failed += 1


def recv_errno(s, flags=0):
    try:
        s.recv(65536, flags)
        return 0
    except OSError as e:
        return e.errno


def request(seq):
    # XFRM_MSG_FLUSHSA with an ACK asked for: one struct xfrm_usersa_flush
    return struct.pack("=IHHII", 20, XFRM_MSG_FLUSHSA, NLM_F_REQUEST | NLM_F_ACK,
                       seq, 0) + struct.pack("=Bxxx", 0)


def client():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_XFRM)
    s.bind((0, 0))
    port = s.getsockname()[0]
    s.sendto(request(SEQ), (0, 0))
    p = select.poll()
    p.register(s, select.POLLIN)
    check(p.poll(5000) != [], "socket readable when the gateway hangs up")
    check(recv_errno(s) == errno.ECONNRESET, "first receive fails with ECONNRESET")
    check(p.poll(2000) == [(s.fileno(), select.POLLIN)],
          "the answer to the request in flight is readable (no POLLHUP)")
    data, (pid, groups) = s.recvfrom(65536)
    ln, mtype, flags, seq, dport = struct.unpack_from("=IHHII", data)
    err = struct.unpack_from("=i", data, 16)[0]
    orig = struct.unpack_from("=IHHII", data, 20)
    check(len(data) == ln == 36 and mtype == NLMSG_ERROR and seq == SEQ and dport == port
          and pid == 0 and groups == 0,
          "NLMSG_ERROR for seq %d to port %d, from the kernel (got type %d seq %d len %d)"
          % (SEQ, port, mtype, seq, ln))
    check(err == -errno.ECONNRESET and orig[1] == XFRM_MSG_FLUSHSA and orig[3] == SEQ,
          "error -ECONNRESET quoting the request (got %d)" % err)
    check(p.poll(300) == [], "then quiet: not readable, no POLLHUP")
    check(recv_errno(s, socket.MSG_DONTWAIT) == errno.EAGAIN, "non-blocking receive: EAGAIN")
    try:
        s.sendto(request(SEQ + 1), (0, 0))
        e = 0
    except OSError as ex:
        e = ex.errno
    check(e == errno.ECONNREFUSED, "new requests fail with ECONNREFUSED (errno %d)" % e)
    check(s.getsockname()[0] == port, "getsockname still reports the port id")
    s.setsockopt(270, 1, 3)	# NETLINK_ADD_MEMBERSHIP, group 3: accepted locally
    check(p.poll(300) == [], "still quiet after a membership change")
    s.close()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def rebind():
    a = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_XFRM)
    a.bind((0x7654321, 0))
    b = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_XFRM)
    try:
        b.bind((0x7654321, 0))
        e = 0
    except OSError as ex:
        e = ex.errno
    check(e == errno.EADDRINUSE, "a taken port id: EADDRINUSE (errno %d)" % e)
    try:
        b.bind((0, 0))
        port = b.getsockname()[0]
        b.sendto(request(7), (0, 0))
        b.settimeout(5)
        data = b.recv(65536)
        ln, mtype, flags, seq, dport = struct.unpack_from("=IHHII", data)
        err = struct.unpack_from("=i", data, 16)[0]
        check(port not in (0, 0x7654321) and mtype == NLMSG_ERROR and seq == 7 and err == 0
              and dport == port, "then bind(0) works and requests are answered")
    except OSError as ex:
        check(False, "bind(0) after EADDRINUSE: %s" % ex)
    a.close()
    b.close()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(sys.argv[2])
        sys.exit(0)
    if len(sys.argv) == 2 and sys.argv[1] == "client":
        sys.exit(client())
    if len(sys.argv) == 2 and sys.argv[1] == "rebind":
        sys.exit(rebind())
    sys.exit("usage: shim_hangup.py serve SOCKET | client | rebind")
