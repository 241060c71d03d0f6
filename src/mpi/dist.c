/* dist: MPI behind W2V_MPI, and the single-process job without it. Waiting for a
 * collective polls a non-blocking request and sleeps between polls: MPI
 * libraries spin while they wait, which would take the core from a training thread. */
#include "mpi/dist.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef W2V_MPI
#include <mpi.h>
#endif

#include "base/sig.h"
#include "base/util.h"

/* Variables by which launchers tell a process its place in a job: Open MPI, MPICH's
 * Hydra (also Intel MPI and Slurm's PMI2), MVAPICH, and PMIx launchers, which give only
 * the rank. */
static const char *const launcher_size_vars[] = {
    "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE",
};
static const char *const launcher_rank_vars[] = {"PMIX_RANK", "PMI_RANK"};

/* Pause between two polls of a pending collective, in nanoseconds: from the first, doubled
 * after each poll up to the last, so that a short wait is answered fast and a long one
 * costs few wake-ups. */
#define DIST_POLL_FIRST_NS 20000L
#define DIST_POLL_LAST_NS 2000000L
/* Seconds a collective may still take after a SIGINT or SIGTERM: long enough for the
 * others, signalled too, to join the agreement that stops the job; a process that waits
 * for a dead one gives up, so that it can remove its temporary files. */
#define DIST_SIGNAL_GRACE 1.0

/* Looks for a launcher; returns true with '*var' naming the variable found and '*size'
 * the job size it gives (0 when the launcher gives only a rank). */
static bool launcher(const char **var, long *size)
{
    for (size_t i = 0; i < sizeof launcher_size_vars / sizeof launcher_size_vars[0]; i++) {
        const char *v = getenv(launcher_size_vars[i]);
        if (v != NULL) {
            char *end;
            long n = strtol(v, &end, 10);
            *var = launcher_size_vars[i];
            *size = (end != v && *end == '\0' && n > 0) ? n : 0;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof launcher_rank_vars / sizeof launcher_rank_vars[0]; i++) {
        if (getenv(launcher_rank_vars[i]) != NULL) {
            *var = launcher_rank_vars[i];
            *size = 0;
            return true;
        }
    }
    return false;
}

bool dist_reports(const struct dist *d)
{
    return d->size <= 1 || d->failed_rank < 0 || d->failed_rank == d->rank;
}

#ifdef W2V_MPI

char *dist_describe(char *buf, size_t len)
{
    char v[MPI_MAX_LIBRARY_VERSION_STRING];
    int n = 0;
    MPI_Get_library_version(v, &n);
    v[strcspn(v, ",\n")] = '\0'; /* "Open MPI v4.1.4, package: ..." -> the name */
    snprintf(buf, len, "MPI: %s", v);
    return buf;
}

static int mpi_fail(struct dist *d, int code, const char *what, struct w2v_err *err)
{
    d->broken = true;
    char msg[MPI_MAX_ERROR_STRING];
    int n = 0;
    if (MPI_Error_string(code, msg, &n) != MPI_SUCCESS) {
        snprintf(msg, sizeof msg, "error %d", code);
    }
    err_set(err, "MPI %s: %s", what, msg);
    return -1;
}

/* Waits for 'req' without spinning. */
static int wait_req(struct dist *d, MPI_Request *req, const char *what, struct w2v_err *err)
{
    struct timespec pause = {0, DIST_POLL_FIRST_NS};
    double signalled = 0.0;
    for (;;) {
        if (sig_caught() && signalled == 0.0) {
            signalled = now_sec();
        } else if (signalled > 0.0 && now_sec() - signalled > DIST_SIGNAL_GRACE) {
            err_set(err, "MPI %s: interrupted", what);
            d->broken = true;
            return -1;
        }
        int done = 0;
        int rc = MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) {
            return mpi_fail(d, rc, what, err);
        }
        if (done) {
            return 0;
        }
        nanosleep(&pause, NULL);
        long next = pause.tv_nsec * 2;
        pause.tv_nsec = next < DIST_POLL_LAST_NS ? next : DIST_POLL_LAST_NS;
    }
}

int dist_init(struct dist *d, struct w2v_err *err)
{
    memset(d, 0, sizeof *d);
    d->size = 1;
    d->failed_rank = -1;
    const char *var;
    long size;
    if (!launcher(&var, &size)) {
        return 0;
    }
    int provided = 0;
    /* Only the main thread calls MPI; the training threads never do. */
    int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (rc != MPI_SUCCESS) {
        mpi_fail(d, rc, "initialisation", err);
        d->broken = false; /* there is no job to abort */
        return -1;
    }
    d->mpi = true;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &d->size);
    return 0;
}

void dist_finish(struct dist *d)
{
    if (d->mpi) {
        MPI_Finalize();
        d->mpi = false;
    }
}

void dist_abort(struct dist *d, int status)
{
    if (d->mpi) {
        MPI_Abort(MPI_COMM_WORLD, status);
    }
    exit(status);
}

static int allreduce(struct dist *d, void *v, int n, MPI_Datatype type, MPI_Op op,
                     struct w2v_err *err)
{
    if (d->size <= 1 || n == 0) {
        return 0;
    }
    MPI_Request req;
    int rc = MPI_Iallreduce(MPI_IN_PLACE, v, n, type, op, MPI_COMM_WORLD, &req);
    if (rc != MPI_SUCCESS) {
        return mpi_fail(d, rc, "allreduce", err);
    }
    return wait_req(d, &req, "allreduce", err);
}

int dist_agree(struct dist *d, int rc, struct w2v_err *err)
{
    int64_t v = rc == 0 ? INT_MAX : d->rank;
    if (allreduce(d, &v, 1, MPI_INT64_T, MPI_MIN, err) != 0) {
        d->failed_rank = d->rank;
        return -1;
    }
    if (v == INT_MAX) {
        return 0;
    }
    d->failed_rank = (int)v;
    if (rc == 0) {
        err_set(err, "rank %d failed", d->failed_rank);
    }
    return -1;
}

int dist_sum_i64(struct dist *d, int64_t *v, int n, struct w2v_err *err)
{
    return allreduce(d, v, n, MPI_INT64_T, MPI_SUM, err);
}

int dist_max_i64(struct dist *d, int64_t *v, int n, struct w2v_err *err)
{
    return allreduce(d, v, n, MPI_INT64_T, MPI_MAX, err);
}

int dist_sum_f32(struct dist *d, float *v, size_t n, struct w2v_err *err)
{
    return allreduce(d, v, (int)n, MPI_FLOAT, MPI_SUM, err);
}

/* Moves 'len' bytes at 'buf' as pieces of at most DIST_CHUNK_BYTES: broadcast from 'peer'
 * when 'op' is 'b', sent to 'peer' when 's', received from 'peer' when 'r'. */
static int move_bytes(struct dist *d, char op, int peer, char *buf, size_t len, struct w2v_err *err)
{
    for (size_t off = 0; off < len; off += DIST_CHUNK_BYTES) {
        int n = (int)(len - off < DIST_CHUNK_BYTES ? len - off : DIST_CHUNK_BYTES);
        MPI_Request req;
        int rc;
        if (op == 'b') {
            rc = MPI_Ibcast(buf + off, n, MPI_BYTE, peer, MPI_COMM_WORLD, &req);
        } else if (op == 's') {
            rc = MPI_Isend(buf + off, n, MPI_BYTE, peer, 0, MPI_COMM_WORLD, &req);
        } else {
            rc = MPI_Irecv(buf + off, n, MPI_BYTE, peer, 0, MPI_COMM_WORLD, &req);
        }
        if (rc != MPI_SUCCESS) {
            return mpi_fail(d, rc, "message", err);
        }
        if (wait_req(d, &req, "message", err) != 0) {
            return -1;
        }
    }
    return 0;
}

int dist_bcast(struct dist *d, int root, char **buf, size_t *len, struct w2v_err *err)
{
    if (d->size <= 1) {
        return 0;
    }
    int64_t n = d->rank == root ? (int64_t)*len : 0;
    if (move_bytes(d, 'b', root, (char *)&n, sizeof n, err) != 0) {
        return -1;
    }
    if (d->rank != root) {
        *len = (size_t)n;
        *buf = xmalloc(*len + 1);
    }
    return move_bytes(d, 'b', root, *buf, *len, err);
}

int dist_send(struct dist *d, int to, const char *buf, size_t len, struct w2v_err *err)
{
    int64_t n = (int64_t)len;
    if (move_bytes(d, 's', to, (char *)&n, sizeof n, err) != 0) {
        return -1;
    }
    /* MPI_Isend takes a non-const buffer in older MPI versions; it does not write it. */
    return move_bytes(d, 's', to, (char *)(uintptr_t)buf, len, err);
}

int dist_recv(struct dist *d, int from, char **buf, size_t *len, struct w2v_err *err)
{
    int64_t n = 0;
    if (move_bytes(d, 'r', from, (char *)&n, sizeof n, err) != 0) {
        return -1;
    }
    *len = (size_t)n;
    *buf = xmalloc(*len + 1);
    return move_bytes(d, 'r', from, *buf, *len, err);
}

#else /* a build without MPI: the job is this process */

char *dist_describe(char *buf, size_t len)
{
    snprintf(buf, len, "MPI: no (build with 'make MPI=1' for mpirun)");
    return buf;
}

int dist_init(struct dist *d, struct w2v_err *err)
{
    memset(d, 0, sizeof *d);
    d->size = 1;
    d->failed_rank = -1;
    const char *var;
    long size;
    if (launcher(&var, &size) && size != 1) {
        /* Only the launcher's rank 0 (or an unknown rank) tells. */
        const char *rank = getenv("OMPI_COMM_WORLD_RANK");
        rank = rank != NULL ? rank : getenv("PMI_RANK");
        rank = rank != NULL ? rank : getenv("PMIX_RANK");
        d->size = size > 1 ? (int)size : 2;
        d->rank = rank != NULL ? (int)strtol(rank, NULL, 10) : 0;
        d->failed_rank = 0;
        char n[32];
        snprintf(n, sizeof n, "%ld", size);
        err_set(err, "started by an MPI launcher (%s%s%s) but this w2v was built without "
                "MPI, so every process would train alone and write the same file; build "
                "it with 'make MPI=1'", var, size > 0 ? "=" : " is set", size > 0 ? n : "");
        return -1;
    }
    return 0;
}

void dist_finish(struct dist *d)
{
    (void)d;
}

void dist_abort(struct dist *d, int status)
{
    (void)d;
    exit(status);
}

int dist_agree(struct dist *d, int rc, struct w2v_err *err)
{
    (void)err;
    d->failed_rank = rc == 0 ? -1 : 0;
    return rc == 0 ? 0 : -1;
}

int dist_sum_i64(struct dist *d, int64_t *v, int n, struct w2v_err *err)
{
    (void)d, (void)v, (void)n, (void)err;
    return 0;
}

int dist_max_i64(struct dist *d, int64_t *v, int n, struct w2v_err *err)
{
    (void)d, (void)v, (void)n, (void)err;
    return 0;
}

int dist_sum_f32(struct dist *d, float *v, size_t n, struct w2v_err *err)
{
    (void)d, (void)v, (void)n, (void)err;
    return 0;
}

int dist_bcast(struct dist *d, int root, char **buf, size_t *len, struct w2v_err *err)
{
    (void)d, (void)root, (void)buf, (void)len, (void)err;
    return 0;
}

int dist_send(struct dist *d, int to, const char *buf, size_t len, struct w2v_err *err)
{
    (void)d, (void)buf, (void)len;
    err_set(err, "no rank %d in a job of one process", to);
    return -1;
}

int dist_recv(struct dist *d, int from, char **buf, size_t *len, struct w2v_err *err)
{
    (void)d, (void)buf, (void)len;
    err_set(err, "no rank %d in a job of one process", from);
    return -1;
}

#endif
