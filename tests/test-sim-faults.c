/* test-sim-faults.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-test-util.h"

/*
 * Every injected fault, at rate 1 so that the outcome is certain, and the
 * promise that goes with them: a faulted API call has no effect.
 */

#define PROJECT_A "87b19267-13d6-49cd-a7ed-db19a90c9339"
#define PROJECT_B "2c0e7a51-8f43-4d6b-b1a9-5e2d7c3f9a10"

static const char config[] =
  "{ \"seed\": 3, \"time_scale\": 0.001,"
  "  \"models\": ["
  "    { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20, \"render_seconds\": 90 },"
  "    { \"key\": \"veo-3.1-fast-generate-preview\", \"cost\": 20, \"render_seconds\": 60 }"
  "  ],"
  "  \"faults\": { \"slow_seconds\": 50 },"
  "  \"accounts\": ["
  "    { \"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"ya29.a\"],"
  "      \"project_id\": \"" PROJECT_A "\" },"
  "    { \"kind\": \"labs\", \"name\": \"B\", \"tokens\": [\"ya29.b\"],"
  "      \"project_id\": \"" PROJECT_B "\", \"faults\": { \"http_503\": 1.0 } },"
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
  f->sim = cf_test_sim_start (config);
  f->session = soup_session_new ();
  /* A dropped connection must not be retried behind the test's back. */
  soup_session_set_timeout (f->session, 30);
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
submit (Fixture    *f,
        const char *token,
        const char *project)
{
  g_autofree char *body = cf_test_labs_submit_body (project, "veo_3_1_t2v_fast", "A boat", 1,
                                                    NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  const char *headers[] = { "Authorization", bearer, NULL };

  return cf_test_request_path (f->session, f->sim, "POST",
                               "/v1/video:batchAsyncGenerateVideoText", headers, body);
}

static gint64
charged (Fixture    *f,
         const char *account)
{
  g_autoptr(JsonNode) stats = cf_test_sim_stats (f->sim);

  return json_object_get_int_member (cf_test_stats_account (stats, account), "takes_charged");
}

/* A finished take's fifeUrl, to test the download faults on. */
static char *
finished_video_url (Fixture *f)
{
  g_autoptr(CfTestResponse) submitted = submit (f, "ya29.a", PROJECT_A);
  g_autoptr(CfTestResponse) polled = NULL;
  g_autofree char *body = NULL;
  const char *headers[] = { "Authorization", "Bearer ya29.a", NULL };
  JsonObject *operation;

  g_assert_cmpuint (submitted->status, ==, 200);
  cf_sim_server_advance (f->sim, 1000);
  body = cf_test_labs_poll_body_a (PROJECT_A,
                                   json_object_get_array_member (cf_test_response_object (submitted), "operations"));
  polled = cf_test_request_path (f->session, f->sim, "POST",
                                 "/v1/video:batchCheckAsyncVideoGenerationStatus", headers, body);
  g_assert_cmpuint (polled->status, ==, 200);
  operation = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (polled), "operations"), 0), "operation");
  return g_strdup (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (operation, "metadata"), "video"), "fifeUrl"));
}

static void
test_http_errors (Fixture       *f,
                  gconstpointer  data)
{
  const char *faults[] = { "http_500", "http_503" };
  const guint statuses[] = { 500, 503 };
  const char *rpc[] = { "INTERNAL", "UNAVAILABLE" };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(CfTestResponse) response = NULL;

      g_assert_true (cf_sim_server_set_fault (f->sim, NULL, faults[i], 1.0));
      response = submit (f, "ya29.a", PROJECT_A);
      g_assert_cmpuint (response->status, ==, statuses[i]);
      g_assert_cmpstr (cf_test_error_status (response), ==, rpc[i]);
      g_assert_true (cf_sim_server_set_fault (f->sim, NULL, faults[i], 0.0));
    }
  g_assert_cmpint (charged (f, "A"), ==, 0);
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CfTestResponse) dropped = NULL;
  g_autoptr(CfTestResponse) after = NULL;

  g_assert_true (cf_sim_server_set_fault (f->sim, "A", "drop_connection", 1.0));
  dropped = submit (f, "ya29.a", PROJECT_A);
  g_assert_nonnull (dropped->error);
  g_assert_cmpuint (dropped->status, ==, 0);
  g_assert_cmpint (charged (f, "A"), ==, 0);

  g_assert_true (cf_sim_server_set_fault (f->sim, "A", "drop_connection", 0.0));
  after = submit (f, "ya29.a", PROJECT_A);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpint (charged (f, "A"), ==, 1);
}

static void
test_slow (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CfTestResponse) response = NULL;
  double before;
  double after;

  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "slow", 1.0));
  before = cf_sim_server_get_sim_time (f->sim);
  response = submit (f, "ya29.a", PROJECT_A);
  after = cf_sim_server_get_sim_time (f->sim);
  /* The answer is right, only late: slow_seconds of simulated time. */
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpfloat (after - before, >=, 50);
  g_assert_cmpint (charged (f, "A"), ==, 1);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CfTestResponse) response = NULL;

  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "malformed_json", 1.0));
  response = submit (f, "ya29.a", PROJECT_A);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (response->body), >, 0);
  g_assert_null (response->json);
  g_assert_cmpint (charged (f, "A"), ==, 0);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = finished_video_url (f);
  g_autoptr(CfTestResponse) whole = NULL;
  g_autoptr(CfTestResponse) cut = NULL;

  whole = cf_test_request (f->session, "GET", url, NULL, NULL);
  g_assert_cmpuint (whole->status, ==, 200);
  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "truncated_download", 1.0));
  cut = cf_test_request (f->session, "GET", url, NULL, NULL);
  /* Content-Length promised the whole clip: the client sees the cut. */
  g_assert_true (cut->error != NULL
                 || g_bytes_get_size (cut->body) < g_bytes_get_size (whole->body));
}

static void
test_expired_url (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = finished_video_url (f);
  g_autoptr(CfTestResponse) expired = NULL;
  g_autoptr(CfTestResponse) fine = NULL;

  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "expired_url", 1.0));
  expired = cf_test_request (f->session, "GET", url, NULL, NULL);
  g_assert_cmpuint (expired->status, ==, 403);
  g_assert_nonnull (strstr (g_bytes_get_data (expired->body, NULL), "ExpiredToken"));
  g_assert_true (cf_sim_server_set_fault (f->sim, NULL, "expired_url", 0.0));
  fine = cf_test_request (f->session, "GET", url, NULL, NULL);
  g_assert_cmpuint (fine->status, ==, 200);
  g_assert_true (cf_test_is_mp4 (fine->body));
}

static void
test_per_account (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CfTestResponse) a = submit (f, "ya29.a", PROJECT_A);
  g_autoptr(CfTestResponse) b = submit (f, "ya29.b", PROJECT_B);

  /* B's own faults override the global ones; A has none. */
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (b->status, ==, 503);
  g_assert_cmpint (charged (f, "B"), ==, 0);
  g_assert_false (cf_sim_server_set_fault (f->sim, "nobody", "http_500", 1.0));
  g_assert_false (cf_sim_server_set_fault (f->sim, "A", "meteor_strike", 1.0));
  g_assert_false (cf_sim_server_set_fault (f->sim, "A", "http_500", 1.5));
}

static void
test_gemini (Fixture       *f,
             gconstpointer  data)
{
  const char *headers[] = { "x-goog-api-key", "AIzaG", "Content-Type", "application/json", NULL };
  g_autoptr(CfTestResponse) response = NULL;

  g_assert_true (cf_sim_server_set_fault (f->sim, "G", "http_503", 1.0));
  response = cf_test_request_path (f->session, f->sim, "POST",
                                   "/v1beta/models/veo-3.1-fast-generate-preview:predictLongRunning",
                                   headers, "{\"instances\": [{\"prompt\": \"x\"}]}");
  g_assert_cmpuint (response->status, ==, 503);
  g_assert_cmpint (charged (f, "G"), ==, 0);
}

/* At a fractional rate, some calls fail and the rest work, reproducibly. */
static void
test_rates (Fixture       *f,
            gconstpointer  data)
{
  guint failed = 0;
  guint worked = 0;

  g_assert_true (cf_sim_server_set_fault (f->sim, "A", "http_500", 0.5));
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(CfTestResponse) response = submit (f, "ya29.a", PROJECT_A);

      if (response->status == 500)
        failed++;
      else if (response->status == 200)
        worked++;
      cf_sim_server_advance (f->sim, 1000);
    }
  g_assert_cmpuint (failed, >, 0);
  g_assert_cmpuint (worked, >, 0);
  g_assert_cmpint (charged (f, "A"), ==, worked);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/sim/faults/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("http-errors", test_http_errors);
  ADD ("drop-connection", test_drop);
  ADD ("slow", test_slow);
  ADD ("malformed-json", test_malformed);
  ADD ("truncated-download", test_truncated);
  ADD ("expired-url", test_expired_url);
  ADD ("per-account", test_per_account);
  ADD ("gemini", test_gemini);
  ADD ("rates", test_rates);
#undef ADD

  return g_test_run ();
}
