/* mh-predictions.h — the predictions board: images the user loads (Open,
 * drop, paste) or picks from the test set, each with every head's answer —
 * top-k class bars, label chips above a threshold, a box over the image with
 * the true box and IoU — and the true labels of test images.
 *
 * The board keeps the images and their inputs; the answers come from the
 * trainer's worker (mh_probe_predict) through the window, which asks for
 * them when the board emits "changed" and while the model trains. */
#pragma once

#include <gtk/gtk.h>
#include "mh-model-probe.h"

G_BEGIN_DECLS

#define MH_TYPE_PREDICTIONS (mh_predictions_get_type ())
G_DECLARE_FINAL_TYPE (MhPredictions, mh_predictions, MH, PREDICTIONS, GtkWidget)

GtkWidget *mh_predictions_new              (void);
/* What the model reads: images (H × W × C), words (T characters, as the
 * vocabulary's tokens: the text field is for them) or signals (T × C, the
 * channels named); another kind or shape empties the board.  vocab is
 * referenced (the test set's replaces it when it comes). */
void       mh_predictions_set_input        (MhPredictions *self, MhInputKind input, MhShape shape,
                                            MhVocab *vocab, const char *const *channels);
MhInputKind mh_predictions_get_input_kind  (MhPredictions *self);
const MhVocab *mh_predictions_get_vocab    (MhPredictions *self);
/* The word being typed: its card (the first, "Typed") follows it, and so
 * do the answers; "" removes it.  FALSE, the card unchanged, when the word
 * cannot be read (empty after trimming is not an error; longer than the
 * engine reads, not UTF-8, no vocabulary yet): the message is shown by the
 * text field too. */
gboolean   mh_predictions_set_text         (MhPredictions *self, const char *text, GError **error);
/* A card for each non-empty line of `text`; all or nothing, the error
 * naming the line. */
gboolean   mh_predictions_add_text         (MhPredictions *self, const char *text, GError **error);
/* Item `item`'s answer of head `head`: its k outputs (probabilities or
 * values), NULL when there is none yet. */
const float *mh_predictions_get_output     (MhPredictions *self, int item, int head, int *k);
/* Item `item`'s word (NULL: not a word). */
const char *mh_predictions_get_text        (MhPredictions *self, int item);
/* What item `item`'s card drew last (signals): how many channels, and the
 * faulty ones marked true and predicted (bit c: channel c). */
int        mh_predictions_get_drawn_signals (MhPredictions *self, int item, guint *true_faulty,
                                             guint *predicted_faulty);
MhShape    mh_predictions_get_input_shape  (MhPredictions *self);
/* The test split to browse and take images from (taken; NULL: none). */
void       mh_predictions_set_test_set     (MhPredictions *self, MhDataset *test);
const MhDataset *mh_predictions_get_test_set (MhPredictions *self);

/* An image file (any format gdk-pixbuf reads): its header is checked before
 * it is decoded; a file that is empty, not an image or too large is refused
 * with an error naming it, and the board is unchanged. */
gboolean   mh_predictions_add_file         (MhPredictions *self, GFile *file, GError **error);
/* An image from the clipboard. */
gboolean   mh_predictions_add_texture      (MhPredictions *self, GdkTexture *texture, const char *title,
                                            GError **error);
/* Sample `index` of the test split. */
void       mh_predictions_add_sample       (MhPredictions *self, int index);
void       mh_predictions_clear            (MhPredictions *self);
int        mh_predictions_get_n_items      (MhPredictions *self);

/* Every image's input, one after another (free with g_free); *n: how many. */
float     *mh_predictions_dup_inputs       (MhPredictions *self, int *n);
int        mh_predictions_get_selected     (MhPredictions *self);   /* -1: none */
void       mh_predictions_select           (MhPredictions *self, int item);
/* The input of `item` and its title, or NULL. */
const float *mh_predictions_get_input      (MhPredictions *self, int item, const char **title);
/* The answers for the images as they were when asked (n of them); NULL:
 * there is no trained model — `status` says why. */
void       mh_predictions_set_result       (MhPredictions *self, const MhProbeResult *result,
                                            const char *status);
/* Invert item `item`'s brightness (as `predict --invert` does): for dark
 * things on a light ground.  Emits "changed". */
void       mh_predictions_set_inverted     (MhPredictions *self, int item, gboolean inverted);
gboolean   mh_predictions_get_inverted     (MhPredictions *self, int item);
/* Every image, and those added later (the tool bar's Invert All). */
void       mh_predictions_set_invert_all   (MhPredictions *self, gboolean inverted);
/* Where the model's weights came from ("cnn.safetensors"), said with the
 * step in the status; NULL: from training. */
void       mh_predictions_set_origin       (MhPredictions *self, const char *origin);
/* The answers are a recorded run's checkpoint's ("run 3, epoch 2"), said
 * with its step in the status (the origin aside); NULL: none. */
void       mh_predictions_set_checkpoint   (MhPredictions *self, const char *checkpoint);
/* Item `item`'s answer of head `head` at rank 0 (CLASS), and its probability; -1: none. */
int        mh_predictions_get_answer       (MhPredictions *self, int item, int head, float *probability);

G_END_DECLS
