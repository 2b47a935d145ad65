/* The kernel self-test (cmdline word `test`): checks that what the loader
 * handed over is what docs/protocol.md promises, prints SELFTEST PASS or
 * SELFTEST FAIL: <reason>, and tells QEMU through isa-debug-exit.
 *
 * Every check runs even after a failure, so one boot reports every
 * problem; the SELFTEST FAIL line names the first. */
#include "selftest.h"

#include "cpu.h"
#include "fmt.h"
#include "io.h"
#include "kprint.h"
#include "mem.h"
#include "memmap.h"
#include "pad.h"
#include "selftest_util.h"
#include "selftest_v2.h"
#include "vm.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

extern const char __kernel_start[], __kernel_end[];

/* Index of the first NUL in s[0..n), or -1. */
static int memchr_nul(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] == '\0')
            return i;
    return -1;
}

static void check_header(struct st *st, const struct boot_info *bi)
{
    st->checks++;
    if (bi->magic != BOOT_INFO_MAGIC)
        st_fail(st, "boot_info magic 0x%llx, want 0x%llx", (unsigned long long)bi->magic,
              (unsigned long long)BOOT_INFO_MAGIC);
    st->checks++;
    if (bi->version < BOOT_INFO_VERSION)
        st_fail(st, "boot_info version %u, want %u or newer", bi->version, BOOT_INFO_VERSION);
    st->checks++;
    if (bi->size < sizeof(struct boot_info))
        st_fail(st, "boot_info size %u, want at least %u", bi->size, (unsigned)sizeof(struct boot_info));
    st->checks++;
    if (bi->firmware != BOOT_FW_BIOS && bi->firmware != BOOT_FW_UEFI)
        st_fail(st, "firmware kind %u is neither BIOS nor UEFI", bi->firmware);
    st->checks++;
    if (bi->loader_name[0] == '\0' || memchr_nul(bi->loader_name, BOOT_LOADER_NAME_LEN) < 0)
        st_fail(st, "loader_name empty or not NUL-terminated");
}

static void check_memmap(struct st *st, const struct boot_info *bi)
{
    st->checks++;
    if (bi->mmap_entry_size != sizeof(struct boot_mmap_entry)) {
        st_fail(st, "mmap_entry_size %u, want %u", bi->mmap_entry_size,
              (unsigned)sizeof(struct boot_mmap_entry));
        return;
    }
    st->checks++;
    const char *why = mm_check(st_map(bi), bi->mmap_count);
    if (why)
        st_fail(st, "memory map: %s", why);
    st->checks++;
    if (mm_total(st_map(bi), bi->mmap_count, BOOT_MEM_USABLE) == 0)
        st_fail(st, "no usable memory in the map");
    st->checks++;
    if (!st_inside(bi, (uint64_t)(uintptr_t)bi, bi->size, BOOT_MEM_LOADER))
        st_fail(st, "boot_info at 0x%llx not inside a loader region", (unsigned long long)(uintptr_t)bi);
    st->checks++;
    if (!st_inside(bi, bi->mmap_addr, (uint64_t)bi->mmap_count * sizeof(struct boot_mmap_entry),
                BOOT_MEM_LOADER))
        st_fail(st, "memory map array at 0x%llx not inside a loader region",
              (unsigned long long)bi->mmap_addr);
}

static void check_kernel_range(struct st *st, const struct boot_info *bi)
{
    st->checks++;
    if (bi->kernel_phys_base % (2 * MiB))
        st_fail(st, "kernel_phys_base 0x%llx not 2 MiB aligned", (unsigned long long)bi->kernel_phys_base);
    st->checks++;
    if (bi->kernel_size == 0 || bi->kernel_size % (4 * KiB))
        st_fail(st, "kernel_size 0x%llx not a positive multiple of 4 KiB",
              (unsigned long long)bi->kernel_size);
    st->checks++;
    if (!st_inside(bi, bi->kernel_phys_base, bi->kernel_size, BOOT_MEM_KERNEL))
        st_fail(st, "kernel 0x%llx+0x%llx not inside a kernel region of the map",
              (unsigned long long)bi->kernel_phys_base, (unsigned long long)bi->kernel_size);

    /* the code running now and all of our image lie in the reported span */
    uint64_t lo = (uint64_t)(uintptr_t)__kernel_start, hi = (uint64_t)(uintptr_t)__kernel_end;
    uint64_t here = (uint64_t)(uintptr_t)&selftest_run;
    st->checks++;
    if (here < bi->kernel_virt_base || here - bi->kernel_virt_base >= bi->kernel_size ||
        lo < bi->kernel_virt_base || hi - bi->kernel_virt_base > bi->kernel_size)
        st_fail(st, "kernel at 0x%llx..0x%llx outside kernel_virt_base 0x%llx+0x%llx",
              (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)bi->kernel_virt_base,
              (unsigned long long)bi->kernel_size);

    /* the page tables really map our link address to the reported base */
    int ok;
    uint64_t phys = vm_translate(here, &ok);
    uint64_t want = bi->kernel_phys_base + (here - bi->kernel_virt_base);
    st->checks++;
    if (!ok || phys != want)
        st_fail(st, "page tables map 0x%llx to 0x%llx, kernel_phys_base says 0x%llx",
              (unsigned long long)here, (unsigned long long)phys, (unsigned long long)want);
}

static void check_identity_map(struct st *st, const struct boot_info *bi)
{
    uint64_t top = mm_top(st_map(bi), bi->mmap_count, BOOT_MEM_USABLE);
    uint64_t probes[] = { 0x1000, 2 * MiB, 4 * GiB - 4 * KiB, top > 4 * KiB ? top - 4 * KiB : 0x1000 };
    st->checks++;
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        int ok;
        uint64_t p = vm_translate(probes[i], &ok);
        if (!ok || p != probes[i]) {
            st_fail(st, "identity map missing at 0x%llx", (unsigned long long)probes[i]);
            return;
        }
    }
}

static void check_framebuffer(struct st *st, const struct boot_info *bi)
{
    const struct boot_framebuffer *fb = &bi->fb;
    if (fb->kind == BOOT_FB_NONE)
        return;
    struct textcon *tc = kprint_console();
    st->checks++;
    if (fb->kind == BOOT_FB_RGB) {
        if (tc->kind != TC_FB) {
            st_fail(st, "framebuffer described but unusable (%ux%u %ubpp pitch %u)", fb->width, fb->height,
                  fb->bpp, fb->pitch);
            return;
        }
        st->checks++;
        if (fb->size < (uint64_t)fb->pitch * fb->height)
            st_fail(st, "framebuffer size %llu smaller than pitch*height", (unsigned long long)fb->size);
        /* first and last pixel: the last one proves the whole
         * pitch*height range is mapped and backed */
        const struct fb_surface *s = &tc->fb;
        uint32_t xs[2] = { 0, s->width - 1 }, ys[2] = { 0, s->height - 1 };
        uint32_t mask = s->bpp == 32 ? 0xffffffffu : 0xffffffu;
        st->checks++;
        for (int i = 0; i < 2; i++) {
            uint32_t saved = fbs_get(s, xs[i], ys[i]);
            uint32_t pattern = fbs_color(s, i ? 0x5aa5c3 : 0xa55a3c) & mask;
            fbs_put(s, xs[i], ys[i], pattern);
            uint32_t back = fbs_get(s, xs[i], ys[i]) & mask;
            fbs_put(s, xs[i], ys[i], saved);
            if (back != pattern) {
                st_fail(st, "framebuffer pixel (%u,%u) at 0x%llx reads back 0x%x, wrote 0x%x", xs[i], ys[i],
                      (unsigned long long)fb->addr, back, pattern);
                break;
            }
        }
    } else if (fb->kind == BOOT_FB_VGA_TEXT) {
        if (tc->kind != TC_VGA) {
            st_fail(st, "VGA text mode described but unusable");
            return;
        }
        volatile uint16_t *cell = tc->vga + tc->cols * tc->rows - 1;
        uint16_t saved = *cell;
        *cell = 0x1e5a;
        uint16_t back = *cell;
        *cell = saved;
        if (back != 0x1e5a)
            st_fail(st, "VGA text cell at 0x%llx reads back 0x%x", (unsigned long long)(uintptr_t)cell, back);
    } else {
        st_fail(st, "framebuffer kind %u unknown", fb->kind);
    }
}

static int sum8(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

static void check_rsdp(struct st *st, const struct boot_info *bi)
{
    if (bi->rsdp_addr == 0)
        return;
    const uint8_t *r = (const uint8_t *)(uintptr_t)bi->rsdp_addr;
    st->checks++;
    if (memcmp(r, "RSD PTR ", 8) != 0) {
        st_fail(st, "RSDP at 0x%llx has no \"RSD PTR \" signature", (unsigned long long)bi->rsdp_addr);
        return;
    }
    st->checks++;
    if (sum8(r, 20) != 0)
        st_fail(st, "RSDP at 0x%llx: bad checksum", (unsigned long long)bi->rsdp_addr);
    if (r[15] >= 2) {
        uint32_t len = r[20] | r[21] << 8 | r[22] << 16 | (uint32_t)r[23] << 24;
        st->checks++;
        if (len < 36 || len > 4096 || sum8(r, len) != 0)
            st_fail(st, "RSDP at 0x%llx: bad extended checksum (length %u)", (unsigned long long)bi->rsdp_addr,
                  len);
    }
}

static void check_stack_and_cmdline(struct st *st, const struct boot_info *bi, uint64_t entry_rsp)
{
    st->checks++;
    if (bi->stack_size < 64 * KiB)
        st_fail(st, "entry stack is %llu bytes, want at least 64 KiB", (unsigned long long)bi->stack_size);
    st->checks++;
    if (!st_inside(bi, bi->stack_base, bi->stack_size, BOOT_MEM_LOADER))
        st_fail(st, "entry stack 0x%llx+0x%llx not inside a loader region",
              (unsigned long long)bi->stack_base, (unsigned long long)bi->stack_size);
    st->checks++;
    if (entry_rsp % 16)
        st_fail(st, "entry rsp 0x%llx not 16-byte aligned", (unsigned long long)entry_rsp);
    st->checks++;
    if (entry_rsp <= bi->stack_base || entry_rsp - bi->stack_base > bi->stack_size)
        st_fail(st, "entry rsp 0x%llx outside the reported stack 0x%llx+0x%llx", (unsigned long long)entry_rsp,
              (unsigned long long)bi->stack_base, (unsigned long long)bi->stack_size);

    st->checks++;
    if (bi->cmdline_addr == 0) {
        if (bi->cmdline_len != 0)
            st_fail(st, "cmdline_len %u but no cmdline", bi->cmdline_len);
    } else {
        size_t len = strlen((const char *)(uintptr_t)bi->cmdline_addr);
        if (len != bi->cmdline_len)
            st_fail(st, "cmdline_len %u but the string is %u bytes", bi->cmdline_len, (unsigned)len);
        st->checks++;
        if (!st_inside(bi, bi->cmdline_addr, len + 1, BOOT_MEM_LOADER))
            st_fail(st, "cmdline at 0x%llx not inside a loader region", (unsigned long long)bi->cmdline_addr);
    }
}

static void check_entry_state(struct st *st, uint64_t entry_rflags, int bss_was_dirty)
{
    st->checks++;
    if (bss_was_dirty)
        st_fail(st, "kernel .bss was not zeroed by the loader");
    st->checks++;
    if (entry_rflags & (1 << 9))
        st_fail(st, "interrupts were enabled at kernel entry (rflags 0x%llx)", (unsigned long long)entry_rflags);
    st->checks++;
    if (entry_rflags & (1 << 10))
        st_fail(st, "direction flag set at kernel entry (rflags 0x%llx)", (unsigned long long)entry_rflags);
}

static void check_timing(struct st *st, const struct boot_info *bi, uint64_t entry_tsc)
{
    const struct boot_timing *t = &bi->timing;
    st->checks++;
    if (t->tsc_loader_entry == 0 || t->tsc_kernel_jump == 0) {
        st_fail(st, "timing: loader entry/jump stamps missing");
        return;
    }
    st->checks++;
    if ((t->tsc_firmware_handoff && t->tsc_firmware_handoff > t->tsc_loader_entry) ||
        (t->tsc_kernel_loaded && (t->tsc_kernel_loaded < t->tsc_loader_entry ||
                                  t->tsc_kernel_loaded > t->tsc_kernel_jump)) ||
        t->tsc_loader_entry > t->tsc_kernel_jump || t->tsc_kernel_jump > entry_tsc)
        st_fail(st, "timing: TSC stamps out of order (handoff %llu entry %llu loaded %llu jump %llu kernel %llu)",
              (unsigned long long)t->tsc_firmware_handoff, (unsigned long long)t->tsc_loader_entry,
              (unsigned long long)t->tsc_kernel_loaded, (unsigned long long)t->tsc_kernel_jump,
              (unsigned long long)entry_tsc);
}

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

/* RAM the kernel may use: usable plus what it already owns (loader
 * leftovers, its own image, modules), at or above `from`. */
static uint64_t ram_above(const struct boot_info *bi, uint64_t from, uint32_t only_type)
{
    const struct boot_mmap_entry *e = st_map(bi);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        uint32_t t = e[i].type;
        int ram = only_type ? t == only_type
                            : (t == BOOT_MEM_USABLE || t == BOOT_MEM_LOADER || t == BOOT_MEM_KERNEL ||
                               t == BOOT_MEM_MODULE);
        uint64_t end = e[i].base + e[i].length;
        if (!ram || end <= from)
            continue;
        sum += end - (e[i].base > from ? e[i].base : from);
    }
    return sum;
}

/* QEMU (and the PC/AT CMOS convention) records the RAM it was given:
 * 0x34/0x35 = RAM from 16 MiB up to 4 GiB, 0x5b-0x5d = RAM above 4 GiB,
 * both in 64 KiB units. The map must account for nearly all of it. */
static void check_memory_size(struct st *st, const struct boot_info *bi)
{
    uint64_t mid = (uint64_t)(cmos(0x34) | cmos(0x35) << 8) * 64 * KiB;
    uint64_t high = (uint64_t)(cmos(0x5b) | cmos(0x5c) << 8 | (uint32_t)cmos(0x5d) << 16) * 64 * KiB;
    if (mid == 0 && high == 0) {
        kprintf("hyboot: kernel selftest: CMOS reports no memory size, size check skipped\n");
        return;
    }
    uint64_t cmos_total = 16 * MiB + mid + high;
    uint64_t ram = ram_above(bi, 0, 0);
    kprintf("hyboot: kernel selftest: CMOS says %llu MiB (%llu MiB above 4 GiB), map has %llu MiB RAM\n",
            (unsigned long long)(cmos_total / MiB), (unsigned long long)(high / MiB),
            (unsigned long long)(ram / MiB));
    st->checks++;
    if (ram / 8 < cmos_total / 10)
        st_fail(st, "memory map has %llu MiB of RAM, CMOS says %llu MiB (want at least 80%%)",
              (unsigned long long)(ram / MiB), (unsigned long long)(cmos_total / MiB));
    if (high) {
        uint64_t usable_high = ram_above(bi, 4 * GiB, BOOT_MEM_USABLE);
        uint64_t ram_high = ram_above(bi, 4 * GiB, 0);
        st->checks++;
        if (usable_high == 0)
            st_fail(st, "CMOS says %llu MiB above 4 GiB but the map has no usable memory there",
                  (unsigned long long)(high / MiB));
        else if (ram_high / 9 < high / 10)
            st_fail(st, "memory map has %llu MiB above 4 GiB, CMOS says %llu MiB (want at least 90%%)",
                  (unsigned long long)(ram_high / MiB), (unsigned long long)(high / MiB));
    }
}

static void check_pad(struct st *st)
{
    uint64_t size = (uint64_t)(kernel_pad_end - kernel_pad_start);
    if (size == 0)
        return;
    kprintf("hyboot: kernel selftest: checking the %llu MiB pad\n", (unsigned long long)(size / MiB));
    st->checks++;
    uint64_t state = PAD_SEED;
    const uint64_t *w = (const uint64_t *)kernel_pad_start;
    for (uint64_t i = 0; i < size / 8; i++) {
        if (w[i] != pad_next(&state)) {
            st_fail(st, "pad content wrong at offset 0x%llx of %llu MiB (truncated or corrupted load)",
                  (unsigned long long)(i * 8), (unsigned long long)(size / MiB));
            return;
        }
    }
}

void selftest_run(const struct boot_info *bi, uint64_t entry_rsp, uint64_t entry_rflags, uint64_t entry_tsc,
                  int bss_was_dirty)
{
    struct st st = { 0, 0, "" };
    cpu_panic_is_selftest_fail = 1;
    kprintf("hyboot: kernel selftest: running\n");

    check_header(&st, bi);
    if (st.failures == 0) {
        check_entry_state(&st, entry_rflags, bss_was_dirty);
        check_memmap(&st, bi);
        check_kernel_range(&st, bi);
        check_identity_map(&st, bi);
        check_framebuffer(&st, bi);
        check_rsdp(&st, bi);
        check_stack_and_cmdline(&st, bi, entry_rsp);
        check_timing(&st, bi, entry_tsc);
        check_memory_size(&st, bi);
        check_pad(&st);
        selftest_v2(&st, bi);
    }

    if (st.failures == 0) {
        kprintf("hyboot: kernel selftest: %d checks passed\n", st.checks);
        kprint_set_color(KCOLOR_OK);
        kprintf("SELFTEST PASS\n");
        outb(QEMU_EXIT_PORT, QEMU_EXIT_PASS);
    } else {
        kprintf("hyboot: kernel selftest: %d of %d checks failed\n", st.failures, st.checks);
        kprint_set_color(KCOLOR_PANIC);
        kprintf("SELFTEST FAIL: %s\n", st.first);
        outb(QEMU_EXIT_PORT, QEMU_EXIT_FAIL);
    }
    kprint_set_color(KCOLOR_TEXT);
}
