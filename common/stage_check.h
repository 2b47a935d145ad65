/* The checks of hyboot's BIOS stages, one definition for mkimage (what it
 * accepts as --stage1 / --stage2) and --inspect (what it accepts as an
 * installed stage1 / stage2). The layouts are in mbr.h. Work on memory
 * buffers; the reason goes into why[len] (with the numbers). */
#ifndef HYBOOT_STAGE_CHECK_H
#define HYBOOT_STAGE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "mbr.h"

/* stage1: at most MBR_CODE_SIZE bytes, with the stage2 location record
 * (struct stage1_patch, its HYS1 magic) at STAGE1_PATCH_OFFSET. NULL, or
 * why. *patch (when not NULL) gets the record. */
const char *stage1_check(const uint8_t *code, uint64_t size, struct stage1_patch *patch, char *why, size_t len);

/* stage2 of n bytes (the file, or what stage1 loads): no more than fits
 * between STAGE2_LOAD_ADDR and the bounce buffer, a header with
 * STAGE2_MAGIC and a size 1..n. d must hold the header when n >= 24. */
const char *stage2_check(const uint8_t *d, uint64_t n, struct stage2_header *h, char *why, size_t len);

#endif
