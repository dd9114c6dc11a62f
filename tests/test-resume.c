/* test-resume.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cf-journal-private.h"
#include "cf-run-private.h"
#include "cf-run.h"
#include "cf-test-util.h"

/*
 * Resuming from the journal: a run interrupted mid-way (cancelled, as a
 * crash would leave it) is finished by a new run object without paying
 * again for anything that got a handle, and a submit whose answer was lost
 * is reported as uncertain and sent again only when asked.
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
cancel_when_pending_cb (CfRun   *run,
                        CfTake  *take,
                        Fixture *f)
{
  guint pending = 0;
  GListModel *takes = cf_run_get_takes (run);

  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(CfTake) t = g_list_model_get_item (takes, i);

      if (cf_take_get_handle_name (t) != NULL)
        pending++;
    }
  if (pending >= 3)
    cf_run_cancel (run);
}

static void
test_resume_after_interruption (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(CfRunInfo) before = NULL;
  g_autoptr(CfRunInfo) after = NULL;
  g_autoptr(GPtrArray) uncertain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *run_dir = NULL;
  gint64 charged_before;
  CfRun *run;
  CfRun *resumed;

  fixture_start (f, 2, NULL, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (8, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);
  g_signal_connect (run, "take-changed", G_CALLBACK (cancel_when_pending_cb), f);

  g_assert_false (run_to_end (f, run));
  g_assert_cmpint (cf_run_get_state (run), ==, CF_RUN_STATE_CANCELLED);
  run_id = g_strdup (cf_run_get_id (run));
  g_assert_finalize_object (run);

  run_dir = g_build_filename (f->state_dir, run_id, NULL);
  before = cf_journal_read_info (run_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->n_pending, >=, 3);
  charged_before = total_charged (f);
  /* What the service charged is exactly what the journal knows a handle for, or may be. */
  g_assert_cmpint (charged_before, >=, before->n_pending + before->n_done);
  g_assert_cmpint (charged_before, <=, before->n_pending + before->n_done + before->n_uncertain);

  /* A new run object, as after a restart: by run id under the state dir. */
  resumed = cf_run_new_resume (run_id, f->accounts, settings, &error);
  g_assert_no_error (error);
  g_assert_nonnull (resumed);
  g_assert_cmpstr (cf_run_get_id (resumed), ==, run_id);
  g_assert_cmpuint (cf_run_get_n_total (resumed), ==, 8);
  uncertain = cf_run_dup_uncertain_takes (resumed);
  g_assert_cmpuint (uncertain->len, ==, before->n_uncertain);

  g_assert_true (run_to_end (f, resumed));
  g_assert_cmpint (cf_run_get_state (resumed), ==, CF_RUN_STATE_FINISHED);
  g_assert_cmpuint (cf_run_get_n_done (resumed), ==, 8 - before->n_uncertain);

  /* Only what never got a handle was submitted (and paid) again. */
  g_assert_cmpint (total_charged (f) - charged_before, ==, before->n_unsubmitted);

  after = cf_journal_read_info (cf_run_get_journal_dir (resumed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->n_done, ==, 8 - before->n_uncertain);
  g_assert_cmpuint (after->n_pending, ==, 0);
  g_assert_true (after->ended);
  g_assert_finalize_object (resumed);
}

/* A journal as a crash leaves it: scene 2's submit was sent, its answer never written. */
static char *
write_crashed_journal (Fixture *f)
{
  g_autofree char *run_dir = g_build_filename (f->state_dir, "crashed-run", NULL);
  g_autoptr(CfJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *line = json_object_new ();
  JsonObject *settings = json_object_new ();
  JsonArray *scenes = json_array_new ();
  JsonArray *accounts = json_array_new ();
  JsonArray *takes = json_array_new ();

  json_object_set_string_member (line, "run_id", "crashed-run");
  json_object_set_string_member (line, "title", "Paper boats");
  json_object_set_string_member (settings, "model_key", "veo_3_1_t2v_fast");
  json_object_set_string_member (settings, "output_dir", f->output_dir);
  json_object_set_object_member (line, "settings", settings);
  for (guint i = 1; i <= 3; i++)
    {
      JsonObject *scene = json_object_new ();
      g_autofree char *prompt = g_strdup_printf ("A paper boat, shot %u", i);

      json_object_set_int_member (scene, "number", i);
      json_object_set_string_member (scene, "prompt", prompt);
      json_object_set_string_member (scene, "aspect", "16:9");
      json_object_set_int_member (scene, "takes", 1);
      json_object_set_int_member (scene, "seed", -1);
      json_array_add_object_element (scenes, scene);
    }
  json_object_set_array_member (line, "scenes", scenes);
  json_object_set_array_member (line, "accounts", accounts);

  journal = cf_journal_open (run_dir, &error);
  g_assert_no_error (error);
  cf_journal_append (journal, CF_JOURNAL_RUN, line, TRUE, &error);
  g_assert_no_error (error);

  line = json_object_new ();
  json_object_set_int_member (line, "scene", 2);
  json_array_add_int_element (takes, 1);
  json_object_set_array_member (line, "takes", takes);
  json_object_set_string_member (line, "account_name", "Account-A");
  cf_journal_append (journal, CF_JOURNAL_SUBMIT, line, TRUE, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&run_dir);
}

static void
test_uncertain (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(GPtrArray) uncertain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *run_dir = NULL;
  CfTake *take;
  CfRun *run;

  fixture_start (f, 1, NULL, NULL, 2);
  settings = fixture_settings (f);
  run_dir = write_crashed_journal (f);

  run = cf_run_new_resume (run_dir, f->accounts, settings, &error);
  g_assert_no_error (error);
  uncertain = cf_run_dup_uncertain_takes (run);
  g_assert_cmpuint (uncertain->len, ==, 1);
  take = g_ptr_array_index (uncertain, 0);
  g_assert_cmpuint (cf_take_get_scene_number (take), ==, 2);
  g_assert_cmpint (cf_take_get_state (take), ==, CF_TAKE_STATE_UNCERTAIN);
  g_assert_nonnull (cf_take_get_error_reason (take));
  g_clear_pointer (&uncertain, g_ptr_array_unref);

  /* Not told to: the uncertain scene stays as it is, the others are made. */
  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 2);
  g_assert_cmpint (charged (f, "Account-A"), ==, 2);
  uncertain = cf_run_dup_uncertain_takes (run);
  g_assert_cmpuint (uncertain->len, ==, 1);
  g_clear_pointer (&uncertain, g_ptr_array_unref);
  g_assert_finalize_object (run);

  /* Told to: it is submitted again. */
  run = cf_run_new_resume (run_dir, f->accounts, settings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 2);
  cf_run_set_resubmit_uncertain (run, TRUE);
  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 3);
  g_assert_cmpint (charged (f, "Account-A"), ==, 3);
  g_assert_finalize_object (run);
}

/*
 * A take the service no longer knows (its poll answers 404): FAILED with
 * that reason, and not submitted again on its own (the user may retry it,
 * knowing it may be paid twice).
 */
static void
test_forgotten_take (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfJournal) journal = NULL;
  g_autoptr(CfTakeHandle) handle = NULL;
  g_autoptr(CfTake) take = NULL;
  g_autofree char *run_dir = NULL;
  g_autofree char *client_id = g_uuid_string_random ();
  JsonObject *line;
  JsonArray *takes;
  JsonArray *handles;
  CfRun *run;

  fixture_start (f, 1, NULL, NULL, 2);
  settings = fixture_settings (f);
  run_dir = write_crashed_journal (f);

  /* Scene 2's answer did arrive after all, with a handle the service then lost. */
  journal = cf_journal_open (run_dir, &error);
  g_assert_no_error (error);
  handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_OPERATION,
                               "operations/0000forgotten0000000000000000");
  handle->client_id = g_strdup (client_id);
  handle->project_id = g_strdup (project_ids[0]);
  line = json_object_new ();
  takes = json_array_new ();
  handles = json_array_new ();
  json_object_set_int_member (line, "scene", 2);
  json_array_add_int_element (takes, 1);
  json_object_set_array_member (line, "takes", takes);
  json_array_add_element (handles, cf_take_handle_to_json (handle));
  json_object_set_array_member (line, "handles", handles);
  json_object_set_string_member (line, "account_name", "Account-A");
  cf_journal_append (journal, CF_JOURNAL_ACCEPTED, line, TRUE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&journal, cf_journal_close);

  run = cf_run_new_resume (run_dir, f->accounts, settings, &error);
  g_assert_no_error (error);
  g_assert_true (run_to_end (f, run));

  g_assert_cmpuint (cf_run_get_n_done (run), ==, 2);
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, 1);
  take = g_list_model_get_item (cf_run_get_takes (run), 1);
  g_assert_cmpuint (cf_take_get_scene_number (take), ==, 2);
  g_assert_cmpint (cf_take_get_state (take), ==, CF_TAKE_STATE_FAILED);
  g_assert_nonnull (strstr (cf_take_get_error_reason (take), "no longer knows"));
  /* Scenes 1 and 3 only: the lost one was not paid for again. */
  g_assert_cmpint (charged (f, "Account-A"), ==, 2);
  g_clear_object (&take);
  g_assert_finalize_object (run);
}

static void
test_missing_journal (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  CfRun *run;

  f->log = g_ptr_array_new_with_free_func (g_free);
  f->tmp_dir = make_tmp_dir ();
  f->state_dir = g_build_filename (f->tmp_dir, "runs", NULL);
  settings = cf_run_settings_new ();
  cf_run_settings_set_state_dir (settings, f->state_dir);

  run = cf_run_new_resume ("no-such-run", NULL, settings, &error);
  g_assert_null (run);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/resume/after-interruption", Fixture, NULL, NULL,
              test_resume_after_interruption, fixture_tear_down);
  g_test_add ("/resume/uncertain", Fixture, NULL, NULL, test_uncertain, fixture_tear_down);
  g_test_add ("/resume/forgotten-take", Fixture, NULL, NULL,
              test_forgotten_take, fixture_tear_down);
  g_test_add ("/resume/missing-journal", Fixture, NULL, NULL,
              test_missing_journal, fixture_tear_down);

  return g_test_run ();
}
