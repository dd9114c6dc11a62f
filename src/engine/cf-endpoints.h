/* cf-endpoints.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CF_TYPE_ENDPOINTS (cf_endpoints_get_type ())

/*
 * Where the services are, and which hosts a download may come from. An
 * immutable, thread-safe boxed value: a worker thread keeps its own ref.
 */
typedef struct _CfEndpoints CfEndpoints;

GType        cf_endpoints_get_type            (void) G_GNUC_CONST;

/* The real Google services. */
CfEndpoints *cf_endpoints_new_google          (void);
/*
 * Everything on one origin (clipfleet-sim): labs API at ORIGIN/v1, the Flow
 * web routes at ORIGIN/fx/..., Gemini at ORIGIN/v1beta. Downloads only from
 * that origin. NULL with CF_ERROR_BAD_INPUT if origin is not an http(s) URL.
 */
CfEndpoints *cf_endpoints_new_for_origin      (const char   *origin,
                                               GError      **error);
CfEndpoints *cf_endpoints_ref                 (CfEndpoints  *self);
void         cf_endpoints_unref               (CfEndpoints  *self);

/* e.g. "https://aisandbox-pa.googleapis.com/v1" (no trailing slash) */
const char  *cf_endpoints_get_labs_api        (CfEndpoints  *self);
/* e.g. "https://labs.google" */
const char  *cf_endpoints_get_labs_web        (CfEndpoints  *self);
/* e.g. "https://generativelanguage.googleapis.com/v1beta" */
const char  *cf_endpoints_get_gemini_api      (CfEndpoints  *self);

/*
 * Whether a URL found in a service's answer may be fetched: https on
 * Google's hosts (or the simulator's own origin), never file:// or elsewhere.
 */
gboolean     cf_endpoints_is_download_allowed (CfEndpoints  *self,
                                               const char   *url);

/*
 * Whether the services are on this machine (127.0.0.0/8, ::1, localhost):
 * such requests never go through the desktop's proxy.
 */
gboolean     cf_endpoints_is_loopback         (CfEndpoints  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfEndpoints, cf_endpoints_unref)

G_END_DECLS
