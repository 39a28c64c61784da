#!/bin/sh
# The demo: the crypto API's self-tests and its algorithm listing.
set -e
BUILD=${1:-build}
echo "== xfrmgw crypto API: registered algorithms and self-test results"
"$BUILD/tools/xfrmgw-ctl" --local algs
echo "== summary"
"$BUILD/tools/xfrmgw-ctl" --local algs | awk '/^selftest/ { n[$3]++ } END { for (k in n) printf "selftest %s: %d\n", k, n[k] }'
