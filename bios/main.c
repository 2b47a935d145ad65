/* stage2's firmware setup: from the 32-bit protected-mode entry (bios/
 * entry.asm, BIOS still callable) to the shared boot flow. What is BIOS-
 * only happens here: the console, A20, the E820 map, finding the ESP on
 * the boot drive. loader_run (common/loader.c) does the rest. */
#include <stdint.h>

#include "a20.h"
#include "bios_layout.h"
#include "console.h"
#include "disk.h"
#include "fat.h"
#include "io.h"
#include "loader.h"
#include "memory.h"
#include "stage2.h"
#include "tsc.h"

#define LOADER_NAME "hyboot-bios 0.2"

void stage2_main(uint32_t drive) __attribute__((noreturn));

extern char _stage2_end[];

struct stage2 s2;
static struct boot_mmap_entry mmap_buf[STAGE2_MMAP_CAP];

void stage2_main(uint32_t drive)
{
    uint64_t t_entry = rdtsc();
    tsc_pit_start();           /* the TSC rate, measured in the background */
    con_init();
    say("stage2 started, boot drive 0x%02x", (unsigned)drive);

    const char *a20 = a20_enable();
    if (!a20)
        die("A20 could not be enabled (BIOS, keyboard controller and port 0x92 all failed)");

    struct mm_map *mm = &s2.mm;
    mm_init(mm, mmap_buf, STAGE2_MMAP_CAP);
    const char *how = memory_detect(mm);
    if (!how)
        die("no memory map (E820, E801h and AH=88h all failed)");
    say("A20 %s; memory map from %s: %u entries, %u MiB usable", a20, how, (unsigned)mm->count,
        (unsigned)(mm_total(mm->e, mm->count, BOOT_MEM_USABLE) >> 20));
    /* stage1 put stage2 at STAGE2_LOAD_ADDR and the disk bounce buffer
     * sits above it: on a machine whose map says that is not free RAM (a
     * huge EBDA), stop before the first disk read lands in it. */
    if (mm_find_usable(mm, BOUNCE_ADDR + BOUNCE_SIZE - STAGE2_LOAD_ADDR, 1, STAGE2_LOAD_ADDR,
                       BOUNCE_ADDR + BOUNCE_SIZE) != STAGE2_LOAD_ADDR)
        die("memory 0x%x-0x%x is not free RAM in the %s map: no room for stage2", STAGE2_LOAD_ADDR,
            BOUNCE_ADDR + BOUNCE_SIZE, how);
    /* stage2 itself (code, data, the GDT the kernel starts on) */
    if (mm_set(mm, STAGE2_LOAD_ADDR, (uintptr_t)_stage2_end - STAGE2_LOAD_ADDR, BOOT_MEM_LOADER))
        die("memory map full");

    s2.disk.drive = (uint8_t)drive;
    disk_probe(&s2.disk);      /* the sector size, before the first read */
    if (esp_find(&s2.disk, &s2.esp))
        die("no ESP (%s, and no MBR entry of type 0xEF or 0x0C)", s2.esp.gpt_problem);
    if (s2.esp.gpt_problem)
        say("GPT not used: %s", s2.esp.gpt_problem);
    int rc = fat_mount_dev(&s2.vol, disk_read, &s2.disk, s2.esp.lba, s2.disk.sector_size);
    if (rc)
        die("no ESP: the partition at LBA %llu (%s) holds no FAT volume: %s",
            (unsigned long long)s2.esp.lba, s2.esp.how, fat_strerror(rc));
    say("ESP at LBA %llu (%u MiB, via %s): FAT%d%s", (unsigned long long)s2.esp.lba,
        (unsigned)((s2.esp.sectors * s2.disk.sector_size) >> 20), s2.esp.how, s2.vol.type,
        s2.disk.sector_size == 512 ? "" : ", 4096-byte sectors");

    struct plat_info pi = {
        .firmware = BOOT_FW_BIOS,
        .loader_name = LOADER_NAME,
        .tsc_firmware_handoff = *(volatile uint64_t *)HANDOFF_TSC_ADDR,
        .tsc_loader_entry = t_entry,
    };
    loader_run(&pi);
}

/* Called by the exception stubs in entry.asm with interrupts off. */
void stage2_exception(uint32_t vector, uint32_t error, uint32_t eip) __attribute__((noreturn));
void stage2_exception(uint32_t vector, uint32_t error, uint32_t eip)
{
    die("CPU exception %u (error code 0x%x) at eip 0x%x in stage2", (unsigned)vector,
        (unsigned)error, (unsigned)eip);
}
