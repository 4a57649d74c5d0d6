/* mh-lanes.c — persistent worker threads, woken once per parallel region. */
#include "mh-lanes.h"

struct _MhLanes {
  int         n;
  GThread   **threads;     /* lanes 1 … n−1 */
  GMutex      lock;
  GCond       start;
  GCond       done;
  guint64     generation;  /* bumped for every region */
  int         pending;     /* workers still running the current region */
  gboolean    quit;
  MhLaneFunc  func;
  gpointer    data;
};

typedef struct {
  MhLanes *lanes;
  int      lane;
} Worker;

static gpointer
worker_main (gpointer p)
{
  Worker *w = p;
  MhLanes *l = w->lanes;
  guint64 seen = 0;

  g_mutex_lock (&l->lock);
  for (;;)
    {
      while (l->generation == seen && !l->quit)
        g_cond_wait (&l->start, &l->lock);
      if (l->quit)
        break;
      seen = l->generation;
      g_mutex_unlock (&l->lock);
      l->func (w->lane, l->data);
      g_mutex_lock (&l->lock);
      if (--l->pending == 0)
        g_cond_signal (&l->done);
    }
  g_mutex_unlock (&l->lock);
  g_free (w);
  return NULL;
}

MhLanes *
mh_lanes_new (int n_lanes)
{
  MhLanes *l = g_new0 (MhLanes, 1);

  l->n = MAX (1, n_lanes);
  g_mutex_init (&l->lock);
  g_cond_init (&l->start);
  g_cond_init (&l->done);
  l->threads = g_new0 (GThread *, l->n);
  for (int i = 1; i < l->n; i++)
    {
      Worker *w = g_new (Worker, 1);
      *w = (Worker) { l, i };
      l->threads[i] = g_thread_new ("mh-lane", worker_main, w);
    }
  return l;
}

void
mh_lanes_free (MhLanes *l)
{
  if (l == NULL)
    return;
  g_mutex_lock (&l->lock);
  l->quit = TRUE;
  g_cond_broadcast (&l->start);
  g_mutex_unlock (&l->lock);
  for (int i = 1; i < l->n; i++)
    g_thread_join (l->threads[i]);
  g_free (l->threads);
  g_mutex_clear (&l->lock);
  g_cond_clear (&l->start);
  g_cond_clear (&l->done);
  g_free (l);
}

int
mh_lanes_count (const MhLanes *l)
{
  return l->n;
}

void
mh_lanes_run (MhLanes *l, MhLaneFunc func, gpointer data)
{
  if (l->n == 1)
    {
      func (0, data);
      return;
    }
  g_mutex_lock (&l->lock);
  l->func = func;
  l->data = data;
  l->pending = l->n - 1;
  l->generation++;
  g_cond_broadcast (&l->start);
  g_mutex_unlock (&l->lock);

  func (0, data);

  g_mutex_lock (&l->lock);
  while (l->pending > 0)
    g_cond_wait (&l->done, &l->lock);
  g_mutex_unlock (&l->lock);
}
