/* cf-run-settings.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-enum-types.h"
#include "cf-run-settings.h"

struct _CfRunSettings
{
  GObject      parent_instance;

  char        *model_key;
  char        *gemini_model_key;
  CfAspect     aspect;
  guint        takes_per_scene;
  char        *output_dir;
  guint        poll_interval_ms;
  guint        take_time_limit_ms;
  CfStrategy   strategy;
  guint        max_in_flight;
  guint        backoff_ms;
  guint        backoff_max_ms;
  char        *state_dir;
  CfEndpoints *endpoints;
};

G_DEFINE_FINAL_TYPE (CfRunSettings, cf_run_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODEL_KEY,
  PROP_GEMINI_MODEL_KEY,
  PROP_ASPECT,
  PROP_TAKES_PER_SCENE,
  PROP_OUTPUT_DIR,
  PROP_POLL_INTERVAL_MS,
  PROP_TAKE_TIME_LIMIT_MS,
  PROP_STRATEGY,
  PROP_MAX_IN_FLIGHT,
  PROP_BACKOFF_MS,
  PROP_BACKOFF_MAX_MS,
  PROP_STATE_DIR,
  PROP_ENDPOINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cf_run_settings_finalize (GObject *object)
{
  CfRunSettings *self = (CfRunSettings *)object;

  g_clear_pointer (&self->model_key, g_free);
  g_clear_pointer (&self->gemini_model_key, g_free);
  g_clear_pointer (&self->output_dir, g_free);
  g_clear_pointer (&self->state_dir, g_free);
  g_clear_pointer (&self->endpoints, cf_endpoints_unref);

  G_OBJECT_CLASS (cf_run_settings_parent_class)->finalize (object);
}

static void
cf_run_settings_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CfRunSettings *self = CF_RUN_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_MODEL_KEY:
      g_value_set_string (value, self->model_key);
      break;
    case PROP_GEMINI_MODEL_KEY:
      g_value_set_string (value, self->gemini_model_key);
      break;
    case PROP_ASPECT:
      g_value_set_enum (value, self->aspect);
      break;
    case PROP_TAKES_PER_SCENE:
      g_value_set_uint (value, self->takes_per_scene);
      break;
    case PROP_OUTPUT_DIR:
      g_value_set_string (value, self->output_dir);
      break;
    case PROP_POLL_INTERVAL_MS:
      g_value_set_uint (value, self->poll_interval_ms);
      break;
    case PROP_TAKE_TIME_LIMIT_MS:
      g_value_set_uint (value, self->take_time_limit_ms);
      break;
    case PROP_STRATEGY:
      g_value_set_enum (value, self->strategy);
      break;
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->max_in_flight);
      break;
    case PROP_BACKOFF_MS:
      g_value_set_uint (value, self->backoff_ms);
      break;
    case PROP_BACKOFF_MAX_MS:
      g_value_set_uint (value, self->backoff_max_ms);
      break;
    case PROP_STATE_DIR:
      g_value_set_string (value, self->state_dir);
      break;
    case PROP_ENDPOINTS:
      g_value_set_boxed (value, self->endpoints);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_run_settings_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CfRunSettings *self = CF_RUN_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_MODEL_KEY:
      cf_run_settings_set_model_key (self, g_value_get_string (value));
      break;
    case PROP_GEMINI_MODEL_KEY:
      cf_run_settings_set_gemini_model_key (self, g_value_get_string (value));
      break;
    case PROP_ASPECT:
      cf_run_settings_set_aspect (self, g_value_get_enum (value));
      break;
    case PROP_TAKES_PER_SCENE:
      cf_run_settings_set_takes_per_scene (self, g_value_get_uint (value));
      break;
    case PROP_OUTPUT_DIR:
      cf_run_settings_set_output_dir (self, g_value_get_string (value));
      break;
    case PROP_POLL_INTERVAL_MS:
      cf_run_settings_set_poll_interval_ms (self, g_value_get_uint (value));
      break;
    case PROP_TAKE_TIME_LIMIT_MS:
      cf_run_settings_set_take_time_limit_ms (self, g_value_get_uint (value));
      break;
    case PROP_STRATEGY:
      cf_run_settings_set_strategy (self, g_value_get_enum (value));
      break;
    case PROP_MAX_IN_FLIGHT:
      cf_run_settings_set_max_in_flight (self, g_value_get_uint (value));
      break;
    case PROP_BACKOFF_MS:
      cf_run_settings_set_backoff_ms (self, g_value_get_uint (value));
      break;
    case PROP_BACKOFF_MAX_MS:
      cf_run_settings_set_backoff_max_ms (self, g_value_get_uint (value));
      break;
    case PROP_STATE_DIR:
      cf_run_settings_set_state_dir (self, g_value_get_string (value));
      break;
    case PROP_ENDPOINTS:
      cf_run_settings_set_endpoints (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_run_settings_class_init (CfRunSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cf_run_settings_finalize;
  object_class->get_property = cf_run_settings_get_property;
  object_class->set_property = cf_run_settings_set_property;

  properties[PROP_MODEL_KEY] =
    g_param_spec_string ("model-key", NULL, NULL, CF_RUN_SETTINGS_DEFAULT_MODEL, flags);
  properties[PROP_GEMINI_MODEL_KEY] =
    g_param_spec_string ("gemini-model-key", NULL, NULL,
                         CF_RUN_SETTINGS_DEFAULT_GEMINI_MODEL, flags);
  properties[PROP_ASPECT] =
    g_param_spec_enum ("aspect", NULL, NULL,
                       CF_TYPE_ASPECT, CF_ASPECT_LANDSCAPE, flags);
  properties[PROP_TAKES_PER_SCENE] =
    g_param_spec_uint ("takes-per-scene", NULL, NULL, 1, 4, 1, flags);
  properties[PROP_OUTPUT_DIR] =
    g_param_spec_string ("output-dir", NULL, NULL, NULL, flags);
  properties[PROP_POLL_INTERVAL_MS] =
    g_param_spec_uint ("poll-interval-ms", NULL, NULL,
                       1, G_MAXUINT, CF_RUN_SETTINGS_DEFAULT_POLL_MS, flags);
  properties[PROP_TAKE_TIME_LIMIT_MS] =
    g_param_spec_uint ("take-time-limit-ms", NULL, NULL,
                       1, G_MAXUINT, CF_RUN_SETTINGS_DEFAULT_TIME_LIMIT_MS, flags);
  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", NULL, NULL,
                       CF_TYPE_STRATEGY, CF_STRATEGY_DYNAMIC, flags);
  properties[PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL, 0, 1024, 0, flags);
  properties[PROP_BACKOFF_MS] =
    g_param_spec_uint ("backoff-ms", NULL, NULL,
                       1, G_MAXUINT, CF_RUN_SETTINGS_DEFAULT_BACKOFF_MS, flags);
  properties[PROP_BACKOFF_MAX_MS] =
    g_param_spec_uint ("backoff-max-ms", NULL, NULL,
                       1, G_MAXUINT, CF_RUN_SETTINGS_DEFAULT_BACKOFF_MAX_MS, flags);
  properties[PROP_STATE_DIR] =
    g_param_spec_string ("state-dir", NULL, NULL, NULL, flags);
  properties[PROP_ENDPOINTS] =
    g_param_spec_boxed ("endpoints", NULL, NULL, CF_TYPE_ENDPOINTS, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_run_settings_init (CfRunSettings *self)
{
  self->model_key = g_strdup (CF_RUN_SETTINGS_DEFAULT_MODEL);
  self->gemini_model_key = g_strdup (CF_RUN_SETTINGS_DEFAULT_GEMINI_MODEL);
  self->aspect = CF_ASPECT_LANDSCAPE;
  self->takes_per_scene = 1;
  self->poll_interval_ms = CF_RUN_SETTINGS_DEFAULT_POLL_MS;
  self->take_time_limit_ms = CF_RUN_SETTINGS_DEFAULT_TIME_LIMIT_MS;
  self->strategy = CF_STRATEGY_DYNAMIC;
  self->backoff_ms = CF_RUN_SETTINGS_DEFAULT_BACKOFF_MS;
  self->backoff_max_ms = CF_RUN_SETTINGS_DEFAULT_BACKOFF_MAX_MS;
}

CfRunSettings *
cf_run_settings_new (void)
{
  return g_object_new (CF_TYPE_RUN_SETTINGS, NULL);
}

CfRunSettings *
cf_run_settings_copy (CfRunSettings *self)
{
  CfRunSettings *copy;

  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);

  copy = cf_run_settings_new ();
  g_free (copy->model_key);
  copy->model_key = g_strdup (self->model_key);
  g_free (copy->gemini_model_key);
  copy->gemini_model_key = g_strdup (self->gemini_model_key);
  copy->aspect = self->aspect;
  copy->takes_per_scene = self->takes_per_scene;
  copy->output_dir = g_strdup (self->output_dir);
  copy->poll_interval_ms = self->poll_interval_ms;
  copy->take_time_limit_ms = self->take_time_limit_ms;
  copy->strategy = self->strategy;
  copy->max_in_flight = self->max_in_flight;
  copy->backoff_ms = self->backoff_ms;
  copy->backoff_max_ms = self->backoff_max_ms;
  copy->state_dir = g_strdup (self->state_dir);
  copy->endpoints = self->endpoints ? cf_endpoints_ref (self->endpoints) : NULL;

  return copy;
}

static void
set_string (CfRunSettings  *self,
            char          **field,
            const char     *value,
            int             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_uint (CfRunSettings *self,
          guint         *field,
          guint          value,
          int            prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

const char *
cf_run_settings_get_model_key (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);
  return self->model_key;
}

void
cf_run_settings_set_model_key (CfRunSettings *self,
                               const char    *model_key)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_string (self, &self->model_key,
              model_key && *model_key ? model_key : CF_RUN_SETTINGS_DEFAULT_MODEL,
              PROP_MODEL_KEY);
}

const char *
cf_run_settings_get_gemini_model_key (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);
  return self->gemini_model_key;
}

void
cf_run_settings_set_gemini_model_key (CfRunSettings *self,
                                      const char    *model_key)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_string (self, &self->gemini_model_key,
              model_key && *model_key ? model_key : CF_RUN_SETTINGS_DEFAULT_GEMINI_MODEL,
              PROP_GEMINI_MODEL_KEY);
}

CfAspect
cf_run_settings_get_aspect (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), CF_ASPECT_LANDSCAPE);
  return self->aspect;
}

void
cf_run_settings_set_aspect (CfRunSettings *self,
                            CfAspect       aspect)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));

  /* The run's aspect is the last fallback, so it cannot itself be "default". */
  if (aspect == CF_ASPECT_DEFAULT)
    aspect = CF_ASPECT_LANDSCAPE;
  if (self->aspect == aspect)
    return;
  self->aspect = aspect;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT]);
}

guint
cf_run_settings_get_takes_per_scene (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), 1);
  return self->takes_per_scene;
}

void
cf_run_settings_set_takes_per_scene (CfRunSettings *self,
                                     guint          takes)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_uint (self, &self->takes_per_scene, CLAMP (takes, 1, 4), PROP_TAKES_PER_SCENE);
}

const char *
cf_run_settings_get_output_dir (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);
  return self->output_dir;
}

void
cf_run_settings_set_output_dir (CfRunSettings *self,
                                const char    *output_dir)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_string (self, &self->output_dir, output_dir, PROP_OUTPUT_DIR);
}

guint
cf_run_settings_get_poll_interval_ms (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), CF_RUN_SETTINGS_DEFAULT_POLL_MS);
  return self->poll_interval_ms;
}

void
cf_run_settings_set_poll_interval_ms (CfRunSettings *self,
                                      guint          interval_ms)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_uint (self, &self->poll_interval_ms, MAX (interval_ms, 1), PROP_POLL_INTERVAL_MS);
}

guint
cf_run_settings_get_take_time_limit_ms (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), CF_RUN_SETTINGS_DEFAULT_TIME_LIMIT_MS);
  return self->take_time_limit_ms;
}

void
cf_run_settings_set_take_time_limit_ms (CfRunSettings *self,
                                        guint          limit_ms)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_uint (self, &self->take_time_limit_ms, MAX (limit_ms, 1), PROP_TAKE_TIME_LIMIT_MS);
}

CfStrategy
cf_run_settings_get_strategy (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), CF_STRATEGY_DYNAMIC);
  return self->strategy;
}

void
cf_run_settings_set_strategy (CfRunSettings *self,
                              CfStrategy     strategy)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  if (self->strategy == strategy)
    return;
  self->strategy = strategy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STRATEGY]);
}

guint
cf_run_settings_get_max_in_flight (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), 0);
  return self->max_in_flight;
}

void
cf_run_settings_set_max_in_flight (CfRunSettings *self,
                                   guint          max_in_flight)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_uint (self, &self->max_in_flight, max_in_flight, PROP_MAX_IN_FLIGHT);
}

guint
cf_run_settings_get_backoff_ms (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), CF_RUN_SETTINGS_DEFAULT_BACKOFF_MS);
  return self->backoff_ms;
}

void
cf_run_settings_set_backoff_ms (CfRunSettings *self,
                                guint          backoff_ms)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_uint (self, &self->backoff_ms, MAX (backoff_ms, 1), PROP_BACKOFF_MS);
}

guint
cf_run_settings_get_backoff_max_ms (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), CF_RUN_SETTINGS_DEFAULT_BACKOFF_MAX_MS);
  return self->backoff_max_ms;
}

void
cf_run_settings_set_backoff_max_ms (CfRunSettings *self,
                                    guint          backoff_max_ms)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_uint (self, &self->backoff_max_ms, MAX (backoff_max_ms, 1), PROP_BACKOFF_MAX_MS);
}

const char *
cf_run_settings_get_state_dir (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);
  return self->state_dir;
}

void
cf_run_settings_set_state_dir (CfRunSettings *self,
                               const char    *state_dir)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));
  set_string (self, &self->state_dir, state_dir, PROP_STATE_DIR);
}

char *
cf_run_settings_dup_effective_state_dir (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);

  if (self->state_dir != NULL)
    return g_strdup (self->state_dir);
  return g_build_filename (g_get_user_state_dir (), "clipfleet", "runs", NULL);
}

char *
cf_run_settings_dup_effective_output_dir (CfRunSettings *self)
{
  const char *videos;

  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);

  if (self->output_dir != NULL)
    return g_strdup (self->output_dir);

  videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);
  if (videos == NULL)
    return g_build_filename (g_get_home_dir (), "Videos", "Clipfleet", NULL);
  return g_build_filename (videos, "Clipfleet", NULL);
}

CfEndpoints *
cf_run_settings_get_endpoints (CfRunSettings *self)
{
  g_return_val_if_fail (CF_IS_RUN_SETTINGS (self), NULL);
  return self->endpoints;
}

void
cf_run_settings_set_endpoints (CfRunSettings *self,
                               CfEndpoints   *endpoints)
{
  g_return_if_fail (CF_IS_RUN_SETTINGS (self));

  if (self->endpoints == endpoints)
    return;
  g_clear_pointer (&self->endpoints, cf_endpoints_unref);
  self->endpoints = endpoints ? cf_endpoints_ref (endpoints) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINTS]);
}

const char *
cf_strategy_to_string (CfStrategy strategy)
{
  switch (strategy)
    {
    case CF_STRATEGY_DYNAMIC:
      return "dynamic";
    case CF_STRATEGY_ROUND_ROBIN:
      return "round-robin";
    default:
      return "dynamic";
    }
}

gboolean
cf_strategy_from_string (const char *text,
                         CfStrategy *strategy)
{
  g_return_val_if_fail (strategy != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "dynamic") == 0)
    *strategy = CF_STRATEGY_DYNAMIC;
  else if (g_ascii_strcasecmp (text, "round-robin") == 0 ||
           g_ascii_strcasecmp (text, "round_robin") == 0 ||
           g_ascii_strcasecmp (text, "roundrobin") == 0)
    *strategy = CF_STRATEGY_ROUND_ROBIN;
  else
    return FALSE;
  return TRUE;
}
