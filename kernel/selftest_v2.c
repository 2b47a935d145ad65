/* Self-test of the v2 fields (see selftest_v2.h). Every address a loader
 * hands over is first checked to be identity-mapped (vm_identity), so a
 * wrong pointer is a failed check, not a page fault; and where the kernel
 * can find a thing on its own (SMBIOS in the F segment or the EFI
 * configuration table, the time in the RTC) it compares with what the
 * loader reported rather than trusting it. */
#include "selftest_v2.h"

#include "bootcfg.h"
#include "cmdline.h"
#include "fmt.h"
#include "fwtables.h"
#include "io.h"
#include "kprint.h"
#include "mem.h"
#include "paging.h"
#include "rtc.h"
#include "sha256.h"
#include "unixtime.h"
#include "vm.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

#define T2020 1577836800LL /* 2020-01-01 00:00:00 UTC */
#define T2100 4102444800LL /* 2100-01-01 00:00:00 UTC */

/* What the EFI checks learn that later checks compare with. */
struct efi_found {
    int tables_ok;                  /* configuration table read */
    uint64_t smbios, smbios3, acpi, acpi20;
    int64_t get_time;               /* EFI GetTime as UNIX seconds, -1 if not called or failed */
};

static const void *ptr(uint64_t phys)
{
    return (const void *)(uintptr_t)phys;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static const char *when(char *buf, size_t n, int64_t t)
{
    return unixtime_format(buf, n, t);
}

/* ---- flags ---------------------------------------------------------------- */

static void check_flags(struct st *st, const struct boot_info *bi)
{
    uint32_t known = BOOT_FLAG_SECURE_BOOT | BOOT_FLAG_HHDM_1G | BOOT_FLAG_EFI32;
    st->checks++;
    if (bi->flags & ~known)
        st_fail(st, "flags 0x%x: unknown bits 0x%x", bi->flags, bi->flags & ~known);
    st->checks++;
    if (bi->firmware == BOOT_FW_BIOS && (bi->flags & BOOT_FLAG_SECURE_BOOT))
        st_fail(st, "flags say Secure Boot under BIOS");
    st->checks++;
    if (bi->firmware == BOOT_FW_BIOS && (bi->flags & BOOT_FLAG_EFI32))
        st_fail(st, "flags say 32-bit EFI under BIOS");
}

/* ---- modules -------------------------------------------------------------- */

/* A NUL-terminated string of at most max bytes (with the NUL) at phys, in
 * loader memory; NULL and a failure otherwise. */
static const char *module_str(struct st *st, uint32_t i, const char *what, uint64_t phys, uint32_t max,
                              const struct boot_info *bi)
{
    st->checks++;
    if (phys == 0 || !vm_identity(phys, 1)) {
        st_fail(st, "module %u: %s at 0x%llx is not mapped", i, what, (unsigned long long)phys);
        return 0;
    }
    const char *s = ptr(phys);
    uint32_t len = 0;
    int terminated = 0;
    for (; len < max; len++) {
        /* crossing into a page: it must be mapped before we look */
        if (len && ((phys + len) & 4095) == 0 && !vm_identity(phys + len, 1))
            break;
        if (s[len] == '\0') {
            terminated = 1;
            break;
        }
    }
    if (!terminated) {
        st_fail(st, "module %u: %s at 0x%llx is not NUL-terminated within %u bytes", i, what,
                (unsigned long long)phys, max);
        return 0;
    }
    st->checks++;
    if (!st_inside(bi, phys, len + 1, BOOT_MEM_LOADER)) {
        st_fail(st, "module %u: %s at 0x%llx is not inside a loader region", i, what, (unsigned long long)phys);
        return 0;
    }
    return s;
}

/* Hashes the module and compares with the string's sha256=<hex> word.
 * Returns the verdict word for the module line. */
static const char *module_hash(struct st *st, uint32_t i, const char *path, const struct boot_module *m,
                               const char *string)
{
    char hex[80];
    if (!string || !cmdline_value(string, "sha256", hex, sizeof hex))
        return "not given";
    uint8_t want[SHA256_LEN], got[SHA256_LEN];
    st->checks++;
    if (strlen(hex) != 2 * SHA256_LEN || sha256_parse_hex(hex, strlen(hex), want)) {
        st_fail(st, "module %u %s: sha256= in its string is not 64 hex digits", i, path);
        return "MISMATCH";
    }
    sha256(ptr(m->addr), (size_t)m->size, got);
    st->checks++;
    if (memcmp(want, got, SHA256_LEN) != 0) {
        char g[2 * SHA256_LEN + 1];
        sha256_hex(got, g);
        st_fail(st, "module %u %s: sha256 mismatch (bytes hash to %.16s...)", i, path, g);
        return "MISMATCH";
    }
    return "ok";
}

static void check_modules(struct st *st, const struct boot_info *bi)
{
    uint32_t count = bi->module_count, esz = bi->module_entry_size;
    if (count == 0) {
        kprintf("hyboot: kernel selftest: no modules\n");
    } else {
        st->checks++;
        if (esz < sizeof(struct boot_module) || esz % 8) {
            st_fail(st, "module_entry_size %u, want at least %u and a multiple of 8", esz,
                    (unsigned)sizeof(struct boot_module));
            return;
        }
        st->checks++;
        uint64_t bytes = (uint64_t)count * esz;
        if (count > 65536 || !vm_identity(bi->modules_addr, bytes) ||
            !st_inside(bi, bi->modules_addr, bytes, BOOT_MEM_LOADER)) {
            st_fail(st, "module array at 0x%llx (%u entries) is not inside a loader region",
                    (unsigned long long)bi->modules_addr, count);
            return;
        }
    }
    const uint8_t *arr = ptr(bi->modules_addr);
    for (uint32_t i = 0; i < count; i++) {
        const struct boot_module *m = (const void *)(arr + (uint64_t)i * esz);
        uint64_t span = (m->size + 4095) & ~4095ULL;
        const char *path = module_str(st, i, "path", m->path_addr, BOOTCFG_PATH_MAX, bi);
        const char *string = module_str(st, i, "string", m->string_addr, BOOTCFG_STRING_MAX, bi);
        const char *shown = path ? path : "?";
        int placed = 1;
        st->checks++;
        if (m->addr % 4096) {
            st_fail(st, "module %u %s at 0x%llx is not 4 KiB aligned", i, shown, (unsigned long long)m->addr);
            placed = 0;
        }
        st->checks++;
        if (m->size > 0 && (m->addr + span < m->addr || !st_inside(bi, m->addr, span, BOOT_MEM_MODULE))) {
            st_fail(st, "module %u %s at 0x%llx+0x%llx is not inside a module range of the map", i, shown,
                    (unsigned long long)m->addr, (unsigned long long)m->size);
            placed = 0;
        }
        st->checks++;
        if (m->size > 0 && !vm_identity(m->addr, m->size)) {
            st_fail(st, "module %u %s at 0x%llx+0x%llx is not identity-mapped", i, shown,
                    (unsigned long long)m->addr, (unsigned long long)m->size);
            placed = 0;
        }
        /* two modules in one place: one of them was overwritten */
        for (uint32_t j = 0; j < i; j++) {
            const struct boot_module *o = (const void *)(arr + (uint64_t)j * esz);
            if (m->size && o->size && m->addr < o->addr + o->size && o->addr < m->addr + m->size) {
                st_fail(st, "modules %u and %u overlap", j, i);
                placed = 0;
            }
        }
        const char *verdict = placed ? module_hash(st, i, shown, m, string) : "not checked";
        kprintf("hyboot: kernel module %u %s %llu bytes sha256 %s\n", i, shown, (unsigned long long)m->size,
                verdict);
    }

    /* and every byte typed MODULE belongs to a listed module (whose
     * range is its size rounded up to 4 KiB): adjacent modules share one
     * map entry, so count bytes rather than look for an owner */
    const struct boot_mmap_entry *e = st_map(bi);
    for (uint32_t k = 0; k < bi->mmap_count; k++) {
        if (e[k].type != BOOT_MEM_MODULE)
            continue;
        uint64_t covered = 0, lo = e[k].base, hi = e[k].base + e[k].length;
        for (uint32_t i = 0; i < count; i++) {
            const struct boot_module *m = (const void *)(arr + (uint64_t)i * esz);
            uint64_t a = m->addr > lo ? m->addr : lo;
            uint64_t z = m->addr + ((m->size + 4095) & ~4095ULL);
            z = z < hi ? z : hi;
            covered += z > a ? z - a : 0;
        }
        st->checks++;
        if (covered != e[k].length)
            st_fail(st, "module range 0x%llx+0x%llx of the map: 0x%llx bytes belong to no listed module",
                    (unsigned long long)e[k].base, (unsigned long long)e[k].length,
                    (unsigned long long)(e[k].length - covered));
    }
}

/* ---- the higher-half direct map ------------------------------------------ */

/* Through the HHDM, phys must land on phys. */
static int hhdm_maps(const struct boot_info *bi, uint64_t phys)
{
    int ok;
    return vm_translate(bi->hhdm_offset + phys, &ok) == phys && ok;
}

/* Probes [base, base+len): first and last byte and a stride that gives at
 * most about 1024 probes; for usable memory also writes through the HHDM
 * and reads back through the identity map, at both ends and every
 * 256 MiB between. */
static int hhdm_probe_range(struct st *st, const struct boot_info *bi, uint64_t base, uint64_t len, int writable)
{
    if (len == 0)
        return 0;
    uint64_t last = base + len - 1;
    uint64_t stride = (len / 1024 + 2 * MiB - 1) & ~(2 * MiB - 1);
    if (stride < 2 * MiB)
        stride = 2 * MiB;
    for (uint64_t p = base;; p = last - p > stride ? p + stride : last) {
        if (!hhdm_maps(bi, p)) {
            st_fail(st, "HHDM does not map phys 0x%llx (range 0x%llx+0x%llx) at 0x%llx", (unsigned long long)p,
                    (unsigned long long)base, (unsigned long long)len, (unsigned long long)(bi->hhdm_offset + p));
            return -1;
        }
        if (p == last)
            break;
    }
    uint64_t first_word = (base + 7) & ~7ULL, last_word = (base + len - 8) & ~7ULL;
    if (!writable || len < 16 || first_word > last_word)
        return 0;
    for (uint64_t p = first_word;; p = last_word - p > 256 * MiB ? p + 256 * MiB : last_word) {
        volatile uint64_t *via_hhdm = (volatile uint64_t *)(uintptr_t)(bi->hhdm_offset + p);
        volatile uint64_t *via_ident = (volatile uint64_t *)(uintptr_t)p;
        uint64_t saved = *via_ident, pattern = 0x5a17c0de00000000ULL ^ p;
        *via_hhdm = pattern;
        uint64_t back = *via_ident;
        *via_ident = saved;
        if (back != pattern) {
            st_fail(st, "HHDM write at phys 0x%llx reads back 0x%llx through the identity map",
                    (unsigned long long)p, (unsigned long long)back);
            return -1;
        }
        if (p == last_word)
            break;
    }
    return 0;
}

static void check_hhdm(struct st *st, const struct boot_info *bi)
{
    st->checks++;
    if (bi->hhdm_offset != BOOT_HHDM_OFFSET) {
        st_fail(st, "hhdm_offset 0x%llx, want 0x%llx", (unsigned long long)bi->hhdm_offset,
                (unsigned long long)BOOT_HHDM_OFFSET);
        return;
    }
    const struct boot_framebuffer *fb = &bi->fb;
    /* [0, hhdm_size) is one linear map over all RAM; reserved windows
     * above it and the framebuffer are mapped on their own (the probes
     * below check that every entry is reachable). */
    uint64_t top = 0;
    const struct boot_mmap_entry *m = st_map(bi);
    for (uint32_t i = 0; i < bi->mmap_count; i++)
        if (m[i].type != BOOT_MEM_RESERVED && m[i].type != BOOT_MEM_FRAMEBUFFER && m[i].base + m[i].length > top)
            top = m[i].base + m[i].length;
    st->checks++;
    if (bi->hhdm_size < top || bi->hhdm_size < 4 * GiB) {
        st_fail(st, "hhdm_size 0x%llx does not reach 4 GiB or the top of RAM 0x%llx", (unsigned long long)bi->hhdm_size,
                (unsigned long long)top);
        return;
    }
    /* the direct map shares the higher half with the kernel: below it */
    st->checks++;
    if (bi->hhdm_size > bi->kernel_virt_base - bi->hhdm_offset) {
        st_fail(st, "hhdm_size 0x%llx runs into the kernel's mapping at 0x%llx", (unsigned long long)bi->hhdm_size,
                (unsigned long long)bi->kernel_virt_base);
        return;
    }
    st->checks++;
    const struct boot_mmap_entry *e = st_map(bi);
    int bad = 0;
    for (uint32_t i = 0; i < bi->mmap_count && !bad; i++)
        bad = hhdm_probe_range(st, bi, e[i].base, e[i].length, e[i].type == BOOT_MEM_USABLE) != 0;
    if (!bad && fb->kind != BOOT_FB_NONE && fb->size)
        hhdm_probe_range(st, bi, fb->addr, fb->size, 0);

    /* 1 GiB pages: the flag says what the tables hold, and CPUID decides
     * whether they should (the "where CPUID offers them") */
    int ok;
    uint64_t page;
    vm_translate_page(bi->hhdm_offset, &ok, &page);
    int flag = (bi->flags & BOOT_FLAG_HHDM_1G) != 0, cpu = pg_cpu_has_gb_pages();
    st->checks++;
    if (flag && (page != 1 * GiB || !cpu))
        st_fail(st, "flags say the HHDM uses 1 GiB pages, but it starts with a %llu KiB page (CPU %s them)",
                (unsigned long long)(page / KiB), cpu ? "offers" : "lacks");
    else if (!flag && cpu && bi->hhdm_size >= 1 * GiB)
        st_fail(st, "the CPU offers 1 GiB pages but the HHDM_1G flag is clear");
}

/* ---- EFI ------------------------------------------------------------------ */

struct efi_time {
    uint16_t year;
    uint8_t month, day, hour, minute, second, pad1;
    uint32_t nanosecond;
    int16_t timezone;
    uint8_t daylight, pad2;
};
typedef uint64_t (__attribute__((ms_abi)) * efi_get_time_fn)(struct efi_time *t, void *caps);


/* A table of the firmware's (not a loader copy): mapped, and in memory
 * the kernel will not hand out. */
static int firmware_table_ok(struct st *st, const struct boot_info *bi, const char *what, uint64_t addr,
                             uint64_t len)
{
    st->checks++;
    if (!vm_identity(addr, len)) {
        st_fail(st, "%s at 0x%llx is not identity-mapped", what, (unsigned long long)addr);
        return 0;
    }
    st->checks++;
    if (st_touches(bi, addr, len, BOOT_MEM_USABLE)) {
        st_fail(st, "%s at 0x%llx lies in usable memory", what, (unsigned long long)addr);
        return 0;
    }
    return 1;
}

static void efi_call_get_time(const uint8_t *rt, struct efi_found *f)
{
    uint64_t fn = rd64(rt + EFI_RT_GET_TIME);
    if (!fn || !vm_identity(fn, 16)) {
        kprintf("hyboot: kernel selftest: EFI GetTime at 0x%llx is not mapped, not called\n",
                (unsigned long long)fn);
        return;
    }
    struct efi_time t;
    memset(&t, 0, sizeof t);
    uint64_t status = ((efi_get_time_fn)(uintptr_t)fn)(&t, 0);
    struct civil_time c = { t.year, t.month, t.day, t.hour, t.minute, t.second };
    int64_t now;
    if (status != 0 || unixtime_from_civil(&c, &now)) {
        /* UEFI 2.8 lets firmware drop GetTime at runtime (RT_PROPERTIES) */
        kprintf("hyboot: kernel selftest: EFI GetTime status 0x%llx, not compared\n", (unsigned long long)status);
        return;
    }
    /* a time zone other than "unspecified" (0x7ff) is minutes from UTC */
    if (t.timezone != 0x7ff && t.timezone >= -1440 && t.timezone <= 1440)
        now += (int64_t)t.timezone * 60;
    char b[24];
    kprintf("hyboot: kernel selftest: EFI GetTime says %s (runtime services called through the identity map)\n",
            when(b, sizeof b, now));
    f->get_time = now;
}

static void check_efi_uefi(struct st *st, const struct boot_info *bi, struct efi_found *f)
{
    char why[120];
    /* the final map first: the tables must lie in runtime memory of it */
    st->checks++;
    const uint8_t *map = 0;
    if (!bi->efi_mmap_addr || !vm_identity(bi->efi_mmap_addr, bi->efi_mmap_size) ||
        !st_inside(bi, bi->efi_mmap_addr, bi->efi_mmap_size, BOOT_MEM_LOADER))
        st_fail(st, "EFI memory map at 0x%llx (%llu bytes) is not inside a loader region",
                (unsigned long long)bi->efi_mmap_addr, (unsigned long long)bi->efi_mmap_size);
    else if (fw_efi_mmap_check(ptr(bi->efi_mmap_addr), bi->efi_mmap_size, bi->efi_mmap_desc_size,
                               bi->efi_mmap_desc_version, 0, why, sizeof why))
        st_fail(st, "EFI memory map: %s", why);
    else
        map = ptr(bi->efi_mmap_addr);

    /* 32-bit firmware (BOOTIA32.EFI): the same headers, 4-byte pointers */
    int efi32 = (bi->flags & BOOT_FLAG_EFI32) != 0;
    uint32_t st_size = efi32 ? FW_EFI_ST32_SIZE : FW_EFI_ST_SIZE;
    uint64_t sys = bi->efi_system_table;
    st->checks++;
    if (!sys || sys % 8) {
        st_fail(st, "efi_system_table 0x%llx under UEFI", (unsigned long long)sys);
        return;
    }
    if (!firmware_table_ok(st, bi, "EFI system table", sys, st_size))
        return;
    const uint8_t *stab = ptr(sys);
    st->checks++;
    if (fw_efi_header_check(stab, FW_EFI_ST_SIGNATURE, st_size, why, sizeof why)) {
        st_fail(st, "EFI system table at 0x%llx: %s", (unsigned long long)sys, why);
        return;
    }
    uint32_t type;
    uint64_t attr;
    st->checks++;
    if (map && (fw_efi_mmap_find(map, bi->efi_mmap_size, bi->efi_mmap_desc_size, sys, &type, &attr) ||
                !(attr & FW_EFI_MEMORY_RUNTIME)))
        st_fail(st, "EFI system table at 0x%llx is not in runtime memory of the EFI map", (unsigned long long)sys);

    /* the runtime services table, which a kernel needs to call anything */
    uint64_t rt = efi32 ? rd32(stab + EFI_ST32_RUNTIME_SERVICES) : rd64(stab + EFI_ST_RUNTIME_SERVICES);
    if (!firmware_table_ok(st, bi, "EFI runtime services table", rt, efi32 ? EFI_RT32_SIZE : FW_EFI_RT_SIZE))
        return;
    st->checks++;
    if (fw_efi_header_check(ptr(rt), FW_EFI_RT_SIGNATURE, efi32 ? EFI_RT32_SIZE : EFI_RT_GET_TIME + 8 * 11, why,
                            sizeof why)) {
        st_fail(st, "EFI runtime services table at 0x%llx: %s", (unsigned long long)rt, why);
        return;
    }

    /* the configuration table: where SMBIOS and ACPI really are */
    uint64_t n = efi32 ? rd32(stab + EFI_ST32_TABLE_COUNT) : rd64(stab + EFI_ST_TABLE_COUNT);
    uint64_t tab = efi32 ? rd32(stab + EFI_ST32_TABLES) : rd64(stab + EFI_ST_TABLES);
    uint32_t entry = efi32 ? 20 : 24;
    st->checks++;
    if (n > 1024 || (n && !vm_identity(tab, n * entry))) {
        st_fail(st, "EFI configuration table at 0x%llx with %llu entries is not mapped", (unsigned long long)tab,
                (unsigned long long)n);
    } else {
        const uint8_t *t = ptr(tab);
        for (uint64_t i = 0; i < n; i++, t += entry) {
            uint64_t v = efi32 ? rd32(t + 16) : rd64(t + 16);
            if (!memcmp(t, fw_guid_smbios, 16)) f->smbios = v;
            if (!memcmp(t, fw_guid_smbios3, 16)) f->smbios3 = v;
            if (!memcmp(t, fw_guid_acpi20, 16)) f->acpi20 = v;
            if (!memcmp(t, fw_guid_acpi10, 16)) f->acpi = v;
        }
        f->tables_ok = 1;
        st->checks++;
        if ((f->acpi20 || f->acpi) && bi->rsdp_addr != f->acpi20 && bi->rsdp_addr != f->acpi)
            st_fail(st, "rsdp_addr 0x%llx, but the EFI configuration table has the RSDP at 0x%llx",
                    (unsigned long long)bi->rsdp_addr, (unsigned long long)(f->acpi20 ? f->acpi20 : f->acpi));
    }
    /* a 64-bit kernel cannot call 32-bit firmware's runtime services */
    if (!efi32)
        efi_call_get_time(ptr(rt), f);
}

static void check_efi(struct st *st, const struct boot_info *bi, struct efi_found *f)
{
    if (bi->firmware == BOOT_FW_UEFI) {
        check_efi_uefi(st, bi, f);
        return;
    }
    st->checks++;
    if (bi->efi_system_table || bi->efi_mmap_addr || bi->efi_mmap_size || bi->efi_mmap_desc_size ||
        bi->efi_mmap_desc_version)
        st_fail(st, "EFI fields set under BIOS (system table 0x%llx, map 0x%llx+%llu)",
                (unsigned long long)bi->efi_system_table, (unsigned long long)bi->efi_mmap_addr,
                (unsigned long long)bi->efi_mmap_size);
}

/* ---- SMBIOS --------------------------------------------------------------- */

/* QEMU's fw_cfg device answers "QEMU" at selector 0: SMBIOS is certain there. */
static int on_qemu(void)
{
    outw(0x510, 0);
    char sig[4];
    for (int i = 0; i < 4; i++)
        sig[i] = (char)inb(0x511);
    return memcmp(sig, "QEMU", 4) == 0;
}

static void check_smbios_ep(struct st *st, const struct boot_info *bi, int v3, uint64_t addr, uint64_t found,
                            const char *found_where)
{
    const char *name = v3 ? "SMBIOS 3 entry point" : "SMBIOS entry point";
    if (addr) {
        if (!firmware_table_ok(st, bi, name, addr, 0x40))
            return;
        char why[120];
        struct smbios_ep ep;
        st->checks++;
        if ((v3 ? fw_smbios3_check : fw_smbios2_check)(ptr(addr), &ep, why, sizeof why)) {
            st_fail(st, "%s at 0x%llx: %s", name, (unsigned long long)addr, why);
            return;
        }
        if (!firmware_table_ok(st, bi, "SMBIOS structure table", ep.table_addr, ep.table_len))
            return;
        const uint8_t *s = ptr(ep.table_addr);
        st->checks++;
        if (s[1] < 4)
            st_fail(st, "SMBIOS structure table at 0x%llx: first structure is %u bytes long",
                    (unsigned long long)ep.table_addr, s[1]);
    }
    st->checks++;
    if (found && addr != found)
        st_fail(st, "%s reported at 0x%llx, but %s has it at 0x%llx", name, (unsigned long long)addr, found_where,
                (unsigned long long)found);
}

static void check_smbios(struct st *st, const struct boot_info *bi, const struct efi_found *f)
{
    uint64_t ep2 = 0, ep3 = 0;
    const char *where = "";
    if (bi->firmware == BOOT_FW_BIOS && vm_identity(0xf0000, 0x10000)) {
        fw_smbios_scan(ptr(0xf0000), 0x10000, 0xf0000, &ep2, &ep3);
        where = "the F segment";
    } else if (bi->firmware == BOOT_FW_UEFI && f->tables_ok) {
        ep2 = f->smbios;
        ep3 = f->smbios3;
        where = "the EFI configuration table";
    }
    check_smbios_ep(st, bi, 0, bi->smbios_addr, ep2, where);
    check_smbios_ep(st, bi, 1, bi->smbios3_addr, ep3, where);
    st->checks++;
    if (!bi->smbios_addr && !bi->smbios3_addr && on_qemu())
        st_fail(st, "no SMBIOS entry point, but QEMU (fw_cfg present) always provides one");
}

/* ---- EDID ----------------------------------------------------------------- */

static void check_edid(struct st *st, const struct boot_info *bi)
{
    if (!bi->edid_addr && !bi->edid_size) {
        kprintf("hyboot: kernel selftest: no EDID handed over\n");
        return;
    }
    st->checks++;
    if (!bi->edid_addr || bi->edid_size > 128 * 256 || !vm_identity(bi->edid_addr, bi->edid_size) ||
        !st_inside(bi, bi->edid_addr, bi->edid_size ? bi->edid_size : 1, BOOT_MEM_LOADER)) {
        st_fail(st, "EDID copy at 0x%llx (%u bytes) is not inside a loader region",
                (unsigned long long)bi->edid_addr, bi->edid_size);
        return;
    }
    char why[120];
    struct edid_info info;
    st->checks++;
    if (fw_edid_check(ptr(bi->edid_addr), bi->edid_size, &info, why, sizeof why))
        st_fail(st, "EDID at 0x%llx: %s", (unsigned long long)bi->edid_addr, why);
}

/* ---- boot time ------------------------------------------------------------ */

static void check_boot_time(struct st *st, const struct boot_info *bi, const struct efi_found *f)
{
    char a[24], b[24];
    int64_t t = bi->boot_time;
    /* the clock the loader read: EFI GetTime when the kernel could call
     * it, else the CMOS RTC (what GetTime reads on a PC anyway) */
    int64_t now = f->get_time >= 0 ? f->get_time : rtc_read_unix();
    const char *clock = f->get_time >= 0 ? "EFI GetTime" : "the RTC";
    if (t == 0) {
        st->checks++;
        if (now >= 0)
            st_fail(st, "boot_time is 0 (unknown), but %s reads %s", clock, when(a, sizeof a, now));
        return;
    }
    st->checks++;
    if (t < T2020 || t >= T2100) {
        st_fail(st, "boot_time %lld (%s) is not between 2020 and 2100", (long long)t, when(a, sizeof a, t));
        return;
    }
    /* the self-test runs seconds after the loader read the clock; an
     * hour of slack covers the slowest TCG boot */
    st->checks++;
    if (now >= 0 && (t > now + 60 || now - t > 3600))
        st_fail(st, "boot_time %s, but %s reads %s", when(a, sizeof a, t), clock, when(b, sizeof b, now));
}

void selftest_v2(struct st *st, const struct boot_info *bi)
{
    struct efi_found f;
    memset(&f, 0, sizeof f);
    f.get_time = -1;
    check_flags(st, bi);
    check_modules(st, bi);
    check_hhdm(st, bi);
    check_efi(st, bi, &f);
    check_smbios(st, bi, &f);
    check_edid(st, bi);
    check_boot_time(st, bi, &f);
}
