/* cf-labs-provider.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-download.h"
#include "cf-error.h"
#include "cf-http.h"
#include "cf-labs-provider.h"

/*
 * The unofficial Labs Flow API (labs-flow.md). It has changed shape several
 * times, so every answer is read defensively: both submit shapes, both poll
 * shapes, and the video URL wherever it sits in an item.
 */

#define PATH_SUBMIT        "/video:batchAsyncGenerateVideoText"
#define PATH_POLL          "/video:batchCheckAsyncVideoGenerationStatus"
#define PATH_REDIRECT      "/fx/api/trpc/media.getMediaUrlRedirect"
#define WEB_ORIGIN_HEADER  "https://labs.google"
#define WEB_REFERER_HEADER "https://labs.google/"
#define CONTENT_TYPE       "text/plain;charset=UTF-8"
#define MAX_NAME_LENGTH    512
#define MAX_SEED           G_GINT64_CONSTANT (2147483647)

struct _CfLabsProvider
{
  GObject       parent_instance;

  CfAccount    *account;
  CfEndpoints  *endpoints;
  guint         timeout;

  SoupSession  *session;
  GStrv         tokens;
  gboolean     *dead;
  guint         n_tokens;
  char         *session_id;
  char         *api_origin;
  /* Status words we did not know and have logged once (labs-flow.md section 4). */
  GHashTable   *unknown_statuses;
};

enum
{
  PROP_0,
  PROP_ACCOUNT,
  PROP_ENDPOINTS,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void provider_iface_init (CfProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfLabsProvider, cf_labs_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CF_TYPE_PROVIDER, provider_iface_init))

CfLabsProvider *
cf_labs_provider_new (CfAccount   *account,
                      CfEndpoints *endpoints)
{
  g_autoptr(CfAccount) copy = NULL;

  g_return_val_if_fail (CF_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (endpoints != NULL, NULL);

  copy = cf_account_copy (account);

  return g_object_new (CF_TYPE_LABS_PROVIDER,
                       "account", copy,
                       "endpoints", endpoints,
                       NULL);
}

guint
cf_labs_provider_get_n_live_tokens (CfLabsProvider *self)
{
  guint n = 0;

  g_return_val_if_fail (CF_IS_LABS_PROVIDER (self), 0);

  for (guint i = 0; i < self->n_tokens; i++)
    {
      if (!self->dead[i])
        n++;
    }

  return n;
}

static const char *
account_name (CfLabsProvider *self)
{
  const char *name = cf_account_get_name (self->account);

  return name != NULL ? name : "?";
}

static const char * const *
secrets (CfLabsProvider *self)
{
  return (const char * const *) self->tokens;
}

static GError *
all_tokens_dead_error (CfLabsProvider *self)
{
  GError *error = g_error_new (CF_ERROR, CF_ERROR_AUTH_EXPIRED,
                               _("Tokens of account %s expired: paste new ones in Settings"),
                               account_name (self));

  cf_error_set_reason (error, "UNAUTHENTICATED");

  return error;
}

static int
next_live_token (CfLabsProvider *self)
{
  for (guint i = 0; i < self->n_tokens; i++)
    {
      if (!self->dead[i])
        return (int) i;
    }

  return -1;
}

static void
add_common_headers (SoupMessage *message,
                    const char  *token)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (headers, "Authorization", bearer);
  soup_message_headers_replace (headers, "Origin", WEB_ORIGIN_HEADER);
  soup_message_headers_replace (headers, "Referer", WEB_REFERER_HEADER);
}

/*
 * Sends a request with the first live token; on 401 marks that token dead
 * and sends it again at once with the next one (labs-flow.md section 6).
 * Returns the answer of the first non-401 reply: the parsed JSON object on
 * success (when answer is given), or the mapped error.
 */
static gboolean
labs_send (CfLabsProvider  *self,
           const char      *method,
           const char      *url,
           JsonNode        *body,
           const char      *what,
           SoupMessage    **out_message,
           GBytes         **out_body,
           GCancellable    *cancellable,
           GError         **error)
{
  for (;;)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) bytes = NULL;
      int token = next_live_token (self);
      guint status;

      if (token < 0)
        {
          g_propagate_error (error, all_tokens_dead_error (self));
          return FALSE;
        }

      message = cf_http_new_json_message (method, url, CONTENT_TYPE, body);
      if (message == NULL)
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("Invalid service address for %s"), what);
          return FALSE;
        }

      add_common_headers (message, self->tokens[token]);

      bytes = cf_http_send (self->session, message, CF_HTTP_MAX_ANSWER_SIZE, cancellable, error);
      if (bytes == NULL)
        return FALSE;

      status = soup_message_get_status (message);
      if (status == SOUP_STATUS_UNAUTHORIZED)
        {
          g_debug ("Account %s: token %d of %u refused, trying the next",
                   account_name (self), token + 1, self->n_tokens);
          self->dead[token] = TRUE;
          continue;
        }

      *out_message = g_steal_pointer (&message);
      *out_body = g_steal_pointer (&bytes);
      return TRUE;
    }
}

static JsonNode *
labs_post_json (CfLabsProvider  *self,
                const char      *path,
                JsonNode        *body,
                const char      *what,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = g_strconcat (cf_endpoints_get_labs_api (self->endpoints), path, NULL);
  guint status;

  if (!labs_send (self, "POST", url, body, what, &message, &bytes, cancellable, error))
    return NULL;

  status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_propagate_error (error,
                         cf_http_error_from_answer (CF_SERVICE_LABS, status,
                                                    soup_message_get_response_headers (message),
                                                    bytes, account_name (self), secrets (self)));
      return NULL;
    }

  return cf_http_parse_json_object (bytes, what, error);
}

/* Names go back into requests and logs: only plain printable ones are taken. */
static gboolean
is_valid_name (const char *name)
{
  gsize length;

  if (name == NULL)
    return FALSE;

  length = strlen (name);
  if (length == 0 || length > MAX_NAME_LENGTH)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
        return FALSE;
    }

  return TRUE;
}

static const char *
aspect_enum (CfAspect aspect)
{
  switch (aspect)
    {
    case CF_ASPECT_PORTRAIT: return "VIDEO_ASPECT_RATIO_PORTRAIT";
    case CF_ASPECT_SQUARE: return "VIDEO_ASPECT_RATIO_SQUARE";
    case CF_ASPECT_LANDSCAPE:
    case CF_ASPECT_DEFAULT:
    default:
      return "VIDEO_ASPECT_RATIO_LANDSCAPE";
    }
}

static void
add_client_context (CfLabsProvider *self,
                    JsonBuilder    *builder,
                    const char     *project_id,
                    gboolean        full)
{
  const char *tier = cf_account_get_tier (self->account);

  json_builder_set_member_name (builder, "clientContext");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "projectId");
  json_builder_add_string_value (builder, project_id);
  if (full)
    {
      json_builder_set_member_name (builder, "tool");
      json_builder_add_string_value (builder, "PINHOLE");
      if (tier != NULL && tier[0] != '\0')
        {
          json_builder_set_member_name (builder, "userPaygateTier");
          json_builder_add_string_value (builder, tier);
        }
      json_builder_set_member_name (builder, "sessionId");
      json_builder_add_string_value (builder, self->session_id);
    }
  json_builder_end_object (builder);
}

static JsonNode *
build_submit_body (CfLabsProvider        *self,
                   const CfSubmitRequest *request,
                   const char            *model_key,
                   gint64                 first_seed,
                   char                 **client_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean form_2026 = cf_account_get_request_form (self->account) == CF_REQUEST_FORM_2026;

  json_builder_begin_object (builder);
  add_client_context (self, builder, cf_account_get_project_id (self->account), TRUE);

  if (form_2026)
    {
      g_autofree char *batch_id = g_uuid_string_random ();

      /* No recaptchaContext: only a browser page can mint its token. If the
       * service insists, the answer says so and we report it plainly. */
      json_builder_set_member_name (builder, "useV2ModelConfig");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "mediaGenerationContext");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "batchId");
      json_builder_add_string_value (builder, batch_id);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < request->n_takes; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "aspectRatio");
      json_builder_add_string_value (builder, aspect_enum (request->aspect));
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, (first_seed + i) % (MAX_SEED + 1));

      json_builder_set_member_name (builder, "textInput");
      json_builder_begin_object (builder);
      if (form_2026)
        {
          json_builder_set_member_name (builder, "structuredPrompt");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "parts");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, request->prompt);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      else
        {
          json_builder_set_member_name (builder, "prompt");
          json_builder_add_string_value (builder, request->prompt);
        }
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "videoModelKey");
      json_builder_add_string_value (builder, model_key);
      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sceneId");
      json_builder_add_string_value (builder, client_ids[i]);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
find_client_id (char       **client_ids,
                guint        n,
                const char  *client_id)
{
  for (guint i = 0; client_id != NULL && i < n; i++)
    {
      if (g_str_equal (client_ids[i], client_id))
        return (int) i;
    }

  return -1;
}

static gboolean
parse_submit_answer (CfLabsProvider  *self,
                     JsonObject      *answer,
                     guint            n_takes,
                     gint64           first_seed,
                     char           **client_ids,
                     CfSubmitResult  *result,
                     GError         **error)
{
  g_autoptr(GPtrArray) handles = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_take_handle_free);
  const char *project_id = cf_account_get_project_id (self->account);
  JsonArray *operations = cf_json_get_array (answer, "operations");
  JsonArray *media = cf_json_get_array (answer, "media");
  JsonArray *workflows = cf_json_get_array (answer, "workflows");
  guint n_invalid = 0;
  gint64 credits;

  /*
   * An era may send an empty list of the other shape beside the one it
   * uses: take the list that holds items, lest paid takes be lost.
   */
  if (operations != NULL && json_array_get_length (operations) == 0
      && ((media != NULL && json_array_get_length (media) > 0)
          || (workflows != NULL && json_array_get_length (workflows) > 0)))
    operations = NULL;
  if (media != NULL && json_array_get_length (media) == 0
      && workflows != NULL && json_array_get_length (workflows) > 0)
    media = NULL;

  if (operations != NULL)
    {
      for (guint i = 0; i < json_array_get_length (operations); i++)
        {
          JsonObject *item = cf_json_array_get_object (operations, i);
          const char *name = cf_json_get_string (cf_json_get_object (item, "operation"), "name");
          const char *scene_id = cf_json_get_string (item, "sceneId");
          int index = find_client_id (client_ids, n_takes, scene_id);
          CfTakeHandle *handle;

          /* Skipped, not fatal: the valid names beside it are paid takes. */
          if (!is_valid_name (name))
            {
              n_invalid++;
              continue;
            }

          /* Without an echoed sceneId, the order of the answer is all we have. */
          if (index < 0 && i < n_takes)
            index = (int) i;

          handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_OPERATION, name);
          handle->project_id = g_strdup (project_id);
          if (index >= 0)
            {
              handle->client_id = g_strdup (client_ids[index]);
              handle->seed = (first_seed + index) % (MAX_SEED + 1);
            }
          g_ptr_array_add (handles, handle);
        }
    }
  else if (media != NULL || workflows != NULL)
    {
      JsonArray *items = media != NULL ? media : workflows;

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = cf_json_array_get_object (items, i);
          const char *name;
          const char *item_project;
          CfTakeHandle *handle;
          gint64 seed;

          if (media != NULL)
            name = cf_json_get_string (item, "name");
          else
            name = cf_json_get_string (cf_json_get_object (item, "metadata"), "primaryMediaId");

          if (!is_valid_name (name))
            {
              n_invalid++;
              continue;
            }

          item_project = cf_json_get_string (item, "projectId");

          handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_MEDIA, name);
          handle->project_id = g_strdup (is_valid_name (item_project) ? item_project : project_id);
          /* Shape B echoes no sceneId: take them in the order they were asked for. */
          if (i < n_takes)
            {
              handle->client_id = g_strdup (client_ids[i]);
              handle->seed = (first_seed + i) % (MAX_SEED + 1);
            }
          if (cf_json_get_int (cf_json_get_object (item, "mediaMetadata"), "seed", &seed) && seed >= 0)
            handle->seed = seed;
          g_ptr_array_add (handles, handle);
        }
    }
  else
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                           _("The service’s answer to the submit has neither “operations” nor "
                             "“media”"));
      return FALSE;
    }

  if (handles->len == 0 && n_invalid > 0)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                           _("The service’s answer to the submit has no item with a valid "
                             "name"));
      return FALSE;
    }

  if (n_invalid > 0)
    g_message ("Account %s: %u items of the submit answer had no valid name",
               account_name (self), n_invalid);

  if (handles->len == 0)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_TRANSIENT,
                   _("The service accepted none of the %u takes"), n_takes);
      return FALSE;
    }

  if (handles->len < n_takes)
    g_debug ("Account %s: the service accepted %u of %u takes",
             account_name (self), handles->len, n_takes);

  if (cf_json_get_int (answer, "remainingCredits", &credits) && credits >= 0)
    result->remaining_credits = credits;

  result->handles = g_steal_pointer (&handles);

  return TRUE;
}

static gboolean
cf_labs_provider_submit (CfProvider             *provider,
                         const CfSubmitRequest  *request,
                         CfSubmitResult         *result,
                         GCancellable           *cancellable,
                         GError                **error)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (provider);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *model_key = request->model_key;
  gint64 first_seed = request->seed;
  gboolean ids_ended = FALSE;

  if (model_key == NULL || model_key[0] == '\0')
    model_key = cf_account_get_model_key (self->account);

  if (model_key == NULL || model_key[0] == '\0')
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT, _("No video model is set"));
      return FALSE;
    }

  if (!is_valid_name (cf_account_get_project_id (self->account)))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("Account %s has no project id"), account_name (self));
      return FALSE;
    }

  for (guint i = 0; i < request->n_takes; i++)
    {
      const char *id = NULL;

      /* A list shorter than n_takes ends with NULL: make the rest. */
      if (request->client_ids != NULL && !ids_ended)
        {
          id = request->client_ids[i];
          ids_ended = id == NULL;
        }

      g_ptr_array_add (ids, id != NULL ? g_strdup (id) : g_uuid_string_random ());
    }
  g_ptr_array_add (ids, NULL);

  if (first_seed < 0)
    first_seed = g_random_int_range (0, G_MAXINT32);
  first_seed %= MAX_SEED + 1;

  body = build_submit_body (self, request, model_key, first_seed, (char **) ids->pdata);
  answer = labs_post_json (self, PATH_SUBMIT, body, _("the submit"), cancellable, error);
  if (answer == NULL)
    return FALSE;

  return parse_submit_answer (self, json_node_get_object (answer), request->n_takes,
                              first_seed, (char **) ids->pdata, result, error);
}

/* Polling */

static gboolean
is_video_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;

  if (text == NULL || strstr (text, "://") == NULL)
    return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && strstr (g_uri_get_path (uri), "/video/") != NULL;
}

/*
 * The MP4's URL, wherever this era of the service put it: a string whose
 * path holds "/video/", preferring a "fifeUrl" member, never the poster
 * image of "servingBaseUri". Whether it may be fetched is decided at
 * download time, so that a hostile one gives a clear error there.
 */
static void
find_video_url (JsonNode    *node,
                const char  *key,
                guint        depth,
                const char **best,
                int         *best_score)
{
  if (node == NULL || depth > CF_HTTP_MAX_JSON_DEPTH)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        find_video_url (json_object_get_member (object, l->data), l->data, depth + 1,
                        best, best_score);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        find_video_url (json_array_get_element (array, i), key, depth + 1, best, best_score);
    }
  else
    {
      const char *text = cf_json_node_get_string (node);
      int score;

      if (key != NULL && g_str_equal (key, "servingBaseUri"))
        return;
      if (!is_video_url (text))
        return;

      score = key != NULL && g_str_equal (key, "fifeUrl") ? 2 : 1;
      if (score > *best_score)
        {
          *best = text;
          *best_score = score;
        }
    }
}

static CfRemoteState
state_for_status (const char *status)
{
  if (status == NULL)
    return CF_REMOTE_UNKNOWN;
  if (g_str_equal (status, "MEDIA_GENERATION_STATUS_PENDING"))
    return CF_REMOTE_PENDING;
  if (g_str_equal (status, "MEDIA_GENERATION_STATUS_ACTIVE"))
    return CF_REMOTE_ACTIVE;
  if (g_str_equal (status, "MEDIA_GENERATION_STATUS_SUCCESSFUL"))
    return CF_REMOTE_SUCCEEDED;
  if (g_str_equal (status, "MEDIA_GENERATION_STATUS_FAILED")
      || g_str_has_prefix (status, "MEDIA_GENERATION_STATUS_ERROR"))
    return CF_REMOTE_FAILED;

  return CF_REMOTE_UNKNOWN;
}

/* The first string of failureReasons, which some eras give as objects. */
static void
read_failure_reasons (JsonArray   *reasons,
                      const char **reason,
                      const char **message)
{
  JsonNode *first;
  JsonObject *object;

  if (reasons == NULL || json_array_get_length (reasons) == 0)
    return;

  first = json_array_get_element (reasons, 0);
  if (cf_json_node_get_string (first) != NULL)
    {
      if (*reason == NULL)
        *reason = cf_json_node_get_string (first);
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
  if (*reason == NULL)
    *reason = cf_json_get_string (object, "reason");
  if (*message == NULL)
    *message = cf_json_get_string (object, "message");
}

static GError *
take_error_from_item (CfLabsProvider *self,
                      JsonObject     *item,
                      gboolean        media_shape)
{
  JsonObject *error_object;
  JsonObject *media_status = cf_json_get_object (cf_json_get_object (item, "mediaMetadata"),
                                                 "mediaStatus");
  const char *reason = NULL;
  const char *message = NULL;

  if (media_shape)
    error_object = cf_json_get_object (media_status, "error");
  else
    error_object = cf_json_get_object (cf_json_get_object (item, "operation"), "error");

  if (error_object == NULL)
    error_object = cf_json_get_object (item, "error");

  if (error_object != NULL)
    {
      JsonArray *details = cf_json_get_array (error_object, "details");

      message = cf_json_get_string (error_object, "message");
      reason = cf_json_get_string (cf_json_array_get_object (details, 0), "reason");
      if (reason == NULL)
        reason = cf_json_get_string (error_object, "reason");
    }

  read_failure_reasons (cf_json_get_array (media_status, "failureReasons"), &reason, &message);
  read_failure_reasons (cf_json_get_array (item, "failureReasons"), &reason, &message);

  return cf_http_take_error (reason, message, secrets (self));
}

static CfTakeStatus *
status_from_item (CfLabsProvider     *self,
                  const CfTakeHandle *handle,
                  JsonNode           *item_node)
{
  JsonObject *item = json_node_get_object (item_node);
  gboolean media_shape = handle->shape == CF_HANDLE_SHAPE_LABS_MEDIA;
  const char *raw;
  CfTakeStatus *status;

  if (media_shape)
    raw = cf_json_get_string (cf_json_get_object (cf_json_get_object (item, "mediaMetadata"),
                                                  "mediaStatus"),
                              "mediaGenerationStatus");
  else
    raw = cf_json_get_string (item, "status");

  if (raw == NULL)
    raw = cf_json_get_string (item, "status");

  status = cf_take_status_new (state_for_status (raw));
  status->raw_status = g_strdup (raw);

  /* Capped, so that a service inventing a word per poll cannot grow it. */
  if (status->state == CF_REMOTE_UNKNOWN
      && g_hash_table_size (self->unknown_statuses) < 64
      && !g_hash_table_contains (self->unknown_statuses, raw != NULL ? raw : ""))
    {
      g_autofree char *shown = cf_http_redact (raw != NULL ? raw : "", secrets (self), 100);

      g_hash_table_add (self->unknown_statuses, g_strdup (raw != NULL ? raw : ""));
      g_message ("Account %s: unknown take status “%s”, counted as still running",
                 account_name (self), shown);
    }

  if (status->state == CF_REMOTE_SUCCEEDED)
    {
      const char *url = NULL;
      int score = 0;

      find_video_url (item_node, NULL, 0, &url, &score);
      if (url != NULL)
        status->download_url = g_strdup (url);
      else if (media_shape)
        status->media_name = g_strdup (handle->name);
      else
        {
          JsonObject *operation = cf_json_get_object (item, "operation");
          JsonObject *video = cf_json_get_object (cf_json_get_object (operation, "metadata"),
                                                  "video");
          const char *media_id = cf_json_get_string (video, "mediaGenerationId");

          status->media_name = g_strdup (is_valid_name (media_id) ? media_id : handle->name);
        }
    }
  else if (status->state == CF_REMOTE_FAILED)
    status->error = take_error_from_item (self, item, media_shape);

  return status;
}

static const char *
item_name (JsonObject *item,
           gboolean    media_shape)
{
  if (media_shape)
    return cf_json_get_string (item, "name");

  return cf_json_get_string (cf_json_get_object (item, "operation"), "name");
}

/* Polls the handles (of one shape and project) whose indexes are in group. */
static gboolean
poll_group (CfLabsProvider  *self,
            GPtrArray       *handles,
            GArray          *group,
            CfTakeStatus   **statuses,
            gint64          *remaining_credits,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  guint status;
  const CfTakeHandle *first = g_ptr_array_index (handles, g_array_index (group, guint, 0));
  gboolean media_shape = first->shape == CF_HANDLE_SHAPE_LABS_MEDIA;
  const char *project_id = first->project_id != NULL ? first->project_id
                                                     : cf_account_get_project_id (self->account);
  JsonArray *items;
  gint64 credits;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, media_shape ? "media" : "operations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < group->len; i++)
    {
      const CfTakeHandle *handle = g_ptr_array_index (handles, g_array_index (group, guint, i));

      json_builder_begin_object (builder);
      if (media_shape)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, handle->name);
          json_builder_set_member_name (builder, "projectId");
          json_builder_add_string_value (builder, project_id);
        }
      else
        {
          json_builder_set_member_name (builder, "operation");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, handle->name);
          json_builder_end_object (builder);
          if (handle->client_id != NULL)
            {
              json_builder_set_member_name (builder, "sceneId");
              json_builder_add_string_value (builder, handle->client_id);
            }
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, "MEDIA_GENERATION_STATUS_PENDING");
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (!media_shape)
    add_client_context (self, builder, project_id, FALSE);
  json_builder_end_object (builder);

  body = json_builder_get_root (builder);
  url = g_strconcat (cf_endpoints_get_labs_api (self->endpoints), PATH_POLL, NULL);
  if (!labs_send (self, "POST", url, body, _("the status poll"), &message, &bytes,
                  cancellable, error))
    return FALSE;

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      /*
       * The service refuses the whole batch when it no longer knows one of
       * its takes: find which by asking for each alone, so that one lost
       * take does not stall the account's others.
       */
      if (group->len == 1)
        {
          guint index = g_array_index (group, guint, 0);

          statuses[index] = cf_take_status_new (CF_REMOTE_FAILED);
          statuses[index]->raw_status = g_strdup ("not found");
          statuses[index]->error = g_error_new_literal (CF_ERROR, CF_ERROR_FAILED,
                                                        _("The service no longer knows this "
                                                          "take"));
          return TRUE;
        }

      for (guint i = 0; i < group->len; i++)
        {
          g_autoptr(GArray) single = g_array_new (FALSE, FALSE, sizeof (guint));

          g_array_append_val (single, g_array_index (group, guint, i));
          if (!poll_group (self, handles, single, statuses, remaining_credits, cancellable, error))
            return FALSE;
        }
      return TRUE;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_propagate_error (error,
                         cf_http_error_from_answer (CF_SERVICE_LABS, status,
                                                    soup_message_get_response_headers (message),
                                                    bytes, account_name (self), secrets (self)));
      return FALSE;
    }

  answer = cf_http_parse_json_object (bytes, _("the status poll"), error);
  if (answer == NULL)
    return FALSE;

  items = cf_json_get_array (json_node_get_object (answer), media_shape ? "media" : "operations");
  if (items == NULL)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                   _("The service’s answer to the status poll has no “%s”"),
                   media_shape ? "media" : "operations");
      return FALSE;
    }

  for (guint j = 0; j < json_array_get_length (items); j++)
    {
      JsonNode *item_node = json_array_get_element (items, j);
      JsonObject *item;
      const char *name;
      const char *scene_id;

      if (!JSON_NODE_HOLDS_OBJECT (item_node))
        continue;

      item = json_node_get_object (item_node);
      name = item_name (item, media_shape);
      scene_id = cf_json_get_string (item, "sceneId");

      for (guint i = 0; i < group->len; i++)
        {
          guint index = g_array_index (group, guint, i);
          const CfTakeHandle *handle = g_ptr_array_index (handles, index);
          gboolean same = name != NULL ? g_str_equal (name, handle->name)
                                       : (scene_id != NULL && handle->client_id != NULL
                                          && g_str_equal (scene_id, handle->client_id));

          if (same && statuses[index] == NULL)
            statuses[index] = status_from_item (self, handle, item_node);
        }
    }

  if (remaining_credits != NULL
      && cf_json_get_int (json_node_get_object (answer), "remainingCredits", &credits)
      && credits >= 0)
    *remaining_credits = credits;

  return TRUE;
}

static GPtrArray *
cf_labs_provider_poll (CfProvider    *provider,
                       GPtrArray     *handles,
                       gint64        *remaining_credits,
                       GCancellable  *cancellable,
                       GError       **error)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (provider);
  g_autofree CfTakeStatus **statuses = g_new0 (CfTakeStatus *, handles->len + 1);
  g_autofree gboolean *done = g_new0 (gboolean, handles->len + 1);
  GPtrArray *result;

  /* One request per shape and project present: normally one in all. */
  for (guint i = 0; i < handles->len; i++)
    {
      const CfTakeHandle *lead = g_ptr_array_index (handles, i);
      g_autoptr(GArray) group = NULL;

      if (done[i])
        continue;

      if (lead->shape == CF_HANDLE_SHAPE_GEMINI || !is_valid_name (lead->name))
        {
          statuses[i] = cf_take_status_new (CF_REMOTE_FAILED);
          statuses[i]->error = g_error_new_literal (CF_ERROR, CF_ERROR_BAD_INPUT,
                                                    _("This take does not belong to a Labs "
                                                      "account"));
          done[i] = TRUE;
          continue;
        }

      group = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint j = i; j < handles->len; j++)
        {
          const CfTakeHandle *other = g_ptr_array_index (handles, j);

          if (!done[j] && other->shape == lead->shape
              && g_strcmp0 (other->project_id, lead->project_id) == 0
              && is_valid_name (other->name))
            {
              g_array_append_val (group, j);
              done[j] = TRUE;
            }
        }

      if (!poll_group (self, handles, group, statuses, remaining_credits, cancellable, error))
        {
          for (guint j = 0; j < handles->len; j++)
            g_clear_pointer (&statuses[j], cf_take_status_free);
          return NULL;
        }
    }

  result = g_ptr_array_new_full (handles->len, (GDestroyNotify) cf_take_status_free);
  for (guint i = 0; i < handles->len; i++)
    {
      /* Left out of the answer: still running as far as we know. */
      if (statuses[i] == NULL)
        statuses[i] = cf_take_status_new (CF_REMOTE_UNKNOWN);
      g_ptr_array_add (result, statuses[i]);
    }

  return result;
}

static gboolean
body_mentions (GBytes     *bytes,
               const char *word)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return data != NULL && g_strstr_len (data, MIN (length, 64 * 1024), word) != NULL;
}

static gboolean
cf_labs_provider_check_account (CfProvider    *provider,
                                GCancellable  *cancellable,
                                GError       **error)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (provider);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  const char *project_id = cf_account_get_project_id (self->account);
  guint status;

  if (self->n_tokens == 0 || !is_valid_name (project_id))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("Account %s needs at least one token and a project id"),
                   account_name (self));
      return FALSE;
    }

  /* A status poll of nothing costs no credit but checks token and project. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operations");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  add_client_context (self, builder, project_id, FALSE);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  url = g_strconcat (cf_endpoints_get_labs_api (self->endpoints), PATH_POLL, NULL);
  if (!labs_send (self, "POST", url, body, _("the account check"), &message, &bytes,
                  cancellable, error))
    return FALSE;

  status = soup_message_get_status (message);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;

  /*
   * In proto3 JSON an empty list is the same as a missing one, so the
   * service may refuse it as a missing required field. It checks token and
   * project before the body, so that refusal still means "ready".
   */
  if (status == SOUP_STATUS_BAD_REQUEST && body_mentions (bytes, "operations"))
    return TRUE;

  g_propagate_error (error,
                     cf_http_error_from_answer (CF_SERVICE_LABS, status,
                                                soup_message_get_response_headers (message),
                                                bytes, account_name (self), secrets (self)));
  return FALSE;
}

/* Downloading */

static JsonNode *
find_member (JsonNode   *node,
             const char *name,
             guint       depth)
{
  if (node == NULL || depth > CF_HTTP_MAX_JSON_DEPTH)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = NULL;

      if (json_object_has_member (object, name))
        return json_object_get_member (object, name);

      members = json_object_get_members (object);
      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *found = find_member (json_object_get_member (object, l->data), name, depth + 1);

          if (found != NULL)
            return found;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *found = find_member (json_array_get_element (array, i), name, depth + 1);

          if (found != NULL)
            return found;
        }
    }

  return NULL;
}

/*
 * labs-flow.md 5b: asks the web route where a finished media is. The answer
 * is a redirect (or JSON with finalUrl) that we never follow blindly: the
 * caller checks the address against the allowed hosts first.
 */
static char *
resolve_media_url (CfLabsProvider  *self,
                   const char      *media_name,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *escaped = g_uri_escape_string (media_name, NULL, FALSE);
  g_autofree char *url = g_strconcat (cf_endpoints_get_labs_web (self->endpoints),
                                      PATH_REDIRECT "?name=", escaped, NULL);
  const char *final_url;
  guint status;

  if (!labs_send (self, "GET", url, NULL, _("the download address"), &message, &bytes,
                  cancellable, error))
    return NULL;

  status = soup_message_get_status (message);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                           "Location");
      g_autoptr(GUri) next = NULL;

      if (location != NULL)
        next = g_uri_parse_relative (soup_message_get_uri (message), location,
                                     G_URI_FLAGS_NONE, NULL);
      if (next == NULL)
        {
          g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                       _("The download route answered HTTP %u without a valid address"), status);
          return NULL;
        }

      return g_uri_to_string (next);
    }

  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_URL_EXPIRED,
                   _("The service has no download address for this take yet (HTTP %u)"), status);
      return NULL;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_propagate_error (error,
                         cf_http_error_from_answer (CF_SERVICE_LABS, status,
                                                    soup_message_get_response_headers (message),
                                                    bytes, account_name (self), secrets (self)));
      return NULL;
    }

  answer = cf_http_parse_json_object (bytes, _("the download route"), error);
  if (answer == NULL)
    return NULL;

  final_url = cf_json_node_get_string (find_member (answer, "finalUrl", 0));
  if (final_url == NULL)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                           _("The download route answered without “finalUrl” or a redirect"));
      return NULL;
    }

  return g_strdup (final_url);
}

static gboolean
cf_labs_provider_download (CfProvider          *provider,
                           const CfTakeHandle  *handle,
                           const CfTakeStatus  *status,
                           const char          *path,
                           GCancellable        *cancellable,
                           GError             **error)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (provider);
  g_autofree char *resolved = NULL;
  const char *url = status->download_url;

  if (url == NULL)
    {
      const char *media_name = status->media_name;

      if (media_name == NULL && handle->shape == CF_HANDLE_SHAPE_LABS_MEDIA)
        media_name = handle->name;

      if (!is_valid_name (media_name))
        {
          g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                               _("The finished take has neither a download address nor a "
                                 "media name"));
          return FALSE;
        }

      resolved = resolve_media_url (self, media_name, cancellable, error);
      if (resolved == NULL)
        return FALSE;
      url = resolved;
    }

  /* A signed URL needs no bearer: it is never sent off the API's own origin. */
  return cf_download_url_to_file (self->session, self->endpoints, url, NULL, NULL, NULL,
                                  path, cancellable, error);
}

/* GObject */

static void
cf_labs_provider_constructed (GObject *object)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (object);
  const char * const *tokens;

  G_OBJECT_CLASS (cf_labs_provider_parent_class)->constructed (object);

  g_assert (self->account != NULL);
  g_assert (self->endpoints != NULL);

  tokens = cf_account_get_tokens (self->account);
  self->tokens = g_strdupv ((char **) tokens);
  if (self->tokens == NULL)
    self->tokens = g_new0 (char *, 1);
  self->n_tokens = g_strv_length (self->tokens);
  self->dead = g_new0 (gboolean, self->n_tokens + 1);

  self->session = cf_http_session_new (self->timeout,
                                       !cf_endpoints_is_loopback (self->endpoints));
  self->session_id = g_strdup_printf (";%" G_GINT64_FORMAT, g_get_real_time () / 1000);
  self->api_origin = cf_download_dup_origin (cf_endpoints_get_labs_api (self->endpoints));
  self->unknown_statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
cf_labs_provider_dispose (GObject *object)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (object);

  g_clear_object (&self->session);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (cf_labs_provider_parent_class)->dispose (object);
}

static void
cf_labs_provider_finalize (GObject *object)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (object);

  g_clear_pointer (&self->endpoints, cf_endpoints_unref);
  g_clear_pointer (&self->tokens, g_strfreev);
  g_clear_pointer (&self->dead, g_free);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->api_origin, g_free);
  g_clear_pointer (&self->unknown_statuses, g_hash_table_unref);

  G_OBJECT_CLASS (cf_labs_provider_parent_class)->finalize (object);
}

static void
cf_labs_provider_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_ENDPOINTS:
      g_value_set_boxed (value, self->endpoints);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_labs_provider_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CfLabsProvider *self = CF_LABS_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    case PROP_ENDPOINTS:
      self->endpoints = g_value_dup_boxed (value);
      break;
    case PROP_TIMEOUT:
      self->timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_labs_provider_class_init (CfLabsProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cf_labs_provider_constructed;
  object_class->dispose = cf_labs_provider_dispose;
  object_class->finalize = cf_labs_provider_finalize;
  object_class->get_property = cf_labs_provider_get_property;
  object_class->set_property = cf_labs_provider_set_property;

  /* The provider's own copy of the account: never shared with the main thread. */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         CF_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ENDPOINTS] =
    g_param_spec_boxed ("endpoints", NULL, NULL,
                        CF_TYPE_ENDPOINTS,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Seconds a request may stay silent before it counts as a transient failure. */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 3600, CF_HTTP_TIMEOUT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_labs_provider_init (CfLabsProvider *self)
{
  self->timeout = CF_HTTP_TIMEOUT_SECONDS;
}

static void
provider_iface_init (CfProviderInterface *iface)
{
  iface->check_account = cf_labs_provider_check_account;
  iface->submit = cf_labs_provider_submit;
  iface->poll = cf_labs_provider_poll;
  iface->download = cf_labs_provider_download;
}
