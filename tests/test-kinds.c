/* test-kinds.c — one source for each fact: every kind in the tables is what
 * the checks accept, the unknown ones are refused naming the table's list;
 * the balancing methods and losses are in their enums' order; each head
 * kind's default loss is one it takes, the reader gives it to a head that
 * names none, and a field's head kind is the one that predicts it; the data
 * set's key follows its samples (not its augmentation); two projects are
 * equal when they write the same file; "a run is under way" is one rule. */
#include <string.h>
#include "mh-balance.h"
#include "mh-error.h"
#include "mh-kinds.h"
#include "mh-schema.h"
#include "mh-trainer.h"

#define WHERE "kinds.mhproj"

static const char *json =
  "{ \"format\": 1, \"name\": \"kinds\", \"dataset\": { \"kind\": \"fashion-mnist\" },"
  "  \"backbone\": { \"layers\": [ { \"type\": \"flatten\" }, { \"type\": \"dense\", \"units\": 8 } ] },"
  "  \"heads\": [ { \"name\": \"h\", \"kind\": \"KIND\", \"target\": \"category\","
  "               \"layers\": [ { \"type\": \"dense\" } ] } ] }";

static MhProject *
load_with_kind (const char *kind)
{
  g_autoptr(GString) text = g_string_new (json);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  MhProject *p;

  g_string_replace (text, "KIND", kind, 1);
  p = mh_project_load_draft (text->str, -1, WHERE, &problem, &error);
  g_assert_no_error (error);
  g_assert_null (problem);
  return p;
}

static MhProject *
load (void)
{
  return load_with_kind ("classification");
}

/* Each id of `kinds` in the project's field at `offset` validates; another
 * is refused with the table's list. */
static void
check_table (const MhKind *kinds, gsize offset, const char *path)
{
  g_autoptr(MhProject) p = load ();
  g_autoptr(GError) error = NULL;
  g_autofree char *list = mh_kind_id_list (kinds);
  g_autofree char *expected = NULL;
  char **target = G_STRUCT_MEMBER_P (p, offset);

  g_assert_cmpuint (mh_kind_count (kinds), >, 0);
  for (guint i = 0; kinds[i].id != NULL; i++)
    {
      g_assert_nonnull (kinds[i].title);
      g_assert_cmpint (mh_kind_index (kinds, kinds[i].id), ==, (int) i);
      g_assert_true (mh_kind_lookup (kinds, kinds[i].id) == &kinds[i]);
      g_free (*target);
      *target = g_strdup (kinds[i].id);
      if (!mh_project_validate (p, WHERE, &error))
        g_error ("%s '%s' refused: %s", path, kinds[i].id, error->message);
    }
  g_assert_null (mh_kind_lookup (kinds, "no-such-kind"));
  g_free (*target);
  *target = g_strdup ("no-such-kind");
  g_assert_false (mh_project_validate (p, WHERE, &error));
  expected = g_strdup_printf ("(known: %s)", list);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_cmpstr (mh_error_get_path (error), ==, path);
}

static void
test_tables (void)
{
  check_table (mh_optimizer_kinds, G_STRUCT_OFFSET (MhProject, optim.kind), "optimizer.kind");
  check_table (mh_schedule_kinds, G_STRUCT_OFFSET (MhProject, schedule.kind), "schedule.kind");
  check_table (mh_backbone_kinds, G_STRUCT_OFFSET (MhProject, backbone_kind), "backbone.kind");
  check_table (mh_balancing_methods, G_STRUCT_OFFSET (MhProject, balancing), "balancing.method");
}

static void
test_balancing_order (void)
{
  MhBalanceMethod m;

  g_assert_cmpuint (mh_kind_count (mh_balancing_methods), ==, MH_BALANCE_PCGRAD + 1);
  for (int i = MH_BALANCE_FIXED; i <= MH_BALANCE_PCGRAD; i++)
    {
      g_assert_cmpstr (mh_balance_method_name ((MhBalanceMethod) i), ==, mh_balancing_methods[i].id);
      g_assert_true (mh_balance_method_from_name (mh_balancing_methods[i].id, &m));
      g_assert_cmpint (m, ==, i);
      g_assert_nonnull (mh_balancing_methods[i].about);
    }
  g_assert_false (mh_balance_method_from_name ("nope", &m));
}

static void
test_losses (void)
{
  g_auto(GStrv) ids = mh_loss_ids ();
  g_autofree char *list = mh_loss_id_list ();
  MhLossKind k;

  g_assert_cmpuint (g_strv_length (ids), ==, MH_LOSS_SMOOTH_L1 + 1);
  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    {
      g_assert_cmpint (mh_loss_table[i].kind, ==, (int) i);
      g_assert_true (mh_loss_from_name (mh_loss_table[i].id, &k) && k == mh_loss_table[i].kind);
      g_assert_cmpstr (mh_loss_name (k), ==, ids[i]);
    }
  g_assert_false (mh_loss_from_name ("hinge", &k));
  g_assert_cmpstr (list, ==, "cross-entropy, bce, mse, smooth-l1");
}

static void
test_head_kinds (void)
{
  g_auto(GStrv) ids = mh_head_kind_ids ();
  g_autofree char *regression = mh_head_kind_loss_list (mh_head_kind_lookup ("regression"));

  g_assert_cmpuint (g_strv_length (ids), >=, 3);
  for (guint i = 0; mh_head_kinds[i].id != NULL; i++)
    {
      const MhHeadKind *k = &mh_head_kinds[i];
      g_autofree const char **losses = mh_head_kind_loss_ids (k);
      g_autoptr(MhProject) p = load_with_kind (k->id);
      g_autoptr(GError) error = NULL;

      g_assert_true (mh_head_kind_lookup (k->id) == k);
      g_assert_true (mh_head_kind_for_field (k->field) == k);
      g_assert_true (mh_head_kind_takes (k, k->loss));
      g_assert_cmpstr (mh_head_kind_default_loss (k->id), ==, mh_loss_name (k->loss));
      g_assert_cmpstr (losses[0], ==, mh_loss_name (k->loss));   /* the default first */
      for (guint j = 0; losses[j] != NULL; j++)
        {
          MhLossKind l;
          g_assert_true (mh_loss_from_name (losses[j], &l) && mh_head_kind_takes (k, l));
        }
      /* the reader gives the default to a head that names none */
      g_assert_cmpstr (g_array_index (p->heads, MhHeadSpec, 0).loss, ==, mh_loss_name (k->loss));
      /* a loss it does not take is refused with the ones it takes */
      for (guint l = 0; mh_loss_table[l].id != NULL; l++)
        {
          g_autofree char *use = mh_head_kind_loss_list (k);
          g_autofree char *expected = g_strdup_printf ("(use %s)", use);
          MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, 0);
          if (mh_head_kind_takes (k, mh_loss_table[l].kind))
            continue;
          g_free (head->loss);
          head->loss = g_strdup (mh_loss_table[l].id);
          g_assert_false (mh_project_validate (p, WHERE, &error));
          g_assert_nonnull (strstr (error->message, expected));
          g_assert_cmpstr (mh_error_get_path (error), ==, "heads[0]");
          g_clear_error (&error);
        }
    }
  g_assert_null (mh_head_kind_lookup ("tagging"));
  g_assert_cmpstr (mh_head_kind_default_loss ("tagging"), ==, mh_loss_name (mh_head_kinds[0].loss));
  g_assert_cmpstr (regression, ==, "mse or smooth-l1");
}

static void
test_data_key (void)
{
  g_autoptr(MhProject) a = load ();
  g_autoptr(MhProject) b = mh_project_copy (a);
  g_autofree char *ka = mh_data_spec_key (&a->data), *kb = NULL, *kc = NULL, *kd = NULL;

  b->data.augment.shift = 2;   /* the same samples, shifted as they are drawn */
  b->data.augment.flip = TRUE;
  kb = mh_data_spec_key (&b->data);
  g_assert_cmpstr (ka, ==, kb);
  b->data.validation = 500;   /* other samples */
  kc = mh_data_spec_key (&b->data);
  g_assert_cmpstr (ka, !=, kc);
  g_free (b->data.path);
  b->data.path = g_strdup ("/elsewhere");
  kd = mh_data_spec_key (&b->data);
  g_assert_cmpstr (kc, !=, kd);
  g_assert_true (mh_data_kind_known ("fashion-mnist"));
  g_assert_false (mh_data_kind_known ("no-such-data"));
  g_assert_false (mh_data_kind_known (NULL));
}

static void
test_project_equal (void)
{
  g_autoptr(MhProject) a = load ();
  g_autoptr(MhProject) b = mh_project_copy (a);
  g_autofree char *da = NULL, *db = NULL;

  g_assert_true (mh_project_equal (a, b));
  g_array_index (b->backbone, MhLayerSpec, 1).units = 9;
  g_assert_false (mh_project_equal (a, b));
  g_array_index (b->backbone, MhLayerSpec, 1).units = 8;
  g_assert_true (mh_project_equal (a, b));
  b->layout = json_from_string ("{ \"h\": [10, 20] }", NULL);
  g_assert_false (mh_project_equal (a, b));
  g_clear_pointer (&b->layout, json_node_unref);
  b->optim.lr = 0.002;
  g_assert_false (mh_project_equal (a, b));
  /* equal exactly when they write the same file */
  b->optim.lr = a->optim.lr;
  da = mh_project_to_data (a, NULL);
  db = mh_project_to_data (b, NULL);
  g_assert_cmpstr (da, ==, db);
  g_assert_true (mh_project_equal (a, b));
}

static void
test_active (void)
{
  static const struct { MhTrainerState s; gboolean active; } cases[] = {
    { MH_TRAINER_IDLE, FALSE }, { MH_TRAINER_LOADING, TRUE }, { MH_TRAINER_RUNNING, TRUE },
    { MH_TRAINER_PAUSED, TRUE }, { MH_TRAINER_FINISHED, FALSE }, { MH_TRAINER_STOPPED, FALSE },
    { MH_TRAINER_FAILED, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (mh_trainer_state_is_active (cases[i].s), ==, cases[i].active);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/kinds/tables", test_tables);
  g_test_add_func ("/engine/kinds/balancing-order", test_balancing_order);
  g_test_add_func ("/engine/kinds/losses", test_losses);
  g_test_add_func ("/engine/kinds/head-kinds", test_head_kinds);
  g_test_add_func ("/engine/kinds/data-key", test_data_key);
  g_test_add_func ("/engine/kinds/project-equal", test_project_equal);
  g_test_add_func ("/engine/kinds/active", test_active);
  return g_test_run ();
}
