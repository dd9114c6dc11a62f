/* cf-take-private.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-take.h"

G_BEGIN_DECLS

/* Only the run (on the main thread) makes and changes takes. */
CfTake *cf_take_new                (guint        scene_number,
                                    const char  *scene_title,
                                    guint        take_number,
                                    const char  *prompt,
                                    gint64       queued_time);

void    cf_take_set_state          (CfTake      *self,
                                    CfTakeState  state);
void    cf_take_set_account        (CfTake      *self,
                                    const char  *account_id,
                                    const char  *account_name);
/* code -1 and reason NULL clear it. */
void    cf_take_set_error          (CfTake      *self,
                                    int          code,
                                    const char  *reason);
void    cf_take_set_submitted_time (CfTake      *self,
                                    gint64       time);
void    cf_take_set_started_time   (CfTake      *self,
                                    gint64       time);
void    cf_take_set_finished_time  (CfTake      *self,
                                    gint64       time);
void    cf_take_set_file_path      (CfTake      *self,
                                    const char  *path);
void    cf_take_set_handle_name    (CfTake      *self,
                                    const char  *name);
void    cf_take_set_credits        (CfTake      *self,
                                    gint64       credits);
void    cf_take_set_seed           (CfTake      *self,
                                    gint64       seed);
void    cf_take_set_attempts       (CfTake      *self,
                                    guint        attempts);

G_END_DECLS
