/* cf-script-panel.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cf-script-panel.h"

struct _CfScriptPanel
{
  GtkWidget      parent_instance;

  CfScript      *script;
  GFile         *file;
  gboolean       updating;

  AdwEntryRow   *title_row;
  AdwActionRow  *file_row;
  CfSceneEditor *editor;
  CfRunOptions  *run_options;
};

G_DEFINE_FINAL_TYPE (CfScriptPanel, cf_script_panel, GTK_TYPE_WIDGET)

GtkWidget *
cf_script_panel_new (void)
{
  return g_object_new (CF_TYPE_SCRIPT_PANEL, NULL);
}

CfScript *
cf_script_panel_get_script (CfScriptPanel *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT_PANEL (self), NULL);

  return self->script;
}

GFile *
cf_script_panel_get_file (CfScriptPanel *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT_PANEL (self), NULL);

  return self->file;
}

void
cf_script_panel_set_file (CfScriptPanel *self,
                          GFile         *file)
{
  g_return_if_fail (CF_IS_SCRIPT_PANEL (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  g_set_object (&self->file, file);

  if (file != NULL)
    {
      g_autofree char *name = g_file_get_basename (file);

      adw_action_row_set_subtitle (self->file_row, name);
    }
  else
    adw_action_row_set_subtitle (self->file_row, _("Not saved yet"));
}

CfRunOptions *
cf_script_panel_get_run_options (CfScriptPanel *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT_PANEL (self), NULL);

  return self->run_options;
}

CfSceneEditor *
cf_script_panel_get_editor (CfScriptPanel *self)
{
  g_return_val_if_fail (CF_IS_SCRIPT_PANEL (self), NULL);

  return self->editor;
}

static void
update_title (CfScriptPanel *self)
{
  const char *title = cf_script_get_title (self->script);

  if (self->updating)
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->title_row)), title ? title : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->title_row), title ? title : "");
}

static void
title_changed_cb (CfScriptPanel *self,
                  GtkEditable   *editable)
{
  const char *text = gtk_editable_get_text (editable);

  if (self->script == NULL)
    return;

  self->updating = TRUE;
  cf_script_set_title (self->script, text[0] != '\0' ? text : NULL);
  self->updating = FALSE;
}

void
cf_script_panel_set_script (CfScriptPanel *self,
                            CfScript      *script,
                            GFile         *file)
{
  g_return_if_fail (CF_IS_SCRIPT_PANEL (self));
  g_return_if_fail (CF_IS_SCRIPT (script));

  if (self->script != NULL)
    g_signal_handlers_disconnect_by_func (self->script, update_title, self);

  g_set_object (&self->script, script);
  g_signal_connect_object (script, "notify::title", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);

  update_title (self);
  cf_scene_editor_set_script (self->editor, script);
  cf_script_panel_set_file (self, file);
}

static void
cf_script_panel_dispose (GObject *object)
{
  CfScriptPanel *self = CF_SCRIPT_PANEL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_SCRIPT_PANEL);
  /* The template's root box is not a bound child: it goes by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->script);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (cf_script_panel_parent_class)->dispose (object);
}

static void
cf_script_panel_class_init (CfScriptPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_script_panel_dispose;

  g_type_ensure (CF_TYPE_SCENE_EDITOR);
  g_type_ensure (CF_TYPE_RUN_OPTIONS);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipfleet/Clipfleet/cf-script-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CfScriptPanel, title_row);
  gtk_widget_class_bind_template_child (widget_class, CfScriptPanel, file_row);
  gtk_widget_class_bind_template_child (widget_class, CfScriptPanel, editor);
  gtk_widget_class_bind_template_child (widget_class, CfScriptPanel, run_options);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
}

static void
cf_script_panel_init (CfScriptPanel *self)
{
  g_autoptr(CfScript) script = cf_script_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  cf_script_panel_set_script (self, script, NULL);
}
