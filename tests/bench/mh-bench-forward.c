/* mh-bench-forward.c — the latency of one image's forward pass through the
 * backbone and every head (batch 1, evaluation mode), median of many runs.
 *
 *   mh-bench-forward PROJECT [--runs N] [--threads N] [--json]
 */
#include <json-glib/json-glib.h>
#include "mh-blas.h"
#include "mh-training.h"

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  int runs = 3000, threads = 1;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "OpenBLAS threads (default 1)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON line", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("PROJECT");
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhSplits) data = NULL;
  MhModel *m;
  double *t;
  int idx = 0;

  mh_blas_ensure_best_core (argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: mh-bench-forward PROJECT");
      return 1;
    }
  mh_blas_set_threads (threads);
  if (!(p = mh_project_load (argv[1], &error))
      || !(data = mh_splits_load (&p->data, NULL, argv[1], &error))
      || !(m = mh_model_new (p, data->test, 1, argv[1], &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  mh_model_init (m, p->seed);
  t = g_new (double, runs);
  for (int i = 0; i < runs + 200; i++)
    {
      idx = i % data->test->n;
      gint64 t0 = g_get_monotonic_time ();
      mh_model_set_batch (m, data->test, &idx, 1);
      mh_model_forward (m, 1, FALSE, NULL);
      if (i >= 200)
        t[i - 200] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (t, runs, sizeof (double), compare_doubles);
  if (json)
    g_print ("{\"project\": \"%s\", \"forward_ms\": %.4f, \"p90_ms\": %.4f, \"threads\": %d, \"blas_core\": \"%s\"}\n",
             p->name, t[runs / 2], t[runs * 9 / 10], threads, mh_blas_core ());
  else
    g_print ("%s: one image, all heads: median %.4f ms, p90 %.4f ms (%s, %d thread)\n",
             p->name, t[runs / 2], t[runs * 9 / 10], mh_blas_core (), threads);
  g_free (t);
  mh_model_free (m);
  return 0;
}
