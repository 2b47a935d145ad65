/* /boot/boot.cfg: key=value lines, '#' starts a comment line, blank lines
 * ignored, whitespace around keys and values trimmed. Both loaders read it
 * with this parser; mkimage writes it with the key names below.
 *
 *   kernel=/boot/kernel.elf      path on the ESP (default)
 *   cmdline=...                  passed to the kernel verbatim
 *   resolution=1024x768          preferred framebuffer mode
 *   kernel_sha256=<64 hex>       loader refuses a kernel that does not match
 *   bench_raw_read=1             benchmarks: stage2 first times a raw read of
 *                                as many sectors as the kernel file has
 *
 * Unknown keys are ignored so that newer files still boot older loaders. */
#ifndef HYBOOT_BOOTCFG_H
#define HYBOOT_BOOTCFG_H

#include <stddef.h>
#include <stdint.h>
#include "sha256.h"

#define BOOTCFG_PATH        "/boot/boot.cfg"
#define BOOTCFG_DEFAULT_KERNEL "/boot/kernel.elf"
#define BOOTCFG_PATH_MAX    128
#define BOOTCFG_CMDLINE_MAX 1024

struct boot_cfg {
    char     kernel[BOOTCFG_PATH_MAX];
    char     cmdline[BOOTCFG_CMDLINE_MAX];
    uint32_t res_width, res_height;     /* 0 when not given */
    int      has_sha256;
    uint8_t  kernel_sha256[SHA256_LEN];
    int      bench_raw_read;
};

void bootcfg_defaults(struct boot_cfg *cfg);

/* Parses text (need not be NUL-terminated) over the current contents of
 * cfg. Returns 0, or the 1-based number of the first bad line with *why
 * set to a static reason (value too long, bad resolution, bad hash,
 * missing '='). Lines after a bad one are not applied. */
int bootcfg_parse(struct boot_cfg *cfg, const char *text, size_t len, const char **why);

#endif
