/* cf-sales-panel.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-run-options.h"
#include "cf-sales-brief.h"
#include "cf-scene-editor.h"

G_BEGIN_DECLS

#define CF_TYPE_SALES_PANEL (cf_sales_panel_get_type ())

/*
 * The Sales Video panel: a brief form, Create Sales Script (which fills an
 * editable scene list), the run options and Generate Scene Videos.
 */
G_DECLARE_FINAL_TYPE (CfSalesPanel, cf_sales_panel, CF, SALES_PANEL, GtkWidget)

GtkWidget     *cf_sales_panel_new             (void);
/* A new brief from what the form holds. */
CfSalesBrief  *cf_sales_panel_dup_brief       (CfSalesPanel  *self);
/* Fills the form. */
void           cf_sales_panel_set_brief       (CfSalesPanel  *self,
                                               CfSalesBrief  *brief);
/* Replaces the scene list by the brief's script; FALSE (and the form says why) if it is incomplete. */
gboolean       cf_sales_panel_create_script   (CfSalesPanel  *self,
                                               GError       **error);
CfScript      *cf_sales_panel_get_script      (CfSalesPanel  *self);
CfRunOptions  *cf_sales_panel_get_run_options (CfSalesPanel  *self);
CfSceneEditor *cf_sales_panel_get_editor      (CfSalesPanel  *self);

G_END_DECLS
