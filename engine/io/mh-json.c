/* mh-json.c — parsing JSON with the nesting and the encoding checked first (mh-json.h). */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-json.h"
#include "mh-error.h"
#include "mh-input.h"

gboolean
mh_json_check_depth (const char *data, gsize len, guint max_depth, const char *where,
                     GError **error)
{
  gboolean in_string = FALSE, escaped = FALSE;
  guint depth = 0, line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '\n')
        line++, line_start = i + 1;
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                           "%s:%u:%" G_GSIZE_FORMAT ": the JSON nests deeper than %u levels of "
                           "arrays and objects; refused", where, line, i - line_start + 1,
                           max_depth);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

JsonParser *
mh_json_parse (const char *data, gssize len, const char *where, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  gsize n = len < 0 ? strlen (data) : (gsize) len;

  where = where != NULL ? where : "JSON";
  if (!mh_input_check_utf8 (data, n, where, _("JSON text"), error)
      || !mh_json_check_depth (data, n, MH_JSON_MAX_DEPTH, where, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, n, &local))
    {
      /* json-glib says "<data>:LINE:COL: Parse error: …"; name the file instead */
      if (g_str_has_prefix (local->message, "<data>:"))
        g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s%s", where,
                     local->message + strlen ("<data>"));
      else
        g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: %s", where, local->message);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

JsonParser *
mh_json_load_file (const char *path, const char *what, guint64 max_bytes, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  data = mh_input_read_all (path, what ? what : _("JSON file"), max_bytes ? max_bytes : MH_JSON_MAX_FILE,
                            &len, error);
  if (data == NULL)
    return NULL;
  return mh_json_parse (data, len, path, error);
}

void
mh_json_add_string (JsonBuilder *b, const char *name, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
mh_json_add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

char *
mh_json_iso_time (gint64 unix_time)
{
  g_autoptr (GDateTime) dt = unix_time > 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;

  return dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
}

void
mh_json_add_time (JsonBuilder *b, const char *name, gint64 unix_time)
{
  g_autofree char *text = mh_json_iso_time (unix_time);

  mh_json_add_string (b, name, text);
}
