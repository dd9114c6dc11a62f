/* cf-script.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-enum-types.h"
#include "cf-script.h"
#include "cf-script-io-private.h"

struct _CfScript
{
  GObject    parent_instance;

  char      *title;
  CfAspect   default_aspect;
  guint      default_takes;
  GPtrArray *scenes;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfScript, cf_script, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DEFAULT_ASPECT,
  PROP_DEFAULT_TAKES,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
cf_script_get_item_type (GListModel *model)
{
  return CF_TYPE_SCENE;
}

static guint
cf_script_get_n_items (GListModel *model)
{
  return CF_SCRIPT (model)->scenes->len;
}

static gpointer
cf_script_get_item (GListModel *model,
                    guint       position)
{
  CfScript *self = CF_SCRIPT (model);

  if (position >= self->scenes->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->scenes, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cf_script_get_item_type;
  iface->get_n_items = cf_script_get_n_items;
  iface->get_item = cf_script_get_item;
}

/*
 * Any edit of a scene is an edit of the script (the editor marks the file as
 * modified); the number is ours and follows positions, so it is not an edit.
 */
static void
scene_notify_cb (CfScript   *self,
                 GParamSpec *pspec,
                 CfScene    *scene)
{
  if (g_strcmp0 (pspec->name, "number") == 0)
    return;

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
adopt_scene (CfScript *self,
             CfScene  *scene)
{
  g_signal_connect_object (scene, "notify", G_CALLBACK (scene_notify_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
release_scene (gpointer data,
               gpointer user_data)
{
  CfScene *scene = data;
  CfScript *self = user_data;

  g_signal_handlers_disconnect_by_func (scene, scene_notify_cb, self);
}

/*
 * Numbers are updated before items-changed goes out, so that a list view
 * binding the new rows already sees the right numbers.
 */
/* A scene of ours sits at its number minus one: no search needed. */
static gboolean
contains_scene (CfScript *self,
                CfScene  *scene)
{
  guint number = cf_scene_get_number (scene);

  return number >= 1 && number <= self->scenes->len &&
         g_ptr_array_index (self->scenes, number - 1) == scene;
}

static void
renumber_from (CfScript *self,
               guint     first)
{
  for (guint i = first; i < self->scenes->len; i++)
    cf_scene_set_number (g_ptr_array_index (self->scenes, i), i + 1);
}

static void
emit_changes (CfScript *self,
              guint     position,
              guint     removed,
              guint     added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);

  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
cf_script_dispose (GObject *object)
{
  CfScript *self = (CfScript *)object;

  if (self->scenes != NULL)
    {
      g_ptr_array_foreach (self->scenes, release_scene, self);
      g_clear_pointer (&self->scenes, g_ptr_array_unref);
    }

  G_OBJECT_CLASS (cf_script_parent_class)->dispose (object);
}

static void
cf_script_finalize (GObject *object)
{
  CfScript *self = (CfScript *)object;

  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (cf_script_parent_class)->finalize (object);
}

static void
cf_script_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CfScript *self = CF_SCRIPT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DEFAULT_ASPECT:
      g_value_set_enum (value, self->default_aspect);
      break;

    case PROP_DEFAULT_TAKES:
      g_value_set_uint (value, self->default_takes);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, cf_script_get_n_scenes (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_script_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CfScript *self = CF_SCRIPT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      cf_script_set_title (self, g_value_get_string (value));
      break;

    case PROP_DEFAULT_ASPECT:
      cf_script_set_default_aspect (self, g_value_get_enum (value));
      break;

    case PROP_DEFAULT_TAKES:
      cf_script_set_default_takes (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_script_class_init (CfScriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_script_dispose;
  object_class->finalize = cf_script_finalize;
  object_class->get_property = cf_script_get_property;
  object_class->set_property = cf_script_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEFAULT_ASPECT] =
    g_param_spec_enum ("default-aspect", NULL, NULL,
                       CF_TYPE_ASPECT, CF_ASPECT_DEFAULT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEFAULT_TAKES] =
    g_param_spec_uint ("default-takes", NULL, NULL,
                       0, CF_SCRIPT_MAX_TAKES, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Same name as GListStore's, so that a label can bind the scene count. */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CfScript::changed:
   *
   * The title, a default, the list of scenes or any scene's content changed
   * (not a renumbering alone): what an editor needs to mark the file modified.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
cf_script_init (CfScript *self)
{
  self->title = g_strdup ("");
  self->default_aspect = CF_ASPECT_DEFAULT;
  self->scenes = g_ptr_array_new_with_free_func (g_object_unref);
}

CfScript *
cf_script_new (void)
{
  return g_object_new (CF_TYPE_SCRIPT, NULL);
}

CfScript *
cf_script_copy (CfScript *self)
{
  CfScript *copy;

  g_return_val_if_fail (CF_IS_SCRIPT (self), NULL);

  copy = cf_script_new ();
  g_free (copy->title);
  copy->title = g_strdup (self->title);
  copy->default_aspect = self->default_aspect;
  copy->default_takes = self->default_takes;

  for (guint i = 0; i < self->scenes->len; i++)
    {
      CfScene *scene = cf_scene_copy (g_ptr_array_index (self->scenes, i));

      adopt_scene (copy, scene);
      g_ptr_array_add (copy->scenes, scene);
    }

  renumber_from (copy, 0);

  return copy;
}

const char *
cf_script_get_title (CfScript *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT (self), NULL);

  return self->title;
}

void
cf_script_set_title (CfScript   *self,
                     const char *title)
{
  g_return_if_fail (CF_IS_SCRIPT (self));

  if (title == NULL)
    title = "";

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_signal_emit (self, signals[CHANGED], 0);
}

CfAspect
cf_script_get_default_aspect (CfScript *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT (self), CF_ASPECT_DEFAULT);

  return self->default_aspect;
}

void
cf_script_set_default_aspect (CfScript *self,
                              CfAspect  aspect)
{
  g_return_if_fail (CF_IS_SCRIPT (self));
  g_return_if_fail (aspect <= CF_ASPECT_SQUARE);

  if (self->default_aspect == aspect)
    return;

  self->default_aspect = aspect;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_ASPECT]);
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
cf_script_get_default_takes (CfScript *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT (self), 0);

  return self->default_takes;
}

void
cf_script_set_default_takes (CfScript *self,
                             guint     takes)
{
  g_return_if_fail (CF_IS_SCRIPT (self));
  g_return_if_fail (takes <= CF_SCRIPT_MAX_TAKES);

  if (self->default_takes == takes)
    return;

  self->default_takes = takes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_TAKES]);
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
cf_script_get_n_scenes (CfScript *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT (self), 0);

  return self->scenes->len;
}

CfScene *
cf_script_get_scene (CfScript *self,
                     guint     position)
{
  g_return_val_if_fail (CF_IS_SCRIPT (self), NULL);

  if (position >= self->scenes->len)
    return NULL;

  return g_ptr_array_index (self->scenes, position);
}

void
cf_script_append_scene (CfScript *self,
                        CfScene  *scene)
{
  g_return_if_fail (CF_IS_SCRIPT (self));
  g_return_if_fail (CF_IS_SCENE (scene));

  cf_script_insert_scene (self, self->scenes->len, scene);
}

void
cf_script_insert_scene (CfScript *self,
                        guint     position,
                        CfScene  *scene)
{
  g_return_if_fail (CF_IS_SCRIPT (self));
  g_return_if_fail (CF_IS_SCENE (scene));
  /* Twice in one list, a scene would have two numbers; copy it instead. */
  g_return_if_fail (!contains_scene (self, scene));

  position = MIN (position, self->scenes->len);

  adopt_scene (self, scene);
  g_ptr_array_insert (self->scenes, position, g_object_ref (scene));
  renumber_from (self, position);
  emit_changes (self, position, 0, 1);
}

void
cf_script_remove_scene (CfScript *self,
                        guint     position)
{
  g_autoptr(CfScene) scene = NULL;

  g_return_if_fail (CF_IS_SCRIPT (self));
  g_return_if_fail (position < self->scenes->len);

  scene = g_ptr_array_steal_index (self->scenes, position);
  release_scene (scene, self);
  renumber_from (self, position);
  emit_changes (self, position, 1, 0);
}

/*
 * "to" is the scene's position after the move. One items-changed covers the
 * range between the two positions, since every scene in it shifted by one.
 */
void
cf_script_move_scene (CfScript *self,
                      guint     from,
                      guint     to)
{
  gpointer scene;
  guint first;
  guint last;

  g_return_if_fail (CF_IS_SCRIPT (self));
  g_return_if_fail (from < self->scenes->len);
  g_return_if_fail (to < self->scenes->len);

  if (from == to)
    return;

  scene = g_ptr_array_steal_index (self->scenes, from);
  g_ptr_array_insert (self->scenes, to, scene);

  first = MIN (from, to);
  last = MAX (from, to);
  renumber_from (self, first);
  emit_changes (self, first, last - first + 1, last - first + 1);
}

void
cf_script_remove_all (CfScript *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint n;

  g_return_if_fail (CF_IS_SCRIPT (self));

  n = self->scenes->len;
  if (n == 0)
    return;

  old = g_steal_pointer (&self->scenes);
  self->scenes = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_foreach (old, release_scene, self);
  emit_changes (self, 0, n, 0);
}

guint
cf_script_append_paragraphs (CfScript   *self,
                             const char *text)
{
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autofree char *valid = NULL;
  guint position;

  g_return_val_if_fail (CF_IS_SCRIPT (self), 0);

  if (text == NULL)
    return 0;

  /* Pasted text comes from anywhere; a stray byte must not lose the rest. */
  valid = g_utf8_make_valid (text, -1);
  paragraphs = _cf_script_split_paragraphs (valid, strlen (valid), NULL);
  if (paragraphs->len == 0)
    return 0;

  position = self->scenes->len;
  for (guint i = 0; i < paragraphs->len; i++)
    {
      const CfParagraph *paragraph = g_ptr_array_index (paragraphs, i);
      CfScene *scene = cf_scene_new (paragraph->text);

      adopt_scene (self, scene);
      g_ptr_array_add (self->scenes, scene);
    }

  renumber_from (self, position);
  emit_changes (self, position, 0, paragraphs->len);

  return paragraphs->len;
}
