/* MBR and GPT: common/esp_locate.c (which runs gpt_read on the primary and
 * the backup) over a disk made of the input (fuzz_disk.h), as stage2 and
 * --inspect run it. Flag bit 1 picks a one-sector scratch buffer instead
 * of a large one, so both ways of streaming the entry array are fuzzed. */
#include <stdint.h>
#include <string.h>

#include "esp_locate.h"
#include "fuzz_disk.h"
#include "gpt.h"

static uint8_t scratch[32 * 4096];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_disk fd;
    if (fuzz_disk_parse(&fd, data, size))
        return 0;
    uint32_t ss = fd.sector_size;
    struct gpt_disk d = {
        .read = fuzz_disk_read, .ctx = &fd, .sectors = fd.bytes / ss, .sector_size = ss,
        .buf = scratch, .buf_len = (fd.flags & 2) ? ss : (uint32_t)sizeof scratch,
    };
    /* An unknown size (0) is how stage2 sees a disk whose size the BIOS
     * does not report: every bound must then come from the GPT itself. */
    if (fd.flags & 4)
        d.sectors = 0;
    struct esp_info info;
    if (esp_locate(&d, &info) == 0 && d.sectors)
        /* What esp_locate promises: an ESP inside the disk. */
        if (info.sectors == 0 || info.lba >= d.sectors || info.sectors > d.sectors - info.lba)
            __builtin_trap();
    return 0;
}
