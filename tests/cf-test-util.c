/* cf-test-util.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "cf-test-util.h"

void
cf_test_response_free (CfTestResponse *response)
{
  if (response == NULL)
    return;
  g_clear_error (&response->error);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

char *
cf_test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

CfSimServer *
cf_test_sim_start_file (const char *data_name)
{
  g_autofree char *path = cf_test_data_path (data_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSimServer) sim = cf_sim_server_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sim);
  cf_sim_server_start (sim, 0, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&sim);
}

CfSimServer *
cf_test_sim_start (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSimServer) sim = cf_sim_server_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sim);
  cf_sim_server_start (sim, 0, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&sim);
}

/*
 * libsoup writes a request's headers and body separately: with Nagle's
 * algorithm the body waits for the server's delayed ACK, about 40 ms a
 * request on loopback.
 */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

CfTestResponse *
cf_test_request (SoupSession         *session,
                 const char          *method,
                 const char          *url,
                 const char * const  *headers,
                 const char          *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  CfTestResponse *response = g_new0 (CfTestResponse, 1);

  g_assert_nonnull (msg);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), NULL);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i],
                                  headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      const char *type = soup_message_headers_get_content_type (soup_message_get_request_headers (msg),
                                                                NULL);

      soup_message_set_request_body_from_bytes (msg, type ? type : "application/json", bytes);
    }

  response->body = soup_session_send_and_read (session, msg, NULL, &response->error);
  if (response->error != NULL)
    return response;
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (response->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize length = 0;
      const char *data = g_bytes_get_data (response->body, &length);

      if (json_parser_load_from_data (parser, data, length, NULL)
          && json_parser_get_root (parser) != NULL)
        response->json = json_node_copy (json_parser_get_root (parser));
    }
  return response;
}

CfTestResponse *
cf_test_request_path (SoupSession         *session,
                      CfSimServer         *sim,
                      const char          *method,
                      const char          *path,
                      const char * const  *headers,
                      const char          *body)
{
  g_autofree char *url = g_strconcat (cf_sim_server_get_base_url (sim), path, NULL);

  return cf_test_request (session, method, url, headers, body);
}

JsonObject *
cf_test_response_object (CfTestResponse *response)
{
  g_assert_no_error (response->error);
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

static JsonObject *
error_object (CfTestResponse *response)
{
  JsonObject *root;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  root = json_node_get_object (response->json);
  if (!json_object_has_member (root, "error")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error")))
    return NULL;
  return json_object_get_object_member (root, "error");
}

const char *
cf_test_error_status (CfTestResponse *response)
{
  JsonObject *error = error_object (response);

  if (error == NULL)
    return NULL;
  /* Google's shape: code equals the HTTP status. */
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, response->status);
  return json_object_get_string_member_with_default (error, "status", NULL);
}

const char *
cf_test_error_message (CfTestResponse *response)
{
  JsonObject *error = error_object (response);

  return error ? json_object_get_string_member_with_default (error, "message", NULL) : NULL;
}

static JsonObject *
error_detail (CfTestResponse *response,
              const char     *type)
{
  JsonObject *error = error_object (response);
  JsonArray *details;

  if (error == NULL || !json_object_has_member (error, "details"))
    return NULL;
  details = json_object_get_array_member (error, "details");
  for (guint i = 0; i < json_array_get_length (details); i++)
    {
      JsonObject *detail = json_array_get_object_element (details, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (detail, "@type", NULL),
                     type) == 0)
        return detail;
    }
  return NULL;
}

const char *
cf_test_error_reason (CfTestResponse *response)
{
  JsonObject *info = error_detail (response, "type.googleapis.com/google.rpc.ErrorInfo");

  return info ? json_object_get_string_member_with_default (info, "reason", NULL) : NULL;
}

double
cf_test_error_retry_delay (CfTestResponse *response)
{
  JsonObject *info = error_detail (response, "type.googleapis.com/google.rpc.RetryInfo");
  const char *delay;

  if (info == NULL)
    return -1;
  delay = json_object_get_string_member_with_default (info, "retryDelay", NULL);
  g_assert_nonnull (delay);
  g_assert_true (g_str_has_suffix (delay, "s"));
  return g_ascii_strtod (delay, NULL);
}

JsonNode *
cf_test_sim_stats (CfSimServer *sim)
{
  g_autofree char *json = cf_sim_server_dup_stats_json (sim);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

JsonObject *
cf_test_stats_account (JsonNode   *stats,
                       const char *name)
{
  JsonArray *accounts = json_object_get_array_member (json_node_get_object (stats), "accounts");

  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      if (g_strcmp0 (json_object_get_string_member (account, "name"), name) == 0)
        return account;
    }
  g_assert_not_reached ();
  return NULL;
}

gboolean
cf_test_is_mp4 (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return length > 8 && memcmp (data + 4, "ftyp", 4) == 0;
}

void
cf_test_sleep (double real_seconds)
{
  g_usleep ((gulong) (real_seconds * G_USEC_PER_SEC));
}

char *
cf_test_labs_submit_body (const char   *project_id,
                          const char   *model,
                          const char   *prompt,
                          guint         copies,
                          char       ***out_scene_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "clientContext");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "projectId");
  json_builder_add_string_value (builder, project_id);
  json_builder_set_member_name (builder, "tool");
  json_builder_add_string_value (builder, "PINHOLE");
  json_builder_set_member_name (builder, "userPaygateTier");
  json_builder_add_string_value (builder, "PAYGATE_TIER_ONE");
  json_builder_set_member_name (builder, "sessionId");
  json_builder_add_string_value (builder, ";1731150000000");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < copies; i++)
    {
      g_autofree char *scene_id = g_uuid_string_random ();

      g_strv_builder_add (ids, scene_id);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "aspectRatio");
      json_builder_add_string_value (builder, "VIDEO_ASPECT_RATIO_LANDSCAPE");
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, 4242 + i);
      json_builder_set_member_name (builder, "textInput");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, prompt);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "videoModelKey");
      json_builder_add_string_value (builder, model);
      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sceneId");
      json_builder_add_string_value (builder, scene_id);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (out_scene_ids != NULL)
    *out_scene_ids = g_strv_builder_end (ids);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
cf_test_labs_poll_body_a (const char *project_id,
                          JsonArray  *operations)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) context = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_object_set_string_member (context, "projectId", project_id);
  json_object_set_array_member (root, "operations", json_array_ref (operations));
  json_object_set_object_member (root, "clientContext", json_object_ref (context));
  json_node_set_object (node, root);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
cf_test_labs_poll_body_b (const char          *project_id,
                          const char * const  *media_names)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "media");
  json_builder_begin_array (builder);
  for (guint i = 0; media_names[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, media_names[i]);
      json_builder_set_member_name (builder, "projectId");
      json_builder_add_string_value (builder, project_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
