/* --inspect's shared state and reporting (inspect.c), used by its two
 * halves: the disk (inspect_disk.c: MBR, stage1/stage2, GPT, where each
 * firmware path finds the ESP) and the ESP (inspect_esp.c: FAT, files,
 * boot.cfg, loader, kernel, modules). Every judgement is a common/ rule
 * the loaders or mkimage also apply; this code only says which firmware
 * path a problem breaks. */
#ifndef HYBOOT_MK_INSPECT_INT_H
#define HYBOOT_MK_INSPECT_INT_H

#include <stdint.h>
#include <stdio.h>

#include "esp_locate.h"
#include "fat.h"
#include "gpt.h"
#include "mbr.h"
#include "mk.h"
#include "mk_disk.h"

/* Firmware paths: BIOS (stage1, stage2), UEFI on 64-bit firmware
 * (BOOTX64.EFI) and on 32-bit firmware (BOOTIA32.EFI). PATH_UEFI is
 * both UEFI paths: everything up to the loader file is shared. */
#define PATH_BIOS   1
#define PATH_UEFI64 2
#define PATH_UEFI32 4
#define PATH_UEFI   (PATH_UEFI64 | PATH_UEFI32)
#define PATH_BOTH   (PATH_BIOS | PATH_UEFI)
#define NPATHS      3
#define REASON_MAX 240

/* Where one firmware path finds the ESP. */
struct esp_place {
    int      found;
    uint64_t lba, sectors;
    const char *how;
};

struct inspect {
    FILE       *out;
    const char *path;
    int         fd;
    uint32_t    ss;               /* the image's sector size (512 or 4096), from its contents */
    uint32_t    dev_ss;           /* a block device's logical sector size (0: a file) */
    uint64_t    sectors;          /* whole sectors of ss bytes in the image */

    int  problems;
    int  broken[NPATHS];          /* problems per firmware path */
    char reason[NPATHS][REASON_MAX];   /* the first one, for the summary */
    int  installed[NPATHS];       /* 1 yes, 0 no, -1 cannot tell */

    uint8_t mbr[512];             /* the first 512 bytes of LBA 0 */
    int     mbr_valid;            /* 55AA present */
    int     stage1;               /* hyboot stage1 patch record found */
    int     mbr_only;             /* a valid MBR without a 0xEE entry */
    struct stage1_patch patch;

    /* The GPT UEFI firmware uses: the primary if valid, else the backup. */
    int               gpt_valid;
    struct gpt_header gpt;
    uint8_t          *entries;    /* entry_count * entry_size bytes */

    int      have_bios_part;
    uint64_t bios_lba, bios_sectors;
    struct esp_place esp[2];      /* [0] what stage2 uses, [1] what UEFI firmware uses */
    struct esp_info  located;     /* common/esp_locate.c's answer (stage2's) */
};

/* ---- reporting (inspect.c) ------------------------------------------------ */
void say(struct inspect *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void note(struct inspect *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A problem; `paths` says which firmware paths it breaks (0: it damages
 * the image without stopping either boot, e.g. a bad backup GPT). */
void problem(struct inspect *in, int paths, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Text from the image made safe to print: control bytes, C1 controls,
 * bytes that are not UTF-8 and backslashes escaped (\xNN, \\). The result
 * lives until the eighth call after. */
const char *shown(const char *s);
/* "64 MiB" etc. (mk_format_size), likewise short-lived. */
const char *size_text(uint64_t bytes);

/* Reads whole sectors of in->ss bytes: 0, or an errno (ERANGE: past the
 * end). */
int read_sectors(struct inspect *in, uint64_t lba, uint32_t count, void *buf);
int read_fn(void *ctx, uint64_t lba, uint32_t count, void *buf);
const char *read_error(int rc);

/* ---- the two halves ---------------------------------------------------------- */
void check_mbr(struct inspect *in);
void check_gpt(struct inspect *in);
void locate_esp(struct inspect *in);
void check_stage2(struct inspect *in);
void check_esp(struct inspect *in);

#endif
