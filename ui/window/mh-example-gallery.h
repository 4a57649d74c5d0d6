/* mh-example-gallery.h — New from Example: the example projects as cards,
 * each with its model drawn small (a canvas) and one line on what it
 * teaches (resources/examples/gallery.json).  Choosing one emits "chosen"
 * with the example's path; the window opens it as a new, unsaved project. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_TYPE_EXAMPLE_GALLERY (mh_example_gallery_get_type ())
G_DECLARE_FINAL_TYPE (MhExampleGallery, mh_example_gallery, MH, EXAMPLE_GALLERY, AdwWindow)

/* The examples of `dir` (every *.mhproj in it, those gallery.json names
 * first, in its order), over `parent`. */
MhExampleGallery *mh_example_gallery_new      (GtkWindow *parent, const char *dir);
guint             mh_example_gallery_get_n    (MhExampleGallery *self);
/* Example `i`: its path, title and lesson (NULL when gallery.json has none). */
const char       *mh_example_gallery_get_path   (MhExampleGallery *self, guint i);
const char       *mh_example_gallery_get_lesson (MhExampleGallery *self, guint i);
/* As a click on card `i` does. */
void              mh_example_gallery_choose   (MhExampleGallery *self, guint i);

G_END_DECLS
