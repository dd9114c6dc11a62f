/* cf-script-io.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-script.h"

G_BEGIN_DECLS

typedef enum
{
  CF_SCRIPT_FORMAT_AUTO,  /* from the file name, then from the content */
  CF_SCRIPT_FORMAT_JSON,  /* Clipfleet JSON, versioned schema (see README) */
  CF_SCRIPT_FORMAT_TEXT,  /* one scene per paragraph, blank lines between */
  CF_SCRIPT_FORMAT_CSV,   /* header row; "prompt" required */
} CfScriptFormat;

CfScriptFormat  cf_script_format_guess (const char      *filename,
                                        const char      *data,
                                        gsize            length);

/*
 * Parses a whole script or nothing. Errors are CF_ERROR_BAD_INPUT and name
 * display_name, the line and column, and what was expected.
 */
CfScript       *cf_script_parse        (const char      *data,
                                        gsize            length,
                                        CfScriptFormat   format,
                                        const char      *display_name,
                                        GError         **error);
char           *cf_script_serialize    (CfScript        *script,
                                        CfScriptFormat   format,
                                        gsize           *length);

CfScript       *cf_script_load         (GFile           *file,
                                        CfScriptFormat   format,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* Atomic: the old file stays whole until the new one is complete. */
gboolean        cf_script_save         (CfScript        *script,
                                        GFile           *file,
                                        CfScriptFormat   format,
                                        GCancellable    *cancellable,
                                        GError         **error);

G_END_DECLS
