/* cf-application.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-account-store.h"

G_BEGIN_DECLS

#define CF_TYPE_APPLICATION (cf_application_get_type ())

G_DECLARE_FINAL_TYPE (CfApplication, cf_application, CF, APPLICATION, AdwApplication)

CfApplication  *cf_application_new               (void);

/* TRUE when started with --demo (or switched to the demo): the simulator serves the run. */
gboolean        cf_application_get_demo          (CfApplication *self);
/* Starts the in-process simulator; FALSE with an error if it cannot listen. */
gboolean        cf_application_start_demo        (CfApplication *self,
                                                  GError       **error);
/* The CfDemo when in demo mode (a GObject, see src/demo/cf-demo.h); NULL otherwise. */
GObject        *cf_application_get_demo_object   (CfApplication *self);
CfAccountStore *cf_application_get_account_store (CfApplication *self);

/*
 * The accounts a run uses: the demo's three in demo mode, else the store's
 * enabled accounts. A new array of new references.
 */
GPtrArray      *cf_application_dup_run_accounts  (CfApplication *self);

/* The app's settings, or NULL when the schema is not installed (an uninstalled build). */
GSettings      *cf_application_dup_settings      (void);

G_END_DECLS
