/* mbstub: a test-only loader that lets the kernel's own tests boot it
 * under QEMU without the real loaders:
 *
 *   qemu-system-x86_64 -kernel build/tests/mbstub.elf -initrd build/kernel/kernel.elf \
 *       -append "fb=1024x768x32 -- test"
 *
 * It does what docs/protocol.md asks of a loader, with the shared common/
 * code (memmap, elf, paging, tsc): memory map from multiboot, kernel at a
 * 2 MiB-aligned base, identity map + higher-half map, a 64 KiB stack,
 * boot_info. Options before "--" (the rest is the kernel's cmdline):
 *   fb=none | fb=vga | fb=WxHxBPP   display handed over (default vga);
 *                                   WxHxBPP programs QEMU's Bochs VBE
 *   pitchpad=N                      N extra pixels per framebuffer line
 *   corrupt=magic|map|stack|pad|kernelbase|bss, and those of v2.c
 *                                   break one promise on purpose, so the
 *                                   self-test's failure paths are tested
 *   hhdm=none                       no direct map (the v1 layout)
 *   efi=fake, newer                 see v2.c
 * Further -initrd files ("kernel.elf,/path/mod args,...") become boot
 * modules (v2.c). Never part of an image: the real loaders are bios/ and
 * uefi/. */
#include <stdarg.h>
#include <stdint.h>

#include "boot_info.h"
#include "elf.h"
#include "fmt.h"
#include "io.h"
#include "mem.h"
#include "memmap.h"
#include "paging.h"
#include "serial.h"
#include "stub.h"
#include "tsc.h"

#define MiB (1024ULL * 1024)
#define GiB (1024ULL * MiB)

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};
struct mb_mmap {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

extern char __stub_start[], __stub_end[];
void enter_long_mode(uint32_t pml4) __attribute__((noreturn));
void stub_main(uint32_t magic, const struct mb_info *mbi) __attribute__((noreturn));
uint64_t lm_entry, lm_boot_info, lm_stack;

static struct boot_mmap_entry map_buf[256];
struct mm_map stub_map;
#define map stub_map

void say(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    serial_puts("mbstub: ");
    serial_puts(buf);
    serial_puts("\n");
}

void die(const char *why)
{
    say("error: %s", why);
    outb(QEMU_EXIT_PORT, 0x7f);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Usable memory below 4 GiB (32-bit code reaches nothing else), taken
 * from the map and zeroed. */
uint64_t take(uint64_t size, uint64_t align, uint32_t type)
{
    uint64_t a = mm_find_usable(&map, size, align, 1 * MiB, 4 * GiB);
    if (!a || mm_set(&map, a, size, type))
        die("out of memory");
    memset((void *)(uintptr_t)a, 0, (size_t)size);
    return a;
}

static uint64_t alloc_table(void *ctx)
{
    (void)ctx;
    return take(4096, 4096, BOOT_MEM_LOADER);
}

uint32_t pci_read(uint32_t bus, uint32_t dev, uint32_t fn, uint32_t off)
{
    outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc));
    return inl(0xcfc);
}

uint32_t pci_find(uint32_t vendor_device)
{
    for (uint32_t dev = 0; dev < 32; dev++)
        if (pci_read(0, dev, 0, 0) == vendor_device)
            return dev;
    return ~0u;
}

static void vbe_write(uint16_t index, uint16_t value)
{
    outw(0x1ce, index);
    outw(0x1cf, value);
}

/* Bochs/QEMU "std" VGA: DISPI registers set the mode; the linear
 * framebuffer is BAR0 of PCI device 1234:1111. */
static void setup_vbe(struct boot_framebuffer *fb, uint32_t w, uint32_t h, uint32_t bpp, uint32_t pad)
{
    uint32_t dev = pci_find(0x11111234);
    uint32_t bar = dev == ~0u ? 0 : pci_read(0, dev, 0, 0x10) & ~0xfu;
    if (!bar)
        die("fb=: no Bochs VGA (1234:1111) on PCI bus 0");
    vbe_write(4, 0);          /* disable */
    vbe_write(1, (uint16_t)w);
    vbe_write(2, (uint16_t)h);
    vbe_write(3, (uint16_t)bpp);
    vbe_write(4, 0x41);       /* enable, linear framebuffer */
    vbe_write(6, (uint16_t)(w + pad)); /* virtual width: pitch > width * Bpp */
    outw(0x1ce, 6);
    uint32_t vw = inw(0x1cf);
    fb->kind = BOOT_FB_RGB;
    fb->addr = bar;
    fb->width = w;
    fb->height = h;
    fb->bpp = (uint8_t)bpp;
    fb->pitch = vw * (bpp / 8);
    fb->red_size = fb->green_size = fb->blue_size = 8;
    fb->red_shift = 16;
    fb->green_shift = 8;
    fb->blue_shift = 0;
    fb->size = (uint64_t)fb->pitch * h;
}

/* A pointer to a fixed physical address the compiler cannot reason about
 * (it would otherwise warn that address 0x40e is "outside an object"). */
static const void *phys(uintptr_t a)
{
    __asm__("" : "+r"(a));
    return (const void *)a;
}

static uint64_t find_rsdp(void)
{
    uint32_t ebda = (uint32_t)(*(const volatile uint16_t *)phys(0x40e)) << 4;
    uint32_t ranges[2][2] = { { ebda, ebda + 1024 }, { 0xe0000, 0x100000 } };
    for (int r = 0; r < 2; r++)
        for (uint32_t a = ranges[r][0]; a && a < ranges[r][1]; a += 16)
            if (memcmp(phys(a), "RSD PTR ", 8) == 0)
                return a;
    return 0;
}

/* The "--" word that separates stub options from the kernel cmdline. */
static const char *find_separator(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((p == s || p[-1] == ' ') && p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == 0))
            return p;
    return 0;
}

/* The stub's own options: the words before "--". */
static const char *opts_start, *opts_end;

/* opt("fb=") finds a word starting with "fb=" and points past the '=';
 * opt("corrupt=map") finds exactly that word. NULL when absent. Several
 * corrupt= words may be given. */
const char *opt(const char *key)
{
    size_t k = strlen(key);
    for (const char *p = opts_start; p + k <= opts_end; p++)
        if ((p == opts_start || p[-1] == ' ') && strncmp(p, key, k) == 0 &&
            (key[k - 1] == '=' || p + k == opts_end || p[k] == ' '))
            return p + k;
    return 0;
}

static uint32_t num(const char **p)
{
    uint32_t v = 0;
    while (**p >= '0' && **p <= '9')
        v = v * 10 + (uint32_t)(*(*p)++ - '0');
    return v;
}

void stub_main(uint32_t magic, const struct mb_info *mbi)
{
    uint64_t t_entry = rdtsc();
    serial_init();
    if (magic != 0x2badb002)
        die("not started by a multiboot loader");
    uint64_t hz = tsc_calibrate_pit();
    say("started, TSC %llu Hz, flags 0x%x", (unsigned long long)hz, mbi->flags);

    /* options and kernel cmdline: QEMU passes "<kernel file> <-append>" */
    /* copied first: QEMU keeps the multiboot info and strings in memory
     * the map calls usable, which the allocations below reuse */
    static char cl_copy[1024];
    hy_strlcpy(cl_copy, (mbi->flags & 4) ? (const char *)(uintptr_t)mbi->cmdline : "", sizeof cl_copy);
    const char *cl = cl_copy;
    const char *sep = find_separator(cl);
    opts_start = cl;
    opts_end = sep ? sep : cl + strlen(cl);
    const char *kcmd = sep ? sep + 2 : "";
    say("command line \"%s\"", cl);
    while (*kcmd == ' ')
        kcmd++;

    if (!(mbi->flags & 8) || mbi->mods_count < 1)
        die("no kernel module (-initrd kernel.elf)");
    const struct mb_module mod_copy = *(const struct mb_module *)(uintptr_t)mbi->mods_addr, *mod = &mod_copy;
    v2_save_modules((const struct mb_module *)(uintptr_t)mbi->mods_addr + 1, mbi->mods_count - 1);
    if (!(mbi->flags & 64))
        die("no memory map from the multiboot loader");

    /* the firmware's map, then what is already in use */
    mm_init(&map, map_buf, sizeof map_buf / sizeof map_buf[0]);
    for (uint32_t off = 0; off < mbi->mmap_length;) {
        const struct mb_mmap *e = (const struct mb_mmap *)(uintptr_t)(mbi->mmap_addr + off);
        uint32_t t = e->type == 1 ? BOOT_MEM_USABLE : e->type == 3 ? BOOT_MEM_ACPI_RECLAIM
                   : e->type == 4 ? BOOT_MEM_ACPI_NVS : e->type == 5 ? BOOT_MEM_BAD : BOOT_MEM_RESERVED;
        mm_add(&map, e->addr, e->len, t);
        off += e->size + 4;
    }
    if (mm_normalize(&map))
        die("memory map too large");
    mm_set(&map, 0, 4096, BOOT_MEM_RESERVED); /* real-mode IVT / BDA */
    mm_set(&map, (uintptr_t)__stub_start, (uintptr_t)__stub_end - (uintptr_t)__stub_start, BOOT_MEM_LOADER);
    mm_set(&map, mod->start & ~0xfffu, ((mod->end + 0xfff) & ~0xfffu) - (mod->start & ~0xfffu), BOOT_MEM_LOADER);
    v2_mark_modules();

    /* the kernel */
    const void *file = (const void *)(uintptr_t)mod->start;
    uint64_t size = mod->end - mod->start;
    struct elf_plan plan;
    const char *why = elf_plan(file, size, &plan);
    if (why)
        die(why);
    uint64_t t_read = rdtsc();
    uint64_t kphys = take(plan.span, ELF_SPAN_ALIGN, BOOT_MEM_KERNEL);
    elf_place(&plan, file, (void *)(uintptr_t)kphys);
    uint64_t t_loaded = rdtsc();

    /* display */
    struct boot_framebuffer fb = { 0 };
    const char *fbo = opt("fb=");
    uint32_t pad = 0;
    const char *pp = opt("pitchpad=");
    if (pp)
        pad = num(&pp);
    if (fbo && strncmp(fbo, "none", 4) == 0) {
        fb.kind = BOOT_FB_NONE;
    } else if (fbo && fbo[0] >= '1' && fbo[0] <= '9') {
        uint32_t w = num(&fbo);
        fbo++;
        uint32_t h = num(&fbo);
        fbo++;
        uint32_t bpp = num(&fbo);
        setup_vbe(&fb, w, h, bpp, pad);
        mm_set(&map, fb.addr, (fb.size + 0xfff) & ~0xfffULL, BOOT_MEM_FRAMEBUFFER);
    } else {
        fb.kind = BOOT_FB_VGA_TEXT;
        fb.addr = 0xb8000;
        fb.width = 80;
        fb.height = 25;
        fb.pitch = 160;
        fb.bpp = 16;
        fb.size = 4000;
    }

    /* boot_info, cmdline and the map copy share two pages; the stack */
    uint64_t info_page = take(8192, 4096, BOOT_MEM_LOADER);
    uint64_t stack = take(64 * 1024, 4096, BOOT_MEM_LOADER);
    v2_prepare();

    /* page tables: identity up to max(4 GiB, top of the map), kernel span
     * at its link address, framebuffer (already inside 4 GiB here) */
    struct paging pg;
    if (pg_init(&pg, alloc_table, 0, pg_cpu_has_gb_pages()))
        die("out of memory for page tables");
    uint64_t top = map.count ? map.e[map.count - 1].base + map.e[map.count - 1].length : 0;
    top = (top + 2 * MiB - 1) & ~(2 * MiB - 1);
    if (top < 4 * GiB)
        top = 4 * GiB;
    if (pg_map(&pg, 0, 0, top, PG_WRITE) || pg_map(&pg, plan.vbase, kphys, plan.span, PG_WRITE))
        die("page tables");
    /* the direct map: everything the identity map covers, again at
     * BOOT_HHDM_OFFSET (corrupt=hhdmmap stops it at 1 GiB and says not) */
    uint64_t hhdm = opt("hhdm=none") ? 0 : opt("corrupt=hhdmmap") ? 1 * GiB : top;
    if (hhdm && pg_map(&pg, BOOT_HHDM_OFFSET, 0, hhdm, PG_WRITE))
        die("page tables (HHDM)");

    struct boot_info *bi = (struct boot_info *)(uintptr_t)info_page;
    char *cmd = (char *)bi + 512;
    struct boot_mmap_entry *mcopy = (struct boot_mmap_entry *)((char *)bi + 2048);
    hy_strlcpy(cmd, kcmd, 1024);
    if (map.count > (8192 - 2048) / sizeof *mcopy)
        die("memory map does not fit");
    memcpy(mcopy, map.e, map.count * sizeof *mcopy);

    bi->magic = BOOT_INFO_MAGIC;
    bi->version = BOOT_INFO_VERSION;
    bi->size = sizeof *bi;
    bi->firmware = BOOT_FW_BIOS;
    hy_strlcpy(bi->loader_name, "hyboot-mbstub 0.1 (test)", sizeof bi->loader_name);
    bi->mmap_addr = (uintptr_t)mcopy;
    bi->mmap_count = map.count;
    bi->mmap_entry_size = sizeof *mcopy;
    bi->fb = fb;
    bi->rsdp_addr = find_rsdp();
    bi->cmdline_addr = (uintptr_t)cmd;
    bi->cmdline_len = (uint32_t)strlen(cmd);
    bi->kernel_phys_base = kphys;
    bi->kernel_virt_base = plan.vbase;
    bi->kernel_size = plan.span;
    bi->stack_base = stack;
    bi->stack_size = 64 * 1024;
    bi->timing.tsc_hz = hz;
    bi->timing.tsc_loader_entry = t_entry;
    bi->timing.tsc_kernel_loaded = t_loaded;
    bi->timing.kernel_file_size = size;
    bi->timing.kernel_read_ticks = t_loaded - t_read;
    if (hhdm) {
        bi->hhdm_offset = BOOT_HHDM_OFFSET;
        bi->hhdm_size = top;
        bi->flags |= pg.gb_pages ? BOOT_FLAG_HHDM_1G : 0;
    }
    /* the map copy above is final: nothing is allocated after this */
    v2_fill(bi);

    /* deliberate breakage for the self-test's own tests */
    if (opt("corrupt=magic"))
        bi->magic ^= 1;
    if (opt("corrupt=map") && map.count >= 2)
        mcopy[1].base = mcopy[0].base; /* unsorted/overlapping */
    if (opt("corrupt=bss")) {
        /* leave garbage where the kernel's .bss is (a loader that forgot
         * to zero memsz beyond filesz) */
        for (uint32_t i = 0; i < plan.nseg; i++)
            if ((plan.seg[i].flags & ELF_PF_W) && plan.seg[i].memsz > plan.seg[i].filesz)
                memset((void *)(uintptr_t)(kphys + plan.seg[i].vaddr - plan.vbase + plan.seg[i].filesz), 0xa5,
                       (size_t)(plan.seg[i].memsz - plan.seg[i].filesz));
    }
    if (opt("corrupt=kernelbase"))
        bi->kernel_phys_base += 2 * MiB; /* reported != mapped */
    if (opt("corrupt=stack"))
        bi->stack_size = 4096;
    v2_corrupt(bi);
    if (opt("corrupt=pad")) {
        /* the last file-backed byte of the writable segment (where the
         * pad lives): what a short read would lose */
        for (uint32_t i = 0; i < plan.nseg; i++)
            if ((plan.seg[i].flags & ELF_PF_W) && plan.seg[i].filesz)
                ((volatile uint8_t *)(uintptr_t)kphys)[plan.seg[i].vaddr - plan.vbase + plan.seg[i].filesz - 1] ^= 0xff;
    }

    say("kernel %llu bytes at 0x%llx (virt 0x%llx), %u map entries, cmdline \"%s\"", (unsigned long long)size,
        (unsigned long long)kphys, (unsigned long long)plan.vbase, map.count, cmd);
    lm_entry = plan.entry;
    lm_boot_info = (uintptr_t)bi;
    lm_stack = stack + 64 * 1024;
    enter_long_mode((uint32_t)pg.pml4);
}
