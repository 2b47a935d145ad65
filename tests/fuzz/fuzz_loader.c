/* The shared boot flow (common/loader.c) as stage2 runs it, from boot.cfg
 * to the jump: the ESP is a FAT volume made of the input (fuzz_disk.h, at
 * LBA 0) read through stage2's own file layer (bios/files.c on the
 * shared FAT reader); memory comes from the host heap. So a crafted
 * boot.cfg, kernel ELF, module list or directory entry goes through
 * exactly the checks the loaders apply. Flag bit 1 turns Secure Boot on,
 * bit 2 enrolls a (zero) boot.cfg hash. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_disk.h"
#include "loader.h"
#include "stage2.h"
#include "video.h"

struct stage2 s2;                       /* what bios/files.c reads through */

#define RAM (512ULL << 20)              /* the fake machine's memory */
#define ALLOC_MAX (160ULL << 20)        /* all allocations of one boot */
#define ALLOCS_MAX 512

static jmp_buf out;
static void *allocs[ALLOCS_MAX];
static uint32_t nallocs;
static uint64_t allocated;
static uint8_t flags;

void plat_say(const char *text) { (void)text; }
void plat_verbose(int on) { (void)on; }
/* FUZZ_VERBOSE=1: the error line or "jumped" for each input (replaying
 * one by hand). */
void plat_fail(const char *text)
{
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "hyboot: error: %s\n", text);
    longjmp(out, 1);
}

uint64_t plat_alloc(uint64_t bytes, uint64_t align, uint32_t type, uint64_t max_end)
{
    (void)type, (void)max_end;          /* host addresses are wherever malloc puts them */
    bytes = (bytes + 4095) & ~4095ULL;
    if (nallocs == ALLOCS_MAX || bytes > ALLOC_MAX - allocated || align > (2u << 20))
        return 0;
    void *p = aligned_alloc(align < 4096 ? 4096 : align, bytes);
    if (!p)
        return 0;
    allocated += bytes;
    allocs[nallocs++] = p;
    return (uint64_t)(uintptr_t)p;
}

void plat_free(uint64_t addr, uint64_t bytes) { (void)addr, (void)bytes; }
int plat_kernel_late(void) { return 0; }
uint64_t plat_kernel_late_range(uint64_t span) { (void)span; return 0; }

void plat_memory_map(struct mm_map *m)
{
    m->count = 0;
    mm_add(m, 0, 0x9f000, BOOT_MEM_USABLE);
    mm_add(m, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
    mm_add(m, 0x100000, RAM - 0x100000, BOOT_MEM_USABLE);
    mm_normalize(m);
}

void plat_video(struct video_policy *want, struct boot_framebuffer *fb, char *desc, size_t desc_len)
{
    (void)want;
    memset(fb, 0, sizeof *fb);
    fb->kind = BOOT_FB_NONE;
    if (desc_len)
        desc[0] = 0;
}

uint64_t plat_rsdp(void) { return 0; }
void plat_smbios(uint64_t *entry32, uint64_t *entry64) { *entry32 = *entry64 = 0; }
uint32_t plat_edid(uint8_t *buf, uint32_t cap) { (void)buf, (void)cap; return 0; }
int64_t plat_time(void) { return 1796180000; }
void plat_device(struct boot_device *d) { memset(d, 0, sizeof *d); }
uint64_t plat_tsc_hz(const char **how) { *how = "fake"; return 2000000000; }
uint32_t plat_map_capacity(void) { return 64; }
void plat_exit_firmware(struct mm_map *m, struct boot_info *bi) { (void)bi; plat_memory_map(m); }
int plat_secure_boot(void) { return (flags & 2) != 0; }
int plat_config_hash(uint8_t hash[32])
{
    memset(hash, 0, 32);
    return (flags & 4) != 0;
}

void plat_jump(uint64_t entry, uint64_t stack_top, uint64_t boot_info, uint64_t pml4)
{
    (void)entry, (void)stack_top, (void)boot_info, (void)pml4;
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "hyboot: jumped\n");
    longjmp(out, 2);
}

/* boot.cfg's bench_raw_read=1 times a raw read of the ESP (bios/files.c). */
void disk_read_or_die(struct disk *d, uint64_t lba, uint32_t count, void *buf)
{
    (void)d, (void)lba, (void)count, (void)buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_disk d;
    if (fuzz_disk_parse(&d, data, size))
        return 0;
    memset(&s2, 0, sizeof s2);
    s2.disk.sector_size = d.sector_size;
    if (fat_mount_dev(&s2.vol, fuzz_disk_read, &d, 0, d.sector_size) != FAT_OK)
        return 0;
    flags = d.flags;
    nallocs = 0;
    allocated = 0;
    static const struct plat_info pi = { BOOT_FW_BIOS, "hyboot-fuzz", 0, 0, 0 };
    if (setjmp(out) == 0)
        loader_run(&pi);
    for (uint32_t i = 0; i < nallocs; i++)
        free(allocs[i]);
    return 0;
}
