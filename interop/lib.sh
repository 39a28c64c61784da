# SPDX-License-Identifier: BSD-3-Clause
# interop/lib.sh — sourced by topology.sh, demo.sh and the interop scenarios.
#
# The topology (network namespaces, all on one machine):
#
#   lanE 10.1.0.2 --- east --- [nat] --- west --- lanW 10.2.0.2
#                  10.1.0.1   192.0.2.1  192.0.2.2  10.2.0.1
#
# east is xfrmgw with strongSwan charon under xfrmgw-exec; west is charon with
# kernel-libipsec (userspace ESP on a TUN device) or, for gateway-to-gateway
# scenarios, a second xfrmgw with its own charon. With the nat variant, west
# sits behind a masquerading router:
#
#   west 172.16.0.2 --- nat 172.16.0.1 | 192.0.2.254 (masquerade) --- 192.0.2.1 east
#
# Every charon runs in its own mount namespace with a private /run, its own
# strongswan.conf (STRONGSWAN_CONF) and its vici socket in the run directory.
# Every xfrmgw runs with its own --file-prefix and control socket. Only PIDs
# started here are killed; every command is bounded by timeout. Namespaces,
# processes, checks, waits and the gateway's start and stop are those of
# tests/lib/netns.sh (XI_PIDS is its NETNS_PIDS: "node:kind:pid").
#
# Settings (environment):
#   XI_BUILD   build directory (default: build)
#   XI_PREFIX  namespace name prefix (default xi<pid>)
#   XI_RUN     run directory for configs and logs (default: a fresh mktemp -d)
#   XI_KEEP=1  keep the run directory (logs) after cleanup;
#   XI_KEEP_ON_FAIL=1  only when the run failed
#   XI_GW      the xfrmgw binary (default: $XI_BUILD/dataplane/xfrmgw)
#   XI_GW_TELEMETRY  EAL option replacing --no-telemetry (e.g. to query
#              /xfrmgw/stats on /run/dpdk/<prefix>-east/dpdk_telemetry.v2)
#   XI_HOLD=S  (suite.sh) keep the topology up S seconds after the scenario
#   XI_VERBOSE=1  print every check's output, not only the failures'
#   XI_EAST_MODE  gateway (default): east's addresses live on xfrmgw ports and
#              IKE reaches charon through the TAP exception path;
#              kernel: east's kernel owns the addresses (veths), xfrmgw is
#              control plane only (SAs are installed but carry no traffic)

XI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$XI_DIR/../tests/lib/netns.sh"
declare -n XI_PIDS=NETNS_PIDS
XI_BUILD=${XI_BUILD:-build}
XI_BUILD=$(cd "$XI_BUILD" 2>/dev/null && pwd || echo "$XI_BUILD")
XI_PREFIX=${XI_PREFIX:-xi$$}
XI_EAST_MODE=${XI_EAST_MODE:-gateway}
XI_PY=$NETNS_PY
XI_GW=${XI_GW:-$XI_BUILD/dataplane/xfrmgw}
XI_EXEC=$XI_BUILD/netlink/shim/xfrmgw-exec
NETNS_GW=$XI_GW NETNS_EXEC=$XI_EXEC
XI_CTL=$XI_BUILD/tools/xfrmgw-ctl
XI_CHARON=/usr/lib/ipsec/charon
XI_PSK=${XI_PSK:-interop-psk-0123456789abcdef}

xi_ns() { echo "$XI_PREFIX-$1"; }
xi_in() { local n=$1; shift; ip netns exec "$(xi_ns "$n")" "$@"; }

xi_log() { echo "[$(date +%T)] $*"; }
xi_die() { echo "FAIL: $*" >&2; exit 1; }

# ---------------------------------------------------------------- checks --
xi_ok() { netns_ok "$@"; }
xi_not_ok() { netns_not_ok "$@"; }
# xi_check NAME COMMAND...: run COMMAND; its output shown on failure (and
# with XI_VERBOSE or XI_SHOW on success too)
xi_check() { NETNS_VERBOSE="${XI_VERBOSE:-}${XI_SHOW:-}" netns_check "$@"; }
xi_summary() { printf '# '; netns_summary; }

# xi_true 'SHELL CODE': evaluate in this shell (functions and the caller's
# locals visible): for compound conditions given to xi_check and xi_wait
xi_true() { eval "$1"; }

# xi_wait SECONDS COMMAND...: poll COMMAND every 0.2 s
xi_wait() { netns_wait "$@"; }

xi_require() {
	[ "$(id -u)" = 0 ] || xi_die "needs root (network namespaces)"
	local m=""
	[ -x "$XI_CHARON" ] || m="$m strongswan-charon"
	command -v swanctl >/dev/null || m="$m strongswan-swanctl"
	[ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || m="$m libcharon-extra-plugins"
	command -v nft >/dev/null || m="$m nftables"
	command -v conntrack >/dev/null || m="$m conntrack"
	command -v tcpdump >/dev/null || m="$m tcpdump"
	# veths must hand xfrmgw's af_packet ports complete checksums
	command -v ethtool >/dev/null || m="$m ethtool"
	[ -x "$XI_PY" ] || m="$m python3"
	[ -z "$m" ] || xi_die "missing packages:$m (run: sh tools/install-deps.sh$m)"
	[ -x "$XI_GW" ] || xi_die "no gateway at $XI_GW (build first: make build)"
	[ -x "$XI_EXEC" ] || xi_die "no xfrmgw-exec at $XI_EXEC"
	[ -x "$XI_CTL" ] || xi_die "no xfrmgw-ctl at $XI_CTL"
}

# -------------------------------------------------------------- topology --
# xi_topology_create [plain|nat] [EAST_KIND WEST_KIND]
#   kinds: gateway (addresses on xfrmgw ports: the veths stay bare),
#          kernel (addresses on the veths), libipsec (= kernel)
xi_topology_create() {
	local variant=${1:-plain} ek=${2:-$XI_EAST_MODE} wk=${3:-libipsec}
	local n
	XI_VARIANT=$variant
	for n in lanE east west lanW; do xi_ns_add $n; done
	[ "$variant" = nat ] && xi_ns_add nat
	netns_veth "$(xi_ns east)" e-lan "$(xi_ns lanE)" lan0
	netns_veth "$(xi_ns west)" w-lan "$(xi_ns lanW)" lan0
	if [ "$variant" = nat ]; then
		netns_veth "$(xi_ns east)" e-wan "$(xi_ns nat)" n-e
		netns_veth "$(xi_ns west)" w-wan "$(xi_ns nat)" n-w
	else
		netns_veth "$(xi_ns east)" e-wan "$(xi_ns west)" w-wan
	fi
	for n in lanE east west lanW ${variant/plain/}; do
		ip -n "$(xi_ns $n)" link set lo up
		xi_in $n sysctl -qw net.ipv4.ip_forward=1
		# every link, the gateways' ends and lo too, as the scenarios were measured
		for l in $(ip -n "$(xi_ns $n)" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
			netns_link_up "$(xi_ns $n)" "$l"
		done
	done
	ip -n "$(xi_ns lanE)" addr add 10.1.0.2/24 dev lan0
	ip -n "$(xi_ns lanE)" route add default via 10.1.0.1
	ip -n "$(xi_ns lanW)" addr add 10.2.0.2/24 dev lan0
	ip -n "$(xi_ns lanW)" route add default via 10.2.0.1
	if [ "$ek" != gateway ]; then
		ip -n "$(xi_ns east)" addr add 10.1.0.1/24 dev e-lan
		ip -n "$(xi_ns east)" addr add 192.0.2.1/24 dev e-wan
	fi
	if [ "$wk" != gateway ]; then
		ip -n "$(xi_ns west)" addr add 10.2.0.1/24 dev w-lan
		if [ "$variant" = nat ]; then
			ip -n "$(xi_ns west)" addr add 172.16.0.2/24 dev w-wan
			ip -n "$(xi_ns west)" route add default via 172.16.0.1
		else
			ip -n "$(xi_ns west)" addr add 192.0.2.2/24 dev w-wan
		fi
	fi
	if [ "$variant" = nat ]; then
		ip -n "$(xi_ns nat)" addr add 192.0.2.254/24 dev n-e
		ip -n "$(xi_ns nat)" addr add 172.16.0.1/24 dev n-w
		xi_nat_rules 40000-40999
	fi
}

# xi_nat_rules PORTRANGE: (re)load the masquerade of west's side behind 192.0.2.254
xi_nat_rules() {
	xi_in nat nft -f - <<EOF
table ip xinat
delete table ip xinat
table ip xinat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "n-e" ip saddr 172.16.0.0/24 meta l4proto udp masquerade to :$1
		oifname "n-e" ip saddr 172.16.0.0/24 masquerade
	}
}
EOF
}

xi_ns_add() { netns_add "$(xi_ns "$1")" || xi_die "cannot create namespace $(xi_ns "$1")"; }

# what ran inside the namespaces goes first, newest first
xi_topology_destroy() { netns_cleanup; }

# ---------------------------------------------------------------- xfrmgw --
# xi_gw_conf NODE: the xfrmgw configuration of a gateway-kind node
xi_gw_conf() {
	local node=$1 d=$XI_RUN/$1 wan lan wanip lanip lanpfx peerlan peer
	mkdir -p "$d"
	if [ "$node" = east ]; then
		wan=e-wan lan=e-lan wanip=192.0.2.1/24 lanip=10.1.0.1/24 peerlan=10.2.0.0/24 peer=192.0.2.2
	else
		wan=w-wan lan=w-lan wanip=192.0.2.2/24 lanip=10.2.0.1/24 peerlan=10.1.0.0/24 peer=192.0.2.1
	fi
	[ "$XI_VARIANT" = nat ] && [ "$node" = east ] && peer=192.0.2.254
	sed -e "s|@WAN@|$wan|g" -e "s|@LAN@|$lan|g" -e "s|@WANIP@|$wanip|g" \
	    -e "s|@LANIP@|$lanip|g" -e "s|@PEERLAN@|$peerlan|g" -e "s|@PEER@|$peer|g" \
	    -e "s|@LANOPTS@|${XI_GW_LANOPTS:-}|g" \
	    "$XI_DIR/conf/xfrmgw.conf.in" > "$d/xfrmgw.conf"
	# XI_GW_EXTRA: more directives (one per line; @PEERLAN@ filled), e.g. an XFRM interface
	[ -z "${XI_GW_EXTRA:-}" ] ||
		printf '%s\n' "$XI_GW_EXTRA" | sed -e "s|@PEERLAN@|$peerlan|g" >> "$d/xfrmgw.conf"
}

# xi_gw_start NODE gateway|kernel: xfrmgw in NODE's namespace
xi_gw_start() {
	local node=$1 kind=$2 d=$XI_RUN/$1 cfg=()
	mkdir -p "$d"
	rm -f "$d/xfrm.sock"
	if [ "$kind" = gateway ]; then
		xi_gw_conf "$node"
		cfg=(--config "$d/xfrmgw.conf")
	fi
	NETNS_GW_TIMEOUT=${XI_GW_TIMEOUT:-600} NETNS_GW_TELEMETRY=${XI_GW_TELEMETRY:-} \
		netns_gw_start "$node:xfrmgw" "$(xi_ns "$node")" "$d/xfrmgw.log" "$XI_PREFIX-$node" \
		"$d/xfrm.sock" "${cfg[@]}" >&2 || return 1
	[ "$kind" = gateway ] || return 0
	# The packet path creates the TAP and gives it the port's address.
	if ! xi_wait 20 sh -c "ip -n $(xi_ns "$node") -4 addr show dev xgw-wan 2>/dev/null | grep -q inet"; then
		echo "xfrmgw on $node runs but has no TAP xgw-wan carrying its WAN address:" >&2
		echo "  the packet path (ports, TAP exception path) is not running in this build of" >&2
		echo "  $XI_GW (is dataplane/gw wired into dataplane/main.c?)." >&2
		sed 's/^/  xfrmgw: /' "$d/xfrmgw.log" >&2
		return 1
	fi
	return 0
}

xi_gw_ctl() { local n=$1; shift; timeout 20 "$XI_CTL" --ctl "$XI_RUN/$n/xfrm.sock" "$@"; }
xi_gw_ip() { local n=$1; shift; NETNS_CTL_TIMEOUT=20 netns_ctl "$XI_RUN/$n/xfrm.sock" ip "$@"; }

# ---------------------------------------------------------------- charon --
# xi_charon_conf NODE KIND key=value...: strongswan.conf and swanctl.conf.
# KIND: libipsec (kernel-libipsec) or shim (kernel-netlink through xfrmgw-exec).
# Every @key@ in conf/*.in is filled from this table (defaults below);
# key=value arguments override it. Notable keys: esp, ah (AH instead of
# ESP), mode, local/remote (IKE addresses), local_ts/remote_ts, rekey_time,
# life_time, rand_time, rekey_packets, life_packets, rand_packets, ike_rekey, ike_rand, ike_over,
# dpd, dpd_action, keyingtries, encap, mobike, retrans, keepalive.
xi_charon_conf() {
	local node=$1 kind=$2 d=$XI_RUN/$1 kv k txt
	shift 2
	mkdir -p "$d"
	declare -A c=(
		[esp]=aes128gcm16 [ah]="" [mode]=tunnel [rekey_time]=1h [life_time]=0
		[rand_time]=0 [rekey_packets]=0 [life_packets]=0 [rand_packets]=0
		[ike]=aes128-sha256-modp2048 [ike_rekey]=4h [ike_rand]=0 [ike_over]=1h [mobike]=no
		[dpd]=0s [dpd_action]=clear [close_action]=none [keyingtries]=1
		[encap]=no [start]=none [retrans]=2.0 [keepalive]=20s [psk]=$XI_PSK
		[if_id_in]=0 [if_id_out]=0 [mark_in]=0/0 [mark_out]=0/0 [set_mark_in]=0/0
	)
	if [ "$node" = east ]; then
		c[local]=192.0.2.1 c[remote]=192.0.2.2 c[local_ts]=10.1.0.0/24 c[remote_ts]=10.2.0.0/24
		c[id]=east c[peer_id]=west
	else
		c[local]=192.0.2.2 c[remote]=192.0.2.1 c[local_ts]=10.2.0.0/24 c[remote_ts]=10.1.0.0/24
		c[id]=west c[peer_id]=east
	fi
	if [ "${XI_VARIANT:-plain}" = nat ]; then
		[ "$node" = east ] && c[remote]=%any
		[ "$node" = west ] && c[local]=172.16.0.2
	fi
	for kv in "$@"; do c[${kv%%=*}]=${kv#*=}; done
	c[plugins]="random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 kdf drbg vici socket-default"
	if [ "$kind" = libipsec ]; then
		c[plugins]="${c[plugins]} kernel-libipsec kernel-netlink"
		c[routes]=yes	# kernel-libipsec routes the remote subnet to its TUN device
	else
		c[plugins]="${c[plugins]} kernel-netlink"
		c[routes]=no	# xfrmgw's SPD steers the traffic
	fi
	c[run]=$d
	c[proposals]="esp_proposals = ${c[esp]}"
	[ -n "${c[ah]}" ] && c[proposals]="ah_proposals = ${c[ah]}"
	for f in strongswan swanctl; do
		txt=$(cat "$XI_DIR/conf/$f.conf.in")
		for k in "${!c[@]}"; do txt=${txt//@$k@/${c[$k]}}; done
		if [[ $txt =~ @[a-z_]+@ ]]; then
			echo "xi_charon_conf: $f.conf.in: no value for ${BASH_REMATCH[0]}" >&2
			return 1
		fi
		printf '%s\n' "$txt" > "$d/$f.conf"
	done
	echo "$kind" > "$d/charon.kind"
}

# xi_charon_reload NODE KIND key=value...: rewrite swanctl.conf and load it
xi_charon_reload() {
	xi_charon_conf "$@" || return 1
	xi_swanctl "$1" --load-all --clear --file "$XI_RUN/$1/swanctl.conf" > "$XI_RUN/$1/load.out" 2>&1 \
		|| { cat "$XI_RUN/$1/load.out"; return 1; }
}

# xi_charon_start NODE: start charon (configured by xi_charon_conf) and load the connection
xi_charon_start() {
	local node=$1 d=$XI_RUN/$1 kind wrap=""
	kind=$(cat "$d/charon.kind")
	[ "$kind" = shim ] && wrap="'$XI_EXEC' --ctl '$d/xfrm.sock'"
	rm -f "$d/charon.vici" "$d/charon.log"
	# ip netns exec already unshares the mount namespace: a private tmpfs on
	# /run hides the other instances' charon.pid and sockets.
	xi_spawn "$node" charon "$d/charon.out" env STRONGSWAN_CONF="$d/strongswan.conf" \
		timeout "${XI_CHARON_TIMEOUT:-600}" unshare -m --propagation private sh -c \
		"mount -t tmpfs none /run && exec $wrap $XI_CHARON"
	echo "$XI_LASTPID" > "$d/charon.pid"
	if ! xi_wait 20 test -S "$d/charon.vici"; then
		echo "charon on $node did not start:" >&2
		sed 's/^/  /' "$d/charon.out" >&2
		return 1
	fi
	xi_swanctl "$node" --load-all --file "$d/swanctl.conf" >"$d/load.out" 2>&1 || {
		echo "swanctl --load-all on $node failed:" >&2
		sed 's/^/  /' "$d/load.out" >&2
		return 1
	}
}

xi_charon_stop() { xi_stop "$1:charon"; }

# xi_sas NODE: swanctl --list-sas --raw (one line per IKE_SA, vici names)
xi_sas() { xi_swanctl "$1" --list-sas --raw 2>/dev/null; }

xi_swanctl() {
	local node=$1
	shift
	STRONGSWAN_CONF=$XI_DIR/conf/swanctl-client.conf \
		timeout 30 swanctl "$@" --uri "unix://$XI_RUN/$node/charon.vici"
}

# xi_initiate NODE [CHILD]: bring the CHILD_SA up (IKE_SA too), bounded
xi_initiate() {
	xi_swanctl "$1" --initiate --child "${2:-net}" --timeout 20 > "$XI_RUN/$1/initiate.out" 2>&1 || {
		echo "swanctl --initiate on $1 failed:"
		tail -n 25 "$XI_RUN/$1/initiate.out"
		return 1
	}
}

# xi_sa_field NODE FIELD: the first CHILD_SA's FIELD (vici name: bytes-in,
# packets-out, spi-in, state, encap, esn...) from swanctl --list-sas --raw
xi_sa_field() {
	xi_swanctl "$1" --list-sas --raw 2>/dev/null \
		| sed -n "s/.*child-sas {[^{]*{\(.*\)/\1/p" | grep -o " $2=[^ ]*" | head -1 | cut -d= -f2
}

# xi_child_installed NODE: a CHILD_SA in state INSTALLED
xi_child_installed() {
	xi_swanctl "$1" --list-sas --raw 2>/dev/null | grep -q "child-sas {.*state=INSTALLED"
}

xi_counters() {	# xi_counters NODE: "in BYTES/PACKETS out BYTES/PACKETS" of its CHILD_SA
	local raw
	raw=$(xi_swanctl "$1" --list-sas --raw 2>/dev/null | sed -n 's/.*child-sas {//p')
	echo "in $(echo "$raw" | grep -o ' bytes-in=[0-9]*' | head -1 | cut -d= -f2)/$(echo "$raw" \
		| grep -o ' packets-in=[0-9]*' | head -1 | cut -d= -f2)" \
	     "out $(echo "$raw" | grep -o ' bytes-out=[0-9]*' | head -1 | cut -d= -f2)/$(echo "$raw" \
		| grep -o ' packets-out=[0-9]*' | head -1 | cut -d= -f2)"
}

# ------------------------------------------------------------- traffic --
xi_traffic() { local n=$1; shift; xi_in "$n" timeout 120 "$XI_PY" "$XI_DIR/traffic.py" "$@"; }

# xi_bg NODE NAME COMMAND...: a background helper we own (killed at cleanup);
# its PID is in XI_BG_NAME and its output in $XI_RUN/NAME.out
xi_bg() {
	local node=$1 name=$2
	shift 2
	xi_spawn "$node" "$name" "$XI_RUN/$name.out" timeout 300 "$@"
	eval "XI_BG_$name=$XI_LASTPID"
}

# ------------------------------------------------------------- processes --
# xi_spawn NODE TAG LOG COMMAND...: COMMAND in NODE's namespace, in the
# background, recorded as NODE:TAG ($XI_LASTPID is the command itself)
xi_spawn() {
	local node=$1 tag=$2 log=$3
	shift 3
	netns_spawn "$node:$tag" "$(xi_ns "$node")" "$log" "$@"
	XI_LASTPID=$NETNS_LASTPID
}

# xi_kill PID [NAME]: SIGTERM, then SIGKILL after 5 s (netns_kill)
xi_kill() { netns_kill "$@"; XI_KILL_STATUS=$NETNS_KILL_STATUS; }

# xi_gw_stop NODE: stop NODE's charon, then its xfrmgw; 0 when xfrmgw exited
# with status 0 on SIGTERM (not a crash, not the SIGKILL fallback)
xi_gw_stop() {
	local e found=0
	for e in "${XI_PIDS[@]}"; do [ "${e%:*}" = "$1:xfrmgw" ] && found=1; done
	[ $found = 1 ] || { echo "no xfrmgw running on $1"; return 1; }
	xi_stop "$1:charon"
	netns_gw_stop "$1:xfrmgw" && return 0
	tail -n 5 "$XI_RUN/$1/xfrmgw.log"
	return 1
}

# xi_stop NODE:TAG: stop what was started under that name (newest first)
xi_stop() { netns_stop "$1"; }

# xi_crash NODE:TAG: SIGKILL what was started under that name (a crash: no
# clean shutdown, no IKE DELETE)
xi_crash() { netns_crash "$1"; }

# ------------------------------------------------------------- cleanup --
xi_cleanup() {
	local rc=$?
	trap - EXIT
	trap '' INT TERM	# a second Ctrl-C must not cut the cleanup short
	# newest first: charon before the xfrmgw it talks to
	xi_topology_destroy
	if [ -n "${XI_KEEP:-}" ] || { [ "${XI_KEEP_ON_FAIL:-}" = 1 ] && [ "$rc" != 0 ]; }; then
		echo "logs kept in $XI_RUN"
	elif [ -n "${XI_RUN_OWNED:-}" ]; then
		rm -rf "$XI_RUN"
	fi
	return $rc
}

# xi_setup: run directory and traps; call once at the top of a script
xi_setup() {
	if [ -z "${XI_RUN:-}" ]; then
		XI_RUN=$(mktemp -d /tmp/xfrmgw-interop.XXXXXX)
		XI_RUN_OWNED=1
	fi
	mkdir -p "$XI_RUN"
	NETNS_TMP=$XI_RUN
	trap 'xi_cleanup' EXIT
	trap 'echo "interrupted: cleaning up"; exit 130' INT TERM
}

# xi_dump_logs NODE...: the end of every log of the nodes (on failure)
xi_dump_logs() {
	local n f
	for n in "$@"; do
		for f in "$XI_RUN/$n"/charon.log "$XI_RUN/$n"/charon.out "$XI_RUN/$n"/xfrmgw.log; do
			[ -s "$f" ] || continue
			echo "---- $n: ${f##*/} (last 30 lines)"
			tail -n 30 "$f"
		done
	done
}
