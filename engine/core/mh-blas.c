/* mh-blas.c — the one GEMM wrapper, and picking OpenBLAS's kernel set.
 *
 * Debian 12's OpenBLAS 0.3.21 chooses its kernels by CPU model when the
 * library loads.  It does not know recent CPUs and falls back to Prescott
 * kernels, four to six times slower (docs/ARCHITECTURE.md, "OpenBLAS").  We read the CPU's
 * features ourselves and, when OpenBLAS chose worse, restart the program
 * once with OPENBLAS_CORETYPE set.  A user's own OPENBLAS_CORETYPE wins.
 */
#include <cblas.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "mh-blas.h"

/* Declared by OpenBLAS's cblas.h on Debian, but not by every cblas.h. */
extern char *openblas_get_corename (void);
extern void  openblas_set_num_threads (int);
extern int   openblas_get_num_threads (void);

#define MH_RESTART_MARK "MH_BLAS_RESTARTED"

void
mh_gemm (gboolean trans_a, gboolean trans_b, int m, int n, int k,
         float alpha, const float *a, int lda, const float *b, int ldb,
         float beta, float *c, int ldc)
{
  g_return_if_fail (m >= 0 && n >= 0 && k >= 0);
  g_return_if_fail (c != NULL && (k == 0 || (a != NULL && b != NULL)));

  if (m == 0 || n == 0)
    return;
  cblas_sgemm (CblasRowMajor,
               trans_a ? CblasTrans : CblasNoTrans,
               trans_b ? CblasTrans : CblasNoTrans,
               m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

const char *
mh_blas_core (void)
{
  return openblas_get_corename ();
}

void
mh_blas_set_threads (int n_threads)
{
  openblas_set_num_threads (MAX (1, n_threads));
}

int
mh_blas_threads (void)
{
  return openblas_get_num_threads ();
}

#if defined(__x86_64__) || defined(__i386__)
static gboolean
os_saves (guint64 mask)
{
  guint32 lo, hi;
  guint a, b, c, d;

  __cpuid (1, a, b, c, d);
  if (!(c & bit_OSXSAVE))
    return FALSE;
  __asm__ volatile ("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
  return ((((guint64) hi << 32) | lo) & mask) == mask;
}

const char *
mh_blas_best_core_for_cpu (void)
{
  guint a, b, c, d, max_leaf = __get_cpuid_max (0, NULL);
  gboolean avx, fma, avx2 = FALSE, avx512 = FALSE, bf16 = FALSE;

  if (max_leaf < 1)
    return NULL;
  __cpuid (1, a, b, c, d);
  avx = (c & bit_AVX) && os_saves (0x6);
  fma = (c & bit_FMA) != 0;
  if (max_leaf >= 7)
    {
      __cpuid_count (7, 0, a, b, c, d);
      avx2 = avx && (b & bit_AVX2);
      avx512 = (b & bit_AVX512F) && (b & bit_AVX512BW) && (b & bit_AVX512VL)
               && (b & bit_AVX512DQ) && (b & bit_AVX512CD) && os_saves (0xe6);
      __cpuid_count (7, 1, a, b, c, d);
      bf16 = avx512 && (a & (1u << 5));
    }
  if (bf16)
    return "Cooperlake";
  if (avx512)
    return "SkylakeX";
  if (avx2 && fma)
    return "Haswell";
  if (avx)
    return "Sandybridge";
  return NULL;
}
#else
const char *
mh_blas_best_core_for_cpu (void)
{
  return NULL;
}
#endif

const char *
mh_blas_core_to_restart_with (const char *loaded, const char *best, const char *user_setting)
{
  if (user_setting != NULL && *user_setting != '\0')
    return NULL;
  if (best == NULL || loaded == NULL)
    return NULL;
  if (g_ascii_strcasecmp (loaded, best) == 0)
    return NULL;
  /* OpenBLAS may already run something as good (e.g. "Zen" on AMD, whose
   * kernels are Haswell's): restart only to leave the slow fallbacks or to
   * gain AVX-512 kernels. */
  if (g_ascii_strcasecmp (best, "Haswell") == 0 || g_ascii_strcasecmp (best, "Sandybridge") == 0)
    {
      static const char *const fallbacks[] = { "Prescott", "Core2", "Penryn", "Dunnington",
                                               "Nehalem", "Atom", "Katmai", "Coppermine",
                                               "Northwood", "Banias", "Opteron", "Barcelona" };
      for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
        if (g_ascii_strcasecmp (loaded, fallbacks[i]) == 0)
          return best;
      return NULL;
    }
  if (g_ascii_strcasecmp (loaded, "SkylakeX") == 0 && g_ascii_strcasecmp (best, "Cooperlake") == 0)
    return NULL;   /* the same sgemm kernels */
  return best;
}

void
mh_blas_ensure_best_core (char **argv)
{
  const char *core;

  if (g_getenv (MH_RESTART_MARK) != NULL)
    return;   /* restarted once already: never loop */
  core = mh_blas_core_to_restart_with (mh_blas_core (), mh_blas_best_core_for_cpu (),
                                       g_getenv ("OPENBLAS_CORETYPE"));
  if (core == NULL)
    return;
  g_setenv ("OPENBLAS_CORETYPE", core, TRUE);
  g_setenv (MH_RESTART_MARK, "1", TRUE);
  execv ("/proc/self/exe", argv);
  /* Could not restart: carry on with the slower kernels, and say so. */
  g_printerr ("multihead-studio: could not restart with OpenBLAS %s kernels (%s); "
              "running on %s\n", core, g_strerror (errno), mh_blas_core ());
  g_unsetenv ("OPENBLAS_CORETYPE");
}
