/* test-error.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cf-error.h"

static void
test_extended_data_survives_copy (void)
{
  g_autoptr(GError) error = g_error_new (CF_ERROR, CF_ERROR_THROTTLED, "Slow down");
  g_autoptr(GError) copy = NULL;

  g_assert_cmpint (cf_error_get_retry_after_ms (error), ==, -1);
  g_assert_null (cf_error_get_reason (error));

  cf_error_set_retry_after_ms (error, 2500);
  cf_error_set_reason (error, "PUBLIC_ERROR_USER_REQUESTS_THROTTLED");

  copy = g_error_copy (error);
  g_assert_error (copy, CF_ERROR, CF_ERROR_THROTTLED);
  g_assert_cmpint (cf_error_get_retry_after_ms (copy), ==, 2500);
  g_assert_cmpstr (cf_error_get_reason (copy), ==, "PUBLIC_ERROR_USER_REQUESTS_THROTTLED");

  /* The copy owns its own reason. */
  cf_error_set_reason (error, "OTHER");
  g_assert_cmpstr (cf_error_get_reason (copy), ==, "PUBLIC_ERROR_USER_REQUESTS_THROTTLED");
}

static void
test_foreign_errors_carry_nothing (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_cmpint (cf_error_get_retry_after_ms (error), ==, -1);
  g_assert_null (cf_error_get_reason (error));
  g_assert_cmpint (cf_error_get_retry_after_ms (NULL), ==, -1);
}

static void
test_classification (void)
{
  static const struct {
    CfErrorCode code;
    gboolean account_fatal;
    gboolean retryable;
    gboolean scene_terminal;
  } cases[] = {
    { CF_ERROR_AUTH_EXPIRED, TRUE, FALSE, FALSE },
    { CF_ERROR_NEEDS_VERIFICATION, TRUE, FALSE, FALSE },
    { CF_ERROR_ACCESS_DENIED, TRUE, FALSE, FALSE },
    { CF_ERROR_MODEL_NOT_ALLOWED, TRUE, FALSE, FALSE },
    { CF_ERROR_QUOTA, TRUE, FALSE, FALSE },
    { CF_ERROR_THROTTLED, FALSE, TRUE, FALSE },
    { CF_ERROR_TRANSIENT, FALSE, TRUE, FALSE },
    { CF_ERROR_URL_EXPIRED, FALSE, TRUE, FALSE },
    { CF_ERROR_POLICY, FALSE, FALSE, TRUE },
    { CF_ERROR_PROTOCOL, FALSE, FALSE, TRUE },
    { CF_ERROR_BAD_INPUT, FALSE, FALSE, TRUE },
    { CF_ERROR_OUTPUT, FALSE, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (CF_ERROR, cases[i].code, "x");

      g_test_message ("%s", cf_error_code_to_string (cases[i].code));
      g_assert_cmpint (cf_error_is_account_fatal (error), ==, cases[i].account_fatal);
      g_assert_cmpint (cf_error_is_retryable (error), ==, cases[i].retryable);
      g_assert_cmpint (cf_error_is_scene_terminal (error), ==, cases[i].scene_terminal);
    }
}

static void
test_network_errors_are_retryable_but_cancel_is_not (void)
{
  g_autoptr(GError) reset = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "x");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

  g_assert_true (cf_error_is_retryable (reset));
  g_assert_false (cf_error_is_retryable (cancelled));
  g_assert_false (cf_error_is_account_fatal (cancelled));
  g_assert_false (cf_error_is_retryable (NULL));
}

static void
test_every_code_has_names (void)
{
  for (int code = CF_ERROR_FAILED; code <= CF_ERROR_NO_SECRET_SERVICE; code++)
    {
      g_assert_cmpstr (cf_error_code_to_string (code), !=, "unknown");
      g_assert_nonnull (cf_error_code_describe (code));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/extended-data-survives-copy", test_extended_data_survives_copy);
  g_test_add_func ("/error/foreign-errors-carry-nothing", test_foreign_errors_carry_nothing);
  g_test_add_func ("/error/classification", test_classification);
  g_test_add_func ("/error/network-retryable-cancel-not",
                   test_network_errors_are_retryable_but_cancel_is_not);
  g_test_add_func ("/error/every-code-has-names", test_every_code_has_names);

  return g_test_run ();
}
