/* test-sim-labs.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-test-util.h"

/*
 * The Labs routes of the simulator, driven with requests written from
 * labs-flow.md. The configuration runs in real time (time_scale 1) and the
 * tests move simulated time with cf_sim_server_advance (), so that what a
 * poll sees never depends on how fast the machine is.
 */

#define START_IMAGE_TEMPLATE \
  "{\"clientContext\": {\"projectId\": \"%s\"}, \"requests\": [{" \
  "\"aspectRatio\": \"VIDEO_ASPECT_RATIO_LANDSCAPE\", \"seed\": 5," \
  "\"textInput\": {\"prompt\": \"The boat sails\"}, \"videoModelKey\": \"veo_3_1_t2v_fast\"," \
  "\"metadata\": {\"sceneId\": \"%s\"}, \"startImage\": {\"mediaId\": \"%s\"}}]}"

#define PROJECT_A "87b19267-13d6-49cd-a7ed-db19a90c9339"
#define PROJECT_B "2c0e7a51-8f43-4d6b-b1a9-5e2d7c3f9a10"
#define PROJECT_R "0b6f3a2e-1c4d-4e8f-9a7b-5d3c2e1f0a98"
#define PROJECT_Q "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716"
#define PROJECT_T "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
#define PROJECT_S "3f2e1d0c-9b8a-4765-8432-10fedcba9876"

static const char config[] =
  "{ \"seed\": 7, \"time_scale\": 1.0,"
  "  \"models\": ["
  "    { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20, \"render_seconds\": 90,"
  "      \"render_spread\": 20, \"pending_seconds\": 4, \"shape\": \"A\" },"
  "    { \"key\": \"veo_3_1_t2v_fast_ultra\", \"cost\": 20, \"render_seconds\": 90,"
  "      \"pending_seconds\": 4, \"shape\": \"B\" },"
  "    { \"key\": \"veo_3_1_t2v_lite\", \"cost\": 10, \"render_seconds\": 60,"
  "      \"shape\": \"B\", \"url_in_poll\": true },"
  "    { \"key\": \"veo-3.1-fast-generate-preview\", \"cost\": 20 }"
  "  ],"
  "  \"policy\": { \"reject_words\": [\"gore\"], \"fail_words\": [\"celebrity\"] },"
  "  \"accounts\": ["
  "    { \"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"ya29.a-1\", \"ya29.a-2\"],"
  "      \"project_id\": \"" PROJECT_A "\", \"tier\": \"PAYGATE_TIER_ONE\","
  "      \"credits\": 1000, \"max_in_flight\": 3 },"
  "    { \"kind\": \"labs\", \"name\": \"B\", \"tokens\": [\"ya29.b-1\"],"
  "      \"project_id\": \"" PROJECT_B "\", \"tier\": \"PAYGATE_TIER_TWO\", \"credits\": 1000 },"
  "    { \"kind\": \"labs\", \"name\": \"R\", \"tokens\": [\"ya29.r-1\"],"
  "      \"project_id\": \"" PROJECT_R "\", \"needs_recaptcha\": true },"
  "    { \"kind\": \"labs\", \"name\": \"Q\", \"tokens\": [\"ya29.q-1\"],"
  "      \"project_id\": \"" PROJECT_Q "\", \"credits\": 30 },"
  "    { \"kind\": \"labs\", \"name\": \"T\", \"tokens\": [\"ya29.t-1\"],"
  "      \"project_id\": \"" PROJECT_T "\", \"expire_tokens_after_takes\": 1 },"
  "    { \"kind\": \"labs\", \"name\": \"S\", \"tokens\": [\"ya29.s-1\"],"
  "      \"project_id\": \"" PROJECT_S "\", \"max_rps\": 2 },"
  "    { \"kind\": \"gemini\", \"name\": \"G\", \"api_key\": \"AIzaG\" }"
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
  f->sim = cf_test_sim_start (data != NULL ? data : config);
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
labs_post (Fixture    *f,
           const char *token,
           const char *path,
           const char *body)
{
  g_autofree char *bearer = token ? g_strconcat ("Bearer ", token, NULL) : NULL;
  const char *headers[] = {
    "Content-Type", "text/plain;charset=UTF-8",
    "Origin", "https://labs.google",
    "Referer", "https://labs.google/",
    bearer ? "Authorization" : NULL, bearer,
    NULL
  };

  return cf_test_request_path (f->session, f->sim, "POST", path, headers, body);
}

static CfTestResponse *
submit (Fixture    *f,
        const char *token,
        const char *project,
        const char *model,
        const char *prompt,
        guint       copies)
{
  g_autofree char *body = cf_test_labs_submit_body (project, model, prompt, copies, NULL);

  return labs_post (f, token, "/v1/video:batchAsyncGenerateVideoText", body);
}

/* Echoes the submit's operations, as section 4 says, and returns the answer. */
static CfTestResponse *
poll_a (Fixture    *f,
        const char *token,
        const char *project,
        JsonArray  *operations)
{
  g_autofree char *body = cf_test_labs_poll_body_a (project, operations);

  return labs_post (f, token, "/v1/video:batchCheckAsyncVideoGenerationStatus", body);
}

static const char *
op_status (JsonArray *operations,
           guint      index)
{
  return json_object_get_string_member (json_array_get_object_element (operations, index),
                                        "status");
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

static GBytes *
download (Fixture    *f,
          const char *url,
          const char *content_type)
{
  g_autoptr(CfTestResponse) response = cf_test_request (f->session, "GET", url, NULL, NULL);

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   content_type);
  return g_bytes_ref (response->body);
}

/* The "done when": the sample configuration, submit, poll, download. */
static void
test_sample_flow (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CfTestResponse) submitted = NULL;
  g_autoptr(GBytes) video = NULL;
  g_auto(GStrv) scene_ids = NULL;
  g_autofree char *body = NULL;
  JsonArray *operations;
  JsonObject *operation = NULL;
  guint polls = 0;

  body = cf_test_labs_submit_body (PROJECT_A, "veo_3_1_t2v_fast", "A paper boat drifts", 2,
                                   &scene_ids);
  submitted = labs_post (f, "ya29.sim-a-1", "/v1/video:batchAsyncGenerateVideoText", body);
  g_assert_cmpuint (submitted->status, ==, 200);
  operations = json_object_get_array_member (cf_test_response_object (submitted), "operations");
  g_assert_cmpuint (json_array_get_length (operations), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *op = json_array_get_object_element (operations, i);

      g_assert_cmpstr (json_object_get_string_member (op, "sceneId"), ==, scene_ids[i]);
      g_assert_cmpstr (op_status (operations, i), ==, "MEDIA_GENERATION_STATUS_PENDING");
      g_assert_cmpuint (strlen (json_object_get_string_member (json_object_get_object_member (op, "operation"), "name")), >, 0);
    }
  g_assert_cmpint (json_object_get_int_member (cf_test_response_object (submitted),
                                               "remainingCredits"), ==, 960);

  /* Real time at 0.01: renders of about 90 s end in about a second. */
  while (operation == NULL)
    {
      g_autoptr(CfTestResponse) polled = poll_a (f, "ya29.sim-a-2", PROJECT_A, operations);
      JsonArray *answer;

      g_assert_cmpuint (polled->status, ==, 200);
      answer = json_object_get_array_member (cf_test_response_object (polled), "operations");
      g_assert_cmpuint (json_array_get_length (answer), ==, 2);
      if (g_str_equal (op_status (answer, 0), "MEDIA_GENERATION_STATUS_SUCCESSFUL")
          && g_str_equal (op_status (answer, 1), "MEDIA_GENERATION_STATUS_SUCCESSFUL"))
        operation = json_object_get_object_member (json_array_get_object_element (answer, 0),
                                                   "operation");
      else
        cf_test_sleep (0.1);
      g_assert_cmpuint (++polls, <, 600);
      if (operation != NULL)
        {
          JsonObject *media = json_object_get_object_member (json_object_get_object_member (operation, "metadata"), "video");
          g_autoptr(GBytes) poster = NULL;

          video = download (f, json_object_get_string_member (media, "fifeUrl"), "video/mp4");
          poster = download (f, json_object_get_string_member (media, "servingBaseUri"),
                             "image/jpeg");
          g_assert_true (cf_test_is_mp4 (video));
          g_assert_false (cf_test_is_mp4 (poster));
          g_assert_cmpuint (g_bytes_get_size (video), <, 100 * 1024);
          g_assert_nonnull (strstr (json_object_get_string_member (media, "fifeUrl"), "/video/"));
        }
    }
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CfTestResponse) submitted = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast",
                                                "A paper boat", 1);
  g_autoptr(CfTestResponse) pending = NULL;
  g_autoptr(CfTestResponse) active = NULL;
  g_autoptr(CfTestResponse) done = NULL;
  JsonArray *operations;

  g_assert_cmpuint (submitted->status, ==, 200);
  operations = json_object_get_array_member (cf_test_response_object (submitted), "operations");

  pending = poll_a (f, "ya29.a-1", PROJECT_A, operations);
  g_assert_cmpstr (op_status (json_object_get_array_member (cf_test_response_object (pending), "operations"), 0), ==,
                   "MEDIA_GENERATION_STATUS_PENDING");
  g_assert_true (json_object_has_member (cf_test_response_object (pending), "remainingCredits"));

  cf_sim_server_advance (f->sim, 6.5);
  active = poll_a (f, "ya29.a-1", PROJECT_A, operations);
  g_assert_cmpstr (op_status (json_object_get_array_member (cf_test_response_object (active), "operations"), 0), ==,
                   "MEDIA_GENERATION_STATUS_ACTIVE");

  cf_sim_server_advance (f->sim, 1000);
  done = poll_a (f, "ya29.a-2", PROJECT_A, operations);
  g_assert_cmpstr (op_status (json_object_get_array_member (cf_test_response_object (done), "operations"), 0), ==,
                   "MEDIA_GENERATION_STATUS_SUCCESSFUL");
}

static void
test_text_plain_and_json (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *body = cf_test_labs_submit_body (PROJECT_A, "veo_3_1_t2v_fast", "x", 1, NULL);
  const char *headers[] = {
    "Authorization", "Bearer ya29.a-1", "Content-Type", "application/json", NULL
  };
  g_autoptr(CfTestResponse) response =
    cf_test_request_path (f->session, f->sim, "POST", "/v1/video:batchAsyncGenerateVideoText",
                          headers, body);

  g_assert_cmpuint (response->status, ==, 200);
}

static void
test_shape_b (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CfTestResponse) submitted = submit (f, "ya29.b-1", PROJECT_B,
                                                "veo_3_1_t2v_fast_ultra", "A paper boat", 2);
  g_autoptr(CfTestResponse) polled = NULL;
  g_autoptr(CfTestResponse) unauth = NULL;
  g_autoptr(CfTestResponse) unknown = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) redirect_body = NULL;
  g_autoptr(GBytes) video = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *poll_body = NULL;
  g_autofree char *url = NULL;
  JsonObject *root;
  JsonArray *media;
  JsonArray *workflows;
  const char *names[3] = { NULL, NULL, NULL };
  const char *location;

  g_assert_cmpuint (submitted->status, ==, 200);
  root = cf_test_response_object (submitted);
  g_assert_false (json_object_has_member (root, "operations"));
  workflows = json_object_get_array_member (root, "workflows");
  media = json_object_get_array_member (root, "media");
  g_assert_cmpuint (json_array_get_length (workflows), ==, 2);
  g_assert_cmpuint (json_array_get_length (media), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "remainingCredits"), ==, 960);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_array_get_object_element (media, i);
      JsonObject *workflow = json_array_get_object_element (workflows, i);

      names[i] = json_object_get_string_member (item, "name");
      g_assert_cmpstr (json_object_get_string_member (item, "projectId"), ==, PROJECT_B);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (workflow, "metadata"), "primaryMediaId"), ==,
                       names[i]);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (item, "mediaMetadata"), "mediaStatus"), "mediaGenerationStatus"), ==,
                       "MEDIA_GENERATION_STATUS_PENDING");
    }

  cf_sim_server_advance (f->sim, 1000);
  poll_body = cf_test_labs_poll_body_b (PROJECT_B, names);
  polled = labs_post (f, "ya29.b-1", "/v1/video:batchCheckAsyncVideoGenerationStatus", poll_body);
  g_assert_cmpuint (polled->status, ==, 200);
  media = json_object_get_array_member (cf_test_response_object (polled), "media");
  g_assert_cmpuint (json_array_get_length (media), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_array_get_object_element (media, i);

      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (item, "mediaMetadata"), "mediaStatus"), "mediaGenerationStatus"), ==,
                       "MEDIA_GENERATION_STATUS_SUCCESSFUL");
      /* This model leaves the URL out: section 5b's route is the way. */
      g_assert_true (!json_object_has_member (item, "video")
                     || !json_object_has_member (json_object_get_object_member (item, "video"), "fifeUrl"));
    }

  url = g_strdup_printf ("%s/fx/api/trpc/media.getMediaUrlRedirect?name=%s",
                         cf_sim_server_get_base_url (f->sim), names[0]);
  msg = soup_message_new ("GET", url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer ya29.b-1");
  redirect_body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (msg)));
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (location);
  g_assert_nonnull (strstr (location, "/video/"));
  video = download (f, location, "video/mp4");
  g_assert_true (cf_test_is_mp4 (video));

  /* Followed by the session, as a client would. */
  {
    const char *headers[] = { "Authorization", "Bearer ya29.b-1", NULL };
    g_autoptr(CfTestResponse) followed = cf_test_request (f->session, "GET", url, headers, NULL);

    g_assert_cmpuint (followed->status, ==, 200);
    g_assert_true (cf_test_is_mp4 (followed->body));
  }

  unauth = cf_test_request (f->session, "GET", url, NULL, NULL);
  g_assert_cmpuint (unauth->status, ==, 401);
  g_clear_pointer (&url, g_free);
  url = g_strdup_printf ("%s/fx/api/trpc/media.getMediaUrlRedirect?name=nope",
                         cf_sim_server_get_base_url (f->sim));
  {
    const char *headers[] = { "Authorization", "Bearer ya29.b-1", NULL };

    unknown = cf_test_request (f->session, "GET", url, headers, NULL);
  }
  g_assert_cmpuint (unknown->status, ==, 404);
}

static void
test_shape_b_url_in_poll (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CfTestResponse) submitted = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_lite",
                                                "A boat", 1);
  g_autoptr(CfTestResponse) polled = NULL;
  g_autoptr(GBytes) video = NULL;
  g_autofree char *poll_body = NULL;
  const char *names[2] = { NULL, NULL };
  JsonObject *item;

  g_assert_cmpuint (submitted->status, ==, 200);
  names[0] = json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (submitted), "media"), 0), "name");
  cf_sim_server_advance (f->sim, 1000);
  poll_body = cf_test_labs_poll_body_b (PROJECT_A, names);
  polled = labs_post (f, "ya29.a-1", "/v1/video:batchCheckAsyncVideoGenerationStatus", poll_body);
  g_assert_cmpuint (polled->status, ==, 200);
  item = json_array_get_object_element (json_object_get_array_member (cf_test_response_object (polled), "media"), 0);
  video = download (f, json_object_get_string_member (json_object_get_object_member (item, "video"), "fifeUrl"),
                    "video/mp4");
  g_assert_true (cf_test_is_mp4 (video));
}

static void
test_structured_prompt (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *batch = g_uuid_string_random ();
  g_autofree char *scene = g_uuid_string_random ();
  g_autofree char *good = g_strdup_printf (
    "{\"clientContext\": {\"projectId\": \"%s\", \"tool\": \"PINHOLE\","
    "  \"recaptchaContext\": {\"token\": \"03AFcWeA\", \"applicationType\": \"RECAPTCHA_APPLICATION_TYPE_WEB\"}},"
    " \"useV2ModelConfig\": true, \"mediaGenerationContext\": {\"batchId\": \"%s\"},"
    " \"requests\": [{\"aspectRatio\": \"VIDEO_ASPECT_RATIO_PORTRAIT\", \"seed\": 1,"
    "   \"textInput\": {\"structuredPrompt\": {\"parts\": [{\"text\": \"A boat\"}, {\"text\": \"at night\"}]}},"
    "   \"videoModelKey\": \"veo_3_1_t2v_fast\", \"metadata\": {\"sceneId\": \"%s\"}}]}",
    PROJECT_A, batch, scene);
  g_autofree char *bad_part = g_strdup_printf (
    "{\"clientContext\": {\"projectId\": \"%s\"}, \"useV2ModelConfig\": true,"
    " \"requests\": [{\"aspectRatio\": \"VIDEO_ASPECT_RATIO_PORTRAIT\","
    "   \"textInput\": {\"structuredPrompt\": {\"parts\": [{\"text\": 3}]}},"
    "   \"videoModelKey\": \"veo_3_1_t2v_fast\", \"metadata\": {\"sceneId\": \"%s\"}}]}",
    PROJECT_A, scene);
  g_autofree char *bad_batch = g_strdup_printf (
    "{\"clientContext\": {\"projectId\": \"%s\"}, \"useV2ModelConfig\": \"yes\","
    " \"requests\": [{\"aspectRatio\": \"VIDEO_ASPECT_RATIO_PORTRAIT\","
    "   \"textInput\": {\"structuredPrompt\": {\"parts\": [{\"text\": \"x\"}]}},"
    "   \"videoModelKey\": \"veo_3_1_t2v_fast\", \"metadata\": {\"sceneId\": \"%s\"}}]}",
    PROJECT_A, scene);
  g_autoptr(CfTestResponse) ok = labs_post (f, "ya29.a-1", "/v1/video:batchAsyncGenerateVideoText",
                                            good);
  g_autoptr(CfTestResponse) part = labs_post (f, "ya29.a-1",
                                              "/v1/video:batchAsyncGenerateVideoText", bad_part);
  g_autoptr(CfTestResponse) flag = labs_post (f, "ya29.a-1",
                                              "/v1/video:batchAsyncGenerateVideoText", bad_batch);

  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cf_test_response_object (ok), "operations")), ==, 1);
  assert_error (part, 400, "INVALID_ARGUMENT", NULL,
                "requests[0].textInput.structuredPrompt.parts[0].text");
  assert_error (flag, 400, "INVALID_ARGUMENT", NULL, "useV2ModelConfig");
}

static void
test_start_image (Fixture       *f,
                  gconstpointer  data)
{
  static const char png[] = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  g_autofree char *upload_body = g_strdup_printf (
    "{\"imageInput\": {\"rawImageBytes\": \"%s\", \"mimeType\": \"image/png\","
    " \"aspectRatio\": \"IMAGE_ASPECT_RATIO_LANDSCAPE\"}, \"clientContext\": {\"projectId\": \"%s\"}}",
    png, PROJECT_A);
  g_autofree char *bad_upload = g_strdup_printf (
    "{\"imageInput\": {\"rawImageBytes\": \"not base64!\", \"mimeType\": \"image/png\","
    " \"aspectRatio\": \"IMAGE_ASPECT_RATIO_LANDSCAPE\"}}");
  g_autoptr(CfTestResponse) uploaded = labs_post (f, "ya29.a-1", "/v1:uploadUserImage", upload_body);
  g_autoptr(CfTestResponse) refused = labs_post (f, "ya29.a-1", "/v1:uploadUserImage", bad_upload);
  g_autoptr(CfTestResponse) started = NULL;
  g_autoptr(CfTestResponse) unknown = NULL;
  g_autofree char *scene = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autofree char *body_unknown = NULL;
  const char *media_id;

  g_assert_cmpuint (uploaded->status, ==, 200);
  media_id = json_object_get_string_member (json_object_get_object_member (cf_test_response_object (uploaded), "mediaGenerationId"),
                                            "mediaGenerationId");
  g_assert_nonnull (media_id);
  assert_error (refused, 400, "INVALID_ARGUMENT", NULL, "imageInput.rawImageBytes");

  body = g_strdup_printf (START_IMAGE_TEMPLATE, PROJECT_A, scene, media_id);
  started = labs_post (f, "ya29.a-1", "/v1/video:batchAsyncGenerateVideoStartImage", body);
  g_assert_cmpuint (started->status, ==, 200);

  body_unknown = g_strdup_printf (START_IMAGE_TEMPLATE, PROJECT_A, scene, "0c7d3c1e-0000-4000-8000-000000000000");
  unknown = labs_post (f, "ya29.a-1", "/v1/video:batchAsyncGenerateVideoStartImage", body_unknown);
  assert_error (unknown, 400, "INVALID_ARGUMENT", NULL, "requests[0].startImage.mediaId");
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CfTestResponse) missing = submit (f, NULL, PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  g_autoptr(CfTestResponse) wrong = submit (f, "ya29.nobody", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  g_autoptr(CfTestResponse) other = submit (f, "ya29.b-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  g_autoptr(CfTestResponse) mine = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  g_autoptr(CfTestResponse) steal = NULL;
  g_autoptr(CfTestResponse) steal_own_project = NULL;
  JsonArray *operations;

  assert_error (missing, 401, "UNAUTHENTICATED", NULL, NULL);
  assert_error (wrong, 401, "UNAUTHENTICATED", NULL, NULL);
  assert_error (other, 403, "PERMISSION_DENIED", NULL, NULL);

  g_assert_cmpuint (mine->status, ==, 200);
  operations = json_object_get_array_member (cf_test_response_object (mine), "operations");
  steal = poll_a (f, "ya29.b-1", PROJECT_A, operations);
  assert_error (steal, 403, "PERMISSION_DENIED", NULL, NULL);
  steal_own_project = poll_a (f, "ya29.b-1", PROJECT_B, operations);
  assert_error (steal_own_project, 403, "PERMISSION_DENIED", NULL, NULL);
}

typedef struct
{
  const char *object;       /* "", "clientContext", "requests[0]", ... */
  const char *member;
  const char *value;        /* JSON text, or NULL to remove the member */
  const char *field;        /* what the message must name */
} Mutation;

static JsonObject *
find_object (JsonObject *root,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = root;

  for (guint i = 0; parts[i] != NULL && *parts[i] != '\0'; i++)
    {
      char *bracket = strchr (parts[i], '[');

      if (bracket != NULL)
        {
          guint index = (guint) g_ascii_strtoull (bracket + 1, NULL, 10);

          *bracket = '\0';
          object = json_array_get_object_element (json_object_get_array_member (object, parts[i]),
                                                  index);
        }
      else
        object = json_object_get_object_member (object, parts[i]);
    }
  return object;
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  static const Mutation mutations[] = {
    { "requests[0]", "videoModelKey", NULL, "requests[0].videoModelKey" },
    { "requests[0]", "videoModelKey", "17", "requests[0].videoModelKey" },
    { "requests[0]", "videoModelKey", "\"veo_9_nonexistent\"", "requests[0].videoModelKey" },
    { "requests[0]", "videoModelKey", "\"veo-3.1-fast-generate-preview\"", "requests[0].videoModelKey" },
    { "requests[0]", "seed", "\"abc\"", "requests[0].seed" },
    { "requests[0]", "seed", "-1", "requests[0].seed" },
    { "requests[0]", "seed", "4294967296", "requests[0].seed" },
    { "requests[0]", "videoLengthSeconds", "8", "videoLengthSeconds" },
    { "requests[0]", "aspectRatio", "\"WIDE\"", "requests[0].aspectRatio" },
    { "requests[0]", "aspectRatio", NULL, "requests[0].aspectRatio" },
    { "requests[0]", "textInput", NULL, "requests[0].textInput" },
    { "requests[0].textInput", "prompt", "[]", "requests[0].textInput.prompt" },
    { "requests[0].metadata", "sceneId", "\"scene-1\"", "requests[0].metadata.sceneId" },
    { "requests[0].metadata", "sceneId", NULL, "requests[0].metadata.sceneId" },
    { "requests[0]", "metadata", NULL, "requests[0].metadata" },
    { "", "clientContext", NULL, "clientContext" },
    { "clientContext", "projectId", NULL, "clientContext.projectId" },
    { "clientContext", "projectId", "42", "clientContext.projectId" },
    { "clientContext", "userPaygateTier", "\"PAYGATE_TIER_NINE\"", "clientContext.userPaygateTier" },
    { "", "requests", "[]", "requests" },
    { "", "requests", "{}", "requests" },
    { "", "unexpected", "1", "unexpected" },
    { "", "mediaGenerationContext", "{\"batchId\": \"b-1\"}", "mediaGenerationContext.batchId" },
  };
  g_autofree char *valid = cf_test_labs_submit_body (PROJECT_A, "veo_3_1_t2v_fast", "A boat", 1,
                                                     NULL);
  g_autoptr(CfTestResponse) not_json = labs_post (f, "ya29.a-1",
                                                  "/v1/video:batchAsyncGenerateVideoText",
                                                  "{\"requests\": [");
  g_autoptr(JsonNode) stats = NULL;

  assert_error (not_json, 400, "INVALID_ARGUMENT", NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (mutations); i++)
    {
      const Mutation *m = &mutations[i];
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(CfTestResponse) response = NULL;
      g_autofree char *body = NULL;
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, valid, -1, NULL));
      object = find_object (json_node_get_object (json_parser_get_root (parser)), m->object);
      if (m->value == NULL)
        json_object_remove_member (object, m->member);
      else
        json_object_set_member (object, m->member, json_from_string (m->value, NULL));
      json_generator_set_root (generator, json_parser_get_root (parser));
      body = json_generator_to_data (generator, NULL);

      response = labs_post (f, "ya29.a-1", "/v1/video:batchAsyncGenerateVideoText", body);
      g_test_message ("%s.%s = %s → %u %s", m->object, m->member, m->value ? m->value : "(none)",
                      response->status, cf_test_error_message (response));
      assert_error (response, 400, "INVALID_ARGUMENT", NULL, m->field);
    }

  /* Nothing refused was charged. */
  stats = cf_test_sim_stats (f->sim);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "A"), "takes_charged"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "A"), "credits_left"), ==, 1000);
}

static void
test_tier (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CfTestResponse) refused = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast_ultra",
                                              "x", 1);

  assert_error (refused, 403, "PERMISSION_DENIED", "PUBLIC_ERROR_MODEL_ACCESS_DENIED", NULL);
}

static void
test_in_flight (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CfTestResponse) first = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 4);
  g_autoptr(CfTestResponse) full = NULL;
  g_autoptr(CfTestResponse) later = NULL;
  g_autoptr(JsonNode) stats = NULL;
  const char *retry_after;
  double delay;

  /* Room for three: the service answers with fewer operations than asked. */
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cf_test_response_object (first), "operations")), ==, 3);

  full = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  assert_error (full, 429, "RESOURCE_EXHAUSTED", "PUBLIC_ERROR_USER_REQUESTS_THROTTLED", NULL);
  retry_after = soup_message_headers_get_one (full->headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >=, 1);
  delay = cf_test_error_retry_delay (full);
  g_assert_cmpfloat (delay, >, 0);
  g_assert_cmpfloat (delay, <=, g_ascii_strtod (retry_after, NULL));

  cf_sim_server_advance (f->sim, 1000);
  later = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  g_assert_cmpuint (later->status, ==, 200);

  stats = cf_test_sim_stats (f->sim);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "A"), "max_in_flight"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "A"), "takes_charged"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "A"), "responses_429"), ==, 1);
}

static void
test_rate (Fixture       *f,
           gconstpointer  data)
{
  guint throttled = 0;

  /* Two requests per simulated (here real) second: ten in a row cannot all pass. */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(CfTestResponse) response = submit (f, "ya29.s-1", PROJECT_S, "veo_3_1_t2v_fast",
                                                   "x", 1);

      if (response->status == 429)
        {
          assert_error (response, 429, "RESOURCE_EXHAUSTED",
                        "PUBLIC_ERROR_USER_REQUESTS_THROTTLED", NULL);
          g_assert_nonnull (soup_message_headers_get_one (response->headers, "Retry-After"));
          g_assert_cmpfloat (cf_test_error_retry_delay (response), >, 0);
          throttled++;
        }
      else
        g_assert_cmpuint (response->status, ==, 200);
    }
  g_assert_cmpuint (throttled, >, 0);
}

static void
test_quota (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CfTestResponse) first = submit (f, "ya29.q-1", PROJECT_Q, "veo_3_1_t2v_fast", "x", 2);
  g_autoptr(CfTestResponse) second = NULL;
  g_autoptr(JsonNode) stats = NULL;

  /* 30 credits buy one take at 20. */
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cf_test_response_object (first), "operations")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (cf_test_response_object (first), "remainingCredits"), ==, 10);
  second = submit (f, "ya29.q-1", PROJECT_Q, "veo_3_1_t2v_fast", "x", 1);
  assert_error (second, 429, "RESOURCE_EXHAUSTED", "PUBLIC_ERROR_USER_QUOTA_REACHED", NULL);

  stats = cf_test_sim_stats (f->sim);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "Q"), "takes_charged"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats, "Q"), "credits_left"), ==, 10);
}

static void
test_policy (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CfTestResponse) refused = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast",
                                              "Lots of GORE everywhere", 1);
  g_autoptr(CfTestResponse) accepted = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast",
                                               "A celebrity on a boat", 1);
  g_autoptr(CfTestResponse) polled = NULL;
  JsonObject *operation;

  assert_error (refused, 400, "INVALID_ARGUMENT", "PUBLIC_ERROR_UNSAFE_GENERATION", NULL);
  g_assert_cmpuint (accepted->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (cf_test_response_object (accepted), "remainingCredits"), ==, 980);

  cf_sim_server_advance (f->sim, 1000);
  polled = poll_a (f, "ya29.a-1", PROJECT_A,
                   json_object_get_array_member (cf_test_response_object (accepted), "operations"));
  g_assert_cmpuint (polled->status, ==, 200);
  operation = json_array_get_object_element (json_object_get_array_member (cf_test_response_object (polled), "operations"), 0);
  g_assert_cmpstr (json_object_get_string_member (operation, "status"), ==,
                   "MEDIA_GENERATION_STATUS_FAILED");
  operation = json_object_get_object_member (operation, "operation");
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (operation, "error"), "message"),
                            "PUBLIC_ERROR_UNSAFE_GENERATION"));
  g_assert_false (json_object_has_member (operation, "metadata"));
}

static void
test_recaptcha (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CfTestResponse) refused = submit (f, "ya29.r-1", PROJECT_R, "veo_3_1_t2v_fast", "x", 1);
  g_autoptr(CfTestResponse) toggled = NULL;
  g_autoptr(CfTestResponse) restored = NULL;

  assert_error (refused, 403, "PERMISSION_DENIED", "PUBLIC_ERROR_UNUSUAL_ACTIVITY", "reCAPTCHA");

  g_assert_true (cf_sim_server_set_needs_recaptcha (f->sim, "A", TRUE));
  toggled = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  assert_error (toggled, 403, "PERMISSION_DENIED", "PUBLIC_ERROR_UNUSUAL_ACTIVITY", "reCAPTCHA");
  g_assert_true (cf_sim_server_set_needs_recaptcha (f->sim, "A", FALSE));
  restored = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  g_assert_cmpuint (restored->status, ==, 200);
  g_assert_false (cf_sim_server_set_needs_recaptcha (f->sim, "nobody", TRUE));
}

static void
test_token_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CfTestResponse) first = submit (f, "ya29.t-1", PROJECT_T, "veo_3_1_t2v_fast", "x", 1);
  g_autoptr(CfTestResponse) second = NULL;
  g_autoptr(CfTestResponse) poll = NULL;

  g_assert_cmpuint (first->status, ==, 200);
  second = submit (f, "ya29.t-1", PROJECT_T, "veo_3_1_t2v_fast", "x", 1);
  assert_error (second, 401, "UNAUTHENTICATED", NULL, NULL);
  poll = poll_a (f, "ya29.t-1", PROJECT_T,
                 json_object_get_array_member (cf_test_response_object (first), "operations"));
  assert_error (poll, 401, "UNAUTHENTICATED", NULL, NULL);
}

static void
test_poll_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CfTestResponse) a = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_fast", "x", 1);
  g_autoptr(CfTestResponse) b = submit (f, "ya29.a-1", PROJECT_A, "veo_3_1_t2v_lite", "x", 1);
  g_autoptr(CfTestResponse) unknown = NULL;
  g_autoptr(CfTestResponse) wrong_scene = NULL;
  g_autoptr(CfTestResponse) wrong_shape = NULL;
  g_autoptr(CfTestResponse) missing = NULL;
  g_autoptr(JsonArray) fake = json_array_new ();
  g_autoptr(JsonArray) scene = json_array_new ();
  g_autoptr(JsonArray) shape = json_array_new ();
  g_autoptr(JsonArray) nameless = json_array_new ();
  JsonObject *item;
  const char *media_name;

  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (b->status, ==, 200);

  item = json_object_new ();
  json_object_set_object_member (item, "operation", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (item, "operation"), "name",
                                 "00000000000000000000000000000000");
  json_array_add_object_element (fake, item);
  unknown = poll_a (f, "ya29.a-1", PROJECT_A, fake);
  assert_error (unknown, 404, "NOT_FOUND", NULL, "operations[0].operation.name");

  item = json_object_ref (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (a), "operations"), 0));
  json_object_set_string_member (item, "sceneId", "6f1c0d8e-2b7a-4c55-9d1e-3a0b5f7c9e21");
  json_array_add_object_element (scene, item);
  wrong_scene = poll_a (f, "ya29.a-1", PROJECT_A, scene);
  assert_error (wrong_scene, 400, "INVALID_ARGUMENT", NULL, "operations[0].sceneId");

  media_name = json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (b), "media"), 0), "name");
  item = json_object_new ();
  json_object_set_object_member (item, "operation", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (item, "operation"), "name",
                                 media_name);
  json_array_add_object_element (shape, item);
  wrong_shape = poll_a (f, "ya29.a-1", PROJECT_A, shape);
  assert_error (wrong_shape, 400, "INVALID_ARGUMENT", NULL, "operations[0].operation.name");

  item = json_object_new ();
  json_object_set_object_member (item, "operation", json_object_new ());
  json_array_add_object_element (nameless, item);
  missing = poll_a (f, "ya29.a-1", PROJECT_A, nameless);
  assert_error (missing, 400, "INVALID_ARGUMENT", NULL, "operations[0].operation.name");
}

static void
test_unknown_route (Fixture       *f,
                    gconstpointer  data)
{
  const char *headers[] = { "Authorization", "Bearer ya29.a-1", NULL };
  g_autoptr(CfTestResponse) route = cf_test_request_path (f->session, f->sim, "POST",
                                                          "/v1/video:somethingElse", headers, "{}");
  g_autoptr(CfTestResponse) method = cf_test_request_path (f->session, f->sim, "GET",
                                                           "/v1/video:batchAsyncGenerateVideoText",
                                                           headers, NULL);

  g_assert_cmpuint (route->status, ==, 404);
  g_assert_cmpuint (method->status, ==, 405);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sample = NULL;
  g_autofree char *path = NULL;

  g_test_init (&argc, &argv, NULL);

  path = cf_test_data_path ("sim-sample.json");
  g_assert_true (g_file_get_contents (path, &sample, NULL, NULL));

#define ADD(name, func, data) \
  g_test_add ("/sim/labs/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("sample-flow", test_sample_flow, sample);
  ADD ("lifecycle", test_lifecycle, NULL);
  ADD ("content-types", test_text_plain_and_json, NULL);
  ADD ("shape-b", test_shape_b, NULL);
  ADD ("shape-b-url-in-poll", test_shape_b_url_in_poll, NULL);
  ADD ("structured-prompt", test_structured_prompt, NULL);
  ADD ("start-image", test_start_image, NULL);
  ADD ("auth", test_auth, NULL);
  ADD ("validation", test_validation, NULL);
  ADD ("tier", test_tier, NULL);
  ADD ("in-flight", test_in_flight, NULL);
  ADD ("rate", test_rate, NULL);
  ADD ("quota", test_quota, NULL);
  ADD ("policy", test_policy, NULL);
  ADD ("recaptcha", test_recaptcha, NULL);
  ADD ("token-expiry", test_token_expiry, NULL);
  ADD ("poll-errors", test_poll_errors, NULL);
  ADD ("unknown-route", test_unknown_route, NULL);
#undef ADD

  return g_test_run ();
}
