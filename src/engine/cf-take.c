/* cf-take.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-enum-types.h"
#include "cf-take-private.h"

struct _CfTake
{
  GObject      parent_instance;

  guint        scene_number;
  char        *scene_title;
  guint        take_number;
  char        *prompt;
  char        *account_name;
  char        *account_id;
  CfTakeState  state;
  int          error_code;
  char        *error_reason;
  gint64       queued_time;
  gint64       submitted_time;
  gint64       started_time;
  gint64       finished_time;
  char        *file_path;
  char        *handle_name;
  gint64       credits;
  gint64       seed;
  guint        attempts;
};

G_DEFINE_FINAL_TYPE (CfTake, cf_take, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCENE_NUMBER,
  PROP_SCENE_TITLE,
  PROP_TAKE_NUMBER,
  PROP_PROMPT,
  PROP_ACCOUNT_NAME,
  PROP_ACCOUNT_ID,
  PROP_STATE,
  PROP_ERROR_CODE,
  PROP_ERROR_REASON,
  PROP_QUEUED_TIME,
  PROP_SUBMITTED_TIME,
  PROP_STARTED_TIME,
  PROP_FINISHED_TIME,
  PROP_FILE_PATH,
  PROP_HANDLE_NAME,
  PROP_CREDITS,
  PROP_SEED,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cf_take_finalize (GObject *object)
{
  CfTake *self = (CfTake *)object;

  g_clear_pointer (&self->scene_title, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->account_name, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->error_reason, g_free);
  g_clear_pointer (&self->file_path, g_free);
  g_clear_pointer (&self->handle_name, g_free);

  G_OBJECT_CLASS (cf_take_parent_class)->finalize (object);
}

static void
cf_take_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CfTake *self = CF_TAKE (object);

  switch (prop_id)
    {
    case PROP_SCENE_NUMBER:
      g_value_set_uint (value, self->scene_number);
      break;
    case PROP_SCENE_TITLE:
      g_value_set_string (value, self->scene_title);
      break;
    case PROP_TAKE_NUMBER:
      g_value_set_uint (value, self->take_number);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->account_name);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR_CODE:
      g_value_set_int (value, self->error_code);
      break;
    case PROP_ERROR_REASON:
      g_value_set_string (value, self->error_reason);
      break;
    case PROP_QUEUED_TIME:
      g_value_set_int64 (value, self->queued_time);
      break;
    case PROP_SUBMITTED_TIME:
      g_value_set_int64 (value, self->submitted_time);
      break;
    case PROP_STARTED_TIME:
      g_value_set_int64 (value, self->started_time);
      break;
    case PROP_FINISHED_TIME:
      g_value_set_int64 (value, self->finished_time);
      break;
    case PROP_FILE_PATH:
      g_value_set_string (value, self->file_path);
      break;
    case PROP_HANDLE_NAME:
      g_value_set_string (value, self->handle_name);
      break;
    case PROP_CREDITS:
      g_value_set_int64 (value, self->credits);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_take_class_init (CfTakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cf_take_finalize;
  object_class->get_property = cf_take_get_property;

  properties[PROP_SCENE_NUMBER] =
    g_param_spec_uint ("scene-number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SCENE_TITLE] =
    g_param_spec_string ("scene-title", NULL, NULL, NULL, flags);
  properties[PROP_TAKE_NUMBER] =
    g_param_spec_uint ("take-number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_ACCOUNT_NAME] =
    g_param_spec_string ("account-name", NULL, NULL, NULL, flags);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CF_TYPE_TAKE_STATE, CF_TAKE_STATE_QUEUED, flags);
  properties[PROP_ERROR_CODE] =
    g_param_spec_int ("error-code", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_ERROR_REASON] =
    g_param_spec_string ("error-reason", NULL, NULL, NULL, flags);
  properties[PROP_QUEUED_TIME] =
    g_param_spec_int64 ("queued-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SUBMITTED_TIME] =
    g_param_spec_int64 ("submitted-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STARTED_TIME] =
    g_param_spec_int64 ("started-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FINISHED_TIME] =
    g_param_spec_int64 ("finished-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FILE_PATH] =
    g_param_spec_string ("file-path", NULL, NULL, NULL, flags);
  properties[PROP_HANDLE_NAME] =
    g_param_spec_string ("handle-name", NULL, NULL, NULL, flags);
  properties[PROP_CREDITS] =
    g_param_spec_int64 ("credits", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_SEED] =
    g_param_spec_int64 ("seed", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_take_init (CfTake *self)
{
  self->error_code = -1;
  self->credits = -1;
  self->seed = -1;
}

CfTake *
cf_take_new (guint       scene_number,
             const char *scene_title,
             guint       take_number,
             const char *prompt,
             gint64      queued_time)
{
  CfTake *self = g_object_new (CF_TYPE_TAKE, NULL);

  self->scene_number = scene_number;
  self->scene_title = g_strdup (scene_title);
  self->take_number = take_number;
  self->prompt = g_strdup (prompt);
  self->queued_time = queued_time;

  return self;
}

static void
set_string (CfTake      *self,
            char       **field,
            const char  *value,
            int          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (CfTake *self,
           gint64 *field,
           gint64  value,
           int     prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

guint
cf_take_get_scene_number (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), 0);
  return self->scene_number;
}

const char *
cf_take_get_scene_title (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), NULL);
  return self->scene_title;
}

guint
cf_take_get_take_number (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), 0);
  return self->take_number;
}

const char *
cf_take_get_prompt (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), NULL);
  return self->prompt;
}

const char *
cf_take_get_account_name (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), NULL);
  return self->account_name;
}

const char *
cf_take_get_account_id (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), NULL);
  return self->account_id;
}

CfTakeState
cf_take_get_state (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), CF_TAKE_STATE_QUEUED);
  return self->state;
}

int
cf_take_get_error_code (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), -1);
  return self->error_code;
}

const char *
cf_take_get_error_reason (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), NULL);
  return self->error_reason;
}

gint64
cf_take_get_queued_time (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), 0);
  return self->queued_time;
}

gint64
cf_take_get_submitted_time (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), 0);
  return self->submitted_time;
}

gint64
cf_take_get_started_time (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), 0);
  return self->started_time;
}

gint64
cf_take_get_finished_time (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), 0);
  return self->finished_time;
}

const char *
cf_take_get_file_path (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), NULL);
  return self->file_path;
}

const char *
cf_take_get_handle_name (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), NULL);
  return self->handle_name;
}

gint64
cf_take_get_credits (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), -1);
  return self->credits;
}

gint64
cf_take_get_seed (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), -1);
  return self->seed;
}

guint
cf_take_get_attempts (CfTake *self)
{
  g_return_val_if_fail (CF_IS_TAKE (self), 0);
  return self->attempts;
}

void
cf_take_set_state (CfTake      *self,
                   CfTakeState  state)
{
  g_return_if_fail (CF_IS_TAKE (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
cf_take_set_account (CfTake     *self,
                     const char *account_id,
                     const char *account_name)
{
  g_return_if_fail (CF_IS_TAKE (self));

  set_string (self, &self->account_id, account_id, PROP_ACCOUNT_ID);
  set_string (self, &self->account_name, account_name, PROP_ACCOUNT_NAME);
}

void
cf_take_set_error (CfTake     *self,
                   int         code,
                   const char *reason)
{
  g_return_if_fail (CF_IS_TAKE (self));

  if (self->error_code != code)
    {
      self->error_code = code;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_CODE]);
    }
  set_string (self, &self->error_reason, reason, PROP_ERROR_REASON);
}

void
cf_take_set_submitted_time (CfTake *self,
                            gint64  time)
{
  g_return_if_fail (CF_IS_TAKE (self));
  set_int64 (self, &self->submitted_time, time, PROP_SUBMITTED_TIME);
}

void
cf_take_set_started_time (CfTake *self,
                          gint64  time)
{
  g_return_if_fail (CF_IS_TAKE (self));
  set_int64 (self, &self->started_time, time, PROP_STARTED_TIME);
}

void
cf_take_set_finished_time (CfTake *self,
                           gint64  time)
{
  g_return_if_fail (CF_IS_TAKE (self));
  set_int64 (self, &self->finished_time, time, PROP_FINISHED_TIME);
}

void
cf_take_set_file_path (CfTake     *self,
                       const char *path)
{
  g_return_if_fail (CF_IS_TAKE (self));
  set_string (self, &self->file_path, path, PROP_FILE_PATH);
}

void
cf_take_set_handle_name (CfTake     *self,
                         const char *name)
{
  g_return_if_fail (CF_IS_TAKE (self));
  set_string (self, &self->handle_name, name, PROP_HANDLE_NAME);
}

void
cf_take_set_credits (CfTake *self,
                     gint64  credits)
{
  g_return_if_fail (CF_IS_TAKE (self));
  set_int64 (self, &self->credits, credits, PROP_CREDITS);
}

void
cf_take_set_seed (CfTake *self,
                  gint64  seed)
{
  g_return_if_fail (CF_IS_TAKE (self));
  set_int64 (self, &self->seed, seed, PROP_SEED);
}

void
cf_take_set_attempts (CfTake *self,
                      guint   attempts)
{
  g_return_if_fail (CF_IS_TAKE (self));

  if (self->attempts == attempts)
    return;
  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

const char *
cf_take_state_to_string (CfTakeState state)
{
  switch (state)
    {
    case CF_TAKE_STATE_QUEUED:
      return "queued";
    case CF_TAKE_STATE_SUBMITTING:
      return "submitting";
    case CF_TAKE_STATE_PENDING:
      return "pending";
    case CF_TAKE_STATE_RENDERING:
      return "rendering";
    case CF_TAKE_STATE_DOWNLOADING:
      return "downloading";
    case CF_TAKE_STATE_DONE:
      return "done";
    case CF_TAKE_STATE_FAILED:
      return "failed";
    case CF_TAKE_STATE_TIMED_OUT:
      return "timed-out";
    case CF_TAKE_STATE_CANCELLED:
      return "cancelled";
    case CF_TAKE_STATE_UNCERTAIN:
      return "uncertain";
    default:
      return "unknown";
    }
}

gboolean
cf_take_state_is_final (CfTakeState state)
{
  return state == CF_TAKE_STATE_DONE ||
         state == CF_TAKE_STATE_FAILED ||
         state == CF_TAKE_STATE_TIMED_OUT ||
         state == CF_TAKE_STATE_CANCELLED;
}
