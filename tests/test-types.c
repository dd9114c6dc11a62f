/* test-types.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-types.h"

static void
test_aspect_round_trip (void)
{
  const CfAspect aspects[] = { CF_ASPECT_LANDSCAPE, CF_ASPECT_PORTRAIT, CF_ASPECT_SQUARE };

  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    {
      CfAspect parsed = CF_ASPECT_DEFAULT;

      g_assert_true (cf_aspect_from_string (cf_aspect_to_string (aspects[i]), &parsed));
      g_assert_cmpint (parsed, ==, aspects[i]);
    }
}

static void
test_aspect_names (void)
{
  CfAspect aspect = CF_ASPECT_SQUARE;

  g_assert_true (cf_aspect_from_string ("  Portrait ", &aspect));
  g_assert_cmpint (aspect, ==, CF_ASPECT_PORTRAIT);
  g_assert_true (cf_aspect_from_string ("", &aspect));
  g_assert_cmpint (aspect, ==, CF_ASPECT_DEFAULT);
  g_assert_false (cf_aspect_from_string ("4:3", &aspect));
  g_assert_false (cf_aspect_from_string (NULL, &aspect));
  g_assert_null (cf_aspect_to_string (CF_ASPECT_DEFAULT));
}

static void
test_account_kind (void)
{
  CfAccountKind kind = CF_ACCOUNT_KIND_LABS;

  g_assert_true (cf_account_kind_from_string ("gemini", &kind));
  g_assert_cmpint (kind, ==, CF_ACCOUNT_KIND_GEMINI);
  g_assert_cmpstr (cf_account_kind_to_string (kind), ==, "gemini");
  g_assert_false (cf_account_kind_from_string ("vertex", &kind));
  g_assert_cmpint (kind, ==, CF_ACCOUNT_KIND_GEMINI);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/types/aspect/round-trip", test_aspect_round_trip);
  g_test_add_func ("/types/aspect/names", test_aspect_names);
  g_test_add_func ("/types/account-kind", test_account_kind);

  return g_test_run ();
}
