/* cf-account.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "cf-types.h"

G_BEGIN_DECLS

#define CF_TYPE_ACCOUNT (cf_account_get_type ())

/*
 * One Google account the user generates with: a Labs Flow project with its
 * access tokens, or a Gemini API key. Tokens and keys are held in memory
 * only; CfAccountStore keeps them in the secret store.
 */
G_DECLARE_FINAL_TYPE (CfAccount, cf_account, CF, ACCOUNT, GObject)

#define CF_ACCOUNT_DEFAULT_MAX_IN_FLIGHT 4

CfAccount          *cf_account_new                (CfAccountKind  kind,
                                                   const char    *name);
/* A copy with the same id, for a worker thread's immutable snapshot. */
CfAccount          *cf_account_copy               (CfAccount     *self);

/* A UUID made at creation, stable across renames. */
const char         *cf_account_get_id             (CfAccount     *self);
void                cf_account_set_id             (CfAccount     *self,
                                                   const char    *id);
CfAccountKind       cf_account_get_kind           (CfAccount     *self);
void                cf_account_set_kind           (CfAccount     *self,
                                                   CfAccountKind  kind);
const char         *cf_account_get_name           (CfAccount     *self);
void                cf_account_set_name           (CfAccount     *self,
                                                   const char    *name);
const char         *cf_account_get_project_id     (CfAccount     *self);
void                cf_account_set_project_id     (CfAccount     *self,
                                                   const char    *project_id);
/* First 8 characters of the project id, for logs. */
char               *cf_account_dup_short_project_id (CfAccount   *self);
/* Labs access tokens, in the order they are tried. Secret. */
const char * const *cf_account_get_tokens         (CfAccount     *self);
void                cf_account_set_tokens         (CfAccount     *self,
                                                   const char * const *tokens);
guint               cf_account_get_n_tokens       (CfAccount     *self);
/* Gemini API key. Secret. */
const char         *cf_account_get_api_key        (CfAccount     *self);
void                cf_account_set_api_key        (CfAccount     *self,
                                                   const char    *api_key);
gboolean            cf_account_get_enabled        (CfAccount     *self);
void                cf_account_set_enabled        (CfAccount     *self,
                                                   gboolean       enabled);
/* PAYGATE_TIER_NOT_PAID, PAYGATE_TIER_ONE or PAYGATE_TIER_TWO; NULL: not sent. */
const char         *cf_account_get_tier           (CfAccount     *self);
void                cf_account_set_tier           (CfAccount     *self,
                                                   const char    *tier);
/* NULL: the run's model. */
const char         *cf_account_get_model_key      (CfAccount     *self);
void                cf_account_set_model_key      (CfAccount     *self,
                                                   const char    *model_key);
guint               cf_account_get_max_in_flight  (CfAccount     *self);
void                cf_account_set_max_in_flight  (CfAccount     *self,
                                                   guint          max_in_flight);
CfRequestForm       cf_account_get_request_form   (CfAccount     *self);
void                cf_account_set_request_form   (CfAccount     *self,
                                                   CfRequestForm  form);
/* -1: not known yet. */
gint64              cf_account_get_last_credits   (CfAccount     *self);
void                cf_account_set_last_credits   (CfAccount     *self,
                                                   gint64         credits);

/* Health during a run (not saved). */
CfAccountHealth     cf_account_get_health         (CfAccount     *self);
/* When BACKING_OFF: g_get_real_time() at which it ends. */
gint64              cf_account_get_backoff_until  (CfAccount     *self);
/* When OUT: the CfErrorCode that put it out; and a sentence for the user. */
int                 cf_account_get_out_code       (CfAccount     *self);
const char         *cf_account_get_health_reason  (CfAccount     *self);
void                cf_account_set_health         (CfAccount     *self,
                                                   CfAccountHealth health,
                                                   gint64         backoff_until,
                                                   int            out_code,
                                                   const char    *reason);

/*
 * The non-secret fields as a JSON object (the shape of one entry of
 * accounts.json); tokens and keys are never part of it.
 */
JsonNode           *cf_account_to_json            (CfAccount     *self);
/* The reverse; a CF_ERROR_BAD_INPUT error names the field that is wrong. */
CfAccount          *cf_account_new_from_json      (JsonNode      *node,
                                                   GError       **error);

/* Has what its kind needs to make a call: tokens and project (labs) or a key (gemini). */
gboolean            cf_account_is_usable          (CfAccount     *self);

G_END_DECLS
