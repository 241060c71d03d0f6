/* merge: the counts travel as vocab_pack buffers, at most one per process at a time. */
#include "mpi/merge.h"

#include <stdlib.h>

#include "base/util.h"

int merge_stats(struct dist *d, struct corpus_stats *st, struct w2v_err *err)
{
    int64_t v[] = {st->tokens, st->lines, st->truncated, st->dropped};
    if (dist_sum_i64(d, v, (int)(sizeof v / sizeof v[0]), err) != 0) {
        return -1;
    }
    st->tokens = v[0];
    st->lines = v[1];
    st->truncated = v[2];
    st->dropped = v[3];
    return 0;
}

/* Rank 0 ends with the counts of all: at step k, rank r (a multiple of 2k) takes those
 * of rank r + k. */
static int reduce_counts(struct dist *d, struct vocab *v, struct w2v_err *err)
{
    for (int step = 1; step < d->size; step *= 2) {
        if (d->rank % (2 * step) == step) {
            size_t len;
            char *buf = vocab_pack(v, &len);
            int rc = dist_send(d, d->rank - step, buf, len, err);
            free(buf);
            return rc;
        }
        if (d->rank + step < d->size) {
            char *buf = NULL;
            size_t len = 0;
            int rc = dist_recv(d, d->rank + step, &buf, &len, err);
            if (rc == 0) {
                rc = vocab_merge_packed(v, buf, len, err);
            }
            free(buf);
            if (rc != 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* Rank 0's pruned vocabulary to every other process, which renumbers its stream. */
static int share_pruned(struct dist *d, struct vocab *v, struct idstream *s, struct w2v_err *err)
{
    size_t len = 0;
    char *buf = d->rank == 0 ? vocab_pack(v, &len) : NULL;
    int rc = dist_bcast(d, 0, &buf, &len, err);
    if (rc == 0 && d->rank != 0) {
        struct vocab all;
        vocab_init(&all);
        all.count[0] = 0;
        rc = vocab_merge_packed(&all, buf, len, err);
        if (rc == 0) {
            int32_t *map = vocab_map(v, &all);
            rc = idstream_remap(s, map, err);
            free(map);
            vocab_free(v);
            *v = all;
        } else {
            vocab_free(&all);
        }
    }
    free(buf);
    return rc;
}

int merge_vocab(struct dist *d, struct vocab *v, struct idstream *s, struct corpus_stats *st,
                int64_t min_count, int64_t max_vocab, const char *subject, bool *broken,
                struct w2v_err *err)
{
    *broken = true;
    if (merge_stats(d, st, err) != 0) {
        return -1;
    }
    *broken = false;
    if (st->tokens == 0) {
        err_set(err, "%s: no words in the corpus", subject);
        return -1;
    }
    *broken = true;
    if (reduce_counts(d, v, err) != 0) {
        return -1;
    }
    if (d->rank == 0) {
        int32_t *map = NULL;
        vocab_prune(v, min_count, max_vocab, &map);
        int rc = idstream_remap(s, map, err);
        free(map);
        if (rc != 0) {
            return -1;
        }
    }
    if (share_pruned(d, v, s, err) != 0) {
        return -1;
    }
    *broken = false;
    if (v->n <= 1) {
        err_set(err, "%s: empty vocabulary: no word occurs at least %lld %s (-min-count)",
                subject, (long long)min_count, plural(min_count, "time", "times"));
        return -1;
    }
    return 0;
}
