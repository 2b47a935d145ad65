#include "memory.h"

#include <stdint.h>

#include "service.h"


/* The BIOS writes here; must be below 1 MiB (stage2's bss is). */
struct e820_entry e820_buf __attribute__((aligned(16)));

static uint32_t e820_type(uint32_t t)
{
    switch (t) {
    case 1: return BOOT_MEM_USABLE;
    case 3: return BOOT_MEM_ACPI_RECLAIM;
    case 4: return BOOT_MEM_ACPI_NVS;
    case 5: return BOOT_MEM_BAD;
    default: return BOOT_MEM_RESERVED;     /* 2, and anything we do not know */
    }
}

static int try_e820(struct mm_map *m)
{
    uint32_t cont = 0;
    int entries = 0;
    for (int i = 0; i < 256; i++) {
        e820_buf = (struct e820_entry){ .ext = 1 };   /* 20-byte answers count as valid */
        struct bios_regs r = {
            .eax = 0xe820, .ebx = cont, .ecx = sizeof e820_buf, .edx = SMAP,
            .es = rm_seg(&e820_buf), .edi = rm_off(&e820_buf),
        };
        bios_service(0x15, &r);
        /* CF set: error on the first call, "past the end" on later ones */
        if ((r.eflags & EFLAGS_CF) || r.eax != SMAP)
            break;
        uint32_t got = r.ecx & 0xff;
        /* ACPI 3.0: an entry whose "valid" bit is clear is to be ignored */
        if (!(got > 20 && !(e820_buf.ext & 1)) && e820_buf.length) {
            if (mm_add(m, e820_buf.base, e820_buf.length, e820_type(e820_buf.type)))
                break;
            entries++;
        }
        cont = r.ebx;
        if (!cont)
            break;
    }
    return entries;
}

/* Conventional memory below the EBDA (INT 12h), as usable. */
static void add_low_memory(struct mm_map *m)
{
    struct bios_regs r = { 0 };
    bios_service(0x12, &r);
    uint32_t kib = r.eax & 0xffff;
    if (kib == 0 || kib > 640)
        kib = 639;
    mm_add(m, 0, (uint64_t)kib << 10, BOOT_MEM_USABLE);
}

static int try_e801(struct mm_map *m)
{
    struct bios_regs r = { .eax = 0xe801 };
    bios_service(0x15, &r);
    if (r.eflags & EFLAGS_CF)
        return 0;
    /* some BIOSes answer in AX/BX, others in CX/DX */
    uint32_t kib_1m = r.ecx & 0xffff, blocks_16m = r.edx & 0xffff;
    if (!kib_1m && !blocks_16m) {
        kib_1m = r.eax & 0xffff;
        blocks_16m = r.ebx & 0xffff;
    }
    if (!kib_1m)
        return 0;
    add_low_memory(m);
    mm_add(m, 1u << 20, (uint64_t)kib_1m << 10, BOOT_MEM_USABLE);
    mm_add(m, 16u << 20, (uint64_t)blocks_16m << 16, BOOT_MEM_USABLE);
    return 1;
}

static int try_88h(struct mm_map *m)
{
    struct bios_regs r = { .eax = 0x8800 };
    bios_service(0x15, &r);
    uint32_t kib = r.eax & 0xffff;
    if ((r.eflags & EFLAGS_CF) || !kib)
        return 0;
    add_low_memory(m);
    mm_add(m, 1u << 20, (uint64_t)kib << 10, BOOT_MEM_USABLE);
    return 1;
}

const char *memory_detect(struct mm_map *m)
{
    const char *how = 0;
    if (try_e820(m)) {
        how = "E820";
    } else {
        if (try_e801(m))
            how = "E801h";
        else if (try_88h(m))
            how = "AH=88h";
        /* these say nothing about the BIOS area: keep off it */
        mm_add(m, 0xa0000, 0x60000, BOOT_MEM_RESERVED);
    }
    if (!how || mm_normalize(m))
        return 0;
    return how;
}
