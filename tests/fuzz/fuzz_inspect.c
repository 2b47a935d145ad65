/* mkimage --inspect on a whole image: inspect_image() reads the image
 * made of the input (fuzz_disk.h) through a memfd, so every iteration
 * stays in memory; the report goes to /dev/null. Flag bits are unused. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_disk.h"
#include "inspect.h"

static int fd = -1;
static char path[64];
static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        fd = memfd_create("fuzz-image", MFD_CLOEXEC);
        devnull = fopen("/dev/null", "w");
        if (fd < 0 || !devnull)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    struct fuzz_disk d;
    if (fuzz_disk_parse(&d, data, size))
        return 0;
    /* Empty the file, then size it: the zero pages cost nothing. */
    if (ftruncate(fd, 0) || ftruncate(fd, (off_t)d.bytes))
        abort();
    for (uint32_t i = 0; i < d.n; i++) {
        const struct fuzz_unit *u = &d.units[i];
        if (pwrite(fd, u->data, u->len, (off_t)u->unit * FUZZ_UNIT) != (ssize_t)u->len)
            abort();
    }
    inspect_image(path, devnull);
    return 0;
}
