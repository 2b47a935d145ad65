/* mkpad: writes N MiB of the kernel pad sequence (kernel/pad.h).
 *   mkpad N > pad.bin */
#include <stdio.h>
#include <stdlib.h>

#include "../pad.h"

int main(int argc, char **argv)
{
    char *end;
    unsigned long mib = argc == 2 ? strtoul(argv[1], &end, 10) : 0;
    if (argc != 2 || *end || mib == 0 || mib > 512) {
        fprintf(stderr, "usage: mkpad MIB (1..512)\n");
        return 2;
    }
    uint64_t state = PAD_SEED;
    for (unsigned long i = 0; i < mib * (1024 * 1024 / 8); i++) {
        uint64_t v = pad_next(&state);
        unsigned char b[8];
        for (int k = 0; k < 8; k++)
            b[k] = (unsigned char)(v >> (8 * k));
        if (fwrite(b, 1, 8, stdout) != 8) {
            perror("mkpad");
            return 1;
        }
    }
    return fflush(stdout) ? 1 : 0;
}
