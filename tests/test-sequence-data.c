/* test-sequence-data.c — the sequence data sets (issue 14): German Nouns
 * from a dictd file (the IPA's syllables and stress, the hash split, the
 * vocabulary, what is dropped, and every bad file the issue lists), the
 * generated Sensors (deterministic, physically sensible, faults where the
 * labels say), the sensor CSV in both forms and its errors, and the
 * vocabulary's encoding of a word.
 */
#include <math.h>
#include <string.h>
#include "mh-dict.h"
#include "mh-project.h"
#include "mh-splits.h"
#include "mh-test-util.h"

static char *work_dir;

/* ---- IPA ----------------------------------------------------------------------- */

static void
test_ipa (void)
{
  static const struct { const char *ipa; int syllables, stressed; } cases[] = {
    { "ˌɑːlfɪʃeːrˈaɪ", 4, 4 },        /* Aalfischerei: the diphthong is the 4th and stressed */
    { "ˈɑːl", 1, 1 },
    { "ˈabəntˌɔøɜ", 4, 1 },           /* Abenteuer: ɔø once, then ɜ */
    { "ˈapzɛtsfˌɛːɪçkˌaɪt", 5, 1 },   /* Absetzfähigkeit: ː ends ɛ, ɪ is a syllable of its own */
    { "ˈaptˌaʊʊŋ", 3, 1 },            /* Abtauung */
    { "ʁealˈɪsmʊs", 4, 3 },           /* Realismus: e, a apart */
    { "ɡəzˈɛlʃaft", 3, 2 },
    { "(en)njˈuːtən(de)", 2, 1 },     /* a language switch is left out */
    { "ˈɑː ʊnt bˈeː", 3, 1 },         /* the first primary stress counts */
    { "ʃt", 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int s, st;
      gboolean ok = mh_ipa_syllables (cases[i].ipa, &s, &st);
      g_assert_cmpint (ok, ==, cases[i].syllables > 0);
      g_assert_cmpint (s, ==, cases[i].syllables);
      g_assert_cmpint (st, ==, cases[i].stressed);
    }
}

/* ---- German Nouns -------------------------------------------------------------- */

/* Sixteen nouns (their SHA-256 fractions, by Python's hashlib: Gesellschaft
 * 0.043, Büchlein 0.087, Mädchen 0.127, Tisch 0.208, Haus 0.315, Straße
 * 0.346, Aal 0.356, …) among lines that must be left out. */
static const char small_dict[] =
  "\n00-database-dictfmt-1.13.0\nA test dictionary\n"
  "Aal /ˈɑːl/ <masc, n, sg>\n [cook.] Eel <n>\n see: {Aale}\n\n"
  "Aale /ˈɑːlə/ <pl>\neels\n"
  "Haus /hˈaʊs/ <neut, n, sg>\nhouse <n>\n"
  "Zeitung /tsˈaɪtʊŋ/ <fem, n, sg>\nnewspaper <n>\n"
  "Freiheit /fɾˈaɪhaɪt/ <fem, n, sg>\nfreedom <n>\n"
  "Mädchen /mˈɛːtçən/ <neut, n, sg>\ngirl <n>\n"
  "Lehrling /lˈeːɾlɪŋ/ <masc, n, sg>\napprentice <n>\n"
  "Realismus /ʁealˈɪsmʊs/ <masc, n, sg>\nrealism <n>\n"
  "Gesellschaft /ɡəzˈɛlʃaft/ <fem, n, sg>\nsociety <n>\n"
  "Büchlein /bˈyːçlaɪn/ <neut, n, sg>\nbooklet <n>\n"
  "Tisch /tˈɪʃ/ <masc, n, sg>\ntable <n>\n"
  "Sonne /zˈɔnə/ <fem, n, sg>\nsun <n>\n"
  "Wasser /vˈasɐ/ <neut, n, sg>\nwater <n>\n"
  "Straße /ʃtʁˈaːsə/ <fem, n, sg>\nstreet <n>\n"
  "Öl /ˈøːl/ <neut, n, sg>\noil <n>\n"
  "Übung /ˈyːbʊŋ/ <fem, n, sg>\nexercise <n>\n"
  "Käse /kˈɛːzə/ <masc, n, sg>\ncheese <n>\n"
  "Rote Bete /ʁˈoːtə bˈeːtə/ <fem, n, sg>\nbeetroot <n>\n"          /* two words */
  "Band /bˈant/ <masc, n, sg>\nvolume <n>\nBand /bˈant/ <neut, n, sg>\nribbon <n>\n"   /* two genders */
  "Joghurt /jˈoːɡʊɾt/ <masc, neut, n, sg>\nyoghurt <n>\n"          /* two in one entry */
  "gehen /ɡˈeːən/ <v, intr>\nto go <v>\n"
  "Aal /ˈɑːl/ <masc, n, sg>\n [zool.] eel <n>\n";                 /* again: one noun */

static char *
write_dict (const char *name, const char *text, gssize len, gboolean gzip)
{
  char *path = g_build_filename (work_dir, name, NULL);

  mh_test_write_file (path, text, len < 0 ? strlen (text) : (gsize) len, gzip);
  return path;
}

static MhDataSpec
nouns_spec (const char *path, int length, double test_fraction, int validation)
{
  return (MhDataSpec) { .kind = "german-nouns", .path = (char *) path, .length = length,
                        .test_fraction = test_fraction, .validation = validation };
}

static int
find_text (const MhDataset *d, const char *word)
{
  for (int i = 0; i < d->n; i++)
    if (g_str_equal (d->texts[i], word))
      return i;
  return -1;
}

static void
test_nouns (void)
{
  g_autofree char *path = write_dict ("small.dict.dz", small_dict, -1, TRUE);
  MhDataSpec spec = nouns_spec (path, 8, 0.3, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) s = mh_german_nouns_load (&spec, &error);
  g_autoptr (MhDataset) schema = NULL;
  static const char *const test_words[] = { "Gesellschaft", "Büchlein", "Mädchen", "Tisch" };
  int i;

  g_assert_no_error (error);
  g_assert_cmpint (s->test->n, ==, 4);
  g_assert_cmpint (s->validation->n, ==, 2);
  g_assert_cmpint (s->train->n, ==, 10);
  for (guint k = 0; k < G_N_ELEMENTS (test_words); k++)
    g_assert_cmpint (find_text (s->test, test_words[k]), >=, 0);
  g_assert_cmpint (find_text (s->validation, "Haus"), >=, 0);
  g_assert_cmpint (find_text (s->validation, "Straße"), >=, 0);
  for (const char *const *w = (const char *const[]) { "Rote Bete", "Band", "Joghurt", "gehen", "Aale", NULL }; *w; w++)
    g_assert_cmpint (find_text (s->train, *w) + find_text (s->test, *w) + find_text (s->validation, *w), ==, -3);
  /* labels: gender, the IPA's syllables and stress */
  i = find_text (s->train, "Realismus");
  g_assert_cmpstr (s->train->fields[0].names[s->train->fields[0].classes[i]], ==, "der");
  g_assert_cmpstr (s->train->fields[1].names[s->train->fields[1].classes[i]], ==, "4");
  g_assert_cmpstr (s->train->fields[2].names[s->train->fields[2].classes[i]], ==, "third");
  i = find_text (s->test, "Gesellschaft");
  g_assert_cmpstr (s->test->fields[0].names[s->test->fields[0].classes[i]], ==, "die");
  g_assert_cmpstr (s->test->fields[2].names[s->test->fields[2].classes[i]], ==, "second");
  /* its last 8 characters, right-aligned: "llschaft" */
  g_assert_cmpint (s->test->shape.rank, ==, 1);
  g_assert_cmpint (s->test->shape.dim[0], ==, 8);
  for (int t = 0; t < 8; t++)
    {
      int token = (int) s->test->tokens[(gsize) i * 8 + t];
      gunichar c = mh_vocab_char (s->test->vocab, token);
      g_assert_true (token == MH_TOKEN_UNKNOWN || c == (gunichar) "llschaft"[t]);
    }
  /* short words are padded at the start */
  i = find_text (s->test, "Tisch");
  g_assert_cmpint (s->test->tokens[(gsize) i * 8 + 2], ==, MH_TOKEN_PADDING);
  g_assert_cmpint (s->test->tokens[(gsize) i * 8 + 3], !=, MH_TOKEN_PADDING);
  /* the vocabulary: characters of at least 3 training words; Ö (only in Öl) is unknown */
  g_assert_cmpint (mh_vocab_token (s->train->vocab, 'e'), >, MH_TOKEN_UNKNOWN);
  g_assert_cmpint (mh_vocab_token (s->train->vocab, g_utf8_get_char ("Ö")), ==, MH_TOKEN_UNKNOWN);
  /* the schema has the same vocabulary and fields, and no samples */
  schema = mh_german_nouns_schema (&spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema->n, ==, 0);
  g_assert_cmpint (mh_vocab_size (schema->vocab), ==, mh_vocab_size (s->train->vocab));
  g_assert_cmpint (schema->n_fields, ==, 3);
}

static void
test_nouns_stable (void)
{
  g_autofree char *path = g_build_filename (work_dir, "fake.dict.dz", NULL);
  MhDataSpec spec = nouns_spec (path, 16, 0.1, 50);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) a = NULL, b = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  mh_test_write_fake_dict (path, 3000, 9);
  a = mh_german_nouns_load (&spec, &error);
  g_assert_no_error (error);
  b = mh_german_nouns_load (&spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->train->n, ==, b->train->n);
  g_assert_cmpmem (a->test->tokens, a->test->n * 16 * sizeof (guint32), b->test->tokens, b->test->n * 16 * sizeof (guint32));
  /* about a tenth tests; no word in two splits, none twice */
  g_assert_cmpfloat (fabs (a->test->n / (double) (a->test->n + a->train->n + 50) - 0.1), <, 0.03);
  for (const MhDataset *const *d = (const MhDataset *const[]) { a->train, a->validation, a->test, NULL }; *d; d++)
    for (int i = 0; i < (*d)->n; i++)
      g_assert_true (g_hash_table_add (seen, (*d)->texts[i]));
}

static void
expect_load_error (const char *path, const char *first, const char *second)
{
  MhDataSpec spec = nouns_spec (path, 24, 0.1, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) s = mh_german_nouns_load (&spec, &error);

  g_assert_null (s);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, first));
  if (second != NULL)
    g_assert_nonnull (strstr (error->message, second));
}

static void
test_nouns_bad_files (void)
{
  g_autofree char *missing = g_build_filename (work_dir, "none.dict.dz", NULL);
  g_autofree char *garbage = write_dict ("garbage.dict.dz", "this is not gzip at all, not even close\n", -1, FALSE);
  g_autofree char *empty = write_dict ("empty.dict.dz", "\n00-database\nno nouns here\ngehen /ɡˈeːən/ <v>\n", -1, TRUE);
  g_autoptr (GBytes) whole = mh_test_gzip (small_dict, strlen (small_dict));
  gsize len;
  const char *bytes = g_bytes_get_data (whole, &len);
  g_autofree char *cut = write_dict ("cut.dict.dz", bytes, len / 2, FALSE);
  g_autofree char *flipped_bytes = g_memdup2 (bytes, len);
  g_autofree char *flipped = NULL;

  for (gsize i = 20; i < len - 12; i += 7)   /* the compressed data, not the header or trailer */
    flipped_bytes[i] ^= 0x5a;
  flipped = write_dict ("flipped.dict.dz", flipped_bytes, len, FALSE);
  expect_load_error (missing, "no such file", "install Debian's dict-freedict-deu-eng package");
  expect_load_error (garbage, "damaged or cut short", "reinstall");
  expect_load_error (cut, "damaged or cut short", NULL);
  expect_load_error (flipped, "damaged or cut short", NULL);
  expect_load_error (empty, "no nouns found", NULL);
  expect_load_error (work_dir, "not a file", NULL);
}

/* A headword of 10,000 characters and a line that is not UTF-8 are left
 * out and listed; the rest of the file is read. */
static void
test_nouns_bad_lines (void)
{
  g_autoptr (GString) text = g_string_new (small_dict);
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) s = NULL;
  MhDataSpec spec;

  for (int i = 0; i < 10000; i++)
    g_string_append_c (text, "abcdefgh"[i % 8]);
  g_string_append (text, " /ˈa/ <fem, n, sg>\nlong <n>\nK\xe4se /kˈɛːzə/ <masc, n, sg>\ncheese <n>\n");
  path = write_dict ("lines.dict.dz", text->str, text->len, TRUE);
  spec = nouns_spec (path, 24, 0.3, 0);
  s = mh_german_nouns_load (&spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->train->n + s->test->n, ==, 16);
  g_assert_nonnull (s->skipped);
  g_assert_cmpuint (s->skipped->len, ==, 2);
  g_assert_nonnull (strstr (s->skipped->pdata[0], "a headword of 10000 characters"));
  g_assert_nonnull (strstr (s->skipped->pdata[1], "not UTF-8"));
}

/* ---- the vocabulary --------------------------------------------------------------- */

static void
test_vocab_encode (void)
{
  gunichar chars[] = { 'a', 'b', 'c', 0xe4 /* ä */, 'a' };
  g_autoptr (MhVocab) v = mh_vocab_new (chars, G_N_ELEMENTS (chars));
  g_autoptr (GError) error = NULL;
  g_autofree char *long_word = g_strnfill (1001, 'a');
  float out[4];
  int unknown, kept;

  g_assert_cmpint (mh_vocab_size (v), ==, 6);
  g_assert_true (mh_vocab_encode (v, "bä", 4, out, &unknown, &kept, "word", &error));
  g_assert_cmpfloat (out[0], ==, 0);
  g_assert_cmpfloat (out[1], ==, 0);
  g_assert_cmpfloat (out[2], ==, mh_vocab_token (v, 'b'));
  g_assert_cmpfloat (out[3], ==, mh_vocab_token (v, 0xe4));
  g_assert_true (mh_vocab_encode (v, "xxabcä", 4, out, &unknown, &kept, "word", &error));
  g_assert_cmpint (kept, ==, 4);
  g_assert_cmpint (unknown, ==, 0);    /* the x's are cut off: only the last 4 are read */
  g_assert_true (mh_vocab_encode (v, "aЖ", 4, out, &unknown, &kept, "word", &error));
  g_assert_cmpint (unknown, ==, 1);
  g_assert_cmpfloat (out[3], ==, MH_TOKEN_UNKNOWN);
  g_assert_false (mh_vocab_encode (v, "", 4, out, NULL, NULL, "--text word 2", &error));
  g_assert_nonnull (strstr (error->message, "--text word 2 is empty"));
  g_clear_error (&error);
  g_assert_false (mh_vocab_encode (v, long_word, 4, out, NULL, NULL, "--text word 1", &error));
  g_assert_nonnull (strstr (error->message, "1001 characters long"));
  g_clear_error (&error);
  g_assert_false (mh_vocab_encode (v, "a\xff", 4, out, NULL, NULL, "--text word 3", &error));
  g_assert_nonnull (strstr (error->message, "not UTF-8"));
}

/* ---- Sensors ---------------------------------------------------------------------- */

static MhSplits *
sensors (int train, int test, guint32 seed)
{
  MhDataSpec spec = { .kind = "sensors", .train = train, .test = test, .validation = 0, .seed = seed };
  g_autoptr (GError) error = NULL;
  MhSplits *s = mh_sensors_load (&spec, &error);

  g_assert_no_error (error);
  return s;
}

static void
test_sensors_deterministic (void)
{
  g_autoptr (MhSplits) a = sensors (40, 10, 7), b = sensors (80, 10, 7), c = sensors (40, 10, 8);

  g_assert_cmpint (a->train->shape.dim[0], ==, 128);
  g_assert_cmpint (a->train->shape.dim[1], ==, 6);
  /* window i does not depend on how many there are; another seed, other windows */
  g_assert_cmpmem (a->train->signals, 40 * 768 * sizeof (float), b->train->signals, 40 * 768 * sizeof (float));
  g_assert_cmpmem (a->test->signals, 10 * 768 * sizeof (float), b->test->signals, 10 * 768 * sizeof (float));
  g_assert_true (memcmp (a->train->signals, c->train->signals, 768 * sizeof (float)) != 0);
}

/* The longest run of equal values of channel c in window x. */
static int
longest_run (const float *x, int c)
{
  int best = 1, run = 1;

  for (int t = 1; t < 128; t++)
    {
      run = x[t * 6 + c] == x[(t - 1) * 6 + c] ? run + 1 : 1;
      best = MAX (best, run);
    }
  return best;
}

static void
test_sensors_physics (void)
{
  g_autoptr (MhSplits) s = sensors (1600, 0, 1);
  const MhDataset *d = s->train;
  const MhField *activity = &d->fields[0], *cadence = &d->fields[1], *faulty = &d->fields[2];
  double mean_ay[8] = { 0 }, mean_ax[8] = { 0 }, gyro[8] = { 0 };
  int count[8] = { 0 }, n_faulty = 0;

  g_assert_cmpstr (activity->names[7], ==, "lying");
  for (int i = 0; i < d->n; i++)
    {
      const float *x = d->signals + (gsize) i * 768;
      int a = activity->classes[i];
      float cad = cadence->values[i];
      gboolean any_fault = FALSE;

      /* still: no cadence; gaits: a walker's or a runner's */
      if (a >= 5)
        g_assert_cmpfloat (cad, ==, 0);
      else
        g_assert_cmpfloat (cad, >, a == 1 ? 130 : 50);
      for (int c = 0; c < 6; c++)
        {
          any_fault = any_fault || faulty->values[i * 6 + c] != 0;
          /* a faulty channel holds one value for 32 steps or more; others never repeat */
          if (faulty->values[i * 6 + c] != 0)
            g_assert_cmpint (longest_run (x, c), >=, 32);
          else
            g_assert_cmpint (longest_run (x, c), <, 4);
        }
      n_faulty += any_fault;
      if (any_fault)
        continue;
      count[a]++;
      for (int t = 0; t < 128; t++)
        {
          mean_ax[a] += fabs (x[t * 6]) / 128;
          mean_ay[a] += x[t * 6 + 1] / 128;
          gyro[a] += fabs (x[t * 6 + 3]) / 128;
        }
    }
  for (int a = 0; a < 8; a++)
    {
      g_assert_cmpint (count[a], >, 50);
      mean_ax[a] /= count[a], mean_ay[a] /= count[a], gyro[a] /= count[a];
      g_test_message ("%s: |ax| %.2f g, ay %.2f g, |gx| %.2f rad/s", activity->names[a], mean_ax[a], mean_ay[a],
                      gyro[a]);
    }
  /* gravity: along the thigh when standing, across it when lying on one side */
  g_assert_cmpfloat (mean_ay[6], >, 0.9);
  g_assert_cmpfloat (mean_ax[7], >, 0.6);
  g_assert_cmpfloat (mean_ay[5], <, 0.5);
  /* the thigh swings when moving, hardly at all when still; running the most */
  g_assert_cmpfloat (gyro[1], >, gyro[0]);
  for (int a = 5; a < 8; a++)
    g_assert_cmpfloat (gyro[a], <, 0.2 * gyro[0]);
  /* about a third of the windows have a fault */
  g_assert_cmpfloat (fabs (n_faulty / (double) d->n - 1.0 / 3), <, 0.05);
}

/* ---- the sensor CSV ----------------------------------------------------------------- */

static char *
write_csv (const char *name, const char *text)
{
  char *path = g_build_filename (work_dir, name, NULL);

  mh_test_write_file (path, text, strlen (text), FALSE);
  return path;
}

static MhSplits *
csv_load (const char *path, int length, GError **error)
{
  MhDataSpec spec = { .kind = "sensor-csv", .path = (char *) path, .length = length, .test_fraction = 0,
                      .validation = 0, .seed = 1 };

  return mh_sensor_csv_load (NULL, &spec, error);
}

static void
test_csv_windows (void)
{
  g_autofree char *path = write_csv ("windows.csv", "acc:signal,gyro:signal,activity,cadence\n"
                                                    "1 2 3 4,5 6 7 8,walking,100\n"
                                                    "\"0.5 0.25 0 -1\",0 0 0 0,sitting,0\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) s = csv_load (path, 4, &error);
  g_autoptr (MhDataset) windows = NULL;
  const MhDataset *d;

  g_assert_no_error (error);
  d = s->train;
  g_assert_cmpint (d->n, ==, 2);
  g_assert_cmpstr (d->channels[0], ==, "acc");
  g_assert_cmpstr (d->channels[1], ==, "gyro");
  g_assert_cmpint (d->n_fields, ==, 2);
  g_assert_cmpint (d->fields[0].kind, ==, MH_FIELD_CLASS);
  g_assert_cmpint (d->fields[1].kind, ==, MH_FIELD_NUMBERS);
  /* the windows in the file's order, steps × channels, labels not read */
  windows = mh_sensor_csv_read (path, 4, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (windows->n_fields, ==, 0);
  g_assert_cmpfloat (windows->signals[0], ==, 1);
  g_assert_cmpfloat (windows->signals[1], ==, 5);
  g_assert_cmpfloat (windows->signals[2], ==, 2);
  g_assert_cmpfloat (windows->signals[8 + 6], ==, -1);
}

static void
test_csv_steps (void)
{
  g_autoptr (GString) text = g_string_new ("recording,ax,ay,az,gx,gy,gz,activity\n");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) s = NULL;

  /* recording 1: 10 steps walking (2 windows of 4, 2 left over), recording
   * 2: 4 steps sitting then 4 changing from sitting to standing */
  for (int t = 0; t < 10; t++)
    g_string_append_printf (text, "1,%d,0,1,0,0,0,walking\n", t);
  for (int t = 0; t < 8; t++)
    g_string_append_printf (text, "2,%d,1,0,0,0,0,%s\n", t, t < 6 ? "sitting" : "standing");
  path = write_csv ("steps.csv", text->str);
  s = csv_load (path, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 3);
  g_assert_cmpstr (s->train->channels[5], ==, "gz");
  g_assert_nonnull (s->skipped);
  g_assert_cmpuint (s->skipped->len, ==, 2);
  g_assert_nonnull (strstr (s->skipped->pdata[0], "2 steps at the end of a recording"));
  g_assert_nonnull (strstr (s->skipped->pdata[1], "'activity' changes within the window"));
}

static void
expect_csv_error (const char *name, const char *text, int length, const char *first, const char *second)
{
  g_autofree char *path = write_csv (name, text);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) s = csv_load (path, length, &error);

  g_assert_null (s);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, first));
  if (second != NULL)
    g_assert_nonnull (strstr (error->message, second));
}

static void
test_csv_errors (void)
{
  expect_csv_error ("columns.csv", "ax,ay,activity\n1,2,walking\n1,2\n", 1, "csv:3: 2 cells, but the header has 3", NULL);
  expect_csv_error ("nan.csv", "ax:signal,activity\n1 2 nan 4,walking\n", 4, "csv:2: column 1 ('ax:signal')",
                    "'nan' is not a finite number");
  /* finite as a double, infinite as the float a signal holds */
  expect_csv_error ("huge.csv", "ax:signal,activity\n1 2 -1e300 4,walking\n", 4, "csv:2: column 1 ('ax:signal')",
                    "'-1e300' is not a finite number within ±3.4e38");
  expect_csv_error ("empty.csv", "ax:signal,activity\n1 2 3 4,walking\n\"\",walking\n", 4, "csv:3",
                    "the window is empty");
  expect_csv_error ("short.csv", "ax:signal,activity\n1 2 3 4,walking\n1 2 3,walking\n", 4, "csv:3",
                    "holds 3 values, but a window is 4 steps");
  expect_csv_error ("word.csv", "ax,activity\n1,walking\nfast,walking\n", 1, "csv:3", "'fast' is not a number");
  expect_csv_error ("nosignal.csv", "speed,activity\n1,walking\n", 1, "no signal column", "NAME:signal");
  expect_csv_error ("header.csv", "ax,ay\n", 1, "only a header", NULL);
  expect_csv_error ("label.csv", "ax,activity:klass\n1,walking\n", 1, "unknown column type 'klass'", NULL);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = mh_test_tmp_dir ();
  g_test_add_func ("/engine/german-nouns/ipa", test_ipa);
  g_test_add_func ("/engine/german-nouns/fields-and-split", test_nouns);
  g_test_add_func ("/engine/german-nouns/stable-split", test_nouns_stable);
  g_test_add_func ("/engine/german-nouns/bad-files", test_nouns_bad_files);
  g_test_add_func ("/engine/german-nouns/bad-lines", test_nouns_bad_lines);
  g_test_add_func ("/engine/vocab/encode", test_vocab_encode);
  g_test_add_func ("/engine/sensors/deterministic", test_sensors_deterministic);
  g_test_add_func ("/engine/sensors/physics", test_sensors_physics);
  g_test_add_func ("/engine/sensor-csv/windows", test_csv_windows);
  g_test_add_func ("/engine/sensor-csv/steps", test_csv_steps);
  g_test_add_func ("/engine/sensor-csv/errors", test_csv_errors);
  status = g_test_run ();
  mh_test_rm_rf (work_dir);
  g_free (work_dir);
  return status;
}
