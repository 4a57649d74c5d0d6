/* mh-drop-down.c — ellipsizing drop-down labels with tooltips (mh-drop-down.h). */
#include "mh-drop-down.h"

static void
setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer ellipsize)
{
  GObject *object = gtk_list_item_get_item (item);
  const char *text = GTK_IS_STRING_OBJECT (object) ? gtk_string_object_get_string (GTK_STRING_OBJECT (object)) : "";
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), text);
  if (GPOINTER_TO_INT (ellipsize))
    {
      /* shrink, but not to "Fe…": up to 14 characters stay */
      gtk_label_set_width_chars (GTK_LABEL (label), MIN ((int) g_utf8_strlen (text, -1), 14));
      gtk_widget_set_tooltip_text (label, text);
    }
}

GtkListItemFactory *
mh_drop_down_factory_new (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind), GINT_TO_POINTER (ellipsize));
  return factory;
}

void
mh_drop_down_ellipsize (GtkDropDown *drop)
{
  g_autoptr(GtkListItemFactory) button = mh_drop_down_factory_new (TRUE);
  g_autoptr(GtkListItemFactory) list = mh_drop_down_factory_new (FALSE);

  g_return_if_fail (GTK_IS_DROP_DOWN (drop));
  gtk_drop_down_set_factory (drop, button);
  gtk_drop_down_set_list_factory (drop, list);
}
