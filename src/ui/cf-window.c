/* cf-window.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-account-strip.h"
#include "cf-error.h"
#include "cf-job-grid.h"
#include "cf-log-pane.h"
#include "cf-run-options.h"
#include "cf-sales-panel.h"
#include "cf-script-io.h"
#include "cf-script-panel.h"
#include "cf-window.h"

#ifdef CF_HAVE_DEMO
# include "cf-demo.h"
#endif

struct _CfWindow
{
  AdwApplicationWindow  parent_instance;

  CfApplication        *app;
  CfRunController      *controller;
  GSettings            *settings;
  GtkFileChooserNative *chooser;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkRevealer          *demo_banner;
  GtkWidget            *progress_box;
  GtkProgressBar       *progress_bar;
  GtkInscription       *progress_label;
  CfScriptPanel        *script_panel;
  CfSalesPanel         *sales_panel;
  CfAccountStrip       *account_strip;
  GtkStack             *run_stack;
  CfJobGrid            *job_grid;
  CfLogPane            *log_pane;
};

G_DEFINE_FINAL_TYPE (CfWindow, cf_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_APP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CfWindow *
cf_window_new (CfApplication *application)
{
  return g_object_new (CF_TYPE_WINDOW,
                       "application", application,
                       "app", application,
                       NULL);
}

CfRunController *
cf_window_get_controller (CfWindow *self)
{
  g_return_val_if_fail (CF_IS_WINDOW (self), NULL);

  return self->controller;
}

GtkWidget *
cf_window_get_script_panel (CfWindow *self)
{
  g_return_val_if_fail (CF_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->script_panel);
}

GtkWidget *
cf_window_get_sales_panel (CfWindow *self)
{
  g_return_val_if_fail (CF_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->sales_panel);
}

GtkWidget *
cf_window_get_job_grid (CfWindow *self)
{
  g_return_val_if_fail (CF_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->job_grid);
}

void
cf_window_set_visible_panel (CfWindow   *self,
                             const char *name)
{
  g_return_if_fail (CF_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
cf_window_show_toast (CfWindow   *self,
                      const char *message)
{
  AdwToast *toast;

  g_return_if_fail (CF_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
sales_visible (CfWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "sales") == 0;
}

static CfScript *
visible_script (CfWindow *self)
{
  if (sales_visible (self))
    return cf_sales_panel_get_script (self->sales_panel);
  return cf_script_panel_get_script (self->script_panel);
}

static CfRunOptions *
visible_run_options (CfWindow *self)
{
  if (sales_visible (self))
    return cf_sales_panel_get_run_options (self->sales_panel);
  return cf_script_panel_get_run_options (self->script_panel);
}

void
cf_window_open_script (CfWindow *self,
                       GFile    *file)
{
  g_autoptr(CfScript) script = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Scripts are small text files: reading one on the main thread costs
   * less than the state a background load would need. */
  script = cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, &error);
  if (script == NULL)
    {
      cf_window_show_toast (self, error->message);
      return;
    }

  if (cf_script_get_title (script) == NULL || cf_script_get_title (script)[0] == '\0')
    {
      g_autofree char *basename = g_file_get_basename (file);
      char *dot = strrchr (basename, '.');

      if (dot != NULL && dot != basename)
        *dot = '\0';
      cf_script_set_title (script, basename);
    }

  cf_script_panel_set_script (self->script_panel, script, file);
  cf_window_set_visible_panel (self, "script");
}

static void
open_response_cb (CfWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        cf_window_open_script (self, file);
    }

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
add_script_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) scripts = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (scripts, _("Scripts (JSON, text, CSV)"));
  gtk_file_filter_add_suffix (scripts, "json");
  gtk_file_filter_add_suffix (scripts, "txt");
  gtk_file_filter_add_suffix (scripts, "csv");
  gtk_file_filter_add_mime_type (scripts, "application/json");
  gtk_file_filter_add_mime_type (scripts, "text/plain");
  gtk_file_filter_add_mime_type (scripts, "text/csv");
  gtk_file_chooser_add_filter (chooser, scripts);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
cf_window_open_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Script"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  add_script_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response_cb), self, G_CONNECT_SWAPPED);

  g_set_object (&self->chooser, chooser);
  g_object_unref (chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cf_window_save_to (CfWindow *self,
                   CfScript *script,
                   GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (file);

  if (!cf_script_save (script, file, CF_SCRIPT_FORMAT_AUTO, NULL, &error))
    {
      cf_window_show_toast (self, error->message);
      return;
    }

  if (!sales_visible (self))
    cf_script_panel_set_file (self->script_panel, file);

  {
    g_autofree char *message = g_strdup_printf (_("Saved “%s”"), basename);

    cf_window_show_toast (self, message);
  }
}

static void
save_response_cb (CfWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        cf_window_save_to (self, visible_script (self), file);
    }

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
cf_window_save_as_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);
  GtkFileChooserNative *chooser;
  CfScript *script = visible_script (self);
  g_autofree char *name = NULL;
  const char *title = cf_script_get_title (script);

  chooser = gtk_file_chooser_native_new (_("Save Script"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  add_script_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  name = g_strdup_printf ("%s.json", title != NULL && title[0] != '\0' ? title : _("Script"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, G_CONNECT_SWAPPED);

  g_set_object (&self->chooser, chooser);
  g_object_unref (chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cf_window_save_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);
  GFile *file = NULL;

  if (!sales_visible (self))
    file = cf_script_panel_get_file (self->script_panel);

  if (file != NULL)
    cf_window_save_to (self, visible_script (self), file);
  else
    cf_window_save_as_action (widget, "win.save-as", NULL);
}

static void
cf_window_generate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);
  g_autoptr(CfRunSettings) base = cf_run_controller_dup_base_settings (self->controller);
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  if (cf_run_controller_get_running (self->controller))
    return;

  settings = cf_run_options_dup_settings (visible_run_options (self), base);

  cf_run_controller_clear_log (self->controller);
  if (!cf_run_controller_start (self->controller, visible_script (self), settings, &error))
    cf_window_show_toast (self, error->message);
}

static void
cf_window_cancel_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);

  cf_run_controller_cancel (self->controller);
}

static void
cf_window_stop_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);

  cf_run_controller_stop (self->controller);
}

static void
cf_window_paste_scenes_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);

  CfSceneEditor *editor;

  if (sales_visible (self))
    editor = cf_sales_panel_get_editor (self->sales_panel);
  else
    editor = cf_script_panel_get_editor (self->script_panel);

  gtk_widget_activate_action (GTK_WIDGET (editor), "scenes.paste", NULL);
}

static void
cf_window_resume_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  cf_run_controller_clear_log (self->controller);
  if (!cf_run_controller_resume (self->controller, g_variant_get_string (param, NULL), &error))
    cf_window_show_toast (self, error->message);
}

static void
cf_window_open_output_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  CfWindow *self = CF_WINDOW (widget);
  CfRun *run = cf_run_controller_get_run (self->controller);
  g_autofree char *dir = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;

  if (run == NULL)
    return;

  dir = cf_run_settings_dup_effective_output_dir (cf_run_get_settings (run));
  file = g_file_new_for_path (dir);
  uri = g_file_get_uri (file);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
retry_cb (CfWindow *self,
          CfTake   *take)
{
  g_autoptr(GError) error = NULL;

  if (!cf_run_controller_retry (self->controller, take, &error))
    cf_window_show_toast (self, error->message);
}

static void
cf_window_update_actions (CfWindow *self)
{
  gboolean running = cf_run_controller_get_running (self->controller);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.generate", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-output-folder",
                                 cf_run_controller_get_run (self->controller) != NULL);
}

static void
running_changed_cb (CfWindow        *self,
                    GParamSpec      *pspec,
                    CfRunController *controller)
{
  gboolean running = cf_run_controller_get_running (controller);

  cf_window_update_actions (self);
  gtk_widget_set_visible (self->progress_box, running);
  if (cf_run_controller_get_run (controller) != NULL)
    gtk_stack_set_visible_child_name (self->run_stack, "grid");
}

static void
progress_changed_cb (CfWindow        *self,
                     GParamSpec      *pspec,
                     CfRunController *controller)
{
  gtk_progress_bar_set_fraction (self->progress_bar, cf_run_controller_get_fraction (controller));
  gtk_inscription_set_text (self->progress_label, cf_run_controller_get_progress_text (controller));
}

static void
finished_cb (CfWindow        *self,
             guint            done,
             guint            failed,
             guint            total,
             const char      *message,
             CfRunController *controller)
{
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (message != NULL)
    text = g_strdup (message);
  else if (failed > 0)
    text = g_strdup_printf (ngettext ("%u clip ready, %u failed",
                                         "%u clips ready, %u failed", done),
                            done, failed);
  else
    text = g_strdup_printf (ngettext ("%u clip ready", "%u clips ready", done),
                            done);

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 0);
  if (done > 0)
    {
      adw_toast_set_button_label (toast, _("Show Files"));
      adw_toast_set_action_name (toast, "win.open-output-folder");
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  /* Someone who went elsewhere while the scenes rendered learns that they are ready. */
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    {
      GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
      g_autoptr(GNotification) notification = NULL;

      if (app != NULL)
        {
          notification = g_notification_new (failed > 0 || message != NULL
                                             ? _("Run finished with failures")
                                             : _("Your clips are ready"));
          /* Without a default action, clicking it activates the app. */
          g_notification_set_body (notification, text);
          g_application_send_notification (app, "run-finished", notification);
        }
    }
}

static gboolean
cf_window_drop_cb (CfWindow      *self,
                   const GValue  *value,
                   double         x,
                   double         y,
                   GtkDropTarget *target)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;

  cf_window_open_script (self, files->data);
  return TRUE;
}

static void
offer_resume (CfWindow *self)
{
  g_autoptr(CfRunSettings) settings = cf_run_controller_dup_base_settings (self->controller);
  g_autofree char *state_dir = cf_run_settings_dup_effective_state_dir (settings);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  runs = cf_journal_list_runs (state_dir, &error);
  if (runs == NULL)
    return;

  for (guint i = 0; i < runs->len; i++)
    {
      const CfRunInfo *info = g_ptr_array_index (runs, i);
      g_autofree char *text = NULL;
      AdwToast *toast;

      if (info->ended || !cf_run_info_is_resumable (info))
        continue;

      text = g_strdup_printf (_("The run “%s” did not finish: %u of %u clips are saved"),
                              info->script_title ? info->script_title : info->run_id,
                              info->n_done, info->n_takes);
      toast = adw_toast_new (text);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("Resume"));
      adw_toast_set_action_name (toast, "win.resume");
      adw_toast_set_action_target_value (toast, g_variant_new_string (info->dir));
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      break;
    }
}

static void
cf_window_apply_base_settings (CfWindow *self)
{
  g_autoptr(CfRunSettings) base = cf_run_controller_dup_base_settings (self->controller);

  cf_run_options_set_base (cf_script_panel_get_run_options (self->script_panel), base);
  cf_run_options_set_base (cf_sales_panel_get_run_options (self->sales_panel), base);
}

static void
settings_changed_cb (CfWindow   *self,
                     const char *key,
                     GSettings  *settings)
{
  if (g_strv_contains ((const char * const[]) { "model", "aspect", "takes-per-scene", "output-folder", NULL }, key))
    cf_window_apply_base_settings (self);
}

static gboolean
settings_has_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

static void
cf_window_constructed (GObject *object)
{
  CfWindow *self = CF_WINDOW (object);
  CfApplication *app = self->app;
  gboolean demo = FALSE;

  G_OBJECT_CLASS (cf_window_parent_class)->constructed (object);

  /* "application" (GtkWindow's) is set only after constructed(); "app" is
   * construct-only, so the runs know their accounts from the start. */
  if (app != NULL)
    demo = cf_application_get_demo (app);

  self->controller = cf_run_controller_new (app);
  g_signal_connect_object (self->controller, "notify::running",
                           G_CALLBACK (running_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::fraction",
                           G_CALLBACK (progress_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::progress-text",
                           G_CALLBACK (progress_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "finished",
                           G_CALLBACK (finished_cb), self, G_CONNECT_SWAPPED);

  cf_job_grid_set_model (self->job_grid, cf_run_controller_get_takes (self->controller));
  cf_account_strip_set_model (self->account_strip, cf_run_controller_get_accounts (self->controller));
  cf_log_pane_set_model (self->log_pane, cf_run_controller_get_log (self->controller));

  gtk_revealer_set_reveal_child (self->demo_banner, demo);
  cf_window_apply_base_settings (self);

#ifdef CF_HAVE_DEMO
  if (demo)
    {
      CfDemo *cf_demo = CF_DEMO (cf_application_get_demo_object (app));
      g_autoptr(CfScript) script = cf_script_copy (cf_demo_get_script (cf_demo));

      cf_script_panel_set_script (self->script_panel, script, NULL);
    }
#endif

  self->settings = cf_application_dup_settings ();
  if (self->settings != NULL)
    {
      if (settings_has_key (self->settings, "window-width"))
        g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      if (settings_has_key (self->settings, "window-height"))
        g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      if (settings_has_key (self->settings, "window-maximized"))
        g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
      if (settings_has_key (self->settings, "log-expanded"))
        g_settings_bind (self->settings, "log-expanded", self->log_pane, "expanded", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }

  cf_window_update_actions (self);

  if (!demo)
    offer_resume (self);
}

static gboolean
cf_window_close_request (GtkWindow *window)
{
  CfWindow *self = CF_WINDOW (window);

  /* The journal keeps every handle, so closing never loses a paid take:
   * the run can be resumed on the next start. */
  cf_run_controller_cancel (self->controller);

  return GTK_WINDOW_CLASS (cf_window_parent_class)->close_request (window);
}

static void
cf_window_dispose (GObject *object)
{
  CfWindow *self = CF_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_WINDOW);

  if (self->controller != NULL)
    cf_run_controller_cancel (self->controller);
  g_clear_object (&self->controller);
  g_clear_object (&self->settings);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (cf_window_parent_class)->dispose (object);
}

static void
cf_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CfWindow *self = CF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APP:
      g_value_set_object (value, self->app);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CfWindow *self = CF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APP:
      self->app = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_window_class_init (CfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cf_window_constructed;
  object_class->dispose = cf_window_dispose;
  object_class->get_property = cf_window_get_property;
  object_class->set_property = cf_window_set_property;
  window_class->close_request = cf_window_close_request;

  properties[PROP_APP] =
    g_param_spec_object ("app", NULL, NULL,
                         CF_TYPE_APPLICATION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CF_TYPE_SCRIPT_PANEL);
  g_type_ensure (CF_TYPE_SALES_PANEL);
  g_type_ensure (CF_TYPE_ACCOUNT_STRIP);
  g_type_ensure (CF_TYPE_JOB_GRID);
  g_type_ensure (CF_TYPE_LOG_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CfWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, script_panel);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, sales_panel);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, account_strip);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, run_stack);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, job_grid);
  gtk_widget_class_bind_template_child (widget_class, CfWindow, log_pane);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, cf_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, cf_window_save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, cf_window_save_as_action);
  gtk_widget_class_install_action (widget_class, "win.generate", NULL, cf_window_generate_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, cf_window_stop_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cf_window_cancel_action);
  gtk_widget_class_install_action (widget_class, "win.paste-scenes", NULL, cf_window_paste_scenes_action);
  gtk_widget_class_install_action (widget_class, "win.resume", "s", cf_window_resume_action);
  gtk_widget_class_install_action (widget_class, "win.open-output-folder", NULL, cf_window_open_output_action);

  /* Escape cancels only when nothing focused (an entry, a popover) takes it first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
}

static void
cf_window_init (CfWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (cf_window_drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
