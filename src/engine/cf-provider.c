/* cf-provider.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-gemini-provider.h"
#include "cf-labs-provider.h"
#include "cf-provider.h"

G_DEFINE_INTERFACE (CfProvider, cf_provider, G_TYPE_OBJECT)

static void
cf_provider_default_init (CfProviderInterface *iface)
{
}

CfProvider *
cf_provider_new_for_account (CfAccount   *account,
                             CfEndpoints *endpoints)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (endpoints != NULL, NULL);

  if (cf_account_get_kind (account) == CF_ACCOUNT_KIND_GEMINI)
    return CF_PROVIDER (cf_gemini_provider_new (account, endpoints));

  return CF_PROVIDER (cf_labs_provider_new (account, endpoints));
}

gboolean
cf_provider_check_account (CfProvider    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CF_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return CF_PROVIDER_GET_IFACE (self)->check_account (self, cancellable, error);
}

gboolean
cf_provider_submit (CfProvider             *self,
                    const CfSubmitRequest  *request,
                    CfSubmitResult         *result,
                    GCancellable           *cancellable,
                    GError                **error)
{
  g_return_val_if_fail (CF_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (request->prompt != NULL, FALSE);
  g_return_val_if_fail (request->n_takes > 0, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result->handles = NULL;
  result->remaining_credits = -1;

  return CF_PROVIDER_GET_IFACE (self)->submit (self, request, result, cancellable, error);
}

GPtrArray *
cf_provider_poll (CfProvider    *self,
                  GPtrArray     *handles,
                  gint64        *remaining_credits,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (CF_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (handles != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (remaining_credits != NULL)
    *remaining_credits = -1;

  return CF_PROVIDER_GET_IFACE (self)->poll (self, handles, remaining_credits, cancellable, error);
}

gboolean
cf_provider_download (CfProvider          *self,
                      const CfTakeHandle  *handle,
                      const CfTakeStatus  *status,
                      const char          *path,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_return_val_if_fail (CF_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (handle != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return CF_PROVIDER_GET_IFACE (self)->download (self, handle, status, path, cancellable, error);
}

void
cf_submit_result_clear (CfSubmitResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->handles, g_ptr_array_unref);
  result->remaining_credits = -1;
}

CfTakeStatus *
cf_take_status_new (CfRemoteState state)
{
  CfTakeStatus *status = g_new0 (CfTakeStatus, 1);

  status->state = state;

  return status;
}

void
cf_take_status_free (CfTakeStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->raw_status);
  g_free (status->download_url);
  g_free (status->media_name);
  g_free (status->inline_video);
  g_clear_error (&status->error);
  g_free (status);
}
