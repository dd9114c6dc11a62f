/* cf-http.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * Helpers shared by the two providers: a configured session, bodies read with
 * a size limit, JSON parsed only after a depth check, and the one mapping of
 * the services' error answers onto CF_ERROR codes.
 */

/* Largest API answer we read; bigger ones are refused as protocol errors. */
#define CF_HTTP_MAX_ANSWER_SIZE         (8 * 1024 * 1024)
/* A Gemini poll answer may carry a whole video inline, base64. */
#define CF_HTTP_MAX_INLINE_ANSWER_SIZE  (64 * 1024 * 1024)
/* json-glib parses recursively: deeper documents are refused before it sees them. */
#define CF_HTTP_MAX_JSON_DEPTH          64
/* I/O timeout of a session, in seconds. */
#define CF_HTTP_TIMEOUT_SECONDS         60

typedef enum
{
  CF_SERVICE_LABS,
  CF_SERVICE_GEMINI,
} CfService;

/* use_proxy FALSE: talk directly (the simulator on loopback). */
SoupSession *cf_http_session_new             (guint                timeout_seconds,
                                              gboolean             use_proxy);

/*
 * Sends message and reads its whole body, at most max_size bytes. Transport
 * failures are CF_ERROR_TRANSIENT, a bigger body CF_ERROR_PROTOCOL, a fired
 * cancellable G_IO_ERROR_CANCELLED. The body is returned whatever the status.
 */
GBytes      *cf_http_send                    (SoupSession         *session,
                                              SoupMessage         *message,
                                              gsize                max_size,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* A transport GError (GIO, TLS, libsoup) as CF_ERROR_TRANSIENT; cancellation unchanged. */
void         cf_http_propagate_transport_error (GError           **dest,
                                                GError            *src);

SoupMessage *cf_http_new_json_message        (const char          *method,
                                              const char          *url,
                                              const char          *content_type,
                                              JsonNode            *body);

/* Whether a JSON text nests at most max_depth arrays/objects, without recursion. */
gboolean     cf_http_json_depth_ok           (const char          *data,
                                              gsize                length,
                                              guint                max_depth);
/* Parses a successful answer; CF_ERROR_PROTOCOL naming `what` if it is no JSON object. */
JsonNode    *cf_http_parse_json_object       (GBytes              *body,
                                              const char          *what,
                                              GError             **error);
/* Like the above, but NULL without an error when the body is not a usable object. */
JsonNode    *cf_http_try_parse_json_object   (GBytes              *body);

/*
 * The GError for an error answer (status >= 300). secrets are redacted from
 * any text of the service that ends up in the message.
 */
GError      *cf_http_error_from_answer       (CfService            service,
                                              guint                status,
                                              SoupMessageHeaders  *headers,
                                              GBytes              *body,
                                              const char          *account_name,
                                              const char * const  *secrets);
/*
 * The GError for a google.rpc.Status object ({code, message, status,
 * details}) found inside a successful answer, e.g. a done Gemini operation.
 */
GError      *cf_http_error_from_status_object (CfService           service,
                                               JsonObject         *status_object,
                                               const char         *account_name,
                                               const char * const *secrets);
/*
 * The error of one failed take: CF_ERROR_POLICY when the reason or message
 * looks like a policy refusal, else CF_ERROR_FAILED with the message.
 */
GError      *cf_http_take_error              (const char          *reason,
                                              const char          *message,
                                              const char * const  *secrets);

/* "1.5s" → 1500; -1 if not a duration. */
gint64       cf_http_parse_duration_ms       (const char          *text);
/* A Retry-After value (seconds or an HTTP date) in ms from now; -1 if absent or bad. */
gint64       cf_http_parse_retry_after_ms    (const char          *value);

/* A copy of text with every secret replaced by "[redacted]", shortened to max_length. */
char        *cf_http_redact                  (const char          *text,
                                              const char * const  *secrets,
                                              gsize                max_length);

/* Typed JSON accessors: NULL/FALSE when absent or of another type, never a warning. */
JsonObject  *cf_json_get_object              (JsonObject          *object,
                                              const char          *member);
JsonArray   *cf_json_get_array               (JsonObject          *object,
                                              const char          *member);
const char  *cf_json_get_string              (JsonObject          *object,
                                              const char          *member);
/* Accepts a JSON integer or a decimal string (proto3 int64 is sent as a string). */
gboolean     cf_json_get_int                 (JsonObject          *object,
                                              const char          *member,
                                              gint64              *value);
gboolean     cf_json_get_bool                (JsonObject          *object,
                                              const char          *member,
                                              gboolean            *value);
JsonObject  *cf_json_array_get_object        (JsonArray           *array,
                                              guint                index);
const char  *cf_json_node_get_string         (JsonNode            *node);

G_END_DECLS
