/* mh-row-report.h — the rows of a data file that were left out, summarised:
 * a count per reason and the first few rows of each named, so that 10,000
 * broken rows make a few lines, not 10,000.
 *
 *   g_autoptr(MhRowReport) r = mh_row_report_new ("photos/labels.csv");
 *   mh_row_report_add (r, 12, "the file is not an image", "cat.txt");
 *   …
 *   lines = mh_row_report_lines (r, MH_ROW_REPORT_NAMED);
 *   → "photos/labels.csv: 9000 rows left out: the file is not an image
 *      (line 12 'cat.txt', line 13 'dog.txt', line 20 'x.txt', and 8997 more)"
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_ROW_REPORT_NAMED 3

typedef struct _MhRowReport MhRowReport;

MhRowReport *mh_row_report_new (const char *file);
void         mh_row_report_free (MhRowReport *r);
/* A row left out: its 1-based line, why (the same text groups rows), and
 * what it held (a file name; may be NULL). */
void         mh_row_report_add (MhRowReport *r, int line, const char *reason, const char *detail);
guint        mh_row_report_count (const MhRowReport *r);
/* One line per reason, in the order the reasons first came, each naming up
 * to `named` rows; free with g_ptr_array_unref(). */
GPtrArray   *mh_row_report_lines (const MhRowReport *r, guint named);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhRowReport, mh_row_report_free)

G_END_DECLS
