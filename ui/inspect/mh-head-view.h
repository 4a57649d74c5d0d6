/* mh-head-view.h — what a character transformer's attention heads read in
 * one word: BertViz's head view (Vig, 2019).  A panel per layer and head,
 * the word's tokens (the class token, then its characters) in a column on
 * each side and a line from every token on the left to every token on the
 * right as opaque as that head's attention; hovering a character (on the
 * left of a panel, or on the word below) isolates its row in every panel.
 * Under each panel the class token's attention to each character as a heat
 * strip, and under the grid the word with the rollout of the class token's
 * attention through every layer (the heads fused by mean, max or min) as a
 * heat strip.  Export as PNG, SVG or PDF.
 *
 * It draws copies (MhProbeResult's maps): it never reads the model. */
#pragma once

#include <gtk/gtk.h>
#include "mh-model-probe.h"
#include "mh-vocab.h"

G_BEGIN_DECLS

#define MH_TYPE_HEAD_VIEW (mh_head_view_get_type ())
G_DECLARE_FINAL_TYPE (MhHeadView, mh_head_view, MH, HEAD_VIEW, GtkWidget)

GtkWidget *mh_head_view_new        (void);
/* The maps of the word whose token ids are x (r->input: T ids, padding
 * first), its characters from vocab, called `title`; r NULL or without
 * attention: `status` says why there is nothing to show. */
void       mh_head_view_set_maps   (MhHeadView *self, const MhProbeResult *r, const float *x, const MhVocab *vocab,
                                    const char *title, const char *status);
/* Layers and heads of the grid (0 × 0: nothing shown). */
void       mh_head_view_get_grid   (MhHeadView *self, int *layers, int *heads);
/* The tokens drawn: the class token (when the model has one) and the
 * word's characters, padding left out; their text into *text (owned by the
 * view; may be NULL). */
int        mh_head_view_get_tokens (MhHeadView *self, const char *const **text);
/* The row a panel draws for drawn token `query`: its attention to each
 * drawn token (n of them into out), as the model gave it — the lines'
 * opacities.  FALSE: no such panel or token. */
gboolean   mh_head_view_get_row    (MhHeadView *self, int layer, int head, int query, float *out, int *n);
/* The rollout's heat strip under the word: the class token's attention to
 * each character (n into out; the mean of the characters' rows without a
 * class token). */
gboolean   mh_head_view_get_rollout (MhHeadView *self, float *out, int *n);
void       mh_head_view_set_fusion (MhHeadView *self, MhHeadFusion fusion);
/* The drawn token whose row every panel isolates (-1: all rows), as
 * hovering it does. */
void       mh_head_view_set_hover  (MhHeadView *self, int token);
/* How many lines the last drawing drew (a panel draws a line for every
 * pair of tokens, or only the hovered token's). */
int        mh_head_view_get_drawn_lines (MhHeadView *self);
/* The run's steps when the maps shown were computed; -1: none shown. */
int        mh_head_view_get_step   (MhHeadView *self);
gboolean   mh_head_view_export     (MhHeadView *self, const char *path, GError **error);

G_END_DECLS
