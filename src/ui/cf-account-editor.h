/* cf-account-editor.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-account-store.h"

G_BEGIN_DECLS

#define CF_TYPE_ACCOUNT_EDITOR (cf_account_editor_get_type ())

/*
 * The subpage of the preferences that adds an account or edits one: kind,
 * name, project and tokens (Labs) or API key (Gemini), and the account's own
 * limits. Saving writes the store (tokens to the secret store) and emits
 * "done"; so does going back, without saving.
 */
G_DECLARE_FINAL_TYPE (CfAccountEditor, cf_account_editor, CF, ACCOUNT_EDITOR, GtkBox)

/* account NULL: a new account, added to the store on save. */
GtkWidget *cf_account_editor_new         (CfAccountStore  *store,
                                          CfAccount       *account);
/* The account being edited; NULL while adding. */
CfAccount *cf_account_editor_get_account (CfAccountEditor *self);

G_END_DECLS
