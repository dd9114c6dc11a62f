/* cf-account-store.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account.h"
#include "cf-secret-store.h"

G_BEGIN_DECLS

#define CF_TYPE_ACCOUNT_STORE (cf_account_store_get_type ())

/*
 * The user's accounts, as a GListModel of CfAccount. Non-secret fields live
 * in <config_dir>/accounts.json (atomic writes, mode 0600); tokens and keys
 * only in the CfSecretStore.
 */
G_DECLARE_FINAL_TYPE (CfAccountStore, cf_account_store, CF, ACCOUNT_STORE, GObject)

/* config_dir NULL: $XDG_CONFIG_HOME/clipfleet. */
CfAccountStore *cf_account_store_new              (const char      *config_dir,
                                                   CfSecretStore   *secrets);
CfSecretStore  *cf_account_store_get_secret_store (CfAccountStore  *self);
const char     *cf_account_store_get_config_dir   (CfAccountStore  *self);
/* <config_dir>/accounts.json. */
char           *cf_account_store_dup_accounts_path (CfAccountStore *self);

/* Reads accounts.json and each account's secrets. A missing file is an empty store. */
gboolean        cf_account_store_load             (CfAccountStore  *self,
                                                   GCancellable    *cancellable,
                                                   GError         **error);
/* Writes accounts.json and every account's secrets. */
gboolean        cf_account_store_save             (CfAccountStore  *self,
                                                   GCancellable    *cancellable,
                                                   GError         **error);

/*
 * The same, with the file and secret store work in a thread, so that a
 * keyring waiting on its unlock prompt does not freeze the window. Call
 * and finish on the main thread; the list changes only in _finish().
 */
void            cf_account_store_load_async       (CfAccountStore      *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        cf_account_store_load_finish      (CfAccountStore  *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);
/* Saves what the accounts hold when called; later changes go in the next save. */
void            cf_account_store_save_async       (CfAccountStore      *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        cf_account_store_save_finish      (CfAccountStore  *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);

void            cf_account_store_add              (CfAccountStore  *self,
                                                   CfAccount       *account);
/* Removes the account and its secrets. */
gboolean        cf_account_store_remove           (CfAccountStore  *self,
                                                   CfAccount       *account,
                                                   GCancellable    *cancellable,
                                                   GError         **error);
CfAccount      *cf_account_store_find             (CfAccountStore  *self,
                                                   const char      *id_or_name);
/* The enabled accounts, in list order (a new array of new references). */
GPtrArray      *cf_account_store_dup_enabled      (CfAccountStore  *self);

/*
 * Imports the accounts of the PyQt app Clipfleet replaces from its
 * config.json: "labs_accounts" (name, project_id, tokens, enabled) and the
 * legacy top-level "tokens" with "default_project_id" as one more account.
 * Accounts already present (same project id and name) are not duplicated.
 * Returns how many were added, or -1 with an error. Does not save.
 */
int             cf_account_store_import_legacy    (CfAccountStore  *self,
                                                   GFile           *config_json,
                                                   GError         **error);

G_END_DECLS
