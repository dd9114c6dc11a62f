/* test-sim-program.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cf-test-util.h"

/*
 * The clipfleet-sim program as a user runs it: the base URL on the first
 * line, both protocols served from the sample configuration, a clean exit on
 * SIGTERM and SIGINT. The client here is written from the protocol
 * documents only.
 */

#define PROJECT_A "87b19267-13d6-49cd-a7ed-db19a90c9339"

static char *
program_path (void)
{
  const char *builddir = g_getenv ("CLIPFLEET_BUILDDIR");

  g_assert_nonnull (builddir);
  return g_build_filename (builddir, "src", "sim", "clipfleet-sim", NULL);
}

static GSubprocess *
spawn (const char  *config,
       char       **out_url)
{
  g_autofree char *program = program_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, program, "--config", config, "--port", "0",
                              "--time-scale", "0.002", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  *out_url = g_steal_pointer (&line);
  return g_steal_pointer (&process);
}

static void
stop_with (GSubprocess *process,
           int          signal_number)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (process, signal_number);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (process))
    g_test_message ("killed by signal %d", g_subprocess_get_term_sig (process));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static JsonObject *
object_at (JsonObject *object,
           const char *first,
           ...)
{
  va_list args;
  const char *member = first;

  va_start (args, first);
  while (member != NULL && object != NULL)
    {
      object = json_object_get_object_member (object, member);
      member = va_arg (args, const char *);
    }
  va_end (args);
  return object;
}

static void
test_labs (void)
{
  g_autofree char *config = cf_test_data_path ("sim-sample.json");
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) process = spawn (config, &url);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CfTestResponse) submitted = NULL;
  g_autoptr(CfTestResponse) stats = NULL;
  g_autofree char *submit_url = g_strconcat (url, "/v1/video:batchAsyncGenerateVideoText", NULL);
  g_autofree char *poll_url = g_strconcat (url, "/v1/video:batchCheckAsyncVideoGenerationStatus", NULL);
  g_autofree char *stats_url = g_strconcat (url, "/__sim/stats", NULL);
  g_autofree char *body = cf_test_labs_submit_body (PROJECT_A, "veo_3_1_t2v_fast",
                                                    "A paper boat drifts down a rainy street", 1,
                                                    NULL);
  const char *headers[] = {
    "Authorization", "Bearer ya29.sim-a-1",
    "Content-Type", "text/plain;charset=UTF-8",
    "Origin", "https://labs.google",
    "Referer", "https://labs.google/",
    NULL
  };
  const char *fife_url = NULL;
  guint polls = 0;

  submitted = cf_test_request (session, "POST", submit_url, headers, body);
  g_assert_cmpuint (submitted->status, ==, 200);

  while (fife_url == NULL)
    {
      g_autofree char *poll_body = cf_test_labs_poll_body_a (PROJECT_A,
                                                             json_object_get_array_member (cf_test_response_object (submitted), "operations"));
      g_autoptr(CfTestResponse) polled = cf_test_request (session, "POST", poll_url, headers,
                                                          poll_body);
      JsonObject *operation;

      g_assert_cmpuint (polled->status, ==, 200);
      operation = json_array_get_object_element (json_object_get_array_member (cf_test_response_object (polled), "operations"), 0);
      if (g_str_equal (json_object_get_string_member (operation, "status"),
                       "MEDIA_GENERATION_STATUS_SUCCESSFUL"))
        {
          g_autoptr(CfTestResponse) video = NULL;

          fife_url = json_object_get_string_member (object_at (operation, "operation", "metadata",
                                                               "video", NULL), "fifeUrl");
          video = cf_test_request (session, "GET", fife_url, NULL, NULL);
          g_assert_cmpuint (video->status, ==, 200);
          g_assert_true (cf_test_is_mp4 (video->body));
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (operation, "status"), !=,
                           "MEDIA_GENERATION_STATUS_FAILED");
          cf_test_sleep (0.05);
        }
      g_assert_cmpuint (++polls, <, 1000);
    }

  stats = cf_test_request (session, "GET", stats_url, NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (cf_test_stats_account (stats->json, "Account-A"),
                                               "takes_charged"), ==, 1);

  stop_with (process, SIGTERM);
}

static void
test_gemini (void)
{
  g_autofree char *config = cf_test_data_path ("sim-sample.json");
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) process = spawn (config, &url);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CfTestResponse) submitted = NULL;
  g_autofree char *submit_url = g_strconcat (url, "/v1beta/models/veo-3.1-fast-generate-preview:predictLongRunning", NULL);
  g_autofree char *poll_url = NULL;
  const char *headers[] = {
    "x-goog-api-key", "AIzaSim-1", "Content-Type", "application/json", NULL
  };
  gboolean done = FALSE;

  submitted = cf_test_request (session, "POST", submit_url, headers,
                               "{\"instances\": [{\"prompt\": \"A paper boat\"}],"
                               " \"parameters\": {\"aspectRatio\": \"16:9\", \"resolution\": \"720p\","
                               " \"durationSeconds\": 8, \"sampleCount\": 1}}");
  g_assert_cmpuint (submitted->status, ==, 200);
  poll_url = g_strconcat (url, "/v1beta/",
                          json_object_get_string_member (cf_test_response_object (submitted), "name"),
                          NULL);
  for (guint polls = 0; !done; polls++)
    {
      g_autoptr(CfTestResponse) polled = cf_test_request (session, "GET", poll_url, headers, NULL);
      JsonObject *root = cf_test_response_object (polled);

      done = json_object_get_boolean_member_with_default (root, "done", FALSE);
      if (done)
        {
          JsonArray *samples = json_object_get_array_member (object_at (root, "response", "generateVideoResponse", NULL), "generatedSamples");
          JsonObject *video = json_object_get_object_member (json_array_get_object_element (samples, 0), "video");
          g_autoptr(CfTestResponse) file = cf_test_request (session, "GET",
                                                            json_object_get_string_member (video, "uri"),
                                                            headers, NULL);

          g_assert_cmpuint (file->status, ==, 200);
          g_assert_true (cf_test_is_mp4 (file->body));
        }
      else
        cf_test_sleep (0.05);
      g_assert_cmpuint (polls, <, 1000);
    }

  stop_with (process, SIGINT);
}

static void
test_bad_usage (void)
{
  g_autofree char *program = program_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) no_config = NULL;
  g_autoptr(GSubprocess) bad_config = NULL;
  g_autofree char *bad_path = g_build_filename (g_get_tmp_dir (), "cf-sim-bad-XXXXXX.json", NULL);
  g_autofree char *err = NULL;
  int fd;

  no_config = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                &error, program, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (no_config, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (no_config), !=, 0);

  fd = g_mkstemp (bad_path);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "{\"accounts\": 3}", 15), ==, 15);
  close (fd);
  bad_config = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &error, program, "--config", bad_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (bad_config, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (bad_config), !=, 0);
  g_assert_nonnull (strstr (err, "accounts"));
  g_unlink (bad_path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/program/labs", test_labs);
  g_test_add_func ("/sim/program/gemini", test_gemini);
  g_test_add_func ("/sim/program/bad-usage", test_bad_usage);

  return g_test_run ();
}
