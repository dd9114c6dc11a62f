/* cf-run-controller.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-application.h"
#include "cf-run.h"

G_BEGIN_DECLS

#define CF_TYPE_RUN_CONTROLLER (cf_run_controller_get_type ())

/*
 * Drives the window's runs: builds a CfRun from a script, the panel's run
 * options, the preferences and the accounts (the demo's in demo mode),
 * starts, stops and cancels it, and keeps stable list models of its takes,
 * accounts and log lines for the views, so that they bind once.
 *
 * Properties (read-only): run, running, fraction, progress-text.
 * Signals: finished (guint done, guint failed, guint total, const char *error_message or NULL;
 * a cancel has no message).
 */
G_DECLARE_FINAL_TYPE (CfRunController, cf_run_controller, CF, RUN_CONTROLLER, GObject)

CfRunController *cf_run_controller_new                 (CfApplication    *application);

/* GListModel of CfTake (every take of the current run, and of its retries). */
GListModel      *cf_run_controller_get_takes           (CfRunController  *self);
/* GListModel of CfRunAccount. */
GListModel      *cf_run_controller_get_accounts        (CfRunController  *self);
/* GListModel of CfLogLine, oldest first. */
GListModel      *cf_run_controller_get_log             (CfRunController  *self);

CfRun           *cf_run_controller_get_run             (CfRunController  *self);
gboolean         cf_run_controller_get_running         (CfRunController  *self);
double           cf_run_controller_get_fraction        (CfRunController  *self);
const char      *cf_run_controller_get_progress_text   (CfRunController  *self);

/*
 * Settings from the preferences (and the demo's simulator, endpoints and
 * output folder in demo mode): what the run options start from.
 */
CfRunSettings   *cf_run_controller_dup_base_settings   (CfRunController  *self);

/*
 * Runs use these accounts instead of the application's (the demo's or the
 * store's): benchmarks and tests. NULL goes back to the application's.
 */
void             cf_run_controller_set_accounts        (CfRunController  *self,
                                                        GPtrArray        *accounts);

/* FALSE with CF_ERROR_BAD_INPUT when there is nothing to run or no account. */
gboolean         cf_run_controller_start               (CfRunController  *self,
                                                        CfScript         *script,
                                                        CfRunSettings    *settings,
                                                        GError          **error);
/* Continues an unfinished run from its journal directory. */
gboolean         cf_run_controller_resume              (CfRunController  *self,
                                                        const char       *run_dir,
                                                        GError          **error);
/*
 * Runs one failed take's scene again in a run of its own, on another
 * account when the failure was the account's. Only when no run is going.
 */
gboolean         cf_run_controller_retry               (CfRunController  *self,
                                                        CfTake           *take,
                                                        GError          **error);
/* No new submits; what is paid for is still collected. */
void             cf_run_controller_stop                (CfRunController  *self);
/* Abandon now; the journal keeps the handles. */
void             cf_run_controller_cancel              (CfRunController  *self);

void             cf_run_controller_append_log          (CfRunController  *self,
                                                        const char       *text);
void             cf_run_controller_clear_log           (CfRunController  *self);

G_END_DECLS
