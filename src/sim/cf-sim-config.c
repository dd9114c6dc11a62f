/* cf-sim-config.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-sim-private.h"

/*
 * The configuration is read strictly: an unknown or ill-typed field is an
 * error naming it, because a typo in a test's configuration would otherwise
 * silently test something else.
 */

typedef struct
{
  const char *key;
  CfSimShape  shape;
  gint64      cost;
  double      render_seconds;
} BuiltinModel;

/* The keys named in the protocol documents, served when "models" is absent. */
static const BuiltinModel builtin_models[] = {
  { "veo_3_1_t2v_fast", CF_SIM_SHAPE_A, 20, 90 },
  { "veo_3_1_t2v_fast_ultra", CF_SIM_SHAPE_B, 20, 90 },
  { "veo_3_1_t2v", CF_SIM_SHAPE_A, 100, 150 },
  { "veo_3_1_t2v_lite", CF_SIM_SHAPE_A, 10, 60 },
  { "veo_3_1_t2v_fast_portrait", CF_SIM_SHAPE_A, 20, 90 },
  { "veo_3_1_t2v_fast_portrait_ultra", CF_SIM_SHAPE_B, 20, 90 },
  { "veo-3.1-generate-preview", CF_SIM_SHAPE_GEMINI, 40, 120 },
  { "veo-3.1-fast-generate-preview", CF_SIM_SHAPE_GEMINI, 20, 60 },
  { "veo-3.1-lite-generate-preview", CF_SIM_SHAPE_GEMINI, 10, 45 },
  { "veo-3.0-generate-001", CF_SIM_SHAPE_GEMINI, 40, 120 },
  { "veo-3.0-fast-generate-001", CF_SIM_SHAPE_GEMINI, 20, 60 },
  { "veo-2.0-generate-001", CF_SIM_SHAPE_GEMINI, 30, 90 },
};

static void
cf_sim_model_free (CfSimModel *model)
{
  g_free (model->key);
  g_free (model);
}

void
cf_sim_config_free (CfSimConfig *config)
{
  if (config == NULL)
    return;
  g_clear_pointer (&config->models, g_ptr_array_unref);
  g_clear_pointer (&config->accounts, g_ptr_array_unref);
  g_strfreev (config->reject_words);
  g_strfreev (config->fail_words);
  g_free (config);
}

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "Simulator configuration: %s", message);
  return FALSE;
}

static gboolean
check_members (JsonObject          *object,
               const char          *where,
               const char * const  *allowed,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return fail (error, "unknown field “%s%s%s”", where, *where ? "." : "",
                   (const char *) l->data);
  return TRUE;
}

static gboolean
read_number (JsonObject  *object,
             const char  *member,
             const char  *where,
             double       min,
             double       max,
             double      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;
  double value;

  if (node == NULL)
    return TRUE;
  type = json_node_get_value_type (node);
  if (!JSON_NODE_HOLDS_VALUE (node) || (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE))
    return fail (error, "“%s%s%s” must be a number", where, *where ? "." : "", member);
  value = json_node_get_double (node);
  if (value < min || value > max)
    return fail (error, "“%s%s%s” must be between %g and %g", where, *where ? "." : "",
                 member, min, max);
  *out = value;
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *member,
          const char  *where,
          gint64       min,
          gint64       max,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, "“%s%s%s” must be an integer", where, *where ? "." : "", member);
  value = json_node_get_int (node);
  if (value < min || value > max)
    return fail (error, "“%s%s%s” must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                 where, *where ? "." : "", member, min, max);
  *out = value;
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *member,
           const char  *where,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, "“%s.%s” must be true or false", where, member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char  *where,
             gboolean     required,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      if (required)
        return fail (error, "“%s.%s” is missing", where, member);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || *json_node_get_string (node) == '\0')
    return fail (error, "“%s.%s” must be a non-empty string", where, member);
  g_free (*out);
  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
read_strv (JsonObject  *object,
           const char  *member,
           const char  *where,
           char      ***out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "“%s.%s” must be an array of strings", where, member);
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
          || *json_node_get_string (item) == '\0')
        return fail (error, "“%s.%s[%u]” must be a non-empty string", where, member, i);
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static const char * const fault_fields[] = {
  "http_500", "http_503", "drop_connection", "slow", "slow_seconds", "malformed_json",
  "truncated_download", "expired_url", NULL
};

gboolean
cf_sim_faults_set (CfSimFaults *faults,
                   const char  *name,
                   double       value)
{
  double *fields[] = {
    &faults->http_500, &faults->http_503, &faults->drop_connection, &faults->slow,
    &faults->slow_seconds, &faults->malformed_json, &faults->truncated_download,
    &faults->expired_url,
  };

  for (guint i = 0; fault_fields[i] != NULL; i++)
    if (g_strcmp0 (fault_fields[i], name) == 0)
      {
        if (value < 0 || (i != 4 && value > 1))
          return FALSE;
        *fields[i] = value;
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_faults (JsonObject   *parent,
             const char   *where,
             CfSimFaults  *faults,
             GError      **error)
{
  JsonNode *node = json_object_get_member (parent, "faults");
  g_autofree char *here = g_strdup_printf ("%s%sfaults", where, *where ? "." : "");
  JsonObject *object;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "“%s” must be an object", here);
  object = json_node_get_object (node);
  if (!check_members (object, here, fault_fields, error))
    return FALSE;
  for (guint i = 0; fault_fields[i] != NULL; i++)
    {
      double value = -1;
      double max = g_str_equal (fault_fields[i], "slow_seconds") ? 86400 : 1;

      if (!read_number (object, fault_fields[i], here, 0, max, &value, error))
        return FALSE;
      if (value >= 0)
        cf_sim_faults_set (faults, fault_fields[i], value);
    }
  return TRUE;
}

static CfSimModel *
model_new (const char *key)
{
  CfSimModel *model = g_new0 (CfSimModel, 1);

  model->key = g_strdup (key);
  /* Gemini model names use dashes and dots, Labs keys underscores. */
  model->api = strchr (key, '-') != NULL ? CF_SIM_API_GEMINI : CF_SIM_API_LABS;
  model->shape = model->api == CF_SIM_API_GEMINI ? CF_SIM_SHAPE_GEMINI : CF_SIM_SHAPE_A;
  model->cost = 20;
  model->render_seconds = 90;
  model->render_spread = 0;
  model->pending_seconds = 2;
  return model;
}

static const char * const model_fields[] = {
  "key", "api", "cost", "render_seconds", "render_spread", "pending_seconds", "shape",
  "inline_video", "url_in_poll", NULL
};

static CfSimModel *
read_model (JsonNode  *node,
            guint      index,
            GError   **error)
{
  g_autofree char *where = g_strdup_printf ("models[%u]", index);
  g_autofree char *key = NULL;
  g_autofree char *api = NULL;
  g_autofree char *shape = NULL;
  CfSimModel *model;
  JsonObject *object;
  JsonNode *inline_node;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "“%s” must be an object", where), NULL;
  object = json_node_get_object (node);
  if (!check_members (object, where, model_fields, error)
      || !read_string (object, "key", where, TRUE, &key, error)
      || !read_string (object, "api", where, FALSE, &api, error)
      || !read_string (object, "shape", where, FALSE, &shape, error))
    return NULL;

  model = model_new (key);
  if (api != NULL)
    {
      if (g_str_equal (api, "labs"))
        model->api = CF_SIM_API_LABS;
      else if (g_str_equal (api, "gemini"))
        model->api = CF_SIM_API_GEMINI;
      else
        {
          cf_sim_model_free (model);
          return fail (error, "“%s.api” must be \"labs\" or \"gemini\"", where), NULL;
        }
    }
  model->shape = model->api == CF_SIM_API_GEMINI ? CF_SIM_SHAPE_GEMINI : CF_SIM_SHAPE_A;
  if (shape != NULL && model->api == CF_SIM_API_LABS)
    {
      if (g_str_equal (shape, "A"))
        model->shape = CF_SIM_SHAPE_A;
      else if (g_str_equal (shape, "B"))
        model->shape = CF_SIM_SHAPE_B;
      else
        {
          cf_sim_model_free (model);
          return fail (error, "“%s.shape” must be \"A\" or \"B\"", where), NULL;
        }
    }

  inline_node = json_object_get_member (object, "inline_video");
  if (inline_node != NULL && JSON_NODE_HOLDS_VALUE (inline_node)
      && json_node_get_value_type (inline_node) == G_TYPE_BOOLEAN)
    model->inline_video = json_node_get_boolean (inline_node) ? 1.0 : 0.0;
  else if (!read_number (object, "inline_video", where, 0, 1, &model->inline_video, error))
    goto failed;

  if (!read_int (object, "cost", where, 0, G_MAXINT32, &model->cost, error)
      || !read_number (object, "render_seconds", where, 0, 1e7, &model->render_seconds, error)
      || !read_number (object, "render_spread", where, 0, 1e7, &model->render_spread, error)
      || !read_number (object, "pending_seconds", where, 0, 1e7, &model->pending_seconds, error)
      || !read_bool (object, "url_in_poll", where, &model->url_in_poll, error))
    goto failed;

  return model;

failed:
  cf_sim_model_free (model);
  return NULL;
}

static const char * const account_fields[] = {
  "kind", "name", "tokens", "project_id", "api_key", "tier", "credits", "max_in_flight",
  "max_rps", "render_factor", "needs_recaptcha", "expire_tokens_after_takes", "permission_denied",
  "faults", NULL
};

static const char * const tiers[] = {
  "PAYGATE_TIER_NOT_PAID", "PAYGATE_TIER_ONE", "PAYGATE_TIER_TWO", NULL
};

static CfSimAccount *
read_account (JsonNode           *node,
              guint               index,
              const CfSimFaults  *global_faults,
              GError            **error)
{
  g_autofree char *where = g_strdup_printf ("accounts[%u]", index);
  g_autofree char *kind = NULL;
  g_autoptr(CfSimAccount) account = NULL;
  gint64 max_in_flight = 0;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "“%s” must be an object", where), NULL;
  object = json_node_get_object (node);
  if (!check_members (object, where, account_fields, error))
    return NULL;

  account = g_new0 (CfSimAccount, 1);
  account->credits = 1000;
  account->max_rps = 0;
  account->render_factor = 1.0;
  account->expire_tokens_after_takes = -1;
  account->faults = *global_faults;
  account->in_flight = g_ptr_array_new ();
  account->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!read_string (object, "kind", where, TRUE, &kind, error)
      || !read_string (object, "name", where, TRUE, &account->name, error)
      || !read_string (object, "tier", where, FALSE, &account->tier, error)
      || !read_int (object, "credits", where, 0, G_MAXINT64 / 2, &account->credits, error)
      || !read_int (object, "max_in_flight", where, 0, 100000, &max_in_flight, error)
      || !read_number (object, "max_rps", where, 0, 1e9, &account->max_rps, error)
      || !read_number (object, "render_factor", where, 0.001, 1000, &account->render_factor,
                       error)
      || !read_bool (object, "needs_recaptcha", where, &account->needs_recaptcha, error)
      || !read_bool (object, "permission_denied", where, &account->permission_denied, error)
      || !read_int (object, "expire_tokens_after_takes", where, 0, G_MAXINT64 / 2,
                    &account->expire_tokens_after_takes, error)
      || !read_faults (object, where, &account->faults, error))
    return NULL;
  account->max_in_flight = (guint) max_in_flight;

  if (g_str_equal (kind, "labs"))
    {
      account->kind = CF_SIM_API_LABS;
      if (!read_strv (object, "tokens", where, &account->tokens, error)
          || !read_string (object, "project_id", where, TRUE, &account->project_id, error))
        return NULL;
      if (account->tokens == NULL || account->tokens[0] == NULL)
        return fail (error, "“%s.tokens” must hold at least one token", where), NULL;
      if (!cf_sim_is_uuid (account->project_id))
        return fail (error, "“%s.project_id” must be a UUID", where), NULL;
      if (json_object_has_member (object, "api_key"))
        return fail (error, "“%s.api_key” belongs to gemini accounts", where), NULL;
      /* Labs has no such answer: a token without access is a 401 or a 403 per project. */
      if (json_object_has_member (object, "permission_denied"))
        return fail (error, "“%s.permission_denied” belongs to gemini accounts", where), NULL;
      if (account->tier == NULL)
        account->tier = g_strdup ("PAYGATE_TIER_ONE");
      else if (!g_strv_contains (tiers, account->tier))
        return fail (error, "“%s.tier” must be one of PAYGATE_TIER_NOT_PAID, "
                     "PAYGATE_TIER_ONE, PAYGATE_TIER_TWO", where), NULL;
    }
  else if (g_str_equal (kind, "gemini"))
    {
      account->kind = CF_SIM_API_GEMINI;
      if (!read_string (object, "api_key", where, TRUE, &account->api_key, error))
        return NULL;
      if (json_object_has_member (object, "tokens")
          || json_object_has_member (object, "project_id"))
        return fail (error, "“%s.tokens” and “project_id” belong to labs accounts", where),
               NULL;
    }
  else
    return fail (error, "“%s.kind” must be \"labs\" or \"gemini\"", where), NULL;

  return g_steal_pointer (&account);
}

static const char * const top_fields[] = {
  "seed", "time_scale", "url_ttl_seconds", "file_ttl_seconds", "models", "policy", "faults",
  "accounts", NULL
};

static const char * const policy_fields[] = { "reject_words", "fail_words", NULL };

static gboolean
read_config (CfSimConfig  *config,
             JsonNode     *root,
             GError      **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 seed = 1;
  JsonObject *object;
  JsonNode *node;
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, "the document must be a JSON object");
  object = json_node_get_object (root);
  if (!check_members (object, "", top_fields, error)
      || !read_int (object, "seed", "", 0, G_MAXINT64, &seed, error)
      || !read_number (object, "time_scale", "", 1e-6, 1000, &config->time_scale, error)
      || !read_number (object, "url_ttl_seconds", "", 1, 1e9, &config->url_ttl_seconds, error)
      || !read_number (object, "file_ttl_seconds", "", 1, 1e9, &config->file_ttl_seconds,
                       error)
      || !read_faults (object, "", &config->faults, error))
    return FALSE;
  config->seed = (guint64) seed;

  node = json_object_get_member (object, "policy");
  if (node != NULL)
    {
      JsonObject *policy;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, "“policy” must be an object");
      policy = json_node_get_object (node);
      if (!check_members (policy, "policy", policy_fields, error)
          || !read_strv (policy, "reject_words", "policy", &config->reject_words, error)
          || !read_strv (policy, "fail_words", "policy", &config->fail_words, error))
        return FALSE;
    }

  node = json_object_get_member (object, "models");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return fail (error, "“models” must be an array");
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          CfSimModel *model = read_model (json_array_get_element (array, i), i, error);

          if (model == NULL)
            return FALSE;
          g_ptr_array_add (config->models, model);
          if (g_hash_table_contains (seen, model->key))
            return fail (error, "“models[%u].key” repeats “%s”", i, model->key);
          g_hash_table_add (seen, model->key);
        }
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (builtin_models); i++)
        {
          CfSimModel *model = model_new (builtin_models[i].key);

          model->shape = builtin_models[i].shape;
          model->cost = builtin_models[i].cost;
          model->render_seconds = builtin_models[i].render_seconds;
          model->render_spread = builtin_models[i].render_seconds / 6;
          model->inline_video = model->api == CF_SIM_API_GEMINI ? 0.25 : 0;
          g_ptr_array_add (config->models, model);
        }
    }

  node = json_object_get_member (object, "accounts");
  if (node == NULL)
    return fail (error, "“accounts” is missing");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "“accounts” must be an array");
  array = json_node_get_array (node);
  g_hash_table_remove_all (seen);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      CfSimAccount *account = read_account (json_array_get_element (array, i), i,
                                             &config->faults, error);
      const char *ids[3] = { NULL, NULL, NULL };

      if (account == NULL)
        return FALSE;
      g_ptr_array_add (config->accounts, account);

      /* Names, tokens, projects and keys each pick out one account. */
      ids[0] = account->name;
      ids[1] = account->project_id;
      ids[2] = account->api_key;
      for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
        {
          if (ids[k] == NULL)
            continue;
          if (g_hash_table_contains (seen, ids[k]))
            return fail (error, "“accounts[%u]” repeats a name, project id or API key "
                         "of another account", i);
          g_hash_table_add (seen, (gpointer) ids[k]);
        }
      for (guint k = 0; account->tokens != NULL && account->tokens[k] != NULL; k++)
        {
          if (g_hash_table_contains (seen, account->tokens[k]))
            return fail (error, "“accounts[%u].tokens[%u]” is used twice", i, k);
          g_hash_table_add (seen, account->tokens[k]);
        }
    }

  return TRUE;
}

CfSimConfig *
cf_sim_config_new_from_data (const char  *json,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CfSimConfig) config = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      fail (error, "not valid JSON: %s", local_error->message);
      return NULL;
    }

  config = g_new0 (CfSimConfig, 1);
  config->seed = 1;
  config->time_scale = 1.0;
  config->url_ttl_seconds = 86400;
  config->file_ttl_seconds = 2 * 86400;
  config->faults.slow_seconds = 5;
  config->models = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_sim_model_free);
  config->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) cf_sim_account_free);

  if (!read_config (config, json_parser_get_root (parser), error))
    return NULL;
  return g_steal_pointer (&config);
}
