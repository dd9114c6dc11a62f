/* cf-scheduler.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-account.h"
#include "cf-journal-private.h"
#include "cf-run-account-private.h"
#include "cf-run-settings.h"
#include "cf-scene-queue.h"
#include "cf-take-handle.h"
#include "cf-take.h"

G_BEGIN_DECLS

/*
 * The part of a run that its workers share: an immutable description of the
 * work (scenes, settings, accounts), the queue, the journal, and the event
 * batch that carries what happened to the main thread. Reference counted
 * and thread-safe; it never touches a GObject the UI sees.
 */

typedef struct
{
  guint     number;
  char     *title;
  char     *prompt;
  char     *negative_prompt;
  CfAspect  aspect;        /* resolved: never DEFAULT */
  guint     n_takes;       /* resolved */
  gint64    seed;          /* -1: the engine picks one per submit */
  guint     first_take;    /* index of its take 1 in the run's take list */
} CfSchedScene;

void cf_sched_scene_free (CfSchedScene *scene);

typedef enum
{
  CF_RUN_EVENT_LOG,
  CF_RUN_EVENT_TAKE,
  CF_RUN_EVENT_ACCOUNT,
} CfRunEventKind;

/* Which fields of a take event to apply. */
typedef enum
{
  CF_TAKE_FIELD_STATE     = 1 << 0,
  CF_TAKE_FIELD_ACCOUNT   = 1 << 1,
  CF_TAKE_FIELD_ERROR     = 1 << 2,
  CF_TAKE_FIELD_SUBMITTED = 1 << 3,
  CF_TAKE_FIELD_STARTED   = 1 << 4,
  CF_TAKE_FIELD_FINISHED  = 1 << 5,
  CF_TAKE_FIELD_FILE      = 1 << 6,
  CF_TAKE_FIELD_HANDLE    = 1 << 7,
  CF_TAKE_FIELD_CREDITS   = 1 << 8,
  CF_TAKE_FIELD_SEED      = 1 << 9,
  CF_TAKE_FIELD_ATTEMPTS  = 1 << 10,
} CfTakeFields;

typedef struct
{
  CfRunEventKind        kind;
  guint                 index;       /* take or account index */
  /* CF_RUN_EVENT_LOG */
  char                 *text;
  /* CF_RUN_EVENT_TAKE */
  CfTakeFields          fields;
  CfTakeState           state;
  guint                 account;
  int                   error_code;
  char                 *reason;
  gint64                time;        /* for SUBMITTED/STARTED/FINISHED */
  char                 *file;
  char                 *handle_name;
  /* With state TIMED_OUT: the handle it keeps, for a retry to poll again. */
  CfTakeHandle         *handle;
  gint64                credits;
  gint64                seed;
  guint                 attempts;
  /* CF_RUN_EVENT_ACCOUNT */
  CfRunAccountSnapshot  snapshot;
} CfRunEvent;

CfRunEvent *cf_run_event_new  (CfRunEventKind kind,
                               guint          index);
void        cf_run_event_free (CfRunEvent    *event);

typedef struct _CfScheduler CfScheduler;

/* Applies a batch of events on the main thread; given to cf_scheduler_new(). */
typedef void (*CfSchedulerApplyFunc) (GObject     *target,
                                      CfScheduler *scheduler,
                                      GPtrArray   *events);

struct _CfScheduler
{
  gint            ref_count;

  /* Immutable once the workers start. */
  CfRunSettings  *settings;
  char           *script_title;
  GPtrArray      *scenes;         /* CfSchedScene */
  guint           n_takes;
  GPtrArray      *accounts;       /* CfAccount copies (never handed to another thread) */
  char           *output_dir;
  guint           poll_interval_ms;
  guint           take_time_limit_ms;
  guint           backoff_ms;
  guint           backoff_max_ms;
  CfJournal      *journal;
  CfSceneQueue   *queue;
  GCancellable   *cancellable;
  gulong          cancelled_id;

  /* Counts for the log ("Scene 4 started on Account-B (4/10)"). */
  gint            n_started;
  gint           *scene_started;   /* per scene, atomic 0/1 */

  /* The event batch. */
  GMutex          mutex;
  GPtrArray      *events;
  gboolean        dispatch_pending;
  GMainContext   *context;
  GWeakRef        target;
  guint           generation;
  CfSchedulerApplyFunc apply;
  guint           n_dispatches;
  guint           n_events;

  /* Why accounts left, and the first fatal error of the run (under mutex). */
  GPtrArray      *out_reasons;
  GArray         *out_codes;       /* int */
  gint            all_out;         /* atomic gboolean */
  GError         *fatal_error;
};

/*
 * target is the main-thread object that applies events (the run); only a
 * weak reference is kept, and batches for a target that is gone, or whose
 * generation moved on, are dropped.
 */
CfScheduler *cf_scheduler_new               (GObject              *target,
                                             guint                 generation,
                                             CfSchedulerApplyFunc  apply,
                                             CfRunSettings        *settings,
                                             GCancellable         *cancellable);
CfScheduler *cf_scheduler_ref               (CfScheduler          *self);
void         cf_scheduler_unref             (CfScheduler          *self);

/*
 * Main thread, once scenes and accounts are in: makes the queue and wakes
 * the workers when the cancellable fires.
 */
void         cf_scheduler_begin             (CfScheduler          *self);

/* Thread-safe; takes event. Schedules one dispatch on the run's context if none is pending. */
void         cf_scheduler_push_event        (CfScheduler          *self,
                                             CfRunEvent           *event);
void         cf_scheduler_log               (CfScheduler          *self,
                                             const char           *format,
                                             ...) G_GNUC_PRINTF (2, 3);
/* Main thread: applies whatever is pending now (used before "finished"). */
void         cf_scheduler_flush             (CfScheduler          *self);
guint        cf_scheduler_get_n_dispatches  (CfScheduler          *self);

/* Records an error that ends the run (journal unwritable...) and cancels it. */
void         cf_scheduler_fail              (CfScheduler          *self,
                                             const GError         *error);
/* A copy of the first fatal error, or NULL. */
GError      *cf_scheduler_dup_fatal_error   (CfScheduler          *self);
void         cf_scheduler_add_out_reason    (CfScheduler          *self,
                                             const char           *account_name,
                                             int                   code,
                                             const char           *reason);
/* The error for "every account is out": why, and what to do. */
GError      *cf_scheduler_new_all_out_error (CfScheduler          *self);
/* "Account-A: …; Account-B: …" */
char        *cf_scheduler_dup_out_reasons   (CfScheduler          *self);

/* Appends to the journal; on failure the run fails (see cf_scheduler_fail()). */
gboolean     cf_scheduler_journal           (CfScheduler          *self,
                                             const char           *kind,
                                             JsonObject           *line,
                                             gboolean              sync);

/* A take's index in the run's list. */
guint        cf_scheduler_take_index        (CfScheduler          *self,
                                             guint                 scene_index,
                                             guint                 take_number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfScheduler, cf_scheduler_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfRunEvent, cf_run_event_free)

G_END_DECLS
