/* mh-label-columns.h — the label columns of a CSV, shared by the image
 * folder (labels.csv) and the sensor CSV: each column is one field.
 *
 * A column's kind is written in its header ("name:class", "name:labels",
 * "name:numbers", "name:box") or inferred from its cells: any cell with ';'
 * → a label set (the names are all those used); every cell numbers
 * (separated by spaces, as many on every row) → numbers; else → classes (the
 * names sorted).  Mistakes are errors naming the CSV, the line, the column
 * and the cell.
 */
#pragma once

#include <glib.h>
#include "mh-dataset.h"

G_BEGIN_DECLS

enum { MH_LABEL_CLASS, MH_LABEL_LABELS, MH_LABEL_NUMBERS, MH_LABEL_BOX, MH_LABEL_INFER };

typedef struct {
  const char *csv;      /* for messages: the CSV's path */
  GArray     *rows;     /* MhCsvRow; rows[0] is the header */
  int         col;
  int         kind;     /* MH_LABEL_* */
  int         dim;
  char      **names;    /* sorted: classes or labels; free with g_strfreev() */
} MhLabelColumn;

/* Sets "CSV:LINE: column N ('HEADER'): 'CELL' MESSAGE" (cell may be NULL) and returns FALSE. */
gboolean mh_label_column_fail (GError **error, const MhLabelColumn *c, int line, const char *cell,
                               const char *format, ...) G_GNUC_PRINTF (5, 6);
/* The header cell of c->col: the field's name (free it) and the kind it writes. */
gboolean mh_label_column_header (MhLabelColumn *c, char **name, GError **error);
/* Reads every data row's cell: infers the kind (if need be), checks the cells, collects the names. */
gboolean mh_label_column_read (MhLabelColumn *c, GError **error);
/* Sets up field f for n samples, sample i being CSV row row_of[i] (row_of NULL: i + 1). */
void     mh_label_column_to_field (const MhLabelColumn *c, MhField *f, int n, const char *name,
                                   const guint *row_of);
/* The numbers of a cell (separated by spaces), or −1 if it is not numbers (out: up to max). */
int      mh_label_parse_numbers (const char *cell, float *out, int max);

G_END_DECLS
