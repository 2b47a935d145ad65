#!/usr/bin/env bash
# Runs the boot matrix (tests/boot/matrix.tsv): every row boots in QEMU
# (TCG unless ACCEL=kvm) with a timeout, JOBS rows at a time (default 2).
#   tests/boot/matrix.sh              all rows
#   tests/boot/matrix.sh --quick      rows marked 'q'
#   tests/boot/matrix.sh NAME...      the named rows (prefix match)
# Prints PASS:/FAIL: per row (with the qemu command and serial tail on
# failure), then a results table with seconds per row and in total.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
B=${B:-$TOP/build}
MKIMAGE=${MKIMAGE:-$B/mkimage/mkimage}
IMG=${IMG:-$TOP/images/disk.img}
JOBS=${JOBS:-2}
TIMEOUT=${BOOT_TIMEOUT:-150}
QUICK=${QUICK:-0}
names=()
for a in "$@"; do
  case "$a" in --quick) QUICK=1 ;; *) names+=("$a") ;; esac
done

W=$(mktemp -d "${TMPDIR:-/tmp}/hyboot-matrix.XXXXXX")
pids=()
# Parent first (its own trap then stops its QEMU and removes its files),
# then whatever it had started.
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

# ---- rows -----------------------------------------------------------------
rows=()
while read -r name q fw machine bus mem smp vga cpu image extra expect; do
  case "$name" in ''|\#*) continue ;; esac
  if [ ${#names[@]} -gt 0 ]; then
    hit=0; for n in "${names[@]}"; do [[ "$name" == "$n"* ]] && hit=1; done
    [ $hit -eq 1 ] || continue
  elif [ "$QUICK" = 1 ] && [ "$q" != q ]; then
    continue
  fi
  rows+=("$name|$fw|$machine|$bus|$mem|$smp|$vga|$cpu|$image|$extra|$expect")
done < tests/boot/matrix.tsv
[ ${#rows[@]} -gt 0 ] || { echo "FAIL: matrix: no row matches ${names[*]}"; exit 1; }

# ---- images (each variant made once, only if a selected row needs it) ------
export MTOOLS_SKIP_CHECK=1
ESP="@@1M"   # the ESP starts at LBA 2048
need() { local r; for r in "${rows[@]}"; do IFS='|' read -r _ _ _ _ _ _ _ _ im _ _ <<<"$r"; [ "$im" = "$1" ] && return 0; done; return 1; }
prep_fail=0
prep() { # prep NAME CMD...: run an image-preparation step, report failures
  local what=$1; shift
  if ! out=$("$@" 2>&1); then echo "FAIL: matrix: preparing image '$what': $out" | head -5; prep_fail=1; fi
}
copy() { cp --sparse=always "$IMG" "$W/$1.img"; }
set_kernel_byte() { # flip one byte in the middle of /boot/kernel.elf
  mcopy -n -i "$W/$1.img$ESP" ::/boot/kernel.elf "$W/k.$1" &&
  python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=0xff; open(p,"wb").write(b)' "$W/k.$1" &&
  mcopy -o -i "$W/$1.img$ESP" "$W/k.$1" ::/boot/kernel.elf
}
replace_kernel() { # what a user does: copy a new kernel, fix the hash line
  mcopy -o -i "$W/$1.img$ESP" "$2" ::/boot/kernel.elf &&
  mtype -i "$W/$1.img$ESP" ::/boot/boot.cfg | tr -d '\r' |
    sed "s/^kernel_sha256=.*/kernel_sha256=$(sha256sum "$2" | cut -d' ' -f1)/" > "$W/boot.cfg.$1" &&
  mcopy -o -i "$W/$1.img$ESP" "$W/boot.cfg.$1" ::/boot/boot.cfg
}
mk_pad16()      { "$MKIMAGE" -c images/disk.conf --kernel "$B/kernel/kernel-pad16.elf" -o "$W/pad16.img"; }
mk_protective() { "$MKIMAGE" -c images/disk.conf --mbr protective -o "$W/protective.img"; }
mk_larger()     { truncate -s 1G "$W/larger.img" && dd if="$IMG" of="$W/larger.img" bs=1M conv=notrunc,sparse status=none; }
mk_alt()        { copy alt && replace_kernel alt "$B/kernel/kernel-alt.elf"; }
mk_corrupt()    { copy corrupt && set_kernel_byte corrupt; }
mk_missing()    { copy missing && mdel -i "$W/missing.img$ESP" ::/boot/kernel.elf; }
mk_nostage2()   { copy nostage2 && dd if=/dev/zero of="$W/nostage2.img" bs=512 seek=34 count=$((2048 - 34)) conv=notrunc status=none; }
mk_noesp()      { copy noesp && dd if=/dev/zero of="$W/noesp.img" bs=1M seek=1 count=8 conv=notrunc status=none; }
if need disk || need larger || need alt || need corrupt || need missing || need nostage2 || need noesp; then
  [ -f "$IMG" ] || { echo "FAIL: matrix: $IMG missing (make disk.img)"; exit 1; }
fi
for v in pad16 protective larger alt corrupt missing nostage2 noesp; do
  need "$v" && prep "$v" "mk_$v"
done

image_path() { [ "$1" = disk ] && echo "$IMG" || echo "$W/$1.img"; }

# ---- one row ---------------------------------------------------------------
run_row() {
  local row=$1 out=$2
  local name fw machine bus mem smp vga cpu image extra expect
  IFS='|' read -r name fw machine bus mem smp vga cpu image extra expect <<<"$row"
  local args=(--fw "$fw" --image "$(image_path "$image")" --machine "$machine" --bus "$bus"
              --mem "$mem" --smp "$smp" --vga "$vga" --timeout "$TIMEOUT")
  [ "$cpu" != - ] && args+=(--cpu "$cpu")
  [ "$extra" = second ] && args+=(--second-disk)
  case "$expect" in
    pass) args+=(--expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33) ;;
    alt)  args+=(--expect '^Hello World!' --expect 'hyboot: kernel variant alt' --expect 'SELFTEST PASS' --exit 33) ;;
    error:*) args+=(--expect "hyboot: error: ${expect#error:}") ;;
    # OVMF with no bootable loader ends in its boot manager / shell.
    fallthrough) args+=(--expect 'No bootable option|Shell>|UEFI Interactive Shell|Boot Manager') ;;
    *) echo "FAIL: $name: unknown expectation $expect" > "$out"; return ;;
  esac
  local t0=$SECONDS
  if bash tests/boot/qemu-boot.sh "${args[@]}" > "$out.log" 2>&1; then
    if [ "$expect" = fallthrough ] && grep -q 'hyboot:' "$out.log"; then
      echo "FAIL: matrix/$name: loader ran on a zeroed ESP" > "$out"
    else
      echo "PASS: matrix/$name" > "$out"
    fi
  else
    { echo "FAIL: matrix/$name: row: $row"; sed 's/^/    /' "$out.log"; } > "$out"
  fi
  echo "$((SECONDS - t0))" > "$out.secs"
}

start=$SECONDS
i=0
for row in "${rows[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n 2>/dev/null || true; done
  run_row "$row" "$W/r$i" &
  pids+=($!)
  i=$((i + 1))
done
wait

# ---- results ----------------------------------------------------------------
fails=$prep_fail
i=0
printf '\n%-24s %-6s %5s\n' row result secs > "$W/table"
for row in "${rows[@]}"; do
  name=${row%%|*}
  cat "$W/r$i" 2>/dev/null || echo "FAIL: matrix/$name: no result"
  res=FAIL; grep -q '^PASS' "$W/r$i" 2>/dev/null && res=pass || fails=1
  printf '%-24s %-6s %5s\n' "$name" "$res" "$(cat "$W/r$i.secs" 2>/dev/null || echo ?)" >> "$W/table"
  i=$((i + 1))
done
cat "$W/table"
echo "matrix: ${#rows[@]} rows in $((SECONDS - start))s with $JOBS at a time (accel ${ACCEL:-tcg})"
exit $fails
