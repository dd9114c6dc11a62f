/* cf-script.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-scene.h"

G_BEGIN_DECLS

#define CF_TYPE_SCRIPT (cf_script_get_type ())

/*
 * A script: a title, defaults, and an ordered list of scenes. It is a
 * GListModel of CfScene so that the UI can bind an editable list to it;
 * scene numbers follow positions and are renumbered on every change.
 */
G_DECLARE_FINAL_TYPE (CfScript, cf_script, CF, SCRIPT, GObject)

CfScript    *cf_script_new                 (void);
/* A deep copy: the run works on a snapshot the editor can no longer change. */
CfScript    *cf_script_copy                (CfScript   *self);

const char  *cf_script_get_title           (CfScript   *self);
void         cf_script_set_title           (CfScript   *self,
                                            const char *title);
CfAspect     cf_script_get_default_aspect  (CfScript   *self);
void         cf_script_set_default_aspect  (CfScript   *self,
                                            CfAspect    aspect);
/* 0: use the run's setting. */
guint        cf_script_get_default_takes   (CfScript   *self);
void         cf_script_set_default_takes   (CfScript   *self,
                                            guint       takes);

guint        cf_script_get_n_scenes        (CfScript   *self);
/* Borrowed; NULL when out of range. */
CfScene     *cf_script_get_scene           (CfScript   *self,
                                            guint       position);
void         cf_script_append_scene        (CfScript   *self,
                                            CfScene    *scene);
void         cf_script_insert_scene        (CfScript   *self,
                                            guint       position,
                                            CfScene    *scene);
void         cf_script_remove_scene        (CfScript   *self,
                                            guint       position);
void         cf_script_move_scene          (CfScript   *self,
                                            guint       from,
                                            guint       to);
void         cf_script_remove_all          (CfScript   *self);

/* Splits pasted text on blank lines and appends one scene per paragraph; returns how many. */
guint        cf_script_append_paragraphs   (CfScript   *self,
                                            const char *text);

G_END_DECLS
