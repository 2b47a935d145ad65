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

int timing_machine_line(char *buf, size_t n, const struct boot_timing *t, uint64_t kernel_entry)
{
    return fmt_snprintf(buf, n,
                        "hyboot: timing tsc_hz=%llu handoff=%llu entry=%llu loaded=%llu jump=%llu "
                        "kernel_bytes=%llu read_ticks=%llu read_calls=%u kernel_entry=%llu",
                        (unsigned long long)t->tsc_hz, (unsigned long long)t->tsc_firmware_handoff,
                        (unsigned long long)t->tsc_loader_entry,
                        (unsigned long long)t->tsc_kernel_loaded,
                        (unsigned long long)t->tsc_kernel_jump,
                        (unsigned long long)t->kernel_file_size,
                        (unsigned long long)t->kernel_read_ticks, t->disk_read_calls,
                        (unsigned long long)kernel_entry);
}
