/* cf-scene-row.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-scene.h"

G_BEGIN_DECLS

#define CF_TYPE_SCENE_ROW (cf_scene_row_get_type ())

/* One scene in the editor: number, optional title, prompt, aspect, takes; move and remove. */
G_DECLARE_FINAL_TYPE (CfSceneRow, cf_scene_row, CF, SCENE_ROW, GtkListBoxRow)

GtkWidget *cf_scene_row_new         (CfScene    *scene);
CfScene   *cf_scene_row_get_scene   (CfSceneRow *self);
/* Puts the keyboard focus in the prompt. */
void       cf_scene_row_focus_prompt (CfSceneRow *self);

G_END_DECLS
