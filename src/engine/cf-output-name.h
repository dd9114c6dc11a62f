/* cf-output-name.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The base name (no folder, no extension) of a take's files, from the script
 * title and the scene and take numbers, e.g. "paper-boats-s04-t1". Whatever
 * the title holds, the result is a single valid file name component: no
 * separators, no "..", no control characters, not empty, at most 120 bytes
 * of valid UTF-8.
 */
char *cf_output_name_for_take (const char *script_title,
                               guint       scene_number,
                               guint       take_number);

/* Sanitises any text into one safe file name component (never empty). */
char *cf_output_name_sanitize (const char *text);

G_END_DECLS
