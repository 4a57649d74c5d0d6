/* mh-canvas-private.h — what the canvas's files share: its instance, its
 * blocks as laid out for drawing and hit-testing, and the drawing entry. */
#pragma once

/* The canvas's own controls (the zoom bar) sit in this strip along its
 * bottom edge: fitting keeps the blocks above it. */
#define MH_CANVAS_CONTROLS_HEIGHT 56

#include "mh-canvas.h"

G_BEGIN_DECLS

#define MH_BLOCK_HEADER   38.0
#define MH_BLOCK_ROW      26.0
#define MH_BLOCK_FOOTER   26.0
#define MH_BLOCK_RADIUS   12.0
#define MH_PORT_RADIUS     6.0
#define MH_ZOOM_MIN        0.25
#define MH_ZOOM_MAX        3.0
#define MH_WEIGHT_MAX      3.0
/* A slider row's track, from the block's left edge: at least this far, and
 * past its label ("weight" is "Gewichtung" in German): _mh_canvas_slider_start. */
#define MH_SLIDER_START   70.0
#define MH_SLIDER_END_GAP 58.0

typedef struct {
  char     *left;
  char     *right;
  gboolean  strong;      /* the backbone's output */
  gboolean  missing;     /* right text says what is missing */
  gboolean  slider;      /* a head's loss weight: a slider, `value` in [0, MH_WEIGHT_MAX] */
  double    value;
  char    **lanes;       /* a multi-head convolution's heads, each labelled with the channels it
                          * reads (NULL-terminated): drawn as parallel lanes; NULL: a plain row */
} MhRow;

typedef struct {
  MhPortRef ref;
  gboolean  on_left;     /* an input */
  gboolean  diamond;     /* labels, not tensors */
  double    y;           /* from the block's top */
  gboolean  connected;
  int       color;       /* label ports: the colour of the head it feeds; -1: none */
} MhPort;

typedef struct {
  MhBlockRef       ref;
  graphene_rect_t  rect;       /* canvas units */
  char            *title;
  char            *footer;
  const char      *icon;
  GPtrArray       *rows;       /* MhRow */
  GArray          *ports;      /* MhPort */
  const char      *problem;    /* the analysis's */
  gboolean         colored;    /* a head: its header in its colour */
  guint            color;      /* the head's colour index */
} MhNode;

typedef struct {
  MhPortRef from, to;          /* output → input */
  char     *label;             /* the shape travelling on it */
  gboolean  labels;            /* a label wire (dashed, the head's colour) */
  guint     color;
} MhWire;

typedef enum {
  DRAG_NONE,
  DRAG_MOVE,
  DRAG_WIRE,
  DRAG_BAND,
  DRAG_WEIGHT,
} DragMode;

struct _MhCanvas
{
  GtkWidget        parent_instance;

  MhDocument      *document;
  gulong           changed_id;
  GPtrArray       *nodes;      /* MhNode */
  GArray          *wires;      /* MhWire */
  GArray          *selection;  /* MhBlockRef */
  gboolean         expanded;   /* the backbone shows every layer */

  double           zoom;       /* widget = canvas × zoom + pan */
  double           pan_x, pan_y;
  gboolean         needs_fit;
  gboolean         fitted;      /* the view is as mh_canvas_fit() left it: a new size fits again */
  int              fit_width, fit_height;

  DragMode         drag;
  double           drag_x, drag_y;        /* widget: where the drag started */
  double           move_dx, move_dy;      /* canvas: the selection's offset so far */
  gboolean         drag_shift;
  MhPortRef        wire_from;
  double           wire_x, wire_y;        /* canvas: the loose end */
  gboolean         wire_over_port;
  MhPortRef        wire_to;
  char            *wire_refusal;          /* why the port under the loose end is refused */
  graphene_rect_t  band;                  /* canvas */
  double           pan_start_x, pan_start_y;
  double           pointer_x, pointer_y;  /* widget */
  gboolean         hover_port;
  MhPortRef        hovered;
  int              weight_head;           /* DRAG_WEIGHT: the head whose weight slides */

  GtkWidget       *menu;
};

/* mh-canvas-geometry.c */
void         _mh_canvas_rebuild          (MhCanvas *self);
double       _mh_canvas_slider_start     (MhCanvas *self);
MhNode      *_mh_canvas_find_node        (MhCanvas *self, MhBlockRef ref);
/* The node's rectangle with the drag in progress. */
graphene_rect_t _mh_canvas_node_rect     (MhCanvas *self, const MhNode *node);
gboolean     _mh_canvas_port_at          (MhCanvas *self, double cx, double cy, MhPortRef *ref);
gboolean     _mh_canvas_port_position    (MhCanvas *self, MhPortRef ref, double *cx, double *cy,
                                          gboolean *on_left);
MhNode      *_mh_canvas_node_at          (MhCanvas *self, double cx, double cy);
/* The head whose weight slider is at (cx, cy), and the weight there; -1: none. */
int          _mh_canvas_slider_at        (MhCanvas *self, double cx, double cy, double *weight);
gboolean     _mh_canvas_is_selected      (MhCanvas *self, MhBlockRef ref);
void         _mh_canvas_to_canvas        (MhCanvas *self, double wx, double wy, double *cx, double *cy);
void         _mh_canvas_bounds           (MhCanvas *self, graphene_rect_t *bounds);
char        *_mh_canvas_port_description (MhCanvas *self, MhPortRef ref);

/* mh-canvas.c */
void         _mh_canvas_say              (MhCanvas *self, const char *message);
void         _mh_canvas_selection_changed (MhCanvas *self);
void         _mh_canvas_toggle_selected  (MhCanvas *self, MhBlockRef ref);
void         _mh_canvas_zoom_at          (MhCanvas *self, double zoom, double wx, double wy);
/* A head's loss weight, as one undo step per drag (live while it trains). */
void         _mh_canvas_set_weight       (MhCanvas *self, int head, double weight);
char        *_mh_canvas_refusal          (MhCanvas *self, MhPortRef from, MhPortRef to);

/* mh-canvas-input.c */
void         _mh_canvas_init_input       (MhCanvas *self);
gboolean     _mh_canvas_query_tooltip    (GtkWidget *widget, int wx, int wy, gboolean keyboard,
                                          GtkTooltip *tooltip);

/* mh-canvas-draw.c */
void         _mh_canvas_snapshot         (GtkWidget *widget, GtkSnapshot *snapshot);

G_END_DECLS
