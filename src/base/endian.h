/* endian: little-endian values in byte buffers, read and written byte by byte so that the
 * files of w2v, word2vec and fastText (all little-endian) read the same on any host, and
 * in-place byte swapping of 4-byte values for bulk copies on a big-endian host. */
#ifndef W2V_ENDIAN_H
#define W2V_ENDIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* True when the host stores the least significant byte first. */
static inline bool host_little_endian(void)
{
    const uint32_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

static inline uint32_t le_get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le_get_u64(const unsigned char *p)
{
    return (uint64_t)le_get_u32(p) | (uint64_t)le_get_u32(p + 4) << 32;
}

/* Two's complement and IEEE 754 reinterpretations of the bits (a plain conversion of an
 * unsigned value above the signed maximum is implementation-defined). */
static inline int32_t le_get_i32(const unsigned char *p)
{
    uint32_t u = le_get_u32(p);
    int32_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static inline int64_t le_get_i64(const unsigned char *p)
{
    uint64_t u = le_get_u64(p);
    int64_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static inline double le_get_f64(const unsigned char *p)
{
    uint64_t u = le_get_u64(p);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static inline void le_put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

static inline void le_put_u64(unsigned char *p, uint64_t v)
{
    le_put_u32(p, (uint32_t)v);
    le_put_u32(p + 4, (uint32_t)(v >> 32));
}

static inline void le_put_i32(unsigned char *p, int32_t v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    le_put_u32(p, u);
}

static inline void le_put_i64(unsigned char *p, int64_t v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    le_put_u64(p, u);
}

static inline void le_put_f64(unsigned char *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    le_put_u64(p, u);
}

/* Reverses the bytes of each of the 'n' 4-byte values at 'p'. */
static inline void swap4(void *p, size_t n)
{
    unsigned char *b = p;
    for (size_t i = 0; i < 4 * n; i += 4) {
        unsigned char t0 = b[i];
        unsigned char t1 = b[i + 1];
        b[i] = b[i + 3];
        b[i + 1] = b[i + 2];
        b[i + 2] = t1;
        b[i + 3] = t0;
    }
}

#endif
