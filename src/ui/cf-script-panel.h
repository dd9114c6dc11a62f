/* cf-script-panel.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-run-options.h"
#include "cf-scene-editor.h"
#include "cf-script.h"

G_BEGIN_DECLS

#define CF_TYPE_SCRIPT_PANEL (cf_script_panel_get_type ())

/* The Text to Video panel: a script's title, its scenes, the run options, Generate. */
G_DECLARE_FINAL_TYPE (CfScriptPanel, cf_script_panel, CF, SCRIPT_PANEL, GtkWidget)

GtkWidget     *cf_script_panel_new             (void);
CfScript      *cf_script_panel_get_script      (CfScriptPanel *self);
/* Shows script (the panel edits it in place); file: where it came from, or NULL. */
void           cf_script_panel_set_script      (CfScriptPanel *self,
                                                CfScript      *script,
                                                GFile         *file);
GFile         *cf_script_panel_get_file        (CfScriptPanel *self);
void           cf_script_panel_set_file        (CfScriptPanel *self,
                                                GFile         *file);
CfRunOptions  *cf_script_panel_get_run_options (CfScriptPanel *self);
CfSceneEditor *cf_script_panel_get_editor      (CfScriptPanel *self);

G_END_DECLS
