/* cf-scene-editor.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-scene-editor.h"
#include "cf-scene-row.h"

struct _CfSceneEditor
{
  GtkWidget   parent_instance;

  CfScript   *script;
  /* The row to focus once the list box has made it (after add or paste). */
  int         focus_position;

  GtkListBox *list_box;
  GtkLabel   *count_label;
};

G_DEFINE_FINAL_TYPE (CfSceneEditor, cf_scene_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SCRIPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
cf_scene_editor_new (void)
{
  return g_object_new (CF_TYPE_SCENE_EDITOR, NULL);
}

CfScript *
cf_scene_editor_get_script (CfSceneEditor *self)
{
  g_return_val_if_fail (CF_IS_SCENE_EDITOR (self), NULL);

  return self->script;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  return cf_scene_row_new (CF_SCENE (item));
}

static void
update_count (CfSceneEditor *self)
{
  guint n = self->script ? cf_script_get_n_scenes (self->script) : 0;
  g_autofree char *text = g_strdup_printf (ngettext ("%u scene", "%u scenes", n), n);

  gtk_label_set_label (self->count_label, text);
}

static void
items_changed_cb (CfSceneEditor *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  update_count (self);

  if (self->focus_position >= 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, self->focus_position);

      self->focus_position = -1;
      if (row != NULL)
        cf_scene_row_focus_prompt (CF_SCENE_ROW (row));
    }
}

void
cf_scene_editor_set_script (CfSceneEditor *self,
                            CfScript      *script)
{
  g_return_if_fail (CF_IS_SCENE_EDITOR (self));
  g_return_if_fail (script == NULL || CF_IS_SCRIPT (script));

  if (self->script == script)
    return;

  if (self->script != NULL)
    g_signal_handlers_disconnect_by_func (self->script, items_changed_cb, self);

  g_set_object (&self->script, script);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (script), create_row_cb, NULL, NULL);

  if (script != NULL)
    g_signal_connect_object (script, "items-changed", G_CALLBACK (items_changed_cb),
                             self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCRIPT]);
}

void
cf_scene_editor_add_scene (CfSceneEditor *self)
{
  g_autoptr(CfScene) scene = NULL;

  g_return_if_fail (CF_IS_SCENE_EDITOR (self));

  if (self->script == NULL)
    return;

  scene = cf_scene_new ("");
  self->focus_position = cf_script_get_n_scenes (self->script);
  cf_script_append_scene (self->script, scene);
}

void
cf_scene_editor_remove_scene (CfSceneEditor *self,
                              guint          position)
{
  g_return_if_fail (CF_IS_SCENE_EDITOR (self));

  if (self->script != NULL && position < cf_script_get_n_scenes (self->script))
    cf_script_remove_scene (self->script, position);
}

void
cf_scene_editor_move_scene (CfSceneEditor *self,
                            guint          from,
                            guint          to)
{
  guint n;

  g_return_if_fail (CF_IS_SCENE_EDITOR (self));

  if (self->script == NULL)
    return;

  n = cf_script_get_n_scenes (self->script);
  if (from >= n || to >= n || from == to)
    return;

  self->focus_position = to;
  cf_script_move_scene (self->script, from, to);
}

guint
cf_scene_editor_insert_paragraphs (CfSceneEditor *self,
                                   guint          position,
                                   const char    *text)
{
  g_autoptr(CfScript) pasted = NULL;
  guint n;

  g_return_val_if_fail (CF_IS_SCENE_EDITOR (self), 0);

  if (self->script == NULL || text == NULL)
    return 0;

  /* The engine knows what a paragraph is (blank lines, stray bytes); the
   * scenes it makes are then moved to where the user pasted. */
  pasted = cf_script_new ();
  n = cf_script_append_paragraphs (pasted, text);
  position = MIN (position, cf_script_get_n_scenes (self->script));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CfScene) scene = cf_scene_copy (cf_script_get_scene (pasted, i));

      cf_script_insert_scene (self->script, position + i, scene);
    }

  return n;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  cf_scene_editor_add_scene (CF_SCENE_EDITOR (widget));
}

static void
paste_text_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CfSceneEditor) self = user_data;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  if (text == NULL || self->script == NULL)
    return;

  cf_scene_editor_insert_paragraphs (self, cf_script_get_n_scenes (self->script), text);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);

  gdk_clipboard_read_text_async (clipboard, NULL, paste_text_cb, g_object_ref (widget));
}

static void
cf_scene_editor_dispose (GObject *object)
{
  CfSceneEditor *self = CF_SCENE_EDITOR (object);
  GtkWidget *child;

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_SCENE_EDITOR);
  /* The template's root box is not a bound child: it goes by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->script);

  G_OBJECT_CLASS (cf_scene_editor_parent_class)->dispose (object);
}

static void
cf_scene_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CfSceneEditor *self = CF_SCENE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCRIPT:
      g_value_set_object (value, self->script);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scene_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CfSceneEditor *self = CF_SCENE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCRIPT:
      cf_scene_editor_set_script (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scene_editor_class_init (CfSceneEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_scene_editor_dispose;
  object_class->get_property = cf_scene_editor_get_property;
  object_class->set_property = cf_scene_editor_set_property;

  properties[PROP_SCRIPT] =
    g_param_spec_object ("script", NULL, NULL,
                         CF_TYPE_SCRIPT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-scene-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CfSceneEditor, list_box);
  gtk_widget_class_bind_template_child (widget_class, CfSceneEditor, count_label);

  gtk_widget_class_install_action (widget_class, "scenes.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "scenes.paste", NULL, paste_action);
}

static void
cf_scene_editor_init (CfSceneEditor *self)
{
  self->focus_position = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_count (self);
}
