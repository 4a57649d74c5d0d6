/* mh-thread-team.h — a fixed team of threads running one function per lane.
 *
 * The training step splits its batch into lanes, one per core; each lane
 * runs forward and backward on its share with single-threaded BLAS.  The
 * caller's thread runs lane 0, so one lane means no threads at all.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MhLanes MhThreadTeam;
typedef void (*MhLaneFunc) (int lane, gpointer data);

MhThreadTeam *mh_thread_team_new (int n_lanes);
void     mh_thread_team_free (MhThreadTeam *lanes);
/* Runs func (lane, data) for every lane at once; returns when all are done. */
void     mh_thread_team_run (MhThreadTeam *lanes, MhLaneFunc func, gpointer data);

G_END_DECLS
