/* mh-teach.c — the glue between the window and teaching (mh-teach.h). */
#include <glib/gi18n.h>
#include "mh-edits.h"
#include "mh-file-chooser.h"
#include "mh-teach.h"
#include "mh-teach-highlight.h"

#define CARD_MARGIN 16

typedef struct {
  MhWindow       *window;    /* not a reference: the window owns this */
  AdwFlap        *flap;
  MhLearnPanel   *panel;
  MhLessonCard   *card;
  GtkWidget      *highlight;
  MhLessonRunner *runner;
  gboolean        open;      /* the Learn panel as the user left it */
  gboolean        folded;    /* the flap's fold as last seen */
} MhTeach;

static MhTeach *
teach_of (MhWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "mh-teach");
}

static void
teach_free (gpointer data)
{
  MhTeach *t = data;

  if (t->runner != NULL)
    g_signal_handlers_disconnect_by_data (t->runner, t);
  g_clear_object (&t->runner);
  g_free (t);
}

/* ---- the card beside the highlight ------------------------------------------------ */

/* The corner for the card that keeps clear of the target: the first of
 * bottom-right, bottom-left, top-right, top-left that does not cover it. */
static void
place_card (MhTeach *t)
{
  static const GtkAlign corners[][2] = {
    { GTK_ALIGN_END, GTK_ALIGN_END }, { GTK_ALIGN_START, GTK_ALIGN_END },
    { GTK_ALIGN_END, GTK_ALIGN_START }, { GTK_ALIGN_START, GTK_ALIGN_START },
  };
  GtkWidget *card = GTK_WIDGET (t->card);
  GtkWidget *over = gtk_widget_get_parent (card);
  graphene_rect_t target;
  int width, height, cw, ch;
  guint pick = 0;

  if (over == NULL)
    return;
  width = gtk_widget_get_width (over);
  height = gtk_widget_get_height (over);
  gtk_widget_measure (card, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &cw, NULL, NULL);
  gtk_widget_measure (card, GTK_ORIENTATION_VERTICAL, cw, NULL, &ch, NULL, NULL);
  if (mh_teach_highlight_get_bounds (MH_TEACH_HIGHLIGHT (t->highlight), &target))
    for (pick = 0; pick < G_N_ELEMENTS (corners); pick++)
      {
        double x = corners[pick][0] == GTK_ALIGN_END ? width - CARD_MARGIN - cw : CARD_MARGIN;
        double y = corners[pick][1] == GTK_ALIGN_END ? height - CARD_MARGIN - ch : CARD_MARGIN + 48;
        graphene_rect_t r = GRAPHENE_RECT_INIT (x, y, cw, ch);
        if (!graphene_rect_intersection (&r, &target, NULL))
          break;
      }
  if (pick == G_N_ELEMENTS (corners))
    pick = 0;
  gtk_widget_set_halign (card, corners[pick][0]);
  gtk_widget_set_valign (card, corners[pick][1]);
}

static void
runner_changed (MhTeach *t)
{
  const MhLessonStep *step = t->runner ? mh_lesson_runner_get_step (t->runner) : NULL;

  mh_teach_highlight_set_target (MH_TEACH_HIGHLIGHT (t->highlight), step ? step->target : NULL);
  place_card (t);
}

static void
end_lesson (MhTeach *t)
{
  if (t->runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (t->runner, t);
      mh_lesson_runner_stop (t->runner);
    }
  g_clear_object (&t->runner);
  mh_lesson_card_set_runner (t->card, NULL);
  mh_teach_highlight_set_target (MH_TEACH_HIGHLIGHT (t->highlight), NULL);
}

static void
runner_finished (MhTeach *t)
{
  g_autofree char *message = g_strdup_printf (_("Lesson finished: %s"),
                                              _(mh_lesson_runner_get_lesson (t->runner)->title));

  end_lesson (t);
  mh_window_toast (t->window, message);
}

/* ---- starting a lesson ---------------------------------------------------------- */

typedef struct {
  MhLesson *lesson;
  gboolean  owned;
} Pending;

static void
begin (MhTeach *t, MhLesson *lesson, gboolean owned)
{
  end_lesson (t);
  if (lesson->example != NULL && mh_edits_get_examples_dir () != NULL)
    {
      g_autofree char *path = g_build_filename (mh_edits_get_examples_dir (), lesson->example, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      mh_window_open_default (t->window, file);
    }
  t->open = FALSE;
  adw_flap_set_reveal_flap (t->flap, FALSE);
  t->runner = mh_lesson_runner_new (t->window, lesson, owned);
  g_signal_connect_swapped (t->runner, "changed", G_CALLBACK (runner_changed), t);
  g_signal_connect_swapped (t->runner, "finished", G_CALLBACK (runner_finished), t);
  mh_lesson_card_set_runner (t->card, t->runner);
  mh_lesson_runner_start (t->runner);
}

static void
confirm_response (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  Pending *p = data;
  MhWindow *window = MH_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));

  if (g_strcmp0 (response, "start") == 0 && window != NULL)
    {
      begin (teach_of (window), p->lesson, p->owned);
      p->owned = FALSE;
    }
  if (p->owned)
    mh_lesson_free (p->lesson);
  g_free (p);
}

void
mh_teach_start_lesson (MhWindow *window, MhLesson *lesson, gboolean owned)
{
  MhTeach *t = teach_of (window);
  MhDocument *document = mh_window_get_document (window);
  GtkWidget *dialog;
  Pending *p;

  g_return_if_fail (t != NULL);
  if (lesson->example == NULL || document == NULL || !mh_document_get_modified (document))
    {
      begin (t, lesson, owned);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Start the Lesson?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The lesson opens the example %s as a new project. The changes to this "
                                    "project that are not saved will be lost."), lesson->example);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "start", _("_Discard and Start"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start", ADW_RESPONSE_DESTRUCTIVE);
  p = g_new0 (Pending, 1);
  p->lesson = lesson;
  p->owned = owned;
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response), p);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- actions ---------------------------------------------------------------------- */

static void
change_learn (GSimpleAction *action, GVariant *state, gpointer data)
{
  MhTeach *t = teach_of (MH_WINDOW (data));

  g_simple_action_set_state (action, state);
  t->open = g_variant_get_boolean (state);
  adw_flap_set_reveal_flap (t->flap, t->open);
}

/* An AdwFlap that folds or unfolds hides or shows its flap by itself
 * (before it notifies "folded"); the Learn panel stays as the user left it. */
static void
flap_folded (AdwFlap *flap, GParamSpec *pspec, MhWindow *window)
{
  MhTeach *t = teach_of (window);

  t->folded = adw_flap_get_folded (flap);
  if (adw_flap_get_reveal_flap (flap) != t->open)
    adw_flap_set_reveal_flap (flap, t->open);
}

static void
flap_revealed (AdwFlap *flap, GParamSpec *pspec, MhWindow *window)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (window), "learn");
  MhTeach *t = teach_of (window);

  if (adw_flap_get_folded (flap) == t->folded)   /* not the fold's doing */
    t->open = adw_flap_get_reveal_flap (flap);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (adw_flap_get_reveal_flap (flap)));
}

static void
action_explain (GSimpleAction *action, GVariant *param, gpointer data)
{
  MhTeach *t = teach_of (MH_WINDOW (data));

  mh_learn_panel_show_topic (t->panel, g_variant_get_string (param, NULL));
  t->open = TRUE;
  adw_flap_set_reveal_flap (t->flap, TRUE);
}

static void
action_start_lesson (GSimpleAction *action, GVariant *param, gpointer data)
{
  const MhLesson *lesson = mh_lessons_find_builtin (g_variant_get_string (param, NULL));

  if (lesson != NULL)
    mh_teach_start_lesson (MH_WINDOW (data), (MhLesson *) lesson, FALSE);
}

static void
lesson_file_chosen (GtkNativeDialog *native, int response, MhWindow *window)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  MhLesson *lesson;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      path = g_file_get_path (file);
      lesson = path != NULL ? mh_lesson_load_file (path, &error) : NULL;
      if (lesson != NULL)
        mh_teach_start_lesson (window, lesson, TRUE);
      else
        mh_window_show_error (window, _("The lesson could not be opened"),
                              error != NULL ? error->message : _("The file is not on this computer."));
    }
  g_object_unref (native);
}

static void
action_open_lesson (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Lessons"));
  gtk_file_filter_add_pattern (filter, "*.lesson.xml");
  mh_file_chooser_show (GTK_WIDGET (data), _("Open a Lesson"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), NULL,
                        filter, FALSE, G_CALLBACK (lesson_file_chosen), data);
}

static void
action_stop_lesson (GSimpleAction *action, GVariant *param, gpointer data)
{
  end_lesson (teach_of (MH_WINDOW (data)));
}

/* ---- public ------------------------------------------------------------------------ */

GtkWidget *
mh_teach_help_button_new (const char *topic)
{
  GtkWidget *button = gtk_button_new_with_label ("?");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "mh-help-button");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("What is this? (opens the Learn panel)"));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", topic);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.explain");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Explain"), -1);
  return button;
}

void
mh_teach_class_init (GtkWidgetClass *window_class)
{
  /* found with gtk_widget_get_template_child(); no field of the window's */
  gtk_widget_class_bind_template_child_full (window_class, "learn_flap", FALSE, 0);
  gtk_widget_class_bind_template_child_full (window_class, "teach_overlay", FALSE, 0);
  gtk_widget_class_bind_template_child_full (window_class, "learn_button", FALSE, 0);
}

void
mh_teach_install (MhWindow *window)
{
  static const GActionEntry entries[] = {
    { "learn", NULL, NULL, "false", change_learn, { 0 } },
    { "explain", action_explain, "s", NULL, NULL, { 0 } },
    { "start-lesson", action_start_lesson, "s", NULL, NULL, { 0 } },
    { "open-lesson", action_open_lesson, NULL, NULL, NULL, { 0 } },
    { "stop-lesson", action_stop_lesson, NULL, NULL, NULL, { 0 } },
  };
  MhTeach *t = g_new0 (MhTeach, 1);
  GtkOverlay *overlay = GTK_OVERLAY (gtk_widget_get_template_child (GTK_WIDGET (window), MH_TYPE_WINDOW,
                                                                    "teach_overlay"));

  t->window = window;
  t->flap = ADW_FLAP (gtk_widget_get_template_child (GTK_WIDGET (window), MH_TYPE_WINDOW, "learn_flap"));
  g_object_set_data_full (G_OBJECT (window), "mh-teach", t, teach_free);
  g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries), window);

  t->panel = MH_LEARN_PANEL (mh_learn_panel_new ());
  gtk_widget_set_name (GTK_WIDGET (t->panel), "learn-panel");
  gtk_widget_set_size_request (GTK_WIDGET (t->panel), 340, -1);
  adw_flap_set_flap (t->flap, GTK_WIDGET (t->panel));
  t->open = adw_flap_get_reveal_flap (t->flap);
  t->folded = adw_flap_get_folded (t->flap);
  g_signal_connect_object (t->flap, "notify::reveal-flap", G_CALLBACK (flap_revealed), window, 0);
  g_signal_connect_object (t->flap, "notify::folded", G_CALLBACK (flap_folded), window, 0);

  t->highlight = mh_teach_highlight_new (window);
  gtk_overlay_add_overlay (overlay, t->highlight);
  g_signal_connect_swapped (t->highlight, "moved", G_CALLBACK (place_card), t);
  t->card = MH_LESSON_CARD (mh_lesson_card_new ());
  gtk_widget_set_name (GTK_WIDGET (t->card), "lesson-card");
  gtk_widget_set_margin_start (GTK_WIDGET (t->card), CARD_MARGIN);
  gtk_widget_set_margin_end (GTK_WIDGET (t->card), CARD_MARGIN);
  gtk_widget_set_margin_top (GTK_WIDGET (t->card), CARD_MARGIN + 48);   /* below the header bar */
  gtk_widget_set_margin_bottom (GTK_WIDGET (t->card), CARD_MARGIN);
  gtk_widget_set_size_request (GTK_WIDGET (t->card), 360, -1);
  gtk_overlay_add_overlay (overlay, GTK_WIDGET (t->card));
  place_card (t);
}

MhLessonRunner *
mh_teach_get_runner (MhWindow *window)
{
  return teach_of (window)->runner;
}

MhLearnPanel *
mh_teach_get_panel (MhWindow *window)
{
  return teach_of (window)->panel;
}

MhLessonCard *
mh_teach_get_card (MhWindow *window)
{
  return teach_of (window)->card;
}

GtkWidget *
mh_teach_get_highlight (MhWindow *window)
{
  return teach_of (window)->highlight;
}
