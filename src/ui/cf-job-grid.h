/* cf-job-grid.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-take.h"

G_BEGIN_DECLS

#define CF_TYPE_JOB_GRID (cf_job_grid_get_type ())

/*
 * The run's takes as job cards in a GtkGridView: only the cards on screen
 * exist, so a thousand takes scroll as smoothly as ten.
 *
 * Signals: retry (CfTake *take): the user asked a failed take to be retried.
 */
G_DECLARE_FINAL_TYPE (CfJobGrid, cf_job_grid, CF, JOB_GRID, GtkWidget)

GtkWidget   *cf_job_grid_new            (void);
GListModel  *cf_job_grid_get_model      (CfJobGrid  *self);
/* A GListModel of CfTake. */
void         cf_job_grid_set_model      (CfJobGrid  *self,
                                         GListModel *model);
GtkGridView *cf_job_grid_get_grid_view  (CfJobGrid  *self);
void         cf_job_grid_request_retry  (CfJobGrid  *self,
                                         CfTake     *take);

G_END_DECLS
