# xfrmgw — the two entry points are `make demo` and `make test`.
# Both install missing Debian packages first (as root, idempotent), then
# configure and build.

BUILD      ?= build
BUILD_ASAN ?= build-asan
MESON_OPTS ?=

# Debian 12 packages the build and the test suites need.
DEB_BUILD = meson ninja-build pkg-config gcc libc6-dev \
	libdpdk-dev dpdk libipsec-mb-dev libssl-dev libmnl-dev libcmocka-dev libpcap-dev
DEB_TEST  = python3-cryptography-vectors python3-cryptography python3-scapy \
	iproute2 nftables tcpdump procps psmisc \
	strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins \
	iperf3 python3-matplotlib conntrack ethtool
DEB_ALL   = $(DEB_BUILD) $(DEB_TEST)

.PHONY: all deps build build-asan test test-unit test-asan demo bench clean

all: build

deps:
	@sh tools/install-deps.sh $(DEB_ALL)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

$(BUILD_ASAN)/build.ninja:
	meson setup $(BUILD_ASAN) -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-asan: deps $(BUILD_ASAN)/build.ninja
	ninja -C $(BUILD_ASAN)

# The whole suite, then the same suite under ASan+UBSan.
test: build build-asan
	sh tools/run-tests.sh $(BUILD) $(BUILD_ASAN)

test-unit: build
	meson test -C $(BUILD) --print-errorlogs

# The main job: xfrmgw and strongSwan bring up an IPsec tunnel in network
# namespaces and carry traffic through it (interop/demo.sh).
demo: build
	bash interop/demo.sh $(BUILD)

# The standard benchmark set (crypto, data path, end to end), under 10 minutes.
bench: build
	sh tools/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
