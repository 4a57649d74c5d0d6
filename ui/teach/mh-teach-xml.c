/* mh-teach-xml.c — a small element tree over GMarkup (mh-teach-xml.h). */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-teach-xml.h"

typedef struct {
  GPtrArray *stack;    /* MhXmlNode, the open elements */
  GString   *text;     /* of the innermost open element */
  GPtrArray *texts;    /* GString per open element */
  MhXmlNode *root;
} Builder;

char *
mh_xml_normalise (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

void
mh_xml_node_free (MhXmlNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_strfreev (node->attr_names);
  g_strfreev (node->attr_values);
  g_free (node->text);
  g_ptr_array_unref (node->children);
  g_free (node);
}

static void
start_element (GMarkupParseContext *context, const char *name, const char **attr_names,
               const char **attr_values, gpointer data, GError **error)
{
  Builder *b = data;
  MhXmlNode *node = g_new0 (MhXmlNode, 1);
  int line;

  g_markup_parse_context_get_position (context, &line, NULL);
  node->name = g_strdup (name);
  node->attr_names = g_strdupv ((char **) attr_names);
  node->attr_values = g_strdupv ((char **) attr_values);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_xml_node_free);
  node->line = line;
  if (b->stack->len > 0)
    g_ptr_array_add (((MhXmlNode *) b->stack->pdata[b->stack->len - 1])->children, node);
  else
    b->root = node;
  g_ptr_array_add (b->stack, node);
  g_ptr_array_add (b->texts, g_string_new (NULL));
}

static void
end_element (GMarkupParseContext *context, const char *name, gpointer data, GError **error)
{
  Builder *b = data;
  MhXmlNode *node = b->stack->pdata[b->stack->len - 1];
  GString *text = b->texts->pdata[b->texts->len - 1];

  node->text = mh_xml_normalise (text->str);
  g_string_free (text, TRUE);
  g_ptr_array_remove_index (b->texts, b->texts->len - 1);
  g_ptr_array_remove_index (b->stack, b->stack->len - 1);
}

static void
text (GMarkupParseContext *context, const char *text, gsize len, gpointer data, GError **error)
{
  Builder *b = data;

  if (b->texts->len > 0)
    g_string_append_len (b->texts->pdata[b->texts->len - 1], text, (gssize) len);
}

MhXmlNode *
mh_xml_parse (const char *data, gsize len, const char *where, GError **error)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  Builder b = { g_ptr_array_new (), NULL, g_ptr_array_new (), NULL };
  GMarkupParseContext *context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &b, NULL);
  g_autoptr(GError) local = NULL;
  gboolean ok;

  ok = g_markup_parse_context_parse (context, data, (gssize) len, &local)
       && g_markup_parse_context_end_parse (context, &local);
  if (!ok)
    {
      int line, col;
      g_markup_parse_context_get_position (context, &line, &col);
      g_set_error (error, G_MARKUP_ERROR, local->code, "%s:%d:%d: %s", where, line, col, local->message);
      g_clear_pointer (&b.root, mh_xml_node_free);
    }
  else if (b.root == NULL)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY, _("%s: the file holds no element"), where);
    }
  for (guint i = 0; i < b.texts->len; i++)
    g_string_free (b.texts->pdata[i], TRUE);
  g_ptr_array_unref (b.texts);
  g_ptr_array_unref (b.stack);
  g_markup_parse_context_free (context);
  return b.root;
}

const char *
mh_xml_attr (const MhXmlNode *node, const char *name)
{
  for (guint i = 0; node->attr_names[i] != NULL; i++)
    if (strcmp (node->attr_names[i], name) == 0)
      return node->attr_values[i];
  return NULL;
}

const char *
mh_xml_unknown_attr (const MhXmlNode *node, const char *const *known)
{
  for (guint i = 0; node->attr_names[i] != NULL; i++)
    if (!g_strv_contains (known, node->attr_names[i]))
      return node->attr_names[i];
  return NULL;
}
