/* cf-run-account.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cf-types.h"

G_BEGIN_DECLS

#define CF_TYPE_RUN_ACCOUNT (cf_run_account_get_type ())

/*
 * How one account is doing in a run, for the accounts strip. Owned by the
 * CfRun, changed and notified on the main thread only (read-only
 * properties: name, id, health, in-flight, limit, done, failed, taken,
 * credits, backoff-until, out-code, out-reason).
 */
G_DECLARE_FINAL_TYPE (CfRunAccount, cf_run_account, CF, RUN_ACCOUNT, GObject)

const char      *cf_run_account_get_name          (CfRunAccount *self);
const char      *cf_run_account_get_id            (CfRunAccount *self);
/* READY, BACKING_OFF (see backoff-until) or OUT (see out-code, out-reason). */
CfAccountHealth  cf_run_account_get_health        (CfRunAccount *self);
/* Takes accepted and not finished yet. */
guint            cf_run_account_get_in_flight     (CfRunAccount *self);
/* Its current limit of takes in flight (adapts to throttling). */
guint            cf_run_account_get_limit         (CfRunAccount *self);
/* Takes it saved. */
guint            cf_run_account_get_done          (CfRunAccount *self);
/* Takes that failed on it. */
guint            cf_run_account_get_failed        (CfRunAccount *self);
/* Scenes it took from the queue (retries included). */
guint            cf_run_account_get_taken         (CfRunAccount *self);
/* Last known credits; -1: unknown. */
gint64           cf_run_account_get_credits       (CfRunAccount *self);
/* g_get_real_time() at which its backoff ends; 0: none. */
gint64           cf_run_account_get_backoff_until (CfRunAccount *self);
/* The CfErrorCode that put it out; -1 while it is in. */
int              cf_run_account_get_out_code      (CfRunAccount *self);
/* Why it is out and what to do, for the user; NULL while it is in. */
const char      *cf_run_account_get_out_reason    (CfRunAccount *self);

G_END_DECLS
