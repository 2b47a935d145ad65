#!/usr/bin/env bash
# Checks that every Debian package hyboot needs is installed. As root it
# installs what is missing (apt-get update first); otherwise it prints the
# exact command to run and fails.
set -euo pipefail

# package            why
pkgs=(
  build-essential    # gcc, make, binutils for host and (on x86-64) target code
  nasm               # stage1 and stage2 real-mode entry
  gnu-efi            # crt0, linker script and headers for BOOTX64.EFI
  mtools             # tests: read/replace files on the ESP without mounting
  dosfstools         # tests: fsck.fat; bench: mkfs.fat
  fdisk              # tests/bench: sfdisk
  gdisk              # tests: sgdisk -v
  parted             # tests: parted print
  qemu-system-x86    # boot tests
  ovmf               # UEFI firmware for the boot tests
  ovmf-ia32          # 32-bit UEFI firmware: BOOTIA32.EFI rows (uefi32-*)
  seabios            # legacy BIOS firmware (also pulled in by qemu)
  bochs              # boot matrix: a second emulator and legacy BIOS (bios-bochs*)
  bochsbios          # Bochs' own BIOS (BIOS-bochs-latest)
  vgabios            # the LGPL VGA BIOS with VBE that Bochs boots with
  u-boot-qemu        # boot matrix: U-Boot's UEFI (uefi-uboot)
  console-data       # default8x16.psf.gz: the kernel's bitmap font
  python3            # tests: screendump comparison, bench statistics
  xxd                # tests: byte patching
  procps             # tests: pgrep, to stop every QEMU of an interrupted matrix
  util-linux         # tests/flash: blkid, blockdev, partx, mkswap; the matrix: flock
  e2fsprogs          # tests/flash: an old ext4 on the "used stick"
  gdb                # make debug-bios/debug-uefi; tests/kernel/test_debug.sh
  openssl            # mkimage --sign-key runs it for the RSA signature; make keys makes the keys with it
  efitools           # make keys: cert-to-efi-sig-list, sign-efi-sig-list (the .esl/.auth firmware enrols)
  sbsigntool         # tests: sbverify checks mkimage's signatures independently of our own code;
                     # sbsign re-signs Debian's shim with the test firmware's key (sb-shim rows)
  shim-signed        # tests: the shim + MOK route (sb-shim rows boot /usr/lib/shim/shimx64.efi.signed)
  clang-14           # make fuzz / tests/fuzz: libFuzzer harnesses (tests/fuzz/build.mk, FUZZ_CC)
  libclang-rt-14-dev # libFuzzer and the ASan/UBSan runtimes clang-14 links (clang-14 alone lacks libclang_rt.fuzzer)
)
case "$(uname -m)" in
  x86_64) ;;
  *) pkgs+=(gcc-x86-64-linux-gnu binutils-x86-64-linux-gnu) ;;
esac
# Extra packages a caller needs (bench adds GRUB), passed as arguments.
pkgs+=("$@")

names=()
for p in "${pkgs[@]}"; do
  case "$p" in \#*) continue ;; esac
  names+=("$p")
done

missing=()
for p in "${names[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "hyboot: missing Debian packages: ${missing[*]}" >&2
  echo "install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "hyboot: installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
