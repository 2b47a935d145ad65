/* The settings that are not input files: size, FAT type, MBR layout,
 * label, time, and the boot.cfg values checked with the loaders' own rules
 * (common/bootcfg.h), so every error names the option or recipe line that
 * set the value. */
#include "mk_plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pe.h"

/* A line break, NUL or escape sequence in boot.cfg is refused by the
 * loaders; in a message it could rewrite the user's terminal. */
static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static int parse_layout(struct mk_plan *p, const struct mk_opts *o)
{
    struct mk_layout *l = &p->layout;
    l->mbr = MK_MBR_HYBRID;
    if (o->mbr) {
        if (!strcmp(o->mbr, "hybrid"))
            l->mbr = MK_MBR_HYBRID;
        else if (!strcmp(o->mbr, "protective"))
            l->mbr = MK_MBR_PROTECTIVE;
        else if (!strcmp(o->mbr, "mbr-only"))
            l->mbr = MK_MBR_ONLY;
        else {
            mk_opt_error(o, "mbr", "expected hybrid, protective or mbr-only");
            return MK_EXIT_USAGE;
        }
    }
    l->esp_mbr_type = MBR_TYPE_EFI_SYSTEM;
    if (o->esp_mbr_type) {
        const char *t = o->esp_mbr_type;
        if (!strncasecmp(t, "0x", 2))
            t += 2;
        if (!strcasecmp(t, "ef"))
            l->esp_mbr_type = MBR_TYPE_EFI_SYSTEM;
        else if (!strcasecmp(t, "0c") || !strcasecmp(t, "c"))
            l->esp_mbr_type = MBR_TYPE_FAT32_LBA;
        else {
            mk_opt_error(o, "esp-mbr-type", "expected ef or 0c");
            return MK_EXIT_USAGE;
        }
    }
    l->active_ee = o->active_ee > 0;
    if (o->active_ee > 0 && l->mbr == MK_MBR_ONLY) {
        mk_opt_error(o, "active-ee", "an mbr-only image has no 0xEE entry");
        return MK_EXIT_USAGE;
    }
    return MK_EXIT_OK;
}

/* 512, or 4096 for 4Kn disks: every LBA of the image counts sectors of
 * this size (mk_disk.h), the FAT's too. */
static int parse_sector_size(struct mk_plan *p, const struct mk_opts *o)
{
    p->layout.sector_size = 512;
    if (!o->sector_size)
        return MK_EXIT_OK;
    if (!strcmp(o->sector_size, "4096") || !strcasecmp(o->sector_size, "4K"))
        p->layout.sector_size = 4096;
    else if (strcmp(o->sector_size, "512") != 0) {
        mk_opt_error(o, "sector-size", "expected 512 or 4096 (the disk's logical sector size)");
        return MK_EXIT_USAGE;
    }
    return MK_EXIT_OK;
}

static int parse_bootcfg_values(const struct mk_opts *o)
{
    uint32_t w, h;
    if (o->resolution && bootcfg_parse_resolution(o->resolution, strlen(o->resolution), &w, &h)) {
        mk_opt_error(o, "resolution", "expected WIDTHxHEIGHT, each 1..65535 (e.g. 1024x768)");
        return MK_EXIT_USAGE;
    }
    if (o->cmdline) {
        if (has_control(o->cmdline)) {
            mk_opt_error(o, "cmdline", "a command line cannot hold control characters (line breaks, escapes)");
            return MK_EXIT_USAGE;
        }
        if (strlen(o->cmdline) >= BOOTCFG_CMDLINE_MAX) {
            mk_opt_error(o, "cmdline", "longer than %d bytes", BOOTCFG_CMDLINE_MAX - 1);
            return MK_EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < o->nmodules; i++) {
        const char *s = o->modules[i].string;
        if (s && has_control(s)) {
            mk_error(o->modules[i].where, "module %s: its string cannot hold control characters", o->modules[i].src);
            return MK_EXIT_USAGE;
        }
        if (s && strlen(s) >= BOOTCFG_STRING_MAX) {
            mk_error(o->modules[i].where, "module %s: its string is longer than %d bytes", o->modules[i].src,
                     BOOTCFG_STRING_MAX - 1);
            return MK_EXIT_USAGE;
        }
    }
    if (o->nmodules > BOOTCFG_MODULES_MAX) {
        mk_error(o->modules[BOOTCFG_MODULES_MAX].where, "more than %d modules: the loaders take %d",
                 BOOTCFG_MODULES_MAX, BOOTCFG_MODULES_MAX);
        return MK_EXIT_USAGE;
    }
    return MK_EXIT_OK;
}

static int parse_time(struct mk_plan *p)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0) {
            mk_error("SOURCE_DATE_EPOCH", "\"%s\" is not a number of seconds since 1970", sde);
            return MK_EXIT_USAGE;
        }
        p->epoch = v;
        p->epoch_from_env = 1;
    } else {
        p->epoch = 315532800;   /* 1980-01-01: FAT's epoch, so no host clock leaks in */
    }
    mk_fat_set_time(&p->fat, p->epoch);
    return MK_EXIT_OK;
}

int mk_settings_parse(struct mk_plan *p, const struct mk_opts *o)
{
    const char *why;
    int r;
    if ((r = parse_sector_size(p, o)))
        return r;
    p->size = MK_DEFAULT_SIZE;
    if (o->size) {
        if (mk_parse_size(o->size, &p->size, &why) < 0) {
            mk_opt_error(o, "size", "%s", why);
            return MK_EXIT_USAGE;
        }
        if (p->size > MK_MAX_SIZE) {
            mk_opt_error(o, "size", "larger than the 8 EiB a file or device can have");
            return MK_EXIT_USAGE;
        }
        if (p->size % p->layout.sector_size) {
            mk_opt_error(o, "size", "not a multiple of %u bytes (the sector size)", p->layout.sector_size);
            return MK_EXIT_USAGE;
        }
    }
    if (o->fat && strcmp(o->fat, "auto") != 0) {
        if (strcmp(o->fat, "12") && strcmp(o->fat, "16") && strcmp(o->fat, "32")) {
            mk_opt_error(o, "fat", "expected 12, 16, 32 or auto");
            return MK_EXIT_USAGE;
        }
        p->fat_type = atoi(o->fat);
    }
    if ((r = parse_layout(p, o)) || (r = parse_bootcfg_values(o)))
        return r;
    mk_fat_init(&p->fat);
    p->fat.sector_size = p->layout.sector_size;
    why = mk_fat_set_label(&p->fat, o->label ? o->label : MK_DEFAULT_LABEL);
    if (why) {
        mk_opt_error(o, "label", "%s", why);
        return MK_EXIT_USAGE;
    }
    if ((r = parse_time(p)))
        return r;
    p->efi_machine = PE_MACHINE_X64;
    p->efi_dest = pe_removable_path(p->efi_machine);
    p->efi32_dest = pe_removable_path(PE_MACHINE_I386);

    if (!o->kernel) {
        mk_error(NULL, "no kernel given (--kernel FILE); see --help");
        return MK_EXIT_USAGE;
    }
    if (!o->stage1 != !o->stage2) {
        mk_error(o->stage1 ? o->stage1 : o->stage2,
                 "BIOS boot needs both --stage1 and --stage2 (or neither, for a UEFI-only image)");
        return MK_EXIT_USAGE;
    }
    if (!o->stage1 && !o->efi && !o->efi32) {
        mk_error(NULL, "nothing would boot: give --efi (and/or --efi32), or --stage1 and --stage2, or all of them");
        return MK_EXIT_USAGE;
    }
    return MK_EXIT_OK;
}
