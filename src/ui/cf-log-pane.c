/* cf-log-pane.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cf-log-line.h"
#include "cf-log-pane.h"

struct _CfLogPane
{
  GtkWidget             parent_instance;

  GListModel           *model;
  GtkNoSelection       *selection;
  GtkFileChooserNative *chooser;
  guint                 scroll_source;

  GtkToggleButton      *expand_button;
  GtkInscription       *count_label;
  GtkListView          *list_view;
  GtkScrolledWindow    *scroller;
};

G_DEFINE_FINAL_TYPE (CfLogPane, cf_log_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_EXPANDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
cf_log_pane_new (void)
{
  return g_object_new (CF_TYPE_LOG_PANE, NULL);
}

GListModel *
cf_log_pane_get_model (CfLogPane *self)
{
  g_return_val_if_fail (CF_IS_LOG_PANE (self), NULL);

  return self->model;
}

gboolean
cf_log_pane_get_expanded (CfLogPane *self)
{
  g_return_val_if_fail (CF_IS_LOG_PANE (self), FALSE);

  return gtk_toggle_button_get_active (self->expand_button);
}

void
cf_log_pane_set_expanded (CfLogPane *self,
                          gboolean   expanded)
{
  g_return_if_fail (CF_IS_LOG_PANE (self));

  gtk_toggle_button_set_active (self->expand_button, expanded);
}

char *
cf_log_pane_dup_text (CfLogPane *self)
{
  GString *text = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (CF_IS_LOG_PANE (self), NULL);

  n = self->model ? g_list_model_get_n_items (self->model) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfLogLine) line = g_list_model_get_item (self->model, i);
      g_autofree char *str = cf_log_line_to_string (line);

      g_string_append (text, str);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

static void
toast (CfLogPane  *self,
       const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static gboolean
scroll_to_end_cb (gpointer user_data)
{
  CfLogPane *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_source = 0;
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));

  return G_SOURCE_REMOVE;
}

static void
update_count (CfLogPane *self)
{
  guint n = self->model ? g_list_model_get_n_items (self->model) : 0;
  g_autofree char *text = n > 0 ? g_strdup_printf ("%u", n) : g_strdup ("");

  gtk_inscription_set_text (self->count_label, text);
}

static void
items_changed_cb (CfLogPane  *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double value = gtk_adjustment_get_value (adjustment);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  update_count (self);

  /* Follow new lines only when the reader is already at the end. */
  if (added > 0 && value >= bottom - 4 && self->scroll_source == 0
      && gtk_list_view_get_model (self->list_view) != NULL)
    self->scroll_source = g_idle_add (scroll_to_end_cb, self);
}

void
cf_log_pane_set_model (CfLogPane  *self,
                       GListModel *model)
{
  g_return_if_fail (CF_IS_LOG_PANE (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  if (!g_set_object (&self->model, model))
    return;

  gtk_no_selection_set_model (self->selection, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  update_count (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *level = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);

  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_widget_add_css_class (level, "log-level");
  gtk_label_set_width_chars (GTK_LABEL (level), 7);
  gtk_label_set_xalign (GTK_LABEL (level), 0);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (time, GTK_ALIGN_START);
  gtk_widget_set_valign (level, GTK_ALIGN_START);

  gtk_box_append (GTK_BOX (box), time);
  gtk_box_append (GTK_BOX (box), level);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  CfLogLine *line = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *time = gtk_widget_get_first_child (box);
  GtkWidget *level = gtk_widget_get_next_sibling (time);
  GtkWidget *text = gtk_widget_get_next_sibling (level);
  g_autofree char *time_str = cf_log_line_dup_time_string (line);
  static const char *classes[] = { "log-info", "log-warning", "log-error" };

  gtk_label_set_label (GTK_LABEL (time), time_str);
  gtk_label_set_label (GTK_LABEL (level), cf_log_line_get_level_label (line));
  gtk_label_set_label (GTK_LABEL (text), cf_log_line_get_text (line));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (level, classes[i]);
  gtk_widget_add_css_class (level, classes[cf_log_line_get_level (line)]);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CfLogPane *self = CF_LOG_PANE (widget);
  g_autofree char *text = cf_log_pane_dup_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _("Log copied"));
}

static void
save_response_cb (CfLogPane            *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *text = cf_log_pane_dup_text (self);
      g_autoptr(GError) error = NULL;

      if (file != NULL
          && !g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        toast (self, error->message);
    }

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CfLogPane *self = CF_LOG_PANE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save Log"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "clipfleet-log.txt");
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, G_CONNECT_SWAPPED);

  g_set_object (&self->chooser, chooser);
  g_object_unref (chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/*
 * The list view holds the lines only while the pane is open. A closed
 * revealer still allocates its child, and a list view keeps up to 200
 * rows alive: during a big run, a closed log built, bound and measured a
 * wrapped label for every line nobody could see (bench-ui-stall).
 */
static void
expanded_cb (CfLogPane       *self,
             GParamSpec      *pspec,
             GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button)
      && gtk_list_view_get_model (self->list_view) == NULL)
    {
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
      if (self->scroll_source == 0)
        self->scroll_source = g_idle_add (scroll_to_end_cb, self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}

static void
child_revealed_cb (CfLogPane   *self,
                   GParamSpec  *pspec,
                   GtkRevealer *revealer)
{
  /* Once closed, not as it starts to close: the lines slide away. */
  if (!gtk_revealer_get_child_revealed (revealer) && !gtk_revealer_get_reveal_child (revealer))
    gtk_list_view_set_model (self->list_view, NULL);
}

static void
cf_log_pane_dispose (GObject *object)
{
  CfLogPane *self = CF_LOG_PANE (object);
  GtkWidget *child;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_handle_id (&self->scroll_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_LOG_PANE);
  /* The template's root box is not a bound child: it goes by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cf_log_pane_parent_class)->dispose (object);
}

static void
cf_log_pane_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CfLogPane *self = CF_LOG_PANE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_EXPANDED:
      g_value_set_boolean (value, cf_log_pane_get_expanded (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_log_pane_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CfLogPane *self = CF_LOG_PANE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      cf_log_pane_set_model (self, g_value_get_object (value));
      break;

    case PROP_EXPANDED:
      cf_log_pane_set_expanded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_log_pane_class_init (CfLogPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_log_pane_dispose;
  object_class->get_property = cf_log_pane_get_property;
  object_class->set_property = cf_log_pane_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EXPANDED] =
    g_param_spec_boolean ("expanded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-log-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, CfLogPane, expand_button);
  gtk_widget_class_bind_template_child (widget_class, CfLogPane, count_label);
  gtk_widget_class_bind_template_child (widget_class, CfLogPane, list_view);
  gtk_widget_class_bind_template_child (widget_class, CfLogPane, scroller);
  gtk_widget_class_bind_template_callback (widget_class, expanded_cb);
  gtk_widget_class_bind_template_callback (widget_class, child_revealed_cb);

  gtk_widget_class_install_action (widget_class, "log.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "log.save", NULL, save_action);
}

static void
cf_log_pane_init (CfLogPane *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  /* The list view gets it when the pane opens: see expanded_cb(). */
  self->selection = gtk_no_selection_new (NULL);
}
