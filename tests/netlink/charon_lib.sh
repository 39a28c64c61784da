# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the shim tests that run strongSwan's charon under xfrmgw-exec,
# after gw_lib.sh (SOCK, and tests/lib/netns.sh's waits) and with TMP, EXEC,
# CHARON set and ok/not_ok defined by the test.
#
#   charon_conf              $TMP/strongswan.conf (vici socket and log in
#                            $TMP) and $TMP/swanctl.conf: one trap
#                            connection "trap", 10.1.0.0/16 === 10.2.0.0/16
#   charon_start [CMD...]    charon in its own mount and network namespace
#                            (own /run and ports) under xfrmgw-exec, CMD
#                            (e.g. timeout 60) in front; sets CHARON_PID and
#                            says ok/not_ok once its vici socket is up
#   charon_load [FILE]       swanctl --load-conns FILE ($TMP/swanctl.conf)
#                            into $TMP/swanctl.out; its status

charon_conf() {
	cat > "$TMP/strongswan.conf" <<EOC
charon {
  load = random nonce openssl aes sha1 sha2 hmac gcm kernel-netlink socket-default vici
  install_routes = no
  install_virtual_ip = no
  plugins {
    vici { socket = unix://$TMP/charon.vici }
  }
  filelog {
    log {
      path = $TMP/charon.log
      flush_line = yes
      default = 1
      knl = 2
      cfg = 1
    }
  }
}
EOC
	cat > "$TMP/swanctl.conf" <<EOC
connections {
  trap {
    local_addrs = 192.0.2.1
    remote_addrs = 192.0.2.2
    local {
      auth = psk
      id = a
    }
    remote {
      auth = psk
      id = b
    }
    children {
      net {
        local_ts = 10.1.0.0/16
        remote_ts = 10.2.0.0/16
        start_action = trap
        esp_proposals = aes128gcm16
      }
    }
  }
}
EOC
}

charon_start() {
	local inner="mount -t tmpfs none /run && ip link set lo up"

	STRONGSWAN_CONF=$TMP/strongswan.conf "$@" unshare -m -n \
		bash -c "$inner && exec '$EXEC' --ctl '$SOCK' $CHARON" \
		> "$TMP/charon.out" 2>&1 &
	CHARON_PID=$!
	netns_wait_for "$CHARON_PID" 10 test -S "$TMP/charon.vici" && ok "charon started under the shim" \
		|| { not_ok "charon start"; cat "$TMP/charon.out"; }
}

charon_load() {
	timeout 10 swanctl --load-conns --file "${1:-$TMP/swanctl.conf}" \
		--uri "unix://$TMP/charon.vici" > "$TMP/swanctl.out" 2>&1
}
