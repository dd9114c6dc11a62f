/* cf-http.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-error.h"
#include "cf-http.h"

#define READ_CHUNK_SIZE   (64 * 1024)
#define SERVICE_TEXT_MAX  300

SoupSession *
cf_http_session_new (guint    timeout_seconds,
                     gboolean use_proxy)
{
  SoupSession *session;

  session = soup_session_new_with_options ("timeout", timeout_seconds,
                                           "idle-timeout", timeout_seconds,
                                           "user-agent", "Clipfleet/" PACKAGE_VERSION,
                                           NULL);

  /* The default resolver reads the desktop's proxy settings, which makes no
   * sense for loopback and needs GSettings schemas that a test may not have. */
  if (!use_proxy)
    soup_session_set_proxy_resolver (session, NULL);

  return session;
}

void
cf_http_propagate_transport_error (GError **dest,
                                   GError  *src)
{
  g_assert (src != NULL);

  if (src->domain == CF_ERROR || g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (dest, src);
      return;
    }

  /* GIO's and libsoup's messages name the failure (refused, reset, timed
   * out) and never carry our headers, so they are safe to show. */
  g_set_error (dest, CF_ERROR, CF_ERROR_TRANSIENT,
               _("Could not reach the service: %s"), src->message);
  g_error_free (src);
}

/*
 * Closes a stream whose body we stopped reading. A plain close would make
 * libsoup read (and discard) the rest of a possibly endless body; closing
 * with a cancelled cancellable drops the connection instead.
 */
static void
abandon_stream (GInputStream *stream)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_cancellable_cancel (cancelled);
  g_input_stream_close (stream, cancelled, NULL);
}

GBytes *
cf_http_send (SoupSession   *session,
              SoupMessage   *message,
              gsize          max_size,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) body = NULL;
  g_autofree guint8 *buffer = NULL;
  SoupMessageHeaders *headers;
  GError *local_error = NULL;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), NULL);

  stream = soup_session_send (session, message, cancellable, &local_error);
  if (stream == NULL)
    {
      cf_http_propagate_transport_error (error, local_error);
      return NULL;
    }

  headers = soup_message_get_response_headers (message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > (goffset) max_size)
    {
      abandon_stream (stream);
      g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                   _("The service’s answer is too large (over %zu MB)"),
                   max_size / (1024 * 1024));
      return NULL;
    }

  body = g_byte_array_new ();
  buffer = g_malloc (READ_CHUNK_SIZE);

  for (;;)
    {
      gssize n_read = g_input_stream_read (stream, buffer, READ_CHUNK_SIZE,
                                           cancellable, &local_error);

      if (n_read < 0)
        {
          abandon_stream (stream);
          cf_http_propagate_transport_error (error, local_error);
          return NULL;
        }

      if (n_read == 0)
        break;

      if (body->len + (gsize) n_read > max_size)
        {
          abandon_stream (stream);
          g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                       _("The service’s answer is too large (over %zu MB)"),
                       max_size / (1024 * 1024));
          return NULL;
        }

      g_byte_array_append (body, buffer, n_read);
    }

  if (!g_input_stream_close (stream, cancellable, &local_error))
    {
      cf_http_propagate_transport_error (error, local_error);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

SoupMessage *
cf_http_new_json_message (const char *method,
                          const char *url,
                          const char *content_type,
                          JsonNode   *body)
{
  SoupMessage *message;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  message = soup_message_new (method, url);
  if (message == NULL)
    return NULL;

  /* An API answer never redirects; following one could carry our
   * credentials to another host. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  /*
   * Without this flag libsoup opens a new connection for every POST (every
   * submit and every poll) instead of reusing the idle keep-alive one: a TCP
   * connect per request, and a pile of idle connections for the server. The
   * flag only allows the reuse. libsoup 3 sends a request again after a
   * reused connection dropped only when its method is idempotent, so a
   * submit is never sent twice behind our back: it fails as a transport
   * error before the service saw it, which the caller retries.
   */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GBytes) bytes = NULL;
      gsize length = 0;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (message,
                                                content_type != NULL ? content_type
                                                                     : "application/json",
                                                bytes);
    }

  return message;
}

gboolean
cf_http_json_depth_ok (const char *data,
                       gsize       length,
                       guint       max_depth)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '{':
        case '[':
          if (++depth > max_depth)
            return FALSE;
          break;
        case '}':
        case ']':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

static JsonNode *
parse_json_object (GBytes     *body,
                   const char *what,
                   GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length = 0;
  JsonNode *root;

  data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  if (length == 0)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                   _("The service sent an empty answer to %s"), what);
      return NULL;
    }

  if (!cf_http_json_depth_ok (data, length, CF_HTTP_MAX_JSON_DEPTH))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                   _("The service’s answer to %s is nested too deeply"), what);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                   _("The service’s answer to %s is not valid JSON"), what);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                   _("The service’s answer to %s is not a JSON object"), what);
      return NULL;
    }

  return json_node_ref (root);
}

JsonNode *
cf_http_parse_json_object (GBytes      *body,
                           const char  *what,
                           GError     **error)
{
  g_return_val_if_fail (what != NULL, NULL);

  return parse_json_object (body, what, error);
}

JsonNode *
cf_http_try_parse_json_object (GBytes *body)
{
  return parse_json_object (body, "", NULL);
}

/* JSON accessors */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  if (object == NULL)
    return NULL;

  return json_object_get_member (object, member);
}

JsonObject *
cf_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
cf_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node = get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
cf_json_node_get_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

const char *
cf_json_get_string (JsonObject *object,
                    const char *member)
{
  return cf_json_node_get_string (get_member (object, member));
}

gboolean
cf_json_get_int (JsonObject *object,
                 const char *member,
                 gint64     *value)
{
  JsonNode *node = get_member (object, member);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= -9e15 && d <= 9e15 && d == (double) (gint64) d)
        {
          *value = (gint64) d;
          return TRUE;
        }
      return FALSE;
    }

  text = cf_json_node_get_string (node);
  if (text != NULL)
    {
      gint64 parsed;

      if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &parsed, NULL))
        {
          *value = parsed;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
cf_json_get_bool (JsonObject *object,
                  const char *member,
                  gboolean   *value)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *value = json_node_get_boolean (node);

  return TRUE;
}

JsonObject *
cf_json_array_get_object (JsonArray *array,
                          guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Durations and redaction */

gint64
cf_http_parse_duration_ms (const char *text)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double seconds;
  gsize length;

  if (text == NULL)
    return -1;

  copy = g_strstrip (g_strdup (text));
  length = strlen (copy);
  if (length < 2 || copy[length - 1] != 's')
    return -1;
  copy[length - 1] = '\0';

  seconds = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !(seconds >= 0) || seconds > 7 * 24 * 3600)
    return -1;

  return (gint64) (seconds * 1000 + 0.5);
}

gint64
cf_http_parse_retry_after_ms (const char *value)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *copy = NULL;
  guint64 seconds;
  GTimeSpan span;

  if (value == NULL)
    return -1;

  copy = g_strstrip (g_strdup (value));

  if (g_ascii_string_to_unsigned (copy, 10, 0, 7 * 24 * 3600, &seconds, NULL))
    return (gint64) seconds * 1000;

  date = soup_date_time_new_from_http_string (copy);
  if (date == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (date, now);

  return span > 0 ? span / 1000 : 0;
}

char *
cf_http_redact (const char         *text,
                const char * const *secrets,
                gsize               max_length)
{
  g_autofree char *valid = NULL;
  GString *result;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  result = g_string_new (valid);

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      if (secrets[i][0] != '\0')
        g_string_replace (result, secrets[i], "[redacted]", 0);
    }

  /* Control characters would garble a log line or a card. */
  for (gsize i = 0; i < result->len; i++)
    {
      if ((guchar) result->str[i] < 0x20)
        result->str[i] = ' ';
    }

  if (g_utf8_strlen (result->str, -1) > (glong) max_length)
    {
      char *cut = g_utf8_offset_to_pointer (result->str, max_length);

      g_string_truncate (result, cut - result->str);
      g_string_append (result, "…");
    }

  return g_string_free (result, FALSE);
}

/* The error taxonomy */

typedef struct
{
  guint   http_status;
  char   *grpc_status;
  char   *message;      /* redacted */
  char   *reason;
  char   *field;
  gint64  retry_after_ms;
} ErrorInfo;

static void
error_info_clear (ErrorInfo *info)
{
  g_free (info->grpc_status);
  g_free (info->message);
  g_free (info->reason);
  g_free (info->field);
}

static const struct
{
  const char  *reason;
  CfErrorCode  code;
} known_reasons[] = {
  { "PUBLIC_ERROR_UNUSUAL_ACTIVITY", CF_ERROR_NEEDS_VERIFICATION },
  { "PUBLIC_ERROR_MODEL_ACCESS_DENIED", CF_ERROR_MODEL_NOT_ALLOWED },
  { "PUBLIC_ERROR_USER_REQUESTS_THROTTLED", CF_ERROR_THROTTLED },
  { "PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED", CF_ERROR_QUOTA },
  { "PUBLIC_ERROR_USER_QUOTA_REACHED", CF_ERROR_QUOTA },
  { "PUBLIC_ERROR_UNSAFE_GENERATION", CF_ERROR_POLICY },
  { "PUBLIC_ERROR_PROMINENT_PEOPLE_FILTER_FAILED", CF_ERROR_POLICY },
  { "API_KEY_INVALID", CF_ERROR_AUTH_EXPIRED },
};

static int
code_for_reason (const char *reason)
{
  if (reason == NULL)
    return -1;

  for (guint i = 0; i < G_N_ELEMENTS (known_reasons); i++)
    {
      if (g_str_equal (reason, known_reasons[i].reason))
        return known_reasons[i].code;
    }

  return -1;
}

/* A known reason token written somewhere in free text, or NULL. */
static const char *
find_reason_in_text (const char *text)
{
  if (text == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known_reasons); i++)
    {
      if (strstr (text, known_reasons[i].reason) != NULL)
        return known_reasons[i].reason;
    }

  return NULL;
}

static gboolean
text_contains_nocase (const char *text,
                      const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;

  folded = g_ascii_strdown (text, -1);

  return strstr (folded, needle) != NULL;
}

static gboolean
looks_like_policy (const char *text)
{
  static const char * const words[] = {
    "unsafe", "prominent_people", "prominent people", "policy", "policies", "safety",
    "guideline", "filtered", "sensitive", "responsible ai", "violat",
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (text_contains_nocase (text, words[i]))
        return TRUE;
    }

  return FALSE;
}

static guint
http_status_for_grpc (const char *status)
{
  static const struct { const char *name; guint http; } map[] = {
    { "INVALID_ARGUMENT", 400 }, { "FAILED_PRECONDITION", 400 }, { "OUT_OF_RANGE", 400 },
    { "UNAUTHENTICATED", 401 }, { "PERMISSION_DENIED", 403 }, { "NOT_FOUND", 404 },
    { "ABORTED", 409 }, { "ALREADY_EXISTS", 409 }, { "RESOURCE_EXHAUSTED", 429 },
    { "CANCELLED", 499 }, { "INTERNAL", 500 }, { "UNKNOWN", 500 }, { "DATA_LOSS", 500 },
    { "UNIMPLEMENTED", 501 }, { "UNAVAILABLE", 503 }, { "DEADLINE_EXCEEDED", 504 },
  };

  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (map); i++)
    {
      if (g_str_equal (status, map[i].name))
        return map[i].http;
    }

  return 0;
}

/* google.rpc.Code numbers, as a done operation's error carries them. */
static guint
http_status_for_grpc_code (gint64 code)
{
  static const guint map[] = {
    200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401,
  };

  return code >= 0 && code < (gint64) G_N_ELEMENTS (map) ? map[code] : 0;
}

static void
error_info_take_status_object (ErrorInfo          *info,
                               JsonObject         *object,
                               const char * const *secrets)
{
  JsonArray *details;
  const char *text;
  gint64 code;

  if (info->http_status == 0 && cf_json_get_int (object, "code", &code))
    {
      if (code >= 100 && code <= 599)
        info->http_status = (guint) code;
      else
        info->http_status = http_status_for_grpc_code (code);
    }

  text = cf_json_get_string (object, "status");
  if (text != NULL)
    {
      info->grpc_status = g_strdup (text);
      if (info->http_status == 0)
        info->http_status = http_status_for_grpc (text);
    }

  text = cf_json_get_string (object, "message");
  if (text != NULL)
    info->message = cf_http_redact (text, secrets, SERVICE_TEXT_MAX);

  details = cf_json_get_array (object, "details");
  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonObject *detail = cf_json_array_get_object (details, i);
      const char *reason = cf_json_get_string (detail, "reason");
      const char *type = cf_json_get_string (detail, "@type");
      JsonArray *violations = cf_json_get_array (detail, "fieldViolations");

      if (reason != NULL && (info->reason == NULL || code_for_reason (info->reason) < 0))
        {
          g_free (info->reason);
          info->reason = cf_http_redact (reason, secrets, 100);
        }

      if (type != NULL && g_str_has_suffix (type, "RetryInfo"))
        {
          const char *delay = cf_json_get_string (detail, "retryDelay");
          JsonObject *delay_object = cf_json_get_object (detail, "retryDelay");
          gint64 seconds = 0;
          gint64 nanos = 0;

          if (delay != NULL)
            info->retry_after_ms = cf_http_parse_duration_ms (delay);
          else if (delay_object != NULL && cf_json_get_int (delay_object, "seconds", &seconds))
            {
              cf_json_get_int (delay_object, "nanos", &nanos);
              if (seconds >= 0 && seconds < 7 * 24 * 3600)
                info->retry_after_ms = seconds * 1000 + nanos / 1000000;
            }
        }

      if (violations != NULL && info->field == NULL)
        {
          const char *field = cf_json_get_string (cf_json_array_get_object (violations, 0),
                                                  "field");
          if (field != NULL)
            info->field = cf_http_redact (field, secrets, 100);
        }
    }

  /* The reason may sit only in the message text. */
  if (code_for_reason (info->reason) < 0)
    {
      const char *found = find_reason_in_text (info->message);

      if (found != NULL)
        {
          g_free (info->reason);
          info->reason = g_strdup (found);
        }
    }
}

/* "Unknown name \"videoLengthSeconds\"": the field a 400 complains about. */
static char *
field_from_message (const char *message)
{
  const char *start;
  const char *end;

  if (message == NULL)
    return NULL;

  start = strstr (message, "Unknown name \"");
  if (start == NULL)
    return NULL;

  start += strlen ("Unknown name \"");
  end = strchr (start, '"');
  if (end == NULL || end - start > 100)
    return NULL;

  return g_strndup (start, end - start);
}

static GError *
error_from_info (CfService   service,
                 ErrorInfo  *info,
                 const char *account_name)
{
  const char *account = account_name != NULL ? account_name : "?";
  g_autofree char *detail = NULL;
  int code = code_for_reason (info->reason);
  guint status = info->http_status;
  GError *error;

  /* What the service said, for the user, in a trailing parenthesis. */
  if (info->message != NULL && info->message[0] != '\0')
    detail = g_strdup_printf (" (%s)", info->message);
  else if (info->reason != NULL)
    detail = g_strdup_printf (" (%s)", info->reason);
  else
    detail = g_strdup ("");

  if (code < 0)
    {
      if (status >= 400 && status < 500
          && (text_contains_nocase (info->message, "recaptcha")
              || text_contains_nocase (info->message, "unusual activity")))
        code = CF_ERROR_NEEDS_VERIFICATION;
      else if (status == 401)
        code = CF_ERROR_AUTH_EXPIRED;
      else if (status == 403)
        code = CF_ERROR_ACCESS_DENIED;
      else if (status == 429)
        code = CF_ERROR_THROTTLED;
      else if (status == 400 && service == CF_SERVICE_GEMINI && looks_like_policy (info->message))
        code = CF_ERROR_POLICY;
      else if (status == 408 || status == 499 || status >= 500)
        code = CF_ERROR_TRANSIENT;
      else if (status >= 400 && status < 500)
        code = CF_ERROR_PROTOCOL;
      else
        code = CF_ERROR_PROTOCOL;
    }

  switch ((CfErrorCode) code)
    {
    case CF_ERROR_AUTH_EXPIRED:
      if (service == CF_SERVICE_GEMINI)
        error = g_error_new (CF_ERROR, code,
                             _("The API key of account %s was refused: paste a new one in Settings"),
                             account);
      else
        error = g_error_new (CF_ERROR, code,
                             _("Tokens of account %s expired: paste new ones in Settings"),
                             account);
      break;

    case CF_ERROR_NEEDS_VERIFICATION:
      error = g_error_new (CF_ERROR, code,
                           _("Account %s needs a browser verification (reCAPTCHA): open Flow "
                             "in the browser with this account, then try again%s"),
                           account, detail);
      break;

    case CF_ERROR_ACCESS_DENIED:
      if (service == CF_SERVICE_GEMINI)
        error = g_error_new (CF_ERROR, code,
                             _("The API key of account %s lacks access to Veo or billing%s"),
                             account, detail);
      else
        error = g_error_new (CF_ERROR, code,
                             _("Account %s may not use its project: check the project id in "
                               "Settings%s"),
                             account, detail);
      break;

    case CF_ERROR_MODEL_NOT_ALLOWED:
      error = g_error_new (CF_ERROR, code,
                           _("The tier of account %s does not include this model%s"),
                           account, detail);
      break;

    case CF_ERROR_THROTTLED:
      error = g_error_new (CF_ERROR, code,
                           _("Account %s is sending too many requests or has too many takes "
                             "in flight%s"),
                           account, detail);
      break;

    case CF_ERROR_QUOTA:
      error = g_error_new (CF_ERROR, code,
                           _("Account %s has spent its credits or daily quota%s"),
                           account, detail);
      break;

    case CF_ERROR_POLICY:
      error = g_error_new (CF_ERROR, code, _("The service refused the prompt%s"), detail);
      break;

    case CF_ERROR_TRANSIENT:
      error = g_error_new (CF_ERROR, code,
                           _("The service is temporarily unavailable (HTTP %u)%s"),
                           status, detail);
      break;

    case CF_ERROR_PROTOCOL:
    default:
      if (status >= 300 && status < 400)
        {
          error = g_error_new (CF_ERROR, CF_ERROR_PROTOCOL,
                               _("The service answered with an unexpected redirect (HTTP %u)"),
                               status);
          break;
        }

      if (info->field == NULL)
        info->field = field_from_message (info->message);

      if (info->field != NULL)
        error = g_error_new (CF_ERROR, CF_ERROR_PROTOCOL,
                             _("The service did not accept the field “%s” (HTTP %u)%s"),
                             info->field, status, detail);
      else
        error = g_error_new (CF_ERROR, CF_ERROR_PROTOCOL,
                             _("The service did not accept the request (HTTP %u)%s"),
                             status, detail);
      break;
    }

  cf_error_set_retry_after_ms (error, info->retry_after_ms);
  if (info->reason != NULL)
    cf_error_set_reason (error, info->reason);
  else if (info->grpc_status != NULL)
    cf_error_set_reason (error, info->grpc_status);

  return error;
}

GError *
cf_http_error_from_answer (CfService           service,
                           guint               status,
                           SoupMessageHeaders *headers,
                           GBytes             *body,
                           const char         *account_name,
                           const char * const *secrets)
{
  g_autoptr(JsonNode) root = NULL;
  ErrorInfo info = { 0, };
  JsonObject *error_object = NULL;
  GError *error;

  info.http_status = status;
  info.retry_after_ms = -1;

  root = cf_http_try_parse_json_object (body);
  if (root != NULL)
    {
      JsonObject *object = json_node_get_object (root);

      error_object = cf_json_get_object (object, "error");
      /* Some front ends answer with a bare status object. */
      if (error_object == NULL && json_object_has_member (object, "message"))
        error_object = object;
    }

  if (error_object != NULL)
    error_info_take_status_object (&info, error_object, secrets);

  if (code_for_reason (info.reason) < 0 && body != NULL && g_bytes_get_size (body) > 0)
    {
      /* Not JSON, or JSON of another shape: the reason may still be in the text. */
      gsize length = MIN (g_bytes_get_size (body), 16 * 1024);
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), length);
      const char *found = find_reason_in_text (text);

      if (found != NULL)
        {
          g_free (info.reason);
          info.reason = g_strdup (found);
        }
      else if (info.message == NULL && text_contains_nocase (text, "recaptcha"))
        info.message = g_strdup ("reCAPTCHA");
    }

  if (info.retry_after_ms < 0 && headers != NULL)
    info.retry_after_ms =
      cf_http_parse_retry_after_ms (soup_message_headers_get_one (headers, "Retry-After"));

  /* An error answer's status wins over the code inside its body. */
  info.http_status = status;

  error = error_from_info (service, &info, account_name);
  error_info_clear (&info);

  return error;
}

GError *
cf_http_error_from_status_object (CfService           service,
                                  JsonObject         *status_object,
                                  const char         *account_name,
                                  const char * const *secrets)
{
  ErrorInfo info = { 0, };
  GError *error;

  info.retry_after_ms = -1;

  if (status_object != NULL)
    error_info_take_status_object (&info, status_object, secrets);

  if (info.http_status == 0)
    info.http_status = 500;

  error = error_from_info (service, &info, account_name);
  error_info_clear (&info);

  return error;
}

GError *
cf_http_take_error (const char         *reason,
                    const char         *message,
                    const char * const *secrets)
{
  g_autofree char *clean_reason = cf_http_redact (reason, secrets, 100);
  g_autofree char *clean_message = cf_http_redact (message, secrets, SERVICE_TEXT_MAX);
  const char *shown = clean_message != NULL ? clean_message : clean_reason;
  GError *error;

  if (clean_reason == NULL)
    clean_reason = g_strdup (find_reason_in_text (message));

  if (code_for_reason (clean_reason) == CF_ERROR_POLICY
      || looks_like_policy (clean_reason)
      || looks_like_policy (clean_message))
    {
      if (shown != NULL)
        error = g_error_new (CF_ERROR, CF_ERROR_POLICY,
                             _("The service refused the prompt (%s)"), shown);
      else
        error = g_error_new_literal (CF_ERROR, CF_ERROR_POLICY,
                                     _("The service refused the prompt"));
    }
  else if (shown != NULL)
    error = g_error_new (CF_ERROR, CF_ERROR_FAILED,
                         _("The service could not make this take (%s)"), shown);
  else
    error = g_error_new_literal (CF_ERROR, CF_ERROR_FAILED,
                                 _("The service could not make this take"));

  if (clean_reason != NULL)
    cf_error_set_reason (error, clean_reason);

  return error;
}
