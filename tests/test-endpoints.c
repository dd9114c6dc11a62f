/* test-endpoints.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-endpoints.h"
#include "cf-error.h"

static void
test_google (void)
{
  g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_google ();

  g_assert_cmpstr (cf_endpoints_get_labs_api (endpoints), ==, "https://aisandbox-pa.googleapis.com/v1");
  g_assert_cmpstr (cf_endpoints_get_labs_web (endpoints), ==, "https://labs.google");
  g_assert_cmpstr (cf_endpoints_get_gemini_api (endpoints), ==,
                   "https://generativelanguage.googleapis.com/v1beta");
}

static void
test_google_downloads (void)
{
  g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_google ();
  static const char * const allowed[] = {
    "https://storage.googleapis.com/ai-sandbox-videofx/video/abc?Signature=x",
    "https://labs.google/fx/api/trpc/media.getMediaUrlRedirect?name=abc",
    "https://aisandbox-pa.googleapis.com/v1/media/abc",
    "https://generativelanguage.googleapis.com/v1beta/files/xyz:download?alt=media",
    "https://lh3.googleusercontent.com/video/abc",
    "https://STORAGE.googleapis.com/video/abc",
    "https://storage.googleapis.com:443/video/abc",
  };
  static const char * const refused[] = {
    "http://storage.googleapis.com/video/abc",
    "file:///etc/passwd",
    "file://storage.googleapis.com/video/abc",
    "data:video/mp4;base64,AAAA",
    "https://evil.example.com/video/abc",
    "https://storage.googleapis.com.evil.example.com/video/abc",
    "https://evilgoogleusercontent.com/video/abc",
    "https://googleusercontent.com/video/abc",
    "https://user:pass@storage.googleapis.com/video/abc",
    "https://storage.googleapis.com@evil.example.com/video/abc",
    "https://storage.googleapis.com:8443/video/abc",
    "https://127.0.0.1/video/abc",
    "ftp://storage.googleapis.com/video/abc",
    "https://storage.googleapis.com/video/a b",
    "https://storage.googleapis.com\\@evil.example.com/",
    "//storage.googleapis.com/video/abc",
    "/video/abc",
    "",
    "https://",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_test_message ("allowed: %s", allowed[i]);
      g_assert_true (cf_endpoints_is_download_allowed (endpoints, allowed[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("refused: %s", refused[i]);
      g_assert_false (cf_endpoints_is_download_allowed (endpoints, refused[i]));
    }

  g_assert_false (cf_endpoints_is_download_allowed (endpoints, NULL));
}

static void
test_origin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_for_origin ("http://127.0.0.1:4321", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cf_endpoints_get_labs_api (endpoints), ==, "http://127.0.0.1:4321/v1");
  g_assert_cmpstr (cf_endpoints_get_labs_web (endpoints), ==, "http://127.0.0.1:4321");
  g_assert_cmpstr (cf_endpoints_get_gemini_api (endpoints), ==, "http://127.0.0.1:4321/v1beta");

  g_assert_true (cf_endpoints_is_download_allowed (endpoints, "http://127.0.0.1:4321/storage/video/x"));
  g_assert_true (cf_endpoints_is_download_allowed (endpoints, "HTTP://127.0.0.1:4321/v1beta/files/x"));
  g_assert_false (cf_endpoints_is_download_allowed (endpoints, "http://127.0.0.1:4322/storage/video/x"));
  g_assert_false (cf_endpoints_is_download_allowed (endpoints, "http://127.0.0.1/storage/video/x"));
  g_assert_false (cf_endpoints_is_download_allowed (endpoints, "https://127.0.0.1:4321/storage/video/x"));
  g_assert_false (cf_endpoints_is_download_allowed (endpoints, "http://localhost:4321/storage/video/x"));
  g_assert_false (cf_endpoints_is_download_allowed (endpoints, "file:///tmp/video/x"));
  g_assert_false (cf_endpoints_is_download_allowed (endpoints, "http://a@127.0.0.1:4321/video/x"));
  /* The simulator's endpoints do not open the door to Google's hosts. */
  g_assert_false (cf_endpoints_is_download_allowed (endpoints,
                                                    "https://storage.googleapis.com/video/x"));
}

static void
test_origin_trailing_slash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_for_origin ("http://127.0.0.1:80/", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cf_endpoints_get_labs_api (endpoints), ==, "http://127.0.0.1:80/v1");
  g_assert_true (cf_endpoints_is_download_allowed (endpoints, "http://127.0.0.1/video/x"));
}

static void
test_origin_invalid (void)
{
  static const char * const invalid[] = {
    "", "127.0.0.1:8080", "file:///tmp", "ftp://127.0.0.1", "http://", "http://u:p@127.0.0.1:1",
    "http://127.0.0.1:1/v1", "http://127.0.0.1:1/?a=b", "not a url",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_for_origin (invalid[i], &error);

      g_test_message ("invalid: %s", invalid[i]);
      g_assert_null (endpoints);
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
    }
}

static void
test_loopback (void)
{
  static const struct { const char *origin; gboolean loopback; } cases[] = {
    { "http://127.0.0.1:4321", TRUE },
    { "http://127.8.9.10:4321", TRUE },
    { "http://localhost:4321", TRUE },
    { "http://[::1]:4321", TRUE },
    { "http://192.0.2.7:4321", FALSE },
    { "https://sim.example.com", FALSE },
  };
  g_autoptr(CfEndpoints) google = cf_endpoints_new_google ();

  g_assert_false (cf_endpoints_is_loopback (google));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_for_origin (cases[i].origin, &error);

      g_assert_no_error (error);
      g_assert_cmpint (cf_endpoints_is_loopback (endpoints), ==, cases[i].loopback);
    }
}

static void
test_ipv6 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_for_origin ("http://[::1]:8080", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cf_endpoints_get_labs_api (endpoints), ==, "http://[::1]:8080/v1");
  g_assert_true (cf_endpoints_is_download_allowed (endpoints, "http://[::1]:8080/storage/video/x"));
  g_assert_false (cf_endpoints_is_download_allowed (endpoints, "http://127.0.0.1:8080/storage/video/x"));
}

static void
test_boxed (void)
{
  g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_google ();
  CfEndpoints *copy = g_boxed_copy (CF_TYPE_ENDPOINTS, endpoints);

  g_assert_true (copy == endpoints);
  g_boxed_free (CF_TYPE_ENDPOINTS, copy);
  g_assert_cmpstr (cf_endpoints_get_labs_web (endpoints), ==, "https://labs.google");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/endpoints/google", test_google);
  g_test_add_func ("/endpoints/google-downloads", test_google_downloads);
  g_test_add_func ("/endpoints/origin", test_origin);
  g_test_add_func ("/endpoints/origin-trailing-slash", test_origin_trailing_slash);
  g_test_add_func ("/endpoints/origin-invalid", test_origin_invalid);
  g_test_add_func ("/endpoints/loopback", test_loopback);
  g_test_add_func ("/endpoints/ipv6", test_ipv6);
  g_test_add_func ("/endpoints/boxed", test_boxed);

  return g_test_run ();
}
