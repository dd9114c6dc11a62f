/* test-hostile-answers.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Answers the simulator will never give: huge, endless, truncated, empty,
 * deeply nested, not JSON, pointing at file:// or at another host. Each must
 * end in a clear CfError: never a crash, a hang or a file outside the
 * output folder. A raw HTTP server in a thread plays the service.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cf-account.h"
#include "cf-download.h"
#include "cf-error.h"
#include "cf-gemini-provider.h"
#include "cf-http.h"
#include "cf-labs-provider.h"
#include "cf-provider.h"

#define PROJECT "87b19267-13d6-49cd-a7ed-db19a90c9339"
#define TOKEN   "ya29.hostile-secret-token"
#define API_KEY "AIzaHostileSecretKey"

typedef struct _Server Server;
typedef void (*Responder) (Server        *server,
                           const char    *method,
                           const char    *path,
                           const char    *body,
                           GOutputStream *out);

struct _Server
{
  GThread        *thread;
  GMainContext   *context;
  gint            quit;
  guint16         port;
  GMutex          start_lock;
  GCond           start_cond;
  gboolean        started;
  GSocketService *service;
  char           *origin;
  Responder       responder;
  guint           n_requests;
  GMutex          lock;
};

typedef struct
{
  Server       server;
  CfEndpoints *endpoints;
  char        *folder;
} Fixture;

/* The raw server */

static void
write_all (GOutputStream *out,
           const void    *data,
           gsize          length)
{
  g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
}

static void
respond (GOutputStream *out,
         guint          status,
         const char    *extra_headers,
         const char    *content_type,
         const char    *body,
         gssize         length)
{
  g_autofree char *head = NULL;

  if (length < 0)
    length = body != NULL ? strlen (body) : 0;

  head = g_strdup_printf ("HTTP/1.1 %u X\r\nContent-Length: %" G_GSSIZE_FORMAT "\r\n"
                          "Content-Type: %s\r\nConnection: close\r\n%s\r\n",
                          status, length, content_type != NULL ? content_type : "application/json",
                          extra_headers != NULL ? extra_headers : "");
  write_all (out, head, strlen (head));
  if (length > 0)
    write_all (out, body, length);
}

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  Server *server = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);
  g_autofree char *request_line = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *body = NULL;
  gsize content_length = 0;
  Responder responder;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);

  request_line = g_data_input_stream_read_line (data, NULL, NULL, NULL);
  if (request_line == NULL)
    return FALSE;

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (data, NULL, NULL, NULL);

      if (line == NULL || line[0] == '\0')
        break;
      if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
        content_length = g_ascii_strtoull (line + 15, NULL, 10);
    }

  body = g_malloc0 (content_length + 1);
  if (content_length > 0)
    g_input_stream_read_all (G_INPUT_STREAM (data), body, content_length, NULL, NULL, NULL);

  parts = g_strsplit (request_line, " ", 3);

  g_mutex_lock (&server->lock);
  server->n_requests++;
  responder = server->responder;
  g_mutex_unlock (&server->lock);

  if (g_strv_length (parts) >= 2 && responder != NULL)
    responder (server, parts[0], parts[1], body, out);

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

/* The listener's accept source lives on this thread's own context. */
static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  g_main_context_push_thread_default (server->context);

  server->service = g_threaded_socket_service_new (8);
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (server->service, "run", G_CALLBACK (run_cb), server);
  g_socket_service_start (server->service);

  g_mutex_lock (&server->start_lock);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  server->started = TRUE;
  g_cond_signal (&server->start_cond);
  g_mutex_unlock (&server->start_lock);

  while (!g_atomic_int_get (&server->quit))
    g_main_context_iteration (server->context, TRUE);

  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  while (g_main_context_iteration (server->context, FALSE))
    ;

  g_main_context_pop_thread_default (server->context);

  return NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Server *server = &fixture->server;

  g_mutex_init (&server->lock);
  g_mutex_init (&server->start_lock);
  g_cond_init (&server->start_cond);
  server->responder = (Responder) data;
  server->context = g_main_context_new ();
  server->thread = g_thread_new ("hostile-server", server_thread, server);

  g_mutex_lock (&server->start_lock);
  while (!server->started)
    g_cond_wait (&server->start_cond, &server->start_lock);
  g_mutex_unlock (&server->start_lock);

  server->origin = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  fixture->endpoints = cf_endpoints_new_for_origin (server->origin, &error);
  g_assert_no_error (error);
  fixture->folder = g_dir_make_tmp ("cf-hostile-XXXXXX", &error);
  g_assert_no_error (error);
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
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

  g_atomic_int_set (&fixture->server.quit, TRUE);
  g_main_context_wakeup (fixture->server.context);
  g_thread_join (fixture->server.thread);
  g_main_context_unref (fixture->server.context);
  g_free (fixture->server.origin);
  g_mutex_clear (&fixture->server.lock);
  g_mutex_clear (&fixture->server.start_lock);
  g_cond_clear (&fixture->server.start_cond);
  cf_endpoints_unref (fixture->endpoints);
}

/* Clients */

static CfProvider *
labs_provider (Fixture *fixture)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Hostile");
  const char *tokens[] = { TOKEN, NULL };

  cf_account_set_project_id (account, PROJECT);
  cf_account_set_tokens (account, tokens);

  return CF_PROVIDER (g_object_new (CF_TYPE_LABS_PROVIDER,
                                    "account", account,
                                    "endpoints", fixture->endpoints,
                                    "timeout", 5,
                                    NULL));
}

static CfProvider *
gemini_provider (Fixture *fixture)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_GEMINI, "Hostile");

  cf_account_set_api_key (account, API_KEY);

  return CF_PROVIDER (g_object_new (CF_TYPE_GEMINI_PROVIDER,
                                    "account", account,
                                    "endpoints", fixture->endpoints,
                                    "timeout", 5,
                                    NULL));
}

static GError *
labs_submit (Fixture  *fixture,
             guint     n_takes,
             GPtrArray **handles)
{
  g_autoptr(CfProvider) provider = labs_provider (fixture);
  const char *ids[] = { "0b6f4c1e-7d2a-4e8b-9c3f-1a2b3c4d5e6f", "1c7e5d2f-8e3b-4f9c-8d4a-2b3c4d5e6f70" };
  CfSubmitRequest request = {
    .prompt = "A boat", .aspect = CF_ASPECT_LANDSCAPE, .model_key = "veo_3_1_t2v_fast",
    .n_takes = n_takes, .seed = 1, .client_ids = ids,
  };
  CfSubmitResult result = { 0, };
  GError *error = NULL;

  cf_provider_submit (provider, &request, &result, NULL, &error);
  if (error != NULL)
    {
      g_test_message ("%s: %s", cf_error_code_to_string (error->code), error->message);
      g_assert_null (strstr (error->message, TOKEN));
      g_assert_null (result.handles);
    }
  if (handles != NULL)
    *handles = g_steal_pointer (&result.handles);
  cf_submit_result_clear (&result);

  return error;
}

static void
assert_submit_fails (Fixture    *fixture,
                     CfErrorCode code)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, (int) code);
}

/* Responders and their tests */

static void
huge_body (Server *server, const char *method, const char *path, const char *body,
           GOutputStream *out)
{
  gsize length = 50 * 1024 * 1024;
  g_autofree char *data = g_malloc (length);

  memset (data, ' ', length);
  data[0] = '{';
  data[length - 1] = '}';
  respond (out, 200, NULL, NULL, data, length);
}

static void
test_huge_body (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_PROTOCOL);
}

/* No Content-Length: a body that never ends until the client gives up. */
static void
endless_body (Server *server, const char *method, const char *path, const char *body,
              GOutputStream *out)
{
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Connection: close\r\n\r\n[";
  char chunk[64 * 1024];

  memset (chunk, '1', sizeof chunk);
  chunk[sizeof chunk - 1] = ',';
  write_all (out, head, strlen (head));
  while (g_output_stream_write_all (out, chunk, sizeof chunk, NULL, NULL, NULL))
    ;
}

static void
test_endless_body (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
deep_json (Server *server, const char *method, const char *path, const char *body,
           GOutputStream *out)
{
  GString *text = g_string_new ("{\"operations\":");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  respond (out, 200, NULL, NULL, text->str, text->len);
  g_string_free (text, TRUE);
}

static void
test_deep_json (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "nested"));
}

static void
deep_error_json (Server *server, const char *method, const char *path, const char *body,
                 GOutputStream *out)
{
  GString *text = g_string_new ("{\"error\":");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  respond (out, 503, NULL, NULL, text->str, text->len);
  g_string_free (text, TRUE);
}

static void
test_deep_error_json (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_TRANSIENT);
}

static void
truncated_body (Server *server, const char *method, const char *path, const char *body,
                GOutputStream *out)
{
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n"
                               "Content-Type: application/json\r\n\r\n{\"operations\": [";

  write_all (out, answer, strlen (answer));
}

static void
test_truncated (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_TRANSIENT);
}

static void
empty_200 (Server *server, const char *method, const char *path, const char *body,
           GOutputStream *out)
{
  respond (out, 200, NULL, NULL, "", 0);
}

static void
test_empty (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "empty"));
}

static void
html_200 (Server *server, const char *method, const char *path, const char *body,
          GOutputStream *out)
{
  respond (out, 200, NULL, "text/html", "<html><body>Sign in</body></html>", -1);
}

static void
test_html (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_PROTOCOL);
}

static void
json_array (Server *server, const char *method, const char *path, const char *body,
            GOutputStream *out)
{
  respond (out, 200, NULL, NULL, "[1, 2, 3]", -1);
}

static void
test_json_array (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_PROTOCOL);
}

static void
wrong_types (Server *server, const char *method, const char *path, const char *body,
             GOutputStream *out)
{
  respond (out, 200, NULL, NULL,
           "{\"operations\": [{\"operation\": {\"name\": 42}, \"sceneId\": []}],"
           " \"remainingCredits\": \"lots\"}", -1);
}

static void
test_wrong_types (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_PROTOCOL);
}

static void
html_502 (Server *server, const char *method, const char *path, const char *body,
          GOutputStream *out)
{
  respond (out, 502, NULL, "text/html", "<html>Bad Gateway</html>", -1);
}

static void
test_html_502 (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_TRANSIENT);
}

static void
empty_429_retry_after (Server *server, const char *method, const char *path, const char *body,
                       GOutputStream *out)
{
  respond (out, 429, "Retry-After: 7\r\n", NULL, "", 0);
}

static void
test_retry_after_header (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_THROTTLED);
  g_assert_cmpint (cf_error_get_retry_after_ms (error), ==, 7000);
}

static void
retry_info (Server *server, const char *method, const char *path, const char *body,
            GOutputStream *out)
{
  respond (out, 429, "Retry-After: 99\r\n", NULL,
           "{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\", \"message\": \"slow down\","
           " \"details\": [{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\","
           " \"reason\": \"PUBLIC_ERROR_USER_REQUESTS_THROTTLED\"},"
           " {\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"1.5s\"}]}}",
           -1);
}

static void
test_retry_info (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_THROTTLED);
  g_assert_cmpint (cf_error_get_retry_after_ms (error), ==, 1500);
  g_assert_cmpstr (cf_error_get_reason (error), ==, "PUBLIC_ERROR_USER_REQUESTS_THROTTLED");
}

static void
reason_in_message (Server *server, const char *method, const char *path, const char *body,
                   GOutputStream *out)
{
  respond (out, 429, NULL, NULL,
           "{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\", \"message\":"
           " \"Quota exceeded: PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED\"}}", -1);
}

static void
test_reason_in_message (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_QUOTA);
  g_assert_cmpstr (cf_error_get_reason (error), ==, "PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED");
}

static void
recaptcha_400 (Server *server, const char *method, const char *path, const char *body,
               GOutputStream *out)
{
  respond (out, 400, NULL, NULL,
           "{\"error\": {\"code\": 400, \"status\": \"INVALID_ARGUMENT\", \"message\":"
           " \"reCAPTCHA token is missing\"}}", -1);
}

static void
test_recaptcha_demanded (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_NEEDS_VERIFICATION);
}

/* The service echoes our token: it must not reach the message. */
static void
echo_token (Server *server, const char *method, const char *path, const char *body,
            GOutputStream *out)
{
  respond (out, 400, NULL, NULL,
           "{\"error\": {\"code\": 400, \"status\": \"INVALID_ARGUMENT\", \"message\":"
           " \"Bad header Authorization: Bearer " TOKEN "\"}}", -1);
}

static void
test_token_not_echoed (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_null (strstr (error->message, TOKEN));
  g_assert_nonnull (strstr (error->message, "[redacted]"));
}

static void
api_redirect (Server *server, const char *method, const char *path, const char *body,
              GOutputStream *out)
{
  respond (out, 302, "Location: http://198.51.100.1/steal\r\n", NULL, "", 0);
}

static void
test_api_redirect_not_followed (Fixture *fixture, gconstpointer data)
{
  assert_submit_fails (fixture, CF_ERROR_PROTOCOL);
  g_assert_cmpuint (fixture->server.n_requests, ==, 1);
}

static void
fewer_operations (Server *server, const char *method, const char *path, const char *body,
                  GOutputStream *out)
{
  respond (out, 200, NULL, NULL,
           "{\"operations\": [{\"operation\": {\"name\": \"op-2\"},"
           " \"sceneId\": \"1c7e5d2f-8e3b-4f9c-8d4a-2b3c4d5e6f70\","
           " \"status\": \"MEDIA_GENERATION_STATUS_PENDING\"}], \"remainingCredits\": \"880\"}", -1);
}

static void
test_fewer_operations (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GError) error = labs_submit (fixture, 2, &handles);
  CfTakeHandle *handle;

  g_assert_no_error (error);
  g_assert_cmpuint (handles->len, ==, 1);
  handle = g_ptr_array_index (handles, 0);
  g_assert_cmpstr (handle->name, ==, "op-2");
  /* Matched by sceneId: the second take, the second seed. */
  g_assert_cmpstr (handle->client_id, ==, "1c7e5d2f-8e3b-4f9c-8d4a-2b3c4d5e6f70");
  g_assert_cmpint (handle->seed, ==, 2);
}

/* review: an empty list of one shape beside the used one must not hide paid takes. */
static void
empty_operations_with_media (Server *server, const char *method, const char *path,
                             const char *body, GOutputStream *out)
{
  respond (out, 200, NULL, NULL,
           "{\"operations\": [], \"workflows\": [], \"remainingCredits\": 30,"
           " \"media\": [{\"name\": \"media-1\", \"projectId\": \"" PROJECT "\"}]}", -1);
}

static void
test_empty_operations_with_media (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GError) error = labs_submit (fixture, 1, &handles);
  CfTakeHandle *handle;

  g_assert_no_error (error);
  g_assert_cmpuint (handles->len, ==, 1);
  handle = g_ptr_array_index (handles, 0);
  g_assert_cmpint (handle->shape, ==, CF_HANDLE_SHAPE_LABS_MEDIA);
  g_assert_cmpstr (handle->name, ==, "media-1");
}

static void
empty_media_with_workflows (Server *server, const char *method, const char *path,
                            const char *body, GOutputStream *out)
{
  respond (out, 200, NULL, NULL,
           "{\"media\": [], \"workflows\": [{\"name\": \"wf-1\", \"metadata\":"
           " {\"primaryMediaId\": \"media-7\"}}]}", -1);
}

static void
test_empty_media_with_workflows (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GError) error = labs_submit (fixture, 1, &handles);

  g_assert_no_error (error);
  g_assert_cmpuint (handles->len, ==, 1);
  g_assert_cmpstr (((CfTakeHandle *) g_ptr_array_index (handles, 0))->name, ==, "media-7");
}

/* review: one unusable item must not throw away the paid take beside it. */
static void
one_bad_name (Server *server, const char *method, const char *path, const char *body,
              GOutputStream *out)
{
  respond (out, 200, NULL, NULL,
           "{\"operations\": [{\"operation\": {\"name\": 42}},"
           " {\"operation\": {\"name\": \"op-2\"},"
           " \"sceneId\": \"1c7e5d2f-8e3b-4f9c-8d4a-2b3c4d5e6f70\"}]}", -1);
}

static void
test_one_bad_name (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) handles = NULL;
  g_autoptr(GError) error = NULL;

  g_test_expect_message (NULL, G_LOG_LEVEL_MESSAGE, "*had no valid name*");
  error = labs_submit (fixture, 2, &handles);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (handles->len, ==, 1);
  g_assert_cmpstr (((CfTakeHandle *) g_ptr_array_index (handles, 0))->name, ==, "op-2");
  g_assert_cmpint (((CfTakeHandle *) g_ptr_array_index (handles, 0))->seed, ==, 2);
}

static void
no_operations (Server *server, const char *method, const char *path, const char *body,
               GOutputStream *out)
{
  respond (out, 200, NULL, NULL, "{\"remainingCredits\": 880, \"somethingNew\": []}", -1);
}

static void
test_unknown_shape (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = labs_submit (fixture, 1, NULL);

  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "operations"));
}

/* Polls and downloads */

static GPtrArray *
one_handle (void)
{
  GPtrArray *handles = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_take_handle_free);
  CfTakeHandle *handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_OPERATION, "op-1");

  handle->client_id = g_strdup ("0b6f4c1e-7d2a-4e8b-9c3f-1a2b3c4d5e6f");
  handle->project_id = g_strdup (PROJECT);
  g_ptr_array_add (handles, handle);

  return handles;
}

static char *poll_url;

static void
poll_with_url (Server *server, const char *method, const char *path, const char *body,
               GOutputStream *out)
{
  g_autofree char *answer = NULL;

  if (g_str_has_prefix (path, "/v1/"))
    {
      answer = g_strdup_printf ("{\"operations\": [{\"operation\": {\"name\": \"op-1\","
                                " \"metadata\": {\"video\": {\"servingBaseUri\":"
                                " \"%s/storage/image/poster.jpg\", \"deep\": {\"videoUrl\": \"%s\"}}}},"
                                " \"status\": \"MEDIA_GENERATION_STATUS_SUCCESSFUL\"}]}",
                                server->origin, poll_url);
      respond (out, 200, NULL, NULL, answer, -1);
    }
  else if (g_str_has_prefix (path, "/redirect/"))
    respond (out, 302, "Location: http://198.51.100.1/video/stolen.mp4\r\n", NULL, "", 0);
  else if (g_str_has_prefix (path, "/html/"))
    respond (out, 200, NULL, "text/html", "<html><body>not a video</body></html>", -1);
  else if (g_str_has_prefix (path, "/jpeg/"))
    respond (out, 200, NULL, "image/jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00", 16);
  else
    respond (out, 404, NULL, NULL, "", 0);
}

static void
check_download_refused (Fixture     *fixture,
                        const char  *url,
                        CfErrorCode  code)
{
  g_autoptr(CfProvider) provider = labs_provider (fixture);
  g_autoptr(GPtrArray) handles = one_handle ();
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "take.mp4", NULL);
  CfTakeStatus *status;

  g_free (poll_url);
  poll_url = g_strdup (url);

  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_SUCCEEDED);
  /* Found under an unusual key, and never the poster image. */
  g_assert_cmpstr (status->download_url, ==, url);

  g_assert_false (cf_provider_download (provider, g_ptr_array_index (handles, 0), status, path,
                                        NULL, &error));
  g_test_message ("%s: %s", cf_error_code_to_string (error->code), error->message);
  g_assert_error (error, CF_ERROR, (int) code);
  g_assert_cmpuint (count_files (fixture->folder), ==, 0);
  g_clear_pointer (&poll_url, g_free);
}

static void
test_file_url (Fixture *fixture, gconstpointer data)
{
  check_download_refused (fixture, "file:///etc/video/passwd", CF_ERROR_PROTOCOL);
}

static void
test_foreign_host_url (Fixture *fixture, gconstpointer data)
{
  check_download_refused (fixture, "https://198.51.100.1/video/x.mp4", CF_ERROR_PROTOCOL);
}

static void
test_redirect_to_foreign_host (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/redirect/video/x.mp4", fixture->server.origin);

  check_download_refused (fixture, url, CF_ERROR_PROTOCOL);
}

static void
test_html_instead_of_video (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/html/video/x.mp4", fixture->server.origin);

  check_download_refused (fixture, url, CF_ERROR_PROTOCOL);
}

static void
test_poster_instead_of_video (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/jpeg/video/x.mp4", fixture->server.origin);

  check_download_refused (fixture, url, CF_ERROR_PROTOCOL);
}

static void
test_expired_url (Fixture *fixture, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/gone/video/x.mp4", fixture->server.origin);

  check_download_refused (fixture, url, CF_ERROR_URL_EXPIRED);
}

static void
poll_odd (Server *server, const char *method, const char *path, const char *body,
          GOutputStream *out)
{
  if (g_str_has_prefix (path, "/v1/"))
    respond (out, 200, NULL, NULL,
             "{\"operations\": [{\"operation\": {\"name\": \"op-1\"},"
             " \"status\": \"MEDIA_GENERATION_STATUS_DREAMING\"}, 17, \"x\","
             " {\"operation\": {\"name\": \"op-unasked\"}, \"status\": \"MEDIA_GENERATION_STATUS_FAILED\"}],"
             " \"remainingCredits\": 12}", -1);
  else if (g_str_has_prefix (path, "/fx/"))
    respond (out, 302, "Location: file:///etc/passwd\r\n", NULL, "", 0);
  else
    respond (out, 404, NULL, NULL, "", 0);
}

static void
test_unknown_status (Fixture *fixture, gconstpointer data)
{
  g_autoptr(CfProvider) provider = labs_provider (fixture);
  g_autoptr(GPtrArray) handles = one_handle ();
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  gint64 credits = -1;
  CfTakeStatus *status;

  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_LABS_OPERATION, "op-missing"));
  statuses = cf_provider_poll (provider, handles, &credits, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statuses->len, ==, 2);
  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_UNKNOWN);
  g_assert_cmpstr (status->raw_status, ==, "MEDIA_GENERATION_STATUS_DREAMING");
  status = g_ptr_array_index (statuses, 1);
  g_assert_cmpint (status->state, ==, CF_REMOTE_UNKNOWN);
  g_assert_cmpint (credits, ==, 12);
}

/* review: an unknown status is logged once per provider, not on every poll. */
static void
test_unknown_status_logged_once (Fixture *fixture, gconstpointer data)
{
  g_autoptr(CfProvider) provider = labs_provider (fixture);
  g_autoptr(GPtrArray) handles = one_handle ();
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;

  g_test_expect_message (NULL, G_LOG_LEVEL_MESSAGE, "*MEDIA_GENERATION_STATUS_DREAMING*");
  first = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_assert_expected_messages ();

  /* Any message from the second poll would not match the sentinel and fail. */
  g_test_expect_message (NULL, G_LOG_LEVEL_MESSAGE, "sentinel");
  second = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);
  g_message ("sentinel");
  g_test_assert_expected_messages ();
  g_assert_cmpint (((CfTakeStatus *) g_ptr_array_index (second, 0))->state, ==,
                   CF_REMOTE_UNKNOWN);
}

static void
test_redirect_route_to_file (Fixture *fixture, gconstpointer data)
{
  g_autoptr(CfProvider) provider = labs_provider (fixture);
  g_autoptr(CfTakeHandle) handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_MEDIA, "media-1");
  g_autoptr(CfTakeStatus) status = cf_take_status_new (CF_REMOTE_SUCCEEDED);
  g_autofree char *path = g_build_filename (fixture->folder, "take.mp4", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_provider_download (provider, handle, status, path, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_assert_cmpuint (count_files (fixture->folder), ==, 0);
}

static GBytes *clip;

static void
final_url_route (Server *server, const char *method, const char *path, const char *body,
                 GOutputStream *out)
{
  if (g_str_has_prefix (path, "/fx/api/trpc/media.getMediaUrlRedirect?name=media-1"))
    {
      g_autofree char *answer =
        g_strdup_printf ("{\"result\": {\"data\": {\"json\": {\"finalUrl\":"
                         " \"%s/files/video/media-1\"}}}}", server->origin);

      respond (out, 200, NULL, NULL, answer, -1);
    }
  else if (g_str_equal (path, "/files/video/media-1"))
    respond (out, 302, "Location: /real/video/media-1.mp4\r\n", NULL, "", 0);
  else if (g_str_equal (path, "/real/video/media-1.mp4"))
    respond (out, 200, NULL, "video/mp4", g_bytes_get_data (clip, NULL), g_bytes_get_size (clip));
  else
    respond (out, 404, NULL, NULL, "", 0);
}

static void
test_final_url (Fixture *fixture, gconstpointer data)
{
  g_autoptr(CfProvider) provider = labs_provider (fixture);
  g_autoptr(CfTakeHandle) handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_MEDIA, "media-1");
  g_autoptr(CfTakeStatus) status = cf_take_status_new (CF_REMOTE_SUCCEEDED);
  g_autofree char *path = g_build_filename (fixture->folder, "take.mp4", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  /* The route's JSON answer, then a same-origin redirect, then the video. */
  g_assert_true (cf_provider_download (provider, handle, status, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (clip, NULL), g_bytes_get_size (clip));
  g_assert_cmpuint (count_files (fixture->folder), ==, 1);
}

static void
test_retry_after_parsing (void)
{
  static const char * const days[] = { "", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = {
    "", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *http_date = NULL;
  gint64 ms;

  /* English names whatever the locale, as HTTP wants them. */
  http_date = g_strdup_printf ("%s, %02d %s %d %02d:%02d:%02d GMT",
                               days[g_date_time_get_day_of_week (later)],
                               g_date_time_get_day_of_month (later),
                               months[g_date_time_get_month (later)],
                               g_date_time_get_year (later), g_date_time_get_hour (later),
                               g_date_time_get_minute (later), g_date_time_get_second (later));

  g_assert_cmpint (cf_http_parse_retry_after_ms ("30"), ==, 30000);
  g_assert_cmpint (cf_http_parse_retry_after_ms (" 0 "), ==, 0);
  g_assert_cmpint (cf_http_parse_retry_after_ms (NULL), ==, -1);
  g_assert_cmpint (cf_http_parse_retry_after_ms ("soon"), ==, -1);
  g_assert_cmpint (cf_http_parse_retry_after_ms ("-5"), ==, -1);
  g_assert_cmpint (cf_http_parse_retry_after_ms ("Wed, 21 Oct 2015 07:28:00 GMT"), ==, 0);
  ms = cf_http_parse_retry_after_ms (http_date);
  g_assert_cmpint (ms, >, 60000);
  g_assert_cmpint (ms, <=, 120000);

  g_assert_cmpint (cf_http_parse_duration_ms ("1.5s"), ==, 1500);
  g_assert_cmpint (cf_http_parse_duration_ms ("30s"), ==, 30000);
  g_assert_cmpint (cf_http_parse_duration_ms ("0.001s"), ==, 1);
  g_assert_cmpint (cf_http_parse_duration_ms ("1.5"), ==, -1);
  g_assert_cmpint (cf_http_parse_duration_ms ("s"), ==, -1);
  g_assert_cmpint (cf_http_parse_duration_ms ("-1s"), ==, -1);
  g_assert_cmpint (cf_http_parse_duration_ms ("nans"), ==, -1);
}

static void
test_depth_scan (void)
{
  g_assert_true (cf_http_json_depth_ok ("[[[]]]", 6, 3));
  g_assert_false (cf_http_json_depth_ok ("[[[[]]]]", 8, 3));
  /* Brackets inside strings, escaped quotes included, do not count. */
  g_assert_true (cf_http_json_depth_ok ("{\"a\": \"[[[[\\\"[[[[\"}", 20, 1));
}

/* Gemini */

static void
gemini_odd (Server *server, const char *method, const char *path, const char *body,
            GOutputStream *out)
{
  if (strstr (path, "/operations/policy") != NULL)
    respond (out, 200, NULL, NULL,
             "{\"name\": \"models/m/operations/policy\", \"done\": true, \"error\": {\"code\": 3,"
             " \"message\": \"The output was blocked by the safety filter\"}}", -1);
  else if (strstr (path, "/operations/internal") != NULL)
    respond (out, 200, NULL, NULL,
             "{\"name\": \"models/m/operations/internal\", \"done\": true, \"error\": {\"code\": 13,"
             " \"message\": \"Internal\"}}", -1);
  else if (strstr (path, "/operations/badinline") != NULL)
    respond (out, 200, NULL, NULL,
             "{\"name\": \"models/m/operations/badinline\", \"done\": true, \"response\":"
             " {\"generateVideoResponse\": {\"generatedSamples\": [{\"video\":"
             " {\"encodedVideo\": \"PGh0bWw+PGJvZHk+bm90IGEgdmlkZW88L2JvZHk+PC9odG1sPg==\"}}]}}}",
             -1);
  else if (strstr (path, "/operations/foreign") != NULL)
    respond (out, 200, NULL, NULL,
             "{\"name\": \"models/m/operations/foreign\", \"done\": true, \"response\":"
             " {\"generateVideoResponse\": {\"generatedSamples\": [{\"video\":"
             " {\"uri\": \"https://198.51.100.1/v1beta/files/x:download\"}}]}}}", -1);
  else
    respond (out, 404, NULL, NULL, "", 0);
}

static void
test_gemini_odd (Fixture *fixture, gconstpointer data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture);
  g_autoptr(GPtrArray) handles = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_take_handle_free);
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->folder, "g.mp4", NULL);
  CfTakeStatus *status;

  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI, "models/m/operations/policy"));
  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI, "models/m/operations/internal"));
  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI, "models/m/operations/badinline"));
  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI, "models/m/operations/foreign"));

  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_no_error (error);

  status = g_ptr_array_index (statuses, 0);
  g_assert_cmpint (status->state, ==, CF_REMOTE_FAILED);
  g_assert_error (status->error, CF_ERROR, CF_ERROR_POLICY);

  status = g_ptr_array_index (statuses, 1);
  g_assert_cmpint (status->state, ==, CF_REMOTE_FAILED);
  g_assert_error (status->error, CF_ERROR, CF_ERROR_TRANSIENT);

  status = g_ptr_array_index (statuses, 2);
  g_assert_cmpint (status->state, ==, CF_REMOTE_SUCCEEDED);
  g_assert_false (cf_provider_download (provider, g_ptr_array_index (handles, 2), status, path,
                                        NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  g_clear_error (&error);

  status = g_ptr_array_index (statuses, 3);
  g_assert_cmpint (status->state, ==, CF_REMOTE_SUCCEEDED);
  g_assert_false (cf_provider_download (provider, g_ptr_array_index (handles, 3), status, path,
                                        NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);

  g_assert_cmpuint (count_files (fixture->folder), ==, 0);
}

static void
gemini_huge (Server *server, const char *method, const char *path, const char *body,
             GOutputStream *out)
{
  /* Over the 64 MB inline limit, announced up front. */
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n"
                             "Content-Type: application/json\r\nConnection: close\r\n\r\n{";

  write_all (out, head, strlen (head));
}

static void
test_gemini_huge (Fixture *fixture, gconstpointer data)
{
  g_autoptr(CfProvider) provider = gemini_provider (fixture);
  g_autoptr(GPtrArray) handles = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_take_handle_free);
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (handles, cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI, "models/m/operations/x"));
  statuses = cf_provider_poll (provider, handles, NULL, NULL, &error);
  g_assert_null (statuses);
  g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *clip_path = NULL;
  char *contents = NULL;
  gsize length = 0;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  clip_path = g_test_build_filename (G_TEST_DIST, "..", "src", "sim", "clips", "clip-1.mp4", NULL);
  if (!g_file_get_contents (clip_path, &contents, &length, NULL))
    g_error ("Cannot read %s", clip_path);
  clip = g_bytes_new_take (contents, length);

#define ADD(path, responder, func) \
  g_test_add ("/hostile-answers/" path, Fixture, responder, fixture_setup, func, fixture_teardown)

  ADD ("huge-body", huge_body, test_huge_body);
  ADD ("endless-body", endless_body, test_endless_body);
  ADD ("deep-json", deep_json, test_deep_json);
  ADD ("deep-error-json", deep_error_json, test_deep_error_json);
  ADD ("truncated", truncated_body, test_truncated);
  ADD ("empty", empty_200, test_empty);
  ADD ("html", html_200, test_html);
  ADD ("json-array", json_array, test_json_array);
  ADD ("wrong-types", wrong_types, test_wrong_types);
  ADD ("html-502", html_502, test_html_502);
  ADD ("retry-after-header", empty_429_retry_after, test_retry_after_header);
  ADD ("retry-info", retry_info, test_retry_info);
  ADD ("reason-in-message", reason_in_message, test_reason_in_message);
  ADD ("recaptcha-demanded", recaptcha_400, test_recaptcha_demanded);
  ADD ("token-not-echoed", echo_token, test_token_not_echoed);
  ADD ("api-redirect-not-followed", api_redirect, test_api_redirect_not_followed);
  ADD ("fewer-operations", fewer_operations, test_fewer_operations);
  ADD ("unknown-shape", no_operations, test_unknown_shape);
  ADD ("empty-operations-with-media", empty_operations_with_media,
       test_empty_operations_with_media);
  ADD ("empty-media-with-workflows", empty_media_with_workflows,
       test_empty_media_with_workflows);
  ADD ("one-bad-name", one_bad_name, test_one_bad_name);
  ADD ("unknown-status-logged-once", poll_odd, test_unknown_status_logged_once);
  ADD ("file-url", poll_with_url, test_file_url);
  ADD ("foreign-host-url", poll_with_url, test_foreign_host_url);
  ADD ("redirect-to-foreign-host", poll_with_url, test_redirect_to_foreign_host);
  ADD ("html-instead-of-video", poll_with_url, test_html_instead_of_video);
  ADD ("poster-instead-of-video", poll_with_url, test_poster_instead_of_video);
  ADD ("expired-url", poll_with_url, test_expired_url);
  ADD ("unknown-status", poll_odd, test_unknown_status);
  ADD ("redirect-route-to-file", poll_odd, test_redirect_route_to_file);
  ADD ("final-url", final_url_route, test_final_url);
  ADD ("gemini-odd", gemini_odd, test_gemini_odd);
  ADD ("gemini-huge", gemini_huge, test_gemini_huge);

#undef ADD

  g_test_add_func ("/hostile-answers/retry-after-parsing", test_retry_after_parsing);
  g_test_add_func ("/hostile-answers/depth-scan", test_depth_scan);

  status = g_test_run ();
  g_bytes_unref (clip);

  return status;
}
