/* stage2's C side: from a 32-bit protected-mode entry with the BIOS still
 * usable (bios_call) to the kernel's 64-bit entry. Each step prints one
 * "hyboot: stage2 ..." line; every failure is one "hyboot: error: ..."
 * line and a halt (console.c). */
#include <stdint.h>

#include "a20.h"
#include "acpi.h"
#include "alloc.h"
#include "boot_info.h"
#include "console.h"
#include "disk.h"
#include "esp.h"
#include "fat.h"
#include "gpt.h"
#include "handoff.h"
#include "io.h"
#include "kernel.h"
#include "mbr.h"
#include "mem.h"
#include "memory.h"
#include "pagetables.h"
#include "tsc.h"
#include "vbe.h"

#define LOADER_NAME  "hyboot-bios 0.1"
#define MMAP_CAP     256
#define KERNEL_STACK (128u << 10)     /* the protocol asks for >= 64 KiB */

struct lm_jump {
    uint64_t entry, stack_top, boot_info;
};
void lm_enter(uint32_t pml4, const struct lm_jump *j) __attribute__((noreturn));
void stage2_main(uint32_t drive) __attribute__((noreturn));

extern char _stage2_end[];

/* Everything the kernel gets from us that lives in stage2's own image
 * (below 1 MiB, marked BOOT_MEM_LOADER): boot_info, the map, cmdline. */
static struct boot_info bi __attribute__((aligned(16)));
static struct boot_mmap_entry mmap_buf[MMAP_CAP];
static struct boot_cfg cfg;
static struct lm_jump jump;
static struct fat_vol vol;

static unsigned ms(uint64_t ticks, uint64_t hz)
{
    return hz ? (unsigned)(ticks * 1000 / hz) : 0;
}

void stage2_main(uint32_t drive)
{
    uint64_t t_entry = rdtsc();
    con_init();
    say("started, boot drive 0x%02x", (unsigned)drive);

    const char *a20 = a20_enable();
    if (!a20)
        die("A20 could not be enabled (BIOS, keyboard controller and port 0x92 all failed)");
    say("A20 %s", a20);

    struct mm_map mm;
    mm_init(&mm, mmap_buf, MMAP_CAP);
    const char *how = memory_detect(&mm);
    if (!how)
        die("no memory map (E820, E801h and AH=88h all failed)");
    say("memory map from %s: %u entries, %u MiB usable", how, (unsigned)mm.count,
        (unsigned)(mm_total(mm.e, mm.count, BOOT_MEM_USABLE) >> 20));
    /* stage1 put stage2 at 0x8000 and the disk bounce buffer sits at
     * 0x70000: on a machine whose map says that is not free RAM (a huge
     * EBDA), stop before the first disk read lands in it. */
    if (mm_find_usable(&mm, BOUNCE_ADDR + BOUNCE_SIZE - STAGE2_LOAD_ADDR, 1, STAGE2_LOAD_ADDR,
                       BOUNCE_ADDR + BOUNCE_SIZE) != STAGE2_LOAD_ADDR)
        die("memory 0x%x-0x%x is not free RAM in the %s map: no room for stage2", STAGE2_LOAD_ADDR,
            BOUNCE_ADDR + BOUNCE_SIZE, how);
    /* stage2 itself: code, GDT, boot_info, the map, cmdline */
    if (mm_set(&mm, STAGE2_LOAD_ADDR, (uintptr_t)_stage2_end - STAGE2_LOAD_ADDR, BOOT_MEM_LOADER))
        die("memory map full");

    uint64_t tsc_hz = tsc_calibrate_pit();

    struct disk disk = { .drive = (uint8_t)drive };
    struct esp_info esp;
    if (esp_find(&disk, &esp))
        die("no ESP (%s, and no MBR entry of type 0xEF or 0x0C)", esp.gpt_problem);
    if (esp.gpt_problem)
        say("GPT not used: %s", esp.gpt_problem);
    say("ESP found at LBA %llu (%u MiB) via %s", (unsigned long long)esp.lba,
        (unsigned)(esp.sectors >> 11), esp.how);

    int rc = fat_mount(&vol, disk_read, &disk, esp.lba);
    if (rc)
        die("no ESP: the partition at LBA %llu (%s) holds no FAT volume: %s",
            (unsigned long long)esp.lba, esp.how, fat_strerror(rc));
    config_load(&vol, &cfg);

    struct loaded_kernel k;
    kernel_load(&vol, &disk, &mm, &cfg, &k);
    uint64_t t_loaded = rdtsc();
    say("kernel %s: %u bytes read in %u ms with %u INT 13h calls, sha256 %s", cfg.kernel,
        (unsigned)k.file_size, ms(k.read_ticks, tsc_hz), (unsigned)k.read_calls,
        cfg.has_sha256 ? "ok" : "not given in boot.cfg (not verified)");
    say("kernel placed at 0x%llx (virt 0x%llx, %u KiB), entry 0x%llx",
        (unsigned long long)k.phys, (unsigned long long)k.plan.vbase,
        (unsigned)(k.plan.span >> 10), (unsigned long long)k.plan.entry);

    uint64_t stack = mem_take(&mm, KERNEL_STACK, 4096, BOOT_MEM_LOADER);
    if (!stack)
        die("not enough memory for the kernel stack");

    bi.rsdp_addr = acpi_find_rsdp();
    say("ACPI RSDP %s at 0x%llx", bi.rsdp_addr ? "found" : "not found",
        (unsigned long long)bi.rsdp_addr);

    /* Last BIOS call that changes the screen: after this, serial only
     * (the kernel draws on the framebuffer). */
    char desc[128];
    say("framebuffer: %s", video_setup(cfg.res_width, cfg.res_height, &bi.fb, desc, sizeof desc));
    if (bi.fb.kind == BOOT_FB_RGB &&
        mm_set_pages(&mm, bi.fb.addr, bi.fb.size, BOOT_MEM_FRAMEBUFFER))
        die("memory map full");

    struct pt_result pt;
    pagetables_build(&mm, &k, &bi.fb, &pt);
    say("page tables: %u pages, identity map %u GiB, %s pages", (unsigned)pt.tables,
        (unsigned)(pt.identity_top >> 30), pt.gb_pages ? "1 GiB" : "2 MiB");

    /* No allocation after this point: the map is final. */
    const char *bad = mm_check(mm.e, mm.count);
    if (bad)
        die("memory map: %s", bad);

    bi.magic = BOOT_INFO_MAGIC;
    bi.version = BOOT_INFO_VERSION;
    bi.size = sizeof bi;
    bi.firmware = BOOT_FW_BIOS;
    hy_strlcpy(bi.loader_name, LOADER_NAME, sizeof bi.loader_name);
    bi.mmap_addr = (uintptr_t)mmap_buf;
    bi.mmap_count = mm.count;
    bi.mmap_entry_size = sizeof(struct boot_mmap_entry);
    bi.cmdline_addr = (uintptr_t)cfg.cmdline;
    bi.cmdline_len = strlen(cfg.cmdline);
    bi.kernel_phys_base = k.phys;
    bi.kernel_virt_base = k.plan.vbase;
    bi.kernel_size = k.plan.span;
    bi.stack_base = stack;
    bi.stack_size = KERNEL_STACK;
    bi.device.bios_drive = drive;
    bi.device.mbr_signature = esp.mbr_signature;
    memcpy(bi.device.disk_guid, esp.disk_guid, 16);
    memcpy(bi.device.esp_guid, esp.esp_guid, 16);
    bi.device.esp_lba = esp.lba;
    bi.timing.tsc_hz = tsc_hz;
    bi.timing.tsc_firmware_handoff = *(volatile uint64_t *)HANDOFF_TSC_ADDR;
    bi.timing.tsc_loader_entry = t_entry;
    bi.timing.tsc_kernel_loaded = t_loaded;
    bi.timing.kernel_file_size = k.file_size;
    bi.timing.kernel_read_ticks = k.read_ticks;
    bi.timing.disk_read_calls = k.read_calls;

    jump.entry = k.plan.entry;
    jump.stack_top = stack + KERNEL_STACK;
    jump.boot_info = (uintptr_t)&bi;
    say("jumping to the kernel, %u ms after stage1", ms(rdtsc() - bi.timing.tsc_firmware_handoff, tsc_hz));
    bi.timing.tsc_kernel_jump = rdtsc();
    lm_enter((uint32_t)pt.pml4, &jump);
}

/* Called by the exception stubs in entry.asm with interrupts off. */
void stage2_exception(uint32_t vector, uint32_t error, uint32_t eip) __attribute__((noreturn));
void stage2_exception(uint32_t vector, uint32_t error, uint32_t eip)
{
    die("CPU exception %u (error code 0x%x) at eip 0x%x in stage2", (unsigned)vector,
        (unsigned)error, (unsigned)eip);
}
