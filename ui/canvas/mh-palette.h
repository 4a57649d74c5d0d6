/* mh-palette.h — the blocks one can add: data sources, backbones, heads.
 * Drag a row onto the canvas, or activate it (Enter, click) to add the block
 * at a free spot. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MH_TYPE_PALETTE (mh_palette_get_type ())
G_DECLARE_FINAL_TYPE (MhPalette, mh_palette, MH, PALETTE, GtkWidget)

GtkWidget *mh_palette_new (void);
/* Re-check which items can be added (the examples they come from). */
void       mh_palette_refresh (MhPalette *self);

G_END_DECLS
