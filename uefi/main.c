/* hyboot's UEFI loader: from efi_main to the kernel's entry point.
 *
 * Order matters: everything that allocates (file buffers, the kernel,
 * boot_info, stack, page tables, the raw map buffer) happens before the
 * final GetMemoryMap; after ExitBootServices the loader only computes
 * (the protocol map) and jumps. docs/uefi.md explains the choices. */
#include "uefi.h"
#include "alloc.h"
#include "bootcfg.h"
#include "gop.h"
#include "gpt.h"
#include "handoff.h"
#include "io.h"
#include "kernel_load.h"
#include "mem.h"
#include "memmap.h"
#include "memmap_efi.h"
#include "mmap_logic.h"
#include "pagetables.h"
#include "sysinfo.h"
#include "tsc.h"
#include "volume.h"

EFI_HANDLE efi_image;
EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;

#define KERNEL_STACK_BYTES (128ULL << 10)   /* the protocol asks for >= 64 KiB */

static void read_config(EFI_FILE_HANDLE root, struct boot_cfg *cfg)
{
    struct file_data f;
    const char *why;
    bootcfg_defaults(cfg);
    int r = file_read_all(root, BOOTCFG_PATH, &f, &why);
    if (r == FILE_NOT_FOUND) {
        con_printf("hyboot: uefi: no %s, using defaults\n", BOOTCFG_PATH);
        return;
    }
    if (r != FILE_OK) uefi_fatal("%s: %s", BOOTCFG_PATH, why);
    /* A bad line is fatal rather than skipped: lines after it are not
     * applied, and one of them may be the kernel_sha256 we must check. */
    int line = bootcfg_parse(cfg, (const char *)(uintptr_t)f.addr, f.size, &why);
    file_free(&f);
    if (line) uefi_fatal("%s line %d: %s", BOOTCFG_PATH, line, why);
    con_printf("hyboot: uefi config %s: kernel=%s cmdline=\"%s\"\n", BOOTCFG_PATH, cfg->kernel, cfg->cmdline);
}

/* Everything the kernel receives that lives in one MEM_OS_LOADER block
 * below 4 GiB: boot_info, GDT, command line, the protocol memory map. */
struct loader_block {
    struct boot_info *bi;
    uint64_t *gdt;
    struct gdtr *gdtr;
    char *cmdline;
    struct boot_mmap_entry *mmap;
    uint32_t mmap_cap;
};

static uint64_t align16(uint64_t v) { return (v + 15) & ~15ULL; }

static void alloc_loader_block(struct loader_block *lb, const struct boot_cfg *cfg, uint32_t mmap_cap)
{
    uint64_t off_gdt = align16(sizeof(struct boot_info));
    uint64_t off_gdtr = off_gdt + GDT_ENTRIES * 8;
    uint64_t off_cmd = align16(off_gdtr + sizeof(struct gdtr));
    uint64_t off_map = align16(off_cmd + strlen(cfg->cmdline) + 1);
    uint64_t total = off_map + (uint64_t)mmap_cap * sizeof(struct boot_mmap_entry);
    uint64_t base = alloc_pages(MEM_OS_LOADER, total, BELOW_4G);
    if (!base) uefi_fatal("out of memory for boot_info (%llu bytes)", (unsigned long long)total);
    uint8_t *p = (uint8_t *)(uintptr_t)base;
    memset(p, 0, total);
    lb->bi = (struct boot_info *)p;
    lb->gdt = (uint64_t *)(p + off_gdt);
    lb->gdtr = (struct gdtr *)(p + off_gdtr);
    lb->cmdline = (char *)(p + off_cmd);
    lb->mmap = (struct boot_mmap_entry *)(p + off_map);
    lb->mmap_cap = mmap_cap;

    lb->gdt[0] = 0;
    lb->gdt[1] = GDT_CODE64_DESC;
    lb->gdt[2] = GDT_DATA_DESC;
    lb->gdtr->limit = GDT_ENTRIES * 8 - 1;
    lb->gdtr->base = (uint64_t)(uintptr_t)lb->gdt;
    hy_strlcpy(lb->cmdline, cfg->cmdline, strlen(cfg->cmdline) + 1);
}

static void print_device(const struct boot_device *d)
{
    char esp[37], disk[37];
    guid_format(d->esp_guid, esp);
    guid_format(d->disk_guid, disk);
    con_printf("hyboot: uefi boot device: disk %s, esp %s at lba %llu\n", disk, esp,
               (unsigned long long)d->esp_lba);
}

/* After ExitBootServices: the protocol's map from the final EFI map. */
static uint32_t final_memory_map(struct loader_block *lb, const struct efi_map *raw,
                                 const struct loaded_kernel *k, const struct boot_framebuffer *fb)
{
    struct mm_map mm;
    mm_init(&mm, lb->mmap, lb->mmap_cap);
    if (efi_map_translate(&mm, raw->buf, raw->size, raw->desc_size))
        uefi_fatal_after_exit("memory map: more entries than room for them");
    /* The kernel pages already carry MEM_OS_KERNEL; saying it again costs
     * nothing and does not depend on firmware keeping our type. */
    if (mm_set(&mm, k->phys, k->plan.span, BOOT_MEM_KERNEL))
        uefi_fatal_after_exit("memory map: no room to mark the kernel");
    if (fb->kind == BOOT_FB_RGB && mm_set_pages(&mm, fb->addr, fb->size, BOOT_MEM_FRAMEBUFFER))
        uefi_fatal_after_exit("memory map: no room to mark the framebuffer");
    return mm.count;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
    uint64_t t_entry = rdtsc();
    efi_image = image;
    efi_st = st;
    efi_bs = st->BootServices;
    /* Firmware arms a 5-minute watchdog for boot options; an error
     * message must stay on screen, not end in a reset. */
    efi_bs->SetWatchdogTimer(0, 0, 0, NULL);
    con_printf("hyboot: uefi loader 0.1\n");

    uint64_t tsc_hz = tsc_calibrate_pit();
    const char *clock = "PIT";
    if (tsc_hz < 1000000) {
        /* No PIT (some newer machines gate it off): the firmware's Stall
         * is calibrated against whatever timer it does have. */
        uint64_t t0 = rdtsc();
        efi_bs->Stall(10000);
        tsc_hz = (rdtsc() - t0) * 100;
        clock = "Stall";
    }
    con_printf("hyboot: uefi tsc %llu kHz (%s)\n", (unsigned long long)(tsc_hz / 1000), clock);

    EFI_HANDLE device;
    EFI_FILE_HANDLE root = volume_open_root(image, &device);
    static struct boot_cfg cfg;
    read_config(root, &cfg);

    struct loaded_kernel k;
    kernel_load(root, &cfg, &k);
    uint64_t t_loaded = rdtsc();
    root->Close(root);

    struct boot_framebuffer fb;
    gop_setup(&cfg, &fb);
    uint64_t rsdp = acpi_find_rsdp();
    con_printf("hyboot: uefi acpi rsdp 0x%llx\n", (unsigned long long)rsdp);
    struct boot_device dev;
    boot_device_info(device, &dev);
    print_device(&dev);

    /* Allocations from here on are sized before the final map. */
    struct efi_map raw;
    efi_map_prepare(&raw);
    /* Each EFI entry becomes at most one protocol entry; marking kernel
     * and framebuffer splits at most four more. */
    struct loader_block lb;
    alloc_loader_block(&lb, &cfg, (uint32_t)(raw.cap / raw.desc_size) + 16);
    uint64_t stack = alloc_pages(MEM_OS_LOADER, KERNEL_STACK_BYTES, BELOW_4G);
    if (!stack) uefi_fatal("out of memory for the kernel stack");

    EFI_STATUS s = efi_map_get(&raw);
    if (EFI_ERROR(s)) uefi_fatal("GetMemoryMap failed (%s)", efi_status_name(s));
    struct loader_tables pt;
    build_page_tables(efi_map_top(raw.buf, raw.size, raw.desc_size), &k, &fb, &pt);
    con_printf("hyboot: uefi page tables: %u pages, identity map 0-%llu GiB, %s pages\n", pt.tables,
               (unsigned long long)(pt.ident_end >> 30), pt.gb_pages ? "1 GiB" : "2 MiB");

    struct boot_info *bi = lb.bi;
    bi->magic = BOOT_INFO_MAGIC;
    bi->version = BOOT_INFO_VERSION;
    bi->size = BOOT_INFO_SIZE;
    bi->firmware = BOOT_FW_UEFI;
    hy_strlcpy(bi->loader_name, UEFI_LOADER_NAME, sizeof bi->loader_name);
    bi->mmap_addr = (uint64_t)(uintptr_t)lb.mmap;
    bi->mmap_entry_size = sizeof(struct boot_mmap_entry);
    bi->fb = fb;
    bi->rsdp_addr = rsdp;
    bi->cmdline_addr = (uint64_t)(uintptr_t)lb.cmdline;
    bi->cmdline_len = (uint32_t)strlen(lb.cmdline);
    bi->kernel_phys_base = k.phys;
    bi->kernel_virt_base = k.plan.vbase;
    bi->kernel_size = k.plan.span;
    bi->stack_base = stack;
    bi->stack_size = KERNEL_STACK_BYTES;
    bi->device = dev;
    bi->timing.tsc_hz = tsc_hz;
    bi->timing.tsc_loader_entry = t_entry;
    bi->timing.tsc_kernel_loaded = t_loaded;
    bi->timing.kernel_file_size = k.file_size;
    bi->timing.kernel_read_ticks = k.read_ticks;
    bi->timing.disk_read_calls = k.read_calls;

    con_printf("hyboot: uefi exiting boot services (%llu ms after entry)\n",
               (unsigned long long)(tsc_hz ? (rdtsc() - t_entry) / (tsc_hz / 1000) : 0));
    efi_exit_boot_services(&raw);
    /* No firmware from here on, and no interrupts: the firmware's timer is
     * stopped, but its IDT is still loaded until the hand-off. */
    __asm__ volatile("cli");

    bi->mmap_count = final_memory_map(&lb, &raw, &k, &fb);
    bi->timing.tsc_kernel_jump = rdtsc();
    handoff((uint64_t)(uintptr_t)bi, k.plan.entry, stack + KERNEL_STACK_BYTES, pt.cr3, lb.gdtr);
}
