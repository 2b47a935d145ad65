/* Timing lines (see timing.h). All integer arithmetic: the kernel has no
 * floating point (-mgeneral-regs-only). */
#include "timing.h"

#include "fmt.h"

char *timing_ms(char *buf, size_t n, uint64_t ticks, uint64_t hz)
{
    if (hz == 0) {
        fmt_snprintf(buf, n, "? ms");
        return buf;
    }
    /* microseconds without overflowing: whole seconds and the rest apart */
    uint64_t us = ticks / hz * 1000000 + ticks % hz * 1000000 / hz;
    fmt_snprintf(buf, n, "%llu.%03llu ms", (unsigned long long)(us / 1000),
                 (unsigned long long)(us % 1000));
    return buf;
}

uint64_t timing_span(uint64_t a, uint64_t b)
{
    return a && b && b >= a ? b - a : 0;
}

int timing_human_line(char *buf, size_t n, const struct boot_timing *t, uint64_t kernel_entry)
{
    char loader[32], read[32], fw[32], jump[32];
    uint64_t hz = t->tsc_hz;
    timing_ms(loader, sizeof loader, timing_span(t->tsc_loader_entry, t->tsc_kernel_jump), hz);
    timing_ms(read, sizeof read, t->kernel_read_ticks, hz);
    timing_ms(jump, sizeof jump, timing_span(t->tsc_kernel_jump, kernel_entry), hz);

    /* read throughput in KiB/s; KiB * hz stays far below 2^64 for any
     * kernel file smaller than a terabyte */
    unsigned long long kib_s = 0;
    uint64_t kib = t->kernel_file_size / 1024;
    if (hz && t->kernel_read_ticks && kib < ~0ULL / hz)
        kib_s = kib * hz / t->kernel_read_ticks;
    int len = fmt_snprintf(buf, n,
                           "hyboot: kernel timing: loader %s (entry->jump), kernel read %s "
                           "(%llu KiB, %u calls, %llu KiB/s), jump->kernel %s",
                           loader, read, (unsigned long long)(t->kernel_file_size / 1024),
                           t->disk_read_calls, kib_s, jump);
    if (t->tsc_firmware_handoff) {
        timing_ms(fw, sizeof fw, timing_span(t->tsc_firmware_handoff, t->tsc_loader_entry), hz);
        len += fmt_snprintf(buf + (len < (int)n ? len : (int)n), n > (size_t)len ? n - len : 0,
                            ", stage1->loader %s", fw);
    }
    return len;
}

/* The machine lines are put together without fmt: in a `bench` boot they
 * are the kernel's last work before QEMU exits, and under an emulator
 * every routine that runs for the first time is code to translate
 * (docs/performance.md). Same contract as snprintf: the full length is
 * returned, the buffer is cut and NUL-terminated. */
struct line {
    char *buf;
    size_t n, len;
};

static void put(struct line *l, const char *s)
{
    for (; *s; s++, l->len++)
        if (l->len + 1 < l->n)
            l->buf[l->len] = *s;
    if (l->n)
        l->buf[l->len < l->n ? l->len : l->n - 1] = '\0';
}

static void put_u64(struct line *l, const char *key, uint64_t v)
{
    char d[21];
    int i = 20;
    d[20] = '\0';
    do
        d[--i] = (char)('0' + v % 10);
    while (v /= 10);
    put(l, key);
    put(l, d + i);
}

int timing_machine_line(char *buf, size_t n, const struct boot_timing *t, uint64_t kernel_entry)
{
    struct line l = { buf, n, 0 };
    put_u64(&l, "hyboot: timing tsc_hz=", t->tsc_hz);
    put_u64(&l, " handoff=", t->tsc_firmware_handoff);
    put_u64(&l, " entry=", t->tsc_loader_entry);
    put_u64(&l, " loaded=", t->tsc_kernel_loaded);
    put_u64(&l, " jump=", t->tsc_kernel_jump);
    put_u64(&l, " kernel_bytes=", t->kernel_file_size);
    put_u64(&l, " read_ticks=", t->kernel_read_ticks);
    put_u64(&l, " read_calls=", t->disk_read_calls);
    put_u64(&l, " kernel_entry=", kernel_entry);
    return (int)l.len;
}

int timing_exit_line(char *buf, size_t n, uint64_t tsc)
{
    struct line l = { buf, n, 0 };
    put_u64(&l, "hyboot: bench kernel_exit=", tsc);
    return (int)l.len;
}
