/* cf-secret-store.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-secret-store.h"

G_DEFINE_INTERFACE (CfSecretStore, cf_secret_store, G_TYPE_OBJECT)

static void
cf_secret_store_default_init (CfSecretStoreInterface *iface)
{
}

gboolean
cf_secret_store_store (CfSecretStore       *self,
                       const char          *account_id,
                       const char          *account_name,
                       const char * const  *secrets,
                       GCancellable        *cancellable,
                       GError             **error)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (CF_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL && account_id[0] != '\0', FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return CF_SECRET_STORE_GET_IFACE (self)->store (self, account_id,
                                                  account_name != NULL ? account_name : "",
                                                  secrets != NULL ? secrets : empty,
                                                  cancellable, error);
}

char **
cf_secret_store_lookup (CfSecretStore  *self,
                        const char     *account_id,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_return_val_if_fail (CF_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL && account_id[0] != '\0', NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return CF_SECRET_STORE_GET_IFACE (self)->lookup (self, account_id, cancellable, error);
}

gboolean
cf_secret_store_clear (CfSecretStore  *self,
                       const char     *account_id,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_return_val_if_fail (CF_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL && account_id[0] != '\0', FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return CF_SECRET_STORE_GET_IFACE (self)->clear (self, account_id, cancellable, error);
}
