/* The boot protocol's memory map: build, normalize, carve, check.
 *
 * Everything works in place on the caller's array with insertion-style
 * edits: maps are a few hundred entries at most, so simple O(n^2) code is
 * fast enough and easy to trust. 64-bit arithmetic uses only shifts, adds
 * and compares, so the 32-bit stage2 needs no libgcc. */
#include "memmap.h"

#define PAGE 4096ULL
#define U64_MAX (~0ULL)

void mm_init(struct mm_map *m, struct boot_mmap_entry *buf, uint32_t cap)
{
    m->e = buf;
    m->count = 0;
    m->cap = cap;
}

static uint64_t end_of(const struct boot_mmap_entry *e)
{
    return e->base + e->length;
}

static int known_type(uint32_t t)
{
    return t >= BOOT_MEM_USABLE && t <= BOOT_MEM_TYPE_MAX;
}

/* Higher wins an overlap: bad > reserved/NVS > ACPI reclaim >
 * framebuffer > kernel/module > loader > usable. */
static int priority(uint32_t t)
{
    switch (t) {
    case BOOT_MEM_BAD:          return 7;
    case BOOT_MEM_RESERVED:     return 6;
    case BOOT_MEM_ACPI_NVS:     return 6;
    case BOOT_MEM_ACPI_RECLAIM: return 5;
    case BOOT_MEM_FRAMEBUFFER:  return 4;
    case BOOT_MEM_KERNEL:       return 3;
    case BOOT_MEM_MODULE:       return 3;
    case BOOT_MEM_LOADER:       return 2;
    case BOOT_MEM_USABLE:       return 1;
    default:                    return 6; /* unknown: treat as reserved */
    }
}

static void remove_at(struct mm_map *m, uint32_t i)
{
    for (uint32_t k = i; k + 1 < m->count; k++)
        m->e[k] = m->e[k + 1];
    m->count--;
}

/* Inserts keeping the array sorted by base (after equal bases). The
 * caller made sure there is room. */
static void insert_sorted(struct mm_map *m, uint64_t base, uint64_t length, uint32_t type)
{
    uint32_t i = m->count;
    while (i > 0 && m->e[i - 1].base > base) {
        m->e[i] = m->e[i - 1];
        i--;
    }
    m->e[i].base = base;
    m->e[i].length = length;
    m->e[i].type = type;
    m->e[i].reserved = 0;
    m->count++;
}

int mm_add(struct mm_map *m, uint64_t base, uint64_t length, uint32_t type)
{
    if (length == 0)
        return 0;
    if (m->count >= m->cap)
        return -1;
    if (length > U64_MAX - base) /* clip a range that would wrap past 2^64 */
        length = U64_MAX - base;
    struct boot_mmap_entry *e = &m->e[m->count++];
    e->base = base;
    e->length = length;
    e->type = type;
    e->reserved = 0;
    return 0;
}

/* Stable insertion sort by base. */
static void sort_by_base(struct mm_map *m)
{
    for (uint32_t i = 1; i < m->count; i++) {
        struct boot_mmap_entry x = m->e[i];
        uint32_t k = i;
        while (k > 0 && m->e[k - 1].base > x.base) {
            m->e[k] = m->e[k - 1];
            k--;
        }
        m->e[k] = x;
    }
}

/* Merges touching or overlapping neighbours of one type (the map must be
 * sorted and otherwise disjoint). */
static void merge_neighbours(struct mm_map *m)
{
    uint32_t i = 0;
    while (i + 1 < m->count) {
        struct boot_mmap_entry *a = &m->e[i], *b = &m->e[i + 1];
        if (a->type == b->type && end_of(a) >= b->base) {
            uint64_t end = end_of(b) > end_of(a) ? end_of(b) : end_of(a);
            a->length = end - a->base;
            remove_at(m, i + 1);
        } else {
            i++;
        }
    }
}

int mm_normalize(struct mm_map *m)
{
    /* raw entries may come from anywhere: drop empties, clip wraps,
     * give unknown types the meaning "reserved" */
    for (uint32_t i = 0; i < m->count;) {
        struct boot_mmap_entry *e = &m->e[i];
        if (e->length == 0) {
            remove_at(m, i);
            continue;
        }
        if (e->length > U64_MAX - e->base)
            e->length = U64_MAX - e->base;
        if (!known_type(e->type))
            e->type = BOOT_MEM_RESERVED;
        i++;
    }
    sort_by_base(m);

    /* Sweep: everything before index i is final and disjoint; e[i]
     * starts no earlier than those. Resolve e[i] against e[i+1] until
     * they no longer overlap. Every edit keeps the array sorted. */
    uint32_t i = 0;
    while (i + 1 < m->count) {
        struct boot_mmap_entry *a = &m->e[i], *b = &m->e[i + 1];
        uint64_t a_end = end_of(a), b_end = end_of(b);
        if (a_end <= b->base) {
            i++;
            continue;
        }
        if (a->type == b->type) {
            a->length = (b_end > a_end ? b_end : a_end) - a->base;
            remove_at(m, i + 1);
        } else if (priority(a->type) >= priority(b->type)) {
            /* b loses the part a covers */
            if (b_end <= a_end) {
                remove_at(m, i + 1);
            } else {
                struct boot_mmap_entry rest = *b;
                remove_at(m, i + 1);
                insert_sorted(m, a_end, b_end - a_end, rest.type);
            }
        } else {
            /* a loses [b.base, min(a_end, b_end)); its tail past b
             * survives as a new entry */
            uint32_t a_type = a->type;
            if (a_end > b_end) {
                if (m->count >= m->cap)
                    return -1;
            }
            uint64_t head = b->base - a->base;
            if (a_end > b_end)
                insert_sorted(m, b_end, a_end - b_end, a_type);
            a = &m->e[i];
            if (head == 0)
                remove_at(m, i);
            else
                a->length = head;
        }
    }

    /* merge before shrinking, so two unaligned halves of one usable
     * range stay one range */
    merge_neighbours(m);

    /* usable memory must be whole 4 KiB pages */
    for (uint32_t k = 0; k < m->count;) {
        struct boot_mmap_entry *e = &m->e[k];
        if (e->type == BOOT_MEM_USABLE) {
            uint64_t end = end_of(e) & ~(PAGE - 1);
            uint64_t base = e->base > U64_MAX - (PAGE - 1) ? U64_MAX & ~(PAGE - 1)
                                                           : (e->base + PAGE - 1) & ~(PAGE - 1);
            if (end <= base) {
                remove_at(m, k);
                continue;
            }
            e->base = base;
            e->length = end - base;
        }
        k++;
    }
    return 0;
}

int mm_set(struct mm_map *m, uint64_t base, uint64_t length, uint32_t type)
{
    if (length == 0)
        return 0;
    if (length > U64_MAX - base)
        length = U64_MAX - base;
    uint64_t end = base + length;

    /* room check first, so a full map is left untouched */
    uint32_t removed = 0, split = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        const struct boot_mmap_entry *e = &m->e[i];
        if (e->base >= base && end_of(e) <= end)
            removed++;
        else if (e->base < base && end_of(e) > end)
            split++;
    }
    if (m->count - removed + split + 1 > m->cap)
        return -1;

    for (uint32_t i = 0; i < m->count;) {
        struct boot_mmap_entry *e = &m->e[i];
        uint64_t e_end = end_of(e);
        if (e_end <= base || e->base >= end) {
            i++;
        } else if (e->base >= base && e_end <= end) {
            remove_at(m, i);
        } else if (e->base < base && e_end > end) {
            uint32_t t = e->type;
            e->length = base - e->base;
            insert_sorted(m, end, e_end - end, t);
            i++;
        } else if (e->base < base) {
            e->length = base - e->base;
            i++;
        } else {
            /* starts inside, ends after: keep the tail; the base moves
             * up but stays below the next entry's base only if the map
             * was disjoint, so re-sort below */
            e->length = e_end - end;
            e->base = end;
            i++;
        }
    }
    insert_sorted(m, base, length, type);
    sort_by_base(m);
    return mm_normalize(m);
}

int mm_set_pages(struct mm_map *m, uint64_t base, uint64_t length, uint32_t type)
{
    uint64_t lo = base & ~4095ULL, hi = (base + length + 4095) & ~4095ULL;
    return mm_set(m, lo, hi - lo, type);
}

uint64_t mm_find_usable(const struct mm_map *m, uint64_t size, uint64_t align,
                        uint64_t min, uint64_t max)
{
    if (align == 0)
        align = 1;
    uint64_t mask = align - 1; /* align is a power of two */
    uint64_t best = 0;
    int found = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        const struct boot_mmap_entry *e = &m->e[i];
        if (e->type != BOOT_MEM_USABLE)
            continue;
        uint64_t lo = e->base > min ? e->base : min;
        if (lo > U64_MAX - mask)
            continue;
        uint64_t a = (lo + mask) & ~mask;
        uint64_t hi = end_of(e) < max ? end_of(e) : max;
        if (a >= hi || size > hi - a)
            continue;
        if (!found || a < best) {
            best = a;
            found = 1;
        }
    }
    return found ? best : 0;
}

uint64_t mm_total(const struct boot_mmap_entry *e, uint32_t count, uint32_t type)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (e[i].type == type)
            sum += e[i].length;
    }
    return sum;
}

uint64_t mm_top(const struct boot_mmap_entry *e, uint32_t count, uint32_t type)
{
    uint64_t top = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (e[i].type == type && end_of(&e[i]) > top)
            top = end_of(&e[i]);
    }
    return top;
}

const char *mm_check(const struct boot_mmap_entry *e, uint32_t count)
{
    if (count == 0)
        return "memory map is empty";
    int usable = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (e[i].length == 0)
            return "zero-length entry";
        if (e[i].length > U64_MAX - e[i].base)
            return "entry wraps past 2^64";
        if (!known_type(e[i].type))
            return "unknown entry type";
        if (e[i].type == BOOT_MEM_USABLE)
            usable = 1;
        if (i > 0) {
            if (e[i].base < e[i - 1].base)
                return "entries not sorted by base";
            if (e[i].base < end_of(&e[i - 1]))
                return "entries overlap";
        }
    }
    if (!usable)
        return "no usable memory";
    return 0;
}

const char *mm_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE:       return "usable";
    case BOOT_MEM_RESERVED:     return "reserved";
    case BOOT_MEM_ACPI_RECLAIM: return "ACPI reclaimable";
    case BOOT_MEM_ACPI_NVS:     return "ACPI NVS";
    case BOOT_MEM_BAD:          return "bad";
    case BOOT_MEM_LOADER:       return "loader";
    case BOOT_MEM_KERNEL:       return "kernel";
    case BOOT_MEM_FRAMEBUFFER:  return "framebuffer";
    case BOOT_MEM_MODULE:       return "module";
    default:                    return "unknown";
    }
}
