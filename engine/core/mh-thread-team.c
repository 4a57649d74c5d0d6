/* mh-thread-team.c — persistent worker threads, woken once per parallel region.
 *
 * A step has two regions a few hundred microseconds apart, so a lane that
 * goes to sleep on a condition variable pays a wake-up each time.  Lanes
 * first spin briefly on the region counter (MH_LANES_SPIN checks), then
 * sleep; the caller likewise spins, then sleeps, waiting for the lanes. */
#include "mh-thread-team.h"

#define MH_LANES_SPIN 4000

struct _MhLanes {
  int         n;
  GThread   **threads;     /* lanes 1 … n−1 */
  GMutex      lock;
  GCond       start;
  GCond       done;
  gint        generation;  /* bumped for every region (atomic) */
  gint        pending;     /* workers still in the current region (atomic) */
  gboolean    quit;
  MhLaneFunc  func;
  gpointer    data;
};

typedef struct {
  MhThreadTeam *lanes;
  int      lane;
} Worker;

static inline void
cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#endif
}

/* Waits for a region after `seen`; FALSE when told to quit. */
static gboolean
wait_for_region (MhThreadTeam *l, gint seen)
{
  for (int i = 0; i < MH_LANES_SPIN; i++)
    {
      if (g_atomic_int_get (&l->generation) != seen)
        return TRUE;
      cpu_relax ();
    }
  g_mutex_lock (&l->lock);
  while (g_atomic_int_get (&l->generation) == seen && !l->quit)
    g_cond_wait (&l->start, &l->lock);
  g_mutex_unlock (&l->lock);
  return g_atomic_int_get (&l->generation) != seen;
}

static gpointer
worker_main (gpointer p)
{
  Worker *w = p;
  MhThreadTeam *l = w->lanes;
  gint seen = 0;

  while (wait_for_region (l, seen))
    {
      seen = g_atomic_int_get (&l->generation);
      l->func (w->lane, l->data);
      if (g_atomic_int_dec_and_test (&l->pending))
        {
          g_mutex_lock (&l->lock);
          g_cond_signal (&l->done);
          g_mutex_unlock (&l->lock);
        }
    }
  g_free (w);
  return NULL;
}

MhThreadTeam *
mh_thread_team_new (int n_lanes)
{
  MhThreadTeam *l = g_new0 (MhThreadTeam, 1);

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
mh_thread_team_free (MhThreadTeam *l)
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

void
mh_thread_team_run (MhThreadTeam *l, MhLaneFunc func, gpointer data)
{
  if (l->n == 1)
    {
      func (0, data);
      return;
    }
  g_mutex_lock (&l->lock);
  l->func = func;
  l->data = data;
  g_atomic_int_set (&l->pending, l->n - 1);
  g_atomic_int_inc (&l->generation);
  g_cond_broadcast (&l->start);
  g_mutex_unlock (&l->lock);

  func (0, data);

  for (int i = 0; i < MH_LANES_SPIN && g_atomic_int_get (&l->pending) > 0; i++)
    cpu_relax ();
  if (g_atomic_int_get (&l->pending) > 0)
    {
      g_mutex_lock (&l->lock);
      while (g_atomic_int_get (&l->pending) > 0)
        g_cond_wait (&l->done, &l->lock);
      g_mutex_unlock (&l->lock);
    }
}
