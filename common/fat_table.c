/* FAT type, size and entry rules (see fat_table.h). */
#include "fat_table.h"

int fat_type_for_clusters(uint32_t clusters)
{
    if (clusters <= FAT12_MAX_CLUSTERS)
        return 12;
    if (clusters <= FAT16_MAX_CLUSTERS)
        return 16;
    return 32;
}

uint64_t fat_table_bytes(int type, uint64_t clusters)
{
    uint64_t entries = clusters + 2;
    return (entries * (uint64_t)type + 7) / 8;
}

static uint32_t mask(int type)
{
    return type == 12 ? 0xfffu : type == 16 ? 0xffffu : 0x0fffffffu;
}

uint32_t fat_entry_decode(int type, uint32_t idx, const uint8_t *b)
{
    if (type == 12) {
        uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8;
        return (idx & 1) ? v >> 4 : v & 0xfff;
    }
    if (type == 16)
        return (uint32_t)b[0] | (uint32_t)b[1] << 8;
    /* FAT32 entries are 28 bits; the top four are reserved and kept. */
    return ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24) & 0x0fffffffu;
}

uint32_t fat_entry_get(const uint8_t *fat, int type, uint32_t idx)
{
    return fat_entry_decode(type, idx, fat + fat_entry_offset(type, idx));
}

void fat_entry_set(uint8_t *fat, int type, uint32_t idx, uint32_t val)
{
    uint8_t *p = fat + fat_entry_offset(type, idx);
    val &= mask(type);
    if (type == 12) {
        if (idx & 1) {
            p[0] = (uint8_t)((p[0] & 0x0f) | (val << 4));
            p[1] = (uint8_t)(val >> 4);
        } else {
            p[0] = (uint8_t)val;
            p[1] = (uint8_t)((p[1] & 0xf0) | (val >> 8));
        }
        return;
    }
    p[0] = (uint8_t)val;
    p[1] = (uint8_t)(val >> 8);
    if (type == 32) {
        p[2] = (uint8_t)(val >> 16);
        p[3] = (uint8_t)((p[3] & 0xf0) | (val >> 24));
    }
}

uint32_t fat_eoc(int type) { return mask(type); }

uint32_t fat_entry0(int type, uint8_t media) { return (mask(type) & ~0xffu) | media; }

enum fat_entry_kind fat_entry_kind(int type, uint32_t val, uint32_t clusters)
{
    uint32_t m = mask(type);
    val &= m;
    if (val == 0)
        return FAT_ENTRY_FREE;
    if (val >= (m & ~7u))                /* ..F8 .. ..FF */
        return FAT_ENTRY_END;
    if (val == (m & ~8u))                /* ..F7 */
        return FAT_ENTRY_BAD;
    /* The type limits keep the last cluster number (..F5 / 0x0FFFFFF6)
     * below the bad and end values, so a count bound is enough. */
    if (val >= 2 && val <= clusters + 1)
        return FAT_ENTRY_NEXT;
    return FAT_ENTRY_INVALID;
}
