/* mh-fuzz.h — what every fuzz target does first: GLib's critical warnings and
 * warnings abort (SIGABRT, which libFuzzer catches and saves the input of;
 * GLib's own fatal logs raise SIGTRAP, which it does not), so that the
 * fuzzer reports them as crashes (as GLib tests do, where
 * test-fuzz-regressions replays the inputs). */
#pragma once

#include <stdlib.h>
#include <glib.h>

static GLogWriterOutput
mh_fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput out = g_log_writer_standard_streams (level, fields, n_fields, data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return out;
}

static inline void
mh_fuzz_init (void)
{
  static gboolean done;

  if (!done)
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
      g_log_set_writer_func (mh_fuzz_log_writer, NULL, NULL);
    }
  done = TRUE;
}

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mman.h>
#include <unistd.h>

/* A path whose file holds data[0..len): an in-memory file (memfd), the same
 * one every call, named `name` for messages. */
static inline const char *
mh_fuzz_file (const char *name, const guint8 *data, size_t len)
{
  static int fd = -1;
  static char path[64];

  if (fd < 0)
    {
      fd = memfd_create (name, 0);
      g_assert (fd >= 0);
      g_snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
    }
  g_assert (ftruncate (fd, 0) == 0);
  g_assert (len == 0 || pwrite (fd, data, len, 0) == (ssize_t) len);
  return path;
}
