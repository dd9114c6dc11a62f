/* cf-worker.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account.h"
#include "cf-scheduler.h"

G_BEGIN_DECLS

/*
 * One account's worker: the body of its GTask. Made on the main thread with
 * an immutable snapshot (a copy of the account, the endpoints, the shared
 * scheduler), then run on one thread of the run's pool, where it makes its
 * own provider (and so its own SoupSession).
 */
typedef struct _CfWorker CfWorker;

CfWorker *cf_worker_new            (CfScheduler        *scheduler,
                                    guint               index,
                                    CfAccount          *account,
                                    CfEndpoints        *endpoints,
                                    const char         *model_key,
                                    guint               limit);
/* Resume: a take that was paid for before; the worker polls it from the start. */
void      cf_worker_add_known_take (CfWorker           *self,
                                    guint               scene_index,
                                    guint               take_number,
                                    const CfTakeHandle *handle,
                                    gint64              seed,
                                    gint64              submitted_time);
/* Blocks until the account has nothing left to do in this run. Pool thread. */
void      cf_worker_run            (CfWorker           *self);
void      cf_worker_free           (CfWorker           *self);

/*
 * How long to wait for a Retry-After of retry_after_ms: all of it (plus a
 * little jitter), capped at 15 minutes as a sanity bound (*capped says so).
 */
gint64    cf_worker_retry_after_usec (gint64            retry_after_ms,
                                      gboolean         *capped);

G_END_DECLS
