/* cf-gemini-provider.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-download.h"
#include "cf-error.h"
#include "cf-gemini-provider.h"
#include "cf-http.h"

/*
 * The official Veo API (gemini-veo.md): one long-running operation per
 * scene, whose samples are the takes. The key is the only credential.
 */

#define KEY_HEADER         "x-goog-api-key"
#define MAX_NAME_LENGTH    512
/* A model for the account check when none is set; any existing one will do. */
#define CHECK_MODEL        "veo-3.1-fast-generate-preview"

struct _CfGeminiProvider
{
  GObject       parent_instance;

  CfAccount    *account;
  CfEndpoints  *endpoints;
  guint         timeout;

  SoupSession  *session;
  char         *api_key;
  char         *api_origin;
  const char   *secrets[2];
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

G_DEFINE_FINAL_TYPE_WITH_CODE (CfGeminiProvider, cf_gemini_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CF_TYPE_PROVIDER, provider_iface_init))

CfGeminiProvider *
cf_gemini_provider_new (CfAccount   *account,
                        CfEndpoints *endpoints)
{
  g_autoptr(CfAccount) copy = NULL;

  g_return_val_if_fail (CF_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (endpoints != NULL, NULL);

  copy = cf_account_copy (account);

  return g_object_new (CF_TYPE_GEMINI_PROVIDER,
                       "account", copy,
                       "endpoints", endpoints,
                       NULL);
}

static const char *
account_name (CfGeminiProvider *self)
{
  const char *name = cf_account_get_name (self->account);

  return name != NULL ? name : "?";
}

/*
 * Model keys and operation names go into the request path: only the
 * characters Google uses, so that a corrupted journal or a hostile answer
 * cannot steer a request elsewhere ("..", "?", "#", "%").
 */
static gboolean
is_safe_path_part (const char *text,
                   gboolean    allow_slash)
{
  gsize length;

  if (text == NULL)
    return FALSE;

  length = strlen (text);
  if (length == 0 || length > MAX_NAME_LENGTH || text[0] == '/' || strstr (text, "..") != NULL)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.'
          && !(allow_slash && *p == '/'))
        return FALSE;
    }

  return TRUE;
}

static SoupMessage *
new_message (CfGeminiProvider *self,
             const char       *method,
             const char       *url,
             JsonNode         *body)
{
  SoupMessage *message = cf_http_new_json_message (method, url, "application/json", body);

  if (message != NULL && self->api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  KEY_HEADER, self->api_key);

  return message;
}

/* Sends; fills *out_status and returns the body, or NULL with a transport error. */
static GBytes *
gemini_send (CfGeminiProvider  *self,
             SoupMessage       *message,
             gsize              max_size,
             GCancellable      *cancellable,
             GError           **error)
{
  if (self->api_key == NULL || self->api_key[0] == '\0')
    {
      g_set_error (error, CF_ERROR, CF_ERROR_AUTH_EXPIRED,
                   _("Account %s has no API key: paste one in Settings"), account_name (self));
      return NULL;
    }

  /* An endpoint or name that libsoup cannot parse: an error, never a NULL without one. */
  if (message == NULL)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("Invalid address for the Gemini service"));
      return NULL;
    }

  return cf_http_send (self->session, message, max_size, cancellable, error);
}

static GError *
error_from_message (CfGeminiProvider *self,
                    SoupMessage      *message,
                    GBytes           *body)
{
  return cf_http_error_from_answer (CF_SERVICE_GEMINI, soup_message_get_status (message),
                                    soup_message_get_response_headers (message), body,
                                    account_name (self), self->secrets);
}

static gboolean
cf_gemini_provider_submit (CfProvider             *provider,
                           const CfSubmitRequest  *request,
                           CfSubmitResult         *result,
                           GCancellable           *cancellable,
                           GError                **error)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (provider);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) handles = NULL;
  g_autofree char *url = NULL;
  const char *model_key = request->model_key;
  const char *aspect;
  const char *name;
  gint64 credits;

  if (model_key == NULL || model_key[0] == '\0')
    model_key = cf_account_get_model_key (self->account);

  if (!is_safe_path_part (model_key, FALSE))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("“%s” is not a valid Gemini model name"), model_key != NULL ? model_key : "");
      return FALSE;
    }

  switch (request->aspect)
    {
    case CF_ASPECT_PORTRAIT:
      aspect = "9:16";
      break;
    case CF_ASPECT_SQUARE:
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("The Gemini API makes no square videos: choose 16:9 or 9:16"));
      return FALSE;
    case CF_ASPECT_LANDSCAPE:
    case CF_ASPECT_DEFAULT:
    default:
      aspect = "16:9";
      break;
    }

  /* This API refuses a seed: none is sent. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "instances");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aspectRatio");
  json_builder_add_string_value (builder, aspect);
  if (request->negative_prompt != NULL && request->negative_prompt[0] != '\0')
    {
      json_builder_set_member_name (builder, "negativePrompt");
      json_builder_add_string_value (builder, request->negative_prompt);
    }
  json_builder_set_member_name (builder, "sampleCount");
  json_builder_add_int_value (builder, request->n_takes);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  url = g_strdup_printf ("%s/models/%s:predictLongRunning",
                         cf_endpoints_get_gemini_api (self->endpoints), model_key);
  message = new_message (self, "POST", url, body);
  bytes = gemini_send (self, message, CF_HTTP_MAX_ANSWER_SIZE, cancellable, error);
  if (bytes == NULL)
    return FALSE;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      g_propagate_error (error, error_from_message (self, message, bytes));
      return FALSE;
    }

  answer = cf_http_parse_json_object (bytes, _("the submit"), error);
  if (answer == NULL)
    return FALSE;

  name = cf_json_get_string (json_node_get_object (answer), "name");
  if (!is_safe_path_part (name, TRUE))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                           _("The service’s answer to the submit has no valid operation "
                             "“name”"));
      return FALSE;
    }

  handles = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_take_handle_free);
  for (guint i = 0; i < request->n_takes; i++)
    {
      CfTakeHandle *handle = cf_take_handle_new (CF_HANDLE_SHAPE_GEMINI, name);

      handle->sample_index = i;
      g_ptr_array_add (handles, handle);
    }

  if (cf_json_get_int (json_node_get_object (answer), "remainingCredits", &credits) && credits >= 0)
    result->remaining_credits = credits;

  result->handles = g_steal_pointer (&handles);

  return TRUE;
}

/* Polling */

/* The reasons of a safety filter, as one line. */
static char *
join_filter_reasons (JsonArray *reasons)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; reasons != NULL && i < json_array_get_length (reasons) && i < 8; i++)
    {
      const char *reason = cf_json_node_get_string (json_array_get_element (reasons, i));

      if (reason == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, reason);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static CfTakeStatus *
status_for_sample (CfGeminiProvider   *self,
                   const CfTakeHandle *handle,
                   JsonObject         *operation)
{
  JsonObject *error_object = cf_json_get_object (operation, "error");
  JsonObject *response = cf_json_get_object (operation, "response");
  JsonObject *video_response = cf_json_get_object (response, "generateVideoResponse");
  JsonArray *samples;
  JsonArray *reasons;
  JsonObject *video;
  CfTakeStatus *status;
  gboolean done = FALSE;
  gint64 n_filtered = 0;
  const char *uri;
  const char *encoded;

  cf_json_get_bool (operation, "done", &done);

  if (!done)
    {
      status = cf_take_status_new (CF_REMOTE_ACTIVE);
      status->raw_status = g_strdup ("running");
      return status;
    }

  if (error_object != NULL)
    {
      status = cf_take_status_new (CF_REMOTE_FAILED);
      status->raw_status = g_strdup ("error");
      status->error = cf_http_error_from_status_object (CF_SERVICE_GEMINI, error_object,
                                                        account_name (self), self->secrets);
      return status;
    }

  if (video_response == NULL)
    {
      status = cf_take_status_new (CF_REMOTE_FAILED);
      status->raw_status = g_strdup ("done");
      status->error = g_error_new_literal (CF_ERROR, CF_ERROR_PROTOCOL,
                                           _("The finished operation has no "
                                             "“response.generateVideoResponse”"));
      return status;
    }

  samples = cf_json_get_array (video_response, "generatedSamples");
  reasons = cf_json_get_array (video_response, "raiMediaFilteredReasons");
  cf_json_get_int (video_response, "raiMediaFilteredCount", &n_filtered);

  if (samples == NULL || handle->sample_index >= json_array_get_length (samples))
    {
      g_autofree char *joined = join_filter_reasons (reasons);

      status = cf_take_status_new (CF_REMOTE_FAILED);
      status->raw_status = g_strdup ("filtered");

      if (n_filtered > 0 || joined != NULL)
        {
          g_autofree char *shown = cf_http_redact (joined, self->secrets, 300);

          if (shown != NULL)
            status->error = g_error_new (CF_ERROR, CF_ERROR_POLICY,
                                         _("The service’s safety filter removed this take (%s)"),
                                         shown);
          else
            status->error = g_error_new_literal (CF_ERROR, CF_ERROR_POLICY,
                                                 _("The service’s safety filter removed this "
                                                   "take"));
          cf_error_set_reason (status->error, shown != NULL ? shown : "raiMediaFiltered");
        }
      else
        {
          g_clear_pointer (&status->raw_status, g_free);
          status->raw_status = g_strdup ("missing");
          status->error = g_error_new_literal (CF_ERROR, CF_ERROR_FAILED,
                                               _("The service returned fewer videos than asked "
                                                 "for"));
        }
      return status;
    }

  video = cf_json_get_object (cf_json_array_get_object (samples, handle->sample_index), "video");
  uri = cf_json_get_string (video, "uri");
  encoded = cf_json_get_string (video, "encodedVideo");

  if (uri == NULL && encoded == NULL)
    {
      status = cf_take_status_new (CF_REMOTE_FAILED);
      status->raw_status = g_strdup ("done");
      status->error = g_error_new_literal (CF_ERROR, CF_ERROR_PROTOCOL,
                                           _("A finished video has neither “uri” nor "
                                             "“encodedVideo”"));
      return status;
    }

  status = cf_take_status_new (CF_REMOTE_SUCCEEDED);
  status->raw_status = g_strdup ("done");
  if (uri != NULL)
    status->download_url = g_strdup (uri);
  else
    status->inline_video = g_strdup (encoded);

  return status;
}

static GPtrArray *
cf_gemini_provider_poll (CfProvider    *provider,
                         GPtrArray     *handles,
                         gint64        *remaining_credits,
                         GCancellable  *cancellable,
                         GError       **error)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (provider);
  g_autoptr(GHashTable) answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_error_free);
  GPtrArray *result;

  /* One GET per distinct operation: its samples are several takes. */
  for (guint i = 0; i < handles->len; i++)
    {
      const CfTakeHandle *handle = g_ptr_array_index (handles, i);
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *url = NULL;
      JsonNode *answer;
      guint status;
      gint64 credits;

      if (handle->shape != CF_HANDLE_SHAPE_GEMINI || !is_safe_path_part (handle->name, TRUE))
        continue;
      if (g_hash_table_contains (answers, handle->name)
          || g_hash_table_contains (failures, handle->name))
        continue;

      url = g_strdup_printf ("%s/%s", cf_endpoints_get_gemini_api (self->endpoints), handle->name);
      message = new_message (self, "GET", url, NULL);
      bytes = gemini_send (self, message, CF_HTTP_MAX_INLINE_ANSWER_SIZE, cancellable, error);
      if (bytes == NULL)
        return NULL;

      status = soup_message_get_status (message);
      if (status == SOUP_STATUS_NOT_FOUND)
        {
          /* Operations are kept two days; an unknown one will never finish. */
          g_hash_table_insert (failures, g_strdup (handle->name),
                               g_error_new_literal (CF_ERROR, CF_ERROR_FAILED,
                                                    _("The service no longer knows this "
                                                      "operation")));
          continue;
        }

      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_propagate_error (error, error_from_message (self, message, bytes));
          return NULL;
        }

      answer = cf_http_parse_json_object (bytes, _("the status poll"), error);
      if (answer == NULL)
        return NULL;

      if (remaining_credits != NULL
          && cf_json_get_int (json_node_get_object (answer), "remainingCredits", &credits)
          && credits >= 0)
        *remaining_credits = credits;

      g_hash_table_insert (answers, g_strdup (handle->name), answer);
    }

  result = g_ptr_array_new_full (handles->len, (GDestroyNotify) cf_take_status_free);
  for (guint i = 0; i < handles->len; i++)
    {
      const CfTakeHandle *handle = g_ptr_array_index (handles, i);
      JsonNode *answer = g_hash_table_lookup (answers, handle->name);
      const GError *failure = g_hash_table_lookup (failures, handle->name);
      CfTakeStatus *status;

      if (answer != NULL)
        status = status_for_sample (self, handle, json_node_get_object (answer));
      else if (failure != NULL)
        {
          status = cf_take_status_new (CF_REMOTE_FAILED);
          status->raw_status = g_strdup ("not found");
          status->error = g_error_copy (failure);
        }
      else
        {
          status = cf_take_status_new (CF_REMOTE_FAILED);
          status->error = g_error_new_literal (CF_ERROR, CF_ERROR_BAD_INPUT,
                                               _("This take does not belong to a Gemini "
                                                 "account"));
        }

      g_ptr_array_add (result, status);
    }

  return result;
}

static gboolean
cf_gemini_provider_check_account (CfProvider    *provider,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (provider);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  const char *model_key = cf_account_get_model_key (self->account);
  guint status;

  if (!is_safe_path_part (model_key, FALSE))
    model_key = CHECK_MODEL;

  /*
   * Polling an operation that cannot exist spends nothing: 404 means the
   * key was accepted, while a bad key or missing access answers 400/403.
   */
  url = g_strdup_printf ("%s/models/%s/operations/clipfleet-account-check",
                         cf_endpoints_get_gemini_api (self->endpoints), model_key);
  message = new_message (self, "GET", url, NULL);
  bytes = gemini_send (self, message, CF_HTTP_MAX_ANSWER_SIZE, cancellable, error);
  if (bytes == NULL)
    return FALSE;

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_NOT_FOUND || SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;

  g_propagate_error (error, error_from_message (self, message, bytes));

  return FALSE;
}

static gboolean
cf_gemini_provider_download (CfProvider          *provider,
                             const CfTakeHandle  *handle,
                             const CfTakeStatus  *status,
                             const char          *path,
                             GCancellable        *cancellable,
                             GError             **error)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (provider);

  if (status->inline_video != NULL)
    return cf_download_base64_to_file (status->inline_video, path, cancellable, error);

  /* The key goes only to the API's own origin, never to a storage host. */
  return cf_download_url_to_file (self->session, self->endpoints, status->download_url,
                                  KEY_HEADER, self->api_key, self->api_origin,
                                  path, cancellable, error);
}

/* GObject */

static void
cf_gemini_provider_constructed (GObject *object)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (object);

  G_OBJECT_CLASS (cf_gemini_provider_parent_class)->constructed (object);

  g_assert (self->account != NULL);
  g_assert (self->endpoints != NULL);

  self->api_key = g_strdup (cf_account_get_api_key (self->account));
  self->secrets[0] = self->api_key;
  self->secrets[1] = NULL;
  self->session = cf_http_session_new (self->timeout,
                                       !cf_endpoints_is_loopback (self->endpoints));
  self->api_origin = cf_download_dup_origin (cf_endpoints_get_gemini_api (self->endpoints));
}

static void
cf_gemini_provider_dispose (GObject *object)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (object);

  g_clear_object (&self->session);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (cf_gemini_provider_parent_class)->dispose (object);
}

static void
cf_gemini_provider_finalize (GObject *object)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (object);

  g_clear_pointer (&self->endpoints, cf_endpoints_unref);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->api_origin, g_free);

  G_OBJECT_CLASS (cf_gemini_provider_parent_class)->finalize (object);
}

static void
cf_gemini_provider_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (object);

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
cf_gemini_provider_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CfGeminiProvider *self = CF_GEMINI_PROVIDER (object);

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
cf_gemini_provider_class_init (CfGeminiProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cf_gemini_provider_constructed;
  object_class->dispose = cf_gemini_provider_dispose;
  object_class->finalize = cf_gemini_provider_finalize;
  object_class->get_property = cf_gemini_provider_get_property;
  object_class->set_property = cf_gemini_provider_set_property;

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
cf_gemini_provider_init (CfGeminiProvider *self)
{
  self->timeout = CF_HTTP_TIMEOUT_SECONDS;
}

static void
provider_iface_init (CfProviderInterface *iface)
{
  iface->check_account = cf_gemini_provider_check_account;
  iface->submit = cf_gemini_provider_submit;
  iface->poll = cf_gemini_provider_poll;
  iface->download = cf_gemini_provider_download;
}
