/* cf-scene-queue.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cf-take-handle.h"

G_BEGIN_DECLS

/* How many failures of one scene on one account move it to another account. */
#define CF_SCENE_QUEUE_MAX_FAILURES_PER_ACCOUNT 3

/*
 * A piece of work in the queue: some takes of one scene, submitted together
 * in one request. It remembers which accounts failed it, so that it can
 * avoid them.
 */
typedef struct
{
  guint    scene_index;       /* position in the run's scene list */
  guint    n_takes;
  guint    takes[16];         /* 1-based take numbers */
  int      assigned;          /* round-robin: the account it is dealt to; -1: any */
  guint8  *failures;          /* per account */
  guint    n_accounts;
  int      last_error_code;   /* -1: none */
  char    *last_error;        /* the last failure's message, for a final FAILED */
  /* A take already paid for (one that timed out and is asked for again):
   * its account polls this handle instead of submitting; NULL otherwise. */
  CfTakeHandle *handle;
  gint64   submitted_time;    /* with handle: when it was first submitted */
} CfSceneUnit;

CfSceneUnit *cf_scene_unit_new          (guint             scene_index,
                                         guint             n_accounts);
void         cf_scene_unit_add_take     (CfSceneUnit      *unit,
                                         guint             take_number);
/* A new unit for the same scene with the same failure record and no takes. */
CfSceneUnit *cf_scene_unit_new_sibling  (const CfSceneUnit *unit);
void         cf_scene_unit_free         (CfSceneUnit      *unit);
/* Counts a failure on account; TRUE when the unit must now avoid it. */
gboolean     cf_scene_unit_add_failure  (CfSceneUnit      *unit,
                                         guint             account,
                                         int               code,
                                         const char       *message);
/* The unit will not go to account again (the user retried it elsewhere). */
void         cf_scene_unit_avoid_account (CfSceneUnit     *unit,
                                          guint            account);
gboolean     cf_scene_unit_avoids       (const CfSceneUnit *unit,
                                         guint             account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfSceneUnit, cf_scene_unit_free)

/*
 * The run's one shared queue, and the few things the workers must agree on
 * (which accounts are still in, how many takes are still to end, whether
 * the run stops). One mutex and one condition: a worker with nothing to do
 * sleeps on it until something changes or its own next deadline.
 */
typedef struct _CfSceneQueue CfSceneQueue;

CfSceneQueue *cf_scene_queue_new            (guint          n_accounts);
void          cf_scene_queue_free           (CfSceneQueue  *self);

/* Takes unit. front: it goes before everything (a retry keeps its place). */
void          cf_scene_queue_push           (CfSceneQueue  *self,
                                             CfSceneUnit   *unit,
                                             gboolean       front);
/*
 * A retry while the run goes on: takes unit to the front of the queue and
 * counts its takes as outstanding, or returns FALSE (and does not take it)
 * when the run is stopping, its workers are leaving (nothing outstanding),
 * or no account still in may take it.
 */
gboolean      cf_scene_queue_push_while_running (CfSceneQueue *self,
                                                 CfSceneUnit  *unit);
/*
 * The next unit account may take with room takes free (any size if
 * any_size), or NULL. Units that avoid every account still in are removed
 * and added to exhausted: the caller fails them.
 */
CfSceneUnit  *cf_scene_queue_pop_for        (CfSceneQueue  *self,
                                             guint          account,
                                             guint          room,
                                             gboolean       any_size,
                                             GPtrArray     *exhausted);
/* Removes and returns every unit (stop, cancel, every account out). */
GPtrArray    *cf_scene_queue_drain          (CfSceneQueue  *self);
guint         cf_scene_queue_get_length     (CfSceneQueue  *self);

/* Takes not ended yet, wherever they are; the run is done at zero. */
void          cf_scene_queue_add_outstanding (CfSceneQueue *self,
                                              int           delta);
guint         cf_scene_queue_get_outstanding (CfSceneQueue *self);

/* The account leaves the run; returns how many are still in. Its dealt units become anyone's. */
guint         cf_scene_queue_account_out    (CfSceneQueue  *self,
                                             guint          account);
guint         cf_scene_queue_get_n_active   (CfSceneQueue  *self);

void          cf_scene_queue_stop           (CfSceneQueue  *self);
gboolean      cf_scene_queue_is_stopping    (CfSceneQueue  *self);

/* Wakes every sleeping worker (something changed outside the queue: cancel). */
void          cf_scene_queue_wake           (CfSceneQueue  *self);
/*
 * Sleeps until something changed since *seen, or until deadline
 * (g_get_monotonic_time() µs; -1: no deadline). Updates *seen.
 */
void          cf_scene_queue_wait           (CfSceneQueue  *self,
                                             guint64       *seen,
                                             gint64         deadline);
guint64       cf_scene_queue_get_changes    (CfSceneQueue  *self);

G_END_DECLS
