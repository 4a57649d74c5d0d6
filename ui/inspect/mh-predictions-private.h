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
  GtkWidget       *invert;      /* GtkToggleButton */
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
} MhCardStyle;

#define MH_CARD_WIDTH 380

int  _mh_prediction_card_height (const MhPredItem *item, const MhCardStyle *style);
void _mh_prediction_card_draw   (cairo_t *cr, const MhPredItem *item, const MhCardStyle *style,
                                 int width, int height);
/* The close button's square in a card of this width. */
void _mh_prediction_card_close_rect (int width, GdkRectangle *rect);
/* The class at `rank` (0: the top) of k probabilities, or -1. */
int  _mh_pred_top (const float *p, int k, int rank);

G_END_DECLS
