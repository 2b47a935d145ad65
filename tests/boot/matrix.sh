#!/usr/bin/env bash
# Runs the boot matrix (tests/boot/matrix.tsv): every row boots once,
# through tests/boot/qemu-boot.sh (QEMU, TCG unless ACCEL=kvm, or Bochs),
# with a timeout, JOBS rows at a time (default 2).
#   tests/boot/matrix.sh              all rows
#   tests/boot/matrix.sh --quick      rows marked 'q'
#   tests/boot/matrix.sh NAME...      the named rows (prefix match)
#   tests/boot/matrix.sh --list       the row names
#   BOOT_FW=bochs tests/boot/matrix.sh NAME   a SeaBIOS row under Bochs instead
#                                     (i440fx + IDE; rows that need QEMU's
#                                     monitor or exit device cannot)
# Prints PASS:/FAIL: per row (with the emulator command and serial tail on
# failure), then a results table with seconds per row and in total.
# Screendumps are kept in build/test-artifacts/ROW.png (and .ppm).
set -u
# Everything runs inside main, read whole before it starts: editing this
# file during a run must not change the run.
main() {
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
B=${B:-$TOP/build}
MKIMAGE=${MKIMAGE:-$B/mkimage/mkimage}
IMG=${IMG:-$TOP/images/disk.img}
FBCHECK=${FBCHECK:-$B/tests/fbcheck}
ART=$B/test-artifacts
JOBS=${JOBS:-2}
TIMEOUT=${BOOT_TIMEOUT:-150}
QUICK=${QUICK:-0}
BOOT_FW=${BOOT_FW:-}
names=() list=0
for a in "$@"; do
  case "$a" in --quick) QUICK=1 ;; --list) list=1 ;; *) names+=("$a") ;; esac
done

W=$(mktemp -d "${TMPDIR:-/tmp}/hyboot-matrix.XXXXXX")
pids=()
# Parent first (its own trap then stops its emulator and removes its
# files), then whatever it had started.
killtree() { local c kids; kids=$(pgrep -P "$1"); kill "$1" 2>/dev/null; for c in $kids; do killtree "$c"; done; }
cleanup() {
  trap '' INT TERM
  local p
  for p in "${pids[@]}"; do killtree "$p"; done
  wait 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
trap 'echo "matrix: interrupted"; exit 130' INT TERM

# ---- rows: "name q fw machine bus mem smp vga cpu image expect", then
# indented option lines that belong to the row above (see matrix.tsv) ----
rows=()        # selected rows, "name|fw|machine|bus|mem|smp|vga|cpu|image|expect"
n_all=0 sel=-1
selected() {
  local n
  if [ ${#names[@]} -gt 0 ]; then
    for n in "${names[@]}"; do [[ "$1" == "$n"* ]] && return 0; done
    return 1
  fi
  [ "$QUICK" = 1 ] && [ "$2" != q ] && return 1
  return 0
}
while IFS= read -r line; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  if [[ "$line" =~ ^[[:space:]]+([a-z-]+)[[:space:]]*(.*)$ ]]; then
    [ "$n_all" -gt 0 ] || { echo "FAIL: matrix.tsv: option line before any row: $line"; exit 1; }
    [ "$sel" -ge 0 ] && printf '%s\t%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" >> "$W/opt.$sel"
    continue
  fi
  read -r name q fw machine bus mem smp vga cpu image expect <<<"$line"
  n_all=$((n_all + 1)) sel=-1
  [ -n "$expect" ] || { echo "FAIL: matrix.tsv: row '$name' has too few columns"; exit 1; }
  selected "$name" "$q" || continue
  sel=${#rows[@]}
  rows+=("$name|$fw|$machine|$bus|$mem|$smp|$vga|$cpu|$image|$expect")
  : > "$W/opt.$sel"
done < "${MATRIX_TSV:-tests/boot/matrix.tsv}"
if [ "$list" = 1 ]; then printf '%s\n' "${rows[@]%%|*}"; exit 0; fi
[ ${#rows[@]} -gt 0 ] || { echo "FAIL: matrix: no row matches ${names[*]}"; exit 1; }

# opts I KEY: the values of row I's KEY lines, one per line
opts() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' "$W/opt.$1"; }

# ---- images: each variant made once, by the first row that needs it ------
source tests/boot/images.sh
source tests/boot/checks.sh
[ -f "$IMG" ] || { echo "FAIL: matrix: $IMG missing (make disk.img)"; exit 1; }
image_path() { [ "$1" = disk ] && echo "$IMG" || echo "$W/$1.img"; }
# variant NAME: $W/NAME.img is there (made now, or by another row: the
# lock makes rows that share a variant wait for the one making it);
# prints why not
variant() {
  local v=$1
  [ "$v" = disk ] && return 0
  (
    flock 9
    [ -f "$W/$v.ok" ] && exit 0
    [ -f "$W/$v.err" ] && { cat "$W/$v.err"; exit 1; }
    if ! declare -F "mk_$v" >/dev/null; then
      echo "no image variant '$v' (tests/boot/images.sh has no mk_$v)" | tee "$W/$v.err"; exit 1
    fi
    if out=$("mk_$v" 2>&1) && [ -f "$W/$v.img" ]; then touch "$W/$v.ok"; exit 0; fi
    echo "preparing image '$v': $(printf '%s' "$out" | head -n 5)" | tee "$W/$v.err"; exit 1
  ) 9>"$W/$v.lock"
}

# ---- one row ---------------------------------------------------------------
# Failure markers: a row stops early (1 s grace) instead of waiting for
# its timeout when one of these shows up before what it expects.
# (A kernel that says it is done or halted will print nothing more.)
FAIL_BOOT='hyboot: error:|SELFTEST FAIL|^PANIC|Shell> |UEFI Interactive Shell|No bootable device|^hyboot: kernel (done|halted)'
FAIL_ERR='Hello World!|SELFTEST|Shell> |UEFI Interactive Shell|No bootable device'

run_row() {
  local i=$1 out=$W/r$1
  local name fw machine bus mem smp vga cpu image expect
  IFS='|' read -r name fw machine bus mem smp vga cpu image expect <<<"${rows[$i]}"
  if [ "$BOOT_FW" = bochs ] && [ "$fw" = bios ]; then
    fw=bochs machine=pc bus=ide
    case "$cpu" in pentium3) cpu=p3_katmai ;; -) ;; *) cpu=- ;; esac
  fi
  local t0=$SECONDS v why=
  for v in "$image" $(opts "$i" qemu | grep -o '@[a-z0-9]*' | tr -d @); do
    if ! why=$(variant "$v"); then
      echo "FAIL: matrix/$name: $why" > "$out"; echo "$((SECONDS - t0))" > "$out.secs"; return
    fi
  done
  local args=(--fw "$fw" --image "$(image_path "$image")" --machine "$machine" --bus "$bus"
              --mem "$mem" --smp "$smp" --vga "$vga" --log "$out.serial")
  [ "$cpu" != - ] && args+=(--cpu "$cpu")
  args+=(--timeout "$(opts "$i" timeout | tail -n 1 | grep . || echo "$TIMEOUT")")
  grep -q $'^second-disk\t' "$W/opt.$i" && args+=(--second-disk)
  local bsize; bsize=$(opts "$i" block-size | tail -n 1)
  [ -n "$bsize" ] && args+=(--block-size "$bsize")
  local -a screens=() serials=() absents=() checks=() qargs=()
  mapfile -t screens < <(opts "$i" screen)
  mapfile -t serials < <(opts "$i" serial)
  mapfile -t absents < <(opts "$i" absent)
  mapfile -t checks < <(opts "$i" check)
  local memsave; memsave=$(opts "$i" memsave | head -n 1)
  local fwline=BIOS; case "$fw" in uefi*|uboot) fwline=UEFI ;; esac
  # the exit device cannot end a boot whose screen is still to be dumped;
  # Bochs has none
  local want_exit=33
  { [ ${#screens[@]} -gt 0 ] || [ "$fw" = bochs ]; } && want_exit=
  case "$expect" in
    pass|alt)
      args+=(--expect '^Hello World!' --expect "^hyboot: kernel firmware=$fwline " --expect 'SELFTEST PASS' --fail-on "$FAIL_BOOT")
      [ "$expect" = alt ] && args+=(--expect 'hyboot: kernel variant alt')
      [ -n "$want_exit" ] && args+=(--exit "$want_exit") ;;
    error:*) args+=(--expect "hyboot: error: ${expect#error:}" --fail-on "$FAIL_ERR") ;;
    # UEFI firmware that finds no loader ends in its boot manager / shell
    fallthrough) args+=(--expect 'No bootable option|Shell>|UEFI Interactive Shell|Boot Manager' --fail-on 'hyboot:')
                 absents+=('hyboot:') ;;
    # Secure Boot firmware that refuses the loader's signature
    denied) args+=(--expect 'failed to load Boot[0-9]+ .*: Access Denied' --expect 'No bootable option' --fail-on 'hyboot:')
            absents+=('hyboot:') ;;
    lines) args+=(--fail-on 'hyboot: error:|SELFTEST FAIL|Shell> |UEFI Interactive Shell|No bootable device|^hyboot: kernel done') ;;
    *) echo "FAIL: matrix/$name: unknown expectation $expect" > "$out"; return ;;
  esac
  local e
  for e in "${serials[@]}"; do args+=(--expect "$e"); done
  [ ${#screens[@]} -gt 0 ] && args+=(--no-exit-device --screendump "$out.ppm")
  [ -n "$memsave" ] && args+=(--pmemsave ${memsave} "$out.mem")
  # qemu lines: extra arguments, @VARIANT = that variant's image
  for e in $(opts "$i" qemu); do
    while [[ "$e" =~ @([a-z0-9]+) ]]; do e=${e/@${BASH_REMATCH[1]}/$(image_path "${BASH_REMATCH[1]}")}; done
    qargs+=("$e")
  done
  [ ${#qargs[@]} -gt 0 ] && args+=(-- "${qargs[@]}")

  if ! bash tests/boot/qemu-boot.sh "${args[@]}" > "$out.log" 2>&1; then
    why="boot"
  else
    tr -d '\r' < "$out.serial" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' > "$out.clean"
    for e in "${absents[@]}"; do
      grep -Eaq -- "$e" "$out.clean" && { why="serial shows /$e/"; break; }
    done
    if [ -z "$why" ] && [ ${#screens[@]} -gt 0 ]; then
      mkdir -p "$ART" && cp "$out.ppm" "$ART/$name.ppm" && python3 tests/boot/ppm2png.py "$ART/$name.ppm" "$ART/$name.png"
      for e in "${screens[@]}"; do
        "$FBCHECK" "$out.ppm" "$e" >> "$out.log" 2>&1 || { why="screen does not show '$e' (see $ART/$name.png)"; break; }
      done
    fi
    for e in "${checks[@]}"; do
      [ -n "$why" ] && break
      LOG=$out.clean IMAGE=$(image_path "$image") MEM=$out.mem "check_$e" >> "$out.log" 2>&1 || why="check $e"
    done
  fi
  if [ -z "$why" ]; then
    echo "PASS: matrix/$name" > "$out"
  else
    { echo "FAIL: matrix/$name: $why: row: ${rows[$i]}"; awk '{ print "    " $0 }' "$out.log"; } > "$out"   # (awk: a last line without newline must not swallow the next row's PASS)
  fi
  echo "$((SECONDS - t0))" > "$out.secs"
  tr -d '\r' < "$out.serial" 2>/dev/null | sed -n 's/.*kernel timing: loader \([0-9.]*\) ms.*/\1/p' | head -n 1 > "$out.ms"
}

# Slow firmware first, so the last rows running are short ones.
order=()
for pass in slow fast; do
  for i in "${!rows[@]}"; do
    IFS='|' read -r _ fw _ <<<"${rows[$i]}"
    case "$pass:$fw" in slow:uefi*|slow:uboot|fast:bios|fast:bochs) order+=("$i") ;; esac
  done
done
start=$SECONDS
for i in "${order[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n 2>/dev/null || true; done
  run_row "$i" &
  pids+=($!)
done
wait

# ---- results ----------------------------------------------------------------
fails=0
printf '\n%-28s %-6s %5s %10s\n' row result secs loader_ms > "$W/table"
for i in "${!rows[@]}"; do
  name=${rows[$i]%%|*}
  cat "$W/r$i" 2>/dev/null || echo "FAIL: matrix/$name: no result"
  res=FAIL; grep -q '^PASS' "$W/r$i" 2>/dev/null && res=pass || fails=1
  printf '%-28s %-6s %5s %10s\n' "$name" "$res" "$(cat "$W/r$i.secs" 2>/dev/null || echo ?)" \
    "$(cat "$W/r$i.ms" 2>/dev/null | grep . || echo -)" >> "$W/table"
done
cat "$W/table"
echo "matrix: ${#rows[@]} rows in $((SECONDS - start))s with $JOBS at a time (accel ${ACCEL:-tcg}${BOOT_FW:+, BIOS rows under $BOOT_FW})"
exit $fails
}
main "$@"
