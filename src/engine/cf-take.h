/* cf-take.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Where one take of a run stands; the job card shows it. */
typedef enum
{
  CF_TAKE_STATE_QUEUED,       /* waiting in the run's queue */
  CF_TAKE_STATE_SUBMITTING,   /* the submit request is on its way */
  CF_TAKE_STATE_PENDING,      /* accepted (paid), not rendering yet */
  CF_TAKE_STATE_RENDERING,    /* the service is rendering it */
  CF_TAKE_STATE_DOWNLOADING,  /* rendered, the MP4 is being saved */
  CF_TAKE_STATE_DONE,         /* the file is saved (see file-path) */
  CF_TAKE_STATE_FAILED,       /* see error-code and error-reason; handle-name set if it was paid */
  CF_TAKE_STATE_TIMED_OUT,    /* still rendering after the time limit; its handle is kept */
  CF_TAKE_STATE_CANCELLED,    /* the run was stopped or cancelled before this take ended */
  CF_TAKE_STATE_UNCERTAIN,    /* resume only: a submit was in flight at the crash, it may be paid */
} CfTakeState;

#define CF_TYPE_TAKE (cf_take_get_type ())

/*
 * One take of one scene in a run: everything a job card shows. Owned by the
 * CfRun, changed and notified on the main thread only (read-only properties:
 * scene-number, scene-title, take-number, prompt, account-name, account-id,
 * state, error-code, error-reason, queued-time, submitted-time,
 * started-time, finished-time, file-path, handle-name, credits, seed,
 * attempts).
 */
G_DECLARE_FINAL_TYPE (CfTake, cf_take, CF, TAKE, GObject)

guint        cf_take_get_scene_number   (CfTake *self);
/* May be NULL: not every scene has a title. */
const char  *cf_take_get_scene_title    (CfTake *self);
/* 1-based. */
guint        cf_take_get_take_number    (CfTake *self);
const char  *cf_take_get_prompt         (CfTake *self);
/* The account that holds (or last tried) it; NULL while queued. */
const char  *cf_take_get_account_name   (CfTake *self);
const char  *cf_take_get_account_id     (CfTake *self);
CfTakeState  cf_take_get_state          (CfTake *self);
/* A CfErrorCode when the take failed or met a retry; -1: none. */
int          cf_take_get_error_code     (CfTake *self);
/* A sentence for the user (the service's reason for a policy refusal); NULL: none. */
const char  *cf_take_get_error_reason   (CfTake *self);
/* g_get_real_time() values; 0: not yet. */
gint64       cf_take_get_queued_time    (CfTake *self);
gint64       cf_take_get_submitted_time (CfTake *self);
gint64       cf_take_get_started_time   (CfTake *self);
gint64       cf_take_get_finished_time  (CfTake *self);
/* The saved MP4, when DONE. */
const char  *cf_take_get_file_path      (CfTake *self);
/* The service's name for the paid generation; NULL until accepted. */
const char  *cf_take_get_handle_name    (CfTake *self);
/* The account's credits after this take was accepted; -1: unknown. */
gint64       cf_take_get_credits        (CfTake *self);
/* The seed sent; -1: none. */
gint64       cf_take_get_seed           (CfTake *self);
/* How many submits were tried for it (retries included). */
guint        cf_take_get_attempts       (CfTake *self);

const char  *cf_take_state_to_string    (CfTakeState state);
/* DONE, FAILED, TIMED_OUT, CANCELLED: nothing more happens to it in this run. */
gboolean     cf_take_state_is_final     (CfTakeState state);

G_END_DECLS
