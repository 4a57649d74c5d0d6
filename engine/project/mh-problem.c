/* mh-problem.c — problems as records, placed by their JSON path. */
#include <stdlib.h>
#include <string.h>
#include "mh-problem.h"

/* The index after `prefix` in "prefix[N]…", or -1. */
static int
index_after (const char *path, const char *prefix)
{
  gsize n = strlen (prefix);
  char *end;
  long v;

  if (strncmp (path, prefix, n) != 0 || path[n] != '[' || !g_ascii_isdigit (path[n + 1]))
    return -1;
  v = strtol (path + n + 1, &end, 10);
  return *end == ']' && v <= G_MAXINT ? (int) v : -1;
}

static gboolean
starts_block (const char *path, const char *name)
{
  gsize n = strlen (name);

  return strncmp (path, name, n) == 0 && (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

void
mh_problem_place (const char *path, MhProjectPart *part, int *index)
{
  g_return_if_fail (part != NULL && index != NULL);

  *part = MH_PART_PROJECT, *index = -1;
  if (path == NULL)
    return;
  if (starts_block (path, "dataset"))
    *part = MH_PART_DATASET;
  else if (starts_block (path, "backbone"))
    {
      *part = MH_PART_BACKBONE;
      *index = index_after (path, "backbone.layers");
    }
  else if (starts_block (path, "heads") && (*index = index_after (path, "heads")) >= 0)
    *part = MH_PART_HEAD;
  else
    *index = -1;   /* "heads" alone: how many there are, the project's */
}

MhProblem *
mh_problem_new (const char *path, const char *message, MhErrorCode code)
{
  MhProblem *p;

  g_return_val_if_fail (message != NULL, NULL);

  p = g_new0 (MhProblem, 1);
  p->path = g_strdup (path != NULL ? path : "");
  p->message = g_strdup (message);
  p->code = code;
  mh_problem_place (p->path, &p->part, &p->index);
  return p;
}

MhProblem *
mh_problem_new_from_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  return mh_problem_new (mh_error_get_path (error), mh_error_get_text (error),
                         error->domain == MH_ERROR ? (MhErrorCode) error->code : MH_ERROR_INVALID);
}

MhProblem *
mh_problem_copy (const MhProblem *problem)
{
  MhProblem *p;

  g_return_val_if_fail (problem != NULL, NULL);

  p = g_memdup2 (problem, sizeof *problem);
  p->path = g_strdup (problem->path);
  p->message = g_strdup (problem->message);
  return p;
}

void
mh_problem_free (MhProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->path);
  g_free (problem->message);
  g_free (problem);
}

const char *
mh_project_part_name (MhProjectPart part)
{
  static const char *const names[] = { "project", "dataset", "backbone", "head" };

  g_return_val_if_fail ((guint) part < G_N_ELEMENTS (names), "project");
  return names[part];
}
