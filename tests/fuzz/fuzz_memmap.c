/* Memory map translation: the firmware's map turned into the boot map
 * (stage2's E820 reading in bios/memory.c, BOOTX64.EFI's EFI map in
 * uefi/mmap_logic.c), then the loaders' carving (mm_set_pages,
 * mm_find_usable) and the protocol's invariants on the result.
 * Byte 0 picks the source:
 *   even: E820, the rest are answers of 24 bytes (base, length, type,
 *         attributes) to INT 15h AX=E820h; an answer's low attribute
 *         byte's bit 7 makes it a 20-byte answer
 *   odd:  an EFI memory map, descriptor size 40 + 8 * (byte 1 % 8),
 *         the rest the descriptors
 * The last 24 bytes also serve as a range to carve and to find room in. */
#include <stdint.h>
#include <string.h>

#include "bioscall.h"
#include "memmap.h"
#include "memory.h"
#include "mmap_logic.h"
#include "service.h"

#define MAP_CAP 256
static struct boot_mmap_entry entries[MAP_CAP];
static const uint8_t *answers;
static size_t answer_count;

static uint64_t le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* The one BIOS entry point memory.c calls: E820 answers from the input;
 * no E801h / AH=88h (so an empty E820 leaves the map empty). */
void bios_service(int vector, struct bios_regs *r)
{
    r->eflags = EFLAGS_CF;
    if (vector == 0x12) {
        r->eax = 639;
        r->eflags = 0;
        return;
    }
    if (vector != 0x15 || r->eax != 0xe820 || r->ebx >= answer_count)
        return;
    const uint8_t *a = answers + (size_t)r->ebx * 24;
    int short_answer = a[20] & 0x80;
    memcpy(&e820_buf, a, short_answer ? 20 : 24);
    r->eax = SMAP;
    r->ecx = short_answer ? 20 : 24;
    r->ebx = r->ebx + 1 < answer_count ? r->ebx + 1 : 0;
    r->eflags = 0;
}

static void check_normalized(const struct mm_map *m)
{
    for (uint32_t i = 0; i < m->count; i++) {
        const struct boot_mmap_entry *e = &m->e[i];
        if (e->length == 0 || e->length > ~0ULL - e->base)
            __builtin_trap();
        if (i && m->e[i - 1].base + m->e[i - 1].length > e->base)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct mm_map m;
    mm_init(&m, entries, MAP_CAP);
    int ok;
    if (!(data[0] & 1)) {
        answers = data + 1;
        answer_count = (size - 1) / 24;
        ok = memory_detect(&m) != NULL;
    } else {
        uint64_t desc = EFIMD_MIN_SIZE + 8u * (data[1] % 8);
        ok = efi_map_translate(&m, data + 2, size - 2, desc) == 0;
        efi_map_top(data + 2, size - 2, desc);
    }
    if (!ok)
        return 0;
    check_normalized(&m);
    mm_check(m.e, m.count);
    if (size >= 26) {
        const uint8_t *t = data + size - 24;
        uint64_t base = le64(t), len = le64(t + 8) & ((1ULL << 40) - 1);
        uint64_t align = 4096ULL << (t[16] % 20);
        uint64_t found = mm_find_usable(&m, len ? len : 4096, align, 4096, ~0ULL);
        if (found && (found % align))
            __builtin_trap();
        if (mm_set_pages(&m, base, len, BOOT_MEM_KERNEL + t[17] % 3) == 0)
            check_normalized(&m);
    }
    return 0;
}
