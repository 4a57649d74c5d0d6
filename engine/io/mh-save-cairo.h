/* mh-save-cairo.h — cairo drawings saved through mh-save.h (atomic, never
 * over an input or a file of another kind): PNG from an image surface, SVG
 * and PDF from a surface whose bytes are kept until they are saved.
 * cairo's own cairo_surface_write_to_png() and cairo_svg_surface_create()
 * write in place. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

gboolean         mh_save_png (const char *path, cairo_surface_t *surface, GError **error);

typedef enum { MH_VECTOR_SVG, MH_VECTOR_PDF } MhVectorKind;

/* A width × height (points) SVG or PDF surface drawing into memory. */
cairo_surface_t *mh_save_vector_surface (MhVectorKind kind, double width, double height);
/* Finishes the surface, saves what it drew to `path` and destroys it. */
gboolean         mh_save_vector_finish (cairo_surface_t *surface, const char *path, GError **error);

G_END_DECLS
