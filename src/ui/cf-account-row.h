/* cf-account-row.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-account.h"

G_BEGIN_DECLS

#define CF_TYPE_ACCOUNT_ROW (cf_account_row_get_type ())

/*
 * One account in the preferences' list: its name, a summary of what it
 * holds (never the secrets themselves), a Test button with the result of
 * the last test, and the switch that takes it in or out of runs.
 */
G_DECLARE_FINAL_TYPE (CfAccountRow, cf_account_row, CF, ACCOUNT_ROW, AdwActionRow)

typedef enum
{
  CF_ACCOUNT_ROW_TEST_NONE,
  CF_ACCOUNT_ROW_TEST_RUNNING,
  CF_ACCOUNT_ROW_TEST_PASSED,
  CF_ACCOUNT_ROW_TEST_FAILED,
} CfAccountRowTest;

GtkWidget        *cf_account_row_new            (CfAccount        *account);
CfAccount        *cf_account_row_get_account    (CfAccountRow     *self);
CfAccountRowTest  cf_account_row_get_test_state (CfAccountRow     *self);
/* message: why a test failed, shown as the result icon's tooltip. */
void              cf_account_row_set_test_state (CfAccountRow     *self,
                                                 CfAccountRowTest  state,
                                                 const char       *message);

G_END_DECLS
