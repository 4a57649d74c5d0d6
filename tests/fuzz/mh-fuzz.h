/* mh-fuzz.h — what every fuzz target does first: GLib's critical warnings and
 * warnings abort, so that the fuzzer reports them as crashes (as GLib tests
 * do, where test-fuzz-regressions replays the inputs). */
#pragma once

#include <glib.h>

static inline void
mh_fuzz_init (void)
{
  static gboolean done;

  if (!done)
    g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
  done = TRUE;
}
