/* cf-test-util.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cf-sim-server.h"

G_BEGIN_DECLS

/*
 * Helpers for the tests that talk HTTP to the in-process simulator. The
 * requests are written from the protocol documents, never from the
 * simulator's code.
 */

typedef struct
{
  guint               status;      /* 0 when the transport failed */
  GError             *error;       /* the transport error, if any */
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;        /* NULL when the body is not JSON */
} CfTestResponse;

void            cf_test_response_free        (CfTestResponse  *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfTestResponse, cf_test_response_free)

/* Path of a file in tests/data. */
char           *cf_test_data_path            (const char      *name);

/* A started simulator, from a file in tests/data or from JSON text. */
CfSimServer    *cf_test_sim_start_file       (const char      *data_name);
CfSimServer    *cf_test_sim_start            (const char      *json);

/*
 * A blocking request. @headers is NULL or a NULL-terminated list of
 * name, value pairs. @body may be NULL.
 */
CfTestResponse *cf_test_request              (SoupSession     *session,
                                              const char      *method,
                                              const char      *url,
                                              const char * const *headers,
                                              const char      *body);
/* Same, with the base URL and a path joined. */
CfTestResponse *cf_test_request_path         (SoupSession     *session,
                                              CfSimServer     *sim,
                                              const char      *method,
                                              const char      *path,
                                              const char * const *headers,
                                              const char      *body);

JsonObject     *cf_test_response_object      (CfTestResponse  *response);
/* error.code, error.status, the ErrorInfo reason, the message, or NULL. */
const char     *cf_test_error_status         (CfTestResponse  *response);
const char     *cf_test_error_reason         (CfTestResponse  *response);
const char     *cf_test_error_message        (CfTestResponse  *response);
/* The RetryInfo delay in seconds, or -1. */
double          cf_test_error_retry_delay    (CfTestResponse  *response);

/* The simulator's statistics, parsed. */
JsonNode       *cf_test_sim_stats            (CfSimServer     *sim);
JsonObject     *cf_test_stats_account        (JsonNode        *stats,
                                              const char      *name);

/* Whether @bytes looks like an MP4: "ftyp" at byte 4. */
gboolean        cf_test_is_mp4               (GBytes          *bytes);

/* Runs a sleep of @real_seconds without a timing assertion. */
void            cf_test_sleep                (double           real_seconds);

/* The Labs request bodies of labs-flow.md section 2 and 4. */
char           *cf_test_labs_submit_body     (const char      *project_id,
                                              const char      *model,
                                              const char      *prompt,
                                              guint            copies,
                                              char          ***out_scene_ids);
char           *cf_test_labs_poll_body_a     (const char      *project_id,
                                              JsonArray       *operations);
char           *cf_test_labs_poll_body_b     (const char      *project_id,
                                              const char * const *media_names);

G_END_DECLS
