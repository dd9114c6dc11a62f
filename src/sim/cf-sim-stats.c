/* cf-sim-stats.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-sim-private.h"

/*
 * GET /__sim/stats: what each account was asked and charged, and the
 * simulated times of each take's life, from which tests prove that nothing
 * was paid twice and benchmarks compute their lower bounds. Times not yet
 * reached are null. Called with the state lock held.
 */

static void
add_time (JsonBuilder *builder,
          const char  *name,
          double       value,
          double       now)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0 && value <= now)
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static const char *
status_name (CfSimStatus status)
{
  switch (status)
    {
    case CF_SIM_STATUS_PENDING: return "PENDING";
    case CF_SIM_STATUS_ACTIVE: return "ACTIVE";
    case CF_SIM_STATUS_SUCCESSFUL: return "SUCCESSFUL";
    case CF_SIM_STATUS_FAILED: return "FAILED";
    default: return "UNKNOWN";
    }
}

char *
cf_sim_stats_to_json (CfSimState *st)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  double now = cf_sim_clock_now (st);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "now");
  json_builder_add_double_value (builder, now);
  json_builder_set_member_name (builder, "time_scale");
  json_builder_add_double_value (builder, st->time_scale);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) st->config->seed);

  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < st->config->accounts->len; i++)
    {
      CfSimAccount *account = g_ptr_array_index (st->config->accounts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, account->name);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder,
                                     account->kind == CF_SIM_API_LABS ? "labs" : "gemini");
      json_builder_set_member_name (builder, "requests");
      json_builder_add_int_value (builder, account->requests);
      json_builder_set_member_name (builder, "submits");
      json_builder_add_int_value (builder, account->submits);
      json_builder_set_member_name (builder, "takes_charged");
      json_builder_add_int_value (builder, account->takes_charged);
      json_builder_set_member_name (builder, "credits_left");
      json_builder_add_int_value (builder, account->credits);
      json_builder_set_member_name (builder, "responses_429");
      json_builder_add_int_value (builder, account->throttled_429 + account->quota_429);
      json_builder_set_member_name (builder, "throttled_429");
      json_builder_add_int_value (builder, account->throttled_429);
      json_builder_set_member_name (builder, "quota_429");
      json_builder_add_int_value (builder, account->quota_429);
      json_builder_set_member_name (builder, "max_in_flight");
      json_builder_add_int_value (builder, account->max_in_flight_seen);
      json_builder_set_member_name (builder, "in_flight");
      json_builder_add_int_value (builder, cf_sim_account_count_in_flight (account, now));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "takes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < st->all_takes->len; i++)
    {
      CfSimTake *take = g_ptr_array_index (st->all_takes, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, take->op != NULL ? take->op->name : take->id);
      json_builder_set_member_name (builder, "account");
      json_builder_add_string_value (builder, take->account->name);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, take->model->key);
      if (take->scene_id != NULL)
        {
          json_builder_set_member_name (builder, "scene_id");
          json_builder_add_string_value (builder, take->scene_id);
        }
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status_name (cf_sim_take_status (take, now)));
      add_time (builder, "submitted_at", take->submitted_at, now);
      add_time (builder, "started_at", take->started_at, now);
      add_time (builder, "finished_at", take->finished_at, now);
      add_time (builder, "downloaded_at", take->downloaded_at, now);
      json_builder_set_member_name (builder, "downloads");
      json_builder_add_int_value (builder, take->downloads);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "server");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests_handled");
  json_builder_add_int_value (builder, st->handled);
  json_builder_set_member_name (builder, "busy_seconds");
  json_builder_add_double_value (builder, st->busy_us / (double) G_USEC_PER_SEC);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
