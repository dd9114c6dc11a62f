/* cf-thumbnailer.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CF_TYPE_THUMBNAILER (cf_thumbnailer_get_type ())

/*
 * First frames of saved clips, for the job cards. A clip's first frame is
 * decoded on a worker thread (cf-first-frame.c), small, and kept as an
 * immutable texture. A few clips are decoded at a time and the frames are
 * cached, so that a grid of a thousand cards scrolls without decoding a
 * thousand clips, and the window never waits for a decoder.
 *
 * Signals: ready (const char *path): the frame of path is known (or known
 * to be unavailable).
 */
G_DECLARE_FINAL_TYPE (CfThumbnailer, cf_thumbnailer, CF, THUMBNAILER, GObject)

CfThumbnailer *cf_thumbnailer_get_default (void);
CfThumbnailer *cf_thumbnailer_new         (void);

/* The cached first frame of path; NULL when not known (yet, or ever). Borrowed. */
GdkPaintable  *cf_thumbnailer_lookup      (CfThumbnailer *self,
                                           const char    *path);
/* Whether path was tried and has no frame. */
gboolean       cf_thumbnailer_has_failed  (CfThumbnailer *self,
                                           const char    *path);
/* Queues path unless it is cached, queued or failed; "ready" follows. */
void           cf_thumbnailer_request     (CfThumbnailer *self,
                                           const char    *path);
/* The limit of reads started from now on (CF_FIRST_FRAME_TIMEOUT_MS at
 * first). A read that runs out of time is tried once more. */
void           cf_thumbnailer_set_timeout (CfThumbnailer *self,
                                           guint          timeout_ms);

G_END_DECLS
