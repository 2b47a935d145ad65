/* A small snprintf for code without libc (see fmt.h for what it accepts).
 *
 * Builds for 64-bit targets, the 32-bit stage2 and the host. 32-bit code
 * has no 64-bit divide instruction and we link no libgcc, so decimal
 * conversion divides by 10 with shifts and one multiply instead of '/'. */
#include "fmt.h"

#include <stdint.h>

/* Output cursor: counts every byte, stores only what fits (leaving room
 * for the terminating NUL). */
struct out {
    char *buf;
    size_t cap;   /* bytes we may store, NUL excluded */
    size_t len;   /* bytes produced so far */
};

static void put(struct out *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len] = c;
    o->len++;
}

static void put_n(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* v / 10 without a division instruction (exact for all 64-bit v). */
static uint64_t div10(uint64_t v, unsigned *rem)
{
    uint64_t q = (v >> 1) + (v >> 2);
    q += q >> 4;
    q += q >> 8;
    q += q >> 16;
    q += q >> 32;
    q >>= 3;
    uint64_t r = v - q * 10;
    while (r > 9) { /* the estimate is at most one short */
        q++;
        r -= 10;
    }
    *rem = (unsigned)r;
    return q;
}

/* Writes the digits of v in base 10 or 16 into tmp (backwards); returns
 * the count. v == 0 gives "0". */
static int digits(uint64_t v, int base, int upper, char tmp[24])
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        if (base == 16) {
            tmp[n++] = set[v & 15];
            v >>= 4;
        } else {
            unsigned r;
            v = div10(v, &r);
            tmp[n++] = set[r];
        }
    } while (v);
    return n;
}

struct spec {
    int left;      /* '-' */
    int zero;      /* '0' */
    int plus;      /* '+' */
    int space;     /* ' ' */
    int alt;       /* '#' */
    int width;     /* -1: none */
    int prec;      /* -1: none */
};

static void emit_str(struct out *o, const char *s, const struct spec *sp)
{
    if (!s)
        s = "(null)";
    int len = 0;
    while (s[len] && (sp->prec < 0 || len < sp->prec))
        len++;
    int pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left)
        put_n(o, ' ', pad);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (sp->left)
        put_n(o, ' ', pad);
}

/* One integer: sign/prefix, precision zeros, width padding. */
static void emit_int(struct out *o, uint64_t mag, int neg, int base, int upper,
                     const struct spec *sp, const char *prefix)
{
    char tmp[24];
    int n = digits(mag, base, upper, tmp);
    if (sp->prec == 0 && mag == 0)
        n = 0; /* printf: "%.0d" of 0 prints nothing */
    char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
    int plen = 0;
    while (prefix && prefix[plen])
        plen++;
    int zeros = sp->prec > n ? sp->prec - n : 0;
    int body = (sign ? 1 : 0) + plen + zeros + n;
    int pad = sp->width > body ? sp->width - body : 0;
    /* '0' pads between sign/prefix and digits, unless '-' or a precision */
    if (sp->zero && !sp->left && sp->prec < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left)
        put_n(o, ' ', pad);
    if (sign)
        put(o, sign);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    put_n(o, '0', zeros);
    while (n > 0)
        put(o, tmp[--n]);
    if (sp->left)
        put_n(o, ' ', pad);
}

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n ? n - 1 : 0, 0 };

    while (*fmt) {
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        const char *start = fmt++;
        struct spec sp = { 0, 0, 0, 0, 0, -1, -1 };

        for (;; fmt++) {
            if (*fmt == '-') sp.left = 1;
            else if (*fmt == '0') sp.zero = 1;
            else if (*fmt == '+') sp.plus = 1;
            else if (*fmt == ' ') sp.space = 1;
            else if (*fmt == '#') sp.alt = 1;
            else break;
        }
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = 1;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9') {
                sp.width = (sp.width < 0 ? 0 : sp.width) * 10 + (*fmt++ - '0');
            }
        }
        if (*fmt == '.') {
            fmt++;
            sp.prec = 0;
            if (*fmt == '*') {
                sp.prec = va_arg(ap, int);
                if (sp.prec < 0)
                    sp.prec = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    sp.prec = sp.prec * 10 + (*fmt++ - '0');
            }
        }

        /* length: 0 int, 1 char, 2 short, 3 long, 4 long long, 5 size_t */
        int lm = 0;
        if (*fmt == 'h') {
            lm = 2; fmt++;
            if (*fmt == 'h') { lm = 1; fmt++; }
        } else if (*fmt == 'l') {
            lm = 3; fmt++;
            if (*fmt == 'l') { lm = 4; fmt++; }
        } else if (*fmt == 'z') {
            lm = 5; fmt++;
        }

        char conv = *fmt;
        if (conv)
            fmt++;
        switch (conv) {
        case '%':
            put(&o, '%');
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            int pad = sp.width > 1 ? sp.width - 1 : 0;
            if (!sp.left) put_n(&o, ' ', pad);
            put(&o, c);
            if (sp.left) put_n(&o, ' ', pad);
            break;
        }
        case 's':
            emit_str(&o, va_arg(ap, const char *), &sp);
            break;
        case 'd':
        case 'i': {
            int64_t v;
            switch (lm) {
            case 1: v = (signed char)va_arg(ap, int); break;
            case 2: v = (short)va_arg(ap, int); break;
            case 3: v = va_arg(ap, long); break;
            case 4: v = va_arg(ap, long long); break;
            case 5: v = (int64_t)(intptr_t)va_arg(ap, size_t); break; /* ssize_t */
            default: v = va_arg(ap, int); break;
            }
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            emit_int(&o, mag, v < 0, 10, 0, &sp, 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v;
            switch (lm) {
            case 1: v = (unsigned char)va_arg(ap, unsigned); break;
            case 2: v = (unsigned short)va_arg(ap, unsigned); break;
            case 3: v = va_arg(ap, unsigned long); break;
            case 4: v = va_arg(ap, unsigned long long); break;
            case 5: v = va_arg(ap, size_t); break;
            default: v = va_arg(ap, unsigned); break;
            }
            struct spec usp = sp;
            usp.plus = usp.space = 0; /* signs are for signed conversions */
            const char *prefix = 0;
            if (conv != 'u' && sp.alt && v != 0)
                prefix = conv == 'X' ? "0X" : "0x";
            emit_int(&o, v, 0, conv == 'u' ? 10 : 16, conv == 'X', &usp, prefix);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            struct spec psp = sp;
            psp.plus = psp.space = 0;
            emit_int(&o, v, 0, 16, 0, &psp, "0x");
            break;
        }
        default:
            /* Unknown or truncated conversion: copy it through verbatim so
             * the mistake is visible in the output. */
            while (start < fmt)
                put(&o, *start++);
            break;
        }
    }

    if (n)
        buf[o.len < o.cap ? o.len : o.cap] = '\0';
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = fmt_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
