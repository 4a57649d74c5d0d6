/* mh-lanes.h — a fixed team of threads running one function per lane.
 *
 * The training step splits its batch into lanes, one per core; each lane
 * runs forward and backward on its share with single-threaded BLAS.  The
 * caller's thread runs lane 0, so one lane means no threads at all.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MhLanes MhLanes;
typedef void (*MhLaneFunc) (int lane, gpointer data);

MhLanes *mh_lanes_new (int n_lanes);
void     mh_lanes_free (MhLanes *lanes);
int      mh_lanes_count (const MhLanes *lanes);
/* Runs func (lane, data) for every lane at once; returns when all are done. */
void     mh_lanes_run (MhLanes *lanes, MhLaneFunc func, gpointer data);

G_END_DECLS
