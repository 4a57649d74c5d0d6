/* mh-explanations.c — reading resources/teach/explanations.xml. */
#include <gio/gio.h>
#include <glib/gi18n.h>
#include "mh-explanations.h"
#include "mh-teach-xml.h"

#define RESOURCE "/io/github/multihead/Studio/teach/explanations.xml"

struct _MhExplanations
{
  GPtrArray  *groups;   /* MhTopicGroup */
  GHashTable *by_id;    /* id → MhTopic (the groups own them) */
};

static void
part_free (gpointer data)
{
  MhTopicPart *part = data;

  g_free (part->text);
  g_free (part);
}

static void
topic_free (gpointer data)
{
  MhTopic *t = data;

  g_free (t->id);
  g_free (t->group);
  g_free (t->title);
  g_ptr_array_unref (t->parts);
  g_strfreev (t->builds_on);
  g_free (t);
}

static void
group_free (gpointer data)
{
  MhTopicGroup *g = data;

  g_free (g->id);
  g_free (g->title);
  g_ptr_array_unref (g->topics);
  g_free (g);
}

void
mh_explanations_free (MhExplanations *e)
{
  if (e == NULL)
    return;
  g_hash_table_unref (e->by_id);
  g_ptr_array_unref (e->groups);
  g_free (e);
}

static gboolean
fail (GError **error, const char *where, const MhXmlNode *node, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError **error, const char *where, const MhXmlNode *node, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "%s:%d: %s", where, node->line, message);
  return FALSE;
}

static gboolean
check_attrs (const MhXmlNode *node, const char *const *known, const char *where, GError **error)
{
  const char *bad = mh_xml_unknown_attr (node, known);

  if (bad == NULL)
    return TRUE;
  return fail (error, where, node, _("<%s> has no attribute “%s”"), node->name, bad);
}

static MhTopic *
read_topic (MhExplanations *e, const MhXmlNode *node, const char *group, const char *where, GError **error)
{
  static const char *const attrs[] = { "id", "builds-on", NULL };
  const char *id = mh_xml_attr (node, "id"), *builds_on = mh_xml_attr (node, "builds-on");
  MhTopic *t;
  gboolean has_paragraph = FALSE;

  if (!check_attrs (node, attrs, where, error))
    return NULL;
  if (id == NULL || *id == '\0')
    return fail (error, where, node, _("a <topic> needs an id")), NULL;
  if (g_hash_table_contains (e->by_id, id))
    return fail (error, where, node, _("topic “%s” is there twice"), id), NULL;
  t = g_new0 (MhTopic, 1);
  t->id = g_strdup (id);
  t->group = g_strdup (group);
  t->parts = g_ptr_array_new_with_free_func (part_free);
  t->builds_on = g_strsplit_set (builds_on != NULL ? builds_on : "", " ", -1);
  {
    /* drop the empty pieces of "a  b" or "" */
    guint k = 0;
    for (guint i = 0; t->builds_on[i] != NULL; i++)
      if (*t->builds_on[i] != '\0')
        t->builds_on[k++] = t->builds_on[i];
      else
        g_free (t->builds_on[i]);
    t->builds_on[k] = NULL;
  }
  for (guint i = 0; i < node->children->len; i++)
    {
      const MhXmlNode *c = node->children->pdata[i];
      static const char *const none[] = { NULL };
      if ((g_str_equal (c->name, "title") || g_str_equal (c->name, "p") || g_str_equal (c->name, "formula"))
          && !check_attrs (c, none, where, error))
        goto failed;
      if (g_str_equal (c->name, "title") && t->title == NULL)
        t->title = g_strdup (c->text);
      else if (g_str_equal (c->name, "p") || g_str_equal (c->name, "formula"))
        {
          MhTopicPart *part = g_new0 (MhTopicPart, 1);
          part->kind = g_str_equal (c->name, "p") ? MH_TOPIC_PARAGRAPH : MH_TOPIC_FORMULA;
          part->text = g_strdup (c->text);
          g_ptr_array_add (t->parts, part);
          has_paragraph = has_paragraph || part->kind == MH_TOPIC_PARAGRAPH;
          if (*c->text == '\0' || c->children->len > 0)
            {
              fail (error, where, c, _("topic “%s”: a <%s> holds plain text"), id, c->name);
              goto failed;
            }
        }
      else
        {
          fail (error, where, c, _("topic “%s”: <%s> is not known here (a topic holds one <title>, "
                "then <p> and <formula>)"), id, c->name);
          goto failed;
        }
    }
  if (t->title == NULL || *t->title == '\0' || !has_paragraph)
    {
      fail (error, where, node, _("topic “%s” needs a <title> and at least one <p>"), id);
      goto failed;
    }
  return t;

failed:
  topic_free (t);
  return NULL;
}

MhExplanations *
mh_explanations_parse (const char *text, gsize len, const char *where, GError **error)
{
  g_autoptr(MhXmlNode) root = mh_xml_parse (text, len, where, error);
  g_autoptr(MhExplanations) e = NULL;
  static const char *const root_attrs[] = { "format", NULL };
  static const char *const group_attrs[] = { "id", NULL };

  if (root == NULL)
    return NULL;
  if (!g_str_equal (root->name, "explanations"))
    return fail (error, where, root, _("the root element is <%s>, not <explanations>"), root->name), NULL;
  if (!check_attrs (root, root_attrs, where, error))
    return NULL;
  if (g_strcmp0 (mh_xml_attr (root, "format"), "1") != 0)
    return fail (error, where, root, _("format “%s” is not known (this version reads format=\"1\")"),
                 mh_xml_attr (root, "format") ? mh_xml_attr (root, "format") : ""), NULL;
  e = g_new0 (MhExplanations, 1);
  e->groups = g_ptr_array_new_with_free_func (group_free);
  e->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < root->children->len; i++)
    {
      const MhXmlNode *gn = root->children->pdata[i];
      MhTopicGroup *g;
      if (!g_str_equal (gn->name, "group"))
        return fail (error, where, gn, _("<%s> is not known here (<explanations> holds <group>s)"), gn->name), NULL;
      if (!check_attrs (gn, group_attrs, where, error))
        return NULL;
      if (mh_xml_attr (gn, "id") == NULL)
        return fail (error, where, gn, _("a <group> needs an id")), NULL;
      g = g_new0 (MhTopicGroup, 1);
      g->id = g_strdup (mh_xml_attr (gn, "id"));
      g->topics = g_ptr_array_new_with_free_func (topic_free);
      g_ptr_array_add (e->groups, g);
      for (guint j = 0; j < gn->children->len; j++)
        {
          const MhXmlNode *c = gn->children->pdata[j];
          if (g_str_equal (c->name, "title") && g->title == NULL)
            g->title = g_strdup (c->text);
          else if (g_str_equal (c->name, "topic"))
            {
              MhTopic *t = read_topic (e, c, g->id, where, error);
              if (t == NULL)
                return NULL;
              g_ptr_array_add (g->topics, t);
              g_hash_table_insert (e->by_id, t->id, t);
            }
          else
            return fail (error, where, c, _("group “%s”: <%s> is not known here (a group holds one <title>, "
                         "then <topic>s)"), g->id, c->name), NULL;
        }
      if (g->title == NULL)
        return fail (error, where, gn, _("group “%s” needs a <title>"), g->id), NULL;
    }
  /* every link leads somewhere */
  for (guint i = 0; i < e->groups->len; i++)
    {
      MhTopicGroup *g = e->groups->pdata[i];
      for (guint j = 0; j < g->topics->len; j++)
        {
          MhTopic *t = g->topics->pdata[j];
          for (guint k = 0; t->builds_on[k] != NULL; k++)
            if (!g_hash_table_contains (e->by_id, t->builds_on[k]) || g_str_equal (t->builds_on[k], t->id))
              {
                g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                             _("%s: topic “%s” builds on “%s”, which is not a topic of the file"), where, t->id,
                             t->builds_on[k]);
                return NULL;
              }
        }
    }
  return g_steal_pointer (&e);
}

MhExplanations *
mh_explanations_get_default (void)
{
  static MhExplanations *explanations;

  if (g_once_init_enter (&explanations))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_resources_lookup_data (RESOURCE, 0, &error);
      MhExplanations *e = NULL;
      if (bytes != NULL)
        {
          gsize len;
          const char *text = g_bytes_get_data (bytes, &len);
          e = mh_explanations_parse (text, len, "explanations.xml", &error);
        }
      if (e == NULL)
        {
          g_warning ("The explanations could not be read: %s", error->message);
          {
            static const char empty[] = "<explanations format=\"1\"/>";
            e = mh_explanations_parse (empty, sizeof empty - 1, "(none)", NULL);
          }
        }
      g_once_init_leave (&explanations, e);
    }
  return explanations;
}

guint
mh_explanations_get_n_groups (const MhExplanations *e)
{
  return e->groups->len;
}

const MhTopicGroup *
mh_explanations_get_group (const MhExplanations *e, guint i)
{
  g_return_val_if_fail (i < e->groups->len, NULL);
  return e->groups->pdata[i];
}

const MhTopic *
mh_explanations_lookup (const MhExplanations *e, const char *id)
{
  return id != NULL ? g_hash_table_lookup (e->by_id, id) : NULL;
}

const char *
mh_topic_get_summary (const MhTopic *topic)
{
  for (guint i = 0; i < topic->parts->len; i++)
    {
      const MhTopicPart *part = topic->parts->pdata[i];
      if (part->kind == MH_TOPIC_PARAGRAPH)
        return part->text;
    }
  return "";
}
