/* cf-account-strip.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CF_TYPE_ACCOUNT_STRIP (cf_account_strip_get_type ())

/* The accounts of a run, one tile each; hidden while there is no run. */
G_DECLARE_FINAL_TYPE (CfAccountStrip, cf_account_strip, CF, ACCOUNT_STRIP, GtkWidget)

GtkWidget  *cf_account_strip_new       (void);
/* A GListModel of CfRunAccount. */
void        cf_account_strip_set_model (CfAccountStrip *self,
                                        GListModel     *model);
GListModel *cf_account_strip_get_model (CfAccountStrip *self);
/* The tile of the n-th account (a CfAccountStripRow), or NULL. */
GtkWidget  *cf_account_strip_get_row   (CfAccountStrip *self,
                                        guint           position);

G_END_DECLS
