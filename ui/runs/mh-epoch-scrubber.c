/* mh-epoch-scrubber.c — the epoch slider (mh-epoch-scrubber.h). */
#include "mh-fit-label.h"
#include "mh-epoch-scrubber.h"
#include <glib/gi18n.h>
#include "mh-teach.h"

struct _MhEpochScrubber
{
  GtkWidget  parent_instance;
  GtkWidget *box, *title, *scale, *value;
  int        n_epochs;
  gboolean  *available;
  gboolean   now;
  int        epoch;       /* -1: now */
  gboolean   setting;
  gboolean   marks_stale; /* the marks are drawn when the slider is shown */
};

enum { EPOCH_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MhEpochScrubber, mh_epoch_scrubber, GTK_TYPE_WIDGET)

/* Positions: 1 … n_epochs, then n_epochs + 1 for "now". */
static int
position_of (MhEpochScrubber *self, int epoch)
{
  return epoch < 0 ? self->n_epochs + 1 : epoch;
}

/* The available epoch nearest to position v (or now). */
static int
nearest (MhEpochScrubber *self, double v)
{
  int best = -2;
  double best_d = G_MAXDOUBLE;

  for (int e = 1; e <= self->n_epochs; e++)
    if (self->available[e - 1] && ABS (v - e) < best_d)
      best = e, best_d = ABS (v - e);
  if (self->now && ABS (v - (self->n_epochs + 1)) < best_d)
    best = -1;
  return best;
}

static void
show_value (MhEpochScrubber *self)
{
  g_autofree char *text = self->epoch < 0 ? g_strdup (_("now"))
                        : g_strdup_printf (_("epoch %d of %d"), self->epoch, self->n_epochs);

  gtk_label_set_text (GTK_LABEL (self->value), text);
}

static void
moved (GtkRange *range, MhEpochScrubber *self)
{
  int epoch;

  if (self->setting)
    return;
  epoch = nearest (self, gtk_range_get_value (range));
  if (epoch == -2)
    return;
  self->setting = TRUE;
  gtk_range_set_value (range, position_of (self, epoch));   /* snap */
  self->setting = FALSE;
  if (epoch == self->epoch)
    return;
  self->epoch = epoch;
  show_value (self);
  g_signal_emit (self, signals[EPOCH_CHANGED], 0, epoch);
}

/* Every how many epochs a mark has its number: at most about 8 numbers
 * along the slider whatever the run's length (400 epochs numbered every 5
 * would print on top of each other). */
static int
label_step (int n_epochs)
{
  static const int nice[] = { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000 };

  for (guint i = 0; i < G_N_ELEMENTS (nice); i++)
    if (n_epochs <= 8 * nice[i])
      return nice[i];
  return MAX (1, n_epochs / 8);
}

static void
rebuild_marks (MhEpochScrubber *self)
{
  GtkScale *scale = GTK_SCALE (self->scale);
  int step = label_step (self->n_epochs);

  self->marks_stale = FALSE;
  gtk_scale_clear_marks (scale);
  for (int e = 1; e <= self->n_epochs; e++)
    if (self->available[e - 1])
      {
        g_autofree char *label = e % step == 0 || e == 1 ? g_strdup_printf ("%d", e) : NULL;
        gtk_scale_add_mark (scale, e, GTK_POS_BOTTOM, label);
      }
  if (self->now)
    gtk_scale_add_mark (scale, self->n_epochs + 1, GTK_POS_BOTTOM, _("now"));
}

static void
mh_epoch_scrubber_map (GtkWidget *widget)
{
  MhEpochScrubber *self = MH_EPOCH_SCRUBBER (widget);

  GTK_WIDGET_CLASS (mh_epoch_scrubber_parent_class)->map (widget);
  if (self->marks_stale)
    rebuild_marks (self);
}

static gboolean
same_marks (MhEpochScrubber *self, int n_epochs, const gboolean *available, gboolean now)
{
  if (MAX (0, n_epochs) != self->n_epochs || now != self->now)
    return FALSE;
  for (int e = 1; e <= self->n_epochs; e++)
    if (self->available[e - 1] != (available != NULL && available[e - 1]))
      return FALSE;
  return TRUE;
}

void
mh_epoch_scrubber_set_run (MhEpochScrubber *self, const char *title, int n_epochs, const gboolean *available,
                           gboolean now)
{
  GtkScale *scale = GTK_SCALE (self->scale);
  int last = -2;

  gtk_widget_set_visible (GTK_WIDGET (self), title != NULL);
  gtk_label_set_text (GTK_LABEL (self->title), title != NULL ? title : "");
  if (same_marks (self, n_epochs, available, now))
    return;   /* rebuilding the marks on every event would keep them unallocated */
  g_free (self->available);
  self->n_epochs = MAX (0, n_epochs);
  self->available = g_new0 (gboolean, MAX (1, self->n_epochs));
  for (int e = 1; e <= self->n_epochs; e++)
    if ((self->available[e - 1] = available != NULL && available[e - 1]))
      last = e;
  self->now = now;
  self->setting = TRUE;
  gtk_range_set_range (GTK_RANGE (scale), 1, MAX (2, self->n_epochs + (now ? 1 : 0)));
  self->setting = FALSE;
  /* a mark is a widget: a hidden page's slider (two of the three) lays
   * nothing out at every epoch's end, it draws its marks when shown */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rebuild_marks (self);
  else
    self->marks_stale = TRUE;
  gtk_widget_set_sensitive (self->scale, last > 0 || now);
  /* where it was if that is still there, else the latest */
  if (self->epoch == -1 ? !now : self->epoch < 1 || self->epoch > self->n_epochs || !self->available[self->epoch - 1])
    self->epoch = now ? -1 : last > 0 ? last : -1;
  mh_epoch_scrubber_set_epoch (self, self->epoch);
}

void
mh_epoch_scrubber_set_epoch (MhEpochScrubber *self, int epoch)
{
  self->epoch = epoch;
  self->setting = TRUE;
  gtk_range_set_value (GTK_RANGE (self->scale), position_of (self, epoch));
  self->setting = FALSE;
  show_value (self);
}

int
mh_epoch_scrubber_get_epoch (MhEpochScrubber *self)
{
  return self->epoch;
}

static void
mh_epoch_scrubber_dispose (GObject *object)
{
  MhEpochScrubber *self = MH_EPOCH_SCRUBBER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_epoch_scrubber_parent_class)->dispose (object);
}

static void
mh_epoch_scrubber_finalize (GObject *object)
{
  g_free (MH_EPOCH_SCRUBBER (object)->available);
  G_OBJECT_CLASS (mh_epoch_scrubber_parent_class)->finalize (object);
}

static void
mh_epoch_scrubber_class_init (MhEpochScrubberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_epoch_scrubber_dispose;
  object_class->finalize = mh_epoch_scrubber_finalize;
  widget_class->map = mh_epoch_scrubber_map;
  signals[EPOCH_CHANGED] = g_signal_new ("epoch-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                         NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-epoch-scrubber");
}

static void
mh_epoch_scrubber_init (MhEpochScrubber *self)
{
  GtkWidget *label = gtk_label_new (_("Model after"));

  self->epoch = -1;
  self->available = g_new0 (gboolean, 1);
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  self->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_label_set_ellipsize (GTK_LABEL (self->title), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (self->title), 32);
  gtk_widget_add_css_class (label, "dim-label");
  mh_fit_label (GTK_LABEL (label), PANGO_ELLIPSIZE_END, 1);
  self->scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 1, 2, 1);
  gtk_scale_set_draw_value (GTK_SCALE (self->scale), FALSE);
  gtk_range_set_round_digits (GTK_RANGE (self->scale), 0);
  gtk_widget_set_hexpand (self->scale, TRUE);
  /* as tall with its labelled marks as before they exist: marks added at
   * an epoch's end must not move what is under the slider */
  gtk_widget_set_size_request (self->scale, 160, 44);
  gtk_widget_set_tooltip_text (self->scale, _("Every head’s answers after each epoch (its checkpoint), or now"));
  self->value = gtk_label_new (_("now"));
  gtk_label_set_width_chars (GTK_LABEL (self->value), 14);
  gtk_label_set_xalign (GTK_LABEL (self->value), 0);
  gtk_box_append (GTK_BOX (self->box), self->title);
  gtk_box_append (GTK_BOX (self->box), label);
  gtk_box_append (GTK_BOX (self->box), self->scale);
  gtk_box_append (GTK_BOX (self->box), self->value);
  gtk_box_append (GTK_BOX (self->box), mh_teach_help_button_new ("view:epochs"));
  g_signal_connect (self->scale, "value-changed", G_CALLBACK (moved), self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
mh_epoch_scrubber_new (void)
{
  return g_object_new (MH_TYPE_EPOCH_SCRUBBER, NULL);
}
