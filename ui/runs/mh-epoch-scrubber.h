/* mh-epoch-scrubber.h — the epoch slider of the inspection pages: which
 * model answers — the run's checkpoint after epoch 1, 2, …, or "now" (the
 * model as it trains).  Epochs without a checkpoint (removed to save space)
 * are skipped.  Emits "epoch-changed" (int epoch; -1: now) when the user
 * moves it, not when it is set. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MH_TYPE_EPOCH_SCRUBBER (mh_epoch_scrubber_get_type ())
G_DECLARE_FINAL_TYPE (MhEpochScrubber, mh_epoch_scrubber, MH, EPOCH_SCRUBBER, GtkWidget)

GtkWidget *mh_epoch_scrubber_new       (void);
/* The run: its title ("run 3, before your edit"), its planned epochs, which
 * of them have a checkpoint (n_epochs entries; epoch e at [e − 1]), and
 * whether "now" is a position (a model in memory).  title NULL: no run (hidden). */
void       mh_epoch_scrubber_set_run   (MhEpochScrubber *self, const char *title, int n_epochs,
                                        const gboolean *available, gboolean now);
/* -1: now. */
void       mh_epoch_scrubber_set_epoch (MhEpochScrubber *self, int epoch);
int        mh_epoch_scrubber_get_epoch (MhEpochScrubber *self);

G_END_DECLS
