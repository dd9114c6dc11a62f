/* test-sim-stats.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-test-util.h"

/*
 * GET /__sim/stats, the simulated clock (time scale, advancing) and the
 * expiry of signed download URLs.
 */

#define PROJECT_A "87b19267-13d6-49cd-a7ed-db19a90c9339"

static const char config[] =
  "{ \"seed\": 5, \"time_scale\": 1.0, \"url_ttl_seconds\": 3600,"
  "  \"models\": ["
  "    { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 20, \"render_seconds\": 90,"
  "      \"render_spread\": 20 }"
  "  ],"
  "  \"accounts\": ["
  "    { \"kind\": \"labs\", \"name\": \"A\", \"tokens\": [\"ya29.a\"],"
  "      \"project_id\": \"" PROJECT_A "\", \"credits\": 100, \"max_in_flight\": 2 },"
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
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  cf_sim_server_stop (f->sim);
  g_assert_finalize_object (f->sim);
}

static const char * const auth[] = { "Authorization", "Bearer ya29.a", NULL };

static CfTestResponse *
submit (Fixture *f,
        guint    copies)
{
  g_autofree char *body = cf_test_labs_submit_body (PROJECT_A, "veo_3_1_t2v_fast", "A boat",
                                                    copies, NULL);

  return cf_test_request_path (f->session, f->sim, "POST",
                               "/v1/video:batchAsyncGenerateVideoText", auth, body);
}

static CfTestResponse *
poll (Fixture   *f,
      JsonArray *operations)
{
  g_autofree char *body = cf_test_labs_poll_body_a (PROJECT_A, operations);

  return cf_test_request_path (f->session, f->sim, "POST",
                               "/v1/video:batchCheckAsyncVideoGenerationStatus", auth, body);
}

static const char *
fife_url (CfTestResponse *polled,
          guint           index)
{
  JsonObject *operation = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (polled), "operations"), index), "operation");

  return json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (operation, "metadata"), "video"), "fifeUrl");
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CfTestResponse) first = submit (f, 3);
  g_autoptr(CfTestResponse) refused = submit (f, 1);
  g_autoptr(CfTestResponse) polled = NULL;
  g_autoptr(CfTestResponse) video = NULL;
  g_autoptr(CfTestResponse) route = NULL;
  g_autoptr(JsonNode) before = cf_test_sim_stats (f->sim);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *account;
  JsonArray *takes;

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (refused->status, ==, 429);

  account = cf_test_stats_account (before, "A");
  g_assert_cmpint (json_object_get_int_member (account, "submits"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (account, "takes_charged"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (account, "credits_left"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (account, "responses_429"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (account, "max_in_flight"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (account, "in_flight"), ==, 2);
  takes = json_object_get_array_member (json_node_get_object (before), "takes");
  g_assert_cmpuint (json_array_get_length (takes), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *take = json_array_get_object_element (takes, i);

      g_assert_cmpstr (json_object_get_string_member (take, "account"), ==, "A");
      g_assert_cmpfloat (json_object_get_double_member (take, "submitted_at"), >=, 0);
      g_assert_true (json_object_get_null_member (take, "finished_at"));
      g_assert_true (json_object_get_null_member (take, "downloaded_at"));
    }

  cf_sim_server_advance (f->sim, 1000);
  polled = poll (f, json_object_get_array_member (cf_test_response_object (first), "operations"));
  g_assert_cmpuint (polled->status, ==, 200);
  video = cf_test_request (f->session, "GET", fife_url (polled, 0), NULL, NULL);
  g_assert_cmpuint (video->status, ==, 200);

  /* The route serves the same document as the in-process call. */
  route = cf_test_request_path (f->session, f->sim, "GET", "/__sim/stats", NULL, NULL);
  g_assert_cmpuint (route->status, ==, 200);
  after = json_node_ref (cf_test_response_object (route) ? route->json : NULL);
  takes = json_object_get_array_member (json_node_get_object (after), "takes");
  {
    JsonObject *take = json_array_get_object_element (takes, 0);
    JsonObject *other = json_array_get_object_element (takes, 1);
    double submitted = json_object_get_double_member (take, "submitted_at");
    double started = json_object_get_double_member (take, "started_at");
    double finished = json_object_get_double_member (take, "finished_at");
    double downloaded = json_object_get_double_member (take, "downloaded_at");

    g_assert_cmpstr (json_object_get_string_member (take, "status"), ==, "SUCCESSFUL");
    g_assert_cmpfloat (submitted, <, started);
    g_assert_cmpfloat (started, <, finished);
    g_assert_cmpfloat (finished, <=, downloaded);
    /* A render of about 90 s, never under 10 % of it. */
    g_assert_cmpfloat (finished - started, >=, 9);
    g_assert_cmpint (json_object_get_int_member (take, "downloads"), ==, 1);
    g_assert_true (json_object_get_null_member (other, "downloaded_at"));
  }
  account = cf_test_stats_account (after, "A");
  g_assert_cmpint (json_object_get_int_member (account, "in_flight"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (account, "requests"), ==, 3);
}

static void
test_time_scale (Fixture       *f,
                 gconstpointer  data)
{
  double t0;
  double t1;
  double t2;

  g_assert_cmpfloat (cf_sim_server_get_time_scale (f->sim), ==, 1.0);
  t0 = cf_sim_server_get_sim_time (f->sim);
  cf_sim_server_advance (f->sim, 100);
  t1 = cf_sim_server_get_sim_time (f->sim);
  g_assert_cmpfloat (t1 - t0, >=, 100);

  /* At 0.001, each real millisecond is a simulated second. */
  cf_sim_server_set_time_scale (f->sim, 0.001);
  g_assert_cmpfloat (cf_sim_server_get_time_scale (f->sim), ==, 0.001);
  cf_test_sleep (0.05);
  t2 = cf_sim_server_get_sim_time (f->sim);
  g_assert_cmpfloat (t2 - t1, >=, 50);

  /* Changing the scale never moves time back. */
  cf_sim_server_set_time_scale (f->sim, 1000);
  g_assert_cmpfloat (cf_sim_server_get_sim_time (f->sim), >=, t2);
}

static void
test_time_scale_renders (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CfTestResponse) first = NULL;
  gboolean done = FALSE;

  /* 90 s renders at 0.001: done within a fraction of a real second. */
  cf_sim_server_set_time_scale (f->sim, 0.001);
  first = submit (f, 1);
  g_assert_cmpuint (first->status, ==, 200);
  for (guint i = 0; i < 500 && !done; i++)
    {
      g_autoptr(CfTestResponse) polled =
        poll (f, json_object_get_array_member (cf_test_response_object (first), "operations"));
      const char *status = json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (polled), "operations"), 0), "status");

      done = g_str_equal (status, "MEDIA_GENERATION_STATUS_SUCCESSFUL");
      if (!done)
        cf_test_sleep (0.01);
    }
  g_assert_true (done);
}

static void
test_url_expiry (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CfTestResponse) first = submit (f, 1);
  g_autoptr(CfTestResponse) polled = NULL;
  g_autoptr(CfTestResponse) fresh = NULL;
  g_autoptr(CfTestResponse) expired = NULL;
  g_autoptr(CfTestResponse) repolled = NULL;
  g_autoptr(CfTestResponse) renewed = NULL;
  g_autoptr(CfTestResponse) forged = NULL;
  g_autoptr(CfTestResponse) unsigned_url = NULL;
  g_autofree char *url = NULL;
  g_autofree char *forged_url = NULL;
  g_autofree char *bare = NULL;
  JsonArray *operations;

  g_assert_cmpuint (first->status, ==, 200);
  operations = json_object_get_array_member (cf_test_response_object (first), "operations");
  cf_sim_server_advance (f->sim, 1000);
  polled = poll (f, operations);
  url = g_strdup (fife_url (polled, 0));
  g_assert_nonnull (strstr (url, "Expires="));
  g_assert_nonnull (strstr (url, "Signature="));
  fresh = cf_test_request (f->session, "GET", url, NULL, NULL);
  g_assert_cmpuint (fresh->status, ==, 200);

  /* An hour later the URL is dead: 403, as the storage host answers. */
  cf_sim_server_advance (f->sim, 3601);
  expired = cf_test_request (f->session, "GET", url, NULL, NULL);
  g_assert_cmpuint (expired->status, ==, 403);

  /* Polling again gives a fresh URL. */
  repolled = poll (f, operations);
  g_assert_cmpstr (fife_url (repolled, 0), !=, url);
  renewed = cf_test_request (f->session, "GET", fife_url (repolled, 0), NULL, NULL);
  g_assert_cmpuint (renewed->status, ==, 200);
  g_assert_true (cf_test_is_mp4 (renewed->body));

  /* A URL whose expiry was edited no longer matches its signature. */
  forged_url = g_strdup (fife_url (repolled, 0));
  {
    char *expires = strstr (forged_url, "Expires=") + strlen ("Expires=");

    *expires = *expires == '9' ? '8' : '9';
  }
  forged = cf_test_request (f->session, "GET", forged_url, NULL, NULL);
  g_assert_cmpuint (forged->status, ==, 403);
  bare = g_strndup (url, strchr (url, '?') - url);
  unsigned_url = cf_test_request (f->session, "GET", bare, NULL, NULL);
  g_assert_cmpuint (unsigned_url->status, ==, 403);
}

static void
test_reproducible (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CfSimServer) twin = cf_test_sim_start (config);
  g_autoptr(CfTestResponse) mine = submit (f, 1);
  g_autoptr(CfTestResponse) theirs = NULL;
  g_autofree char *body = cf_test_labs_submit_body (PROJECT_A, "veo_3_1_t2v_fast", "A boat", 1,
                                                    NULL);
  g_autoptr(JsonNode) my_stats = NULL;
  g_autoptr(JsonNode) their_stats = NULL;
  JsonObject *a;
  JsonObject *b;

  theirs = cf_test_request_path (f->session, twin, "POST",
                                 "/v1/video:batchAsyncGenerateVideoText", auth, body);
  g_assert_cmpuint (theirs->status, ==, 200);
  /* Same seed, same requests: same operation names and same render times. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (mine), "operations"), 0), "operation"), "name"), ==,
                   json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (cf_test_response_object (theirs), "operations"), 0), "operation"), "name"));
  cf_sim_server_advance (f->sim, 1000);
  cf_sim_server_advance (twin, 1000);
  my_stats = cf_test_sim_stats (f->sim);
  their_stats = cf_test_sim_stats (twin);
  a = json_array_get_object_element (json_object_get_array_member (json_node_get_object (my_stats), "takes"), 0);
  b = json_array_get_object_element (json_object_get_array_member (json_node_get_object (their_stats), "takes"), 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "finished_at")
                                  - json_object_get_double_member (a, "submitted_at"),
                                  json_object_get_double_member (b, "finished_at")
                                  - json_object_get_double_member (b, "submitted_at"), 1e-6);
  cf_sim_server_stop (twin);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/sim/stats/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("stats", test_stats);
  ADD ("time-scale", test_time_scale);
  ADD ("time-scale-renders", test_time_scale_renders);
  ADD ("url-expiry", test_url_expiry);
  ADD ("reproducible", test_reproducible);
#undef ADD

  return g_test_run ();
}
