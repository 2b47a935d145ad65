# Image variants for the boot matrix (the `image` column of matrix.tsv);
# sourced by tests/boot/matrix.sh, which sets W (scratch folder), IMG,
# MKIMAGE, B and TOP. `mk_NAME` writes $W/NAME.img and fails (non-zero,
# with a message) when it cannot make exactly that variant. The variant
# `disk` is images/disk.img itself. Everything is edited the way a user
# or a broken medium would: mtools on the ESP, dd/python on raw sectors.
# shellcheck shell=bash

export MTOOLS_SKIP_CHECK=1
ESP_OFF=1048576            # every variant's ESP starts at LBA 2048
ESP="@@$ESP_OFF"
EDIT="$TOP/tests/boot/imgedit.py"
RECIPE="$TOP/images/disk.conf"

copy() { cp --sparse=always "$IMG" "$W/$1.img"; }
# cfg_edit NAME SED: rewrite /boot/boot.cfg of $W/NAME.img through sed
cfg_edit() {
  mtype -i "$W/$1.img$ESP" ::/boot/boot.cfg | sed "$2" > "$W/$1.cfg" &&
    mcopy -o -i "$W/$1.img$ESP" "$W/$1.cfg" ::/boot/boot.cfg
}
# cfg_bytes NAME PYTHON-EXPR: boot.cfg replaced by f(b), b = its bytes
cfg_bytes() {
  mtype -i "$W/$1.img$ESP" ::/boot/boot.cfg > "$W/$1.cfg.in" &&
    python3 -c "import sys; b=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write($2)" \
      "$W/$1.cfg.in" "$W/$1.cfg" &&
    mcopy -o -i "$W/$1.img$ESP" "$W/$1.cfg" ::/boot/boot.cfg
}
# replace_kernel NAME FILE: what a user does: copy a new kernel, fix the hash line
replace_kernel() {
  copy "$1" && mcopy -o -i "$W/$1.img$ESP" "$2" ::/boot/kernel.elf &&
    cfg_edit "$1" "s/^kernel_sha256=.*/kernel_sha256=$(sha256sum "$2" | cut -d' ' -f1)/"
}
recipe() { local n=$1; shift; "$MKIMAGE" -c "$RECIPE" "$@" -o "$W/$n.img"; }

# ---- kernels and configs --------------------------------------------------
mk_pad16()      { recipe pad16 --kernel "$B/kernel/kernel-pad16.elf"; }       # 16 MiB kernel
mk_alt()        { replace_kernel alt "$B/kernel/kernel-alt.elf"; }            # kernel-alt via mtools
mk_corrupt()    { copy corrupt && mcopy -n -i "$W/corrupt.img$ESP" ::/boot/kernel.elf "$W/k.corrupt" &&
                  python3 "$EDIT" flip "$W/k.corrupt" && mcopy -o -i "$W/corrupt.img$ESP" "$W/k.corrupt" ::/boot/kernel.elf; }
mk_missing()    { copy missing && mdel -i "$W/missing.img$ESP" ::/boot/kernel.elf; }
mk_notelf()     { printf 'this is not a kernel\n' > "$W/notelf.k" && replace_kernel notelf "$W/notelf.k"; }
# a valid ELF64 kernel (cli; hlt) whose 900 MiB bss fits in no small machine
mk_hugebss() {
  python3 - "$W/hugebss.k" <<'PY' && replace_kernel hugebss "$W/hugebss.k"
import struct, sys
base = 0xffffffff80000000
code = bytes([0xfa, 0xf4, 0xeb, 0xfd]) + bytes(12)
eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 62, 1,
                 base + 0x1000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
ph = struct.pack("<IIQQQQQQ", 1, 7, 0x1000, base + 0x1000, base + 0x1000, len(code), 900 << 20, 0x1000)
open(sys.argv[1], "wb").write(eh + ph + bytes(0x1000 - 120) + code)
PY
}
# a valid ELF64 whose one segment is linked at 1 MiB: a low-half kernel
mk_lowhalf() {
  python3 - "$W/lowhalf.k" <<'PY' && replace_kernel lowhalf "$W/lowhalf.k"
import struct, sys
base = 0x100000
code = bytes([0xfa, 0xf4, 0xeb, 0xfd]) + bytes(12)
eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 62, 1,
                 base, 64, 0, 0, 64, 56, 1, 64, 0, 0)
ph = struct.pack("<IIQQQQQQ", 1, 5, 0x1000, base, base, len(code), len(code), 0x1000)
open(sys.argv[1], "wb").write(eh + ph + bytes(0x1000 - 120) + code)
PY
}
# three modules, each with its SHA-256 in its string for the kernel's
# self-test to check: 300 KiB of random bytes, a copy of the kernel, a text
mk_modules() {
  head -c 307200 /dev/urandom > "$W/modules.initrd" && cp "$B/kernel/kernel.elf" "$W/modules.second" &&
    printf 'hyboot module test\n' > "$W/modules.txt" &&
    recipe modules \
      --module "$W/modules.initrd=initrd sha256=$(sha256sum "$W/modules.initrd" | cut -c1-64)" \
      --module "$W/modules.second=symbols sha256=$(sha256sum "$W/modules.second" | cut -c1-64)" \
      --module "$W/modules.txt=config sha256=$(sha256sum "$W/modules.txt" | cut -c1-64)"
}
# the same with a 256 MiB module (issue: modules of hundreds of MiB)
mk_bigmodule() {
  head -c 268435456 /dev/urandom > "$W/big.initrd" && printf 'small\n' > "$W/big.txt" &&
    recipe bigmodule --size 320M \
      --module "$W/big.initrd=initrd sha256=$(sha256sum "$W/big.initrd" | cut -c1-64)" \
      --module "$W/big.txt=config sha256=$(sha256sum "$W/big.txt" | cut -c1-64)" \
      --module "$B/kernel/kernel-alt.elf=symbols sha256=$(sha256sum "$B/kernel/kernel-alt.elf" | cut -c1-64)" &&
    rm -f "$W/big.initrd"
}
# the kernel under a non-ASCII long name (UTF-8 in boot.cfg, UTF-16 in
# the FAT's long name; mkimage writes one, mtools would pick an OEM-codepage
# short name instead)
mk_utf8path()   { recipe utf8path --file "$B/kernel/kernel.elf=/boot/kérnel.elf" &&
                  mdel -i "$W/utf8path.img$ESP" ::/boot/kernel.elf &&
                  cfg_edit utf8path 's|^kernel=.*|kernel=/boot/kérnel.elf|'; }
mk_config()     { copy config && cfg_edit config '/^resolution=/d; /^cmdline=/d; $a resolution=800x600\ncmdline=test hyboot-config-check'; }
mk_badcfg()     { copy badcfg && cfg_edit badcfg '1i resolution=wide'; }
mk_nocfg()      { copy nocfg && mdel -i "$W/nocfg.img$ESP" ::/boot/boot.cfg; }
mk_crashud()    { copy crashud && cfg_edit crashud 's/^cmdline=.*/cmdline=crash=ud/'; }
mk_crashpf()    { copy crashpf && cfg_edit crashpf 's/^cmdline=.*/cmdline=crash=pf/'; }
# the decoy disk of uefi-own-volume: a valid ESP with kernel-alt
mk_decoy()      { recipe decoy --kernel "$B/kernel/kernel-alt.elf" --seed uefi-decoy; }
# test builds of the UEFI loader (uefi/build.mk): the map changes before
# the first ExitBootServices (retry must work) / before every one
mk_mapchange()  { recipe mapchange --efi "$B/uefi/test/BOOTX64-mapchange.EFI"; }
mk_mapchurn()   { recipe mapchurn --efi "$B/uefi/test/BOOTX64-mapchurn.EFI"; }

# ---- Secure Boot (docs/secure-boot.md) ---------------------------------------
# signed_image NAME [mkimage options]: the recipe with one module, signed
# with the key Debian's snakeoil OVMF trusts (--fw uefi-sb) unless the
# options give another
SNAKEOIL=(--sign-key /usr/share/ovmf/PkKek-1-snakeoil.key --sign-cert /usr/share/ovmf/PkKek-1-snakeoil.pem
          --sign-pass pass:snakeoil)
signed_image() {
  local n=$1; shift
  printf 'hyboot secure boot module\n' > "$W/$n.txt" &&
    recipe "$n" --module "$W/$n.txt=config sha256=$(sha256sum "$W/$n.txt" | cut -c1-64)" "${@:-${SNAKEOIL[@]}}"
}
# one key set from `make keys` for the rows that need one (made once)
sb_keys() { ( flock 8; [ -s "$W/keys/db.auth" ] || "$TOP/scripts/make-keys.sh" "$W/keys" >/dev/null ) 8>"$W/keys.lock"; }
mk_signed()   { signed_image signed; }
mk_sbcfg()    { signed_image sbcfg && cfg_edit sbcfg 's/^cmdline=.*/cmdline=test edited/'; }   # a user's edit
mk_sbkernel() { signed_image sbkernel && mcopy -o -i "$W/sbkernel.img$ESP" "$B/kernel/kernel-alt.elf" ::/boot/kernel.elf &&
                cfg_edit sbkernel "s/^kernel_sha256=.*/kernel_sha256=$(sha256sum "$B/kernel/kernel-alt.elf" | cut -d' ' -f1)/"; }
mk_sbmodule() { signed_image sbmodule && printf 'hyboot secure boot module, replaced\n' > "$W/sbmodule.new" &&
                mcopy -o -i "$W/sbmodule.img$ESP" "$W/sbmodule.new" ::/boot/sbmodule.txt; }
# signed with a key the snakeoil firmware does not know (make keys' db)
mk_sbother()  { sb_keys && signed_image sbother --sign-key "$W/keys/db.key" --sign-cert "$W/keys/db.crt"; }
# shim + MOK route: Debian's shim (signed by Microsoft) signed again with
# the snakeoil key, since this firmware trusts that key only (made once)
shim_snakeoil() {
  ( flock 8
    [ -s "$W/shim-so.efi" ] ||
      { openssl pkey -in /usr/share/ovmf/PkKek-1-snakeoil.key -passin pass:snakeoil -out "$W/snakeoil.key" &&
        sbsign --key "$W/snakeoil.key" --cert /usr/share/ovmf/PkKek-1-snakeoil.pem \
          --output "$W/shim-so.efi" /usr/lib/shim/shimx64.efi.signed >/dev/null 2>&1; }
  ) 8>"$W/shim.lock"
}
# shim as BOOTX64.EFI, our loader (snakeoil-signed, with .sbat) as grubx64.efi
mk_sbshim()      { shim_snakeoil && signed_image sbshim "${SNAKEOIL[@]}" --shim "$W/shim-so.efi"; }
# the same, our loader signed with a key neither in db nor in MOK
mk_sbshimother() { sb_keys && shim_snakeoil && signed_image sbshimother --sign-key "$W/keys/db.key" \
                     --sign-cert "$W/keys/db.crt" --shim "$W/shim-so.efi"; }
# signed with make keys' db, the key set on the ESP for Setup Mode enrolment
mk_sbenrol()  { sb_keys && signed_image sbenrol --sign-key "$W/keys/db.key" --sign-cert "$W/keys/db.crt" --enroll-keys "$W/keys"; }

# ---- layouts mkimage can write ---------------------------------------------
mk_protective() { recipe protective --mbr protective; }
mk_mbronly()    { recipe mbronly --mbr mbr-only; }
mk_fat12()      { recipe fat12 --fat 12 --size 8M 2>/dev/null; }   # (warns: ESP < 8 MiB)
mk_fat16()      { recipe fat16 --fat 16; }
mk_small2m()    { recipe small2m --size 2M 2>/dev/null; }         # the smallest image (FAT12)
mk_activeee()   { recipe activeee --active-ee; }
mk_esp0c()      { recipe esp0c --esp-mbr-type 0c; }
# for 4Kn disks: MBR, GPTs, partitions and FAT in 4096-byte LBAs (ESP at LBA 256)
mk_4kn()        { recipe 4kn --sector-size 4096; }
# one-firmware images: a recipe key cannot be unset, so no recipe
mk_uefionly()   { "$MKIMAGE" -o "$W/uefionly.img" --kernel "$B/kernel/kernel.elf" --cmdline test --efi "$B/uefi/BOOTX64.EFI"; }
mk_biosonly()   { "$MKIMAGE" -o "$W/biosonly.img" --kernel "$B/kernel/kernel.elf" --cmdline test \
                    --stage1 "$B/bios/stage1.bin" --stage2 "$B/bios/stage2.bin"; }
mk_larger()     { truncate -s 1G "$W/larger.img" && dd if="$IMG" of="$W/larger.img" bs=1M conv=notrunc,sparse status=none; }

# ---- damaged media ---------------------------------------------------------
mk_nostage2()   { copy nostage2 && dd if=/dev/zero of="$W/nostage2.img" bs=512 seek=34 count=$((2048 - 34)) conv=notrunc status=none; }
mk_noesp()      { copy noesp && dd if=/dev/zero of="$W/noesp.img" bs=1M seek=1 count=8 conv=notrunc status=none; }
# primary GPT header broken on the hybrid image: stage2 has the MBR's 0xEF entry
mk_gpthybrid()  { copy gpthybrid && python3 "$EDIT" gpt-header "$W/gpthybrid.img"; }
# both GPT headers broken on the hybrid image: only the MBR's 0xEF entry is left
mk_gptboth()    { copy gptboth && python3 "$EDIT" gpt-backup-header "$W/gptboth.img" &&
                  python3 "$EDIT" gpt-header "$W/gptboth.img"; }
# the primary entry array "at" LBA 10^8, past the end of the disk
mk_entrieslba() { copy entrieslba && python3 "$EDIT" gpt-entries-lba "$W/entrieslba.img" 100000000; }
# fault tolerance (issue 15): a protective MBR, so only the backup GPT can help
mk_gpthdr()     { recipe gpthdr --mbr protective && python3 "$EDIT" gpt-header "$W/gpthdr.img"; }
mk_gptents()    { recipe gptents --mbr protective && python3 "$EDIT" gpt-entries "$W/gptents.img"; }
mk_fat1zero()   { copy fat1zero && python3 "$EDIT" fat1-zero "$W/fat1zero.img" "$ESP_OFF"; }
mk_cfgcrlf()    { copy cfgcrlf && cfg_bytes cfgcrlf 'b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")'; }
# BOM and missing final newline each on the cmdline=test line: were that
# line lost, the kernel would not run its self-test
mk_cfgbom()     { copy cfgbom && cfg_bytes cfgbom 'b"\xef\xbb\xbfcmdline=test\n" + b"".join(l for l in b.splitlines(True) if not l.startswith((b"#", b"cmdline=")))'; }
mk_cfgnoeol()   { copy cfgnoeol && cfg_bytes cfgnoeol 'b"".join(l for l in b.splitlines(True) if not l.startswith(b"cmdline=")) + b"cmdline=test"'; }
mk_cfgspaces()  { copy cfgspaces && cfg_bytes cfgspaces 'b.replace(b"\n", b"  \t \n")'; }
# the kernel's clusters spread over the FAT in shuffled order; fsck.fat
# must still call the volume clean
mk_scattered() {
  copy scattered && python3 "$EDIT" scatter "$W/scattered.img" "$ESP_OFF" /boot/kernel.elf >/dev/null &&
    dd if="$W/scattered.img" of="$W/scattered.esp" bs=1M skip=1 status=none &&
    fsck.fat -n "$W/scattered.esp" >/dev/null && rm -f "$W/scattered.esp" &&
    mcopy -n -i "$W/scattered.img$ESP" ::/boot/kernel.elf "$W/scattered.k" &&
    cmp -s "$W/scattered.k" "$B/kernel/kernel.elf"
}

# ---- BIOS boot-code test disks ---------------------------------------------
# A20 switched off before stage1 runs (tests/bios/a20off.asm chain-loads
# the real stage1 from LBA 34); HOOK_2401 also makes INT 15h AX=2401h fail,
# so stage2 must use the keyboard controller.
a20_image() {
  local name=$1; shift
  nasm -f bin "$@" -o "$W/$name.mbr" "$TOP/tests/bios/a20off.asm" && copy "$name" &&
    dd if="$IMG" of="$W/$name.img" bs=512 count=1 seek=34 conv=notrunc status=none &&
    dd if="$W/$name.mbr" of="$W/$name.img" bs=440 count=1 conv=notrunc status=none
}
mk_a20int15()   { a20_image a20int15; }
mk_a20kbc()     { a20_image a20kbc -DHOOK_2401; }
# stage1's read loop alone: stage2.bin plus a tail where each sector
# holds its own LBA, 600 sectors from LBA 65500 (the LBA passes 2^16
# between 64-sector chunks); no ESP (see check_stage1_load in checks.sh)
STAGE1_LBA=65500 STAGE1_SECTORS=600
stage1_disk() {
  python3 - "$B/bios/stage1.bin" "$B/bios/stage2.bin" "$W/$1.img" "$STAGE1_LBA" "$STAGE1_SECTORS" <<'PY'
import struct, sys
s1, s2, out, lba, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
mbr = bytearray(open(s1, "rb").read().ljust(512, b"\0"))
struct.pack_into("<IQ", mbr, 428, n, lba)          # stage1_patch: sectors, LBA
mbr[510:512] = b"\x55\xaa"
body = bytearray(open(s2, "rb").read())
body += b"\0" * (-len(body) % 512)
while len(body) < n * 512:
    body += struct.pack("<Q", lba + len(body) // 512) * 64
with open(out, "wb") as f:
    f.write(mbr)
    f.seek(lba * 512)
    f.write(body)
    f.truncate((lba + n + 2048) * 512)
PY
}
mk_stage1load() { stage1_disk stage1load; }
# the same disk with stage1's patch record pointing past the end of the disk
mk_stage1bad() {
  stage1_disk stage1bad &&
    python3 -c 'import struct,sys; f=open(sys.argv[1],"r+b"); f.seek(428); f.write(struct.pack("<IQ", 16, 100000000))' "$W/stage1bad.img"
}
