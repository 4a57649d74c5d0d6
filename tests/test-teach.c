/* test-teach.c — the explanations and the lessons as data (no window):
 * every block kind, loss, balancing method, layer and data source of the
 * engine has an explanation of 2 to 5 sentences that builds on another
 * topic; the built-in lessons validate; xgettext extracts every string the
 * window shows of them (through resources/its/mh-teach.its); and broken
 * explanation and lesson files give one message naming the file, the step
 * and the field. */
#include <string.h>
#include <glib/gstdio.h>
#include "mh-edits.h"
#include "mh-explanations.h"
#include "mh-kinds.h"
#include "mh-layer.h"
#include "mh-lesson.h"
#include "mh-loss.h"
#include "mh-project.h"
#include "mh-resources.h"
#include "mh-test-util.h"

static char *tmp_dir;

static MhExplanations *
explanations (void)
{
  MhExplanations *e = mh_explanations_get_default ();

  g_assert_nonnull (e);
  g_assert_cmpuint (mh_explanations_get_n_groups (e), >, 5);
  return e;
}

static void
assert_topic (const char *id)
{
  if (mh_explanations_lookup (explanations (), id) == NULL)
    g_error ("no explanation for “%s” (resources/teach/explanations.xml)", id);
}

/* The list an engine error gives after "(known: " — the engine's own table,
 * until it has a public one. */
static char **
known_from_error (const char *json, const char *marker)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhProject) p = mh_project_load_data (json, -1, "probe.mhproj", &error);
  const char *at, *end;
  g_autofree char *list = NULL;

  g_assert_null (p);
  g_assert_nonnull (error);
  at = strstr (error->message, marker);
  g_assert_nonnull (at);
  at += strlen (marker);
  end = strchr (at, ')');
  g_assert_nonnull (end);
  list = g_strndup (at, end - at);
  return g_strsplit (list, ", ", -1);
}

static void
test_coverage (void)
{
  guint n;
  const MhPaletteItem *items = mh_palette_items (&n);
  g_auto(GStrv) layers = g_strsplit (mh_layer_types (), ", ", -1);
  g_auto(GStrv) data_kinds = known_from_error ("{ \"format\": 1, \"dataset\": { \"kind\": \"nothing\" } }", "(known: ");

  /* every block of the palette */
  for (guint i = 0; i < n; i++)
    assert_topic (items[i].id);
  /* every loss, balancing method, backbone and head kind of the engine's tables */
  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("loss:%s", mh_loss_table[i].id);
      assert_topic (id);
    }
  for (guint i = 0; mh_balancing_methods[i].id != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("balance:%s", mh_balancing_methods[i].id);
      assert_topic (id);
    }
  for (guint i = 0; mh_backbone_kinds[i].id != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("backbone:%s", mh_backbone_kinds[i].id);
      assert_topic (id);
    }
  for (guint i = 0; mh_head_kinds[i].id != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("head:%s", mh_head_kinds[i].id);
      assert_topic (id);
    }
  /* every layer type and every data source */
  for (guint i = 0; layers[i] != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("layer:%s", layers[i]);
      assert_topic (id);
    }
  g_assert_cmpuint (g_strv_length (data_kinds), >=, 4);
  for (guint i = 0; data_kinds[i] != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("data:%s", data_kinds[i]);
      assert_topic (id);
    }
  /* the views that are not dashboard pages (those: test-teach-ui) */
  {
    const char *views[] = { "view:canvas", "view:runs", "view:tradeoff" };
    for (guint i = 0; i < G_N_ELEMENTS (views); i++)
      assert_topic (views[i]);
  }
}

/* Sentences: ends of sentences outside "et al." */
static int
sentences (const char *text)
{
  g_autoptr(GRegex) end = g_regex_new ("(?<!al)[.!?](\\s|$)", 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  int count = 0;

  g_regex_match (end, text, 0, &info);
  while (g_match_info_matches (info))
    {
      count++;
      g_match_info_next (info, NULL);
    }
  return count;
}

static void
test_topics (void)
{
  MhExplanations *e = explanations ();
  guint topics = 0;

  for (guint g = 0; g < mh_explanations_get_n_groups (e); g++)
    {
      const MhTopicGroup *group = mh_explanations_get_group (e, g);
      for (guint i = 0; i < group->topics->len; i++)
        {
          const MhTopic *t = group->topics->pdata[i];
          g_autoptr(GString) text = g_string_new (NULL);
          int n;
          for (guint j = 0; j < t->parts->len; j++)
            {
              const MhTopicPart *part = t->parts->pdata[j];
              if (part->kind == MH_TOPIC_PARAGRAPH)
                g_string_append_printf (text, "%s ", part->text);
            }
          n = sentences (text->str);
          if (n < 2 || n > 5)
            g_error ("topic %s has %d sentences (2 to 5 for a first-year student)", t->id, n);
          /* everything but the first idea links to what it builds on */
          if (t->builds_on[0] == NULL && !g_str_equal (t->id, "concept:supervised-learning"))
            g_error ("topic %s builds on nothing", t->id);
          topics++;
        }
    }
  g_assert_cmpuint (topics, >=, 60);
  /* the formulas the issue asks for are there */
  {
    const struct { const char *topic, *has; } formulas[] = {
      { "concept:multi-task-loss", "J = Σᵢ wᵢ·Jᵢ" }, { "concept:softmax", "softmax(z)ₖ" },
      { "loss:cross-entropy", "−log softmax" }, { "concept:attention", "softmax(Q·Kᵀ / √d)·V" },
      { "concept:cosine", "gᵢ·gⱼ / (‖gᵢ‖·‖gⱼ‖)" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
      {
        const MhTopic *t = mh_explanations_lookup (e, formulas[i].topic);
        gboolean found = FALSE;
        g_assert_nonnull (t);
        for (guint j = 0; j < t->parts->len; j++)
          {
            const MhTopicPart *part = t->parts->pdata[j];
            found = found || (part->kind == MH_TOPIC_FORMULA && strstr (part->text, formulas[i].has) != NULL);
          }
        if (!found)
          g_error ("%s lacks the formula %s", formulas[i].topic, formulas[i].has);
      }
  }
}

/* ---- gettext ----------------------------------------------------------------------- */

/* The msgids of a .pot file. */
static GHashTable *
read_pot (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *id = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (g_str_has_prefix (l, "msgid \""))
        {
          id = g_string_new (NULL);
          l += strlen ("msgid ");
        }
      else if (g_str_has_prefix (l, "msgstr") && id != NULL)
        {
          g_hash_table_add (ids, g_string_free (id, FALSE));
          id = NULL;
          continue;
        }
      if (id != NULL && l[0] == '"')
        {
          g_autofree char *inner = g_strndup (l + 1, strlen (l) - 2);
          g_autofree char *plain = g_strcompress (inner);
          g_string_append (id, plain);
        }
    }
  if (id != NULL)
    g_string_free (id, TRUE);
  return ids;
}

static void
assert_msgid (GHashTable *ids, const char *s)
{
  if (s != NULL && !g_hash_table_contains (ids, s))
    g_error ("xgettext does not extract “%s”", s);
}

static void
test_gettext (void)
{
  g_autofree char *xgettext = g_find_program_in_path ("xgettext");
  g_autofree char *its = g_build_filename (MH_SOURCE_DIR, "resources", "its", "mh-teach.its", NULL);
  g_autofree char *pot = g_build_filename (tmp_dir, "teach.pot", NULL);
  g_autofree char *explanations_xml = g_build_filename (MH_SOURCE_DIR, "resources", "teach", "explanations.xml", NULL);
  g_autofree char *lessons_dir = g_build_filename (MH_SOURCE_DIR, "resources", "teach", "lessons", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  int status;
  MhExplanations *e = explanations ();
  GPtrArray *lessons = mh_lessons_get_builtin ();

  if (xgettext == NULL)
    {
      g_test_skip ("xgettext is not installed (Debian's gettext)");
      return;
    }
  g_ptr_array_add (argv, g_strdup (xgettext));
  g_ptr_array_add (argv, g_strdup_printf ("--its=%s", its));
  g_ptr_array_add (argv, g_strdup ("--from-code=UTF-8"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (pot));
  g_ptr_array_add (argv, g_strdup (explanations_xml));
  dir = g_dir_open (lessons_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (argv, g_build_filename (lessons_dir, name, NULL));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  ids = read_pot (pot);
  for (guint g = 0; g < mh_explanations_get_n_groups (e); g++)
    {
      const MhTopicGroup *group = mh_explanations_get_group (e, g);
      assert_msgid (ids, group->title);
      for (guint i = 0; i < group->topics->len; i++)
        {
          const MhTopic *t = group->topics->pdata[i];
          assert_msgid (ids, t->title);
          for (guint j = 0; j < t->parts->len; j++)
            {
              const MhTopicPart *part = t->parts->pdata[j];
              if (part->kind == MH_TOPIC_PARAGRAPH)
                assert_msgid (ids, part->text);
              else
                g_assert_false (g_hash_table_contains (ids, part->text));   /* formulas stay as they are */
            }
        }
    }
  for (guint i = 0; i < lessons->len; i++)
    {
      const MhLesson *l = lessons->pdata[i];
      assert_msgid (ids, l->title);
      assert_msgid (ids, l->summary);
      for (guint s = 0; s < l->steps->len; s++)
        {
          const MhLessonStep *step = l->steps->pdata[s];
          assert_msgid (ids, step->title);
          assert_msgid (ids, step->say);
          assert_msgid (ids, step->notice);
        }
    }
}

/* ---- the lessons ----------------------------------------------------------------- */

static void
test_builtin_lessons (void)
{
  GPtrArray *lessons = mh_lessons_get_builtin ();
  g_auto(GStrv) files = g_resources_enumerate_children ("/io/github/multihead/Studio/teach/lessons", 0, NULL);
  const char *want[] = { "multi-head", "heads-pull-apart", "attention-heads", "der-die-das" };
  MhExplanations *e = explanations ();

  g_assert_nonnull (files);
  g_assert_cmpuint (lessons->len, ==, g_strv_length (files));   /* none left out as broken */
  g_assert_cmpuint (lessons->len, >=, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_nonnull (mh_lessons_find_builtin (want[i]));
  for (guint i = 0; i < lessons->len; i++)
    {
      const MhLesson *l = lessons->pdata[i];
      g_autofree char *example = g_build_filename (MH_SOURCE_DIR, "resources", "examples", l->example, NULL);
      g_assert_nonnull (l->example);
      g_assert_true (g_file_test (example, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpuint (l->steps->len, >=, 4);
      for (guint s = 0; s < l->steps->len; s++)
        {
          const MhLessonStep *step = l->steps->pdata[s];
          if (step->explain != NULL && mh_explanations_lookup (e, step->explain) == NULL)
            g_error ("%s, step %u: explain=\"%s\" is not a topic", l->where, s + 1, step->explain);
        }
    }
}

#define STEP(body) "<step><title>Look</title><say>Look here.</say>" body "</step>"
#define LESSON(body) "<lesson format=\"1\" id=\"t\"><title>T</title>" body "</lesson>"

static void
test_invalid_lessons (void)
{
  const struct { const char *xml; const char *says[4]; } cases[] = {
    { "<lesson format=\"1\" id=\"t\"><title>T</title>", { "bad.lesson.xml:", NULL } },   /* not well-formed */
    { "<lessen/>", { "bad.lesson.xml:1", "<lessen>", "not <lesson>" } },
    { "<lesson format=\"2\" id=\"t\"/>", { "field “format”", "format=\"1\"" } },
    { "<lesson format=\"1\"><title>T</title></lesson>", { "field “id”", "“id”" } },
    { LESSON (""), { "field “step”", "no <step>" } },
    { LESSON ("<step><say>x</say></step>"), { "step 1,", "field “title”" } },
    { LESSON (STEP ("") "<step><title>Second</title></step>"), { "step 2 “Second”", "field “say”" } },
    { LESSON (STEP ("<wait><clicked widget=\"x\"/></wait><show-me><click widget=\"x\"/></show-me>")),
      { "step 1 “Look”", "field “wait”", "<clicked>", "known: action" } },
    { LESSON (STEP ("<wait><action name=\"train\"/></wait><show-me><click widget=\"x\"/></show-me>")),
      { "field “wait”", "“train” is not an action name" } },
    { LESSON (STEP ("<wait><training state=\"running fast\"/></wait><show-me><click widget=\"x\"/></show-me>")),
      { "field “wait”", "state “running fast”" } },
    { LESSON (STEP ("<wait><head name=\"a\" weight-at-most=\"lots\"/></wait><show-me><click widget=\"x\"/></show-me>")),
      { "field “wait”", "weight-at-most=\"lots\" is not a number" } },
    { LESSON (STEP ("<wait><selected block=\"canvas\"/></wait><show-me><click widget=\"x\"/></show-me>")),
      { "field “wait”", "block “canvas”" } },
    { LESSON (STEP ("<wait><action name=\"win.train\"/></wait>")), { "field “show-me”", "needs a <show-me>" } },
    { LESSON (STEP ("<wait><action name=\"win.train\"/></wait><show-me><press key=\"F5\"/></show-me>")),
      { "field “show-me”", "<press>", "known: activate" } },
    { LESSON (STEP ("<show-me><activate action=\"win.balancing\" target=\"pcgrad\"/></show-me>")),
      { "field “show-me”", "target=\"pcgrad\" is not a GVariant" } },
    { LESSON (STEP ("<enter><set widget=\"x\" property=\"y\"/></enter>")), { "field “enter”", "“value”" } },
    { LESSON ("<step colour=\"red\"><title>Look</title><say>x</say></step>"),
      { "step 1 “Look”", "no attribute “colour”", "target, explain" } },
    { LESSON ("<example file=\"../../etc/passwd\"/>" STEP ("")), { "field “example”", "not the name" } },
    { LESSON (STEP ("<say>again</say>")), { "field “say”", "twice" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MhLesson) lesson = mh_lesson_parse (cases[i].xml, strlen (cases[i].xml), "bad.lesson.xml", &error);
      g_assert_null (lesson);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "bad.lesson.xml:"));
      for (guint k = 0; k < G_N_ELEMENTS (cases[i].says) && cases[i].says[k] != NULL; k++)
        if (strstr (error->message, cases[i].says[k]) == NULL)
          g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].says[k]);
    }
}

static void
test_lesson_files (void)
{
  g_autofree char *good = g_build_filename (tmp_dir, "good.lesson.xml", NULL);
  g_autofree char *latin1 = g_build_filename (tmp_dir, "latin1.lesson.xml", NULL);
  g_autofree char *big = g_build_filename (tmp_dir, "big.lesson.xml", NULL);
  g_autofree char *sample = g_build_filename (MH_SOURCE_DIR, "tests", "lessons", "my-first.lesson.xml", NULL);
  g_autofree char *huge = g_malloc0 (2 << 20);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhLesson) lesson = NULL;
  const char *xml = LESSON (STEP (""));

  g_assert_true (g_file_set_contents (good, xml, -1, NULL));
  lesson = mh_lesson_load_file (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lesson->where, ==, "good.lesson.xml");
  g_clear_pointer (&lesson, mh_lesson_free);

  /* the sample a teacher starts from (docs/lessons.md) validates */
  lesson = mh_lesson_load_file (sample, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lesson->steps->len, >=, 2);
  g_clear_pointer (&lesson, mh_lesson_free);

  g_assert_true (g_file_set_contents (latin1, "<lesson format=\"1\" id=\"t\"><title>Gr\xfc\xdf" "e</title></lesson>",
                                      -1, NULL));
  g_assert_null (mh_lesson_load_file (latin1, &error));
  g_assert_true (strstr (error->message, "latin1.lesson.xml") != NULL);
  g_assert_true (strstr (error->message, "UTF-8") != NULL);
  g_clear_error (&error);

  memset (huge, ' ', (2 << 20) - 1);
  g_assert_true (g_file_set_contents (big, huge, -1, NULL));
  g_assert_null (mh_lesson_load_file (big, &error));
  g_assert_true (strstr (error->message, "big.lesson.xml") != NULL);
  g_clear_error (&error);

  g_assert_null (mh_lesson_load_file (tmp_dir, &error));   /* a folder */
  g_assert_nonnull (error);
  g_clear_error (&error);
}

static void
test_invalid_explanations (void)
{
  const struct { const char *xml, *says; } cases[] = {
    { "<explanations format=\"1\"><group id=\"g\"><title>G</title><topic id=\"a\"><title>A</title>"
      "<p>One. Two.</p></topic><topic id=\"a\"><title>A</title><p>One. Two.</p></topic></group></explanations>",
      "topic “a” is there twice" },
    { "<explanations format=\"1\"><group id=\"g\"><title>G</title><topic id=\"a\" builds-on=\"b\"><title>A</title>"
      "<p>One. Two.</p></topic></group></explanations>", "builds on “b”" },
    { "<explanations format=\"1\"><group id=\"g\"><title>G</title><topic id=\"a\"><title>A</title>"
      "<img src=\"x\"/></topic></group></explanations>", "<img> is not known here" },
    { "<explanations format=\"1\"><group id=\"g\"><title>G</title><topic id=\"a\"><title>A</title>"
      "</topic></group></explanations>", "needs a <title> and at least one <p>" },
    { "<explanations><group id=\"g\"/></explanations>", "format" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MhExplanations) e = mh_explanations_parse (cases[i].xml, strlen (cases[i].xml), "x.xml", &error);
      g_assert_null (e);
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, "x.xml") || strstr (error->message, cases[i].says) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].says);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  (void) mh_get_resource ();
  tmp_dir = mh_test_tmp_dir ();
  g_test_add_func ("/teach/explanations/coverage", test_coverage);
  g_test_add_func ("/teach/explanations/topics", test_topics);
  g_test_add_func ("/teach/explanations/invalid", test_invalid_explanations);
  g_test_add_func ("/teach/gettext", test_gettext);
  g_test_add_func ("/teach/lessons/builtin", test_builtin_lessons);
  g_test_add_func ("/teach/lessons/invalid", test_invalid_lessons);
  g_test_add_func ("/teach/lessons/files", test_lesson_files);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  return status;
}
