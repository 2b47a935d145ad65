#!/usr/bin/env bash
# The C examples in docs/protocol.md must be code that works: every ```c
# block compiles as freestanding kernel code (the kernel's warning flags,
# -Werror), and the ones that only read memory run on the host (ASan and
# UBSan) against hand-built boot_info, modules, SMBIOS tables and EDID.
source "$(dirname "$0")/../lib.sh"
DOC=$TOP/docs/protocol.md

awk '/^```c$/ { on = 1; next } /^```$/ { on = 0 } on' "$DOC" > "$T/examples.c"
n=$(grep -c '^```c$' "$DOC")
if [ "$n" -ge 6 ]; then pass "docs/protocol.md has $n C examples"; else fail "docs/protocol.md has C examples" "found $n"; fi
{
  printf '#include <stddef.h>\n#include <stdint.h>\n#include "boot_info.h"\n'
  cat "$T/examples.c"
} > "$T/freestanding.c"
check "the examples compile as freestanding kernel code (-Wall -Wextra -Werror)" \
  gcc -std=gnu11 -O2 -ffreestanding -nostdinc -isystem "$(gcc -print-file-name=include)" -m64 -mcmodel=kernel \
    -mno-red-zone -mgeneral-regs-only -fno-pic -Wall -Wextra -Werror -Wno-unused-function \
    -I"$TOP/common" -c "$T/freestanding.c" -o "$T/freestanding.o"

cat > "$T/host.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include "boot_info.h"
#include "examples.c"

static int fails;
#define EXPECT(c, name) do { if (c) printf("PASS: %s\n", name); else { printf("FAIL: %s\n", name); fails++; } } while (0)

int main(void)
{
    static struct boot_info bi;
    bi.magic = BOOT_INFO_MAGIC; bi.version = 2; bi.size = BOOT_INFO_SIZE;
    EXPECT(has_v2(&bi), "has_v2: a v2 boot_info");
    bi.size = BOOT_INFO_SIZE_V1;
    EXPECT(!has_v2(&bi), "has_v2: a v1 loader's size is refused");
    bi.version = 3; bi.size = BOOT_INFO_SIZE + 8;
    EXPECT(has_v2(&bi), "has_v2: a newer loader is accepted");

    /* two modules with a 40-byte stride, as a future loader might use */
    static uint8_t list[80];
    struct boot_module a = { 0x200000, 10, (uintptr_t)"/boot/initrd.img", (uintptr_t)"initrd" };
    struct boot_module b = { 0x400000, 20, (uintptr_t)"/boot/kernel.sym", (uintptr_t)"" };
    memcpy(list, &a, sizeof a);
    memcpy(list + 40, &b, sizeof b);
    bi.modules_addr = (uintptr_t)list; bi.module_count = 2; bi.module_entry_size = 40;
    const struct boot_module *m = find_module(&bi, "/boot/kernel.sym");
    EXPECT(m && m->addr == 0x400000 && m->size == 20, "find_module walks with module_entry_size");
    EXPECT(!find_module(&bi, "/boot/kernel"), "find_module: a prefix is not a match");

    /* SMBIOS: a type 0 with two strings, a type 1 with four, the end marker */
    static uint8_t table[] = {
        0, 0x18, 0, 0,  1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        'B', 'I', 'O', 'S', 0, '1', '.', '0', 0, 0,
        1, 0x1b, 1, 0,  1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        'Q', 'E', 'M', 'U', 0, 'S', 't', 'a', 'n', 'd', 'a', 'r', 'd', ' ', 'P', 'C', 0, '1', 0, 'S', 'N', 0, 0,
        127, 4, 2, 0, 0, 0 };
    static uint8_t ep3[0x18] = { '_', 'S', 'M', '3', '_' };
    uint32_t len = sizeof table;
    uint64_t addr = (uintptr_t)table;
    memcpy(ep3 + 0x0c, &len, 4);
    memcpy(ep3 + 0x10, &addr, 8);
    bi.smbios3_addr = (uintptr_t)ep3;
    const char *s = smbios_string(&bi, 1, 5);
    EXPECT(s && strcmp(s, "Standard PC") == 0, "smbios_string: type 1 product name through _SM3_");
    s = smbios_string(&bi, 0, 5);
    EXPECT(s && strcmp(s, "1.0") == 0, "smbios_string: second string of type 0");
    EXPECT(smbios_string(&bi, 17, 4) == 0, "smbios_string: absent type");
    static uint8_t ep2[0x1f] = { '_', 'S', 'M', '_' };
    uint16_t len16 = sizeof table;
    uint32_t addr32 = (uint32_t)(uintptr_t)table;
    memcpy(ep2 + 0x16, &len16, 2);
    memcpy(ep2 + 0x18, &addr32, 4);
    bi.smbios3_addr = 0;
    bi.smbios_addr = (uintptr_t)ep2;
    if ((uintptr_t)table == addr32) {
        s = smbios_string(&bi, 1, 4);
        EXPECT(s && strcmp(s, "QEMU") == 0, "smbios_string: manufacturer through _SM_");
    }

    static uint8_t edid[128] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
    edid[54] = 0xbc; edid[55] = 0x1b; edid[56] = 0x00; edid[58] = 0x50; edid[59] = 0x20; edid[61] = 0x30;
    bi.edid_addr = (uintptr_t)edid; bi.edid_size = 128;
    uint32_t w = 0, h = 0;
    EXPECT(edid_preferred(&bi, &w, &h) == 0 && w == 1280 && h == 800, "edid_preferred: 1280x800");
    bi.edid_addr = 0; bi.edid_size = 0;
    EXPECT(edid_preferred(&bi, &w, &h) == -1, "edid_preferred: no EDID");

    /* map_efi_runtime: only the runtime descriptor, with the map's stride */
    static uint8_t emap[3 * 48];
    struct efi_memory_descriptor d[3] = { { 7, 0, 0x100000, 0, 16, 0xf }, { 6, 0, 0x7f000000, 0, 4, EFI_MEMORY_RUNTIME | 0xf },
                                          { 2, 0, 0x200000, 0, 1, 0xf } };
    for (int i = 0; i < 3; i++) memcpy(emap + 48 * i, &d[i], sizeof d[i]);
    bi.efi_mmap_addr = (uintptr_t)emap; bi.efi_mmap_size = sizeof emap; bi.efi_mmap_desc_size = 48;
    map_efi_runtime(&bi, note_map);
    EXPECT(mapped_count == 1 && mapped_phys == 0x7f000000 && mapped_len == 0x4000, "map_efi_runtime: the runtime range, 1:1");
    EXPECT(efi_now(&bi, 0) == -1, "efi_now: -1 under BIOS (no system table)");
    return fails != 0;
}
C
# a map_identity callback for map_efi_runtime, ahead of the examples
sed -i 's|#include "examples.c"|static int mapped_count; static uint64_t mapped_phys, mapped_len;\nstatic void note_map(uint64_t p, uint64_t l) { mapped_count++; mapped_phys = p; mapped_len = l; }\n#include "examples.c"|' "$T/host.c"
if gcc -std=gnu11 -g -no-pie -Wall -Wno-unused-function -fsanitize=address,undefined -fno-sanitize-recover=all \
     -I"$TOP/common" -I"$T" "$T/host.c" -o "$T/host" 2>"$T/cc.log"; then
  pass "the examples build for the host with ASan/UBSan"
  "$T/host" || FAILS=$((FAILS + 1))
else
  fail "the examples build for the host with ASan/UBSan"; sed 's/^/    /' "$T/cc.log" | head -20
fi
finish
