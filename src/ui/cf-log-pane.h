/* cf-log-pane.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CF_TYPE_LOG_PANE (cf_log_pane_get_type ())

/*
 * The run's log lines (level, time, text) in a collapsible pane, with copy
 * and save. Properties: model (GListModel of CfLogLine), expanded.
 */
G_DECLARE_FINAL_TYPE (CfLogPane, cf_log_pane, CF, LOG_PANE, GtkWidget)

GtkWidget  *cf_log_pane_new          (void);
GListModel *cf_log_pane_get_model    (CfLogPane  *self);
void        cf_log_pane_set_model    (CfLogPane  *self,
                                      GListModel *model);
gboolean    cf_log_pane_get_expanded (CfLogPane  *self);
void        cf_log_pane_set_expanded (CfLogPane  *self,
                                      gboolean    expanded);
/* Every line as text, one per line (what Copy puts on the clipboard). */
char       *cf_log_pane_dup_text     (CfLogPane  *self);

G_END_DECLS
