#include "disk.h"

#include "bioscall.h"
#include "console.h"
#include "handoff.h"
#include "io.h"
#include "mem.h"

struct __attribute__((packed)) disk_packet {
    uint8_t  size;               /* 16 */
    uint8_t  reserved;
    uint16_t count;
    uint16_t offset, segment;
    uint64_t lba;
};

static struct disk_packet packet;   /* in stage2's bss: below 1 MiB */

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
    bios_call(0x13, &r);
    d->calls++;
    if (!(r.eflags & EFLAGS_CF))
        return 0;
    int status = (r.eax >> 8) & 0xff;
    return status ? status : 0xff;   /* CF with AH=0 is still a failure */
}

static void disk_reset(struct disk *d)
{
    struct bios_regs r = { .eax = 0x0000, .edx = d->drive };
    bios_call(0x13, &r);
}

int disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    struct disk *d = ctx;
    uint8_t *dst = buf;
    uint64_t t0 = rdtsc();
    while (count) {
        uint32_t n = count < BOUNCE_MAX_SECTORS ? count : BOUNCE_MAX_SECTORS;
        int st = read_once(d, lba, n);
        if (st) {
            disk_reset(d);
            st = read_once(d, lba, n);
        }
        if (st)
            die("disk read at LBA %llu: BIOS status 0x%02x", (unsigned long long)lba, st);
        memcpy(dst, (const void *)BOUNCE_ADDR, n * 512u);
        dst += n * 512u;
        lba += n;
        count -= n;
    }
    d->ticks += rdtsc() - t0;
    return 0;
}
