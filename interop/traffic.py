#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Traffic for the interop scenarios, standard library only (run as root).

  traffic.py ping DST [--count N] [--size N] [--interval S] [--timeout S]
      ICMP echo (RFC 792); prints "sent N received M"; exit 0 when every echo
      was answered (or at least --min replies).
  traffic.py tcp-serve PORT OUTFILE [--timeout S]
      accept one TCP connection, store what arrives, print its SHA-256.
  traffic.py tcp-send DST PORT INFILE [--timeout S]
      send INFILE over TCP, print its SHA-256.
  traffic.py udp-sink PORT [--seconds S]
      count UDP datagrams carrying a sequence number; print received,
      highest sequence and the numbers missing.
  traffic.py udp-source DST PORT [--rate PPS] [--seconds S]
      send numbered UDP datagrams at a steady rate.
"""
import argparse
import hashlib
import os
import select
import socket
import struct
import sys
import time


def inet_csum(data):
	"""RFC 1071 Internet checksum."""
	if len(data) % 2:
		data += b"\0"
	s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
	while s >> 16:
		s = (s & 0xFFFF) + (s >> 16)
	return ~s & 0xFFFF


def ping(a):
	s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
	ident = os.getpid() & 0xFFFF
	payload = bytes((i & 0xFF for i in range(a.size)))
	sent = received = 0
	rtts = []
	for seq in range(a.count):
		hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
		pkt = struct.pack("!BBHHH", 8, 0, inet_csum(hdr + payload), ident, seq) + payload
		t0 = time.monotonic()
		s.sendto(pkt, (a.dst, 0))
		sent += 1
		deadline = t0 + a.timeout
		while True:
			left = deadline - time.monotonic()
			if left <= 0 or not select.select([s], [], [], left)[0]:
				break
			data, src = s.recvfrom(65535)
			ihl = (data[0] & 0x0F) * 4
			typ, _, _, rid, rseq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
			if typ == 0 and rid == ident and rseq == seq and src[0] == a.dst \
					and data[ihl + 8:] == payload:
				received += 1
				rtts.append((time.monotonic() - t0) * 1000)
				break
		rest = a.interval - (time.monotonic() - t0)
		if rest > 0 and seq + 1 < a.count:
			time.sleep(rest)
	avg = sum(rtts) / len(rtts) if rtts else 0
	print("ping %s: sent %d received %d (%d-byte payload, avg rtt %.2f ms)"
	      % (a.dst, sent, received, a.size, avg))
	need = a.count if a.min is None else a.min
	return 0 if received >= need else 1


def tcp_serve(a):
	ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	ls.bind(("0.0.0.0", a.port))
	ls.listen(1)
	ls.settimeout(a.timeout)
	c, peer = ls.accept()
	c.settimeout(a.timeout)
	h = hashlib.sha256()
	n = 0
	with open(a.file, "wb") as f:
		while True:
			b = c.recv(65536)
			if not b:
				break
			f.write(b)
			h.update(b)
			n += len(b)
	c.close()
	print("tcp received %d bytes from %s sha256 %s" % (n, peer[0], h.hexdigest()))
	return 0


def tcp_send(a):
	c = socket.create_connection((a.dst, a.port), timeout=a.timeout)
	h = hashlib.sha256()
	n = 0
	t0 = time.monotonic()
	with open(a.file, "rb") as f:
		while True:
			b = f.read(65536)
			if not b:
				break
			c.sendall(b)
			h.update(b)
			n += len(b)
	c.shutdown(socket.SHUT_WR)
	c.recv(1)
	c.close()
	dt = time.monotonic() - t0
	print("tcp sent %d bytes to %s in %.2f s sha256 %s" % (n, a.dst, dt, h.hexdigest()))
	return 0


def udp_sink(a):
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("0.0.0.0", a.port))
	seen = set()
	end = time.monotonic() + a.seconds
	last = None
	while True:
		left = end - time.monotonic()
		if left <= 0:
			break
		if not select.select([s], [], [], left)[0]:
			break
		data, _ = s.recvfrom(2048)
		if len(data) < 8:
			continue
		seq, = struct.unpack("!Q", data[:8])
		if seq == 0xFFFFFFFFFFFFFFFF:	# the source's last datagram
			last = struct.unpack("!Q", data[8:16])[0]
			break
		seen.add(seq)
	top = last if last is not None else (max(seen) + 1 if seen else 0)
	missing = [i for i in range(top) if i not in seen]
	print("udp received %d of %d lost %d missing %s"
	      % (len(seen), top, len(missing), compress(missing)))
	return 0


def compress(nums):
	"""[1,2,3,7] -> '1-3,7' (at most 20 ranges)."""
	out = []
	for n in nums:
		if out and out[-1][1] == n - 1:
			out[-1][1] = n
		else:
			out.append([n, n])
	txt = ",".join("%d" % x if x == y else "%d-%d" % (x, y) for x, y in out[:20])
	return (txt + ("..." if len(out) > 20 else "")) or "-"


def udp_source(a):
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	n = int(a.rate * a.seconds)
	t0 = time.monotonic()
	pad = b"u" * 92
	for seq in range(n):
		s.sendto(struct.pack("!Q", seq) + pad, (a.dst, a.port))
		rest = t0 + (seq + 1) / a.rate - time.monotonic()
		if rest > 0:
			time.sleep(rest)
	time.sleep(0.5)
	for _ in range(3):	# the end marker, a few times in case one is lost
		s.sendto(struct.pack("!QQ", 0xFFFFFFFFFFFFFFFF, n), (a.dst, a.port))
		time.sleep(0.1)
	print("udp sent %d datagrams at %d/s" % (n, a.rate))
	return 0


def main():
	p = argparse.ArgumentParser()
	sub = p.add_subparsers(dest="cmd", required=True)
	q = sub.add_parser("ping")
	q.add_argument("dst")
	q.add_argument("--count", type=int, default=5)
	q.add_argument("--size", type=int, default=56)
	q.add_argument("--interval", type=float, default=0.2)
	q.add_argument("--timeout", type=float, default=2.0)
	q.add_argument("--min", type=int)
	q.set_defaults(fn=ping)
	q = sub.add_parser("tcp-serve")
	q.add_argument("port", type=int)
	q.add_argument("file")
	q.add_argument("--timeout", type=float, default=30)
	q.set_defaults(fn=tcp_serve)
	q = sub.add_parser("tcp-send")
	q.add_argument("dst")
	q.add_argument("port", type=int)
	q.add_argument("file")
	q.add_argument("--timeout", type=float, default=30)
	q.set_defaults(fn=tcp_send)
	q = sub.add_parser("udp-sink")
	q.add_argument("port", type=int)
	q.add_argument("--seconds", type=float, default=30)
	q.set_defaults(fn=udp_sink)
	q = sub.add_parser("udp-source")
	q.add_argument("dst")
	q.add_argument("port", type=int)
	q.add_argument("--rate", type=float, default=100)
	q.add_argument("--seconds", type=float, default=10)
	q.set_defaults(fn=udp_source)
	a = p.parse_args()
	try:
		return a.fn(a)
	except (OSError, socket.timeout) as e:
		print("%s: %s" % (a.cmd, e), file=sys.stderr)
		return 1


if __name__ == "__main__":
	sys.exit(main())
