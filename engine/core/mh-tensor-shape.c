/* mh-tensor-shape.c — per-sample shapes. */
#include "mh-tensor-shape.h"

char *
mh_shape_to_string (const MhShape *s)
{
  GString *str;

  g_return_val_if_fail (s != NULL, NULL);

  str = g_string_new (NULL);
  for (int i = 0; i < s->rank; i++)
    g_string_append_printf (str, "%s%d", i ? "×" : "", s->dim[i]);
  if (s->rank == 0)
    g_string_append (str, "scalar");
  return g_string_free (str, FALSE);
}
