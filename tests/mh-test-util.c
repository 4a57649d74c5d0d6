/* mh-test-util.c — shared helpers of the test programs. */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/wait.h>
#include "mh-test-util.h"

char *
mh_test_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("mh-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
mh_test_rm_rf (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    {
      g_remove (dir);
      return;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        mh_test_rm_rf (path);
      else
        g_remove (path);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

GBytes *
mh_test_gzip (const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (z));

  g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

void
mh_test_write_file (const char *path, const void *data, gsize len, gboolean gzip)
{
  g_autoptr (GBytes) z = gzip ? mh_test_gzip (data, len) : NULL;
  g_autoptr (GError) error = NULL;

  if (z != NULL)
    data = g_bytes_get_data (z, &len);
  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
}

GByteArray *
mh_test_idx_bytes (int rank, const guint32 *dims, const guint8 *data, gsize len)
{
  GByteArray *bytes = g_byte_array_new ();
  const guint8 magic[4] = { 0, 0, 0x08, (guint8) rank };

  g_byte_array_append (bytes, magic, 4);
  for (int i = 0; i < rank; i++)
    {
      guint32 be = GUINT32_TO_BE (dims[i]);
      g_byte_array_append (bytes, (const guint8 *) &be, 4);
    }
  if (len > 0)
    g_byte_array_append (bytes, data, (guint) len);
  return bytes;
}

void
mh_test_write_idx (const char *path, int rank, const int *dims, const guint8 *data, gboolean gzip)
{
  g_autofree guint32 *udims = g_new (guint32, MAX (rank, 1));
  g_autoptr (GByteArray) bytes = NULL;
  gsize n = 1;

  for (int i = 0; i < rank; i++)
    {
      udims[i] = (guint32) dims[i];
      n *= dims[i];
    }
  bytes = mh_test_idx_bytes (rank, udims, data, n);
  mh_test_write_file (path, bytes->data, bytes->len, gzip);
}

void
mh_test_assert_error_mentions (const GError *err, MhErrorCode code, const char *first, ...)
{
  va_list ap;

  g_assert_error (err, MH_ERROR, (int) code);
  va_start (ap, first);
  for (const char *s = first; s != NULL; s = va_arg (ap, const char *))
    if (strstr (err->message, s) == NULL)
      g_error ("error message “%s” does not mention “%s”", err->message, s);
  va_end (ap);
}

static void
fake_fashion_split (const char *dir, const char *prefix, int n, GRand *rng)
{
  g_autofree guint8 *pixels = g_new0 (guint8, (gsize) n * 784);
  g_autofree guint8 *labels = g_new (guint8, n);
  g_autofree char *images_path = g_strdup_printf ("%s/%s-images-idx3-ubyte.gz", dir, prefix);
  g_autofree char *labels_path = g_strdup_printf ("%s/%s-labels-idx1-ubyte.gz", dir, prefix);
  int dims[3] = { n, 28, 28 };

  for (int i = 0; i < n; i++)
    {
      int label = g_rand_int_range (rng, 0, 10), row = 2 + label * 2 + g_rand_int_range (rng, 0, 2);
      guint8 *img = pixels + (gsize) i * 784;
      labels[i] = label;
      for (int x = 0; x < 28; x++)
        img[row * 28 + x] = 200 + g_rand_int_range (rng, 0, 56);
      for (int k = 0; k < 20; k++)
        img[g_rand_int_range (rng, 0, 784)] = g_rand_int_range (rng, 0, 80);
    }
  mh_test_write_idx (images_path, 3, dims, pixels, TRUE);
  mh_test_write_idx (labels_path, 1, dims, labels, TRUE);
}

void
mh_test_write_fake_fashion (const char *dir, int n_train, int n_test, guint32 seed)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);

  fake_fashion_split (dir, "train", n_train, rng);
  fake_fashion_split (dir, "t10k", n_test, rng);
}

static MhField
make_field (const char *name, MhFieldKind kind, int dim, const char *const *names, int n)
{
  MhField f = { g_strdup (name), kind, dim, names ? g_strdupv ((char **) names) : NULL };

  if (kind == MH_FIELD_CLASS)
    f.classes = g_new0 (int, n);
  else
    f.values = g_new0 (float, (gsize) n * dim);
  return f;
}

MhDataset *
mh_test_blob_dataset (int n, int h, int w, guint32 seed)
{
  static const char *const cls_names[] = { "left", "middle", "right", NULL };
  static const char *const half_names[] = { "upper", "lower", NULL };
  static const char *const tag_names[] = { "bright", "wide", "left", NULL };
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
  MhDataset *d = g_new0 (MhDataset, 1);

  d->name = g_strdup ("blobs");
  d->n = n;
  d->shape = mh_shape3 (h, w, 1);
  d->pixels = g_new0 (guint8, (gsize) n * h * w);
  d->n_fields = 4;
  d->fields = g_new0 (MhField, 4);
  d->fields[0] = make_field ("cls", MH_FIELD_CLASS, 3, cls_names, n);
  d->fields[1] = make_field ("half", MH_FIELD_CLASS, 2, half_names, n);
  d->fields[2] = make_field ("pos", MH_FIELD_NUMBERS, 2, NULL, n);
  d->fields[3] = make_field ("tags", MH_FIELD_LABELS, 3, tag_names, n);
  for (int i = 0; i < n; i++)
    {
      guint8 *img = d->pixels + (gsize) i * h * w;
      int cx = g_rand_int_range (rng, 1, w - 1), cy = g_rand_int_range (rng, 1, h - 1);
      int wide = g_rand_boolean (rng), bright = g_rand_boolean (rng);
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          img[y * w + x] = g_rand_int_range (rng, 0, 30);
      for (int y = cy - 1; y <= cy + 1; y++)
        for (int x = cx - 1 - wide; x <= cx + 1 + wide; x++)
          if (x >= 0 && x < w)
            img[y * w + x] = bright ? 255 : 150;
      d->fields[0].classes[i] = MIN (2, cx * 3 / w);
      d->fields[1].classes[i] = cy >= h / 2;
      d->fields[2].values[2 * i] = (float) cx / (w - 1);
      d->fields[2].values[2 * i + 1] = (float) cy / (h - 1);
      d->fields[3].values[3 * i] = bright;
      d->fields[3].values[3 * i + 1] = wide;
      d->fields[3].values[3 * i + 2] = cx < w / 2;
    }
  return d;
}

MhSplits *
mh_test_blob_splits (int n_train, int n_test, int h, int w, guint32 seed)
{
  MhSplits *s = g_new0 (MhSplits, 1);

  s->train = mh_test_blob_dataset (n_train, h, w, seed);
  s->validation = mh_test_blob_dataset (0, h, w, seed + 1);
  s->test = mh_test_blob_dataset (n_test, h, w, seed + 2);
  return s;
}

char *
mh_test_fake_fashion_dir (const char *work_dir, int n_train, int n_test, guint32 seed)
{
  char *dir = g_build_filename (work_dir, "fashion", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  mh_test_write_fake_fashion (dir, n_train, n_test, seed);
  return dir;
}

void
mh_test_write_fake_dict (const char *path, int n, guint32 seed)
{
  static const char *const onsets[] = { "b", "k", "l", "m", "s", "t", "w", "r", "h", "st", "br", "f" };
  static const char *const vowels[] = { "a", "e", "i", "o", "u", "au", "ei" };
  static const char *const ipa_vowels[] = { "a", "ɛ", "ɪ", "ɔ", "ʊ", "aʊ", "aɪ" };
  static const struct { const char *text, *ipa, *gender; } suffixes[] = {
    { "ung", "ʊŋ", "fem" }, { "heit", "haɪt", "fem" }, { "keit", "kaɪt", "fem" }, { "schaft", "ʃaft", "fem" },
    { "chen", "çən", "neut" }, { "lein", "laɪn", "neut" }, { "ling", "lɪŋ", "masc" }, { "ismus", "ɪsmʊs", "masc" },
  };
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
  g_autoptr (GString) text = g_string_new ("\n00-database-dictfmt-1.13.0\nA fake dictionary for tests\n");

  for (int i = 0; i < n; i++)
    {
      g_autoptr (GString) word = g_string_new (NULL), ipa = g_string_new ("ˈ");
      int syllables = g_rand_int_range (rng, 1, 4), s = g_rand_int_range (rng, 0, G_N_ELEMENTS (suffixes));

      for (int k = 0; k < syllables; k++)
        {
          int o = g_rand_int_range (rng, 0, G_N_ELEMENTS (onsets)), v = g_rand_int_range (rng, 0, G_N_ELEMENTS (vowels));
          g_string_append_printf (word, "%s%s", onsets[o], vowels[v]);
          g_string_append_printf (ipa, "%s%s", onsets[o], ipa_vowels[v]);
        }
      word->str[0] = g_ascii_toupper (word->str[0]);
      g_string_append_printf (text, "%s%s /%s%s/ <%s, n, sg>\n a thing <n>\n", word->str, suffixes[s].text,
                              ipa->str, suffixes[s].ipa, suffixes[s].gender);
      if (i % 5 == 0)
        g_string_append_printf (text, "%s%ss /%s%ss/ <pl>\nthings\n", word->str, suffixes[s].text, ipa->str,
                                suffixes[s].ipa);
    }
  g_string_append (text, "gehen /ɡˈeːən/ <v, intr>\n to go <v>\n"
                         "Band /bˈant/ <masc, n, sg>\n volume <n>\nBand /bˈɛnt/ <neut, n, sg>\n ribbon <n>\n"
                         "Rote Bete /ʁˈoːtə bˈeːtə/ <fem, n, sg>\n beetroot <n>\n");
  mh_test_write_file (path, text->str, text->len, TRUE);
}

MhTestRun
mh_test_cli (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  MhTestRun r = { 0 };
  int wait;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MH_BINARY"));
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &error);
  g_assert_no_error (error);
  r.status = WIFEXITED (wait) ? WEXITSTATUS (wait) : -1;
  return r;
}

void
mh_test_run_clear (MhTestRun *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

char *
mh_test_cli_ok (const char *const *args)
{
  MhTestRun r = mh_test_cli (args);

  if (r.status != 0)
    g_error ("%s %s failed: %s", args[0], args[1], r.err);
  g_free (r.err);
  return r.out;
}

void
mh_test_cli_fails (const char *const *args, const char *words)
{
  MhTestRun r = mh_test_cli (args);

  if (r.status != 1)
    g_error ("%s %s: exit status %d, not 1 (expected '%s'); stderr: %s", args[0], args[1], r.status, words, r.err);
  if (strstr (r.err, words) == NULL)
    g_error ("expected '%s' in: %s", words, r.err);
  g_assert_cmpuint (strlen (g_strchomp (r.err)), >, 0);
  if (strchr (r.err, '\n') != NULL)   /* one line */
    g_error ("more than one line on stderr: %s", r.err);
  mh_test_run_clear (&r);
}

void
mh_test_pump (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
}
