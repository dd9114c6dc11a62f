/* cf-sim-private.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * The simulator's internals, shared by its files. Everything below CfSimState
 * is guarded by CfSimState.lock: the server thread takes it for each request
 * and other threads take it to read statistics or change settings.
 */

typedef enum
{
  CF_SIM_API_LABS,
  CF_SIM_API_GEMINI,
} CfSimApi;

typedef enum
{
  CF_SIM_SHAPE_A,
  CF_SIM_SHAPE_B,
  CF_SIM_SHAPE_GEMINI,
} CfSimShape;

typedef enum
{
  CF_SIM_FAULT_NONE,
  CF_SIM_FAULT_HTTP_500,
  CF_SIM_FAULT_HTTP_503,
  CF_SIM_FAULT_DROP_CONNECTION,
  CF_SIM_FAULT_SLOW,
  CF_SIM_FAULT_MALFORMED_JSON,
  CF_SIM_FAULT_TRUNCATED_DOWNLOAD,
  CF_SIM_FAULT_EXPIRED_URL,
} CfSimFaultKind;

typedef struct
{
  double http_500;
  double http_503;
  double drop_connection;
  double slow;
  double slow_seconds;
  double malformed_json;
  double truncated_download;
  double expired_url;
} CfSimFaults;

typedef struct
{
  char       *key;
  CfSimApi    api;
  CfSimShape  shape;
  gint64      cost;
  double      render_seconds;
  double      render_spread;
  double      pending_seconds;
  double      inline_video;
  gboolean    url_in_poll;
} CfSimModel;

typedef struct _CfSimTake CfSimTake;

typedef struct
{
  /* From the configuration. */
  char        *name;
  CfSimApi     kind;
  char       **tokens;
  char        *project_id;
  char        *api_key;
  char        *tier;
  gint64       credits;
  guint        max_in_flight;
  double       max_rps;
  double       render_factor;
  gboolean     needs_recaptcha;
  gboolean     permission_denied;  /* Gemini: the key lacks access or billing */
  gint64       expire_tokens_after_takes;
  CfSimFaults  faults;

  /* Run time. */
  double       bucket;
  double       bucket_at;
  GPtrArray   *in_flight;          /* CfSimTake*, borrowed */
  GHashTable  *uploads;            /* media id → NULL */
  guint64      requests;
  guint64      submits;
  guint64      takes_charged;
  guint64      throttled_429;
  guint64      quota_429;
  guint        max_in_flight_seen;
  guint64      accepted_takes;
} CfSimAccount;

typedef struct
{
  char        *name;               /* "models/M/operations/ID" */
  CfSimAccount *account;
  CfSimModel  *model;
  GPtrArray   *takes;              /* CfSimTake*, borrowed */
  guint        n_filtered;
} CfSimOp;

struct _CfSimTake
{
  char         *id;                /* operation name (A), media name (B), sample id */
  char         *workflow_id;       /* shape B */
  char         *scene_id;          /* Labs */
  char         *video_id;          /* path segment of its download URL */
  char         *media_generation_id;
  CfSimAccount *account;
  CfSimModel   *model;
  CfSimShape    shape;
  CfSimOp      *op;                /* Gemini */
  gint64        seed;
  guint         clip;
  gboolean      inline_video;
  gboolean      fails;
  double        submitted_at;
  double        started_at;
  double        finished_at;
  double        downloaded_at;     /* < 0: never */
  guint         downloads;
  char         *urls[2];           /* cached signed URLs: video, image */
  double        urls_issued_at;
};

typedef enum
{
  CF_SIM_STATUS_PENDING,
  CF_SIM_STATUS_ACTIVE,
  CF_SIM_STATUS_SUCCESSFUL,
  CF_SIM_STATUS_FAILED,
} CfSimStatus;

typedef struct
{
  guint64      seed;
  double       time_scale;
  double       url_ttl_seconds;
  double       file_ttl_seconds;
  GPtrArray   *models;             /* CfSimModel* */
  char       **reject_words;
  char       **fail_words;
  CfSimFaults  faults;
  GPtrArray   *accounts;           /* CfSimAccount* */
} CfSimConfig;

typedef struct
{
  GMutex        lock;
  CfSimConfig  *config;
  GRand        *rand;

  gint64        mono_base;
  double        sim_base;
  double        time_scale;
  gint64        epoch_base;

  char         *base_url;
  char         *secret;

  GHashTable   *tokens;            /* token → CfSimAccount */
  GHashTable   *projects;          /* project id → CfSimAccount */
  GHashTable   *keys;              /* API key → CfSimAccount */
  GHashTable   *models;            /* key → CfSimModel */
  GHashTable   *takes;             /* operation or media name → CfSimTake */
  GHashTable   *videos;            /* video id or file id → CfSimTake */
  GHashTable   *ops;               /* Gemini operation name → CfSimOp */
  GPtrArray    *all_takes;         /* owns the takes, in submission order */
  GPtrArray    *all_ops;           /* owns the operations */
  guint64       serial;
  guint64       handled;           /* requests answered by a route */
  gint64        busy_us;           /* real time spent in the routes */

  GBytes       *clips[4];
  guint         n_clips;
  GBytes       *poster;
} CfSimState;

/* What a route answers; the server turns it into the HTTP response. */
typedef struct
{
  guint        status;
  const char  *content_type;
  GBytes      *body;
  char        *location;
  double       retry_after;        /* real seconds, < 0 for none */
} CfSimReply;

typedef struct
{
  const char         *method;
  const char         *path;
  GHashTable         *query;
  SoupMessageHeaders *headers;
  const char         *body;
  gsize               body_length;
  CfSimFaultKind      fault;
} CfSimRequest;

/* cf-sim-config.c */
CfSimConfig   *cf_sim_config_new_from_data    (const char     *json,
                                                gssize          length,
                                                GError        **error);
void           cf_sim_config_free             (CfSimConfig    *config);
gboolean       cf_sim_faults_set              (CfSimFaults    *faults,
                                                const char     *name,
                                                double          value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfSimConfig, cf_sim_config_free)

/* cf-sim-clock.c: simulated time, in simulated seconds since start. */
void           cf_sim_clock_init              (CfSimState     *st,
                                                double          time_scale);
double         cf_sim_clock_now               (CfSimState     *st);
void           cf_sim_clock_set_scale         (CfSimState     *st,
                                                double          time_scale);
void           cf_sim_clock_advance           (CfSimState     *st,
                                                double          seconds);
double         cf_sim_clock_to_real           (CfSimState     *st,
                                                double          sim_seconds);
gint64         cf_sim_clock_to_epoch          (CfSimState     *st,
                                                double          sim_time);

/* cf-sim-account.c */
void           cf_sim_account_free            (CfSimAccount   *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfSimAccount, cf_sim_account_free)
gboolean       cf_sim_account_tokens_expired  (CfSimAccount   *account);
gboolean       cf_sim_account_take_request    (CfSimAccount   *account,
                                                double          now,
                                                double         *wait_sim);
guint          cf_sim_account_count_in_flight (CfSimAccount   *account,
                                                double          now);
double         cf_sim_account_next_finish     (CfSimAccount   *account,
                                                double          now);
guint          cf_sim_account_room            (CfSimAccount   *account,
                                                CfSimModel     *model,
                                                double          now,
                                                guint           wanted,
                                                gboolean       *out_of_credits);

/* cf-sim-take.c */
char          *cf_sim_new_uuid                (CfSimState     *st);
char          *cf_sim_new_hex_id              (CfSimState     *st,
                                                guint           length);
CfSimTake     *cf_sim_take_new                (CfSimState     *st,
                                                CfSimAccount   *account,
                                                CfSimModel     *model,
                                                CfSimShape      shape,
                                                const char     *prompt,
                                                gint64          seed);
void           cf_sim_take_free               (CfSimTake      *take);
CfSimStatus    cf_sim_take_status             (CfSimTake      *take,
                                                double          now);
const char    *cf_sim_take_labs_status        (CfSimTake      *take,
                                                double          now);
char          *cf_sim_take_signed_url         (CfSimState     *st,
                                                CfSimTake      *take,
                                                const char     *kind);
char          *cf_sim_sign                    (CfSimState     *st,
                                                const char     *kind,
                                                const char     *id,
                                                const char     *expires);
gboolean       cf_sim_prompt_has_word         (const char     *prompt,
                                                char          **words);
void           cf_sim_op_free                 (CfSimOp        *op);

/* cf-sim-reply.c */
void           cf_sim_reply_clear             (CfSimReply     *reply);
void           cf_sim_reply_json              (CfSimReply     *reply,
                                                guint           status,
                                                JsonNode       *node);
void           cf_sim_reply_error             (CfSimReply     *reply,
                                                guint           code,
                                                const char     *reason,
                                                const char     *domain,
                                                const char     *field,
                                                double          retry_delay,
                                                const char     *format,
                                                ...) G_GNUC_PRINTF (7, 8);
void           cf_sim_reply_throttled         (CfSimReply     *reply,
                                                double          retry_delay,
                                                const char     *domain,
                                                const char     *message);
const char    *cf_sim_status_name             (guint           code);
gboolean       cf_sim_request_json            (const CfSimRequest *req,
                                                CfSimReply     *reply,
                                                JsonParser    **out_parser,
                                                JsonObject    **out_root);
gboolean       cf_sim_check_fields            (JsonObject     *object,
                                                const char     *where,
                                                const char * const *allowed,
                                                CfSimReply     *reply);
const char    *cf_sim_get_string              (JsonObject     *object,
                                                const char     *member,
                                                const char     *where,
                                                gboolean        required,
                                                CfSimReply     *reply,
                                                gboolean       *ok);
JsonObject    *cf_sim_get_object              (JsonObject     *object,
                                                const char     *member,
                                                const char     *where,
                                                gboolean        required,
                                                CfSimReply     *reply,
                                                gboolean       *ok);
JsonArray     *cf_sim_get_array               (JsonObject     *object,
                                                const char     *member,
                                                const char     *where,
                                                gboolean        required,
                                                CfSimReply     *reply,
                                                gboolean       *ok);
gboolean       cf_sim_get_int                 (JsonObject     *object,
                                                const char     *member,
                                                const char     *where,
                                                gboolean        required,
                                                gint64          min,
                                                gint64          max,
                                                gint64         *out,
                                                CfSimReply     *reply);
gboolean       cf_sim_get_bool                (JsonObject     *object,
                                                const char     *member,
                                                const char     *where,
                                                gboolean       *out,
                                                CfSimReply     *reply);
gboolean       cf_sim_is_uuid                 (const char     *text);

/* cf-sim-labs-routes.c */
CfSimAccount  *cf_sim_labs_find_account       (CfSimState     *st,
                                                const CfSimRequest *req);
void           cf_sim_labs_route              (CfSimState     *st,
                                                const CfSimRequest *req,
                                                CfSimReply     *reply);
void           cf_sim_trpc_route              (CfSimState     *st,
                                                const CfSimRequest *req,
                                                CfSimReply     *reply);

/* cf-sim-gemini-routes.c */
CfSimAccount  *cf_sim_gemini_find_account     (CfSimState     *st,
                                                const CfSimRequest *req);
void           cf_sim_gemini_route            (CfSimState     *st,
                                                const CfSimRequest *req,
                                                CfSimReply     *reply);
void           cf_sim_gemini_reply_permission_denied (CfSimAccount *account,
                                                      CfSimReply   *reply);

/* cf-sim-download-routes.c */
CfSimTake     *cf_sim_download_find_take      (CfSimState     *st,
                                                const CfSimRequest *req);
void           cf_sim_storage_route           (CfSimState     *st,
                                                const CfSimRequest *req,
                                                CfSimReply     *reply);
void           cf_sim_files_route             (CfSimState     *st,
                                                const CfSimRequest *req,
                                                CfSimReply     *reply);

/* cf-sim-faults.c */
CfSimFaultKind cf_sim_faults_roll             (CfSimState     *st,
                                                const CfSimFaults *faults,
                                                gboolean        download);
void           cf_sim_faults_drop             (SoupServerMessage *msg);
void           cf_sim_faults_truncate         (SoupServerMessage *msg,
                                                const char     *content_type,
                                                GBytes         *body);
const char    *cf_sim_fault_name              (CfSimFaultKind  kind);

/* cf-sim-stats.c */
char          *cf_sim_stats_to_json           (CfSimState     *st);

G_END_DECLS
