/* dist: the processes of one training job and the few collective operations w2v needs
 * from them. Built with W2V_MPI (make MPI=1) these run on MPI when the process was
 * started by an MPI launcher (mpirun, mpiexec, srun); otherwise the job is this one
 * process, every collective is the identity, and no MPI library is linked. All calls are
 * made by the main thread only. Every collective must be called by every process of the
 * job in the same order; waiting in one sleeps between polls instead of spinning, so that
 * the training threads keep the cores. */
#ifndef W2V_DIST_H
#define W2V_DIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"

struct dist {
    int rank;          /* this process, 0 .. size-1 */
    int size;          /* processes in the job */
    bool mpi;          /* MPI was initialised (and must be finalised) */
    int failed_rank;   /* lowest rank that failed at the last failed agreement, or -1 */
    bool broken;       /* an exchange failed or was given up: the processes are out of
                        * step, and the job must end with dist_abort */
};

/* Describes the build's MPI support in 'buf' of 'len' bytes, e.g. "MPI: Open MPI v4.1.4"
 * or "MPI: no (build with 'make MPI=1')"; returns 'buf'. Needs no dist_init. */
char *dist_describe(char *buf, size_t len);

/* Joins the job. Under an MPI launcher an MPI build initialises MPI; a build without MPI
 * refuses to run under a launcher of more than one process (it would train that many
 * copies writing one file): -1 with 'err' naming the launcher's variable. Not under a
 * launcher, the job is this process alone. Returns 0 or -1 with 'err' set. */
int dist_init(struct dist *d, struct w2v_err *err);

/* Leaves the job (MPI_Finalize). Every process must call it after its last collective. */
void dist_finish(struct dist *d);

/* Ends every process of the job at once with 'status' (MPI_Abort): for failures at a
 * point where the others cannot be told in an agreement. Does not return. */
void dist_abort(struct dist *d, int status) __attribute__((noreturn));

/* Collective: combines every process's 'rc' (0 = this step succeeded). Returns 0 when all
 * succeeded. Otherwise returns -1 and sets d->failed_rank to the lowest failing rank; a
 * process that did not fail gets 'err' set to "rank K failed" (and should stay silent:
 * rank K prints its own reason, see dist_reports). */
int dist_agree(struct dist *d, int rc, struct w2v_err *err);

/* True if this process should print the error of the last failure: it is alone, or it is
 * the lowest rank that failed. */
bool dist_reports(const struct dist *d);

/* Collective: element-wise sum of 'n' int64 values over the processes, in place. Returns
 * 0, or -1 with 'err' set when the communication fails. */
int dist_sum_i64(struct dist *d, int64_t *v, int n, struct w2v_err *err);

/* Collective: element-wise maximum of 'n' int64 values over the processes, in place. */
int dist_max_i64(struct dist *d, int64_t *v, int n, struct w2v_err *err);

/* Collective: element-wise sum of 'n' floats over the processes, in place; 'n' at most
 * INT32_MAX. Returns 0 or -1 with 'err' set. */
int dist_sum_f32(struct dist *d, float *v, size_t n, struct w2v_err *err);

/* Collective: rank 'root' sends '*len' bytes at '*buf'; every other process receives them
 * into a malloc'ed '*buf' (caller frees) with '*len' set. Sent in pieces of at most
 * DIST_CHUNK_BYTES. Returns 0 or -1 with 'err' set. */
int dist_bcast(struct dist *d, int root, char **buf, size_t *len, struct w2v_err *err);

/* Point to point: sends 'len' bytes to rank 'to', which must call dist_recv. */
int dist_send(struct dist *d, int to, const char *buf, size_t len, struct w2v_err *err);

/* Point to point: receives what rank 'from' sent with dist_send into a malloc'ed '*buf'
 * (caller frees), '*len' bytes. Returns 0 or -1 with 'err' set. */
int dist_recv(struct dist *d, int from, char **buf, size_t *len, struct w2v_err *err);

/* Largest piece of one message, in bytes: MPI counts are int, and a bounded piece keeps
 * every buffer of the protocol small. */
#define DIST_CHUNK_BYTES (1 << 24)

#endif
