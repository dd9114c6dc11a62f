/* test-error-taxonomy.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One case per row of the error tables of labs-flow.md (section 6) and
 * gemini-veo.md ("Errors"), each provoked against the simulator, asserting
 * the exact CfErrorCode the row maps to.
 */

#include "config.h"

#include "cf-account.h"
#include "cf-error.h"
#include "cf-labs-provider.h"
#include "cf-provider.h"
#include "cf-sim-server.h"

#define PROJECT_A "87b19267-13d6-49cd-a7ed-db19a90c9339"
#define PROJECT_B "3d1f5e2a-9c44-4b7e-8a61-2f0c7d9b1e55"
#define LABS_MODEL "veo_3_1_t2v_fast"
#define LABS_ULTRA "veo_3_1_t2v_fast_ultra"
#define GEMINI_MODEL "veo-3.1-fast-generate-preview"

static const char *sim_config =
  "{"
  "  \"seed\": 3, \"time_scale\": 1.0,"
  "  \"models\": ["
  "    { \"key\": \"" LABS_MODEL "\", \"cost\": 20, \"render_seconds\": 60, \"shape\": \"A\" },"
  "    { \"key\": \"" LABS_ULTRA "\", \"cost\": 20, \"render_seconds\": 60, \"shape\": \"A\" },"
  "    { \"key\": \"" GEMINI_MODEL "\", \"api\": \"gemini\", \"cost\": 20, \"render_seconds\": 60 }"
  "  ],"
  "  \"policy\": { \"reject_words\": [\"gore\"], \"fail_words\": [\"celebrity\"] },"
  "  \"accounts\": ["
  "    { \"kind\": \"labs\", \"name\": \"Labs-A\", \"tokens\": [\"ya29.sim-a-1\"],"
  "      \"project_id\": \"" PROJECT_A "\", \"tier\": \"PAYGATE_TIER_ONE\", \"credits\": 1000,"
  "      \"max_in_flight\": 2, \"max_rps\": 1000000 },"
  "    { \"kind\": \"labs\", \"name\": \"Labs-B\", \"tokens\": [\"ya29.sim-b-1\"],"
  "      \"project_id\": \"" PROJECT_B "\", \"tier\": \"PAYGATE_TIER_TWO\", \"credits\": 1000,"
  "      \"max_in_flight\": 2, \"max_rps\": 1000000 },"
  "    { \"kind\": \"gemini\", \"name\": \"Gemini-1\", \"api_key\": \"AIzaSim-1\","
  "      \"credits\": 1000, \"max_in_flight\": 2, \"max_rps\": 1000000 },"
  "    { \"kind\": \"gemini\", \"name\": \"Gemini-2\", \"api_key\": \"AIzaSim-2\","
  "      \"permission_denied\": true }"
  "  ]"
  "}";

typedef struct
{
  CfSimServer *sim;
  CfEndpoints *endpoints;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = cf_sim_server_new_from_data (sim_config, -1, &error);
  g_assert_no_error (error);
  cf_sim_server_start (fixture->sim, 0, &error);
  g_assert_no_error (error);
  fixture->endpoints = cf_endpoints_new_for_origin (cf_sim_server_get_base_url (fixture->sim),
                                                    &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  cf_sim_server_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
  cf_endpoints_unref (fixture->endpoints);
}

static CfProvider *
labs_provider (Fixture    *fixture,
               const char *project_id,
               const char *tier,
               const char *token)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Labs-A");
  const char *tokens[] = { token, NULL };

  cf_account_set_project_id (account, project_id);
  cf_account_set_tier (account, tier);
  cf_account_set_tokens (account, tokens);

  return cf_provider_new_for_account (account, fixture->endpoints);
}

static CfProvider *
default_labs (Fixture *fixture)
{
  return labs_provider (fixture, PROJECT_A, "PAYGATE_TIER_ONE", "ya29.sim-a-1");
}

static CfProvider *
gemini_provider (Fixture    *fixture,
                 const char *key)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_GEMINI, "Gemini-1");

  cf_account_set_api_key (account, key);

  return cf_provider_new_for_account (account, fixture->endpoints);
}

/* Submits and returns the error (asserting there is one). */
static GError *
submit_error (CfProvider *provider,
              const char *prompt,
              const char *model,
              guint       n_takes)
{
  CfSubmitRequest request = {
    .prompt = prompt, .aspect = CF_ASPECT_LANDSCAPE, .model_key = model, .n_takes = n_takes,
    .seed = 1,
  };
  CfSubmitResult result = { 0, };
  GError *error = NULL;

  g_assert_false (cf_provider_submit (provider, &request, &result, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (result.handles);
  g_test_message ("%s: %s (reason %s)", cf_error_code_to_string (error->code), error->message,
                  cf_error_get_reason (error));

  /* Never a secret in what the user sees. */
  g_assert_null (strstr (error->message, "ya29"));
  g_assert_null (strstr (error->message, "AIza"));

  return error;
}

static GPtrArray *
submit_ok (CfProvider *provider,
           const char *prompt,
           const char *model,
           guint       n_takes)
{
  CfSubmitRequest request = {
    .prompt = prompt, .aspect = CF_ASPECT_LANDSCAPE, .model_key = model, .n_takes = n_takes,
    .seed = 1,
  };
  CfSubmitResult result = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_provider_submit (provider, &request, &result, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&result.handles);
}

/* Labs, labs-flow.md section 6 */

static void
test_labs_401 (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CfProvider) provider = labs_provider (fixture, PROJECT_A, NULL, "ya29.expired");
  g_autoptr(GError) error = submit_error (provider, "A boat", LABS_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_AUTH_EXPIRED);
  g_assert_cmpstr (error->message, ==, "Tokens of account Labs-A expired: paste new ones in Settings");
  g_assert_true (cf_error_is_account_fatal (error));
}

static void
test_labs_403_unusual_activity (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_sim_server_set_needs_recaptcha (fixture->sim, "Labs-A", TRUE));
  error = submit_error (provider, "A boat", LABS_MODEL, 1);
  g_assert_error (error, CF_ERROR, CF_ERROR_NEEDS_VERIFICATION);
  g_assert_cmpstr (cf_error_get_reason (error), ==, "PUBLIC_ERROR_UNUSUAL_ACTIVITY");
  g_assert_true (cf_error_is_account_fatal (error));
}

static void
test_labs_403_model_access (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GError) error = submit_error (provider, "A boat", LABS_ULTRA, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_MODEL_NOT_ALLOWED);
  g_assert_cmpstr (cf_error_get_reason (error), ==, "PUBLIC_ERROR_MODEL_ACCESS_DENIED");
}

static void
test_labs_403_other_project (Fixture       *fixture,
                             gconstpointer  data)
{
  /* Account B's token for account A's project. */
  g_autoptr(CfProvider) provider = labs_provider (fixture, PROJECT_A, NULL, "ya29.sim-b-1");
  g_autoptr(GError) error = submit_error (provider, "A boat", LABS_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_ACCESS_DENIED);
}

static void
test_labs_429_throttled (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) handles = submit_ok (provider, "A boat", LABS_MODEL, 2);

  /* Two takes in flight of at most two: a third is one too many. */
  error = submit_error (provider, "A boat", LABS_MODEL, 1);
  g_assert_error (error, CF_ERROR, CF_ERROR_THROTTLED);
  g_assert_cmpint (cf_error_get_retry_after_ms (error), >=, 0);
  g_assert_true (cf_error_is_retryable (error));
  g_assert_false (cf_error_is_account_fatal (error));
}

static void
test_labs_429_quota (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_sim_server_set_credits (fixture->sim, "Labs-A", 0));
  error = submit_error (provider, "A boat", LABS_MODEL, 1);
  g_assert_error (error, CF_ERROR, CF_ERROR_QUOTA);
  g_assert_true (cf_error_is_account_fatal (error));
}

static void
test_labs_400_unsafe (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GError) error = submit_error (provider, "A scene full of GORE", LABS_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_POLICY);
  g_assert_cmpstr (cf_error_get_reason (error), ==, "PUBLIC_ERROR_UNSAFE_GENERATION");
  g_assert_true (cf_error_is_scene_terminal (error));
}

static void
test_labs_take_failed_policy (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GPtrArray) handles = submit_ok (provider, "A celebrity waves", LABS_MODEL, 1);
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  CfTakeStatus *status;

  cf_sim_server_advance (fixture->sim, 3600);
  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_FAILED);
  g_assert_error (status->error, CF_ERROR, CF_ERROR_POLICY);
  g_assert_true (cf_error_is_scene_terminal (status->error));
}

static void
test_labs_400_other (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GError) error = submit_error (provider, "A boat", "veo_9_no_such_model", 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "videoModelKey"));
  g_assert_true (cf_error_is_scene_terminal (error));
}

static void
assert_transient (CfProvider *provider)
{
  g_autoptr(GError) error = submit_error (provider, "A boat", LABS_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_TRANSIENT);
  g_assert_true (cf_error_is_retryable (error));
}

static void
test_labs_5xx (Fixture       *fixture,
               gconstpointer  data)
{
  const char *fault = data;
  g_autoptr(CfProvider) provider = default_labs (fixture);

  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, fault, 1.0));
  assert_transient (provider);
}

static void
test_labs_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Labs-A");
  const char *tokens[] = { "ya29.sim-a-1", NULL };
  g_autoptr(CfProvider) provider = NULL;

  cf_account_set_project_id (account, PROJECT_A);
  cf_account_set_tokens (account, tokens);
  provider = g_object_new (CF_TYPE_LABS_PROVIDER,
                           "account", account,
                           "endpoints", fixture->endpoints,
                           "timeout", 1,
                           NULL);

  /* Simulated seconds are real ones at this time scale. */
  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, "slow_seconds", 3));
  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, "slow", 1.0));
  assert_transient (provider);
}

static void
test_labs_malformed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CfProvider) provider = default_labs (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, "malformed_json", 1.0));
  error = submit_error (provider, "A boat", LABS_MODEL, 1);
  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
}

/* Gemini, gemini-veo.md "Errors" */

/* The API takes at most four samples per operation. */
static void
test_gemini_400_invalid (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-1");
  g_autoptr(GError) error = submit_error (provider, "A boat", GEMINI_MODEL, 5);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "sampleCount"));
  g_assert_true (cf_error_is_scene_terminal (error));
}

/* Like the real API, an unknown model is 404 NOT_FOUND; the message names it. */
static void
test_gemini_404_model (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-1");
  g_autoptr(GError) error = submit_error (provider, "A boat", "veo-no-such-model", 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "veo-no-such-model"));
  g_assert_true (cf_error_is_scene_terminal (error));
}

static void
test_gemini_400_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-1");
  g_autoptr(GError) error = submit_error (provider, "Gore everywhere", GEMINI_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_POLICY);
  g_assert_true (cf_error_is_scene_terminal (error));
}

static void
test_gemini_400_key_invalid (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaWrongKey");
  g_autoptr(GError) error = submit_error (provider, "A boat", GEMINI_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_AUTH_EXPIRED);
  g_assert_cmpstr (cf_error_get_reason (error), ==, "API_KEY_INVALID");
}

/* Gemini-2's project has no billing: the simulator refuses its every call with 403. */
static void
test_gemini_403 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-2");
  g_autoptr(GError) error = submit_error (provider, "A boat", GEMINI_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "billing"));
  g_assert_true (cf_error_is_account_fatal (error));
}

static void
test_gemini_429_throttled (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-1");
  g_autoptr(GPtrArray) handles = submit_ok (provider, "A boat", GEMINI_MODEL, 2);
  g_autoptr(GError) error = submit_error (provider, "A boat", GEMINI_MODEL, 1);

  g_assert_error (error, CF_ERROR, CF_ERROR_THROTTLED);
  g_assert_cmpint (cf_error_get_retry_after_ms (error), >=, 0);
}

static void
test_gemini_429_quota (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-1");
  g_autoptr(GError) error = NULL;

  /*
   * Spent credits are a plain 429 RESOURCE_EXHAUSTED with a QuotaFailure (no
   * Labs reason): gemini-veo.md maps every 429 to backing off, and the
   * scheduler puts the account out when they repeat.
   */
  g_assert_true (cf_sim_server_set_credits (fixture->sim, "Gemini-1", 0));
  error = submit_error (provider, "A boat", GEMINI_MODEL, 1);
  g_assert_error (error, CF_ERROR, CF_ERROR_THROTTLED);
  g_assert_cmpstr (cf_error_get_reason (error), ==, "RESOURCE_EXHAUSTED");
  g_assert_nonnull (strstr (error->message, "exceeded your current quota"));
  g_assert_true (cf_error_is_retryable (error));
}

static void
test_gemini_5xx (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *fault = data;
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-1");
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, fault, 1.0));
  error = submit_error (provider, "A boat", GEMINI_MODEL, 1);
  g_assert_error (error, CF_ERROR, CF_ERROR_TRANSIENT);
}

static void
test_gemini_filtered (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture, "AIzaSim-1");
  g_autoptr(GPtrArray) handles = submit_ok (provider, "A celebrity", GEMINI_MODEL, 1);
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  CfTakeStatus *status;

  cf_sim_server_advance (fixture->sim, 3600);
  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_FAILED);
  g_assert_error (status->error, CF_ERROR, CF_ERROR_POLICY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/error-taxonomy/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("labs/401-unauthenticated", test_labs_401, NULL);
  ADD ("labs/403-unusual-activity", test_labs_403_unusual_activity, NULL);
  ADD ("labs/403-model-access-denied", test_labs_403_model_access, NULL);
  ADD ("labs/403-other-project", test_labs_403_other_project, NULL);
  ADD ("labs/429-throttled", test_labs_429_throttled, NULL);
  ADD ("labs/429-quota", test_labs_429_quota, NULL);
  ADD ("labs/400-unsafe-generation", test_labs_400_unsafe, NULL);
  ADD ("labs/take-failed-policy", test_labs_take_failed_policy, NULL);
  ADD ("labs/400-other", test_labs_400_other, NULL);
  ADD ("labs/500", test_labs_5xx, "http_500");
  ADD ("labs/503", test_labs_5xx, "http_503");
  ADD ("labs/reset", test_labs_5xx, "drop_connection");
  ADD ("labs/timeout", test_labs_timeout, NULL);
  ADD ("labs/malformed-json", test_labs_malformed, NULL);
  ADD ("gemini/400-invalid-argument", test_gemini_400_invalid, NULL);
  ADD ("gemini/404-unknown-model", test_gemini_404_model, NULL);
  ADD ("gemini/400-refused-prompt", test_gemini_400_refused, NULL);
  ADD ("gemini/400-api-key-invalid", test_gemini_400_key_invalid, NULL);
  ADD ("gemini/403-permission-denied", test_gemini_403, NULL);
  ADD ("gemini/429-throttled", test_gemini_429_throttled, NULL);
  ADD ("gemini/429-quota", test_gemini_429_quota, NULL);
  ADD ("gemini/500", test_gemini_5xx, "http_500");
  ADD ("gemini/503", test_gemini_5xx, "http_503");
  ADD ("gemini/reset", test_gemini_5xx, "drop_connection");
  ADD ("gemini/filtered", test_gemini_filtered, NULL);

#undef ADD

  return g_test_run ();
}
