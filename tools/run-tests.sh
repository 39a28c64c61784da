#!/bin/sh
# Run the suite in the normal build, then in the sanitizer build (without the
# integration suite); print the CMocka output of every suite, then what passed,
# failed and skipped, suites and CMocka cases, each failure and skip by name
# (tools/test_summary.py). A skip fails the run unless tools/allowed-skips.txt
# or XFRMGW_ALLOW_SKIP allows it. The last line is
# "suites: N passed, N failed, N skipped".
# usage: run-tests.sh BUILD [BUILD_ASAN]
# environment: XFRMGW_ALLOW_SKIP  more skip patterns (docs/BUILDING.md)
#              XFRMGW_SKIP_LIST   the allow-list file (default tools/allowed-skips.txt)
set -u
here=$(cd "$(dirname "$0")" && pwd)
allow=${XFRMGW_SKIP_LIST:-$here/allowed-skips.txt}
status=0
logs=

run() {
	dir=$1
	shift
	echo "=== meson test -C $dir $*"
	# a stale log from an earlier run must not stand in for this one
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --print-errorlogs -v "$@" > "$dir/test-output.txt" 2>&1 || status=1
	cat "$dir/test-output.txt"
	cp "$dir/meson-logs/testlog.json" "$dir/test-results.json" 2>/dev/null \
		|| rm -f "$dir/test-results.json"
	logs="$logs $(basename "$dir")=$dir/test-results.json"
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
run "$1"
if [ $# -ge 2 ]; then
	run "$2" --no-suite integration
fi
echo "=== summary"
# shellcheck disable=SC2086	# $logs: LABEL=PATH words without blanks
/usr/bin/python3 "$here/test_summary.py" --allow "$allow" $logs || status=1
exit $status
