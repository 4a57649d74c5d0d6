/* mh-wrap-bar.c — a GtkFlowBox of tool bar groups (mh-wrap-bar.h). */
#include "mh-wrap-bar.h"

GtkWidget *
mh_wrap_bar_new (void)
{
  GtkWidget *bar = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (bar), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (bar), FALSE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (bar), 16);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (bar), 6);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (bar), FALSE);
  gtk_widget_add_css_class (bar, "mh-wrap-bar");
  return bar;
}

void
mh_wrap_bar_append (GtkWidget *bar, GtkWidget *group)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (bar); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      gtk_widget_set_halign (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c)), GTK_ALIGN_START);
      n++;
    }
  gtk_flow_box_append (GTK_FLOW_BOX (bar), group);
  gtk_widget_set_halign (group, n > 0 ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_set_valign (group, GTK_ALIGN_CENTER);
  gtk_widget_set_focusable (gtk_widget_get_parent (group), FALSE);   /* only the controls take the focus */
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (bar), n + 1);
}
