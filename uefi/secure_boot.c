/* Secure Boot on the UEFI path: is the firmware enforcing it
 * (plat_secure_boot), the boot.cfg hash enrolled in this signed binary
 * (plat_config_hash), and the one-time key enrolment for a machine in
 * Setup Mode (secure_boot_enrol). docs/secure-boot.md. */
#include "uefi.h"
#include "loader.h"
#include "mem.h"
#include "secure_boot.h"

/* mkimage patches this before it signs the binary (common/secure_boot.h).
 * In .data, not .rodata: the bytes must be in the file, and the compiler
 * must not fold `enrolled` = 0 into the code that reads it. */
static volatile struct cfg_enrolment enrolment __attribute__((used, section(".data"))) = {
    .magic = CFG_ENROLMENT_MAGIC,
    .version = CFG_ENROLMENT_VERSION,
};

static const EFI_GUID global_var = EFI_GLOBAL_VARIABLE;
/* EFI_IMAGE_SECURITY_DATABASE_GUID: db and dbx live under it. */
static const EFI_GUID image_security_db = { 0xd719b2cb, 0x3d3a, 0x4596,
                                            { 0xa3, 0xbc, 0xda, 0xd0, 0x0e, 0x67, 0x65, 0x6f } };

/* A one-byte global variable, or -1 when the firmware does not have it. */
static int var_u8(CHAR16 *name)
{
    uint8_t v = 0;
    UINTN size = sizeof v;
    UINT32 attrs;
    EFI_STATUS s = efi_st->RuntimeServices->GetVariable(name, (EFI_GUID *)&global_var, &attrs, &size, &v);
    return EFI_ERROR(s) || size != 1 ? -1 : v;
}

int plat_secure_boot(void)
{
    /* SecureBoot = 1 means the firmware verified us and enforces; in
     * Setup Mode it is 0. */
    return var_u8(L"SecureBoot") == 1;
}

int plat_config_hash(uint8_t out[32])
{
    if (enrolment.enrolled != 1 || enrolment.version != CFG_ENROLMENT_VERSION)
        return 0;
    for (int i = 0; i < 32; i++)
        out[i] = enrolment.sha256[i];
    return 1;
}

/* Reads a whole file from our volume into pool memory; NULL when absent. */
static void *read_key_file(const char *path, UINTN *size)
{
    struct plat_file *f;
    uint64_t n;
    const char *why = "";
    int rc = plat_file_open(path, &f, &n, &why);
    if (rc == PLAT_FILE_ENOENT)
        return NULL;
    if (rc)
        die("%s: %s", path, why);
    if (n == 0 || n > SB_KEY_MAX_BYTES)
        die("%s: %llu bytes is not an authenticated variable", path, (unsigned long long)n);
    void *buf = NULL;
    if (EFI_ERROR(efi_bs->AllocatePool(EfiLoaderData, n, &buf)))
        die("%s: not enough memory to load it", path);
    if (plat_file_read(f, buf, n, &why))
        die("%s: %s", path, why);
    plat_file_close(f);
    *size = n;
    return buf;
}

static void enrol_one(const char *file, CHAR16 *name, const EFI_GUID *guid, const char *what)
{
    UINTN size = 0;
    void *data = read_key_file(file, &size);
    if (!data)
        die("%s is missing: the key set in " SB_KEYS_DIR " is incomplete", file);
    UINT32 attrs = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
                   EFI_VARIABLE_RUNTIME_ACCESS | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS;
    EFI_STATUS s = efi_st->RuntimeServices->SetVariable(name, (EFI_GUID *)guid, attrs, size, data);
    efi_bs->FreePool(data);
    if (EFI_ERROR(s))
        die("Secure Boot key enrolment: the firmware refused %s from %s (%s)", what, file,
            efi_status_name(s));
    say("enrolled %s from %s", what, file);
}

void secure_boot_enrol(void)
{
    if (var_u8(L"SetupMode") != 1)
        return;
    UINTN size;
    void *pk = read_key_file(SB_KEYS_DIR "/" SB_KEY_PK, &size);
    if (!pk)
        return;                /* no keys on this stick: nothing was asked for */
    efi_bs->FreePool(pk);
    /* Shown on the screen whatever the verbosity: this changes the
     * machine's firmware settings. */
    uefi_verbose = 1;
    say("this machine is in Secure Boot Setup Mode and " SB_KEYS_DIR " holds keys: enrolling them");
    enrol_one(SB_KEYS_DIR "/" SB_KEY_DB, L"db", &image_security_db, "db");
    enrol_one(SB_KEYS_DIR "/" SB_KEY_KEK, L"KEK", &global_var, "KEK");
    enrol_one(SB_KEYS_DIR "/" SB_KEY_PK, L"PK", &global_var, "PK");
    say("keys enrolled; restarting so that the firmware enforces Secure Boot");
    efi_st->RuntimeServices->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
    die("the firmware did not restart after key enrolment; restart the machine");
}
