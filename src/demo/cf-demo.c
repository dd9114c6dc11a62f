/* cf-demo.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cf-demo.h"
#include "cf-demo-resources.h"
#include "cf-error.h"
#include "cf-script-io.h"
#include "cf-sim-server.h"

#define RESOURCE_PREFIX "/io/github/clipfleet/Demo/"

struct _CfDemo
{
  GObject      parent_instance;

  CfSimServer *sim;
  CfEndpoints *endpoints;
  GPtrArray   *accounts;
  CfScript    *script;
};

G_DEFINE_FINAL_TYPE (CfDemo, cf_demo, G_TYPE_OBJECT)

static void
cf_demo_dispose (GObject *object)
{
  CfDemo *self = CF_DEMO (object);

  cf_demo_stop (self);
  g_clear_pointer (&self->endpoints, cf_endpoints_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->script);

  G_OBJECT_CLASS (cf_demo_parent_class)->dispose (object);
}

static void
cf_demo_class_init (CfDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_demo_dispose;
}

static void
cf_demo_init (CfDemo *self)
{
}

/*
 * The client side of the demo accounts comes from the simulator's own
 * configuration, so that the two can never disagree on a token or a project.
 */
static GPtrArray *
accounts_from_config (GBytes  *config,
                      GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *list;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (config, NULL),
                                   g_bytes_get_size (config), error))
    return NULL;

  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "accounts");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *object = json_array_get_object_element (list, i);
      JsonArray *tokens = json_object_get_array_member (object, "tokens");
      g_autoptr(GPtrArray) token_list = g_ptr_array_new ();
      g_autoptr(CfAccount) account = NULL;

      account = cf_account_new (CF_ACCOUNT_KIND_LABS,
                                json_object_get_string_member (object, "name"));
      cf_account_set_project_id (account, json_object_get_string_member (object, "project_id"));
      cf_account_set_tier (account, json_object_get_string_member (object, "tier"));
      cf_account_set_max_in_flight (account,
                                    json_object_get_int_member (object, "max_in_flight"));
      for (guint t = 0; t < json_array_get_length (tokens); t++)
        g_ptr_array_add (token_list, (gpointer) json_array_get_string_element (tokens, t));
      g_ptr_array_add (token_list, NULL);
      cf_account_set_tokens (account, (const char * const *) token_list->pdata);
      cf_account_set_enabled (account, TRUE);

      g_ptr_array_add (accounts, g_steal_pointer (&account));
    }

  return g_steal_pointer (&accounts);
}

CfDemo *
cf_demo_start (GError **error)
{
  g_autoptr(CfDemo) self = g_object_new (CF_TYPE_DEMO, NULL);
  g_autoptr(GBytes) config = NULL;
  g_autoptr(GBytes) script_text = NULL;
  GResource *resource = cf_demo_get_resource ();

  config = g_resource_lookup_data (resource, RESOURCE_PREFIX "cf-demo-sim.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  script_text = g_resource_lookup_data (resource, RESOURCE_PREFIX "cf-demo-script.txt",
                                        G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (config == NULL || script_text == NULL)
    return NULL;

  self->script = cf_script_parse (g_bytes_get_data (script_text, NULL),
                                  g_bytes_get_size (script_text),
                                  CF_SCRIPT_FORMAT_TEXT, "cf-demo-script.txt", error);
  if (self->script == NULL)
    return NULL;
  cf_script_set_title (self->script, _("The Lighthouse Keeper"));
  cf_script_set_default_takes (self->script, 1);

  if ((self->accounts = accounts_from_config (config, error)) == NULL)
    return NULL;

  self->sim = cf_sim_server_new_from_data (g_bytes_get_data (config, NULL),
                                           g_bytes_get_size (config), error);
  if (self->sim == NULL)
    return NULL;
  if (!cf_sim_server_start (self->sim, 0, error))
    return NULL;

  self->endpoints = cf_endpoints_new_for_origin (cf_sim_server_get_base_url (self->sim), error);
  if (self->endpoints == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cf_demo_get_base_url (CfDemo *self)
{
  g_return_val_if_fail (CF_IS_DEMO (self), NULL);
  g_return_val_if_fail (self->sim != NULL, NULL);

  return cf_sim_server_get_base_url (self->sim);
}

CfEndpoints *
cf_demo_get_endpoints (CfDemo *self)
{
  g_return_val_if_fail (CF_IS_DEMO (self), NULL);

  return self->endpoints;
}

GPtrArray *
cf_demo_get_accounts (CfDemo *self)
{
  g_return_val_if_fail (CF_IS_DEMO (self), NULL);

  return self->accounts;
}

CfScript *
cf_demo_get_script (CfDemo *self)
{
  g_return_val_if_fail (CF_IS_DEMO (self), NULL);

  return self->script;
}

void
cf_demo_configure_settings (CfDemo        *self,
                            CfRunSettings *settings)
{
  g_return_if_fail (CF_IS_DEMO (self));
  g_return_if_fail (CF_IS_RUN_SETTINGS (settings));

  cf_run_settings_set_endpoints (settings, self->endpoints);
  cf_run_settings_set_takes_per_scene (settings, 1);
  cf_run_settings_set_poll_interval_ms (settings, 1000);
  cf_run_settings_set_backoff_ms (settings, 500);
  if (cf_run_settings_get_output_dir (settings) == NULL)
    {
      g_autofree char *dir = cf_demo_dup_default_output_dir ();

      cf_run_settings_set_output_dir (settings, dir);
    }
}

char *
cf_demo_dup_stats_json (CfDemo *self)
{
  g_return_val_if_fail (CF_IS_DEMO (self), NULL);
  g_return_val_if_fail (self->sim != NULL, NULL);

  return cf_sim_server_dup_stats_json (self->sim);
}

void
cf_demo_set_time_scale (CfDemo *self,
                        double  time_scale)
{
  g_return_if_fail (CF_IS_DEMO (self));
  g_return_if_fail (self->sim != NULL);
  g_return_if_fail (time_scale > 0);

  cf_sim_server_set_time_scale (self->sim, time_scale);
}

void
cf_demo_stop (CfDemo *self)
{
  g_return_if_fail (CF_IS_DEMO (self));

  if (self->sim != NULL)
    {
      cf_sim_server_stop (self->sim);
      g_clear_object (&self->sim);
    }
}

char *
cf_demo_dup_default_output_dir (void)
{
  const char *videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);

  /* Without xdg-user-dirs (a server) there is no Videos folder: make the usual one. */
  if (videos == NULL || g_str_equal (videos, g_get_home_dir ()))
    return g_build_filename (g_get_home_dir (), "Videos", "Clipfleet Demo", NULL);

  return g_build_filename (videos, "Clipfleet Demo", NULL);
}
