/* mh-lesson-card.c — the lesson's card (mh-lesson-card.h). */
#include <glib/gi18n.h>
#include "mh-explanations.h"
#include "mh-lesson-card.h"

struct _MhLessonCard
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkWidget      *lesson_label, *count_label, *title_label, *say_label;
  GtkWidget      *notice_revealer, *notice_label, *status_label, *explain_button;
  GtkWidget      *back, *show_me, *next, *close;
  MhLessonRunner *runner;
};

G_DEFINE_FINAL_TYPE (MhLessonCard, mh_lesson_card, GTK_TYPE_WIDGET)

static void
update (MhLessonCard *self)
{
  const MhLessonStep *step = self->runner ? mh_lesson_runner_get_step (self->runner) : NULL;
  const MhLesson *lesson;
  const MhTopic *topic;
  gboolean done, last;
  int index, n;
  g_autofree char *count = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), step != NULL);
  if (step == NULL)
    return;
  lesson = mh_lesson_runner_get_lesson (self->runner);
  index = mh_lesson_runner_get_index (self->runner);
  n = (int) lesson->steps->len;
  done = mh_lesson_runner_get_done (self->runner);
  last = index + 1 == n;
  /* TRANSLATORS: the lesson's progress, "Step 2 of 7" */
  count = g_strdup_printf (_("Step %d of %d"), index + 1, n);
  gtk_label_set_text (GTK_LABEL (self->lesson_label), _(lesson->title));
  gtk_label_set_text (GTK_LABEL (self->count_label), count);
  gtk_label_set_text (GTK_LABEL (self->title_label), _(step->title));
  gtk_label_set_text (GTK_LABEL (self->say_label), _(step->say));
  gtk_label_set_text (GTK_LABEL (self->notice_label), step->notice ? _(step->notice) : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->notice_revealer), done && step->notice != NULL);
  if (mh_lesson_runner_get_problem (self->runner) != NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->status_label), mh_lesson_runner_get_problem (self->runner));
      gtk_widget_add_css_class (self->status_label, "error");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->status_label),
                          step->wait->len == 0 ? "" : done ? _("✓ Done.") : _("Waiting for you… or press Show Me."));
      gtk_widget_remove_css_class (self->status_label, "error");
    }
  gtk_widget_set_visible (self->status_label, *gtk_label_get_text (GTK_LABEL (self->status_label)) != '\0');
  topic = mh_explanations_lookup (mh_explanations_get_default (), step->explain);
  gtk_widget_set_visible (self->explain_button, topic != NULL);
  if (topic != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("About: %s"), _(topic->title));
      gtk_button_set_label (GTK_BUTTON (self->explain_button), label);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->explain_button), "s", topic->id);
    }
  gtk_widget_set_sensitive (self->back, index > 0);
  gtk_widget_set_sensitive (self->show_me, !done && step->show_me->len > 0);
  gtk_widget_set_sensitive (self->next, done);
  gtk_button_set_label (GTK_BUTTON (self->next), last ? _("_Finish") : _("_Next"));
  if (done)
    gtk_widget_add_css_class (self->next, "suggested-action");
  else
    gtk_widget_remove_css_class (self->next, "suggested-action");
}

static void
back_clicked (MhLessonCard *self)
{
  mh_lesson_runner_back (self->runner);
}

static void
show_me_clicked (MhLessonCard *self)
{
  mh_lesson_runner_show_me (self->runner);
}

static void
next_clicked (MhLessonCard *self)
{
  mh_lesson_runner_next (self->runner);
}

void
mh_lesson_card_set_runner (MhLessonCard *self, MhLessonRunner *runner)
{
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_set_object (&self->runner, runner);
  if (runner != NULL)
    g_signal_connect_object (runner, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

GtkWidget *
mh_lesson_card_get_button (MhLessonCard *self, const char *which)
{
  if (g_str_equal (which, "back"))
    return self->back;
  if (g_str_equal (which, "show-me"))
    return self->show_me;
  if (g_str_equal (which, "next"))
    return self->next;
  if (g_str_equal (which, "close"))
    return self->close;
  return NULL;
}

GtkWidget *
mh_lesson_card_new (void)
{
  return g_object_new (MH_TYPE_LESSON_CARD, NULL);
}

static GtkWidget *
wrapped (const char *css)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 44);
  gtk_label_set_width_chars (GTK_LABEL (label), 30);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

static void
mh_lesson_card_dispose (GObject *object)
{
  MhLessonCard *self = MH_LESSON_CARD (object);

  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_lesson_card_parent_class)->dispose (object);
}

static void
mh_lesson_card_class_init (MhLessonCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_lesson_card_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-lesson-card");
}

static void
mh_lesson_card_init (MhLessonCard *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *notice = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name ("starred-symbolic");
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (self->box, "card");
  gtk_widget_add_css_class (self->box, "mh-lesson-card");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->lesson_label = wrapped ("caption-heading");
  gtk_widget_add_css_class (self->lesson_label, "dim-label");
  gtk_widget_set_hexpand (self->lesson_label, TRUE);
  gtk_label_set_width_chars (GTK_LABEL (self->lesson_label), 10);
  self->count_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->count_label, "caption");
  gtk_widget_add_css_class (self->count_label, "dim-label");
  gtk_widget_add_css_class (self->count_label, "numeric");
  self->close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (self->close, "flat");
  gtk_widget_add_css_class (self->close, "circular");
  gtk_widget_set_tooltip_text (self->close, _("End the lesson"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->close), "win.stop-lesson");
  gtk_box_append (GTK_BOX (top), self->lesson_label);
  gtk_box_append (GTK_BOX (top), self->count_label);
  gtk_box_append (GTK_BOX (top), self->close);
  gtk_box_append (GTK_BOX (self->box), top);

  self->title_label = wrapped ("title-4");
  self->say_label = wrapped (NULL);
  gtk_box_append (GTK_BOX (self->box), self->title_label);
  gtk_box_append (GTK_BOX (self->box), self->say_label);

  self->notice_label = wrapped (NULL);
  gtk_widget_set_hexpand (self->notice_label, TRUE);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (notice, "mh-lesson-notice");
  gtk_box_append (GTK_BOX (notice), icon);
  gtk_box_append (GTK_BOX (notice), self->notice_label);
  self->notice_revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->notice_revealer), notice);
  gtk_box_append (GTK_BOX (self->box), self->notice_revealer);

  self->status_label = wrapped ("dim-label");
  gtk_box_append (GTK_BOX (self->box), self->status_label);

  self->explain_button = gtk_button_new ();
  gtk_widget_add_css_class (self->explain_button, "flat");
  gtk_widget_set_halign (self->explain_button, GTK_ALIGN_START);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->explain_button), "s", "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->explain_button), "win.explain");
  gtk_box_append (GTK_BOX (self->box), self->explain_button);

  self->back = gtk_button_new_with_mnemonic (_("_Back"));
  self->show_me = gtk_button_new_with_mnemonic (_("_Show Me"));
  self->next = gtk_button_new_with_mnemonic (_("_Next"));
  gtk_widget_set_hexpand (spacer, TRUE);
  g_signal_connect_swapped (self->back, "clicked", G_CALLBACK (back_clicked), self);
  g_signal_connect_swapped (self->show_me, "clicked", G_CALLBACK (show_me_clicked), self);
  g_signal_connect_swapped (self->next, "clicked", G_CALLBACK (next_clicked), self);
  gtk_box_append (GTK_BOX (buttons), self->back);
  gtk_box_append (GTK_BOX (buttons), spacer);
  gtk_box_append (GTK_BOX (buttons), self->show_me);
  gtk_box_append (GTK_BOX (buttons), self->next);
  gtk_box_append (GTK_BOX (self->box), buttons);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
