/* boot.cfg: common/bootcfg.c as both loaders and --inspect run it, and
 * the resolution parser mkimage checks --resolution with. */
#include <stdint.h>
#include <string.h>

#include "bootcfg.h"

static struct boot_cfg cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > BOOTCFG_MAX_BYTES)
        return 0;
    bootcfg_defaults(&cfg);
    const char *why = NULL;
    int line = bootcfg_parse(&cfg, (const char *)data, size, &why);
    if (line != 0 && !why)
        __builtin_trap();
    /* What the loaders then use as C strings must be terminated. */
    if (strnlen(cfg.kernel, sizeof cfg.kernel) == sizeof cfg.kernel ||
        strnlen(cfg.cmdline, sizeof cfg.cmdline) == sizeof cfg.cmdline || cfg.module_count > BOOTCFG_MODULES_MAX)
        __builtin_trap();
    for (uint32_t i = 0; i < cfg.module_count; i++)
        if (strnlen(cfg.modules[i].path, BOOTCFG_PATH_MAX) == BOOTCFG_PATH_MAX ||
            strnlen(cfg.modules[i].string, BOOTCFG_STRING_MAX) == BOOTCFG_STRING_MAX)
            __builtin_trap();
    uint32_t w, h;
    if (bootcfg_parse_resolution((const char *)data, size, &w, &h) == 0 && (w == 0 || h == 0 || w > 65535 || h > 65535))
        __builtin_trap();
    return 0;
}
