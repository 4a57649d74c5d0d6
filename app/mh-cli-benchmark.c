/* mh-cli-benchmark.c — `multihead-studio --ui-benchmark [FILE] [--seconds N]`:
 * the window trains with every view updating while the main loop's frame
 * intervals are recorded (GdkFrameClock); prints one JSON line with frames,
 * p50/p99/max frame interval (ms), the longest stall and the training
 * throughput.  Not a test: a measurement (docs/testing.md). */
#define _GNU_SOURCE   /* RUSAGE_THREAD */
#include <math.h>
#include <sys/resource.h>
#include <glib/gi18n.h>
#include <adwaita.h>
#include "mh-blas.h"
#include "mh-cli.h"
#include "mh-resources.h"
#include "mh-window.h"

typedef struct {
  GArray   *intervals;    /* double, ms: frame time to frame time */
  gint64    last_frame;   /* frame clock time of the previous tick */
  gint64    last_wall;
  double    longest_stall_ms;
  gboolean  recording;
} Frames;

/* CPU seconds used so far by the calling thread (who = RUSAGE_THREAD) or the
 * whole process (RUSAGE_SELF). */
static double
cpu_seconds (int who)
{
  struct rusage u;

  if (getrusage (who, &u) != 0)
    return NAN;
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static gboolean
tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Frames *f = data;
  gint64 t = gdk_frame_clock_get_frame_time (clock), wall = g_get_monotonic_time ();

  if (f->recording && f->last_frame > 0)
    {
      double ms = (t - f->last_frame) / 1000.0;
      g_array_append_val (f->intervals, ms);
      f->longest_stall_ms = MAX (f->longest_stall_ms, (wall - f->last_wall) / 1000.0);
    }
  f->last_frame = t;
  f->last_wall = wall;
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted, double p)
{
  if (sorted->len == 0)
    return NAN;
  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint) floor (p * (sorted->len - 1) + 0.5)));
}

static void
pump_until (gboolean (*done) (gpointer), gpointer data, double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!done (data) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
running (gpointer window)
{
  MhTrainerState s = mh_window_get_training_state (window);

  return s != MH_TRAINER_LOADING && s != MH_TRAINER_IDLE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
stopped (gpointer window)
{
  MhTrainerState s = mh_window_get_training_state (window);

  return !mh_trainer_state_is_active (s);
}

int
mh_cli_ui_benchmark (int argc, char **argv)
{
  g_auto(GStrv) args = g_strdupv (argv);
  g_autoptr(GOptionContext) ctx = g_option_context_new (N_("[FILE.mhproj] — train in the window and time its frames"));
  g_autoptr(GError) error = NULL;
  g_autofree char *file_name = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GArray) sorted = NULL;
  double seconds = 10, wall = 0, main_cpu0, main_cpu = 0, all_cpu0, all_cpu = 0;
  gint64 wall0, step0, samples0;
  Frames frames = { 0 };
  const MhTrainerEvent *e;
  MhTrainingPanel *panel;
  MhWindow *window;
  const char *const pages[] = { "loss", "metrics", "conflict" };
  const GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, N_("Train and record for N seconds (default 10)"), "N" },
    { NULL }
  };

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (ctx, &args, &error))
    return mh_cli_fail (g_steal_pointer (&error));
  if (g_strv_length (args) > 2 || seconds <= 0)
    return mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                     _("--ui-benchmark takes at most one project file and --seconds N > 0")));
  file_name = args[1] != NULL ? g_strdup (args[1]) : mh_cli_default_project ();
  /* Xvfb has no GPU: GTK's GL renderer would run on llvmpipe, on the cores
   * the trainer uses.  A real display keeps whatever renderer GTK picks. */
  if (g_getenv ("GSK_RENDERER") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  if (!gtk_init_check ())
    return mh_cli_fail (g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _("--ui-benchmark needs a display")));
  adw_init ();
  (void) mh_get_resource ();
  {
    /* what the application would load: the icons and the style sheet */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (css, "/io/github/multihead/Studio/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/io/github/multihead/Studio/icons");
  }

  window = mh_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  file = g_file_new_for_path (file_name);
  if (!mh_window_open_file (window, file, &error))
    return mh_cli_fail (g_steal_pointer (&error));
  gtk_window_present (GTK_WINDOW (window));
  pump_until (never, NULL, 0.5);

  frames.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick, &frames, NULL);
  mh_window_train (window);
  pump_until (running, window, 120);
  if (mh_window_get_training_state (window) != MH_TRAINER_RUNNING)
    return mh_cli_fail (g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: the training did not start"), file_name));
  g_printerr (_("%s: training in the window for %.0f s, recording frames…\n"), file_name, seconds);
  e = mh_window_get_training_event (window);
  step0 = e != NULL ? e->step : 0;
  samples0 = e != NULL ? e->samples : 0;
  wall0 = g_get_monotonic_time ();
  main_cpu0 = cpu_seconds (RUSAGE_THREAD);
  all_cpu0 = cpu_seconds (RUSAGE_SELF);
  frames.recording = TRUE;
  panel = mh_window_get_training_panel (window);
  /* every page in turn, so that every view draws */
  for (int i = 0; i < 3; i++)
    {
      mh_training_panel_show_page (panel, pages[i]);
      pump_until (stopped, window, seconds / 3);
    }
  mh_training_panel_show_page (panel, "loss");
  frames.recording = FALSE;
  wall = (g_get_monotonic_time () - wall0) / 1e6;
  main_cpu = cpu_seconds (RUSAGE_THREAD) - main_cpu0;
  all_cpu = cpu_seconds (RUSAGE_SELF) - all_cpu0;
  e = mh_window_get_training_event (window);

  sorted = g_array_copy (frames.intervals);
  g_array_sort (sorted, compare_doubles);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "project");
  json_builder_add_string_value (b, file_name);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, seconds);
  json_builder_set_member_name (b, "frames");
  json_builder_add_int_value (b, frames.intervals->len + 1);
  json_builder_set_member_name (b, "frame_p50_ms");
  json_builder_add_double_value (b, percentile (sorted, 0.50));
  json_builder_set_member_name (b, "frame_p90_ms");
  json_builder_add_double_value (b, percentile (sorted, 0.90));
  json_builder_set_member_name (b, "frame_p95_ms");
  json_builder_add_double_value (b, percentile (sorted, 0.95));
  json_builder_set_member_name (b, "frame_p99_ms");
  json_builder_add_double_value (b, percentile (sorted, 0.99));
  json_builder_set_member_name (b, "frame_max_ms");
  json_builder_add_double_value (b, percentile (sorted, 1.0));
  {
    /* the distribution: frames within one refresh (16.7 ms at 60 Hz), two, three, more */
    static const double edges[] = { 17, 34, 51 };
    guint counts[G_N_ELEMENTS (edges) + 1] = { 0 };
    for (guint i = 0; i < sorted->len; i++)
      {
        guint k = 0;
        while (k < G_N_ELEMENTS (edges) && g_array_index (sorted, double, i) > edges[k])
          k++;
        counts[k]++;
      }
    json_builder_set_member_name (b, "frames_by_ms");
    json_builder_begin_object (b);
    for (guint k = 0; k <= G_N_ELEMENTS (edges); k++)
      {
        g_autofree char *name = k < G_N_ELEMENTS (edges) ? g_strdup_printf ("<=%.0f", edges[k])
                                                         : g_strdup_printf (">%.0f", edges[k - 1]);
        json_builder_set_member_name (b, name);
        json_builder_add_int_value (b, counts[k]);
      }
    json_builder_end_object (b);
  }
  json_builder_set_member_name (b, "longest_stall_ms");
  json_builder_add_double_value (b, frames.longest_stall_ms);
  json_builder_set_member_name (b, "steps");
  json_builder_add_int_value (b, e != NULL ? e->step : 0);
  json_builder_set_member_name (b, "train_samples_per_s");
  json_builder_add_double_value (b, e != NULL && e->train_seconds > 0 ? e->samples / e->train_seconds : 0);
  /* by the clock on the wall while recording: what the steps' own time
   * leaves out (the worker waiting for a core the window holds) */
  json_builder_set_member_name (b, "wall_steps_per_s");
  json_builder_add_double_value (b, e != NULL && wall > 0 ? (e->step - step0) / wall : 0);
  json_builder_set_member_name (b, "wall_samples_per_s");
  json_builder_add_double_value (b, e != NULL && wall > 0 ? (e->samples - samples0) / wall : 0);
  /* the window's own cost: its thread's CPU time per second (a share of a core) */
  json_builder_set_member_name (b, "main_thread_cpu_share");
  json_builder_add_double_value (b, wall > 0 ? main_cpu / wall : 0);
  json_builder_set_member_name (b, "process_cpu_share");
  json_builder_add_double_value (b, wall > 0 ? all_cpu / wall : 0);
  json_builder_set_member_name (b, "renderer");
  json_builder_add_string_value (b, G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  json_builder_set_member_name (b, "blas_core");
  json_builder_add_string_value (b, mh_blas_core ());
  json_builder_end_object (b);

  mh_window_stop_training (window);
  pump_until (stopped, window, 10);
  gtk_window_destroy (GTK_WINDOW (window));   /* joins the trainer */
  mh_cli_print_json (b);
  g_array_unref (frames.intervals);
  return 0;
}
