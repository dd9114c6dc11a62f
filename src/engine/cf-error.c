/* cf-error.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cf-error.h"

/*
 * The throttling wait and the service's own reason code travel inside the
 * GError itself, so that they survive g_propagate_error() and g_error_copy()
 * across the worker threads without a side channel.
 */
typedef struct
{
  gint64  retry_after_ms;
  char   *reason;
} CfErrorPrivate;

static void
cf_error_private_init (CfErrorPrivate *priv)
{
  priv->retry_after_ms = -1;
  priv->reason = NULL;
}

static void
cf_error_private_copy (const CfErrorPrivate *src,
                       CfErrorPrivate       *dest)
{
  dest->retry_after_ms = src->retry_after_ms;
  dest->reason = g_strdup (src->reason);
}

static void
cf_error_private_clear (CfErrorPrivate *priv)
{
  g_clear_pointer (&priv->reason, g_free);
}

G_DEFINE_EXTENDED_ERROR (CfError, cf_error)

static CfErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != CF_ERROR)
    return NULL;

  return cf_error_get_private (error);
}

gint64
cf_error_get_retry_after_ms (const GError *error)
{
  CfErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after_ms : -1;
}

void
cf_error_set_retry_after_ms (GError *error,
                             gint64  retry_after_ms)
{
  CfErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  priv->retry_after_ms = retry_after_ms;
}

const char *
cf_error_get_reason (const GError *error)
{
  CfErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->reason : NULL;
}

void
cf_error_set_reason (GError     *error,
                     const char *reason)
{
  CfErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  if (priv->reason != reason)
    {
      g_free (priv->reason);
      priv->reason = g_strdup (reason);
    }
}

const char *
cf_error_code_to_string (CfErrorCode code)
{
  switch (code)
    {
    case CF_ERROR_FAILED: return "failed";
    case CF_ERROR_BAD_INPUT: return "bad-input";
    case CF_ERROR_AUTH_EXPIRED: return "auth-expired";
    case CF_ERROR_NEEDS_VERIFICATION: return "needs-verification";
    case CF_ERROR_ACCESS_DENIED: return "access-denied";
    case CF_ERROR_MODEL_NOT_ALLOWED: return "model-not-allowed";
    case CF_ERROR_THROTTLED: return "throttled";
    case CF_ERROR_QUOTA: return "quota";
    case CF_ERROR_POLICY: return "policy";
    case CF_ERROR_PROTOCOL: return "protocol";
    case CF_ERROR_TRANSIENT: return "transient";
    case CF_ERROR_URL_EXPIRED: return "url-expired";
    case CF_ERROR_TIMED_OUT: return "timed-out";
    case CF_ERROR_OUTPUT: return "output";
    case CF_ERROR_NO_SECRET_SERVICE: return "no-secret-service";
    default: return "unknown";
    }
}

/* A short phrase for the user, as shown on a job card or account row. */
const char *
cf_error_code_describe (CfErrorCode code)
{
  switch (code)
    {
    case CF_ERROR_FAILED: return _("Failed");
    case CF_ERROR_BAD_INPUT: return _("Invalid input");
    case CF_ERROR_AUTH_EXPIRED: return _("Tokens expired");
    case CF_ERROR_NEEDS_VERIFICATION: return _("Needs verification");
    case CF_ERROR_ACCESS_DENIED: return _("Access denied");
    case CF_ERROR_MODEL_NOT_ALLOWED: return _("Model not allowed");
    case CF_ERROR_THROTTLED: return _("Throttled");
    case CF_ERROR_QUOTA: return _("Quota spent");
    case CF_ERROR_POLICY: return _("Prompt refused");
    case CF_ERROR_PROTOCOL: return _("Unexpected answer");
    case CF_ERROR_TRANSIENT: return _("Temporary failure");
    case CF_ERROR_URL_EXPIRED: return _("Download link expired");
    case CF_ERROR_TIMED_OUT: return _("Timed out");
    case CF_ERROR_OUTPUT: return _("Could not save");
    case CF_ERROR_NO_SECRET_SERVICE: return _("No secret store");
    default: return _("Failed");
    }
}

/* The account cannot go on in this run; its queued scenes move to others. */
gboolean
cf_error_is_account_fatal (const GError *error)
{
  if (error == NULL || error->domain != CF_ERROR)
    return FALSE;

  switch ((CfErrorCode) error->code)
    {
    case CF_ERROR_AUTH_EXPIRED:
    case CF_ERROR_NEEDS_VERIFICATION:
    case CF_ERROR_ACCESS_DENIED:
    case CF_ERROR_MODEL_NOT_ALLOWED:
    case CF_ERROR_QUOTA:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Worth trying again on the same account after a backoff. */
gboolean
cf_error_is_retryable (const GError *error)
{
  if (error == NULL)
    return FALSE;

  /* Network failures below us (reset, refused, timeout) are transient too. */
  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (error->domain != CF_ERROR)
    return FALSE;

  switch ((CfErrorCode) error->code)
    {
    case CF_ERROR_TRANSIENT:
    case CF_ERROR_THROTTLED:
    case CF_ERROR_URL_EXPIRED:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Final for the scene wherever it runs: retrying elsewhere would not help. */
gboolean
cf_error_is_scene_terminal (const GError *error)
{
  if (error == NULL || error->domain != CF_ERROR)
    return FALSE;

  switch ((CfErrorCode) error->code)
    {
    case CF_ERROR_POLICY:
    case CF_ERROR_PROTOCOL:
    case CF_ERROR_BAD_INPUT:
    case CF_ERROR_OUTPUT:
      return TRUE;
    default:
      return FALSE;
    }
}
