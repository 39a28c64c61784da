#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A running gateway (control plane only, default sad max) takes more than
# 65,536 SAs from `xfrmgw-exec ip -batch`: every one is counted, the last one
# is found by `state get`, a full dump lists each exactly once (pagination),
# and a policy batch at the same time goes in whole. Not timed.
#
# usage: test_gw_sad_scale.sh XFRMGW_EXEC XFRMGW_BINARY
set -u
EXEC=${1:?usage: test_gw_sad_scale.sh XFRMGW_EXEC XFRMGW_BINARY}
GW=${2:?}
N=${N:-70000}
TMP=$(mktemp -d /tmp/xfrmgw-sad-scale.XXXXXX)
SOCK=$TMP/xfrm.sock
GW_PID=
cleanup() {
	[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
[ -x "$GW" ] || { echo "SKIP: no gateway binary at $GW"; exit 77; }

pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1"; fail=$((fail + 1)); }
X() { timeout 850 "$EXEC" --ctl "$SOCK" "$@"; }

timeout 880 "$GW" --no-huge --in-memory -m 1024 --no-pci --file-prefix "xfrmgw-sadscale-$$" \
	-l 0 -- --ctl "$SOCK" > "$TMP/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || { echo "gateway did not start:"; cat "$TMP/gateway.log"; exit 1; }

# distinct (daddr, spi) and templates; the key varies with the SA
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "xfrm state add src 192.0.2.1 dst 198.51.%d.%d proto esp spi 0x%x reqid %d " \
	       "mode tunnel aead rfc4106(gcm(aes)) 0x%08x0102030405060708090a0b0c0d0e0f10 128\n",
	       int(i / 256) % 256, i % 256, 4096 + i, i + 1, i }' > "$TMP/sa.batch"
awk 'BEGIN { for (i = 0; i < 5000; i++)
	printf "xfrm policy add src 10.%d.%d.0/24 dst 11.%d.%d.0/24 dir out priority %d " \
	       "tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid %d mode tunnel\n",
	       int(i / 256), i % 256, int(i / 256), i % 256, i % 3, i + 1 }' > "$TMP/pol.batch"

X ip -batch "$TMP/pol.batch" > "$TMP/pol.out" 2>&1 &
POL=$!
if X ip -batch "$TMP/sa.batch" > "$TMP/out" 2>&1; then ok "$N SAs by ip -batch"; else
	not_ok "ip -batch of $N SAs: $(head -3 "$TMP/out")"; fi
if wait "$POL"; then ok "5000 policies by ip -batch meanwhile"; else
	not_ok "policy batch: $(head -3 "$TMP/pol.out")"; fi

X ip xfrm state count > "$TMP/count"
grep -q "SAD count $N\$" "$TMP/count" && ok "state count is $N" ||
	not_ok "state count: $(cat "$TMP/count")"
X ip xfrm policy count > "$TMP/pcount"
grep -q "OUT 5000 " "$TMP/pcount" && ok "policy count is 5000" ||
	not_ok "policy count: $(cat "$TMP/pcount")"

last=$((N - 1))
X ip xfrm state get src 192.0.2.1 dst 198.51.$((last / 256 % 256)).$((last % 256)) proto esp \
	spi $((4096 + last)) > "$TMP/get" 2>&1
grep -q "reqid $N " "$TMP/get" && ok "SA number $N found by state get" ||
	not_ok "state get of the last SA: $(head -3 "$TMP/get")"

X ip xfrm state list > "$TMP/list"
listed=$(grep -c '^src ' "$TMP/list")
unique=$(grep -o 'spi 0x[0-9a-f]*' "$TMP/list" | sort -u | wc -l)
[ "$listed" = "$N" ] && [ "$unique" = "$N" ] && ok "dump lists $N SAs, each once" ||
	not_ok "dump listed $listed SAs, $unique distinct, of $N"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
