/* cf-cli-run.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `clipfleet-cli run`, `resume`, `runs` and `demo`: everything that drives a
 * CfRun from the command line, its Ctrl+C handling and its exit status.
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "cf-cli.h"
#include "cf-cli-view.h"
#include "cf-demo.h"
#include "cf-error.h"
#include "cf-journal.h"
#include "cf-run.h"
#include "cf-script-io.h"

typedef struct
{
  CfRun        *run;
  CfCliView    *view;
  GMainLoop    *loop;
  guint         n_interrupts;
  gboolean      ended;
  gboolean      ok;
  GError       *error;
} RunDriver;

static const char exit_status_text[] =
  N_("Exit status: 0 every take done, 1 some scenes failed (listed with their reasons),\n"
     "2 bad input, 3 no usable account, 130 interrupted (the journal is kept: resume with\n"
     "“clipfleet-cli resume RUN”).");

static gboolean
sigint_cb (gpointer user_data)
{
  RunDriver *driver = user_data;

  driver->n_interrupts++;
  /* The run logs what stopping and cancelling mean; we only say how to go further. */
  if (driver->n_interrupts == 1)
    {
      cf_run_stop (driver->run);
      cf_cli_view_log (driver->view, _("Press Ctrl+C again to cancel at once."));
    }
  else
    cf_run_cancel (driver->run);

  return G_SOURCE_CONTINUE;
}

static gboolean
sigterm_cb (gpointer user_data)
{
  RunDriver *driver = user_data;

  /* A service manager asking us to go: no time for the paid takes, the journal keeps them. */
  driver->n_interrupts = MAX (driver->n_interrupts, 2);
  cf_run_cancel (driver->run);

  return G_SOURCE_CONTINUE;
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunDriver *driver = user_data;

  driver->ok = cf_run_start_finish (CF_RUN (object), result, &driver->error);
  driver->ended = TRUE;
  g_main_loop_quit (driver->loop);
}

static gboolean
error_means_no_account (const GError *error)
{
  if (error == NULL || error->domain != CF_ERROR)
    return FALSE;

  switch (error->code)
    {
    case CF_ERROR_AUTH_EXPIRED:
    case CF_ERROR_NEEDS_VERIFICATION:
    case CF_ERROR_ACCESS_DENIED:
    case CF_ERROR_MODEL_NOT_ALLOWED:
    case CF_ERROR_QUOTA:
    case CF_ERROR_NO_SECRET_SERVICE:
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
dup_run_header (CfRun *run)
{
  g_autofree char *out_dir = cf_run_settings_dup_effective_output_dir (cf_run_get_settings (run));
  const char *title = cf_run_get_script_title (run);

  return g_strdup_printf (_("Run %s: “%s”, %u takes on %u accounts, into %s"),
                          cf_run_get_id (run), title != NULL ? title : "",
                          cf_run_get_n_total (run),
                          g_list_model_get_n_items (cf_run_get_accounts (run)), out_dir);
}

/* Runs the run to its end on a main loop; returns the exit status. */
static int
drive_run (CfRun         *run,
           CfCliViewMode  mode)
{
  g_autoptr(CfCliView) view = cf_cli_view_new (run, mode);
  g_autofree char *header = dup_run_header (run);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *message = NULL;
  RunDriver driver = { 0 };
  guint sigint_source;
  guint sigterm_source;
  int status;

  driver.run = run;
  driver.view = view;
  driver.loop = loop;

  cf_cli_view_log (view, header);

  sigint_source = g_unix_signal_add (SIGINT, sigint_cb, &driver);
  sigterm_source = g_unix_signal_add (SIGTERM, sigterm_cb, &driver);

  cf_run_start_async (run, NULL, run_done_cb, &driver);
  if (!driver.ended)
    g_main_loop_run (loop);

  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);

  if (driver.n_interrupts > 0
      || g_error_matches (driver.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || cf_run_get_state (run) == CF_RUN_STATE_CANCELLED)
    {
      status = CF_CLI_EXIT_INTERRUPTED;
      message = g_strdup_printf (_("Interrupted. Resume with: clipfleet-cli resume %s"),
                                 cf_run_get_id (run));
    }
  else if (!driver.ok)
    {
      status = error_means_no_account (driver.error)
               ? CF_CLI_EXIT_NO_ACCOUNT : CF_CLI_EXIT_FAILED;
      message = g_strdup_printf (_("The run could not go on: %s\nWhat was paid for is in the "
                                   "journal; resume with: clipfleet-cli resume %s"),
                                 driver.error != NULL ? driver.error->message : _("unknown error"),
                                 cf_run_get_id (run));
    }
  else if (cf_run_get_n_done (run) < cf_run_get_n_total (run))
    {
      status = CF_CLI_EXIT_FAILED;
      message = g_strdup_printf (_("%u of %u takes done; the failed scenes are listed above."),
                                 cf_run_get_n_done (run), cf_run_get_n_total (run));
    }
  else
    {
      g_autofree char *out_dir = cf_run_settings_dup_effective_output_dir (
                                   cf_run_get_settings (run));

      status = CF_CLI_EXIT_OK;
      message = g_strdup_printf (_("All %u takes done, saved in %s"),
                                 cf_run_get_n_total (run), out_dir);
    }

  cf_cli_view_finish (view, status, message);
  g_clear_error (&driver.error);

  return status;
}

/* The enabled, usable accounts of the accounts file or of the store; NULL sets *status. */
static GPtrArray *
collect_accounts (CfCliGlobal *global,
                  const char  *accounts_file,
                  int         *status)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) usable = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (accounts_file != NULL)
    {
      if ((all = cf_cli_load_accounts_file (accounts_file, &error)) == NULL)
        {
          cf_cli_printerr ("%s", error->message);
          *status = CF_CLI_EXIT_BAD_INPUT;
          return NULL;
        }
    }
  else
    {
      g_autoptr(CfAccountStore) store = cf_cli_open_account_store (global, &error);

      if (store == NULL)
        {
          cf_cli_print_store_error (error);
          *status = g_error_matches (error, CF_ERROR, CF_ERROR_NO_SECRET_SERVICE)
                    ? CF_CLI_EXIT_NO_ACCOUNT : CF_CLI_EXIT_BAD_INPUT;
          return NULL;
        }
      all = cf_account_store_dup_enabled (store);
    }

  for (guint i = 0; i < all->len; i++)
    {
      CfAccount *account = g_ptr_array_index (all, i);

      if (!cf_account_get_enabled (account))
        continue;
      if (!cf_account_is_usable (account))
        {
          g_printerr (_("Skipping account “%s”: it lacks a project id, tokens or an API key.\n"),
                      cf_account_get_name (account));
          continue;
        }
      g_ptr_array_add (usable, g_object_ref (account));
    }

  if (usable->len == 0 && all->len > 0 && accounts_file == NULL && !global->use_secrets_file)
    {
      g_autofree char *secrets_file = g_build_filename (g_get_user_config_dir (), "clipfleet",
                                                        "secrets.json", NULL);

      /* Accounts saved with --secrets-file have no tokens in the keyring. */
      if (g_file_test (secrets_file, G_FILE_TEST_EXISTS))
        g_printerr (_("Your tokens may be in %s: add --secrets-file to use it.\n"),
                    secrets_file);
    }

  if (usable->len == 0)
    {
      cf_cli_printerr (_("No usable account: every account is disabled or lacks its tokens.\n"
                         "Add one with “clipfleet-cli accounts add NAME”, enable one with "
                         "“clipfleet-cli accounts enable NAME”,\nor give an accounts file with "
                         "--accounts FILE."));
      *status = CF_CLI_EXIT_NO_ACCOUNT;
      return NULL;
    }

  return g_steal_pointer (&usable);
}

typedef struct
{
  char     *out_dir;
  char     *model;
  char     *gemini_model;
  char     *aspect;
  int       takes;
  char     *strategy;
  char     *accounts_file;
  char     *api_base;
  char     *state_dir;
  int       poll_interval;
  int       max_in_flight;
  gboolean  json;
  gboolean  resubmit_uncertain;
} RunOptions;

static void
run_options_clear (RunOptions *options)
{
  g_free (options->out_dir);
  g_free (options->model);
  g_free (options->gemini_model);
  g_free (options->aspect);
  g_free (options->strategy);
  g_free (options->accounts_file);
  g_free (options->api_base);
  g_free (options->state_dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunOptions, run_options_clear)

/* Settings from the options; FALSE (with a message printed) on a bad value. */
static CfRunSettings *
settings_from_options (RunOptions *options,
                       gboolean    resume)
{
  g_autoptr(CfRunSettings) settings = cf_run_settings_new ();
  g_autoptr(CfEndpoints) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  if (!resume)
    {
      if (options->out_dir != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (options->out_dir);
          g_autofree char *path = g_file_get_path (file);

          cf_run_settings_set_output_dir (settings, path);
        }
      if (options->model != NULL)
        cf_run_settings_set_model_key (settings, options->model);
      if (options->gemini_model != NULL)
        cf_run_settings_set_gemini_model_key (settings, options->gemini_model);
      if (options->aspect != NULL)
        {
          CfAspect aspect;

          if (!cf_aspect_from_string (options->aspect, &aspect) || aspect == CF_ASPECT_DEFAULT)
            {
              cf_cli_printerr (_("Unknown aspect “%s” (expected 16:9, 9:16 or 1:1)"),
                               options->aspect);
              return NULL;
            }
          cf_run_settings_set_aspect (settings, aspect);
        }
      if (options->takes != 0)
        {
          if (options->takes < 1 || options->takes > 4)
            {
              cf_cli_printerr (_("--takes must be from 1 to 4"));
              return NULL;
            }
          cf_run_settings_set_takes_per_scene (settings, options->takes);
        }
    }

  if (options->strategy != NULL)
    {
      CfStrategy strategy;

      if (!cf_strategy_from_string (options->strategy, &strategy))
        {
          cf_cli_printerr (_("Unknown strategy “%s” (expected dynamic or round-robin)"),
                           options->strategy);
          return NULL;
        }
      cf_run_settings_set_strategy (settings, strategy);
    }
  if (options->poll_interval != 0)
    {
      if (options->poll_interval < 10 || options->poll_interval > 600000)
        {
          cf_cli_printerr (_("--poll-interval must be from 10 to 600000 milliseconds"));
          return NULL;
        }
      cf_run_settings_set_poll_interval_ms (settings, options->poll_interval);
      /* Against a fast simulator, waits after a throttled answer shrink with the polls. */
      cf_run_settings_set_backoff_ms (settings,
                                      MIN (CF_RUN_SETTINGS_DEFAULT_BACKOFF_MS,
                                           (guint) options->poll_interval));
    }
  if (options->max_in_flight != 0)
    {
      if (options->max_in_flight < 1 || options->max_in_flight > 64)
        {
          cf_cli_printerr (_("--max-in-flight must be from 1 to 64"));
          return NULL;
        }
      cf_run_settings_set_max_in_flight (settings, options->max_in_flight);
    }
  if (options->state_dir != NULL)
    cf_run_settings_set_state_dir (settings, options->state_dir);

  if ((endpoints = cf_cli_make_endpoints (options->api_base, &error)) == NULL)
    {
      cf_cli_printerr ("--api-base: %s", error->message);
      return NULL;
    }
  if (options->api_base != NULL)
    cf_run_settings_set_endpoints (settings, endpoints);

  return g_steal_pointer (&settings);
}

static void
add_common_entries (GOptionContext *context,
                    RunOptions     *options)
{
  const GOptionEntry entries[] = {
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &options->strategy,
      N_("How scenes are shared: dynamic (default) or round-robin"), N_("STRATEGY") },
    { "accounts", 0, 0, G_OPTION_ARG_FILENAME, &options->accounts_file,
      N_("Read the accounts and their tokens from this JSON file (mode 0600) instead of the "
         "account store"), N_("FILE") },
    { "api-base", 0, 0, G_OPTION_ARG_STRING, &options->api_base,
      N_("Send every request to this origin instead of Google (e.g. clipfleet-sim)"),
      N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print one JSON event per line (log, take, account, progress, finished)"), NULL },
    { "poll-interval", 0, 0, G_OPTION_ARG_INT, &options->poll_interval,
      N_("How often each account polls its takes (default 5000)"), N_("MS") },
    { "max-in-flight", 0, 0, G_OPTION_ARG_INT, &options->max_in_flight,
      N_("Takes in flight per account (default: each account's own setting)"), N_("N") },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->state_dir,
      N_("Where run journals live (default $XDG_STATE_HOME/clipfleet/runs)"), N_("DIR") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

int
cf_cli_run_main (CfCliGlobal  *global,
                 int           argc,
                 char        **argv)
{
  g_auto(RunOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(CfRun) run = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int status = CF_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &options.out_dir,
      N_("Save the takes in this folder (default $XDG_VIDEOS_DIR/Clipfleet)"), N_("DIR") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &options.model,
      N_("The Labs model key (default " CF_RUN_SETTINGS_DEFAULT_MODEL ")"), N_("KEY") },
    { "gemini-model", 0, 0, G_OPTION_ARG_STRING, &options.gemini_model,
      N_("The model of Gemini accounts (default " CF_RUN_SETTINGS_DEFAULT_GEMINI_MODEL ")"),
      N_("KEY") },
    { "aspect", 'a', 0, G_OPTION_ARG_STRING, &options.aspect,
      N_("16:9 (default), 9:16 or 1:1, for scenes that do not say"), N_("A") },
    { "takes", 'n', 0, G_OPTION_ARG_INT, &options.takes,
      N_("Takes per scene, 1 to 4, for scenes that do not say (default 1)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (_("SCRIPT"));
  g_option_context_set_summary (context,
                                _("Render every scene of SCRIPT (JSON, text or CSV), spreading "
                                  "the scenes over all enabled accounts.\nA journal records "
                                  "every paid take: an interrupted run can be resumed."));
  g_option_context_set_description (context, _(exit_status_text));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_common_entries (context, &options);
  cf_cli_add_global_options (context, global);
  if (!cf_cli_parse_options (context, &argc, &argv))
    return CF_CLI_EXIT_BAD_INPUT;

  if (argc != 2)
    {
      cf_cli_printerr (_("Which script? Usage: clipfleet-cli run SCRIPT [OPTION…]"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  script = cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, &error);
  if (script == NULL)
    {
      cf_cli_printerr ("%s", error->message);
      return CF_CLI_EXIT_BAD_INPUT;
    }
  if (cf_script_get_n_scenes (script) == 0)
    {
      cf_cli_printerr (_("%s: the script has no scenes"), argv[1]);
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if ((settings = settings_from_options (&options, FALSE)) == NULL)
    return CF_CLI_EXIT_BAD_INPUT;

  if ((accounts = collect_accounts (global, options.accounts_file, &status)) == NULL)
    return status;

  run = cf_run_new (script, accounts, settings);

  return drive_run (run, cf_cli_view_mode_detect (options.json));
}

int
cf_cli_resume_main (CfCliGlobal  *global,
                    int           argc,
                    char        **argv)
{
  g_auto(RunOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) uncertain = NULL;
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfRun) run = NULL;
  g_autoptr(GError) error = NULL;
  CfCliViewMode mode;
  int status = CF_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "resubmit-uncertain", 0, 0, G_OPTION_ARG_NONE, &options.resubmit_uncertain,
      N_("Submit again the takes whose submit was cut off by the interruption "
         "(they may be paid twice)"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("RUN"));
  g_option_context_set_summary (context,
                                _("Continue an interrupted run (a run id from “clipfleet-cli "
                                  "runs”, or its folder).\nPaid takes are polled again, never "
                                  "submitted again; the script, model, aspect, takes and\n"
                                  "output folder come from the run's journal."));
  g_option_context_set_description (context, _(exit_status_text));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_common_entries (context, &options);
  cf_cli_add_global_options (context, global);
  if (!cf_cli_parse_options (context, &argc, &argv))
    return CF_CLI_EXIT_BAD_INPUT;

  if (argc != 2)
    {
      cf_cli_printerr (_("Which run? Usage: clipfleet-cli resume RUN (see “clipfleet-cli runs”)"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if ((settings = settings_from_options (&options, TRUE)) == NULL)
    return CF_CLI_EXIT_BAD_INPUT;

  if ((accounts = collect_accounts (global, options.accounts_file, &status)) == NULL)
    return status;

  run = cf_run_new_resume (argv[1], accounts, settings, &error);
  if (run == NULL)
    {
      cf_cli_printerr ("%s", error->message);
      return error_means_no_account (error) ? CF_CLI_EXIT_NO_ACCOUNT : CF_CLI_EXIT_BAD_INPUT;
    }

  mode = cf_cli_view_mode_detect (options.json);
  uncertain = cf_run_dup_uncertain_takes (run);
  if (uncertain != NULL && uncertain->len > 0)
    {
      if (options.resubmit_uncertain)
        cf_run_set_resubmit_uncertain (run, TRUE);
      else
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "%u take may have been paid for without our knowing: its "
                                 "submit was cut off. It is left alone; add "
                                 "--resubmit-uncertain to submit it again.\n",
                                 "%u takes may have been paid for without our knowing: their "
                                 "submit was cut off. They are left alone; add "
                                 "--resubmit-uncertain to submit them again.\n",
                                 uncertain->len), uncertain->len);
    }

  return drive_run (run, mode);
}

static const char *
run_info_state (const CfRunInfo *info)
{
  if (info->ended && info->end_state != NULL)
    {
      /* A run that ended with something left to do can still be resumed. */
      if (cf_run_info_is_resumable (info) && !g_str_equal (info->end_state, "finished"))
        return "resumable";
      return info->end_state;
    }

  return cf_run_info_is_resumable (info) ? "interrupted" : "incomplete";
}

int
cf_cli_runs_main (CfCliGlobal  *global,
                  int           argc,
                  char        **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_dir = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      N_("Where run journals live (default $XDG_STATE_HOME/clipfleet/runs)"), N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("List the runs, newest first, with their state. "
                                           "Interrupted runs can be resumed with "
                                           "“clipfleet-cli resume RUN”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cf_cli_add_global_options (context, global);
  if (!cf_cli_parse_options (context, &argc, &argv))
    return CF_CLI_EXIT_BAD_INPUT;

  if (argc != 1)
    {
      cf_cli_printerr (_("“runs” takes no arguments"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  runs = cf_journal_list_runs (state_dir, &error);
  if (runs == NULL)
    {
      cf_cli_printerr ("%s", error->message);
      return CF_CLI_EXIT_BAD_INPUT;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "runs");
      json_builder_begin_array (builder);
      for (guint i = 0; i < runs->len; i++)
        {
          const CfRunInfo *info = g_ptr_array_index (runs, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, info->run_id);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, run_info_state (info));
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, info->script_title);
          json_builder_set_member_name (builder, "dir");
          json_builder_add_string_value (builder, info->dir);
          json_builder_set_member_name (builder, "created");
          json_builder_add_int_value (builder, info->created);
          json_builder_set_member_name (builder, "updated");
          json_builder_add_int_value (builder, info->updated);
          json_builder_set_member_name (builder, "scenes");
          json_builder_add_int_value (builder, info->n_scenes);
          json_builder_set_member_name (builder, "takes");
          json_builder_add_int_value (builder, info->n_takes);
          json_builder_set_member_name (builder, "done");
          json_builder_add_int_value (builder, info->n_done);
          json_builder_set_member_name (builder, "failed");
          json_builder_add_int_value (builder, info->n_failed);
          json_builder_set_member_name (builder, "pending");
          json_builder_add_int_value (builder, info->n_pending);
          json_builder_set_member_name (builder, "unsubmitted");
          json_builder_add_int_value (builder, info->n_unsubmitted);
          json_builder_set_member_name (builder, "uncertain");
          json_builder_add_int_value (builder, info->n_uncertain);
          json_builder_set_member_name (builder, "resumable");
          json_builder_add_boolean_value (builder, cf_run_info_is_resumable (info));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return CF_CLI_EXIT_OK;
    }

  if (runs->len == 0)
    {
      g_print (_("No runs yet.\n"));
      return CF_CLI_EXIT_OK;
    }

  g_print ("%-24s %-12s %-11s %-17s %s\n", _("RUN"), _("STATE"), _("DONE"), _("UPDATED"),
           _("TITLE"));
  for (guint i = 0; i < runs->len; i++)
    {
      const CfRunInfo *info = g_ptr_array_index (runs, i);
      g_autoptr(GDateTime) updated = g_date_time_new_from_unix_local (info->updated);
      g_autofree char *when = updated != NULL ? g_date_time_format (updated, "%Y-%m-%d %H:%M")
                                              : g_strdup ("-");
      g_autofree char *done = g_strdup_printf ("%u/%u", info->n_done, info->n_takes);

      g_print ("%-24s %-12s %-11s %-17s %s\n", info->run_id, run_info_state (info), done, when,
               info->script_title != NULL ? info->script_title : "");
    }

  return CF_CLI_EXIT_OK;
}

int
cf_cli_demo_main (CfCliGlobal  *global,
                  int           argc,
                  char        **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CfDemo) demo = NULL;
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *state_dir = NULL;
  CfCliViewMode mode;
  gboolean json = FALSE;
  double time_scale = 0;
  int poll_interval = 0;
  int status;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Save the takes in this folder (default “Clipfleet Demo” in your Videos folder)"),
      N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON event per line"), NULL },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      N_("Where run journals live (default $XDG_STATE_HOME/clipfleet/runs)"), N_("DIR") },
    /* For tests: the same demo, faster. */
    { "sim-time-scale", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &time_scale, NULL, NULL },
    { "poll-interval", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &poll_interval, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Render a sample script of 10 scenes on three simulated "
                                  "accounts.\nThe Google service is SIMULATED in this process: "
                                  "no account, no network, no cost."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cf_cli_add_global_options (context, global);
  if (!cf_cli_parse_options (context, &argc, &argv))
    return CF_CLI_EXIT_BAD_INPUT;

  if (argc != 1)
    {
      cf_cli_printerr (_("“demo” takes no arguments"));
      return CF_CLI_EXIT_BAD_INPUT;
    }

  demo = cf_demo_start (&error);
  if (demo == NULL)
    {
      cf_cli_printerr (_("Could not start the simulator: %s"), error->message);
      return CF_CLI_EXIT_FAILED;
    }

  if (time_scale > 0)
    cf_demo_set_time_scale (demo, time_scale);
  settings = cf_run_settings_new ();
  if (out_dir != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_dir);
      g_autofree char *path = g_file_get_path (file);

      cf_run_settings_set_output_dir (settings, path);
    }
  cf_demo_configure_settings (demo, settings);
  if (poll_interval > 0)
    {
      cf_run_settings_set_poll_interval_ms (settings, poll_interval);
      cf_run_settings_set_backoff_ms (settings, poll_interval);
    }
  if (state_dir != NULL)
    cf_run_settings_set_state_dir (settings, state_dir);

  mode = cf_cli_view_mode_detect (json);
  if (mode != CF_CLI_VIEW_JSON)
    {
      g_print (_("DEMO: the Google service is SIMULATED (clipfleet-sim in this process, at %s).\n"
                 "Nothing leaves this machine and no account is charged; the clips are "
                 "placeholders.\n"),
               cf_demo_get_base_url (demo));
      fflush (stdout);
    }

  run = cf_run_new (cf_demo_get_script (demo), cf_demo_get_accounts (demo), settings);
  status = drive_run (run, mode);

  if (mode != CF_CLI_VIEW_JSON && status == CF_CLI_EXIT_INTERRUPTED)
    g_print (_("(A demo run cannot be resumed: its simulator ends with this process. Run the "
               "demo again instead.)\n"));
  else if (mode != CF_CLI_VIEW_JSON)
    g_print (_("DEMO finished: the service was SIMULATED. For real runs add your accounts with "
               "“clipfleet-cli accounts add”.\n"));

  g_clear_object (&run);
  cf_demo_stop (demo);

  return status;
}
