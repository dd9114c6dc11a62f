/* cf-journal-private.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-journal.h"
#include "cf-take-handle.h"
#include "cf-types.h"

G_BEGIN_DECLS

/* The journal's line kinds (member "t"). */
#define CF_JOURNAL_RUN             "run"
#define CF_JOURNAL_RESUME          "resume"
#define CF_JOURNAL_SUBMIT          "submit"
#define CF_JOURNAL_ACCEPTED        "accepted"
#define CF_JOURNAL_REJECTED        "rejected"
#define CF_JOURNAL_STATE           "state"
#define CF_JOURNAL_DONE            "done"
#define CF_JOURNAL_FAILED          "failed"
#define CF_JOURNAL_DOWNLOAD_FAILED "download-failed"
#define CF_JOURNAL_TIMED_OUT       "timed-out"
/* An account left with the take accepted; it is made again elsewhere (see cf-worker.c). */
#define CF_JOURNAL_SUPERSEDED      "superseded"
/* The user asked a failed take to be made again: it is queued once more. */
#define CF_JOURNAL_RETRY           "retry"
#define CF_JOURNAL_END             "end"

/*
 * The writer: appends whole lines under a lock, from any thread. A line
 * that a later network call depends on is written with sync TRUE: it is on
 * the disk (fdatasync) before cf_journal_append() returns.
 */
typedef struct _CfJournal CfJournal;

/* Creates <run_dir> (0700) and opens its journal for appending (0600). */
CfJournal  *cf_journal_open    (const char  *run_dir,
                                GError     **error);
/* Adds "t" (kind) and "ts" (real time, µs) and writes the line. Takes line. */
gboolean    cf_journal_append  (CfJournal   *self,
                                const char  *kind,
                                JsonObject  *line,
                                gboolean     sync,
                                GError     **error);
const char *cf_journal_get_dir (CfJournal   *self);
void        cf_journal_close   (CfJournal   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfJournal, cf_journal_close)

/* What reading a journal back found out about one take. */
typedef enum
{
  CF_REPLAY_UNSUBMITTED,  /* never sent, or refused without charge: submit again */
  CF_REPLAY_UNCERTAIN,    /* a submit was sent and no answer was journalled */
  CF_REPLAY_HANDLE,       /* paid: a handle is known, not downloaded yet */
  CF_REPLAY_DONE,
  CF_REPLAY_FAILED,       /* final (policy...) */
} CfReplayStatus;

typedef struct
{
  CfReplayStatus  status;
  CfTakeHandle   *handle;
  char           *account_id;
  char           *account_name;
  char           *file;
  char           *remote_state;
  int             error_code;
  char           *reason;
  gint64          seed;
  gint64          submitted_time;
  gint64          finished_time;
  guint           attempts;
  gboolean        superseded;   /* its handle is kept until a new submit replaces it */
} CfReplayTake;

typedef struct
{
  guint         number;
  char         *title;
  char         *prompt;
  char         *negative_prompt;
  CfAspect      aspect;
  guint         n_takes;
  gint64        seed;
  CfReplayTake *takes;  /* n_takes of them */
} CfReplayScene;

typedef struct
{
  char       *run_id;
  char       *dir;
  char       *script_title;
  JsonObject *settings;
  GPtrArray  *scenes;     /* CfReplayScene */
  GPtrArray  *accounts;   /* JsonObject: id, name, kind */
  gint64      created;    /* µs */
  gint64      updated;    /* µs */
  gboolean    ended;
  char       *end_state;
} CfReplay;

/* Reads <run_dir>/journal.jsonl. A torn last line (a crash mid-write) is ignored. */
CfReplay   *cf_replay_read     (const char  *run_dir,
                                GError     **error);
void        cf_replay_free     (CfReplay    *replay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfReplay, cf_replay_free)

G_END_DECLS
