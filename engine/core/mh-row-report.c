/* mh-row-report.c — rows left out, counted per reason (mh-row-report.h). */
#include "mh-row-report.h"
#include <glib/gi18n.h>

#define KEPT 8   /* rows remembered per reason */

typedef struct {
  char  *reason;
  guint  count;
  int    lines[KEPT];
  char  *details[KEPT];
} Group;

struct _MhRowReport {
  char       *file;
  GPtrArray  *groups;   /* Group*, in order of first appearance */
  GHashTable *index;    /* reason → Group* */
  guint       count;
};

static void
group_free (Group *g)
{
  for (guint i = 0; i < MIN (g->count, KEPT); i++)
    g_free (g->details[i]);
  g_free (g->reason);
  g_free (g);
}

MhRowReport *
mh_row_report_new (const char *file)
{
  MhRowReport *r = g_new0 (MhRowReport, 1);

  r->file = g_strdup (file);
  r->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  r->index = g_hash_table_new (g_str_hash, g_str_equal);
  return r;
}

void
mh_row_report_free (MhRowReport *r)
{
  if (r == NULL)
    return;
  g_hash_table_unref (r->index);
  g_ptr_array_unref (r->groups);
  g_free (r->file);
  g_free (r);
}

void
mh_row_report_add (MhRowReport *r, int line, const char *reason, const char *detail)
{
  Group *g = g_hash_table_lookup (r->index, reason);

  if (g == NULL)
    {
      g = g_new0 (Group, 1);
      g->reason = g_strdup (reason);
      g_ptr_array_add (r->groups, g);
      g_hash_table_insert (r->index, g->reason, g);
    }
  if (g->count < KEPT)
    {
      g->lines[g->count] = line;
      g->details[g->count] = detail != NULL ? g_utf8_make_valid (detail, -1) : NULL;
    }
  g->count++;
  r->count++;
}

guint
mh_row_report_count (const MhRowReport *r)
{
  return r->count;
}

GPtrArray *
mh_row_report_lines (const MhRowReport *r, guint named)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  named = MIN (named, KEPT);
  for (guint i = 0; i < r->groups->len; i++)
    {
      const Group *g = r->groups->pdata[i];
      GString *s = g_string_new (NULL);
      guint shown = MIN (g->count, named);

      /* TRANSLATORS: "labels.csv: 3 rows left out: no such file (" and then the lines */
      g_string_append_printf (s, ngettext ("%s: %u row left out: %s (", "%s: %u rows left out: %s (", g->count),
                              r->file, g->count, g->reason);
      for (guint k = 0; k < shown; k++)
        {
          if (k > 0)
            g_string_append (s, ", ");
          g_string_append_printf (s, _("line %d"), g->lines[k]);
          if (g->details[k] != NULL)
            g_string_append_printf (s, " '%s'", g->details[k]);
        }
      if (g->count > shown)
        g_string_append_printf (s, _(", and %u more"), g->count - shown);
      g_string_append_c (s, ')');
      g_ptr_array_add (lines, g_string_free (s, FALSE));
    }
  return lines;
}
