/* cf-job-card.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-take.h"

G_BEGIN_DECLS

#define CF_TYPE_JOB_CARD (cf_job_card_get_type ())

/*
 * One take of a run: scene and take, account, state with colour and icon,
 * elapsed time, the reason of a failure, and once saved a thumbnail that
 * plays the clip in place, Open File and Show in Folder; Retry when failed.
 * Cards are recycled by the grid: "take" changes as the user scrolls.
 */
G_DECLARE_FINAL_TYPE (CfJobCard, cf_job_card, CF, JOB_CARD, GtkWidget)

GtkWidget  *cf_job_card_new          (void);
CfTake     *cf_job_card_get_take     (CfJobCard *self);
void        cf_job_card_set_take     (CfJobCard *self,
                                      CfTake    *take);
/* What the state line says, e.g. "Rendering" (for tests). */
const char *cf_job_card_get_state_text (CfJobCard *self);
/* Whether the thumbnail (the first frame) is showing. */
gboolean    cf_job_card_has_thumbnail (CfJobCard *self);
/* Plays (or stops) the clip in place. */
void        cf_job_card_toggle_play  (CfJobCard *self);
gboolean    cf_job_card_get_playing  (CfJobCard *self);

const char *cf_job_card_state_label  (CfTakeState state);
const char *cf_job_card_state_icon   (CfTakeState state);

G_END_DECLS
