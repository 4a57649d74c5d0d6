/* mh-trainer-requests.c — requests answered on the worker with a model
 * (mh-trainer-requests.h), and the recorded runs' checkpoints they may ask
 * for. */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-error.h"
#include "mh-export-torch.h"
#include "mh-save.h"
#include "mh-schema.h"
#include "mh-trainer-private.h"
#include "mh-trainer-requests.h"
#include "mh-weights.h"

/* ---- the model of a request ---------------------------------------------------- */

void
_mh_trainer_view_clear (Worker *w)
{
  g_clear_pointer (&w->view, mh_training_free);
  g_clear_pointer (&w->view_project, mh_project_free);
  g_clear_pointer (&w->view_key, g_free);
}

/* The project without what does not change the model: a view's model is
 * kept for another checkpoint of the same structure. */
static gboolean
same_model (const MhProject *a, const MhProject *b)
{
  g_autoptr (MhProject) x = mh_project_copy (a);
  g_autoptr (MhProject) y = mh_project_copy (b);

  g_clear_pointer (&x->layout, json_node_unref);
  g_clear_pointer (&y->layout, json_node_unref);
  g_free (x->name);
  x->name = g_strdup (y->name);
  return mh_project_equal (x, y);
}

static MhTraining *
load_view (Worker *w, const MhTrainerModel *model, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%s\n%d", model->run_dir, model->epoch);
  g_autoptr (MhRun) run = NULL;
  g_autoptr (MhProject) p = NULL;
  g_autofree char *path = NULL;
  MhSplits *data;

  if (w->view != NULL && g_strcmp0 (key, w->view_key) == 0)
    return w->view;
  run = mh_run_read (model->run_dir);
  if (run->state == MH_RUN_UNREADABLE)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s", run->problem);
      return NULL;
    }
  if (!(path = mh_run_checkpoint_path (run, model->epoch, error)) || !(p = mh_run_dup_project (run, error)))
    return NULL;
  if (w->view == NULL || !same_model (w->view_project, p))
    {
      _mh_trainer_view_clear (w);
      if (!(data = _mh_trainer_load_data (w, p, NULL, error)))
        return NULL;
      w->view_project = g_steal_pointer (&p);
      w->view = mh_training_new (w->view_project, data, 1, 1, model->run_dir, error);
      if (w->view == NULL)
        {
          _mh_trainer_view_clear (w);
          return NULL;
        }
    }
  g_clear_pointer (&w->view_key, g_free);
  if (!mh_model_load_weights (w->view->model, path, error))
    return NULL;
  w->view->step = run->steps_per_epoch * model->epoch;   /* for the answers' _("as of step") */
  w->view_key = g_steal_pointer (&key);
  return w->view;
}

MhTraining *
_mh_trainer_model (Worker *w, const MhTrainerModel *model, GError **error)
{
  if (model != NULL && model->run_dir != NULL)
    return load_view (w, model, error);
  if (w->loop == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "no model yet: train first");
      return NULL;
    }
  return w->loop->training;
}

/* ---- requests ------------------------------------------------------------------- */

typedef struct {
  float     *x;
  gsize      len;
  int        n, attention;
  MhAttributionMethod method;
  char      *path;
  MhProject *project;
  MhTrainerReply reply;
  gpointer   data;
  GDestroyNotify destroy;
} Request;

static void
request_free (gpointer p)
{
  Request *r = p;

  if (r->destroy != NULL)
    r->destroy (r->data);
  g_free (r->x);
  g_free (r->path);
  if (r->project != NULL)
    mh_project_free (r->project);
  g_free (r);
}

static Request *
request_new (gpointer data, GDestroyNotify destroy)
{
  Request *r = g_new0 (Request, 1);

  r->data = data;
  r->destroy = destroy;
  return r;
}

/* The request carries the caller's reply and data back to it. */
static void
reply_request (gpointer result, const GError *error, gpointer data)
{
  Request *r = data;

  r->reply (result, error, r->data);
}

static void
push (MhTrainer *self, const MhTrainerModel *model, MhTrainerWorkerFunc work, MhTrainerReply reply, Request *r)
{
  r->reply = reply;
  _mh_trainer_push_call (self, model, work, reply_request, r, request_free);
}

static gpointer
predict_work (Worker *w, MhTraining *run, gpointer data, GError **error)
{
  Request *r = data;
  gsize want;

  if (run == NULL)
    return NULL;   /* the error says why */
  want = mh_shape_size (&run->model->input);
  if (r->n <= 0 || r->len != (gsize) r->n * want)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE, "the model takes inputs of %" G_GSIZE_FORMAT " values, "
                   "these have %" G_GSIZE_FORMAT " (a run of another data set?)", want,
                   r->n > 0 ? r->len / r->n : 0);
      return NULL;
    }
  return mh_probe_predict (run, r->x, r->n, r->attention);
}

void
mh_trainer_predict (MhTrainer *self, const MhTrainerModel *model, float *x, gsize len, int n, int attention_sample,
                    MhTrainerReply reply, gpointer data, GDestroyNotify destroy)
{
  Request *r = request_new (data, destroy);

  r->x = x;
  r->len = len;
  r->n = n;
  r->attention = attention_sample;
  push (self, model, predict_work, reply, r);
}

static gpointer
attribute_work (Worker *w, MhTraining *run, gpointer data, GError **error)
{
  Request *r = data;
  gsize want;

  if (run == NULL)
    return NULL;   /* the error says why: no model yet, or the checkpoint did not load */
  want = mh_shape_size (&run->model->input);
  if (r->len != want)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE, "the model takes inputs of %" G_GSIZE_FORMAT " values, "
                   "this has %" G_GSIZE_FORMAT " (a run of another data set?)", want, r->len);
      return NULL;
    }
  return mh_probe_attribute (run, r->x, r->method, error);
}

void
mh_trainer_attribute (MhTrainer *self, const MhTrainerModel *model, float *x, gsize len, MhAttributionMethod method,
                      MhTrainerReply reply, gpointer data, GDestroyNotify destroy)
{
  Request *r = request_new (data, destroy);

  r->x = x;
  r->len = len;
  r->method = method;
  push (self, model, attribute_work, reply, r);
}

static gpointer
answers_work (Worker *w, MhTraining *run, gpointer data, GError **error)
{
  if (run == NULL)
    return NULL;
  if (run->data == NULL || run->data->test == NULL || run->data->test->n == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("the data set has no test split"));
      return NULL;
    }
  return mh_probe_answers (run, run->data->test);
}

void
mh_trainer_answers (MhTrainer *self, const MhTrainerModel *model, MhTrainerReply reply, gpointer data,
                    GDestroyNotify destroy)
{
  push (self, model, answers_work, reply, request_new (data, destroy));
}

static gpointer
test_set_work (Worker *w, MhTraining *run, gpointer data, GError **error)
{
  Request *r = data;
  MhSplits *splits = _mh_trainer_load_data (w, r->project, NULL, error);

  return splits != NULL ? mh_dataset_ref (splits->test) : NULL;
}

void
mh_trainer_test_set (MhTrainer *self, const MhProject *p, MhTrainerReply reply, gpointer data,
                     GDestroyNotify destroy)
{
  Request *r = request_new (data, destroy);

  r->project = mh_project_copy (p);
  push (self, NULL, test_set_work, reply, r);
}

/* All or nothing; the lanes share lane 0's parameters. */
static gpointer
load_work (Worker *w, MhTraining *run, gpointer data, GError **error)
{
  Request *r = data;

  if (run == NULL)
    return NULL;   /* the error says why */
  mh_model_load_weights (run->model, r->path, error);
  return NULL;
}

void
mh_trainer_load_weights (MhTrainer *self, const char *path, MhTrainerReply reply, gpointer data,
                         GDestroyNotify destroy)
{
  Request *r = request_new (data, destroy);

  r->path = g_strdup (path);
  push (self, NULL, load_work, reply, r);
}

static gpointer
save_work (Worker *w, MhTraining *run, gpointer data, GError **error)
{
  Request *r = data;

  if (run != NULL)
    mh_model_save_weights (run->model, r->path, run->project->name, error);
  return NULL;
}

void
mh_trainer_save_weights (MhTrainer *self, const MhTrainerModel *model, const char *path, MhTrainerReply reply,
                         gpointer data, GDestroyNotify destroy)
{
  Request *r = request_new (data, destroy);

  r->path = g_strdup (path);
  push (self, model, save_work, reply, r);
}

/* Built in a temporary folder beside `dir`, moved into place when whole. */
static gpointer
export_work (Worker *w, MhTraining *run, gpointer data, GError **error)
{
  Request *r = data;
  const MhProject *p;
  g_autofree char *weights = NULL;
  const char *data_dir;
  MhSaveFolder *folder;

  if (run == NULL)
    return NULL;
  p = run->project;
  data_dir = p->data.path != NULL ? p->data.path
           : g_strcmp0 (p->data.kind, "fashion-mnist") == 0 ? mh_fashion_mnist_default_dir () : NULL;
  if (!(folder = mh_save_folder_begin (r->path, MH_SAVE_DEFAULT, error)))
    return NULL;
  weights = g_build_filename (mh_save_folder_path (folder), "weights.safetensors", NULL);
  if (!mh_export_torch (run->model, p, run->data->train, data_dir, mh_save_folder_path (folder), error)
      || !mh_model_save_weights (run->model, weights, p->name, error))
    {
      mh_save_folder_abort (folder);
      return NULL;
    }
  mh_save_folder_commit (folder, error);
  return NULL;
}

void
mh_trainer_export_torch (MhTrainer *self, const MhTrainerModel *model, const char *dir, MhTrainerReply reply,
                         gpointer data, GDestroyNotify destroy)
{
  Request *r = request_new (data, destroy);

  r->path = g_strdup (dir);
  push (self, model, export_work, reply, r);
}
