/* cf-run.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-enum-types.h"
#include "cf-error.h"
#include "cf-journal-private.h"
#include "cf-run-account-private.h"
#include "cf-run-private.h"
#include "cf-scheduler.h"
#include "cf-take-private.h"
#include "cf-worker.h"

/* A take a resumed run already paid for, to be handed to its account's worker. */
typedef struct
{
  guint         scene_index;
  guint         take_number;
  guint         account;
  CfTakeHandle *handle;
  gint64        seed;
  gint64        submitted_time;
} KnownTake;

struct _CfRun
{
  GObject        parent_instance;

  char          *id;
  char          *journal_dir;
  CfRunMode      mode;
  CfRunState     state;
  GError        *error;
  CfRunSettings *settings;
  char          *script_title;
  GPtrArray     *scenes;          /* CfSchedScene, until start hands them over */
  guint          n_scenes;
  GPtrArray     *accounts;        /* CfAccount copies taking part */
  GPtrArray     *skipped;         /* log lines about accounts left out */

  GListStore    *takes;
  GPtrArray     *take_array;      /* the same CfTake, for O(1) access */
  GListStore    *run_accounts;
  GPtrArray     *run_account_array;

  guint          n_done;
  guint          n_failed;
  guint          n_total;
  /* Takes that failed while downloading: paid for and rendered, their
   * handles kept by the journal; a retry downloads, never makes, them. */
  GHashTable    *collectable;     /* CfTake set */
  /* Takes that timed out, still paid for and maybe rendering: a retry
   * polls their handle again, on their account, instead of paying again. */
  GHashTable    *kept_handles;    /* CfTake → CfTakeHandle */

  /* Resume. */
  gboolean       is_resume;
  gboolean       resubmit_uncertain;
  GArray        *known;           /* KnownTake */

  /* Running. */
  guint          generation;
  CfScheduler   *scheduler;
  GThreadPool   *pool;
  guint          n_running;
  GCancellable  *cancellable;
  GCancellable  *caller_cancellable;
  gulong         caller_cancelled_id;
  GTask         *task;
  gboolean       stop_requested;
  gboolean       cancel_requested;
  guint          n_dispatches;
  guint          n_events;
};

G_DEFINE_FINAL_TYPE (CfRun, cf_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_MODE,
  PROP_STATE,
  PROP_N_DONE,
  PROP_N_FAILED,
  PROP_N_TOTAL,
  N_PROPS
};

enum {
  LOG,
  TAKE_CHANGED,
  ACCOUNT_CHANGED,
  PROGRESS,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
known_take_clear (KnownTake *known)
{
  g_clear_pointer (&known->handle, cf_take_handle_free);
}

static void
cf_run_dispose (GObject *object)
{
  CfRun *self = (CfRun *)object;

  if (self->caller_cancelled_id != 0)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->caller_cancelled_id);
      self->caller_cancelled_id = 0;
    }
  g_clear_object (&self->caller_cancellable);

  /* Workers hold no reference to the run: let them end, they drop their own batches. */
  if (self->cancellable != NULL && self->n_running > 0)
    g_cancellable_cancel (self->cancellable);

  g_clear_object (&self->takes);
  g_clear_pointer (&self->collectable, g_hash_table_unref);
  g_clear_pointer (&self->kept_handles, g_hash_table_unref);
  g_clear_pointer (&self->take_array, g_ptr_array_unref);
  g_clear_object (&self->run_accounts);
  g_clear_pointer (&self->run_account_array, g_ptr_array_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cf_run_parent_class)->dispose (object);
}

static void
cf_run_finalize (GObject *object)
{
  CfRun *self = (CfRun *)object;

  g_clear_pointer (&self->scheduler, cf_scheduler_unref);
  if (self->pool != NULL)
    {
      /* Reached only when the run died with workers still going: do not block on them. */
      g_thread_pool_free (self->pool, FALSE, FALSE);
      self->pool = NULL;
    }
  g_clear_object (&self->cancellable);
  g_free (self->id);
  g_free (self->journal_dir);
  g_clear_error (&self->error);
  g_free (self->script_title);
  g_clear_pointer (&self->scenes, g_ptr_array_unref);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);
  g_clear_pointer (&self->known, g_array_unref);

  G_OBJECT_CLASS (cf_run_parent_class)->finalize (object);
}

static void
cf_run_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  CfRun *self = CF_RUN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->n_total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_run_class_init (CfRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cf_run_dispose;
  object_class->finalize = cf_run_finalize;
  object_class->get_property = cf_run_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, CF_TYPE_RUN_MODE, CF_RUN_MODE_SEQUENTIAL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CF_TYPE_RUN_STATE, CF_RUN_STATE_READY, flags);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[TAKE_CHANGED] =
    g_signal_new ("take-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CF_TYPE_TAKE);
  signals[ACCOUNT_CHANGED] =
    g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CF_TYPE_RUN_ACCOUNT);
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cf_run_init (CfRun *self)
{
  self->scenes = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_sched_scene_free);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->skipped = g_ptr_array_new_with_free_func (g_free);
  self->takes = g_list_store_new (CF_TYPE_TAKE);
  self->take_array = g_ptr_array_new_with_free_func (g_object_unref);
  self->collectable = g_hash_table_new (NULL, NULL);
  self->kept_handles = g_hash_table_new_full (NULL, NULL, NULL,
                                              (GDestroyNotify) cf_take_handle_free);
  self->run_accounts = g_list_store_new (CF_TYPE_RUN_ACCOUNT);
  self->run_account_array = g_ptr_array_new_with_free_func (g_object_unref);
  self->known = g_array_new (FALSE, TRUE, sizeof (KnownTake));
  g_array_set_clear_func (self->known, (GDestroyNotify) known_take_clear);
}

static char *
new_run_id (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  return g_strdup_printf ("%s-%04x", stamp, g_random_int_range (0, 0x10000));
}

static void
emit_log (CfRun      *self,
          const char *line)
{
  g_signal_emit (self, signals[LOG], 0, line);
}

static void
set_state (CfRun      *self,
           CfRunState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static guint
account_limit (CfRun     *self,
               CfAccount *account)
{
  guint override = cf_run_settings_get_max_in_flight (self->settings);

  if (override > 0)
    return override;
  return MAX (cf_account_get_max_in_flight (account), 1);
}

/* Keeps the accounts that can take part; the others are named in the log at start. */
static void
take_accounts (CfRun     *self,
               GPtrArray *accounts)
{
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (accounts, i);
      CfRunAccount *run_account;

      g_return_if_fail (CF_IS_ACCOUNT (account));

      if (!cf_account_get_enabled (account))
        {
          g_ptr_array_add (self->skipped,
                           g_strdup_printf (_("%s is disabled: left out of the run"),
                                            cf_account_get_name (account)));
          continue;
        }
      if (!cf_account_is_usable (account))
        {
          g_ptr_array_add (self->skipped,
                           g_strdup_printf (_("%s has no tokens or key: left out of the run"),
                                            cf_account_get_name (account)));
          continue;
        }

      g_ptr_array_add (self->accounts, cf_account_copy (account));
      run_account = cf_run_account_new (cf_account_get_id (account),
                                        cf_account_get_name (account),
                                        account_limit (self, account));
      g_ptr_array_add (self->run_account_array, run_account);
    }

  g_list_store_splice (self->run_accounts, 0, 0,
                       self->run_account_array->pdata, self->run_account_array->len);

  self->mode = self->accounts->len > 1 ? CF_RUN_MODE_PARALLEL : CF_RUN_MODE_SEQUENTIAL;
}

static void
add_takes_model (CfRun *self)
{
  /* One splice: a thousand cards cost one items-changed. */
  g_list_store_splice (self->takes, 0, 0, self->take_array->pdata, self->take_array->len);
  self->n_total = self->take_array->len;
}

CfRun *
cf_run_new (CfScript      *script,
            GPtrArray     *accounts,
            CfRunSettings *settings)
{
  CfRun *self;
  gint64 now = g_get_real_time ();
  guint first_take = 0;

  g_return_val_if_fail (CF_IS_SCRIPT (script), NULL);
  g_return_val_if_fail (settings == NULL || CF_IS_RUN_SETTINGS (settings), NULL);

  self = g_object_new (CF_TYPE_RUN, NULL);
  self->settings = settings ? cf_run_settings_copy (settings) : cf_run_settings_new ();
  self->id = new_run_id ();
  self->script_title = g_strdup (cf_script_get_title (script));

  take_accounts (self, accounts);

  for (guint i = 0; i < cf_script_get_n_scenes (script); i++)
    {
      CfScene *scene = cf_script_get_scene (script, i);
      CfSchedScene *sched_scene = g_new0 (CfSchedScene, 1);
      CfAspect aspect = cf_scene_get_aspect (scene);
      guint takes = cf_scene_get_takes (scene);

      if (aspect == CF_ASPECT_DEFAULT)
        aspect = cf_script_get_default_aspect (script);
      if (aspect == CF_ASPECT_DEFAULT)
        aspect = cf_run_settings_get_aspect (self->settings);
      if (takes == 0)
        takes = cf_script_get_default_takes (script);
      if (takes == 0)
        takes = cf_run_settings_get_takes_per_scene (self->settings);
      takes = CLAMP (takes, 1, 16);

      sched_scene->number = i + 1;
      sched_scene->title = g_strdup (cf_scene_get_title (scene));
      sched_scene->prompt = g_strdup (cf_scene_get_prompt (scene));
      sched_scene->negative_prompt = g_strdup (cf_scene_get_negative_prompt (scene));
      sched_scene->aspect = aspect;
      sched_scene->n_takes = takes;
      sched_scene->seed = cf_scene_get_seed (scene);
      sched_scene->first_take = first_take;
      first_take += takes;
      g_ptr_array_add (self->scenes, sched_scene);

      for (guint t = 1; t <= takes; t++)
        g_ptr_array_add (self->take_array,
                         cf_take_new (sched_scene->number, sched_scene->title, t,
                                      sched_scene->prompt, now));
    }

  self->n_scenes = self->scenes->len;
  add_takes_model (self);

  {
    g_autofree char *state_dir = cf_run_settings_dup_effective_state_dir (self->settings);

    self->journal_dir = g_build_filename (state_dir, self->id, NULL);
  }

  return self;
}

static char *
resolve_run_dir (const char    *dir_or_id,
                 CfRunSettings *settings)
{
  g_autofree char *state_dir = NULL;

  if (strchr (dir_or_id, G_DIR_SEPARATOR) != NULL ||
      g_file_test (dir_or_id, G_FILE_TEST_IS_DIR))
    return g_strdup (dir_or_id);

  state_dir = cf_run_settings_dup_effective_state_dir (settings);
  return g_build_filename (state_dir, dir_or_id, NULL);
}

static int
find_account (CfRun      *self,
              const char *id,
              const char *name)
{
  for (guint i = 0; id != NULL && i < self->accounts->len; i++)
    if (g_strcmp0 (cf_account_get_id (g_ptr_array_index (self->accounts, i)), id) == 0)
      return i;
  for (guint i = 0; name != NULL && i < self->accounts->len; i++)
    if (g_strcmp0 (cf_account_get_name (g_ptr_array_index (self->accounts, i)), name) == 0)
      return i;
  return -1;
}

CfRun *
cf_run_new_resume (const char     *journal_dir_or_run_id,
                   GPtrArray      *accounts,
                   CfRunSettings  *settings,
                   GError        **error)
{
  g_autoptr(CfRun) self = NULL;
  g_autoptr(CfReplay) replay = NULL;
  g_autofree char *run_dir = NULL;
  JsonObject *saved;
  guint first_take = 0;

  g_return_val_if_fail (journal_dir_or_run_id != NULL, NULL);
  g_return_val_if_fail (settings == NULL || CF_IS_RUN_SETTINGS (settings), NULL);

  self = g_object_new (CF_TYPE_RUN, NULL);
  self->settings = settings ? cf_run_settings_copy (settings) : cf_run_settings_new ();

  run_dir = resolve_run_dir (journal_dir_or_run_id, self->settings);
  replay = cf_replay_read (run_dir, error);
  if (replay == NULL)
    return NULL;

  /* What was asked for stays what the journal says. */
  saved = replay->settings;
  if (json_object_has_member (saved, "model_key"))
    cf_run_settings_set_model_key (self->settings,
                                   json_object_get_string_member (saved, "model_key"));
  if (json_object_has_member (saved, "gemini_model_key"))
    cf_run_settings_set_gemini_model_key (self->settings,
                                          json_object_get_string_member (saved,
                                                                         "gemini_model_key"));
  if (json_object_has_member (saved, "output_dir"))
    cf_run_settings_set_output_dir (self->settings,
                                    json_object_get_string_member (saved, "output_dir"));

  self->is_resume = TRUE;
  self->id = g_strdup (replay->run_id);
  self->journal_dir = g_strdup (run_dir);
  self->script_title = g_strdup (replay->script_title);

  take_accounts (self, accounts);

  for (guint i = 0; i < replay->scenes->len; i++)
    {
      CfReplayScene *rs = g_ptr_array_index (replay->scenes, i);
      CfSchedScene *scene = g_new0 (CfSchedScene, 1);

      scene->number = rs->number;
      scene->title = g_strdup (rs->title);
      scene->prompt = g_strdup (rs->prompt);
      scene->negative_prompt = g_strdup (rs->negative_prompt);
      scene->aspect = rs->aspect;
      scene->n_takes = rs->n_takes;
      scene->seed = rs->seed;
      scene->first_take = first_take;
      first_take += rs->n_takes;
      g_ptr_array_add (self->scenes, scene);

      for (guint t = 0; t < rs->n_takes; t++)
        {
          CfReplayTake *rt = &rs->takes[t];
          CfTake *take = cf_take_new (scene->number, scene->title, t + 1, scene->prompt,
                                      replay->created);

          cf_take_set_account (take, rt->account_id, rt->account_name);
          cf_take_set_seed (take, rt->seed);
          cf_take_set_attempts (take, rt->attempts);
          cf_take_set_submitted_time (take, rt->submitted_time);
          if (rt->handle != NULL)
            cf_take_set_handle_name (take, rt->handle->name);

          switch (rt->status)
            {
            case CF_REPLAY_DONE:
              cf_take_set_state (take, CF_TAKE_STATE_DONE);
              cf_take_set_file_path (take, rt->file);
              cf_take_set_finished_time (take, rt->finished_time);
              self->n_done++;
              break;

            case CF_REPLAY_FAILED:
              cf_take_set_state (take, CF_TAKE_STATE_FAILED);
              cf_take_set_error (take, rt->error_code, rt->reason);
              cf_take_set_finished_time (take, rt->finished_time);
              self->n_failed++;
              break;

            case CF_REPLAY_UNCERTAIN:
              cf_take_set_state (take, CF_TAKE_STATE_UNCERTAIN);
              cf_take_set_error (take, -1,
                                 _("Its submit was on its way when the run ended: "
                                   "it may have been charged"));
              break;

            case CF_REPLAY_HANDLE:
              {
                int account = find_account (self, rt->account_id, rt->account_name);

                if (account < 0)
                  {
                    g_autofree char *reason = NULL;

                    reason = g_strdup_printf (_("Paid for on %s, which is not in this run: "
                                                "enable it and resume again to collect it"),
                                              rt->account_name ? rt->account_name : rt->account_id);
                    cf_take_set_state (take, CF_TAKE_STATE_FAILED);
                    cf_take_set_error (take, CF_ERROR_ACCESS_DENIED, reason);
                    self->n_failed++;
                  }
                else
                  {
                    KnownTake known = { 0 };

                    known.scene_index = i;
                    known.take_number = t + 1;
                    known.account = account;
                    known.handle = cf_take_handle_copy (rt->handle);
                    known.seed = rt->seed;
                    known.submitted_time = rt->submitted_time;
                    g_array_append_val (self->known, known);
                    cf_take_set_state (take, CF_TAKE_STATE_PENDING);
                  }
              }
              break;

            case CF_REPLAY_UNSUBMITTED:
            default:
              cf_take_set_state (take, CF_TAKE_STATE_QUEUED);
              break;
            }

          g_ptr_array_add (self->take_array, take);
        }
    }

  self->n_scenes = self->scenes->len;
  add_takes_model (self);

  return g_steal_pointer (&self);
}

/* Main-thread side of the events */

static gboolean
counts_as_failed (CfTakeState state)
{
  return state == CF_TAKE_STATE_FAILED || state == CF_TAKE_STATE_TIMED_OUT;
}

static void
count_transition (CfRun       *self,
                  CfTakeState  before,
                  CfTakeState  after)
{
  if (before == CF_TAKE_STATE_DONE)
    self->n_done--;
  else if (counts_as_failed (before))
    self->n_failed--;

  if (after == CF_TAKE_STATE_DONE)
    self->n_done++;
  else if (counts_as_failed (after))
    self->n_failed++;
}

static void
apply_take_event (CfRun      *self,
                  CfRunEvent *event)
{
  CfTake *take;
  CfTakeState before;

  if (event->index >= self->take_array->len)
    return;

  take = g_ptr_array_index (self->take_array, event->index);
  before = cf_take_get_state (take);

  g_object_freeze_notify (G_OBJECT (take));

  if ((event->fields & CF_TAKE_FIELD_ACCOUNT) && event->account < self->accounts->len)
    {
      CfAccount *account = g_ptr_array_index (self->accounts, event->account);

      cf_take_set_account (take, cf_account_get_id (account), cf_account_get_name (account));
    }
  if (event->fields & CF_TAKE_FIELD_ERROR)
    cf_take_set_error (take, event->error_code, event->reason);
  if (event->fields & CF_TAKE_FIELD_SUBMITTED)
    cf_take_set_submitted_time (take, event->time);
  if (event->fields & CF_TAKE_FIELD_STARTED)
    cf_take_set_started_time (take, event->time);
  if (event->fields & CF_TAKE_FIELD_FINISHED)
    cf_take_set_finished_time (take, event->time);
  if (event->fields & CF_TAKE_FIELD_FILE)
    cf_take_set_file_path (take, event->file);
  if (event->fields & CF_TAKE_FIELD_HANDLE)
    cf_take_set_handle_name (take, event->handle_name);
  if (event->fields & CF_TAKE_FIELD_CREDITS)
    cf_take_set_credits (take, event->credits);
  if (event->fields & CF_TAKE_FIELD_SEED)
    cf_take_set_seed (take, event->seed);
  if (event->fields & CF_TAKE_FIELD_ATTEMPTS)
    cf_take_set_attempts (take, cf_take_get_attempts (take) + event->attempts);
  if (event->fields & CF_TAKE_FIELD_STATE)
    {
      cf_take_set_state (take, event->state);
      count_transition (self, before, event->state);
      if (event->state == CF_TAKE_STATE_FAILED && before == CF_TAKE_STATE_DOWNLOADING)
        g_hash_table_add (self->collectable, take);
      if (event->state == CF_TAKE_STATE_TIMED_OUT && event->handle != NULL)
        g_hash_table_replace (self->kept_handles, take, g_steal_pointer (&event->handle));
      else if (event->state == CF_TAKE_STATE_DONE)
        g_hash_table_remove (self->kept_handles, take);
    }

  g_object_thaw_notify (G_OBJECT (take));

  g_signal_emit (self, signals[TAKE_CHANGED], 0, take);
}

static void
apply_events (GObject     *target,
              CfScheduler *scheduler,
              GPtrArray   *events)
{
  CfRun *self = CF_RUN (target);
  guint done = self->n_done;
  guint failed = self->n_failed;

  /* A batch from an earlier start of this object (or a run torn down) is stale. */
  if (self->scheduler != scheduler || scheduler->generation != self->generation)
    return;

  self->n_dispatches++;
  self->n_events += events->len;

  for (guint i = 0; i < events->len; i++)
    {
      CfRunEvent *event = g_ptr_array_index (events, i);

      switch (event->kind)
        {
        case CF_RUN_EVENT_LOG:
          emit_log (self, event->text);
          break;

        case CF_RUN_EVENT_TAKE:
          apply_take_event (self, event);
          break;

        case CF_RUN_EVENT_ACCOUNT:
          if (event->index < self->run_account_array->len)
            {
              CfRunAccount *account = g_ptr_array_index (self->run_account_array, event->index);

              if (cf_run_account_apply (account, &event->snapshot))
                g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, account);
            }
          break;

        default:
          break;
        }
    }

  if (done != self->n_done || failed != self->n_failed)
    {
      if (done != self->n_done)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
      if (failed != self->n_failed)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
      g_signal_emit (self, signals[PROGRESS], 0, self->n_done, self->n_failed, self->n_total);
    }
}

/* Starting and finishing */

static JsonObject *
run_line (CfRun *self)
{
  JsonObject *line = json_object_new ();
  JsonObject *settings = json_object_new ();
  JsonArray *scenes = json_array_new ();
  JsonArray *accounts = json_array_new ();
  g_autofree char *output_dir = cf_run_settings_dup_effective_output_dir (self->settings);

  json_object_set_string_member (line, "run_id", self->id);
  json_object_set_int_member (line, "version", 1);
  if (self->script_title != NULL)
    json_object_set_string_member (line, "title", self->script_title);

  json_object_set_string_member (settings, "model_key",
                                 cf_run_settings_get_model_key (self->settings));
  json_object_set_string_member (settings, "gemini_model_key",
                                 cf_run_settings_get_gemini_model_key (self->settings));
  json_object_set_string_member (settings, "aspect",
                                 cf_aspect_to_string (cf_run_settings_get_aspect (self->settings)));
  json_object_set_int_member (settings, "takes_per_scene",
                              cf_run_settings_get_takes_per_scene (self->settings));
  json_object_set_string_member (settings, "output_dir", output_dir);
  json_object_set_int_member (settings, "poll_interval_ms",
                              cf_run_settings_get_poll_interval_ms (self->settings));
  json_object_set_int_member (settings, "take_time_limit_ms",
                              cf_run_settings_get_take_time_limit_ms (self->settings));
  json_object_set_string_member (settings, "strategy",
                                 cf_strategy_to_string (cf_run_settings_get_strategy (self->settings)));
  json_object_set_int_member (settings, "max_in_flight",
                              cf_run_settings_get_max_in_flight (self->settings));
  json_object_set_object_member (line, "settings", settings);

  for (guint i = 0; i < self->scenes->len; i++)
    {
      CfSchedScene *scene = g_ptr_array_index (self->scenes, i);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "number", scene->number);
      if (scene->title != NULL)
        json_object_set_string_member (object, "title", scene->title);
      json_object_set_string_member (object, "prompt", scene->prompt ? scene->prompt : "");
      if (scene->negative_prompt != NULL)
        json_object_set_string_member (object, "negative_prompt", scene->negative_prompt);
      json_object_set_string_member (object, "aspect", cf_aspect_to_string (scene->aspect));
      json_object_set_int_member (object, "takes", scene->n_takes);
      json_object_set_int_member (object, "seed", scene->seed);
      json_array_add_object_element (scenes, object);
    }
  json_object_set_array_member (line, "scenes", scenes);

  /* Names and ids only: never a token or a key. */
  for (guint i = 0; i < self->accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (self->accounts, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "id", cf_account_get_id (account));
      json_object_set_string_member (object, "name", cf_account_get_name (account));
      json_object_set_string_member (object, "kind",
                                     cf_account_kind_to_string (cf_account_get_kind (account)));
      json_array_add_object_element (accounts, object);
    }
  json_object_set_array_member (line, "accounts", accounts);

  return line;
}

static void
log_header (CfRun *self)
{
  for (guint i = 0; i < self->skipped->len; i++)
    emit_log (self, g_ptr_array_index (self->skipped, i));

  if (self->accounts->len == 0)
    return;

  if (self->mode == CF_RUN_MODE_PARALLEL)
    {
      g_autofree char *line = g_strdup_printf (_("Multi-account mode: %u accounts active"),
                                               self->accounts->len);
      emit_log (self, line);
    }
  else
    {
      g_autofree char *line = g_strdup_printf (_("Single-account mode: %s"),
                                               cf_account_get_name (g_ptr_array_index (self->accounts, 0)));
      emit_log (self, line);
    }

  for (guint i = 0; i < self->accounts->len; i++)
    {
      CfAccount *account = g_ptr_array_index (self->accounts, i);
      g_autofree char *line = NULL;

      if (cf_account_get_kind (account) == CF_ACCOUNT_KIND_GEMINI)
        line = g_strdup_printf (_("  %s (Gemini API key)"), cf_account_get_name (account));
      else
        {
          g_autofree char *project = cf_account_dup_short_project_id (account);
          guint n_tokens = cf_account_get_n_tokens (account);

          line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "  %s (project %s, %u token)",
                                               "  %s (project %s, %u tokens)", n_tokens),
                                  cf_account_get_name (account),
                                  project ? project : "?", n_tokens);
        }
      emit_log (self, line);
    }

  {
    g_autofree char *line = g_strdup_printf (_("Processing mode: %s"),
                                             self->mode == CF_RUN_MODE_PARALLEL ?
                                             "PARALLEL" : "SEQUENTIAL");
    emit_log (self, line);
  }
}

/* Back to TIMED_OUT, its handle still kept: a take retried from there
 * that its account never got to poll again before the run ended. */
static void
keep_timed_out (CfRun       *self,
                CfTake      *take,
                CfTakeState  before)
{
  g_object_freeze_notify (G_OBJECT (take));
  cf_take_set_state (take, CF_TAKE_STATE_TIMED_OUT);
  cf_take_set_error (take, CF_ERROR_TIMED_OUT,
                     _("The run ended before its account could ask for it again; it is paid "
                       "for and kept: Retry asks for it again."));
  cf_take_set_finished_time (take, g_get_real_time ());
  g_object_thaw_notify (G_OBJECT (take));
  count_transition (self, before, CF_TAKE_STATE_TIMED_OUT);
  g_signal_emit (self, signals[TAKE_CHANGED], 0, take);
}

static void
finish_run (CfRun *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autofree char *sweep_reason = NULL;
  CfTakeState sweep_state = CF_TAKE_STATE_FAILED;
  CfRunState final_state;
  guint done = self->n_done;
  guint failed = self->n_failed;

  g_object_ref (self);

  if (self->scheduler != NULL)
    {
      cf_scheduler_flush (self->scheduler);
      error = cf_scheduler_dup_fatal_error (self->scheduler);
    }

  if (error != NULL)
    {
      final_state = CF_RUN_STATE_FAILED;
      sweep_reason = g_strdup (error->message);
    }
  else if (self->cancel_requested || g_cancellable_is_cancelled (self->cancellable))
    {
      final_state = CF_RUN_STATE_CANCELLED;
      sweep_state = CF_TAKE_STATE_CANCELLED;
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The run was cancelled"));
    }
  else if (self->scheduler != NULL && g_atomic_int_get (&self->scheduler->all_out))
    {
      final_state = CF_RUN_STATE_FAILED;
      error = cf_scheduler_new_all_out_error (self->scheduler);
      sweep_reason = g_strdup (error->message);
    }
  else if (self->stop_requested)
    {
      final_state = CF_RUN_STATE_STOPPED;
      sweep_state = CF_TAKE_STATE_CANCELLED;
    }
  else
    {
      final_state = CF_RUN_STATE_FINISHED;
      sweep_reason = g_strdup (_("Not processed"));
    }

  /* Cards the workers never reached. */
  for (guint i = 0; i < self->take_array->len; i++)
    {
      CfTake *take = g_ptr_array_index (self->take_array, i);
      CfTakeState state = cf_take_get_state (take);

      if (cf_take_state_is_final (state) || state == CF_TAKE_STATE_UNCERTAIN)
        continue;

      /* A timed-out take retried too late for its account to poll it: it
       * is still paid for, and collectable after the run. */
      if (g_hash_table_contains (self->kept_handles, take))
        {
          keep_timed_out (self, take, state);
          continue;
        }

      g_object_freeze_notify (G_OBJECT (take));
      cf_take_set_state (take, sweep_state);
      if (sweep_state == CF_TAKE_STATE_FAILED)
        cf_take_set_error (take, error ? error->code : CF_ERROR_FAILED, sweep_reason);
      g_object_thaw_notify (G_OBJECT (take));
      count_transition (self, state, sweep_state);
      g_signal_emit (self, signals[TAKE_CHANGED], 0, take);
    }

  if (done != self->n_done)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  if (failed != self->n_failed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
  g_signal_emit (self, signals[PROGRESS], 0, self->n_done, self->n_failed, self->n_total);

  if (self->scheduler != NULL && self->scheduler->journal != NULL)
    {
      JsonObject *line = json_object_new ();

      json_object_set_string_member (line, "state", cf_run_state_to_string (final_state));
      cf_journal_append (self->scheduler->journal, CF_JOURNAL_END, line, TRUE, NULL);
    }

  if (self->pool != NULL)
    {
      /* Every worker returned: the threads are only finishing their last unref. */
      g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = NULL;
    }

  if (self->scheduler != NULL)
    {
      self->n_dispatches = MAX (self->n_dispatches,
                                cf_scheduler_get_n_dispatches (self->scheduler));
      g_clear_pointer (&self->scheduler, cf_scheduler_unref);
    }

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *line = g_strdup_printf (_("The run ended: %s"), error->message);

      emit_log (self, line);
    }
  else
    {
      g_autofree char *line = g_strdup_printf (_("Run %s: %u done, %u failed, %u in all"),
                                               cf_run_state_to_string (final_state),
                                               self->n_done, self->n_failed, self->n_total);

      emit_log (self, line);
    }

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  set_state (self, final_state);

  if (self->caller_cancelled_id != 0)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->caller_cancelled_id);
      self->caller_cancelled_id = 0;
    }

  g_signal_emit (self, signals[FINISHED], 0);

  if (task != NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
    }

  g_object_unref (self);
}

static void
worker_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CfRun *self = CF_RUN (object);

  g_assert (self->n_running > 0);

  if (--self->n_running == 0)
    finish_run (self);
}

static void
worker_thread_func (gpointer data,
                    gpointer user_data)
{
  GTask *task = data;

  cf_worker_run (g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static const char *
model_for (CfRun     *self,
           CfAccount *account)
{
  const char *model = cf_account_get_model_key (account);

  if (model != NULL && *model != '\0')
    return model;
  if (cf_account_get_kind (account) == CF_ACCOUNT_KIND_GEMINI)
    return cf_run_settings_get_gemini_model_key (self->settings);
  return cf_run_settings_get_model_key (self->settings);
}

static gboolean
prepare (CfRun   *self,
         GError **error)
{
  CfScheduler *sched;
  g_autoptr(JsonObject) first_line = NULL;
  guint n_accounts = self->accounts->len;
  gboolean round_robin;
  guint dealt = 0;
  guint outstanding = 0;

  if (n_accounts == 0)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("No enabled account can take part: add an account or "
                             "enable one (with its tokens or API key) in Accounts"));
      return FALSE;
    }

  if (self->journal_dir == NULL)
    {
      g_autofree char *state_dir = cf_run_settings_dup_effective_state_dir (self->settings);

      self->journal_dir = g_build_filename (state_dir, self->id, NULL);
    }

  self->generation++;
  sched = self->scheduler = cf_scheduler_new (G_OBJECT (self), self->generation, apply_events,
                                              self->settings, self->cancellable);
  sched->script_title = g_strdup (self->script_title);

  sched->journal = cf_journal_open (self->journal_dir, error);
  if (sched->journal == NULL)
    return FALSE;

  if (self->is_resume)
    {
      JsonObject *line = json_object_new ();

      json_object_set_boolean_member (line, "resubmit_uncertain", self->resubmit_uncertain);
      if (!cf_journal_append (sched->journal, CF_JOURNAL_RESUME, line, TRUE, error))
        return FALSE;
    }
  else if (!cf_journal_append (sched->journal, CF_JOURNAL_RUN, run_line (self), TRUE, error))
    return FALSE;

  /* The scenes and accounts now belong to the workers' shared, immutable part. */
  g_ptr_array_extend_and_steal (sched->scenes, g_steal_pointer (&self->scenes));
  self->scenes = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_sched_scene_free);
  for (guint i = 0; i < n_accounts; i++)
    g_ptr_array_add (sched->accounts, cf_account_copy (g_ptr_array_index (self->accounts, i)));
  sched->n_takes = self->take_array->len;
  cf_scheduler_begin (sched);

  round_robin = cf_run_settings_get_strategy (self->settings) == CF_STRATEGY_ROUND_ROBIN;

  for (guint i = 0; i < sched->scenes->len; i++)
    {
      CfSchedScene *scene = g_ptr_array_index (sched->scenes, i);
      CfSceneUnit *unit = NULL;

      for (guint t = 1; t <= scene->n_takes; t++)
        {
          CfTake *take = g_ptr_array_index (self->take_array, scene->first_take + t - 1);
          CfTakeState state = cf_take_get_state (take);

          if (state == CF_TAKE_STATE_UNCERTAIN && self->resubmit_uncertain)
            {
              cf_take_set_state (take, CF_TAKE_STATE_QUEUED);
              cf_take_set_error (take, -1, NULL);
              state = CF_TAKE_STATE_QUEUED;
            }
          if (state != CF_TAKE_STATE_QUEUED)
            continue;

          if (unit == NULL)
            unit = cf_scene_unit_new (i, n_accounts);
          cf_scene_unit_add_take (unit, t);
        }

      if (unit != NULL)
        {
          if (round_robin)
            unit->assigned = dealt++ % n_accounts;
          outstanding += unit->n_takes;
          cf_scene_queue_push (sched->queue, unit, FALSE);
        }
    }

  outstanding += self->known->len;
  cf_scene_queue_add_outstanding (sched->queue, outstanding);

  return TRUE;
}

void
cf_run_start_async (CfRun               *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  guint n_accounts;

  g_return_if_fail (CF_IS_RUN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->state == CF_RUN_STATE_READY);
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, cf_run_start_async);
  /* The run's own result carries cancellation itself: see finish_run(). */
  g_task_set_check_cancellable (self->task, FALSE);

  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                         G_CALLBACK (caller_cancelled_cb),
                                                         g_object_ref (self->cancellable),
                                                         g_object_unref);
    }

  set_state (self, CF_RUN_STATE_RUNNING);
  log_header (self);

  if (!prepare (self, &error))
    {
      if (self->scheduler != NULL)
        cf_scheduler_fail (self->scheduler, error);
      else
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->task);

          g_clear_error (&self->error);
          self->error = g_error_copy (error);
          emit_log (self, error->message);
          set_state (self, CF_RUN_STATE_FAILED);
          g_signal_emit (self, signals[FINISHED], 0);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      finish_run (self);
      return;
    }

  n_accounts = self->accounts->len;
  self->pool = g_thread_pool_new (worker_thread_func, NULL, n_accounts, TRUE, &error);
  if (self->pool == NULL)
    {
      cf_scheduler_fail (self->scheduler, error);
      finish_run (self);
      return;
    }

  for (guint i = 0; i < n_accounts; i++)
    {
      CfAccount *account = g_ptr_array_index (self->scheduler->accounts, i);
      CfWorker *worker;
      GTask *task;

      worker = cf_worker_new (self->scheduler, i, account,
                              cf_run_settings_get_endpoints (self->settings),
                              model_for (self, account),
                              account_limit (self, account));

      for (guint k = 0; k < self->known->len; k++)
        {
          KnownTake *known = &g_array_index (self->known, KnownTake, k);

          if (known->account == i)
            cf_worker_add_known_take (worker, known->scene_index, known->take_number,
                                      known->handle, known->seed, known->submitted_time);
        }

      task = g_task_new (self, self->cancellable, worker_done_cb, NULL);
      g_task_set_source_tag (task, worker_thread_func);
      g_task_set_check_cancellable (task, FALSE);
      g_task_set_task_data (task, worker, (GDestroyNotify) cf_worker_free);
      self->n_running++;
      g_thread_pool_push (self->pool, task, NULL);
    }
}

gboolean
cf_run_start_finish (CfRun         *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (CF_IS_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cf_run_stop (CfRun *self)
{
  g_return_if_fail (CF_IS_RUN (self));

  if (self->state != CF_RUN_STATE_RUNNING)
    return;

  self->stop_requested = TRUE;
  set_state (self, CF_RUN_STATE_STOPPING);
  emit_log (self, _("Stopping: no new submits; what is paid for is still collected"));
  if (self->scheduler != NULL)
    cf_scene_queue_stop (self->scheduler->queue);
}

static int
scene_index_by_number (CfScheduler *sched,
                       guint        number)
{
  for (guint i = 0; i < sched->scenes->len; i++)
    if (((CfSchedScene *) g_ptr_array_index (sched->scenes, i))->number == number)
      return (int) i;
  return -1;
}

static JsonObject *
retry_line (CfTake     *take,
            CfAccount  *avoided)
{
  JsonObject *line = json_object_new ();

  json_object_set_int_member (line, "scene", cf_take_get_scene_number (take));
  json_object_set_int_member (line, "take", cf_take_get_take_number (take));
  if (avoided != NULL)
    json_object_set_string_member (line, "avoid_account_id", cf_account_get_id (avoided));

  return line;
}

/* The retry could not be queued after all: the journal says so, so that a
 * resume does not make the take again. */
static void
journal_retry_refused (CfRun  *self,
                       CfTake *take)
{
  JsonObject *line = retry_line (take, NULL);

  json_object_set_int_member (line, "code", cf_take_get_error_code (take));
  if (cf_take_get_error_reason (take) != NULL)
    json_object_set_string_member (line, "reason", cf_take_get_error_reason (take));
  json_object_set_boolean_member (line, "final", TRUE);
  cf_scheduler_journal (self->scheduler, CF_JOURNAL_FAILED, line, FALSE);
}

gboolean
cf_run_take_is_collectable (CfRun  *self,
                            CfTake *take)
{
  g_return_val_if_fail (CF_IS_RUN (self), FALSE);
  g_return_val_if_fail (CF_IS_TAKE (take), FALSE);

  switch (cf_take_get_state (take))
    {
    case CF_TAKE_STATE_FAILED:
      return g_hash_table_contains (self->collectable, take);
    case CF_TAKE_STATE_TIMED_OUT:
      return g_hash_table_contains (self->kept_handles, take);
    default:
      return FALSE;
    }
}

/* A retried take, back in the queue: no longer counted as failed. */
static void
mark_queued_again (CfRun       *self,
                   CfTake      *take,
                   CfTakeState  before)
{
  g_object_freeze_notify (G_OBJECT (take));
  cf_take_set_error (take, -1, NULL);
  cf_take_set_finished_time (take, 0);
  cf_take_set_state (take, CF_TAKE_STATE_QUEUED);
  g_object_thaw_notify (G_OBJECT (take));
  count_transition (self, before, CF_TAKE_STATE_QUEUED);
  g_signal_emit (self, signals[TAKE_CHANGED], 0, take);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
  g_signal_emit (self, signals[PROGRESS], 0, self->n_done, self->n_failed, self->n_total);
}

/*
 * The retry of a take that timed out: its account polls the kept handle
 * again, with a new time limit. Nothing is submitted, so nothing is paid
 * twice; the journal still has the handle, so no line is needed for a
 * resume to collect it after a crash.
 */
static gboolean
retry_kept_handle (CfRun   *self,
                   CfTake  *take,
                   GError **error)
{
  g_autoptr(CfSceneUnit) unit = NULL;
  CfTakeHandle *handle = g_hash_table_lookup (self->kept_handles, take);
  CfAccount *account;
  int scene_index;
  int index;

  /* A take that timed out was made by one of the run's accounts. */
  index = find_account (self, cf_take_get_account_id (take), NULL);
  scene_index = scene_index_by_number (self->scheduler, cf_take_get_scene_number (take));
  g_assert (index >= 0 && scene_index >= 0);
  account = g_ptr_array_index (self->accounts, index);

  unit = cf_scene_unit_new ((guint) scene_index, self->accounts->len);
  cf_scene_unit_add_take (unit, cf_take_get_take_number (take));
  /* Only the account that made it can poll its handle. */
  for (guint i = 0; i < self->accounts->len; i++)
    if (i != (guint) index)
      cf_scene_unit_avoid_account (unit, i);
  unit->handle = cf_take_handle_copy (handle);
  unit->submitted_time = cf_take_get_submitted_time (take);

  if (!cf_scene_queue_push_while_running (self->scheduler->queue, unit))
    {
      CfSceneQueue *queue = self->scheduler->queue;

      if (cf_scene_queue_is_stopping (queue) || cf_scene_queue_get_outstanding (queue) == 0)
        g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                             _("The run is ending: retry the clip when it has ended"));
      else
        g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                     _("%s is no longer working in this run: when the run has ended, "
                       "Retry asks for the clip again"),
                     cf_account_get_name (account));
      return FALSE;
    }
  /* The handle stays kept until the take is saved: if the run ends first,
   * the take is still collectable after it. */
  g_steal_pointer (&unit);

  return TRUE;
}

gboolean
cf_run_retry_take (CfRun   *self,
                   CfTake  *take,
                   GError **error)
{
  g_autoptr(CfSceneUnit) unit = NULL;
  CfAccount *avoided = NULL;
  int code;
  CfTakeState before;
  guint take_index;
  int scene_index;
  int account;

  g_return_val_if_fail (CF_IS_RUN (self), FALSE);
  g_return_val_if_fail (CF_IS_TAKE (take), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  before = cf_take_get_state (take);
  if (before != CF_TAKE_STATE_FAILED && before != CF_TAKE_STATE_TIMED_OUT)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("Only a failed clip can be retried"));
      return FALSE;
    }
  if (before == CF_TAKE_STATE_FAILED && cf_run_take_is_collectable (self, take))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("This clip was made and paid for, only not saved: when the run has ended, Retry downloads it again"));
      return FALSE;
    }
  if (self->state != CF_RUN_STATE_RUNNING || self->scheduler == NULL ||
      !g_ptr_array_find (self->take_array, take, &take_index))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("The run is ending: retry the clip when it has ended"));
      return FALSE;
    }

  if (before == CF_TAKE_STATE_TIMED_OUT && g_hash_table_contains (self->kept_handles, take))
    {
      if (!retry_kept_handle (self, take, error))
        return FALSE;
      mark_queued_again (self, take, before);
      return TRUE;
    }

  scene_index = scene_index_by_number (self->scheduler, cf_take_get_scene_number (take));
  g_return_val_if_fail (scene_index >= 0, FALSE);

  unit = cf_scene_unit_new ((guint) scene_index, self->accounts->len);
  cf_scene_unit_add_take (unit, cf_take_get_take_number (take));

  /* Where the account may have been the problem (tokens expired, quota
   * spent, failures or a render that never ended there), the scene goes to
   * another one. A refused prompt would be refused anywhere, and a full
   * disk is no account's fault: those may go to any. */
  account = find_account (self, cf_take_get_account_id (take), NULL);
  code = cf_take_get_error_code (take);
  if (account >= 0 && self->accounts->len > 1 &&
      code != CF_ERROR_POLICY && code != CF_ERROR_OUTPUT && code != CF_ERROR_BAD_INPUT)
    {
      avoided = g_ptr_array_index (self->accounts, account);
      cf_scene_unit_avoid_account (unit, (guint) account);
    }

  /* Journalled before any worker can see the unit: a resume must know the
   * take is to be made again, and the worker's submit line comes after. */
  if (!cf_scheduler_journal (self->scheduler, CF_JOURNAL_RETRY, retry_line (take, avoided), TRUE))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_OUTPUT,
                           _("The run's journal could not be written, so the clip was not retried"));
      return FALSE;
    }

  if (!cf_scene_queue_push_while_running (self->scheduler->queue, unit))
    {
      journal_retry_refused (self, take);
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           avoided != NULL
                             ? _("No other account is still working in this run: retry the clip when it has ended")
                             : _("The run is ending: retry the clip when it has ended"));
      return FALSE;
    }
  g_steal_pointer (&unit);
  mark_queued_again (self, take, before);

  if (avoided != NULL)
    {
      g_autofree char *line = g_strdup_printf (_("Scene %u take %u queued again, not on %s"),
                                               cf_take_get_scene_number (take),
                                               cf_take_get_take_number (take),
                                               cf_account_get_name (avoided));
      emit_log (self, line);
    }
  else
    {
      g_autofree char *line = g_strdup_printf (_("Scene %u take %u queued again"),
                                               cf_take_get_scene_number (take),
                                               cf_take_get_take_number (take));
      emit_log (self, line);
    }

  return TRUE;
}

void
cf_run_cancel (CfRun *self)
{
  g_return_if_fail (CF_IS_RUN (self));

  if (self->state != CF_RUN_STATE_RUNNING && self->state != CF_RUN_STATE_STOPPING)
    return;

  self->cancel_requested = TRUE;
  emit_log (self, _("Cancelling: the journal keeps what is paid for, resume to collect it"));
  g_cancellable_cancel (self->cancellable);
}

const char *
cf_run_get_id (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), NULL);
  return self->id;
}

const char *
cf_run_get_journal_dir (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), NULL);
  return self->journal_dir;
}

CfRunMode
cf_run_get_mode (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), CF_RUN_MODE_SEQUENTIAL);
  return self->mode;
}

CfRunState
cf_run_get_state (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), CF_RUN_STATE_READY);
  return self->state;
}

const GError *
cf_run_get_error (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), NULL);
  return self->error;
}

CfRunSettings *
cf_run_get_settings (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), NULL);
  return self->settings;
}

const char *
cf_run_get_script_title (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), NULL);
  return self->script_title;
}

GListModel *
cf_run_get_takes (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->takes);
}

GListModel *
cf_run_get_accounts (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->run_accounts);
}

guint
cf_run_get_n_done (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), 0);
  return self->n_done;
}

guint
cf_run_get_n_failed (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), 0);
  return self->n_failed;
}

guint
cf_run_get_n_total (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), 0);
  return self->n_total;
}

GPtrArray *
cf_run_dup_uncertain_takes (CfRun *self)
{
  GPtrArray *uncertain;

  g_return_val_if_fail (CF_IS_RUN (self), NULL);

  uncertain = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->take_array->len; i++)
    {
      CfTake *take = g_ptr_array_index (self->take_array, i);

      if (cf_take_get_state (take) == CF_TAKE_STATE_UNCERTAIN)
        g_ptr_array_add (uncertain, g_object_ref (take));
    }

  return uncertain;
}

void
cf_run_set_resubmit_uncertain (CfRun    *self,
                               gboolean  resubmit)
{
  g_return_if_fail (CF_IS_RUN (self));
  g_return_if_fail (self->state == CF_RUN_STATE_READY);

  self->resubmit_uncertain = !!resubmit;
}

guint
cf_run_get_n_dispatches (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), 0);
  return self->n_dispatches;
}

guint
cf_run_get_n_events (CfRun *self)
{
  g_return_val_if_fail (CF_IS_RUN (self), 0);
  return self->n_events;
}

const char *
cf_run_mode_to_string (CfRunMode mode)
{
  return mode == CF_RUN_MODE_PARALLEL ? "parallel" : "sequential";
}

const char *
cf_run_state_to_string (CfRunState state)
{
  switch (state)
    {
    case CF_RUN_STATE_READY:
      return "ready";
    case CF_RUN_STATE_RUNNING:
      return "running";
    case CF_RUN_STATE_STOPPING:
      return "stopping";
    case CF_RUN_STATE_FINISHED:
      return "finished";
    case CF_RUN_STATE_STOPPED:
      return "stopped";
    case CF_RUN_STATE_CANCELLED:
      return "cancelled";
    case CF_RUN_STATE_FAILED:
      return "failed";
    default:
      return "unknown";
    }
}
