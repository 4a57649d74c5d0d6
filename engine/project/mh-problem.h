/* mh-problem.h — a problem of a project as a record: the part it is in
 * (the data set, the backbone, a head, or the project's settings), which
 * one, the JSON path of the field and the one-line message.  Made from the
 * engine's errors, which keep their JSON path (mh-error.h): nobody reads a
 * message to find out where it belongs.  mh-model-check.h gathers every
 * part's problems. */
#pragma once

#include <glib.h>
#include "mh-error.h"

G_BEGIN_DECLS

typedef enum {
  MH_PART_PROJECT,    /* name, format, optimiser, schedule, training, balancing, transfer */
  MH_PART_DATASET,
  MH_PART_BACKBONE,
  MH_PART_HEAD,
} MhProjectPart;

typedef struct {
  MhProjectPart  part;
  int            index;     /* HEAD: the head; BACKBONE: the layer, -1 the backbone as a whole; else -1 */
  char          *path;      /* the field's JSON path in the project ("heads[2].loss"); "" the whole */
  char          *message;   /* one line, without the file: "heads[2].loss: 'bce' does not fit …" */
  MhErrorCode    code;
} MhProblem;

/* The part a project's JSON path is in, and which: "heads[2].loss" is
 * head 2, "backbone.layers[1].units" backbone layer 1, "dataset.path" the
 * data set, "optimizer.lr" or "" the project. */
void        mh_problem_place          (const char *path, MhProjectPart *part, int *index);
MhProblem  *mh_problem_new            (const char *path, const char *message, MhErrorCode code);
/* From an error of the engine: its path (none: the project) and its text
 * without the file. */
MhProblem  *mh_problem_new_from_error (const GError *error);
MhProblem  *mh_problem_copy           (const MhProblem *problem);
void        mh_problem_free           (MhProblem *problem);
/* "head", "backbone", "dataset" or "project". */
const char *mh_project_part_name      (MhProjectPart part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhProblem, mh_problem_free)

G_END_DECLS
