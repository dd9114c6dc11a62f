/* cf-worker.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>

#include "cf-download.h"
#include "cf-error.h"
#include "cf-output-name.h"
#include "cf-provider.h"
#include "cf-worker.h"

/*
 * Download attempts for one take before it is left for a later resume: the
 * first one and exactly three retries with backoff (labs-flow.md 5c).
 */
#define MAX_DOWNLOAD_FAILURES 4
/* A sanity bound on the service's Retry-After: beyond it the answer is likely bogus. */
#define MAX_RETRY_AFTER_MS (15 * 60 * 1000)
/* Successful submits before the limit grows back by one... */
#define GROW_STREAK 4
/* ...and before it tries again the level that was refused. */
#define PROBE_STREAK 40
/* The longest a worker sleeps without looking around. */
#define MAX_SLEEP_USEC (G_USEC_PER_SEC)

typedef struct
{
  guint         scene_index;
  guint         take_number;
  guint         take_index;
  CfTakeHandle *handle;
  CfTakeState   state;
  gint64        submitted_mono;
  gint64        submitted_real;
  gint64        started_real;
  gint64        seed;
  CfTakeStatus *ready;            /* SUCCEEDED status with where to download from */
  gboolean      need_fresh;       /* the URL expired or failed: poll again first */
  gboolean      announced;        /* "ready" was logged */
  gboolean      learn;            /* its render time teaches the expected render time */
  guint         download_failures;
  gint64        download_after;
  gint64        seen_unready;     /* monotonic; the last poll that found it not ready */
  CfSceneUnit  *origin;           /* an empty sibling of its unit, for a retry */
} WorkerTake;

struct _CfWorker
{
  CfScheduler  *sched;
  guint         index;
  CfAccount    *account;
  CfEndpoints  *endpoints;
  char         *model_key;
  char         *name;
  GPtrArray    *takes;            /* WorkerTake in flight */

  /* Only the worker's thread touches what follows once it runs. */
  CfProvider   *provider;
  guint         cap;
  guint         limit;
  guint         ceiling;
  guint         streak;
  guint         probe_streak;     /* successes before trying the refused level again */
  guint         consecutive_errors;
  gint64        backoff_until;    /* monotonic */
  gint64        backoff_until_real;
  gint64        next_poll;        /* monotonic; 0: nothing in flight */
  gint64        last_poll;        /* monotonic; when the last poll was sent */
  gint64        poll_not_before;  /* monotonic; a throttled poll waits until then */
  gint64        render_mean;      /* µs from submit to ready, learnt; 0: unknown */
  gint64        render_dev;       /* mean absolute deviation of the same */
  CfRunAccountSnapshot reported;  /* what the main thread last heard (out_reason unused) */
  gboolean      has_reported;
  gboolean      out;
  int           out_code;
  char         *out_reason;
  guint         done;
  guint         failed;
  guint         taken;
  gint64        credits;
};

static void
worker_take_free (WorkerTake *take)
{
  g_clear_pointer (&take->handle, cf_take_handle_free);
  g_clear_pointer (&take->ready, cf_take_status_free);
  g_clear_pointer (&take->origin, cf_scene_unit_free);
  g_free (take);
}

CfWorker *
cf_worker_new (CfScheduler *scheduler,
               guint        index,
               CfAccount   *account,
               CfEndpoints *endpoints,
               const char  *model_key,
               guint        limit)
{
  CfWorker *self = g_new0 (CfWorker, 1);

  self->sched = cf_scheduler_ref (scheduler);
  self->index = index;
  self->account = cf_account_copy (account);
  self->endpoints = endpoints ? cf_endpoints_ref (endpoints) : NULL;
  self->model_key = g_strdup (model_key);
  self->name = g_strdup (cf_account_get_name (account));
  self->takes = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_take_free);
  self->cap = MAX (limit, 1);
  self->limit = self->cap;
  self->probe_streak = PROBE_STREAK;
  self->credits = cf_account_get_last_credits (account);
  self->out_code = -1;

  return self;
}

void
cf_worker_free (CfWorker *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->provider);
  g_clear_pointer (&self->takes, g_ptr_array_unref);
  g_clear_object (&self->account);
  g_clear_pointer (&self->endpoints, cf_endpoints_unref);
  g_clear_pointer (&self->sched, cf_scheduler_unref);
  g_free (self->model_key);
  g_free (self->name);
  g_free (self->out_reason);
  g_free (self);
}

static CfSchedScene *
scene_at (CfWorker *self,
          guint     scene_index)
{
  return g_ptr_array_index (self->sched->scenes, scene_index);
}

void
cf_worker_add_known_take (CfWorker           *self,
                          guint               scene_index,
                          guint               take_number,
                          const CfTakeHandle *handle,
                          gint64              seed,
                          gint64              submitted_time)
{
  WorkerTake *take;

  g_return_if_fail (self != NULL);
  g_return_if_fail (handle != NULL);

  take = g_new0 (WorkerTake, 1);
  take->scene_index = scene_index;
  take->take_number = take_number;
  take->take_index = cf_scheduler_take_index (self->sched, scene_index, take_number);
  take->handle = cf_take_handle_copy (handle);
  take->state = CF_TAKE_STATE_PENDING;
  /* Its time limit starts again: it was not watched while the app was down. */
  take->submitted_mono = g_get_monotonic_time ();
  take->seen_unready = take->submitted_mono;
  take->submitted_real = submitted_time;
  take->seed = seed;
  take->origin = cf_scene_unit_new (scene_index, self->sched->accounts->len);
  g_ptr_array_add (self->takes, take);
}

/* Events */

static void
report_account (CfWorker *self)
{
  CfRunEvent *event = cf_run_event_new (CF_RUN_EVENT_ACCOUNT, self->index);
  CfRunAccountSnapshot *snap = &event->snapshot;
  gint64 now = g_get_monotonic_time ();

  if (self->out)
    snap->health = CF_ACCOUNT_HEALTH_OUT;
  else if (self->backoff_until > now)
    snap->health = CF_ACCOUNT_HEALTH_BACKING_OFF;
  else
    snap->health = CF_ACCOUNT_HEALTH_READY;
  snap->in_flight = self->takes->len;
  snap->limit = self->limit;
  snap->done = self->done;
  snap->failed = self->failed;
  snap->taken = self->taken;
  snap->credits = self->credits;
  snap->backoff_until = self->backoff_until > now ? self->backoff_until_real : 0;
  snap->out_code = self->out ? self->out_code : -1;

  /*
   * Called after every poll: an unchanged snapshot would only wake the main
   * thread for nothing, for every account, at every poll interval.
   */
  if (self->has_reported &&
      snap->health == self->reported.health &&
      snap->in_flight == self->reported.in_flight &&
      snap->limit == self->reported.limit &&
      snap->done == self->reported.done &&
      snap->failed == self->reported.failed &&
      snap->taken == self->reported.taken &&
      snap->credits == self->reported.credits &&
      snap->backoff_until == self->reported.backoff_until &&
      snap->out_code == self->reported.out_code)
    {
      cf_run_event_free (event);
      return;
    }
  self->reported = *snap;
  self->has_reported = TRUE;

  snap->out_reason = self->out ? g_strdup (self->out_reason) : NULL;
  cf_scheduler_push_event (self->sched, event);
}

static CfRunEvent *
take_event (CfWorker    *self,
            guint        take_index,
            CfTakeState  state)
{
  CfRunEvent *event = cf_run_event_new (CF_RUN_EVENT_TAKE, take_index);

  event->fields = CF_TAKE_FIELD_STATE;
  event->state = state;
  event->account = self->index;

  return event;
}

static void
push_take_state (CfWorker    *self,
                 guint        take_index,
                 CfTakeState  state)
{
  cf_scheduler_push_event (self->sched, take_event (self, take_index, state));
}

static const char *
error_reason (const GError *error)
{
  /* The service's own words (a policy reason) say more than our sentence. */
  const char *reason = cf_error_get_reason (error);

  if (reason != NULL && *reason != '\0' &&
      error->domain == CF_ERROR && error->code == CF_ERROR_POLICY)
    return reason;
  return error->message;
}

static int
error_code (const GError *error)
{
  if (error->domain == CF_ERROR)
    return error->code;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return -1;
  return CF_ERROR_TRANSIENT;
}

/* Journal helpers */

static JsonObject *
take_line (guint scene_number,
           guint take_number)
{
  JsonObject *line = json_object_new ();

  json_object_set_int_member (line, "scene", scene_number);
  json_object_set_int_member (line, "take", take_number);
  return line;
}

static void
journal_take (CfWorker   *self,
              const char *kind,
              WorkerTake *take,
              int         code,
              const char *reason,
              gboolean    final)
{
  JsonObject *line = take_line (scene_at (self, take->scene_index)->number, take->take_number);

  json_object_set_string_member (line, "account_id", cf_account_get_id (self->account));
  if (code >= 0)
    json_object_set_int_member (line, "code", code);
  if (reason != NULL)
    json_object_set_string_member (line, "reason", reason);
  if (g_str_equal (kind, CF_JOURNAL_FAILED))
    json_object_set_boolean_member (line, "final", final);

  cf_scheduler_journal (self->sched, kind, line, FALSE);
}

/* Backoff */

gint64
cf_worker_retry_after_usec (gint64    retry_after_ms,
                            gboolean *capped)
{
  gint64 ms = retry_after_ms;

  if (capped != NULL)
    *capped = FALSE;
  if (ms > MAX_RETRY_AFTER_MS)
    {
      ms = MAX_RETRY_AFTER_MS;
      if (capped != NULL)
        *capped = TRUE;
    }
  /* Never earlier than the service asked; a little later so workers do not come back together. */
  ms += g_random_int_range (0, (gint32) MAX (ms / 10, 1) + 1);

  return MAX (ms, 1) * 1000;
}

static gint64
backoff_usec (CfWorker     *self,
              const GError *error)
{
  gint64 retry_after = error ? cf_error_get_retry_after_ms (error) : -1;
  gint64 ms;

  if (retry_after > 0)
    {
      gboolean capped;
      gint64 usec = cf_worker_retry_after_usec (retry_after, &capped);

      /* The service's wait is honoured in full, not clamped to our own backoff limit. */
      if (capped)
        cf_scheduler_log (self->sched,
                          _("%s: the service asked to wait %" G_GINT64_FORMAT " s; "
                            "waiting %d s instead"),
                          self->name, retry_after / 1000, MAX_RETRY_AFTER_MS / 1000);
      return usec;
    }
  else
    {
      guint shift = MIN (self->consecutive_errors, 16);
      double base = (double) self->sched->backoff_ms * (1u << (shift > 0 ? shift - 1 : 0));

      base = MIN (base, (double) self->sched->backoff_max_ms);
      ms = (gint64) (base * g_random_double_range (0.75, 1.25));
    }

  ms = CLAMP (ms, 1, (gint64) self->sched->backoff_max_ms);
  return ms * 1000;
}

static void
back_off (CfWorker     *self,
          const GError *error)
{
  gint64 wait = backoff_usec (self, error);

  self->backoff_until = g_get_monotonic_time () + wait;
  self->backoff_until_real = g_get_real_time () + wait;
}

/* Going out */

static void
fail_take_final (CfWorker    *self,
                 WorkerTake  *take,
                 CfTakeState  state,
                 int          code,
                 const char  *reason);
static void
give_back_kept  (CfWorker    *self,
                 CfSceneUnit *unit);

static void
go_out (CfWorker     *self,
        const GError *error)
{
  guint n_active;

  if (self->out)
    return;

  self->out = TRUE;
  self->out_code = error_code (error);
  self->out_reason = g_strdup (error->message);
  cf_scheduler_add_out_reason (self->sched, self->name, self->out_code, error->message);
  cf_scheduler_log (self->sched, _("%s is out of the run: %s"), self->name, error->message);

  n_active = cf_scene_queue_account_out (self->sched->queue, self->index);
  report_account (self);

  if (n_active == 0)
    {
      g_autoptr(GPtrArray) units = cf_scene_queue_drain (self->sched->queue);
      g_autoptr(GError) all_out = cf_scheduler_new_all_out_error (self->sched);

      g_atomic_int_set (&self->sched->all_out, TRUE);
      cf_scheduler_log (self->sched, "%s", all_out->message);

      for (guint i = 0; i < units->len; i++)
        {
          CfSceneUnit *unit = g_ptr_array_index (units, i);

          if (unit->handle != NULL)
            {
              give_back_kept (self, unit);
              continue;
            }

          for (guint t = 0; t < unit->n_takes; t++)
            {
              CfRunEvent *event;

              event = take_event (self,
                                  cf_scheduler_take_index (self->sched, unit->scene_index,
                                                           unit->takes[t]),
                                  CF_TAKE_STATE_FAILED);
              event->fields |= CF_TAKE_FIELD_ERROR | CF_TAKE_FIELD_FINISHED;
              event->error_code = all_out->code;
              event->reason = g_strdup (all_out->message);
              event->time = g_get_real_time ();
              /* Not the account's failure: the take never reached it. */
              event->fields &= ~CF_TAKE_FIELD_ACCOUNT;
              cf_scheduler_push_event (self->sched, event);
            }
          cf_scene_queue_add_outstanding (self->sched->queue, -(int) unit->n_takes);
        }
    }
}

static gboolean save_take       (CfWorker     *self,
                                 guint         i,
                                 GError      **error);
static void     fail_unit_final (CfWorker     *self,
                                 CfSceneUnit  *unit,
                                 int           code,
                                 const char   *reason,
                                 gboolean      journal);

/*
 * The takes of an account that left the run can no longer be collected by
 * it. Unless nothing else can make them (every account out, stopping), their
 * scenes go back to the shared queue so that the run still finishes every
 * scene, at the price of maybe paying twice.
 *
 * The journal gets a "superseded" line naming the old handle. On replay a
 * superseded take keeps its old handle until the journal shows it submitted
 * again: a resume that finds no new submit collects the old handle (with
 * fresh tokens) instead of paying again; once a new submit is journalled
 * the new attempt wins and the old handle is not collected, so a take never
 * ends up with two files. The old handle stays readable in the journal.
 */
static void
requeue_take (CfWorker     *self,
              WorkerTake   *take,
              const GError *error)
{
  CfSchedScene *scene = scene_at (self, take->scene_index);
  CfSceneUnit *unit = g_steal_pointer (&take->origin);
  JsonObject *line;
  CfRunEvent *event;

  if (unit == NULL)
    unit = cf_scene_unit_new (take->scene_index, self->sched->accounts->len);
  cf_scene_unit_add_take (unit, take->take_number);

  line = take_line (scene->number, take->take_number);
  json_object_set_string_member (line, "account_id", cf_account_get_id (self->account));
  json_object_set_int_member (line, "code", error_code (error));
  json_object_set_string_member (line, "reason", error->message);
  json_object_set_member (line, "handle", cf_take_handle_to_json (take->handle));
  cf_scheduler_journal (self->sched, CF_JOURNAL_SUPERSEDED, line, FALSE);

  if (g_error_matches (error, CF_ERROR, CF_ERROR_AUTH_EXPIRED))
    cf_scheduler_log (self->sched,
                      _("Scene %u take %u was accepted by %s, whose tokens expired before it "
                        "could be collected; generating it again on another account (it may "
                        "be charged twice). Its handle stays in the journal."),
                      scene->number, take->take_number, self->name);
  else
    cf_scheduler_log (self->sched,
                      _("Scene %u take %u was accepted by %s, which left the run before it "
                        "could be collected (%s); generating it again on another account (it "
                        "may be charged twice). Its handle stays in the journal."),
                      scene->number, take->take_number, self->name, error->message);

  event = take_event (self, take->take_index, CF_TAKE_STATE_QUEUED);
  event->fields |= CF_TAKE_FIELD_ERROR;
  event->error_code = error_code (error);
  event->reason = g_strdup (error->message);
  cf_scheduler_push_event (self->sched, event);

  cf_scene_queue_push (self->sched->queue, unit, TRUE);
}

/* Every account left after units were pushed back: nobody can take them. */
static void
fail_stranded_units (CfWorker *self)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GError) all_out = NULL;

  if (cf_scene_queue_get_n_active (self->sched->queue) > 0)
    return;

  units = cf_scene_queue_drain (self->sched->queue);
  if (units->len == 0)
    return;

  all_out = cf_scheduler_new_all_out_error (self->sched);
  for (guint i = 0; i < units->len; i++)
    {
      CfSceneUnit *unit = g_ptr_array_index (units, i);

      fail_unit_final (self, unit, all_out->code, all_out->message, FALSE);
    }
}

/* A failure of the whole account while takes are in flight (polling refused). */
static void
abandon_takes (CfWorker     *self,
               const GError *error)
{
  g_autofree char *reason = NULL;
  gboolean requeued = FALSE;

  reason = g_strdup_printf (_("%s. The take is paid for and kept in the journal: "
                              "resume the run once the account works again."),
                            error->message);

  for (guint i = self->takes->len; i > 0; i--)
    {
      WorkerTake *take = g_ptr_array_index (self->takes, i - 1);

      /* Rendered, with a signed URL that needs no bearer: collect it still. */
      if (take->ready != NULL && take->ready->state == CF_REMOTE_SUCCEEDED)
        {
          g_autoptr(GError) download_error = NULL;

          if (save_take (self, i - 1, &download_error))
            continue;
          g_debug ("%s: the rendered scene %u take %u could not be downloaded after leaving "
                   "the run: %s", self->name, scene_at (self, take->scene_index)->number,
                   take->take_number, download_error->message);
        }

      if (g_atomic_int_get (&self->sched->all_out) ||
          cf_scene_queue_is_stopping (self->sched->queue) ||
          g_cancellable_is_cancelled (self->sched->cancellable))
        fail_take_final (self, take, CF_TAKE_STATE_FAILED, error_code (error), reason);
      else
        {
          requeue_take (self, take, error);
          requeued = TRUE;
        }
      g_ptr_array_remove_index (self->takes, i - 1);
    }

  if (requeued)
    fail_stranded_units (self);
}

/* Ends a take in flight (not removed from the array here). */
static void
fail_take_final (CfWorker    *self,
                 WorkerTake  *take,
                 CfTakeState  state,
                 int          code,
                 const char  *reason)
{
  CfRunEvent *event = take_event (self, take->take_index, state);

  event->fields |= CF_TAKE_FIELD_ERROR | CF_TAKE_FIELD_FINISHED;
  event->error_code = code;
  event->reason = g_strdup (reason);
  event->time = g_get_real_time ();
  /* Paid for and maybe still rendering: a retry polls it again (adopt_unit()). */
  if (state == CF_TAKE_STATE_TIMED_OUT)
    event->handle = cf_take_handle_copy (take->handle);
  cf_scheduler_push_event (self->sched, event);

  self->failed++;
  cf_scene_queue_add_outstanding (self->sched->queue, -1);
}

static void
fail_unit_final (CfWorker    *self,
                 CfSceneUnit *unit,
                 int          code,
                 const char  *reason,
                 gboolean     journal)
{
  CfSchedScene *scene = scene_at (self, unit->scene_index);

  cf_scheduler_log (self->sched, _("Scene %u failed: %s"), scene->number, reason);

  for (guint t = 0; t < unit->n_takes; t++)
    {
      CfRunEvent *event;

      event = take_event (self,
                          cf_scheduler_take_index (self->sched, unit->scene_index, unit->takes[t]),
                          CF_TAKE_STATE_FAILED);
      event->fields |= CF_TAKE_FIELD_ERROR | CF_TAKE_FIELD_FINISHED;
      event->error_code = code;
      event->reason = g_strdup (reason);
      event->time = g_get_real_time ();
      cf_scheduler_push_event (self->sched, event);

      if (journal)
        {
          JsonObject *line = take_line (scene->number, unit->takes[t]);

          json_object_set_int_member (line, "code", code);
          json_object_set_string_member (line, "reason", reason);
          json_object_set_boolean_member (line, "final", TRUE);
          cf_scheduler_journal (self->sched, CF_JOURNAL_FAILED, line, FALSE);
        }
    }

  self->failed += unit->n_takes;
  cf_scene_queue_add_outstanding (self->sched->queue, -(int) unit->n_takes);
}

/*
 * A take's render time, seen through polls: it ended between the last poll
 * that found it unready and the one that found it ready, so the middle of
 * the two is the best guess whatever the polls' spacing. A moving average
 * and a moving mean deviation of it tell when the takes in flight are due.
 */
static void
learn_render_time (CfWorker   *self,
                   WorkerTake *take,
                   gint64      now)
{
  gint64 observed = (take->seen_unready + now) / 2 - take->submitted_mono;

  if (observed <= 0)
    return;
  if (self->render_mean == 0)
    {
      self->render_mean = observed;
      self->render_dev = observed / 8;
    }
  else
    {
      gint64 deviation = ABS (observed - self->render_mean);

      self->render_mean = (self->render_mean * 3 + observed) / 4;
      self->render_dev = (self->render_dev * 3 + deviation) / 4;
    }
}

static gboolean
needs_poll (WorkerTake *take)
{
  return take->ready == NULL || take->need_fresh;
}

/*
 * When to poll next. A take is due from its expected render time minus
 * twice the spread seen so far; from then on it is polled at the run's poll
 * interval, so that a finished take waits at most one interval for its
 * download. Before that, while every take is young, a poll every quarter
 * of a render (never more often than the interval) is enough to notice
 * early failures: a render of 90 s polled every 5 s would otherwise cost
 * 18 requests for the one that matters. Until the account has seen a take
 * finish, and for takes resumed from a journal, every poll interval.
 */
static gint64
next_poll_time (CfWorker *self,
                gint64    last_poll)
{
  gint64 interval = (gint64) self->sched->poll_interval_ms * 1000;
  gint64 young = MAX (interval, self->render_mean / 4);
  gint64 next = G_MAXINT64;
  gboolean any = FALSE;

  for (guint i = 0; i < self->takes->len; i++)
    {
      WorkerTake *take = g_ptr_array_index (self->takes, i);
      gint64 due;

      if (!needs_poll (take))
        continue;
      any = TRUE;

      if (take->need_fresh || !take->learn || self->render_mean == 0)
        due = take->submitted_mono + interval;
      else
        due = take->submitted_mono + MAX (0, self->render_mean - 2 * self->render_dev);

      if (due <= last_poll + interval)
        next = MIN (next, last_poll + interval);
      else if (last_poll == 0)
        next = MIN (next, due);
      else
        next = MIN (next, MIN (due, last_poll + young));
    }

  /* Nothing to poll (every take waits for its download): not before it needs to. */
  if (!any)
    return G_MAXINT64;
  return MAX (next, self->poll_not_before);
}

/*
 * Takes that hold one of the service's slots: pending or rendering. A
 * rendered take waiting for its download no longer does, so the next
 * submit does not wait for the download.
 */
static guint
slots_used (CfWorker *self)
{
  guint used = 0;

  for (guint i = 0; i < self->takes->len; i++)
    {
      WorkerTake *take = g_ptr_array_index (self->takes, i);

      if (take->ready == NULL)
        used++;
    }
  return used;
}

/* Submitting */

static void
on_throttled (CfWorker     *self,
              const GError *error,
              guint         refused_takes)
{
  guint in_flight = slots_used (self);
  guint old = self->limit;

  /* A probe of the refused level failed again: wait twice as long before the next one. */
  if (self->ceiling > 0 && old >= self->ceiling)
    self->probe_streak = MIN (self->probe_streak * 2, 16 * PROBE_STREAK);

  /* Halve (rounding up), and never above what the service just accepted. */
  self->limit = MAX (1, (old + 1) / 2);
  if (in_flight > 0)
    self->limit = MAX (1, MIN (self->limit, in_flight));
  self->ceiling = in_flight + refused_takes;
  self->streak = 0;
  self->consecutive_errors++;
  back_off (self, error);

  cf_scheduler_log (self->sched,
                    _("%s is throttled: waiting %.1f s, %u takes in flight at most"),
                    self->name,
                    (self->backoff_until - g_get_monotonic_time ()) / (double) G_USEC_PER_SEC,
                    self->limit);
}

static void
on_submit_success (CfWorker *self)
{
  guint needed;

  self->consecutive_errors = 0;
  self->streak++;

  if (self->limit >= self->cap)
    return;

  needed = (self->ceiling > 0 && self->limit + 1 >= self->ceiling) ?
           self->probe_streak : GROW_STREAK;
  if (self->streak >= needed)
    {
      self->limit++;
      self->streak = 0;
      if (self->ceiling > 0 && self->limit >= self->ceiling)
        self->ceiling = 0;
    }
}

/*
 * A take that timed out on this account, which the user asked for again
 * (cf_run_retry_take()): only the account that made it can poll its
 * handle, and it is paid for, so it is polled again, with a new time limit,
 * and not submitted again.
 */
static void
adopt_unit (CfWorker    *self,
            CfSceneUnit *unit)
{
  WorkerTake *take;
  CfRunEvent *event;

  cf_worker_add_known_take (self, unit->scene_index, unit->takes[0], unit->handle,
                            unit->handle->seed, unit->submitted_time);
  take = g_ptr_array_index (self->takes, self->takes->len - 1);
  cf_scene_unit_free (unit);

  /* Its time-out was counted as this account's failure. */
  g_assert (self->failed > 0);
  self->failed--;

  /* cf_run_retry_take() has already cleared its error. */
  event = take_event (self, take->take_index, CF_TAKE_STATE_PENDING);
  cf_scheduler_push_event (self->sched, event);
  cf_scheduler_log (self->sched, _("Scene %u take %u: asking %s again for the clip it was rendering"),
                    scene_at (self, take->scene_index)->number, take->take_number, self->name);

  self->next_poll = g_get_monotonic_time ();
  report_account (self);
}

/*
 * A retried timed-out take whose account left the run before it could poll
 * it again: TIMED_OUT once more. The run still keeps its handle (until the
 * take is saved) and so does the journal, so Retry after the run collects
 * it. No journal line: a final failure there would make a resume forget the
 * handle. The caller frees the unit.
 */
static void
give_back_kept (CfWorker    *self,
                CfSceneUnit *unit)
{
  CfRunEvent *event;

  /* Without CF_TAKE_FIELD_ACCOUNT (take_event() sets only the state): not
   * this account's take, the card keeps the account that made it. */
  event = take_event (self, cf_scheduler_take_index (self->sched, unit->scene_index, unit->takes[0]),
                      CF_TAKE_STATE_TIMED_OUT);
  event->fields |= CF_TAKE_FIELD_ERROR | CF_TAKE_FIELD_FINISHED;
  event->error_code = CF_ERROR_TIMED_OUT;
  event->reason = g_strdup (_("Its account left the run before it could ask for it again; "
                              "it is paid for and kept: Retry asks for it again."));
  event->time = g_get_real_time ();
  cf_scheduler_push_event (self->sched, event);
  cf_scene_queue_add_outstanding (self->sched->queue, -1);
}

static void
submit_unit (CfWorker    *self,
             CfSceneUnit *unit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) client_ids = NULL;
  g_autoptr(JsonObject) intent = NULL;
  CfSchedScene *scene = scene_at (self, unit->scene_index);
  CfSubmitRequest request = { 0 };
  CfSubmitResult result = { 0 };
  JsonArray *takes_array;
  JsonArray *ids_array;
  gint64 seed;
  gint64 now_real = g_get_real_time ();
  gboolean first;
  guint n_accepted;

  self->taken++;

  if (scene->seed >= 0)
    seed = scene->seed + unit->takes[0] - 1;
  else
    seed = g_random_int_range (0, G_MAXINT32);

  client_ids = g_ptr_array_new_with_free_func (g_free);
  intent = json_object_new ();
  takes_array = json_array_new ();
  ids_array = json_array_new ();
  for (guint t = 0; t < unit->n_takes; t++)
    {
      char *id = g_uuid_string_random ();

      g_ptr_array_add (client_ids, id);
      json_array_add_int_element (takes_array, unit->takes[t]);
      json_array_add_string_element (ids_array, id);
    }
  g_ptr_array_add (client_ids, NULL);

  json_object_set_int_member (intent, "scene", scene->number);
  json_object_set_array_member (intent, "takes", takes_array);
  json_object_set_string_member (intent, "account_id", cf_account_get_id (self->account));
  json_object_set_string_member (intent, "account_name", self->name);
  json_object_set_array_member (intent, "client_ids", ids_array);
  json_object_set_int_member (intent, "seed", seed);
  json_object_set_string_member (intent, "model", self->model_key);

  /* The intent is on the disk before the request that may charge for it leaves. */
  if (!cf_scheduler_journal (self->sched, CF_JOURNAL_SUBMIT,
                             g_steal_pointer (&intent), TRUE))
    {
      cf_scene_queue_push (self->sched->queue, unit, TRUE);
      return;
    }

  first = g_atomic_int_compare_and_exchange (&self->sched->scene_started[unit->scene_index], 0, 1);
  if (first)
    cf_scheduler_log (self->sched, _("Scene %u started on %s (%d/%u)"),
                      scene->number, self->name,
                      g_atomic_int_add (&self->sched->n_started, 1) + 1,
                      self->sched->scenes->len);
  else
    cf_scheduler_log (self->sched, _("Scene %u retried on %s"), scene->number, self->name);

  for (guint t = 0; t < unit->n_takes; t++)
    {
      CfRunEvent *event = take_event (self,
                                      cf_scheduler_take_index (self->sched, unit->scene_index,
                                                               unit->takes[t]),
                                      CF_TAKE_STATE_SUBMITTING);

      event->fields |= CF_TAKE_FIELD_ACCOUNT | CF_TAKE_FIELD_SEED | CF_TAKE_FIELD_ATTEMPTS |
                       CF_TAKE_FIELD_ERROR;
      event->seed = seed + t;
      event->attempts = 1;   /* an increment, see the run */
      event->error_code = -1;
      cf_scheduler_push_event (self->sched, event);
    }

  request.prompt = scene->prompt;
  request.negative_prompt = scene->negative_prompt;
  request.aspect = scene->aspect;
  request.model_key = self->model_key;
  request.n_takes = unit->n_takes;
  request.seed = seed;
  request.client_ids = (const char * const *) client_ids->pdata;

  if (!cf_provider_submit (self->provider, &request, &result,
                           self->sched->cancellable, &error))
    {
      JsonObject *line;
      int code = error_code (error);

      cf_submit_result_clear (&result);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Cancelled mid-request: maybe charged, the journal's intent says so. */
          for (guint t = 0; t < unit->n_takes; t++)
            push_take_state (self,
                             cf_scheduler_take_index (self->sched, unit->scene_index,
                                                      unit->takes[t]),
                             CF_TAKE_STATE_CANCELLED);
          cf_scene_queue_add_outstanding (self->sched->queue, -(int) unit->n_takes);
          cf_scene_unit_free (unit);
          return;
        }

      /* An answer that refused the request: nothing was charged. */
      line = json_object_new ();
      json_object_set_int_member (line, "scene", scene->number);
      takes_array = json_array_new ();
      for (guint t = 0; t < unit->n_takes; t++)
        json_array_add_int_element (takes_array, unit->takes[t]);
      json_object_set_array_member (line, "takes", takes_array);
      json_object_set_string_member (line, "account_id", cf_account_get_id (self->account));
      json_object_set_int_member (line, "code", code);
      json_object_set_string_member (line, "reason", error_reason (error));
      cf_scheduler_journal (self->sched, CF_JOURNAL_REJECTED, line, FALSE);

      if (g_error_matches (error, CF_ERROR, CF_ERROR_THROTTLED))
        {
          on_throttled (self, error, unit->n_takes);
          for (guint t = 0; t < unit->n_takes; t++)
            push_take_state (self,
                             cf_scheduler_take_index (self->sched, unit->scene_index,
                                                      unit->takes[t]),
                             CF_TAKE_STATE_QUEUED);
          cf_scene_queue_push (self->sched->queue, unit, TRUE);
        }
      else if (cf_error_is_account_fatal (error))
        {
          for (guint t = 0; t < unit->n_takes; t++)
            push_take_state (self,
                             cf_scheduler_take_index (self->sched, unit->scene_index,
                                                      unit->takes[t]),
                             CF_TAKE_STATE_QUEUED);
          /* Out first, so that the unit cannot come back to this account. */
          go_out (self, error);
          if (g_atomic_int_get (&self->sched->all_out))
            {
              g_autoptr(GError) all_out = cf_scheduler_new_all_out_error (self->sched);

              fail_unit_final (self, unit, all_out->code, all_out->message, FALSE);
              cf_scene_unit_free (unit);
            }
          else
            cf_scene_queue_push (self->sched->queue, unit, TRUE);
        }
      else if (g_error_matches (error, CF_ERROR, CF_ERROR_POLICY) ||
               g_error_matches (error, CF_ERROR, CF_ERROR_BAD_INPUT))
        {
          fail_unit_final (self, unit, code, error_reason (error), TRUE);
          cf_scene_unit_free (unit);
        }
      else
        {
          gboolean moves;

          self->consecutive_errors++;
          back_off (self, error);
          moves = cf_scene_unit_add_failure (unit, self->index, code, error->message);
          if (moves)
            cf_scheduler_log (self->sched,
                              _("Scene %u failed %u times on %s (%s): it moves to another account"),
                              scene->number, CF_SCENE_QUEUE_MAX_FAILURES_PER_ACCOUNT,
                              self->name, error->message);
          else
            cf_scheduler_log (self->sched, _("Scene %u on %s: %s; retrying"),
                              scene->number, self->name, error->message);

          for (guint t = 0; t < unit->n_takes; t++)
            {
              CfRunEvent *event = take_event (self,
                                              cf_scheduler_take_index (self->sched,
                                                                       unit->scene_index,
                                                                       unit->takes[t]),
                                              CF_TAKE_STATE_QUEUED);

              event->fields |= CF_TAKE_FIELD_ERROR;
              event->error_code = code;
              event->reason = g_strdup (error->message);
              cf_scheduler_push_event (self->sched, event);
            }
          cf_scene_queue_push (self->sched->queue, unit, TRUE);
        }

      report_account (self);
      return;
    }

  /* Accepted: the handles are on the disk before anything else happens. */
  n_accepted = result.handles ? MIN (result.handles->len, unit->n_takes) : 0;
  {
    JsonObject *line = json_object_new ();
    JsonArray *handles = json_array_new ();

    json_object_set_int_member (line, "scene", scene->number);
    takes_array = json_array_new ();
    for (guint t = 0; t < n_accepted; t++)
      {
        json_array_add_int_element (takes_array, unit->takes[t]);
        json_array_add_element (handles,
                                cf_take_handle_to_json (g_ptr_array_index (result.handles, t)));
      }
    json_object_set_array_member (line, "takes", takes_array);
    json_object_set_array_member (line, "handles", handles);
    json_object_set_string_member (line, "account_id", cf_account_get_id (self->account));
    json_object_set_string_member (line, "account_name", self->name);
    if (result.remaining_credits >= 0)
      json_object_set_int_member (line, "credits", result.remaining_credits);
    cf_scheduler_journal (self->sched, CF_JOURNAL_ACCEPTED, line, TRUE);
  }

  if (result.remaining_credits >= 0)
    self->credits = result.remaining_credits;

  for (guint t = 0; t < n_accepted; t++)
    {
      const CfTakeHandle *handle = g_ptr_array_index (result.handles, t);
      WorkerTake *take = g_new0 (WorkerTake, 1);
      CfRunEvent *event;

      take->scene_index = unit->scene_index;
      take->take_number = unit->takes[t];
      take->take_index = cf_scheduler_take_index (self->sched, unit->scene_index,
                                                  unit->takes[t]);
      take->handle = cf_take_handle_copy (handle);
      take->state = CF_TAKE_STATE_PENDING;
      take->submitted_mono = g_get_monotonic_time ();
  take->seen_unready = take->submitted_mono;
      take->submitted_real = now_real;
      take->seed = handle->seed >= 0 ? handle->seed : seed + t;
      take->origin = cf_scene_unit_new_sibling (unit);
      take->learn = TRUE;
      g_ptr_array_add (self->takes, take);

      event = take_event (self, take->take_index, CF_TAKE_STATE_PENDING);
      event->fields |= CF_TAKE_FIELD_HANDLE | CF_TAKE_FIELD_SUBMITTED | CF_TAKE_FIELD_SEED;
      event->handle_name = g_strdup (handle->name);
      event->time = now_real;
      event->seed = take->seed;
      if (self->credits >= 0)
        {
          event->fields |= CF_TAKE_FIELD_CREDITS;
          event->credits = self->credits;
        }
      cf_scheduler_push_event (self->sched, event);
    }

  if (n_accepted < unit->n_takes)
    {
      /* The service took fewer than asked: the rest go back, nothing was paid for them. */
      CfSceneUnit *rest = cf_scene_unit_new_sibling (unit);

      for (guint t = n_accepted; t < unit->n_takes; t++)
        {
          cf_scene_unit_add_take (rest, unit->takes[t]);
          push_take_state (self,
                           cf_scheduler_take_index (self->sched, unit->scene_index,
                                                    unit->takes[t]),
                           CF_TAKE_STATE_QUEUED);
        }
      cf_scene_queue_push (self->sched->queue, rest, TRUE);
    }

  cf_submit_result_clear (&result);
  cf_scene_unit_free (unit);

  /* Earlier only: a poll brought forward for an expired URL stays where it is. */
  if (self->next_poll == 0)
    self->next_poll = next_poll_time (self, self->last_poll);
  else
    self->next_poll = MIN (self->next_poll, next_poll_time (self, self->last_poll));

  on_submit_success (self);
  report_account (self);
}

/* Polling */

static void
set_take_state (CfWorker    *self,
                WorkerTake  *take,
                CfTakeState  state,
                const char  *raw)
{
  CfRunEvent *event;

  if (take->state == state)
    return;

  take->state = state;
  event = take_event (self, take->take_index, state);
  if (state == CF_TAKE_STATE_RENDERING && take->started_real == 0)
    {
      take->started_real = g_get_real_time ();
      event->fields |= CF_TAKE_FIELD_STARTED;
      event->time = take->started_real;
    }
  cf_scheduler_push_event (self->sched, event);

  {
    JsonObject *line = take_line (scene_at (self, take->scene_index)->number, take->take_number);

    json_object_set_string_member (line, "state", cf_take_state_to_string (state));
    if (raw != NULL)
      json_object_set_string_member (line, "raw", raw);
    cf_scheduler_journal (self->sched, CF_JOURNAL_STATE, line, FALSE);
  }
}

static CfTakeStatus *
steal_status (CfTakeStatus *status)
{
  CfTakeStatus *copy = cf_take_status_new (status->state);

  copy->raw_status = g_steal_pointer (&status->raw_status);
  copy->download_url = g_steal_pointer (&status->download_url);
  copy->media_name = g_steal_pointer (&status->media_name);
  copy->inline_video = g_steal_pointer (&status->inline_video);

  return copy;
}

static gboolean
take_timed_out (CfWorker   *self,
                WorkerTake *take,
                gint64      now)
{
  return now - take->submitted_mono > (gint64) self->sched->take_time_limit_ms * 1000;
}

static void
time_out_take (CfWorker   *self,
               guint       i)
{
  WorkerTake *take = g_ptr_array_index (self->takes, i);
  g_autofree char *reason = NULL;

  reason = g_strdup_printf (_("Still rendering after %u s; it is paid for and kept: "
                              "Retry asks for it again, without paying again."),
                            self->sched->take_time_limit_ms / 1000);
  journal_take (self, CF_JOURNAL_TIMED_OUT, take, CF_ERROR_TIMED_OUT, reason, FALSE);
  cf_scheduler_log (self->sched, _("Scene %u take %u timed out"),
                    scene_at (self, take->scene_index)->number, take->take_number);
  fail_take_final (self, take, CF_TAKE_STATE_TIMED_OUT, CF_ERROR_TIMED_OUT, reason);
  g_ptr_array_remove_index (self->takes, i);
}

/*
 * Both providers answer a poll of a take the service no longer knows (HTTP
 * 404) with FAILED, CF_ERROR_FAILED and the raw status "not found".
 */
static gboolean
is_forgotten (const CfTakeStatus *status)
{
  return status->error != NULL &&
         g_error_matches (status->error, CF_ERROR, CF_ERROR_FAILED) &&
         g_strcmp0 (status->raw_status, "not found") == 0;
}

static void
poll_takes (CfWorker *self)
{
  g_autoptr(GPtrArray) handles = g_ptr_array_new ();
  g_autoptr(GPtrArray) polled = g_ptr_array_new ();
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  gint64 credits = -1;
  gint64 now;

  for (guint i = 0; i < self->takes->len; i++)
    {
      WorkerTake *take = g_ptr_array_index (self->takes, i);

      if (needs_poll (take))
        {
          g_ptr_array_add (handles, take->handle);
          g_ptr_array_add (polled, take);
        }
    }

  if (handles->len == 0)
    return;

  statuses = cf_provider_poll (self->provider, handles, &credits,
                               self->sched->cancellable, &error);
  now = g_get_monotonic_time ();

  if (statuses == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (cf_error_is_account_fatal (error) &&
          !g_error_matches (error, CF_ERROR, CF_ERROR_QUOTA))
        {
          go_out (self, error);
          abandon_takes (self, error);
          report_account (self);
          return;
        }

      if (g_error_matches (error, CF_ERROR, CF_ERROR_THROTTLED))
        {
          gint64 wait = backoff_usec (self, error);

          self->poll_not_before = now + wait;
        }
      g_debug ("%s: poll failed: %s", self->name, error->message);
    }
  else
    {
      if (credits >= 0 && credits != self->credits)
        {
          self->credits = credits;
          report_account (self);
        }

      for (guint i = 0; i < polled->len && i < statuses->len; i++)
        {
          WorkerTake *take = g_ptr_array_index (polled, i);
          CfTakeStatus *status = g_ptr_array_index (statuses, i);

          if (status == NULL)
            continue;

          switch (status->state)
            {
            case CF_REMOTE_PENDING:
              take->seen_unready = now;
              set_take_state (self, take, CF_TAKE_STATE_PENDING, status->raw_status);
              break;

            case CF_REMOTE_ACTIVE:
            case CF_REMOTE_UNKNOWN:
              take->seen_unready = now;
              set_take_state (self, take, CF_TAKE_STATE_RENDERING, status->raw_status);
              break;

            case CF_REMOTE_SUCCEEDED:
              g_clear_pointer (&take->ready, cf_take_status_free);
              take->ready = steal_status (status);
              take->need_fresh = FALSE;
              if (!take->announced)
                {
                  take->announced = TRUE;
                  if (take->learn)
                    learn_render_time (self, take, now);
                  cf_scheduler_log (self->sched, _("Scene %u take %u ready"),
                                    scene_at (self, take->scene_index)->number,
                                    take->take_number);
                }
              set_take_state (self, take, CF_TAKE_STATE_DOWNLOADING, status->raw_status);
              break;

            case CF_REMOTE_FAILED:
              {
                const GError *failure = status->error;
                g_autoptr(GError) fallback = NULL;

                if (failure == NULL)
                  failure = fallback = g_error_new_literal (CF_ERROR, CF_ERROR_FAILED,
                                                            _("The service could not render this take"));

                /* Marked to be handled below, in index order. */
                take->state = CF_TAKE_STATE_FAILED;
                g_clear_pointer (&take->ready, cf_take_status_free);
                take->ready = cf_take_status_new (CF_REMOTE_FAILED);
                take->ready->error = g_error_copy (failure);
                take->ready->raw_status = g_strdup (status->raw_status);
              }
              break;

            default:
              break;
            }
        }
    }

  /* Failures and time limits, from the end so that removal keeps the indices right. */
  for (guint i = self->takes->len; i > 0; i--)
    {
      WorkerTake *take = g_ptr_array_index (self->takes, i - 1);

      if (take->state == CF_TAKE_STATE_FAILED && take->ready != NULL &&
          take->ready->state == CF_REMOTE_FAILED)
        {
          const GError *failure = take->ready->error;
          CfSchedScene *scene = scene_at (self, take->scene_index);

          if (is_forgotten (take->ready))
            {
              /*
               * Not a failed render: the service lost the take. Submitting it
               * again may charge twice, so it is the user's call (retry).
               */
              journal_take (self, CF_JOURNAL_FAILED, take, error_code (failure),
                            failure->message, TRUE);
              cf_scheduler_log (self->sched, _("Scene %u take %u failed on %s: %s"),
                                scene->number, take->take_number, self->name,
                                failure->message);
              fail_take_final (self, take, CF_TAKE_STATE_FAILED, error_code (failure),
                               failure->message);
            }
          else if (cf_error_is_retryable (failure) || failure->code == CF_ERROR_FAILED)
            {
              /* The generation failed on the service's side: it was not delivered, try again. */
              CfSceneUnit *unit = g_steal_pointer (&take->origin);

              cf_scene_unit_add_take (unit, take->take_number);
              cf_scene_unit_add_failure (unit, self->index, error_code (failure),
                                         failure->message);
              journal_take (self, CF_JOURNAL_FAILED, take, error_code (failure),
                            error_reason (failure), FALSE);
              cf_scheduler_log (self->sched, _("Scene %u take %u failed on %s: %s; retrying"),
                                scene->number, take->take_number, self->name,
                                failure->message);
              {
                CfRunEvent *event = take_event (self, take->take_index, CF_TAKE_STATE_QUEUED);

                event->fields |= CF_TAKE_FIELD_ERROR;
                event->error_code = error_code (failure);
                event->reason = g_strdup (failure->message);
                cf_scheduler_push_event (self->sched, event);
              }
              cf_scene_queue_push (self->sched->queue, unit, TRUE);
            }
          else
            {
              journal_take (self, CF_JOURNAL_FAILED, take, error_code (failure),
                            error_reason (failure), TRUE);
              cf_scheduler_log (self->sched, _("Scene %u take %u failed: %s"),
                                scene->number, take->take_number, error_reason (failure));
              fail_take_final (self, take, CF_TAKE_STATE_FAILED, error_code (failure),
                               error_reason (failure));
            }
          g_ptr_array_remove_index (self->takes, i - 1);
        }
      else if (take->ready == NULL && take_timed_out (self, take, now))
        time_out_take (self, i - 1);
    }

  report_account (self);
}

/* Downloading */

/* Downloads take i; on success it is DONE and removed from the array. */
static gboolean
save_take (CfWorker  *self,
           guint      i,
           GError   **error)
{
  WorkerTake *take = g_ptr_array_index (self->takes, i);
  CfSchedScene *scene = scene_at (self, take->scene_index);
  g_autoptr(GError) sidecar_error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  CfSidecarInfo info = { 0 };
  gint64 now_real;
  CfRunEvent *event;
  JsonObject *line;

  base = cf_output_name_for_take (self->sched->script_title, scene->number, take->take_number);
  file_name = g_strconcat (base, ".mp4", NULL);
  path = g_build_filename (self->sched->output_dir, file_name, NULL);

  if (g_mkdir_with_parents (self->sched->output_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not create the output folder “%s”: %s"),
                   self->sched->output_dir, g_strerror (saved));
      return FALSE;
    }

  if (!cf_provider_download (self->provider, take->handle, take->ready, path,
                             self->sched->cancellable, error))
    return FALSE;

  now_real = g_get_real_time ();
  line = take_line (scene->number, take->take_number);
  json_object_set_string_member (line, "file", path);
  json_object_set_string_member (line, "account_id", cf_account_get_id (self->account));
  cf_scheduler_journal (self->sched, CF_JOURNAL_DONE, line, FALSE);

  info.prompt = scene->prompt;
  info.seed = take->seed;
  info.model_key = self->model_key;
  info.account_name = self->name;
  info.handle_name = take->handle->name;
  info.submitted_at = take->submitted_real;
  info.finished_at = now_real;
  info.downloaded_at = now_real;
  if (!cf_download_write_take_sidecar (path, &info, &sidecar_error))
    g_warning ("Could not write the sidecar of %s: %s", path, sidecar_error->message);

  cf_scheduler_log (self->sched, _("Downloaded %s"), path);

  event = take_event (self, take->take_index, CF_TAKE_STATE_DONE);
  event->fields |= CF_TAKE_FIELD_FILE | CF_TAKE_FIELD_FINISHED;
  event->file = g_strdup (path);
  event->time = now_real;
  cf_scheduler_push_event (self->sched, event);

  self->done++;
  cf_scene_queue_add_outstanding (self->sched->queue, -1);
  g_ptr_array_remove_index (self->takes, i);
  report_account (self);
  return TRUE;
}

static void
download_take (CfWorker *self,
               guint     i)
{
  WorkerTake *take = g_ptr_array_index (self->takes, i);
  CfSchedScene *scene = scene_at (self, take->scene_index);
  g_autoptr(GError) error = NULL;

  if (save_take (self, i, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  take->download_failures++;

  if (g_error_matches (error, CF_ERROR, CF_ERROR_OUTPUT) ||
      take->download_failures >= MAX_DOWNLOAD_FAILURES)
    {
      g_autofree char *reason = NULL;

      /* Paid for and rendered: never generated again, only downloaded again later. */
      reason = g_strdup_printf (_("%s. The clip is kept: resume the run to download it."),
                                error->message);
      journal_take (self, CF_JOURNAL_DOWNLOAD_FAILED, take, error_code (error),
                    error->message, FALSE);
      cf_scheduler_log (self->sched, _("Scene %u take %u could not be downloaded: %s"),
                        scene->number, take->take_number, error->message);
      fail_take_final (self, take, CF_TAKE_STATE_FAILED, error_code (error), reason);
      g_ptr_array_remove_index (self->takes, i);
      report_account (self);
      return;
    }

  g_debug ("%s: download of scene %u take %u failed: %s", self->name,
           scene->number, take->take_number, error->message);

  /* A fresh poll gives a fresh URL; expired ones need nothing else. */
  take->need_fresh = TRUE;
  if (g_error_matches (error, CF_ERROR, CF_ERROR_URL_EXPIRED))
    {
      take->download_after = 0;
      self->next_poll = g_get_monotonic_time ();
    }
  else
    {
      guint shift = MIN (take->download_failures, 8);
      gint64 wait = (gint64) self->sched->backoff_ms * 1000 * (1 << (shift - 1));

      wait = MIN (wait, (gint64) self->sched->backoff_max_ms * 1000);
      take->download_after = g_get_monotonic_time () + wait;
      self->next_poll = MIN (self->next_poll, take->download_after);
    }
}

/* The loop */

static void
fail_exhausted (CfWorker  *self,
                GPtrArray *exhausted)
{
  for (guint i = 0; i < exhausted->len; i++)
    {
      CfSceneUnit *unit = g_ptr_array_index (exhausted, i);

      /* Paid for: never a final failure, whatever became of its account. */
      if (unit->handle != NULL)
        give_back_kept (self, unit);
      else
        {
          g_autofree char *reason = NULL;

          reason = g_strdup_printf (_("Failed on every account (%s)"),
                                    unit->last_error ? unit->last_error : _("unknown error"));
          fail_unit_final (self, unit,
                           unit->last_error_code >= 0 ? unit->last_error_code : CF_ERROR_FAILED,
                           reason, TRUE);
        }
      cf_scene_unit_free (unit);
    }
  g_ptr_array_set_size (exhausted, 0);
}

static void
run_in_context (CfWorker *self)
{
  CfSceneQueue *queue = self->sched->queue;
  GCancellable *cancellable = self->sched->cancellable;
  g_autoptr(GPtrArray) exhausted = NULL;
  guint64 seen;

  g_return_if_fail (self != NULL);

  exhausted = g_ptr_array_new ();
  self->provider = cf_provider_new_for_account (self->account, self->endpoints);

  if (self->provider == NULL)
    {
      g_autoptr(GError) error = g_error_new (CF_ERROR, CF_ERROR_BAD_INPUT,
                                             _("No provider for this kind of account"));

      go_out (self, error);
      return;
    }

  if (self->takes->len > 0)
    {
      /* Resumed takes: poll them right away. */
      self->next_poll = g_get_monotonic_time ();
      for (guint i = 0; i < self->takes->len; i++)
        {
          WorkerTake *take = g_ptr_array_index (self->takes, i);
          CfRunEvent *event = take_event (self, take->take_index, CF_TAKE_STATE_PENDING);

          event->fields |= CF_TAKE_FIELD_ACCOUNT | CF_TAKE_FIELD_HANDLE;
          event->handle_name = g_strdup (take->handle->name);
          cf_scheduler_push_event (self->sched, event);
        }
    }

  report_account (self);

  for (;;)
    {
      gint64 now;
      gint64 deadline;
      gboolean stopping;
      guint n_after_submit;
      guint used;

      seen = cf_scene_queue_get_changes (queue);

      if (g_cancellable_is_cancelled (cancellable))
        break;

      stopping = cf_scene_queue_is_stopping (queue);
      now = g_get_monotonic_time ();

      /* Submit while there is room. */
      while (!self->out && !stopping && now >= self->backoff_until &&
             (used = slots_used (self)) < self->limit &&
             !g_cancellable_is_cancelled (cancellable))
        {
          CfSceneUnit *unit;

          unit = cf_scene_queue_pop_for (queue, self->index, self->limit - used,
                                         used == 0, exhausted);
          fail_exhausted (self, exhausted);
          if (unit == NULL)
            break;

          if (unit->handle != NULL)
            adopt_unit (self, unit);
          else
            submit_unit (self, unit);
          now = g_get_monotonic_time ();

          /* Poll on time even while there is a lot to submit. */
          if (self->next_poll != 0 && now >= self->next_poll)
            break;
        }

      if (g_cancellable_is_cancelled (cancellable))
        break;

      n_after_submit = slots_used (self);

      /* Poll everything in flight in one request. */
      now = g_get_monotonic_time ();
      if (self->takes->len > 0 && self->next_poll != 0 && now >= self->next_poll)
        {
          self->last_poll = now;
          poll_takes (self);
          self->next_poll = next_poll_time (self, now);
        }

      /* Download what is ready. */
      for (guint i = 0; i < self->takes->len && !g_cancellable_is_cancelled (cancellable); )
        {
          WorkerTake *take = g_ptr_array_index (self->takes, i);
          guint before = self->takes->len;

          if (take->ready != NULL && !take->need_fresh &&
              take->ready->state == CF_REMOTE_SUCCEEDED &&
              g_get_monotonic_time () >= take->download_after)
            {
              download_take (self, i);
              if (self->takes->len < before)
                continue;
            }
          i++;
        }

      /* Time limits also hold while polls fail. */
      now = g_get_monotonic_time ();
      for (guint i = self->takes->len; i > 0; i--)
        {
          WorkerTake *take = g_ptr_array_index (self->takes, i - 1);

          if (take->ready == NULL && take_timed_out (self, take, now))
            {
              time_out_take (self, i - 1);
              report_account (self);
            }
        }

      if (self->takes->len == 0)
        {
          self->next_poll = 0;
          if (self->out || cf_scene_queue_is_stopping (queue) ||
              cf_scene_queue_get_outstanding (queue) == 0)
            break;
        }

      /* A take that ended made room: fill it at once rather than after a sleep. */
      if (slots_used (self) < n_after_submit && !self->out)
        continue;

      /* Sleep until the next thing to do, or until something changes. */
      now = g_get_monotonic_time ();
      deadline = now + MAX_SLEEP_USEC;
      if (self->takes->len > 0 && self->next_poll != 0)
        deadline = MIN (deadline, self->next_poll);
      if (!self->out && self->backoff_until > now)
        deadline = MIN (deadline, self->backoff_until);
      for (guint i = 0; i < self->takes->len; i++)
        {
          WorkerTake *take = g_ptr_array_index (self->takes, i);

          if (take->ready != NULL && !take->need_fresh)
            deadline = MIN (deadline, MAX (take->download_after, now));
        }
      if (deadline > now)
        cf_scene_queue_wait (queue, &seen, deadline);
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      /* The journal keeps every handle; the cards say what happened. */
      for (guint i = 0; i < self->takes->len; i++)
        {
          WorkerTake *take = g_ptr_array_index (self->takes, i);

          push_take_state (self, take->take_index, CF_TAKE_STATE_CANCELLED);
        }
      g_ptr_array_set_size (self->takes, 0);
    }

  self->backoff_until = 0;
  report_account (self);
  g_clear_object (&self->provider);
}

/*
 * A SoupSession belongs to the thread-default main context of the thread
 * that made it, and attaches its sources there (the connections it keeps
 * alive, their timeouts). Without a context of its own a worker's session
 * would belong to the global default context, which the main thread runs:
 * two threads would then touch one session at once (a ui-demo run aborted
 * on a mutex freed while locked). So each worker pushes a context of its
 * own for the life of its provider; nothing iterates it, as the worker only
 * sends synchronously.
 */
void
cf_worker_run (CfWorker *self)
{
  g_autoptr(GMainContext) context = NULL;

  g_return_if_fail (self != NULL);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  run_in_context (self);
  g_main_context_pop_thread_default (context);
}
