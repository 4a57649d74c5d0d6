/* mh-palette.c — the palette: one list per kind of block. */
#include <glib/gi18n.h>
#include "mh-edits.h"
#include <glib/gi18n.h>
#include "mh-fit-label.h"
#include "mh-palette.h"
#include "mh-teach.h"

struct _MhPalette
{
  GtkWidget  parent_instance;

  GtkWidget *scroller;
  GPtrArray *rows;      /* GtkListBoxRow, with "id" data */
};

G_DEFINE_FINAL_TYPE (MhPalette, mh_palette, GTK_TYPE_WIDGET)

enum {
  ITEM_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GdkContentProvider *
drag_prepare (GtkDragSource *source, double x, double y, GtkListBoxRow *row)
{
  if (!gtk_widget_get_sensitive (GTK_WIDGET (row)))
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, g_object_get_data (G_OBJECT (row), "id"));
}

static void
drag_begin (GtkDragSource *source, GdkDrag *drag, GtkListBoxRow *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (row);
  GdkPaintable *icon = gtk_widget_paintable_new (box);

  gtk_drag_source_set_icon (source, icon, 24, 16);
  g_object_unref (icon);
}

static GtkWidget *
item_row (const MhPaletteItem *item)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name (item->icon);
  GtkWidget *title = gtk_label_new (_(item->title));
  GtkWidget *subtitle = gtk_label_new (_(item->subtitle));
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_widget_add_css_class (box, "palette-item");
  gtk_widget_add_css_class (icon, "palette-icon");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 20);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  /* never wider than the palette, whatever the language */
  mh_fit_label (GTK_LABEL (title), PANGO_ELLIPSIZE_END, 2);
  mh_fit_label (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END, 3);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 24);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (box), mh_teach_help_button_new (item->id));   /* the topic ids are the palette's */
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "id", (gpointer) item->id);
  {
    g_autofree char *name = g_strdup_printf ("palette-%s", item->id);   /* for lessons (docs/lessons.md) */
    gtk_widget_set_name (row, name);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, _(item->title),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(item->subtitle), -1);

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  return row;
}

static void
row_activated (GtkListBox *list, GtkListBoxRow *row, MhPalette *self)
{
  g_signal_emit (self, signals[ITEM_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "id"));
}

void
mh_palette_refresh (MhPalette *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];
      g_autofree char *why = mh_palette_unavailable (g_object_get_data (G_OBJECT (row), "id"));
      gtk_widget_set_sensitive (row, why == NULL);
      gtk_widget_set_tooltip_text (row, why != NULL ? why : _("Drag onto the canvas, or press Enter"));
    }
}

GtkWidget *
mh_palette_new (void)
{
  return g_object_new (MH_TYPE_PALETTE, NULL);
}

static void
mh_palette_dispose (GObject *object)
{
  MhPalette *self = MH_PALETTE (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mh_palette_parent_class)->dispose (object);
}

static void
mh_palette_class_init (MhPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_palette_dispose;

  /* A row was activated: add its block at a free spot. */
  signals[ITEM_ACTIVATED] = g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-palette");
}

static void
mh_palette_init (MhPalette *self)
{
  static const struct { const char *prefix, *title; } sections[] = {
    { "data:", N_("Data") }, { "backbone:", N_("Backbones") }, { "head:", N_("Heads") },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  guint n;
  const MhPaletteItem *items = mh_palette_items (&n);

  self->rows = g_ptr_array_new ();
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_bottom (box, 12);
  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    {
      GtkWidget *heading = gtk_label_new (_(sections[s].title));
      GtkWidget *list = gtk_list_box_new ();

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      mh_fit_label (GTK_LABEL (heading), PANGO_ELLIPSIZE_END, 1);
      gtk_widget_add_css_class (heading, "palette-heading");
      gtk_widget_add_css_class (heading, "heading");
      gtk_widget_add_css_class (heading, "dim-label");
      gtk_widget_add_css_class (list, "navigation-sidebar");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(sections[s].title), -1);
      g_signal_connect (list, "row-activated", G_CALLBACK (row_activated), self);
      for (guint i = 0; i < n; i++)
        if (g_str_has_prefix (items[i].id, sections[s].prefix))
          {
            GtkWidget *row = item_row (&items[i]);
            gtk_list_box_append (GTK_LIST_BOX (list), row);
            g_ptr_array_add (self->rows, row);
          }
      gtk_box_append (GTK_BOX (box), heading);
      gtk_box_append (GTK_BOX (box), list);
    }
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), box);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  mh_palette_refresh (self);
}
