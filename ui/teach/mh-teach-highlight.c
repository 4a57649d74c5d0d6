/* mh-teach-highlight.c — the ring around a lesson's target (mh-teach-highlight.h). */
#include "mh-teach-highlight.h"
#include "mh-teach-target.h"

#define FOLLOW_INTERVAL_MS 150
#define PAD 4.0

struct _MhTeachHighlight
{
  GtkWidget        parent_instance;

  GWeakRef         window;
  char            *target;
  gboolean         shown;
  graphene_rect_t  bounds;
  guint            timer;
};

G_DEFINE_FINAL_TYPE (MhTeachHighlight, mh_teach_highlight, GTK_TYPE_WIDGET)

enum { MOVED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Where the target is now, clipped to the window; FALSE when it is not mapped. */
static gboolean
locate (MhTeachHighlight *self, graphene_rect_t *out)
{
  g_autoptr(MhWindow) window = g_weak_ref_get (&self->window);
  GtkWidget *w;
  graphene_rect_t r;
  graphene_point_t a, b;

  if (window == NULL || !mh_teach_resolve (window, self->target, &w, &r) || !gtk_widget_get_mapped (w))
    return FALSE;
  if (!gtk_widget_compute_point (w, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (r.origin.x, r.origin.y), &a)
      || !gtk_widget_compute_point (w, GTK_WIDGET (self),
                                    &GRAPHENE_POINT_INIT (r.origin.x + r.size.width, r.origin.y + r.size.height), &b))
    return FALSE;
  graphene_rect_init (out, a.x, a.y, b.x - a.x, b.y - a.y);
  /* a widget scrolled out of its viewport: only what shows */
  for (GtkWidget *p = gtk_widget_get_parent (w); p != NULL; p = gtk_widget_get_parent (p))
    if (GTK_IS_VIEWPORT (p) || GTK_IS_SCROLLED_WINDOW (p))
      {
        graphene_rect_t clip;
        if (gtk_widget_compute_bounds (p, GTK_WIDGET (self), &clip) && !graphene_rect_intersection (out, &clip, out))
          return FALSE;
      }
  return out->size.width > 0 && out->size.height > 0;
}

static void
follow (MhTeachHighlight *self)
{
  graphene_rect_t r = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  gboolean shown = self->target != NULL && locate (self, &r);

  if (shown == self->shown && (!shown || graphene_rect_equal (&r, &self->bounds)))
    return;
  self->shown = shown;
  self->bounds = r;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[MOVED], 0);
}

static gboolean
tick (gpointer data)
{
  follow (data);
  return G_SOURCE_CONTINUE;
}

void
mh_teach_highlight_set_target (MhTeachHighlight *self, const char *target)
{
  g_free (self->target);
  self->target = g_strdup (target);
  if (target != NULL && self->timer == 0)
    self->timer = g_timeout_add (FOLLOW_INTERVAL_MS, tick, self);
  else if (target == NULL)
    g_clear_handle_id (&self->timer, g_source_remove);
  follow (self);
}

gboolean
mh_teach_highlight_get_bounds (MhTeachHighlight *self, graphene_rect_t *bounds)
{
  follow (self);
  if (self->shown)
    *bounds = self->bounds;
  return self->shown;
}

static void
mh_teach_highlight_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MhTeachHighlight *self = MH_TEACH_HIGHLIGHT (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GskRoundedRect ring, hole;
  graphene_rect_t r;
  GdkRGBA accent, dim = { 0, 0, 0, 0.18f };
  float widths[4] = { 3, 3, 3, 3 };
  GdkRGBA colors[4];

  if (!self->shown)
    return;
  /* the CSS colour of mh-teach-highlight: the accent (style.css) */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &accent);
  graphene_rect_inset_r (&self->bounds, -PAD, -PAD, &r);
  gsk_rounded_rect_init_from_rect (&hole, &r, 8);
  /* the rest of the window dimmed a little: four bands around the hole */
  {
    float x0 = MAX (0, r.origin.x), y0 = MAX (0, r.origin.y);
    float x1 = MIN (width, r.origin.x + r.size.width), y1 = MIN (height, r.origin.y + r.size.height);
    gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (0, 0, width, y0));
    gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (0, y1, width, MAX (0, height - y1)));
    gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (0, y0, x0, MAX (0, y1 - y0)));
    gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (x1, y0, MAX (0, width - x1), MAX (0, y1 - y0)));
  }
  /* the ring, with a soft glow */
  gtk_snapshot_append_outset_shadow (snapshot, &hole, &accent, 0, 0, 4, 10);
  for (int i = 0; i < 4; i++)
    colors[i] = accent;
  gsk_rounded_rect_init_from_rect (&ring, &r, 8);
  gtk_snapshot_append_border (snapshot, &ring, widths, colors);
}

static void
mh_teach_highlight_dispose (GObject *object)
{
  MhTeachHighlight *self = MH_TEACH_HIGHLIGHT (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  G_OBJECT_CLASS (mh_teach_highlight_parent_class)->dispose (object);
}

static void
mh_teach_highlight_finalize (GObject *object)
{
  MhTeachHighlight *self = MH_TEACH_HIGHLIGHT (object);

  g_weak_ref_clear (&self->window);
  g_free (self->target);
  G_OBJECT_CLASS (mh_teach_highlight_parent_class)->finalize (object);
}

static void
mh_teach_highlight_class_init (MhTeachHighlightClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_teach_highlight_dispose;
  object_class->finalize = mh_teach_highlight_finalize;
  widget_class->snapshot = mh_teach_highlight_snapshot;
  gtk_widget_class_set_css_name (widget_class, "mh-teach-highlight");
  signals[MOVED] = g_signal_new ("moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);
}

static void
mh_teach_highlight_init (MhTeachHighlight *self)
{
  g_weak_ref_init (&self->window, NULL);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self), FALSE);
}

GtkWidget *
mh_teach_highlight_new (MhWindow *window)
{
  MhTeachHighlight *self = g_object_new (MH_TYPE_TEACH_HIGHLIGHT, NULL);

  g_weak_ref_set (&self->window, window);
  return GTK_WIDGET (self);
}
