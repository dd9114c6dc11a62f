/* cf-demo.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account.h"
#include "cf-endpoints.h"
#include "cf-run-settings.h"
#include "cf-script.h"

G_BEGIN_DECLS

#define CF_TYPE_DEMO (cf_demo_get_type ())

/*
 * The demo shared by clipfleet-cli and the app: the simulator running in
 * this process with three accounts, and a sample script of ten scenes.
 * The Google services are SIMULATED; nothing leaves the machine. No GTK
 * here, so that the command-line tool can link it.
 */
G_DECLARE_FINAL_TYPE (CfDemo, cf_demo, CF, DEMO, GObject)

/* Starts the simulator on 127.0.0.1 (a free port). */
CfDemo      *cf_demo_start           (GError **error);

/* http://127.0.0.1:PORT */
const char  *cf_demo_get_base_url    (CfDemo  *self);
CfEndpoints *cf_demo_get_endpoints   (CfDemo  *self);
/* Three CfAccount (Account-A, -B, -C), enabled, with the simulator's fake tokens. */
GPtrArray   *cf_demo_get_accounts    (CfDemo  *self);
/* The sample script; callers that edit it should edit a cf_script_copy(). */
CfScript    *cf_demo_get_script      (CfDemo  *self);
/*
 * Points settings at the demo: its endpoints, a poll interval fit for renders
 * of seconds rather than minutes, one take per scene, and the demo's output
 * folder when settings has none.
 */
void         cf_demo_configure_settings (CfDemo        *self,
                                         CfRunSettings *settings);
/* The simulator's /__sim/stats, as JSON text. */
char        *cf_demo_dup_stats_json  (CfDemo  *self);
/* Real seconds per simulated second (the demo's own is about 0.15); tests make it faster. */
void         cf_demo_set_time_scale  (CfDemo  *self,
                                      double   time_scale);
/* Stops the simulator (also done when the last reference goes). */
void         cf_demo_stop            (CfDemo  *self);

/* The demo's default output folder: <Videos>/Clipfleet Demo. */
char        *cf_demo_dup_default_output_dir (void);

G_END_DECLS
