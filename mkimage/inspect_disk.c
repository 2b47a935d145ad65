/* --inspect, the disk half: the MBR and stage1, the GPTs (read with the
 * loaders' common/gpt.c), where each firmware path finds the ESP
 * (stage2's answer is common/esp_locate.c's, the very code it runs), and
 * stage2 (common/stage_check.c). */
#include "inspect_int.h"
#include "mk_disk.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stage_check.h"
#include "utf8.h"

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

void check_mbr(struct inspect *in)
{
    say(in, "\nMBR (LBA 0)\n");
    uint8_t lba0[MK_SECTOR_MAX];
    int rc = read_sectors(in, 0, 1, lba0);
    if (rc) {
        problem(in, PATH_BOTH, "cannot read LBA 0: %s", read_error(rc));
        return;
    }
    memcpy(in->mbr, lba0, sizeof in->mbr);
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
    /* mkimage puts bios/nobios.asm's stub in UEFI-only images. */
    if (memcmp(in->mbr, mk_nobios_code, mk_nobios_code_len) == 0) {
        in->installed[0] = 0;
        say(in, "  boot code: hyboot's \"no BIOS boot code\" stub (UEFI-only image)\n");
        return;
    }
    in->installed[0] = 1;
    char why[160];
    if (stage1_check(in->mbr, MBR_CODE_SIZE, &in->patch, why, sizeof why)) {
        problem(in, PATH_BIOS, "the MBR boot code is not hyboot's stage1: %s", why);
        return;
    }
    in->stage1 = 1;
    say(in, "  stage1: hyboot, loads %" PRIu32 " sectors of stage2 from LBA %" PRIu64 "\n",
        in->patch.stage2_sectors, in->patch.stage2_lba);
    if (!(in->mbr[0] == 0xeb && in->mbr[2] == 0x90))
        note(in, "stage1 does not begin with jmp short + nop (BIOSes emulating a floppy may patch a BPB over it)");
}

/* ---- GPT ------------------------------------------------------------------- */

static const uint8_t esp_type[16] = GPT_GUID_ESP;
static const uint8_t bios_type[16] = GPT_GUID_BIOS_BOOT;

static void gpt_name(const struct gpt_entry *e, char out[3 * 36 + 1])
{
    uint16_t u[36];
    int n = 0;
    memcpy(u, e->name, sizeof u);
    while (n < 36 && u[n])
        n++;
    utf16_to_utf8(u, (size_t)n, out, 3 * 36 + 1);
}

struct collect {
    uint8_t *entries;
    uint32_t size;
};

static void collect_entry(void *ctx, uint32_t index, const struct gpt_entry *e)
{
    struct collect *c = ctx;
    memcpy(c->entries + (size_t)index * c->size, e, sizeof *e);
}

static uint8_t scratch[32 * 512];

static struct gpt_disk image_disk(struct inspect *in)
{
    struct gpt_disk d = { read_fn, in, in->sectors, in->ss, scratch, sizeof scratch };
    return d;
}

/* Reads one GPT (common/gpt.c, the loaders' reader): NULL with *entries
 * malloc'd, or why it is unusable. */
static const char *load_gpt(struct inspect *in, uint64_t lba, struct gpt_header *h, uint8_t **entries)
{
    static char why[REASON_MAX];
    struct gpt_disk d = image_disk(in);
    struct collect c = { mk_zalloc((size_t)1024 * GPT_ENTRY_SIZE), GPT_ENTRY_SIZE };
    uint64_t bad = 0;
    memset(h, 0, sizeof *h);
    const char *r = gpt_read(&d, lba, h, collect_entry, &c, &bad);
    *entries = NULL;
    if (r) {
        free(c.entries);
        if (!bad)
            return r;
        snprintf(why, sizeof why, "%s (LBA %" PRIu64 ": %s)", r, bad, read_error(read_sectors(in, bad, 1, scratch)));
        return why;
    }
    *entries = c.entries;
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
    struct gpt_entry e, o;
    for (uint32_t i = 0; i < h->entry_count; i++) {
        memcpy(&e, in->entries + (size_t)i * h->entry_size, sizeof e);
        if (guid_is_zero(e.type_guid))
            continue;
        char type[37], uniq[37], name[3 * 36 + 1];
        guid_format(e.type_guid, type);
        guid_format(e.unique_guid, uniq);
        gpt_name(&e, name);
        int is_esp = guid_equal(e.type_guid, esp_type), is_bios = guid_equal(e.type_guid, bios_type);
        uint64_t count = e.last_lba >= e.first_lba ? e.last_lba - e.first_lba + 1 : 0;
        say(in, "  partition %" PRIu32 ": %s, LBA %" PRIu64 "..%" PRIu64 " (%s), name \"%s\"\n", i + 1,
            is_esp ? "EFI system" : is_bios ? "BIOS boot" : type, e.first_lba, e.last_lba,
            size_text(count * in->ss), shown(name));
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
        if (is_esp && !in->esp[1].found) {
            in->esp[1] = (struct esp_place){ 1, e.first_lba, count, "GPT" };
            if ((e.first_lba * in->ss) % MK_ESP_OFFSET)
                note(in, "the ESP does not start on a 1 MiB boundary");
        }
        if (is_bios && !in->have_bios_part) {
            in->have_bios_part = 1;
            in->bios_lba = e.first_lba;
            in->bios_sectors = count;
        }
    }
}

/* The backup against the primary (when both are sound). */
static void compare_gpts(struct inspect *in, const struct gpt_header *prim, const struct gpt_header *back)
{
    if (back->alternate_lba != 1)
        problem(in, 0, "backup GPT points to LBA %" PRIu64 " for the primary, not 1", back->alternate_lba);
    if (back->entries_lba <= back->last_usable_lba || back->entries_lba >= back->my_lba)
        problem(in, 0, "backup GPT entries at LBA %" PRIu64 " are not between the usable area and the header",
                back->entries_lba);
    if (!prim)
        return;
    if (!guid_equal(prim->disk_guid, back->disk_guid) || prim->entries_crc32 != back->entries_crc32 ||
        prim->first_usable_lba != back->first_usable_lba || prim->last_usable_lba != back->last_usable_lba ||
        prim->entry_count != back->entry_count)
        problem(in, 0, "backup GPT differs from the primary (disk GUID, usable LBAs or entries)");
    else
        say(in, "  matches the primary\n");
}

void check_gpt(struct inspect *in)
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
    if (pwhy)
        say(in, "  unusable: %s\n", pwhy);
    else
        print_gpt_header(in, &prim);

    /* The backup where UEFI and stage2 look for it: the last LBA; the
     * primary's alternate LBA when it says otherwise (an image dd'd onto
     * a larger disk). */
    uint64_t alt = !pwhy && prim.alternate_lba < in->sectors ? prim.alternate_lba : last;
    say(in, "\nGPT backup (LBA %" PRIu64 ")\n", alt);
    const char *bwhy = load_gpt(in, alt, &back, &back_entries);
    if (bwhy && alt != last) {
        free(back_entries);
        bwhy = load_gpt(in, alt = last, &back, &back_entries);
    }
    if (bwhy) {
        say(in, "  unusable: %s\n", bwhy);
        if (!pwhy && (prim.alternate_lba <= prim.last_usable_lba || prim.alternate_lba > last))
            problem(in, 0, "backup GPT: the primary points to LBA %" PRIu64 ", the image ends at LBA %" PRIu64
                    " (truncated image?)", prim.alternate_lba, last);
        else
            problem(in, pwhy ? PATH_UEFI : 0, "backup GPT: %s", bwhy);
    } else {
        print_gpt_header(in, &back);
        compare_gpts(in, pwhy ? NULL : &prim, &back);
        if (alt != last)
            note(in, "the backup GPT is at LBA %" PRIu64 ", not at the last LBA %" PRIu64
                 " (image written to a larger disk?): firmware and stage2 find it through the primary; "
                 "'sgdisk -e' moves it", alt, last);
    }
    if (pwhy && !bwhy)
        problem(in, 0, "primary GPT: %s; firmware and stage2 use the backup (firmware may rewrite the primary)",
                pwhy);
    else if (pwhy)
        problem(in, PATH_UEFI, "primary GPT: %s, and no usable backup: UEFI firmware finds no partitions", pwhy);

    if (!pwhy) {
        in->gpt_valid = 1;
        in->gpt = prim;
        in->entries = prim_entries;
        free(back_entries);
        if (prim.entries_lba < 2 ||
            prim.entries_lba + gpt_entry_sectors(&prim, in->ss) > prim.first_usable_lba)
            problem(in, 0, "primary GPT entries overlap the usable area");
    } else if (!bwhy) {
        say(in, "  (using the backup for the checks below, as firmware would)\n");
        in->gpt_valid = 1;
        in->gpt = back;
        in->entries = back_entries;
        free(prim_entries);
    } else {
        free(prim_entries);
        free(back_entries);
        return;
    }
    say(in, "\nGPT partitions\n");
    check_entries(in);
    if (!in->esp[1].found)
        problem(in, PATH_UEFI, "no EFI system partition in the GPT");
}

/* ---- where each path finds the ESP -------------------------------------------- */

void locate_esp(struct inspect *in)
{
    /* stage2: exactly what it runs. */
    struct gpt_disk d = image_disk(in);
    if (esp_locate(&d, &in->located) == 0)
        in->esp[0] = (struct esp_place){ 1, in->located.lba, in->located.sectors, in->located.how };
    /* UEFI on an MBR disk: the MBR's ESP entry (the same rule). */
    if (in->mbr_only)
        in->esp[1] = in->esp[0];

    /* The hybrid MBR's ESP entry must agree with the GPT: MBR-only
     * systems, and stage2 when both GPTs are gone, use it. */
    for (int i = 0; i < 4 && in->mbr_valid && in->esp[1].found && !in->mbr_only; i++) {
        struct mbr_part p = mbr_entry(in, i);
        if ((p.type != MBR_TYPE_EFI_SYSTEM && p.type != MBR_TYPE_FAT32_LBA) || !p.lba_first || !p.lba_count)
            continue;
        uint64_t want = in->esp[1].sectors;
        int clamped = want > 0xffffffffu - p.lba_first;
        if (p.lba_first != in->esp[1].lba || (!clamped && p.lba_count != want) ||
            (clamped && (uint64_t)p.lba_first + p.lba_count < 0xffffffffu))
            problem(in, in->esp[0].found && in->esp[0].how[0] == 'M' ? PATH_BIOS : 0,
                    "MBR entry %d (LBA %" PRIu32 " + %" PRIu32 ") disagrees with the GPT ESP (LBA %" PRIu64 " + %" PRIu64 ")",
                    i + 1, p.lba_first, p.lba_count, in->esp[1].lba, want);
        else if (clamped)
            note(in, "MBR entry %d is clamped to 32-bit LBAs (the ESP is larger)", i + 1);
        break;
    }

    say(in, "\nESP\n");
    const char *gpt_problem = in->located.protective ? in->located.gpt_problem : NULL;
    if (in->esp[0].found && in->installed[0] != 0)
        say(in, "  stage2 finds it at LBA %" PRIu64 " (%s) through the %s%s%s\n", in->esp[0].lba,
            size_text(in->esp[0].sectors * in->ss), in->esp[0].how, gpt_problem ? "; primary GPT not used: " : "",
            gpt_problem ? gpt_problem : "");
    else if (in->installed[0] != 0)
        problem(in, PATH_BIOS, "stage2 finds no ESP: %s%s%s", in->located.gpt_problem ? in->located.gpt_problem : "no GPT",
                in->located.backup_problem ? "; backup GPT: " : "",
                in->located.backup_problem ? in->located.backup_problem : "");
    if (in->esp[1].found)
        say(in, "  UEFI firmware finds it at LBA %" PRIu64 " (%s) through the %s\n", in->esp[1].lba,
            size_text(in->esp[1].sectors * in->ss), in->mbr_only ? in->esp[1].how : in->gpt.my_lba == 1 ? "GPT" : "backup GPT");
    if (in->esp[0].found && in->esp[1].found && in->esp[0].lba != in->esp[1].lba)
        problem(in, 0, "stage2 and UEFI firmware use different ESPs (LBA %" PRIu64 " and %" PRIu64 ")",
                in->esp[0].lba, in->esp[1].lba);
    for (int p = 0; p < 2; p++)
        if (in->esp[p].found && in->esp[p].lba + in->esp[p].sectors > in->sectors)
            problem(in, p ? PATH_UEFI : PATH_BIOS, "the ESP ends beyond the image (LBA %" PRIu64 " > %" PRIu64 ")",
                    in->esp[p].lba + in->esp[p].sectors, in->sectors);
    if (!in->esp[0].found && !in->esp[1].found)
        problem(in, PATH_BOTH, "no ESP found (neither a GPT nor an MBR entry)");
}

/* ---- stage2 --------------------------------------------------------------------- */

void check_stage2(struct inspect *in)
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
    for (int p = 0; p < 2; p++)
        if (in->esp[p].found && lba < in->esp[p].lba + in->esp[p].sectors && in->esp[p].lba < lba + n) {
            problem(in, PATH_BOTH, "stage2 overlaps the ESP");
            break;
        }

    /* stage1 steps its buffer 512 bytes per sector: with larger sectors
     * only a stage2 it reads in one call lands where it belongs. */
    if (in->ss > 512 && n > MK_STAGE1_CALL_SECTORS)
        problem(in, PATH_BIOS, "stage2 is %" PRIu64 " sectors of %" PRIu32 " bytes: stage1 reads at most %u of them "
                "in its one call", n, in->ss, MK_STAGE1_CALL_SECTORS);
    uint8_t sec[MK_SECTOR_MAX];
    int rc = read_sectors(in, lba, 1, sec);
    if (rc) {
        problem(in, PATH_BIOS, "cannot read stage2: %s", read_error(rc));
        return;
    }
    struct stage2_header h;
    char why[200];
    if (stage2_check(sec, n * in->ss, &h, why, sizeof why)) {
        problem(in, PATH_BIOS, "no usable stage2 at LBA %" PRIu64 ": %s", lba, why);
        return;
    }
    say(in, "  signature " STAGE2_MAGIC " ok, %" PRIu32 " bytes\n", h.size);
}
