/* mh-teach-target.c — finding what a lesson points at (mh-teach-target.h). */
#include <string.h>
#include "mh-teach-target.h"

static GtkWidget *
find_named (GtkWidget *w, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
mh_teach_find_widget (GtkWidget *window, const char *name)
{
  GObject *child;

  if (name == NULL || *name == '\0')
    return NULL;
  child = MH_IS_WINDOW (window) ? gtk_widget_get_template_child (window, MH_TYPE_WINDOW, name) : NULL;
  if (child != NULL && GTK_IS_WIDGET (child))
    return GTK_WIDGET (child);
  return find_named (window, name);
}

gboolean
mh_teach_block_ref (MhWindow *window, const char *block, MhBlockRef *ref)
{
  const MhProject *p = mh_document_get_project (mh_window_get_document (window));

  if (g_strcmp0 (block, "data") == 0)
    *ref = MH_BLOCK_REF (MH_BLOCK_DATA, 0);
  else if (g_strcmp0 (block, "backbone") == 0)
    *ref = MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0);
  else if (block != NULL && g_str_has_prefix (block, "head:"))
    {
      for (guint h = 0; h < p->heads->len; h++)
        if (g_strcmp0 (g_array_index (p->heads, MhHeadSpec, h).name, block + 5) == 0)
          {
            *ref = MH_BLOCK_REF (MH_BLOCK_HEAD, (int) h);
            return TRUE;
          }
      return FALSE;
    }
  else
    return FALSE;
  return TRUE;
}

gboolean
mh_teach_block_selected (MhWindow *window, const char *block)
{
  GArray *selection = mh_canvas_get_selection (mh_window_get_canvas (window));
  MhBlockRef want;

  for (guint i = 0; i < selection->len; i++)
    {
      MhBlockRef ref = g_array_index (selection, MhBlockRef, i);
      if (g_strcmp0 (block, "head") == 0 ? ref.kind == MH_BLOCK_HEAD
          : mh_teach_block_ref (window, block, &want) && mh_block_ref_equal (ref, want))
        return TRUE;
    }
  return FALSE;
}

gboolean
mh_teach_resolve (MhWindow *window, const char *target, GtkWidget **widget, graphene_rect_t *bounds)
{
  GtkWidget *w;

  if (target == NULL)
    return FALSE;
  if (g_str_has_prefix (target, "canvas:"))
    {
      MhCanvas *canvas = mh_window_get_canvas (window);
      MhBlockRef ref;
      graphene_rect_t r;
      if (!mh_teach_block_ref (window, target + strlen ("canvas:"), &ref)
          || !mh_canvas_get_block_bounds (canvas, ref, &r))
        return FALSE;
      *widget = GTK_WIDGET (canvas);
      *bounds = r;
      return TRUE;
    }
  w = mh_teach_find_widget (GTK_WIDGET (window), target);
  if (w == NULL)
    return FALSE;
  *widget = w;
  graphene_rect_init (bounds, 0, 0, gtk_widget_get_width (w), gtk_widget_get_height (w));
  return TRUE;
}
