# Shared helpers for test scripts. Every check prints one line:
#   PASS: <name>          or          FAIL: <name>: <why>
# tests/run.sh counts those lines; a script that exits non-zero without
# printing a FAIL line counts as one failure.
# shellcheck shell=bash

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
B=${B:-$TOP/build}
MKIMAGE=${MKIMAGE:-$B/mkimage/mkimage}
IMG=${IMG:-$TOP/images/disk.img}
# Per-script scratch folder, removed on exit.
T=$(mktemp -d "${TMPDIR:-/tmp}/hyboot-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; FAILS=$((FAILS + 1)); }

# check NAME CMD...: passes when CMD exits 0; on failure shows its output.
check() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "command failed: $*"; printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'; fi
}

# check_fails NAME CMD...: passes when CMD exits non-zero.
check_fails() {
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then fail "$name" "expected failure: $*"; else pass "$name"; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# expect_match NAME TEXT REGEX (grep -E)
expect_match() {
  if printf '%s\n' "$2" | grep -Eq -- "$3"; then pass "$1"; else fail "$1" "no match for /$3/ in: $(printf '%s' "$2" | tail -c 400)"; fi
}

finish() { exit $(( FAILS > 0 ? 1 : 0 )); }
