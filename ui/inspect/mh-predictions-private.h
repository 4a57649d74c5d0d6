/* mh-predictions-private.h — shared by the predictions board
 * (mh-predictions.c) and the drawing of its cards (mh-prediction-card.c). */
#pragma once

#include <cairo.h>
#include "mh-model-probe.h"
#include "mh-predictions.h"

G_BEGIN_DECLS

/* One image on the board. */
typedef struct {
  char            *title;       /* the file's name, "Pasted image", "test image 123" */
  cairo_surface_t *original;    /* the file as it is (at most 256 px a side); NULL for test images */
  int              orig_w, orig_h;
  float           *x;           /* the model's input */
  cairo_surface_t *seen;        /* the input as the model sees it */
  int              sample;      /* its index in the test split, or -1 */
  int             *truth_class; /* per field of the test split (CLASS; -1 for others); NULL: unknown */
  float          **truth;       /* per field: its values (LABELS, NUMBERS); NULL: unknown */
  int              n_fields;
  float          **answer;      /* per head: k probabilities or values; NULL: none yet */
  int              n_answer;
  gboolean         inverted;    /* x is 1 − the image's brightness (dark things on a light ground) */
  GtkWidget       *card;        /* the drawing */
  GtkWidget       *frame;       /* the overlay of the card and its invert button, in the flow box */
  GtkWidget       *invert;      /* GtkToggleButton; NULL for sequences */
  /* sequences */
  char            *text;        /* tokens: the word (as typed, or the test set's); NULL otherwise */
  int              unknown;     /* its characters the vocabulary lacks */
  char            *unknown_chars;  /* those characters, once each */
  int              kept;        /* characters the model reads: the word's end when it is longer */
  gboolean         live;        /* the word being typed: it follows the text field */
  /* what the card drew last (signals): channels, and the faulty ones marked as
   * true and as predicted (bit c: channel c) */
  int              drawn_channels;
  guint            drawn_true, drawn_predicted;
} MhPredItem;

/* What a card shows besides its item. */
typedef struct {
  const MhProbeHead *heads;   /* NULL: no trained model yet */
  int                  n_heads;
  int                  top_k;
  double               threshold;  /* multi-label heads; < 0: each head's own */
  gboolean             selected;
  gboolean             dark;
  GdkRGBA              fg;
  const char          *status;     /* shown when there are no answers */
  MhInputKind          input;      /* the board's: pixels, tokens or signals */
  MhShape              shape;
  char *const         *channels;   /* signals: the channels' names (NULL-terminated); may be NULL */
} MhCardStyle;

#define MH_CARD_WIDTH 380
/* the cards a board keeps at most */
#define MH_PREDICTIONS_MAX_ITEMS 64
#define MH_SIGNAL_CARD_WIDTH 480

struct _MhPredictions
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkWidget     *stack;
  GtkWidget     *flow;
  GtkWidget     *status_label;
  GtkWidget     *top_k;
  GtkWidget     *threshold_box;
  GtkWidget     *threshold;
  GtkWidget     *browse_flow;
  GtkWidget     *browse_class;
  GtkWidget     *browse_button;
  GtkWidget     *invert_all;
  char          *origin;       /* the weights' file, or NULL */
  char          *checkpoint;   /* the run and epoch whose checkpoint answers, or NULL */
  int            step;         /* of the latest answers, -1: none */
  GPtrArray     *items;        /* MhPredItem */
  MhShape        shape;
  MhInputKind    input;        /* what the model reads: images, words or signals */
  MhVocab       *vocab;        /* words: their characters' tokens; NULL: not known yet */
  char         **channels;     /* signals: the channels' names */
  GtkWidget     *image_tools;  /* open, paste, invert: for images */
  GtkWidget     *word_box;     /* the text field: for words */
  GtkWidget     *word_entry;
  GtkWidget     *word_error;
  GtkWidget     *empty;        /* the status page of an empty board */
  MhDataset     *test;
  MhProbeHead *heads;
  int            n_heads;
  char          *status;
  int            selected;
  GRand         *rng;
};

/* mh-predictions.c */
/* Takes `item`: its card on the board, selected; emits "changed". */
void _mh_predictions_add_item (MhPredictions *self, MhPredItem *item);
void _mh_predictions_changed  (MhPredictions *self);
void _mh_predictions_redraw   (MhPredictions *self);
void _mh_predictions_remove   (MhPredictions *self, int item);
/* mh-predictions-browser.c: the Test Set button and its popover. */
GtkWidget *_mh_predictions_browser   (MhPredictions *self);
/* mh-predictions-words.c: the text field (words), and a test sample's
 * thumbnail in the browser for sequences (a word, a window's signals). */
GtkWidget *_mh_predictions_word_bar  (MhPredictions *self);
GtkWidget *_mh_predictions_thumbnail (MhPredictions *self, const MhDataset *d, int index);

#define MH_SIGNAL_CARD_WIDTH 480

int  _mh_prediction_card_height (const MhPredItem *item, const MhCardStyle *style);
void _mh_prediction_card_draw   (cairo_t *cr, const MhPredItem *item, const MhCardStyle *style,
                                 int width, int height);
/* The close button's square in a card of this width. */
void _mh_prediction_card_close_rect (int width, GdkRectangle *rect);
/* The heads' answers in a column `width` wide from (x, y); the height they need. */
void _mh_prediction_card_draw_heads (cairo_t *cr, const MhPredItem *item, const MhCardStyle *style,
                                     double x, double y, double width);
int  _mh_prediction_card_heads_height (const MhPredItem *item, const MhCardStyle *style, double width);
/* The card's frame: the selection, the title and the close button. */
void _mh_prediction_card_frame (cairo_t *cr, const MhPredItem *item, const MhCardStyle *style, int width,
                                int height);
/* Text at (x, y) (top-left), at most `width` wide (ellipsized; 0: any);
 * returns its width. */
double _mh_card_text (cairo_t *cr, double x, double y, double width, const char *s, gboolean bold, double size,
                      gboolean right_align);
/* mh-sequence-card.c: the cards of words and of sensor windows. */
int  _mh_sequence_card_height (const MhPredItem *item, const MhCardStyle *style);
void _mh_sequence_card_draw   (cairo_t *cr, MhPredItem *item, const MhCardStyle *style, int width, int height);
/* The index of the head (in style) whose classes are der, die, das / whose
 * classes are the stressed syllable (first, second, …) / whose labels are
 * the channels' faults; -1: none. */
int  _mh_card_article_head (const MhCardStyle *style);
int  _mh_card_stress_head  (const MhCardStyle *style);
int  _mh_card_fault_head   (const MhCardStyle *style);

/* The class at `rank` (0: the top) of k probabilities, or -1. */
int  _mh_pred_top (const float *p, int k, int rank);

G_END_DECLS
