/* mh-lesson-runner.c — a lesson carried out on the window (mh-lesson-runner.h).
 *
 * Actions are watched as they are activated (their "activate" signal,
 * latched for the step); everything else is state, looked at on entering
 * a step and then five times a second: the window's widgets are rebuilt
 * (the inspector), its project replaced (an example opened) and its run
 * started and stopped while a step waits, and looking again finds the
 * current ones.  Looking is cheap: a few property reads and a walk of the
 * widget tree for the names a step uses. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-lesson-runner.h"
#include "mh-teach-target.h"

#define CHECK_INTERVAL_MS 200
#define READY_WAIT_US     (20 * G_USEC_PER_SEC)   /* how long Show Me waits for a widget to become usable */

struct _MhLessonRunner
{
  GObject     parent_instance;

  GWeakRef    window;
  MhLesson   *lesson;
  gboolean    owned;
  int         index;         /* -1 before start */
  gboolean    done;
  gboolean   *latched;       /* per wait of the step: an action seen */
  GPtrArray  *watched;       /* the actions connected to (GAction, ref'd) */
  GArray     *handlers;      /* their handler ids */
  char       *problem;
  guint       timer;
  GtkBuilder *builder;       /* to read property values from text */
  GPtrArray  *pending;       /* actions still to do: one waited for a widget to become usable */
  guint       pending_from;
  gint64      pending_until;
};

G_DEFINE_FINAL_TYPE (MhLessonRunner, mh_lesson_runner, G_TYPE_OBJECT)

enum { CHANGED, FINISHED, STOPPED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const state_names[] = { "idle", "loading", "running", "paused", "finished", "stopped", "failed" };

/* ---- watching actions ---------------------------------------------------------- */

static GAction *
lookup_action (MhWindow *window, const char *name)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));

  if (g_str_has_prefix (name, "win."))
    return g_action_map_lookup_action (G_ACTION_MAP (window), name + 4);
  if (g_str_has_prefix (name, "app.") && app != NULL)
    return g_action_map_lookup_action (G_ACTION_MAP (app), name + 4);
  return NULL;
}

static void
unwatch (MhLessonRunner *self)
{
  for (guint i = 0; self->watched != NULL && i < self->watched->len; i++)
    g_signal_handler_disconnect (self->watched->pdata[i], g_array_index (self->handlers, gulong, i));
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_pointer (&self->handlers, g_array_unref);
  g_clear_pointer (&self->latched, g_free);
}

static void set_problem (MhLessonRunner *self, const char *problem);
static void check (MhLessonRunner *self);

static void
action_activated (GAction *action, GVariant *param, MhLessonRunner *self)
{
  const MhLessonStep *step = mh_lesson_runner_get_step (self);

  for (guint i = 0; step != NULL && i < step->wait->len; i++)
    {
      const MhLessonWait *w = step->wait->pdata[i];
      const char *dot = w->kind == MH_LESSON_WAIT_ACTION ? strchr (w->action, '.') : NULL;
      if (dot != NULL && g_str_equal (dot + 1, g_action_get_name (action)))
        self->latched[i] = TRUE;
    }
  check (self);
}

static void
watch (MhLessonRunner *self, MhWindow *window, const MhLessonStep *step)
{
  self->latched = g_new0 (gboolean, MAX (1, step->wait->len));
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->handlers = g_array_new (FALSE, FALSE, sizeof (gulong));
  for (guint i = 0; i < step->wait->len; i++)
    {
      const MhLessonWait *w = step->wait->pdata[i];
      GAction *action;
      gulong id;
      if (w->kind != MH_LESSON_WAIT_ACTION)
        continue;
      action = lookup_action (window, w->action);
      if (action == NULL || !G_IS_SIMPLE_ACTION (action))
        {
          g_autofree char *p = g_strdup_printf (_("The lesson waits for the action %s, which this window does not have."),
                                                w->action);
          set_problem (self, p);
          continue;
        }
      id = g_signal_connect_after (action, "activate", G_CALLBACK (action_activated), self);
      g_ptr_array_add (self->watched, g_object_ref (action));
      g_array_append_val (self->handlers, id);
    }
}

/* ---- conditions ----------------------------------------------------------------- */

/* `text` read as a value of the property's type. */
static gboolean
value_from_text (MhLessonRunner *self, GParamSpec *pspec, const char *text, GValue *out)
{
  if (self->builder == NULL)
    self->builder = gtk_builder_new ();
  return gtk_builder_value_from_string (self->builder, pspec, text, out, NULL);
}

static gboolean
property_holds (MhLessonRunner *self, MhWindow *window, const char *widget, const char *property,
                const char *text)
{
  GtkWidget *w = mh_teach_find_widget (GTK_WIDGET (window), widget);
  GParamSpec *pspec = w != NULL ? g_object_class_find_property (G_OBJECT_GET_CLASS (w), property) : NULL;
  g_auto(GValue) want = G_VALUE_INIT;
  g_auto(GValue) have = G_VALUE_INIT;

  if (pspec == NULL || !value_from_text (self, pspec, text, &want))
    return FALSE;
  g_value_init (&have, pspec->value_type);
  g_object_get_property (G_OBJECT (w), property, &have);
  if (G_VALUE_HOLDS_STRING (&have))
    return g_strcmp0 (g_value_get_string (&have), g_value_get_string (&want)) == 0;
  return g_param_values_cmp (pspec, &have, &want) == 0;
}

static gboolean
wait_holds (MhLessonRunner *self, MhWindow *window, const MhLessonWait *w, guint i)
{
  const MhProject *p = mh_document_get_project (mh_window_get_document (window));

  switch (w->kind)
    {
    case MH_LESSON_WAIT_ACTION:
      return self->latched[i];
    case MH_LESSON_WAIT_PROPERTY:
      return property_holds (self, window, w->widget, w->property, w->value);
    case MH_LESSON_WAIT_TRAINING:
      {
        MhTrainerState state = mh_window_get_training_state (window);
        const MhTrainerEvent *e = mh_window_get_training_event (window);
        if (w->state != NULL && ((guint) state >= G_N_ELEMENTS (state_names)
                                 || !g_str_equal (w->state, state_names[state])))
          return FALSE;
        return w->steps == 0 || (e != NULL && e->step >= w->steps);
      }
    case MH_LESSON_WAIT_PROJECT:
      return (w->heads == 0 || p->heads->len >= (guint) w->heads)
             && (w->balancing == NULL || g_strcmp0 (p->balancing, w->balancing) == 0)
             && (w->backbone == NULL || g_strcmp0 (p->backbone_kind, w->backbone) == 0)
             && (w->dataset == NULL || g_strcmp0 (p->data.kind, w->dataset) == 0);
    case MH_LESSON_WAIT_HEAD:
      {
        const MhHeadSpec *h = mh_project_find_head (p, w->head);
        return h != NULL && h->weight >= w->weight_min && h->weight <= w->weight_max;
      }
    case MH_LESSON_WAIT_SELECTED:
      return mh_teach_block_selected (window, w->block);
    default:
      return FALSE;
    }
}

static void
check (MhLessonRunner *self)
{
  g_autoptr(MhWindow) window = g_weak_ref_get (&self->window);
  const MhLessonStep *step = mh_lesson_runner_get_step (self);
  gboolean done = TRUE;

  if (window == NULL || step == NULL)
    return;
  for (guint i = 0; i < step->wait->len && done; i++)
    done = wait_holds (self, window, step->wait->pdata[i], i);
  if (done != self->done)
    {
      self->done = done;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

static void perform_all (MhLessonRunner *self, GPtrArray *list, guint from, gboolean retrying);

static gboolean
tick (gpointer data)
{
  MhLessonRunner *self = data;

  if (self->pending != NULL)
    perform_all (self, self->pending, self->pending_from, TRUE);
  check (self);
  return G_SOURCE_CONTINUE;
}

/* ---- doing ---------------------------------------------------------------------- */

static void
set_problem (MhLessonRunner *self, const char *problem)
{
  if (g_strcmp0 (problem, self->problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
find_range (GtkWidget *w)
{
  if (GTK_IS_RANGE (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_range (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* NULL when done, else what went wrong (a new string). */
static char *
perform (MhLessonRunner *self, MhWindow *window, const MhLessonDo *d, gboolean *not_ready)
{
  GtkWidget *w = NULL;

  if (d->widget != NULL && (w = mh_teach_find_widget (GTK_WIDGET (window), d->widget)) == NULL)
    return g_strdup_printf (_("“%s” is not in the window."), d->widget);
  switch (d->kind)
    {
    case MH_LESSON_DO_ACTIVATE:
      {
        g_autoptr(GVariant) target = d->target ? g_variant_parse (NULL, d->target, NULL, NULL, NULL) : NULL;
        GAction *action = lookup_action (window, d->action);
        /* Train while it trains, say: what it would do is done */
        if (action != NULL && !g_action_get_enabled (action))
          return NULL;
        if (!gtk_widget_activate_action_variant (w != NULL ? w : GTK_WIDGET (window), d->action, target))
          return g_strdup_printf (_("The action %s is not there or cannot be used now."), d->action);
        return NULL;
      }
    case MH_LESSON_DO_CLICK:
      *not_ready = !gtk_widget_is_sensitive (w);   /* the data not loaded yet, say */
      if (*not_ready || !gtk_widget_activate (w))
        return g_strdup_printf (_("“%s” cannot be clicked now."), d->widget);
      return NULL;
    case MH_LESSON_DO_SET:
      {
        GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (w), d->property);
        g_auto(GValue) value = G_VALUE_INIT;
        GtkWidget *range = pspec == NULL && g_str_equal (d->property, "value") ? find_range (w) : NULL;
        if (range != NULL)
          {
            gtk_range_set_value (GTK_RANGE (range), g_ascii_strtod (d->value, NULL));
            return NULL;
          }
        if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE) || !value_from_text (self, pspec, d->value, &value))
          return g_strdup_printf (_("“%s” has no property %s that takes “%s”."), d->widget, d->property, d->value);
        g_object_set_property (G_OBJECT (w), d->property, &value);
        return NULL;
      }
    case MH_LESSON_DO_SELECT:
      {
        MhBlockRef ref;
        if (!mh_teach_block_ref (window, d->block, &ref))
          return g_strdup_printf (_("The project has no block “%s”."), d->block);
        mh_canvas_select (mh_window_get_canvas (window), ref, FALSE);
        return NULL;
      }
    default:
      return NULL;
    }
}

/* Does list[from…]; one that waits for a widget to become usable (the data
 * still loading) is tried again at every check for a while, then the rest. */
static void
perform_all (MhLessonRunner *self, GPtrArray *list, guint from, gboolean retrying)
{
  g_autoptr(MhWindow) window = g_weak_ref_get (&self->window);
  g_autoptr(GPtrArray) keep = g_ptr_array_ref (list);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  for (guint i = from; window != NULL && i < list->len; i++)
    {
      gboolean not_ready = FALSE;
      g_autofree char *problem = perform (self, window, list->pdata[i], &not_ready);
      if (problem != NULL && not_ready)
        {
          if (!retrying)
            self->pending_until = g_get_monotonic_time () + READY_WAIT_US;
          if (g_get_monotonic_time () < self->pending_until)
            {
              self->pending = g_ptr_array_ref (list);
              self->pending_from = i;
              return;
            }
        }
      if (problem != NULL)
        {
          set_problem (self, problem);
          return;
        }
    }
}

static void
enter (MhLessonRunner *self, int index)
{
  g_autoptr(MhWindow) window = g_weak_ref_get (&self->window);
  const MhLessonStep *step;

  if (window == NULL)
    return;
  unwatch (self);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->index = index;
  self->done = FALSE;
  g_clear_pointer (&self->problem, g_free);
  step = mh_lesson_runner_get_step (self);
  watch (self, window, step);
  perform_all (self, step->enter, 0, FALSE);
  self->done = step->wait->len == 0;
  g_signal_emit (self, signals[CHANGED], 0);
  check (self);
}

/* ---- public --------------------------------------------------------------------- */

MhLessonRunner *
mh_lesson_runner_new (MhWindow *window, MhLesson *lesson, gboolean owned)
{
  MhLessonRunner *self = g_object_new (MH_TYPE_LESSON_RUNNER, NULL);

  g_weak_ref_set (&self->window, window);
  self->lesson = lesson;
  self->owned = owned;
  return self;
}

const MhLesson *
mh_lesson_runner_get_lesson (MhLessonRunner *self)
{
  return self->lesson;
}

void
mh_lesson_runner_start (MhLessonRunner *self)
{
  if (self->timer == 0)
    self->timer = g_timeout_add (CHECK_INTERVAL_MS, tick, self);
  enter (self, 0);
}

int
mh_lesson_runner_get_index (MhLessonRunner *self)
{
  return self->index;
}

const MhLessonStep *
mh_lesson_runner_get_step (MhLessonRunner *self)
{
  if (self->index < 0 || (guint) self->index >= self->lesson->steps->len)
    return NULL;
  return self->lesson->steps->pdata[self->index];
}

gboolean
mh_lesson_runner_get_done (MhLessonRunner *self)
{
  return self->done;
}

const char *
mh_lesson_runner_get_problem (MhLessonRunner *self)
{
  return self->problem;
}

void
mh_lesson_runner_next (MhLessonRunner *self)
{
  if (self->index < 0)
    return;
  if ((guint) self->index + 1 < self->lesson->steps->len)
    enter (self, self->index + 1);
  else
    {
      unwatch (self);
      g_clear_handle_id (&self->timer, g_source_remove);
      g_signal_emit (self, signals[FINISHED], 0);
    }
}

void
mh_lesson_runner_back (MhLessonRunner *self)
{
  if (self->index > 0)
    enter (self, self->index - 1);
}

void
mh_lesson_runner_show_me (MhLessonRunner *self)
{
  const MhLessonStep *step = mh_lesson_runner_get_step (self);

  if (step == NULL)
    return;
  g_clear_pointer (&self->problem, g_free);
  perform_all (self, step->show_me, 0, FALSE);
  check (self);
}


void
mh_lesson_runner_stop (MhLessonRunner *self)
{
  if (self->index < 0)
    return;
  unwatch (self);
  g_clear_handle_id (&self->timer, g_source_remove);
  self->index = -1;
  g_signal_emit (self, signals[STOPPED], 0);
}

static void
mh_lesson_runner_dispose (GObject *object)
{
  MhLessonRunner *self = MH_LESSON_RUNNER (object);

  unwatch (self);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_object (&self->builder);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  G_OBJECT_CLASS (mh_lesson_runner_parent_class)->dispose (object);
}

static void
mh_lesson_runner_finalize (GObject *object)
{
  MhLessonRunner *self = MH_LESSON_RUNNER (object);

  g_weak_ref_clear (&self->window);
  if (self->owned)
    mh_lesson_free (self->lesson);
  g_free (self->problem);
  G_OBJECT_CLASS (mh_lesson_runner_parent_class)->finalize (object);
}

static void
mh_lesson_runner_class_init (MhLessonRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mh_lesson_runner_dispose;
  object_class->finalize = mh_lesson_runner_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
  signals[STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
mh_lesson_runner_init (MhLessonRunner *self)
{
  g_weak_ref_init (&self->window, NULL);
  self->index = -1;
}
