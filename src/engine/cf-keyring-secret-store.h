/* cf-keyring-secret-store.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-secret-store.h"

G_BEGIN_DECLS

#define CF_TYPE_KEYRING_SECRET_STORE (cf_keyring_secret_store_get_type ())

/*
 * Secrets in the desktop's Secret Service (GNOME Keyring, KWallet,
 * KeePassXC) through libsecret, one item per account.
 */
G_DECLARE_FINAL_TYPE (CfKeyringSecretStore, cf_keyring_secret_store, CF, KEYRING_SECRET_STORE, GObject)

CfSecretStore *cf_keyring_secret_store_new (void);

/*
 * Whether a Secret Service can be reached (running, or activatable on the
 * session bus). FALSE with CF_ERROR_NO_SECRET_SERVICE otherwise; the
 * command-line tool uses this to suggest --secrets-file.
 */
gboolean       cf_keyring_secret_store_check (CfKeyringSecretStore  *self,
                                              GCancellable          *cancellable,
                                              GError               **error);

G_END_DECLS
