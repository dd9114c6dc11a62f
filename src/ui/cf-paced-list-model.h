/* cf-paced-list-model.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_TYPE_PACED_LIST_MODEL (cf_paced_list_model_get_type ())

/*
 * A GListModel that passes another model's items on a few at a time.
 *
 * A list view builds a widget for every new item near its viewport in the
 * same dispatch that reports the items: a run of a thousand takes appearing
 * at once cost hundreds of job cards in one go, seconds in which the window
 * did not draw. This model shows new items in slices, each in its own idle
 * dispatch bounded by a time budget, so the main loop keeps breathing.
 * Removals, and additions small enough for one slice, pass at once.
 */
G_DECLARE_FINAL_TYPE (CfPacedListModel, cf_paced_list_model, CF, PACED_LIST_MODEL, GObject)

CfPacedListModel *cf_paced_list_model_new          (GListModel       *model);
GListModel       *cf_paced_list_model_get_model    (CfPacedListModel *self);
void              cf_paced_list_model_set_model    (CfPacedListModel *self,
                                                    GListModel       *model);
/* TRUE while some of the model's items are not shown yet. */
gboolean          cf_paced_list_model_get_pending  (CfPacedListModel *self);

G_END_DECLS
