/* cf-scene-row.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cf-scene-editor.h"
#include "cf-scene-row.h"

struct _CfSceneRow
{
  GtkListBoxRow  parent_instance;

  CfScene       *scene;
  /* Set while this row writes to the scene, so that the scene's notify
   * does not write the same text back into the widget under the cursor. */
  gboolean       updating;

  GtkWidget     *drag_handle;
  GtkLabel      *number_label;
  GtkEntry      *title_entry;
  GtkTextView   *prompt_view;
  GtkDropDown   *aspect_dropdown;
  GtkDropDown   *takes_dropdown;
};

G_DEFINE_FINAL_TYPE (CfSceneRow, cf_scene_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_SCENE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
cf_scene_row_new (CfScene *scene)
{
  g_return_val_if_fail (CF_IS_SCENE (scene), NULL);

  return g_object_new (CF_TYPE_SCENE_ROW, "scene", scene, NULL);
}

CfScene *
cf_scene_row_get_scene (CfSceneRow *self)
{
  g_return_val_if_fail (CF_IS_SCENE_ROW (self), NULL);

  return self->scene;
}

void
cf_scene_row_focus_prompt (CfSceneRow *self)
{
  g_return_if_fail (CF_IS_SCENE_ROW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

static void
update_number (CfSceneRow *self)
{
  g_autofree char *text = g_strdup_printf ("%u", cf_scene_get_number (self->scene));

  gtk_label_set_label (self->number_label, text);
}

static void
update_title (CfSceneRow *self)
{
  const char *title = cf_scene_get_title (self->scene);

  if (self->updating)
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->title_entry)), title ? title : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title ? title : "");
}

static void
update_prompt (CfSceneRow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  const char *prompt = cf_scene_get_prompt (self->scene);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->updating)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (text, prompt ? prompt : "") != 0)
    {
      self->updating = TRUE;
      gtk_text_buffer_set_text (buffer, prompt ? prompt : "", -1);
      self->updating = FALSE;
    }
}

static void
update_aspect (CfSceneRow *self)
{
  guint aspect = cf_scene_get_aspect (self->scene);

  /* The dropdown's items are in CfAspect order: Default, 16:9, 9:16, 1:1. */
  if (gtk_drop_down_get_selected (self->aspect_dropdown) != aspect)
    gtk_drop_down_set_selected (self->aspect_dropdown, aspect);
}

static void
update_takes (CfSceneRow *self)
{
  guint takes = MIN (cf_scene_get_takes (self->scene), 4);

  /* Items: Default, 1 take, 2, 3, 4. */
  if (gtk_drop_down_get_selected (self->takes_dropdown) != takes)
    gtk_drop_down_set_selected (self->takes_dropdown, takes);
}

static void
scene_notify_cb (CfSceneRow *self,
                 GParamSpec *pspec,
                 CfScene    *scene)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "number"))
    update_number (self);
  else if (g_str_equal (name, "title"))
    update_title (self);
  else if (g_str_equal (name, "prompt"))
    update_prompt (self);
  else if (g_str_equal (name, "aspect"))
    update_aspect (self);
  else if (g_str_equal (name, "takes"))
    update_takes (self);
}

static void
title_changed_cb (CfSceneRow *self,
                  GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);

  if (self->scene == NULL)
    return;

  self->updating = TRUE;
  cf_scene_set_title (self->scene, text[0] != '\0' ? text : NULL);
  self->updating = FALSE;
}

static void
prompt_changed_cb (CfSceneRow    *self,
                   GtkTextBuffer *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->scene == NULL || self->updating)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  self->updating = TRUE;
  cf_scene_set_prompt (self->scene, text);
  self->updating = FALSE;
}

static void
aspect_selected_cb (CfSceneRow  *self,
                    GParamSpec  *pspec,
                    GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->scene != NULL && selected <= CF_ASPECT_SQUARE)
    cf_scene_set_aspect (self->scene, (CfAspect) selected);
}

static void
takes_selected_cb (CfSceneRow  *self,
                   GParamSpec  *pspec,
                   GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->scene != NULL && selected <= 4)
    cf_scene_set_takes (self->scene, selected);
}

static CfSceneEditor *
get_editor (CfSceneRow *self)
{
  return CF_SCENE_EDITOR (gtk_widget_get_ancestor (GTK_WIDGET (self), CF_TYPE_SCENE_EDITOR));
}

static void
paste_text_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CfSceneRow) self = user_data;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  GtkTextBuffer *buffer;
  CfSceneEditor *editor;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  if (text == NULL || self->scene == NULL)
    return;

  buffer = gtk_text_view_get_buffer (self->prompt_view);
  editor = get_editor (self);

  /* Several paragraphs pasted into a prompt are several scenes: the first
   * goes where the cursor is, the others become new scenes after this one. */
  parts = g_regex_split_simple ("\\n[ \\t\\r]*\\n", g_strstrip (text), 0, 0);
  if (editor == NULL || parts == NULL || g_strv_length (parts) < 2)
    {
      gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
      return;
    }

  gtk_text_buffer_insert_interactive_at_cursor (buffer, g_strstrip (parts[0]), -1, TRUE);
  {
    const char *rest = text + strlen (parts[0]);
    int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));

    if (index >= 0)
      cf_scene_editor_insert_paragraphs (editor, index + 1, rest);
  }
}

static void
paste_clipboard_cb (CfSceneRow  *self,
                    GtkTextView *view)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));

  g_signal_stop_emission_by_name (view, "paste-clipboard");
  gdk_clipboard_read_text_async (clipboard, NULL, paste_text_cb, g_object_ref (self));
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  CfSceneRow *self = CF_SCENE_ROW (widget);
  CfSceneEditor *editor = get_editor (self);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));

  if (editor != NULL && index > 0)
    cf_scene_editor_move_scene (editor, index, index - 1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CfSceneRow *self = CF_SCENE_ROW (widget);
  CfSceneEditor *editor = get_editor (self);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));

  if (editor != NULL && index >= 0)
    cf_scene_editor_move_scene (editor, index, index + 1);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CfSceneRow *self = CF_SCENE_ROW (widget);
  CfSceneEditor *editor = get_editor (self);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));

  if (editor != NULL && index >= 0)
    cf_scene_editor_remove_scene (editor, index);
}

static void
cf_scene_row_set_scene (CfSceneRow *self,
                        CfScene    *scene)
{
  g_assert (self->scene == NULL);

  self->scene = g_object_ref (scene);
  update_number (self);
  update_title (self);
  update_prompt (self);
  update_aspect (self);
  update_takes (self);

  g_signal_connect_object (scene, "notify", G_CALLBACK (scene_notify_cb), self, G_CONNECT_SWAPPED);
}

static void
cf_scene_row_dispose (GObject *object)
{
  CfSceneRow *self = CF_SCENE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_SCENE_ROW);
  g_clear_object (&self->scene);

  G_OBJECT_CLASS (cf_scene_row_parent_class)->dispose (object);
}

static void
cf_scene_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CfSceneRow *self = CF_SCENE_ROW (object);

  switch (prop_id)
    {
    case PROP_SCENE:
      g_value_set_object (value, self->scene);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scene_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CfSceneRow *self = CF_SCENE_ROW (object);

  switch (prop_id)
    {
    case PROP_SCENE:
      cf_scene_row_set_scene (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_scene_row_class_init (CfSceneRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_scene_row_dispose;
  object_class->get_property = cf_scene_row_get_property;
  object_class->set_property = cf_scene_row_set_property;

  properties[PROP_SCENE] =
    g_param_spec_object ("scene", NULL, NULL,
                         CF_TYPE_SCENE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-scene-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CfSceneRow, drag_handle);
  gtk_widget_class_bind_template_child (widget_class, CfSceneRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, CfSceneRow, title_entry);
  gtk_widget_class_bind_template_child (widget_class, CfSceneRow, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, CfSceneRow, aspect_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CfSceneRow, takes_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, aspect_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, takes_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, paste_clipboard_cb);

  gtk_widget_class_install_action (widget_class, "row.move-up", NULL, move_up_action);
  gtk_widget_class_install_action (widget_class, "row.move-down", NULL, move_down_action);
  gtk_widget_class_install_action (widget_class, "row.remove", NULL, remove_action);
}

/*
 * Drag and drop: the handle carries the row itself, and any row takes it,
 * moving its scene to where the drop landed. The script is the only truth:
 * the editor rebuilds its rows from the move, as for the arrow buttons.
 */
static GdkContentProvider *
drag_prepare_cb (CfSceneRow    *self,
                 double         x,
                 double         y,
                 GtkDragSource *source)
{
  return gdk_content_provider_new_typed (CF_TYPE_SCENE_ROW, self);
}

static void
drag_begin_cb (CfSceneRow    *self,
               GdkDrag       *drag,
               GtkDragSource *source)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self));
  graphene_point_t point;

  /* The row follows the pointer from where the handle was grabbed. */
  if (!gtk_widget_compute_point (self->drag_handle, GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (0, 0), &point))
    graphene_point_init (&point, 0, 0);
  gtk_drag_source_set_icon (source, icon, (int) point.x + 8, (int) point.y + 8);
  gtk_widget_add_css_class (GTK_WIDGET (self), "dragged");
}

static void
drag_end_cb (CfSceneRow    *self,
             GdkDrag       *drag,
             gboolean       delete_data,
             GtkDragSource *source)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "dragged");
}

static gboolean
drop_cb (CfSceneRow    *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  CfSceneRow *source;
  GtkWidget *editor;
  int from, to;

  if (!G_VALUE_HOLDS (value, CF_TYPE_SCENE_ROW))
    return FALSE;

  source = g_value_get_object (value);
  editor = gtk_widget_get_ancestor (GTK_WIDGET (self), CF_TYPE_SCENE_EDITOR);
  from = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (source));
  to = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));
  if (editor == NULL || source == self || from < 0 || to < 0
      || gtk_widget_get_ancestor (GTK_WIDGET (source), CF_TYPE_SCENE_EDITOR) != editor)
    return FALSE;

  cf_scene_editor_move_scene (CF_SCENE_EDITOR (editor), (guint) from, (guint) to);
  return TRUE;
}

static void
cf_scene_row_init (CfSceneRow *self)
{
  GtkDragSource *source;
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (drag_prepare_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->drag_handle, GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (CF_TYPE_SCENE_ROW, GDK_ACTION_MOVE);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (gtk_text_view_get_buffer (self->prompt_view), "changed",
                           G_CALLBACK (prompt_changed_cb), self, G_CONNECT_SWAPPED);
}
