/* cf-journal.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A run's journal: <state-dir>/<run-id>/journal.jsonl, one JSON object per
 * line. The first line holds the script and the settings; every later line
 * is one state change of a take. It names accounts by name and id, never by
 * a token or a key.
 */

#define CF_JOURNAL_FILE_NAME "journal.jsonl"

#define CF_TYPE_RUN_INFO (cf_run_info_get_type ())

/* What the runs list shows about one journal (the CLI's `runs`, the UI's resume offer). */
typedef struct
{
  char    *run_id;
  char    *dir;             /* <state-dir>/<run-id> */
  char    *script_title;    /* may be NULL */
  gint64   created;         /* unix seconds */
  gint64   updated;         /* unix seconds of the last journal line */
  guint    n_scenes;
  guint    n_takes;
  guint    n_done;
  guint    n_failed;        /* final failures (policy...) */
  guint    n_pending;       /* paid for (a handle is known) but not downloaded yet */
  guint    n_unsubmitted;   /* never got a handle: resume submits them */
  guint    n_uncertain;     /* a submit was in flight at the end: may be paid */
  gboolean ended;           /* the run wrote its end line */
  char    *end_state;       /* "finished", "stopped", "cancelled", "failed"; NULL if it did not end */
} CfRunInfo;

GType      cf_run_info_get_type  (void) G_GNUC_CONST;
CfRunInfo *cf_run_info_copy      (const CfRunInfo *self);
void       cf_run_info_free      (CfRunInfo       *self);
/* Something a resume would still do: pending, unsubmitted or uncertain takes. */
gboolean   cf_run_info_is_resumable (const CfRunInfo *self);

/*
 * The runs under state_dir (NULL: $XDG_STATE_HOME/clipfleet/runs), newest
 * first, as CfRunInfo. A missing folder is an empty list; an unreadable
 * journal is skipped.
 */
GPtrArray *cf_journal_list_runs  (const char  *state_dir,
                                  GError     **error);
/* One run's info from its directory. */
CfRunInfo *cf_journal_read_info  (const char  *run_dir,
                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfRunInfo, cf_run_info_free)

G_END_DECLS
