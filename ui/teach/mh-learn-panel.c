/* mh-learn-panel.c — the Learn side panel (mh-learn-panel.h).  Lessons
 * start through win.start-lesson, a file through win.open-lesson; the
 * panel closes through win.learn. */
#include <glib/gi18n.h>
#include "mh-explanations.h"
#include "mh-learn-panel.h"
#include "mh-lesson.h"

struct _MhLearnPanel
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *back, *title;
  GtkWidget *stack;
  GtkWidget *topic_scroller, *topic_box;
  char      *topic;
};

G_DEFINE_FINAL_TYPE (MhLearnPanel, mh_learn_panel, GTK_TYPE_WIDGET)

static GtkWidget *
label (const char *text, const char *css, gboolean wrap)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (l), 40);
    }
  else
    {
      gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (l, text);
    }
  if (css != NULL)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* ---- a topic's page ----------------------------------------------------------- */

static void
link_clicked (GtkButton *button, MhLearnPanel *self)
{
  mh_learn_panel_show_topic (self, g_object_get_data (G_OBJECT (button), "topic"));
}

gboolean
mh_learn_panel_show_topic (MhLearnPanel *self, const char *id)
{
  MhExplanations *e = mh_explanations_get_default ();
  const MhTopic *t = mh_explanations_lookup (e, id);
  GtkWidget *child, *links;

  if (t == NULL)
    {
      mh_learn_panel_show_index (self);
      return FALSE;
    }
  g_free (self->topic);
  self->topic = g_strdup (id);
  while ((child = gtk_widget_get_first_child (self->topic_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->topic_box), child);
  for (guint g = 0; g < mh_explanations_get_n_groups (e); g++)
    if (g_strcmp0 (mh_explanations_get_group (e, g)->id, t->group) == 0)
      gtk_box_append (GTK_BOX (self->topic_box), label (_(mh_explanations_get_group (e, g)->title),
                                                        "caption-heading", TRUE));
  gtk_box_append (GTK_BOX (self->topic_box), label (_(t->title), "title-2", TRUE));
  for (guint i = 0; i < t->parts->len; i++)
    {
      const MhTopicPart *part = t->parts->pdata[i];
      GtkWidget *l = label (part->kind == MH_TOPIC_FORMULA ? part->text : _(part->text),
                            part->kind == MH_TOPIC_FORMULA ? "mh-formula" : "mh-topic-text", TRUE);
      gtk_label_set_selectable (GTK_LABEL (l), TRUE);
      if (part->kind == MH_TOPIC_FORMULA)
        {
          gtk_label_set_xalign (GTK_LABEL (l), 0.5);
          gtk_label_set_justify (GTK_LABEL (l), GTK_JUSTIFY_CENTER);
        }
      gtk_box_append (GTK_BOX (self->topic_box), l);
    }
  if (t->builds_on[0] != NULL)
    {
      gtk_box_append (GTK_BOX (self->topic_box), label (_("Builds on"), "heading", FALSE));
      links = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      for (guint i = 0; t->builds_on[i] != NULL; i++)
        {
          const MhTopic *to = mh_explanations_lookup (e, t->builds_on[i]);
          GtkWidget *button = gtk_button_new ();
          GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_box_append (GTK_BOX (content), label (_(to->title), NULL, TRUE));
          gtk_button_set_child (GTK_BUTTON (button), content);
          gtk_widget_add_css_class (button, "flat");
          gtk_widget_set_tooltip_text (button, _(mh_topic_get_summary (to)));
          g_object_set_data_full (G_OBJECT (button), "topic", g_strdup (to->id), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (link_clicked), self);
          gtk_box_append (GTK_BOX (links), button);
        }
      gtk_box_append (GTK_BOX (self->topic_box), links);
    }
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->topic_scroller)), 0);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "topic");
  gtk_widget_set_visible (self->back, TRUE);
  gtk_label_set_text (GTK_LABEL (self->title), _("Learn"));
  return TRUE;
}

void
mh_learn_panel_show_index (MhLearnPanel *self)
{
  g_clear_pointer (&self->topic, g_free);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "index");
  gtk_widget_set_visible (self->back, FALSE);
}

const char *
mh_learn_panel_get_topic (MhLearnPanel *self)
{
  return self->topic;
}

/* ---- the index ---------------------------------------------------------------- */

static GtkWidget *
row (const char *title, const char *subtitle, const char *icon)
{
  GtkWidget *r = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_add_css_class (box, "mh-learn-row");
  if (icon != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon);
      gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), image);
    }
  gtk_box_append (GTK_BOX (labels), label (title, "heading", TRUE));
  if (subtitle != NULL && *subtitle != '\0')
    {
      GtkWidget *sub = label (subtitle, "caption", TRUE);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_label_set_lines (GTK_LABEL (sub), 3);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (sub, subtitle);
      gtk_box_append (GTK_BOX (labels), sub);
    }
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (r), box);
  return r;
}

static void
lesson_activated (GtkListBox *list, GtkListBoxRow *r, MhLearnPanel *self)
{
  const char *id = g_object_get_data (G_OBJECT (r), "lesson");

  if (id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.start-lesson", "s", id);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-lesson", NULL);
}

static void
topic_activated (GtkListBox *list, GtkListBoxRow *r, MhLearnPanel *self)
{
  mh_learn_panel_show_topic (self, g_object_get_data (G_OBJECT (r), "topic"));
}

static GtkWidget *
list_box (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
build_index (MhLearnPanel *self)
{
  MhExplanations *e = mh_explanations_get_default ();
  GPtrArray *lessons = mh_lessons_get_builtin ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *list = list_box ();
  GtkWidget *open;

  gtk_box_append (GTK_BOX (box), label (_("Lessons"), "heading", FALSE));
  gtk_widget_set_name (list, "learn-lessons");
  for (guint i = 0; i < lessons->len; i++)
    {
      const MhLesson *lesson = lessons->pdata[i];
      GtkWidget *r = row (_(lesson->title), lesson->summary ? _(lesson->summary) : NULL, "media-playback-start-symbolic");
      g_autofree char *name = g_strdup_printf ("lesson-%s", lesson->id);
      gtk_widget_set_name (r, name);
      g_object_set_data_full (G_OBJECT (r), "lesson", g_strdup (lesson->id), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), r);
    }
  open = row (_("Open a Lesson File…"), _("A lesson a teacher wrote (*.lesson.xml)"), "document-open-symbolic");
  gtk_list_box_append (GTK_LIST_BOX (list), open);
  g_signal_connect (list, "row-activated", G_CALLBACK (lesson_activated), self);
  gtk_box_append (GTK_BOX (box), list);

  for (guint g = 0; g < mh_explanations_get_n_groups (e); g++)
    {
      const MhTopicGroup *group = mh_explanations_get_group (e, g);
      GtkWidget *heading = label (_(group->title), "heading", FALSE);
      gtk_widget_set_margin_top (heading, 10);
      gtk_box_append (GTK_BOX (box), heading);
      list = list_box ();
      for (guint i = 0; i < group->topics->len; i++)
        {
          const MhTopic *t = group->topics->pdata[i];
          GtkWidget *r = row (_(t->title), NULL, NULL);
          gtk_widget_set_tooltip_text (r, _(mh_topic_get_summary (t)));
          g_object_set_data_full (G_OBJECT (r), "topic", g_strdup (t->id), g_free);
          gtk_list_box_append (GTK_LIST_BOX (list), r);
        }
      g_signal_connect (list, "row-activated", G_CALLBACK (topic_activated), self);
      gtk_box_append (GTK_BOX (box), list);
    }
  return box;
}

static GtkWidget *
scroller_for (GtkWidget *child)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_widget_set_margin_top (child, 6);
  gtk_widget_set_margin_bottom (child, 18);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), child);
  gtk_widget_set_vexpand (scroller, TRUE);
  return scroller;
}

GtkWidget *
mh_learn_panel_new (void)
{
  return g_object_new (MH_TYPE_LEARN_PANEL, NULL);
}

static void
back_clicked (MhLearnPanel *self)
{
  mh_learn_panel_show_index (self);
}

static void
mh_learn_panel_dispose (GObject *object)
{
  MhLearnPanel *self = MH_LEARN_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->topic, g_free);
  G_OBJECT_CLASS (mh_learn_panel_parent_class)->dispose (object);
}

static void
mh_learn_panel_class_init (MhLearnPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_learn_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-learn-panel");
}

static void
mh_learn_panel_init (MhLearnPanel *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_add_css_class (self->box, "mh-learn-panel");

  gtk_widget_add_css_class (header, "mh-learn-header");
  self->back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_add_css_class (self->back, "flat");
  gtk_widget_set_tooltip_text (self->back, _("All Lessons and Topics"));
  g_signal_connect_swapped (self->back, "clicked", G_CALLBACK (back_clicked), self);
  self->title = label (_("Learn"), "title-4", FALSE);
  gtk_widget_set_hexpand (self->title, TRUE);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_tooltip_text (close, _("Close the Learn Panel (F1)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (close), "win.learn");
  gtk_box_append (GTK_BOX (header), self->back);
  gtk_box_append (GTK_BOX (header), self->title);
  gtk_box_append (GTK_BOX (header), close);
  gtk_box_append (GTK_BOX (self->box), header);

  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_stack_add_named (GTK_STACK (self->stack), scroller_for (build_index (self)), "index");
  self->topic_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  self->topic_scroller = scroller_for (self->topic_box);
  gtk_stack_add_named (GTK_STACK (self->stack), self->topic_scroller, "topic");
  gtk_box_append (GTK_BOX (self->box), self->stack);
  mh_learn_panel_show_index (self);
}
