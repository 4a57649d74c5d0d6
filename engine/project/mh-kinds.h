/* mh-kinds.h — the names a project file uses, each in one table: the
 * optimisers, schedules, backbone kinds and loss-balancing methods (the id
 * the file says, the title a person reads, a line on what it does) and the
 * head kinds (what their target holds, their default loss and the losses
 * they take).  The reader's checks, the command line, the inspector and the
 * training dashboard all read these tables; adding a kind is one line in
 * mh-kinds.c (and, for a head kind or a balancing method, its code). */
#pragma once

#include <glib.h>
#include "mh-dataset.h"
#include "mh-loss.h"

G_BEGIN_DECLS

typedef struct {
  const char *id;      /* as the project file says it: "gradnorm" */
  const char *title;   /* as a person says it: "GradNorm (learned)" */
  const char *about;   /* one line on what it does, or NULL */
} MhKind;

/* Each table ends with an entry whose id is NULL. */
extern const MhKind mh_optimizer_kinds[];
extern const MhKind mh_schedule_kinds[];
extern const MhKind mh_backbone_kinds[];
extern const MhKind mh_balancing_methods[];   /* in MhBalanceMethod's order (mh-balance.h) */

const MhKind *mh_kind_lookup  (const MhKind *kinds, const char *id);
/* Its place in the table, or -1. */
int           mh_kind_index   (const MhKind *kinds, const char *id);
guint         mh_kind_count   (const MhKind *kinds);
/* The ids, the titles (NULL-terminated; free with g_strfreev()); the ids
 * as "a, b, c" for messages (free with g_free()). */
char        **mh_kind_ids     (const MhKind *kinds);
char        **mh_kind_titles  (const MhKind *kinds);
char         *mh_kind_id_list (const MhKind *kinds);

typedef struct {
  const char  *id;          /* "classification" */
  const char  *title;       /* "Classification" */
  const char  *new_name;    /* a new head's name: "classify" */
  MhFieldKind  field;       /* what its target holds */
  const char  *field_holds; /* that, in a message: "classes", "label sets" */
  MhLossKind   loss;        /* its loss when the file names none */
  guint        losses;      /* the losses it takes: 1 << MhLossKind each */
} MhHeadKind;

extern const MhHeadKind mh_head_kinds[];

const MhHeadKind *mh_head_kind_lookup    (const char *id);
/* The head kind that predicts a field of that kind. */
const MhHeadKind *mh_head_kind_for_field (MhFieldKind field);
/* The loss's id a head of kind `id` takes when it names none (an unknown
 * kind: the first kind's). */
const char       *mh_head_kind_default_loss (const char *id);
gboolean          mh_head_kind_takes     (const MhHeadKind *kind, MhLossKind loss);
/* The losses it takes, for a message: "mse or smooth-l1"; free with g_free(). */
char             *mh_head_kind_loss_list (const MhHeadKind *kind);
/* Its losses' ids, its default first (NULL-terminated; free with g_free(),
 * the strings are the table's). */
const char      **mh_head_kind_loss_ids  (const MhHeadKind *kind);
/* The head kinds' ids and titles (free with g_strfreev()). */
char            **mh_head_kind_ids       (void);
char            **mh_head_kind_titles    (void);

G_END_DECLS
