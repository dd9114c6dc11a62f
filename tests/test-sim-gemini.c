/* test-sim-gemini.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-test-util.h"

/*
 * The Gemini routes of the simulator, driven with requests written from
 * gemini-veo.md. Simulated time is moved with cf_sim_server_advance ().
 */

static const char config[] =
  "{ \"seed\": 11, \"time_scale\": 1.0,"
  "  \"models\": ["
  "    { \"key\": \"veo-3.1-fast-generate-preview\", \"cost\": 20, \"render_seconds\": 60,"
  "      \"pending_seconds\": 4 },"
  "    { \"key\": \"veo-3.1-generate-preview\", \"cost\": 40, \"render_seconds\": 60,"
  "      \"inline_video\": true },"
  "    { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20 }"
  "  ],"
  "  \"policy\": { \"reject_words\": [\"gore\"], \"fail_words\": [\"celebrity\"] },"
  "  \"accounts\": ["
  "    { \"kind\": \"gemini\", \"name\": \"G1\", \"api_key\": \"AIzaG1\", \"credits\": 1000,"
  "      \"max_in_flight\": 4 },"
  "    { \"kind\": \"gemini\", \"name\": \"G2\", \"api_key\": \"AIzaG2\", \"credits\": 50 },"
  "    { \"kind\": \"gemini\", \"name\": \"G3\", \"api_key\": \"AIzaG3\", \"max_rps\": 2 },"
  "    { \"kind\": \"gemini\", \"name\": \"G4\", \"api_key\": \"AIzaG4\","
  "      \"permission_denied\": true },"
  "    { \"kind\": \"labs\", \"name\": \"L\", \"tokens\": [\"ya29.l\"],"
  "      \"project_id\": \"87b19267-13d6-49cd-a7ed-db19a90c9339\" }"
  "  ]"
  "}";

typedef struct
{
  CfSimServer *sim;
  SoupSession *session;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = cf_test_sim_start (config);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  cf_sim_server_stop (f->sim);
  g_assert_finalize_object (f->sim);
}

static CfTestResponse *
predict (Fixture    *f,
         const char *key,
         const char *model,
         const char *body)
{
  g_autofree char *path = g_strdup_printf ("/v1beta/models/%s:predictLongRunning", model);
  const char *headers[] = {
    "Content-Type", "application/json",
    key ? "x-goog-api-key" : NULL, key,
    NULL
  };

  return cf_test_request_path (f->session, f->sim, "POST", path, headers, body);
}

static char *
body_for (const char *prompt,
          const char *parameters)
{
  return g_strdup_printf ("{\"instances\": [{\"prompt\": \"%s\"}], \"parameters\": {%s}}",
                          prompt, parameters);
}

static CfTestResponse *
get (Fixture    *f,
     const char *key,
     const char *url_or_path)
{
  const char *headers[] = { key ? "x-goog-api-key" : NULL, key, NULL };

  if (g_str_has_prefix (url_or_path, "http"))
    return cf_test_request (f->session, "GET", url_or_path, headers, NULL);
  return cf_test_request_path (f->session, f->sim, "GET", url_or_path, headers, NULL);
}

static CfTestResponse *
poll_op (Fixture    *f,
         const char *key,
         const char *name)
{
  g_autofree char *path = g_strconcat ("/v1beta/", name, NULL);

  return get (f, key, path);
}

static void
assert_error (CfTestResponse *response,
              guint           status,
              const char     *rpc_status,
              const char     *reason,
              const char     *in_message)
{
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (cf_test_error_status (response), ==, rpc_status);
  if (reason != NULL)
    g_assert_cmpstr (cf_test_error_reason (response), ==, reason);
  if (in_message != NULL)
    g_assert_nonnull (strstr (cf_test_error_message (response), in_message));
}

static gboolean
body_contains (CfTestResponse *response,
               const char     *needle)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (response->body, &length);

  return data != NULL && g_strstr_len (data, length, needle) != NULL;
}

/* The error detail of that @type, or NULL. */
static JsonObject *
error_detail (CfTestResponse *response,
              const char     *type)
{
  JsonObject *error = json_object_get_object_member (cf_test_response_object (response), "error");
  JsonArray *details;

  if (!json_object_has_member (error, "details"))
    return NULL;
  details = json_object_get_array_member (error, "details");
  for (guint i = 0; i < json_array_get_length (details); i++)
    {
      JsonObject *detail = json_array_get_object_element (details, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (detail, "@type", NULL), type) == 0)
        return detail;
    }
  return NULL;
}

/*
 * A Gemini 429 as the real API sends it: RESOURCE_EXHAUSTED with a
 * QuotaFailure and a Help link, never a Labs PUBLIC_ERROR_* reason.
 */
static void
assert_exhausted (CfTestResponse *response,
                  const char     *in_message,
                  gboolean        retry_info)
{
  JsonObject *quota;
  JsonObject *help;
  JsonArray *violations;

  assert_error (response, 429, "RESOURCE_EXHAUSTED", NULL, in_message);
  g_assert_null (error_detail (response, "type.googleapis.com/google.rpc.ErrorInfo"));
  g_assert_false (body_contains (response, "PUBLIC_ERROR_"));
  quota = error_detail (response, "type.googleapis.com/google.rpc.QuotaFailure");
  g_assert_nonnull (quota);
  violations = json_object_get_array_member (quota, "violations");
  g_assert_cmpuint (json_array_get_length (violations), ==, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (violations, 0), "quotaMetric"),
                                   "generativelanguage.googleapis.com/"));
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (violations, 0), "quotaId"));
  help = error_detail (response, "type.googleapis.com/google.rpc.Help");
  g_assert_nonnull (help);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (help, "links"), 0), "url"),
                                   "https://"));
  if (retry_info)
    {
      g_assert_cmpfloat (cf_test_error_retry_delay (response), >, 0);
      g_assert_nonnull (soup_message_headers_get_one (response->headers, "Retry-After"));
    }
  else
    {
      g_assert_cmpfloat (cf_test_error_retry_delay (response), <, 0);
      g_assert_null (soup_message_headers_get_one (response->headers, "Retry-After"));
    }
}

static JsonObject *
video_response (CfTestResponse *response)
{
  JsonObject *root = cf_test_response_object (response);

  g_assert_true (json_object_get_boolean_member (root, "done"));
  g_assert_false (json_object_has_member (root, "error"));
  return json_object_get_object_member (json_object_get_object_member (root, "response"),
                                        "generateVideoResponse");
}

static void
test_flow (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *body = g_strdup (
    "{\"instances\": [{\"prompt\": \"A paper boat drifts down a rainy street, close-up\"}],"
    " \"parameters\": {\"aspectRatio\": \"16:9\", \"resolution\": \"720p\","
    " \"durationSeconds\": 8, \"negativePrompt\": \"text overlays, watermark\","
    " \"personGeneration\": \"allow_adult\", \"sampleCount\": 2}}");
  g_autoptr(CfTestResponse) submitted = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview",
                                                 body);
  g_autoptr(CfTestResponse) pending = NULL;
  g_autoptr(CfTestResponse) running = NULL;
  g_autoptr(CfTestResponse) done = NULL;
  g_autoptr(CfTestResponse) by_query = NULL;
  JsonObject *result;
  JsonArray *samples;
  const char *name;

  g_assert_cmpuint (submitted->status, ==, 200);
  name = json_object_get_string_member (cf_test_response_object (submitted), "name");
  g_assert_true (g_str_has_prefix (name, "models/veo-3.1-fast-generate-preview/operations/"));

  pending = poll_op (f, "AIzaG1", name);
  g_assert_cmpuint (pending->status, ==, 200);
  g_assert_false (json_object_get_boolean_member_with_default (cf_test_response_object (pending), "done", FALSE));

  cf_sim_server_advance (f->sim, 7);
  running = poll_op (f, "AIzaG1", name);
  g_assert_false (json_object_get_boolean_member_with_default (cf_test_response_object (running), "done", FALSE));

  cf_sim_server_advance (f->sim, 1000);
  done = poll_op (f, "AIzaG1", name);
  g_assert_cmpstr (json_object_get_string_member (cf_test_response_object (done), "name"), ==, name);
  result = video_response (done);
  samples = json_object_get_array_member (result, "generatedSamples");
  g_assert_cmpuint (json_array_get_length (samples), ==, 2);
  g_assert_cmpint (json_object_get_int_member (result, "raiMediaFilteredCount"), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      const char *uri = json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (samples, i), "video"), "uri");
      g_autoptr(CfTestResponse) video = get (f, "AIzaG1", uri);
      g_autoptr(CfTestResponse) keyless = get (f, NULL, uri);
      g_autoptr(CfTestResponse) stranger = get (f, "AIzaG2", uri);

      g_assert_nonnull (strstr (uri, "/v1beta/files/"));
      g_assert_cmpuint (video->status, ==, 200);
      g_assert_true (cf_test_is_mp4 (video->body));
      assert_error (keyless, 403, "PERMISSION_DENIED", NULL, NULL);
      assert_error (stranger, 403, "PERMISSION_DENIED", NULL, NULL);
    }

  /* The key may also come as ?key=. */
  {
    g_autofree char *path = g_strconcat ("/v1beta/", name, "?key=AIzaG1", NULL);

    by_query = get (f, NULL, path);
    g_assert_cmpuint (by_query->status, ==, 200);
  }
}

static void
test_inline_video (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *body = body_for ("A boat", "\"aspectRatio\": \"9:16\"");
  g_autoptr(CfTestResponse) submitted = predict (f, "AIzaG1", "veo-3.1-generate-preview", body);
  g_autoptr(CfTestResponse) done = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *video;
  g_autofree guchar *decoded = NULL;
  gsize length = 0;

  g_assert_cmpuint (submitted->status, ==, 200);
  cf_sim_server_advance (f->sim, 1000);
  done = poll_op (f, "AIzaG1",
                  json_object_get_string_member (cf_test_response_object (submitted), "name"));
  video = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (video_response (done), "generatedSamples"), 0), "video");
  g_assert_false (json_object_has_member (video, "uri"));
  decoded = g_base64_decode (json_object_get_string_member (video, "encodedVideo"), &length);
  bytes = g_bytes_new (decoded, length);
  g_assert_true (cf_test_is_mp4 (bytes));
}

static void
test_filtered (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *body = body_for ("A celebrity waves", "\"sampleCount\": 2");
  g_autoptr(CfTestResponse) submitted = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview",
                                                 body);
  g_autoptr(CfTestResponse) done = NULL;
  JsonObject *result;

  g_assert_cmpuint (submitted->status, ==, 200);
  cf_sim_server_advance (f->sim, 1000);
  done = poll_op (f, "AIzaG1",
                  json_object_get_string_member (cf_test_response_object (submitted), "name"));
  result = video_response (done);
  g_assert_cmpint (json_object_get_int_member (result, "raiMediaFilteredCount"), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "generatedSamples")), <, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "raiMediaFilteredReasons")), >, 0);
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *body = body_for ("A boat", "");
  g_autoptr(CfTestResponse) missing = predict (f, NULL, "veo-3.1-fast-generate-preview", body);
  g_autoptr(CfTestResponse) wrong = predict (f, "AIzaWrong", "veo-3.1-fast-generate-preview", body);
  g_autoptr(CfTestResponse) submitted = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview", body);
  g_autoptr(CfTestResponse) other = NULL;

  assert_error (missing, 403, "PERMISSION_DENIED", NULL, NULL);
  assert_error (wrong, 400, "INVALID_ARGUMENT", "API_KEY_INVALID", NULL);
  g_assert_cmpuint (submitted->status, ==, 200);
  other = poll_op (f, "AIzaG2",
                   json_object_get_string_member (cf_test_response_object (submitted), "name"));
  assert_error (other, 404, "NOT_FOUND", NULL, NULL);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char *model;
    const char *body;
    const char *field;
  } cases[] = {
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"seed\": 4}}", "seed" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"aspectRatio\": \"1:1\"}}", "aspectRatio" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"durationSeconds\": 5}}", "durationSeconds" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"durationSeconds\": \"eight\"}}", "durationSeconds" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"resolution\": \"480p\"}}", "resolution" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"sampleCount\": 9}}", "sampleCount" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"personGeneration\": \"everyone\"}}", "personGeneration" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\"}], \"parameters\": {\"fps\": 24}}", "fps" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{}]}", "instances[0].prompt" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": 5}]}", "instances[0].prompt" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": []}", "instances" },
    { "veo-3.1-fast-generate-preview", "{\"parameters\": {}}", "instances" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\", \"image\": {\"bytesBase64Encoded\": \"***\", \"mimeType\": \"image/png\"}}]}", "bytesBase64Encoded" },
    { "veo-3.1-fast-generate-preview", "{\"instances\": [{\"prompt\": \"x\", \"image\": {\"bytesBase64Encoded\": \"iVBO\"}}]}", "mimeType" },
  };
  /* An unknown model (a Labs key too) is 404 NOT_FOUND, as in the real API. */
  static const char * const unknown_models[] = { "veo-9-nonexistent", "veo_3_1_t2v_fast" };
  g_autoptr(JsonNode) stats = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CfTestResponse) response = predict (f, "AIzaG1", cases[i].model, cases[i].body);

      g_test_message ("%s → %u %s", cases[i].body, response->status,
                      cf_test_error_message (response));
      assert_error (response, 400, "INVALID_ARGUMENT", NULL, cases[i].field);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown_models); i++)
    {
      g_autoptr(CfTestResponse) response = predict (f, "AIzaG1", unknown_models[i],
                                                    "{\"instances\": [{\"prompt\": \"x\"}]}");
      g_autofree char *expected = g_strdup_printf ("models/%s is not found for API version "
                                                   "v1beta, or is not supported for "
                                                   "predictLongRunning", unknown_models[i]);

      assert_error (response, 404, "NOT_FOUND", NULL, expected);
    }

  /* A start frame and every documented parameter pass. */
  {
    g_autoptr(CfTestResponse) ok = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview",
                                            "{\"instances\": [{\"prompt\": \"x\", \"image\": {\"bytesBase64Encoded\": \"iVBORw==\", \"mimeType\": \"image/png\"}}],"
                                            " \"parameters\": {\"resolution\": \"4k\", \"durationSeconds\": 4}}");

    g_assert_cmpuint (ok->status, ==, 200);
  }

  stats = cf_test_sim_stats (f->sim);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "G1"), "takes_charged"), ==, 1);
}

static void
test_policy_and_limits (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *gore = body_for ("gore and more", "");
  g_autofree char *four = body_for ("A boat", "\"sampleCount\": 4");
  g_autofree char *one = body_for ("A boat", "");
  g_autoptr(CfTestResponse) refused = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview", gore);
  g_autoptr(CfTestResponse) full = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview", four);
  g_autoptr(CfTestResponse) over = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview", one);
  g_autoptr(CfTestResponse) poor_1 = predict (f, "AIzaG2", "veo-3.1-fast-generate-preview", four);
  guint throttled = 0;

  assert_error (refused, 400, "INVALID_ARGUMENT", NULL, "usage guidelines");
  g_assert_cmpuint (full->status, ==, 200);
  assert_exhausted (over, "too many operations in progress", TRUE);
  /* 50 credits do not pay for four takes at 20: waiting does not help. */
  assert_exhausted (poor_1, "You exceeded your current quota, please check your plan and "
                    "billing details.", FALSE);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(CfTestResponse) response = poll_op (f, "AIzaG3",
                                                    "models/veo-3.1-fast-generate-preview/operations/none");

      if (response->status == 429)
        {
          assert_exhausted (response, "too many requests", TRUE);
          throttled++;
        }
      else
        g_assert_cmpuint (response->status, ==, 404);
    }
  g_assert_cmpuint (throttled, >, 0);
}

/* "permission_denied": every call of the account answers 403, whatever the route. */
static void
test_permission_denied (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *body = body_for ("A boat", "");
  g_autoptr(CfTestResponse) submitted = predict (f, "AIzaG4", "veo-3.1-fast-generate-preview",
                                                 body);
  g_autoptr(CfTestResponse) polled = poll_op (f, "AIzaG4",
                                              "models/veo-3.1-fast-generate-preview/operations/x");
  g_autoptr(CfTestResponse) file = get (f, "AIzaG4", "/v1beta/files/abc:download?alt=media");
  g_autoptr(CfTestResponse) other = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview", body);
  g_autoptr(JsonNode) stats = NULL;
  CfTestResponse *refused[] = { submitted, polled, file };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      JsonObject *info;

      assert_error (refused[i], 403, "PERMISSION_DENIED", "BILLING_DISABLED",
                    "This API method requires billing to be enabled");
      info = error_detail (refused[i], "type.googleapis.com/google.rpc.ErrorInfo");
      g_assert_cmpstr (json_object_get_string_member (info, "domain"), ==, "googleapis.com");
      g_assert_nonnull (error_detail (refused[i], "type.googleapis.com/google.rpc.Help"));
      /* The key is never echoed. */
      g_assert_false (body_contains (refused[i], "AIzaG4"));
    }
  g_assert_cmpuint (other->status, ==, 200);

  stats = cf_test_sim_stats (f->sim);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "G4"), "takes_charged"), ==, 0);
}

static void
test_file_expiry (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *body = body_for ("A boat", "");
  g_autoptr(CfTestResponse) submitted = predict (f, "AIzaG1", "veo-3.1-fast-generate-preview", body);
  g_autoptr(CfTestResponse) done = NULL;
  g_autoptr(CfTestResponse) fresh = NULL;
  g_autoptr(CfTestResponse) stale = NULL;
  const char *uri;

  cf_sim_server_advance (f->sim, 1000);
  done = poll_op (f, "AIzaG1",
                  json_object_get_string_member (cf_test_response_object (submitted), "name"));
  uri = json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (video_response (done), "generatedSamples"), 0), "video"), "uri");
  fresh = get (f, "AIzaG1", uri);
  g_assert_cmpuint (fresh->status, ==, 200);
  /* Files are kept two days. */
  cf_sim_server_advance (f->sim, 3 * 86400);
  stale = get (f, "AIzaG1", uri);
  assert_error (stale, 404, "NOT_FOUND", NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/sim/gemini/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("flow", test_flow);
  ADD ("inline-video", test_inline_video);
  ADD ("filtered", test_filtered);
  ADD ("keys", test_keys);
  ADD ("validation", test_validation);
  ADD ("policy-and-limits", test_policy_and_limits);
  ADD ("permission-denied", test_permission_denied);
  ADD ("file-expiry", test_file_expiry);
#undef ADD

  return g_test_run ();
}
