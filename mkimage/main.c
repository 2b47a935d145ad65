/* mkimage: lays a hyboot kernel, its BIOS stages and its UEFI loader onto
 * one disk image (GPT + hybrid MBR, FAT ESP). This file is the command
 * line; the work is in plan.c (and the steps it runs), the writers, and
 * inspect.c for --inspect. */
#include "mk.h"
#include "mk_flash.h"
#include "mk_image.h"
#include "mk_opts.h"
#include "mk_plan.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

static void usage(FILE *out)
{
    fprintf(out,
"usage: mkimage -o IMAGE --kernel FILE [--efi FILE] [--stage1 FILE --stage2 FILE] [options]\n"
"       mkimage -c RECIPE [options]        (options override the recipe)\n"
"       mkimage --inspect IMAGE            (check an image or a written device)\n"
"       mkimage --write-device DEV [--yes] [--allow-fixed] IMAGE   (write an image to a USB stick)\n"
"       mkimage -c RECIPE --write-device DEV [...]                (build and write in one go)\n"
"\n"
"Builds one disk image that boots the kernel under legacy BIOS and UEFI:\n"
"GPT + hybrid MBR, stage2 in a BIOS boot partition, a FAT ESP holding\n"
"/EFI/BOOT/BOOTX64.EFI, /boot/kernel.elf and /boot/boot.cfg.\n"
"\n"
"inputs:\n"
"  --kernel FILE         ELF64 x86-64 kernel          -> /boot/kernel.elf\n"
"  --efi FILE            UEFI loader (PE32+ x86-64)   -> /EFI/BOOT/BOOTX64.EFI\n"
"  --efi32 FILE          UEFI loader for 32-bit firmware (PE32 i386) -> /EFI/BOOT/BOOTIA32.EFI\n"
"  --stage1 FILE         MBR boot code (440 bytes, patched with where stage2 is)\n"
"  --stage2 FILE         BIOS stage2                  -> BIOS boot partition\n"
"  --file SRC=DEST       any extra file onto the ESP (repeatable; folders are created)\n"
"  --module SRC[=STRING] a module for the kernel -> /boot/<name of SRC>, listed in boot.cfg\n"
"                        with its string and SHA-256 (repeatable; in a recipe: module = SRC STRING)\n"
"  --cmdline TEXT        kernel command line (boot.cfg)\n"
"  --resolution WxH      preferred framebuffer mode (boot.cfg)\n"
"  Leave out --efi for a BIOS-only image, --stage1/--stage2 for a UEFI-only one.\n"
"\n"
"image:\n"
"  -o, --output IMAGE    the image file to write (written to IMAGE.tmpXXXXXX, then renamed)\n"
"  -c, --config RECIPE   read settings from RECIPE (\"key = value\" lines, keys as below)\n"
"  --size SIZE           image size, e.g. 2M, 64M, 8G, 3T (default 64M; sparse)\n"
"  --fat 12|16|32|auto   ESP FAT type (default auto: FAT32 when the cluster count allows)\n"
"  --sector-size 512|4096  logical sector size of the target disk (default 512; 4096 for\n"
"                        4Kn disks: MBR, GPT, partitions and FAT in 4096-byte LBAs)\n"
"  --label NAME          ESP volume label (default HYBOOT)\n"
"  --mbr MODE            hybrid (default: 0xEE + active ESP entry), protective (0xEE only),\n"
"                        or mbr-only (no GPT; for CSMs that will not boot GPT media)\n"
"  --esp-mbr-type ef|0c  MBR type of the ESP entry (default ef)\n"
"  --active-ee           mark the 0xEE entry active instead of the ESP entry\n"
"  --seed TEXT           derive GUIDs and signatures from TEXT (default: hash of the inputs)\n"
"  --force-device        allow IMAGE to be a block device (written in place, all bytes)\n"
"\n"
"Secure Boot (docs/secure-boot.md):\n"
"  --sign-key KEY.pem    sign the EFI loaders with this RSA key (needs the openssl program),\n"
"  --sign-cert CERT.pem  for this certificate; the hash of boot.cfg is enrolled in them first\n"
"  --sign-pass SOURCE    the key's passphrase, as openssl's -passin: pass:TEXT, env:VAR,\n"
"                        file:PATH, fd:N (default: asked on the terminal if the key needs it)\n"
"  --enroll-keys DIR     copy DIR/PK.auth, KEK.auth, db.auth (make keys) to /EFI/hyboot/keys:\n"
"                        the loader enrols them on a machine in Setup Mode\n"
"  --shim SHIM.efi       a signed shim (Debian: shimx64.efi.signed) as BOOTX64.EFI; the\n"
"                        --efi loader goes beside it as grubx64.efi, which shim starts\n"
"                        after checking it against db or MOK (the shim + MOK route)\n"
"  --mok-manager MM.efi  MokManager beside shim as mmx64.efi (mmx64.efi.signed)\n"
"\n"
"other:\n"
"  --print-layout        show the plan (partitions, FAT, files, boot.cfg); write nothing\n"
"  --inspect IMAGE       print the layout of an existing image and check it\n"
"  -h, --help            this text\n"
"  -V, --version         version\n"
"\n"
"writing a USB stick:\n"
"  --write-device DEV    write the image (IMAGE, or the one built from the settings) to the\n"
"                        whole disk DEV: refuses partitions, mounted/swap/LVM/RAID disks, the\n"
"                        disk holding /, too small or fixed disks; asks you to type DEV's name;\n"
"                        writes only the image's data, moves the backup GPT to the end,\n"
"                        reads everything back, then prints the --inspect report\n"
"  --yes                 do not ask (scripts)\n"
"  --allow-fixed         allow a disk that is neither removable nor on USB\n"
"\n"
"Timestamps come from SOURCE_DATE_EPOCH, else 1980-01-01: same inputs, same bytes.\n"
"Exit status: 0 ok, 1 failure, 2 usage error. See docs/mkimage.md.\n");
}

enum {
    OPT_KERNEL = 256, OPT_EFI, OPT_STAGE1, OPT_STAGE2, OPT_FILE, OPT_CMDLINE, OPT_RESOLUTION,
    OPT_SIZE, OPT_FAT, OPT_LABEL, OPT_MBR, OPT_ESP_TYPE, OPT_ACTIVE_EE, OPT_SEED, OPT_FORCE,
    OPT_PRINT, OPT_INSPECT, OPT_MODULE, OPT_WRITE_DEVICE, OPT_YES, OPT_ALLOW_FIXED,
    OPT_EFI32, OPT_SECTOR_SIZE, OPT_SIGN_KEY, OPT_SIGN_CERT, OPT_SIGN_PASS, OPT_ENROLL_KEYS, OPT_SHIM,
    OPT_MOK_MANAGER,
};

static const struct option longopts[] = {
    { "output", required_argument, 0, 'o' },
    { "config", required_argument, 0, 'c' },
    { "kernel", required_argument, 0, OPT_KERNEL },
    { "efi", required_argument, 0, OPT_EFI },
    { "efi32", required_argument, 0, OPT_EFI32 },
    { "sector-size", required_argument, 0, OPT_SECTOR_SIZE },
    { "sign-key", required_argument, 0, OPT_SIGN_KEY },
    { "sign-cert", required_argument, 0, OPT_SIGN_CERT },
    { "sign-pass", required_argument, 0, OPT_SIGN_PASS },
    { "enroll-keys", required_argument, 0, OPT_ENROLL_KEYS },
    { "shim", required_argument, 0, OPT_SHIM },
    { "mok-manager", required_argument, 0, OPT_MOK_MANAGER },
    { "stage1", required_argument, 0, OPT_STAGE1 },
    { "stage2", required_argument, 0, OPT_STAGE2 },
    { "file", required_argument, 0, OPT_FILE },
    { "module", required_argument, 0, OPT_MODULE },
    { "cmdline", required_argument, 0, OPT_CMDLINE },
    { "resolution", required_argument, 0, OPT_RESOLUTION },
    { "size", required_argument, 0, OPT_SIZE },
    { "fat", required_argument, 0, OPT_FAT },
    { "label", required_argument, 0, OPT_LABEL },
    { "mbr", required_argument, 0, OPT_MBR },
    { "esp-mbr-type", required_argument, 0, OPT_ESP_TYPE },
    { "active-ee", no_argument, 0, OPT_ACTIVE_EE },
    { "seed", required_argument, 0, OPT_SEED },
    { "force-device", no_argument, 0, OPT_FORCE },
    { "print-layout", no_argument, 0, OPT_PRINT },
    { "inspect", required_argument, 0, OPT_INSPECT },
    { "write-device", required_argument, 0, OPT_WRITE_DEVICE },
    { "yes", no_argument, 0, OPT_YES },
    { "allow-fixed", no_argument, 0, OPT_ALLOW_FIXED },
    { "help", no_argument, 0, 'h' },
    { "version", no_argument, 0, 'V' },
    { 0, 0, 0, 0 },
};

/* --inspect, and the report --write-device prints of what it wrote. */
static int inspect(const char *path)
{
    return inspect_image(path, stdout) == 0 ? MK_EXIT_OK : MK_EXIT_FAIL;
}

struct finish { struct mk_plan *plan; struct mk_image *img; };

static int finish_plan(void *ctx)
{
    struct finish *f = ctx;
    return mk_plan_finish(f->plan, f->img);
}

int main(int argc, char **argv)
{
    struct mk_opts cmd, opts;
    mk_opts_init(&cmd);
    mk_opts_init(&opts);
    const char *recipe = NULL, *inspect_path = NULL;
    struct mk_flash_cmd flash = { .inspect = inspect };
    int print = 0, c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:c:hV", longopts, NULL)) != -1) {
        const char *key = NULL;
        switch (c) {
        case 'h': usage(stdout); return MK_EXIT_OK;
        case 'V': printf(MK_NAME " (hyboot) " MK_VERSION "\n"); return MK_EXIT_OK;
        case 'c': recipe = optarg; continue;
        case OPT_PRINT: print = 1; continue;
        case OPT_INSPECT: inspect_path = optarg; continue;
        /* Command line only: a recipe must not be able to say "yes". */
        case OPT_WRITE_DEVICE: flash.o.device = optarg; continue;
        case OPT_YES: flash.o.yes = 1; continue;
        case OPT_ALLOW_FIXED: flash.o.allow_fixed = 1; continue;
        case ':':
            mk_error(argv[optind - 1], "option needs a value; see --help");
            return MK_EXIT_USAGE;
        case '?':
            mk_error(argv[optind - 1], "unknown option; see --help");
            return MK_EXIT_USAGE;
        default:
            break;
        }
        if (c == 'o') {
            key = "output";
        } else {
            for (const struct option *lo = longopts; lo->name; lo++)
                if (lo->val == c)
                    key = lo->name;
        }
        if (!key)
            return MK_EXIT_USAGE;
        if (mk_opts_set(&cmd, key, optarg ? optarg : "yes", "command line", NULL) < 0)
            return MK_EXIT_USAGE;
        flash.nset++;
    }
    if (flash.o.device || flash.o.yes || flash.o.allow_fixed) {
        flash.recipe = recipe;
        flash.other_mode = print || inspect_path;
        return mk_flash_command(&flash, &cmd, argc - optind, argv + optind);
    }
    if (optind < argc) {
        mk_error(argv[optind], "unexpected argument; see --help");
        return MK_EXIT_USAGE;
    }
    if (inspect_path)
        return inspect(inspect_path);

    if (recipe) {
        int r = mk_recipe_load(&opts, recipe);
        if (r)
            return r;
    }
    mk_opts_merge(&opts, &cmd);
    if (!opts.output && !print) {
        mk_error(NULL, "no output given (-o IMAGE, or output = ... in the recipe); see --help");
        return MK_EXIT_USAGE;
    }

    struct mk_plan plan;
    struct mk_write_opts wo = { .force_device = opts.force_device > 0 };
    /* Refuse a bad output before the work of reading inputs. */
    if (!print && mk_output_check(opts.output, &wo) < 0)
        return MK_EXIT_FAIL;
    int r = mk_plan_make(&plan, &opts);
    if (r == MK_EXIT_OK && !print && mk_plan_output_is_input(&plan, opts.output))
        r = MK_EXIT_FAIL;
    if (r == MK_EXIT_OK) {
        if (print) {
            r = mk_plan_finish(&plan, NULL);
            if (r == MK_EXIT_OK)
                mk_plan_print(&plan, stdout);
        } else {
            struct mk_image img = { 0 };
            mk_plan_render(&plan, &img);
            struct finish fin = { &plan, &img };
            wo.before_memory_chunks = finish_plan;
            wo.ctx = &fin;
            if (mk_image_write(&img, opts.output, &wo) < 0)
                r = MK_EXIT_FAIL;
            mk_image_free(&img);
        }
    }
    mk_plan_free(&plan);
    mk_opts_free(&opts);
    return r;
}
