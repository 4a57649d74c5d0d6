/* mh-image.h — an image file as a model's input: decoded with gdk-pixbuf,
 * turned by its EXIF orientation, stretched to the input's H × W (bilinear),
 * alpha composed over black, made grey (ITU-R 601 luma) or RGB, channels-last
 * bytes — the image folder's way (mh-dataset-image-folder.c) — then scaled x/255 as
 * every batch is.
 *
 * The limits hold for what is decoded, not only for the file's header: the
 * file must be a regular file of at most MH_IMAGE_MAX_FILE bytes; its loader
 * is stopped in "size-prepared" (before it allocates the pixels) when the
 * image is larger than MH_IMAGE_MAX_SIDE on a side or MH_IMAGE_MAX_PIXELS
 * in all; an SVG's embedded images (data: URIs) are measured the same way
 * before it is drawn, and an SVG that loads other files or nests SVGs is
 * refused.
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>
#include "mh-tensor-shape.h"

G_BEGIN_DECLS

#define MH_IMAGE_MAX_SIDE   16384
#define MH_IMAGE_MAX_PIXELS (64 * 1024 * 1024)
#define MH_IMAGE_MAX_FILE   ((guint64) 256 << 20)

/* The file decoded within the limits above (not yet oriented); errors name
 * the file: MH_ERROR_IO (cannot be read), MH_ERROR_FORMAT (not an image,
 * damaged), MH_ERROR_INVALID (over the limits). */
GdkPixbuf *mh_image_decode (const char *path, GError **error);

/* Into out[H·W·C] (shape: H × W × C, C 1 or 3).  *width, *height (may be
 * NULL): the file's own size.  Errors name the file. */
gboolean mh_image_load_bytes (const char *path, MhShape shape, guint8 *out, int *width,
                              int *height, GError **error);
/* The same as floats x/255: the model's input for one sample. */
gboolean mh_image_load_input (const char *path, MhShape shape, float *x, int *width,
                              int *height, GError **error);
/* The same, returning the decoded, oriented image (its own size) the input
 * was made of, for showing it: the file is read and decoded once, within
 * the limits (never again by a loader that does not check them). */
GdkPixbuf *mh_image_load_input_pixbuf (const char *path, MhShape shape, float *x, GError **error);

G_END_DECLS
