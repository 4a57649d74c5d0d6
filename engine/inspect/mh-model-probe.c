/* mh-model-probe.c — copies of a run's answers for the window's views (mh-model-probe.h). */
#include <math.h>
#include <string.h>
#include "mh-model-probe.h"

MhProbeHead *
mh_probe_heads_new (const MhTraining *run, int *n_heads)
{
  const MhModel *m;
  const MhDataset *schema;
  MhProbeHead *heads;

  g_return_val_if_fail (run != NULL && n_heads != NULL, NULL);

  m = run->model;
  schema = run->data->test;
  heads = g_new0 (MhProbeHead, m->n_heads);

  for (int h = 0; h < m->n_heads; h++)
    {
      const MhHead *head = &m->heads[h];
      const MhField *f = &schema->fields[head->field];
      heads[h].name = g_strdup (head->name);
      heads[h].kind = head->field_kind;
      heads[h].field = head->field;
      heads[h].k = head->out_dim;
      heads[h].box = f->box;
      heads[h].threshold = head->threshold;
      heads[h].names = g_strdupv (f->names);
    }
  *n_heads = m->n_heads;
  return heads;
}

void
mh_probe_heads_free (MhProbeHead *heads, int n_heads)
{
  for (int h = 0; h < n_heads && heads != NULL; h++)
    {
      g_free (heads[h].name);
      g_strfreev (heads[h].names);
    }
  g_free (heads);
}

/* Logits into what a person reads: probabilities, or the values themselves. */
static void
to_probabilities (MhFieldKind kind, const float *logits, int n, int k, float *out)
{
  for (int i = 0; i < n; i++)
    {
      const float *z = logits + (gsize) i * k;
      float *p = out + (gsize) i * k;
      if (kind == MH_FIELD_CLASS)
        {
          float max = z[0];
          double sum = 0;
          for (int j = 1; j < k; j++)
            max = MAX (max, z[j]);
          for (int j = 0; j < k; j++)
            sum += p[j] = expf (z[j] - max);
          for (int j = 0; j < k; j++)
            p[j] = (float) (p[j] / sum);
        }
      else if (kind == MH_FIELD_LABELS)
        for (int j = 0; j < k; j++)
          p[j] = 1.0f / (1.0f + expf (-z[j]));
      else
        memcpy (p, z, sizeof (float) * k);
    }
}

MhProbeResult *
mh_probe_predict (MhTraining *run, const float *x, int n, int attention_sample)
{
  MhModel *m;
  MhProbeResult *r;
  gsize in;

  g_return_val_if_fail (run != NULL && n >= 0 && (n == 0 || x != NULL), NULL);

  m = run->model;
  r = g_new0 (MhProbeResult, 1);
  in = mh_shape_size (&m->input);

  r->heads = mh_probe_heads_new (run, &r->n_heads);
  r->input = m->input;
  r->step = run->step;
  r->n = n;
  r->attention_sample = -1;
  r->outputs = g_new0 (float *, r->n_heads);
  for (int h = 0; h < r->n_heads; h++)
    r->outputs[h] = g_new (float, (gsize) MAX (n, 1) * r->heads[h].k);
  for (int start = 0; start < n; start += m->max_batch)
    {
      int b = MIN (m->max_batch, n - start);
      memcpy (m->x, x + start * in, sizeof (float) * in * b);
      mh_model_forward (m, b, FALSE, NULL);
      for (int h = 0; h < r->n_heads; h++)
        to_probabilities (r->heads[h].kind, m->heads[h].logits, b, r->heads[h].k,
                          r->outputs[h] + (gsize) start * r->heads[h].k);
      if (attention_sample >= start && attention_sample < start + b
          && mh_attention_info (m, &r->info, "model", NULL))
        {
          r->has_attention = TRUE;
          r->attention_sample = attention_sample;
          r->layer_heads = g_new (int, r->info.n_layers);
          for (int l = 0; l < r->info.n_layers; l++)
            r->layer_heads[l] = mh_attention_heads (m, l);
          r->maps = g_new (float, mh_attention_copy_sample (m, attention_sample - start, NULL));
          mh_attention_copy_sample (m, attention_sample - start, r->maps);
        }
    }
  return r;
}

void
mh_probe_result_free (MhProbeResult *r)
{
  if (r == NULL)
    return;
  for (int h = 0; h < r->n_heads; h++)
    g_free (r->outputs[h]);
  g_free (r->outputs);
  mh_probe_heads_free (r->heads, r->n_heads);
  g_free (r->layer_heads);
  g_free (r->maps);
  g_free (r);
}

MhProbeAttribution *
mh_probe_attribute (MhTraining *run, const float *x, MhAttributionMethod method, GError **error)
{
  g_autoptr (MhAttributor) a = mh_attributor_new (run->project, run->data->test, run->model, method, NULL,
                                                 run->project->name, error);
  MhProbeAttribution *r;

  if (a == NULL)
    return NULL;
  r = g_new0 (MhProbeAttribution, 1);
  r->heads = mh_probe_heads_new (run, &r->n_heads);
  r->input = run->model->input;
  r->step = run->step;
  r->x = g_memdup2 (x, sizeof (float) * mh_shape_size (&r->input));
  r->attribution = mh_attributor_explain (a, x, NULL);
  return r;
}

MhProbeAttribution *
mh_probe_attribution_copy (const MhProbeAttribution *a)
{
  MhProbeAttribution *c = g_memdup2 (a, sizeof *a);

  c->heads = g_new0 (MhProbeHead, a->n_heads);
  for (int h = 0; h < a->n_heads; h++)
    {
      c->heads[h] = a->heads[h];
      c->heads[h].name = g_strdup (a->heads[h].name);
      c->heads[h].names = g_strdupv (a->heads[h].names);
    }
  c->x = g_memdup2 (a->x, sizeof (float) * mh_shape_size (&a->input));
  c->attribution = mh_attribution_copy (a->attribution);
  return c;
}

void
mh_probe_attribution_free (MhProbeAttribution *a)
{
  if (a == NULL)
    return;
  mh_probe_heads_free (a->heads, a->n_heads);
  mh_attribution_free (a->attribution);
  g_free (a->x);
  g_free (a);
}

MhProbeAnswers *
mh_probe_answers (MhTraining *run, const MhDataset *d)
{
  MhProbeAnswers *a;

  g_return_val_if_fail (run != NULL && d != NULL, NULL);

  a = g_new0 (MhProbeAnswers, 1);
  a->heads = mh_probe_heads_new (run, &a->n_heads);
  a->n = d->n;
  a->step = run->step;
  a->truth = g_new0 (int *, a->n_heads);
  a->answers = g_new0 (int *, a->n_heads);
  a->confusion = g_new0 (int *, a->n_heads);
  a->metrics = g_new0 (MhHeadMetrics, a->n_heads);
  for (int h = 0; h < a->n_heads; h++)
    if (a->heads[h].kind == MH_FIELD_CLASS)
      {
        a->answers[h] = g_new0 (int, MAX (1, d->n));
        a->truth[h] = g_new0 (int, MAX (1, d->n));
        if (d->n > 0)
          memcpy (a->truth[h], d->fields[a->heads[h].field].classes, sizeof (int) * d->n);
      }
  mh_training_evaluate_answers (run, d, a->metrics, a->confusion, a->answers);
  return a;
}

void
mh_probe_answers_free (MhProbeAnswers *a)
{
  if (a == NULL)
    return;
  for (int h = 0; h < a->n_heads; h++)
    {
      g_free (a->truth[h]);
      g_free (a->answers[h]);
      g_free (a->confusion[h]);
    }
  g_free (a->truth);
  g_free (a->answers);
  g_free (a->confusion);
  g_free (a->metrics);
  mh_probe_heads_free (a->heads, a->n_heads);
  g_free (a);
}

void
mh_confusion_count (const int *truth, const int *answers, int n, int k, int *out)
{
  g_return_if_fail (out != NULL && k > 0 && (n == 0 || (truth != NULL && answers != NULL)));

  memset (out, 0, sizeof (int) * k * k);
  for (int i = 0; i < n; i++)
    if (truth[i] >= 0 && truth[i] < k && answers[i] >= 0 && answers[i] < k)
      out[truth[i] * k + answers[i]]++;
}

int
mh_confusion_samples (const int *truth, const int *answers, int n, int t, int a, int *out, int max)
{
  int found = 0;

  g_return_val_if_fail (n == 0 || (truth != NULL && answers != NULL), 0);
  g_return_val_if_fail (max <= 0 || out != NULL, 0);

  for (int i = 0; i < n && found < max; i++)
    if (truth[i] == t && answers[i] == a)
      out[found++] = i;
  return found;
}

double
mh_entropy_bits (const float *p, int n)
{
  double h = 0;

  for (int i = 0; i < n; i++)
    if (p[i] > 0)
      h -= p[i] * log2 (p[i]);
  return h;
}
