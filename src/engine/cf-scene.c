/* cf-scene.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-enum-types.h"
#include "cf-scene.h"

/*
 * Text properties are never NULL: an unset title or negative prompt is the
 * empty string, so that the editor can bind them straight to entries.
 */
struct _CfScene
{
  GObject   parent_instance;

  guint     number;
  char     *title;
  char     *prompt;
  char     *negative_prompt;
  CfAspect  aspect;
  guint     takes;
  gint64    seed;
};

G_DEFINE_FINAL_TYPE (CfScene, cf_scene, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_TITLE,
  PROP_PROMPT,
  PROP_NEGATIVE_PROMPT,
  PROP_ASPECT,
  PROP_TAKES,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CF_SCENE_MAX_TAKES 4
#define CF_SCENE_MAX_SEED  G_GINT64_CONSTANT (2147483647)

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static void
cf_scene_finalize (GObject *object)
{
  CfScene *self = (CfScene *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->negative_prompt, g_free);

  G_OBJECT_CLASS (cf_scene_parent_class)->finalize (object);
}

static void
cf_scene_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CfScene *self = CF_SCENE (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;

    case PROP_NEGATIVE_PROMPT:
      g_value_set_string (value, self->negative_prompt);
      break;

    case PROP_ASPECT:
      g_value_set_enum (value, self->aspect);
      break;

    case PROP_TAKES:
      g_value_set_uint (value, self->takes);
      break;

    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scene_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CfScene *self = CF_SCENE (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      cf_scene_set_number (self, g_value_get_uint (value));
      break;

    case PROP_TITLE:
      cf_scene_set_title (self, g_value_get_string (value));
      break;

    case PROP_PROMPT:
      cf_scene_set_prompt (self, g_value_get_string (value));
      break;

    case PROP_NEGATIVE_PROMPT:
      cf_scene_set_negative_prompt (self, g_value_get_string (value));
      break;

    case PROP_ASPECT:
      cf_scene_set_aspect (self, g_value_get_enum (value));
      break;

    case PROP_TAKES:
      cf_scene_set_takes (self, g_value_get_uint (value));
      break;

    case PROP_SEED:
      cf_scene_set_seed (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scene_class_init (CfSceneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_scene_finalize;
  object_class->get_property = cf_scene_get_property;
  object_class->set_property = cf_scene_set_property;

  properties[PROP_NUMBER] =
    g_param_spec_uint ("number", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NEGATIVE_PROMPT] =
    g_param_spec_string ("negative-prompt", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ASPECT] =
    g_param_spec_enum ("aspect", NULL, NULL,
                       CF_TYPE_ASPECT, CF_ASPECT_DEFAULT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TAKES] =
    g_param_spec_uint ("takes", NULL, NULL,
                       0, CF_SCENE_MAX_TAKES, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SEED] =
    g_param_spec_int64 ("seed", NULL, NULL,
                        -1, CF_SCENE_MAX_SEED, -1,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_scene_init (CfScene *self)
{
  self->title = g_strdup ("");
  self->prompt = g_strdup ("");
  self->negative_prompt = g_strdup ("");
  self->aspect = CF_ASPECT_DEFAULT;
  self->seed = -1;
}

CfScene *
cf_scene_new (const char *prompt)
{
  return g_object_new (CF_TYPE_SCENE,
                       "prompt", prompt,
                       NULL);
}

CfScene *
cf_scene_copy (CfScene *self)
{
  CfScene *copy;

  g_return_val_if_fail (CF_IS_SCENE (self), NULL);

  copy = cf_scene_new (self->prompt);
  copy->number = self->number;
  set_string (&copy->title, self->title);
  set_string (&copy->negative_prompt, self->negative_prompt);
  copy->aspect = self->aspect;
  copy->takes = self->takes;
  copy->seed = self->seed;

  return copy;
}

guint
cf_scene_get_number (CfScene *self)
{
  g_return_val_if_fail (CF_IS_SCENE (self), 0);

  return self->number;
}

void
cf_scene_set_number (CfScene *self,
                     guint    number)
{
  g_return_if_fail (CF_IS_SCENE (self));

  if (self->number != number)
    {
      self->number = number;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
    }
}

const char *
cf_scene_get_title (CfScene *self)
{
  g_return_val_if_fail (CF_IS_SCENE (self), NULL);

  return self->title;
}

void
cf_scene_set_title (CfScene    *self,
                    const char *title)
{
  g_return_if_fail (CF_IS_SCENE (self));

  if (set_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
cf_scene_get_prompt (CfScene *self)
{
  g_return_val_if_fail (CF_IS_SCENE (self), NULL);

  return self->prompt;
}

void
cf_scene_set_prompt (CfScene    *self,
                     const char *prompt)
{
  g_return_if_fail (CF_IS_SCENE (self));

  if (set_string (&self->prompt, prompt))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT]);
}

const char *
cf_scene_get_negative_prompt (CfScene *self)
{
  g_return_val_if_fail (CF_IS_SCENE (self), NULL);

  return self->negative_prompt;
}

void
cf_scene_set_negative_prompt (CfScene    *self,
                              const char *negative_prompt)
{
  g_return_if_fail (CF_IS_SCENE (self));

  if (set_string (&self->negative_prompt, negative_prompt))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEGATIVE_PROMPT]);
}

CfAspect
cf_scene_get_aspect (CfScene *self)
{
  g_return_val_if_fail (CF_IS_SCENE (self), CF_ASPECT_DEFAULT);

  return self->aspect;
}

void
cf_scene_set_aspect (CfScene  *self,
                     CfAspect  aspect)
{
  g_return_if_fail (CF_IS_SCENE (self));
  g_return_if_fail (aspect <= CF_ASPECT_SQUARE);

  if (self->aspect != aspect)
    {
      self->aspect = aspect;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT]);
    }
}

guint
cf_scene_get_takes (CfScene *self)
{
  g_return_val_if_fail (CF_IS_SCENE (self), 0);

  return self->takes;
}

void
cf_scene_set_takes (CfScene *self,
                    guint    takes)
{
  g_return_if_fail (CF_IS_SCENE (self));
  g_return_if_fail (takes <= CF_SCENE_MAX_TAKES);

  if (self->takes != takes)
    {
      self->takes = takes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAKES]);
    }
}

gint64
cf_scene_get_seed (CfScene *self)
{
  g_return_val_if_fail (CF_IS_SCENE (self), -1);

  return self->seed;
}

void
cf_scene_set_seed (CfScene *self,
                   gint64   seed)
{
  g_return_if_fail (CF_IS_SCENE (self));
  g_return_if_fail (seed >= -1 && seed <= CF_SCENE_MAX_SEED);

  if (self->seed != seed)
    {
      self->seed = seed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
    }
}
