/* cf-run-options.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-run-options.h"

struct _CfRunOptions
{
  AdwPreferencesGroup   parent_instance;

  char                 *output_dir;
  GtkFileChooserNative *chooser;

  AdwComboRow          *model_row;
  AdwComboRow          *aspect_row;
  GtkSpinButton        *takes_spin;
  AdwActionRow         *folder_row;
};

G_DEFINE_FINAL_TYPE (CfRunOptions, cf_run_options, ADW_TYPE_PREFERENCES_GROUP)

/* The Labs models a user picks from; the order of the model row's strings. */
static const char *model_keys[] = {
  "veo_3_1_t2v_fast",
  "veo_3_1_t2v",
  "veo_3_1_t2v_lite",
  "veo_3_1_t2v_fast_ultra",
};

/* The order of the aspect row's strings. */
static const CfAspect aspects[] = {
  CF_ASPECT_LANDSCAPE,
  CF_ASPECT_PORTRAIT,
  CF_ASPECT_SQUARE,
};

GtkWidget *
cf_run_options_new (void)
{
  return g_object_new (CF_TYPE_RUN_OPTIONS, NULL);
}

const char *
cf_run_options_get_model_key (CfRunOptions *self)
{
  guint selected;

  g_return_val_if_fail (CF_IS_RUN_OPTIONS (self), NULL);

  selected = adw_combo_row_get_selected (self->model_row);
  if (selected >= G_N_ELEMENTS (model_keys))
    selected = 0;
  return model_keys[selected];
}

CfAspect
cf_run_options_get_aspect (CfRunOptions *self)
{
  guint selected;

  g_return_val_if_fail (CF_IS_RUN_OPTIONS (self), CF_ASPECT_LANDSCAPE);

  selected = adw_combo_row_get_selected (self->aspect_row);
  if (selected >= G_N_ELEMENTS (aspects))
    selected = 0;
  return aspects[selected];
}

guint
cf_run_options_get_takes (CfRunOptions *self)
{
  g_return_val_if_fail (CF_IS_RUN_OPTIONS (self), 1);

  return (guint) gtk_spin_button_get_value_as_int (self->takes_spin);
}

const char *
cf_run_options_get_output_dir (CfRunOptions *self)
{
  g_return_val_if_fail (CF_IS_RUN_OPTIONS (self), NULL);

  return self->output_dir;
}

void
cf_run_options_set_output_dir (CfRunOptions *self,
                               const char   *output_dir)
{
  g_autofree char *display = NULL;

  g_return_if_fail (CF_IS_RUN_OPTIONS (self));

  if (g_strcmp0 (output_dir, self->output_dir) != 0)
    {
      g_free (self->output_dir);
      self->output_dir = g_strdup (output_dir);
    }

  if (self->output_dir != NULL)
    {
      const char *home = g_get_home_dir ();

      /* "~/Videos/Clipfleet" reads better than the full path in a row. */
      if (home != NULL && g_str_has_prefix (self->output_dir, home)
          && (self->output_dir[strlen (home)] == '/' || self->output_dir[strlen (home)] == '\0'))
        display = g_strconcat ("~", self->output_dir + strlen (home), NULL);
      else
        display = g_strdup (self->output_dir);
    }

  adw_action_row_set_subtitle (self->folder_row, display ? display : "");
}

void
cf_run_options_set_base (CfRunOptions  *self,
                         CfRunSettings *base)
{
  const char *model;
  g_autofree char *output_dir = NULL;

  g_return_if_fail (CF_IS_RUN_OPTIONS (self));
  g_return_if_fail (CF_IS_RUN_SETTINGS (base));

  model = cf_run_settings_get_model_key (base);
  for (guint i = 0; i < G_N_ELEMENTS (model_keys); i++)
    if (g_strcmp0 (model, model_keys[i]) == 0)
      adw_combo_row_set_selected (self->model_row, i);

  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    if (cf_run_settings_get_aspect (base) == aspects[i])
      adw_combo_row_set_selected (self->aspect_row, i);

  gtk_spin_button_set_value (self->takes_spin, cf_run_settings_get_takes_per_scene (base));

  output_dir = cf_run_settings_dup_effective_output_dir (base);
  cf_run_options_set_output_dir (self, output_dir);
}

CfRunSettings *
cf_run_options_dup_settings (CfRunOptions  *self,
                             CfRunSettings *base)
{
  CfRunSettings *settings;

  g_return_val_if_fail (CF_IS_RUN_OPTIONS (self), NULL);
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (base), NULL);

  settings = cf_run_settings_copy (base);
  cf_run_settings_set_model_key (settings, cf_run_options_get_model_key (self));
  cf_run_settings_set_aspect (settings, cf_run_options_get_aspect (self));
  cf_run_settings_set_takes_per_scene (settings, cf_run_options_get_takes (self));
  if (self->output_dir != NULL)
    cf_run_settings_set_output_dir (settings, self->output_dir);

  return settings;
}

static void
folder_response_cb (CfRunOptions         *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        cf_run_options_set_output_dir (self, path);
    }

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CfRunOptions *self = CF_RUN_OPTIONS (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Output Folder"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (self->output_dir != NULL)
    {
      g_autoptr(GFile) current = g_file_new_for_path (self->output_dir);

      if (g_file_query_exists (current, NULL))
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), current, NULL);
    }
  g_signal_connect_object (chooser, "response", G_CALLBACK (folder_response_cb), self, G_CONNECT_SWAPPED);

  g_set_object (&self->chooser, chooser);
  g_object_unref (chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cf_run_options_dispose (GObject *object)
{
  CfRunOptions *self = CF_RUN_OPTIONS (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_RUN_OPTIONS);

  G_OBJECT_CLASS (cf_run_options_parent_class)->dispose (object);
}

static void
cf_run_options_finalize (GObject *object)
{
  CfRunOptions *self = CF_RUN_OPTIONS (object);

  g_clear_pointer (&self->output_dir, g_free);

  G_OBJECT_CLASS (cf_run_options_parent_class)->finalize (object);
}

static void
cf_run_options_class_init (CfRunOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_run_options_dispose;
  object_class->finalize = cf_run_options_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-run-options.ui");
  gtk_widget_class_bind_template_child (widget_class, CfRunOptions, model_row);
  gtk_widget_class_bind_template_child (widget_class, CfRunOptions, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, CfRunOptions, takes_spin);
  gtk_widget_class_bind_template_child (widget_class, CfRunOptions, folder_row);

  gtk_widget_class_install_action (widget_class, "options.choose-folder", NULL, choose_folder_action);
}

static void
cf_run_options_init (CfRunOptions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
