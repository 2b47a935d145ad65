/* /boot/boot.cfg: key=value lines, '#' starts a comment line, blank lines
 * ignored, whitespace around keys and values trimmed, CRLF line ends and a
 * leading UTF-8 byte-order mark accepted. Both loaders read it with this
 * parser; mkimage writes it with the key names below and parses its own
 * output back; --inspect judges it with this parser too.
 *
 *   kernel=/boot/kernel.elf      path on the ESP (default)
 *   kernel_sha256=<64 hex>       the loaders refuse a kernel that does not match
 *   cmdline=...                  passed to the kernel verbatim
 *   resolution=1024x768          preferred framebuffer mode
 *   module=/boot/initrd.img      a module: starts a new one (up to BOOTCFG_MODULES_MAX)
 *   module_string=initrd         its string for the kernel (default "")
 *   module_sha256=<64 hex>       its hash, checked like kernel_sha256
 *   verbose=1                    UEFI: progress lines on the screen too, not only
 *                                on the serial port (stage2 always shows them)
 *   bench_raw_read=1             benchmarks: stage2 first times a raw read of
 *                                as many sectors as the kernel file has
 *
 * module_string and module_sha256 belong to the module= line above them.
 * Unknown keys are ignored so that newer files still boot older loaders.
 * Control characters (other than tab and the CR of CRLF) are refused: a
 * NUL or an escape sequence has no business in a path or a command line. */
#ifndef HYBOOT_BOOTCFG_H
#define HYBOOT_BOOTCFG_H

#include <stddef.h>
#include <stdint.h>
#include "sha256.h"

#define BOOTCFG_PATH        "/boot/boot.cfg"
#define BOOTCFG_DEFAULT_KERNEL "/boot/kernel.elf"
#define BOOTCFG_MAX_BYTES   (64u * 1024)   /* the loaders and --inspect refuse a larger file */
#define BOOTCFG_PATH_MAX    128            /* bytes of a path, with its NUL */
#define BOOTCFG_CMDLINE_MAX 1024           /* with its NUL */
#define BOOTCFG_STRING_MAX  256            /* a module string, with its NUL */
#define BOOTCFG_MODULES_MAX 128

struct boot_cfg_module {
    char     path[BOOTCFG_PATH_MAX];
    char     string[BOOTCFG_STRING_MAX];
    int      has_sha256;
    uint8_t  sha256[SHA256_LEN];
};

struct boot_cfg {
    char     kernel[BOOTCFG_PATH_MAX];
    char     cmdline[BOOTCFG_CMDLINE_MAX];
    uint32_t res_width, res_height;     /* 0 when not given */
    int      has_sha256;
    uint8_t  kernel_sha256[SHA256_LEN];
    int      bench_raw_read;
    int      verbose;
    uint32_t module_count;
    struct boot_cfg_module modules[BOOTCFG_MODULES_MAX];
};

void bootcfg_defaults(struct boot_cfg *cfg);

/* Parses text (need not be NUL-terminated) over the current contents of
 * cfg. Returns 0, or the 1-based number of the first bad line with *why
 * set to a static reason (value too long, bad resolution, bad hash,
 * missing '=', control character, too many modules, module_* without a
 * module). Lines after a bad one are not applied. */
int bootcfg_parse(struct boot_cfg *cfg, const char *text, size_t len, const char **why);

/* Parses "<w>x<h>" (n bytes) with both in 1..65535: 0, or -1. mkimage
 * checks --resolution with it, so what it writes the loaders accept. */
int bootcfg_parse_resolution(const char *s, size_t n, uint32_t *w, uint32_t *h);

#endif
