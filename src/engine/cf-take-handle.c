/* cf-take-handle.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-error.h"
#include "cf-take-handle.h"

G_DEFINE_BOXED_TYPE (CfTakeHandle, cf_take_handle, cf_take_handle_copy, cf_take_handle_free)

static const struct
{
  CfHandleShape  shape;
  const char    *name;
} shape_names[] = {
  { CF_HANDLE_SHAPE_LABS_OPERATION, "labs-operation" },
  { CF_HANDLE_SHAPE_LABS_MEDIA, "labs-media" },
  { CF_HANDLE_SHAPE_GEMINI, "gemini" },
};

CfTakeHandle *
cf_take_handle_new (CfHandleShape  shape,
                    const char    *name)
{
  CfTakeHandle *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (CfTakeHandle, 1);
  self->shape = shape;
  self->name = g_strdup (name);
  self->seed = -1;

  return self;
}

CfTakeHandle *
cf_take_handle_copy (const CfTakeHandle *self)
{
  CfTakeHandle *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (CfTakeHandle, 1);
  copy->shape = self->shape;
  copy->name = g_strdup (self->name);
  copy->client_id = g_strdup (self->client_id);
  copy->project_id = g_strdup (self->project_id);
  copy->sample_index = self->sample_index;
  copy->seed = self->seed;

  return copy;
}

void
cf_take_handle_free (CfTakeHandle *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->client_id);
  g_free (self->project_id);
  g_free (self);
}

JsonNode *
cf_take_handle_to_json (const CfTakeHandle *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *shape = "labs-operation";

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (shape_names); i++)
    {
      if (shape_names[i].shape == self->shape)
        shape = shape_names[i].name;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shape");
  json_builder_add_string_value (builder, shape);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  if (self->client_id != NULL)
    {
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, self->client_id);
    }
  if (self->project_id != NULL)
    {
      json_builder_set_member_name (builder, "project_id");
      json_builder_add_string_value (builder, self->project_id);
    }
  json_builder_set_member_name (builder, "sample_index");
  json_builder_add_int_value (builder, self->sample_index);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, self->seed);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* NULL (and TRUE) when absent or null; FALSE when present but not a string. */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     const char **value)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *value = json_node_get_string (node);

  return TRUE;
}

static gboolean
get_optional_int (JsonObject *object,
                  const char *member,
                  gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);

  return TRUE;
}

CfTakeHandle *
cf_take_handle_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(CfTakeHandle) self = NULL;
  JsonObject *object;
  const char *shape_name = NULL;
  const char *name = NULL;
  const char *client_id = NULL;
  const char *project_id = NULL;
  gint64 sample_index = 0;
  gint64 seed = -1;
  gboolean shape_known = FALSE;
  CfHandleShape shape = CF_HANDLE_SHAPE_LABS_OPERATION;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("A take handle must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);

  if (!get_optional_string (object, "shape", &shape_name)
      || !get_optional_string (object, "name", &name)
      || !get_optional_string (object, "client_id", &client_id)
      || !get_optional_string (object, "project_id", &project_id)
      || !get_optional_int (object, "sample_index", &sample_index)
      || !get_optional_int (object, "seed", &seed))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("A take handle has a field of the wrong type"));
      return NULL;
    }

  for (guint i = 0; shape_name != NULL && i < G_N_ELEMENTS (shape_names); i++)
    {
      if (g_str_equal (shape_name, shape_names[i].name))
        {
          shape = shape_names[i].shape;
          shape_known = TRUE;
        }
    }

  if (!shape_known)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("A take handle has an unknown shape “%s”"),
                   shape_name != NULL ? shape_name : "");
      return NULL;
    }

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("A take handle has no name"));
      return NULL;
    }

  if (sample_index < 0 || sample_index > G_MAXINT)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("A take handle has an invalid sample index"));
      return NULL;
    }

  self = cf_take_handle_new (shape, name);
  self->client_id = g_strdup (client_id);
  self->project_id = g_strdup (project_id);
  self->sample_index = (guint) sample_index;
  self->seed = seed < 0 ? -1 : seed;

  return g_steal_pointer (&self);
}
