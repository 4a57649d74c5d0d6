/* mh-document.c — an open project and its undo history.
 *
 * A step keeps the whole spec before and after (specs are small), so undo and
 * redo are exact whatever the edit was, and the layout rides along.
 */
#include "mh-document.h"
#include <glib/gi18n.h>
#include "mh-error.h"
#include "mh-input.h"
#include "mh-json.h"
#include "mh-schema.h"

#define MERGE_WINDOW_US (2 * G_USEC_PER_SEC)

typedef struct {
  char      *label;
  char      *merge_key;
  gint64     time;
  MhProject *before;
  MhProject *after;
} Step;

struct _MhDocument
{
  GObject     parent_instance;

  MhProject  *project;
  MhProject  *editing;     /* the spec before the edit in progress */
  MhAnalysis *analysis;
  GFile      *file;
  GPtrArray  *steps;       /* Step */
  guint       done;        /* steps[0..done) are applied */
  gint        saved;       /* `done` when last saved; -1: never that state */
  MhDocumentGuard guard;
  gpointer    guard_data;
};

G_DEFINE_FINAL_TYPE (MhDocument, mh_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_MODIFIED,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

enum {
  CHANGED,
  REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
step_free (Step *step)
{
  g_free (step->label);
  g_free (step->merge_key);
  mh_project_free (step->before);
  mh_project_free (step->after);
  g_free (step);
}

static void
mh_document_finalize (GObject *object)
{
  MhDocument *self = (MhDocument *) object;

  g_clear_pointer (&self->project, mh_project_free);
  g_clear_pointer (&self->editing, mh_project_free);
  g_clear_pointer (&self->analysis, mh_analysis_free);
  g_clear_object (&self->file);
  g_clear_pointer (&self->steps, g_ptr_array_unref);

  G_OBJECT_CLASS (mh_document_parent_class)->finalize (object);
}

static void
mh_document_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MhDocument *self = MH_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, mh_document_get_modified (self));
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, mh_document_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, mh_document_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_document_class_init (MhDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mh_document_finalize;
  object_class->get_property = mh_document_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The spec changed (an edit, an undo, a redo). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A change the guard refused, with the reason (the spec stayed as it was). */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mh_document_init (MhDocument *self)
{
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
}

static void
notify_state (MhDocument *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
reanalyse (MhDocument *self)
{
  g_clear_pointer (&self->analysis, mh_analysis_free);
  self->analysis = mh_analysis_new (self->project);
  g_signal_emit (self, signals[CHANGED], 0);
  notify_state (self);
}

/* Whether the guard lets the spec go from `before` to `after`; if not,
 * "refused" says why. */
static gboolean
allowed (MhDocument *self, const MhProject *before, const MhProject *after)
{
  g_autofree char *reason = NULL;

  if (self->guard == NULL || self->guard (before, after, &reason, self->guard_data))
    return TRUE;
  g_signal_emit (self, signals[REFUSED], 0, reason);
  return FALSE;
}

void
mh_document_set_guard (MhDocument *self, MhDocumentGuard guard, gpointer data)
{
  g_return_if_fail (MH_IS_DOCUMENT (self));
  self->guard = guard;
  self->guard_data = data;
}

MhDocument *
mh_document_new (MhProject *project, GFile *file)
{
  MhDocument *self;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (MH_TYPE_DOCUMENT, NULL);
  self->project = project;
  self->file = file != NULL ? g_object_ref (file) : NULL;
  self->analysis = mh_analysis_new (project);
  return self;
}

MhDocument *
mh_document_new_empty (void)
{
  return mh_document_new (mh_project_new_default (), NULL);
}

/* A file that is not local (GVfs): at most MH_JSON_MAX_FILE bytes are read. */
static char *
read_remote (GFile *file, const char *where, gsize *len, GError **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autofree char *data = NULL;

  if (in == NULL)
    return NULL;
  data = g_malloc (MH_JSON_MAX_FILE + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), data, MH_JSON_MAX_FILE + 1, len, NULL, error))
    return NULL;
  if (*len > MH_JSON_MAX_FILE)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the project is larger than %d MiB; not read"),
                   where, (int) (MH_JSON_MAX_FILE >> 20));
      return NULL;
    }
  data[*len] = '\0';
  return g_realloc (g_steal_pointer (&data), *len + 1);
}

MhDocument *
mh_document_load (GFile *file, GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *where = NULL;
  g_autofree char *problem = NULL;
  gsize len;
  MhProject *project;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  where = g_file_get_parse_name (file);
  if (g_file_peek_path (file) != NULL)   /* a regular file of sane size (mh-input.h) */
    data = mh_input_read_all (g_file_peek_path (file), "project", MH_JSON_MAX_FILE, &len, error);
  else
    data = read_remote (file, where, &len, error);
  if (data == NULL)
    return NULL;
  /* a draft opens with its problem, which the analysis marks */
  project = mh_project_load_draft (data, (gssize) len, where, &problem, error);
  if (project == NULL)
    return NULL;
  return mh_document_new (project, file);
}

/* A draft may have problems, but it must open again: what would not is
 * refused, with the reader's own message. */
static gboolean
opens_again (const MhProject *p, const char *path, GError **error)
{
  gsize len;
  g_autofree char *data = mh_project_to_data (p, &len);
  g_autofree char *problem = NULL;
  g_autoptr(GError) reread = NULL;
  g_autoptr(MhProject) back = mh_project_load_draft (data, (gssize) len, path, &problem, &reread);

  if (back != NULL)
    return TRUE;
  g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("Not saved: the file would not open again (%s). "
               "Fix the marked block first."), reread->message);
  return FALSE;
}

gboolean
mh_document_save (MhDocument *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (MH_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: only local files can be saved"),
                   g_file_peek_path (file) ? g_file_peek_path (file) : "file");
      return FALSE;
    }
  if (!opens_again (self->project, path, error) || !mh_project_save (self->project, path, error))
    return FALSE;
  if (self->file == NULL || !g_file_equal (self->file, file))
    {
      g_set_object (&self->file, file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  self->saved = (gint) self->done;
  notify_state (self);
  return TRUE;
}

const MhProject *
mh_document_get_project (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), NULL);
  return self->project;
}

const MhAnalysis *
mh_document_get_analysis (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), NULL);
  return self->analysis;
}

GFile *
mh_document_get_file (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), NULL);
  return self->file;
}

char *
mh_document_dup_title (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), NULL);

  if (self->file != NULL)
    return g_file_get_basename (self->file);
  return g_strdup (self->project->name);
}

gboolean
mh_document_get_modified (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), FALSE);
  return self->saved != (gint) self->done;
}

MhProject *
mh_document_begin (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (self->editing == NULL, self->project);

  self->editing = mh_project_copy (self->project);
  return self->project;
}

void
mh_document_abort (MhDocument *self)
{
  g_return_if_fail (MH_IS_DOCUMENT (self));
  g_return_if_fail (self->editing != NULL);

  mh_project_free (self->project);
  self->project = g_steal_pointer (&self->editing);
}

gboolean
mh_document_commit (MhDocument *self, const char *label, const char *merge_key)
{
  Step *top, *step;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (MH_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (self->editing != NULL, FALSE);

  if (mh_project_equal (self->editing, self->project))
    {
      g_clear_pointer (&self->editing, mh_project_free);
      return FALSE;
    }
  if (!allowed (self, self->editing, self->project))
    {
      mh_project_free (self->project);
      self->project = g_steal_pointer (&self->editing);
      reanalyse (self);   /* the views show the spec as it is again */
      return FALSE;
    }
  g_ptr_array_set_size (self->steps, self->done);   /* no redo after a new edit */
  if (self->saved > (gint) self->done)
    self->saved = -1;
  top = self->done > 0 ? self->steps->pdata[self->done - 1] : NULL;
  if (top != NULL && merge_key != NULL && g_strcmp0 (top->merge_key, merge_key) == 0
      && now - top->time < MERGE_WINDOW_US && self->saved != (gint) self->done)
    {
      mh_project_free (top->after);
      top->after = mh_project_copy (self->project);
      top->time = now;
      g_clear_pointer (&self->editing, mh_project_free);
    }
  else
    {
      step = g_new0 (Step, 1);
      step->label = g_strdup (label);
      step->merge_key = g_strdup (merge_key);
      step->time = now;
      step->before = g_steal_pointer (&self->editing);
      step->after = mh_project_copy (self->project);
      g_ptr_array_add (self->steps, step);
      self->done++;
    }
  reanalyse (self);
  return TRUE;
}

gboolean
mh_document_can_undo (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), FALSE);
  return self->done > 0;
}

gboolean
mh_document_can_redo (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), FALSE);
  return self->done < self->steps->len;
}

const char *
mh_document_get_undo_label (MhDocument *self)
{
  g_return_val_if_fail (MH_IS_DOCUMENT (self), NULL);
  return self->done > 0 ? ((Step *) self->steps->pdata[self->done - 1])->label : NULL;
}

void
mh_document_undo (MhDocument *self)
{
  Step *step;

  g_return_if_fail (MH_IS_DOCUMENT (self));
  g_return_if_fail (self->editing == NULL);

  if (self->done == 0 || !allowed (self, self->project, ((Step *) self->steps->pdata[self->done - 1])->before))
    return;
  step = self->steps->pdata[--self->done];
  step->time = 0;   /* never merge into a step that was undone */
  mh_project_free (self->project);
  self->project = mh_project_copy (step->before);
  reanalyse (self);
}

void
mh_document_redo (MhDocument *self)
{
  Step *step;

  g_return_if_fail (MH_IS_DOCUMENT (self));
  g_return_if_fail (self->editing == NULL);

  if (!mh_document_can_redo (self) || !allowed (self, self->project, ((Step *) self->steps->pdata[self->done])->after))
    return;
  step = self->steps->pdata[self->done++];
  step->time = 0;
  mh_project_free (self->project);
  self->project = mh_project_copy (step->after);
  reanalyse (self);
}
