#!/usr/bin/env bash
# make keys: a Secure Boot key set of your own (docs/secure-boot.md).
#   scripts/make-keys.sh [DIR]      (default: keys/; refuses to overwrite one)
# For each of PK, KEK and db: an RSA-2048 key and a self-signed
# certificate (NAME.key, NAME.crt in PEM; NAME.cer in DER, what firmware
# setup screens import), the certificate as an EFI signature list
# (NAME.esl) and as a time-based authenticated variable (NAME.auth: PK
# signed by itself, KEK by PK, db by KEK) that firmware setup, efitools'
# KeyTool.efi, `efi-updatevar` or hyboot's own Setup Mode enrolment
# (mkimage --enroll-keys DIR) writes. noPK.auth, signed by PK, removes
# PK again (back to Setup Mode). Sign images with db.key / db.crt.
set -euo pipefail
dir=${1:-keys}
name=${KEYS_NAME:-hyboot}
for tool in openssl cert-to-efi-sig-list sign-efi-sig-list; do
  command -v "$tool" >/dev/null || { echo "make-keys: $tool is missing (Debian: apt-get install openssl efitools)" >&2; exit 1; }
done
if [ -e "$dir/PK.key" ]; then
  echo "make-keys: $dir/PK.key exists: refusing to replace a key set (remove $dir first)" >&2
  exit 1
fi
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
umask 077
# The owner GUID every signature list carries: one per key set.
guid=$(cat /proc/sys/kernel/random/uuid)
echo "$guid" > GUID.txt
for k in PK KEK db; do
  openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -subj "/CN=$name Secure Boot $k/" -keyout "$k.key" -out "$k.crt" 2>/dev/null
  openssl x509 -in "$k.crt" -outform DER -out "$k.cer"
  cert-to-efi-sig-list -g "$guid" "$k.crt" "$k.esl"
done
sign-efi-sig-list -g "$guid" -k PK.key -c PK.crt PK PK.esl PK.auth >/dev/null
sign-efi-sig-list -g "$guid" -k PK.key -c PK.crt KEK KEK.esl KEK.auth >/dev/null
sign-efi-sig-list -g "$guid" -k KEK.key -c KEK.crt db db.esl db.auth >/dev/null
: > noPK.esl
sign-efi-sig-list -g "$guid" -k PK.key -c PK.crt PK noPK.esl noPK.auth >/dev/null
chmod 644 ./*.crt ./*.cer ./*.esl ./*.auth GUID.txt
echo "make-keys: wrote $dir/{PK,KEK,db}.{key,crt,cer,esl,auth}, noPK.auth, GUID.txt"
echo "  sign:   build/mkimage/mkimage -c images/disk.conf --sign-key $dir/db.key --sign-cert $dir/db.crt"
echo "  enrol:  add --enroll-keys $dir and boot the machine in Setup Mode (docs/secure-boot.md)"
