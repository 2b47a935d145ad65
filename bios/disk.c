/* INT 13h for stage2: AH=42h extended reads through the bounce buffer,
 * AH=48h for the disk size and sector size. */
#include "disk.h"

#include "service.h"
#include "loader.h"
#include "bios_layout.h"
#include "io.h"
#include "mem.h"

struct __attribute__((packed)) disk_packet {
    uint8_t  size;               /* 16 */
    uint8_t  reserved;
    uint16_t count;
    uint16_t offset, segment;
    uint64_t lba;
};

/* in stage2's bss (below 1 MiB); aligned because some BIOSes are picky */
static struct disk_packet packet __attribute__((aligned(16)));

/* One AH=42h call into the bounce buffer. Returns 0 or the BIOS status. */
static int read_once(struct disk *d, uint64_t lba, uint32_t count)
{
    packet = (struct disk_packet){
        .size = sizeof packet, .count = (uint16_t)count,
        .offset = 0, .segment = BOUNCE_ADDR >> 4, .lba = lba,
    };
    struct bios_regs r = {
        .eax = 0x4200, .edx = d->drive,
        .ds = rm_seg(&packet), .esi = rm_off(&packet),
    };
    bios_service(0x13, &r);
    d->calls++;
    if (!(r.eflags & EFLAGS_CF))
        return 0;
    int status = (r.eax >> 8) & 0xff;
    return status ? status : 0xff;   /* CF with AH=0 is still a failure */
}

static void disk_reset(struct disk *d)
{
    struct bios_regs r = { .eax = 0x0000, .edx = d->drive };
    bios_service(0x13, &r);
}

/* The bounce buffer doubles as a read-ahead cache: it still holds the
 * last transfer, so a request inside it needs no BIOS call. Single-sector
 * requests (FAT sectors and directories, as the FAT driver walks a
 * chain) read READ_AHEAD_BYTES at once: for a kernel on 512-byte
 * clusters that halves the INT 13h calls. The disk is never written, so
 * the cache cannot go stale. */
#define READ_AHEAD_BYTES (16 * 1024)

static uint64_t cached_lba;
static uint32_t cached_count;

static int cached(uint64_t lba, uint32_t count)
{
    return cached_count && lba >= cached_lba && lba + count <= cached_lba + cached_count;
}

/* One transfer into the bounce buffer, retried once after a reset. */
static int bounce_read(struct disk *d, uint64_t lba, uint32_t n)
{
    cached_count = 0;
    int st = read_once(d, lba, n);
    if (st) {
        disk_reset(d);
        st = read_once(d, lba, n);
    }
    if (!st) {
        cached_lba = lba;
        cached_count = n;
    }
    return st;
}

static int failed(struct disk *d, uint64_t lba, int status)
{
    d->err_status = status;
    d->err_lba = lba;
    return status;
}

int disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    struct disk *d = ctx;
    uint8_t *dst = buf;
    uint64_t t0 = rdtsc();
    int st = 0;
    disk_probe(d);
    const uint32_t ss = d->sector_size, ahead = READ_AHEAD_BYTES / ss;
    const uint32_t most = BOUNCE_SIZE / ss < BOUNCE_MAX_SECTORS ? BOUNCE_SIZE / ss : BOUNCE_MAX_SECTORS;
    while (count) {
        uint32_t n = count < most ? count : most;
        if (!cached(lba, n)) {
            /* read-ahead past the end of a small disk fails: then exactly */
            if (n > 1 || ahead <= 1 || read_once(d, lba, ahead)) {
                st = bounce_read(d, lba, n);
                if (st && n > 1) {
                    /* Some BIOSes refuse long transfers: go sector by
                     * sector, which also names the sector that fails. */
                    for (uint32_t i = 0; i < n; i++) {
                        st = bounce_read(d, lba + i, 1);
                        if (st) {
                            st = failed(d, lba + i, st);
                            goto out;
                        }
                        memcpy(dst + i * ss, (const void *)BOUNCE_ADDR, ss);
                    }
                    cached_count = 0;
                    goto next;
                }
                if (st) {
                    st = failed(d, lba, st);
                    goto out;
                }
            } else {
                cached_lba = lba;
                cached_count = ahead;
            }
        }
        memcpy(dst, (const uint8_t *)BOUNCE_ADDR + (uint32_t)(lba - cached_lba) * ss, n * ss);
    next:
        dst += n * ss;
        lba += n;
        count -= n;
    }
out:
    d->ticks += rdtsc() - t0;
    return st;
}

void disk_read_or_die(struct disk *d, uint64_t lba, uint32_t count, void *buf)
{
    if (disk_read(d, lba, count, buf))
        die("disk read at LBA %llu: BIOS status 0x%02x", (unsigned long long)d->err_lba, d->err_status);
}

/* INT 13h AH=48h result buffer (EDD 1.1 fields; the BIOS may fill more). */
struct __attribute__((packed)) drive_params {
    uint16_t size;               /* in: buffer size; out: bytes filled */
    uint16_t flags;
    uint32_t cylinders, heads, sectors_per_track;
    uint64_t sectors;
    uint16_t bytes_per_sector;
    uint8_t  edd30[40];          /* EDD 3.0 device path: room, not read */
};

/* What one sector really is: the bytes a one-sector read of LBA 0 writes.
 * The bounce buffer is filled with one pattern, then another, around two
 * such reads; a byte the BIOS wrote differs from at least one of them
 * (it cannot equal both). Returns the end of the last written byte, or 0
 * when the read fails. */
#define PROBE_BYTES 8192
static uint32_t measured_sector(struct disk *d)
{
    static const uint8_t fill[2] = { 0xa5, 0x5a };
    uint8_t *b = (uint8_t *)BOUNCE_ADDR;
    uint32_t end = 0;
    for (int k = 0; k < 2; k++) {
        memset(b, fill[k], PROBE_BYTES);
        if (read_once(d, 0, 1))
            return 0;
        for (uint32_t i = PROBE_BYTES; i > end; i--)
            if (b[i - 1] != fill[k]) {
                end = i;
                break;
            }
    }
    cached_count = 0;            /* the bounce buffer holds LBA 0 now */
    return end;
}

void disk_probe(struct disk *d)
{
    static struct drive_params dp __attribute__((aligned(16)));   /* below 1 MiB */
    if (d->probed)
        return;
    d->probed = 1;
    d->sector_size = 512;
    memset(&dp, 0, sizeof dp);
    dp.size = 0x1a;              /* ask for the EDD 1.1 part only */
    struct bios_regs r = {
        .eax = 0x4800, .edx = d->drive,
        .ds = rm_seg(&dp), .esi = rm_off(&dp),
    };
    bios_call(0x13, &r);
    int edd = !(r.eflags & EFLAGS_CF) && dp.size >= 0x1a;
    /* A 4Kn disk (SeaBIOS reports NVMe ones so) counts 4096-byte sectors
     * in every AH=42h packet. AH=48h says so, but not every BIOS tells
     * the truth there (0 is an old one's "512"), so the sector size is
     * what a read transfers; AH=48h's only when that cannot be seen. */
    uint32_t said = edd ? dp.bytes_per_sector : 0, seen = measured_sector(d), bps = said ? said : 512;
    if (seen) {
        for (bps = 512; bps < seen; bps *= 2)
            ;
    }
    if (bps > 4096 || (bps & (bps - 1)))
        die("the boot disk has %u-byte sectors (INT 13h); hyboot reads disks of 512 to 4096", (unsigned)bps);
    d->sector_size = bps;
    /* Some BIOSes report 0 or all ones for media they cannot size (and a
     * few report CHS-derived counts for USB sticks: too small, which only
     * makes the search stricter); 2^48 sectors is beyond any disk. A
     * count in sectors of another size than a read's is no count. */
    if (!edd || dp.sectors == 0 || dp.sectors >= (1ull << 48) || (said && said != bps))
        return;
    d->sectors = dp.sectors;
}
