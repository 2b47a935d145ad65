#!/usr/bin/env bash
# make keys (scripts/make-keys.sh): every file of the set, certificates
# OpenSSL reads with the expected subjects, signature lists that
# efitools' sig-list-to-certs turns back into the same certificates,
# non-empty authenticated variables, and no overwriting of a set.
source "$(dirname "$0")/../lib.sh"
for tool in openssl cert-to-efi-sig-list sign-efi-sig-list sig-list-to-certs; do
  command -v "$tool" >/dev/null || { fail "keys: $tool installed" "scripts/deps.sh installs it"; finish; }
done
K=$T/keys
check "keys: scripts/make-keys.sh DIR" "$TOP/scripts/make-keys.sh" "$K"
for k in PK KEK db; do
  missing=
  for ext in key crt cer esl auth; do [ -s "$K/$k.$ext" ] || missing+=" $k.$ext"; done
  expect_eq "keys: $k: key, certificate (PEM, DER), signature list and .auth exist" "$missing" ""
  expect_match "keys: openssl reads $k.crt" "$(openssl x509 -in "$K/$k.crt" -noout -subject 2>&1)" "CN ?= ?hyboot Secure Boot $k"
  check "keys: $k.cer is $k.crt in DER" bash -c "openssl x509 -in '$K/$k.crt' -outform DER | cmp - '$K/$k.cer'"
  rm -f "$T/$k-"*.der
  (cd "$T" && sig-list-to-certs "$K/$k.esl" "$k" >/dev/null 2>&1)
  check "keys: sig-list-to-certs gives $k's certificate back from $k.esl" cmp "$T/$k-0.der" "$K/$k.cer"
  check "keys: openssl key $k.key is $k.crt's" bash -c \
    "[ \"\$(openssl pkey -in '$K/$k.key' -pubout)\" = \"\$(openssl x509 -in '$K/$k.crt' -noout -pubkey)\" ]"
done
[ -s "$K/noPK.auth" ] && pass "keys: noPK.auth (back to Setup Mode)" || fail "keys: noPK.auth (back to Setup Mode)"
expect_eq "keys: the private keys are for the owner only" "$(stat -c %a "$K/db.key")" 600
# the .auth holds the .esl after its authentication header (EFI_VARIABLE_AUTHENTICATION_2)
check "keys: db.auth ends with db.esl" bash -c "tail -c \$(stat -c %s '$K/db.esl') '$K/db.auth' | cmp - '$K/db.esl'"
out=$("$TOP/scripts/make-keys.sh" "$K" 2>&1); rc=$?
expect_match "keys: an existing set is not replaced" "$rc:$out" "^1:make-keys: .*exists: refusing"
expect_match "keys: make help lists make keys" "$(make -s -C "$TOP" help)" "make keys"
finish
