/* FAT names, one definition for the reader (common/fat.c) and the writer
 * (mkimage/fat*.c): the 8.3 character set, 8.3 <-> text, ASCII case
 * folding (how both sides compare names), what a long name may hold, the
 * long-name (LFN) entry layout and its checksum. */
#ifndef HYBOOT_FAT_NAME_H
#define HYBOOT_FAT_NAME_H

#include <stddef.h>
#include <stdint.h>

#define FAT_NAME_MAX  255       /* UTF-16 units of a long name */
#define FAT_LFN_CHARS 13        /* UTF-16 units per LFN entry */
#define FAT_LFN_MAX_ENTRIES 20  /* 20 * 13 >= 255 */
/* nt_reserved bits: the base / extension of the 8.3 name is lower case. */
#define FAT_NT_LOWER_BASE 0x08
#define FAT_NT_LOWER_EXT  0x10

struct fat_lfn;

/* Names are compared case-insensitively in ASCII only (as the loaders
 * match paths); other characters must match exactly. */
static inline uint32_t fat_fold(uint32_t c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }
/* Equal under fat_fold (byte strings of the given lengths). */
int fat_name_iequal(const char *a, size_t alen, const char *b, size_t blen);

/* The characters an 8.3 name (and a volume label) may hold besides
 * upper-case A-Z and 0-9. */
int fat_short_char_ok(uint8_t c);

/* "NAME.EXT" (NUL-terminated) from the space-padded 11 bytes; a leading
 * 0x05 stands for 0xE5; nt_flags (FAT_NT_LOWER_*) lower-case the parts
 * stored as lower case. Returns the length. */
int fat_short_to_text(const char name[11], uint8_t nt_flags, char out[13]);

/* The 8.3 basis of a long name (UTF-8) the way Windows derives it: upper
 * case, leading dots and embedded spaces dropped, characters 8.3 cannot
 * hold as '_' (one per code point), base cut to 8 and extension to 3.
 * Returns the base's length (1..8); *lossy says whether anything was
 * dropped or replaced, *exact whether "BASE.EXT" spells name byte for
 * byte (then no long-name entries are needed). */
int fat_short_basis(const char *name, char out[11], int *lossy, int *exact);
/* The basis (base of base_len characters) with "~n" (n >= 1) at the end
 * of a base cut short enough to hold it. */
void fat_short_tail(const char basis[11], int base_len, unsigned n, char out[11]);

/* NULL when name (UTF-8, NUL-terminated) is usable as a long name, else
 * the reason: empty, "." or "..", control characters, one of " * / : < >
 * ? \ |, a trailing dot or space, not UTF-8, over 255 UTF-16 units. */
const char *fat_long_name_check(const char *name);

/* Checksum of an 8.3 name, stored in each of its LFN entries. */
uint8_t fat_lfn_checksum(const char short_name[11]);
/* LFN entry number `part` (1-based) of the long name u[0..ulen): its 13
 * units, a 0x0000 after the last unit, 0xFFFF padding after that. */
void fat_lfn_pack(struct fat_lfn *l, const uint16_t *u, int ulen, int part, int last, uint8_t checksum);
/* The 13 units an LFN entry holds, in order. */
void fat_lfn_unpack(const struct fat_lfn *l, uint16_t out[FAT_LFN_CHARS]);

#endif
