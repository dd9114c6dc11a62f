/* cf-run-settings.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cf-endpoints.h"
#include "cf-types.h"

G_BEGIN_DECLS

/* How scenes are shared among the accounts of a run. */
typedef enum
{
  CF_STRATEGY_DYNAMIC,      /* one shared queue: each worker takes the next scene when it has room */
  CF_STRATEGY_ROUND_ROBIN,  /* the replaced app's way: scenes dealt out before the start (benchmarks) */
} CfStrategy;

#define CF_RUN_SETTINGS_DEFAULT_MODEL         "veo_3_1_t2v_fast"
#define CF_RUN_SETTINGS_DEFAULT_GEMINI_MODEL  "veo-3.1-fast-generate-preview"
#define CF_RUN_SETTINGS_DEFAULT_POLL_MS       5000
#define CF_RUN_SETTINGS_DEFAULT_TIME_LIMIT_MS (15 * 60 * 1000)
#define CF_RUN_SETTINGS_DEFAULT_BACKOFF_MS    2000
#define CF_RUN_SETTINGS_DEFAULT_BACKOFF_MAX_MS 60000

#define CF_TYPE_RUN_SETTINGS (cf_run_settings_get_type ())

/*
 * What a run is asked to do, apart from the script and the accounts. A plain
 * GObject with properties (so that the UI can g_settings_bind or bind to it);
 * cf_run_new() takes a copy, so changing it afterwards never affects a
 * running run.
 *
 * Properties: model-key, gemini-model-key, aspect, takes-per-scene,
 * output-dir, poll-interval-ms, take-time-limit-ms, strategy, max-in-flight,
 * backoff-ms, backoff-max-ms, state-dir, endpoints.
 */
G_DECLARE_FINAL_TYPE (CfRunSettings, cf_run_settings, CF, RUN_SETTINGS, GObject)

CfRunSettings *cf_run_settings_new                    (void);
/* A deep copy (the endpoints are shared: they are immutable). */
CfRunSettings *cf_run_settings_copy                   (CfRunSettings *self);

/* The Labs model key, e.g. "veo_3_1_t2v_fast". An account's own model key wins. */
const char    *cf_run_settings_get_model_key          (CfRunSettings *self);
void           cf_run_settings_set_model_key          (CfRunSettings *self,
                                                       const char    *model_key);
/* The model Gemini accounts use, e.g. "veo-3.1-fast-generate-preview". */
const char    *cf_run_settings_get_gemini_model_key   (CfRunSettings *self);
void           cf_run_settings_set_gemini_model_key   (CfRunSettings *self,
                                                       const char    *model_key);
/* Used for scenes (and scripts) that say CF_ASPECT_DEFAULT. Default: landscape. */
CfAspect       cf_run_settings_get_aspect             (CfRunSettings *self);
void           cf_run_settings_set_aspect             (CfRunSettings *self,
                                                       CfAspect       aspect);
/* 1..4, used for scenes (and scripts) that say 0. Default 1. */
guint          cf_run_settings_get_takes_per_scene    (CfRunSettings *self);
void           cf_run_settings_set_takes_per_scene    (CfRunSettings *self,
                                                       guint          takes);
/* Where the MP4 files and their sidecar JSON go. NULL: $XDG_VIDEOS_DIR/Clipfleet. */
const char    *cf_run_settings_get_output_dir         (CfRunSettings *self);
void           cf_run_settings_set_output_dir         (CfRunSettings *self,
                                                       const char    *output_dir);
/* How often each worker polls its takes in flight (one request for all). */
guint          cf_run_settings_get_poll_interval_ms   (CfRunSettings *self);
void           cf_run_settings_set_poll_interval_ms   (CfRunSettings *self,
                                                       guint          interval_ms);
/* A take still rendering this long after its submit is TIMED_OUT (its handle is kept). */
guint          cf_run_settings_get_take_time_limit_ms (CfRunSettings *self);
void           cf_run_settings_set_take_time_limit_ms (CfRunSettings *self,
                                                       guint          limit_ms);
CfStrategy     cf_run_settings_get_strategy           (CfRunSettings *self);
void           cf_run_settings_set_strategy           (CfRunSettings *self,
                                                       CfStrategy     strategy);
/* Takes in flight per account; 0 (the default): each account's own setting. */
guint          cf_run_settings_get_max_in_flight      (CfRunSettings *self);
void           cf_run_settings_set_max_in_flight      (CfRunSettings *self,
                                                       guint          max_in_flight);
/*
 * The first wait after a transient or throttled answer without Retry-After;
 * it doubles (with jitter) up to backoff-max-ms. Tests and the simulator's
 * time scale make it small.
 */
guint          cf_run_settings_get_backoff_ms         (CfRunSettings *self);
void           cf_run_settings_set_backoff_ms         (CfRunSettings *self,
                                                       guint          backoff_ms);
guint          cf_run_settings_get_backoff_max_ms     (CfRunSettings *self);
void           cf_run_settings_set_backoff_max_ms     (CfRunSettings *self,
                                                       guint          backoff_max_ms);
/* Where run journals live. NULL: $XDG_STATE_HOME/clipfleet/runs. */
const char    *cf_run_settings_get_state_dir          (CfRunSettings *self);
void           cf_run_settings_set_state_dir          (CfRunSettings *self,
                                                       const char    *state_dir);
/* The state dir actually used (state-dir or the XDG default). Owned. */
char          *cf_run_settings_dup_effective_state_dir (CfRunSettings *self);
/* The output dir actually used (output-dir or the XDG default). Owned. */
char          *cf_run_settings_dup_effective_output_dir (CfRunSettings *self);
/* NULL (the default): the real Google services. */
CfEndpoints   *cf_run_settings_get_endpoints          (CfRunSettings *self);
void           cf_run_settings_set_endpoints          (CfRunSettings *self,
                                                       CfEndpoints   *endpoints);

const char    *cf_strategy_to_string                  (CfStrategy     strategy);
/* "dynamic" or "round-robin" (also "round_robin"); FALSE if unknown. */
gboolean       cf_strategy_from_string                (const char    *text,
                                                       CfStrategy    *strategy);

G_END_DECLS
