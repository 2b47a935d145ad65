/* FAT names (see fat_name.h). */
#include "fat_name.h"
#include "fat.h"
#include "mem.h"
#include "utf8.h"

int fat_name_iequal(const char *a, size_t alen, const char *b, size_t blen)
{
    /* hy_strncasecmp folds exactly as fat_fold does (ASCII only). */
    return alen == blen && hy_strncasecmp(a, b, alen) == 0;
}

int fat_short_char_ok(uint8_t c)
{
    static const char extra[] = "$%'-_@~`!(){}^#&";
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    for (const char *p = extra; *p; p++)
        if ((uint8_t)*p == c)
            return 1;
    return 0;
}

static char lower(char c, int yes) { return (yes && c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

int fat_short_to_text(const char name[11], uint8_t nt_flags, char out[13])
{
    int n = 0;
    for (int i = 0; i < 8 && name[i] != ' '; i++) {
        char c = name[i];
        if (i == 0 && (uint8_t)c == 0x05)
            c = (char)0xe5;
        out[n++] = lower(c, nt_flags & FAT_NT_LOWER_BASE);
    }
    if (name[8] != ' ') {
        out[n++] = '.';
        for (int i = 8; i < 11 && name[i] != ' '; i++)
            out[n++] = lower(name[i], nt_flags & FAT_NT_LOWER_EXT);
    }
    out[n] = 0;
    return n;
}

/* One part (base or extension) into at most max characters. */
static int basis_part(const char *s, const char *end, char *out, int max, int *lossy)
{
    int n = 0;
    while (s < end) {
        uint8_t c = (uint8_t)*s++;
        char o;
        if (c >= 0x80) {
            while (s < end && ((uint8_t)*s & 0xc0) == 0x80)
                s++;
            o = '_';
            *lossy = 1;
        } else if (c == ' ' || c == '.') {
            *lossy = 1;
            continue;
        } else {
            c = (uint8_t)fat_fold(c);
            o = (char)c;
            if (!fat_short_char_ok(c)) {
                o = '_';
                *lossy = 1;
            }
        }
        if (n < max)
            out[n++] = o;
        else
            *lossy = 1;
    }
    return n;
}

int fat_short_basis(const char *name, char out[11], int *lossy, int *exact)
{
    const char *s = name;
    *lossy = 0;
    while (*s == '.') {             /* ".bashrc" would leave an empty base */
        s++;
        *lossy = 1;
    }
    const char *end = s + strlen(s), *dot = 0;
    for (const char *p = s; p < end; p++)
        if (*p == '.')
            dot = p;
    memset(out, ' ', 11);
    int nb = basis_part(s, dot ? dot : end, out, 8, lossy);
    if (dot)
        basis_part(dot + 1, end, out + 8, 3, lossy);
    if (nb == 0) {
        out[0] = '_';
        nb = 1;
        *lossy = 1;
    }
    char text[13];
    int n = fat_short_to_text(out, 0, text);
    *exact = !*lossy && (size_t)n == strlen(name) && memcmp(text, name, (size_t)n) == 0;
    return nb;
}

void fat_short_tail(const char basis[11], int base_len, unsigned n, char out[11])
{
    char tail[8];
    int tl = 0;
    char digits[8];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n && nd < 7);
    tail[tl++] = '~';
    while (nd)
        tail[tl++] = digits[--nd];
    int keep = base_len < 8 - tl ? base_len : 8 - tl;
    memcpy(out, basis, 11);
    memset(out, ' ', 8);
    memcpy(out, basis, (size_t)keep);
    memcpy(out + keep, tail, (size_t)tl);
}

const char *fat_long_name_check(const char *name)
{
    size_t len = strlen(name);
    if (!len)
        return "empty file name";
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return "\".\" and \"..\" cannot be file names";
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)name[i];
        if (c < 0x20 || c == 0x7f)
            return "control character in file name";
        if (strchr("\"*/:<>?\\|", c))
            return "character not allowed in FAT names (one of \" * / : < > ? \\ |)";
    }
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return "FAT names cannot end with a dot or a space";
    uint16_t u[FAT_NAME_MAX];
    if (utf8_to_utf16(name, len, u, FAT_NAME_MAX) < 0)
        return "file name is not valid UTF-8 or longer than 255 characters";
    return 0;
}

uint8_t fat_lfn_checksum(const char short_name[11])
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + (uint8_t)short_name[i]);
    return sum;
}

void fat_lfn_pack(struct fat_lfn *l, const uint16_t *u, int ulen, int part, int last, uint8_t checksum)
{
    uint16_t ch[FAT_LFN_CHARS];
    for (int k = 0; k < FAT_LFN_CHARS; k++) {
        int idx = (part - 1) * FAT_LFN_CHARS + k;
        ch[k] = idx < ulen ? u[idx] : idx == ulen ? 0x0000 : 0xffff;
    }
    memset(l, 0, sizeof *l);
    l->order = (uint8_t)(part | (last ? FAT_LFN_LAST : 0));
    l->attr = FAT_ATTR_LFN;
    l->checksum = checksum;
    memcpy(l->name1, ch, sizeof l->name1);
    memcpy(l->name2, ch + 5, sizeof l->name2);
    memcpy(l->name3, ch + 11, sizeof l->name3);
}

void fat_lfn_unpack(const struct fat_lfn *l, uint16_t out[FAT_LFN_CHARS])
{
    memcpy(out, l->name1, sizeof l->name1);
    memcpy(out + 5, l->name2, sizeof l->name2);
    memcpy(out + 11, l->name3, sizeof l->name3);
}
