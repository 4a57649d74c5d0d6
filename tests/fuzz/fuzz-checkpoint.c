/* fuzz-checkpoint.c — libFuzzer target: a checkpoint read from a file
 * (safetensors with the optimiser's moments and the run's metadata), then
 * resumed into a small run when it reads. */
#include <glib.h>
#include "mh-fuzz.h"
#include "mh-checkpoint.h"
#include "mh-splits.h"
#include "mh-training.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

static MhProject *ck_project;
static MhSplits *ck_splits;

static const char ck_project_json[] =
  "{ \"format\": 1, \"dataset\": { \"kind\": \"shapes\", \"size\": 16, \"train\": 8, \"test\": 2 },"
  "  \"backbone\": { \"layers\": [ { \"type\": \"flatten\" }, { \"type\": \"dense\", \"units\": 4 } ] },"
  "  \"heads\": [ { \"name\": \"shape\", \"target\": \"shape\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
  "  \"training\": { \"batch\": 4 } }";

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  GError *error = NULL;
  MhCheckpoint *ck;

  mh_fuzz_init ();
  if (ck_project == NULL)
    {
      ck_project = mh_project_load_data (ck_project_json, -1, "fuzz.mhproj", NULL);
      ck_splits = mh_splits_load (&ck_project->data, NULL, "fuzz.mhproj", NULL);
      g_assert (ck_project != NULL && ck_splits != NULL);
    }
  ck = mh_checkpoint_read (mh_fuzz_file ("fuzz-checkpoint", data, len), &error);
  if (ck != NULL)
    {
      MhTraining *run = mh_training_new (ck_project, ck_splits, 4, 1, "fuzz.mhproj", NULL);
      g_assert (run != NULL);
      if (!mh_training_restore (run, ck, &error))
        g_assert (error != NULL);
      g_clear_error (&error);
      mh_training_free (run);
      mh_checkpoint_free (ck);
    }
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
