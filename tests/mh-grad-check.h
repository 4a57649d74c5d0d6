/* mh-grad-check.h — finite-difference gradient checks of a layer, shared by
 * the layer tests (test-grad.c, test-attention.c; DESIGN.md §4, §9).
 *
 * A harness binds one layer to buffers of its own, the way the model binds
 * slabs.  The scalar checked is L = Σ r ⊙ y with a fixed random r, so the
 * output gradient is dy = r; L is summed in double so that only the rounding
 * of the outputs that an input actually moves reaches the difference
 * quotient.  Each analytic gradient a is compared with the central difference
 *   d = (L(v + ε) − L(v − ε)) / (v⁺ − v⁻)
 * where v⁺, v⁻ are the perturbed values after rounding to float32, under
 *   |a − d| ≤ GRAD_ATOL + GRAD_RTOL · max(|a|, |d|) = 3e-4 + 3e-3 · max(|a|, |d|).
 * With float32 forward passes and ε = 1e-2 (3e-3 for layernorm, whose third
 * derivative is larger; 1e-3 next to the kinks of ReLU and maxpool; 0.1 for
 * dense and conv2d, linear in each variable) the truncation error ε²·f‴/6
 * plus the rounding error ~1e-7·|y|/ε stay below a fifth of the tolerance
 * on the cases here (--verbose prints the worst of each tensor, as a
 * fraction of the tolerance) and over 60 other seeds, while a gradient off
 * by 1 % or a wrong element is far outside.  Small tensors are checked in
 * full, bigger ones on MAX_CHECKS distinct elements chosen by a seeded GRand.
 */
#pragma once

#include <glib.h>
#include "mh-layer.h"

G_BEGIN_DECLS

#define GRAD_ATOL  3e-4
#define GRAD_RTOL  3e-3
#define N_BATCH    3

typedef struct {
  MhLayer  *l;
  int       n;
  gboolean  train;         /* forward in training mode */
  guint32   fwd_seed;      /* the forward GRand restarts from this every time */
  GRand    *fwd_rng;
  GRand    *rng;           /* for the test's own random values */
  gsize     in_len, out_len;
  float    *x, *y, *dx, *r;
  float    *scratch;
  int      *iscratch;
} Harness;

typedef void (*SpecSetter) (MhLayerSpec *spec, gpointer data);

/* U(lo, hi); lo ≤ |v| < hi of either sign (away from ReLU's kink); a random
 * permutation of (i − len/2)·step (distinct, `step` apart). */
void     fill_uniform (float *v, gsize len, double lo, double hi, GRand *rng);
void     fill_away_from_zero (float *v, gsize len, double lo, double hi, GRand *rng);
void     fill_distinct (float *v, gsize len, double step, GRand *rng);

/* A layer of `spec` on inputs of shape `in`, batch n, bound to buffers of
 * its own; parameters get the layer's init plus U(−0.3, 0.3), x and the
 * output gradient r are U(−1, 1). */
Harness *harness_new (const MhLayerSpec *spec, MhShape in, int n, guint32 seed);
/* The same for a type's default spec changed by `set`, batch N_BATCH. */
Harness *harness_for (const char *type, MhShape in, guint32 seed, SpecSetter set, gpointer data);
void     harness_free (Harness *h);
void     harness_forward (Harness *h);

/* The analytic gradient of the tensor `v` (len floats the layer reads)
 * against central differences of L = Σ r ⊙ y. */
void     check_fd (Harness *h, float *v, gsize len, const float *analytic, float eps,
                   const char *what);
/* dx and every parameter gradient against central differences, plus the
 * accumulate, dx = NULL and frozen contracts.  Returns dx; g_free() it. */
float   *check_layer (Harness *h, float eps);
void     assert_out_shape (Harness *h, MhShape want);
/* |got − want| ≤ tol·(1 + |want|) everywhere (want: a double reference). */
void     assert_near (const float *got, const double *want, gsize len, double tol, const char *what);
/* The layer's parameter called `name` (the test fails without one). */
const MhParam *layer_param (const MhLayer *l, const char *name);

G_END_DECLS
