/* cf-provider.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account.h"
#include "cf-endpoints.h"
#include "cf-take-handle.h"
#include "cf-types.h"

G_BEGIN_DECLS

#define CF_TYPE_PROVIDER (cf_provider_get_type ())

/*
 * A service an account talks to. Every call blocks and is made from the
 * account's worker thread; a provider belongs to that one thread and owns
 * its own SoupSession. Errors are CF_ERROR (see cf-error.h), or
 * G_IO_ERROR_CANCELLED when the cancellable fired.
 */
G_DECLARE_INTERFACE (CfProvider, cf_provider, CF, PROVIDER, GObject)

typedef struct
{
  const char   *prompt;
  const char   *negative_prompt;  /* nullable */
  CfAspect      aspect;           /* never CF_ASPECT_DEFAULT */
  const char   *model_key;
  guint         n_takes;
  gint64        seed;             /* first seed; takes use consecutive seeds; -1: none */
  /* Labs: one UUID per take, made (and journalled) by the caller before the send. */
  const char * const *client_ids;
} CfSubmitRequest;

typedef struct
{
  GPtrArray *handles;             /* CfTakeHandle: what the service accepted, maybe fewer */
  gint64     remaining_credits;   /* -1: not said */
} CfSubmitResult;

typedef enum
{
  CF_REMOTE_PENDING,
  CF_REMOTE_ACTIVE,
  CF_REMOTE_SUCCEEDED,
  CF_REMOTE_FAILED,
  CF_REMOTE_UNKNOWN,              /* a status we do not know: still running, logged once */
} CfRemoteState;

typedef struct
{
  CfRemoteState  state;
  char          *raw_status;      /* the service's word, for the log */
  char          *download_url;    /* SUCCEEDED: where the MP4 is, if the answer said */
  char          *media_name;      /* SUCCEEDED without URL: for the redirect route */
  char          *inline_video;    /* Gemini: base64 MP4 given inline instead of a URL */
  GError        *error;           /* FAILED: why (CF_ERROR_POLICY with the reason, ...) */
} CfTakeStatus;

struct _CfProviderInterface
{
  GTypeInterface parent_iface;

  gboolean (*check_account) (CfProvider             *self,
                             GCancellable           *cancellable,
                             GError                **error);
  gboolean (*submit)        (CfProvider             *self,
                             const CfSubmitRequest  *request,
                             CfSubmitResult         *result,
                             GCancellable           *cancellable,
                             GError                **error);
  GPtrArray *(*poll)        (CfProvider             *self,
                             GPtrArray              *handles,
                             gint64                 *remaining_credits,
                             GCancellable           *cancellable,
                             GError                **error);
  gboolean (*download)      (CfProvider             *self,
                             const CfTakeHandle     *handle,
                             const CfTakeStatus     *status,
                             const char             *path,
                             GCancellable           *cancellable,
                             GError                **error);
};

/* A provider for the account's kind, with a copy of it for the worker's own use. */
CfProvider   *cf_provider_new_for_account (CfAccount              *account,
                                           CfEndpoints            *endpoints);

/* A cheap call that spends no credits: TRUE if ready, else why not (auth, project, verification). */
gboolean      cf_provider_check_account   (CfProvider             *self,
                                           GCancellable           *cancellable,
                                           GError                **error);
/* Submits all takes of one scene in one call. On success result->handles is set. */
gboolean      cf_provider_submit          (CfProvider             *self,
                                           const CfSubmitRequest  *request,
                                           CfSubmitResult         *result,
                                           GCancellable           *cancellable,
                                           GError                **error);
/*
 * One status request for all of the account's takes in flight (on Gemini,
 * one GET per distinct operation). Returns CfTakeStatus in the order of
 * handles; an error only when the whole poll failed.
 */
GPtrArray    *cf_provider_poll            (CfProvider             *self,
                                           GPtrArray              *handles,
                                           gint64                 *remaining_credits,
                                           GCancellable           *cancellable,
                                           GError                **error);
/*
 * Streams a finished take to path + ".part", checks "ftyp" at byte 4, and
 * renames it to path. Never holds the whole video in memory (except what a
 * Gemini inline answer already held). CF_ERROR_URL_EXPIRED means: poll again
 * for a fresh URL, then retry; never submit again.
 */
gboolean      cf_provider_download        (CfProvider             *self,
                                           const CfTakeHandle     *handle,
                                           const CfTakeStatus     *status,
                                           const char             *path,
                                           GCancellable           *cancellable,
                                           GError                **error);

void          cf_submit_result_clear      (CfSubmitResult         *result);
CfTakeStatus *cf_take_status_new          (CfRemoteState           state);
void          cf_take_status_free         (CfTakeStatus           *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfTakeStatus, cf_take_status_free)

G_END_DECLS
