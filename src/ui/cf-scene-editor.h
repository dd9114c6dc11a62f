/* cf-scene-editor.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-script.h"

G_BEGIN_DECLS

#define CF_TYPE_SCENE_EDITOR (cf_scene_editor_get_type ())

/*
 * The editable list of a script's scenes: add, remove, move, and paste
 * several paragraphs as several scenes. Actions: scenes.add, scenes.paste.
 */
G_DECLARE_FINAL_TYPE (CfSceneEditor, cf_scene_editor, CF, SCENE_EDITOR, GtkWidget)

GtkWidget *cf_scene_editor_new               (void);
CfScript  *cf_scene_editor_get_script        (CfSceneEditor *self);
void       cf_scene_editor_set_script        (CfSceneEditor *self,
                                              CfScript      *script);

void       cf_scene_editor_add_scene         (CfSceneEditor *self);
void       cf_scene_editor_remove_scene      (CfSceneEditor *self,
                                              guint          position);
void       cf_scene_editor_move_scene        (CfSceneEditor *self,
                                              guint          from,
                                              guint          to);
/*
 * Inserts one scene per paragraph of text (blank lines between them) at
 * position; returns how many.
 */
guint      cf_scene_editor_insert_paragraphs (CfSceneEditor *self,
                                              guint          position,
                                              const char    *text);

G_END_DECLS
