/* cf-first-frame.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* A clip that gives no frame in this long is not a clip we can show. */
#define CF_FIRST_FRAME_TIMEOUT_MS  10000

/*
 * The first video frame of a clip, decoded with GStreamer in the calling
 * thread, at most max_width pixels wide (its aspect kept). It blocks until
 * the frame is decoded, the clip is found unreadable, cancellable is
 * cancelled, or timeout_ms have passed (G_IO_ERROR_TIMED_OUT): call it from
 * a worker thread, never from the main loop. Safe to call from several
 * threads at once.
 */
GdkPixbuf *cf_first_frame_read (const char    *path,
                                int            max_width,
                                guint          timeout_ms,
                                GCancellable  *cancellable,
                                GError       **error);

G_END_DECLS
