#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tools/run-tests.sh cannot let the suite shrink silently: a throwaway meson
# project in a temporary directory, built twice (the second build stands in
# for the ASan one, run with --no-suite integration), has
#   passes  a script suite whose second check says "# SKIP"
#   skips   a script suite that exits 77 (suite 'integration')
#   cases   a CMocka suite with one case that passes, one that calls skip()
#           and one that fails when DEMO_FAIL is set
# and the runner must fail on each skip until the allow-list file or
# XFRMGW_ALLOW_SKIP names it, count suites and cases, and name every skip
# and failure.
#
# usage: test_run_tests.sh PATH/TO/tools/run-tests.sh
set -u
RUNNER=$(readlink -f "${1:?usage: test_run_tests.sh PATH/TO/run-tests.sh}")
TMP=$(mktemp -d /tmp/xfrmgw-run-tests.XXXXXX)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
unset XFRMGW_ALLOW_SKIP DEMO_FAIL
. "$(dirname "$0")/../lib/netns.sh"	# check
NETNS_TMP=$TMP

P=$TMP/proj
mkdir -p "$P"
cat > "$P/meson.build" <<'EOF'
project('skipdemo', 'c')
cmocka = dependency('cmocka')
test('passes', find_program('passes.sh'))
test('skips', find_program('skips.sh'), suite : 'integration')
test('cases', executable('cases', 'cases.c', dependencies : cmocka))
EOF
printf '#!/bin/sh\necho "ok - first"\necho "ok - second # SKIP no widget here"\n' > "$P/passes.sh"
printf '#!/bin/sh\necho "SKIP: no frobnicator"\nexit 77\n' > "$P/skips.sh"
chmod +x "$P/passes.sh" "$P/skips.sh"
cat > "$P/cases.c" <<'EOF'
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

static void test_runs(void **state) { (void)state; assert_int_equal(1 + 1, 2); }
static void test_skipped(void **state) { (void)state; skip(); }
static void test_maybe_fails(void **state) { (void)state; assert_null(getenv("DEMO_FAIL")); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_skipped),
		cmocka_unit_test(test_maybe_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
EOF
for b in b1 b2; do
	meson setup "$TMP/$b" "$P" > "$TMP/setup.out" 2>&1 && ninja -C "$TMP/$b" > /dev/null 2>&1 \
		|| { echo "FAIL - throwaway project does not build:"; cat "$TMP/setup.out"; exit 1; }
done
: > "$TMP/empty.txt"
cat > "$TMP/allow.txt" <<'EOF'
# a comment, then patterns with their reasons
skips             the frobnicator is not on this machine
cases:test_skip*  the case skips on purpose
passes:second*    no widget either
EOF

# runner NAME LIST [VAR=VALUE...]: run-tests.sh b1 b2 with allow-list LIST;
# output in $TMP/NAME.out, exit status in $TMP/NAME.rc
runner() {
	local name=$1 list=$2
	shift 2
	env XFRMGW_SKIP_LIST="$list" "$@" sh "$RUNNER" "$TMP/b1" "$TMP/b2" > "$TMP/$name.out" 2>&1
	echo $? > "$TMP/$name.rc"
}
rc() { [ "$(cat "$TMP/$1.rc")" "$2" 0 ]; }
has() { grep -qF -- "$2" "$TMP/$1.out"; }
last() { [ "$(tail -n 1 "$TMP/$1.out")" = "$2" ]; }
lacks() { ! grep -qF -- "$2" "$TMP/$1.out"; }

# Nothing allowed: every skip fails the run and is named.
runner none "$TMP/empty.txt"
check "skips without an allowance fail the run" rc none -ne
check "last line counts suites (skips ran once: integration is not run in b2)" \
	last none "suites: 4 passed, 0 failed, 1 skipped"
check "cases counted: CMocka cases and skipped script checks, both builds" \
	has none "cases: 4 passed, 0 failed, 4 skipped"
check "the skipped suite is named with its reason" \
	has none "skipped: b1: skips (NOT ALLOWED: no frobnicator)"
check "the skipped CMocka case is named" has none "skipped: b2: cases:test_skipped (NOT ALLOWED)"
check "the skipped script check is named" \
	has none "skipped: b1: passes:second (NOT ALLOWED: no widget here)"
check "the CMocka output is printed" has none "[  SKIPPED ] test_skipped"
check "b2 ran with --no-suite integration" has none "meson test -C $TMP/b2 --no-suite integration"

# The committed-file form allows them all.
runner file "$TMP/allow.txt"
check "an allow-list file makes the run pass" rc file -eq
check "allowed skips are still counted" last file "suites: 4 passed, 0 failed, 1 skipped"
check "allowed skips are named with the reason" \
	has file "skipped: b1: skips (allowed: the frobnicator is not on this machine)"
check "allowed case named" has file "skipped: b1: cases:test_skipped (allowed: the case skips on purpose)"

# The environment form, alone and partial.
runner env "$TMP/empty.txt" XFRMGW_ALLOW_SKIP="skips, cases:test_skipped passes:*"
check "XFRMGW_ALLOW_SKIP makes the run pass" rc env -eq
check "XFRMGW_ALLOW_SKIP is named as the reason" has env "skipped: b1: skips (allowed: XFRMGW_ALLOW_SKIP)"
runner partial "$TMP/empty.txt" XFRMGW_ALLOW_SKIP="skips passes:*"
check "a skip left out still fails the run" rc partial -ne
check "... and is the one named as not allowed" has partial "cases:test_skipped (NOT ALLOWED)"
check "... the allowed ones are not" lacks partial "skips (NOT ALLOWED"

# A failing case fails the run even when every skip is allowed, and is named.
runner fail "$TMP/allow.txt" DEMO_FAIL=1
check "a failing case fails the run" rc fail -ne
check "failed suites counted" last fail "suites: 2 passed, 2 failed, 1 skipped"
check "failed case counted" has fail "cases: 2 passed, 2 failed, 4 skipped"
check "the failed case is named" has fail "failed:  b1: cases:test_maybe_fails (CMocka case)"

# No results at all (a build directory meson cannot test) is a failure too.
mkdir -p "$TMP/nothing"
env XFRMGW_SKIP_LIST="$TMP/allow.txt" sh "$RUNNER" "$TMP/nothing" > "$TMP/nothing.out" 2>&1
echo $? > "$TMP/nothing.rc"
check "no test results fail the run" rc nothing -ne
check "... and say so" has nothing "nothing: no test results"

# The repository's own allow-list parses and gives a reason for each entry.
echo '{"name": "demo / ok", "result": "OK", "stdout": ""}' > "$TMP/ok.json"
check "tools/allowed-skips.txt is well formed" /usr/bin/python3 \
	"$(dirname "$RUNNER")/test_summary.py" --allow "$(dirname "$RUNNER")/allowed-skips.txt" \
	"ok=$TMP/ok.json"
exit $FAIL
