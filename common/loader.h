/* The boot flow both loaders run (common/loader.c), and the platform
 * interface each firmware layer implements for it.
 *
 * stage2 (bios/) and BOOTX64.EFI (uefi/) each do their own firmware setup
 * (A20 and the E820 map; the EFI image handle and boot volume), then call
 * loader_run(). From there the sequence is one piece of code: CPU check,
 * boot.cfg, kernel, modules, video, firmware tables, page tables,
 * boot_info, the final memory map, the jump. Everything that differs
 * between firmwares goes through the plat_* functions below; nothing in
 * loader.c knows which firmware it runs on except through them.
 *
 * Addresses are physical and usable as pointers (stage2 runs with paging
 * off below 4 GiB; UEFI identity-maps), so plat_alloc hands out uint64_t
 * addresses that the flow casts to pointers. */
#ifndef HYBOOT_LOADER_H
#define HYBOOT_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "boot_info.h"
#include "memmap.h"

/* ---- implemented by each firmware layer --------------------------------- */

/* What the firmware layer says about itself, once, at loader_run(). */
struct plat_info {
    uint32_t    firmware;          /* BOOT_FW_BIOS / BOOT_FW_UEFI */
    const char *loader_name;       /* boot_info.loader_name, e.g. "hyboot-bios 0.2" */
    uint64_t    tsc_firmware_handoff; /* 0 when unknown */
    uint64_t    tsc_loader_entry;
    uint32_t    flags;             /* BOOT_FLAG_* the layer knows (e.g. BOOT_FLAG_EFI32) */
};

/* A progress line (text without "hyboot: " and without a newline). Where
 * it goes is the layer's choice: serial always; the screen too where that
 * is cheap. Never fails. */
void plat_say(const char *text);
/* boot.cfg's verbose=1: progress lines on the screen too (a layer that
 * always shows them ignores it). */
void plat_verbose(int on);
/* The one error line ("hyboot: error: " + text) on screen and serial,
 * then wait forever: no reboot, no return to the firmware. */
void plat_fail(const char *text) __attribute__((noreturn));

/* Memory for the kernel: `bytes` (rounded up to 4 KiB) at an `align`
 * boundary (a power of two >= 4 KiB) ending at or below max_end (0: no
 * limit), of protocol type BOOT_MEM_LOADER, _KERNEL or _MODULE. Returns
 * the physical address, or 0 when there is no such memory. */
uint64_t plat_alloc(uint64_t bytes, uint64_t align, uint32_t type, uint64_t max_end);
/* Gives back a plat_alloc block (a temporary file buffer). */
void plat_free(uint64_t addr, uint64_t bytes);
/* The kernel's span may go into firmware memory that is free once the
 * firmware has exited (the UEFI loader: boot-services memory, which the
 * firmware has already touched; a fresh range costs milliseconds under
 * QEMU, docs/performance.md). 1: the flow keeps the kernel file, asks
 * plat_kernel_late_range for the span after its last allocation, and
 * plat_jump copies the kernel there (loader_place_kernel) once it runs
 * on our stack and page tables. 0: the span is a plat_alloc block. */
int plat_kernel_late(void);
/* That range: `span` bytes, ELF_SPAN_ALIGN-aligned, free once the
 * firmware exits, clear of everything the kernel is handed; 0 when
 * there is none (the flow then falls back to plat_alloc). */
uint64_t plat_kernel_late_range(uint64_t span);
/* For plat_jump, after the firmware has exited and on the kernel's
 * stack and page tables: copies the kernel into a late range (nothing
 * to do when the span was a plat_alloc block). */
void loader_place_kernel(void);
/* The firmware's memory map as it stands, in BOOT_MEM_* terms, into m
 * (normalized): what the identity and direct maps must cover. */
void plat_memory_map(struct mm_map *m);

/* Files on the boot volume: '/'-separated absolute UTF-8 paths. */
struct plat_file;
#define PLAT_FILE_OK      0
#define PLAT_FILE_ENOENT  1      /* no such file (or a parent is missing) */
#define PLAT_FILE_ERROR   2      /* *why says what */
int  plat_file_open(const char *path, struct plat_file **f, uint64_t *size, const char **why);
/* Reads the next `len` bytes into dst. 0, or -1 with *why set. */
int  plat_file_read(struct plat_file *f, void *dst, uint64_t len, const char **why);
void plat_file_close(struct plat_file *f);
/* Disk reads (INT 13h / Block I/O calls) made so far, for the timing
 * fields; 0 when the layer cannot tell. */
uint32_t plat_disk_calls(void);

/* Video: the layer walks the modes its firmware offers and asks the
 * shared policy (common/video.h) which to take; fb describes the result
 * (BOOT_FB_NONE when there is no screen to hand over). desc gets one line
 * for the progress output. The layer may fill in the policy's preferred
 * size when the EDID did not (UEFI: the firmware's own mode). */
struct video_policy;
void plat_video(struct video_policy *want, struct boot_framebuffer *fb, char *desc, size_t desc_len);

/* Firmware tables, 0 when absent. */
uint64_t plat_rsdp(void);
void     plat_smbios(uint64_t *entry32, uint64_t *entry64);
/* Copies the active display's EDID (the whole block with its extensions)
 * into buf; returns its size, 0 when the firmware has none. */
uint32_t plat_edid(uint8_t *buf, uint32_t cap);
/* UNIX seconds from the firmware clock, 0 when it cannot tell. */
int64_t  plat_time(void);
/* The boot disk's identity: drive, MBR signature, GPT and ESP GUIDs. */
void     plat_device(struct boot_device *d);
/* The TSC rate in Hz (0: unknown); *how names the clock it was measured
 * against ("PIT", "firmware timer"). */
uint64_t plat_tsc_hz(const char **how);

/* Room the final memory map may need, in entries. */
uint32_t plat_map_capacity(void);
/* Leaves the firmware: fills m with the final map (firmware ranges in
 * BOOT_MEM_* terms) and, under UEFI, exits boot services and fills the
 * bi->efi_* fields. No plat_* call but plat_fail and plat_jump follows,
 * and plat_fail then reaches only the serial port. */
void plat_exit_firmware(struct mm_map *m, struct boot_info *bi);
/* Into the kernel: long mode with our page tables, rdi = bi. */
void plat_jump(uint64_t entry, uint64_t stack_top, uint64_t boot_info, uint64_t pml4)
    __attribute__((noreturn));

/* Secure Boot: 1 when the firmware enforces it (it verified this loader's
 * signature), else 0 (always 0 on the BIOS path). */
int plat_secure_boot(void);
/* The SHA-256 of boot.cfg enrolled in this (signed) loader binary:
 * 1 and the hash in out, or 0 when none was enrolled. */
int plat_config_hash(uint8_t out[32]);

/* stage2's benchmark baseline (boot.cfg bench_raw_read=1): times a raw
 * read of `bytes` from the start of the ESP into buf. The UEFI layer
 * returns 0 ticks. */
void plat_bench_raw_read(void *buf, uint64_t bytes, uint64_t *ticks, uint32_t *calls);

/* ---- provided by common/loader.c ---------------------------------------- */

void loader_run(const struct plat_info *pi) __attribute__((noreturn));

/* "hyboot: " + formatted text through plat_say; the error form through
 * plat_fail. Both firmware layers use these for their own lines too, so
 * every message has one shape. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
