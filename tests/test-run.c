/* test-run.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cf-run-private.h"
#include "cf-run.h"
#include "cf-test-util.h"

/*
 * A whole run against the in-process simulator: mode and log lines, what
 * the journal holds (and never holds), stop and cancel, downloads that fail
 * without paying twice, and the coalescing of events.
 */

/* Shared by the run tests: a simulator, accounts for it, and a run driven to its end. */

#define RENDER_SECONDS 10

typedef struct
{
  CfSimServer *sim;
  CfEndpoints *endpoints;
  char        *tmp_dir;
  char        *state_dir;
  char        *output_dir;
  GPtrArray   *accounts;
  GPtrArray   *log;
  gboolean     done;
  gboolean     ok;
  GError      *error;
} Fixture;

static const char *project_ids[] = {
  "87b19267-13d6-49cd-a7ed-db19a90c9339",
  "2c0e7a51-8f43-4d6b-b1a9-5e2d7c3f9a10",
  "d4b8f0e2-6a1c-4f3e-9b7d-0c5a2e8f1b36",
  "5a0c3e9b-7d21-4c86-a3f0-91e6b2d84c17",
  "e7f91b24-3c58-46d0-8a1e-6b9c0d2f7a35",
  "0b6d2f48-a913-4e7c-b5d0-3f8e1c7a9d62",
};

/*
 * The simulator with n labs accounts "Account-A", "Account-B"...; extra[i]
 * (may be NULL) adds members to account i, faults the global faults object.
 */
static char *
sim_config (guint               n,
            const char * const *extra,
            const char         *faults)
{
  GString *json = g_string_new (NULL);

  g_string_append_printf (json,
                          "{ \"seed\": 7, \"time_scale\": 0.01,"
                          "  \"models\": [ { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20,"
                          "    \"render_seconds\": %d, \"shape\": \"A\" } ],"
                          "  \"policy\": { \"reject_words\": [\"gore\"],"
                          "                \"fail_words\": [\"celebrity\"] },"
                          "  \"faults\": %s,"
                          "  \"accounts\": [",
                          RENDER_SECONDS, faults ? faults : "{}");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json,
                            "%s{ \"kind\": \"labs\", \"name\": \"Account-%c\","
                            "  \"tokens\": [\"ya29.sim-secret-%c\"], \"project_id\": \"%s\","
                            "  \"credits\": 100000, \"max_in_flight\": 4, \"max_rps\": 1000"
                            "  %s%s }",
                            i > 0 ? "," : "", 'A' + i, 'a' + i, project_ids[i],
                            extra && extra[i] ? "," : "", extra && extra[i] ? extra[i] : "");
  g_string_append (json, "] }");

  return g_string_free (json, FALSE);
}

static CfAccount *
make_account (guint i,
              guint max_in_flight)
{
  g_autofree char *name = g_strdup_printf ("Account-%c", 'A' + i);
  g_autofree char *token = g_strdup_printf ("ya29.sim-secret-%c", 'a' + i);
  const char *tokens[] = { token, NULL };
  CfAccount *account = cf_account_new (CF_ACCOUNT_KIND_LABS, name);

  cf_account_set_tokens (account, tokens);
  cf_account_set_project_id (account, project_ids[i]);
  cf_account_set_max_in_flight (account, max_in_flight);
  return account;
}

G_GNUC_UNUSED /*
 * The journal syncs to the disk before each submit; on a slow disk that
 * would make the tests slow and their balance between accounts
 * meaningless, so they keep their files in memory when they can.
 */
static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
    {
      dir = g_build_filename ("/dev/shm", "cf-run-test-XXXXXX", NULL);
      if (g_mkdtemp (dir) != NULL)
        return dir;
      g_free (dir);
    }

  dir = g_dir_make_tmp ("cf-run-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

G_GNUC_UNUSED static void
fixture_start (Fixture            *f,
               guint               n_accounts,
               const char * const *extra,
               const char         *faults,
               guint               max_in_flight)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = sim_config (n_accounts, extra, faults);

  f->sim = cf_test_sim_start (config);
  f->endpoints = cf_endpoints_new_for_origin (cf_sim_server_get_base_url (f->sim), &error);
  g_assert_no_error (error);

  f->tmp_dir = make_tmp_dir ();
  f->state_dir = g_build_filename (f->tmp_dir, "runs", NULL);
  f->output_dir = g_build_filename (f->tmp_dir, "out", NULL);

  f->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_accounts; i++)
    g_ptr_array_add (f->accounts, make_account (i, max_in_flight));
  f->log = g_ptr_array_new_with_free_func (g_free);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->sim != NULL)
    {
      cf_sim_server_stop (f->sim);
      g_assert_finalize_object (f->sim);
    }
  g_clear_pointer (&f->endpoints, cf_endpoints_unref);
  g_clear_pointer (&f->accounts, g_ptr_array_unref);
  g_clear_pointer (&f->log, g_ptr_array_unref);
  g_clear_error (&f->error);
  if (f->tmp_dir != NULL)
    remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
  g_free (f->state_dir);
  g_free (f->output_dir);
}

G_GNUC_UNUSED static CfRunSettings *
fixture_settings (Fixture *f)
{
  CfRunSettings *settings = cf_run_settings_new ();

  cf_run_settings_set_endpoints (settings, f->endpoints);
  cf_run_settings_set_state_dir (settings, f->state_dir);
  cf_run_settings_set_output_dir (settings, f->output_dir);
  cf_run_settings_set_poll_interval_ms (settings, 20);
  cf_run_settings_set_backoff_ms (settings, 10);
  cf_run_settings_set_backoff_max_ms (settings, 100);
  return settings;
}

G_GNUC_UNUSED static CfScript *
make_script (guint       n_scenes,
             const char *special_prompt,
             guint       special_scene)
{
  CfScript *script = cf_script_new ();

  cf_script_set_title (script, "Paper boats");
  for (guint i = 1; i <= n_scenes; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("A paper boat on a pond, shot %u", i);
      g_autoptr(CfScene) scene = cf_scene_new (i == special_scene ? special_prompt : prompt);

      cf_script_append_scene (script, scene);
    }
  return script;
}

static void
log_cb (CfRun      *run,
        const char *line,
        Fixture    *f)
{
  g_ptr_array_add (f->log, g_strdup (line));
  if (g_test_verbose ())
    g_printerr ("# %.3f %s\n", g_get_monotonic_time () / 1e6, line);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = cf_run_start_finish (CF_RUN (object), result, &f->error);
  f->done = TRUE;
}

G_GNUC_UNUSED static void
run_start (Fixture *f,
           CfRun   *run)
{
  f->done = FALSE;
  f->ok = FALSE;
  g_clear_error (&f->error);
  g_signal_connect (run, "log", G_CALLBACK (log_cb), f);
  cf_run_start_async (run, NULL, run_done_cb, f);
}

G_GNUC_UNUSED static void
run_wait (Fixture *f)
{
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
}

G_GNUC_UNUSED static gboolean
run_to_end (Fixture *f,
            CfRun   *run)
{
  run_start (f, run);
  run_wait (f);
  return f->ok;
}

G_GNUC_UNUSED static gboolean
log_has (Fixture    *f,
         const char *text)
{
  for (guint i = 0; i < f->log->len; i++)
    if (strstr (g_ptr_array_index (f->log, i), text) != NULL)
      return TRUE;
  return FALSE;
}

G_GNUC_UNUSED static guint
count_takes_in_state (CfRun       *run,
                      CfTakeState  state)
{
  GListModel *takes = cf_run_get_takes (run);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(CfTake) take = g_list_model_get_item (takes, i);

      if (cf_take_get_state (take) == state)
        n++;
    }
  return n;
}

G_GNUC_UNUSED static JsonObject *
stats_account (Fixture    *f,
               const char *name,
               JsonNode  **keep)
{
  *keep = cf_test_sim_stats (f->sim);
  return cf_test_stats_account (*keep, name);
}

G_GNUC_UNUSED static gint64
charged (Fixture    *f,
         const char *name)
{
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *account = stats_account (f, name, &stats);

  return json_object_get_int_member (account, "takes_charged");
}

G_GNUC_UNUSED static gint64
total_charged (Fixture *f)
{
  gint64 total = 0;

  for (guint i = 0; i < f->accounts->len; i++)
    total += charged (f, cf_account_get_name (g_ptr_array_index (f->accounts, i)));
  return total;
}

G_GNUC_UNUSED static CfRunAccount *
run_account (CfRun *run,
             guint  i)
{
  /* Borrowed: the model keeps it alive. */
  g_autoptr(CfRunAccount) account = g_list_model_get_item (cf_run_get_accounts (run), i);

  return account;
}

static void
test_parallel_mode_and_log (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 3, NULL, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (6, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_cmpint (cf_run_get_mode (run), ==, CF_RUN_MODE_PARALLEL);
  g_assert_cmpuint (cf_run_get_n_total (run), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (cf_run_get_takes (run)), ==, 6);
  g_assert_cmpuint (count_takes_in_state (run, CF_TAKE_STATE_QUEUED), ==, 6);

  g_assert_true (run_to_end (f, run));
  g_assert_no_error (f->error);
  g_assert_cmpint (cf_run_get_state (run), ==, CF_RUN_STATE_FINISHED);
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 6);
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, 0);
  g_assert_cmpuint (count_takes_in_state (run, CF_TAKE_STATE_DONE), ==, 6);

  g_assert_true (log_has (f, "Multi-account mode: 3 accounts active"));
  g_assert_true (log_has (f, "Account-B (project 2c0e7a51, 1 token)"));
  g_assert_true (log_has (f, "Processing mode: PARALLEL"));
  g_assert_true (log_has (f, "(6/6)"));
  g_assert_true (log_has (f, " take 1 ready"));
  g_assert_true (log_has (f, "Downloaded "));
  g_assert_false (log_has (f, "ya29."));

  /* Every card says where its file is, and the file and its sidecar are there. */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(CfTake) take = g_list_model_get_item (cf_run_get_takes (run), i);
      const char *path = cf_take_get_file_path (take);

      g_assert_nonnull (path);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_nonnull (cf_take_get_handle_name (take));
      g_assert_nonnull (cf_take_get_account_name (take));
      g_assert_cmpint (cf_take_get_finished_time (take), >=, cf_take_get_submitted_time (take));
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  g_assert_cmpint (total_charged (f), ==, 6);
  g_assert_finalize_object (run);
}

static void
test_sequential_mode (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 2, NULL, NULL, 2);
  /* A disabled account does not count: one account left is sequential. */
  cf_account_set_enabled (g_ptr_array_index (f->accounts, 1), FALSE);
  settings = fixture_settings (f);
  script = make_script (3, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_cmpint (cf_run_get_mode (run), ==, CF_RUN_MODE_SEQUENTIAL);
  g_assert_cmpuint (g_list_model_get_n_items (cf_run_get_accounts (run)), ==, 1);
  g_assert_true (run_to_end (f, run));
  g_assert_true (log_has (f, "Processing mode: SEQUENTIAL"));
  g_assert_true (log_has (f, "Account-B is disabled"));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 3);
  g_assert_cmpint (charged (f, "Account-A"), ==, 3);
  g_assert_cmpint (charged (f, "Account-B"), ==, 0);
  g_assert_finalize_object (run);
}

static void
test_no_account (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  CfRun *run;

  /* No simulator: nothing may reach the network. */
  f->log = g_ptr_array_new_with_free_func (g_free);
  settings = cf_run_settings_new ();
  cf_run_settings_set_state_dir (settings, "/nonexistent/never-written");
  script = make_script (2, NULL, 0);
  run = cf_run_new (script, none, settings);

  g_assert_false (run_to_end (f, run));
  g_assert_error (f->error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_cmpint (cf_run_get_state (run), ==, CF_RUN_STATE_FAILED);
  g_assert_finalize_object (run);
}

G_GNUC_NO_INLINE static char *
read_journal (CfRun *run)
{
  g_autofree char *path = g_build_filename (cf_run_get_journal_dir (run), "journal.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_journal_contents (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autofree char *journal = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  CfRunInfo *info;
  CfRun *run;

  fixture_start (f, 2, NULL, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (4, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);
  g_assert_true (run_to_end (f, run));

  g_assert_true (g_str_has_prefix (cf_run_get_journal_dir (run), f->state_dir));
  journal = read_journal (run);

  /* Never a token, in any form. */
  g_assert_null (strstr (journal, "ya29"));
  g_assert_null (strstr (journal, "sim-secret"));

  lines = g_strsplit (journal, "\n", -1);
  g_assert_true (strstr (lines[0], "\"t\":\"run\"") != NULL);
  g_assert_true (strstr (lines[0], "A paper boat on a pond, shot 3") != NULL);
  g_assert_true (strstr (lines[0], "Account-A") != NULL);
  g_assert_true (strstr (journal, "\"t\":\"submit\"") != NULL);
  g_assert_true (strstr (journal, "\"client_ids\"") != NULL);
  g_assert_true (strstr (journal, "\"t\":\"accepted\"") != NULL);
  g_assert_true (strstr (journal, "\"t\":\"done\"") != NULL);
  g_assert_true (strstr (journal, "\"t\":\"end\"") != NULL);

  /* Each submit's intent comes before the answer to it. */
  {
    gsize submit_at = strstr (journal, "\"t\":\"submit\"") - journal;
    gsize accepted_at = strstr (journal, "\"t\":\"accepted\"") - journal;

    g_assert_cmpuint (submit_at, <, accepted_at);
  }

  runs = cf_journal_list_runs (f->state_dir, NULL);
  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, ==, 1);
  info = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (info->run_id, ==, cf_run_get_id (run));
  g_assert_cmpstr (info->script_title, ==, "Paper boats");
  g_assert_cmpuint (info->n_takes, ==, 4);
  g_assert_cmpuint (info->n_done, ==, 4);
  g_assert_true (info->ended);
  g_assert_cmpstr (info->end_state, ==, "finished");
  g_assert_false (cf_run_info_is_resumable (info));

  g_assert_finalize_object (run);
}

static void
stop_after_first_submit_cb (CfRun   *run,
                            CfTake  *take,
                            Fixture *f)
{
  if (cf_take_get_state (take) == CF_TAKE_STATE_PENDING &&
      cf_run_get_state (run) == CF_RUN_STATE_RUNNING)
    cf_run_stop (run);
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  guint done;
  CfRun *run;

  fixture_start (f, 1, NULL, NULL, 1);
  settings = fixture_settings (f);
  script = make_script (5, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);
  g_signal_connect (run, "take-changed", G_CALLBACK (stop_after_first_submit_cb), f);

  /* Stop keeps collecting what is paid for: the run ends without an error. */
  g_assert_true (run_to_end (f, run));
  g_assert_cmpint (cf_run_get_state (run), ==, CF_RUN_STATE_STOPPED);

  done = cf_run_get_n_done (run);
  g_assert_cmpuint (done, >=, 1);
  g_assert_cmpuint (done, <, 5);
  g_assert_cmpint (charged (f, "Account-A"), ==, done);
  g_assert_cmpuint (count_takes_in_state (run, CF_TAKE_STATE_CANCELLED), ==, 5 - done);
  g_assert_finalize_object (run);
}

static void
cancel_after_first_submit_cb (CfRun   *run,
                              CfTake  *take,
                              Fixture *f)
{
  if (cf_take_get_state (take) == CF_TAKE_STATE_PENDING)
    cf_run_cancel (run);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(CfRunInfo) info = NULL;
  CfRun *run;

  fixture_start (f, 1, NULL, NULL, 1);
  settings = fixture_settings (f);
  script = make_script (4, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);
  g_signal_connect (run, "take-changed", G_CALLBACK (cancel_after_first_submit_cb), f);

  g_assert_false (run_to_end (f, run));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cf_run_get_state (run), ==, CF_RUN_STATE_CANCELLED);
  /* Cancel abandons polling: the paid take is not downloaded... */
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 0);
  g_assert_cmpuint (count_takes_in_state (run, CF_TAKE_STATE_CANCELLED), ==, 4);

  /* ...but the journal keeps its handle for a resume. */
  info = cf_journal_read_info (cf_run_get_journal_dir (run), NULL);
  g_assert_nonnull (info);
  g_assert_cmpuint (info->n_pending, ==, charged (f, "Account-A"));
  g_assert_cmpuint (info->n_pending, >=, 1);
  g_assert_true (cf_run_info_is_resumable (info));
  g_assert_cmpstr (info->end_state, ==, "cancelled");
  g_assert_finalize_object (run);
}

static void
test_download_faults (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 2, NULL, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (6, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  /* Half the downloads break or meet an expired URL; none may be generated twice. */
  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "truncated_download", 0.3));
  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "expired_url", 0.3));

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run) + cf_run_get_n_failed (run), ==, 6);
  g_assert_cmpuint (cf_run_get_n_done (run), >=, 1);
  g_assert_cmpint (total_charged (f), ==, 6);
  g_assert_finalize_object (run);
}

/*
 * A download that keeps failing: the first attempt and exactly three retries
 * (labs-flow.md 5c), then the take is FAILED and its handle stays in the
 * journal for a resume. It is never generated again.
 */
static void
test_download_retries (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_autoptr(CfRunInfo) info = NULL;
  g_autoptr(CfTake) take = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *sim_takes;
  CfRun *run;

  fixture_start (f, 1, NULL, NULL, 1);
  settings = fixture_settings (f);
  script = make_script (1, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);
  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "truncated_download", 1.0));

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 0);
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, 1);
  take = g_list_model_get_item (cf_run_get_takes (run), 0);
  g_assert_cmpint (cf_take_get_state (take), ==, CF_TAKE_STATE_FAILED);
  g_assert_nonnull (strstr (cf_take_get_error_reason (take), "resume"));

  stats = cf_test_sim_stats (f->sim);
  sim_takes = json_object_get_array_member (json_node_get_object (stats), "takes");
  g_assert_cmpuint (json_array_get_length (sim_takes), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (sim_takes, 0),
                                               "downloads"), ==, 4);
  g_assert_cmpint (total_charged (f), ==, 1);

  info = cf_journal_read_info (cf_run_get_journal_dir (run), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->n_pending, ==, 1);
  g_clear_object (&take);
  g_assert_finalize_object (run);
}

typedef struct
{
  Fixture   *f;
  CfRun     *run;
  GPtrArray *retried;     /* CfTake, each once */
  guint      n_accepted;
  guint      n_refused;
} RetryWatch;

/* Retries every take that times out, as a user pressing Retry on its card. */
static void
retry_take_changed_cb (CfRun      *run,
                       CfTake     *take,
                       RetryWatch *watch)
{
  g_autoptr(GError) error = NULL;

  if (cf_take_get_state (take) != CF_TAKE_STATE_TIMED_OUT)
    return;

  if (cf_run_retry_take (run, take, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpint (cf_take_get_state (take), ==, CF_TAKE_STATE_QUEUED);
      g_assert_cmpint (cf_take_get_error_code (take), ==, -1);
      watch->n_accepted++;
      if (!g_ptr_array_find (watch->retried, take, NULL))
        g_ptr_array_add (watch->retried, g_object_ref (take));
    }
  else
    {
      /* Only when the run was ending. */
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      watch->n_refused++;
    }
}

/*
 * Retry while the run goes on: Account-A renders far slower than the time
 * limit, so its takes time out; each is retried at once. A timed-out take
 * is paid for and still rendering, so the retry asks Account-A for it
 * again instead of paying for it on Account-B: a retried take ends done on
 * the account that made it (or, refused as the run ended, still kept), and
 * the service charged each scene once. A retry of a take that did not fail
 * is refused.
 */
static void
test_retry_during_run (Fixture       *f,
                       gconstpointer  data)
{
  const char *extra[] = { "\"render_factor\": 40", NULL };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = NULL;
  g_autoptr(GPtrArray) retried = g_ptr_array_new_with_free_func (g_object_unref);
  RetryWatch watch = { f, NULL, retried, 0, 0 };
  guint n_done_on_a = 0;
  CfRun *run;

  fixture_start (f, 2, extra, NULL, 1);
  settings = fixture_settings (f);
  /* Account-B renders a take in about RENDER_SECONDS / 100 s, a tenth of
   * the limit; Account-A in forty times that, four times the limit. */
  cf_run_settings_set_take_time_limit_ms (settings, RENDER_SECONDS * 100);
  script = make_script (12, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);
  watch.run = run;
  g_signal_connect (run, "take-changed", G_CALLBACK (retry_take_changed_cb), &watch);

  g_assert_true (run_to_end (f, run));

  g_assert_cmpuint (watch.n_accepted, >=, 1);
  g_assert_cmpuint (cf_run_get_n_done (run) + cf_run_get_n_failed (run), ==, 12);
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, watch.n_refused);
  g_assert_true (log_has (f, "asking Account-A again"));

  /* Each retried take was saved, by the account that made it, or was
   * refused only as the run ended and is still kept for a resume. */
  for (guint i = 0; i < retried->len; i++)
    {
      CfTake *take = g_ptr_array_index (retried, i);

      if (cf_take_get_state (take) == CF_TAKE_STATE_DONE)
        {
          g_assert_true (g_file_test (cf_take_get_file_path (take), G_FILE_TEST_IS_REGULAR));
          if (g_strcmp0 (cf_take_get_account_name (take), "Account-A") == 0)
            n_done_on_a++;
        }
      else
        {
          g_assert_cmpint (cf_take_get_state (take), ==, CF_TAKE_STATE_TIMED_OUT);
          g_assert_true (cf_run_take_is_collectable (run, take));
        }
    }
  g_assert_cmpuint (n_done_on_a, >=, 1);

  /* Nothing paid twice: twelve scenes, twelve takes charged, and no retry
   * line that would make a resume submit one again. */
  g_assert_cmpint (total_charged (f), ==, 12);
  journal = read_journal (run);
  g_assert_null (strstr (journal, "\"retry\""));

  /* A take that did not fail is refused. */
  for (guint i = 0; i < retried->len; i++)
    {
      CfTake *take = g_ptr_array_index (retried, i);

      if (cf_take_get_state (take) != CF_TAKE_STATE_DONE)
        continue;
      g_assert_false (cf_run_retry_take (run, take, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      break;
    }

  g_clear_pointer (&retried, g_ptr_array_unref);
  g_assert_finalize_object (run);
}

/*
 * After the run: takes that timed out are collectable, and a resume (what
 * the window's Retry does then) polls their handles again and saves them,
 * without a new submit.
 */
static void
test_timed_out_collected_by_resume (Fixture       *f,
                                    gconstpointer  data)
{
  const char *extra[] = { "\"render_factor\": 20", NULL };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(GError) error = NULL;
  CfRun *run;
  CfRun *resumed;

  fixture_start (f, 1, extra, NULL, 2);
  settings = fixture_settings (f);
  /* A take renders in about 2 s; the first run gives up after 0.3 s. */
  cf_run_settings_set_take_time_limit_ms (settings, RENDER_SECONDS * 10 * 3);
  script = make_script (2, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CfTake) take = g_list_model_get_item (cf_run_get_takes (run), i);

      g_assert_cmpint (cf_take_get_state (take), ==, CF_TAKE_STATE_TIMED_OUT);
      g_assert_true (cf_run_take_is_collectable (run, take));
    }
  g_assert_cmpint (total_charged (f), ==, 2);

  cf_run_settings_set_take_time_limit_ms (settings, RENDER_SECONDS * 1000);
  resumed = cf_run_new_resume (cf_run_get_journal_dir (run), f->accounts, settings, &error);
  g_assert_no_error (error);
  g_assert_true (run_to_end (f, resumed));
  g_assert_cmpuint (cf_run_get_n_done (resumed), ==, 2);
  g_assert_cmpint (total_charged (f), ==, 2);

  g_assert_finalize_object (resumed);
  g_assert_finalize_object (run);
}

static gboolean
all_downloaded (Fixture *f,
                guint    n)
{
  g_autoptr(JsonNode) stats = cf_test_sim_stats (f->sim);
  JsonArray *takes = json_object_get_array_member (json_node_get_object (stats), "takes");
  guint downloaded = 0;

  for (guint i = 0; i < json_array_get_length (takes); i++)
    if (json_object_get_int_member (json_array_get_object_element (takes, i), "downloads") > 0)
      downloaded++;
  return downloaded >= n;
}

static void
test_coalescing (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 3, NULL, NULL, 4);
  settings = fixture_settings (f);
  script = make_script (24, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  /*
   * The main loop is busy elsewhere while the workers do the whole run:
   * every event they send meanwhile must wait in one pending batch.
   */
  run_start (f, run);
  while (!all_downloaded (f, 24))
    cf_test_sleep (0.02);
  cf_test_sleep (0.2);
  run_wait (f);

  g_assert_true (f->ok);
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 24);
  g_test_message ("%u events in %u dispatches",
                  cf_run_get_n_events (run), cf_run_get_n_dispatches (run));
  g_assert_cmpuint (cf_run_get_n_events (run), >, 24 * 4);
  /* One batch; the main loop applies it in chunks of at most 32 events
   * (cf-scheduler.c), a few chunks per dispatch, so that a backlog never
   * freezes the window. One dispatch per event would be over 96. */
  g_assert_cmpuint (cf_run_get_n_dispatches (run), <=, 3 + cf_run_get_n_events (run) / 32);
  g_assert_finalize_object (run);
}

static void
test_settings (void)
{
  g_autoptr(CfRunSettings) settings = cf_run_settings_new ();
  g_autoptr(CfRunSettings) copy = NULL;
  CfStrategy strategy;

  g_assert_cmpstr (cf_run_settings_get_model_key (settings), ==, CF_RUN_SETTINGS_DEFAULT_MODEL);
  g_assert_cmpuint (cf_run_settings_get_takes_per_scene (settings), ==, 1);
  cf_run_settings_set_takes_per_scene (settings, 9);
  g_assert_cmpuint (cf_run_settings_get_takes_per_scene (settings), ==, 4);
  cf_run_settings_set_strategy (settings, CF_STRATEGY_ROUND_ROBIN);
  cf_run_settings_set_output_dir (settings, "/tmp/x");

  copy = cf_run_settings_copy (settings);
  g_assert_cmpint (cf_run_settings_get_strategy (copy), ==, CF_STRATEGY_ROUND_ROBIN);
  g_assert_cmpstr (cf_run_settings_get_output_dir (copy), ==, "/tmp/x");
  g_assert_cmpuint (cf_run_settings_get_takes_per_scene (copy), ==, 4);

  g_assert_true (cf_strategy_from_string ("round-robin", &strategy));
  g_assert_cmpint (strategy, ==, CF_STRATEGY_ROUND_ROBIN);
  g_assert_true (cf_strategy_from_string ("dynamic", &strategy));
  g_assert_cmpint (strategy, ==, CF_STRATEGY_DYNAMIC);
  g_assert_false (cf_strategy_from_string ("fastest", &strategy));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/run/settings", test_settings);
  g_test_add ("/run/parallel-mode-and-log", Fixture, NULL, NULL,
              test_parallel_mode_and_log, fixture_tear_down);
  g_test_add ("/run/sequential-mode", Fixture, NULL, NULL,
              test_sequential_mode, fixture_tear_down);
  g_test_add ("/run/no-account", Fixture, NULL, NULL, test_no_account, fixture_tear_down);
  g_test_add ("/run/journal-contents", Fixture, NULL, NULL,
              test_journal_contents, fixture_tear_down);
  g_test_add ("/run/stop", Fixture, NULL, NULL, test_stop, fixture_tear_down);
  g_test_add ("/run/cancel", Fixture, NULL, NULL, test_cancel, fixture_tear_down);
  g_test_add ("/run/download-faults", Fixture, NULL, NULL,
              test_download_faults, fixture_tear_down);
  g_test_add ("/run/download-retries", Fixture, NULL, NULL,
              test_download_retries, fixture_tear_down);
  g_test_add ("/run/coalescing", Fixture, NULL, NULL, test_coalescing, fixture_tear_down);
  g_test_add ("/run/retry-during-run", Fixture, NULL, NULL,
              test_retry_during_run, fixture_tear_down);
  g_test_add ("/run/timed-out-collected-by-resume", Fixture, NULL, NULL,
              test_timed_out_collected_by_resume, fixture_tear_down);

  return g_test_run ();
}
