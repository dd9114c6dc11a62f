/* test-labs-provider.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cf-account.h"
#include "cf-download.h"
#include "cf-error.h"
#include "cf-labs-provider.h"
#include "cf-provider.h"
#include "cf-sim-server.h"

#define PROJECT_A "87b19267-13d6-49cd-a7ed-db19a90c9339"
#define PROJECT_B "3d1f5e2a-9c44-4b7e-8a61-2f0c7d9b1e55"

static const char *sim_config =
  "{"
  "  \"seed\": 7, \"time_scale\": 1.0,"
  "  \"models\": ["
  "    { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20, \"render_seconds\": 60, \"shape\": \"A\" },"
  "    { \"key\": \"veo_3_1_t2v_fast_b\", \"cost\": 20, \"render_seconds\": 60, \"shape\": \"B\","
  "      \"url_in_poll\": true },"
  "    { \"key\": \"veo_3_1_t2v_fast_b_late\", \"cost\": 20, \"render_seconds\": 60,"
  "      \"shape\": \"B\", \"url_in_poll\": false },"
  "    { \"key\": \"veo_3_1_t2v_fast_ultra\", \"cost\": 20, \"render_seconds\": 60, \"shape\": \"A\" }"
  "  ],"
  "  \"policy\": { \"reject_words\": [\"gore\"], \"fail_words\": [\"celebrity\"] },"
  "  \"accounts\": ["
  "    { \"kind\": \"labs\", \"name\": \"Account-A\", \"tokens\": [\"ya29.sim-a-1\", \"ya29.sim-a-2\"],"
  "      \"project_id\": \"" PROJECT_A "\", \"tier\": \"PAYGATE_TIER_ONE\", \"credits\": 1000,"
  "      \"max_in_flight\": 20, \"max_rps\": 1000000 },"
  "    { \"kind\": \"labs\", \"name\": \"Account-B\", \"tokens\": [\"ya29.sim-b-1\"],"
  "      \"project_id\": \"" PROJECT_B "\", \"tier\": \"PAYGATE_TIER_TWO\", \"credits\": 1000,"
  "      \"max_in_flight\": 20, \"max_rps\": 1000000 }"
  "  ]"
  "}";

typedef struct
{
  CfSimServer *sim;
  CfEndpoints *endpoints;
  char        *folder;
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
  fixture->folder = g_dir_make_tmp ("cf-labs-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->folder);
  g_free (fixture->folder);

  cf_sim_server_stop (fixture->sim);
  g_assert_finalize_object (fixture->sim);
  cf_endpoints_unref (fixture->endpoints);
}

static CfAccount *
make_account (const char *name,
              const char *project_id,
              const char *tier,
              const char *token1,
              const char *token2)
{
  CfAccount *account = cf_account_new (CF_ACCOUNT_KIND_LABS, name);
  const char *tokens[] = { token1, token2, NULL };

  cf_account_set_project_id (account, project_id);
  cf_account_set_tier (account, tier);
  cf_account_set_tokens (account, tokens);

  return account;
}

static CfProvider *
make_provider (Fixture    *fixture,
               const char *token1,
               const char *token2)
{
  g_autoptr(CfAccount) account = make_account ("Account-A", PROJECT_A, "PAYGATE_TIER_ONE",
                                               token1, token2);

  return cf_provider_new_for_account (account, fixture->endpoints);
}

static JsonObject *
stats_account (JsonNode   *stats,
               const char *name)
{
  JsonArray *accounts = json_object_get_array_member (json_node_get_object (stats), "accounts");

  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      if (g_str_equal (json_object_get_string_member (account, "name"), name))
        return account;
    }

  g_assert_not_reached ();
}

static JsonNode *
get_stats (Fixture *fixture)
{
  g_autofree char *text = cf_sim_server_dup_stats_json (fixture->sim);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static gint64
takes_charged (Fixture    *fixture,
               const char *account)
{
  g_autoptr(JsonNode) stats = get_stats (fixture);

  return json_object_get_int_member (stats_account (stats, account), "takes_charged");
}

static gint64
submits (Fixture    *fixture,
         const char *account)
{
  g_autoptr(JsonNode) stats = get_stats (fixture);

  return json_object_get_int_member (stats_account (stats, account), "submits");
}

static GPtrArray *
submit (CfProvider  *provider,
        const char  *prompt,
        const char  *model_key,
        guint        n_takes,
        gint64       seed,
        const char * const *client_ids,
        gint64      *credits)
{
  CfSubmitRequest request = {
    .prompt = prompt,
    .aspect = CF_ASPECT_LANDSCAPE,
    .model_key = model_key,
    .n_takes = n_takes,
    .seed = seed,
    .client_ids = client_ids,
  };
  CfSubmitResult result = { 0, };
  g_autoptr(GError) error = NULL;
  GPtrArray *handles;

  cf_provider_submit (provider, &request, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result.handles);
  if (credits != NULL)
    *credits = result.remaining_credits;
  handles = g_steal_pointer (&result.handles);
  cf_submit_result_clear (&result);

  return handles;
}

/* Lets every render finish, then polls once. */
static GPtrArray *
finish_and_poll (Fixture    *fixture,
                 CfProvider *provider,
                 GPtrArray  *handles)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *statuses;

  cf_sim_server_advance (fixture->sim, 3600);
  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statuses->len, ==, handles->len);

  return statuses;
}

static void
assert_is_mp4 (const char *path)
{
  g_autofree char *contents = NULL;
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (contents + 4, 4, "ftyp", 4);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
test_shape_a (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.sim-a-1", NULL);
  const char *ids[] = { "0b6f4c1e-7d2a-4e8b-9c3f-1a2b3c4d5e6f", "1c7e5d2f-8e3b-4f9c-8d4a-2b3c4d5e6f70" };
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  gint64 credits = -1;
  gint64 poll_credits = -1;
  g_autoptr(GError) error = NULL;

  handles = submit (provider, "A paper boat drifts down a rainy street", "veo_3_1_t2v_fast",
                    2, 4242, ids, &credits);
  g_assert_cmpuint (handles->len, ==, 2);
  g_assert_cmpint (credits, ==, 1000 - 2 * 20);

  for (guint i = 0; i < handles->len; i++)
    {
      CfTakeHandle *handle = g_ptr_array_index (handles, i);

      g_assert_cmpint (handle->shape, ==, CF_HANDLE_SHAPE_LABS_OPERATION);
      g_assert_nonnull (handle->name);
      g_assert_cmpstr (handle->client_id, ==, ids[i]);
      g_assert_cmpstr (handle->project_id, ==, PROJECT_A);
      g_assert_cmpint (handle->seed, ==, 4242 + i);
    }

  /* Still rendering. */
  statuses = cf_provider_poll (provider, handles, &poll_credits, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < statuses->len; i++)
    {
      CfTakeStatus *status = g_ptr_array_index (statuses, i);

      g_assert_true (status->state == CF_REMOTE_PENDING || status->state == CF_REMOTE_ACTIVE);
      g_assert_nonnull (status->raw_status);
    }
  g_clear_pointer (&statuses, g_ptr_array_unref);

  statuses = finish_and_poll (fixture, provider, handles);
  for (guint i = 0; i < statuses->len; i++)
    {
      CfTakeStatus *status = g_ptr_array_index (statuses, i);
      g_autofree char *name = g_strdup_printf ("take-%u.mp4", i);
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_assert_cmpint (status->state, ==, CF_REMOTE_SUCCEEDED);
      g_assert_cmpstr (status->raw_status, ==, "MEDIA_GENERATION_STATUS_SUCCESSFUL");
      g_assert_nonnull (status->download_url);
      g_assert_null (strstr (status->download_url, "/image/"));
      g_assert_null (status->error);

      cf_provider_download (provider, g_ptr_array_index (handles, i), status, path, NULL, &error);
      g_assert_no_error (error);
      assert_is_mp4 (path);
    }

  g_assert_cmpint (takes_charged (fixture, "Account-A"), ==, 2);
  g_assert_finalize_object (g_steal_pointer (&provider));
}

static void
test_shape_b (Fixture       *fixture,
              gconstpointer  data)
{
  gboolean url_in_poll = GPOINTER_TO_INT (data);
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.sim-a-1", NULL);
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  gint64 credits = -1;

  handles = submit (provider, "A lighthouse at dusk",
                    url_in_poll ? "veo_3_1_t2v_fast_b" : "veo_3_1_t2v_fast_b_late",
                    3, -1, NULL, &credits);
  g_assert_cmpuint (handles->len, ==, 3);
  g_assert_cmpint (credits, ==, 1000 - 3 * 20);

  for (guint i = 0; i < handles->len; i++)
    {
      CfTakeHandle *handle = g_ptr_array_index (handles, i);

      g_assert_cmpint (handle->shape, ==, CF_HANDLE_SHAPE_LABS_MEDIA);
      /* Client ids were made by the provider: UUIDs. */
      g_assert_true (g_uuid_string_is_valid (handle->client_id));
      g_assert_cmpstr (handle->project_id, ==, PROJECT_A);
      g_assert_cmpint (handle->seed, >=, 0);
    }

  statuses = finish_and_poll (fixture, provider, handles);
  for (guint i = 0; i < statuses->len; i++)
    {
      CfTakeStatus *status = g_ptr_array_index (statuses, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("b-%u.mp4", i);
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_assert_cmpint (status->state, ==, CF_REMOTE_SUCCEEDED);
      if (url_in_poll)
        g_assert_nonnull (status->download_url);
      else
        {
          g_assert_null (status->download_url);
          g_assert_cmpstr (status->media_name, ==,
                           ((CfTakeHandle *) g_ptr_array_index (handles, i))->name);
        }

      cf_provider_download (provider, g_ptr_array_index (handles, i), status, path, NULL, &error);
      g_assert_no_error (error);
      assert_is_mp4 (path);
    }

  g_assert_cmpint (takes_charged (fixture, "Account-A"), ==, 3);
}

static void
test_form_2026 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CfAccount) account = make_account ("Account-A", PROJECT_A, "PAYGATE_TIER_ONE",
                                               "ya29.sim-a-1", NULL);
  g_autoptr(CfProvider) provider = NULL;
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;

  cf_account_set_request_form (account, CF_REQUEST_FORM_2026);
  provider = cf_provider_new_for_account (account, fixture->endpoints);

  handles = submit (provider, "A fox in the snow", "veo_3_1_t2v_fast", 2, 10, NULL, NULL);
  g_assert_cmpuint (handles->len, ==, 2);
  statuses = finish_and_poll (fixture, provider, handles);
  g_assert_cmpint (((CfTakeStatus *) g_ptr_array_index (statuses, 0))->state, ==,
                   CF_REMOTE_SUCCEEDED);
}

static void
test_token_rotation (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.dead", "ya29.sim-a-2");
  g_autoptr(GPtrArray) handles = NULL;

  g_assert_cmpuint (cf_labs_provider_get_n_live_tokens (CF_LABS_PROVIDER (provider)), ==, 2);
  handles = submit (provider, "A kite over a beach", "veo_3_1_t2v_fast", 1, 1, NULL, NULL);
  g_assert_cmpuint (handles->len, ==, 1);
  g_assert_cmpuint (cf_labs_provider_get_n_live_tokens (CF_LABS_PROVIDER (provider)), ==, 1);
  g_assert_cmpint (takes_charged (fixture, "Account-A"), ==, 1);
}

static void
test_all_tokens_dead (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.dead-1", "ya29.dead-2");
  CfSubmitRequest request = {
    .prompt = "A kite", .aspect = CF_ASPECT_PORTRAIT, .model_key = "veo_3_1_t2v_fast",
    .n_takes = 1, .seed = 1,
  };
  CfSubmitResult result = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_provider_submit (provider, &request, &result, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_AUTH_EXPIRED);
  g_assert_cmpstr (error->message, ==,
                   "Tokens of account Account-A expired: paste new ones in Settings");
  g_assert_null (strstr (error->message, "ya29"));
  g_assert_null (result.handles);
  g_assert_cmpuint (cf_labs_provider_get_n_live_tokens (CF_LABS_PROVIDER (provider)), ==, 0);
  g_assert_true (cf_error_is_account_fatal (error));
  g_assert_cmpint (takes_charged (fixture, "Account-A"), ==, 0);
}

static void
test_check_account (Fixture       *fixture,
                    gconstpointer  data)
{
  struct {
    const char *project;
    const char *token;
    int         code;
  } cases[] = {
    { PROJECT_A, "ya29.sim-a-1", -1 },
    { PROJECT_A, "ya29.expired", CF_ERROR_AUTH_EXPIRED },
    { PROJECT_A, "ya29.sim-b-1", CF_ERROR_ACCESS_DENIED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CfAccount) account = make_account ("Account-A", cases[i].project, NULL,
                                                   cases[i].token, NULL);
      g_autoptr(CfProvider) provider = cf_provider_new_for_account (account, fixture->endpoints);
      g_autoptr(GError) error = NULL;
      gboolean ready;

      ready = cf_provider_check_account (provider, NULL, &error);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ready);
        }
      else
        {
          g_assert_false (ready);
          g_assert_error (error, CF_ERROR, cases[i].code);
        }
    }

  /* Verification needed. */
  {
    g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.sim-a-1", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (cf_sim_server_set_needs_recaptcha (fixture->sim, "Account-A", TRUE));
    g_assert_false (cf_provider_check_account (provider, NULL, &error));
    g_assert_error (error, CF_ERROR, CF_ERROR_NEEDS_VERIFICATION);
  }

  g_assert_cmpint (takes_charged (fixture, "Account-A"), ==, 0);
}

static void
test_policy_failed_take (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.sim-a-1", NULL);
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  CfTakeStatus *status;

  handles = submit (provider, "A celebrity waves", "veo_3_1_t2v_fast", 1, 5, NULL, NULL);
  statuses = finish_and_poll (fixture, provider, handles);
  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_FAILED);
  g_assert_error (status->error, CF_ERROR, CF_ERROR_POLICY);
  g_assert_nonnull (cf_error_get_reason (status->error));
}

static void
test_download_retry (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.sim-a-1", NULL);
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "retry.mp4", NULL);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  CfTakeStatus *status;

  handles = submit (provider, "A train in the rain", "veo_3_1_t2v_fast", 1, 5, NULL, NULL);
  statuses = finish_and_poll (fixture, provider, handles);
  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_SUCCEEDED);

  /* A download cut short leaves nothing behind and may be tried again. */
  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, "truncated_download", 1.0));
  g_assert_false (cf_provider_download (provider, g_ptr_array_index (handles, 0), status, path,
                                        NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (cf_error_is_retryable (error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* An expired link: poll again for a fresh one, never submit again. */
  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, "truncated_download", 0.0));
  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, "expired_url", 1.0));
  g_assert_false (cf_provider_download (provider, g_ptr_array_index (handles, 0), status, path,
                                        NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_URL_EXPIRED);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_true (cf_sim_server_set_fault (fixture->sim, NULL, "expired_url", 0.0));
  g_clear_pointer (&statuses, g_ptr_array_unref);
  statuses = finish_and_poll (fixture, provider, handles);
  status = g_ptr_array_index (statuses, 0);
  cf_provider_download (provider, g_ptr_array_index (handles, 0), status, path, NULL, &error);
  g_assert_no_error (error);
  assert_is_mp4 (path);

  g_assert_cmpint (takes_charged (fixture, "Account-A"), ==, 1);
  g_assert_cmpint (submits (fixture, "Account-A"), ==, 1);
}

static void
test_lost_take (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.sim-a-1", NULL);
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  CfTakeHandle *lost;

  handles = submit (provider, "A harbour at night", "veo_3_1_t2v_fast", 1, 5, NULL, NULL);

  /* A take the service forgot (say, from an old journal) among live ones. */
  lost = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_OPERATION, "0123456789abcdef0123456789abcdef");
  lost->client_id = g_uuid_string_random ();
  lost->project_id = g_strdup (PROJECT_A);
  g_ptr_array_insert (handles, 0, lost);

  statuses = finish_and_poll (fixture, provider, handles);
  g_assert_cmpint (((CfTakeStatus *) g_ptr_array_index (statuses, 0))->state, ==, CF_REMOTE_FAILED);
  g_assert_nonnull (((CfTakeStatus *) g_ptr_array_index (statuses, 0))->error);
  g_assert_cmpint (((CfTakeStatus *) g_ptr_array_index (statuses, 1))->state, ==,
                   CF_REMOTE_SUCCEEDED);
}

static void
test_sidecar (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "scene-01-take-1.mp4", NULL);
  g_autofree char *sidecar = g_build_filename (fixture->folder, "scene-01-take-1.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  CfSidecarInfo info = {
    .prompt = "A paper boat", .seed = 4242, .model_key = "veo_3_1_t2v_fast",
    .account_name = "Account-A", .handle_name = "c3f4a0b2", .submitted_at = 1731150000000000,
    .finished_at = 1731150090000000, .downloaded_at = 0,
  };

  g_assert_true (cf_download_write_take_sidecar (path, &info, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (sidecar, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"prompt\" : \"A paper boat\""));
  g_assert_nonnull (strstr (contents, "\"seed\" : 4242"));
  g_assert_nonnull (strstr (contents, "\"account\" : \"Account-A\""));
  g_assert_nonnull (strstr (contents, "\"name\" : \"c3f4a0b2\""));
  g_assert_nonnull (strstr (contents, "\"submitted_at\" : \"2024-11-09T11:00:00Z\""));
  g_assert_null (strstr (contents, "downloaded_at"));
  g_assert_null (strstr (contents, "ya29"));
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "ya29.sim-a-1", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CfSubmitRequest request = {
    .prompt = "A kite", .aspect = CF_ASPECT_SQUARE, .model_key = "veo_3_1_t2v_fast",
    .n_takes = 1, .seed = 1,
  };
  CfSubmitResult result = { 0, };
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (cf_provider_submit (provider, &request, &result, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (cf_provider_check_account (provider, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add ("/labs-provider/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("shape-a", test_shape_a, NULL);
  ADD ("shape-b", test_shape_b, GINT_TO_POINTER (TRUE));
  ADD ("shape-b-redirect-route", test_shape_b, GINT_TO_POINTER (FALSE));
  ADD ("form-2026", test_form_2026, NULL);
  ADD ("token-rotation", test_token_rotation, NULL);
  ADD ("all-tokens-dead", test_all_tokens_dead, NULL);
  ADD ("check-account", test_check_account, NULL);
  ADD ("policy-failed-take", test_policy_failed_take, NULL);
  ADD ("download-retry", test_download_retry, NULL);
  ADD ("lost-take", test_lost_take, NULL);
  ADD ("sidecar", test_sidecar, NULL);
  ADD ("cancelled", test_cancelled, NULL);

#undef ADD

  return g_test_run ();
}
