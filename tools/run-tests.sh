#!/bin/sh
# Run the suite in the normal build, then in the sanitizer build; print the
# CMocka output of every suite and one summary line for the whole run.
# usage: run-tests.sh BUILD [BUILD_ASAN]
set -u
total_ok=0
total_fail=0
status=0

run() {
	dir=$1
	shift
	echo "=== meson test -C $dir $*"
	meson test -C "$dir" --print-errorlogs -v "$@" > "$dir/test-output.txt" 2>&1
	rc=$?
	cat "$dir/test-output.txt"
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$dir/test-output.txt" | tail -1)
	fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$dir/test-output.txt" | tail -1)
	to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$dir/test-output.txt" | tail -1)
	total_ok=$((total_ok + ${ok:-0}))
	total_fail=$((total_fail + ${fail:-0} + ${to:-0}))
	[ $rc -ne 0 ] && status=1
	[ -z "$ok" ] && status=1
	return 0
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
run "$1"
if [ $# -ge 2 ]; then
	run "$2" --no-suite integration
fi
echo "suites: $total_ok passed, $total_fail failed"
exit $status
