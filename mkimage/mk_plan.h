/* From settings to an image: read and check every input, decide the
 * layout, then render it into an mk_image (or print it). */
#ifndef HYBOOT_MK_PLAN_H
#define HYBOOT_MK_PLAN_H

#include <stdio.h>
#include "mk.h"
#include "mk_disk.h"
#include "mk_fat.h"
#include "mk_image.h"
#include "mk_opts.h"

#define MK_DEFAULT_SIZE  (64ULL << 20)
#define MK_DEFAULT_LABEL "HYBOOT"
#define MK_ESP_KERNEL    "/boot/kernel.elf"
#define MK_ESP_EFI       "/EFI/BOOT/BOOTX64.EFI"

struct mk_plan {
    const struct mk_opts *o;
    uint64_t size;                       /* bytes */
    int      fat_type;                   /* 0 automatic */
    int64_t  epoch;
    int      epoch_from_env;
    uint8_t  seed[32];
    int      seed_given;
    struct mk_blob kernel, efi, stage1, stage2;
    struct mk_blob *files;               /* o->nfiles */
    uint8_t  kernel_sha256[32];
    char    *bootcfg;
    size_t   bootcfg_len;
    uint32_t stage2_sectors;
    struct mk_layout layout;
    struct mk_fat fat;
};

/* Reads and checks everything; returns MK_EXIT_OK, or MK_EXIT_FAIL /
 * MK_EXIT_USAGE after printing the errors. */
int mk_plan_make(struct mk_plan *p, const struct mk_opts *o);
/* What --print-layout shows. */
void mk_plan_print(struct mk_plan *p, FILE *out);
/* Fills img with every non-zero region of the image. */
void mk_plan_render(struct mk_plan *p, struct mk_image *img);
void mk_plan_free(struct mk_plan *p);
/* Is `output` one of the input files (same inode)? Prints the error. */
int mk_plan_output_is_input(const struct mk_plan *p, const char *output);

/* Smallest image size (bytes, whole MiB) that holds the planned contents
 * with the planned FAT type, or 0 if none up to 16 TiB. */
uint64_t mk_plan_min_size(struct mk_plan *p);

#endif
