/* mh-format.h — numbers as the window shows them: with the decimal and
 * thousands separators of the language it speaks ("0,25" and "12.345" in
 * German), never in a file written (those stay in the C locale: LC_NUMERIC
 * is "C" for the whole process, mh-i18n.h).  Plain GLib. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The separators of the window's language (from its translation). */
const char *mh_format_decimal_point (void);
const char *mh_format_thousands    (void);

/* printf for labels: every floating-point conversion (%f %g %e, any flags,
 * width and precision) gets the language's decimal separator, and the '
 * flag on %d/%u/%f groups thousands; everything else is g_strdup_printf's. */
char *mh_format (const char *format, ...) G_GNUC_PRINTF (1, 2);
char *mh_format_valist (const char *format, va_list args) G_GNUC_PRINTF (1, 0);

/* Rewrites a number printed in the C locale ("-12345.678", "1e-05") with
 * the language's separators, grouping the integer part when `group`. */
char *mh_format_localise (const char *c_number, gboolean group);

G_END_DECLS
