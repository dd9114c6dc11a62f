/* test-account.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-account.h"
#include "cf-enum-types.h"
#include "cf-error.h"

typedef struct
{
  GPtrArray *names;
} NotifyLog;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           NotifyLog  *log)
{
  g_ptr_array_add (log->names, g_strdup (pspec->name));
}

static guint
count_notifies (NotifyLog  *log,
                const char *name)
{
  guint n = 0;

  for (guint i = 0; i < log->names->len; i++)
    if (g_str_equal (g_ptr_array_index (log->names, i), name))
      n++;

  return n;
}

static void
test_defaults (void)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  g_autoptr(CfAccount) other = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");

  g_assert_true (g_uuid_string_is_valid (cf_account_get_id (account)));
  g_assert_cmpstr (cf_account_get_id (account), !=, cf_account_get_id (other));
  g_assert_cmpint (cf_account_get_kind (account), ==, CF_ACCOUNT_KIND_LABS);
  g_assert_cmpstr (cf_account_get_name (account), ==, "Acc 1");
  g_assert_null (cf_account_get_project_id (account));
  g_assert_nonnull (cf_account_get_tokens (account));
  g_assert_cmpuint (cf_account_get_n_tokens (account), ==, 0);
  g_assert_null (cf_account_get_api_key (account));
  g_assert_true (cf_account_get_enabled (account));
  g_assert_null (cf_account_get_tier (account));
  g_assert_null (cf_account_get_model_key (account));
  g_assert_cmpuint (cf_account_get_max_in_flight (account), ==, CF_ACCOUNT_DEFAULT_MAX_IN_FLIGHT);
  g_assert_cmpuint (cf_account_get_max_in_flight (account), ==, 4);
  g_assert_cmpint (cf_account_get_request_form (account), ==, CF_REQUEST_FORM_CLASSIC);
  g_assert_cmpint (cf_account_get_last_credits (account), ==, -1);
  g_assert_cmpint (cf_account_get_health (account), ==, CF_ACCOUNT_HEALTH_READY);
  g_assert_cmpint (cf_account_get_backoff_until (account), ==, 0);
  g_assert_cmpint (cf_account_get_out_code (account), ==, -1);
  g_assert_null (cf_account_get_health_reason (account));
  g_assert_false (cf_account_is_usable (account));

  g_assert_finalize_object (g_steal_pointer (&account));
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_notify_only_on_change (void)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  NotifyLog log = { g_ptr_array_new_with_free_func (g_free) };
  const char *tokens[] = { "ya29.fake-a", "ya29.fake-b", NULL };
  const char *same_tokens[] = { "ya29.fake-a", "ya29.fake-b", NULL };
  const char *one_token[] = { "ya29.fake-c", NULL };

  g_signal_connect (account, "notify", G_CALLBACK (notify_cb), &log);

  cf_account_set_name (account, "Acc 1");
  cf_account_set_enabled (account, TRUE);
  cf_account_set_max_in_flight (account, 4);
  cf_account_set_request_form (account, CF_REQUEST_FORM_CLASSIC);
  cf_account_set_last_credits (account, -1);
  cf_account_set_tier (account, NULL);
  cf_account_set_tier (account, "");
  cf_account_set_kind (account, CF_ACCOUNT_KIND_LABS);
  cf_account_set_tokens (account, NULL);
  cf_account_set_health (account, CF_ACCOUNT_HEALTH_READY, 0, -1, NULL);
  g_assert_cmpuint (log.names->len, ==, 0);

  cf_account_set_name (account, "Renamed");
  cf_account_set_name (account, "Renamed");
  g_assert_cmpuint (count_notifies (&log, "name"), ==, 1);

  cf_account_set_enabled (account, FALSE);
  cf_account_set_enabled (account, FALSE);
  g_assert_cmpuint (count_notifies (&log, "enabled"), ==, 1);

  cf_account_set_tier (account, "PAYGATE_TIER_ONE");
  cf_account_set_tier (account, "PAYGATE_TIER_ONE");
  g_assert_cmpuint (count_notifies (&log, "tier"), ==, 1);

  cf_account_set_model_key (account, "veo_3_1_t2v_fast");
  g_assert_cmpuint (count_notifies (&log, "model-key"), ==, 1);

  cf_account_set_max_in_flight (account, 2);
  cf_account_set_max_in_flight (account, 2);
  g_assert_cmpuint (count_notifies (&log, "max-in-flight"), ==, 1);

  cf_account_set_request_form (account, CF_REQUEST_FORM_2026);
  g_assert_cmpuint (count_notifies (&log, "request-form"), ==, 1);

  cf_account_set_last_credits (account, 1200);
  cf_account_set_last_credits (account, 1200);
  g_assert_cmpuint (count_notifies (&log, "last-credits"), ==, 1);

  /* Project and tokens make a Labs account usable: "usable" flips once. */
  cf_account_set_project_id (account, "proj-1234567890");
  g_assert_false (cf_account_is_usable (account));
  g_assert_cmpuint (count_notifies (&log, "usable"), ==, 0);
  cf_account_set_tokens (account, tokens);
  g_assert_true (cf_account_is_usable (account));
  g_assert_cmpuint (count_notifies (&log, "usable"), ==, 1);
  g_assert_cmpuint (count_notifies (&log, "tokens"), ==, 1);
  g_assert_cmpuint (count_notifies (&log, "n-tokens"), ==, 1);
  g_assert_cmpuint (cf_account_get_n_tokens (account), ==, 2);

  cf_account_set_tokens (account, same_tokens);
  g_assert_cmpuint (count_notifies (&log, "tokens"), ==, 1);

  cf_account_set_tokens (account, one_token);
  g_assert_cmpuint (count_notifies (&log, "tokens"), ==, 2);
  g_assert_cmpuint (count_notifies (&log, "n-tokens"), ==, 2);
  g_assert_cmpuint (count_notifies (&log, "usable"), ==, 1);
  g_assert_cmpstr (cf_account_get_tokens (account)[0], ==, "ya29.fake-c");

  /* Becoming a Gemini account needs a key instead. */
  cf_account_set_kind (account, CF_ACCOUNT_KIND_GEMINI);
  g_assert_false (cf_account_is_usable (account));
  g_assert_cmpuint (count_notifies (&log, "usable"), ==, 2);
  cf_account_set_api_key (account, "AIza-fake");
  cf_account_set_api_key (account, "AIza-fake");
  g_assert_cmpuint (count_notifies (&log, "api-key"), ==, 1);
  g_assert_true (cf_account_is_usable (account));
  g_assert_cmpuint (count_notifies (&log, "usable"), ==, 3);

  g_signal_handlers_disconnect_by_func (account, notify_cb, &log);
  g_ptr_array_unref (log.names);
}

static void
test_health (void)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  NotifyLog log = { g_ptr_array_new_with_free_func (g_free) };
  gint64 until = g_get_real_time () + 30 * G_USEC_PER_SEC;

  g_signal_connect (account, "notify", G_CALLBACK (notify_cb), &log);

  cf_account_set_health (account, CF_ACCOUNT_HEALTH_BACKING_OFF, until, -1, "Throttled");
  g_assert_cmpint (cf_account_get_health (account), ==, CF_ACCOUNT_HEALTH_BACKING_OFF);
  g_assert_cmpint (cf_account_get_backoff_until (account), ==, until);
  g_assert_cmpstr (cf_account_get_health_reason (account), ==, "Throttled");
  g_assert_cmpuint (count_notifies (&log, "health"), ==, 1);
  g_assert_cmpuint (count_notifies (&log, "backoff-until"), ==, 1);
  g_assert_cmpuint (count_notifies (&log, "out-code"), ==, 0);
  g_assert_cmpuint (count_notifies (&log, "health-reason"), ==, 1);

  /* Only the fields that changed notify. */
  cf_account_set_health (account, CF_ACCOUNT_HEALTH_BACKING_OFF, until, -1, "Throttled again");
  g_assert_cmpuint (count_notifies (&log, "health"), ==, 1);
  g_assert_cmpuint (count_notifies (&log, "backoff-until"), ==, 1);
  g_assert_cmpuint (count_notifies (&log, "health-reason"), ==, 2);

  cf_account_set_health (account, CF_ACCOUNT_HEALTH_OUT, 0, CF_ERROR_AUTH_EXPIRED,
                         "Tokens expired");
  g_assert_cmpint (cf_account_get_health (account), ==, CF_ACCOUNT_HEALTH_OUT);
  g_assert_cmpint (cf_account_get_out_code (account), ==, CF_ERROR_AUTH_EXPIRED);
  g_assert_cmpint (cf_account_get_backoff_until (account), ==, 0);
  g_assert_cmpuint (count_notifies (&log, "health"), ==, 2);
  g_assert_cmpuint (count_notifies (&log, "backoff-until"), ==, 2);
  g_assert_cmpuint (count_notifies (&log, "out-code"), ==, 1);
  g_assert_cmpuint (count_notifies (&log, "health-reason"), ==, 3);

  g_signal_handlers_disconnect_by_func (account, notify_cb, &log);
  g_ptr_array_unref (log.names);
}

static void
test_properties (void)
{
  g_autoptr(CfAccount) account = NULL;
  g_auto(GStrv) tokens = NULL;
  const char *in_tokens[] = { "ya29.fake-a", NULL };
  g_autofree char *id = NULL;
  CfAccountKind kind;
  guint n_tokens;
  gboolean usable;

  account = g_object_new (CF_TYPE_ACCOUNT,
                          "kind", CF_ACCOUNT_KIND_LABS,
                          "name", "Props",
                          "project-id", "abcdef1234",
                          "tokens", in_tokens,
                          "max-in-flight", 7,
                          NULL);
  g_object_get (account,
                "id", &id,
                "kind", &kind,
                "tokens", &tokens,
                "n-tokens", &n_tokens,
                "usable", &usable,
                NULL);

  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpint (kind, ==, CF_ACCOUNT_KIND_LABS);
  g_assert_true (g_strv_equal ((const char * const *) tokens, in_tokens));
  g_assert_cmpuint (n_tokens, ==, 1);
  g_assert_true (usable);
  g_assert_cmpuint (cf_account_get_max_in_flight (account), ==, 7);

  {
    g_autofree char *short_id = cf_account_dup_short_project_id (account);

    g_assert_cmpstr (short_id, ==, "abcdef12");
  }
}

static void
test_copy (void)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc 1");
  g_autoptr(CfAccount) copy = NULL;
  const char *tokens[] = { "ya29.fake-a", "ya29.fake-b", NULL };

  cf_account_set_project_id (account, "proj");
  cf_account_set_tokens (account, tokens);
  cf_account_set_tier (account, "PAYGATE_TIER_TWO");
  cf_account_set_model_key (account, "veo_3_1_t2v_fast_ultra");
  cf_account_set_max_in_flight (account, 3);
  cf_account_set_request_form (account, CF_REQUEST_FORM_2026);
  cf_account_set_last_credits (account, 50);
  cf_account_set_enabled (account, FALSE);

  copy = cf_account_copy (account);
  g_assert_true (copy != account);
  g_assert_cmpstr (cf_account_get_id (copy), ==, cf_account_get_id (account));
  g_assert_cmpstr (cf_account_get_project_id (copy), ==, "proj");
  g_assert_true (g_strv_equal (cf_account_get_tokens (copy), tokens));
  g_assert_true (cf_account_get_tokens (copy) != cf_account_get_tokens (account));
  g_assert_cmpstr (cf_account_get_tier (copy), ==, "PAYGATE_TIER_TWO");
  g_assert_cmpstr (cf_account_get_model_key (copy), ==, "veo_3_1_t2v_fast_ultra");
  g_assert_cmpuint (cf_account_get_max_in_flight (copy), ==, 3);
  g_assert_cmpint (cf_account_get_request_form (copy), ==, CF_REQUEST_FORM_2026);
  g_assert_cmpint (cf_account_get_last_credits (copy), ==, 50);
  g_assert_false (cf_account_get_enabled (copy));

  /* Independent: changing the original leaves the snapshot as it was. */
  cf_account_set_name (account, "Changed");
  cf_account_set_tokens (account, NULL);
  g_assert_cmpstr (cf_account_get_name (copy), ==, "Acc 1");
  g_assert_cmpuint (cf_account_get_n_tokens (copy), ==, 2);

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_json_roundtrip (void)
{
  g_autoptr(CfAccount) account = cf_account_new (CF_ACCOUNT_KIND_LABS, "Acc “1”");
  g_autoptr(CfAccount) back = NULL;
  g_autoptr(CfAccount) gemini = cf_account_new (CF_ACCOUNT_KIND_GEMINI, "Gem");
  g_autoptr(CfAccount) gemini_back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) gemini_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *gemini_text = NULL;
  const char *tokens[] = { "ya29.fake-secret-a", "ya29.fake-secret-b", NULL };
  JsonObject *object;

  cf_account_set_project_id (account, "proj-1");
  cf_account_set_tokens (account, tokens);
  cf_account_set_tier (account, "PAYGATE_TIER_ONE");
  cf_account_set_model_key (account, "veo_3_1_t2v_fast");
  cf_account_set_max_in_flight (account, 2);
  cf_account_set_request_form (account, CF_REQUEST_FORM_2026);
  cf_account_set_last_credits (account, 777);
  cf_account_set_enabled (account, FALSE);
  cf_account_set_health (account, CF_ACCOUNT_HEALTH_OUT, 0, CF_ERROR_QUOTA, "Quota spent");

  node = cf_account_to_json (account);
  text = json_to_string (node, FALSE);

  /* Secrets and run-time health never reach the file. */
  g_assert_null (strstr (text, "ya29"));
  g_assert_null (strstr (text, "Quota spent"));

  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, cf_account_get_id (account));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "labs");
  g_assert_cmpstr (json_object_get_string_member (object, "request_form"), ==, "2026");
  g_assert_cmpint (json_object_get_int_member (object, "max_in_flight"), ==, 2);
  g_assert_false (json_object_has_member (object, "tokens"));

  back = cf_account_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cf_account_get_id (back), ==, cf_account_get_id (account));
  g_assert_cmpstr (cf_account_get_name (back), ==, "Acc “1”");
  g_assert_cmpstr (cf_account_get_project_id (back), ==, "proj-1");
  g_assert_cmpuint (cf_account_get_n_tokens (back), ==, 0);
  g_assert_cmpstr (cf_account_get_tier (back), ==, "PAYGATE_TIER_ONE");
  g_assert_cmpstr (cf_account_get_model_key (back), ==, "veo_3_1_t2v_fast");
  g_assert_cmpuint (cf_account_get_max_in_flight (back), ==, 2);
  g_assert_cmpint (cf_account_get_request_form (back), ==, CF_REQUEST_FORM_2026);
  g_assert_cmpint (cf_account_get_last_credits (back), ==, 777);
  g_assert_false (cf_account_get_enabled (back));
  g_assert_cmpint (cf_account_get_health (back), ==, CF_ACCOUNT_HEALTH_READY);

  cf_account_set_api_key (gemini, "AIza-fake-key");
  gemini_node = cf_account_to_json (gemini);
  gemini_text = json_to_string (gemini_node, FALSE);
  g_assert_null (strstr (gemini_text, "AIza"));
  gemini_back = cf_account_new_from_json (gemini_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cf_account_get_kind (gemini_back), ==, CF_ACCOUNT_KIND_GEMINI);
  g_assert_null (cf_account_get_project_id (gemini_back));
  g_assert_null (cf_account_get_api_key (gemini_back));
  g_assert_cmpint (cf_account_get_last_credits (gemini_back), ==, -1);
}

static void
test_json_errors (void)
{
  static const struct { const char *json; const char *field; } cases[] = {
    { "[]", NULL },
    { "{\"kind\": \"labs\", \"name\": \"x\"}", "id" },
    { "{\"id\": \"\", \"kind\": \"labs\"}", "id" },
    { "{\"id\": 5, \"kind\": \"labs\"}", "id" },
    { "{\"id\": \"a\", \"kind\": \"veo\"}", "kind" },
    { "{\"id\": \"a\"}", "kind" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"name\": 3}", "name" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"enabled\": \"yes\"}", "enabled" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"max_in_flight\": 0}", "max_in_flight" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"max_in_flight\": \"4\"}", "max_in_flight" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"max_in_flight\": 2.5}", "max_in_flight" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"request_form\": \"v3\"}", "request_form" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"last_credits\": []}", "last_credits" },
    { "{\"id\": \"a\", \"kind\": \"labs\", \"project_id\": {}}", "project_id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CfAccount) account = NULL;

      g_assert_nonnull (node);
      account = cf_account_new_from_json (node, &error);
      g_assert_null (account);
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      if (cases[i].field != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].field));
    }

  /* Unknown members are ignored, for files written by a later version. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"id\": \"a\", \"kind\": \"gemini\", "
                                                 "\"name\": \"G\", \"future\": [1]}", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(CfAccount) account = cf_account_new_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cf_account_get_id (account), ==, "a");
    g_assert_cmpuint (cf_account_get_max_in_flight (account), ==, 4);
    g_assert_true (cf_account_get_enabled (account));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account/defaults", test_defaults);
  g_test_add_func ("/account/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/account/health", test_health);
  g_test_add_func ("/account/properties", test_properties);
  g_test_add_func ("/account/copy", test_copy);
  g_test_add_func ("/account/json-roundtrip", test_json_roundtrip);
  g_test_add_func ("/account/json-errors", test_json_errors);

  return g_test_run ();
}
