/* mkimage --inspect IMAGE: an independent, read-only check of a disk image
 * or block device. It walks the image the way the firmware and hyboot's
 * loaders do (MBR and stage1 -> stage2 for BIOS; protective MBR -> GPT ->
 * ESP -> BOOTX64.EFI for UEFI; both -> boot.cfg -> kernel) using only
 * common/ code, and says which firmware path a problem breaks.
 *
 * Output: one section per structure, "PROBLEM:" lines for what breaks a
 * boot or damages the image, "note:" lines for what is unusual but works,
 * then one summary line per firmware path. */
#define _GNU_SOURCE
#include "inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootcfg.h"
#include "crc32.h"
#include "elf.h"
#include "fat.h"
#include "gpt.h"
#include "mbr.h"
#include "sha256.h"

#define SECTOR 512u
#define PATH_BIOS 1
#define PATH_UEFI 2
#define PATH_BOTH (PATH_BIOS | PATH_UEFI)
#define BOOTCFG_MAX_BYTES (64u * 1024)
#define LIST_MAX_LINES 40
#define REASON_MAX 200

static const char *const path_name[2] = { "BIOS", "UEFI" };

struct inspect {
    FILE       *out;
    const char *path;
    int         fd;
    uint64_t    sectors;          /* whole 512-byte sectors in the image */

    int  problems;
    int  broken[2];               /* problems per firmware path */
    char reason[2][REASON_MAX];   /* the first one, for the summary */
    int  installed[2];            /* 1 yes, 0 no, -1 cannot tell */

    uint8_t mbr[SECTOR];
    int     mbr_valid;            /* 55AA present */
    int     stage1;               /* hyboot stage1 patch record found */
    int     mbr_only;             /* a valid MBR without a 0xEE entry */
    struct stage1_patch patch;

    /* The GPT the rest of the checks use: the primary if it is valid,
     * else the backup (what UEFI firmware falls back to). */
    int               gpt_valid;
    int               primary_bad;   /* stage2 reads only the primary */
    struct gpt_header gpt;
    uint8_t          *entries;    /* entry_count * entry_size bytes */

    int      have_esp, have_bios_part;
    uint64_t esp_lba, esp_sectors;
    const char *esp_how;
    uint64_t bios_lba, bios_sectors;

    struct fat_vol vol;
    int            fat_ok;
    int            list_lines, list_more;
};

/* ---- reporting ----------------------------------------------------------- */

static void say(struct inspect *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct inspect *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(in->out, fmt, ap);
    va_end(ap);
}

static void note(struct inspect *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct inspect *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  note: ", in->out);
    vfprintf(in->out, fmt, ap);
    fputc('\n', in->out);
    va_end(ap);
}

/* A problem; `paths` says which firmware paths it breaks (0: it damages
 * the image without stopping either boot, e.g. a bad backup GPT). */
static void problem(struct inspect *in, int paths, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(struct inspect *in, int paths, const char *fmt, ...)
{
    char msg[REASON_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(in->out, "  PROBLEM%s: %s\n",
            paths == PATH_BOTH ? " (BIOS+UEFI)" : paths == PATH_BIOS ? " (BIOS)" :
            paths == PATH_UEFI ? " (UEFI)" : "", msg);
    in->problems++;
    for (int p = 0; p < 2; p++) {
        if (!(paths & (1 << p)))
            continue;
        if (!in->broken[p]++)
            snprintf(in->reason[p], sizeof in->reason[p], "%s", msg);
    }
}

static void human(uint64_t bytes, char *buf, size_t len)
{
    static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB" };
    int u = 0;
    uint64_t whole = bytes, rem = 0;
    while (whole >= 1024 && u < 5) {
        rem = whole % 1024;
        whole /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%" PRIu64 " bytes", bytes);
    else if (rem)
        snprintf(buf, len, "%.1f %s", (double)whole + (double)rem / 1024, unit[u]);
    else
        snprintf(buf, len, "%" PRIu64 " %s", whole, unit[u]);
}

/* ---- reading ------------------------------------------------------------- */

/* Reads whole sectors with pread (no seeking state, works on a block
 * device). Returns 0, or an errno-style code; reading past the end of the
 * image is ERANGE. */
static int read_sectors(struct inspect *in, uint64_t lba, uint32_t count, void *buf)
{
    if (lba > in->sectors || count > in->sectors - lba)
        return ERANGE;
    uint8_t *p = buf;
    size_t left = (size_t)count * SECTOR;
    off_t off = (off_t)(lba * SECTOR);
    while (left) {
        ssize_t n = pread(in->fd, p, left, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno ? errno : EIO;
        if (n == 0)
            return ERANGE;
        p += n;
        off += n;
        left -= (size_t)n;
    }
    return 0;
}

static int fat_reader(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    return read_sectors(ctx, lba, count, buf);
}

static const char *read_error(int rc)
{
    return rc == ERANGE ? "beyond the end of the image" : strerror(rc);
}

/* ---- the image ----------------------------------------------------------- */

static int open_image(struct inspect *in)
{
    in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0) {
        /* The tool's error format, on stderr like every other mkimage error. */
        fprintf(stderr, "mkimage: error: %s: cannot open: %s\n", in->path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(in->fd, &st) < 0 || S_ISDIR(st.st_mode)) {
        fprintf(stderr, "mkimage: error: %s: not an image file or block device\n", in->path);
        return -1;
    }
    off_t end = lseek(in->fd, 0, SEEK_END);
    uint64_t bytes = end > 0 ? (uint64_t)end : 0;
    if (S_ISBLK(st.st_mode) && bytes == 0) {
        uint64_t dev_bytes = 0;
        if (ioctl(in->fd, BLKGETSIZE64, &dev_bytes) == 0)
            bytes = dev_bytes;
    }
    in->sectors = bytes / SECTOR;

    char size[40] = "";
    if (bytes >= 1024) {
        size[0] = ' ';
        size[1] = '(';
        human(bytes, size + 2, sizeof size - 3);
        strcat(size, ")");
    }
    say(in, "image %s: %" PRIu64 " bytes%s, %" PRIu64 " sectors of 512%s\n", in->path, bytes,
        size, in->sectors, S_ISBLK(st.st_mode) ? ", block device" : "");
    if (S_ISBLK(st.st_mode)) {
        int lsz = 0;
        if (ioctl(in->fd, BLKSSZGET, &lsz) == 0 && lsz != (int)SECTOR)
            problem(in, PATH_BOTH, "the device has %d-byte logical sectors; the image is laid out "
                    "for 512 (firmware looks for the GPT at byte %d and will not find it)", lsz, lsz);
    }
    if (bytes % SECTOR)
        note(in, "size is not a multiple of 512; the last %u bytes are ignored", (unsigned)(bytes % SECTOR));
    if (in->sectors < 68) {
        problem(in, PATH_BOTH, "too small to hold an MBR and two GPTs");
        return -1;
    }
    return 0;
}

/* ---- MBR and stage1 ------------------------------------------------------ */

static const char *mbr_type_name(uint8_t t)
{
    switch (t) {
    case MBR_TYPE_GPT_PROTECT: return "GPT protective";
    case MBR_TYPE_EFI_SYSTEM:  return "EFI system";
    case MBR_TYPE_FAT32_LBA:   return "FAT32 LBA";
    case 0x0b:                 return "FAT32 CHS";
    case 0x06: case 0x0e:      return "FAT16";
    case 0x01:                 return "FAT12";
    default:                   return "other";
    }
}

static void chs_text(const uint8_t c[3], char *buf, size_t len)
{
    unsigned cyl = (unsigned)c[2] | ((unsigned)(c[1] & 0xc0) << 2);
    snprintf(buf, len, "%u/%u/%u", cyl, c[0], c[1] & 0x3f);
}

/* Whether a CHS triple describes `lba` under a geometry tools commonly use
 * (255 or 64 or 16 heads x 63 or 32 sectors), or is the saturated value
 * for addresses beyond 1024 cylinders, or is left empty (all zero). */
static int chs_plausible(const uint8_t c[3], uint64_t lba)
{
    static const unsigned geo[][2] = { { 255, 63 }, { 64, 32 }, { 16, 63 } };
    unsigned cyl = (unsigned)c[2] | ((unsigned)(c[1] & 0xc0) << 2), head = c[0], sec = c[1] & 0x3f;
    if (!c[0] && !c[1] && !c[2])
        return 1;
    for (unsigned g = 0; g < sizeof geo / sizeof geo[0]; g++) {
        uint64_t H = geo[g][0], S = geo[g][1];
        if (lba >= 1024 * H * S) {
            if (cyl == 1023 && sec == S && (head == H - 1 || head == 254 || head == 255))
                return 1;
            continue;
        }
        if (cyl == lba / (H * S) && head == (lba / S) % H && sec == lba % S + 1)
            return 1;
    }
    return 0;
}

static struct mbr_part mbr_entry(const struct inspect *in, int i)
{
    struct mbr_part p;
    memcpy(&p, in->mbr + MBR_TABLE_OFFSET + 16 * i, sizeof p);
    return p;
}

static void check_mbr(struct inspect *in)
{
    say(in, "\nMBR (LBA 0)\n");
    int rc = read_sectors(in, 0, 1, in->mbr);
    if (rc) {
        problem(in, PATH_BOTH, "cannot read LBA 0: %s", read_error(rc));
        return;
    }
    in->mbr_valid = in->mbr[MBR_SIG_OFFSET] == 0x55 && in->mbr[MBR_SIG_OFFSET + 1] == 0xaa;
    uint32_t disk_sig;
    memcpy(&disk_sig, in->mbr + MBR_DISK_SIG_OFFSET, 4);
    say(in, "  boot signature %s, disk signature 0x%08" PRIx32 "\n", in->mbr_valid ? "55AA ok" : "missing", disk_sig);
    if (!in->mbr_valid)
        problem(in, PATH_BOTH, "no 55AA signature at the end of the MBR: BIOSes skip the disk "
                "and UEFI firmware sees no protective MBR");

    int n_ee = 0, n_other = 0, n_active = 0, ee_active = 0, ee_at_1 = 0;
    for (int i = 0; i < 4; i++) {
        struct mbr_part p = mbr_entry(in, i);
        if (p.type == 0 && p.lba_count == 0)
            continue;
        char a[16], b[16];
        chs_text(p.chs_first, a, sizeof a);
        chs_text(p.chs_last, b, sizeof b);
        say(in, "  entry %d: type 0x%02X (%s)%s, LBA %" PRIu32 " + %" PRIu32 " sectors, CHS %s..%s\n",
            i + 1, p.type, mbr_type_name(p.type), p.status == MBR_ACTIVE ? ", active" : "",
            p.lba_first, p.lba_count, a, b);
        uint64_t last_lba = (uint64_t)p.lba_first + (p.lba_count ? p.lba_count - 1 : 0);
        if (!chs_plausible(p.chs_first, p.lba_first) || !chs_plausible(p.chs_last, last_lba))
            note(in, "MBR entry %d: CHS fields do not match its LBAs under any usual geometry", i + 1);
        if (p.status != 0 && p.status != MBR_ACTIVE)
            problem(in, PATH_BIOS, "MBR entry %d has status 0x%02X (must be 0x00 or 0x80)", i + 1, p.status);
        if (p.status == MBR_ACTIVE)
            n_active++;
        if (p.type == MBR_TYPE_GPT_PROTECT) {
            n_ee++;
            ee_active |= p.status == MBR_ACTIVE;
            ee_at_1 |= p.lba_first == 1;
        } else {
            n_other++;
        }
        if ((uint64_t)p.lba_first + p.lba_count > in->sectors && p.lba_count != 0xffffffffu)
            note(in, "MBR entry %d ends beyond the image (LBA %" PRIu64 " > %" PRIu64 ")", i + 1,
                 (uint64_t)p.lba_first + p.lba_count, in->sectors);
    }
    in->mbr_only = in->mbr_valid && !n_ee;
    if (n_ee && !ee_at_1)
        problem(in, PATH_UEFI, "the 0xEE entry does not start at LBA 1");
    if (n_ee)
        say(in, "  layout: %s MBR\n", n_other ? "hybrid" : "protective");
    else if (in->mbr_valid)
        say(in, "  layout: MBR only (no 0xEE entry; firmware uses these partitions)\n");
    if (ee_active)
        note(in, "the 0xEE entry is marked active: a few BIOSes need that, others refuse the disk");
    else if (!n_active && in->mbr_valid)
        note(in, "no MBR entry is marked active: some BIOSes refuse to boot such a disk");

    /* stage1: hyboot's boot code carries a patch record naming stage2. */
    int code = 0;
    for (int i = 0; i < MBR_CODE_SIZE; i++)
        code |= in->mbr[i];
    if (!code) {
        in->installed[0] = 0;
        say(in, "  boot code: none (no BIOS boot installed)\n");
        return;
    }
    memcpy(&in->patch, in->mbr + STAGE1_PATCH_OFFSET, sizeof in->patch);
    /* mkimage puts a stub that prints this in UEFI-only images. */
    static const char stub_msg[] = "hyboot: no BIOS boot code";
    if (in->patch.magic != STAGE1_PATCH_MAGIC &&
        memmem(in->mbr, MBR_CODE_SIZE, stub_msg, sizeof stub_msg - 1)) {
        in->installed[0] = 0;
        say(in, "  boot code: hyboot's \"no BIOS boot code\" stub (UEFI-only image)\n");
        return;
    }
    in->installed[0] = 1;
    if (in->patch.magic != STAGE1_PATCH_MAGIC) {
        problem(in, PATH_BIOS, "the MBR boot code is not hyboot's stage1 (no HYS1 record at offset %d)",
                STAGE1_PATCH_OFFSET);
        return;
    }
    in->stage1 = 1;
    say(in, "  stage1: hyboot, loads %" PRIu32 " sectors of stage2 from LBA %" PRIu64 "\n",
        in->patch.stage2_sectors, in->patch.stage2_lba);
    if (!(in->mbr[0] == 0xeb && in->mbr[2] == 0x90))
        note(in, "stage1 does not begin with jmp short + nop (BIOSes emulating a floppy may patch a BPB over it)");
}

/* ---- GPT ----------------------------------------------------------------- */

static void gpt_name(const struct gpt_entry *e, char out[37])
{
    int n = 0;
    for (int i = 0; i < 36 && e->name[i]; i++)
        out[n++] = e->name[i] < 0x7f && e->name[i] >= 0x20 ? (char)e->name[i] : '?';
    out[n] = 0;
}

static const uint8_t esp_type[16] = GPT_GUID_ESP;
static const uint8_t bios_type[16] = GPT_GUID_BIOS_BOOT;

/* Reads and checks one GPT header and its entry array. Returns the reason
 * it is unusable, or NULL with *h and a malloc'd *entries filled. */
static const char *load_gpt(struct inspect *in, uint64_t lba, struct gpt_header *h, uint8_t **entries)
{
    static char why[REASON_MAX];
    uint8_t sec[SECTOR];
    *entries = NULL;
    int rc = read_sectors(in, lba, 1, sec);
    if (rc) {
        snprintf(why, sizeof why, "cannot read LBA %" PRIu64 ": %s", lba, read_error(rc));
        return why;
    }
    memcpy(h, sec, sizeof *h);
    const char *bad = gpt_header_check(h, lba);
    if (bad)
        return bad;
    uint32_t bytes = h->entry_count * h->entry_size;
    uint32_t nsec = (bytes + SECTOR - 1) / SECTOR;
    uint8_t *buf = calloc(nsec, SECTOR);
    if (!buf)
        return "out of memory";
    rc = read_sectors(in, h->entries_lba, nsec, buf);
    if (rc) {
        free(buf);
        snprintf(why, sizeof why, "cannot read the entries at LBA %" PRIu64 ": %s", h->entries_lba, read_error(rc));
        return why;
    }
    if (crc32_update(0, buf, bytes) != h->entries_crc32) {
        free(buf);
        return "partition entries CRC mismatch";
    }
    *entries = buf;
    return NULL;
}

static void print_gpt_header(struct inspect *in, const struct gpt_header *h)
{
    char g[37];
    guid_format(h->disk_guid, g);
    say(in, "  header CRC 0x%08" PRIx32 " ok, entries CRC 0x%08" PRIx32 " ok\n", h->header_crc32, h->entries_crc32);
    say(in, "  disk GUID %s\n", g);
    say(in, "  this LBA %" PRIu64 ", other LBA %" PRIu64 ", usable LBAs %" PRIu64 "..%" PRIu64
        ", %" PRIu32 " entries of %" PRIu32 " bytes at LBA %" PRIu64 "\n",
        h->my_lba, h->alternate_lba, h->first_usable_lba, h->last_usable_lba, h->entry_count,
        h->entry_size, h->entries_lba);
}

/* Lists the used entries and checks they make sense together. */
static void check_entries(struct inspect *in)
{
    const struct gpt_header *h = &in->gpt;
    uint32_t n = h->entry_count;
    struct gpt_entry e, o;
    for (uint32_t i = 0; i < n; i++) {
        memcpy(&e, in->entries + (size_t)i * h->entry_size, sizeof e);
        if (guid_is_zero(e.type_guid))
            continue;
        char type[37], uniq[37], name[37], size[32];
        guid_format(e.type_guid, type);
        guid_format(e.unique_guid, uniq);
        gpt_name(&e, name);
        int is_esp = guid_equal(e.type_guid, esp_type), is_bios = guid_equal(e.type_guid, bios_type);
        uint64_t count = e.last_lba >= e.first_lba ? e.last_lba - e.first_lba + 1 : 0;
        human(count * SECTOR, size, sizeof size);
        say(in, "  partition %" PRIu32 ": %s, LBA %" PRIu64 "..%" PRIu64 " (%s), name \"%s\"\n", i + 1,
            is_esp ? "EFI system" : is_bios ? "BIOS boot" : type, e.first_lba, e.last_lba, size, name);
        say(in, "    type %s, GUID %s\n", type, uniq);

        if (e.last_lba < e.first_lba || e.first_lba < h->first_usable_lba || e.last_lba > h->last_usable_lba) {
            problem(in, is_esp ? PATH_BOTH : is_bios ? PATH_BIOS : 0,
                    "partition %" PRIu32 " lies outside the usable LBAs", i + 1);
            continue;
        }
        if (guid_is_zero(e.unique_guid))
            problem(in, 0, "partition %" PRIu32 " has a zero unique GUID", i + 1);
        for (uint32_t j = 0; j < i; j++) {
            memcpy(&o, in->entries + (size_t)j * h->entry_size, sizeof o);
            if (guid_is_zero(o.type_guid))
                continue;
            if (e.first_lba <= o.last_lba && o.first_lba <= e.last_lba)
                problem(in, PATH_BOTH, "partitions %" PRIu32 " and %" PRIu32 " overlap", j + 1, i + 1);
            if (guid_equal(e.unique_guid, o.unique_guid))
                problem(in, 0, "partitions %" PRIu32 " and %" PRIu32 " share a unique GUID", j + 1, i + 1);
        }
        if (is_esp && !in->have_esp) {
            in->have_esp = 1;
            in->esp_lba = e.first_lba;
            in->esp_sectors = count;
            in->esp_how = "GPT";
            if (e.first_lba % 2048)
                note(in, "the ESP does not start on a 1 MiB boundary");
        }
        if (is_bios && !in->have_bios_part) {
            in->have_bios_part = 1;
            in->bios_lba = e.first_lba;
            in->bios_sectors = count;
        }
    }
}

static void check_gpt(struct inspect *in)
{
    uint64_t last = in->sectors - 1;
    struct gpt_header prim, back;
    uint8_t *prim_entries = NULL, *back_entries = NULL;

    if (in->mbr_only) {
        /* Without a 0xEE entry firmware treats the disk as MBR-partitioned
         * and ignores any GPT; only a leftover valid one is worth a word. */
        say(in, "\nGPT: none (MBR-only disk)\n");
        if (!load_gpt(in, 1, &prim, &prim_entries))
            problem(in, PATH_UEFI, "a valid GPT is at LBA 1 but the MBR has no 0xEE entry: firmware ignores the GPT");
        free(prim_entries);
        return;
    }

    say(in, "\nGPT primary (LBA 1)\n");
    const char *pwhy = load_gpt(in, 1, &prim, &prim_entries);
    if (pwhy) {
        /* The stage2 fallback to the MBR only helps BIOS when there is one. */
        problem(in, PATH_UEFI, "primary GPT: %s (firmware may fall back to the backup and rewrite the primary; "
                "some will not find the ESP)", pwhy);
    } else {
        print_gpt_header(in, &prim);
    }

    /* The backup lives where the primary says; without a primary, where it
     * would be on an unresized image: the last LBA. */
    uint64_t alt = pwhy ? last : prim.alternate_lba;
    say(in, "\nGPT backup (LBA %" PRIu64 ")\n", alt);
    const char *bwhy = NULL;
    if (!pwhy && (alt <= prim.last_usable_lba || alt > last)) {
        bwhy = "the primary's alternate LBA is not after the usable area inside the image";
        problem(in, 0, "backup GPT: primary points to LBA %" PRIu64 ", image ends at LBA %" PRIu64
                " (truncated image?)", alt, last);
    } else {
        bwhy = load_gpt(in, alt, &back, &back_entries);
        if (bwhy) {
            problem(in, pwhy ? PATH_UEFI : 0, "backup GPT: %s", bwhy);
        } else {
            print_gpt_header(in, &back);
            if (back.alternate_lba != 1)
                problem(in, 0, "backup GPT points to LBA %" PRIu64 " for the primary, not 1", back.alternate_lba);
            if (back.entries_lba <= back.last_usable_lba || back.entries_lba >= alt)
                problem(in, 0, "backup GPT entries at LBA %" PRIu64 " are not between the usable area and the header",
                        back.entries_lba);
            if (!pwhy) {
                if (!guid_equal(prim.disk_guid, back.disk_guid) || prim.entries_crc32 != back.entries_crc32 ||
                    prim.first_usable_lba != back.first_usable_lba || prim.last_usable_lba != back.last_usable_lba ||
                    prim.entry_count != back.entry_count)
                    problem(in, 0, "backup GPT differs from the primary (disk GUID, usable LBAs or entries)");
                else
                    say(in, "  matches the primary\n");
            }
            if (alt != last)
                note(in, "the backup GPT is at LBA %" PRIu64 ", not at the last LBA %" PRIu64
                     " (image written to a larger disk?): firmware copes, the loaders do not use it; "
                     "'sgdisk -e' moves it", alt, last);
        }
    }

    in->primary_bad = pwhy != NULL;
    if (!pwhy) {
        in->gpt_valid = 1;
        in->gpt = prim;
        in->entries = prim_entries;
        free(back_entries);
        if (prim.entries_lba < 2 || prim.entries_lba + (uint64_t)(prim.entry_count * prim.entry_size + SECTOR - 1) / SECTOR
                                        > prim.first_usable_lba)
            problem(in, 0, "primary GPT entries overlap the usable area");
    } else if (!bwhy) {
        say(in, "  (using the backup for the checks below, as firmware would)\n");
        in->gpt_valid = 1;
        in->gpt = back;
        in->entries = back_entries;
    } else {
        free(back_entries);
        return;
    }
    say(in, "\nGPT partitions\n");
    check_entries(in);
    if (!in->have_esp)
        problem(in, PATH_UEFI, "no EFI system partition in the GPT");
}

/* ---- ESP location and the hybrid MBR -------------------------------------- */

static void locate_esp(struct inspect *in)
{
    /* The hybrid MBR's ESP entry: what stage2 falls back to without a GPT,
     * and what MBR-only systems see. It must agree with the GPT. */
    int mbr_esp = 0;
    for (int i = 0; i < 4 && in->mbr_valid; i++) {
        struct mbr_part p = mbr_entry(in, i);
        if (p.type != MBR_TYPE_EFI_SYSTEM && p.type != MBR_TYPE_FAT32_LBA)
            continue;
        if (!p.lba_first || !p.lba_count)
            continue;
        if (in->have_esp) {
            /* Counts beyond 32 bits are clamped in the MBR. */
            uint64_t want = in->esp_sectors;
            int clamped = want > 0xffffffffu - p.lba_first;
            if (p.lba_first != in->esp_lba || (!clamped && p.lba_count != want) ||
                (clamped && (uint64_t)p.lba_first + p.lba_count < 0xffffffffu))
                problem(in, PATH_BIOS, "MBR entry %d (LBA %" PRIu32 " + %" PRIu32 ") disagrees with the GPT ESP "
                        "(LBA %" PRIu64 " + %" PRIu64 ")", i + 1, p.lba_first, p.lba_count, in->esp_lba, want);
            else if (clamped)
                note(in, "MBR entry %d is clamped to 32-bit LBAs (the ESP is larger)", i + 1);
        } else {
            in->have_esp = 1;
            in->esp_lba = p.lba_first;
            in->esp_sectors = p.lba_count;
            in->esp_how = "MBR";
            if (!in->mbr_only)
                problem(in, PATH_UEFI, "the ESP is found only through MBR entry %d, not the GPT", i + 1);
        }
        if (in->primary_bad)
            note(in, "BIOS stage2 falls back to MBR entry %d for the ESP", i + 1);
        mbr_esp = 1;
        break;
    }
    if (in->primary_bad && !mbr_esp && in->installed[0] != 0)
        problem(in, PATH_BIOS, "stage2 reads only the primary GPT and the MBR has no ESP entry to fall back to");
    if (!in->have_esp)
        problem(in, PATH_BOTH, "no ESP found (neither a GPT nor an MBR entry)");
    if (in->have_esp && in->esp_lba + in->esp_sectors > in->sectors)
        problem(in, PATH_BOTH, "the ESP ends beyond the image (LBA %" PRIu64 " > %" PRIu64 ")",
                in->esp_lba + in->esp_sectors, in->sectors);
}

/* ---- stage2 -------------------------------------------------------------- */

static void check_stage2(struct inspect *in)
{
    if (!in->stage1) {
        if (in->have_bios_part && in->installed[0] == 0)
            note(in, "a BIOS boot partition exists but the MBR has no boot code");
        return;
    }
    say(in, "\nstage2 (LBA %" PRIu64 ", %" PRIu32 " sectors)\n", in->patch.stage2_lba, in->patch.stage2_sectors);
    uint64_t lba = in->patch.stage2_lba, n = in->patch.stage2_sectors;
    if (n == 0 || lba == 0 || lba + n > in->sectors) {
        problem(in, PATH_BIOS, "stage1's record points outside the image");
        return;
    }
    if (in->have_bios_part) {
        if (lba < in->bios_lba || lba + n > in->bios_lba + in->bios_sectors)
            problem(in, PATH_BIOS, "stage2 (LBA %" PRIu64 "..%" PRIu64 ") is not inside the BIOS boot partition "
                    "(LBA %" PRIu64 "..%" PRIu64 ")", lba, lba + n - 1, in->bios_lba, in->bios_lba + in->bios_sectors - 1);
    } else if (in->gpt_valid) {
        problem(in, 0, "no BIOS boot partition in the GPT: nothing keeps other tools off stage2");
    }
    if (in->have_esp && lba < in->esp_lba + in->esp_sectors && in->esp_lba < lba + n)
        problem(in, PATH_BOTH, "stage2 overlaps the ESP");

    uint8_t sec[SECTOR];
    int rc = read_sectors(in, lba, 1, sec);
    if (rc) {
        problem(in, PATH_BIOS, "cannot read stage2: %s", read_error(rc));
        return;
    }
    struct stage2_header h;
    memcpy(&h, sec, sizeof h);
    if (memcmp(h.magic, STAGE2_MAGIC, sizeof h.magic) != 0) {
        problem(in, PATH_BIOS, "no stage2 at LBA %" PRIu64 " (the \"" STAGE2_MAGIC "\" signature is missing)", lba);
        return;
    }
    say(in, "  signature " STAGE2_MAGIC " ok, %" PRIu32 " bytes\n", h.size);
    if (h.size == 0 || h.size > n * SECTOR)
        problem(in, PATH_BIOS, "stage2 says it is %" PRIu32 " bytes but stage1 loads only %" PRIu64, h.size, n * SECTOR);
    if (h.size > STAGE2_MAX_SIZE || n * SECTOR > STAGE2_MAX_SIZE)
        problem(in, PATH_BIOS, "stage2 is larger than the %u bytes below the EBDA", (unsigned)STAGE2_MAX_SIZE);
}

/* ---- FAT and files -------------------------------------------------------- */

struct walk {
    struct inspect *in;
    char dir[512];
};

static int walk_cb(void *ctx, const char *name, const struct fat_file *f)
{
    struct walk *w = ctx;
    struct inspect *in = w->in;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", strcmp(w->dir, "/") ? w->dir : "", name);
    if (f->attr & FAT_ATTR_DIRECTORY) {
        if (strlen(path) >= sizeof w->dir)
            return 0;
        struct walk sub = { in, "" };
        snprintf(sub.dir, sizeof sub.dir, "%s", path);
        /* Host only: recursion over directory depth is fine here; fat.c itself never recurses. */
        int rc = fat_list(&in->vol, sub.dir, walk_cb, &sub);
        if (rc < 0)
            problem(in, 0, "%s: %s", sub.dir, fat_strerror(rc));
        return 0;
    }
    if (in->list_lines < LIST_MAX_LINES) {
        say(in, "  %10" PRIu32 "  %s\n", f->size, path);
        in->list_lines++;
    } else {
        in->list_more++;
    }
    return 0;
}

static void fat_label(struct inspect *in, char label[12])
{
    uint8_t sec[SECTOR];
    label[0] = 0;
    if (read_sectors(in, in->esp_lba, 1, sec))
        return;
    struct fat_ext_tail t;
    memcpy(&t, sec + FAT_TAIL_OFFSET(in->vol.type), sizeof t);
    if (t.boot_sig != FAT_EXT_BOOT_SIG)
        return;
    const char *l = t.volume_label;
    int n = 11;
    memcpy(label, l, 11);
    while (n > 0 && label[n - 1] == ' ')
        n--;
    label[n] = 0;
}

static void check_fat(struct inspect *in)
{
    if (!in->have_esp)
        return;
    say(in, "\nESP file system (LBA %" PRIu64 ", from the %s)\n", in->esp_lba, in->esp_how);
    int rc = fat_mount(&in->vol, fat_reader, in, in->esp_lba);
    if (rc) {
        if (rc == FAT_EIO)
            problem(in, PATH_BOTH, "cannot read the ESP boot sector: %s", read_error(in->vol.last_error));
        else
            problem(in, PATH_BOTH, "the ESP does not hold a FAT file system the loaders can read: %s", fat_strerror(rc));
        return;
    }
    in->fat_ok = 1;
    char label[12], csize[32], vsize[32];
    fat_label(in, label);
    human((uint64_t)in->vol.sectors_per_cluster * SECTOR, csize, sizeof csize);
    human(in->vol.total_sectors * SECTOR, vsize, sizeof vsize);
    say(in, "  FAT%d, cluster size %s, %" PRIu32 " clusters, %s, label \"%s\"\n", in->vol.type, csize,
        in->vol.clusters, vsize, label);
    if (in->vol.total_sectors > in->esp_sectors)
        problem(in, PATH_BOTH, "the FAT volume (%" PRIu64 " sectors) is larger than its partition (%" PRIu64 ")",
                in->vol.total_sectors, in->esp_sectors);
    else if (in->esp_sectors - in->vol.total_sectors >= 2048) {
        char psize[32];
        human(in->esp_sectors * SECTOR, psize, sizeof psize);
        note(in, "the FAT volume covers %s of the %s partition", vsize, psize);
    }
    if (in->esp_sectors * SECTOR < 8ull << 20)
        note(in, "ESP smaller than 8 MiB: some firmware infers the FAT type from the size and refuses it");
    else if (in->vol.type == 32 && in->esp_sectors * SECTOR < 33ull << 20)
        note(in, "FAT32 ESP smaller than 33 MiB: some firmware reads it as FAT16");

    say(in, "  files:\n");
    struct walk w = { in, "/" };
    rc = fat_list(&in->vol, "/", walk_cb, &w);
    if (rc < 0)
        problem(in, PATH_BOTH, "cannot list the ESP root directory: %s", fat_strerror(rc));
    if (in->list_more)
        say(in, "  ... and %d more\n", in->list_more);
}

/* Reads a whole file; NULL (and a problem for `paths`) on failure. */
static uint8_t *read_whole(struct inspect *in, const char *path, const struct fat_file *f, int paths)
{
    uint8_t *buf = malloc(f->size ? f->size : 1);
    if (!buf) {
        problem(in, paths, "%s: out of memory (%" PRIu32 " bytes)", path, f->size);
        return NULL;
    }
    int rc = fat_read_file(&in->vol, f, buf, f->size, 0);
    if (rc) {
        if (rc == FAT_EIO)
            problem(in, paths, "%s: read error at LBA %" PRIu64 ": %s", path, in->vol.last_error_lba,
                    read_error(in->vol.last_error));
        else
            problem(in, paths, "%s: %s", path, fat_strerror(rc));
        free(buf);
        return NULL;
    }
    return buf;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

static void check_efi(struct inspect *in)
{
    static const char efi_path[] = "/EFI/BOOT/BOOTX64.EFI";
    struct fat_file f, dir;
    int rc = fat_open(&in->vol, efi_path, &f);
    if (rc == FAT_ENOENT || rc == FAT_ENOTDIR) {
        /* A BIOS-only image has no /EFI at all; a missing loader next to
         * an /EFI folder is damage. */
        if (fat_open(&in->vol, "/EFI", &dir) == FAT_OK) {
            in->installed[1] = 1;
            problem(in, PATH_UEFI, "%s is missing: UEFI firmware has nothing to start", efi_path);
        } else {
            in->installed[1] = 0;
        }
        return;
    }
    in->installed[1] = 1;
    if (rc) {
        problem(in, PATH_UEFI, "%s: %s", efi_path, fat_strerror(rc));
        return;
    }
    if (f.attr & FAT_ATTR_DIRECTORY) {
        problem(in, PATH_UEFI, "%s is a directory", efi_path);
        return;
    }
    uint8_t *pe = read_whole(in, efi_path, &f, PATH_UEFI);
    if (!pe)
        return;
    /* MZ stub -> "PE\0\0" -> x86-64 machine, PE32+ optional header, EFI application. */
    const char *why = NULL;
    uint32_t pe_off = f.size >= 0x40 ? get32(pe + 0x3c) : 0;
    if (f.size < 0x40 || pe[0] != 'M' || pe[1] != 'Z')
        why = "no MZ header";
    else if (pe_off > f.size || f.size - pe_off < 24 + 70 || memcmp(pe + pe_off, "PE\0\0", 4) != 0)
        why = "no PE signature";
    else if (get16(pe + pe_off + 4) != 0x8664)
        why = "not an x86-64 PE image";
    else if (get16(pe + pe_off + 24) != 0x20b)
        why = "not PE32+";
    else if (get16(pe + pe_off + 24 + 68) != 10)
        why = "subsystem is not EFI application";
    if (why)
        problem(in, PATH_UEFI, "%s: %s", efi_path, why);
    else
        say(in, "  %s: PE32+ x86-64 EFI application, %" PRIu32 " bytes\n", efi_path, f.size);
    free(pe);
}

static void check_boot_files(struct inspect *in)
{
    if (!in->fat_ok)
        return;
    say(in, "\nboot files\n");
    check_efi(in);

    struct boot_cfg *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return;
    bootcfg_defaults(cfg);
    struct fat_file f;
    int rc = fat_open(&in->vol, BOOTCFG_PATH, &f);
    if (rc == FAT_ENOENT) {
        note(in, "no %s: the loaders use the defaults (kernel=%s, no hash check)", BOOTCFG_PATH, cfg->kernel);
    } else if (rc) {
        problem(in, PATH_BOTH, "%s: %s", BOOTCFG_PATH, fat_strerror(rc));
    } else if (f.attr & FAT_ATTR_DIRECTORY || f.size > BOOTCFG_MAX_BYTES) {
        problem(in, PATH_BOTH, "%s is a directory or larger than %u bytes", BOOTCFG_PATH, BOOTCFG_MAX_BYTES);
    } else {
        uint8_t *text = read_whole(in, BOOTCFG_PATH, &f, PATH_BOTH);
        if (text) {
            const char *why = NULL;
            int line = bootcfg_parse(cfg, (const char *)text, f.size, &why);
            if (line)
                problem(in, PATH_BOTH, "%s line %d: %s (both loaders refuse it)", BOOTCFG_PATH, line, why);
            else
                say(in, "  %s: %" PRIu32 " bytes, kernel=%s cmdline=\"%s\"%s\n", BOOTCFG_PATH, f.size, cfg->kernel,
                    cfg->cmdline, cfg->has_sha256 ? ", kernel_sha256 set" : "");
            free(text);
        }
    }

    rc = fat_open(&in->vol, cfg->kernel, &f);
    if (rc || (f.attr & FAT_ATTR_DIRECTORY)) {
        problem(in, PATH_BOTH, "kernel %s: %s", cfg->kernel, rc ? fat_strerror(rc) : "is a directory");
        free(cfg);
        return;
    }
    uint8_t *k = read_whole(in, cfg->kernel, &f, PATH_BOTH);
    if (k) {
        uint8_t digest[SHA256_LEN];
        char hex[2 * SHA256_LEN + 1];
        sha256(k, f.size, digest);
        sha256_hex(digest, hex);
        say(in, "  kernel %s: %" PRIu32 " bytes, SHA-256 %s\n", cfg->kernel, f.size, hex);
        if (!cfg->has_sha256) {
            note(in, "boot.cfg has no kernel_sha256: the loaders will not verify the kernel");
        } else if (memcmp(digest, cfg->kernel_sha256, SHA256_LEN) != 0) {
            char want[2 * SHA256_LEN + 1];
            sha256_hex(cfg->kernel_sha256, want);
            problem(in, PATH_BOTH, "kernel %s does not match boot.cfg's kernel_sha256 (%.16s...): "
                    "both loaders refuse to boot it", cfg->kernel, want);
        } else {
            say(in, "  kernel hash matches boot.cfg\n");
        }
        struct elf_plan *plan = calloc(1, sizeof *plan);
        const char *why = plan ? elf_plan(k, f.size, plan) : "out of memory";
        if (why)
            problem(in, PATH_BOTH, "kernel %s: %s", cfg->kernel, why);
        else
            say(in, "  kernel ELF: %" PRIu32 " loadable segments, entry 0x%" PRIx64 ", %" PRIu64 " KiB at 0x%" PRIx64 "\n",
                plan->nseg, plan->entry, plan->span / 1024, plan->vbase);
        free(plan);
        free(k);
    }
    free(cfg);
}

/* ---- summary -------------------------------------------------------------- */

static void summary(struct inspect *in)
{
    say(in, "\n");
    for (int p = 0; p < 2; p++) {
        if (in->broken[p] && in->installed[p] != 0)
            say(in, "%s boot: BROKEN: %s%s\n", path_name[p], in->reason[p],
                in->broken[p] > 1 ? " (and more above)" : "");
        else if (in->installed[p] == 0)
            say(in, "%s boot: not installed\n", path_name[p]);
        else if (in->installed[p] < 0)
            say(in, "%s boot: cannot tell\n", path_name[p]);
        else
            say(in, "%s boot: ok\n", path_name[p]);
    }
    if (in->installed[0] == 0 && in->installed[1] == 0)
        problem(in, 0, "neither a BIOS nor a UEFI boot path is installed");
    if (in->problems)
        say(in, "inspect: %d problem%s\n", in->problems, in->problems == 1 ? "" : "s");
    else
        say(in, "inspect: ok\n");
}

int inspect_image(const char *path, FILE *out)
{
    struct inspect *in = calloc(1, sizeof *in);
    if (!in) {
        fprintf(out, "%s: out of memory\n", path);
        return 1;
    }
    in->out = out;
    in->path = path;
    in->installed[0] = in->installed[1] = -1;

    if (open_image(in) == 0) {
        check_mbr(in);
        check_gpt(in);
        locate_esp(in);
        check_stage2(in);
        check_fat(in);
        check_boot_files(in);
        summary(in);
    } else if (in->problems == 0) {
        in->problems = 1;      /* could not open: already said why */
    }
    int status = in->problems ? 1 : 0;
    if (in->fd >= 0)
        close(in->fd);
    free(in->entries);
    free(in);
    fflush(out);
    return status;
}
