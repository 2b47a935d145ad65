#!/usr/bin/env bash
# Runs the libFuzzer targets (build/fuzz/fuzz_*) and prints one PASS:/FAIL:
# line per target with its executions (tests/lib.sh's format).
#   tests/fuzz/run.sh [TARGET...]          fuzz each for FUZZ_SECONDS (default 180)
#   tests/fuzz/run.sh --quick [TARGET...]  make test's bounded pass: every corpus
#                                          input once, then FUZZ_QUICK_SECONDS (3)
#                                          of mutation with a fixed seed
# One fuzzing process at a time (no -jobs/-workers): the machine is shared.
# New inputs go to build/fuzz/corpus/TARGET (the committed seeds in
# tests/fuzz/corpus/TARGET are read, never written); a crash, hang (an
# input running longer than FUZZ_TIMEOUT seconds), leak or sanitizer report
# leaves its input in build/fuzz/artifacts/ and fails the target.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
FB=build/fuzz
QUICK=0
targets=()
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    *) targets+=("$a") ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do
    t=$(basename "$f" .c); t=${t#fuzz_}
    [ "$t" = disk ] || targets+=("$t")
  done
fi
SECONDS_EACH=${FUZZ_SECONDS:-180}
TIMEOUT=${FUZZ_TIMEOUT:-10}

# Largest input per target: a disk seed is a few hundred KiB of sparse
# records; file targets take the files mkimage installs.
max_len() {
  case "$1" in
    inspect) echo 1048576 ;;
    fat|loader|elf|pe) echo 262144 ;;
    gpt|stage|bootcfg) echo 65536 ;;
    memmap) echo 8192 ;;
    fwtables) echo 4097 ;;
    *) echo 4096 ;;
  esac
}

mkdir -p "$FB/artifacts"
fails=0 total=0
for t in "${targets[@]}"; do
  bin=$FB/fuzz_$t seeds=tests/fuzz/corpus/$t work=$FB/corpus/$t
  if [ ! -x "$bin" ]; then echo "FAIL: fuzz $t: $bin not built (make fuzz-build)"; fails=$((fails + 1)); continue; fi
  mkdir -p "$work"
  log=$FB/$t.log
  common=(-dict=tests/fuzz/hyboot.dict -max_len="$(max_len "$t")" -timeout="$TIMEOUT" -rss_limit_mb=2048
          -malloc_limit_mb=1024 -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$FB/artifacts/$t-")
  if [ "$QUICK" = 1 ]; then
    # Every committed input (seeds and the inputs of past findings) once...
    if ! "$bin" "${common[@]}" -runs=0 "$seeds" >"$log" 2>&1; then
      echo "FAIL: fuzz $t: an input in $seeds fails (see $log)"; grep -m3 -E 'ERROR|SUMMARY' "$log" | sed 's/^/    /'
      fails=$((fails + 1)); continue
    fi
    # ...then a short, repeatable mutation run from them.
    work=$FB/quick/$t
    rm -rf "$work" && mkdir -p "$work"
    "$bin" "${common[@]}" -seed=1 -max_total_time="${FUZZ_QUICK_SECONDS:-3}" "$work" "$seeds" >"$log" 2>&1
  else
    "$bin" "${common[@]}" -max_total_time="$SECONDS_EACH" "$work" "$seeds" >"$log" 2>&1
  fi
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  execs=${execs:-0}
  total=$((total + execs))
  corpus=$(find "$work" "$seeds" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    echo "PASS: fuzz $t: $execs executions, corpus $corpus inputs"
  else
    echo "FAIL: fuzz $t: exit $rc after $execs executions (see $log; input in $FB/artifacts/)"
    grep -m5 -E 'ERROR|SUMMARY|Test unit written' "$log" | sed 's/^/    /'
    fails=$((fails + 1))
  fi
done
echo "fuzz: $total executions in all, $fails target(s) failed"
[ "$fails" -eq 0 ]
