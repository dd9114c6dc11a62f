/* cf-account-strip-row.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-run-account.h"

G_BEGIN_DECLS

#define CF_TYPE_ACCOUNT_STRIP_ROW (cf_account_strip_row_get_type ())

/*
 * One account of a run: its progress (done of taken), takes in flight,
 * credits left, and its state (working, backing off 12 s, out and why).
 */
G_DECLARE_FINAL_TYPE (CfAccountStripRow, cf_account_strip_row, CF, ACCOUNT_STRIP_ROW, GtkFlowBoxChild)

GtkWidget    *cf_account_strip_row_new         (CfRunAccount      *account);
CfRunAccount *cf_account_strip_row_get_account (CfAccountStripRow *self);
/* e.g. "Working", "Backing off 12 s", "Out: tokens expired" (for tests). */
const char   *cf_account_strip_row_get_state_text (CfAccountStripRow *self);

G_END_DECLS
