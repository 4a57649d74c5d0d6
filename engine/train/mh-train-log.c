/* mh-train-log.c — a run's figures, column by column. */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include <gio/gio.h>
#include "mh-csv.h"
#include "mh-error.h"
#include "mh-train-log.h"
#include "mh-save.h"

typedef enum {
  COL_STEP, COL_EPOCH, COL_TOTAL, COL_LOSS, COL_METRIC, COL_WEIGHT, COL_GRAD_NORM, COL_COSINE,
  COL_VAL_LOSS, COL_VAL_ACCURACY, COL_VAL_F1, COL_VAL_IOU, COL_VAL_MAE,
  COL_OTHER,   /* read from a file */
} ColumnKind;

typedef struct {
  char      *name;
  ColumnKind kind;
  int        head;     /* or pair */
  GArray    *values;   /* double */
} Column;

struct _MhTrainLog
{
  int        n_heads;
  GPtrArray *columns;  /* Column */
  guint      n_rows;
};

static void
column_free (Column *c)
{
  g_free (c->name);
  g_array_unref (c->values);
  g_free (c);
}

static void
add_column (MhTrainLog *log, ColumnKind kind, int head, char *name)
{
  Column *c = g_new0 (Column, 1);

  c->name = name;
  c->kind = kind;
  c->head = head;
  c->values = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (log->columns, c);
}

static MhTrainLog *
log_new (void)
{
  MhTrainLog *log = g_new0 (MhTrainLog, 1);

  log->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  return log;
}

MhTrainLog *
mh_train_log_new (const MhTrainerEvent *started)
{
  return mh_train_log_new_for_heads ((const char *const *) started->head_names, started->head_kinds,
                                     started->n_heads);
}

MhTrainLog *
mh_train_log_new_for_heads (const char *const *names, const MhFieldKind *kinds, int nh)
{
  MhTrainLog *log = log_new ();

  log->n_heads = nh;
  add_column (log, COL_STEP, -1, g_strdup ("step"));
  add_column (log, COL_EPOCH, -1, g_strdup ("epoch"));
  add_column (log, COL_TOTAL, -1, g_strdup ("total_loss"));
  for (int h = 0; h < nh; h++)
    {
      add_column (log, COL_LOSS, h, g_strdup_printf ("%s/loss", names[h]));
      if (kinds[h] == MH_FIELD_CLASS)
        add_column (log, COL_METRIC, h, g_strdup_printf ("%s/accuracy", names[h]));
      add_column (log, COL_WEIGHT, h, g_strdup_printf ("%s/weight", names[h]));
      add_column (log, COL_GRAD_NORM, h, g_strdup_printf ("%s/grad_norm", names[h]));
    }
  for (int a = 0; a < nh; a++)
    for (int b = a + 1; b < nh; b++)
      add_column (log, COL_COSINE, mh_trainer_pair_index (nh, a, b),
                  g_strdup_printf ("cos/%s/%s", names[a], names[b]));
  for (int h = 0; h < nh; h++)
    {
      add_column (log, COL_VAL_LOSS, h, g_strdup_printf ("%s/val_loss", names[h]));
      switch (kinds[h])
        {
        case MH_FIELD_CLASS:
          add_column (log, COL_VAL_ACCURACY, h, g_strdup_printf ("%s/val_accuracy", names[h]));
          break;
        case MH_FIELD_LABELS:
          add_column (log, COL_VAL_F1, h, g_strdup_printf ("%s/val_f1", names[h]));
          break;
        case MH_FIELD_NUMBERS:
        default:
          add_column (log, COL_VAL_IOU, h, g_strdup_printf ("%s/val_iou", names[h]));
          add_column (log, COL_VAL_MAE, h, g_strdup_printf ("%s/val_mae", names[h]));
          break;
        }
    }
  return log;
}

void
mh_train_log_free (MhTrainLog *log)
{
  if (log == NULL)
    return;
  g_ptr_array_unref (log->columns);
  g_free (log);
}

static double
row_value (const Column *c, const MhStepRows *rows, int r)
{
  int nh = rows->n_heads;

  switch (c->kind)
    {
    case COL_STEP: return rows->step[r];
    case COL_EPOCH: return rows->epoch[r] + 1;
    case COL_TOTAL: return rows->total[r];
    case COL_LOSS: return rows->loss[r * nh + c->head];
    case COL_METRIC: return rows->metric[r * nh + c->head];
    case COL_WEIGHT: return rows->weight[r * nh + c->head];
    case COL_GRAD_NORM: return rows->grad_norm[r * nh + c->head];
    case COL_COSINE: return rows->cosine[r * rows->n_pairs + c->head];
    case COL_VAL_LOSS: case COL_VAL_ACCURACY: case COL_VAL_F1: case COL_VAL_IOU: case COL_VAL_MAE:
    case COL_OTHER:
    default:
      return NAN;
    }
}

static double
validation_value (const Column *c, const MhHeadMetrics *m)
{
  switch (c->kind)
    {
    case COL_VAL_LOSS: return m[c->head].loss;
    case COL_VAL_ACCURACY: return m[c->head].accuracy;
    case COL_VAL_F1: return m[c->head].f1_macro;
    case COL_VAL_IOU: return m[c->head].iou;
    case COL_VAL_MAE: return m[c->head].mae;
    case COL_STEP: case COL_EPOCH: case COL_TOTAL: case COL_LOSS: case COL_METRIC:
    case COL_WEIGHT: case COL_GRAD_NORM: case COL_COSINE: case COL_OTHER:
    default:
      return NAN;
    }
}

void
mh_train_log_add_rows (MhTrainLog *log, const MhStepRows *rows)
{
  if (rows->n_heads != log->n_heads || rows->n == 0)
    return;
  for (guint i = 0; i < log->columns->len; i++)
    {
      Column *c = log->columns->pdata[i];
      for (int r = 0; r < rows->n; r++)
        {
          double v = row_value (c, rows, r);
          g_array_append_val (c->values, v);
        }
    }
  log->n_rows += rows->n;
}

void
mh_train_log_set_validation (MhTrainLog *log, int step, const MhHeadMetrics *validation)
{
  GArray *steps;
  guint row;

  if (validation == NULL || log->n_rows == 0 || log->n_heads == 0)
    return;
  steps = ((Column *) log->columns->pdata[COL_STEP])->values;
  row = log->n_rows - 1;
  while (row > 0 && g_array_index (steps, double, row) > step)
    row--;
  for (guint i = 0; i < log->columns->len; i++)
    {
      Column *c = log->columns->pdata[i];
      if (c->kind >= COL_VAL_LOSS && c->kind <= COL_VAL_MAE)
        g_array_index (c->values, double, row) = validation_value (c, validation);
    }
}

void
mh_train_log_add (MhTrainLog *log, const MhTrainerEvent *e)
{
  if (e->n_heads != log->n_heads)
    return;
  if (e->kind == MH_TRAINER_EVENT_PROGRESS)
    {
      /* the event's arrays have the rows' layout */
      MhStepRows rows = {
        .n = e->n_rows, .cap = e->n_rows, .n_heads = e->n_heads, .n_pairs = e->n_pairs,
        .step = e->row_step, .epoch = e->row_epoch, .loss = e->row_loss, .metric = e->row_metric,
        .total = e->row_total, .weight = e->row_weight, .grad_norm = e->row_grad_norm,
        .cosine = e->row_cosine,
      };
      mh_train_log_add_rows (log, &rows);
    }
  else if (e->kind == MH_TRAINER_EVENT_EPOCH)
    mh_train_log_set_validation (log, e->step, e->validation);
}

guint
mh_train_log_get_n_rows (const MhTrainLog *log)
{
  return log->n_rows;
}

guint
mh_train_log_get_n_columns (const MhTrainLog *log)
{
  return log->columns->len;
}

const char *
mh_train_log_column_name (const MhTrainLog *log, guint column)
{
  g_return_val_if_fail (column < log->columns->len, NULL);
  return ((Column *) log->columns->pdata[column])->name;
}

int
mh_train_log_find_column (const MhTrainLog *log, const char *name)
{
  for (guint i = 0; i < log->columns->len; i++)
    if (g_strcmp0 (((Column *) log->columns->pdata[i])->name, name) == 0)
      return (int) i;
  return -1;
}

double
mh_train_log_get (const MhTrainLog *log, guint row, guint column)
{
  g_return_val_if_fail (column < log->columns->len && row < log->n_rows, NAN);
  return g_array_index (((Column *) log->columns->pdata[column])->values, double, row);
}


/* A CSV cell: quoted when it holds a comma, a quote or a line break. */
static void
append_cell (GString *s, const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

char *
mh_train_log_to_csv (const MhTrainLog *log, gsize *len)
{
  GString *s = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < log->columns->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      append_cell (s, ((Column *) log->columns->pdata[i])->name);
    }
  g_string_append_c (s, '\n');
  for (guint r = 0; r < log->n_rows; r++)
    {
      for (guint i = 0; i < log->columns->len; i++)
        {
          double v = g_array_index (((Column *) log->columns->pdata[i])->values, double, r);
          if (i > 0)
            g_string_append_c (s, ',');
          if (((Column *) log->columns->pdata[i])->kind <= COL_EPOCH && isfinite (v))
            g_string_append_printf (s, "%.0f", v);
          else if (isfinite (v))
            g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
        }
      g_string_append_c (s, '\n');
    }
  if (len != NULL)
    *len = s->len;
  return g_string_free (s, FALSE);
}

gboolean
mh_train_log_save_csv (const MhTrainLog *log, const char *path, GError **error)
{
  gsize len;
  g_autofree char *text = mh_train_log_to_csv (log, &len);

  return mh_save_contents (path, MH_FILE_KIND_TEXT, text, len, MH_SAVE_DEFAULT, error);
}

static ColumnKind
kind_of_name (const char *name)
{
  if (strcmp (name, "step") == 0)
    return COL_STEP;
  if (strcmp (name, "epoch") == 0)
    return COL_EPOCH;
  if (strcmp (name, "total_loss") == 0)
    return COL_TOTAL;
  return COL_OTHER;
}

MhTrainLog *
mh_train_log_from_csv (const char *text, gsize len, const char *where, GError **error)
{
  g_autoptr (GArray) rows = mh_csv_parse (text, len, where, error);
  g_autoptr (MhTrainLog) log = NULL;
  MhCsvRow *header;
  guint n_cols;

  if (rows == NULL)
    return NULL;
  if (rows->len == 0 || g_strcmp0 (g_array_index (rows, MhCsvRow, 0).cells[0], "step") != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: not a metrics log (its first column is not 'step')"),
                   where);
      return NULL;
    }
  log = log_new ();
  header = &g_array_index (rows, MhCsvRow, 0);
  n_cols = g_strv_length (header->cells);
  for (guint i = 0; i < n_cols; i++)
    add_column (log, kind_of_name (header->cells[i]), -1, g_strdup (header->cells[i]));
  for (guint r = 1; r < rows->len; r++)
    {
      MhCsvRow *row = &g_array_index (rows, MhCsvRow, r);
      if (g_strv_length (row->cells) != n_cols)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s:%d: %u cells, the header has %u (a cut-off file?)"),
                       where, row->line, g_strv_length (row->cells), n_cols);
          return NULL;
        }
      for (guint i = 0; i < n_cols; i++)
        {
          const char *cell = row->cells[i];
          char *end = NULL;
          double v = *cell ? g_ascii_strtod (cell, &end) : NAN;
          if (*cell && (end == cell || *end != '\0'))
            {
              g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s:%d: column '%s' holds '%s', not a number"),
                           where, row->line, header->cells[i], cell);
              return NULL;
            }
          g_array_append_val (((Column *) log->columns->pdata[i])->values, v);
        }
      log->n_rows++;
    }
  return g_steal_pointer (&log);
}
