/* fuzz-idx.c — libFuzzer target: the IDX reader (plain and gzip), fed
 * through an in-memory file (memfd). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mman.h>
#include <unistd.h>
#include <glib.h>
#include "mh-fuzz.h"
#include "mh-dataset.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  static int fd = -1;
  static char path[64];
  GError *error = NULL;
  int rank = 0, dims[4];
  guint8 *bytes;

  mh_fuzz_init ();
  if (fd < 0)
    {
      fd = memfd_create ("fuzz-idx", 0);
      g_assert (fd >= 0);
      g_snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
    }
  g_assert (ftruncate (fd, 0) == 0);
  g_assert (pwrite (fd, data, len, 0) == (ssize_t) len);
  bytes = mh_idx_read (path, &rank, dims, &error);
  if (bytes != NULL)
    {
      gsize size = 1;
      for (int d = 0; d < rank; d++)
        size *= dims[d];
      if (size > 0)
        {
          volatile guint8 last = bytes[size - 1];
          (void) last;
        }
      g_free (bytes);
    }
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
