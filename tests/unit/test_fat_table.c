/* common/fat_table.c, the FAT rules reader and writer share: the type
 * from the cluster count at the spec's boundaries, the table size, 12-,
 * 16- and 32-bit entry packing (every entry written reads back, its
 * neighbours untouched), and what each value means. */
#include <string.h>

#include "check.h"
#include "fat_table.h"

int main(void)
{
    CHECK(fat_type_for_clusters(1) == 12 && fat_type_for_clusters(4084) == 12 && fat_type_for_clusters(4085) == 16 &&
          fat_type_for_clusters(65524) == 16 && fat_type_for_clusters(65525) == 32, "fat table: type boundaries");
    CHECK(fat_table_bytes(12, 4084) == 6129 && fat_table_bytes(12, 4083) == 6128 && fat_table_bytes(16, 100) == 204 &&
          fat_table_bytes(32, 100) == 408, "fat table: bytes for N clusters + 2 (FAT12 rounded up)");

    static uint8_t fat[4 * 5000];
    for (int type = 12; type <= 32; type += (type == 12 ? 4 : 16)) {
        uint32_t mask = type == 12 ? 0xfff : type == 16 ? 0xffff : 0x0fffffff;
        memset(fat, 0, sizeof fat);
        for (uint32_t i = 0; i < 4000; i++)
            fat_entry_set(fat, type, i, (i * 2654435761u) & mask);
        int ok = 1;
        for (uint32_t i = 0; i < 4000; i++)
            ok &= fat_entry_get(fat, type, i) == ((i * 2654435761u) & mask);
        char name[64];
        snprintf(name, sizeof name, "fat table: FAT%d entries round-trip, neighbours kept", type);
        CHECK(ok, name);
    }
    /* FAT32: the top 4 bits are reserved, kept on write, ignored on read. */
    memset(fat, 0xff, 8);
    fat_entry_set(fat, 32, 1, 5);
    CHECK(fat[7] == 0xf0 && fat_entry_get(fat, 32, 1) == 5, "fat table: FAT32 keeps the reserved top nibble");

    CHECK(fat_eoc(12) == 0xfff && fat_eoc(16) == 0xffff && fat_eoc(32) == 0x0fffffff, "fat table: end-of-chain values");
    CHECK(fat_entry0(32, 0xf8) == 0x0ffffff8 && fat_entry0(12, 0xf0) == 0xff0, "fat table: entry 0 holds the media byte");
    CHECK(fat_entry_kind(12, 0, 100) == FAT_ENTRY_FREE && fat_entry_kind(12, 2, 100) == FAT_ENTRY_NEXT &&
          fat_entry_kind(12, 101, 100) == FAT_ENTRY_NEXT && fat_entry_kind(12, 102, 100) == FAT_ENTRY_INVALID &&
          fat_entry_kind(12, 1, 100) == FAT_ENTRY_INVALID && fat_entry_kind(12, 0xff7, 100) == FAT_ENTRY_BAD &&
          fat_entry_kind(12, 0xff8, 100) == FAT_ENTRY_END && fat_entry_kind(12, 0xfff, 100) == FAT_ENTRY_END,
          "fat table: FAT12 values classified");
    CHECK(fat_entry_kind(32, 0x0ffffff7, 1000) == FAT_ENTRY_BAD && fat_entry_kind(32, 0xfffffff8, 1000) == FAT_ENTRY_END &&
          fat_entry_kind(32, 0xf0000002, 1000) == FAT_ENTRY_NEXT, "fat table: FAT32 values use 28 bits");
    CHECK(fat_entry_kind(16, 0xfff6, 65524) == FAT_ENTRY_INVALID && fat_entry_kind(16, 0xfff5, 65524) == FAT_ENTRY_NEXT,
          "fat table: the highest FAT16 cluster number stays below the reserved values");
    return check_exit();
}
