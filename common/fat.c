#include "fat.h"

uint8_t fat_lfn_checksum(const char short_name[11])
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + (uint8_t)short_name[i]);
    return sum;
}
