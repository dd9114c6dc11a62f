/* cf-widget-util.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Setters for widgets that follow a run, which repeats the same values many
 * times a second: a label re-lays out its text and queues a resize of the
 * window's layout on every set, and a tooltip asks the X server where the
 * pointer is. These touch the widget only when the value changes.
 */
void cf_label_set_text_if_changed  (GtkLabel    *label,
                                    const char  *text);
void cf_widget_set_tooltip_if_changed (GtkWidget  *widget,
                                       const char *text);
void cf_image_set_icon_if_changed  (GtkImage    *image,
                                    const char  *icon_name);

G_END_DECLS
