/* test-blas.c — mh_gemm against a naive product; the OpenBLAS core choice;
 * the core reported is the one OpenBLAS runs on: this program started
 * again with OPENBLAS_CORETYPE set to two different cores reports each. */
#include <string.h>
#include "mh-blas.h"

static const char *self_path;

static void
naive (gboolean ta, gboolean tb, int m, int n, int k, float alpha, const float *a, int lda,
       const float *b, int ldb, float beta, float *c, int ldc)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double s = 0;
        for (int p = 0; p < k; p++)
          s += (double) (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
        c[i * ldc + j] = (float) (alpha * s + beta * c[i * ldc + j]);
      }
}

static void
test_gemm (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (3);
  int m = 7, n = 5, k = 9;
  float a[81], b[81], c1[81], c2[81];

  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++)
      {
        for (int i = 0; i < 81; i++)
          {
            a[i] = g_rand_double_range (rng, -1, 1);
            b[i] = g_rand_double_range (rng, -1, 1);
            c1[i] = c2[i] = g_rand_double_range (rng, -1, 1);
          }
        int lda = ta ? m : k, ldb = tb ? k : n;
        mh_gemm (ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 0.25f, c1, n);
        naive (ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 0.25f, c2, n);
        for (int i = 0; i < m * n; i++)
          g_assert_cmpfloat_with_epsilon (c1[i], c2[i], 1e-5);
      }
}

static void
test_core_choice (void)
{
  /* Debian 12's OpenBLAS falls back to Prescott on recent CPUs: restart. */
  g_assert_cmpstr (mh_blas_core_to_restart_with ("Prescott", "Cooperlake", NULL), ==, "Cooperlake");
  g_assert_cmpstr (mh_blas_core_to_restart_with ("Prescott", "Haswell", ""), ==, "Haswell");
  g_assert_cmpstr (mh_blas_core_to_restart_with ("Haswell", "SkylakeX", NULL), ==, "SkylakeX");
  /* The user's own setting wins. */
  g_assert_null (mh_blas_core_to_restart_with ("Prescott", "Cooperlake", "Prescott"));
  g_assert_null (mh_blas_core_to_restart_with ("Haswell", "Cooperlake", "Haswell"));
  /* Already the best, or as good. */
  g_assert_null (mh_blas_core_to_restart_with ("Cooperlake", "Cooperlake", NULL));
  g_assert_null (mh_blas_core_to_restart_with ("SkylakeX", "Cooperlake", NULL));
  g_assert_null (mh_blas_core_to_restart_with ("Zen", "Haswell", NULL));
  /* Nothing known about the CPU: leave OpenBLAS alone. */
  g_assert_null (mh_blas_core_to_restart_with ("Prescott", NULL, NULL));
}

/* The core a new process reports when OPENBLAS_CORETYPE is `core`. */
static char *
core_in_child (const char *core)
{
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "OPENBLAS_CORETYPE", core, TRUE);
  const char *argv[] = { self_path, "--print-core", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (g_steal_pointer (&out));
}

static void
test_core_reported (void)
{
  g_autofree char *prescott = core_in_child ("Prescott");
  g_autofree char *haswell = core_in_child ("Haswell");
  const char *env = g_getenv ("OPENBLAS_CORETYPE");

  /* what OpenBLAS was told to run on, not a name made up */
  g_assert_cmpstr (prescott, ==, "Prescott");
  g_assert_cmpstr (haswell, ==, "Haswell");
  if (env != NULL && *env != '\0')
    g_assert_cmpint (g_ascii_strcasecmp (mh_blas_core (), env), ==, 0);
  mh_blas_set_threads (2);
  g_assert_cmpint (mh_blas_threads (), ==, MIN (2, (int) g_get_num_processors ()));
  mh_blas_set_threads (1);
  g_assert_cmpint (mh_blas_threads (), ==, 1);
}

int
main (int argc, char **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "--print-core"))
    {
      g_print ("%s\n", mh_blas_core ());
      return 0;
    }
  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/blas/gemm", test_gemm);
  g_test_add_func ("/engine/blas/core-choice", test_core_choice);
  g_test_add_func ("/engine/blas/core-reported", test_core_reported);
  return g_test_run ();
}
