#include "kernel.h"

#include "alloc.h"
#include "console.h"
#include "io.h"
#include "mem.h"
#include "sha256.h"

#define CFG_MAX 16384

void config_load(struct fat_vol *v, struct boot_cfg *cfg)
{
    static char text[CFG_MAX];
    struct fat_file f;
    bootcfg_defaults(cfg);
    int rc = fat_open(v, BOOTCFG_PATH, &f);
    if (rc == FAT_ENOENT) {
        say("config: no %s, using defaults (kernel=%s)", BOOTCFG_PATH, cfg->kernel);
        return;
    }
    if (rc)
        die("%s: %s", BOOTCFG_PATH, fat_strerror(rc));
    if (f.size > CFG_MAX)
        die("%s: larger than %u bytes", BOOTCFG_PATH, CFG_MAX);
    rc = fat_read_file(v, &f, text, f.size, 0);
    if (rc)
        die("%s: %s", BOOTCFG_PATH, fat_strerror(rc));
    /* A bad line is fatal, as in the UEFI loader: the lines after it are
     * not applied, and one of them may be the kernel_sha256 to check. */
    const char *why;
    int line = bootcfg_parse(cfg, text, f.size, &why);
    if (line)
        die("%s line %d: %s", BOOTCFG_PATH, line, why);
    say("config: kernel=%s cmdline=\"%s\"", cfg->kernel, cfg->cmdline);
}

/* The benchmarks' baseline: the same number of sectors as the kernel
 * file, from the start of the ESP, through the same disk_read, with no FAT
 * or ELF work: what the disk path alone costs. */
struct raw_read { uint32_t sectors, calls; uint64_t ticks; };

static void raw_read_baseline(struct fat_vol *v, struct disk *d, void *buf, uint32_t bytes,
                              struct raw_read *best)
{
    uint32_t sectors = (bytes + 511) / 512;
    uint32_t calls0 = d->calls;
    uint64_t t0 = rdtsc();
    disk_read_or_die(d, v->part_lba, sectors, buf);
    uint64_t ticks = rdtsc() - t0;
    if (!best->ticks || ticks < best->ticks) {
        best->sectors = sectors;
        best->calls = d->calls - calls0;
        best->ticks = ticks;
    }
}

void kernel_load(struct fat_vol *v, struct disk *d, struct mm_map *m,
                 const struct boot_cfg *cfg, struct loaded_kernel *k)
{
    const char *path = cfg->kernel;
    struct fat_file f;
    memset(k, 0, sizeof *k);

    int rc = fat_open(v, path, &f);
    if (rc == FAT_ENOENT)
        die("%s: not found", path);
    if (rc)
        die("%s: %s", path, fat_strerror(rc));
    if (f.size == 0)
        die("%s: empty file", path);

    uint64_t buf = mem_take(m, f.size, 4096, BOOT_MEM_LOADER);
    if (!buf)
        die("not enough memory for the kernel (%u MiB to read the file)",
            (unsigned)((f.size + (1u << 20) - 1) >> 20));
    void *file = (void *)(uintptr_t)buf;

    struct raw_read raw = { 0, 0, 0 };
    if (cfg->bench_raw_read)
        raw_read_baseline(v, d, file, f.size, &raw);

    /* One read() per contiguous cluster run (no cap): disk_read splits it
     * into bounce-buffer-sized INT 13h calls. */
    uint32_t calls0 = d->calls;
    uint64_t t0 = rdtsc();
    rc = fat_read_file(v, &f, file, f.size, 0);
    k->read_ticks = rdtsc() - t0;
    k->read_calls = d->calls - calls0;
    k->file_size = f.size;
    if (rc)
        die("%s: %s", path, fat_strerror(rc));
    if (cfg->bench_raw_read) {
        /* once more after the real read, so the baseline also gets warm
         * caches; the faster of the two is reported. Then the kernel's
         * bytes, overwritten, are read again. */
        raw_read_baseline(v, d, file, f.size, &raw);
        rc = fat_read_file(v, &f, file, f.size, 0);
        if (rc)
            die("%s: %s", path, fat_strerror(rc));
        say("raw read %u sectors in %llu ticks (%u calls)", (unsigned)raw.sectors,
            (unsigned long long)raw.ticks, (unsigned)raw.calls);
    }

    if (cfg->has_sha256) {
        uint8_t digest[SHA256_LEN];
        sha256(file, f.size, digest);
        if (memcmp(digest, cfg->kernel_sha256, SHA256_LEN))
            die("%s: sha256 mismatch", path);
    }

    const char *why = elf_plan(file, f.size, &k->plan);
    if (why)
        die("%s: bad ELF: %s", path, why);
    k->phys = mem_take(m, k->plan.span, ELF_SPAN_ALIGN, BOOT_MEM_KERNEL);
    if (!k->phys)
        die("not enough memory for the kernel (%u MiB)", (unsigned)(k->plan.span >> 20));
    elf_place(&k->plan, file, (void *)(uintptr_t)k->phys);
    mem_give_back(m, buf, f.size);
}
