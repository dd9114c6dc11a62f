/* cf-sim-gemini-routes.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-sim-private.h"

/*
 * The Gemini API for Veo (gemini-veo.md): predictLongRunning and operation
 * polls under /v1beta, keyed by x-goog-api-key. Called with the state lock
 * held.
 */

#define GEMINI_DOMAIN "generativelanguage.googleapis.com"
#define MODELS_PREFIX "/v1beta/models/"
#define SUBMIT_SUFFIX ":predictLongRunning"
#define FILTER_REASON "Video generation was blocked because the prompt or the generated " \
                      "video may violate our usage guidelines (celebrity or policy filter)."

static const char *
api_key (const CfSimRequest *req)
{
  const char *key = soup_message_headers_get_one (req->headers, "x-goog-api-key");

  if (key == NULL && req->query != NULL)
    key = g_hash_table_lookup (req->query, "key");
  return key;
}

CfSimAccount *
cf_sim_gemini_find_account (CfSimState         *st,
                            const CfSimRequest *req)
{
  const char *key = api_key (req);

  return key != NULL ? g_hash_table_lookup (st->keys, key) : NULL;
}

/*
 * The real API's google.rpc.Status for Gemini errors other than field
 * checks: its details are QuotaFailure, Help and ErrorInfo, never the Labs
 * PUBLIC_ERROR_* reasons.
 */
static void
begin_status (JsonBuilder *builder,
              guint        code,
              const char  *message)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, cf_sim_status_name (code));
  json_builder_set_member_name (builder, "details");
  json_builder_begin_array (builder);
}

static void
add_help (JsonBuilder *builder,
          const char  *description,
          const char  *url)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "@type");
  json_builder_add_string_value (builder, "type.googleapis.com/google.rpc.Help");
  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
end_status (JsonBuilder *builder,
            guint        code,
            CfSimReply  *reply)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  cf_sim_reply_json (reply, code, root);
}

/*
 * 429 RESOURCE_EXHAUSTED as the Gemini API sends it: a QuotaFailure naming
 * the quota, a Help link, and a RetryInfo only when waiting helps (a rate or
 * concurrency limit, not spent credits). @retry_delay is in real seconds.
 */
static void
reply_exhausted (CfSimReply *reply,
                 const char *model_key,
                 const char *quota_metric,
                 const char *quota_id,
                 double      retry_delay,
                 const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  begin_status (builder, 429, message);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "@type");
  json_builder_add_string_value (builder, "type.googleapis.com/google.rpc.QuotaFailure");
  json_builder_set_member_name (builder, "violations");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "quotaMetric");
  json_builder_add_string_value (builder, quota_metric);
  json_builder_set_member_name (builder, "quotaId");
  json_builder_add_string_value (builder, quota_id);
  if (model_key != NULL)
    {
      json_builder_set_member_name (builder, "quotaDimensions");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "location");
      json_builder_add_string_value (builder, "global");
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, model_key);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  add_help (builder, "Learn more about Gemini API quotas",
            "https://ai.google.dev/gemini-api/docs/rate-limits");
  if (retry_delay >= 0)
    {
      char delay[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *text = NULL;

      retry_delay = MAX (retry_delay, 0.001);
      g_ascii_formatd (delay, sizeof delay, "%.3f", retry_delay);
      text = g_strconcat (delay, "s", NULL);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "@type");
      json_builder_add_string_value (builder, "type.googleapis.com/google.rpc.RetryInfo");
      json_builder_set_member_name (builder, "retryDelay");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
    }
  end_status (builder, 429, reply);
  if (retry_delay >= 0)
    reply->retry_after = retry_delay;
}

/* A made-up but stable Cloud project number for an account's messages. */
static guint64
project_number (CfSimAccount *account)
{
  return 100000000000ULL + g_str_hash (account->name) % 900000000000ULL;
}

/*
 * A key whose project lacks billing or access to the API: the real service
 * refuses every call with this 403, whatever the route.
 */
void
cf_sim_gemini_reply_permission_denied (CfSimAccount *account,
                                       CfSimReply   *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *project = g_strdup_printf ("projects/%" G_GUINT64_FORMAT,
                                              project_number (account));
  g_autofree char *url = g_strdup_printf ("https://console.developers.google.com/billing/"
                                          "enable?project=%" G_GUINT64_FORMAT,
                                          project_number (account));
  g_autofree char *message = g_strdup_printf ("This API method requires billing to be "
                                              "enabled. Please enable billing on project #%"
                                              G_GUINT64_FORMAT " by visiting %s then retry. "
                                              "If you enabled billing for this project "
                                              "recently, wait a few minutes for the action to "
                                              "propagate to our systems and retry.",
                                              project_number (account), url);

  begin_status (builder, 403, message);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "@type");
  json_builder_add_string_value (builder, "type.googleapis.com/google.rpc.ErrorInfo");
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, "BILLING_DISABLED");
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, "googleapis.com");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "consumer");
  json_builder_add_string_value (builder, project);
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, GEMINI_DOMAIN);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  add_help (builder, "Google developer console API billing", url);
  end_status (builder, 403, reply);
}

static gboolean
check_choice (JsonObject         *parameters,
              const char         *member,
              const char * const *values,
              CfSimReply         *reply)
{
  g_autofree char *field = g_strconcat ("parameters.", member, NULL);
  gboolean ok;
  const char *value = cf_sim_get_string (parameters, member, "parameters", FALSE, reply, &ok);

  if (!ok)
    return FALSE;
  if (value != NULL && !g_strv_contains (values, value))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) values);

      cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                          "Unsupported value for %s: \"%s\". Supported values: %s.",
                          field, value, allowed);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_image (JsonObject *instance,
             CfSimReply *reply)
{
  static const char * const image_fields[] = { "bytesBase64Encoded", "mimeType", NULL };
  static const char * const mime_types[] = { "image/png", "image/jpeg", "image/webp", NULL };
  JsonObject *image;
  const char *bytes;
  const char *mime_type;
  gboolean ok;

  image = cf_sim_get_object (instance, "image", "instances[0]", FALSE, reply, &ok);
  if (!ok)
    return FALSE;
  if (image == NULL)
    return TRUE;
  if (!cf_sim_check_fields (image, "instances[0].image", image_fields, reply))
    return FALSE;
  bytes = cf_sim_get_string (image, "bytesBase64Encoded", "instances[0].image", TRUE, reply,
                             &ok);
  if (!ok)
    return FALSE;
  mime_type = cf_sim_get_string (image, "mimeType", "instances[0].image", TRUE, reply, &ok);
  if (!ok)
    return FALSE;
  if (strlen (bytes) % 4 != 0 || strspn (bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                              "qrstuvwxyz0123456789+/=") != strlen (bytes))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, "instances[0].image.bytesBase64Encoded", -1,
                          "Invalid value at 'instances[0].image.bytesBase64Encoded': Base64 "
                          "decoding failed.");
      return FALSE;
    }
  if (!g_strv_contains (mime_types, mime_type))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, "instances[0].image.mimeType", -1,
                          "Unsupported MIME type for instances[0].image.mimeType: \"%s\".",
                          mime_type);
      return FALSE;
    }
  return TRUE;
}

static void
submit (CfSimState         *st,
        CfSimAccount       *account,
        const char         *model_key,
        const CfSimRequest *req,
        CfSimReply         *reply)
{
  static const char * const root_fields[] = { "instances", "parameters", NULL };
  static const char * const instance_fields[] = { "prompt", "image", NULL };
  static const char * const parameter_fields[] = {
    "aspectRatio", "resolution", "durationSeconds", "negativePrompt", "personGeneration",
    "sampleCount", "seed", NULL
  };
  static const char * const aspect_ratios[] = { "16:9", "9:16", NULL };
  static const char * const resolutions[] = { "720p", "1080p", "4k", NULL };
  static const char * const person_generation[] = {
    "allow_all", "allow_adult", "dont_allow", NULL
  };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  g_autofree char *id = NULL;
  CfSimModel *model;
  JsonObject *root;
  JsonObject *instance;
  JsonObject *parameters;
  JsonArray *instances;
  const char *prompt;
  gint64 samples = 1;
  gint64 duration = 8;
  gboolean fails;
  gboolean ok;
  guint in_flight;
  CfSimOp *op;
  double now;

  account->submits++;
  model = g_hash_table_lookup (st->models, model_key);
  /* Like the real service: an unknown model is a missing resource, not a bad argument. */
  if (model == NULL || model->api != CF_SIM_API_GEMINI)
    {
      cf_sim_reply_error (reply, 404, NULL, NULL, NULL, -1,
                          "models/%s is not found for API version v1beta, or is not supported "
                          "for predictLongRunning. Call ListModels to see the list of "
                          "available models and their supported methods.", model_key);
      return;
    }

  if (!cf_sim_request_json (req, reply, &parser, &root)
      || !cf_sim_check_fields (root, "", root_fields, reply))
    return;
  instances = cf_sim_get_array (root, "instances", "", TRUE, reply, &ok);
  if (!ok)
    return;
  if (json_array_get_length (instances) != 1)
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, "instances", -1,
                          "Invalid value at 'instances': exactly one instance is supported; "
                          "use parameters.sampleCount for several takes.");
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (instances, 0)))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, "instances[0]", -1,
                          "Invalid value at 'instances[0]' (TYPE_MESSAGE)");
      return;
    }
  instance = json_array_get_object_element (instances, 0);
  if (!cf_sim_check_fields (instance, "instances[0]", instance_fields, reply))
    return;
  prompt = cf_sim_get_string (instance, "prompt", "instances[0]", TRUE, reply, &ok);
  if (!ok || !check_image (instance, reply))
    return;

  parameters = cf_sim_get_object (root, "parameters", "", FALSE, reply, &ok);
  if (!ok)
    return;
  if (parameters != NULL)
    {
      if (!cf_sim_check_fields (parameters, "parameters", parameter_fields, reply))
        return;
      if (json_object_has_member (parameters, "seed"))
        {
          cf_sim_reply_error (reply, 400, NULL, NULL, "parameters.seed", -1,
                              "`seed` isn't supported by this model. Please remove it.");
          return;
        }
      if (!check_choice (parameters, "aspectRatio", aspect_ratios, reply)
          || !check_choice (parameters, "resolution", resolutions, reply)
          || !check_choice (parameters, "personGeneration", person_generation, reply))
        return;
      cf_sim_get_string (parameters, "negativePrompt", "parameters", FALSE, reply, &ok);
      if (!ok)
        return;
      if (!cf_sim_get_int (parameters, "durationSeconds", "parameters", FALSE, 0, G_MAXINT32,
                           &duration, reply)
          || !cf_sim_get_int (parameters, "sampleCount", "parameters", FALSE, 1, 4, &samples,
                              reply))
        return;
      if (duration != 4 && duration != 6 && duration != 8)
        {
          cf_sim_reply_error (reply, 400, NULL, NULL, "parameters.durationSeconds", -1,
                              "Unsupported value for parameters.durationSeconds: %"
                              G_GINT64_FORMAT ". Supported values: 4, 6, 8.", duration);
          return;
        }
    }

  if (cf_sim_prompt_has_word (prompt, st->config->reject_words))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, NULL, -1,
                          "The prompt could not be submitted. This prompt contains words that "
                          "violate the usage guidelines. Try rephrasing the prompt.");
      return;
    }

  /* One operation is one request: it is accepted whole or refused. */
  now = cf_sim_clock_now (st);
  in_flight = cf_sim_account_count_in_flight (account, now);
  if (account->credits < model->cost * samples)
    {
      account->quota_429++;
      reply_exhausted (reply, model->key, GEMINI_DOMAIN "/predict_long_running_requests",
                       "PredictLongRunningRequestsPerDayPerProjectPerModel", -1,
                       "You exceeded your current quota, please check your plan and billing "
                       "details. For more information on this error, head to: "
                       "https://ai.google.dev/gemini-api/docs/rate-limits.");
      return;
    }
  if (account->max_in_flight > 0 && in_flight + samples > account->max_in_flight)
    {
      double wait = cf_sim_account_next_finish (account, now) - now;

      account->throttled_429++;
      reply_exhausted (reply, model->key,
                       GEMINI_DOMAIN "/predict_long_running_concurrent_requests",
                       "ConcurrentPredictLongRunningRequestsPerProjectPerModel",
                       cf_sim_clock_to_real (st, wait),
                       "Resource has been exhausted (e.g. check quota): too many operations "
                       "in progress.");
      return;
    }

  fails = cf_sim_prompt_has_word (prompt, st->config->fail_words);
  id = cf_sim_new_hex_id (st, 12);
  op = g_new0 (CfSimOp, 1);
  op->name = g_strdup_printf ("models/%s/operations/%s", model->key, id);
  op->account = account;
  op->model = model;
  op->takes = g_ptr_array_new ();
  /* A filtered prompt loses half its samples, rounded up: "fewer samples". */
  op->n_filtered = fails ? (guint) (samples - samples / 2) : 0;
  for (gint64 i = 0; i < samples; i++)
    {
      CfSimTake *take = cf_sim_take_new (st, account, model, CF_SIM_SHAPE_GEMINI, NULL,
                                         g_rand_int_range (st->rand, 0, G_MAXINT32));

      take->fails = (guint) i < op->n_filtered;
      take->op = op;
      account->credits -= model->cost;
      account->takes_charged++;
      account->accepted_takes++;
      g_ptr_array_add (account->in_flight, take);
      g_ptr_array_add (st->all_takes, take);
      g_ptr_array_add (op->takes, take);
      g_hash_table_insert (st->takes, take->id, take);
      g_hash_table_insert (st->videos, take->video_id, take);
      in_flight++;
    }
  account->max_in_flight_seen = MAX (account->max_in_flight_seen, in_flight);
  g_ptr_array_add (st->all_ops, op);
  g_hash_table_insert (st->ops, op->name, op);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, op->name);
  json_builder_end_object (builder);
  root_node = json_builder_get_root (builder);
  cf_sim_reply_json (reply, 200, root_node);
}

static void
add_sample (JsonBuilder *builder,
            CfSimState  *st,
            CfSimTake   *take,
            double       now)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "video");
  json_builder_begin_object (builder);
  if (take->inline_video)
    {
      GBytes *clip = st->clips[take->clip % st->n_clips];
      gsize length = 0;
      const guchar *data = g_bytes_get_data (clip, &length);
      g_autofree char *encoded = g_base64_encode (data, length);

      json_builder_set_member_name (builder, "encodedVideo");
      json_builder_add_string_value (builder, encoded);
      json_builder_set_member_name (builder, "mimeType");
      json_builder_add_string_value (builder, "video/mp4");
      /* The answer carries the video itself: that is its download. */
      if (take->downloaded_at < 0)
        take->downloaded_at = now;
      take->downloads++;
    }
  else
    {
      g_autofree char *uri = g_strdup_printf ("%s/v1beta/files/%s:download?alt=media",
                                              st->base_url, take->video_id);

      json_builder_set_member_name (builder, "uri");
      json_builder_add_string_value (builder, uri);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
poll (CfSimState   *st,
      CfSimAccount *account,
      const char   *name,
      CfSimReply   *reply)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  CfSimOp *op = g_hash_table_lookup (st->ops, name);
  double now = cf_sim_clock_now (st);
  gboolean started = FALSE;
  gboolean done = TRUE;

  if (op == NULL || op->account != account)
    {
      cf_sim_reply_error (reply, 404, NULL, NULL, NULL, -1,
                          "Operation %s was not found.", name);
      return;
    }
  for (guint i = 0; i < op->takes->len; i++)
    {
      CfSimStatus status = cf_sim_take_status (g_ptr_array_index (op->takes, i), now);

      started |= status != CF_SIM_STATUS_PENDING;
      done &= status == CF_SIM_STATUS_SUCCESSFUL || status == CF_SIM_STATUS_FAILED;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, op->name);
  /* Both forms of "not done" are seen: no "done" at all, and "done": false. */
  if (!done && started)
    {
      json_builder_set_member_name (builder, "done");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "@type");
      json_builder_add_string_value (builder, "type.googleapis.com/"
                                     "google.ai.generativelanguage.v1beta.PredictLongRunningMetadata");
      json_builder_end_object (builder);
    }
  else if (done)
    {
      json_builder_set_member_name (builder, "done");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "response");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "@type");
      json_builder_add_string_value (builder, "type.googleapis.com/"
                                     "google.ai.generativelanguage.v1beta.PredictLongRunningResponse");
      json_builder_set_member_name (builder, "generateVideoResponse");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "generatedSamples");
      json_builder_begin_array (builder);
      for (guint i = 0; i < op->takes->len; i++)
        {
          CfSimTake *take = g_ptr_array_index (op->takes, i);

          if (!take->fails)
            add_sample (builder, st, take, now);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "raiMediaFilteredCount");
      json_builder_add_int_value (builder, op->n_filtered);
      json_builder_set_member_name (builder, "raiMediaFilteredReasons");
      json_builder_begin_array (builder);
      if (op->n_filtered > 0)
        json_builder_add_string_value (builder, FILTER_REASON);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root_node = json_builder_get_root (builder);
  cf_sim_reply_json (reply, 200, root_node);
}

void
cf_sim_gemini_route (CfSimState         *st,
                     const CfSimRequest *req,
                     CfSimReply         *reply)
{
  const char *path = req->path;
  const char *rest;
  CfSimAccount *account;
  gboolean is_submit;
  double wait = 0;

  if (!g_str_has_prefix (path, MODELS_PREFIX))
    goto not_found;
  rest = path + strlen (MODELS_PREFIX);
  is_submit = g_str_has_suffix (rest, SUBMIT_SUFFIX) && strchr (rest, '/') == NULL;
  if (!is_submit)
    {
      /* models/M/operations/ID */
      g_auto(GStrv) parts = g_strsplit (rest, "/", -1);

      if (g_strv_length (parts) != 3 || !g_str_equal (parts[1], "operations")
          || *parts[0] == '\0' || *parts[2] == '\0')
        goto not_found;
    }
  if (!g_str_equal (req->method, is_submit ? "POST" : "GET"))
    {
      cf_sim_reply_error (reply, 405, NULL, NULL, NULL, -1,
                          "Method %s is not allowed on %s.", req->method, path);
      return;
    }

  account = cf_sim_gemini_find_account (st, req);
  if (account == NULL)
    {
      if (api_key (req) == NULL)
        cf_sim_reply_error (reply, 403, NULL, NULL, NULL, -1,
                            "Method doesn't allow unregistered callers (callers without "
                            "established identity). Please use API Key or other form of API "
                            "consumer identity to call this API.");
      else
        cf_sim_reply_error (reply, 400, "API_KEY_INVALID", "googleapis.com", NULL, -1,
                            "API key not valid. Please pass a valid API key.");
      return;
    }
  /* Billing is checked before any quota. */
  if (account->permission_denied)
    {
      cf_sim_gemini_reply_permission_denied (account, reply);
      return;
    }
  if (!cf_sim_account_take_request (account, cf_sim_clock_now (st), &wait))
    {
      account->throttled_429++;
      reply_exhausted (reply, NULL, GEMINI_DOMAIN "/generate_requests_per_minute",
                       "GenerateRequestsPerMinutePerProject", cf_sim_clock_to_real (st, wait),
                       "Resource has been exhausted (e.g. check quota): too many requests.");
      return;
    }

  if (is_submit)
    {
      g_autofree char *model = g_strndup (rest, strlen (rest) - strlen (SUBMIT_SUFFIX));

      submit (st, account, model, req, reply);
    }
  else
    poll (st, account, path + strlen ("/v1beta/"), reply);
  return;

not_found:
  cf_sim_reply_error (reply, 404, NULL, NULL, NULL, -1,
                      "The requested URL %s was not found on this server.", path);
}
