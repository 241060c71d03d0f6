/* sync: the tick exchange and the chunked averaging. The averaging sums rows in place
 * while the training threads of this process are updating them: an update landing
 * between the sum and the scaling of a chunk is lost, as updates are lost to one another
 * in Hogwild (see update.h). */
#include "mpi/sync.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Layout of the counters exchanged every tick. */
enum { ST_DONE, ST_FINISHED, ST_FAILED, ST_DUE, ST_REGION, ST_FIXED = ST_REGION };

static int64_t head_rows(const int64_t *counts, int64_t n)
{
    double total = 0.0;
    for (int64_t i = 0; i < n; i++) {
        total += (double)counts[i];
    }
    double seen = 0.0;
    int64_t rows = 0;
    while (rows < n && seen < SYNC_HEAD_MASS * total) {
        seen += (double)counts[rows++];
    }
    return rows;
}

int sync_init(struct dist_sync *s, struct dist *d, struct model *m, const int64_t *counts,
              double seconds, int64_t words, int rare, struct w2v_err *err)
{
    memset(s, 0, sizeof *s);
    s->d = d;
    s->m = m;
    s->seconds = seconds;
    s->words = words;
    s->rare = rare < 1 ? 1 : rare;
    s->head = head_rows(counts, m->n);
    s->last_time = now_sec();
    s->mark = xcalloc((size_t)s->rare + 1, sizeof *s->mark);
    s->status = xcalloc((size_t)s->rare + 1 + ST_FIXED, sizeof *s->status);
    s->buf = alloc_big(SYNC_CHUNK_FLOATS * sizeof *s->buf, "synchronisation buffer", err);
    return s->buf != NULL ? 0 : -1;
}

void sync_free(struct dist_sync *s)
{
    free(s->mark);
    free(s->status);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

/* Rows [lo, hi) of region k: 0 is the head, 1..rare the slices of the rest. */
static void region_rows(const struct dist_sync *s, int k, int64_t *lo, int64_t *hi)
{
    if (k == 0) {
        *lo = 0;
        *hi = s->head;
        return;
    }
    int64_t tail = s->m->n - s->head;
    int64_t rare = s->rare > 0 ? s->rare : 1; /* sync_init makes it at least 1 */
    *lo = s->head + tail * (k - 1) / rare;
    *hi = s->head + tail * k / rare;
}

/* Averages rows [lo, hi) of 'mat' ('dim' floats a row) over the 'count' processes that
 * contribute; this one sends zeros unless 'mine'. */
static int average_rows(struct dist_sync *s, float *mat, int64_t lo, int64_t hi, bool mine,
                        int64_t count, struct w2v_err *err)
{
    int dim = s->m->cfg.dim;
    size_t from = (size_t)lo * (size_t)dim;
    size_t to = (size_t)hi * (size_t)dim;
    float scale = 1.0f / (float)count;
    for (size_t off = from; off < to; off += SYNC_CHUNK_FLOATS) {
        size_t n = SYNC_CHUNK_FLOATS;
        if (to - off < n) {
            n = to - off;
        }
        /* A contributor sums its rows in place; the others send zeros from the buffer. */
        float *v = mine ? mat + off : s->buf;
        if (!mine) {
            memset(s->buf, 0, n * sizeof *s->buf);
        }
        if (dist_sum_f32(s->d, v, n, err) != 0) {
            return -1;
        }
        /* Hogwild: written while this process's training threads update the same rows. */
        for (size_t i = 0; i < n; i++) {
            mat[off + i] = v[i] * scale;
        }
        s->floats += (int64_t)n;
    }
    return 0;
}

/* Averages region 'k' of every weight matrix. Hierarchical softmax's inner nodes are
 * numbered from the leaves up, so its busiest rows (near the root) are the last ones: the
 * region is mirrored there. */
static int average_region(struct dist_sync *s, int k, int64_t own_done, struct w2v_err *err)
{
    struct model *m = s->m;
    int64_t lo;
    int64_t hi;
    region_rows(s, k, &lo, &hi);
    int64_t count = s->status[ST_REGION + k];
    bool mine = own_done > s->mark[k] || count == 0;
    if (count == 0) {
        count = s->d->size;
    }
    if (average_rows(s, m->in, lo, hi, mine, count, err) != 0) {
        return -1;
    }
    int64_t buckets = m->rows_in - m->n;
    if (k > 0 && buckets > 0) {
        /* the n-gram buckets go with the rare slices, a share each */
        int64_t rare = s->rare > 0 ? s->rare : 1;
        if (average_rows(s, m->in, m->n + buckets * (k - 1) / rare, m->n + buckets * k / rare,
                         mine, count, err) != 0) {
            return -1;
        }
    }
    if (m->out_ns != NULL && average_rows(s, m->out_ns, lo, hi, mine, count, err) != 0) {
        return -1;
    }
    int64_t inner = m->n - 1;
    int64_t hlo = inner - (hi < inner ? hi : inner);
    int64_t hhi = inner - (lo < inner ? lo : inner);
    if (m->out_hs != NULL && average_rows(s, m->out_hs, hlo, hhi, mine, count, err) != 0) {
        return -1;
    }
    s->mark[k] = own_done;
    return 0;
}

static int run_round(struct dist_sync *s, bool last, int64_t own_done, struct w2v_err *err)
{
    double t0 = now_sec();
    int slice = 1 + (int)(s->round % (s->rare > 0 ? s->rare : 1));
    int rc = average_region(s, 0, own_done, err);
    for (int k = 1; k <= s->rare && rc == 0; k++) {
        if (last || k == slice) {
            rc = average_region(s, k, own_done, err);
        }
    }
    s->round++;
    s->rounds++;
    s->busy += now_sec() - t0;
    return rc;
}

int sync_tick(void *ctx, struct train_tick *t, struct w2v_err *err)
{
    struct dist_sync *s = ctx;
    struct dist *d = s->d;
    double now = now_sec();
    int nst = ST_FIXED + s->rare + 1;
    s->status[ST_DONE] = t->done;
    s->status[ST_FINISHED] = t->finished;
    s->status[ST_FAILED] = t->failed;
    s->status[ST_DUE] = d->rank == 0 && s->seconds > 0 && now - s->last_time >= s->seconds;
    for (int k = 0; k <= s->rare; k++) {
        s->status[ST_REGION + k] = t->done > s->mark[k];
    }
    if (dist_sum_i64(d, s->status, nst, err) != 0) {
        return -1;
    }
    if (s->status[ST_FAILED] > 0) {
        dist_agree(d, t->failed ? -1 : 0, err);
        return -1;
    }
    int64_t job_done = s->status[ST_DONE];
    t->others = job_done - t->done;
    t->end = s->status[ST_FINISHED] == d->size;
    bool due = t->end || s->status[ST_DUE] > 0 ||
               (s->words > 0 && job_done - s->job_at_last >= s->words);
    if (!due) {
        return 0;
    }
    if (run_round(s, t->end, t->done, err) != 0) {
        return -1;
    }
    s->job_at_last = job_done;
    /* The interval runs from the end of a round: however slow the network, at least that
     * much training separates two rounds. */
    s->last_time = now_sec();
    return 0;
}

int64_t sync_round_bytes(const struct dist_sync *s)
{
    const struct model *m = s->m;
    int64_t lo;
    int64_t hi;
    region_rows(s, 1, &lo, &hi);
    int64_t rows = s->head + (hi - lo);
    int matrices = 1 + (m->out_ns != NULL) + (m->out_hs != NULL);
    int64_t buckets = (m->rows_in - m->n) / (s->rare > 0 ? s->rare : 1);
    return (rows * matrices + buckets) * m->cfg.dim * (int64_t)sizeof(float);
}
