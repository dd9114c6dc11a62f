/* cf-error.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CF_ERROR (cf_error_quark ())

/*
 * One domain for everything the engine reports. Each code says what the
 * user (or the scheduler) can do about it, not where it came from.
 */
typedef enum
{
  CF_ERROR_FAILED,               /* nothing more specific is known */
  CF_ERROR_BAD_INPUT,            /* a script, a setting or a file the user gave is wrong */
  CF_ERROR_AUTH_EXPIRED,         /* the access token or API key was refused: paste a new one */
  CF_ERROR_NEEDS_VERIFICATION,   /* the service wants a browser check (reCAPTCHA, unusual activity) */
  CF_ERROR_ACCESS_DENIED,        /* the credentials are fine but not for this project / billing */
  CF_ERROR_MODEL_NOT_ALLOWED,    /* the account's tier lacks this model */
  CF_ERROR_THROTTLED,            /* too many requests or takes in flight: wait, then go slower */
  CF_ERROR_QUOTA,                /* credits or daily quota spent: the account is out for the run */
  CF_ERROR_POLICY,               /* the prompt was refused: edit it, never retried automatically */
  CF_ERROR_PROTOCOL,             /* the service answered in a shape we do not know */
  CF_ERROR_TRANSIENT,            /* 5xx, reset, timeout: retry with backoff */
  CF_ERROR_URL_EXPIRED,          /* a signed download URL expired: poll again for a fresh one */
  CF_ERROR_TIMED_OUT,            /* a take rendered longer than its time limit */
  CF_ERROR_OUTPUT,               /* the output file could not be written (full disk, permissions) */
  CF_ERROR_NO_SECRET_SERVICE,    /* no desktop secret store is running */
} CfErrorCode;

GQuark       cf_error_quark                (void);

const char  *cf_error_code_to_string       (CfErrorCode   code);
const char  *cf_error_code_describe        (CfErrorCode   code);

/* Extra data a CfError may carry (an extended GError, see G_DEFINE_EXTENDED_ERROR). */
gint64       cf_error_get_retry_after_ms   (const GError *error);
void         cf_error_set_retry_after_ms   (GError       *error,
                                            gint64        retry_after_ms);
const char  *cf_error_get_reason           (const GError *error);
void         cf_error_set_reason           (GError       *error,
                                            const char   *reason);

/* What the scheduler does with an error of this kind. */
gboolean     cf_error_is_account_fatal     (const GError *error);
gboolean     cf_error_is_retryable         (const GError *error);
gboolean     cf_error_is_scene_terminal    (const GError *error);

G_END_DECLS
