/* mh-fit-label.c — labels that ellipsize with their text in a tooltip
 * (mh-fit-label.h). */
#include "mh-fit-label.h"

static void
text_changed (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);

  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text != NULL && *text != '\0' ? text : NULL);
}

/* The tooltip only when the text does not show whole. */
static gboolean
query_tooltip (GtkLabel *label, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (label)))
    {
      g_signal_stop_emission_by_name (label, "query-tooltip");
      return FALSE;
    }
  return FALSE;   /* GTK's own handler shows the tooltip text */
}

void
mh_fit_label (GtkLabel *label, PangoEllipsizeMode mode, int lines)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_ellipsize (label, mode);
  if (lines > 1)
    {
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD);
      gtk_label_set_lines (label, lines);
    }
  if (g_object_get_data (G_OBJECT (label), "mh-fit-label") == NULL)
    {
      g_object_set_data (G_OBJECT (label), "mh-fit-label", GINT_TO_POINTER (1));
      g_signal_connect (label, "notify::label", G_CALLBACK (text_changed), NULL);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (query_tooltip), NULL);
    }
  text_changed (label);
}

static GtkLabel *
first_label (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    return GTK_LABEL (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = first_label (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
mh_fit_button_label (GtkWidget *widget)
{
  GtkLabel *label = first_label (widget);

  g_return_if_fail (label != NULL);
  mh_fit_label (label, PANGO_ELLIPSIZE_END, 1);
}
