/* mh-save-cairo.h — cairo drawings saved through mh-save.h (atomic, never
 * over an input or a file of another kind): PNG from an image surface.
 * cairo's own cairo_surface_write_to_png() writes in place. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

gboolean         mh_save_png (const char *path, cairo_surface_t *surface, GError **error);

G_END_DECLS
