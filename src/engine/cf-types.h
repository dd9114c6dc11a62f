/* cf-types.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Small enums shared across the engine; their GTypes come from cf-enum-types.h. */

typedef enum
{
  CF_ASPECT_DEFAULT,    /* inherit from the script or the run settings */
  CF_ASPECT_LANDSCAPE,  /* 16:9 */
  CF_ASPECT_PORTRAIT,   /* 9:16 */
  CF_ASPECT_SQUARE,     /* 1:1 (Labs only) */
} CfAspect;

typedef enum
{
  CF_ACCOUNT_KIND_LABS,
  CF_ACCOUNT_KIND_GEMINI,
} CfAccountKind;

/* Which request body a Labs account sends (labs-flow.md, section 2). */
typedef enum
{
  CF_REQUEST_FORM_CLASSIC,  /* textInput.prompt */
  CF_REQUEST_FORM_2026,     /* textInput.structuredPrompt, useV2ModelConfig, batchId */
} CfRequestForm;

typedef enum
{
  CF_ACCOUNT_HEALTH_READY,
  CF_ACCOUNT_HEALTH_BACKING_OFF,
  CF_ACCOUNT_HEALTH_OUT,
} CfAccountHealth;

/* "16:9", "9:16", "1:1"; NULL for CF_ASPECT_DEFAULT. */
const char *cf_aspect_to_string   (CfAspect     aspect);
/* Accepts "16:9", "landscape", "9:16", "portrait", "1:1", "square"; FALSE if unknown. */
gboolean    cf_aspect_from_string (const char  *text,
                                   CfAspect    *aspect);

const char *cf_account_kind_to_string   (CfAccountKind  kind);
gboolean    cf_account_kind_from_string (const char    *text,
                                         CfAccountKind *kind);

G_END_DECLS
