/* Long and short (8.3) names on FAT. A short name is derived the way
 * Windows does it: upper case, characters 8.3 cannot hold become '_',
 * spaces and extra dots dropped, and a numeric tail "~N" whenever that
 * lost information or the name is already taken in the folder. */
#include "mk_fat.h"

#include <stdio.h>
#include <string.h>

int mk_utf8_to_utf16(const char *s, uint16_t *out, size_t max)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c;
        int more;
        if (p[0] < 0x80) { c = p[0]; more = 0; }
        else if ((p[0] & 0xe0) == 0xc0) { c = p[0] & 0x1f; more = 1; }
        else if ((p[0] & 0xf0) == 0xe0) { c = p[0] & 0x0f; more = 2; }
        else if ((p[0] & 0xf8) == 0xf0) { c = p[0] & 0x07; more = 3; }
        else return -1;
        p++;
        for (int i = 0; i < more; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return -1;
            c = c << 6 | (*p & 0x3f);
        }
        /* Overlong forms, surrogates and out-of-range values are not UTF-8. */
        static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
        if (c < min[more] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return -1;
        if (c >= 0x10000) {
            if (n + 2 > max)
                return -1;
            c -= 0x10000;
            out[n++] = (uint16_t)(0xd800 | (c >> 10));
            out[n++] = (uint16_t)(0xdc00 | (c & 0x3ff));
        } else {
            if (n + 1 > max)
                return -1;
            out[n++] = (uint16_t)c;
        }
    }
    return (int)n;
}

const char *mk_fat_name_check(const char *name)
{
    if (!*name)
        return "empty file name";
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return "\".\" and \"..\" cannot be file names";
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            return "control character in file name";
        if (strchr("\"*/:<>?\\|", c))
            return "character not allowed in FAT names (one of \" * / : < > ? \\ |)";
    }
    size_t len = strlen(name);
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return "FAT names cannot end with a dot or a space";
    uint16_t u[FAT_NAME_MAX];
    if (mk_utf8_to_utf16(name, u, FAT_NAME_MAX) < 0)
        return "file name is not valid UTF-8 or longer than 255 characters";
    return NULL;
}

/* Characters an 8.3 name may hold besides A-Z and 0-9. */
static int short_ok(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("$%'-_@~`!(){}^#&", c);
}

/* Converts one part (base or extension) into at most max characters;
 * sets *lossy when anything was dropped or replaced. */
static int convert_part(const char *s, const char *end, char *out, int max, int *lossy)
{
    int n = 0;
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        char o;
        if (c >= 0x80) {
            /* One '_' per code point: skip its continuation bytes. */
            s++;
            while (s < end && ((unsigned char)*s & 0xc0) == 0x80)
                s++;
            o = '_';
            *lossy = 1;
        } else {
            s++;
            if (c == ' ' || c == '.') {
                *lossy = 1;
                continue;
            }
            if (c >= 'a' && c <= 'z')
                c = (unsigned char)(c - 'a' + 'A');
            if (short_ok(c)) {
                o = (char)c;
            } else {
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

int mk_fat_short_name(const char *name, mk_fat_taken_fn taken, void *ctx, char out[11])
{
    char base[8], ext[3];
    int lossy = 0;
    const char *s = name;
    /* Leading dots would make an empty base ("".bashrc" -> "BASHRC"). */
    while (*s == '.') {
        s++;
        lossy = 1;
    }
    const char *end = s + strlen(s);
    const char *dot = strrchr(s, '.');
    int nb = convert_part(s, dot ? dot : end, base, 8, &lossy);
    int ne = dot ? convert_part(dot + 1, end, ext, 3, &lossy) : 0;
    if (nb == 0) {
        base[0] = '_';
        nb = 1;
        lossy = 1;
    }

    memset(out, ' ', 11);
    memcpy(out, base, (size_t)nb);
    memcpy(out + 8, ext, (size_t)ne);

    /* Does the short name spell the long name exactly (same case)? */
    char spelled[13];
    int k = 0;
    for (int i = 0; i < nb; i++)
        spelled[k++] = base[i];
    if (ne) {
        spelled[k++] = '.';
        for (int i = 0; i < ne; i++)
            spelled[k++] = ext[i];
    }
    spelled[k] = 0;
    int exact = !lossy && strcmp(spelled, name) == 0;

    if (!lossy && !taken(ctx, out))
        return exact ? 0 : 1;

    for (unsigned n = 1; n <= 999999; n++) {
        char tail[8];
        int tl = snprintf(tail, sizeof tail, "~%u", n);
        int keep = nb < 8 - tl ? nb : 8 - tl;
        memset(out, ' ', 8);
        memcpy(out, base, (size_t)keep);
        memcpy(out + keep, tail, (size_t)tl);
        if (!taken(ctx, out))
            return 1;
    }
    return -1;   /* a million names alike in one folder */
}
