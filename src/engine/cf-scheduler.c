/* cf-scheduler.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-error.h"
#include "cf-scheduler.h"

CfRunEvent *
cf_run_event_new (CfRunEventKind kind,
                  guint          index)
{
  CfRunEvent *event = g_new0 (CfRunEvent, 1);

  event->kind = kind;
  event->index = index;
  event->error_code = -1;
  event->credits = -1;
  event->seed = -1;
  event->snapshot.credits = -1;
  event->snapshot.out_code = -1;

  return event;
}

void
cf_run_event_free (CfRunEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->text);
  g_free (event->reason);
  g_free (event->file);
  g_free (event->handle_name);
  g_clear_pointer (&event->handle, cf_take_handle_free);
  g_free (event->snapshot.out_reason);
  g_free (event);
}

void
cf_sched_scene_free (CfSchedScene *scene)
{
  g_free (scene->title);
  g_free (scene->prompt);
  g_free (scene->negative_prompt);
  g_free (scene);
}

static void
cancelled_cb (GCancellable *cancellable,
              CfScheduler  *self)
{
  /* Runs in whichever thread cancelled: only wake the sleeping workers. */
  cf_scene_queue_wake (self->queue);
}

CfScheduler *
cf_scheduler_new (GObject              *target,
                  guint                 generation,
                  CfSchedulerApplyFunc  apply,
                  CfRunSettings        *settings,
                  GCancellable         *cancellable)
{
  CfScheduler *self = g_new0 (CfScheduler, 1);

  self->ref_count = 1;
  self->settings = cf_run_settings_copy (settings);
  self->scenes = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_sched_scene_free);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  self->poll_interval_ms = cf_run_settings_get_poll_interval_ms (settings);
  self->take_time_limit_ms = cf_run_settings_get_take_time_limit_ms (settings);
  self->backoff_ms = cf_run_settings_get_backoff_ms (settings);
  self->backoff_max_ms = MAX (cf_run_settings_get_backoff_max_ms (settings), self->backoff_ms);
  self->output_dir = cf_run_settings_dup_effective_output_dir (settings);

  g_mutex_init (&self->mutex);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_run_event_free);
  self->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->target, target);
  self->generation = generation;
  self->apply = apply;
  self->out_reasons = g_ptr_array_new_with_free_func (g_free);
  self->out_codes = g_array_new (FALSE, FALSE, sizeof (int));

  return self;
}

CfScheduler *
cf_scheduler_ref (CfScheduler *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cf_scheduler_unref (CfScheduler *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->journal, cf_journal_close);
  g_clear_pointer (&self->queue, cf_scene_queue_free);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->scenes, g_ptr_array_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_free (self->script_title);
  g_free (self->output_dir);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_weak_ref_clear (&self->target);
  g_clear_pointer (&self->out_reasons, g_ptr_array_unref);
  g_clear_pointer (&self->out_codes, g_array_unref);
  g_free (self->scene_started);
  g_clear_error (&self->fatal_error);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

void
cf_scheduler_begin (CfScheduler *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->queue == NULL);

  self->queue = cf_scene_queue_new (self->accounts->len);
  self->scene_started = g_new0 (gint, MAX (self->scenes->len, 1));
  self->cancelled_id = g_cancellable_connect (self->cancellable,
                                              G_CALLBACK (cancelled_cb), self, NULL);
}

/*
 * Events are applied in chunks, and one dispatch stops after a budget of
 * wall time: a main loop that fell behind (a busy machine, hundreds of
 * takes) finds thousands of events waiting, and applying them all at once
 * froze the window for half a second. The rest goes back to the front of
 * the queue, for the next dispatch.
 */
#define DISPATCH_CHUNK      32
#define DISPATCH_BUDGET_US  (8 * 1000)

static void schedule_dispatch (CfScheduler *self);

static void
dispatch (CfScheduler *self,
          gboolean     everything)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GObject) target = NULL;
  gint64 start = g_get_monotonic_time ();
  guint applied = 0;

  g_mutex_lock (&self->mutex);
  self->dispatch_pending = FALSE;
  if (self->events->len > 0)
    {
      batch = g_steal_pointer (&self->events);
      self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_run_event_free);
      self->n_dispatches++;
    }
  g_mutex_unlock (&self->mutex);

  if (batch == NULL)
    return;

  /* The run may be gone (the UI closed it): then nobody wants this batch. */
  target = g_weak_ref_get (&self->target);
  if (target == NULL)
    return;

  /* From here on the chunks own the events. */
  g_ptr_array_set_free_func (batch, NULL);
  while (applied < batch->len)
    {
      guint n = MIN (DISPATCH_CHUNK, batch->len - applied);
      g_autoptr(GPtrArray) chunk = g_ptr_array_new_full (n, (GDestroyNotify) cf_run_event_free);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (chunk, g_ptr_array_index (batch, applied + i));
      applied += n;
      self->apply (target, self, chunk);

      if (!everything && g_get_monotonic_time () - start >= DISPATCH_BUDGET_US)
        break;
    }

  if (applied < batch->len)
    {
      gboolean schedule;

      g_mutex_lock (&self->mutex);
      /* What is left happened before anything pushed since. */
      g_ptr_array_remove_range (batch, 0, applied);
      g_ptr_array_extend_and_steal (batch, g_steal_pointer (&self->events));
      g_ptr_array_set_free_func (batch, (GDestroyNotify) cf_run_event_free);
      self->events = g_steal_pointer (&batch);
      schedule = !self->dispatch_pending;
      self->dispatch_pending = TRUE;
      g_mutex_unlock (&self->mutex);

      if (schedule)
        schedule_dispatch (self);
    }
}

static gboolean
dispatch_cb (gpointer user_data)
{
  dispatch (user_data, FALSE);
  return G_SOURCE_REMOVE;
}

/*
 * At idle priority, below GTK's layout and drawing: a run reports all the
 * time, and at a higher priority its dispatches would keep the window from
 * ever drawing a frame.
 */
static void
schedule_dispatch (CfScheduler *self)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, dispatch_cb, cf_scheduler_ref (self),
                         (GDestroyNotify) cf_scheduler_unref);
  g_source_set_static_name (source, "[clipfleet] run events");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

void
cf_scheduler_push_event (CfScheduler *self,
                         CfRunEvent  *event)
{
  gboolean schedule = FALSE;

  g_return_if_fail (self != NULL);
  g_return_if_fail (event != NULL);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->events, event);
  self->n_events++;
  if (!self->dispatch_pending)
    {
      self->dispatch_pending = TRUE;
      schedule = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  if (schedule)
    schedule_dispatch (self);
}

void
cf_scheduler_log (CfScheduler *self,
                  const char  *format,
                  ...)
{
  CfRunEvent *event;
  va_list args;

  event = cf_run_event_new (CF_RUN_EVENT_LOG, 0);
  va_start (args, format);
  event->text = g_strdup_vprintf (format, args);
  va_end (args);

  cf_scheduler_push_event (self, event);
}

void
cf_scheduler_flush (CfScheduler *self)
{
  g_return_if_fail (self != NULL);

  dispatch (self, TRUE);
}

guint
cf_scheduler_get_n_dispatches (CfScheduler *self)
{
  guint n;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  n = self->n_dispatches;
  g_mutex_unlock (&self->mutex);

  return n;
}

void
cf_scheduler_fail (CfScheduler  *self,
                   const GError *error)
{
  gboolean first = FALSE;

  g_return_if_fail (self != NULL);
  g_return_if_fail (error != NULL);

  g_mutex_lock (&self->mutex);
  if (self->fatal_error == NULL)
    {
      self->fatal_error = g_error_copy (error);
      first = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  if (first)
    {
      cf_scheduler_log (self, _("The run stops: %s"), error->message);
      g_cancellable_cancel (self->cancellable);
    }
}

GError *
cf_scheduler_dup_fatal_error (CfScheduler *self)
{
  GError *error = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->mutex);
  if (self->fatal_error != NULL)
    error = g_error_copy (self->fatal_error);
  g_mutex_unlock (&self->mutex);

  return error;
}

void
cf_scheduler_add_out_reason (CfScheduler *self,
                             const char  *account_name,
                             int          code,
                             const char  *reason)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->out_reasons, g_strdup_printf ("%s: %s", account_name, reason));
  g_array_append_val (self->out_codes, code);
  g_mutex_unlock (&self->mutex);
}

static const char *
what_to_do (int code)
{
  switch (code)
    {
    case CF_ERROR_AUTH_EXPIRED:
      return _("paste fresh access tokens (or a new API key) in Accounts");
    case CF_ERROR_NEEDS_VERIFICATION:
      return _("open the account in a browser and complete the check Google asks for");
    case CF_ERROR_QUOTA:
      return _("wait until the credits or the daily quota renew, or add another account");
    case CF_ERROR_ACCESS_DENIED:
      return _("check the project id and the account's billing");
    case CF_ERROR_MODEL_NOT_ALLOWED:
      return _("choose a model the accounts' tier allows");
    default:
      return _("fix the accounts or add another one");
    }
}

GError *
cf_scheduler_new_all_out_error (CfScheduler *self)
{
  g_autofree char *reasons = NULL;
  int code = CF_ERROR_FAILED;
  GError *error;

  g_return_val_if_fail (self != NULL, NULL);

  reasons = cf_scheduler_dup_out_reasons (self);

  g_mutex_lock (&self->mutex);
  /* One shared cause gives one precise code and one precise advice. */
  for (guint i = 0; i < self->out_codes->len; i++)
    {
      int c = g_array_index (self->out_codes, int, i);

      if (i == 0)
        code = c;
      else if (c != code)
        code = CF_ERROR_FAILED;
    }
  g_mutex_unlock (&self->mutex);

  error = g_error_new (CF_ERROR, code,
                       _("Every account is out (%s). What to do: %s, then resume the run."),
                       reasons, what_to_do (code));
  return error;
}

char *
cf_scheduler_dup_out_reasons (CfScheduler *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->out_reasons->len; i++)
    {
      if (i > 0)
        g_string_append (text, "; ");
      g_string_append (text, g_ptr_array_index (self->out_reasons, i));
    }
  g_mutex_unlock (&self->mutex);

  return g_string_free (text, FALSE);
}

gboolean
cf_scheduler_journal (CfScheduler *self,
                      const char  *kind,
                      JsonObject  *line,
                      gboolean     sync)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->journal == NULL)
    {
      json_object_unref (line);
      return TRUE;
    }

  if (!cf_journal_append (self->journal, kind, line, sync, &error))
    {
      /* Without the journal nothing paid for is safe: stop before paying more. */
      cf_scheduler_fail (self, error);
      return FALSE;
    }

  return TRUE;
}

guint
cf_scheduler_take_index (CfScheduler *self,
                         guint        scene_index,
                         guint        take_number)
{
  CfSchedScene *scene;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (scene_index < self->scenes->len, 0);

  scene = g_ptr_array_index (self->scenes, scene_index);
  g_return_val_if_fail (take_number >= 1 && take_number <= scene->n_takes, 0);

  return scene->first_take + take_number - 1;
}
