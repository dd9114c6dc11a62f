/* cf-run-options.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-run-settings.h"

G_BEGIN_DECLS

#define CF_TYPE_RUN_OPTIONS (cf_run_options_get_type ())

/* The run options of a panel: model, aspect, takes per scene, output folder. */
G_DECLARE_FINAL_TYPE (CfRunOptions, cf_run_options, CF, RUN_OPTIONS, AdwPreferencesGroup)

GtkWidget     *cf_run_options_new          (void);
/* Shows base's model, aspect, takes and output folder (the preferences). */
void           cf_run_options_set_base     (CfRunOptions  *self,
                                            CfRunSettings *base);
/* A copy of base with what the user chose here. */
CfRunSettings *cf_run_options_dup_settings (CfRunOptions  *self,
                                            CfRunSettings *base);

const char    *cf_run_options_get_model_key   (CfRunOptions *self);
CfAspect       cf_run_options_get_aspect      (CfRunOptions *self);
guint          cf_run_options_get_takes       (CfRunOptions *self);
const char    *cf_run_options_get_output_dir  (CfRunOptions *self);
void           cf_run_options_set_output_dir  (CfRunOptions *self,
                                               const char   *output_dir);

G_END_DECLS
