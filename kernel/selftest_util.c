/* Shared self-test helpers (see selftest_util.h). */
#include "selftest_util.h"

#include <stdarg.h>

#include "fmt.h"
#include "kprint.h"
#include "mem.h"

void st_fail(struct st *st, const char *fmt, ...)
{
    char buf[200];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (st->failures++ == 0)
        hy_strlcpy(st->first, buf, sizeof st->first);
    kprint_set_color(KCOLOR_PANIC);
    kprintf("hyboot: kernel selftest: failed: %s\n", buf);
    kprint_set_color(KCOLOR_TEXT);
}

const struct boot_mmap_entry *st_map(const struct boot_info *bi)
{
    return (const struct boot_mmap_entry *)(uintptr_t)bi->mmap_addr;
}

int st_inside(const struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    const struct boot_mmap_entry *e = st_map(bi);
    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        if (e[i].type == type && base >= e[i].base && base - e[i].base <= e[i].length &&
            len <= e[i].length - (base - e[i].base))
            return 1;
    }
    return 0;
}

int st_touches(const struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    const struct boot_mmap_entry *e = st_map(bi);
    for (uint32_t i = 0; i < bi->mmap_count; i++)
        if (e[i].type == type && base < e[i].base + e[i].length && e[i].base < base + len)
            return 1;
    return 0;
}

uint64_t st_map_top(const struct boot_info *bi)
{
    const struct boot_mmap_entry *e = st_map(bi);
    uint64_t top = 0;
    for (uint32_t i = 0; i < bi->mmap_count; i++)
        if (e[i].base + e[i].length > top)
            top = e[i].base + e[i].length;
    return top;
}
