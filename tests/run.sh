#!/usr/bin/env bash
# Runs hyboot's tests and ends with "N passed, N failed".
#   tests/run.sh            everything
#   tests/run.sh --quick    unit tests, image checks, one boot per firmware
#   tests/run.sh PATTERN..  only suites whose path matches a pattern
# Suites: build/tests/unit/test_* binaries, then tests/*/test_*.sh scripts
# (image checks, boot tests). Each prints PASS:/FAIL: lines.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
export TOP B="$TOP/build"
QUICK=0
pats=()
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    *) pats+=("$a") ;;
  esac
done
export QUICK

suites=()
# unit test binaries whose source still exists (a removed test leaves a stale binary)
for f in build/tests/unit/test_*; do
  [ -x "$f" ] && [ -f "tests/unit/$(basename "$f").c" ] && suites+=("$f")
done
for d in tests/unit tests/fuzz tests/image tests/kernel tests/mkimage tests/flash tests/uefi tests/bios tests/boot; do
  for f in "$d"/test_*.sh; do [ -f "$f" ] && suites+=("$f"); done
done

selected() {
  [ ${#pats[@]} -eq 0 ] && return 0
  local p
  for p in "${pats[@]}"; do [[ "$1" == *"$p"* ]] && return 0; done
  return 1
}

passed=0 failed=0
failed_suites=()
start_all=$(date +%s)
for s in "${suites[@]}"; do
  selected "$s" || continue
  echo "=== $s"
  t0=$(date +%s)
  log=$(mktemp)
  if [[ "$s" == *.sh ]]; then bash "$s" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  else "$s" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}; fi
  p=$(grep -c '^PASS: ' "$log"); f=$(grep -c '^FAIL: ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL: $s exited with status $rc"; f=1
  fi
  rm -f "$log"
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -gt 0 ] && failed_suites+=("$s")
  echo "--- $s: $p passed, $f failed ($(( $(date +%s) - t0 ))s)"
done
echo
[ ${#failed_suites[@]} -gt 0 ] && printf 'failed suite: %s\n' "${failed_suites[@]}"
echo "total time $(( $(date +%s) - start_all ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
