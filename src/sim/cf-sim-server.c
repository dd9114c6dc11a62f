/* cf-sim-server.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "cf-sim-private.h"
#include "cf-sim-resources.h"
#include "cf-sim-server.h"

/*
 * One SoupServer in a thread of its own with its own main context, so that
 * the tests and the demo can talk to it with blocking clients from any
 * thread. Each request takes the state lock once, works out its answer from
 * the simulated clock (no timer per take) and answers at once; only the
 * "slow" fault pauses a message.
 */

struct _CfSimServer
{
  GObject       parent_instance;

  CfSimState    st;

  GMutex        start_lock;
  GCond         start_cond;
  gboolean      start_done;
  GError       *start_error;

  GThread      *thread;
  GMainContext *context;
  gint          quit;
  SoupServer   *server;
  guint16       port;
};

G_DEFINE_FINAL_TYPE (CfSimServer, cf_sim_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  ROUTE_NONE,
  ROUTE_STATS,
  ROUTE_LABS,
  ROUTE_TRPC,
  ROUTE_GEMINI,
  ROUTE_FILES,
  ROUTE_STORAGE,
} RouteKind;

static RouteKind
route_for_path (const char *path)
{
  if (g_str_equal (path, "/__sim/stats"))
    return ROUTE_STATS;
  if (g_str_has_prefix (path, "/v1/") || g_str_has_prefix (path, "/v1:"))
    return ROUTE_LABS;
  if (g_str_has_prefix (path, "/fx/api/trpc/"))
    return ROUTE_TRPC;
  if (g_str_has_prefix (path, "/v1beta/files/"))
    return ROUTE_FILES;
  if (g_str_has_prefix (path, "/v1beta/"))
    return ROUTE_GEMINI;
  if (g_str_has_prefix (path, "/storage/"))
    return ROUTE_STORAGE;
  return ROUTE_NONE;
}

static void
apply_reply (SoupServerMessage *msg,
             CfSimReply        *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->location != NULL)
    soup_message_headers_replace (headers, "Location", reply->location);
  if (reply->retry_after >= 0)
    {
      /* Whole seconds, rounded up, at least 1: RetryInfo holds the exact wait. */
      g_autofree char *seconds = g_strdup_printf ("%d", MAX (1, (int) ceil (reply->retry_after)));

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  if (reply->body != NULL)
    {
      soup_message_headers_set_content_type (headers, reply->content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), reply->body);
    }
}

/* Runs the route with the lock held; the answer is sent after unlocking. */
static void
process (CfSimServer       *self,
         SoupServerMessage *msg,
         GHashTable        *query,
         CfSimFaultKind     fault)
{
  CfSimState *st = &self->st;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  CfSimReply reply = { 0, NULL, NULL, NULL, -1 };
  CfSimRequest req;
  gint64 start;

  req.method = soup_server_message_get_method (msg);
  req.path = g_uri_get_path (soup_server_message_get_uri (msg));
  req.query = query;
  req.headers = soup_server_message_get_request_headers (msg);
  req.body = body->data;
  req.body_length = body->length;
  req.fault = fault;

  start = g_get_monotonic_time ();
  g_mutex_lock (&st->lock);
  switch (route_for_path (req.path))
    {
    case ROUTE_LABS:
      cf_sim_labs_route (st, &req, &reply);
      break;
    case ROUTE_TRPC:
      cf_sim_trpc_route (st, &req, &reply);
      break;
    case ROUTE_GEMINI:
      cf_sim_gemini_route (st, &req, &reply);
      break;
    case ROUTE_FILES:
      cf_sim_files_route (st, &req, &reply);
      break;
    case ROUTE_STORAGE:
      cf_sim_storage_route (st, &req, &reply);
      break;
    case ROUTE_STATS:
      {
        char *json = cf_sim_stats_to_json (st);

        reply.status = 200;
        reply.content_type = "application/json; charset=UTF-8";
        reply.body = g_bytes_new_take (json, strlen (json));
      }
      break;
    case ROUTE_NONE:
    default:
      cf_sim_reply_error (&reply, 404, NULL, NULL, NULL, -1,
                          "The requested URL %s was not found on this server.", req.path);
      break;
    }
  st->handled++;
  st->busy_us += g_get_monotonic_time () - start;
  g_mutex_unlock (&st->lock);

  if (fault == CF_SIM_FAULT_TRUNCATED_DOWNLOAD && reply.status == 200 && reply.body != NULL)
    cf_sim_faults_truncate (msg, reply.content_type, reply.body);
  else
    apply_reply (msg, &reply);
  cf_sim_reply_clear (&reply);
}

typedef struct
{
  CfSimServer       *self;
  SoupServerMessage *msg;
  GHashTable        *query;
} Delayed;

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  process (delayed->self, delayed->msg, delayed->query, CF_SIM_FAULT_NONE);
  soup_server_message_unpause (delayed->msg);
  return G_SOURCE_REMOVE;
}

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->msg);
  g_clear_pointer (&delayed->query, g_hash_table_unref);
  g_free (delayed);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  CfSimServer *self = user_data;
  CfSimState *st = &self->st;
  RouteKind route = route_for_path (path);
  CfSimFaultKind fault = CF_SIM_FAULT_NONE;
  CfSimReply reply = { 0, NULL, NULL, NULL, -1 };
  double slow_seconds = 0;

  if (route != ROUTE_STATS && route != ROUTE_NONE)
    {
      const CfSimFaults *faults = &st->config->faults;
      CfSimAccount *account = NULL;
      CfSimRequest req = { 0 };

      req.method = soup_server_message_get_method (msg);
      req.path = path;
      req.query = query;
      req.headers = soup_server_message_get_request_headers (msg);

      g_mutex_lock (&st->lock);
      switch (route)
        {
        case ROUTE_LABS:
        case ROUTE_TRPC:
          account = cf_sim_labs_find_account (st, &req);
          break;
        case ROUTE_GEMINI:
          account = cf_sim_gemini_find_account (st, &req);
          break;
        case ROUTE_FILES:
        case ROUTE_STORAGE:
          {
            CfSimTake *take = cf_sim_download_find_take (st, &req);

            account = take != NULL ? take->account : NULL;
          }
          break;
        case ROUTE_NONE:
        case ROUTE_STATS:
        default:
          break;
        }
      if (account != NULL)
        faults = &account->faults;
      fault = cf_sim_faults_roll (st, faults, route == ROUTE_FILES || route == ROUTE_STORAGE);
      slow_seconds = cf_sim_clock_to_real (st, faults->slow_seconds);
      g_mutex_unlock (&st->lock);
    }

  switch (fault)
    {
    case CF_SIM_FAULT_HTTP_500:
      cf_sim_reply_error (&reply, 500, NULL, NULL, NULL, -1, "Internal error encountered.");
      apply_reply (msg, &reply);
      cf_sim_reply_clear (&reply);
      return;
    case CF_SIM_FAULT_HTTP_503:
      cf_sim_reply_error (&reply, 503, NULL, NULL, NULL, -1,
                          "The service is currently unavailable.");
      apply_reply (msg, &reply);
      cf_sim_reply_clear (&reply);
      return;
    case CF_SIM_FAULT_DROP_CONNECTION:
      cf_sim_faults_drop (msg);
      return;
    case CF_SIM_FAULT_MALFORMED_JSON:
      {
        static const char garbage[] = "{\"operations\": [{\"operation\": {\"name\": \"";

        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "application/json; charset=UTF-8",
                                          SOUP_MEMORY_STATIC, garbage, strlen (garbage));
      }
      return;
    case CF_SIM_FAULT_SLOW:
      {
        Delayed *delayed = g_new0 (Delayed, 1);
        g_autoptr(GSource) source = NULL;

        delayed->self = self;
        delayed->msg = g_object_ref (msg);
        delayed->query = query != NULL ? g_hash_table_ref (query) : NULL;
        soup_server_message_pause (msg);
        source = g_timeout_source_new ((guint) (slow_seconds * 1000));
        g_source_set_callback (source, delayed_cb, delayed, delayed_free);
        g_source_attach (source, self->context);
      }
      return;
    case CF_SIM_FAULT_NONE:
    case CF_SIM_FAULT_EXPIRED_URL:
    case CF_SIM_FAULT_TRUNCATED_DOWNLOAD:
    default:
      process (self, msg, query, fault);
      return;
    }
}

static void
cf_sim_server_finalize (GObject *object)
{
  CfSimServer *self = (CfSimServer *)object;
  CfSimState *st = &self->st;

  cf_sim_server_stop (self);

  g_clear_pointer (&st->tokens, g_hash_table_unref);
  g_clear_pointer (&st->projects, g_hash_table_unref);
  g_clear_pointer (&st->keys, g_hash_table_unref);
  g_clear_pointer (&st->models, g_hash_table_unref);
  g_clear_pointer (&st->takes, g_hash_table_unref);
  g_clear_pointer (&st->videos, g_hash_table_unref);
  g_clear_pointer (&st->ops, g_hash_table_unref);
  g_clear_pointer (&st->all_ops, g_ptr_array_unref);
  g_clear_pointer (&st->all_takes, g_ptr_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (st->clips); i++)
    g_clear_pointer (&st->clips[i], g_bytes_unref);
  g_clear_pointer (&st->poster, g_bytes_unref);
  g_clear_pointer (&st->config, cf_sim_config_free);
  g_clear_pointer (&st->rand, g_rand_free);
  g_clear_pointer (&st->base_url, g_free);
  g_clear_pointer (&st->secret, g_free);
  g_mutex_clear (&st->lock);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);

  G_OBJECT_CLASS (cf_sim_server_parent_class)->finalize (object);
}

static void
cf_sim_server_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CfSimServer *self = CF_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, cf_sim_server_get_base_url (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_sim_server_class_init (CfSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_sim_server_finalize;
  object_class->get_property = cf_sim_server_get_property;

  /* Set once by cf_sim_server_start (); never notified from the server thread. */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_sim_server_init (CfSimServer *self)
{
  g_mutex_init (&self->st.lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);
}

static GBytes *
load_clip (const char *name)
{
  g_autofree char *path = g_strconcat ("/io/github/clipfleet/Sim/clips/", name, NULL);
  GBytes *bytes = g_resource_lookup_data (cf_sim_get_resource (), path,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  /* The clips are compiled in: missing means a broken build. */
  g_assert (bytes != NULL);
  return bytes;
}

CfSimServer *
cf_sim_server_new_from_data (const char  *json,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(CfSimServer) self = NULL;
  CfSimConfig *config;
  CfSimState *st;
  guint32 seed[2];

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  config = cf_sim_config_new_from_data (json, length, error);
  if (config == NULL)
    return NULL;

  self = g_object_new (CF_TYPE_SIM_SERVER, NULL);
  st = &self->st;
  st->config = config;
  seed[0] = (guint32) config->seed;
  seed[1] = (guint32) (config->seed >> 32);
  st->rand = g_rand_new_with_seed_array (seed, 2);
  st->secret = g_strdup_printf ("clipfleet-sim-%" G_GUINT64_FORMAT "-%08x",
                                config->seed, g_rand_int (st->rand));
  cf_sim_clock_init (st, config->time_scale);

  st->tokens = g_hash_table_new (g_str_hash, g_str_equal);
  st->projects = g_hash_table_new (g_str_hash, g_str_equal);
  st->keys = g_hash_table_new (g_str_hash, g_str_equal);
  st->models = g_hash_table_new (g_str_hash, g_str_equal);
  st->takes = g_hash_table_new (g_str_hash, g_str_equal);
  st->videos = g_hash_table_new (g_str_hash, g_str_equal);
  st->ops = g_hash_table_new (g_str_hash, g_str_equal);
  st->all_takes = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_sim_take_free);
  st->all_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_sim_op_free);

  for (guint i = 0; i < config->models->len; i++)
    {
      CfSimModel *model = g_ptr_array_index (config->models, i);

      g_hash_table_insert (st->models, model->key, model);
    }
  for (guint i = 0; i < config->accounts->len; i++)
    {
      CfSimAccount *account = g_ptr_array_index (config->accounts, i);

      for (guint k = 0; account->tokens != NULL && account->tokens[k] != NULL; k++)
        g_hash_table_insert (st->tokens, account->tokens[k], account);
      if (account->project_id != NULL)
        g_hash_table_insert (st->projects, account->project_id, account);
      if (account->api_key != NULL)
        g_hash_table_insert (st->keys, account->api_key, account);
      account->bucket = MAX (1.0, account->max_rps);
    }

  st->clips[0] = load_clip ("clip-1.mp4");
  st->clips[1] = load_clip ("clip-2.mp4");
  st->clips[2] = load_clip ("clip-3.mp4");
  st->clips[3] = load_clip ("clip-4.mp4");
  st->n_clips = 4;
  st->poster = load_clip ("poster.jpg");

  return g_steal_pointer (&self);
}

CfSimServer *
cf_sim_server_new_from_file (const char  *path,
                             GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return cf_sim_server_new_from_data (contents, length, error);
}

/*
 * libsoup writes headers and body separately: with Nagle's algorithm on, the
 * body then waits for the client's delayed ACK, about 40 ms per answer, which
 * would make the simulator the bottleneck it must never be.
 */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static gpointer
server_thread (gpointer data)
{
  CfSimServer *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoslist(GUri) uris = NULL;

  g_main_context_push_thread_default (self->context);

  server = soup_server_new ("server-header", "clipfleet-sim ", NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
  if (soup_server_listen_local (server, self->port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      uris = soup_server_get_uris (server);
      g_mutex_lock (&self->st.lock);
      self->port = (guint16) g_uri_get_port (uris->data);
      self->st.base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
      g_mutex_unlock (&self->st.lock);
    }

  g_mutex_lock (&self->start_lock);
  self->start_error = g_steal_pointer (&error);
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  /* A flag rather than a GMainLoop: stop () may come before the loop would have started. */
  if (self->st.base_url != NULL)
    while (!g_atomic_int_get (&self->quit))
      g_main_context_iteration (self->context, TRUE);

  /*
   * Known and accepted: libsoup 3.2 (Debian 12) leaks the connection of an
   * idle keep-alive client closed by the peer, so valgrind reports its
   * GSocket "definitely lost" under g_socket_accept (); fixed upstream in
   * 3.3.0 (commit d20c6601, "Don't leak idle connections closed by the
   * client"). It also loses the listener's local GInetSocketAddress (under
   * soup_server_listen_local (), one per server). Nothing in our code holds
   * either, and answering "Connection: close" to avoid the first would cost
   * every request a new connection.
   */
  soup_server_disconnect (server);
  g_clear_object (&server);
  /* Let the closing connections finish on this context before it goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
cf_sim_server_start (CfSimServer  *self,
                     guint16       port,
                     GError      **error)
{
  g_return_val_if_fail (CF_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->port = port;
  self->context = g_main_context_new ();
  g_atomic_int_set (&self->quit, FALSE);
  self->start_done = FALSE;
  self->thread = g_thread_new ("cf-sim-server", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      cf_sim_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

const char *
cf_sim_server_get_base_url (CfSimServer *self)
{
  g_return_val_if_fail (CF_IS_SIM_SERVER (self), NULL);

  /* Written once, before start () returns, and never changed after. */
  return self->st.base_url;
}

guint16
cf_sim_server_get_port (CfSimServer *self)
{
  g_return_val_if_fail (CF_IS_SIM_SERVER (self), 0);

  return self->st.base_url != NULL ? self->port : 0;
}

char *
cf_sim_server_dup_stats_json (CfSimServer *self)
{
  char *json;

  g_return_val_if_fail (CF_IS_SIM_SERVER (self), NULL);

  g_mutex_lock (&self->st.lock);
  json = cf_sim_stats_to_json (&self->st);
  g_mutex_unlock (&self->st.lock);
  return json;
}

void
cf_sim_server_stop (CfSimServer *self)
{
  g_return_if_fail (CF_IS_SIM_SERVER (self));

  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->quit, TRUE);
  g_main_context_wakeup (self->context);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->context, g_main_context_unref);
}

double
cf_sim_server_get_time_scale (CfSimServer *self)
{
  double scale;

  g_return_val_if_fail (CF_IS_SIM_SERVER (self), 1.0);

  g_mutex_lock (&self->st.lock);
  scale = self->st.time_scale;
  g_mutex_unlock (&self->st.lock);
  return scale;
}

void
cf_sim_server_set_time_scale (CfSimServer *self,
                              double       time_scale)
{
  g_return_if_fail (CF_IS_SIM_SERVER (self));
  g_return_if_fail (time_scale > 0);

  g_mutex_lock (&self->st.lock);
  cf_sim_clock_set_scale (&self->st, time_scale);
  g_mutex_unlock (&self->st.lock);
}

double
cf_sim_server_get_sim_time (CfSimServer *self)
{
  double now;

  g_return_val_if_fail (CF_IS_SIM_SERVER (self), 0);

  g_mutex_lock (&self->st.lock);
  now = cf_sim_clock_now (&self->st);
  g_mutex_unlock (&self->st.lock);
  return now;
}

void
cf_sim_server_advance (CfSimServer *self,
                       double       seconds)
{
  g_return_if_fail (CF_IS_SIM_SERVER (self));
  g_return_if_fail (seconds >= 0);

  g_mutex_lock (&self->st.lock);
  cf_sim_clock_advance (&self->st, seconds);
  g_mutex_unlock (&self->st.lock);
}

static CfSimAccount *
find_account (CfSimState *st,
              const char *name)
{
  for (guint i = 0; i < st->config->accounts->len; i++)
    {
      CfSimAccount *account = g_ptr_array_index (st->config->accounts, i);

      if (g_str_equal (account->name, name))
        return account;
    }
  return NULL;
}

gboolean
cf_sim_server_set_fault (CfSimServer *self,
                         const char  *account,
                         const char  *fault,
                         double       value)
{
  CfSimState *st = &self->st;
  gboolean ok = TRUE;

  g_return_val_if_fail (CF_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (fault != NULL, FALSE);

  g_mutex_lock (&st->lock);
  if (account != NULL)
    {
      CfSimAccount *found = find_account (st, account);

      ok = found != NULL && cf_sim_faults_set (&found->faults, fault, value);
    }
  else
    {
      ok = cf_sim_faults_set (&st->config->faults, fault, value);
      for (guint i = 0; ok && i < st->config->accounts->len; i++)
        {
          CfSimAccount *each = g_ptr_array_index (st->config->accounts, i);

          cf_sim_faults_set (&each->faults, fault, value);
        }
    }
  g_mutex_unlock (&st->lock);
  return ok;
}

gboolean
cf_sim_server_set_needs_recaptcha (CfSimServer *self,
                                   const char  *account,
                                   gboolean     needs_recaptcha)
{
  CfSimAccount *found;

  g_return_val_if_fail (CF_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  g_mutex_lock (&self->st.lock);
  found = find_account (&self->st, account);
  if (found != NULL)
    found->needs_recaptcha = !!needs_recaptcha;
  g_mutex_unlock (&self->st.lock);
  return found != NULL;
}

gboolean
cf_sim_server_set_credits (CfSimServer *self,
                           const char  *account,
                           gint64       credits)
{
  CfSimAccount *found;

  g_return_val_if_fail (CF_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (credits >= 0, FALSE);

  g_mutex_lock (&self->st.lock);
  found = find_account (&self->st, account);
  if (found != NULL)
    found->credits = credits;
  g_mutex_unlock (&self->st.lock);
  return found != NULL;
}
