/* The one-line summary of the boot_info v2 fields that every boot prints
 * (see selftest_v2.h). */
#include "selftest_v2.h"

#include "fmt.h"
#include "fwtables.h"
#include "unixtime.h"
#include "vm.h"

#define MiB (1024ULL * 1024)
#define GiB (1024 * MiB)

static const void *ptr(uint64_t phys)
{
    return (const void *)(uintptr_t)phys;
}

struct line {
    char *buf;
    size_t n, len;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
    if (l->len >= l->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = fmt_vsnprintf(l->buf + l->len, l->n - l->len, fmt, ap);
    va_end(ap);
    l->len += w > 0 ? (size_t)w : 0;
}

static void add_size(struct line *l, uint64_t bytes)
{
    if (bytes % GiB == 0)
        add(l, "%llu GiB", (unsigned long long)(bytes / GiB));
    else
        add(l, "%llu MiB", (unsigned long long)(bytes / MiB));
}

void v2_summary_line(const struct boot_info *bi, char *buf, size_t n)
{
    struct line l = { buf, n, 0 };
    char why[8];
    add(&l, "hyboot: kernel v2: %u module%s, ", bi->module_count, bi->module_count == 1 ? "" : "s");

    int ok;
    uint64_t page;
    if (bi->hhdm_offset == 0) {
        add(&l, "no HHDM");
    } else if (vm_translate_page(bi->hhdm_offset, &ok, &page), ok) {
        add(&l, "HHDM ");
        add_size(&l, bi->hhdm_size);
        add(&l, " (%s pages)", page == GiB ? "1 GiB" : page == 2 * MiB ? "2 MiB" : "4 KiB");
    } else {
        add(&l, "HHDM unmapped");
    }

    struct smbios_ep ep;
    uint64_t sm = bi->smbios3_addr ? bi->smbios3_addr : bi->smbios_addr;
    int v3 = bi->smbios3_addr != 0;
    if (!sm)
        add(&l, ", no SMBIOS");
    else if (vm_identity(sm, 0x40) && (v3 ? fw_smbios3_check : fw_smbios2_check)(ptr(sm), &ep, why, sizeof why) == 0)
        add(&l, ", SMBIOS %u.%u at 0x%llx", ep.major, ep.minor, (unsigned long long)sm);
    else
        add(&l, ", SMBIOS invalid at 0x%llx", (unsigned long long)sm);

    struct edid_info ed;
    if (!bi->edid_addr)
        add(&l, ", no EDID");
    else if (bi->edid_size <= 128 * 256 && vm_identity(bi->edid_addr, bi->edid_size) &&
             fw_edid_check(ptr(bi->edid_addr), bi->edid_size, &ed, why, sizeof why) == 0)
        add(&l, ", EDID %u bytes (%ux%u)", bi->edid_size, ed.pref_width, ed.pref_height);
    else
        add(&l, ", EDID invalid");

    if (bi->efi_system_table)
        add(&l, ", EFI system table at 0x%llx", (unsigned long long)bi->efi_system_table);
    else
        add(&l, ", no EFI system table");

    char t[24];
    if (bi->boot_time)
        add(&l, ", boot time %s", unixtime_format(t, sizeof t, bi->boot_time));
    else
        add(&l, ", boot time unknown");
}
