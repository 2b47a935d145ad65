/* --print-layout: the plan in words -- partitions, identifiers, FAT
 * geometry, files and boot.cfg -- before anything is written. */
#include "mk_plan.h"

#include <string.h>

static void print_files(FILE *out, const struct mk_fat_node *d, char *path, size_t len)
{
    for (const struct mk_fat_node *c = d->first; c; c = c->next) {
        size_t n = strlen(c->name);
        if (len + 1 + n + 1 > 4096)
            continue;
        path[len] = '/';
        memcpy(path + len + 1, c->name, n + 1);
        if (c->is_dir) {
            print_files(out, c, path, len + 1 + n);
        } else {
            char sn[13];
            fat_short_to_text(c->short_name, 0, sn);
            fprintf(out, "    %-28s %10llu bytes   8.3 %s\n", path, (unsigned long long)c->size, sn);
        }
        path[len] = 0;
    }
}

void mk_plan_print(struct mk_plan *p, FILE *out)
{
    const struct mk_layout *l = &p->layout;
    const uint64_t ss = l->sector_size, nent = mk_gpt_entry_sectors(l->sector_size);
    char s[32], g[40], uefi[64];
    mk_format_size(p->size, s, sizeof s);
    snprintf(uefi, sizeof uefi, "UEFI (%s%s%s)", p->efi.path ? "BOOTX64.EFI" : "",
             p->efi.path && p->efi32.path ? ", " : "", p->efi32.path ? "BOOTIA32.EFI for 32-bit firmware" : "");
    int has_uefi = p->efi.path || p->efi32.path;
    fprintf(out, "image      %s: %s, %llu sectors of %llu bytes%s\n", p->o->output ? p->o->output : "(no output)",
            s, (unsigned long long)l->total_sectors, (unsigned long long)ss,
            ss == 512 ? "" : " (for disks with 4096-byte logical sectors)");
    if (p->stage1.path && has_uefi)
        fprintf(out, "boots      BIOS (stage1 + stage2) and %s\n", uefi);
    else if (p->stage1.path)
        fprintf(out, "boots      BIOS only (no EFI loader given)\n");
    else
        fprintf(out, "boots      %s only (no stage1/stage2 given)\n", uefi);
    fprintf(out, "seed       %s\n", p->seed_given ? "from --seed" : "hash of the inputs");
    if (p->o->sign_key)
        fprintf(out, "signed     EFI loaders signed with %s, boot.cfg's hash enrolled%s\n", p->o->sign_cert,
                p->shim.path ? "; shim starts " PE_SHIM_NEXT_X64 : "");
    if (p->o->enroll_keys)
        fprintf(out, "keys       PK, KEK, db from %s for Setup Mode enrolment\n", p->o->enroll_keys);
    static const char *mode[] = { "hybrid", "protective", "mbr-only (no GPT)" };
    fprintf(out, "MBR        %s, disk signature 0x%08x, stage1 %s\n", mode[l->mbr], l->disk_signature,
            p->stage1.path ? "patched to load stage2" : "absent (a stub prints \"UEFI only\")");
    uint64_t esp_n = l->esp_last - l->esp_first + 1;
    switch (l->mbr) {
    case MK_MBR_HYBRID:
        fprintf(out, "  1  0xee%s  LBA 1 .. %llu\n", l->active_ee ? " active" : "       ",
                (unsigned long long)(l->esp_first - 1));
        fprintf(out, "  2  0x%02x%s  LBA %llu .. %llu%s\n", l->esp_mbr_type, l->active_ee ? "       " : " active",
                (unsigned long long)l->esp_first, (unsigned long long)l->esp_last,
                esp_n > 0xffffffffULL ? " (count clamped to 0xFFFFFFFF)" : "");
        break;
    case MK_MBR_PROTECTIVE:
        fprintf(out, "  1  0xee%s  LBA 1 .. %llu%s\n", l->active_ee ? " active" : "       ",
                (unsigned long long)(l->total_sectors - 1),
                l->total_sectors - 1 > 0xffffffffULL ? " (count clamped to 0xFFFFFFFF)" : "");
        break;
    case MK_MBR_ONLY:
        fprintf(out, "  1  0x%02x active  LBA %llu .. %llu\n", l->esp_mbr_type, (unsigned long long)l->esp_first,
                (unsigned long long)l->esp_last);
        break;
    }
    if (l->mbr != MK_MBR_ONLY) {
        guid_format(l->disk_guid, g);
        fprintf(out, "GPT        disk %s, primary LBA 1 (entries 2..%llu), backup LBA %llu (entries %llu..%llu)\n", g,
                (unsigned long long)(1 + nent), (unsigned long long)(l->total_sectors - 1),
                (unsigned long long)(l->total_sectors - 1 - nent), (unsigned long long)(l->total_sectors - 2));
        fprintf(out, "           usable LBA %llu .. %llu\n", (unsigned long long)(2 + nent),
                (unsigned long long)l->last_usable);
        int n = 1;
        if (l->has_bios_part) {
            guid_format(l->bios_guid, g);
            mk_format_size((l->bios_last - l->bios_first + 1) * ss, s, sizeof s);
            fprintf(out, "  %d  BIOS boot   LBA %llu .. %llu (%s)  %s\n", n++, (unsigned long long)l->bios_first,
                    (unsigned long long)l->bios_last, s, g);
        }
        guid_format(l->esp_guid, g);
        mk_format_size(esp_n * ss, s, sizeof s);
        fprintf(out, "  %d  EFI system  LBA %llu .. %llu (%s)  %s\n", n, (unsigned long long)l->esp_first,
                (unsigned long long)l->esp_last, s, g);
    }
    if (p->stage2.path)
        fprintf(out, "stage2     %llu bytes (%u sectors) at LBA %llu\n", (unsigned long long)p->stage2.size,
                p->stage2_sectors, (unsigned long long)l->bios_first);
    if (l->esp_last < l->last_usable) {
        mk_format_size((l->last_usable - l->esp_last) * ss, s, sizeof s);
        /* Either a few sectors lost to the 4 KiB-aligned end, or, on a
         * multi-TiB image, everything past FAT32's 2^32-1 sectors. */
        fprintf(out, "free       LBA %llu .. %llu (%s): %s\n", (unsigned long long)(l->esp_last + 1),
                (unsigned long long)l->last_usable, s,
                (l->last_usable - l->esp_last) * ss >= MK_ALIGN_BYTES
                    ? "FAT32 ends at 2^32-1 sectors, the rest is unpartitioned"
                    : "left so that the ESP ends 4 KiB aligned");
    }
    const struct mk_fat_geom *fg = &p->fat.g;
    char label[12];
    memcpy(label, p->fat.label, 11);
    label[11] = 0;
    for (int i = 10; i >= 0 && label[i] == ' '; i--)
        label[i] = 0;
    fprintf(out, "ESP        FAT%d, %u-byte clusters, %u clusters, label \"%s\", volume id %04X-%04X\n", fg->type,
            fg->spc * fg->bps, fg->clusters, label, p->fat.volume_id >> 16, p->fat.volume_id & 0xffff);
    fprintf(out, "           %u-byte sectors, reserved %u, 2 FATs of %u sectors, %sdata from sector %u\n", fg->bps,
            fg->reserved, fg->fat_sectors, fg->type == 32 ? "" : "root directory ", fg->data_start);
    fprintf(out, "files      (timestamps %s)\n", p->epoch_from_env ? "from SOURCE_DATE_EPOCH" : "fixed: 1980-01-01");
    char path[4096] = "";
    print_files(out, &p->fat.root, path, 0);
    if (p->o->nmodules)
        fprintf(out, "modules    (in boot.cfg order, each checked against its SHA-256 by the loaders)\n");
    for (size_t i = 0; i < p->o->nmodules; i++) {
        const struct mk_module *m = &p->modules[i];
        char hex[65];
        sha256_hex(m->sha256, hex);
        fprintf(out, "    %-28s %10llu bytes   string \"%s\"   sha256 %.16s...\n", m->dest,
                (unsigned long long)m->blob.size, m->spec->string ? m->spec->string : "", hex);
    }
    fprintf(out, "boot.cfg\n");
    const char *c = p->bootcfg;
    while (*c) {
        const char *nl = strchr(c, '\n');
        int n = nl ? (int)(nl - c) : (int)strlen(c);
        fprintf(out, "    %.*s\n", n, c);
        c += n + (nl ? 1 : 0);
    }
}
