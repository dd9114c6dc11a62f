/* cf-log-line.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CF_LOG_LEVEL_INFO,
  CF_LOG_LEVEL_WARNING,
  CF_LOG_LEVEL_ERROR,
} CfLogLevel;

#define CF_TYPE_LOG_LINE (cf_log_line_get_type ())

/* One immutable line of the log pane: when, how bad, and what. */
G_DECLARE_FINAL_TYPE (CfLogLine, cf_log_line, CF, LOG_LINE, GObject)

/* Guesses the level from the text when the engine's line does not say it. */
CfLogLine  *cf_log_line_new        (GDateTime  *time,
                                    const char *text);
CfLogLevel  cf_log_line_get_level  (CfLogLine  *self);
GDateTime  *cf_log_line_get_time   (CfLogLine  *self);
const char *cf_log_line_get_text   (CfLogLine  *self);
/* "12:04:31" */
char       *cf_log_line_dup_time_string  (CfLogLine *self);
/* "info", "warning", "error" (translated) */
const char *cf_log_line_get_level_label  (CfLogLine *self);
/* "12:04:31 warning text", for copy and save. */
char       *cf_log_line_to_string  (CfLogLine  *self);

G_END_DECLS
