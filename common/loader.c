/* The boot flow, from a firmware layer's loader_run() to the kernel's
 * entry point. Read top to bottom it is the whole boot: each step is a
 * function below, each failure one die() line. The firmware-specific work
 * happens behind the plat_* calls (common/loader.h). */
#include "loader.h"

#include <stdarg.h>

#include "bootcfg.h"
#include "cpu_check.h"
#include "fwtables.h"
#include "elf.h"
#include "fmt.h"
#include "gpt.h"
#include "io.h"
#include "mem.h"
#include "paging.h"
#include "sha256.h"
#include "video.h"

#define KERNEL_STACK (128u << 10)      /* the protocol promises >= 64 KiB */
#define EDID_MAX     (16u * 128)       /* the base block and 15 extensions: more than any display has */
#define BELOW_4G     (1ULL << 32)      /* what 32-bit stage2 can write */
#define MIB(x)       ((unsigned long long)(((x) + (1u << 20) - 1) >> 20))

void say(const char *fmt, ...)
{
    char buf[320];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    plat_say(buf);
}

void die(const char *fmt, ...)
{
    char buf[320];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    plat_fail(buf);
}

/* Everything the flow learns on the way to the jump. Static: the 32-bit
 * stage2 and the UEFI loader both run on small stacks. The parsed
 * boot.cfg (54 KiB with its module table) is allocated instead: in the
 * UEFI loader a static one would be 54 KiB of zeros in the PE file that
 * the firmware reads from the stick at every boot. */
static struct boot_cfg *cfg;
static struct {
    int secure;                /* the firmware enforces Secure Boot */
    uint64_t ram_top;          /* end of the highest RAM range in the firmware's map */
    struct mm_map fw_map;      /* the firmware's map before the kernel is loaded */
    struct pg_range *extra;    /* room for one range per entry of fw_map */
    uint64_t tsc_hz;
    uint64_t t_entry, t_loaded;
    struct elf_plan plan;
    uint64_t kernel_phys, kernel_file_size, kernel_read_ticks;
    uint64_t kernel_file;      /* the file's bytes, while the span is chosen late */
    uint32_t kernel_read_calls;
    uint64_t module_addr[BOOTCFG_MODULES_MAX], module_size[BOOTCFG_MODULES_MAX];
    struct boot_framebuffer fb;
    uint8_t  edid[EDID_MAX];
    uint32_t edid_size;
    uint64_t rsdp, smbios32, smbios64;
    int64_t  time;
    struct boot_device dev;
} st;

static unsigned ms(uint64_t ticks)
{
    return st.tsc_hz ? (unsigned)(ticks * 1000 / st.tsc_hz) : 0;
}

/* ---- files ---------------------------------------------------------------- */

struct file_buf {
    uint64_t addr, size;
    uint64_t ticks;
    uint32_t calls;
};

/* Reads the file at `path` whole into fresh memory of `type`, 4 KiB
 * aligned. A missing file returns -1 when missing_ok; every other
 * failure ends the boot with a line naming the path. */
static int read_file(const char *path, uint32_t type, struct file_buf *out, int missing_ok)
{
    struct plat_file *f;
    const char *why = "";
    memset(out, 0, sizeof *out);
    int rc = plat_file_open(path, &f, &out->size, &why);
    if (rc == PLAT_FILE_ENOENT) {
        if (missing_ok)
            return -1;
        die("%s: not found", path);
    }
    if (rc)
        die("%s: %s", path, why);
    /* A size beyond all of memory is a damaged directory entry, not a
     * reason to ask the firmware for 4 GiB. */
    if (out->size > st.ram_top)
        die("%s: its directory entry claims %llu MiB, more than this machine's memory "
            "(a damaged file system?)", path, MIB(out->size));
    out->addr = plat_alloc(out->size ? out->size : 1, 4096, type, 0);
    if (!out->addr)
        die("%s: not enough memory to load it (%llu MiB)", path, MIB(out->size));
    uint32_t calls0 = plat_disk_calls();
    uint64_t t0 = rdtsc();
    rc = plat_file_read(f, (void *)(uintptr_t)out->addr, out->size, &why);
    out->ticks = rdtsc() - t0;
    out->calls = plat_disk_calls() - calls0;
    plat_file_close(f);
    if (rc)
        die("%s: %s", path, why);
    return 0;
}

static int hash_matches(const struct file_buf *f, const uint8_t want[SHA256_LEN])
{
    uint8_t got[SHA256_LEN];
    sha256((const void *)(uintptr_t)f->addr, (size_t)f->size, got);
    return memcmp(got, want, SHA256_LEN) == 0;
}

/* ---- the steps ------------------------------------------------------------ */

static void check_cpu(void)
{
    const char *missing = cpu_missing_for_long_mode();
    if (missing)
        die("this computer's CPU cannot run a 64-bit kernel: %s", missing);
}

static void calibrate(void)
{
    const char *how = "no timer";
    st.tsc_hz = plat_tsc_hz(&how);
    say("TSC %llu kHz (%s)", (unsigned long long)(st.tsc_hz / 1000), how);
}

/* Under Secure Boot, boot.cfg must be the one the signed loader carries
 * the hash of (common/secure_boot.h), and every file it names must have
 * a hash line: that is the chain from the firmware's keys to each byte.
 * Without Secure Boot a mismatch is only a warning: the user who edits
 * boot.cfg on a stick signed for another machine still boots, and sees
 * why the chain would not hold. */
static void check_config_hash(const struct file_buf *f)
{
    uint8_t want[SHA256_LEN];
    int enrolled = plat_config_hash(want);
    if (!enrolled) {
        if (st.secure)
            die("Secure Boot is on, but this loader carries no boot.cfg hash "
                "(sign the image with mkimage --sign-key)");
        return;
    }
    if (!f)
        die("%s is missing, but this loader was signed for one", BOOTCFG_PATH);
    if (hash_matches(f, want)) {
        say("%s matches the hash signed into this loader%s", BOOTCFG_PATH,
            st.secure ? " (Secure Boot on)" : "");
        return;
    }
    if (st.secure)
        die("%s differs from the one this loader was signed for (Secure Boot)", BOOTCFG_PATH);
    say("warning: %s differs from the one this loader was signed for; booting anyway, "
        "Secure Boot is off", BOOTCFG_PATH);
}

static void require_hash(const char *path, int has)
{
    if (st.secure && !has)
        die("%s: no sha256 line for it in %s, and Secure Boot requires one", path, BOOTCFG_PATH);
}

/* RAM is what the kernel may use or must keep: every type but the
 * reserved windows and the framebuffer. */
static int is_ram(uint32_t type)
{
    return type != BOOT_MEM_RESERVED && type != BOOT_MEM_FRAMEBUFFER;
}

#define FW_MAP_CAP 512
#define FW_MAP_BYTES (FW_MAP_CAP * (sizeof(struct boot_mmap_entry) + sizeof(struct pg_range)))

/* The firmware's map, for the sizes to check files against and for what
 * the identity and direct maps must cover. */
static void survey_memory(void)
{
    uint64_t buf = plat_alloc(FW_MAP_BYTES, 4096, BOOT_MEM_LOADER, 0);
    if (!buf)
        die("not enough memory for a copy of the memory map");
    mm_init(&st.fw_map, (struct boot_mmap_entry *)(uintptr_t)buf, FW_MAP_CAP);
    st.extra = (struct pg_range *)(uintptr_t)(buf + FW_MAP_CAP * sizeof(struct boot_mmap_entry));
    plat_memory_map(&st.fw_map);
    const struct boot_mmap_entry *e = st.fw_map.e;
    uint64_t usable = 0, top = 0;
    for (uint32_t i = 0; i < st.fw_map.count; i++) {
        if (e[i].type == BOOT_MEM_USABLE)
            usable += e[i].length;
        if (is_ram(e[i].type) && e[i].base + e[i].length > st.ram_top)
            st.ram_top = e[i].base + e[i].length;
        if (e[i].base + e[i].length > top)
            top = e[i].base + e[i].length;
    }
    say("memory: %llu MiB usable, RAM up to 0x%llx, map up to 0x%llx", (unsigned long long)(usable >> 20),
        (unsigned long long)st.ram_top, (unsigned long long)top);
}

static void load_config(void)
{
    struct file_buf f;
    cfg = (struct boot_cfg *)(uintptr_t)plat_alloc(sizeof *cfg, 4096, BOOT_MEM_LOADER, 0);
    if (!cfg)
        die("not enough memory to read %s", BOOTCFG_PATH);
    bootcfg_defaults(cfg);
    st.secure = plat_secure_boot();
    if (read_file(BOOTCFG_PATH, BOOT_MEM_LOADER, &f, 1) < 0) {
        check_config_hash(0);
        say("no %s: defaults (kernel=%s, nothing verified)", BOOTCFG_PATH, cfg->kernel);
        return;
    }
    if (f.size > BOOTCFG_MAX_BYTES)
        die("%s: larger than %u bytes", BOOTCFG_PATH, BOOTCFG_MAX_BYTES);
    check_config_hash(&f);
    /* A bad line is fatal rather than skipped: the lines after it are
     * not applied, and one of them may be a hash we must check. */
    const char *why = "";
    int line = bootcfg_parse(cfg, (const char *)(uintptr_t)f.addr, (size_t)f.size, &why);
    plat_free(f.addr, f.size);
    if (line)
        die("%s line %d: %s", BOOTCFG_PATH, line, why);
    plat_verbose(cfg->verbose);
    say("config: kernel=%s cmdline=\"%s\", %u module%s", cfg->kernel, cfg->cmdline,
        (unsigned)cfg->module_count, cfg->module_count == 1 ? "" : "s");
}

/* bench_raw_read=1: the benchmarks' baseline, the same byte count read
 * raw through the same disk path, best of a cold and a warm read. */
static void bench_baseline(const struct file_buf *k)
{
    uint64_t best = 0, ticks;
    uint32_t best_calls = 0, calls;
    for (int i = 0; i < 2; i++) {
        plat_bench_raw_read((void *)(uintptr_t)k->addr, k->size, &ticks, &calls);
        if (!ticks)
            return;            /* no raw path on this firmware (UEFI reads through its FAT driver) */
        if (!best || ticks < best) {
            best = ticks;
            best_calls = calls;
        }
    }
    say("raw read %llu sectors in %llu ticks (%u calls)", (unsigned long long)((k->size + 511) / 512),
        (unsigned long long)best, (unsigned)best_calls);
}

static void place_kernel_now(uint64_t file);

static void load_kernel(void)
{
    const char *path = cfg->kernel;
    struct file_buf f;
    require_hash(path, cfg->has_sha256);
    read_file(path, BOOT_MEM_LOADER, &f, 0);
    if (f.size == 0)
        die("%s: empty file", path);
    if (cfg->bench_raw_read) {
        bench_baseline(&f);
        plat_free(f.addr, f.size);
        read_file(path, BOOT_MEM_LOADER, &f, 0);   /* the baseline overwrote it */
    }
    st.kernel_file_size = f.size;
    st.kernel_read_ticks = f.ticks;
    st.kernel_read_calls = f.calls;
    if (cfg->has_sha256 && !hash_matches(&f, cfg->kernel_sha256))
        die("%s: sha256 mismatch", path);
    const char *why = elf_plan((const void *)(uintptr_t)f.addr, f.size, &st.plan);
    if (why)
        die("%s: bad ELF: %s", path, why);
    char at[40] = "placed later";
    if (plat_kernel_late()) {
        st.kernel_file = f.addr;   /* placed by place_kernel_late */
    } else {
        place_kernel_now(f.addr);
        plat_free(f.addr, f.size);
        fmt_snprintf(at, sizeof at, "at 0x%llx", (unsigned long long)st.kernel_phys);
    }
    say("kernel %s: %llu bytes in %u ms (%u reads), sha256 %s; %s (virt 0x%llx, %llu KiB), entry 0x%llx",
        path, (unsigned long long)f.size, ms(f.ticks), (unsigned)f.calls,
        cfg->has_sha256 ? "ok" : "not given (not verified)", at, (unsigned long long)st.plan.vbase,
        (unsigned long long)(st.plan.span >> 10), (unsigned long long)st.plan.entry);
}

/* The span as a block of its own, filled now. */
static void place_kernel_now(uint64_t file)
{
    st.kernel_phys = plat_alloc(st.plan.span, ELF_SPAN_ALIGN, BOOT_MEM_KERNEL, 0);
    if (!st.kernel_phys)
        die("%s: not enough memory to place it (%llu MiB, 2 MiB aligned)", cfg->kernel, MIB(st.plan.span));
    elf_place(&st.plan, (const void *)(uintptr_t)file, (void *)(uintptr_t)st.kernel_phys);
}

/* After the flow's last allocation (plat_kernel_late): the range the
 * platform names, filled at the jump, or a block of its own now. */
static void place_kernel_late(void)
{
    if (!st.kernel_file)
        return;
    st.kernel_phys = plat_kernel_late_range(st.plan.span);
    if (st.kernel_phys) {
        say("kernel at 0x%llx (boot-services memory: copied once the firmware has exited)",
            (unsigned long long)st.kernel_phys);
        return;
    }
    place_kernel_now(st.kernel_file);
    st.kernel_file = 0;
    say("kernel at 0x%llx", (unsigned long long)st.kernel_phys);
}


static void load_modules(void)
{
    for (uint32_t i = 0; i < cfg->module_count; i++) {
        const struct boot_cfg_module *m = &cfg->modules[i];
        struct file_buf f;
        require_hash(m->path, m->has_sha256);
        read_file(m->path, BOOT_MEM_MODULE, &f, 0);
        if (m->has_sha256 && !hash_matches(&f, m->sha256))
            die("%s: sha256 mismatch", m->path);
        st.module_addr[i] = f.addr;
        st.module_size[i] = f.size;
        say("module %s: %llu bytes at 0x%llx in %u ms, sha256 %s", m->path, (unsigned long long)f.size,
            (unsigned long long)f.addr, ms(f.ticks), m->has_sha256 ? "ok" : "not given (not verified)");
    }
}

static void setup_video(void)
{
    st.edid_size = plat_edid(st.edid, sizeof st.edid);
    char why[96];
    if (st.edid_size && fw_edid_check(st.edid, st.edid_size, 0, why, sizeof why)) {
        say("EDID ignored: %s", why);
        st.edid_size = 0;
    }
    struct video_policy p;
    video_policy_init(&p, cfg->res_width, cfg->res_height, st.edid_size ? st.edid : 0, st.edid_size);
    char desc[160];
    plat_video(&p, &st.fb, desc, sizeof desc);
    say("display: %s (preferred %ux%u%s)", desc, (unsigned)p.pref_w, (unsigned)p.pref_h,
        p.pref_from_edid ? " from EDID" : st.edid_size ? "" : ", no EDID");
    struct video_mode got = { st.fb.width, st.fb.height, st.fb.bpp };
    if (video_missed_request(&p, st.fb.kind == BOOT_FB_RGB ? &got : 0))
        say("resolution=%ux%u from boot.cfg is not offered", (unsigned)cfg->res_width,
            (unsigned)cfg->res_height);
}

static void find_tables(void)
{
    st.rsdp = plat_rsdp();
    plat_smbios(&st.smbios32, &st.smbios64);
    st.time = plat_time();
    plat_device(&st.dev);
    say("ACPI RSDP 0x%llx, SMBIOS 0x%llx / 0x%llx, clock %lld", (unsigned long long)st.rsdp,
        (unsigned long long)st.smbios32, (unsigned long long)st.smbios64, (long long)st.time);
    char disk[37], esp[37];
    guid_format(st.dev.disk_guid, disk);
    guid_format(st.dev.esp_guid, esp);
    say("boot device: disk %s, esp %s at lba %llu", disk, esp, (unsigned long long)st.dev.esp_lba);
}

/* ---- the hand-off block --------------------------------------------------- */

/* What the kernel keeps from us, in one BOOT_MEM_LOADER allocation below
 * 4 GiB: the page-table pool, the stack, then the block boot_info points
 * into (module array, strings, EDID copy, memory map). One allocation,
 * not several: under OVMF each AllocatePages and each first touch of a
 * fresh region costs milliseconds (docs/performance.md). */
struct handoff {
    struct boot_info *bi;
    struct boot_mmap_entry *map_buf;
    uint32_t map_cap;
    struct mm_map map;
    uint64_t stack;
    struct paging pg;
    struct pg_layout l;
    uint64_t pt_pages;
    uint32_t nextra;
};

/* The hand-off being built (loader_run), for loader_place_kernel at the jump. */
static struct handoff h;

void loader_place_kernel(void)
{
    if (!st.kernel_file)
        return;
    elf_place(&st.plan, (const void *)(uintptr_t)st.kernel_file, (void *)(uintptr_t)st.kernel_phys);
    h.bi->timing.tsc_kernel_jump = rdtsc();
}

static uint64_t up16(uint64_t v) { return (v + 15) & ~15ULL; }

static char *put_string(char **cursor, const char *s)
{
    char *at = *cursor;
    size_t n = strlen(s) + 1;
    memcpy(at, s, n);
    *cursor += n;
    return at;
}

/* Identity map, direct map, kernel, framebuffer (docs/protocol.md): what
 * to map, and how many table pages that takes at most. */
static void plan_page_tables(struct handoff *h)
{
    int gb = pg_cpu_has_gb_pages();
    /* Map-described ranges above the linear maps, mapped one by one. */
    uint64_t ident_end = pg_identity_end(st.ram_top);
    uint32_t nextra = 0;
    for (uint32_t i = 0; i < st.fw_map.count; i++) {
        const struct boot_mmap_entry *e = &st.fw_map.e[i];
        uint64_t base = e->base, end = e->base + e->length;
        if (end <= ident_end)
            continue;
        if (base < ident_end)
            base = ident_end;
        st.extra[nextra++] = (struct pg_range){ base, end - base };
    }
    h->l = (struct pg_layout){
        .extra = st.extra, .nextra = nextra,
        .ident_end = ident_end,
        .hhdm_offset = BOOT_HHDM_OFFSET,
        .kernel_virt = st.plan.vbase, .kernel_phys = st.kernel_phys, .kernel_span = st.plan.span,
        .fb_addr = st.fb.addr, .fb_size = st.fb.kind == BOOT_FB_RGB ? st.fb.size : 0,
    };
    h->nextra = nextra;
    h->pg.gb_pages = gb;
    uint64_t hhdm_end = BOOT_HHDM_OFFSET + ident_end;
    if (st.plan.vbase < hhdm_end && ident_end)
        die("%s: linked at 0x%llx, inside the direct map (0x%llx-0x%llx); link the kernel above it, "
            "e.g. in the top 2 GiB", cfg->kernel, (unsigned long long)st.plan.vbase,
            (unsigned long long)BOOT_HHDM_OFFSET, (unsigned long long)hhdm_end);
    h->pt_pages = pg_protocol_pages(&h->l, gb);
}

static void build_handoff(struct handoff *h)
{
    uint32_t n = cfg->module_count;
    /* Every later mark (kernel, each module, framebuffer, this block) can
     * split one entry in three. */
    uint32_t map_cap = plat_map_capacity() + 2 * (n + 4);
    uint64_t strings = strlen(cfg->cmdline) + 1;
    for (uint32_t i = 0; i < n; i++)
        strings += strlen(cfg->modules[i].path) + strlen(cfg->modules[i].string) + 2;
    uint64_t off_stack = h->pt_pages * 4096;
    uint64_t off_bi = off_stack + KERNEL_STACK;
    uint64_t off_mods = off_bi + up16(sizeof(struct boot_info));
    uint64_t off_edid = off_mods + up16((uint64_t)n * sizeof(struct boot_module));
    uint64_t off_map = off_edid + up16(st.edid_size);
    uint64_t off_str = off_map + (uint64_t)map_cap * sizeof(struct boot_mmap_entry);
    uint64_t total = off_str + strings;

    uint64_t base = plat_alloc(total, 4096, BOOT_MEM_LOADER, BELOW_4G);
    if (!base)
        die("not enough memory for boot_info, the stack and page tables (%llu KiB)",
            (unsigned long long)(total >> 10));
    place_kernel_late();
    h->l.kernel_phys = st.kernel_phys;
    /* the pool's pages are zeroed as they are taken; the stack is the
     * kernel's to touch; the block is zeroed here */
    uint8_t *p = (uint8_t *)(uintptr_t)base;
    memset(p + off_bi, 0, total - off_bi);
    h->stack = base + off_stack;
    h->bi = (struct boot_info *)(p + off_bi);
    struct boot_module *mods = (struct boot_module *)(p + off_mods);
    mm_init(&h->map, (struct boot_mmap_entry *)(p + off_map), map_cap);

    struct boot_info *bi = h->bi;
    char *cursor = (char *)(p + off_str);
    bi->cmdline_addr = (uintptr_t)put_string(&cursor, cfg->cmdline);
    bi->cmdline_len = strlen(cfg->cmdline);
    bi->modules_addr = n ? (uintptr_t)mods : 0;
    for (uint32_t i = 0; i < n; i++) {
        mods[i].addr = st.module_addr[i];
        mods[i].size = st.module_size[i];
        mods[i].path_addr = (uintptr_t)put_string(&cursor, cfg->modules[i].path);
        mods[i].string_addr = (uintptr_t)put_string(&cursor, cfg->modules[i].string);
    }
    if (st.edid_size) {
        memcpy(p + off_edid, st.edid, st.edid_size);
        bi->edid_addr = base + off_edid;
        bi->edid_size = st.edid_size;
    }

    struct pg_pool pool = { base, base + off_stack };
    if (pg_init(&h->pg, pg_pool_page, &pool, h->pg.gb_pages))
        die("page tables: out of pages");
    const char *what = pg_map_protocol(&h->pg, &h->l);
    if (what)
        die("page tables: the %s could not be mapped", what);
    say("page tables: %u pages, identity and direct map %llu GiB + %u range%s above, %s pages",
        (unsigned)h->pg.tables, (unsigned long long)(h->l.ident_end >> 30), (unsigned)h->nextra,
        h->nextra == 1 ? "" : "s", h->pg.gb_pages ? "1 GiB" : "2 MiB");
    plat_free((uintptr_t)st.fw_map.e, FW_MAP_BYTES);
}

static void fill_boot_info(struct handoff *h, const struct plat_info *pi)
{
    struct boot_info *bi = h->bi;
    bi->magic = BOOT_INFO_MAGIC;
    bi->version = BOOT_INFO_VERSION;
    bi->size = sizeof *bi;
    bi->firmware = pi->firmware;
    bi->flags = pi->flags | (h->pg.gb_pages ? BOOT_FLAG_HHDM_1G : 0) |
                (st.secure ? BOOT_FLAG_SECURE_BOOT : 0);
    hy_strlcpy(bi->loader_name, pi->loader_name, sizeof bi->loader_name);
    bi->mmap_addr = (uintptr_t)h->map.e;
    bi->mmap_entry_size = sizeof(struct boot_mmap_entry);
    bi->fb = st.fb;
    bi->rsdp_addr = st.rsdp;
    bi->kernel_phys_base = st.kernel_phys;
    bi->kernel_virt_base = st.plan.vbase;
    bi->kernel_size = st.plan.span;
    bi->stack_base = h->stack;
    bi->stack_size = KERNEL_STACK;
    bi->device = st.dev;
    bi->timing.tsc_hz = st.tsc_hz;
    bi->timing.tsc_firmware_handoff = pi->tsc_firmware_handoff;
    bi->timing.tsc_loader_entry = pi->tsc_loader_entry;
    bi->timing.tsc_kernel_loaded = st.t_loaded;
    bi->timing.kernel_file_size = st.kernel_file_size;
    bi->timing.kernel_read_ticks = st.kernel_read_ticks;
    bi->timing.disk_read_calls = st.kernel_read_calls;
    bi->module_count = cfg->module_count;
    bi->module_entry_size = sizeof(struct boot_module);
    bi->hhdm_offset = BOOT_HHDM_OFFSET;
    bi->hhdm_size = h->l.ident_end;
    bi->smbios_addr = st.smbios32;
    bi->smbios3_addr = st.smbios64;
    bi->boot_time = st.time;
}

/* The firmware's final map, with what we placed marked by type (the UEFI
 * layer's map knows our allocations only by the memory types it gave
 * them; marking again does not depend on that). */
static void final_map(struct handoff *h)
{
    plat_exit_firmware(&h->map, h->bi);
    struct mm_map *m = &h->map;
    int full = mm_set(m, st.kernel_phys, st.plan.span, BOOT_MEM_KERNEL);
    for (uint32_t i = 0; i < cfg->module_count; i++)
        full |= mm_set_pages(m, st.module_addr[i], st.module_size[i] ? st.module_size[i] : 1,
                             BOOT_MEM_MODULE);
    if (st.fb.kind == BOOT_FB_RGB)
        full |= mm_set_pages(m, st.fb.addr, st.fb.size, BOOT_MEM_FRAMEBUFFER);
    if (full)
        die("memory map: more entries than room for them");
    const char *bad = mm_check(m->e, m->count);
    if (bad)
        die("memory map: %s", bad);
    h->bi->mmap_count = m->count;
}

void loader_run(const struct plat_info *pi)
{
    st.t_entry = pi->tsc_loader_entry;
    check_cpu();
    survey_memory();
    load_config();
    calibrate();               /* late: the PIT has been counting since the layer's entry */
    load_kernel();
    load_modules();
    st.t_loaded = rdtsc();
    setup_video();
    find_tables();
    plan_page_tables(&h);
    build_handoff(&h);
    fill_boot_info(&h, pi);
    uint64_t since = pi->tsc_firmware_handoff ? pi->tsc_firmware_handoff : pi->tsc_loader_entry;
    say("jumping to the kernel, %u ms after %s", ms(rdtsc() - since),
        pi->tsc_firmware_handoff ? "stage1" : "the loader's entry");
    final_map(&h);
    h.bi->timing.tsc_kernel_jump = rdtsc();
    plat_jump(st.plan.entry, h.stack + KERNEL_STACK, (uintptr_t)h.bi, h.pg.pml4);
}
