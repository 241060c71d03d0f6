/* idstream: the training text as a compact stream of word ids. Each id is stored in a
 * variable-length byte code (7 bits a byte, low bits first, the high bit set on every byte
 * but the last), so ids below 128 take 1 byte and ids below 16384 take 2. The bytes are cut
 * into blocks of IDSTREAM_BLOCK bytes; a token never straddles two blocks. A block lives in
 * memory while the stream's memory limit allows it; beyond the limit it is written to a
 * spill file created in a temporary directory and unlinked at once, so nothing is left on
 * disk whatever way the process ends. Readers (one per training thread) take contiguous
 * slices by token position and read spilled blocks back one block at a time. A block
 * normally holds IDSTREAM_BLOCK bytes; recoding to other ids may make it longer. */
#ifndef W2V_IDSTREAM_H
#define W2V_IDSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"

/* Bytes in a block: the unit held in memory, spilled and read back. Training reads the
 * stream in shuffled pieces of about 10,000 tokens (schedule.h), and a reader that opens
 * a piece decodes its block from the start (idreader_open): 64 KiB, about 40,000 tokens
 * of English text, bounds what that costs and what a spilled piece reads. */
#define IDSTREAM_BLOCK (1u << 16)
/* Longest code of one id (an id below 2^31 needs at most 5 groups of 7 bits). */
#define IDSTREAM_MAX_CODE 5

struct idstream_block {
    unsigned char *mem;  /* the bytes, or NULL when the block is in the spill file */
    int64_t off;         /* offset in the spill file when spilled */
    uint32_t cap;        /* bytes allocated for 'mem' */
    uint32_t len;        /* bytes used */
    uint32_t tokens;     /* ids coded in the block */
    int64_t first;       /* token position of the block's first id */
};

struct idstream {
    struct idstream_block *blk;
    int64_t nblk;
    int64_t cap_blk;
    int64_t n;           /* ids in the stream */
    int64_t bytes;       /* coded bytes in the stream */
    size_t mem_limit;    /* block bytes allowed in memory (SIZE_MAX: no limit) */
    size_t mem_bytes;    /* block bytes held in memory */
    const char *tmpdir;  /* where a spill file goes */
    int fd;              /* the spill file, -1 before the first spill */
    int64_t file_len;
    uint32_t max_len;    /* longest block, in bytes (blocks recoded to larger ids grow) */
    int threads;         /* threads idstream_remap may use (idstream_set_threads) */
    unsigned char *w;    /* write position in the last block (NULL: no open block) */
    unsigned char *w_end;
};

/* Initialises an empty stream that keeps at most 'mem_limit' bytes of blocks in memory
 * and spills the rest to a file in 'tmpdir' (kept as a pointer; NULL means $TMPDIR, or /tmp
 * when that is unset). */
void idstream_init(struct idstream *s, size_t mem_limit, const char *tmpdir);

/* Frees the memory and closes the spill file (which is already unlinked). */
void idstream_free(struct idstream *s);

/* Slow path of idstream_push: closes the full block and opens the next one. */
int idstream_next_block(struct idstream *s, struct w2v_err *err);

/* Appends 'id' (0 <= id < 2^31). Returns 0, or -1 with 'err' set: memory, or a failure to
 * create or write the spill file (the message names the directory). */
static inline int idstream_push(struct idstream *s, uint32_t id, struct w2v_err *err)
{
    if (s->w == NULL || s->w_end - s->w < IDSTREAM_MAX_CODE) {
        if (idstream_next_block(s, err) != 0) {
            return -1;
        }
    }
    unsigned char *p = s->w;
    while (id >= 0x80) {
        *p++ = (unsigned char)(id | 0x80);
        id >>= 7;
    }
    *p++ = (unsigned char)id;
    s->bytes += p - s->w;
    s->w = p;
    s->blk[s->nblk - 1].tokens++;
    s->n++;
    return 0;
}

/* Closes the last block; call once all ids are pushed and before reading. Returns 0 or
 * -1 (spilling). */
int idstream_finish(struct idstream *s, struct w2v_err *err);

/* Lowers the memory limit to 'mem_limit', spilling blocks (the newest first) until the
 * blocks in memory fit. Returns 0, or -1 with 'err' set. */
int idstream_set_limit(struct idstream *s, size_t mem_limit, struct w2v_err *err);

/* Lets idstream_remap recode the blocks in memory with up to 'threads' threads (the
 * calling one among them); one until this is called. */
void idstream_set_threads(struct idstream *s, int threads);

/* Replaces every id by 'map'[id], dropping those mapped to -1, block by block. A block
 * whose code grows is reallocated in memory, or moved to the end of the spill file. Works
 * on memory and spilled blocks alike, and on an unfinished stream (appending may go on).
 * The blocks in memory are recoded by the threads idstream_set_threads allows, the
 * spilled ones by the calling thread alone. Returns 0 or -1 (memory, a read or write
 * error). */
int idstream_remap(struct idstream *s, const int32_t *map, struct w2v_err *err);

/* Bytes of memory the stream holds: its blocks in memory and its block table. */
size_t idstream_mem_bytes(const struct idstream *s);

/* True once a block has been written to the spill file. */
static inline bool idstream_spilled(const struct idstream *s)
{
    return s->fd >= 0;
}

/* The directory a spill file goes to. */
const char *idstream_dir(const struct idstream *s);

/* A reader of the slice [begin, end) of token positions. Readers of one stream may run in
 * parallel threads; each spilled block is read with one pread into the reader's buffer. */
struct idreader {
    const struct idstream *s;
    int64_t blk;              /* the next block to load */
    const unsigned char *p;   /* next byte in the loaded block */
    const unsigned char *end;
    int64_t left;             /* ids left in the slice */
    unsigned char *buf;       /* IDSTREAM_BLOCK bytes for spilled blocks, or NULL */
    struct w2v_err err;       /* the reason of a failed read */
};

/* Bytes a reader allocates (a buffer for the longest block once the stream has spilled). */
size_t idreader_bytes(const struct idstream *s);

/* Positions 'r' at token 'begin' of the slice [begin, end) of a finished stream. 'r' must
 * be zeroed before its first open; opening it again keeps its buffer. Returns 0, or -1
 * with 'err' set (memory, a read error). */
int idreader_open(struct idreader *r, const struct idstream *s, int64_t begin, int64_t end,
                  struct w2v_err *err);

/* Loads the next block; returns 0, or -1 with r->err set. */
int idreader_load(struct idreader *r);

/* The next id of the slice: returns it (>= 0), -1 at the end of the slice, or -2 after a
 * read error (r->err says which). */
static inline int64_t idreader_next(struct idreader *r)
{
    if (r->left == 0) {
        return -1;
    }
    while (r->p == r->end) {
        if (idreader_load(r) != 0) {
            return -2;
        }
    }
    r->left--;
    const unsigned char *p = r->p;
    uint32_t id = *p++;
    if (id >= 0x80) {
        id &= 0x7f;
        unsigned shift = 7;
        uint32_t b;
        do {
            b = *p++;
            id |= (b & 0x7f) << shift;
            shift += 7;
        } while (b >= 0x80);
    }
    r->p = p;
    return id;
}

/* Frees the reader's buffer. */
void idreader_close(struct idreader *r);

#endif
