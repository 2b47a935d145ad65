/* hyboot's UEFI loader: the firmware setup before the shared boot flow
 * (common/loader.c) and the jump after it. The platform functions the
 * flow calls live in alloc.c, volume.c, gop.c, sysinfo.c, memmap_efi.c
 * and console.c. docs/uefi.md explains the choices. */
#include "uefi.h"
#include "io.h"
#include "loader.h"
#include "serial.h"
#include "tsc.h"

#if defined(__x86_64__)
#define LOADER_NAME "hyboot-uefi 0.2"
#else
#define LOADER_NAME "hyboot-uefi32 0.2"
#include "long_mode32.h"
#endif

EFI_HANDLE efi_image;
EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;
EFI_HANDLE efi_boot_device;

#define CR4_LA57 (1u << 12)

#if defined(__x86_64__)
/* The GDT the kernel starts on: null, 64-bit code (0x08), data (0x10).
 * It lives in the loader's image (EfiLoaderCode: BOOT_MEM_LOADER). */
static const uint64_t gdt[3] __attribute__((aligned(16))) = {
    0,
    0x00af9a000000ffffULL,     /* present, DPL 0, code, L=1 */
    0x00cf92000000ffffULL,     /* present, DPL 0, data, writable */
};
struct __attribute__((packed)) gdtr {
    uint16_t limit;
    uint64_t base;
};
static struct gdtr gdtr;

void handoff(uint64_t boot_info, uint64_t entry, uint64_t stack_top, uint64_t cr3,
             const struct gdtr *g, void (*last)(void)) __attribute__((noreturn));

void plat_jump(uint64_t entry, uint64_t stack_top, uint64_t boot_info, uint64_t pml4)
{
    gdtr.limit = sizeof gdt - 1;
    gdtr.base = (uint64_t)(uintptr_t)gdt;
    handoff(boot_info, entry, stack_top, pml4, &gdtr, loader_place_kernel);
}
#else
/* 32-bit firmware: into long mode the way stage2 goes. */
void plat_jump(uint64_t entry, uint64_t stack_top, uint64_t boot_info, uint64_t pml4)
{
    static struct lm_jump j;
    j = (struct lm_jump){ entry, stack_top, boot_info, pml4 };
    lm_enter32(&j);
}
#endif

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
    uint64_t t_entry = rdtsc();
    tsc_pit_start();           /* the TSC rate, measured in the background */
    efi_image = image;
    efi_st = st;
    efi_bs = st->BootServices;
    serial_use_as_is();
    /* Firmware arms a 5-minute watchdog for boot options; an error
     * message must stay on screen, not end in a reset. */
    efi_bs->SetWatchdogTimer(0, 0, 0, NULL);
    say("uefi loader started");
    uintptr_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    /* CR4.LA57 cannot be cleared while paging is on in long mode, and a
     * 4-level PML4 under 5-level paging would be misread: refuse clearly. */
    if (cr4 & CR4_LA57)
        die("the firmware runs with 5-level paging; this loader builds 4-level tables");
    volume_open();
    secure_boot_enrol();
    struct plat_info pi = {
        .firmware = BOOT_FW_UEFI,
        .loader_name = LOADER_NAME,
        .tsc_firmware_handoff = 0,
        .tsc_loader_entry = t_entry,
        .flags = sizeof(void *) == 4 ? BOOT_FLAG_EFI32 : 0,
    };
    loader_run(&pi);
}
