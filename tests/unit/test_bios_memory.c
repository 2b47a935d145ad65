/* stage2's memory detection (bios/memory.c) against a scripted fake BIOS:
 * E820 with the ACPI 3.0 "ignore" bit, 20-byte answers, continuation and
 * CF-terminated lists; the E801h (both register pairs) and AH=88h fallbacks. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "memory.h"
#include "service.h"

struct fake_e820 {
    uint64_t base, length;
    uint32_t type, ext;
    uint32_t bytes;                    /* 20 or 24 */
};

static struct {
    const struct fake_e820 *e820;
    int e820_n;
    int e820_cf_at;                    /* index whose call returns CF (-1: never) */
    int e801;                          /* 0 unsupported, 1 answers in AX/BX, 2 in CX/DX */
    uint32_t kib_1m, blocks_16m;
    uint32_t kib_88;                   /* 0: AH=88h unsupported */
    int calls;
} bios;

/* The one BIOS entry point memory.c uses, scripted. */
void bios_service(int vector, struct bios_regs *r)
{
    bios.calls++;
    if (vector == 0x12) {
        r->eax = 639;
        return;
    }
    if (vector != 0x15) {
        r->eflags |= EFLAGS_CF;
        return;
    }
    uint32_t ax = r->eax & 0xffff;
    if (r->eax == 0xe820) {
        int i = (int)r->ebx;
        if (!bios.e820_n || i == bios.e820_cf_at || i >= bios.e820_n || r->edx != SMAP) {
            r->eflags = EFLAGS_CF;
            return;
        }
        const struct fake_e820 *f = &bios.e820[i];
        /* a 20-byte BIOS leaves the attribute word as the caller set it */
        memcpy(&e820_buf, f, 20);
        if (f->bytes == 24)
            e820_buf.ext = f->ext;
        r->eax = SMAP;
        r->ecx = f->bytes;
        r->ebx = i + 1 < bios.e820_n ? (uint32_t)i + 1 : 0;
        r->eflags = 0;
    } else if (ax == 0xe801) {
        r->eflags = bios.e801 ? 0 : EFLAGS_CF;
        r->eax = r->ebx = r->ecx = r->edx = 0;
        if (bios.e801 == 1) { r->eax = bios.kib_1m; r->ebx = bios.blocks_16m; }
        if (bios.e801 == 2) { r->ecx = bios.kib_1m; r->edx = bios.blocks_16m; }
    } else if (ax == 0x8800) {
        r->eflags = bios.kib_88 ? 0 : EFLAGS_CF;
        r->eax = bios.kib_88;
    } else {
        r->eflags = EFLAGS_CF;
    }
}

static struct boot_mmap_entry buf[64];

static int has(const struct mm_map *m, uint64_t base, uint64_t len, uint32_t type)
{
    for (uint32_t i = 0; i < m->count; i++)
        if (m->e[i].base == base && m->e[i].length == len && m->e[i].type == type)
            return 1;
    return 0;
}

static const char *run(struct mm_map *m)
{
    mm_init(m, buf, 64);
    bios.calls = 0;
    return memory_detect(m);
}

int main(void)
{
    struct mm_map m;
    const char *how;

    static const struct fake_e820 qemu[] = {
        { 0, 0x9fc00, 1, 1, 24 },
        { 0x9fc00, 0x400, 2, 1, 24 },
        { 0xf0000, 0x10000, 2, 1, 24 },
        { 0x100000, 0x1ff00000, 1, 1, 24 },
        { 0x20000000, 0x100000, 1, 0, 24 },       /* ACPI 3.0: ignore me */
        { 0xfffc0000, 0x40000, 2, 1, 20 },        /* 20-byte answer: valid */
        { 0x7fe0000, 0, 1, 1, 24 },               /* zero length: dropped */
        { 0x1ff00000 + 0x100000, 0x10000, 3, 1, 24 },
    };
    memset(&bios, 0, sizeof bios);
    bios.e820 = qemu; bios.e820_n = 8; bios.e820_cf_at = -1;
    how = run(&m);
    CHECK(how && !strcmp(how, "E820"), "e820: used");
    CHECK(has(&m, 0, 0x9f000, BOOT_MEM_USABLE), "e820: low memory, shrunk to 4 KiB");
    CHECK(has(&m, 0x100000, 0x1ff00000, BOOT_MEM_USABLE), "e820: high memory");
    CHECK(!has(&m, 0x20000000, 0x100000, BOOT_MEM_USABLE), "e820: entry with ext bit 0 ignored");
    CHECK(has(&m, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED), "e820: 20-byte entry kept");
    CHECK(has(&m, 0x20000000, 0x10000, BOOT_MEM_ACPI_RECLAIM), "e820: type 3 -> ACPI reclaimable");
    CHECK(mm_check(m.e, m.count) == NULL, "e820: map passes mm_check");
    CHECK(bios.calls == 8, "e820: stops when EBX returns 0");

    /* CF on a later call ends the list (some BIOSes never return EBX=0) */
    memset(&bios, 0, sizeof bios);
    bios.e820 = qemu; bios.e820_n = 8; bios.e820_cf_at = 4;
    how = run(&m);
    CHECK(how && !strcmp(how, "E820"), "e820 cf-end: used");
    CHECK(has(&m, 0x100000, 0x1ff00000, BOOT_MEM_USABLE) && !has(&m, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED),
          "e820 cf-end: entries before CF kept, none after");

    /* no E820: E801h answering in AX/BX */
    memset(&bios, 0, sizeof bios);
    bios.e801 = 1; bios.kib_1m = 15 * 1024; bios.blocks_16m = 240 * 16;   /* 16 + 240 MiB */
    how = run(&m);
    CHECK(how && !strcmp(how, "E801h"), "e801 ax/bx: used");
    CHECK(has(&m, 0x100000, 0xff00000, BOOT_MEM_USABLE), "e801 ax/bx: 1 MiB..256 MiB usable, merged");
    CHECK(has(&m, 0, 0x9f000, BOOT_MEM_USABLE), "e801: INT 12h low memory");
    CHECK(has(&m, 0xa0000, 0x60000, BOOT_MEM_RESERVED), "e801: BIOS area reserved");

    /* E801h answering in CX/DX */
    memset(&bios, 0, sizeof bios);
    bios.e801 = 2; bios.kib_1m = 15 * 1024; bios.blocks_16m = 16;
    how = run(&m);
    CHECK(how && !strcmp(how, "E801h") && has(&m, 0x100000, 0x1000000, BOOT_MEM_USABLE), "e801 cx/dx: used");

    /* only AH=88h */
    memset(&bios, 0, sizeof bios);
    bios.kib_88 = 63 * 1024;
    how = run(&m);
    CHECK(how && !strcmp(how, "AH=88h") && has(&m, 0x100000, 63u << 20, BOOT_MEM_USABLE), "88h: used");

    /* nothing */
    memset(&bios, 0, sizeof bios);
    CHECK(run(&m) == NULL, "no method answers: NULL");
    return check_exit();
}
