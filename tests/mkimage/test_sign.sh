#!/usr/bin/env bash
# mkimage --sign-key/--sign-cert (docs/secure-boot.md): both loaders
# signed so that sbverify (sbsigntool, code independent of ours) accepts
# them with the certificate and refuses them with another; the boot.cfg
# hash enrolled in each is that of the boot.cfg on the image; --inspect
# reports signer and match; same inputs give the same bytes; without the
# options nothing changes; every bad signing input is refused with its
# message, no output and no temporary file left (TMPDIR stays empty:
# signing passes the key on pipes); --enroll-keys, --shim.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/inputs.sh"

[ -x "$MKIMAGE" ] || { fail "mkimage built" "$MKIMAGE missing"; finish; }
make_inputs || { fail "test inputs" "could not build them"; finish; }
for tool in sbverify openssl mtype cert-to-efi-sig-list; do
  command -v "$tool" >/dev/null || { fail "sign: $tool installed" "scripts/deps.sh installs it"; finish; }
done
export MTOOLS_SKIP_CHECK=1 TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
KEY=/usr/share/ovmf/PkKek-1-snakeoil.key CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem
SIGN=(--sign-key "$KEY" --sign-cert "$CERT" --sign-pass pass:snakeoil)
ESP="@@1M"
printf 'a module\n' > "$T/mod.txt"
ALL=("${INPUTS[@]}" --efi32 "$EFI32" --module "$T/mod.txt=config" --cmdline test)
"$TOP/scripts/make-keys.sh" "$T/keys" >/dev/null || fail "make-keys for the tests"

# ---- a signed image ----------------------------------------------------------
S=$T/signed.img
check "sign: mkimage --sign-key --sign-cert makes an image" "$MKIMAGE" -o "$S" "${ALL[@]}" "${SIGN[@]}"
mcopy -n -i "$S$ESP" ::/EFI/BOOT/BOOTX64.EFI "$T/x64.efi" && mcopy -n -i "$S$ESP" ::/EFI/BOOT/BOOTIA32.EFI "$T/ia32.efi" &&
  mtype -i "$S$ESP" ::/boot/boot.cfg > "$T/boot.cfg" || fail "sign: read the loaders back with mtools"
for f in x64 ia32; do
  check "sign: sbverify accepts the signed $f loader with the certificate" sbverify --cert "$CERT" "$T/$f.efi"
  check_fails "sign: sbverify refuses the $f loader with another certificate" sbverify --cert "$T/keys/db.crt" "$T/$f.efi"
done
# the record (common/secure_boot.h): magic, version, enrolled, sha256
enrolled() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
i = d.find(b"HYBOOT-CFGHASH-1")
ver, en = struct.unpack_from("<II", d, i + 16)
print(ver, en, d[i + 24:i + 56].hex())
PY
}
want="1 1 $(sha256sum < "$T/boot.cfg" | cut -c1-64)"
expect_eq "sign: BOOTX64.EFI carries the SHA-256 of the image's boot.cfg" "$(enrolled "$T/x64.efi")" "$want"
expect_eq "sign: BOOTIA32.EFI carries it too" "$(enrolled "$T/ia32.efi")" "$want"
expect_eq "sign: the unsigned loader is not enrolled" "$(enrolled "$EFI" | cut -d' ' -f1-2)" "1 0"
out=$("$MKIMAGE" --inspect "$S" 2>&1); rc=$?
expect_eq "sign: --inspect passes the signed image" "$rc" 0
expect_eq "sign: --inspect names the signer of both loaders" "$(grep -c 'signed by: C=US, ST=Colorado, L=Fort Collins, O=SnakeOil' <<<"$out")" 2
expect_eq "sign: --inspect: both signed hashes match the files" "$(grep -c 'signed hash: matches the file' <<<"$out")" 2
expect_eq "sign: --inspect: both enrolled hashes match boot.cfg" "$(grep -c 'boot.cfg hash: enrolled, matches /boot/boot.cfg' <<<"$out")" 2
# after an edit: --inspect notes it (still exit 0: without Secure Boot it boots)
cp "$S" "$T/edited.img" && sed 's/^cmdline=.*/cmdline=edited/' "$T/boot.cfg" > "$T/edited.cfg" &&
  mcopy -o -i "$T/edited.img$ESP" "$T/edited.cfg" ::/boot/boot.cfg
out=$("$MKIMAGE" --inspect "$T/edited.img" 2>&1)
expect_eq "sign: --inspect notes an edited boot.cfg for both loaders" \
  "$(grep -c 'note: .*enrolled boot.cfg hash differs from /boot/boot.cfg' <<<"$out")" 2
# a loader patched after signing: the signed hash is no longer the file's
python3 - "$T/x64.efi" "$T/patched.efi" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read()); d[0x500] ^= 1; open(sys.argv[2], "wb").write(d)
PY
cp "$S" "$T/patched.img" && mcopy -o -i "$T/patched.img$ESP" "$T/patched.efi" ::/EFI/BOOT/BOOTX64.EFI
expect_match "sign: --inspect notes a loader changed after signing" "$("$MKIMAGE" --inspect "$T/patched.img" 2>&1)" \
  'note: /EFI/BOOT/BOOTX64.EFI: the signature is for other bytes'
out=$("$MKIMAGE" --inspect "$IMG" 2>&1)
expect_eq "sign: --inspect of an unsigned image: not signed, not enrolled" \
  "$(grep -c -e 'signature: none' -e 'boot.cfg hash: not enrolled' <<<"$out")" 4
# garbage in the certificate table must not crash --inspect
python3 - "$T/x64.efi" "$T/garbage.efi" <<'PY'
import os, struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
pe = struct.unpack_from("<I", d, 0x3c)[0]
off, size = struct.unpack_from("<II", d, pe + 24 + 112 + 4 * 8)
d[off + 8:off + size] = os.urandom(size - 8)
d[off + 8] = 0x30; d[off + 9] = 0x84; d[off + 10:off + 14] = b"\x7f\xff\xff\xff"
open(sys.argv[2], "wb").write(d)
PY
cp "$S" "$T/garbage.img" && mcopy -o -i "$T/garbage.img$ESP" "$T/garbage.efi" ::/EFI/BOOT/BOOTX64.EFI
out=$("$MKIMAGE" --inspect "$T/garbage.img" 2>&1); rc=$?
expect_eq "sign: --inspect reads a garbage signature without crashing" "$rc" 0
expect_match "sign: --inspect says the garbage signature cannot be read" "$out" \
  'note: /EFI/BOOT/BOOTX64.EFI: signed, but the signature cannot be read'

# ---- same inputs, same bytes; nothing changes without the options -------------
check "sign: a second run" "$MKIMAGE" -o "$T/signed2.img" "${ALL[@]}" "${SIGN[@]}"
check "sign: same inputs give the same signed image" cmp "$S" "$T/signed2.img"
"$MKIMAGE" -o "$T/plain.img" "${ALL[@]}" && mcopy -n -i "$T/plain.img$ESP" ::/EFI/BOOT/BOOTX64.EFI "$T/plain.efi"
check "sign: without --sign-key the loader goes in as it is" cmp "$T/plain.efi" "$EFI"
check "sign: without --sign-key no other program is needed (empty PATH)" \
  env PATH=/nonexistent "$MKIMAGE" -o "$T/nopath.img" "${ALL[@]}"
# the key in DER, unencrypted; the certificate in DER: the same signature
openssl pkey -in "$KEY" -passin pass:snakeoil -outform DER -out "$T/key.der" &&
  openssl x509 -in "$CERT" -outform DER -out "$T/cert.der"
check "sign: DER key and certificate sign the same bytes" \
  bash -c '"$1" -o "$2" "${@:4}" --sign-key "$3/key.der" --sign-cert "$3/cert.der" && cmp "$2" "$3/signed.img"' \
  _ "$MKIMAGE" "$T/der.img" "$T" "${ALL[@]}"
# from a recipe: paths relative to it
mkdir -p "$T/r" && cp "$T/keys/db.key" "$T/keys/db.crt" "$T/r/" &&
  printf 'sign-key = db.key\nsign-cert = db.crt\n' > "$T/r/sign.conf"
"$MKIMAGE" -c "$T/r/sign.conf" -o "$T/recipe.img" "${ALL[@]}" &&
  mcopy -n -i "$T/recipe.img$ESP" ::/EFI/BOOT/BOOTX64.EFI "$T/recipe.efi"
check "sign: recipe keys sign-key/sign-cert (make keys' db)" sbverify --cert "$T/keys/db.crt" "$T/recipe.efi"
[ -z "$(ls -A "$TMPDIR")" ] && pass "sign: no temporary folder left" || fail "sign: no temporary folder left" "$(ls "$TMPDIR")"

# ---- --enroll-keys -----------------------------------------------------------
check "enroll-keys: an image with the key set" "$MKIMAGE" -o "$T/enrol.img" "${ALL[@]}" --sign-key "$T/keys/db.key" \
  --sign-cert "$T/keys/db.crt" --enroll-keys "$T/keys"
for k in PK KEK db; do
  mtype -i "$T/enrol.img$ESP" "::/EFI/hyboot/keys/$k.auth" > "$T/$k.got" 2>/dev/null
  check "enroll-keys: /EFI/hyboot/keys/$k.auth is $k.auth" cmp "$T/$k.got" "$T/keys/$k.auth"
done
expect_match "enroll-keys: without signing, a warning" \
  "$("$MKIMAGE" -o "$T/enrol2.img" "${ALL[@]}" --enroll-keys "$T/keys" 2>&1)" \
  '^mkimage: warning: .*keys: keys to enrol, but the loaders are not signed'
cp -r "$T/keys" "$T/keys2" && cp "$T/keys2/db.auth" "$T/db-before"
out=$("$MKIMAGE" -o "$T/keys2/db.auth" "${ALL[@]}" --enroll-keys "$T/keys2" 2>&1); rc=$?
expect_match "enroll-keys: an output that is one of the key files is refused (rc=$rc)" "$out" \
  'db.auth: is also an input .*db.auth.*: refusing to overwrite it'
check "enroll-keys: that key file is left as it was" cmp "$T/keys2/db.auth" "$T/db-before"

# ---- --shim, --mok-manager -------------------------------------------------------
if [ -f /usr/lib/shim/shimx64.efi.signed ]; then
  check "shim: an image with shim and MokManager" "$MKIMAGE" -o "$T/shim.img" "${ALL[@]}" "${SIGN[@]}" \
    --shim /usr/lib/shim/shimx64.efi.signed --mok-manager /usr/lib/shim/mmx64.efi.signed
  mcopy -n -i "$T/shim.img$ESP" ::/EFI/BOOT/BOOTX64.EFI "$T/got-shim.efi"
  mcopy -n -i "$T/shim.img$ESP" ::/EFI/BOOT/grubx64.efi "$T/got-next.efi"
  mcopy -n -i "$T/shim.img$ESP" ::/EFI/BOOT/mmx64.efi "$T/got-mm.efi"
  check "shim: shim is BOOTX64.EFI, byte for byte" cmp "$T/got-shim.efi" /usr/lib/shim/shimx64.efi.signed
  check "shim: MokManager is mmx64.efi" cmp "$T/got-mm.efi" /usr/lib/shim/mmx64.efi.signed
  check "shim: our signed loader is grubx64.efi" cmp "$T/got-next.efi" "$T/x64.efi"
  expect_match "shim: --inspect reports the loader shim starts" "$("$MKIMAGE" --inspect "$T/shim.img" 2>&1)" \
    'grubx64.efi: PE32\+ x86-64 EFI application, [0-9]+ bytes, the loader shim starts'
else
  fail "shim: /usr/lib/shim/shimx64.efi.signed" "shim-signed is not installed (scripts/deps.sh)"
fi

# ---- refusals ------------------------------------------------------------------
OUTDIR=$T/out
RUN_ENV=()
# refuses NAME STATUS REGEX ARGS...: status, message, no output, no temporary folder
refuses() {
  local name=$1 want=$2 re=$3; shift 3
  rm -rf "$OUTDIR" "$TMPDIR"; mkdir -p "$OUTDIR" "$TMPDIR"
  local err rc why=
  err=$(env "${RUN_ENV[@]}" /usr/bin/setsid -w "$MKIMAGE" -o "$OUTDIR/disk.img" "$@" 2>&1 >/dev/null </dev/null); rc=$?
  [ "$rc" -eq "$want" ] || why="exit status $rc, want $want ($err)"
  [ -z "$why" ] && ! grep -Eq -- "^mkimage: error: .*$re" <<<"$err" && why="message '$err' does not match /$re/"
  [ -z "$why" ] && [ -n "$(ls -A "$OUTDIR")" ] && why="left output: $(ls -A "$OUTDIR")"
  [ -z "$why" ] && [ -n "$(ls -A "$TMPDIR")" ] && why="left a temporary folder: $(ls -A "$TMPDIR")"
  if [ -z "$why" ]; then pass "sign refuses: $name"; else fail "sign refuses: $name" "$why"; fi
}
printf 'not a certificate\n' > "$T/bad.pem"
openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=ec -days 1 \
  -keyout "$T/ec.key" -out "$T/ec.crt" 2>/dev/null
python3 "$TOP/tests/image/helpers.py" fakepe "$T/fake.efi"
mkdir -p "$T/halfkeys" && cp "$T/keys/KEK.auth" "$T/keys/db.auth" "$T/halfkeys/" && : > "$T/emptyauth" &&
  mkdir -p "$T/emptykeys" && cp "$T/keys/"*.auth "$T/emptykeys/" && : > "$T/emptykeys/db.auth"
refuses "key without certificate" 2 "--sign-key .*signing needs both --sign-key and --sign-cert" "${ALL[@]}" --sign-key "$KEY"
refuses "certificate without key" 2 "--sign-cert .*signing needs both" "${ALL[@]}" --sign-cert "$CERT"
refuses "passphrase without key" 2 "--sign-pass .*nothing to sign" "${ALL[@]}" --sign-pass pass:x
refuses "no EFI loader to sign" 2 "nothing to sign: the image has no EFI loader" \
  --kernel "$KERNEL" --stage1 "$STAGE1" --stage2 "$STAGE2" "${SIGN[@]}"
refuses "not a certificate" 1 "--sign-cert .*bad\.pem: not a PEM or DER X\.509 certificate" "${ALL[@]}" \
  --sign-key "$KEY" --sign-cert "$T/bad.pem" --sign-pass pass:snakeoil
refuses "missing certificate" 1 "--sign-cert .*: cannot read it" "${ALL[@]}" --sign-key "$KEY" --sign-cert "$T/nope.pem"
refuses "missing key" 1 "--sign-key .*: cannot read it: No such file" "${ALL[@]}" --sign-key "$T/nope.key" --sign-cert "$CERT"
refuses "not a key" 1 "--sign-key .*: not a PEM or DER private key" "${ALL[@]}" --sign-key "$T/bad.pem" --sign-cert "$CERT"
refuses "wrong passphrase" 1 "--sign-key .*: cannot decrypt the key: wrong passphrase" "${SIGN[@]::4}" "${ALL[@]}" \
  --sign-pass pass:wrong
refuses "encrypted key, no passphrase (no terminal)" 1 "--sign-key .*: the key is encrypted and no passphrase was read" \
  "${ALL[@]}" --sign-key "$KEY" --sign-cert "$CERT"
refuses "key of another certificate" 1 "--sign-key .*: not the private key of the certificate" "${ALL[@]}" \
  --sign-key "$T/keys/db.key" --sign-cert "$CERT"
refuses "not an RSA key" 1 "--sign-cert .*: its key is not an RSA key" "${ALL[@]}" --sign-key "$T/ec.key" --sign-cert "$T/ec.crt"
refuses "loader without a hash record" 1 "fake\.efi: cannot sign it: has no boot\.cfg hash record" \
  --kernel "$KERNEL" --efi "$T/fake.efi" "${SIGN[@]}"
refuses "loader signed already" 1 "x64\.efi: cannot sign it: is signed already" --kernel "$KERNEL" --efi "$T/x64.efi" "${SIGN[@]}"
RUN_ENV=(PATH=/nonexistent)
refuses "no openssl program" 1 "--sign-(key|cert) .*: signing needs the openssl program" "${ALL[@]}" \
  --sign-key "$T/keys/db.key" --sign-cert "$T/keys/db.crt"
RUN_ENV=()
refuses "--mok-manager without --shim" 2 "--mok-manager .*: MokManager is started by shim" "${ALL[@]}" \
  --mok-manager "$T/fake.efi"
refuses "--shim without --efi" 2 "--shim .*: shim needs the loader it starts" --kernel "$KERNEL" \
  --stage1 "$STAGE1" --stage2 "$STAGE2" --shim "$T/fake.efi"
refuses "--shim that is not an EFI application" 1 "bad\.pem: shim: not a PE/EFI executable" "${ALL[@]}" --shim "$T/bad.pem"
refuses "key set without PK.auth" 1 "halfkeys/PK\.auth: cannot open" "${ALL[@]}" --enroll-keys "$T/halfkeys"
refuses "key set with an empty db.auth" 1 "db\.auth: is empty" "${ALL[@]}" --enroll-keys "$T/emptykeys"
finish
