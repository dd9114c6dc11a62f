/* test-gemini-provider.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cf-account.h"
#include "cf-error.h"
#include "cf-gemini-provider.h"
#include "cf-provider.h"
#include "cf-sim-server.h"

#define MODEL        "veo-3.1-fast-generate-preview"
#define MODEL_INLINE "veo-3.1-lite-generate-preview"

static const char *sim_config =
  "{"
  "  \"seed\": 11, \"time_scale\": 1.0,"
  "  \"models\": ["
  "    { \"key\": \"" MODEL "\", \"api\": \"gemini\", \"cost\": 20, \"render_seconds\": 60 },"
  "    { \"key\": \"" MODEL_INLINE "\", \"api\": \"gemini\", \"cost\": 10, \"render_seconds\": 60,"
  "      \"inline_video\": 1.0 }"
  "  ],"
  "  \"policy\": { \"reject_words\": [\"gore\"], \"fail_words\": [\"celebrity\"] },"
  "  \"accounts\": ["
  "    { \"kind\": \"gemini\", \"name\": \"Gemini-1\", \"api_key\": \"AIzaSim-1\","
  "      \"credits\": 1000, \"max_in_flight\": 20, \"max_rps\": 1000000 }"
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
  fixture->folder = g_dir_make_tmp ("cf-gemini-XXXXXX", &error);
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

static CfProvider *
make_provider (Fixture    *fixture,
               const char *key)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_GEMINI, "Gemini-1");

  cf_account_set_api_key (account, key);

  return cf_provider_new_for_account (account, fixture->endpoints);
}

static gint64
takes_charged (Fixture *fixture)
{
  g_autofree char *text = cf_sim_server_dup_stats_json (fixture->sim);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *accounts;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  accounts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "accounts");

  return json_object_get_int_member (json_array_get_object_element (accounts, 0),
                                     "takes_charged");
}

static GPtrArray *
submit (CfProvider *provider,
        const char *prompt,
        const char *model,
        guint       n_takes)
{
  CfSubmitRequest request = {
    .prompt = prompt,
    .negative_prompt = "text overlays, watermark",
    .aspect = CF_ASPECT_LANDSCAPE,
    .model_key = model,
    .n_takes = n_takes,
    .seed = 99,
  };
  CfSubmitResult result = { 0, };
  g_autoptr(GError) error = NULL;
  GPtrArray *handles;

  cf_provider_submit (provider, &request, &result, NULL, &error);
  g_assert_no_error (error);
  handles = g_steal_pointer (&result.handles);
  cf_submit_result_clear (&result);

  return handles;
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
run_to_download (Fixture    *fixture,
                 const char *model,
                 gboolean    expect_inline)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "AIzaSim-1");
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;

  handles = submit (provider, "A paper boat drifts down a rainy street", model, 2);
  g_assert_cmpuint (handles->len, ==, 2);
  for (guint i = 0; i < handles->len; i++)
    {
      CfTakeHandle *handle = g_ptr_array_index (handles, i);

      g_assert_cmpint (handle->shape, ==, CF_HANDLE_SHAPE_GEMINI);
      g_assert_true (g_str_has_prefix (handle->name, "models/"));
      g_assert_cmpstr (handle->name, ==, ((CfTakeHandle *) g_ptr_array_index (handles, 0))->name);
      g_assert_cmpuint (handle->sample_index, ==, i);
      g_assert_cmpint (handle->seed, ==, -1);
    }

  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < statuses->len; i++)
    {
      CfTakeStatus *status = g_ptr_array_index (statuses, i);

      g_assert_true (status->state == CF_REMOTE_ACTIVE || status->state == CF_REMOTE_PENDING);
    }
  g_clear_pointer (&statuses, g_ptr_array_unref);

  cf_sim_server_advance (fixture->sim, 3600);
  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < statuses->len; i++)
    {
      CfTakeStatus *status = g_ptr_array_index (statuses, i);
      g_autofree char *name = g_strdup_printf ("g-%u.mp4", i);
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_assert_cmpint (status->state, ==, CF_REMOTE_SUCCEEDED);
      if (expect_inline)
        {
          g_assert_nonnull (status->inline_video);
          g_assert_null (status->download_url);
        }
      else
        {
          g_assert_nonnull (status->download_url);
          g_assert_null (status->inline_video);
        }

      cf_provider_download (provider, g_ptr_array_index (handles, i), status, path, NULL, &error);
      g_assert_no_error (error);
      assert_is_mp4 (path);
    }

  g_assert_cmpint (takes_charged (fixture), ==, 2);
  g_assert_finalize_object (g_steal_pointer (&provider));
}

static void
test_uri (Fixture       *fixture,
          gconstpointer  data)
{
  run_to_download (fixture, MODEL, FALSE);
}

static void
test_inline (Fixture       *fixture,
             gconstpointer  data)
{
  run_to_download (fixture, MODEL_INLINE, TRUE);
}

static void
test_filtered (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "AIzaSim-1");
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  guint n_policy = 0;

  handles = submit (provider, "A celebrity on a red carpet", MODEL, 2);
  cf_sim_server_advance (fixture->sim, 3600);
  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < statuses->len; i++)
    {
      CfTakeStatus *status = g_ptr_array_index (statuses, i);

      if (status->state == CF_REMOTE_FAILED)
        {
          g_assert_error (status->error, CF_ERROR, CF_ERROR_POLICY);
          g_assert_nonnull (cf_error_get_reason (status->error));
          g_assert_true (cf_error_is_scene_terminal (status->error));
          n_policy++;
        }
    }

  g_assert_cmpuint (n_policy, >, 0);
}

static void
test_check_account (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(CfProvider) provider = make_provider (fixture, "AIzaSim-1");

    g_assert_true (cf_provider_check_account (provider, NULL, &error));
    g_assert_no_error (error);
  }

  {
    g_autoptr(CfProvider) provider = make_provider (fixture, "AIzaWrong");

    g_assert_false (cf_provider_check_account (provider, NULL, &error));
    g_assert_error (error, CF_ERROR, CF_ERROR_AUTH_EXPIRED);
    g_assert_null (strstr (error->message, "AIzaWrong"));
    g_clear_error (&error);
  }

  {
    g_autoptr(CfProvider) provider = make_provider (fixture, NULL);

    g_assert_false (cf_provider_check_account (provider, NULL, &error));
    g_assert_error (error, CF_ERROR, CF_ERROR_AUTH_EXPIRED);
    g_clear_error (&error);
  }

  g_assert_cmpint (takes_charged (fixture), ==, 0);
}

static void
test_square_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "AIzaSim-1");
  CfSubmitRequest request = {
    .prompt = "A box", .aspect = CF_ASPECT_SQUARE, .model_key = MODEL, .n_takes = 1, .seed = -1,
  };
  CfSubmitResult result = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_provider_submit (provider, &request, &result, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_cmpint (takes_charged (fixture), ==, 0);
}

static void
test_bad_model_name (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "AIzaSim-1");
  CfSubmitRequest request = {
    .prompt = "A box", .aspect = CF_ASPECT_LANDSCAPE, .model_key = "../../v1/x?y", .n_takes = 1,
    .seed = -1,
  };
  CfSubmitResult result = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_provider_submit (provider, &request, &result, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
}

static void
test_unknown_operation (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CfProvider) provider = make_provider (fixture, "AIzaSim-1");
  g_autoptr(GPtrArray) handles = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_take_handle_free);
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  CfTakeStatus *status;

  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI,
                                                "models/" MODEL "/operations/nosuchop"));
  /* A corrupted name never reaches the network. */
  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI, "../../etc/passwd"));

  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_FAILED);
  g_assert_nonnull (status->error);
  status = g_ptr_array_index (statuses, 1);
  g_assert_cmpint (status->state, ==, CF_REMOTE_FAILED);
  g_assert_error (status->error, CF_ERROR, CF_ERROR_BAD_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/gemini-provider/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("uri", test_uri);
  ADD ("inline", test_inline);
  ADD ("filtered", test_filtered);
  ADD ("check-account", test_check_account);
  ADD ("square-refused", test_square_refused);
  ADD ("bad-model-name", test_bad_model_name);
  ADD ("unknown-operation", test_unknown_operation);

#undef ADD

  return g_test_run ();
}
