#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The control plane at scale, through the real interfaces: a gateway
# (control plane only: --no-huge, no ports), `xfrmgw-exec ip` as a user runs
# it. A benchmark, not a test: it prints figures against the targets of the
# issue "[scale]" and fails only when a step itself fails.
#
#   bench/control.sh [BUILD_DIR]          default build
#   NPOL=100000 NSA=1000000 NONE=1000 MEM=4096 bench/control.sh
#
# Steps: NPOL policies by one `ip -batch`; one policy add and one delete at
# NPOL; NONE one-by-one `ip xfrm policy add` calls; `state get` latency from
# another client while NPOL more policies are installed; NSA SAs by
# `ip -batch` (AES-GCM, each with its crypto transform); `ip xfrm state
# count`, a random `state get` and a full `state list` at NSA; the
# gateway's RSS per SA. Every latency includes starting `ip` under the shim
# (its floor is measured first, on an empty gateway).
set -u

BUILD=${1:-build}
NPOL=${NPOL:-100000}
NSA=${NSA:-1000000}
NONE=${NONE:-1000}
MEM=${MEM:-4096}
XFRMGW=$BUILD/dataplane/xfrmgw
EXEC=$BUILD/netlink/shim/xfrmgw-exec
for b in "$XFRMGW" "$EXEC"; do
	[ -x "$b" ] || { echo "control.sh: no $b (build first)" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/xfrmgw-bench-control.XXXXXX)
SOCK=$TMP/xfrm.sock
GW_PID=
READER_PID=
cleanup() {
	[ -n "$READER_PID" ] && kill "$READER_PID" 2>/dev/null
	[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

x() { "$EXEC" --ctl "$SOCK" "$@"; }
now_ns() { date +%s%N; }
ms_since() { echo "scale=1; ($(now_ns) - $1) / 1000000" | bc; }
# percentiles of a file of numbers (ms): "p50 X p99 Y max Z (n N)"
pct() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (!NR) { print "none"; exit }
		i50 = int(NR * 0.50); if (i50 < 1) i50 = 1
		i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
		printf "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n %d)", v[i50], v[i99], v[NR], NR }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$GW_PID/status"; }
# the gateway's CPU time (user + system), ms: what a step cost it, whatever the load
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / hz }' "/proc/$GW_PID/stat"; }
cpu_since() { echo "scale=1; $(cpu_ms) - $1" | bc; }
check() { # target check: name value limit
	if [ "$(echo "$2 <= $3" | bc)" = 1 ]; then echo "    -> target <= $3: met"; else
		echo "    -> target <= $3: MISSED by $(echo "scale=1; $2 - $3" | bc)"; fi
}

echo "# bench/control.sh $(date -u +%FT%TZ) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg); NPOL=$NPOL NSA=$NSA NONE=$NONE -m $MEM"

# ---- the inputs ----
awk -v n="$NPOL" -v base=0 -f /dev/stdin > "$TMP/pol.batch" <<'EOF'
BEGIN { for (i = base; i < base + n; i++)
	printf "xfrm policy add src 10.%d.%d.0/24 dst 11.%d.%d.0/24 dir out priority %d " \
	       "tmpl src 192.0.2.1 dst 198.51.%d.%d proto esp reqid %d mode tunnel\n",
	       int(i / 256) % 256, i % 256, int(i / 65536), int(i / 256) % 256, 1000 + i % 7,
	       int(i / 256) % 256, i % 256, i + 1 }
EOF
awk -v n="$NPOL" -v base="$NPOL" -f /dev/stdin > "$TMP/pol2.batch" <<'EOF'
BEGIN { for (i = base; i < base + n; i++)
	printf "xfrm policy add src 12.%d.%d.0/24 dst 13.%d.%d.0/24 dir fwd priority 100 " \
	       "tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid %d mode tunnel\n",
	       int(i / 256) % 256, i % 256, int(i / 65536), int(i / 256) % 256, i + 1 }
EOF
awk -v n="$NSA" -f /dev/stdin > "$TMP/sa.batch" <<'EOF'
BEGIN { for (i = 0; i < n; i++)
	printf "xfrm state add src 192.0.2.1 dst 198.51.%d.%d proto esp spi 0x%x reqid %d " \
	       "mode tunnel aead rfc4106(gcm(aes)) 0x%08x0102030405060708090a0b0c0d0e0f10 128\n",
	       int(i / 256) % 256, i % 256, 4096 + i, i + 1, i }
EOF

# ---- the gateway ----
"$XFRMGW" --no-huge --in-memory -m "$MEM" --no-pci --file-prefix "xfrmgw-bench-$$" -l 0 \
	-- --ctl "$SOCK" > "$TMP/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 200); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || { echo "gateway did not start:"; cat "$TMP/gateway.log"; exit 1; }
RSS0=$(rss_kb)

# floor: one `ip` under the shim against an empty gateway
: > "$TMP/floor"
for _ in $(seq 30); do t=$(now_ns); x ip xfrm state count > /dev/null; ms_since "$t" >> "$TMP/floor"; done
echo "floor: one 'xfrmgw-exec ip xfrm state count' on an empty gateway: $(pct "$TMP/floor")"

# ---- policies ----
t=$(now_ns); c=$(cpu_ms)
x ip -batch "$TMP/pol.batch" || { echo "policy batch failed"; exit 1; }
T=$(ms_since "$t")
echo "$NPOL policies by ip -batch: $T ms, gateway CPU $(cpu_since "$c") ms ($(x ip xfrm policy count | tr '\n' ' '))"
check "" "$(echo "scale=3; $T / 1000" | bc)" 2

sel="src 10.200.0.0/24 dst 11.200.0.0/24 dir out"
: > "$TMP/one_add"; : > "$TMP/one_del"
for i in $(seq 20); do
	t=$(now_ns); x ip xfrm policy add $sel priority 5 || exit 1; ms_since "$t" >> "$TMP/one_add"
	t=$(now_ns); x ip xfrm policy delete $sel || exit 1; ms_since "$t" >> "$TMP/one_del"
done
echo "one 'ip xfrm policy add' at $NPOL policies (whole command): $(pct "$TMP/one_add")"
echo "one 'ip xfrm policy delete' at $NPOL policies (whole command): $(pct "$TMP/one_del")"

t=$(now_ns); c=$(cpu_ms)
for i in $(seq "$NONE"); do
	x ip xfrm policy add src 14.$((i / 256)).$((i % 256)).0/24 dst 15.0.0.0/24 dir in \
		priority 50 || exit 1
done
T=$(ms_since "$t")
echo "$NONE one-by-one 'ip xfrm policy add' at $NPOL: $T ms, gateway CPU $(cpu_since "$c") ms"
check "" "$(echo "scale=3; $T / 1000" | bc)" 10

# state get from another client while NPOL more policies go in
x ip xfrm state add src 192.0.2.9 dst 198.51.100.9 proto esp spi 0x77 reqid 77 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 || exit 1
: > "$TMP/get_busy"
(
	while :; do
		t=$(now_ns)
		x ip xfrm state get src 192.0.2.9 dst 198.51.100.9 proto esp spi 0x77 > /dev/null ||
			echo "state get failed" >&2
		ms_since "$t" >> "$TMP/get_busy"
	done
) &
READER_PID=$!
t=$(now_ns); c=$(cpu_ms)
x ip -batch "$TMP/pol2.batch" || { echo "second policy batch failed"; exit 1; }
T=$(ms_since "$t"); C=$(cpu_since "$c")
kill "$READER_PID" 2>/dev/null; wait "$READER_PID" 2>/dev/null; READER_PID=
echo "$NPOL more policies by ip -batch (at $NPOL..$((2 * NPOL))): $T ms, gateway CPU $C ms (with the gets)"
echo "'ip xfrm state get' from another client meanwhile: $(pct "$TMP/get_busy")"
x ip xfrm state flush

# ---- SAs ----
RSS1=$(rss_kb)
t=$(now_ns); c=$(cpu_ms)
x ip -batch "$TMP/sa.batch" || echo "SA batch failed (the figures below are at what went in)"
T=$(ms_since "$t")
RSS2=$(rss_kb)
echo "$NSA SAs by ip -batch: $T ms, gateway CPU $(cpu_since "$c") ms ($(x ip xfrm state count | tr '\n' ' '))"
NSA=$(x ip xfrm state count | awk '{ print $NF }')
check "" "$(echo "scale=3; $T / 1000" | bc)" 10
echo "gateway RSS: $((RSS0 / 1024)) MB at start, $((RSS1 / 1024)) MB before the SAs, $((RSS2 / 1024)) MB after: $(( (RSS2 - RSS1) * 1024 / NSA )) B per SA (with its AES-GCM transform)"

: > "$TMP/count"; : > "$TMP/get"
for _ in $(seq 20); do
	t=$(now_ns); x ip xfrm state count > /dev/null; ms_since "$t" >> "$TMP/count"
	i=$((RANDOM * 32768 % NSA + RANDOM % NSA)); i=$((i % NSA))
	t=$(now_ns)
	x ip xfrm state get src 192.0.2.1 dst 198.51.$((i / 256 % 256)).$((i % 256)) proto esp \
		spi $((4096 + i)) > /dev/null || echo "state get $i failed"
	ms_since "$t" >> "$TMP/get"
done
echo "'ip xfrm state count' at $NSA: $(pct "$TMP/count")"
echo "random 'ip xfrm state get' at $NSA: $(pct "$TMP/get")"
t=$(now_ns)
N=$(x ip xfrm state list | grep -c '^src ')
echo "'ip xfrm state list' at $NSA: $(ms_since "$t") ms, $N SAs listed"
[ "$N" = "$NSA" ] || echo "    -> dump MISSED: $N of $NSA"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
