/* cf-run.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account.h"
#include "cf-error.h"
#include "cf-journal.h"
#include "cf-run-account.h"
#include "cf-run-settings.h"
#include "cf-script.h"
#include "cf-take.h"

G_BEGIN_DECLS

/* Chosen from the number of accounts: one is SEQUENTIAL, more is PARALLEL. */
typedef enum
{
  CF_RUN_MODE_SEQUENTIAL,
  CF_RUN_MODE_PARALLEL,
} CfRunMode;

typedef enum
{
  CF_RUN_STATE_READY,      /* made, not started */
  CF_RUN_STATE_RUNNING,
  CF_RUN_STATE_STOPPING,   /* cf_run_stop(): no new submits, collecting what is paid for */
  CF_RUN_STATE_FINISHED,   /* every take ended (some may have failed) */
  CF_RUN_STATE_STOPPED,    /* ended after cf_run_stop() */
  CF_RUN_STATE_CANCELLED,  /* ended after cf_run_cancel(); handles are in the journal */
  CF_RUN_STATE_FAILED,     /* could not go on (every account out, journal unwritable...) */
} CfRunState;

#define CF_TYPE_RUN (cf_run_get_type ())

/*
 * One generation run: a script snapshot, the enabled accounts, the settings.
 * One worker (a GTask on the run's own GThreadPool) per account takes scenes
 * from a shared queue, submits, polls, downloads, and journals every step
 * to <state-dir>/<run-id>/journal.jsonl so that a crash loses nothing paid
 * for.
 *
 * All signals are emitted on the thread that called cf_run_start_async()
 * (normally the main thread), as are all notifications of the CfTake and
 * CfRunAccount objects it exposes.
 *
 * Signals:
 *  - log (const char *line): one line for the run log, never a secret.
 *  - take-changed (CfTake *take): a job card changed.
 *  - account-changed (CfRunAccount *account): an account's state changed.
 *  - progress (guint done, guint failed, guint total): counts of takes.
 *  - finished (void): the run ended; see cf_run_get_state() and
 *    cf_run_get_error(). Emitted before the start callback runs.
 *
 * Properties (read-only, notify): state, mode, id, n-done, n-failed, n-total.
 */
G_DECLARE_FINAL_TYPE (CfRun, cf_run, CF, RUN, GObject)

/*
 * A new run. Takes a snapshot of script and settings and a copy of each
 * account (CfAccount), so the caller may edit them afterwards. Disabled or
 * unusable accounts are skipped (and logged at start). Nothing touches the
 * network or the disk until cf_run_start_async().
 */
CfRun        *cf_run_new                     (CfScript        *script,
                                              GPtrArray       *accounts,
                                              CfRunSettings   *settings);

/*
 * A run that continues an earlier one from its journal:
 * journal_dir_or_run_id is a run directory (holding journal.jsonl) or a run
 * id under settings' state dir. Every known handle is polled again (by the
 * account that made it, matched by id then name), what finished is
 * downloaded, and scenes that never got a handle are submitted again. The
 * script, model, aspect, takes and output dir come from the journal;
 * settings gives the rest (endpoints, poll interval, time limit, strategy,
 * state dir; NULL: defaults). Takes whose submit was in flight at the crash
 * are UNCERTAIN: see cf_run_dup_uncertain_takes(). The resumed run appends
 * to the same journal and keeps the same id.
 */
CfRun        *cf_run_new_resume              (const char      *journal_dir_or_run_id,
                                              GPtrArray       *accounts,
                                              CfRunSettings   *settings,
                                              GError         **error);

/*
 * Starts the workers. The callback runs when the run has ended (after the
 * "finished" signal). Cancelling the cancellable is the same as
 * cf_run_cancel(). A run is started once.
 */
void          cf_run_start_async             (CfRun           *self,
                                              GCancellable    *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer         user_data);
/*
 * TRUE when the run ended normally (FINISHED or STOPPED), even if some
 * takes failed (see the counts). FALSE with G_IO_ERROR_CANCELLED after a
 * cancel, or with a CF_ERROR saying why and what to do (e.g. every account
 * is out).
 */
gboolean      cf_run_start_finish            (CfRun           *self,
                                              GAsyncResult    *result,
                                              GError         **error);

/* Stop submitting; keep polling and downloading what is already paid for. */
void          cf_run_stop                    (CfRun           *self);
/*
 * Queues a FAILED or TIMED_OUT take again while the run goes on (main
 * thread). A TIMED_OUT take is paid for and maybe still rendering: its
 * account polls its handle again, with a new time limit, and nothing is
 * submitted. A FAILED take is made again; where its account was the problem
 * it avoids that account, and the retry is journalled, so a resume after a
 * crash makes it again. FALSE with an error when the run is stopping or
 * ending, or no account still in may take it: retry it after the run then
 * (see cf_run_take_is_collectable()).
 */
gboolean      cf_run_retry_take              (CfRun           *self,
                                              CfTake          *take,
                                              GError         **error);
/*
 * TRUE for a take that failed while downloading, or timed out: it was paid
 * for, and its handle is in the journal. Such a take is never made again:
 * a resume of the run (cf_run_new_resume()) polls and downloads it.
 */
gboolean      cf_run_take_is_collectable     (CfRun           *self,
                                              CfTake          *take);
/* Abandon everything now; the journal keeps the handles for a later resume. */
void          cf_run_cancel                  (CfRun           *self);

/* e.g. "20261125-114700-3f9a"; the journal directory's name. */
const char   *cf_run_get_id                  (CfRun           *self);
/* <state-dir>/<run-id>: where the journal is (written from the start on). */
const char   *cf_run_get_journal_dir         (CfRun           *self);
CfRunMode     cf_run_get_mode                (CfRun           *self);
CfRunState    cf_run_get_state               (CfRun           *self);
/* Why the run FAILED (or was cancelled); NULL otherwise. */
const GError *cf_run_get_error               (CfRun           *self);
/* The run's own snapshot; do not change it. */
CfRunSettings *cf_run_get_settings           (CfRun           *self);
const char   *cf_run_get_script_title        (CfRun           *self);

/*
 * A GListModel of CfTake, one per scene × take, in script order, all made
 * QUEUED when the run is made. Changes only on the main thread.
 */
GListModel   *cf_run_get_takes               (CfRun           *self);
/* A GListModel of CfRunAccount, one per account taking part. */
GListModel   *cf_run_get_accounts            (CfRun           *self);

guint         cf_run_get_n_done              (CfRun           *self);
guint         cf_run_get_n_failed            (CfRun           *self);
guint         cf_run_get_n_total             (CfRun           *self);

/*
 * Resume only: the takes that may have been charged without our knowing
 * (their submit was in flight at the crash). New array of new references.
 */
GPtrArray    *cf_run_dup_uncertain_takes     (CfRun           *self);
/*
 * Resume only, before start: submit the uncertain takes again (the user
 * accepts that they may be paid twice). Default FALSE: they stay UNCERTAIN.
 */
void          cf_run_set_resubmit_uncertain  (CfRun           *self,
                                              gboolean         resubmit);

const char   *cf_run_mode_to_string          (CfRunMode        mode);
const char   *cf_run_state_to_string         (CfRunState       state);

G_END_DECLS
