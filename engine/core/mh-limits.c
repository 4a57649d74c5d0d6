/* mh-limits.c — the memory budget, checked byte counts and ranges (mh-limits.h). */
#include <errno.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mh-limits.h"
#include "mh-error.h"

#define MIN_BUDGET ((guint64) 16 << 20)

static guint64 override_bytes;        /* set by mh_limits_set_memory_budget() */
static const char *override_source;

static guint64
physical_memory (void)
{
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  guint64 bytes = pages > 0 && page > 0 ? (guint64) pages * (guint64) page : (guint64) 4 << 30;
  /* a container's limit, when lower (cgroup v2, then v1) */
  const char *const files[] = { "/sys/fs/cgroup/memory.max",
                                "/sys/fs/cgroup/memory/memory.limit_in_bytes" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *text = NULL;
      guint64 limit;
      char *end;

      if (!g_file_get_contents (files[i], &text, NULL, NULL))
        continue;
      limit = g_ascii_strtoull (text, &end, 10);
      if (end != text && limit > 0 && limit < bytes)
        bytes = limit;
    }
  return bytes;
}

gboolean
mh_limits_parse_size (const char *text, const char *what, guint64 *bytes, GError **error)
{
  static const struct { const char *suffix; guint64 factor; } units[] = {
    { "", 1 }, { "b", 1 },
    { "k", 1ull << 10 }, { "kib", 1ull << 10 }, { "kb", 1000 },
    { "m", 1ull << 20 }, { "mib", 1ull << 20 }, { "mb", 1000000 },
    { "g", 1ull << 30 }, { "gib", 1ull << 30 }, { "gb", 1000000000 },
    { "t", 1ull << 40 }, { "tib", 1ull << 40 }, { "tb", 1000000000000 },
  };
  g_autofree char *suffix = NULL, *rest = NULL;
  char *end;
  double v;

  while (text != NULL && g_ascii_isspace (*text))
    text++;
  if (text == NULL || !g_ascii_isdigit (*text))
    goto bad;
  v = g_ascii_strtod (text, &end);
  rest = g_strstrip (g_strdup (end));
  suffix = g_ascii_strdown (rest, -1);
  if (!(v >= 0) || v > 1e18)
    goto bad;
  if (g_str_equal (suffix, "%"))
    {
      if (v <= 0 || v > 100)
        goto bad;
      *bytes = (guint64) (physical_memory () * (v / 100));
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (suffix, units[i].suffix) && v * units[i].factor < 1.8e19)
      {
        *bytes = (guint64) (v * units[i].factor);
        if (*bytes > 0)
          return TRUE;
      }
bad:
  g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
               _("%s: '%s' is not a memory size (write e.g. 2G, 512M or 75%%)"), what,
               text ? text : "");
  return FALSE;
}

static guint64
default_budget (const char **source)
{
  static gsize done;
  static guint64 budget;
  static const char *from;

  if (g_once_init_enter (&done))
    {
      const char *env = g_getenv (MH_MEMORY_LIMIT_ENV);
      g_autoptr(GError) error = NULL;

      from = _("half of the physical memory");
      budget = physical_memory () / 2;
      if (env != NULL && *env != '\0')
        {
          if (mh_limits_parse_size (env, MH_MEMORY_LIMIT_ENV, &budget, &error))
            from = MH_MEMORY_LIMIT_ENV;
          else
            {
              g_printerr (_("multihead-studio: %s; using half of the physical memory\n"),
                          error->message);
              budget = physical_memory () / 2;
            }
        }
      g_once_init_leave (&done, 1);
    }
  *source = from;
  return MAX (budget, MIN_BUDGET);
}

guint64
mh_limits_memory_budget (void)
{
  const char *source;
  guint64 o = g_atomic_pointer_get (&override_source) != NULL ? override_bytes : 0;

  return o > 0 ? MAX (o, MIN_BUDGET) : default_budget (&source);
}

void
mh_limits_set_memory_budget (guint64 bytes)
{
  override_bytes = bytes;
  g_atomic_pointer_set (&override_source, bytes > 0 ? "--memory-limit" : NULL);
}

const char *
mh_limits_budget_source (void)
{
  const char *source = g_atomic_pointer_get (&override_source);

  if (source == NULL)
    default_budget (&source);
  return source;
}

gboolean
mh_limits_bytes (guint64 a, guint64 b, guint64 *out)
{
  if (!g_uint64_checked_mul (out, a, b))
    {
      *out = G_MAXUINT64;
      return FALSE;
    }
  return TRUE;
}

gboolean
mh_limits_add (guint64 a, guint64 b, guint64 *out)
{
  if (!g_uint64_checked_add (out, a, b))
    {
      *out = G_MAXUINT64;
      return FALSE;
    }
  return TRUE;
}

char *
mh_limits_format_bytes (guint64 bytes)
{
  g_autofree char *size = NULL;

  if (bytes == G_MAXUINT64)
    return g_strdup (_("more bytes than 64 bits count"));
  size = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
  if (bytes < 1024)
    return g_steal_pointer (&size);
  return g_strdup_printf ("%s (%" G_GUINT64_FORMAT " bytes)", size, bytes);
}

static char *
budget_text (void)
{
  g_autofree char *limit = g_format_size_full (mh_limits_memory_budget (), G_FORMAT_SIZE_IEC_UNITS);
  const char *source = mh_limits_budget_source ();

  if (g_str_equal (source, MH_MEMORY_LIMIT_ENV) || g_str_equal (source, "--memory-limit"))
    return g_strdup_printf (_("the memory limit of %s (%s)"), limit, source);
  return g_strdup_printf (_("the memory limit of %s (%s; set %s or --memory-limit to change it)"),
                          limit, source, MH_MEMORY_LIMIT_ENV);
}

static void
set_too_much (GError **error, const char *where, const char *what, guint64 bytes,
              const char *tail)
{
  g_autofree char *need = mh_limits_format_bytes (bytes);
  g_autofree char *limit = budget_text ();

  g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s%s%s needs %s, more than %s%s"),
               where ? where : "", where ? ": " : "", what, need, limit, tail ? tail : "");
}

gboolean
mh_limits_check_bytes (guint64 bytes, const char *where, const char *field, GError **error)
{
  if (bytes <= mh_limits_memory_budget ())
    return TRUE;
  set_too_much (error, where, field, bytes, NULL);
  return FALSE;
}

gpointer
mh_limits_try_alloc0 (guint64 count, guint64 size, const char *where, const char *field,
                      GError **error)
{
  guint64 bytes;
  gpointer p;

  mh_limits_bytes (count, size, &bytes);
  if (!mh_limits_check_bytes (bytes, where, field, error))
    return NULL;
  if (bytes > G_MAXSIZE)
    {
      set_too_much (error, where, field, bytes, NULL);
      return NULL;
    }
  p = g_try_malloc0 (MAX (bytes, 1));
  if (p == NULL)
    {
      g_autofree char *need = mh_limits_format_bytes (bytes);
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s%s%s needs %s, which the system cannot give now (out of memory)"),
                   where ? where : "", where ? ": " : "", field, need);
    }
  return p;
}

void
mh_mem_tally_add (MhMemTally *t, const char *field, guint64 count, guint64 size)
{
  guint64 bytes;

  mh_limits_bytes (count, size, &bytes);
  mh_limits_add (t->bytes, bytes, &t->bytes);
  if (bytes > t->largest || t->largest_field[0] == '\0')
    {
      t->largest = bytes;
      g_strlcpy (t->largest_field, field, sizeof t->largest_field);
    }
}

gboolean
mh_mem_tally_check (const MhMemTally *t, const char *where, const char *what, GError **error)
{
  g_autofree char *largest = NULL, *tail = NULL;

  if (t->bytes <= mh_limits_memory_budget ())
    return TRUE;
  largest = mh_limits_format_bytes (t->largest);
  tail = g_strdup_printf (_("; the most goes to %s (%s)"), t->largest_field, largest);
  set_too_much (error, where, what, t->bytes, tail);
  return FALSE;
}

gboolean
mh_limits_check_int (gint64 v, gint64 min, gint64 max, const char *where, const char *field,
                     GError **error)
{
  if (v >= min && v <= max)
    return TRUE;
  mh_set_error_in (error, MH_ERROR_INVALID, where, field,
                   "%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT,
                   field, min, max, v);
  return FALSE;
}
