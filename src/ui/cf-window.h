/* cf-window.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-application.h"
#include "cf-run-controller.h"

G_BEGIN_DECLS

#define CF_TYPE_WINDOW (cf_window_get_type ())

G_DECLARE_FINAL_TYPE (CfWindow, cf_window, CF, WINDOW, AdwApplicationWindow)

CfWindow        *cf_window_new                (CfApplication *application);

CfRunController *cf_window_get_controller     (CfWindow      *self);
/* The Text to Video panel (a CfScriptPanel) and the Sales Video panel (a CfSalesPanel). */
GtkWidget       *cf_window_get_script_panel   (CfWindow      *self);
GtkWidget       *cf_window_get_sales_panel    (CfWindow      *self);
/* "script" or "sales". */
void             cf_window_set_visible_panel  (CfWindow      *self,
                                               const char    *name);
GtkWidget       *cf_window_get_job_grid       (CfWindow      *self);

/* Loads a script file into the Text to Video panel; errors become a toast. */
void             cf_window_open_script        (CfWindow      *self,
                                               GFile         *file);
void             cf_window_show_toast         (CfWindow      *self,
                                               const char    *message);

G_END_DECLS
