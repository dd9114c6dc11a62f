/* test-download.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>

#include "cf-download.h"
#include "cf-error.h"
#include "cf-http.h"

typedef struct
{
  char   *folder;
  char   *path;
  char   *part;
  GBytes *clip;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *clip_path = g_test_build_filename (G_TEST_DIST, "..", "src", "sim", "clips",
                                                      "clip-1.mp4", NULL);
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (clip_path, &contents, &length, &error);
  g_assert_no_error (error);
  fixture->clip = g_bytes_new_take (contents, length);

  fixture->folder = g_dir_make_tmp ("cf-download-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "scene-01.mp4", NULL);
  fixture->part = g_strconcat (fixture->path, ".part", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->folder);
  g_free (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->part);
  g_bytes_unref (fixture->clip);
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static char *
encode (GBytes *bytes,
        gsize   length)
{
  return g_base64_encode (g_bytes_get_data (bytes, NULL), length);
}

static void
test_base64 (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *base64 = encode (fixture->clip, g_bytes_get_size (fixture->clip));
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  /* An older file of the same name is replaced whole. */
  g_assert_true (g_file_set_contents (fixture->path, "old", -1, NULL));

  g_assert_true (cf_download_base64_to_file (base64, fixture->path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (fixture->clip, NULL),
                   g_bytes_get_size (fixture->clip));
  g_assert_false (g_file_test (fixture->part, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (fixture->folder), ==, 1);
}

static void
test_not_mp4 (Fixture       *fixture,
              gconstpointer  data)
{
  static const char * const bodies[] = {
    "<html><body>Sign in</body></html>",
    "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01",
    "",
    "abc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *base64 = g_base64_encode ((const guchar *) bodies[i], strlen (bodies[i]));
      g_autoptr(GError) error = NULL;

      g_assert_false (cf_download_base64_to_file (base64, fixture->path, NULL, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
      g_assert_cmpuint (count_files (fixture->folder), ==, 0);
    }
}

static void
test_cut_short (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *base64 = encode (fixture->clip, g_bytes_get_size (fixture->clip) - 100);
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_download_base64_to_file (base64, fixture->path, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_TRANSIENT);
  g_assert_true (cf_error_is_retryable (error));
  g_assert_cmpuint (count_files (fixture->folder), ==, 0);
}

static void
test_symlink_part (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *base64 = encode (fixture->clip, g_bytes_get_size (fixture->clip));
  g_autofree char *victim = g_build_filename (fixture->folder, "victim.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  /* A planted link must not make us write through it. */
  g_assert_true (g_file_set_contents (victim, "precious", -1, NULL));
  g_assert_cmpint (symlink (victim, fixture->part), ==, 0);

  g_assert_false (cf_download_base64_to_file (base64, fixture->path, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_OUTPUT);
  g_assert_true (g_file_get_contents (victim, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_missing_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *base64 = encode (fixture->clip, g_bytes_get_size (fixture->clip));
  g_autofree char *path = g_build_filename (fixture->folder, "no-such-dir", "x.mp4", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_download_base64_to_file (base64, path, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_OUTPUT);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *base64 = encode (fixture->clip, g_bytes_get_size (fixture->clip));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (cf_download_base64_to_file (base64, fixture->path, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_files (fixture->folder), ==, 0);
}

static void
test_url_refused_before_any_request (Fixture       *fixture,
                                     gconstpointer  data)
{
  static const char * const urls[] = {
    "file:///etc/passwd",
    "http://127.0.0.1:1/video/x.mp4",
    "https://storage.googleapis.com.evil.example/video/x",
    "data:video/mp4;base64,AAAAGGZ0eXA=",
  };
  g_autoptr(CfEndpoints) endpoints = cf_endpoints_new_google ();
  g_autoptr(SoupSession) session = cf_http_session_new (5, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cf_download_url_to_file (session, endpoints, urls[i], NULL, NULL, NULL,
                                               fixture->path, NULL, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
      g_assert_cmpuint (count_files (fixture->folder), ==, 0);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cf_download_url_to_file (session, endpoints, NULL, NULL, NULL, NULL,
                                             fixture->path, NULL, &error));
    g_assert_error (error, CF_ERROR, CF_ERROR_PROTOCOL);
  }
}

static void
test_origin (void)
{
  g_autofree char *a = cf_download_dup_origin ("https://Storage.GoogleAPIs.com:443/video/x?y=z");
  g_autofree char *b = cf_download_dup_origin ("http://127.0.0.1:8080/v1beta/files/x");
  g_autofree char *c = cf_download_dup_origin ("not a url");

  g_assert_cmpstr (a, ==, "https://storage.googleapis.com");
  g_assert_cmpstr (b, ==, "http://127.0.0.1:8080");
  g_assert_null (c);
}

static void
test_sidecar_path (void)
{
  g_autofree char *a = cf_download_dup_sidecar_path ("/out/scene-01.mp4");
  g_autofree char *b = cf_download_dup_sidecar_path ("/out/scene-01.MP4");
  g_autofree char *c = cf_download_dup_sidecar_path ("/out/scene-01");

  g_assert_cmpstr (a, ==, "/out/scene-01.json");
  g_assert_cmpstr (b, ==, "/out/scene-01.json");
  g_assert_cmpstr (c, ==, "/out/scene-01.json");
}

static void
test_sidecar (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) fields = NULL;
  g_autofree char *sidecar = g_build_filename (fixture->folder, "scene-01.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, "A boat");
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, 7);
  json_builder_end_object (builder);
  fields = json_builder_get_root (builder);

  g_assert_true (cf_download_write_sidecar (fixture->path, fields, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, sidecar, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "prompt"), ==, "A boat");
  g_assert_cmpint (json_object_get_int_member (object, "seed"), ==, 7);
}

static void
test_sidecar_refuses_secrets (Fixture       *fixture,
                              gconstpointer  data)
{
  static const char * const names[] = { "token", "Tokens", "api_key", "Authorization" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) fields = NULL;
      g_autoptr(GError) error = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, names[i]);
      json_builder_add_string_value (builder, "ya29.secret");
      json_builder_end_object (builder);
      fields = json_builder_get_root (builder);

      g_assert_false (cf_download_write_sidecar (fixture->path, fields, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      g_assert_cmpuint (count_files (fixture->folder), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/download/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("base64", test_base64);
  ADD ("not-mp4", test_not_mp4);
  ADD ("cut-short", test_cut_short);
  ADD ("symlink-part", test_symlink_part);
  ADD ("missing-folder", test_missing_folder);
  ADD ("cancelled", test_cancelled);
  ADD ("url-refused", test_url_refused_before_any_request);
  ADD ("sidecar", test_sidecar);
  ADD ("sidecar-refuses-secrets", test_sidecar_refuses_secrets);
  g_test_add_func ("/download/origin", test_origin);
  g_test_add_func ("/download/sidecar-path", test_sidecar_path);

#undef ADD

  return g_test_run ();
}
