/* kmain: what the kernel does after _start (entry.S) gave it a stack.
 *
 *   Hello World!                        first, on serial and screen
 *   boot summary                        firmware, memory, framebuffer, v2 fields, cmdline, timing
 *   crash=ud|pf|gp|de|stack             deliberate exception (tests the panic path)
 *   test                                self-test, QEMU exit 33 (pass) / 35 (fail)
 *   bench                               exit QEMU right after the timing line (and an exit stamp)
 * then halt with the screen showing what happened. */
#include <stdint.h>

#include "boot_info.h"
#include "cmdline.h"
#include "cpu.h"
#include "io.h"
#include "kprint.h"
#include "mem.h"
#include "memmap.h"
#include "selftest.h"
#include "selftest_v2.h"
#include "serial.h"
#include "textcon.h"
#include "timing.h"
#include "variant.h"
#include "vm.h"

/* Filled in by _start before it switches stacks (after zeroing .bss,
 * so they live in .data). */
uint64_t boot_entry_rsp __attribute__((section(".data"))), boot_entry_rflags __attribute__((section(".data"))),
    boot_entry_tsc __attribute__((section(".data"))), boot_entry_bss_dirty __attribute__((section(".data")));

#define MiB (1024ULL * 1024)

void kmain(const struct boot_info *bi);

/* Header checks that must pass before any other field can be trusted. */
static const char *header_problem(const struct boot_info *bi)
{
    if (!bi)
        return "no boot_info (rdi = 0)";
    if (bi->magic != BOOT_INFO_MAGIC)
        return "boot_info magic mismatch (not a hyboot loader?)";
    if (bi->version < BOOT_INFO_VERSION)
        return "boot_info version older than this kernel's";
    if (bi->size < sizeof(struct boot_info))
        return "boot_info smaller than this kernel's struct";
    return 0;
}

static const char *firmware_name(uint32_t fw)
{
    return fw == BOOT_FW_BIOS ? "BIOS" : fw == BOOT_FW_UEFI ? "UEFI" : "unknown";
}

static void print_summary(const struct boot_info *bi, const char *cmdline)
{
    char name[BOOT_LOADER_NAME_LEN + 1];
    memcpy(name, bi->loader_name, BOOT_LOADER_NAME_LEN);
    name[BOOT_LOADER_NAME_LEN] = '\0';
    kprintf("hyboot: kernel firmware=%s loader=\"%s\"\n", firmware_name(bi->firmware), name);
    kprintf("hyboot: kernel image: phys 0x%llx virt 0x%llx size %llu KiB\n",
            (unsigned long long)bi->kernel_phys_base, (unsigned long long)bi->kernel_virt_base,
            (unsigned long long)(bi->kernel_size / 1024));

    const struct boot_mmap_entry *map = (const void *)(uintptr_t)bi->mmap_addr;
    uint32_t regions = 0;
    for (uint32_t i = 0; map && i < bi->mmap_count; i++)
        regions += map[i].type == BOOT_MEM_USABLE;
    uint64_t usable = map ? mm_total(map, bi->mmap_count, BOOT_MEM_USABLE) : 0;
    kprintf("hyboot: kernel memory: %llu MiB usable in %u regions (%u map entries)\n",
            (unsigned long long)(usable / MiB), regions, bi->mmap_count);

    const struct boot_framebuffer *fb = &bi->fb;
    if (fb->kind == BOOT_FB_RGB)
        kprintf("hyboot: kernel framebuffer: %ux%u %ubpp pitch %u at 0x%llx\n", fb->width, fb->height,
                fb->bpp, fb->pitch, (unsigned long long)fb->addr);
    else if (fb->kind == BOOT_FB_VGA_TEXT)
        kprintf("hyboot: kernel framebuffer: VGA text %ux%u\n", fb->width, fb->height);
    else
        kprintf("hyboot: kernel framebuffer: none (serial only)\n");

    char v2[256];
    v2_summary_line(bi, v2, sizeof v2);
    kprintf("%s\n", v2);

    kprintf("hyboot: kernel cmdline: \"%s\"\n", cmdline);
}

static void print_timing(const struct boot_info *bi, int human)
{
    char line[320];
    if (human) {
        timing_human_line(line, sizeof line, &bi->timing, boot_entry_tsc);
        kprintf("%s\n", line);
    }
    timing_machine_line(line, sizeof line, &bi->timing, boot_entry_tsc);
    kprintf("%s\n", line);
}

static void crash(const char *how)
{
    kprintf("hyboot: kernel: crash=%s requested, faulting on purpose\n", how);
    if (strcmp(how, "ud") == 0) {
        __asm__ volatile("ud2");
    } else if (strcmp(how, "pf") == 0) {
        uint64_t addr = vm_find_unmapped();
        if (!addr)
            addr = 0x00007ffffffff000ULL;
        (void)*(volatile uint64_t *)(uintptr_t)addr;
    } else if (strcmp(how, "stack") == 0) {
        /* a stack pointer into unmapped memory, as after a stack
         * overflow: the #PF cannot push its frame, the CPU raises #DF,
         * which runs on its own IST stack and panics cleanly */
        uint64_t addr = vm_find_unmapped();
        if (!addr)
            addr = 0x00007ffffffff000ULL;
        __asm__ volatile("movq %0, %%rsp\n\tpushq $0" : : "r"(addr + 4096) : "memory");
    } else if (strcmp(how, "gp") == 0) {
        (void)*(volatile uint64_t *)(uintptr_t)0x8000000000000000ULL; /* non-canonical */
    } else if (strcmp(how, "de") == 0) {
        volatile uint32_t zero = 0;
        uint32_t q;
        __asm__ volatile("divl %2" : "=a"(q) : "a"(1), "r"((uint32_t)zero), "d"(0));
        (void)q;
    }
    kprintf("hyboot: kernel: crash=%s: unknown kind (ud, pf, gp, de, stack) or no fault\n", how);
}

/* The bench boot's end: the timing line, the kernel's own exit stamp
 * (its share of the boot, which the benchmark tells apart from the
 * loader's) and QEMU's exit, in as little code as the lines take.
 * Without a QEMU exit device the boot carries on, on screen too. */
static const char *bench_exit(const struct boot_info *bi)
{
    char line[320];
    timing_machine_line(line, sizeof line, &bi->timing, boot_entry_tsc);
    kputs(line);
    timing_exit_line(line, sizeof line, rdtsc());
    kputs("\n");
    kputs(line);
    kputs("\n");
    outb(QEMU_EXIT_PORT, QEMU_EXIT_PASS);
    const char *screen = kprint_init_screen(&bi->fb);
    kprint_set_color(KCOLOR_HELLO);
    tc_write(kprint_console(), "Hello World!\n", 13);    /* serial has it */
    kprint_set_color(KCOLOR_TEXT);
    return screen;
}

/* bi: the physical address the loader put in rdi (identity-mapped). */
void kmain(const struct boot_info *bi)
{
    serial_init();
    cpu_init();

    const char *bad = header_problem(bi);
    /* bench: until it exits, the kernel does what the benchmark's GRUB
     * kernel (bench/grub/hello.asm) does, serial lines only, so that
     * the boot-time comparison is between the loaders; the framebuffer
     * the loader set up is drawn on only if the boot carries on */
    int bench = !bad && bi->cmdline_addr && cmdline_has((const char *)(uintptr_t)bi->cmdline_addr, "bench");
    const char *screen = bad || bench ? 0 : kprint_init_screen(&bi->fb);

    kprint_set_color(KCOLOR_HELLO);
    kputs("Hello World!\n");
    kprint_set_color(KCOLOR_TEXT);
    if (bench)
        screen = bench_exit(bi);
    if (kernel_variant[0])
        kprintf("hyboot: kernel variant %s\n", kernel_variant);

    if (bad) {
        /* nothing else in boot_info can be trusted, including the
         * cmdline: report, tell a test harness, stop */
        kprintf("hyboot: error: %s\n", bad);
        kprintf("SELFTEST FAIL: %s\n", bad);
        outb(QEMU_EXIT_PORT, QEMU_EXIT_FAIL);
        cpu_halt();
    }
    if (screen)
        kprintf("hyboot: error: framebuffer not used: %s\n", screen);

    /* our own copy: the self-test may probe memory around the original */
    static char cmdline[1024];
    cmdline[0] = '\0';
    if (bi->cmdline_addr)
        hy_strlcpy(cmdline, (const char *)(uintptr_t)bi->cmdline_addr, sizeof cmdline);

    /* in test mode any CPU exception from here on is a self-test failure */
    cpu_panic_is_selftest_fail = cmdline_has(cmdline, "test");

    print_summary(bi, cmdline);
    print_timing(bi, 1);

    char how[16];
    if (cmdline_value(cmdline, "crash", how, sizeof how))
        crash(how);

    if (cmdline_has(cmdline, "test"))
        selftest_run(bi, boot_entry_rsp, boot_entry_rflags, boot_entry_tsc, boot_entry_bss_dirty);

    kprintf("hyboot: kernel done, halting\n");
    cpu_halt();
}
