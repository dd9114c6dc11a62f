/* cf-download.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cf-endpoints.h"

G_BEGIN_DECLS

/* Largest video we accept. */
#define CF_DOWNLOAD_MAX_SIZE ((goffset) 2 * 1024 * 1024 * 1024)
/* Redirects followed by hand, each checked against the allowed hosts. */
#define CF_DOWNLOAD_MAX_REDIRECTS 5

/*
 * Streams url to path + ".part", checks that it is an MP4 ("ftyp" at byte 4,
 * top-level boxes that fill the file exactly), then renames it to path. Every
 * URL, redirects included, must pass cf_endpoints_is_download_allowed(). The
 * credential header (auth_header: auth_value) goes only to URLs on
 * auth_origin ("https://host[:port]"), never to a storage host. On failure
 * nothing is left behind. 403/404/410 are CF_ERROR_URL_EXPIRED.
 */
gboolean  cf_download_url_to_file     (SoupSession   *session,
                                       CfEndpoints   *endpoints,
                                       const char    *url,
                                       const char    *auth_header,
                                       const char    *auth_value,
                                       const char    *auth_origin,
                                       const char    *path,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* Decodes base64 (a Gemini inline video) in chunks to path, with the same checks. */
gboolean  cf_download_base64_to_file  (const char    *base64,
                                       const char    *path,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* "https://host:port" of url, lower case, with the default port left out; NULL if none. */
char     *cf_download_dup_origin      (const char    *url);

/* The sidecar of a video: "clip.mp4" → "clip.json". */
char     *cf_download_dup_sidecar_path (const char   *video_path);

/*
 * Writes fields (a JSON object) as the sidecar of video_path, in place and
 * without a sync (it describes a video, nothing depends on it).
 * Members that could hold a secret ("token", "tokens", "api_key", "key",
 * "authorization") are refused with CF_ERROR_BAD_INPUT.
 */
gboolean  cf_download_write_sidecar   (const char    *video_path,
                                       JsonNode      *fields,
                                       GError       **error);

typedef struct
{
  const char *prompt;
  gint64      seed;            /* -1: not known */
  const char *model_key;
  const char *account_name;
  const char *handle_name;     /* operation, media or Gemini operation name */
  gint64      submitted_at;    /* g_get_real_time(); 0: not known */
  gint64      finished_at;
  gint64      downloaded_at;
} CfSidecarInfo;

/* The usual fields, with times in ISO 8601 UTC. */
gboolean  cf_download_write_take_sidecar (const char          *video_path,
                                          const CfSidecarInfo *info,
                                          GError             **error);

G_END_DECLS
