/* cf-sim-reply.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-sim-private.h"

/*
 * Answers in the shape of Google's APIs: google.rpc.Status error bodies with
 * ErrorInfo, BadRequest and RetryInfo details, and field checks whose messages
 * name the field the way the real front ends do.
 */

void
cf_sim_reply_clear (CfSimReply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->location, g_free);
  reply->status = 0;
  reply->content_type = NULL;
  reply->retry_after = -1;
}

void
cf_sim_reply_json (CfSimReply *reply,
                   guint       status,
                   JsonNode   *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  g_clear_pointer (&reply->body, g_bytes_unref);
  reply->body = g_bytes_new_take (text, length);
  reply->status = status;
  reply->content_type = "application/json; charset=UTF-8";
}

const char *
cf_sim_status_name (guint code)
{
  switch (code)
    {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 409: return "ALREADY_EXISTS";
    case 429: return "RESOURCE_EXHAUSTED";
    case 500: return "INTERNAL";
    case 503: return "UNAVAILABLE";
    default: return "UNKNOWN";
    }
}

void
cf_sim_reply_error (CfSimReply *reply,
                    guint       code,
                    const char *reason,
                    const char *domain,
                    const char *field,
                    double      retry_delay,
                    const char *format,
                    ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, cf_sim_status_name (code));
  if (reason != NULL || field != NULL || retry_delay >= 0)
    {
      json_builder_set_member_name (builder, "details");
      json_builder_begin_array (builder);
      if (reason != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "@type");
          json_builder_add_string_value (builder, "type.googleapis.com/google.rpc.ErrorInfo");
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, reason);
          if (domain != NULL)
            {
              json_builder_set_member_name (builder, "domain");
              json_builder_add_string_value (builder, domain);
            }
          json_builder_end_object (builder);
        }
      if (field != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "@type");
          json_builder_add_string_value (builder, "type.googleapis.com/google.rpc.BadRequest");
          json_builder_set_member_name (builder, "fieldViolations");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, field);
          json_builder_set_member_name (builder, "description");
          json_builder_add_string_value (builder, message);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      if (retry_delay >= 0)
        {
          char delay[G_ASCII_DTOSTR_BUF_SIZE];
          g_autofree char *text = NULL;

          g_ascii_formatd (delay, sizeof delay, "%.3f", retry_delay);
          text = g_strconcat (delay, "s", NULL);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "@type");
          json_builder_add_string_value (builder, "type.googleapis.com/google.rpc.RetryInfo");
          json_builder_set_member_name (builder, "retryDelay");
          json_builder_add_string_value (builder, text);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cf_sim_reply_json (reply, code, root);
  if (retry_delay >= 0)
    reply->retry_after = retry_delay;
}

void
cf_sim_reply_throttled (CfSimReply *reply,
                        double      retry_delay,
                        const char *domain,
                        const char *message)
{
  cf_sim_reply_error (reply, 429, "PUBLIC_ERROR_USER_REQUESTS_THROTTLED", domain, NULL,
                      MAX (retry_delay, 0.001), "%s", message);
}

gboolean
cf_sim_request_json (const CfSimRequest  *req,
                     CfSimReply          *reply,
                     JsonParser         **out_parser,
                     JsonObject         **out_root)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (req->body_length == 0)
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, NULL, -1,
                          "Invalid JSON payload received. Expected an object, got an empty body.");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, req->body, req->body_length, &error))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, NULL, -1,
                          "Invalid JSON payload received. %s", error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, NULL, -1,
                          "Invalid JSON payload received. Expected an object.");
      return FALSE;
    }
  *out_root = json_node_get_object (root);
  *out_parser = g_steal_pointer (&parser);
  return TRUE;
}

static char *
field_path (const char *where,
            const char *member)
{
  if (where == NULL || *where == '\0')
    return g_strdup (member);
  return g_strconcat (where, ".", member, NULL);
}

static char *
node_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
reply_missing (CfSimReply *reply,
               const char *field)
{
  cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                      "Request contains an invalid argument: required field '%s' is missing.",
                      field);
}

static void
reply_invalid (CfSimReply *reply,
               const char *field,
               const char *type,
               JsonNode   *node)
{
  g_autofree char *text = node_text (node);

  cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                      "Invalid value at '%s' (%s), %s", field, type, text);
}

gboolean
cf_sim_check_fields (JsonObject          *object,
                     const char          *where,
                     const char * const  *allowed,
                     CfSimReply          *reply)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *field = field_path (where, l->data);

        cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                            "Invalid JSON payload received. Unknown name \"%s\"%s%s%s: "
                            "Cannot find field.", (const char *) l->data,
                            *where ? " at '" : "", where, *where ? "'" : "");
        return FALSE;
      }
  return TRUE;
}

const char *
cf_sim_get_string (JsonObject *object,
                   const char *member,
                   const char *where,
                   gboolean    required,
                   CfSimReply *reply,
                   gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *field = NULL;

  *ok = TRUE;
  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !required))
    {
      if (required)
        {
          field = field_path (where, member);
          reply_missing (reply, field);
          *ok = FALSE;
        }
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      field = field_path (where, member);
      reply_invalid (reply, field, "TYPE_STRING", node);
      *ok = FALSE;
      return NULL;
    }
  if (required && *json_node_get_string (node) == '\0')
    {
      field = field_path (where, member);
      reply_missing (reply, field);
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

JsonObject *
cf_sim_get_object (JsonObject *object,
                   const char *member,
                   const char *where,
                   gboolean    required,
                   CfSimReply *reply,
                   gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *field = NULL;

  *ok = TRUE;
  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !required))
    {
      if (required)
        {
          field = field_path (where, member);
          reply_missing (reply, field);
          *ok = FALSE;
        }
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      field = field_path (where, member);
      reply_invalid (reply, field, "TYPE_MESSAGE", node);
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
cf_sim_get_array (JsonObject *object,
                  const char *member,
                  const char *where,
                  gboolean    required,
                  CfSimReply *reply,
                  gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *field = NULL;

  *ok = TRUE;
  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !required))
    {
      if (required)
        {
          field = field_path (where, member);
          reply_missing (reply, field);
          *ok = FALSE;
        }
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      field = field_path (where, member);
      reply_invalid (reply, field, "TYPE_REPEATED", node);
      *ok = FALSE;
      return NULL;
    }
  if (required && json_array_get_length (json_node_get_array (node)) == 0)
    {
      field = field_path (where, member);
      reply_missing (reply, field);
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_array (node);
}

gboolean
cf_sim_get_int (JsonObject *object,
                const char *member,
                const char *where,
                gboolean    required,
                gint64      min,
                gint64      max,
                gint64     *out,
                CfSimReply *reply)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *field = NULL;
  gint64 value;

  if (node == NULL)
    {
      if (required)
        {
          field = field_path (where, member);
          reply_missing (reply, field);
          return FALSE;
        }
      return TRUE;
    }
  field = field_path (where, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      reply_invalid (reply, field, "TYPE_INT32", node);
      return FALSE;
    }
  /* Like protobuf's JSON mapping: integers, integral doubles or decimal strings. */
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);

        if (d != (double) (gint64) d)
          {
            reply_invalid (reply, field, "TYPE_INT32", node);
            return FALSE;
          }
        value = (gint64) d;
      }
      break;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;

        value = g_ascii_strtoll (text, &end, 10);
        if (*text == '\0' || end == NULL || *end != '\0')
          {
            reply_invalid (reply, field, "TYPE_INT32", node);
            return FALSE;
          }
      }
      break;
    default:
      reply_invalid (reply, field, "TYPE_INT32", node);
      return FALSE;
    }
  if (value < min || value > max)
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                          "Invalid value at '%s': %" G_GINT64_FORMAT " is out of range.",
                          field, value);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
cf_sim_get_bool (JsonObject *object,
                 const char *member,
                 const char *where,
                 gboolean   *out,
                 CfSimReply *reply)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *field = field_path (where, member);

      reply_invalid (reply, field, "TYPE_BOOL", node);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
cf_sim_is_uuid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}
