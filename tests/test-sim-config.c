/* test-sim-config.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-test-util.h"

/*
 * The simulator's configuration: the sample in tests/data loads, and every
 * mistake is refused with an error that names the field.
 */

static void
test_sample (void)
{
  g_autofree char *path = cf_test_data_path ("sim-sample.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSimServer) sim = cf_sim_server_new_from_file (path, &error);
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *account;

  g_assert_no_error (error);
  g_assert_nonnull (sim);
  g_assert_null (cf_sim_server_get_base_url (sim));
  g_assert_cmpfloat (cf_sim_server_get_time_scale (sim), ==, 0.01);

  stats = cf_test_sim_stats (sim);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (stats), "seed"), ==, 42);
  account = cf_test_stats_account (stats, "Account-A");
  g_assert_cmpstr (json_object_get_string_member (account, "kind"), ==, "labs");
  g_assert_cmpint (json_object_get_int_member (account, "credits_left"), ==, 1000);
  account = cf_test_stats_account (stats, "Gemini-1");
  g_assert_cmpstr (json_object_get_string_member (account, "kind"), ==, "gemini");

  g_assert_finalize_object (g_steal_pointer (&sim));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSimServer) sim = cf_sim_server_new_from_file ("/nonexistent/sim.json", &error);

  g_assert_null (sim);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_start_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSimServer) sim = cf_test_sim_start ("{\"accounts\": []}");
  g_autoptr(CfSimServer) clash = NULL;
  const char *url = cf_sim_server_get_base_url (sim);
  guint16 port = cf_sim_server_get_port (sim);

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (url, "/"));
  g_assert_cmpuint (port, >, 0);

  /* The port is taken: starting a second one there fails cleanly. */
  clash = cf_sim_server_new_from_data ("{\"accounts\": []}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (cf_sim_server_start (clash, port, &error));
  g_assert_nonnull (error);

  cf_sim_server_stop (sim);
  cf_sim_server_stop (sim);
  g_assert_finalize_object (g_steal_pointer (&sim));
  g_assert_finalize_object (g_steal_pointer (&clash));
}

static void
test_builtin_models (void)
{
  g_autoptr(CfSimServer) sim = cf_test_sim_start (
    "{\"time_scale\": 0.001, \"accounts\": [{\"kind\": \"labs\", \"name\": \"A\","
    " \"tokens\": [\"ya29.x\"], \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\"},"
    " {\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k\"}]}");
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *models[] = { "veo_3_1_t2v_fast", "veo_3_1_t2v", "veo_3_1_t2v_lite",
                           "veo_3_1_t2v_fast_portrait" };
  const char *gemini[] = { "veo-3.1-generate-preview", "veo-3.1-fast-generate-preview",
                           "veo-3.1-lite-generate-preview", "veo-3.0-generate-001",
                           "veo-3.0-fast-generate-001", "veo-2.0-generate-001" };
  const char *labs_headers[] = { "Authorization", "Bearer ya29.x", NULL };
  const char *gemini_headers[] = { "x-goog-api-key", "k", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *body = cf_test_labs_submit_body ("87b19267-13d6-49cd-a7ed-db19a90c9339",
                                                        models[i], "x", 1, NULL);
      g_autoptr(CfTestResponse) response =
        cf_test_request_path (session, sim, "POST", "/v1/video:batchAsyncGenerateVideoText",
                              labs_headers, body);

      g_assert_cmpuint (response->status, ==, 200);
    }
  for (guint i = 0; i < G_N_ELEMENTS (gemini); i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1beta/models/%s:predictLongRunning", gemini[i]);
      g_autoptr(CfTestResponse) response =
        cf_test_request_path (session, sim, "POST", path, gemini_headers,
                              "{\"instances\": [{\"prompt\": \"x\"}]}");

      g_assert_cmpuint (response->status, ==, 200);
    }
}

static void
test_errors (void)
{
  static const struct {
    const char *json;
    const char *named;
  } cases[] = {
    { "", "JSON" },
    { "[]", "object" },
    { "{}", "accounts" },
    { "{\"accounts\": {}}", "accounts" },
    { "{\"acounts\": []}", "acounts" },
    { "{\"seed\": \"x\", \"accounts\": []}", "seed" },
    { "{\"time_scale\": 0, \"accounts\": []}", "time_scale" },
    { "{\"url_ttl_seconds\": \"day\", \"accounts\": []}", "url_ttl_seconds" },
    { "{\"models\": [{\"cost\": 3}], \"accounts\": []}", "models[0].key" },
    { "{\"models\": [{\"key\": \"m\", \"shape\": \"C\"}], \"accounts\": []}", "models[0].shape" },
    { "{\"models\": [{\"key\": \"m\", \"cost\": 1.5}], \"accounts\": []}", "models[0].cost" },
    { "{\"models\": [{\"key\": \"m\", \"colour\": 1}], \"accounts\": []}", "models[0].colour" },
    { "{\"models\": [{\"key\": \"m\"}, {\"key\": \"m\"}], \"accounts\": []}", "models[1].key" },
    { "{\"policy\": {\"reject_words\": [1]}, \"accounts\": []}", "policy.reject_words[0]" },
    { "{\"policy\": {\"bad_words\": []}, \"accounts\": []}", "policy.bad_words" },
    { "{\"faults\": {\"http_500\": 2}, \"accounts\": []}", "faults.http_500" },
    { "{\"faults\": {\"gremlins\": 0.1}, \"accounts\": []}", "faults.gremlins" },
    { "{\"accounts\": [{\"name\": \"A\"}]}", "accounts[0].kind" },
    { "{\"accounts\": [{\"kind\": \"vertex\", \"name\": \"A\"}]}", "accounts[0].kind" },
    { "{\"accounts\": [{\"kind\": \"labs\", \"tokens\": [\"t\"], \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\"}]}", "accounts[0].name" },
    { "{\"accounts\": [{\"kind\": \"labs\", \"name\": \"A\", \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\"}]}", "accounts[0].tokens" },
    { "{\"accounts\": [{\"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"t\"]}]}", "accounts[0].project_id" },
    { "{\"accounts\": [{\"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"t\"], \"project_id\": \"p-1\"}]}", "accounts[0].project_id" },
    { "{\"accounts\": [{\"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"t\"], \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\", \"tier\": \"GOLD\"}]}", "accounts[0].tier" },
    { "{\"accounts\": [{\"kind\": \"gemini\", \"name\": \"G\"}]}", "accounts[0].api_key" },
    { "{\"accounts\": [{\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k\", \"credits\": -1}]}", "accounts[0].credits" },
    { "{\"accounts\": [{\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k\", \"max_rps\": \"fast\"}]}", "accounts[0].max_rps" },
    { "{\"accounts\": [{\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k\", \"needs_recaptcha\": 1}]}", "accounts[0].needs_recaptcha" },
    { "{\"accounts\": [{\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k\", \"permission_denied\": \"yes\"}]}", "accounts[0].permission_denied" },
    { "{\"accounts\": [{\"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"t\"], \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\", \"permission_denied\": true}]}", "accounts[0].permission_denied" },
    { "{\"accounts\": [{\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k\", \"faults\": {\"slow\": -1}}]}", "accounts[0].faults.slow" },
    { "{\"accounts\": [{\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k\"}, {\"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"k2\"}]}", "accounts[1]" },
    { "{\"accounts\": [{\"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"t\"], \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\"}, {\"kind\": \"labs\", \"name\": \"B\", \"tokens\": [\"t\"], \"project_id\": \"97b19267-13d6-49cd-a7ed-db19a90c9339\"}]}", "accounts[1].tokens[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CfSimServer) sim = cf_sim_server_new_from_data (cases[i].json, -1, &error);

      g_test_message ("%s: %s", cases[i].json, error ? error->message : "(accepted)");
      g_assert_null (sim);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, cases[i].named));
    }
}

static void
test_secrets_not_in_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSimServer) sim = cf_sim_server_new_from_data (
    "{\"accounts\": [{\"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"ya29.secret\"],"
    " \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\"}, {\"kind\": \"labs\","
    " \"name\": \"B\", \"tokens\": [\"ya29.secret\"], \"project_id\": "
    "\"97b19267-13d6-49cd-a7ed-db19a90c9339\"}]}", -1, &error);

  g_assert_null (sim);
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "ya29.secret"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/config/sample", test_sample);
  g_test_add_func ("/sim/config/missing-file", test_missing_file);
  g_test_add_func ("/sim/config/start-stop", test_start_stop);
  g_test_add_func ("/sim/config/builtin-models", test_builtin_models);
  g_test_add_func ("/sim/config/errors", test_errors);
  g_test_add_func ("/sim/config/secrets-not-in-errors", test_secrets_not_in_errors);

  return g_test_run ();
}
