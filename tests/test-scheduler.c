/* test-scheduler.c
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
#include "cf-worker.h"

/*
 * How the workers share the scenes and what they do with each kind of
 * error, against the in-process simulator: dynamic balancing against
 * round-robin, retries, accounts that drop out, policy refusals, and the
 * adaptive limit of takes in flight.
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
test_dynamic_balancing (Fixture       *f,
                        gconstpointer  data)
{
  /* Twenty times slower: a margin that survives a loaded test machine. */
  const char *extra[] = { NULL, "\"render_factor\": 20.0" };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  gint64 fast, slow;
  CfRun *run;

  fixture_start (f, 2, extra, NULL, 1);
  settings = fixture_settings (f);
  script = make_script (12, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 12);

  fast = charged (f, "Account-A");
  slow = charged (f, "Account-B");
  g_test_message ("fast account: %" G_GINT64_FORMAT ", slow account: %" G_GINT64_FORMAT,
                  fast, slow);
  g_assert_cmpint (fast + slow, ==, 12);
  /* The slow account takes a new scene only when it has room: it does fewer. */
  g_assert_cmpint (fast, >, slow);
  g_assert_cmpuint (cf_run_account_get_done (run_account (run, 0)), ==, fast);
  g_assert_finalize_object (run);
}

static void
test_round_robin (Fixture       *f,
                  gconstpointer  data)
{
  const char *extra[] = { NULL, "\"render_factor\": 4.0" };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 2, extra, NULL, 1);
  settings = fixture_settings (f);
  cf_run_settings_set_strategy (settings, CF_STRATEGY_ROUND_ROBIN);
  script = make_script (12, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 12);
  /* Dealt out before the start: each account gets its share, slow or not. */
  g_assert_cmpint (charged (f, "Account-A"), ==, 6);
  g_assert_cmpint (charged (f, "Account-B"), ==, 6);
  g_assert_finalize_object (run);
}

static void
test_transient_retry (Fixture       *f,
                      gconstpointer  data)
{
  const char *extra[] = { "\"faults\": { \"http_503\": 0.4 }" };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 1, extra, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (6, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_true (run_to_end (f, run));
  /*
   * Backoff, then success, and nothing is paid for twice. At this fault rate
   * a scene may also fail three submits in a row (it then has no other
   * account to move to and fails unpaid), or four downloads in a row (it is
   * then FAILED with its handle kept for a resume, never generated again):
   * so every take ends, each done take was charged once, and none twice.
   */
  g_assert_cmpuint (cf_run_get_n_done (run) + cf_run_get_n_failed (run), ==, 6);
  g_assert_cmpint (charged (f, "Account-A"), >=, cf_run_get_n_done (run));
  g_assert_cmpint (charged (f, "Account-A"), <=, 6);
  g_assert_cmpuint (cf_run_get_n_done (run), >=, 1);
  g_assert_finalize_object (run);
}

static void
test_moves_after_three_failures (Fixture       *f,
                                 gconstpointer  data)
{
  const char *extra[] = { "\"faults\": { \"http_500\": 1.0 }", NULL };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 2, extra, NULL, 1);
  settings = fixture_settings (f);
  script = make_script (4, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 4);
  g_assert_cmpint (charged (f, "Account-A"), ==, 0);
  g_assert_cmpint (charged (f, "Account-B"), ==, 4);
  /*
   * A failed scene goes back to the shared queue after each failure, so the
   * healthy account may take it before Account-A has failed three times on
   * it: which message shows depends on timing. The three-failures rule
   * itself is proved in test-scene-queue (/scene-queue/avoid-and-exhaust).
   */
  g_assert_true (log_has (f, "failed 3 times on Account-A") ||
                 log_has (f, "on Account-A: "));
  g_assert_finalize_object (run);
}

static void
test_auth_expired_flows (Fixture       *f,
                         gconstpointer  data)
{
  const char *extra[] = { "\"expire_tokens_after_takes\": 2", NULL };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRunAccount *a;
  CfRun *run;

  fixture_start (f, 2, extra, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (10, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_true (run_to_end (f, run));

  a = run_account (run, 0);
  g_assert_cmpint (cf_run_account_get_health (a), ==, CF_ACCOUNT_HEALTH_OUT);
  g_assert_cmpint (cf_run_account_get_out_code (a), ==, CF_ERROR_AUTH_EXPIRED);
  g_assert_nonnull (cf_run_account_get_out_reason (a));
  g_assert_true (log_has (f, "Account-A is out of the run"));

  /*
   * Its scenes flowed to Account-B, and so did the two it had accepted but
   * could no longer collect (unless they were ready and downloaded through
   * their signed URL): every scene is done.
   */
  g_assert_cmpint (charged (f, "Account-A"), ==, 2);
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 10);
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, 0);
  g_assert_cmpint (charged (f, "Account-B"), ==, 10 - cf_run_account_get_done (a));
  if (cf_run_account_get_done (a) < 2)
    g_assert_true (log_has (f, "whose tokens expired before it could be collected; "
                               "generating it again on another account"));
  g_assert_finalize_object (run);
}

/* The service's Retry-After is waited out in full; only absurd ones are capped. */
static void
test_retry_after (void)
{
  gboolean capped = TRUE;
  gint64 wait;

  /* Two minutes: far beyond the run's own backoff limit, still honoured. */
  wait = cf_worker_retry_after_usec (120 * 1000, &capped);
  g_assert_false (capped);
  g_assert_cmpint (wait, >=, 120 * G_USEC_PER_SEC);
  g_assert_cmpint (wait, <=, 133 * G_USEC_PER_SEC);

  wait = cf_worker_retry_after_usec (3 * 3600 * 1000, &capped);
  g_assert_true (capped);
  g_assert_cmpint (wait, >=, 15 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (wait, <=, 17 * 60 * G_USEC_PER_SEC);
}

static void
test_policy_final (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(CfScene) late = cf_scene_new ("A celebrity walks on the pond");
  g_autoptr(CfTake) refused = NULL;
  g_autoptr(CfTake) failed = NULL;
  CfRun *run;

  fixture_start (f, 2, NULL, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (4, "Some gore on a paper boat", 2);
  cf_script_append_scene (script, late);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 3);
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, 2);

  /* Refused at submit: final, with the service's reason, never retried. */
  refused = g_list_model_get_item (cf_run_get_takes (run), 1);
  g_assert_cmpint (cf_take_get_state (refused), ==, CF_TAKE_STATE_FAILED);
  g_assert_cmpint (cf_take_get_error_code (refused), ==, CF_ERROR_POLICY);
  g_assert_nonnull (cf_take_get_error_reason (refused));
  g_assert_cmpuint (cf_take_get_attempts (refused), ==, 1);

  /* Accepted and then failed on policy: final too (and it was charged once). */
  failed = g_list_model_get_item (cf_run_get_takes (run), 4);
  g_assert_cmpint (cf_take_get_state (failed), ==, CF_TAKE_STATE_FAILED);
  g_assert_cmpint (cf_take_get_error_code (failed), ==, CF_ERROR_POLICY);
  g_assert_cmpint (total_charged (f), ==, 4);
  g_assert_finalize_object (run);
}

static void
test_all_accounts_out (Fixture       *f,
                       gconstpointer  data)
{
  const char *extra[] = { "\"needs_recaptcha\": true", "\"needs_recaptcha\": true" };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  CfRun *run;

  fixture_start (f, 2, extra, NULL, 2);
  settings = fixture_settings (f);
  script = make_script (5, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);

  g_assert_false (run_to_end (f, run));
  g_assert_error (f->error, CF_ERROR, CF_ERROR_NEEDS_VERIFICATION);
  /* Why, and what to do. */
  g_assert_nonnull (strstr (f->error->message, "Every account is out"));
  g_assert_nonnull (strstr (f->error->message, "Account-A"));
  g_assert_nonnull (strstr (f->error->message, "browser"));
  g_assert_cmpint (cf_run_get_state (run), ==, CF_RUN_STATE_FAILED);
  g_assert_cmpuint (cf_run_get_n_failed (run), ==, 5);
  g_assert_cmpint (total_charged (f), ==, 0);
  g_assert_finalize_object (run);
}

typedef struct
{
  guint first;
  guint lowest;
  gboolean grew_back;
} LimitTrace;

static void
limit_cb (CfRun        *run,
          CfRunAccount *account,
          LimitTrace   *trace)
{
  guint limit = cf_run_account_get_limit (account);

  if (trace->first == 0)
    trace->first = limit;
  if (trace->lowest != 0 && limit > trace->lowest)
    trace->grew_back = TRUE;
  if (trace->lowest == 0 || limit < trace->lowest)
    trace->lowest = limit;
}

static void
test_adaptive_concurrency (Fixture       *f,
                           gconstpointer  data)
{
  const char *extra[] = { "\"max_in_flight\": 2" };
  g_autoptr(CfRunSettings) settings = NULL;
  g_autoptr(CfScript) script = NULL;
  g_autoptr(JsonNode) stats = NULL;
  LimitTrace trace = { 0 };
  JsonObject *account;
  gint64 throttled;
  CfRun *run;

  fixture_start (f, 1, extra, NULL, 8);
  settings = fixture_settings (f);
  script = make_script (60, NULL, 0);
  run = cf_run_new (script, f->accounts, settings);
  g_signal_connect (run, "account-changed", G_CALLBACK (limit_cb), &trace);

  g_assert_true (run_to_end (f, run));
  g_assert_cmpuint (cf_run_get_n_done (run), ==, 60);

  account = stats_account (f, "Account-A", &stats);
  throttled = json_object_get_int_member (account, "throttled_429");
  g_test_message ("limit %u → %u, grew back: %d, %" G_GINT64_FORMAT " throttled",
                  trace.first, trace.lowest, trace.grew_back, throttled);

  g_assert_cmpuint (trace.first, ==, 8);
  g_assert_cmpuint (trace.lowest, <=, 4);
  g_assert_true (trace.grew_back);
  /* It learns the limit instead of hammering it. */
  g_assert_cmpint (throttled, >=, 1);
  g_assert_cmpint (throttled, <=, 4);
  g_assert_cmpint (json_object_get_int_member (account, "takes_charged"), ==, 60);
  g_assert_finalize_object (run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/scheduler/retry-after", test_retry_after);
  g_test_add ("/scheduler/dynamic-balancing", Fixture, NULL, NULL,
              test_dynamic_balancing, fixture_tear_down);
  g_test_add ("/scheduler/round-robin", Fixture, NULL, NULL,
              test_round_robin, fixture_tear_down);
  g_test_add ("/scheduler/transient-retry", Fixture, NULL, NULL,
              test_transient_retry, fixture_tear_down);
  g_test_add ("/scheduler/moves-after-three-failures", Fixture, NULL, NULL,
              test_moves_after_three_failures, fixture_tear_down);
  g_test_add ("/scheduler/auth-expired-flows", Fixture, NULL, NULL,
              test_auth_expired_flows, fixture_tear_down);
  g_test_add ("/scheduler/policy-final", Fixture, NULL, NULL,
              test_policy_final, fixture_tear_down);
  g_test_add ("/scheduler/all-accounts-out", Fixture, NULL, NULL,
              test_all_accounts_out, fixture_tear_down);
  g_test_add ("/scheduler/adaptive-concurrency", Fixture, NULL, NULL,
              test_adaptive_concurrency, fixture_tear_down);

  return g_test_run ();
}
