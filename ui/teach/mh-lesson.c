/* mh-lesson.c — reading and checking lesson files (mh-lesson.h). */
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mh-input.h"
#include "mh-lesson.h"
#include "mh-teach-xml.h"

#define LESSONS_RESOURCE "/io/github/multihead/Studio/teach/lessons"
#define MAX_LESSON_BYTES (1 << 20)

static const char *const wait_names[] = { "action", "property", "training", "project", "head", "selected", NULL };
static const char *const do_names[] = { "activate", "click", "set", "select", NULL };
static const char *const states[] = { "idle", "loading", "running", "paused", "finished", "stopped", "failed", NULL };

static void
wait_free (gpointer data)
{
  MhLessonWait *w = data;

  g_free (w->action);
  g_free (w->widget);
  g_free (w->property);
  g_free (w->value);
  g_free (w->state);
  g_free (w->balancing);
  g_free (w->backbone);
  g_free (w->dataset);
  g_free (w->head);
  g_free (w->block);
  g_free (w);
}

static void
do_free (gpointer data)
{
  MhLessonDo *d = data;

  g_free (d->action);
  g_free (d->target);
  g_free (d->widget);
  g_free (d->property);
  g_free (d->value);
  g_free (d->block);
  g_free (d);
}

static void
step_free (gpointer data)
{
  MhLessonStep *s = data;

  g_free (s->title);
  g_free (s->say);
  g_free (s->notice);
  g_free (s->target);
  g_free (s->explain);
  g_ptr_array_unref (s->enter);
  g_ptr_array_unref (s->wait);
  g_ptr_array_unref (s->show_me);
  g_free (s);
}

void
mh_lesson_free (MhLesson *lesson)
{
  if (lesson == NULL)
    return;
  g_free (lesson->id);
  g_free (lesson->where);
  g_free (lesson->title);
  g_free (lesson->summary);
  g_free (lesson->example);
  g_ptr_array_unref (lesson->steps);
  g_free (lesson);
}

/* ---- messages ------------------------------------------------------------------ */

typedef struct {
  const char *where;
  int         step;        /* 1-based; 0: the lesson itself */
  const char *step_title;
} Ctx;

static gboolean
fail (GError **error, const Ctx *ctx, const MhXmlNode *node, const char *field, const char *format, ...)
  G_GNUC_PRINTF (5, 6);

static gboolean
fail (GError **error, const Ctx *ctx, const MhXmlNode *node, const char *field, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;
  g_autofree char *step = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (ctx->step > 0)
    step = ctx->step_title != NULL ? g_strdup_printf ("step %d “%s”, ", ctx->step, ctx->step_title)
                                   : g_strdup_printf ("step %d, ", ctx->step);
  g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "%s:%d: %sfield “%s”: %s", ctx->where,
               node->line, step ? step : "", field, message);
  return FALSE;
}

static gboolean
attrs_ok (const MhXmlNode *node, const char *const *known, const Ctx *ctx, const char *field, GError **error)
{
  const char *bad = mh_xml_unknown_attr (node, known);
  g_autofree char *list = NULL;

  if (bad == NULL)
    return TRUE;
  list = g_strjoinv (", ", (char **) known);
  return fail (error, ctx, node, field, _("<%s> has no attribute “%s” (it takes %s)"), node->name, bad,
               *list ? list : "none");
}

static const char *
need (const MhXmlNode *node, const char *attr, const Ctx *ctx, const char *field, GError **error)
{
  const char *v = mh_xml_attr (node, attr);

  if (v == NULL || *v == '\0')
    fail (error, ctx, node, field, _("<%s> needs the attribute “%s”"), node->name, attr);
  return v != NULL && *v != '\0' ? v : NULL;
}

static gboolean
parse_int (const MhXmlNode *node, const char *attr, int min, int *out, const Ctx *ctx, const char *field,
           GError **error)
{
  const char *v = mh_xml_attr (node, attr);
  gint64 n;

  if (v == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (v, 10, min, G_MAXINT, &n, NULL))
    return fail (error, ctx, node, field, _("%s=\"%s\" is not a whole number of at least %d"), attr, v, min);
  *out = (int) n;
  return TRUE;
}

static gboolean
parse_double (const MhXmlNode *node, const char *attr, double *out, const Ctx *ctx, const char *field,
              GError **error)
{
  const char *v = mh_xml_attr (node, attr);
  char *end;
  double d;

  if (v == NULL)
    return TRUE;
  d = g_ascii_strtod (v, &end);
  if (end == v || *end != '\0' || !isfinite (d))
    return fail (error, ctx, node, field, _("%s=\"%s\" is not a number"), attr, v);
  *out = d;
  return TRUE;
}

static gboolean
action_name_ok (const MhXmlNode *node, const char *name, const Ctx *ctx, const char *field, GError **error)
{
  const char *dot = strchr (name, '.');

  if (dot == NULL || dot == name || dot[1] == '\0' || !g_action_name_is_valid (dot + 1))
    return fail (error, ctx, node, field, _("“%s” is not an action name such as win.train"), name);
  return TRUE;
}

static gboolean
block_ok (const MhXmlNode *node, const char *block, const Ctx *ctx, const char *field, GError **error)
{
  if (g_str_equal (block, "data") || g_str_equal (block, "backbone") || g_str_equal (block, "head")
      || (g_str_has_prefix (block, "head:") && block[5] != '\0'))
    return TRUE;
  return fail (error, ctx, node, field, _("block “%s” is not one of data, backbone, head, head:NAME"), block);
}

/* ---- the parts ----------------------------------------------------------------- */

static MhLessonWait *
read_wait (const MhXmlNode *n, const Ctx *ctx, GError **error)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (wait_free);
  MhLessonWait *w = g_new0 (MhLessonWait, 1);
  const char *f = "wait";

  g_ptr_array_add (keep, w);
  w->line = n->line;
  w->weight_min = -INFINITY;
  w->weight_max = INFINITY;
  if (g_str_equal (n->name, "action"))
    {
      static const char *const a[] = { "name", NULL };
      const char *name;
      w->kind = MH_LESSON_WAIT_ACTION;
      if (!attrs_ok (n, a, ctx, f, error) || (name = need (n, "name", ctx, f, error)) == NULL
          || !action_name_ok (n, name, ctx, f, error))
        return NULL;
      w->action = g_strdup (name);
    }
  else if (g_str_equal (n->name, "property"))
    {
      static const char *const a[] = { "widget", "name", "value", NULL };
      w->kind = MH_LESSON_WAIT_PROPERTY;
      if (!attrs_ok (n, a, ctx, f, error) || !need (n, "widget", ctx, f, error) || !need (n, "name", ctx, f, error))
        return NULL;
      if (mh_xml_attr (n, "value") == NULL)
        return fail (error, ctx, n, f, _("<property> needs the attribute “value”")), NULL;
      w->widget = g_strdup (mh_xml_attr (n, "widget"));
      w->property = g_strdup (mh_xml_attr (n, "name"));
      w->value = g_strdup (mh_xml_attr (n, "value"));
    }
  else if (g_str_equal (n->name, "training"))
    {
      static const char *const a[] = { "state", "steps-at-least", NULL };
      const char *state = mh_xml_attr (n, "state");
      w->kind = MH_LESSON_WAIT_TRAINING;
      if (!attrs_ok (n, a, ctx, f, error) || !parse_int (n, "steps-at-least", 1, &w->steps, ctx, f, error))
        return NULL;
      if (state != NULL && !g_strv_contains (states, state))
        return fail (error, ctx, n, f, _("state “%s” is not one of idle, loading, running, paused, finished, "
                     "stopped, failed"), state), NULL;
      if (state == NULL && w->steps == 0)
        return fail (error, ctx, n, f, _("<training> needs state or steps-at-least")), NULL;
      w->state = g_strdup (state);
    }
  else if (g_str_equal (n->name, "project"))
    {
      static const char *const a[] = { "heads-at-least", "balancing", "backbone", "dataset", NULL };
      w->kind = MH_LESSON_WAIT_PROJECT;
      if (!attrs_ok (n, a, ctx, f, error) || !parse_int (n, "heads-at-least", 1, &w->heads, ctx, f, error))
        return NULL;
      w->balancing = g_strdup (mh_xml_attr (n, "balancing"));
      w->backbone = g_strdup (mh_xml_attr (n, "backbone"));
      w->dataset = g_strdup (mh_xml_attr (n, "dataset"));
      if (w->heads == 0 && !w->balancing && !w->backbone && !w->dataset)
        return fail (error, ctx, n, f, _("<project> needs heads-at-least, balancing, backbone or dataset")), NULL;
    }
  else if (g_str_equal (n->name, "head"))
    {
      static const char *const a[] = { "name", "weight-at-most", "weight-at-least", NULL };
      w->kind = MH_LESSON_WAIT_HEAD;
      if (!attrs_ok (n, a, ctx, f, error) || !need (n, "name", ctx, f, error)
          || !parse_double (n, "weight-at-most", &w->weight_max, ctx, f, error)
          || !parse_double (n, "weight-at-least", &w->weight_min, ctx, f, error))
        return NULL;
      if (!mh_xml_attr (n, "weight-at-most") && !mh_xml_attr (n, "weight-at-least"))
        return fail (error, ctx, n, f, _("<head> needs weight-at-most or weight-at-least")), NULL;
      w->head = g_strdup (mh_xml_attr (n, "name"));
    }
  else if (g_str_equal (n->name, "selected"))
    {
      static const char *const a[] = { "block", NULL };
      const char *block;
      w->kind = MH_LESSON_WAIT_SELECTED;
      if (!attrs_ok (n, a, ctx, f, error) || (block = need (n, "block", ctx, f, error)) == NULL
          || !block_ok (n, block, ctx, f, error))
        return NULL;
      w->block = g_strdup (block);
    }
  else
    {
      g_autofree char *list = g_strjoinv (", ", (char **) wait_names);
      return fail (error, ctx, n, f, _("<%s> is not a condition (known: %s)"), n->name, list), NULL;
    }
  return g_ptr_array_steal_index (keep, 0);
}

static MhLessonDo *
read_do (const MhXmlNode *n, const Ctx *ctx, const char *f, GError **error)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (do_free);
  MhLessonDo *d = g_new0 (MhLessonDo, 1);

  g_ptr_array_add (keep, d);
  d->line = n->line;
  if (g_str_equal (n->name, "activate"))
    {
      static const char *const a[] = { "action", "target", "widget", NULL };
      const char *action, *target = mh_xml_attr (n, "target");
      d->kind = MH_LESSON_DO_ACTIVATE;
      if (!attrs_ok (n, a, ctx, f, error) || (action = need (n, "action", ctx, f, error)) == NULL
          || !action_name_ok (n, action, ctx, f, error))
        return NULL;
      if (target != NULL)
        {
          g_autoptr(GError) local = NULL;
          g_autoptr(GVariant) v = g_variant_parse (NULL, target, NULL, NULL, &local);
          if (v == NULL)
            return fail (error, ctx, n, f, _("target=\"%s\" is not a GVariant value such as 'pcgrad' (%s)"), target,
                         local->message), NULL;
        }
      d->action = g_strdup (action);
      d->target = g_strdup (target);
      d->widget = g_strdup (mh_xml_attr (n, "widget"));
    }
  else if (g_str_equal (n->name, "click"))
    {
      static const char *const a[] = { "widget", NULL };
      d->kind = MH_LESSON_DO_CLICK;
      if (!attrs_ok (n, a, ctx, f, error) || !need (n, "widget", ctx, f, error))
        return NULL;
      d->widget = g_strdup (mh_xml_attr (n, "widget"));
    }
  else if (g_str_equal (n->name, "set"))
    {
      static const char *const a[] = { "widget", "property", "value", NULL };
      d->kind = MH_LESSON_DO_SET;
      if (!attrs_ok (n, a, ctx, f, error) || !need (n, "widget", ctx, f, error)
          || !need (n, "property", ctx, f, error))
        return NULL;
      if (mh_xml_attr (n, "value") == NULL)
        return fail (error, ctx, n, f, _("<set> needs the attribute “value”")), NULL;
      d->widget = g_strdup (mh_xml_attr (n, "widget"));
      d->property = g_strdup (mh_xml_attr (n, "property"));
      d->value = g_strdup (mh_xml_attr (n, "value"));
    }
  else if (g_str_equal (n->name, "select"))
    {
      static const char *const a[] = { "block", NULL };
      const char *block;
      d->kind = MH_LESSON_DO_SELECT;
      if (!attrs_ok (n, a, ctx, f, error) || (block = need (n, "block", ctx, f, error)) == NULL
          || !block_ok (n, block, ctx, f, error))
        return NULL;
      d->block = g_strdup (block);
    }
  else
    {
      g_autofree char *list = g_strjoinv (", ", (char **) do_names);
      return fail (error, ctx, n, f, _("<%s> is not something a step can do (known: %s)"), n->name, list), NULL;
    }
  return g_ptr_array_steal_index (keep, 0);
}

static gboolean
read_list (const MhXmlNode *n, GPtrArray *into, gboolean waits, const Ctx *ctx, GError **error)
{
  static const char *const none[] = { NULL };

  if (!attrs_ok (n, none, ctx, n->name, error))
    return FALSE;
  if (n->children->len == 0)
    return fail (error, ctx, n, n->name, _("<%s> is empty"), n->name);
  for (guint i = 0; i < n->children->len; i++)
    {
      const MhXmlNode *c = n->children->pdata[i];
      gpointer item = waits ? (gpointer) read_wait (c, ctx, error) : (gpointer) read_do (c, ctx, n->name, error);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (into, item);
    }
  return TRUE;
}

static gboolean
read_text (const MhXmlNode *c, char **into, const Ctx *ctx, GError **error)
{
  static const char *const none[] = { NULL };

  if (!attrs_ok (c, none, ctx, c->name, error))
    return FALSE;
  if (*into != NULL)
    return fail (error, ctx, c, c->name, _("<%s> is there twice"), c->name);
  if (c->children->len > 0 || *c->text == '\0')
    return fail (error, ctx, c, c->name, _("<%s> holds plain text (not empty, no elements)"), c->name);
  *into = g_strdup (c->text);
  return TRUE;
}

static MhLessonStep *
read_step (const MhXmlNode *n, Ctx *ctx, GError **error)
{
  static const char *const attrs[] = { "target", "explain", NULL };
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (step_free);
  MhLessonStep *s = g_new0 (MhLessonStep, 1);
  const MhXmlNode *show_me = NULL, *wait = NULL;

  g_ptr_array_add (keep, s);
  s->line = n->line;
  s->enter = g_ptr_array_new_with_free_func (do_free);
  s->wait = g_ptr_array_new_with_free_func (wait_free);
  s->show_me = g_ptr_array_new_with_free_func (do_free);
  /* the title first, for the messages about the rest */
  for (guint i = 0; i < n->children->len; i++)
    {
      const MhXmlNode *c = n->children->pdata[i];
      if (g_str_equal (c->name, "title") && ctx->step_title == NULL)
        ctx->step_title = c->text;
    }
  if (!attrs_ok (n, attrs, ctx, "step", error))
    return NULL;
  s->target = g_strdup (mh_xml_attr (n, "target"));
  s->explain = g_strdup (mh_xml_attr (n, "explain"));
  for (guint i = 0; i < n->children->len; i++)
    {
      const MhXmlNode *c = n->children->pdata[i];
      gboolean ok;
      if (g_str_equal (c->name, "title"))
        ok = read_text (c, &s->title, ctx, error);
      else if (g_str_equal (c->name, "say"))
        ok = read_text (c, &s->say, ctx, error);
      else if (g_str_equal (c->name, "notice"))
        ok = read_text (c, &s->notice, ctx, error);
      else if (g_str_equal (c->name, "enter"))
        ok = s->enter->len == 0 ? read_list (c, s->enter, FALSE, ctx, error)
                                : fail (error, ctx, c, "enter", _("<enter> is there twice"));
      else if (g_str_equal (c->name, "wait"))
        ok = (wait = c, s->wait->len == 0) ? read_list (c, s->wait, TRUE, ctx, error)
                                           : fail (error, ctx, c, "wait", _("<wait> is there twice"));
      else if (g_str_equal (c->name, "show-me"))
        ok = (show_me = c, s->show_me->len == 0) ? read_list (c, s->show_me, FALSE, ctx, error)
                                                 : fail (error, ctx, c, "show-me", _("<show-me> is there twice"));
      else
        ok = fail (error, ctx, c, c->name, _("<%s> is not part of a step (a step holds title, say, notice, "
                   "enter, wait, show-me)"), c->name);
      if (!ok)
        return NULL;
    }
  if (s->title == NULL)
    return fail (error, ctx, n, "title", _("the step has no <title>")), NULL;
  if (s->say == NULL)
    return fail (error, ctx, n, "say", _("the step has no <say> (what to do or look at)")), NULL;
  if (wait != NULL && show_me == NULL)
    return fail (error, ctx, wait, "show-me", _("a step that waits needs a <show-me> that does it")), NULL;
  return g_ptr_array_steal_index (keep, 0);
}

MhLesson *
mh_lesson_parse (const char *text, gsize len, const char *where, GError **error)
{
  static const char *const attrs[] = { "format", "id", NULL };
  g_autoptr(MhXmlNode) root = mh_xml_parse (text, len, where, error);
  g_autoptr(MhLesson) lesson = NULL;
  Ctx ctx = { where, 0, NULL };
  const char *format, *id;

  if (root == NULL)
    return NULL;
  if (!g_str_equal (root->name, "lesson"))
    return fail (error, &ctx, root, "lesson", _("the root element is <%s>, not <lesson>"), root->name), NULL;
  if (!attrs_ok (root, attrs, &ctx, "lesson", error))
    return NULL;
  format = mh_xml_attr (root, "format");
  if (g_strcmp0 (format, "1") != 0)
    return fail (error, &ctx, root, "format", _("format “%s” is not known (this version reads format=\"1\")"),
                 format ? format : ""), NULL;
  if ((id = need (root, "id", &ctx, "id", error)) == NULL)
    return NULL;
  lesson = g_new0 (MhLesson, 1);
  lesson->id = g_strdup (id);
  lesson->where = g_strdup (where);
  lesson->steps = g_ptr_array_new_with_free_func (step_free);
  for (guint i = 0; i < root->children->len; i++)
    {
      const MhXmlNode *c = root->children->pdata[i];
      gboolean ok = TRUE;
      if (g_str_equal (c->name, "title"))
        ok = read_text (c, &lesson->title, &ctx, error);
      else if (g_str_equal (c->name, "summary"))
        ok = read_text (c, &lesson->summary, &ctx, error);
      else if (g_str_equal (c->name, "example"))
        {
          static const char *const a[] = { "file", NULL };
          const char *file;
          if (!attrs_ok (c, a, &ctx, "example", error) || (file = need (c, "file", &ctx, "example", error)) == NULL)
            return NULL;
          if (strchr (file, '/') != NULL || !g_str_has_suffix (file, ".mhproj") || lesson->example != NULL)
            return fail (error, &ctx, c, "example", _("file=\"%s\" is not the name of one of the app's examples "
                         "(such as fashion-mlp.mhproj), or <example> is there twice"), file), NULL;
          lesson->example = g_strdup (file);
        }
      else if (g_str_equal (c->name, "step"))
        {
          MhLessonStep *s;
          ctx.step = (int) lesson->steps->len + 1;
          ctx.step_title = NULL;
          if ((s = read_step (c, &ctx, error)) == NULL)
            return NULL;
          g_ptr_array_add (lesson->steps, s);
          ctx.step = 0;
        }
      else
        ok = fail (error, &ctx, c, c->name, _("<%s> is not part of a lesson (a lesson holds title, summary, "
                   "example, step)"), c->name);
      if (!ok)
        return NULL;
    }
  if (lesson->title == NULL)
    return fail (error, &ctx, root, "title", _("the lesson has no <title>")), NULL;
  if (lesson->steps->len == 0)
    return fail (error, &ctx, root, "step", _("the lesson has no <step>")), NULL;
  return g_steal_pointer (&lesson);
}

MhLesson *
mh_lesson_load_file (const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *text = NULL;
  gsize len;

  text = mh_input_read_all (path, "lesson", MAX_LESSON_BYTES, &len, error);
  if (text == NULL || !mh_input_check_utf8 (text, (gssize) len, base, "text", error))
    return NULL;
  return mh_lesson_parse (text, len, base, error);
}

static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
mh_lessons_get_builtin (void)
{
  static GPtrArray *lessons;

  if (g_once_init_enter (&lessons))
    {
      GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_lesson_free);
      g_auto(GStrv) names = g_resources_enumerate_children (LESSONS_RESOURCE, 0, NULL);
      guint n = names != NULL ? g_strv_length (names) : 0;

      if (n > 0)
        qsort (names, n, sizeof (char *), by_name);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *path = g_build_path ("/", LESSONS_RESOURCE, names[i], NULL);
          g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
          g_autoptr(GError) error = NULL;
          MhLesson *lesson;
          gsize len;
          const char *text;

          if (bytes == NULL || !g_str_has_suffix (names[i], ".lesson.xml"))
            continue;
          text = g_bytes_get_data (bytes, &len);
          lesson = mh_lesson_parse (text, len, names[i], &error);
          if (lesson != NULL)
            g_ptr_array_add (all, lesson);
          else
            g_warning ("A lesson of the app is broken: %s", error->message);
        }
      g_once_init_leave (&lessons, all);
    }
  return lessons;
}

const MhLesson *
mh_lessons_find_builtin (const char *id)
{
  GPtrArray *all = mh_lessons_get_builtin ();

  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (((MhLesson *) all->pdata[i])->id, id) == 0)
      return all->pdata[i];
  return NULL;
}
