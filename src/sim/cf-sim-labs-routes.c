/* cf-sim-labs-routes.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-sim-private.h"

/*
 * The Labs Flow API (labs-flow.md sections 2 to 5b), built to the document
 * and as strict as the service: unknown fields, missing fields and wrong
 * types are refused with a 400 that names the field. Called with the state
 * lock held.
 */

#define LABS_DOMAIN "aisandbox-pa.googleapis.com"
#define POLICY_REASON "PUBLIC_ERROR_UNSAFE_GENERATION"

static const char * const aspect_ratios[] = {
  "VIDEO_ASPECT_RATIO_LANDSCAPE", "VIDEO_ASPECT_RATIO_PORTRAIT", "VIDEO_ASPECT_RATIO_SQUARE",
  NULL
};

static const char * const image_aspect_ratios[] = {
  "IMAGE_ASPECT_RATIO_LANDSCAPE", "IMAGE_ASPECT_RATIO_PORTRAIT", "IMAGE_ASPECT_RATIO_SQUARE",
  NULL
};

static const char * const tiers[] = {
  "PAYGATE_TIER_NOT_PAID", "PAYGATE_TIER_ONE", "PAYGATE_TIER_TWO", NULL
};

static const char *
bearer_token (const CfSimRequest *req)
{
  const char *value = soup_message_headers_get_one (req->headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  return *value ? value : NULL;
}

CfSimAccount *
cf_sim_labs_find_account (CfSimState         *st,
                          const CfSimRequest *req)
{
  const char *token = bearer_token (req);

  return token != NULL ? g_hash_table_lookup (st->tokens, token) : NULL;
}

static gboolean
check_enum (JsonObject         *object,
            const char         *member,
            const char         *where,
            gboolean            required,
            const char * const *values,
            const char         *type,
            CfSimReply         *reply,
            const char        **out)
{
  gboolean ok;
  const char *value = cf_sim_get_string (object, member, where, required, reply, &ok);

  if (!ok)
    return FALSE;
  if (value != NULL && !g_strv_contains (values, value))
    {
      g_autofree char *field = *where ? g_strconcat (where, ".", member, NULL)
                                      : g_strdup (member);

      cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                          "Invalid value at '%s' (type.googleapis.com/%s), \"%s\"",
                          field, type, value);
      return FALSE;
    }
  if (out != NULL)
    *out = value;
  return TRUE;
}

/* 403 when the project named in the body is not the token's account's. */
static gboolean
check_project (CfSimAccount *account,
               const char   *project_id,
               CfSimReply   *reply)
{
  if (g_strcmp0 (project_id, account->project_id) == 0)
    return TRUE;
  cf_sim_reply_error (reply, 403, NULL, NULL, NULL, -1,
                      "The caller does not have permission");
  return FALSE;
}

static const char * const context_fields[] = {
  "projectId", "tool", "userPaygateTier", "sessionId", "recaptchaContext", NULL
};

static const char * const recaptcha_fields[] = { "token", "applicationType", NULL };

static gboolean
check_client_context (CfSimAccount *account,
                      JsonObject   *root,
                      gboolean      required,
                      CfSimReply   *reply)
{
  gboolean ok;
  JsonObject *context = cf_sim_get_object (root, "clientContext", "", required, reply, &ok);
  JsonObject *recaptcha;
  const char *project_id;

  if (!ok)
    return FALSE;
  if (context == NULL)
    return TRUE;
  if (!cf_sim_check_fields (context, "clientContext", context_fields, reply))
    return FALSE;
  project_id = cf_sim_get_string (context, "projectId", "clientContext", TRUE, reply, &ok);
  if (!ok)
    return FALSE;
  cf_sim_get_string (context, "tool", "clientContext", FALSE, reply, &ok);
  if (!ok)
    return FALSE;
  cf_sim_get_string (context, "sessionId", "clientContext", FALSE, reply, &ok);
  if (!ok)
    return FALSE;
  if (!check_enum (context, "userPaygateTier", "clientContext", FALSE, tiers,
                   "google.internal.labs.aisandbox.v1.PaygateTier", reply, NULL))
    return FALSE;
  recaptcha = cf_sim_get_object (context, "recaptchaContext", "clientContext", FALSE, reply,
                                 &ok);
  if (!ok)
    return FALSE;
  if (recaptcha != NULL)
    {
      if (!cf_sim_check_fields (recaptcha, "clientContext.recaptchaContext", recaptcha_fields,
                                reply))
        return FALSE;
      cf_sim_get_string (recaptcha, "token", "clientContext.recaptchaContext", TRUE, reply, &ok);
      if (!ok)
        return FALSE;
      cf_sim_get_string (recaptcha, "applicationType", "clientContext.recaptchaContext", FALSE,
                         reply, &ok);
      if (!ok)
        return FALSE;
    }
  return check_project (account, project_id, reply);
}

static void
add_credits (JsonBuilder  *builder,
             CfSimAccount *account)
{
  json_builder_set_member_name (builder, "remainingCredits");
  json_builder_add_int_value (builder, account->credits);
}

typedef struct
{
  CfSimModel *model;
  const char *scene_id;
  char       *prompt;
  gint64      seed;
} Element;

static void
element_clear (gpointer data)
{
  Element *element = data;

  g_free (element->prompt);
}

static const char * const submit_fields[] = {
  "clientContext", "requests", "useV2ModelConfig", "mediaGenerationContext", NULL
};

static const char * const request_fields[] = {
  "aspectRatio", "seed", "textInput", "videoModelKey", "metadata", NULL
};

static const char * const start_image_request_fields[] = {
  "aspectRatio", "seed", "textInput", "videoModelKey", "metadata", "startImage", NULL
};

static gboolean
read_prompt (JsonObject *request,
             const char *where,
             CfSimReply *reply,
             char      **out)
{
  static const char * const text_input_fields[] = { "prompt", "structuredPrompt", NULL };
  static const char * const structured_fields[] = { "parts", NULL };
  static const char * const part_fields[] = { "text", NULL };
  g_autofree char *here = g_strconcat (where, ".textInput", NULL);
  g_autofree char *structured_here = g_strconcat (here, ".structuredPrompt", NULL);
  JsonObject *text_input;
  JsonObject *structured;
  JsonArray *parts;
  const char *prompt;
  gboolean ok;
  GString *text;

  text_input = cf_sim_get_object (request, "textInput", where, TRUE, reply, &ok);
  if (!ok || !cf_sim_check_fields (text_input, here, text_input_fields, reply))
    return FALSE;

  if (json_object_has_member (text_input, "prompt")
      && json_object_has_member (text_input, "structuredPrompt"))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, here, -1,
                          "Invalid value at '%s': only one of prompt and structuredPrompt "
                          "may be set.", here);
      return FALSE;
    }
  if (!json_object_has_member (text_input, "structuredPrompt"))
    {
      prompt = cf_sim_get_string (text_input, "prompt", here, TRUE, reply, &ok);
      if (!ok)
        return FALSE;
      *out = g_strdup (prompt);
      return TRUE;
    }

  structured = cf_sim_get_object (text_input, "structuredPrompt", here, TRUE, reply, &ok);
  if (!ok || !cf_sim_check_fields (structured, structured_here, structured_fields, reply))
    return FALSE;
  parts = cf_sim_get_array (structured, "parts", structured_here, TRUE, reply, &ok);
  if (!ok)
    return FALSE;
  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      g_autofree char *part_here = g_strdup_printf ("%s.parts[%u]", structured_here, i);
      JsonNode *node = json_array_get_element (parts, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          cf_sim_reply_error (reply, 400, NULL, NULL, part_here, -1,
                              "Invalid value at '%s' (TYPE_MESSAGE)", part_here);
          g_string_free (text, TRUE);
          return FALSE;
        }
      if (!cf_sim_check_fields (json_node_get_object (node), part_here, part_fields, reply))
        {
          g_string_free (text, TRUE);
          return FALSE;
        }
      prompt = cf_sim_get_string (json_node_get_object (node), "text", part_here, TRUE, reply,
                                  &ok);
      if (!ok)
        {
          g_string_free (text, TRUE);
          return FALSE;
        }
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, prompt);
    }
  *out = g_string_free (text, FALSE);
  return TRUE;
}

static gboolean
read_element (CfSimState   *st,
              CfSimAccount *account,
              JsonNode     *node,
              guint         index,
              gboolean      start_image,
              Element      *element,
              CfSimReply   *reply)
{
  static const char * const metadata_fields[] = { "sceneId", NULL };
  static const char * const start_image_fields[] = { "mediaId", NULL };
  g_autofree char *where = g_strdup_printf ("requests[%u]", index);
  g_autofree char *metadata_here = g_strconcat (where, ".metadata", NULL);
  JsonObject *request;
  JsonObject *metadata;
  const char *key;
  gboolean ok;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, where, -1,
                          "Invalid value at '%s' (TYPE_MESSAGE)", where);
      return FALSE;
    }
  request = json_node_get_object (node);
  if (!cf_sim_check_fields (request, where,
                            start_image ? start_image_request_fields : request_fields, reply))
    return FALSE;
  if (!check_enum (request, "aspectRatio", where, TRUE, aspect_ratios,
                   "google.internal.labs.aisandbox.v1.VideoAspectRatio", reply, NULL))
    return FALSE;
  element->seed = -1;
  if (!cf_sim_get_int (request, "seed", where, FALSE, 0, G_MAXINT32, &element->seed, reply))
    return FALSE;
  if (!read_prompt (request, where, reply, &element->prompt))
    return FALSE;

  key = cf_sim_get_string (request, "videoModelKey", where, TRUE, reply, &ok);
  if (!ok)
    return FALSE;
  element->model = g_hash_table_lookup (st->models, key);
  if (element->model == NULL || element->model->api != CF_SIM_API_LABS)
    {
      g_autofree char *field = g_strconcat (where, ".videoModelKey", NULL);

      cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                          "Invalid value at '%s': unknown video model key \"%s\".", field, key);
      return FALSE;
    }

  metadata = cf_sim_get_object (request, "metadata", where, TRUE, reply, &ok);
  if (!ok || !cf_sim_check_fields (metadata, metadata_here, metadata_fields, reply))
    return FALSE;
  element->scene_id = cf_sim_get_string (metadata, "sceneId", metadata_here, TRUE, reply, &ok);
  if (!ok)
    return FALSE;
  if (!cf_sim_is_uuid (element->scene_id))
    {
      g_autofree char *field = g_strconcat (metadata_here, ".sceneId", NULL);

      cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                          "Invalid value at '%s': \"%s\" is not a UUID.", field,
                          element->scene_id);
      return FALSE;
    }

  if (start_image)
    {
      g_autofree char *image_here = g_strconcat (where, ".startImage", NULL);
      JsonObject *image = cf_sim_get_object (request, "startImage", where, TRUE, reply, &ok);
      const char *media_id;

      if (!ok || !cf_sim_check_fields (image, image_here, start_image_fields, reply))
        return FALSE;
      media_id = cf_sim_get_string (image, "mediaId", image_here, TRUE, reply, &ok);
      if (!ok)
        return FALSE;
      if (!g_hash_table_contains (account->uploads, media_id))
        {
          g_autofree char *field = g_strconcat (image_here, ".mediaId", NULL);

          cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                              "Invalid value at '%s': no uploaded image \"%s\" in this "
                              "project.", field, media_id);
          return FALSE;
        }
    }
  return TRUE;
}

static void
add_shape_a_operation (JsonBuilder *builder,
                       CfSimState  *st,
                       CfSimTake   *take,
                       double       now)
{
  CfSimStatus status = cf_sim_take_status (take, now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operation");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, take->id);
  if (status == CF_SIM_STATUS_SUCCESSFUL)
    {
      g_autofree char *video = cf_sim_take_signed_url (st, take, "video");
      g_autofree char *image = cf_sim_take_signed_url (st, take, "image");

      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "@type");
      json_builder_add_string_value (builder,
                                     "type.googleapis.com/google.internal.labs.aisandbox.v1.Media");
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, take->video_id);
      json_builder_set_member_name (builder, "video");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, take->seed);
      json_builder_set_member_name (builder, "mediaGenerationId");
      json_builder_add_string_value (builder, take->media_generation_id);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, take->model->key);
      json_builder_set_member_name (builder, "fifeUrl");
      json_builder_add_string_value (builder, video);
      json_builder_set_member_name (builder, "servingBaseUri");
      json_builder_add_string_value (builder, image);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  else if (status == CF_SIM_STATUS_FAILED)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, 3);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, POLICY_REASON
                                     ": the generated video was blocked by the content policy");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "sceneId");
  json_builder_add_string_value (builder, take->scene_id);
  json_builder_set_member_name (builder, "mediaGenerationId");
  json_builder_add_string_value (builder, take->media_generation_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, cf_sim_take_labs_status (take, now));
  json_builder_end_object (builder);
}

static void
add_shape_b_media (JsonBuilder *builder,
                   CfSimState  *st,
                   CfSimTake   *take,
                   double       now)
{
  CfSimStatus status = cf_sim_take_status (take, now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, take->id);
  json_builder_set_member_name (builder, "projectId");
  json_builder_add_string_value (builder, take->account->project_id);
  json_builder_set_member_name (builder, "workflowId");
  json_builder_add_string_value (builder, take->workflow_id);
  json_builder_set_member_name (builder, "mediaMetadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mediaStatus");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mediaGenerationStatus");
  json_builder_add_string_value (builder, cf_sim_take_labs_status (take, now));
  if (status == CF_SIM_STATUS_FAILED)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, 3);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, POLICY_REASON
                                     ": the generated video was blocked by the content policy");
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "failureReasons");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, POLICY_REASON);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  if (status == CF_SIM_STATUS_SUCCESSFUL)
    {
      json_builder_set_member_name (builder, "video");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, take->seed);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, take->model->key);
      json_builder_set_member_name (builder, "mediaGenerationId");
      json_builder_add_string_value (builder, take->media_generation_id);
      /* Late-2026 answers often leave the URL out: then only 5b's route finds it. */
      if (take->model->url_in_poll)
        {
          g_autofree char *video = cf_sim_take_signed_url (st, take, "video");

          json_builder_set_member_name (builder, "fifeUrl");
          json_builder_add_string_value (builder, video);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
submit (CfSimState         *st,
        CfSimAccount       *account,
        const CfSimRequest *req,
        gboolean            start_image,
        CfSimReply         *reply)
{
  static const char * const batch_fields[] = { "batchId", NULL };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) elements = NULL;
  g_autoptr(GPtrArray) accepted = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonObject *batch;
  JsonArray *requests;
  gboolean use_v2 = FALSE;
  gboolean ok;
  CfSimShape shape;
  double now;
  guint in_flight;

  account->submits++;
  if (!cf_sim_request_json (req, reply, &parser, &root)
      || !cf_sim_check_fields (root, "", submit_fields, reply)
      || !check_client_context (account, root, TRUE, reply)
      || !cf_sim_get_bool (root, "useV2ModelConfig", "", &use_v2, reply))
    return;

  batch = cf_sim_get_object (root, "mediaGenerationContext", "", FALSE, reply, &ok);
  if (!ok)
    return;
  if (batch != NULL)
    {
      const char *batch_id;

      if (!cf_sim_check_fields (batch, "mediaGenerationContext", batch_fields, reply))
        return;
      batch_id = cf_sim_get_string (batch, "batchId", "mediaGenerationContext", TRUE, reply,
                                    &ok);
      if (!ok)
        return;
      if (!cf_sim_is_uuid (batch_id))
        {
          cf_sim_reply_error (reply, 400, NULL, NULL, "mediaGenerationContext.batchId", -1,
                              "Invalid value at 'mediaGenerationContext.batchId': \"%s\" is "
                              "not a UUID.", batch_id);
          return;
        }
    }

  requests = cf_sim_get_array (root, "requests", "", TRUE, reply, &ok);
  if (!ok)
    return;

  elements = g_array_sized_new (FALSE, TRUE, sizeof (Element), json_array_get_length (requests));
  g_array_set_clear_func (elements, element_clear);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      Element element = { 0 };

      g_array_append_val (elements, element);
      if (!read_element (st, account, json_array_get_element (requests, i), i, start_image,
                         &g_array_index (elements, Element, i), reply))
        return;
      if (g_array_index (elements, Element, i).model->shape
          != g_array_index (elements, Element, 0).model->shape)
        {
          g_autofree char *field = g_strdup_printf ("requests[%u].videoModelKey", i);

          cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                              "Invalid value at '%s': all requests of a batch must use models "
                              "of the same kind.", field);
          return;
        }
    }

  for (guint i = 0; i < elements->len; i++)
    {
      Element *element = &g_array_index (elements, Element, i);

      if (strstr (element->model->key, "_ultra") != NULL
          && g_strcmp0 (account->tier, "PAYGATE_TIER_TWO") != 0)
        {
          cf_sim_reply_error (reply, 403, "PUBLIC_ERROR_MODEL_ACCESS_DENIED", LABS_DOMAIN, NULL,
                              -1, "The caller does not have access to model %s.",
                              element->model->key);
          return;
        }
    }
  for (guint i = 0; i < elements->len; i++)
    {
      Element *element = &g_array_index (elements, Element, i);

      if (cf_sim_prompt_has_word (element->prompt, st->config->reject_words))
        {
          cf_sim_reply_error (reply, 400, POLICY_REASON, LABS_DOMAIN, NULL, -1,
                              "Request contains an invalid argument: the prompt violates the "
                              "content policy.");
          return;
        }
    }

  /*
   * Accept as many leading elements as the account's room in flight and its
   * credits allow: the service returns fewer operations than asked; only when
   * none fits does it refuse the call.
   */
  now = cf_sim_clock_now (st);
  in_flight = cf_sim_account_count_in_flight (account, now);
  accepted = g_ptr_array_new ();
  for (guint i = 0; i < elements->len; i++)
    {
      Element *element = &g_array_index (elements, Element, i);
      CfSimTake *take;

      if (account->max_in_flight > 0 && in_flight >= account->max_in_flight)
        break;
      if (account->credits < element->model->cost)
        break;
      take = cf_sim_take_new (st, account, element->model, element->model->shape,
                              element->prompt, element->seed >= 0 ? element->seed
                                                                  : g_rand_int_range (st->rand, 0, G_MAXINT32));
      take->scene_id = g_strdup (element->scene_id);
      account->credits -= element->model->cost;
      account->takes_charged++;
      account->accepted_takes++;
      g_ptr_array_add (account->in_flight, take);
      g_ptr_array_add (st->all_takes, take);
      g_hash_table_insert (st->takes, take->id, take);
      g_hash_table_insert (st->videos, take->video_id, take);
      g_ptr_array_add (accepted, take);
      in_flight++;
    }
  account->max_in_flight_seen = MAX (account->max_in_flight_seen, in_flight);

  if (accepted->len == 0)
    {
      if (account->credits < g_array_index (elements, Element, 0).model->cost)
        {
          account->quota_429++;
          cf_sim_reply_error (reply, 429, "PUBLIC_ERROR_USER_QUOTA_REACHED", LABS_DOMAIN, NULL,
                              -1, "Resource has been exhausted: the account has no credits "
                              "left.");
        }
      else
        {
          double wait = cf_sim_account_next_finish (account, now) - now;

          account->throttled_429++;
          cf_sim_reply_throttled (reply, cf_sim_clock_to_real (st, wait), LABS_DOMAIN,
                                  "Resource has been exhausted: too many generations in "
                                  "progress.");
        }
      return;
    }

  shape = g_array_index (elements, Element, 0).model->shape;
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  if (shape == CF_SIM_SHAPE_A)
    {
      json_builder_set_member_name (builder, "operations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < accepted->len; i++)
        {
          CfSimTake *take = g_ptr_array_index (accepted, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "operation");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, take->id);
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "sceneId");
          json_builder_add_string_value (builder, take->scene_id);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, "MEDIA_GENERATION_STATUS_PENDING");
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      add_credits (builder, account);
    }
  else
    {
      add_credits (builder, account);
      json_builder_set_member_name (builder, "workflows");
      json_builder_begin_array (builder);
      for (guint i = 0; i < accepted->len; i++)
        {
          CfSimTake *take = g_ptr_array_index (accepted, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, take->workflow_id);
          json_builder_set_member_name (builder, "projectId");
          json_builder_add_string_value (builder, account->project_id);
          json_builder_set_member_name (builder, "metadata");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "primaryMediaId");
          json_builder_add_string_value (builder, take->id);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "media");
      json_builder_begin_array (builder);
      for (guint i = 0; i < accepted->len; i++)
        add_shape_b_media (builder, st, g_ptr_array_index (accepted, i), now);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root_node = json_builder_get_root (builder);
  cf_sim_reply_json (reply, 200, root_node);
}

static CfSimTake *
find_own_take (CfSimState   *st,
               CfSimAccount *account,
               const char   *name,
               const char   *field,
               CfSimShape    shape,
               CfSimReply   *reply)
{
  CfSimTake *take = g_hash_table_lookup (st->takes, name);

  if (take == NULL || take->shape == CF_SIM_SHAPE_GEMINI)
    {
      cf_sim_reply_error (reply, 404, NULL, NULL, field, -1,
                          "Requested entity was not found: %s \"%s\".", field, name);
      return NULL;
    }
  if (take->account != account)
    {
      cf_sim_reply_error (reply, 403, NULL, NULL, NULL, -1,
                          "The caller does not have permission");
      return NULL;
    }
  if (take->shape != shape)
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                          "Invalid value at '%s': \"%s\" was made by a model of the other "
                          "response shape; poll it with %s.", field, name,
                          take->shape == CF_SIM_SHAPE_A ? "operations[]" : "media[]");
      return NULL;
    }
  return take;
}

static void
poll (CfSimState         *st,
      CfSimAccount       *account,
      const CfSimRequest *req,
      CfSimReply         *reply)
{
  static const char * const a_fields[] = { "operations", "clientContext", NULL };
  static const char * const b_fields[] = { "media", NULL };
  static const char * const media_fields[] = { "name", "projectId", NULL };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) takes = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonArray *items;
  gboolean shape_b;
  gboolean ok;
  double now;

  if (!cf_sim_request_json (req, reply, &parser, &root))
    return;
  shape_b = json_object_has_member (root, "media");
  if (!cf_sim_check_fields (root, "", shape_b ? b_fields : a_fields, reply))
    return;

  if (!shape_b)
    {
      if (!check_client_context (account, root, TRUE, reply))
        return;
      items = cf_sim_get_array (root, "operations", "", TRUE, reply, &ok);
      if (!ok)
        return;
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *where = g_strdup_printf ("operations[%u]", i);
          g_autofree char *op_where = g_strconcat (where, ".operation", NULL);
          g_autofree char *name_field = g_strconcat (op_where, ".name", NULL);
          JsonNode *node = json_array_get_element (items, i);
          JsonObject *operation;
          const char *name;
          const char *scene_id;
          CfSimTake *take;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              cf_sim_reply_error (reply, 400, NULL, NULL, where, -1,
                                  "Invalid value at '%s' (TYPE_MESSAGE)", where);
              return;
            }
          /* The echo may carry what an earlier answer held: only these fields matter. */
          operation = cf_sim_get_object (json_node_get_object (node), "operation", where, TRUE,
                                         reply, &ok);
          if (!ok)
            return;
          name = cf_sim_get_string (operation, "name", op_where, TRUE, reply, &ok);
          if (!ok)
            return;
          scene_id = cf_sim_get_string (json_node_get_object (node), "sceneId", where, FALSE,
                                        reply, &ok);
          if (!ok)
            return;
          cf_sim_get_string (json_node_get_object (node), "status", where, FALSE, reply, &ok);
          if (!ok)
            return;
          take = find_own_take (st, account, name, name_field, CF_SIM_SHAPE_A, reply);
          if (take == NULL)
            return;
          if (scene_id != NULL && g_strcmp0 (scene_id, take->scene_id) != 0)
            {
              g_autofree char *field = g_strconcat (where, ".sceneId", NULL);

              cf_sim_reply_error (reply, 400, NULL, NULL, field, -1,
                                  "Invalid value at '%s': it does not match the operation's "
                                  "sceneId.", field);
              return;
            }
          g_ptr_array_add (takes, take);
        }
    }
  else
    {
      items = cf_sim_get_array (root, "media", "", TRUE, reply, &ok);
      if (!ok)
        return;
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *where = g_strdup_printf ("media[%u]", i);
          g_autofree char *name_field = g_strconcat (where, ".name", NULL);
          JsonNode *node = json_array_get_element (items, i);
          const char *name;
          const char *project_id;
          CfSimTake *take;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              cf_sim_reply_error (reply, 400, NULL, NULL, where, -1,
                                  "Invalid value at '%s' (TYPE_MESSAGE)", where);
              return;
            }
          if (!cf_sim_check_fields (json_node_get_object (node), where, media_fields, reply))
            return;
          name = cf_sim_get_string (json_node_get_object (node), "name", where, TRUE, reply,
                                    &ok);
          if (!ok)
            return;
          project_id = cf_sim_get_string (json_node_get_object (node), "projectId", where,
                                          TRUE, reply, &ok);
          if (!ok || !check_project (account, project_id, reply))
            return;
          take = find_own_take (st, account, name, name_field, CF_SIM_SHAPE_B, reply);
          if (take == NULL)
            return;
          g_ptr_array_add (takes, take);
        }
    }

  now = cf_sim_clock_now (st);
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, shape_b ? "media" : "operations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < takes->len; i++)
    {
      if (shape_b)
        add_shape_b_media (builder, st, g_ptr_array_index (takes, i), now);
      else
        add_shape_a_operation (builder, st, g_ptr_array_index (takes, i), now);
    }
  json_builder_end_array (builder);
  add_credits (builder, account);
  json_builder_end_object (builder);
  root_node = json_builder_get_root (builder);
  cf_sim_reply_json (reply, 200, root_node);
}

static gboolean
is_base64 (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          if (i < length - 2 || (i == length - 2 && text[length - 1] != '='))
            return FALSE;
        }
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return FALSE;
    }
  return TRUE;
}

static void
upload (CfSimState         *st,
        CfSimAccount       *account,
        const CfSimRequest *req,
        CfSimReply         *reply)
{
  static const char * const fields[] = { "imageInput", "clientContext", NULL };
  static const char * const image_fields[] = {
    "rawImageBytes", "mimeType", "aspectRatio", "isUserUploaded", NULL
  };
  static const char * const mime_types[] = { "image/jpeg", "image/png", "image/webp", NULL };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  g_autofree char *media_id = NULL;
  JsonObject *root;
  JsonObject *image;
  const char *bytes;
  gboolean ok;
  gboolean user_uploaded = FALSE;

  if (!cf_sim_request_json (req, reply, &parser, &root)
      || !cf_sim_check_fields (root, "", fields, reply)
      || !check_client_context (account, root, FALSE, reply))
    return;
  image = cf_sim_get_object (root, "imageInput", "", TRUE, reply, &ok);
  if (!ok || !cf_sim_check_fields (image, "imageInput", image_fields, reply))
    return;
  bytes = cf_sim_get_string (image, "rawImageBytes", "imageInput", TRUE, reply, &ok);
  if (!ok)
    return;
  if (!is_base64 (bytes))
    {
      cf_sim_reply_error (reply, 400, NULL, NULL, "imageInput.rawImageBytes", -1,
                          "Invalid value at 'imageInput.rawImageBytes' (TYPE_BYTES), Base64 "
                          "decoding failed.");
      return;
    }
  if (!check_enum (image, "mimeType", "imageInput", TRUE, mime_types, "MimeType", reply, NULL)
      || !check_enum (image, "aspectRatio", "imageInput", TRUE, image_aspect_ratios,
                      "google.internal.labs.aisandbox.v1.ImageAspectRatio", reply, NULL)
      || !cf_sim_get_bool (image, "isUserUploaded", "imageInput", &user_uploaded, reply))
    return;

  media_id = cf_sim_new_uuid (st);
  g_hash_table_add (account->uploads, g_strdup (media_id));

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mediaGenerationId");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mediaGenerationId");
  json_builder_add_string_value (builder, media_id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root_node = json_builder_get_root (builder);
  cf_sim_reply_json (reply, 200, root_node);
}

/*
 * The checks every authenticated call goes through, in the service's order:
 * credentials, account verification, then the request rate.
 */
static CfSimAccount *
authenticate (CfSimState         *st,
              const CfSimRequest *req,
              CfSimReply         *reply)
{
  CfSimAccount *account = cf_sim_labs_find_account (st, req);
  double wait = 0;

  if (account == NULL || cf_sim_account_tokens_expired (account))
    {
      gboolean missing = bearer_token (req) == NULL;

      cf_sim_reply_error (reply, 401, missing ? "CREDENTIALS_MISSING" : "ACCESS_TOKEN_EXPIRED",
                          "googleapis.com", NULL, -1,
                          "Request had invalid authentication credentials. Expected OAuth 2 "
                          "access token, login cookie or other valid authentication "
                          "credential.");
      return NULL;
    }
  if (account->needs_recaptcha)
    {
      cf_sim_reply_error (reply, 403, "PUBLIC_ERROR_UNUSUAL_ACTIVITY", LABS_DOMAIN, NULL, -1,
                          "reCAPTCHA evaluation failed: unusual activity was detected on this "
                          "account. Open Flow in a browser to continue.");
      return NULL;
    }
  if (!cf_sim_account_take_request (account, cf_sim_clock_now (st), &wait))
    {
      account->throttled_429++;
      cf_sim_reply_throttled (reply, cf_sim_clock_to_real (st, wait), LABS_DOMAIN,
                              "Resource has been exhausted: too many requests.");
      return NULL;
    }
  return account;
}

void
cf_sim_labs_route (CfSimState         *st,
                   const CfSimRequest *req,
                   CfSimReply         *reply)
{
  const char *path = req->path;
  CfSimAccount *account;
  enum { SUBMIT, START_IMAGE, POLL, UPLOAD } route;

  if (g_str_equal (path, "/v1/video:batchAsyncGenerateVideoText"))
    route = SUBMIT;
  else if (g_str_equal (path, "/v1/video:batchAsyncGenerateVideoStartImage"))
    route = START_IMAGE;
  else if (g_str_equal (path, "/v1/video:batchCheckAsyncVideoGenerationStatus"))
    route = POLL;
  else if (g_str_equal (path, "/v1:uploadUserImage"))
    route = UPLOAD;
  else
    {
      cf_sim_reply_error (reply, 404, NULL, NULL, NULL, -1,
                          "The requested URL %s was not found on this server.", path);
      return;
    }
  if (!g_str_equal (req->method, "POST"))
    {
      cf_sim_reply_error (reply, 405, NULL, NULL, NULL, -1,
                          "Method %s is not allowed on %s.", req->method, path);
      return;
    }

  account = authenticate (st, req, reply);
  if (account == NULL)
    return;

  switch (route)
    {
    case SUBMIT:
      submit (st, account, req, FALSE, reply);
      break;
    case START_IMAGE:
      submit (st, account, req, TRUE, reply);
      break;
    case POLL:
      poll (st, account, req, reply);
      break;
    case UPLOAD:
      upload (st, account, req, reply);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
trpc_error (CfSimReply *reply,
            guint       status,
            const char *code,
            int         rpc_code,
            const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "json");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, rpc_code);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "httpStatus");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, "media.getMediaUrlRedirect");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  cf_sim_reply_json (reply, status, root);
}

/* Section 5b: the Flow web route that redirects to a finished take's video. */
void
cf_sim_trpc_route (CfSimState         *st,
                   const CfSimRequest *req,
                   CfSimReply         *reply)
{
  CfSimAccount *account;
  CfSimTake *take;
  const char *name;

  if (!g_str_equal (req->path, "/fx/api/trpc/media.getMediaUrlRedirect"))
    {
      trpc_error (reply, 404, "NOT_FOUND", -32004, "No such procedure.");
      return;
    }
  if (!g_str_equal (req->method, "GET"))
    {
      trpc_error (reply, 405, "METHOD_NOT_SUPPORTED", -32005, "Use GET for this procedure.");
      return;
    }
  account = cf_sim_labs_find_account (st, req);
  if (account == NULL || cf_sim_account_tokens_expired (account))
    {
      trpc_error (reply, 401, "UNAUTHORIZED", -32001, "Not signed in.");
      return;
    }
  if (account->needs_recaptcha)
    {
      trpc_error (reply, 403, "FORBIDDEN", -32003,
                  "PUBLIC_ERROR_UNUSUAL_ACTIVITY: reCAPTCHA verification required.");
      return;
    }
  name = req->query != NULL ? g_hash_table_lookup (req->query, "name") : NULL;
  if (name == NULL || *name == '\0')
    {
      trpc_error (reply, 400, "BAD_REQUEST", -32600, "Missing input field \"name\".");
      return;
    }
  take = g_hash_table_lookup (st->takes, name);
  if (take == NULL || take->account != account
      || cf_sim_take_status (take, cf_sim_clock_now (st)) != CF_SIM_STATUS_SUCCESSFUL)
    {
      trpc_error (reply, 404, "NOT_FOUND", -32004, "No finished video with that name.");
      return;
    }
  reply->status = 307;
  reply->location = cf_sim_take_signed_url (st, take, "video");
}
