/* test-take-handle.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-error.h"
#include "cf-take-handle.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static void
test_round_trip (void)
{
  static const CfHandleShape shapes[] = {
    CF_HANDLE_SHAPE_LABS_OPERATION, CF_HANDLE_SHAPE_LABS_MEDIA, CF_HANDLE_SHAPE_GEMINI,
  };
  static const char * const shape_names[] = { "labs-operation", "labs-media", "gemini" };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(CfTakeHandle) handle = cf_take_handle_new (shapes[i], "models/x/operations/abc");
      g_autoptr(CfTakeHandle) back = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      handle->client_id = g_strdup ("6f1c0d8e-2b7a-4c55-9d1e-3a0b5f7c9e21");
      handle->project_id = g_strdup ("87b19267-13d6-49cd-a7ed-db19a90c9339");
      handle->sample_index = i;
      handle->seed = 4242 + i;

      node = cf_take_handle_to_json (handle);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "shape"), ==,
                       shape_names[i]);

      back = cf_take_handle_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->shape, ==, shapes[i]);
      g_assert_cmpstr (back->name, ==, handle->name);
      g_assert_cmpstr (back->client_id, ==, handle->client_id);
      g_assert_cmpstr (back->project_id, ==, handle->project_id);
      g_assert_cmpuint (back->sample_index, ==, i);
      g_assert_cmpint (back->seed, ==, 4242 + i);
    }
}

static void
test_minimal (void)
{
  g_autoptr(JsonNode) node = parse ("{\"shape\": \"gemini\", \"name\": \"op\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(CfTakeHandle) handle = cf_take_handle_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpint (handle->shape, ==, CF_HANDLE_SHAPE_GEMINI);
  g_assert_null (handle->client_id);
  g_assert_null (handle->project_id);
  g_assert_cmpuint (handle->sample_index, ==, 0);
  g_assert_cmpint (handle->seed, ==, -1);
}

static void
test_copy (void)
{
  g_autoptr(CfTakeHandle) handle = cf_take_handle_new (CF_HANDLE_SHAPE_LABS_MEDIA, "m");
  g_autoptr(CfTakeHandle) copy = NULL;

  handle->project_id = g_strdup ("p");
  copy = cf_take_handle_copy (handle);
  g_assert_true (copy != handle);
  g_assert_true (copy->name != handle->name);
  g_assert_cmpstr (copy->name, ==, "m");
  g_assert_cmpstr (copy->project_id, ==, "p");
  g_assert_null (copy->client_id);
  g_assert_cmpint (copy->seed, ==, -1);
}

static void
test_invalid (void)
{
  static const char * const invalid[] = {
    "[]",
    "\"labs-operation\"",
    "{}",
    "{\"shape\": \"labs-operation\"}",
    "{\"shape\": \"labs-operation\", \"name\": \"\"}",
    "{\"shape\": \"labs-operation\", \"name\": 12}",
    "{\"shape\": \"somewhere\", \"name\": \"x\"}",
    "{\"shape\": 1, \"name\": \"x\"}",
    "{\"shape\": \"gemini\", \"name\": \"x\", \"sample_index\": -1}",
    "{\"shape\": \"gemini\", \"name\": \"x\", \"sample_index\": \"1\"}",
    "{\"shape\": \"gemini\", \"name\": \"x\", \"seed\": 1.5}",
    "{\"shape\": \"gemini\", \"name\": \"x\", \"client_id\": {}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(JsonNode) node = parse (invalid[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CfTakeHandle) handle = cf_take_handle_from_json (node, &error);

      g_test_message ("invalid: %s", invalid[i]);
      g_assert_null (handle);
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (cf_take_handle_from_json (NULL, &error));
    g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/take-handle/round-trip", test_round_trip);
  g_test_add_func ("/take-handle/minimal", test_minimal);
  g_test_add_func ("/take-handle/copy", test_copy);
  g_test_add_func ("/take-handle/invalid", test_invalid);

  return g_test_run ();
}
