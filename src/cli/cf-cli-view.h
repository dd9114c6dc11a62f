/* cf-cli-view.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cf-run.h"

G_BEGIN_DECLS

typedef enum
{
  CF_CLI_VIEW_PLAIN,     /* log lines only: pipes, files, CI logs */
  CF_CLI_VIEW_TERMINAL,  /* a live block of progress bars under the scrolling log */
  CF_CLI_VIEW_JSON,      /* one JSON object per event per line */
} CfCliViewMode;

#define CF_TYPE_CLI_VIEW (cf_cli_view_get_type ())

/* Shows a run on standard output while it runs, in one of three modes. */
G_DECLARE_FINAL_TYPE (CfCliView, cf_cli_view, CF, CLI_VIEW, GObject)

/* PLAIN or TERMINAL depending on whether standard output is a terminal, or JSON. */
CfCliViewMode  cf_cli_view_mode_detect (gboolean       json);

CfCliView     *cf_cli_view_new         (CfRun         *run,
                                        CfCliViewMode  mode);
/* A line of our own (not from the run), e.g. the Ctrl+C notice. */
void           cf_cli_view_log         (CfCliView     *self,
                                        const char    *line);
/*
 * Prints the end of the run: the summary and the failed scenes with their
 * reasons (a "finished" event in JSON), and removes the live block.
 */
void           cf_cli_view_finish      (CfCliView     *self,
                                        int            exit_status,
                                        const char    *message);

G_END_DECLS
