/* The shared boot flow (common/loader.c) on a fake platform: files in
 * memory, allocations from the host heap, a scripted memory map. Each
 * case runs loader_run to plat_jump (or plat_fail) and checks what the
 * kernel would get, or the one error line both loaders would print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elf.h"
#include "loader.h"
#include "paging.h"
#include "sha256.h"
#include "video.h"

/* ---- the fake platform ---------------------------------------------------- */

struct fake_file {
    const char *path;
    const uint8_t *data;
    uint64_t size;
    int is_dir;
    uint64_t claimed_size;   /* non-zero: the directory entry lies */
};

static struct {
    struct fake_file files[16];
    int nfiles;
    int fail_alloc_type;     /* plat_alloc of this BOOT_MEM_* type fails */
    char error[512];
    char log[16384];
    int jumped;
    uint64_t entry, stack_top, bi, pml4;
    uint64_t mem_top;
    void *allocs[256];
    int nallocs;
    int secure;
    int enrolled;
    int late;                /* plat_kernel_late: 1 = span chosen late, filled at the jump */
    int late_none;           /* ... but plat_kernel_late_range finds none */
    uint64_t late_range;
    uint8_t cfg_hash[32];
} fk;

static jmp_buf out;

void plat_verbose(int on) { (void)on; }

void plat_say(const char *text)
{
    size_t n = strlen(fk.log);
    snprintf(fk.log + n, sizeof fk.log - n, "%s\n", text);
}

void plat_fail(const char *text)
{
    snprintf(fk.error, sizeof fk.error, "%s", text);
    longjmp(out, 1);
}

uint64_t plat_alloc(uint64_t bytes, uint64_t align, uint32_t type, uint64_t max_end)
{
    (void)max_end;            /* host addresses are wherever malloc puts them */
    if ((int)type == fk.fail_alloc_type || fk.nallocs == 256)
        return 0;
    bytes = (bytes + 4095) & ~4095ULL;
    void *p = aligned_alloc(align < 4096 ? 4096 : align, bytes);
    if (!p)
        return 0;
    memset(p, 0xa5, bytes);   /* fresh pages are not zero */
    fk.allocs[fk.nallocs++] = p;
    return (uint64_t)(uintptr_t)p;
}

int plat_kernel_late(void) { return fk.late; }

uint64_t plat_kernel_late_range(uint64_t span)
{
    if (fk.late_none)
        return 0;
    void *p = aligned_alloc(2 << 20, span);
    memset(p, 0xa5, span);    /* firmware memory holds the firmware's bytes */
    fk.allocs[fk.nallocs++] = p;
    fk.late_range = (uint64_t)(uintptr_t)p;
    return fk.late_range;
}

void plat_free(uint64_t addr, uint64_t bytes)
{
    (void)addr;
    (void)bytes;              /* freed at the end of each case */
}

/* What the fake firmware reports: low memory, the BIOS area, RAM up to
 * mem_top, and a reserved window far above it (QEMU's AMD HyperTransport
 * hole at 1012 GiB looks like this). */
void plat_memory_map(struct mm_map *m)
{
    m->count = 0;
    mm_add(m, 0, 0x9f000, BOOT_MEM_USABLE);
    mm_add(m, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
    mm_add(m, 0x100000, fk.mem_top - 0x100000, BOOT_MEM_USABLE);
    mm_add(m, 0xfd00000000ULL, 0x300000000ULL, BOOT_MEM_RESERVED);
    mm_normalize(m);
}

struct plat_file {
    const struct fake_file *f;
};

int plat_file_open(const char *path, struct plat_file **f, uint64_t *size, const char **why)
{
    static struct plat_file pf;
    for (int i = 0; i < fk.nfiles; i++) {
        if (strcmp(fk.files[i].path, path))
            continue;
        if (fk.files[i].is_dir) {
            *why = "is a directory";
            return PLAT_FILE_ERROR;
        }
        pf.f = &fk.files[i];
        *f = &pf;
        *size = fk.files[i].claimed_size ? fk.files[i].claimed_size : fk.files[i].size;
        return PLAT_FILE_OK;
    }
    return PLAT_FILE_ENOENT;
}

int plat_file_read(struct plat_file *f, void *dst, uint64_t len, const char **why)
{
    if (len > f->f->size) {
        *why = "corrupt FAT (bad cluster chain)";
        return -1;
    }
    memcpy(dst, f->f->data, len);
    return 0;
}

void plat_file_close(struct plat_file *f) { (void)f; }
uint32_t plat_disk_calls(void) { return 0; }

void plat_video(struct video_policy *p, struct boot_framebuffer *fb, char *desc, size_t len)
{
    (void)p;
    memset(fb, 0, sizeof *fb);
    fb->kind = BOOT_FB_RGB;
    fb->addr = 0xfd000000;
    fb->width = 1024;
    fb->height = 768;
    fb->pitch = 4096;
    fb->bpp = 32;
    fb->size = 4096 * 768;
    snprintf(desc, len, "fake 1024x768");
}

uint64_t plat_rsdp(void) { return 0xf5a00; }
void plat_smbios(uint64_t *a, uint64_t *b) { *a = 0xf5b00; *b = 0; }
uint32_t plat_edid(uint8_t *buf, uint32_t cap) { (void)buf; (void)cap; return 0; }
int64_t plat_time(void) { return 1796180000; }
void plat_device(struct boot_device *d) { memset(d, 0, sizeof *d); d->esp_lba = 2048; }
uint64_t plat_tsc_hz(const char **how) { *how = "fake"; return 2000000000; }
uint32_t plat_map_capacity(void) { return 64; }

void plat_exit_firmware(struct mm_map *m, struct boot_info *bi)
{
    (void)bi;
    plat_memory_map(m);
}

void plat_jump(uint64_t entry, uint64_t stack_top, uint64_t bi, uint64_t pml4)
{
    loader_place_kernel();    /* as the UEFI layer does, on the kernel's stack */
    fk.jumped = 1;
    fk.entry = entry;
    fk.stack_top = stack_top;
    fk.bi = bi;
    fk.pml4 = pml4;
    longjmp(out, 2);
}

int plat_secure_boot(void) { return fk.secure; }

int plat_config_hash(uint8_t out[32])
{
    memcpy(out, fk.cfg_hash, 32);
    return fk.enrolled;
}

void plat_bench_raw_read(void *buf, uint64_t bytes, uint64_t *ticks, uint32_t *calls)
{
    (void)buf;
    (void)bytes;
    *ticks = 1;
    *calls = 1;
}

/* ---- test inputs ----------------------------------------------------------- */

#define KVIRT 0xffffffff80000000ULL

/* An ELF64 kernel: one RX segment of `code` bytes plus `bss` bytes, at vaddr. */
static uint8_t *make_kernel(uint64_t vaddr, uint64_t code, uint64_t bss, size_t *size)
{
    size_t n = 4096 + code;
    uint8_t *k = calloc(1, n);
    struct elf64_ehdr *eh = (struct elf64_ehdr *)k;
    memcpy(eh->e_ident, "\x7f" "ELF", 4);
    eh->e_ident[4] = ELF_CLASS64;
    eh->e_ident[5] = ELF_DATA2LSB;
    eh->e_ident[6] = 1;
    eh->e_type = ELF_ET_EXEC;
    eh->e_machine = ELF_EM_X86_64;
    eh->e_version = 1;
    eh->e_entry = vaddr + 16;
    eh->e_phoff = sizeof *eh;
    eh->e_ehsize = sizeof *eh;
    eh->e_phentsize = sizeof(struct elf64_phdr);
    eh->e_phnum = 1;
    struct elf64_phdr *ph = (struct elf64_phdr *)(k + sizeof *eh);
    ph->p_type = ELF_PT_LOAD;
    ph->p_flags = ELF_PF_R | ELF_PF_X;
    ph->p_offset = 4096;
    ph->p_vaddr = ph->p_paddr = vaddr;
    ph->p_filesz = code;
    ph->p_memsz = code + bss;
    ph->p_align = 4096;
    for (uint64_t i = 0; i < code; i++)
        k[4096 + i] = (uint8_t)(i * 7 + 3);
    *size = n;
    return k;
}

static char cfg_text[4096];

static void hex(const uint8_t *data, size_t n, char out[65])
{
    uint8_t d[32];
    sha256(data, n, d);
    sha256_hex(d, out);
}

static void reset(void)
{
    for (int i = 0; i < fk.nallocs; i++)
        free(fk.allocs[i]);
    memset(&fk, 0, sizeof fk);
    fk.fail_alloc_type = -1;
    fk.mem_top = 6ULL << 30;
}

static void add_file(const char *path, const void *data, uint64_t size)
{
    fk.files[fk.nfiles++] = (struct fake_file){ path, data, size, 0, 0 };
}

/* Runs the flow: 2 when it jumped, 1 when it failed. */
static int run(void)
{
    static const struct plat_info pi = { BOOT_FW_BIOS, "hyboot-test", 100, 200, 0 };
    int r = setjmp(out);
    if (r == 0)
        loader_run(&pi);
    return r;
}

/* Translates va through the tables the flow built (host pointers). */
static uint64_t walk(uint64_t pml4, uint64_t va)
{
    uint64_t *t = (uint64_t *)(uintptr_t)pml4;
    int shift = 39;
    for (int level = 4; level >= 1; level--, shift -= 9) {
        uint64_t e = t[(va >> shift) & 511];
        if (!(e & PG_PRESENT))
            return ~0ULL;
        uint64_t addr = e & 0x000ffffffffff000ULL;
        if (level == 1 || (level <= 3 && (e & PG_HUGE)))
            return (addr & ~((1ULL << shift) - 1)) + (va & ((1ULL << shift) - 1));
        t = (uint64_t *)(uintptr_t)addr;
    }
    return ~0ULL;
}

static int has_range(const struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    const struct boot_mmap_entry *e = (const struct boot_mmap_entry *)(uintptr_t)bi->mmap_addr;
    for (uint32_t i = 0; i < bi->mmap_count; i++)
        if (e[i].type == type && base >= e[i].base && base + len <= e[i].base + e[i].length)
            return 1;
    return 0;
}

/* ---- cases ----------------------------------------------------------------- */

static void test_good_boot(void)
{
    size_t ksize;
    uint8_t *k = make_kernel(KVIRT, 5000, 3 << 20, &ksize);
    static uint8_t initrd[70000], font[4096];
    for (size_t i = 0; i < sizeof initrd; i++)
        initrd[i] = (uint8_t)(i * 13);
    char kh[65], ih[65];
    hex(k, ksize, kh);
    hex(initrd, sizeof initrd, ih);
    snprintf(cfg_text, sizeof cfg_text,
             "kernel=/boot/kernel.elf\nkernel_sha256=%s\ncmdline=root=/dev/ram0 quiet\n"
             "module=/boot/initrd.img\nmodule_string=initrd\nmodule_sha256=%s\nmodule=/boot/font.psf\n",
             kh, ih);
    reset();
    add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
    add_file("/boot/kernel.elf", k, ksize);
    add_file("/boot/initrd.img", initrd, sizeof initrd);
    add_file("/boot/font.psf", font, sizeof font);
    CHECK(run() == 2 && fk.jumped, "loader: a good boot reaches the jump");
    if (!fk.jumped) {
        printf("  error: %s\n", fk.error);
        free(k);
        return;
    }
    const struct boot_info *bi = (const struct boot_info *)(uintptr_t)fk.bi;
    CHECK(bi->magic == BOOT_INFO_MAGIC && bi->version == BOOT_INFO_VERSION && bi->size == sizeof *bi &&
              !strcmp(bi->loader_name, "hyboot-test") && bi->firmware == BOOT_FW_BIOS,
          "loader: boot_info header");
    CHECK(fk.entry == KVIRT + 16 && fk.stack_top == bi->stack_base + bi->stack_size &&
              fk.stack_top % 16 == 0 && bi->stack_size >= 64 * 1024,
          "loader: entry, 16-byte aligned stack of at least 64 KiB");
    CHECK(!strcmp((const char *)(uintptr_t)bi->cmdline_addr, "root=/dev/ram0 quiet") &&
              bi->cmdline_len == strlen("root=/dev/ram0 quiet"),
          "loader: cmdline");
    const uint8_t *placed = (const uint8_t *)(uintptr_t)bi->kernel_phys_base;
    int same = bi->kernel_phys_base % (2 << 20) == 0 && bi->kernel_virt_base == KVIRT &&
               bi->kernel_size == 4 << 20 && !memcmp(placed, k + 4096, 5000);
    for (size_t i = 5000; i < 5000 + (3 << 20) && same; i++)
        same = placed[i] == 0;
    CHECK(same, "loader: kernel placed 2 MiB aligned, bss zeroed");
    CHECK(walk(fk.pml4, KVIRT + 1234) == bi->kernel_phys_base + 1234, "loader: page tables map the kernel");
    CHECK(bi->module_count == 2 && bi->module_entry_size == sizeof(struct boot_module),
          "loader: two modules listed");
    const struct boot_module *m = (const struct boot_module *)(uintptr_t)bi->modules_addr;
    CHECK(m[0].addr % 4096 == 0 && m[0].size == sizeof initrd &&
              !memcmp((void *)(uintptr_t)m[0].addr, initrd, sizeof initrd) &&
              !strcmp((const char *)(uintptr_t)m[0].path_addr, "/boot/initrd.img") &&
              !strcmp((const char *)(uintptr_t)m[0].string_addr, "initrd"),
          "loader: module 0 bytes, path and string");
    CHECK(!strcmp((const char *)(uintptr_t)m[1].string_addr, "") && m[1].size == sizeof font,
          "loader: module without a string gets \"\"");
    CHECK(has_range(bi, m[0].addr, m[0].size, BOOT_MEM_MODULE) &&
              has_range(bi, bi->kernel_phys_base, bi->kernel_size, BOOT_MEM_KERNEL) &&
              has_range(bi, 0xfd000000, 4096 * 768, BOOT_MEM_FRAMEBUFFER),
          "loader: memory map types kernel, module and framebuffer");
    CHECK(mm_check((const struct boot_mmap_entry *)(uintptr_t)bi->mmap_addr, bi->mmap_count) == NULL,
          "loader: memory map passes mm_check");
    CHECK(bi->hhdm_offset == BOOT_HHDM_OFFSET && bi->hhdm_size == 6ULL << 30 &&
              walk(fk.pml4, BOOT_HHDM_OFFSET + 0x123456) == 0x123456 &&
              walk(fk.pml4, BOOT_HHDM_OFFSET + (6ULL << 30) - 1) == (6ULL << 30) - 1 &&
              walk(fk.pml4, 0x1000) == 0x1000,
          "loader: identity and direct map of all memory");
    CHECK(walk(fk.pml4, BOOT_HHDM_OFFSET + 0xfd000000) == 0xfd000000, "loader: framebuffer in the direct map");
    CHECK(walk(fk.pml4, 0xfd00001000ULL) == 0xfd00001000ULL &&
              walk(fk.pml4, BOOT_HHDM_OFFSET + 0xfffffff000ULL) == 0xfffffff000ULL &&
              walk(fk.pml4, BOOT_HHDM_OFFSET + 0xfc00000000ULL) == ~0ULL,
          "loader: a reserved window far above RAM is mapped on its own, not the gap before it");
    CHECK(bi->rsdp_addr == 0xf5a00 && bi->smbios_addr == 0xf5b00 && bi->boot_time == 1796180000 &&
              bi->device.esp_lba == 2048 && bi->timing.tsc_hz == 2000000000 &&
              bi->timing.kernel_file_size == ksize && bi->timing.tsc_loader_entry == 200,
          "loader: tables, clock, device and timing");
    CHECK(strstr(fk.log, "module /boot/initrd.img: 70000 bytes") && strstr(fk.log, "sha256 ok") &&
              strstr(fk.log, "jumping to the kernel"),
          "loader: progress lines");
    free(k);
}

/* plat_kernel_late: the span is chosen after the last allocation and
 * filled at the jump; without a late range the flow falls back to a
 * block of its own. */
static void test_late_placement(void)
{
    size_t ksize;
    uint8_t *k = make_kernel(KVIRT, 5000, 8192, &ksize);
    char kh[65];
    hex(k, ksize, kh);
    snprintf(cfg_text, sizeof cfg_text, "kernel=/boot/kernel.elf\nkernel_sha256=%s\n", kh);
    for (int none = 0; none <= 1; none++) {
        reset();
        fk.late = 1;
        fk.late_none = none;
        add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
        add_file("/boot/kernel.elf", k, ksize);
        CHECK(run() == 2 && fk.jumped, none ? "loader: no late range: the boot still reaches the jump"
                                            : "loader: late range: the boot reaches the jump");
        if (!fk.jumped) {
            printf("  error: %s\n", fk.error);
            continue;
        }
        const struct boot_info *bi = (const struct boot_info *)(uintptr_t)fk.bi;
        const uint8_t *placed = (const uint8_t *)(uintptr_t)bi->kernel_phys_base;
        int same = !memcmp(placed, k + 4096, 5000);
        for (size_t i = 5000; i < 5000 + 8192 && same; i++)
            same = placed[i] == 0;
        CHECK(same && walk(fk.pml4, KVIRT + 99) == bi->kernel_phys_base + 99 &&
                  has_range(bi, bi->kernel_phys_base, bi->kernel_size, BOOT_MEM_KERNEL),
              none ? "loader: no late range: kernel in a block of its own, mapped and marked"
                   : "loader: late range: kernel copied there at the jump, mapped and marked");
        CHECK(none ? bi->kernel_phys_base != fk.late_range && strstr(fk.log, "placed later") &&
                         !strstr(fk.log, "copied once")
                   : bi->kernel_phys_base == fk.late_range && strstr(fk.log, "copied once the firmware"),
              none ? "loader: no late range: says where the fallback put it"
                   : "loader: late range: says the copy waits for the firmware's exit");
    }
    free(k);
}

/* The one error line for a kernel (or config) that must not boot. */
static void expect_error(const char *what, const void *kernel, size_t ksize, const char *cfg,
                         const char *want)
{
    reset();
    if (cfg)
        add_file("/boot/boot.cfg", cfg, strlen(cfg));
    if (kernel)
        add_file("/boot/kernel.elf", kernel, ksize);
    int r = run();
    int ok = r == 1 && !strcmp(fk.error, want);
    CHECK(ok, what);
    if (!ok)
        printf("  got \"%s\", want \"%s\"\n", r == 1 ? fk.error : "(a jump)", want);
}

static void test_errors(void)
{
    size_t ksize;
    uint8_t *k = make_kernel(KVIRT, 100, 0, &ksize);
    static const char junk[] = "this is not an ELF file at all, but it is a file";
    expect_error("loader: non-ELF kernel", junk, sizeof junk, NULL, "/boot/kernel.elf: bad ELF: not an ELF file");
    size_t lsize;
    uint8_t *low = make_kernel(0x100000, 100, 0, &lsize);
    expect_error("loader: low-half ELF kernel", low, lsize, NULL,
                 "/boot/kernel.elf: bad ELF: segment below the higher half");
    char kh[65];
    hex(k, ksize, kh);
    kh[0] = kh[0] == '0' ? '1' : '0';
    snprintf(cfg_text, sizeof cfg_text, "kernel_sha256=%s\n", kh);
    expect_error("loader: kernel hash mismatch", k, ksize, cfg_text, "/boot/kernel.elf: sha256 mismatch");
    expect_error("loader: missing kernel", NULL, 0, NULL, "/boot/kernel.elf: not found");
    expect_error("loader: empty kernel", k, 0, NULL, "/boot/kernel.elf: empty file");
    expect_error("loader: bad boot.cfg line", k, ksize, "cmdline=ok\nresolution=big\n",
                 "/boot/boot.cfg line 2: resolution must be WIDTHxHEIGHT");
    expect_error("loader: kernel= names another missing file", k, ksize, "kernel=/boot/other.elf\n",
                 "/boot/other.elf: not found");

    /* a directory named as the kernel */
    reset();
    fk.files[fk.nfiles++] = (struct fake_file){ "/boot", NULL, 0, 1, 0 };
    snprintf(cfg_text, sizeof cfg_text, "kernel=/boot\n");
    add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
    CHECK(run() == 1 && !strcmp(fk.error, "/boot: is a directory"), "loader: kernel=/boot is a directory");

    /* a directory entry claiming more than all of memory */
    reset();
    fk.files[fk.nfiles++] = (struct fake_file){ "/boot/kernel.elf", k, ksize, 0, 0xF0000000ULL << 4 };
    CHECK(run() == 1 && strstr(fk.error, "its directory entry claims") && strstr(fk.error, "/boot/kernel.elf"),
          "loader: an impossible file size names the file");

    /* a module's hash, a missing module, no memory for a module */
    static uint8_t mod[5000];
    char mh[65];
    hex(mod, sizeof mod, mh);
    mh[5] = mh[5] == 'a' ? 'b' : 'a';
    snprintf(cfg_text, sizeof cfg_text, "module=/boot/m.bin\nmodule_sha256=%s\n", mh);
    reset();
    add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
    add_file("/boot/kernel.elf", k, ksize);
    add_file("/boot/m.bin", mod, sizeof mod);
    CHECK(run() == 1 && !strcmp(fk.error, "/boot/m.bin: sha256 mismatch"), "loader: module hash mismatch");
    snprintf(cfg_text, sizeof cfg_text, "module=/boot/gone.bin\n");
    expect_error("loader: missing module", k, ksize, cfg_text, "/boot/gone.bin: not found");
    reset();
    snprintf(cfg_text, sizeof cfg_text, "module=/boot/m.bin\n");
    add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
    add_file("/boot/kernel.elf", k, ksize);
    add_file("/boot/m.bin", mod, sizeof mod);
    fk.fail_alloc_type = BOOT_MEM_MODULE;
    CHECK(run() == 1 && !strcmp(fk.error, "/boot/m.bin: not enough memory to load it (1 MiB)"),
          "loader: no memory for a module");
    reset();
    add_file("/boot/kernel.elf", k, ksize);
    fk.fail_alloc_type = BOOT_MEM_KERNEL;
    CHECK(run() == 1 && strstr(fk.error, "/boot/kernel.elf: not enough memory to place it"),
          "loader: no memory for the kernel");

    /* a kernel linked inside the direct map */
    size_t dsize;
    uint8_t *dm = make_kernel(BOOT_HHDM_OFFSET + (1ULL << 30), 100, 0, &dsize);
    reset();
    add_file("/boot/kernel.elf", dm, dsize);
    CHECK(run() == 1 && strstr(fk.error, "inside the direct map"), "loader: a kernel inside the direct map is refused");
    free(dm);
    free(low);
    free(k);
}

static void test_no_config(void)
{
    size_t ksize;
    uint8_t *k = make_kernel(KVIRT, 100, 0, &ksize);
    reset();
    add_file("/boot/kernel.elf", k, ksize);
    CHECK(run() == 2 && strstr(fk.log, "no /boot/boot.cfg") &&
              ((const struct boot_info *)(uintptr_t)fk.bi)->module_count == 0,
          "loader: no boot.cfg boots the default kernel, unverified");
    free(k);
}

/* Secure Boot: the enrolled boot.cfg hash, and hashes required. */
static void test_secure_boot(void)
{
    size_t ksize;
    uint8_t *k = make_kernel(KVIRT, 100, 0, &ksize);
    static uint8_t mod[3000];
    char kh[65], mh[65];
    hex(k, ksize, kh);
    hex(mod, sizeof mod, mh);
    snprintf(cfg_text, sizeof cfg_text, "kernel_sha256=%s\nmodule=/boot/m\nmodule_sha256=%s\n", kh, mh);
    struct setup { int secure, enrolled, tamper; } cases[] = {
        { 1, 1, 0 }, { 1, 1, 1 }, { 1, 0, 0 }, { 0, 1, 1 }, { 0, 0, 0 },
    };
    const char *want[] = {
        NULL, "/boot/boot.cfg differs from the one this loader was signed for (Secure Boot)",
        "Secure Boot is on, but this loader carries no boot.cfg hash (sign the image with mkimage --sign-key)",
        NULL, NULL,
    };
    const char *name[] = {
        "secure boot: the signed boot.cfg boots, flagged", "secure boot: an edited boot.cfg is refused",
        "secure boot: a loader without an enrolled hash is refused",
        "secure boot off: an edited boot.cfg only warns", "secure boot off, nothing enrolled: boots",
    };
    for (int i = 0; i < 5; i++) {
        reset();
        fk.secure = cases[i].secure;
        fk.enrolled = cases[i].enrolled;
        sha256(cfg_text, strlen(cfg_text), fk.cfg_hash);
        if (cases[i].tamper)
            fk.cfg_hash[7] ^= 1;
        add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
        add_file("/boot/kernel.elf", k, ksize);
        add_file("/boot/m", mod, sizeof mod);
        int r = run();
        int ok = want[i] ? r == 1 && !strcmp(fk.error, want[i]) : r == 2;
        if (ok && !want[i]) {
            const struct boot_info *bi = (const struct boot_info *)(uintptr_t)fk.bi;
            ok = !!(bi->flags & BOOT_FLAG_SECURE_BOOT) == cases[i].secure;
            if (cases[i].tamper)
                ok = ok && strstr(fk.log, "warning: /boot/boot.cfg differs") != NULL;
        }
        CHECK(ok, name[i]);
        if (!ok)
            printf("  r=%d error=\"%s\"\n", r, fk.error);
    }
    /* a kernel or module without a hash line */
    snprintf(cfg_text, sizeof cfg_text, "module=/boot/m\nmodule_sha256=%s\n", mh);
    reset();
    fk.secure = fk.enrolled = 1;
    sha256(cfg_text, strlen(cfg_text), fk.cfg_hash);
    add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
    add_file("/boot/kernel.elf", k, ksize);
    CHECK(run() == 1 && !strcmp(fk.error, "/boot/kernel.elf: no sha256 line for it in /boot/boot.cfg, and Secure Boot requires one"),
          "secure boot: a kernel without a hash line is refused");
    snprintf(cfg_text, sizeof cfg_text, "kernel_sha256=%s\nmodule=/boot/m\n", kh);
    reset();
    fk.secure = fk.enrolled = 1;
    sha256(cfg_text, strlen(cfg_text), fk.cfg_hash);
    add_file("/boot/boot.cfg", cfg_text, strlen(cfg_text));
    add_file("/boot/kernel.elf", k, ksize);
    add_file("/boot/m", mod, sizeof mod);
    CHECK(run() == 1 && !strcmp(fk.error, "/boot/m: no sha256 line for it in /boot/boot.cfg, and Secure Boot requires one"),
          "secure boot: a module without a hash line is refused");
    reset();
    fk.secure = fk.enrolled = 1;
    add_file("/boot/kernel.elf", k, ksize);
    CHECK(run() == 1 && !strcmp(fk.error, "/boot/boot.cfg is missing, but this loader was signed for one"),
          "secure boot: a deleted boot.cfg is refused");
    free(k);
}

int main(void)
{
    test_late_placement();
    test_good_boot();
    test_errors();
    test_no_config();
    test_secure_boot();
    reset();
    return check_exit();
}
