/* mh-predictions-browser.c — the predictions board's test set browser: a
 * popover of random test samples (images, words or sensor windows), of any
 * class or of one, to add to the board one by one or all at once. */
#include <glib/gi18n.h>
#include "mh-drop-down.h"
#include "mh-heatmap.h"
#include "mh-predictions-private.h"

#define BROWSE_N    40
#define THUMB       52

/* ---- the test set's browser ------------------------------------------------------ */

static void
draw_thumb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  cairo_surface_t *s = g_object_get_data (G_OBJECT (area), "surface");

  mh_paint_scaled (cr, s, 0, 0, MIN (width, height), 1.0);
}

static void
fill_browser (MhPredictions *self)
{
  GtkWidget *child;
  const MhDataset *d = self->test;
  guint class_choice = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->browse_class));
  int field = -1, shown = 0;

  while ((child = gtk_widget_get_first_child (self->browse_flow)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->browse_flow), child);
  if (d == NULL || d->n == 0)
    return;
  for (int f = 0; f < d->n_fields && field < 0; f++)
    if (d->fields[f].kind == MH_FIELD_CLASS && d->fields[f].names != NULL)
      field = f;
  for (int tries = 0; shown < BROWSE_N && tries < 20 * BROWSE_N; tries++)
    {
      int i = g_rand_int_range (self->rng, 0, d->n);
      g_autofree float *x = g_new (float, mh_shape_size (&d->shape));
      GtkWidget *thumb;
      if (class_choice > 0 && field >= 0 && d->fields[field].classes[i] != (int) class_choice - 1)
        continue;
      if (d->input != MH_INPUT_PIXELS)
        thumb = _mh_predictions_thumbnail (self, d, i);
      else
        {
          mh_dataset_fill_inputs (d, &i, 1, x);
          thumb = gtk_drawing_area_new ();
          gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (thumb), THUMB);
          gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (thumb), THUMB);
          g_object_set_data_full (G_OBJECT (thumb), "surface", mh_input_surface (x, d->shape),
                                  (GDestroyNotify) cairo_surface_destroy);
          gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (thumb), draw_thumb, NULL, NULL);
        }
      g_object_set_data (G_OBJECT (thumb), "sample", GINT_TO_POINTER (i));
      if (field >= 0)
        gtk_widget_set_tooltip_text (thumb, d->fields[field].names[d->fields[field].classes[i]]);
      gtk_flow_box_append (GTK_FLOW_BOX (self->browse_flow), thumb);
      shown++;
    }
}

static void
thumb_activated (GtkFlowBox *flow, GtkFlowBoxChild *child, MhPredictions *self)
{
  GtkWidget *thumb = gtk_flow_box_child_get_child (child);

  mh_predictions_add_sample (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (thumb), "sample")));
}

static void
add_all_shown (MhPredictions *self)
{
  for (GtkWidget *c = gtk_widget_get_first_child (self->browse_flow); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *thumb = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));
      if (self->items->len + 1 >= MH_PREDICTIONS_MAX_ITEMS)
        break;
      mh_predictions_add_sample (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (thumb), "sample")));
    }
}

void
mh_predictions_set_test_set (MhPredictions *self, MhDataset *test)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->test, mh_dataset_free);
  self->test = test;
  gtk_string_list_append (names, _("Any class"));
  for (int f = 0; test != NULL && f < test->n_fields; f++)
    if (test->fields[f].kind == MH_FIELD_CLASS && test->fields[f].names != NULL)
      {
        for (int c = 0; test->fields[f].names[c] != NULL; c++)
          {
            g_autofree char *s = g_strdup_printf ("%s: %s", test->fields[f].name, test->fields[f].names[c]);
            gtk_string_list_append (names, s);
          }
        break;
      }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->browse_class), G_LIST_MODEL (names));
  gtk_widget_set_sensitive (self->browse_button, test != NULL && test->n > 0);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->browse_flow),
                                          test != NULL && test->input != MH_INPUT_PIXELS ? 3 : 8);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->browse_flow),
                                          test != NULL && test->input != MH_INPUT_PIXELS ? 4 : 8);
  if (test != NULL && test->input == MH_INPUT_TOKENS && test->vocab != NULL && self->input == MH_INPUT_TOKENS)
    {
      /* the test set's vocabulary is the model's */
      g_clear_pointer (&self->vocab, mh_vocab_unref);
      self->vocab = mh_vocab_ref (test->vocab);
    }
  gtk_widget_set_tooltip_text (self->browse_button, test != NULL && test->input == MH_INPUT_TOKENS
                                                    ? _("Pick words from the test set")
                                                    : test != NULL && test->input == MH_INPUT_SIGNALS
                                                    ? _("Pick sensor windows from the test set")
                                                    : test != NULL ? _("Pick images from the test set")
                               : _("The test set is not loaded (is the data set installed?)"));
  fill_browser (self);
}

const MhDataset *
mh_predictions_get_test_set (MhPredictions *self)
{
  return self->test;
}

GtkWidget *
_mh_predictions_browser (MhPredictions *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *shuffle = gtk_button_new_from_icon_name ("media-playlist-shuffle-symbolic");
  GtkWidget *all = gtk_button_new_with_label (_("Add All"));
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *hint = gtk_label_new (_("Click an image to add it to the board"));
  GtkWidget *popover = gtk_popover_new ();

  self->browse_class = gtk_drop_down_new_from_strings ((const char *const[]) { _("Any class"), NULL });
  mh_drop_down_ellipsize (GTK_DROP_DOWN (self->browse_class));
  gtk_widget_set_hexpand (self->browse_class, TRUE);
  g_signal_connect_swapped (self->browse_class, "notify::selected", G_CALLBACK (fill_browser), self);
  gtk_widget_set_tooltip_text (shuffle, _("Other random images"));
  g_signal_connect_swapped (shuffle, "clicked", G_CALLBACK (fill_browser), self);
  g_signal_connect_swapped (all, "clicked", G_CALLBACK (add_all_shown), self);
  gtk_box_append (GTK_BOX (bar), self->browse_class);
  gtk_box_append (GTK_BOX (bar), shuffle);
  gtk_widget_set_name (all, "predictions-add-all");   /* names for lessons (docs/lessons.md) */
  gtk_box_append (GTK_BOX (bar), all);
  self->browse_flow = gtk_flow_box_new ();
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->browse_flow), 8);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->browse_flow), 8);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (self->browse_flow), TRUE);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->browse_flow), GTK_SELECTION_NONE);
  g_signal_connect (self->browse_flow, "child-activated", G_CALLBACK (thumb_activated), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->browse_flow);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroll), 360);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), scroll);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  self->browse_button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->browse_button), _("Test Set"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->browse_button), popover);
  gtk_widget_set_sensitive (self->browse_button, FALSE);
  gtk_widget_set_name (self->browse_button, "predictions-test-set");
  return self->browse_button;
}

