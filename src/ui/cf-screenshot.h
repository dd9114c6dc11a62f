/* cf-screenshot.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Renders a realized widget (usually a window) as it is now, with its own
 * renderer, into a PNG file: screenshots for review without a compositor.
 */
gboolean  cf_screenshot_save           (GtkWidget   *widget,
                                        const char  *path,
                                        GError     **error);
/*
 * <$CLIPFLEET_BUILDDIR or the current directory>/screenshots/<name>.png;
 * creates the folder.
 */
char     *cf_screenshot_dup_path       (const char  *name);

G_END_DECLS
