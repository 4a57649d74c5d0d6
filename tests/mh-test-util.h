/* mh-test-util.h — what several test programs need: temporary directories,
 * IDX files, small synthetic datasets. */
#pragma once

#include <glib.h>
#include "mh-dataset.h"
#include "mh-error.h"

G_BEGIN_DECLS

char *mh_test_tmp_dir (void);
void  mh_test_rm_rf (const char *dir);

/* `data` gzip-compressed. */
GBytes *mh_test_gzip (const void *data, gsize len);
/* Writes `data` to `path`, gzip-compressed when `gzip`. */
void    mh_test_write_file (const char *path, const void *data, gsize len, gboolean gzip);

/* The bytes of an IDX file: magic 00 00 08 rank, big-endian dims, then `len`
 * bytes of data, whether or not the dims agree (to make broken files). */
GByteArray *mh_test_idx_bytes (int rank, const guint32 *dims, const guint8 *data, gsize len);
/* Writes an IDX file of unsigned bytes, gzip-compressed when `gzip`. */
void  mh_test_write_idx (const char *path, int rank, const int *dims, const guint8 *data,
                         gboolean gzip);

/* `err` is MH_ERROR `code` and its message holds every string given. */
void  mh_test_assert_error_mentions (const GError *err, MhErrorCode code, const char *first, ...)
      G_GNUC_NULL_TERMINATED;

/* A Fashion-MNIST-like directory (the four .gz files) with n_train and n_test
 * 28×28 images whose label is easy to learn (a bright bar whose position
 * depends on the class), in `dir`. */
void  mh_test_write_fake_fashion (const char *dir, int n_train, int n_test, guint32 seed);
/* The same in a new folder `work_dir`/fashion, whose path it returns. */
char *mh_test_fake_fashion_dir (const char *work_dir, int n_train, int n_test, guint32 seed);

/* A dictd dictionary like dict-freedict-deu-eng's (gzip-compressed) at
 * `path`: n invented nouns, each a stem of 1–3 syllables and a suffix that
 * sets its gender as German does (-ung, -heit, -keit, -schaft: fem; -chen,
 * -lein: neut; -ling, -ismus: masc), with an IPA whose vowels give the
 * syllables and a stress mark on the first; and in between the lines a real
 * dictionary has: translations, a verb, a plural, a multi-word noun, a noun
 * of two genders. */
void  mh_test_write_fake_dict (const char *path, int n, guint32 seed);

/* n images h×w×1 in memory with fields:
 *   cls  (CLASS, 3): which third of the image holds the bright blob,
 *   half (CLASS, 2): the blob in the upper or lower half,
 *   pos  (NUMBERS, 2): the blob's centre, in [0, 1],
 *   tags (LABELS, 3): any of "bright", "wide", "left". */
MhDataset *mh_test_blob_dataset (int n, int h, int w, guint32 seed);
MhSplits  *mh_test_blob_splits (int n_train, int n_test, int h, int w, guint32 seed);

/* The program $MH_BINARY run with args (NULL-terminated): its exit status
 * (−1: killed), stdout and stderr; clear with mh_test_run_clear(). */
typedef struct {
  int   status;
  char *out, *err;
} MhTestRun;

MhTestRun mh_test_cli (const char *const *args);
void      mh_test_run_clear (MhTestRun *r);
/* It exits 0 (else the test fails with its stderr); returns its stdout (g_free it). */
char     *mh_test_cli_ok (const char *const *args);
/* It exits 1 with one line on stderr holding `words`. */
void      mh_test_cli_fails (const char *const *args, const char *words);

/* Iterates the default main context for `ms` milliseconds. */
void  mh_test_pump (guint ms);
/* Iterates the default main context until `cond` holds; fails after 30 s. */
#define MH_TEST_WAIT_FOR(cond)                                            \
  G_STMT_START {                                                          \
    gint64 until_ = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;        \
    while (!(cond))                                                       \
      {                                                                   \
        if (!g_main_context_iteration (NULL, FALSE))                      \
          g_usleep (500);                                                 \
        if (g_get_monotonic_time () > until_)                             \
          g_error ("timed out waiting for %s", #cond);                    \
      }                                                                   \
  } G_STMT_END

G_END_DECLS
