/* mh-window-private.h — shared by mh-window.c and mh-window-actions.c. */
#pragma once

#include "mh-inspector.h"
#include "mh-palette.h"
#include "mh-window.h"

G_BEGIN_DECLS

struct _MhWindow
{
  AdwApplicationWindow  parent_instance;

  MhDocument           *document;
  gboolean              is_default;   /* the untouched default project: replace it freely */
  GSettings            *settings;
  GMenu                *recent_menu;

  /* template children */
  AdwToastOverlay      *toasts;
  AdwWindowTitle       *title;
  GtkRevealer          *banner;
  GtkLabel             *banner_label;
  MhPalette            *palette;
  MhCanvas             *canvas;
  MhInspector          *inspector;
  GtkRevealer          *inspector_revealer;
  GtkLabel             *zoom_label;
  GtkMenuButton        *menu_button;
};

/* mh-window.c */
void mh_window_set_document   (MhWindow *self, MhDocument *document);

/* mh-window-actions.c */
void _mh_window_install_actions (MhWindow *self);
void _mh_window_update_actions  (MhWindow *self);
void _mh_window_update_recent   (MhWindow *self);
/* Run `then` once the user has saved or discarded the changes (at once if none). */
void _mh_window_confirm_discard (MhWindow *self, void (*then) (MhWindow *self, gpointer data),
                                 gpointer data, GDestroyNotify destroy);

G_END_DECLS
