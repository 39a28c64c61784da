#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Count and name what a set of `meson test` runs passed, failed and skipped.

usage: test_summary.py [--allow FILE] LABEL=TESTLOG.json...

Two levels are counted, so that the suite cannot shrink without saying so:
  suites  the meson tests (exit 77 is a skip);
  cases   the CMocka test cases inside them ("[ RUN      ] x" followed by
          "[       OK ] x" or "[  SKIPPED ] x"; a case that never reports
          either failed or crashed), plus the checks a script suite reports
          as "ok - NAME # SKIP reason".
A skipped suite is named by its meson test name (gw_netns), a skipped case
by SUITE:CASE (test_rng:test_hwrng). A skip is allowed when a pattern
(shell glob, fnmatch) from the allow-list FILE (lines "PATTERN  reason",
# comments) or from $XFRMGW_ALLOW_SKIP (patterns separated by blanks or
commas) matches its name. Exit status: 0 only when every log was read,
nothing failed and every skip is allowed. The last line is
"suites: N passed, N failed, N skipped".
"""
import fnmatch
import json
import os
import re
import sys

RUN = re.compile(r"^\[ RUN      \] (.+)$")
OK = re.compile(r"^\[       OK \] (.+)$")
SKIPPED = re.compile(r"^\[  SKIPPED \] (.+)$")
# "ok - NAME # SKIP reason" (a TAP directive: SKIP is a word of its own)
TAP_SKIP = re.compile(r"^ok\s+(?:\d+\s+)?-\s*(.*?)\s*#\s*SKIP(?:\s+(.*))?$")
REASON = re.compile(r"\bSKIP\b:?\s*(.*)$")

# meson's results: everything but these is a failure (FAIL, TIMEOUT, ERROR,
# UNEXPECTEDPASS, or a result this script does not know)
PASS_RESULTS = ("OK", "EXPECTEDFAIL")


def short_name(full):
    """'xfrmgw:cryptoapi / test_rng' -> 'test_rng'"""
    return full.rsplit(" / ", 1)[-1]


def cmocka_cases(stdout):
    """[(case, 'passed'|'failed'|'skipped')] in the order the cases ran."""
    cases, current = [], None
    for line in stdout.splitlines():
        m = RUN.match(line)
        if m:
            if current is not None:
                cases.append((current, "failed"))
            current = m.group(1).strip()
            continue
        for pattern, outcome in ((OK, "passed"), (SKIPPED, "skipped")):
            m = pattern.match(line)
            if m and current is not None and m.group(1).strip() == current:
                cases.append((current, outcome))
                current = None
    if current is not None:
        cases.append((current, "failed"))
    return cases


def tap_skips(stdout):
    return [(m.group(1), m.group(2) or "") for m in map(TAP_SKIP.match, stdout.splitlines()) if m]


def skip_reason(output):
    """The first line saying why a suite skipped ("SKIP: needs root")."""
    for line in output.splitlines():
        m = REASON.search(line)
        if m:
            return m.group(1).strip() or line.strip()
    return ""


def load_allowed(path):
    """{pattern: reason} from the allow-list file and the environment."""
    allowed = {}
    if path:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                parts = line.split(None, 1)
                if len(parts) < 2:
                    sys.exit("%s:%d: '%s' gives no reason (PATTERN  reason)" % (path, n, line))
                allowed[parts[0]] = parts[1]
    for pat in re.split(r"[\s,]+", os.environ.get("XFRMGW_ALLOW_SKIP", "")):
        if pat:
            allowed.setdefault(pat, "XFRMGW_ALLOW_SKIP")
    return allowed


def allowed_by(name, allowed):
    for pat, reason in allowed.items():
        if fnmatch.fnmatchcase(name, pat):
            return pat, reason
    return None


def main(argv):
    allow_file = None
    if len(argv) >= 2 and argv[0] == "--allow":
        allow_file, argv = argv[1], argv[2:]
    if not argv:
        sys.exit(__doc__)
    allowed = load_allowed(allow_file)
    used = set()
    suites = {"passed": 0, "failed": 0, "skipped": 0}
    cases = {"passed": 0, "failed": 0, "skipped": 0}
    failed, skipped = [], []	# (label, name, note)
    status = 0

    def skip(label, name, why):
        hit = allowed_by(name, allowed)
        if hit:
            used.add(hit[0])
            skipped.append((label, name, "allowed: %s" % hit[1]))
        else:
            skipped.append((label, name, "NOT ALLOWED%s" % (": " + why if why else "")))

    for arg in argv:
        label, _, path = arg.rpartition("=")
        label = label or path
        try:
            with open(path) as f:
                entries = [json.loads(line) for line in f if line.strip()]
        except (OSError, ValueError) as e:
            print("%s: no test results (%s)" % (label, e))
            status = 1
            continue
        if not entries:
            print("%s: meson ran no test" % label)
            status = 1
        for e in entries:
            name = short_name(e["name"])
            out = e.get("stdout") or ""
            err = e.get("stderr") or ""
            result = e.get("result", "")
            if result == "SKIP":
                suites["skipped"] += 1
                skip(label, name, skip_reason(out + "\n" + err))
            elif result in PASS_RESULTS:
                suites["passed"] += 1
            else:
                suites["failed"] += 1
                failed.append((label, name, result.lower()))
            for case, outcome in cmocka_cases(out):
                cases[outcome] += 1
                cid = "%s:%s" % (name, case)
                if outcome == "skipped":
                    skip(label, cid, "")
                elif outcome == "failed":
                    failed.append((label, cid, "CMocka case"))
            for case, why in tap_skips(out):
                cases["skipped"] += 1
                skip(label, "%s:%s" % (name, case), why)

    for label, name, note in failed:
        print("failed:  %s: %s (%s)" % (label, name, note))
    for label, name, note in skipped:
        print("skipped: %s: %s (%s)" % (label, name, note))
    for pat in allowed:
        if pat not in used and allowed[pat] != "XFRMGW_ALLOW_SKIP":
            print("note: allowed skip '%s' did not occur" % pat)
    if failed or any(note.startswith("NOT ALLOWED") for _, _, note in skipped):
        status = 1
    if any(note.startswith("NOT ALLOWED") for _, _, note in skipped):
        print("a skip not allowed fails the run: make it run, or name it in %s or "
              "XFRMGW_ALLOW_SKIP (docs/BUILDING.md)" % (allow_file or "an allow-list"))
    print("cases: %(passed)d passed, %(failed)d failed, %(skipped)d skipped" % cases)
    print("suites: %(passed)d passed, %(failed)d failed, %(skipped)d skipped" % suites)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
