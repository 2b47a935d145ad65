/* FAT geometry: sizes of the reserved area, the FATs and the root
 * directory, and the FAT type, which the Microsoft FAT specification
 * defines by the count of data clusters alone:
 *   < 4085 clusters FAT12, < 65525 FAT16, else FAT32.
 * Sectors are the disk's logical sectors (512 or 4096 bytes): the FAT's
 * own sector must be the device's for the firmware to read it. */
#include "mk_fat.h"
#include "mk.h"

#include <stdio.h>
#include <string.h>

/* Does a FAT of fs sectors hold an entry for every cluster (plus the two
 * reserved entries) of the data area that is left? */
static int fat_covers(uint64_t avail, uint32_t spc, int type, uint64_t fs, uint32_t nfats, uint32_t bps)
{
    if (avail <= fs * nfats)
        return 1;   /* no data area at all: trivially covered */
    uint64_t clusters = (avail - fs * nfats) / spc;
    return fat_table_bytes(type, clusters) <= fs * bps;
}

int mk_fat_geometry(uint64_t sectors, uint32_t bps, int type, uint32_t spc, uint32_t root_entries,
                    struct mk_fat_geom *g)
{
    memset(g, 0, sizeof *g);
    g->type = type;
    g->bps = bps;
    g->spc = spc;
    g->num_fats = 2;
    if (sectors > 0xffffffffULL || spc == 0 || bps < 512 || bps > FAT_MAX_SECTOR || (bps & (bps - 1)))
        return -1;
    if (type != 32 && root_entries > mk_fat_root_max(bps))
        return -1;
    g->total_sectors = (uint32_t)sectors;
    g->reserved = type == 32 ? 32 : 1;
    g->root_entries = type == 32 ? 0 : root_entries;
    g->root_sectors = (uint32_t)mk_div_up((uint64_t)g->root_entries * 32, bps);
    uint64_t fixed = (uint64_t)g->reserved + g->root_sectors;
    if (sectors <= fixed + 2)
        return -1;
    uint64_t avail = sectors - fixed;
    /* Smallest FAT that covers the clusters it leaves: a bigger FAT only
     * leaves fewer clusters, so the predicate is monotonic. */
    uint64_t lo = 1, hi = mk_div_up(fat_table_bytes(type, avail / spc), bps);
    if (hi < 1)
        hi = 1;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (fat_covers(avail, spc, type, mid, g->num_fats, bps))
            hi = mid;
        else
            lo = mid + 1;
    }
    g->fat_sectors = (uint32_t)lo;
    uint64_t data = fixed + (uint64_t)lo * g->num_fats;
    /* Start the data area on a cluster boundary (the volume itself starts
     * 1 MiB aligned), so clusters line up with flash pages. */
    uint64_t pad = (spc - data % spc) % spc;
    g->reserved += (uint32_t)pad;
    data += pad;
    if (data >= sectors)
        return -1;
    g->data_start = (uint32_t)data;
    uint64_t clusters = (sectors - data) / spc;
    if (clusters == 0 || clusters > FAT32_MAX_CLUSTERS)
        return -1;
    g->clusters = (uint32_t)clusters;
    return fat_type_for_clusters(g->clusters) == type ? 0 : -1;
}

/* The spec's DskTableFAT16 / DskTableFAT32, in 512-byte units: volumes
 * of up to `max` units get clusters of `spc` units (0: do not use). */
struct spc_row { uint64_t max; uint32_t spc; };
static const struct spc_row fat32_table[] = {
    { 66600, 0 }, { 532480, 1 }, { 16777216, 8 }, { 33554432, 16 }, { 67108864, 32 }, { ~0ull, 64 },
};
static const struct spc_row fat16_table[] = {
    { 8400, 0 }, { 32680, 2 }, { 262144, 4 }, { 524288, 8 }, { 1048576, 16 }, { 2097152, 32 },
    { 4194304, 64 }, { ~0ull, 0 },
};

static uint32_t table_spc(const struct spc_row *t, uint64_t sectors)
{
    while (sectors > t->max)
        t++;
    return t->spc;
}

uint32_t mk_fat_recommended_spc(uint64_t sectors, uint32_t bps, int type)
{
    uint32_t units = bps / 512;      /* the tables' 512-byte units per sector */
    if (type == 32 || type == 16) {
        uint32_t t = table_spc(type == 32 ? fat32_table : fat16_table, sectors * units);
        /* A cluster is at least one sector: a 4Kn volume the table gives
         * 512-byte clusters gets 4 KiB ones. */
        return t == 0 ? 0 : t <= units ? 1 : t / units;
    }
    /* FAT12 has no table (it is floppy territory): the smallest cluster
     * that keeps the count under the FAT12 limit. */
    for (uint32_t spc = 1; spc * bps <= MK_FAT_CLUSTER_MAX; spc *= 2)
        if (sectors / spc <= FAT12_MAX_CLUSTERS)
            return spc;
    return 0;
}

const char *mk_fat_choose(uint64_t sectors, uint32_t bps, int want, uint32_t root_entries, struct mk_fat_geom *g)
{
    static char why[256];
    static const int order[] = { 32, 16, 12 };
    const uint32_t spc_max = MK_FAT_CLUSTER_MAX / bps;
    if (want == 0) {
        for (int i = 0; i < 3; i++) {
            uint32_t spc = mk_fat_recommended_spc(sectors, bps, order[i]);
            if (spc && mk_fat_geometry(sectors, bps, order[i], spc, root_entries, g) == 0)
                return NULL;
        }
        /* Sizes the tables leave out: any cluster size that works. */
        for (int i = 0; i < 3; i++)
            for (uint32_t spc = 1; spc <= spc_max; spc *= 2)
                if (mk_fat_geometry(sectors, bps, order[i], spc, root_entries, g) == 0)
                    return NULL;
        if (root_entries > mk_fat_root_max(bps) && mk_fat_geometry(sectors, bps, 32, 1, 0, g) != 0)
            snprintf(why, sizeof why, "the root folder needs %u entries: FAT12/16 allow %u, and the "
                     "ESP is too small for FAT32", root_entries, mk_fat_root_max(bps));
        else
            snprintf(why, sizeof why, "%llu sectors is too small for any FAT volume",
                     (unsigned long long)sectors);
        return why;
    }
    if (want != 12 && want != 16 && want != 32) {
        snprintf(why, sizeof why, "FAT%d is not a FAT type (12, 16 or 32)", want);
        return why;
    }
    uint32_t spc = mk_fat_recommended_spc(sectors, bps, want);
    if (spc && mk_fat_geometry(sectors, bps, want, spc, root_entries, g) == 0)
        return NULL;
    for (spc = 1; spc <= spc_max; spc *= 2)
        if (mk_fat_geometry(sectors, bps, want, spc, root_entries, g) == 0)
            return NULL;

    if (want != 32 && root_entries > mk_fat_root_max(bps)) {
        snprintf(why, sizeof why, "FAT%d's root folder holds at most %u entries, the files in / need %u "
                 "(FAT32 has no such limit below 65536)", want, mk_fat_root_max(bps), root_entries);
        return why;
    }
    /* Say why: the cluster count with the smallest and largest clusters. */
    struct mk_fat_geom small, big;
    mk_fat_geometry(sectors, bps, want, 1, root_entries, &small);
    mk_fat_geometry(sectors, bps, want, spc_max, root_entries, &big);
    char size[32];
    mk_format_size(sectors * bps, size, sizeof size);
    uint32_t min = want == 12 ? 1 : want == 16 ? FAT12_MAX_CLUSTERS + 1 : FAT16_MAX_CLUSTERS + 1;
    uint32_t max = want == 12 ? FAT12_MAX_CLUSTERS : want == 16 ? FAT16_MAX_CLUSTERS : FAT32_MAX_CLUSTERS;
    if (big.clusters > max)
        snprintf(why, sizeof why,
                 "FAT%d allows at most %u clusters, but a %s ESP has %u even with 32 KiB clusters",
                 want, max, size, big.clusters);
    else
        snprintf(why, sizeof why,
                 "FAT%d needs at least %u clusters, but a %s ESP has at most %u (%u-byte clusters%s)",
                 want, min, size, small.clusters, bps, bps > 512 ? ", one sector" : "");
    return why;
}

const char *mk_esp_size_quirk(uint64_t esp_bytes, int type)
{
    /* Some firmware guesses the FAT type from the volume size instead of
     * the cluster count (docs/mkimage.md, "Decisions"). */
    if (esp_bytes < (8ULL << 20))
        return "ESP smaller than 8 MiB: some UEFI firmware wants at least 8 MiB";
    if (type == 32 && esp_bytes < (33ULL << 20))
        return "FAT32 ESP smaller than 33 MiB: some UEFI firmware reads FAT32 under 33 MiB as FAT16";
    return NULL;
}
