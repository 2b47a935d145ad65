/* The hyboot boot protocol: what both loaders hand the kernel.
 *
 * Every field has a fixed width and an explicit offset so that the 32-bit
 * BIOS stage2, the 64-bit UEFI loader and the kernel agree byte for byte;
 * the static_asserts at the end hold them to it. Pointers are 64-bit
 * physical addresses (identity-mapped at kernel entry), never C pointers.
 * docs/protocol.md is the prose version of this file.
 */
#ifndef HYBOOT_BOOT_INFO_H
#define HYBOOT_BOOT_INFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC   0x4f464e49544f4f42ULL /* "BOOTINFO" little-endian */
/* Version 1 was the first 288 bytes; version 2 appended the fields after
 * `timing`. Fields are only ever appended: a kernel checks
 * version >= the version it was written for and reads only the fields
 * that `size` covers. */
#define BOOT_INFO_VERSION 2
#define BOOT_INFO_SIZE_V1 288

/* firmware */
#define BOOT_FW_BIOS 1
#define BOOT_FW_UEFI 2

/* memory map entry types; numbering is ours, not E820's */
#define BOOT_MEM_USABLE        1
#define BOOT_MEM_RESERVED      2
#define BOOT_MEM_ACPI_RECLAIM  3
#define BOOT_MEM_ACPI_NVS      4
#define BOOT_MEM_BAD           5
#define BOOT_MEM_LOADER        6 /* loader data, page tables, boot_info, stack: free once the kernel is done with them */
#define BOOT_MEM_KERNEL        7 /* the kernel's loaded image */
#define BOOT_MEM_FRAMEBUFFER   8
#define BOOT_MEM_MODULE        9 /* a module file (v2) */
#define BOOT_MEM_TYPE_MAX      9

struct boot_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};

/* framebuffer kinds */
#define BOOT_FB_NONE     0 /* serial only (no GOP / -vga none) */
#define BOOT_FB_RGB      1 /* linear framebuffer, channels below */
#define BOOT_FB_VGA_TEXT 2 /* 80x25 text at 0xB8000: width/height in cells, pitch in bytes (160), bpp 16 */

struct boot_framebuffer {
    uint64_t addr;       /* physical */
    uint32_t kind;
    uint32_t width;      /* pixels (cells for VGA text) */
    uint32_t height;
    uint32_t pitch;      /* bytes per line */
    uint8_t  bpp;        /* 32 or 24 for RGB */
    uint8_t  red_size, red_shift;
    uint8_t  green_size, green_shift;
    uint8_t  blue_size, blue_shift;
    uint8_t  reserved0;
    uint64_t size;       /* bytes, pitch * height */
};

struct boot_device {
    uint32_t bios_drive;      /* DL at boot (0x80..), 0 under UEFI */
    uint32_t mbr_signature;   /* bytes 440..443 of LBA 0 */
    uint8_t  disk_guid[16];   /* GPT disk GUID, on-disk byte order; zero if unknown */
    uint8_t  esp_guid[16];    /* unique GUID of the ESP partition; zero if unknown */
    uint64_t esp_lba;         /* first LBA of the ESP the kernel was read from */
};

/* TSC stamps taken by the loader; tsc_hz is its calibration (0 if none). */
struct boot_timing {
    uint64_t tsc_hz;
    uint64_t tsc_firmware_handoff; /* BIOS: stage1 entry; UEFI: 0 (entry is the loader's) */
    uint64_t tsc_loader_entry;
    uint64_t tsc_kernel_loaded;    /* kernel file read, verified and placed */
    uint64_t tsc_kernel_jump;
    uint64_t kernel_file_size;     /* bytes read for the kernel file */
    uint64_t kernel_read_ticks;    /* TSC ticks spent reading it from disk */
    uint32_t disk_read_calls;      /* INT 13h / Block I/O calls made for it (0 if unknown) */
    uint32_t reserved;
};

#define BOOT_LOADER_NAME_LEN 32

/* boot_info.flags */
#define BOOT_FLAG_SECURE_BOOT 0x1 /* UEFI Secure Boot was on: boot.cfg, the kernel and every module were verified */
#define BOOT_FLAG_HHDM_1G     0x2 /* the direct map uses 1 GiB pages */
#define BOOT_FLAG_EFI32       0x4 /* 32-bit UEFI firmware (BOOTIA32.EFI): efi_system_table and the
                                     EFI memory map use the 32-bit layouts and calling convention */

/* One module (v2): a file from boot.cfg's module= lines, loaded whole at a
 * 4 KiB-aligned physical address in a BOOT_MEM_MODULE range. */
struct boot_module {
    uint64_t addr;          /* physical, 4 KiB aligned */
    uint64_t size;          /* bytes of the file (the range is rounded up to 4 KiB) */
    uint64_t path_addr;     /* NUL-terminated path on the ESP ("/boot/initrd.img") */
    uint64_t string_addr;   /* NUL-terminated module_string from boot.cfg ("" when none) */
};

/* Where the higher-half direct map (v2) starts: physical address p is
 * also mapped at BOOT_HHDM_OFFSET + p for p < hhdm_size. */
#define BOOT_HHDM_OFFSET 0xffff800000000000ULL

struct boot_info {
    uint64_t magic;                 /*   0 */
    uint32_t version;               /*   8 */
    uint32_t size;                  /*  12 sizeof(struct boot_info) */
    uint32_t firmware;              /*  16 BOOT_FW_* */
    uint32_t flags;                 /*  20 BOOT_FLAG_* (v2; 0 in v1) */
    char     loader_name[BOOT_LOADER_NAME_LEN]; /* 24 NUL-terminated, e.g. "hyboot-bios 0.2" */
    uint64_t mmap_addr;             /*  56 physical address of boot_mmap_entry[] */
    uint32_t mmap_count;            /*  64 */
    uint32_t mmap_entry_size;       /*  68 sizeof(struct boot_mmap_entry) */
    struct boot_framebuffer fb;     /*  72 (40 bytes) */
    uint64_t rsdp_addr;             /* 112 ACPI RSDP, 0 if none */
    uint64_t cmdline_addr;          /* 120 physical address of a NUL-terminated string */
    uint32_t cmdline_len;           /* 128 without the NUL */
    uint32_t reserved1;             /* 132 */
    uint64_t kernel_phys_base;      /* 136 physical address of the lowest loaded page (2 MiB aligned) */
    uint64_t kernel_virt_base;      /* 144 virtual address mapped to kernel_phys_base */
    uint64_t kernel_size;           /* 152 bytes mapped, a multiple of 4 KiB */
    uint64_t stack_base;            /* 160 physical base of the stack given at entry */
    uint64_t stack_size;            /* 168 */
    struct boot_device device;      /* 176 (48 bytes) */
    struct boot_timing timing;      /* 224 (64 bytes) */
    /* ---- version 2 ---- */
    uint64_t modules_addr;          /* 288 physical address of boot_module[module_count] */
    uint32_t module_count;          /* 296 */
    uint32_t module_entry_size;     /* 300 sizeof(struct boot_module) */
    uint64_t hhdm_offset;           /* 304 BOOT_HHDM_OFFSET */
    uint64_t hhdm_size;             /* 312 bytes of physical address space in the direct map, from 0 */
    uint64_t efi_system_table;      /* 320 EFI_SYSTEM_TABLE (physical), 0 under BIOS */
    uint64_t efi_mmap_addr;         /* 328 the firmware's final EFI memory map, 0 under BIOS */
    uint64_t efi_mmap_size;         /* 336 bytes */
    uint32_t efi_mmap_desc_size;    /* 344 stride between descriptors */
    uint32_t efi_mmap_desc_version; /* 348 */
    uint64_t smbios_addr;           /* 352 32-bit SMBIOS entry point ("_SM_"), 0 if none */
    uint64_t smbios3_addr;          /* 360 64-bit SMBIOS 3 entry point ("_SM3_"), 0 if none */
    uint64_t edid_addr;             /* 368 EDID of the active display (a copy), 0 if none */
    uint32_t edid_size;             /* 376 bytes: 128 * (1 + extension blocks) */
    uint32_t reserved2;             /* 380 */
    int64_t  boot_time;             /* 384 UNIX seconds at boot from the firmware clock, 0 if unknown */
};                                  /* 392 */

#define BOOT_INFO_SIZE 392

#ifndef __cplusplus
#define BI_ASSERT(e, m) _Static_assert(e, m)
#else
#define BI_ASSERT(e, m) static_assert(e, m)
#endif

#define BI_OFF(t, f, o) BI_ASSERT(__builtin_offsetof(struct t, f) == (o), #t "." #f " offset")
BI_ASSERT(sizeof(struct boot_mmap_entry) == 24, "boot_mmap_entry size");
BI_ASSERT(sizeof(struct boot_framebuffer) == 40, "boot_framebuffer size");
BI_ASSERT(sizeof(struct boot_device) == 48, "boot_device size");
BI_ASSERT(sizeof(struct boot_timing) == 64, "boot_timing size");
BI_ASSERT(sizeof(struct boot_module) == 32, "boot_module size");
BI_ASSERT(sizeof(struct boot_info) == BOOT_INFO_SIZE, "boot_info size");
BI_OFF(boot_framebuffer, kind, 8);
BI_OFF(boot_framebuffer, bpp, 24);
BI_OFF(boot_framebuffer, size, 32);
BI_OFF(boot_device, disk_guid, 8);
BI_OFF(boot_device, esp_lba, 40);
BI_OFF(boot_timing, kernel_file_size, 40);
BI_OFF(boot_info, loader_name, 24);
BI_OFF(boot_info, mmap_addr, 56);
BI_OFF(boot_info, fb, 72);
BI_OFF(boot_info, rsdp_addr, 112);
BI_OFF(boot_info, cmdline_addr, 120);
BI_OFF(boot_info, kernel_phys_base, 136);
BI_OFF(boot_info, stack_base, 160);
BI_OFF(boot_info, device, 176);
BI_OFF(boot_info, timing, 224);
BI_OFF(boot_info, modules_addr, 288);
BI_OFF(boot_info, hhdm_offset, 304);
BI_OFF(boot_info, efi_system_table, 320);
BI_OFF(boot_info, efi_mmap_desc_size, 344);
BI_OFF(boot_info, smbios_addr, 352);
BI_OFF(boot_info, edid_addr, 368);
BI_OFF(boot_info, boot_time, 384);
#undef BI_OFF

/* uint64_t is 4-byte aligned in the i386 ABI but 8 in x86-64: every
 * uint64_t above sits at a multiple of 8, so both ABIs lay it out alike. */
BI_ASSERT(__alignof__(struct boot_info) <= 8, "boot_info alignment");

#endif
