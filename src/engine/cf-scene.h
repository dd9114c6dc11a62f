/* cf-scene.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cf-types.h"

G_BEGIN_DECLS

#define CF_TYPE_SCENE (cf_scene_get_type ())

G_DECLARE_FINAL_TYPE (CfScene, cf_scene, CF, SCENE, GObject)

/* One scene of a script: a prompt that becomes one or more 8-second takes. */
CfScene     *cf_scene_new                 (const char *prompt);
CfScene     *cf_scene_copy                (CfScene    *self);

/* 1-based position in its script; kept up to date by CfScript. */
guint        cf_scene_get_number          (CfScene    *self);
void         cf_scene_set_number          (CfScene    *self,
                                           guint       number);
const char  *cf_scene_get_title           (CfScene    *self);
void         cf_scene_set_title           (CfScene    *self,
                                           const char *title);
const char  *cf_scene_get_prompt          (CfScene    *self);
void         cf_scene_set_prompt          (CfScene    *self,
                                           const char *prompt);
const char  *cf_scene_get_negative_prompt (CfScene    *self);
void         cf_scene_set_negative_prompt (CfScene    *self,
                                           const char *negative_prompt);
/* CF_ASPECT_DEFAULT: use the script's or the run's. */
CfAspect     cf_scene_get_aspect          (CfScene    *self);
void         cf_scene_set_aspect          (CfScene    *self,
                                           CfAspect    aspect);
/* 0: use the run's takes per scene. */
guint        cf_scene_get_takes           (CfScene    *self);
void         cf_scene_set_takes           (CfScene    *self,
                                           guint       takes);
/* -1: no fixed seed (the engine picks one and records it). 0..2147483647 otherwise. */
gint64       cf_scene_get_seed            (CfScene    *self);
void         cf_scene_set_seed            (CfScene    *self,
                                           gint64      seed);

G_END_DECLS
