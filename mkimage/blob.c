/* Input files: checked for what they are before anything is read (a FIFO
 * or a device as an input must not block or be read forever), checked for
 * size before anything is mapped, then mapped read-only. */
#include "mk.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int mk_blob_open(const char *path, uint64_t max_size, struct mk_blob *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer. Nothing is read before fstat says it is a regular file. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        mk_error(path, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        mk_error(path, "cannot stat: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        mk_error(path, S_ISDIR(st.st_mode) ? "is a directory, not a file"
                       : S_ISFIFO(st.st_mode) ? "is a FIFO, not a regular file"
                                              : "not a regular file");
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size > max_size) {
        char a[32], b[32];
        mk_format_size((uint64_t)st.st_size, a, sizeof a);
        mk_format_size(max_size, b, sizeof b);
        mk_error(path, max_size == MK_FILE_MAX ? "%s: a file of 4 GiB or more, FAT cannot hold it"
                                               : "%s, more than the %s this input may have", a, b);
        close(fd);
        return -1;
    }
    out->path = path;
    out->fd = fd;
    out->size = (uint64_t)st.st_size;
    if (out->size) {
        void *m = mmap(NULL, (size_t)out->size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            mk_error(path, "cannot map: %s", strerror(errno));
            close(fd);
            out->fd = -1;
            return -1;
        }
        out->data = m;
    }
    return 0;
}

void mk_blob_free(struct mk_blob *b)
{
    if (!b->path)
        return;                 /* never opened (fd is not valid) */
    if (b->owned)
        free(b->data);
    else if (b->data)
        munmap(b->data, (size_t)b->size);
    if (b->fd >= 0)
        close(b->fd);
    b->data = NULL;
    b->fd = -1;
    b->size = 0;
}
