/* cf-sim-server.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CF_TYPE_SIM_SERVER (cf_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (CfSimServer, cf_sim_server, CF, SIM_SERVER, GObject)

/*
 * The simulator of the Labs Flow and Gemini Veo services, in process. It
 * serves on 127.0.0.1 from its own thread and main context, so a test or the
 * demo can drive it with blocking clients. Every function is thread-safe.
 * Configuration errors are G_IO_ERROR_INVALID_DATA naming the field.
 */
CfSimServer *cf_sim_server_new_from_data    (const char   *json,
                                             gssize        length,
                                             GError      **error);
CfSimServer *cf_sim_server_new_from_file    (const char   *path,
                                             GError      **error);

/* Port 0 picks a free port. Binds 127.0.0.1 only. */
gboolean     cf_sim_server_start            (CfSimServer  *self,
                                             guint16       port,
                                             GError      **error);
/* "http://127.0.0.1:PORT" without a trailing slash; NULL before start. */
const char  *cf_sim_server_get_base_url     (CfSimServer  *self);
guint16      cf_sim_server_get_port         (CfSimServer  *self);
/* The same document as GET /__sim/stats. */
char        *cf_sim_server_dup_stats_json   (CfSimServer  *self);
/* Stops serving and joins the thread; also done on finalize. */
void         cf_sim_server_stop             (CfSimServer  *self);

/* Real seconds per simulated second; simulated time never jumps back. */
double       cf_sim_server_get_time_scale   (CfSimServer  *self);
void         cf_sim_server_set_time_scale   (CfSimServer  *self,
                                             double        time_scale);
/* Simulated seconds since start. */
double       cf_sim_server_get_sim_time     (CfSimServer  *self);
/* Moves simulated time forward at once (renders finish, URLs expire). */
void         cf_sim_server_advance          (CfSimServer  *self,
                                             double        seconds);
/*
 * Sets one fault rate ("http_500", "http_503", "drop_connection", "slow",
 * "slow_seconds", "malformed_json", "truncated_download", "expired_url") for
 * one account by name, or for every account when @account is NULL. FALSE if
 * the account or the fault is unknown or the value out of range.
 */
gboolean     cf_sim_server_set_fault        (CfSimServer  *self,
                                             const char   *account,
                                             const char   *fault,
                                             double        value);
gboolean     cf_sim_server_set_needs_recaptcha (CfSimServer *self,
                                                const char  *account,
                                                gboolean     needs_recaptcha);
gboolean     cf_sim_server_set_credits      (CfSimServer  *self,
                                             const char   *account,
                                             gint64        credits);

G_END_DECLS
