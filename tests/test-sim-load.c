/* test-sim-load.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-test-util.h"

/*
 * Many concurrent clients: 200 Labs accounts, 10 takes in flight each, each
 * account polled every 100 ms of real time, until every take is done and
 * downloaded. The assertions are about correctness (every answer valid,
 * every take charged once); how well the simulator kept up is reported with
 * g_test_message, since timings belong to benchmarks.
 */

#define N_ACCOUNTS 200
#define N_TAKES 10
#define N_THREADS 8
#define POLL_INTERVAL_US (100 * 1000)

typedef struct
{
  CfSimServer *sim;
  guint        first;
  guint        count;
  guint        rounds;
  gint64       busy_us;
  gint64       worst_us;
  guint        polls;
  guint        downloads;
  gint64       poll_us;            /* client round trip of the polls, summed */
  gint64       worst_poll_us;
} Worker;

static char *
project_for (guint index)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012x", index);
}

static char *
make_config (void)
{
  GString *json = g_string_new (
    "{ \"seed\": 99, \"time_scale\": 0.1,"
    "  \"models\": [ { \"key\": \"veo_3_1_t2v_fast\", \"cost\": 1, \"render_seconds\": 25,"
    "                  \"render_spread\": 5, \"pending_seconds\": 2 } ],"
    "  \"accounts\": [");

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *project = project_for (i);

      g_string_append_printf (json,
                              "%s{ \"kind\": \"labs\", \"name\": \"L%u\", \"tokens\": [\"ya29.l%u\"],"
                              "  \"project_id\": \"%s\", \"credits\": 100, \"max_in_flight\": %u,"
                              "  \"max_rps\": 50 }",
                              i ? "," : "", i, i, project, N_TAKES);
    }
  g_string_append (json, "] }");
  return g_string_free (json, FALSE);
}

typedef struct
{
  char      *bearer;
  char      *project;
  JsonArray *operations;
  char      *poll_body;
  gboolean   done;
} Client;

static void
client_clear (Client *client)
{
  g_free (client->bearer);
  g_free (client->project);
  g_free (client->poll_body);
  g_clear_pointer (&client->operations, json_array_unref);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree Client *clients = g_new0 (Client, worker->count);
  g_autofree char *submit_url = g_strconcat (cf_sim_server_get_base_url (worker->sim),
                                             "/v1/video:batchAsyncGenerateVideoText", NULL);
  g_autofree char *poll_url = g_strconcat (cf_sim_server_get_base_url (worker->sim),
                                           "/v1/video:batchCheckAsyncVideoGenerationStatus", NULL);
  guint remaining = worker->count;

  for (guint i = 0; i < worker->count; i++)
    {
      Client *client = &clients[i];
      g_autofree char *body = NULL;
      g_autoptr(CfTestResponse) response = NULL;

      client->bearer = g_strdup_printf ("Bearer ya29.l%u", worker->first + i);
      client->project = project_for (worker->first + i);
      body = cf_test_labs_submit_body (client->project, "veo_3_1_t2v_fast", "A paper boat",
                                       N_TAKES, NULL);
      {
        const char *headers[] = { "Authorization", client->bearer, NULL };

        response = cf_test_request (session, "POST", submit_url, headers, body);
      }
      g_assert_cmpuint (response->status, ==, 200);
      client->operations = json_array_ref (json_object_get_array_member (cf_test_response_object (response),
                                                                         "operations"));
      g_assert_cmpuint (json_array_get_length (client->operations), ==, N_TAKES);
      client->poll_body = cf_test_labs_poll_body_a (client->project, client->operations);
    }

  while (remaining > 0)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 busy;

      for (guint i = 0; i < worker->count; i++)
        {
          Client *client = &clients[i];
          g_autoptr(CfTestResponse) response = NULL;
          const char *headers[] = { "Authorization", client->bearer, NULL };
          JsonArray *answer;
          guint successful = 0;
          gint64 sent;

          if (client->done)
            continue;
          sent = g_get_monotonic_time ();
          response = cf_test_request (session, "POST", poll_url, headers, client->poll_body);
          sent = g_get_monotonic_time () - sent;
          worker->poll_us += sent;
          worker->worst_poll_us = MAX (worker->worst_poll_us, sent);
          worker->polls++;
          g_assert_cmpuint (response->status, ==, 200);
          answer = json_object_get_array_member (cf_test_response_object (response), "operations");
          g_assert_cmpuint (json_array_get_length (answer), ==, N_TAKES);
          for (guint k = 0; k < N_TAKES; k++)
            {
              const char *status = json_object_get_string_member (json_array_get_object_element (answer, k),
                                                                  "status");

              g_assert_true (g_str_equal (status, "MEDIA_GENERATION_STATUS_PENDING")
                             || g_str_equal (status, "MEDIA_GENERATION_STATUS_ACTIVE")
                             || g_str_equal (status, "MEDIA_GENERATION_STATUS_SUCCESSFUL"));
              successful += g_str_equal (status, "MEDIA_GENERATION_STATUS_SUCCESSFUL");
            }
          if (successful < N_TAKES)
            continue;

          for (guint k = 0; k < N_TAKES; k++)
            {
              JsonObject *operation = json_object_get_object_member (json_array_get_object_element (answer, k), "operation");
              JsonObject *video = json_object_get_object_member (json_object_get_object_member (operation, "metadata"), "video");
              g_autoptr(CfTestResponse) file = cf_test_request (session, "GET",
                                                                json_object_get_string_member (video, "fifeUrl"),
                                                                NULL, NULL);

              g_assert_cmpuint (file->status, ==, 200);
              g_assert_true (cf_test_is_mp4 (file->body));
              worker->downloads++;
            }
          client->done = TRUE;
          remaining--;
        }

      busy = g_get_monotonic_time () - start;
      worker->rounds++;
      worker->busy_us += busy;
      worker->worst_us = MAX (worker->worst_us, busy);
      if (busy < POLL_INTERVAL_US && remaining > 0)
        g_usleep (POLL_INTERVAL_US - busy);
    }

  for (guint i = 0; i < worker->count; i++)
    client_clear (&clients[i]);
  return NULL;
}

static void
test_many_clients (void)
{
  g_autofree char *json = make_config ();
  g_autoptr(CfSimServer) sim = cf_test_sim_start (json);
  g_autoptr(JsonNode) stats = NULL;
  GThread *threads[N_THREADS];
  Worker workers[N_THREADS] = { { 0 } };
  guint per_thread = N_ACCOUNTS / N_THREADS;
  gint64 busy = 0;
  gint64 worst = 0;
  guint rounds = 0;
  guint polls = 0;
  guint downloads = 0;
  gint64 poll_us = 0;
  gint64 worst_poll = 0;
  JsonArray *accounts;
  JsonObject *server;
  gint64 wall = g_get_monotonic_time ();

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t].sim = sim;
      workers[t].first = t * per_thread;
      workers[t].count = per_thread;
      threads[t] = g_thread_new ("load-client", worker_thread, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      busy += workers[t].busy_us;
      worst = MAX (worst, workers[t].worst_us);
      rounds += workers[t].rounds;
      polls += workers[t].polls;
      downloads += workers[t].downloads;
      poll_us += workers[t].poll_us;
      worst_poll = MAX (worst_poll, workers[t].worst_poll_us);
    }
  wall = g_get_monotonic_time () - wall;

  g_test_message ("%u accounts × %u takes, %u polls and %u downloads; a poll round of %u "
                  "accounts took %.1f ms on average, %.1f ms at worst, for an interval of "
                  "%d ms", N_ACCOUNTS, N_TAKES, polls, downloads, per_thread,
                  busy / 1000.0 / MAX (rounds, 1), worst / 1000.0, POLL_INTERVAL_US / 1000);
  g_test_message ("a poll, as the client saw it: %.3f ms on average, %.1f ms at worst "
                  "(with %u client threads sharing the machine with the server)",
                  poll_us / 1000.0 / MAX (polls, 1), worst_poll / 1000.0, N_THREADS);

  g_assert_cmpuint (downloads, ==, N_ACCOUNTS * N_TAKES);
  stats = cf_test_sim_stats (sim);
  server = json_object_get_object_member (json_node_get_object (stats), "server");
  g_test_message ("the simulator answered %" G_GINT64_FORMAT " requests and was busy %.2f s "
                  "of %.2f s (%.0f %%), %.3f ms of its own time a request",
                  json_object_get_int_member (server, "requests_handled"),
                  json_object_get_double_member (server, "busy_seconds"), wall / 1e6,
                  100 * json_object_get_double_member (server, "busy_seconds") / (wall / 1e6),
                  1000 * json_object_get_double_member (server, "busy_seconds")
                  / MAX (1, json_object_get_int_member (server, "requests_handled")));
  g_assert_cmpint (json_object_get_int_member (server, "requests_handled"), >=,
                   N_ACCOUNTS + polls + downloads);
  accounts = json_object_get_array_member (json_node_get_object (stats), "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, N_ACCOUNTS);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      g_assert_cmpint (json_object_get_int_member (account, "takes_charged"), ==, N_TAKES);
      g_assert_cmpint (json_object_get_int_member (account, "max_in_flight"), ==, N_TAKES);
      g_assert_cmpint (json_object_get_int_member (account, "responses_429"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (account, "credits_left"), ==, 100 - N_TAKES);
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (stats), "takes")),
                    ==, N_ACCOUNTS * N_TAKES);

  cf_sim_server_stop (sim);
  g_assert_finalize_object (g_steal_pointer (&sim));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/load/many-clients", test_many_clients);

  return g_test_run ();
}
