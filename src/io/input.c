/* input: descriptor reads into a raw buffer, zlib's inflate for gzip members, and a
 * decoded buffer in front of the line and look-ahead readers. Chunked reads bypass the
 * decoded buffer once it is drained, so a corpus is copied only once on its way in. */
#include "io/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sig.h"
#include "base/util.h"

/* Bytes read from the descriptor at a time, and the first size of the decoded buffer. */
#define INPUT_RAW (1u << 18)
#define INPUT_BUF (1u << 16)
/* Bytes looked at to recognise a format (the longest magic below). */
#define INPUT_MAGIC 10
/* zlib's window bits for gzip-wrapped data: 15-bit window plus 16 for the gzip header. */
#define INPUT_GZIP_WBITS (15 + 16)
/* The UTF-8 byte order mark (U+FEFF, INPUT_BOM_LEN bytes), which some editors write at
 * the start of a file. */
#define INPUT_BOM "\xef\xbb\xbf"

/* Formats refused by their magic bytes, with the command that unpacks them. */
struct magic {
    const char *bytes;
    size_t len;
    const char *name;
    const char *unpack;
};

static const struct magic refused[] = {
    {"\xfd" "7zXZ\x00", 6, "xz", "xz -dc"},
    {"BZh", 3, "bzip2", "bzip2 -dc"},
    {"\x28\xb5\x2f\xfd", 4, "zstd", "zstd -dc"},
    {"\x04\x22\x4d\x18", 4, "lz4", "lz4 -dc"},
    {"PK\x03\x04", 4, "zip", "unzip -p"},
};

/* A bzip2 stream is "BZh", a block size digit, then the block magic (the BCD digits of
 * pi); checking all of it keeps a text file that starts with "BZh" readable. */
static bool is_bzip2(const unsigned char *p, size_t n)
{
    return n >= 10 && p[3] >= '1' && p[3] <= '9' && memcmp(p + 4, "1AY&SY", 6) == 0;
}

static int fail_errno(const struct input *in, int e, struct w2v_err *err)
{
    err_set(err, "%s: %s", in->path, strerror(e));
    return -1;
}

/* Reads more raw bytes after the unread ones; sets raw_eof at the end. Returns 0 or -1. */
static int raw_fill(struct input *in, struct w2v_err *err)
{
    if (in->raw_pos > 0) {
        memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
        in->raw_len -= in->raw_pos;
        in->raw_pos = 0;
    }
    for (;;) {
        ssize_t got = read(in->fd, in->raw + in->raw_len, INPUT_RAW - in->raw_len);
        if (got > 0) {
            in->raw_len += (size_t)got;
            in->raw_bytes += (uint64_t)got;
            return 0;
        }
        if (got == 0) {
            in->raw_eof = true;
            return 0;
        }
        if (errno != EINTR) {
            return fail_errno(in, errno, err);
        }
        if (sig_caught()) {
            err_set(err, "%s: interrupted", in->path);
            return -1;
        }
    }
}

static int recognise(struct input *in, struct w2v_err *err)
{
    while (in->raw_len < INPUT_MAGIC && !in->raw_eof) {
        if (raw_fill(in, err) != 0) {
            return -1;
        }
    }
    const unsigned char *p = in->raw;
    size_t n = in->raw_len;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const struct magic *m = &refused[i];
        if (n >= m->len && memcmp(p, m->bytes, m->len) == 0 &&
            (strcmp(m->name, "bzip2") != 0 || is_bzip2(p, n))) {
            bool piped = strcmp(in->path, path_label("-", false)) == 0;
            err_set(err, "%s: %s-compressed data; w2v reads plain text and gzip: %s '%s%s%s'%s",
                    in->path, m->name, piped ? "pipe it through" : "unpack it with", m->unpack,
                    piped ? "" : " ", piped ? "" : in->path, piped ? " first" : "");
            return -1;
        }
    }
    in->gzip = n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
    if (in->gzip) {
        memset(&in->z, 0, sizeof in->z);
        if (inflateInit2(&in->z, INPUT_GZIP_WBITS) != Z_OK) {
            err_set(err, "%s: cannot start gzip decompression", in->path);
            return -1;
        }
        in->z_live = true;
    }
    return 0;
}

static int skip_bom(struct input *in, struct w2v_err *err);

int input_open(struct input *in, const char *path, struct w2v_err *err)
{
    memset(in, 0, sizeof *in);
    in->path = path_label(path, false);
    in->fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
    if (in->fd < 0) {
        return fail_errno(in, errno, err);
    }
    struct stat st;
    if (fstat(in->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fail_errno(in, EISDIR, err);
            input_close(in);
            return -1;
        }
        in->regular = S_ISREG(st.st_mode);
    }
    in->raw = xmalloc(INPUT_RAW);
    in->buf = xmalloc(INPUT_BUF);
    in->buf_cap = INPUT_BUF;
    if (recognise(in, err) != 0 || skip_bom(in, err) != 0) {
        input_close(in);
        return -1;
    }
    return 0;
}

/* The offset in the file of the next raw byte to decode. */
static uint64_t raw_offset(const struct input *in)
{
    return in->raw_bytes - (uint64_t)(in->raw_len - in->raw_pos);
}

/* After a gzip member: another member follows, or the data ends. Zero bytes up to the end
 * (padding to a tape block) are ignored, as gzip ignores them; anything else that does not
 * start a member (a second member with a damaged magic number, bytes appended to the file)
 * is an error, at the offset where the gzip data ends, so that no data after it is dropped
 * unseen. Returns 1 when a member follows, 0 at the end, -1 with 'err' set. */
static int next_member(struct input *in, struct w2v_err *err)
{
    uint64_t end = raw_offset(in);
    for (;;) {
        while (in->raw_len - in->raw_pos < 2 && !in->raw_eof) {
            if (raw_fill(in, err) != 0) {
                return -1;
            }
        }
        const unsigned char *p = in->raw + in->raw_pos;
        size_t have = in->raw_len - in->raw_pos;
        if (have == 0) {
            return 0;
        }
        if (raw_offset(in) == end && have >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
            inflateReset(&in->z);
            in->z_end = false;
            return 1;
        }
        size_t zeros = 0;
        while (zeros < have && p[zeros] == 0) {
            zeros++;
        }
        if (zeros < have) {
            err_set(err, "%s: trailing garbage after gzip data at byte offset %llu", in->path,
                    (unsigned long long)end);
            return -1;
        }
        in->raw_pos += zeros;
    }
}

/* Decompresses up to 'n' bytes into 'dst': the count, 0 at the end, or -1. */
static int64_t inflate_some(struct input *in, unsigned char *dst, size_t n, struct w2v_err *err)
{
    for (;;) {
        if (in->z_end) {
            int more = next_member(in, err);
            if (more <= 0) {
                return more;
            }
        }
        if (in->raw_pos == in->raw_len && !in->raw_eof && raw_fill(in, err) != 0) {
            return -1;
        }
        in->z.next_in = in->raw + in->raw_pos;
        in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
        in->z.next_out = dst;
        in->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
        uInt want = in->z.avail_out;
        int ret = inflate(&in->z, Z_NO_FLUSH);
        in->raw_pos = in->raw_len - in->z.avail_in;
        size_t made = want - in->z.avail_out;
        if (ret == Z_STREAM_END) {
            in->z_end = true;
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            err_set(err, "%s: corrupt gzip data (%s)", in->path,
                    in->z.msg != NULL ? in->z.msg : "invalid data");
            return -1;
        }
        if (made > 0) {
            return (int64_t)made;
        }
        if (!in->z_end && in->raw_eof && in->raw_pos == in->raw_len) {
            err_set(err, "%s: truncated gzip data (unexpected end of file)", in->path);
            return -1;
        }
    }
}

/* Produces up to 'n' decoded bytes straight from the file: the count, 0 at the end, -1. */
static int64_t decode(struct input *in, unsigned char *dst, size_t n, struct w2v_err *err)
{
    if (in->eof || n == 0) {
        return 0;
    }
    int64_t got;
    if (in->gzip) {
        got = inflate_some(in, dst, n, err);
    } else {
        if (in->raw_pos == in->raw_len && !in->raw_eof && raw_fill(in, err) != 0) {
            return -1;
        }
        size_t have = in->raw_len - in->raw_pos;
        got = (int64_t)(have < n ? have : n);
        memcpy(dst, in->raw + in->raw_pos, (size_t)got);
        in->raw_pos += (size_t)got;
    }
    if (got == 0) {
        in->eof = true;
    }
    return got;
}

/* Makes 'n' decoded bytes available in buf from buf_pos, or all that is left; keeps one
 * spare byte after them for a NUL. Returns the bytes available, or -1. */
static int64_t ensure(struct input *in, size_t n, struct w2v_err *err)
{
    size_t have = in->buf_len - in->buf_pos;
    if (have >= n || in->eof) {
        return (int64_t)have;
    }
    if (in->buf_pos > 0) {
        memmove(in->buf, in->buf + in->buf_pos, have);
        in->buf_len = have;
        in->buf_pos = 0;
    }
    if (n + 1 > in->buf_cap) {
        size_t cap = in->buf_cap;
        while (cap < n + 1) {
            cap *= 2;
        }
        in->buf = xrealloc(in->buf, cap);
        in->buf_cap = cap;
    }
    while (in->buf_len < n) {
        int64_t got = decode(in, in->buf + in->buf_len, in->buf_cap - 1 - in->buf_len, err);
        if (got < 0) {
            return -1;
        }
        if (got == 0) {
            break;
        }
        in->buf_len += (size_t)got;
    }
    return (int64_t)(in->buf_len - in->buf_pos);
}

/* Moves past a byte order mark at the start of the decoded data; sets in->bom. Returns 0
 * or -1. The mark says only that the text is UTF-8, and would otherwise become part of the
 * first word. */
static int skip_bom(struct input *in, struct w2v_err *err)
{
    int64_t have = ensure(in, INPUT_BOM_LEN, err);
    if (have < 0) {
        return -1;
    }
    in->bom = have >= INPUT_BOM_LEN &&
              memcmp(in->buf + in->buf_pos, INPUT_BOM, INPUT_BOM_LEN) == 0;
    if (in->bom) {
        in->buf_pos += INPUT_BOM_LEN;
    }
    return 0;
}

int64_t input_read(struct input *in, void *dst, size_t n, struct w2v_err *err)
{
    unsigned char *out = dst;
    size_t done = 0;
    size_t have = in->buf_len - in->buf_pos;
    if (have > 0) {
        done = have < n ? have : n;
        memcpy(out, in->buf + in->buf_pos, done);
        in->buf_pos += done;
    }
    while (done < n) {
        int64_t got = decode(in, out + done, n - done, err);
        if (got < 0) {
            return -1;
        }
        if (got == 0) {
            break;
        }
        done += (size_t)got;
    }
    return (int64_t)done;
}

int input_line(struct input *in, char **line, size_t *len, size_t max, struct w2v_err *err)
{
    size_t scanned = 0;
    for (;;) {
        unsigned char *start = in->buf + in->buf_pos;
        size_t have = in->buf_len - in->buf_pos;
        unsigned char *nl = have > scanned ? memchr(start + scanned, '\n', have - scanned) : NULL;
        size_t n = nl != NULL ? (size_t)(nl - start) : have;
        if (n > max) {
            err_set(err, "%s:%lld: line longer than %zu bytes", in->path,
                    (long long)in->lineno + 1, max);
            return -1;
        }
        if (nl != NULL || (in->eof && have > 0)) {
            in->buf_pos += nl != NULL ? n + 1 : n;
            if (n > 0 && start[n - 1] == '\r') {
                n--;
            }
            start[n] = '\0'; /* the '\n', or the spare byte ensure keeps */
            in->lineno++;
            in->cut = nl == NULL;
            *line = (char *)start;
            *len = n;
            return 1;
        }
        if (in->eof) {
            return 0;
        }
        scanned = have;
        size_t want = have < INPUT_BUF / 2 ? INPUT_BUF : have * 2;
        if (want > max + 2) {
            want = max + 2;
        }
        if (ensure(in, want > have ? want : have + 1, err) < 0) {
            return -1;
        }
    }
}

int64_t input_peek(struct input *in, size_t n, const unsigned char **p, struct w2v_err *err)
{
    int64_t have = ensure(in, n, err);
    *p = in->buf + in->buf_pos;
    return have;
}

void input_skip(struct input *in, size_t n)
{
    in->buf_pos += n;
}

bool input_mappable(const struct input *in)
{
    return in->regular && !in->gzip;
}

int input_seek(struct input *in, int64_t offset, struct w2v_err *err)
{
    if (!input_mappable(in)) {
        err_set(err, "%s: cannot seek in %s", in->path,
                in->gzip ? "gzip data" : "a pipe or device");
        return -1;
    }
    if (lseek(in->fd, (off_t)offset, SEEK_SET) < 0) {
        return fail_errno(in, errno, err);
    }
    in->raw_len = 0;
    in->raw_pos = 0;
    in->raw_eof = false;
    in->buf_len = 0;
    in->buf_pos = 0;
    in->eof = false;
    in->bom = false;
    return offset == 0 ? skip_bom(in, err) : 0;
}

void input_close(struct input *in)
{
    if (in->z_live) {
        inflateEnd(&in->z);
        in->z_live = false;
    }
    if (in->fd >= 0) {
        close(in->fd);
        in->fd = -1;
    }
    free(in->raw);
    free(in->buf);
    in->raw = NULL;
    in->buf = NULL;
}
