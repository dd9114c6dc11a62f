/* cf-run-controller.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "cf-error.h"
#include "cf-log-line.h"
#include "cf-run-controller.h"

#ifdef CF_HAVE_DEMO
# include "cf-demo.h"
#endif

/* The log pane keeps this many lines; older ones go (the journal has everything). */
#define MAX_LOG_LINES 5000
/* Log lines arrive in storms when many accounts report at once: they are
 * gathered and given to the list once per this many milliseconds. */
#define LOG_FLUSH_MS 100
/* The simulator renders in seconds: polling it as often as the real
 * service would make the demo look stuck. */
#define DEMO_POLL_INTERVAL_MS 1000

struct _CfRunController
{
  GObject        parent_instance;

  CfApplication *application;
  CfRun         *run;
  GCancellable  *cancellable;
  CfScript      *script;
  CfRunSettings *settings;
  GPtrArray     *accounts_override;

  GListStore    *take_lists;
  GListModel    *takes;
  GListStore    *account_lists;
  GListModel    *accounts;
  GListStore    *log;
  GPtrArray     *pending_log;
  guint          log_flush_source;
  /* The local time zone of the log's times, read when a run begins. GLib
   * 2.74 reads /etc/localtime again at every g_date_time_new_now_local()
   * when TZ is unset: 14 µs a line on the main thread, against 0.1 µs. */
  GTimeZone     *log_zone;

  char          *progress_text;
  double         fraction;
};

G_DEFINE_FINAL_TYPE (CfRunController, cf_run_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUN,
  PROP_RUNNING,
  PROP_FRACTION,
  PROP_PROGRESS_TEXT,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

CfRunController *
cf_run_controller_new (CfApplication *application)
{
  CfRunController *self;

  g_return_val_if_fail (application == NULL || CF_IS_APPLICATION (application), NULL);

  self = g_object_new (CF_TYPE_RUN_CONTROLLER, NULL);
  g_set_object (&self->application, application);

  return self;
}

GListModel *
cf_run_controller_get_takes (CfRunController *self)
{
  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), NULL);

  return self->takes;
}

GListModel *
cf_run_controller_get_accounts (CfRunController *self)
{
  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), NULL);

  return self->accounts;
}

GListModel *
cf_run_controller_get_log (CfRunController *self)
{
  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), NULL);

  return G_LIST_MODEL (self->log);
}

CfRun *
cf_run_controller_get_run (CfRunController *self)
{
  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), NULL);

  return self->run;
}

gboolean
cf_run_controller_get_running (CfRunController *self)
{
  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), FALSE);

  return self->cancellable != NULL;
}

double
cf_run_controller_get_fraction (CfRunController *self)
{
  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), 0.0);

  return self->fraction;
}

const char *
cf_run_controller_get_progress_text (CfRunController *self)
{
  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), NULL);

  return self->progress_text ? self->progress_text : "";
}

static gboolean
flush_log_cb (gpointer user_data)
{
  CfRunController *self = user_data;
  guint n_items;

  self->log_flush_source = 0;

  if (self->pending_log->len == 0)
    return G_SOURCE_REMOVE;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  g_list_store_splice (self->log, n_items, 0,
                       self->pending_log->pdata, self->pending_log->len);
  g_ptr_array_set_size (self->pending_log, 0);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  if (n_items > MAX_LOG_LINES)
    g_list_store_splice (self->log, 0, n_items - MAX_LOG_LINES, NULL, 0);

  return G_SOURCE_REMOVE;
}

void
cf_run_controller_append_log (CfRunController *self,
                              const char      *text)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (CF_IS_RUN_CONTROLLER (self));
  g_return_if_fail (text != NULL);

  now = g_date_time_new_now (self->log_zone);
  g_ptr_array_add (self->pending_log, cf_log_line_new (now, text));
  if (self->log_flush_source == 0)
    self->log_flush_source = g_timeout_add (LOG_FLUSH_MS, flush_log_cb, self);
}

void
cf_run_controller_clear_log (CfRunController *self)
{
  g_return_if_fail (CF_IS_RUN_CONTROLLER (self));

  g_ptr_array_set_size (self->pending_log, 0);
  g_list_store_remove_all (self->log);
}

static gboolean
settings_has_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

CfRunSettings *
cf_run_controller_dup_base_settings (CfRunController *self)
{
  g_autoptr(CfRunSettings) run_settings = cf_run_settings_new ();
  g_autoptr(GSettings) settings = cf_application_dup_settings ();

  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), NULL);

  if (settings != NULL)
    {
      if (settings_has_key (settings, "model"))
        {
          g_autofree char *model = g_settings_get_string (settings, "model");

          if (model[0] != '\0')
            cf_run_settings_set_model_key (run_settings, model);
        }
      if (settings_has_key (settings, "aspect"))
        {
          g_autofree char *text = g_settings_get_string (settings, "aspect");
          CfAspect aspect;

          if (cf_aspect_from_string (text, &aspect) && aspect != CF_ASPECT_DEFAULT)
            cf_run_settings_set_aspect (run_settings, aspect);
        }
      if (settings_has_key (settings, "takes-per-scene"))
        cf_run_settings_set_takes_per_scene (run_settings,
                                             CLAMP (g_settings_get_int (settings, "takes-per-scene"), 1, 4));
      if (settings_has_key (settings, "output-folder"))
        {
          g_autofree char *folder = g_settings_get_string (settings, "output-folder");

          if (folder[0] != '\0')
            cf_run_settings_set_output_dir (run_settings, folder);
        }
      if (settings_has_key (settings, "poll-interval-ms"))
        cf_run_settings_set_poll_interval_ms (run_settings,
                                              MAX (g_settings_get_int (settings, "poll-interval-ms"), 500));
      if (settings_has_key (settings, "max-in-flight"))
        cf_run_settings_set_max_in_flight (run_settings,
                                           MAX (g_settings_get_int (settings, "max-in-flight"), 0));
      if (settings_has_key (settings, "strategy"))
        {
          g_autofree char *text = g_settings_get_string (settings, "strategy");
          CfStrategy strategy;

          if (cf_strategy_from_string (text, &strategy))
            cf_run_settings_set_strategy (run_settings, strategy);
        }
    }

#ifdef CF_HAVE_DEMO
  if (self->application != NULL && cf_application_get_demo (self->application))
    {
      CfDemo *demo = CF_DEMO (cf_application_get_demo_object (self->application));
      g_autofree char *output_dir = cf_demo_dup_default_output_dir ();

      cf_run_settings_set_endpoints (run_settings, cf_demo_get_endpoints (demo));
      cf_run_settings_set_output_dir (run_settings, output_dir);
      cf_run_settings_set_poll_interval_ms (run_settings, DEMO_POLL_INTERVAL_MS);
      cf_run_settings_set_backoff_ms (run_settings, 500);
      cf_run_settings_set_backoff_max_ms (run_settings, 5000);
    }
#endif

  return g_steal_pointer (&run_settings);
}

static void
cf_run_controller_update_progress (CfRunController *self)
{
  guint done = 0, failed = 0, total = 0;
  double fraction = 0.0;
  g_autofree char *text = NULL;

  if (self->run != NULL)
    {
      done = cf_run_get_n_done (self->run);
      failed = cf_run_get_n_failed (self->run);
      total = cf_run_get_n_total (self->run);
    }

  if (total > 0)
    fraction = (double) (done + failed) / total;

  if (failed > 0)
    /* Translators: the run's overall progress in the header bar. */
    text = g_strdup_printf (_("%u of %u done, %u failed"), done, total, failed);
  else if (total > 0)
    text = g_strdup_printf (_("%u of %u done"), done, total);

  if (fraction != self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  if (g_strcmp0 (text, self->progress_text) != 0)
    {
      g_free (self->progress_text);
      self->progress_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TEXT]);
    }
}

static void
run_log_cb (CfRunController *self,
            const char      *line,
            CfRun           *run)
{
  if (run == self->run)
    cf_run_controller_append_log (self, line);
}

static void
run_progress_cb (CfRunController *self,
                 guint            done,
                 guint            failed,
                 guint            total,
                 CfRun           *run)
{
  if (run == self->run)
    cf_run_controller_update_progress (self);
}

static void
run_finished_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CfRunController) self = user_data;
  CfRun *run = CF_RUN (object);
  g_autoptr(GError) error = NULL;
  const char *message = NULL;

  if (!cf_run_start_finish (run, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          message = error->message;
          cf_run_controller_append_log (self, error->message);
        }
    }

  if (run != self->run)
    return;

  g_clear_object (&self->cancellable);
  cf_run_controller_update_progress (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  g_signal_emit (self, signals[FINISHED], 0,
                 cf_run_get_n_done (run), cf_run_get_n_failed (run), cf_run_get_n_total (run),
                 message);
}

static void
cf_run_controller_begin (CfRunController *self,
                         CfRun           *run,
                         gboolean         keep_takes)
{
  g_assert (self->cancellable == NULL);

  g_set_object (&self->run, run);
  /* A zone changed since the last run shows from this one on. */
  g_time_zone_unref (self->log_zone);
  self->log_zone = g_time_zone_new_local ();

  if (!keep_takes)
    g_list_store_remove_all (self->take_lists);
  g_list_store_remove_all (self->account_lists);
  g_list_store_append (self->take_lists, cf_run_get_takes (run));
  g_list_store_append (self->account_lists, cf_run_get_accounts (run));

  g_signal_connect_object (run, "log", G_CALLBACK (run_log_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "progress", G_CALLBACK (run_progress_cb), self, G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  cf_run_start_async (run, self->cancellable, run_finished_cb, g_object_ref (self));

  cf_run_controller_update_progress (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
cf_run_controller_set_accounts (CfRunController *self,
                                GPtrArray       *accounts)
{
  g_return_if_fail (CF_IS_RUN_CONTROLLER (self));

  g_clear_pointer (&self->accounts_override, g_ptr_array_unref);
  if (accounts != NULL)
    self->accounts_override = g_ptr_array_ref (accounts);
}

static GPtrArray *
cf_run_controller_dup_accounts (CfRunController *self)
{
  if (self->accounts_override != NULL)
    {
      GPtrArray *copy = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < self->accounts_override->len; i++)
        g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (self->accounts_override, i)));
      return copy;
    }
  if (self->application != NULL)
    return cf_application_dup_run_accounts (self->application);
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
check_accounts (GPtrArray  *accounts,
                GError    **error)
{
  for (guint i = 0; i < accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (accounts, i);

      if (cf_account_get_enabled (account) && cf_account_is_usable (account))
        return TRUE;
    }

  g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("No account is ready: add one in Preferences, or try the demo"));
  return FALSE;
}

gboolean
cf_run_controller_start (CfRunController  *self,
                         CfScript         *script,
                         CfRunSettings    *settings,
                         GError          **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(CfRun) run = NULL;
  gboolean has_prompt = FALSE;

  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), FALSE);
  g_return_val_if_fail (CF_IS_SCRIPT (script), FALSE);
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (settings), FALSE);

  if (self->cancellable != NULL)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("A run is already going"));
      return FALSE;
    }

  for (guint i = 0; i < cf_script_get_n_scenes (script); i++)
    {
      g_autofree char *prompt = g_strdup (cf_scene_get_prompt (cf_script_get_scene (script, i)));

      if (prompt != NULL && *g_strstrip (prompt) != '\0')
        has_prompt = TRUE;
      else
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("Scene %u has no prompt"), i + 1);
          return FALSE;
        }
    }
  if (!has_prompt)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("The script has no scenes"));
      return FALSE;
    }

  accounts = cf_run_controller_dup_accounts (self);
  if (!check_accounts (accounts, error))
    return FALSE;

  g_clear_object (&self->script);
  self->script = cf_script_copy (script);
  g_clear_object (&self->settings);
  self->settings = cf_run_settings_copy (settings);

  run = cf_run_new (script, accounts, settings);
  cf_run_controller_begin (self, run, FALSE);

  return TRUE;
}

gboolean
cf_run_controller_resume (CfRunController  *self,
                          const char       *run_dir,
                          GError          **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfRun) run = NULL;

  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), FALSE);
  g_return_val_if_fail (run_dir != NULL, FALSE);

  if (self->cancellable != NULL)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("A run is already going"));
      return FALSE;
    }

  accounts = cf_run_controller_dup_accounts (self);
  if (!check_accounts (accounts, error))
    return FALSE;

  settings = cf_run_controller_dup_base_settings (self);
  run = cf_run_new_resume (run_dir, accounts, settings, error);
  if (run == NULL)
    return FALSE;

  g_clear_object (&self->script);
  g_clear_object (&self->settings);
  self->settings = g_steal_pointer (&settings);

  cf_run_controller_begin (self, run, FALSE);

  return TRUE;
}

gboolean
cf_run_controller_retry (CfRunController  *self,
                         CfTake           *take,
                         GError          **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(CfRun) run = NULL;
  g_autofree char *title = NULL;
  CfScene *scene = NULL;
  int code;

  g_return_val_if_fail (CF_IS_RUN_CONTROLLER (self), FALSE);
  g_return_val_if_fail (CF_IS_TAKE (take), FALSE);

  /* While the run goes on, the take joins its queue again; after it, the
   * scene is a run of its own (or, for a clip only left unsaved, the run is
   * resumed). */
  if (self->cancellable != NULL)
    return self->run != NULL && cf_run_retry_take (self->run, take, error);

  /* Paid for, and only not saved or not finished in time: the run's journal
   * still has its handle, and a resume polls and downloads it (and anything
   * else left to collect) without making it again. */
  if (self->run != NULL && cf_run_take_is_collectable (self->run, take))
    {
      if (self->settings == NULL)
        self->settings = cf_run_controller_dup_base_settings (self);
      accounts = cf_run_controller_dup_accounts (self);
      if (!check_accounts (accounts, error))
        return FALSE;
      run = cf_run_new_resume (cf_run_get_journal_dir (self->run), accounts, self->settings, error);
      if (run == NULL)
        return FALSE;
      cf_run_controller_begin (self, run, FALSE);
      return TRUE;
    }

  if (self->script != NULL)
    scene = cf_script_get_scene (self->script, cf_take_get_scene_number (take) - 1);

  accounts = cf_run_controller_dup_accounts (self);

  /* When the account was the problem (tokens expired, quota spent...), the
   * scene goes to the others; a prompt refusal would follow it anywhere. */
  code = cf_take_get_error_code (take);
  if (code >= 0 && accounts->len > 1 && cf_take_get_account_id (take) != NULL)
    {
      g_autoptr(GError) take_error = g_error_new_literal (CF_ERROR, code, "");

      if (cf_error_is_account_fatal (take_error))
        {
          for (guint i = accounts->len; i > 0; i--)
            {
              CfAccount *account = g_ptr_array_index (accounts, i - 1);

              if (g_strcmp0 (cf_account_get_id (account), cf_take_get_account_id (take)) == 0)
                g_ptr_array_remove_index (accounts, i - 1);
            }
        }
    }

  if (!check_accounts (accounts, error))
    return FALSE;

  script = cf_script_new ();
  /* The retry's files must not replace the first run's: its one scene is
   * scene 1 of its own script, so the title says which scene it was. */
  title = g_strdup_printf ("%s s%02u retry",
                           self->script != NULL && cf_script_get_title (self->script) != NULL
                             ? cf_script_get_title (self->script)
                             : "clipfleet",
                           cf_take_get_scene_number (take));
  cf_script_set_title (script, title);
  if (scene != NULL)
    {
      g_autoptr(CfScene) copy = cf_scene_copy (scene);

      cf_scene_set_takes (copy, 1);
      cf_script_append_scene (script, copy);
    }
  else
    {
      g_autoptr(CfScene) copy = cf_scene_new (cf_take_get_prompt (take));

      cf_scene_set_title (copy, cf_take_get_scene_title (take));
      cf_scene_set_takes (copy, 1);
      cf_script_append_scene (script, copy);
    }

  if (self->settings == NULL)
    self->settings = cf_run_controller_dup_base_settings (self);

  run = cf_run_new (script, accounts, self->settings);
  cf_run_controller_begin (self, run, TRUE);

  return TRUE;
}

void
cf_run_controller_stop (CfRunController *self)
{
  g_return_if_fail (CF_IS_RUN_CONTROLLER (self));

  if (self->run != NULL && self->cancellable != NULL)
    cf_run_stop (self->run);
}

void
cf_run_controller_cancel (CfRunController *self)
{
  g_return_if_fail (CF_IS_RUN_CONTROLLER (self));

  if (self->run != NULL && self->cancellable != NULL)
    cf_run_cancel (self->run);
}

static void
cf_run_controller_dispose (GObject *object)
{
  CfRunController *self = CF_RUN_CONTROLLER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->log_flush_source, g_source_remove);
  g_clear_object (&self->run);
  g_clear_object (&self->script);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);
  g_clear_pointer (&self->accounts_override, g_ptr_array_unref);

  G_OBJECT_CLASS (cf_run_controller_parent_class)->dispose (object);
}

static void
cf_run_controller_finalize (GObject *object)
{
  CfRunController *self = CF_RUN_CONTROLLER (object);

  g_clear_object (&self->takes);
  g_clear_object (&self->take_lists);
  g_clear_object (&self->accounts);
  g_clear_object (&self->account_lists);
  g_clear_object (&self->log);
  g_clear_pointer (&self->pending_log, g_ptr_array_unref);
  g_clear_pointer (&self->log_zone, g_time_zone_unref);
  g_clear_pointer (&self->progress_text, g_free);

  G_OBJECT_CLASS (cf_run_controller_parent_class)->finalize (object);
}

static void
cf_run_controller_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CfRunController *self = CF_RUN_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, cf_run_controller_get_running (self));
      break;

    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_PROGRESS_TEXT:
      g_value_set_string (value, cf_run_controller_get_progress_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_run_controller_class_init (CfRunControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_run_controller_dispose;
  object_class->finalize = cf_run_controller_finalize;
  object_class->get_property = cf_run_controller_get_property;

  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL,
                         CF_TYPE_RUN,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROGRESS_TEXT] =
    g_param_spec_string ("progress-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
}

static void
cf_run_controller_init (CfRunController *self)
{
  self->take_lists = g_list_store_new (G_TYPE_LIST_MODEL);
  self->takes = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_object_ref (self->take_lists))));
  self->account_lists = g_list_store_new (G_TYPE_LIST_MODEL);
  self->accounts = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_object_ref (self->account_lists))));
  self->log = g_list_store_new (CF_TYPE_LOG_LINE);
  self->pending_log = g_ptr_array_new_with_free_func (g_object_unref);
  self->log_zone = g_time_zone_new_local ();
}
