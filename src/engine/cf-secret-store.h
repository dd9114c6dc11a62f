/* cf-secret-store.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_TYPE_SECRET_STORE (cf_secret_store_get_type ())

/*
 * Where an account's tokens or key live. The desktop's Secret Service
 * (CfKeyringSecretStore) by default; a 0600 JSON file (CfFileSecretStore)
 * only when the user asks for it explicitly, on machines without one.
 */
G_DECLARE_INTERFACE (CfSecretStore, cf_secret_store, CF, SECRET_STORE, GObject)

struct _CfSecretStoreInterface
{
  GTypeInterface parent_iface;

  gboolean   (*store)  (CfSecretStore       *self,
                        const char          *account_id,
                        const char          *account_name,
                        const char * const  *secrets,
                        GCancellable        *cancellable,
                        GError             **error);
  char     **(*lookup) (CfSecretStore       *self,
                        const char          *account_id,
                        GCancellable        *cancellable,
                        GError             **error);
  gboolean   (*clear)  (CfSecretStore       *self,
                        const char          *account_id,
                        GCancellable        *cancellable,
                        GError             **error);
};

/* Replaces the account's secrets (tokens, or a one-element array with the API key). */
gboolean   cf_secret_store_store  (CfSecretStore       *self,
                                   const char          *account_id,
                                   const char          *account_name,
                                   const char * const  *secrets,
                                   GCancellable        *cancellable,
                                   GError             **error);
/* An empty array (not NULL) when the account has none; NULL only with an error. */
char     **cf_secret_store_lookup (CfSecretStore       *self,
                                   const char          *account_id,
                                   GCancellable        *cancellable,
                                   GError             **error);
gboolean   cf_secret_store_clear  (CfSecretStore       *self,
                                   const char          *account_id,
                                   GCancellable        *cancellable,
                                   GError             **error);

G_END_DECLS
