/* cf-widget-util.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-widget-util.h"

void
cf_label_set_text_if_changed (GtkLabel   *label,
                              const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

void
cf_widget_set_tooltip_if_changed (GtkWidget  *widget,
                                  const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

void
cf_image_set_icon_if_changed (GtkImage   *image,
                              const char *icon_name)
{
  g_return_if_fail (GTK_IS_IMAGE (image));

  if (gtk_image_get_storage_type (image) != GTK_IMAGE_ICON_NAME
      || g_strcmp0 (gtk_image_get_icon_name (image), icon_name) != 0)
    gtk_image_set_from_icon_name (image, icon_name);
}
