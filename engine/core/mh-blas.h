/* mh-blas.h — every matrix product of the engine goes through mh_gemm();
 * this file also picks and reports the OpenBLAS kernel set (docs/ARCHITECTURE.md, "OpenBLAS").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Row-major C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C. */
void mh_gemm (gboolean trans_a, gboolean trans_b, int m, int n, int k,
              float alpha, const float *a, int lda, const float *b, int ldb,
              float beta, float *c, int ldc);

/* The kernel set OpenBLAS runs on ("Cooperlake", "Haswell", "Prescott", …). */
const char *mh_blas_core (void);
void        mh_blas_set_threads (int n_threads);
int         mh_blas_threads (void);

/* The best OpenBLAS core type for this CPU by its CPUID features, or NULL
 * when OpenBLAS's own choice cannot be improved upon. */
const char *mh_blas_best_core_for_cpu (void);

/* Pure decision: which OPENBLAS_CORETYPE to restart with, given the core
 * OpenBLAS loaded, the best one for the CPU and the user's own setting
 * (which always wins).  NULL: keep running as is. */
const char *mh_blas_core_to_restart_with (const char *loaded, const char *best,
                                          const char *user_setting);

/* Call first thing in main().  OpenBLAS picks its kernels before main() runs
 * and Debian 12's 0.3.21 picks slow Prescott kernels on recent CPUs, so when
 * a better core exists this sets OPENBLAS_CORETYPE and re-executes the
 * program once.  Returns only when no restart was needed or it failed. */
void mh_blas_ensure_best_core (char **argv);

G_END_DECLS
