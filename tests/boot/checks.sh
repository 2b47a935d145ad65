# Checks a matrix row runs after its boot (`check NAME` option lines in
# matrix.tsv); sourced by tests/boot/matrix.sh. check_NAME gets, in the
# environment: LOG (serial log, CRs and terminal escapes removed), IMAGE
# (the booted image), MEM (the --pmemsave dump, if the row has `memsave`).
# It prints why and returns non-zero on failure.
# shellcheck shell=bash

# The loader reported the boot device of the disk it was started from
# (disk GUID, ESP GUID and LBA from the image's own primary GPT, at byte
# 512 or, on a 4Kn image, 4096), not the decoy's.
check_boot_device() {
  local want got
  want=$(python3 - "$IMAGE" <<'PY'
import struct, sys, uuid
f = open(sys.argv[1], "rb")
for ss in (512, 4096):
    f.seek(ss); h = f.read(92)
    if h[:8] == b"EFI PART": break
lba, n, size = struct.unpack_from("<QII", h, 72)
f.seek(lba * ss); ents = f.read(n * size)
esp = uuid.UUID("C12A7328-F81F-11D2-BA4B-00A0C93EC93B").bytes_le
for i in range(n):
    e = ents[i * size:(i + 1) * size]
    if e[:16] == esp:
        print("disk %s, esp %s at lba %d" % (str(uuid.UUID(bytes_le=h[56:72])).upper(),
              str(uuid.UUID(bytes_le=e[16:32])).upper(), struct.unpack_from("<Q", e, 32)[0]))
PY
)
  got=$(sed -n 's/^hyboot: boot device: //p' "$LOG" | head -n 1)
  [ -n "$want" ] && [ "$got" = "$want" ] && return 0
  echo "boot device '$got', the image's GPT says '$want'"
  return 1
}

# stage1 put every sector of its 600-sector read where it belongs, also
# past LBA 65535 (images.sh mk_stage1load; the row saves memory from
# 0x30000, far above stage2's own image and bss, to 0x8000 + 600 sectors).
check_stage1_load() {
  local result
  result=$(python3 - "$MEM" 0x30000 "$STAGE1_LBA" <<'PY'
import struct, sys
mem = open(sys.argv[1], "rb").read()
base, lba0 = int(sys.argv[2], 0), int(sys.argv[3])
bad = [lba0 + (base + off - 0x8000) // 512 for off in range(0, len(mem), 512)
       if mem[off:off + 512] != struct.pack("<Q", lba0 + (base + off - 0x8000) // 512) * 64]
print("ok %d sectors" % (len(mem) // 512) if mem and not bad else "bad LBAs %s" % bad[:8])
PY
)
  [[ "$result" == ok* ]] && return 0
  echo "sectors past LBA 65535 misplaced: $result"
  return 1
}
