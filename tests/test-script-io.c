/* test-script-io.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cf-error.h"
#include "cf-script-io.h"

static GFile *
data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "scripts", name, NULL);

  return g_file_new_for_path (path);
}

static CfScript *
load_data (const char  *name,
           GError     **error)
{
  g_autoptr(GFile) file = data_file (name);

  return cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, error);
}

static CfScript *
make_vietnamese_script (void)
{
  CfScript *script = cf_script_new ();
  g_autoptr(CfScene) first = cf_scene_new ("Cà phê sữa đá rót chậm vào ly, cận cảnh, "
                                           "ánh sáng ban mai, \"hơi nước\" bốc lên");
  g_autoptr(CfScene) second = cf_scene_new ("Người bán hàng ở phố cổ Hà Nội mỉm cười,\n"
                                            "máy quay cầm tay, nắng chiều ấm áp");
  g_autoptr(CfScene) third = cf_scene_new ("Ngọn hải đăng lúc hoàng hôn; sóng vỗ, ống kính rộng");

  cf_script_set_title (script, "Quảng cáo Cà phê — Đà Lạt");
  cf_script_set_default_aspect (script, CF_ASPECT_PORTRAIT);
  cf_script_set_default_takes (script, 2);

  cf_scene_set_title (first, "Mở đầu, \"hook\"");
  cf_scene_set_negative_prompt (first, "chữ, logo, mờ");
  cf_scene_set_aspect (first, CF_ASPECT_LANDSCAPE);
  cf_scene_set_takes (first, 4);
  cf_scene_set_seed (first, 2147483647);
  cf_scene_set_title (second, "Phố cổ");
  cf_scene_set_seed (second, 0);
  cf_scene_set_aspect (third, CF_ASPECT_SQUARE);
  cf_scene_set_takes (third, 1);

  cf_script_append_scene (script, first);
  cf_script_append_scene (script, second);
  cf_script_append_scene (script, third);

  return script;
}

static void
assert_scenes_equal (CfScript *a,
                     CfScript *b,
                     gboolean  all_fields)
{
  g_assert_cmpuint (cf_script_get_n_scenes (a), ==, cf_script_get_n_scenes (b));

  for (guint i = 0; i < cf_script_get_n_scenes (a); i++)
    {
      CfScene *x = cf_script_get_scene (a, i);
      CfScene *y = cf_script_get_scene (b, i);

      g_assert_cmpstr (cf_scene_get_prompt (x), ==, cf_scene_get_prompt (y));
      g_assert_cmpuint (cf_scene_get_number (y), ==, i + 1);

      if (!all_fields)
        continue;

      g_assert_cmpstr (cf_scene_get_title (x), ==, cf_scene_get_title (y));
      g_assert_cmpstr (cf_scene_get_negative_prompt (x), ==, cf_scene_get_negative_prompt (y));
      g_assert_cmpint (cf_scene_get_aspect (x), ==, cf_scene_get_aspect (y));
      g_assert_cmpuint (cf_scene_get_takes (x), ==, cf_scene_get_takes (y));
      g_assert_cmpint (cf_scene_get_seed (x), ==, cf_scene_get_seed (y));
    }
}

static CfScript *
round_trip (CfScript       *script,
            CfScriptFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  CfScript *back;
  gsize length = 0;

  data = cf_script_serialize (script, format, &length);
  g_assert_nonnull (data);
  g_assert_cmpuint (strlen (data), ==, length);
  g_assert_true (g_utf8_validate (data, length, NULL));

  back = cf_script_parse (data, length, format, "round-trip", &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  return back;
}

static void
test_round_trip_json (void)
{
  g_autoptr(CfScript) script = make_vietnamese_script ();
  g_autoptr(CfScript) back = round_trip (script, CF_SCRIPT_FORMAT_JSON);
  g_autofree char *data = cf_script_serialize (script, CF_SCRIPT_FORMAT_JSON, NULL);

  g_assert_cmpstr (cf_script_get_title (back), ==, "Quảng cáo Cà phê — Đà Lạt");
  g_assert_cmpint (cf_script_get_default_aspect (back), ==, CF_ASPECT_PORTRAIT);
  g_assert_cmpuint (cf_script_get_default_takes (back), ==, 2);
  assert_scenes_equal (script, back, TRUE);

  /* Vietnamese is written as itself, not as \u escapes, so that people can read the file. */
  g_assert_nonnull (strstr (data, "Quảng cáo"));
  g_assert_nonnull (strstr (data, "\"format\" : \"clipfleet-script\""));
}

static void
test_round_trip_text (void)
{
  g_autoptr(CfScript) script = make_vietnamese_script ();
  g_autoptr(CfScript) back = round_trip (script, CF_SCRIPT_FORMAT_TEXT);

  g_assert_cmpstr (cf_script_get_title (back), ==, "Quảng cáo Cà phê — Đà Lạt");
  assert_scenes_equal (script, back, FALSE);
}

static void
test_round_trip_text_edge (void)
{
  g_autoptr(CfScript) script = cf_script_new ();
  g_autoptr(CfScript) back = NULL;

  /* A first prompt that starts with "#" must not turn into the title. */
  cf_script_append_paragraphs (script, "#1 hit song video, neon stage\n\nSecond");
  back = round_trip (script, CF_SCRIPT_FORMAT_TEXT);
  g_assert_cmpstr (cf_script_get_title (back), ==, "");
  assert_scenes_equal (script, back, FALSE);

  /* A blank line inside a prompt must not split it. */
  cf_scene_set_prompt (cf_script_get_scene (script, 1), "Line one\n\n  \nLine two");
  g_clear_object (&back);
  back = round_trip (script, CF_SCRIPT_FORMAT_TEXT);
  g_assert_cmpuint (cf_script_get_n_scenes (back), ==, 2);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (back, 1)), ==,
                   "Line one\nLine two");
}

static void
test_round_trip_csv (void)
{
  g_autoptr(CfScript) script = make_vietnamese_script ();
  g_autoptr(CfScript) back = round_trip (script, CF_SCRIPT_FORMAT_CSV);

  assert_scenes_equal (script, back, TRUE);
}

static void
test_load_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfScript) json = load_data ("good.json", &error);
  g_autoptr(CfScript) text = NULL;
  g_autoptr(CfScript) csv = NULL;
  g_autoptr(CfScript) semicolon = NULL;
  CfScene *scene;

  g_assert_no_error (error);
  g_assert_cmpstr (cf_script_get_title (json), ==, "Quảng cáo Cà phê");
  g_assert_cmpint (cf_script_get_default_aspect (json), ==, CF_ASPECT_PORTRAIT);
  g_assert_cmpuint (cf_script_get_default_takes (json), ==, 2);
  g_assert_cmpuint (cf_script_get_n_scenes (json), ==, 3);
  scene = cf_script_get_scene (json, 0);
  g_assert_cmpstr (cf_scene_get_title (scene), ==, "Mở đầu");
  g_assert_cmpstr (cf_scene_get_negative_prompt (scene), ==, "text, watermark");
  g_assert_cmpint (cf_scene_get_aspect (scene), ==, CF_ASPECT_LANDSCAPE);
  g_assert_cmpuint (cf_scene_get_takes (scene), ==, 4);
  g_assert_cmpint (cf_scene_get_seed (scene), ==, 2147483647);
  scene = cf_script_get_scene (json, 2);
  g_assert_cmpstr (cf_scene_get_title (scene), ==, "");
  g_assert_cmpstr (cf_scene_get_negative_prompt (scene), ==, "");
  g_assert_cmpint (cf_scene_get_seed (scene), ==, -1);
  g_assert_cmpuint (cf_scene_get_number (scene), ==, 3);

  text = load_data ("good.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cf_script_get_title (text), ==, "Thuyền giấy");
  g_assert_cmpuint (cf_script_get_n_scenes (text), ==, 3);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (text, 0)), ==,
                   "Một chiếc thuyền giấy trôi trên dòng nước mưa, máy quay lướt theo ở tầm "
                   "thấp,\nánh đèn đường phản chiếu trên mặt nước.");

  csv = load_data ("good.csv", &error);
  g_assert_no_error (error);
  /* CSV has no title: the file name gives one. */
  g_assert_cmpstr (cf_script_get_title (csv), ==, "good");
  g_assert_cmpuint (cf_script_get_n_scenes (csv), ==, 3);
  scene = cf_script_get_scene (csv, 0);
  g_assert_cmpstr (cf_scene_get_prompt (scene), ==,
                   "Cà phê phin nhỏ giọt, cận cảnh, ánh sáng buổi sáng");
  g_assert_cmpstr (cf_scene_get_title (scene), ==, "Mở đầu");
  g_assert_cmpstr (cf_scene_get_negative_prompt (scene), ==, "chữ, logo");
  g_assert_cmpint (cf_scene_get_aspect (scene), ==, CF_ASPECT_LANDSCAPE);
  g_assert_cmpuint (cf_scene_get_takes (scene), ==, 2);
  g_assert_cmpint (cf_scene_get_seed (scene), ==, 42);
  scene = cf_script_get_scene (csv, 1);
  g_assert_cmpstr (cf_scene_get_prompt (scene), ==,
                   "A barista says \"Xin chào!\" and smiles,\nthen pours latte art in slow "
                   "motion");
  g_assert_cmpint (cf_scene_get_aspect (scene), ==, CF_ASPECT_PORTRAIT);
  g_assert_cmpuint (cf_scene_get_takes (scene), ==, 0);
  scene = cf_script_get_scene (csv, 2);
  g_assert_cmpstr (cf_scene_get_prompt (scene), ==, "A neon-lit café at night in the rain");
  g_assert_cmpuint (cf_scene_get_takes (scene), ==, 1);

  semicolon = load_data ("semicolon.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cf_script_get_n_scenes (semicolon), ==, 2);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (semicolon, 0)), ==,
                   "Cà phê sữa đá, cận cảnh");
}

static void
test_load_bare_arrays (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfScript) strings = load_data ("bare-strings.json", &error);
  g_autoptr(CfScript) objects = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (cf_script_get_n_scenes (strings), ==, 2);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (strings, 1)), ==,
                   "Thuyền giấy trôi ra biển lúc bình minh.");

  objects = load_data ("bare-objects.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cf_script_get_n_scenes (objects), ==, 2);
  g_assert_cmpstr (cf_scene_get_title (cf_script_get_scene (objects, 0)), ==, "Ngọn hải đăng");
}

static void
test_load_broken (void)
{
  /* Each broken file, and what its error must say (file, place, what to do). */
  static const struct { const char *name; const char *expect[3]; } cases[] = {
    { "broken-syntax.json", { "broken-syntax.json, line 5", "not valid JSON", "comma" } },
    { "broken-takes.json",
      { "broken-takes.json, line 8, column 34: scenes[3].takes", "scene 4",
        "whole number from 1 to 4" } },
    { "broken-newer-version.json", { "newer", "Update Clipfleet", "version 2" } },
    { "broken-empty-prompt.json",
      { "line 4, column 37: scenes[1]", "scene 2", "prompt is empty" } },
    { "broken-aspect.json", { "scenes[0].aspect", "4:3", "16:9" } },
    { "broken-not-a-script.json", { "some-other-tool", "not a Clipfleet script", NULL } },
    { "broken-unterminated.csv", { "line 2, column 1", "never ends", "closing double quote" } },
    { "broken-no-prompt.csv", { "line 1", "no “prompt” column", "first row" } },
    { "broken-takes.csv", { "line 3, column 7", "from 1 to 4", "“7”" } },
    { "broken-extra-fields.csv", { "line 2, column 25", "more fields", "double quotes" } },
    { "broken-after-quote.csv", { "line 2, column 9", "closing quote", "twice" } },
    { "broken-seed.csv", { "line 2, column 7", "seed", "“-5”" } },
    { "broken-empty-prompt.csv", { "line 2, column 1", "scene 1", "empty prompt" } },
    { "broken-invalid-utf8.txt",
      { "broken-invalid-utf8.txt, line 5, byte 27", "not valid UTF-8", "Save the file as UTF-8" } },
    { "broken-utf16.txt", { "UTF-16", "save it as UTF-8", NULL } },
    { "broken-empty.txt", { "empty", NULL, NULL } },
    { "broken-title-only.txt", { "no scenes", "blank line", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CfScript) script = load_data (cases[i].name, &error);

      g_test_message ("%s: %s", cases[i].name, error ? error->message : "(no error)");
      g_assert_null (script);
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      g_assert_true (g_str_has_prefix (error->message, cases[i].name));

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].expect) && cases[i].expect[j]; j++)
        {
          if (strstr (error->message, cases[i].expect[j]) == NULL)
            g_error ("%s: “%s” lacks “%s”", cases[i].name, error->message, cases[i].expect[j]);
        }
    }
}

static void
expect_parse_error (const char     *data,
                    CfScriptFormat  format,
                    const char     *expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfScript) script = cf_script_parse (data, strlen (data), format, "t", &error);

  g_assert_null (script);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  if (strstr (error->message, expect) == NULL)
    g_error ("“%s” lacks “%s”", error->message, expect);
}

static CfScript *
expect_parse (const char     *data,
              CfScriptFormat  format)
{
  g_autoptr(GError) error = NULL;
  CfScript *script = cf_script_parse (data, strlen (data), format, "t", &error);

  g_assert_no_error (error);
  g_assert_nonnull (script);

  return script;
}

static void
test_json_details (void)
{
  g_autoptr(CfScript) a = NULL;
  g_autoptr(CfScript) b = NULL;

  /* Numbers written as doubles by other tools are fine when they are whole. */
  a = expect_parse ("{\"scenes\": [{\"prompt\": \"x\", \"takes\": 2.0, \"seed\": 7e2}],"
                    " \"defaults\": {\"aspect\": \"landscape\"}}",
                    CF_SCRIPT_FORMAT_JSON);
  g_assert_cmpuint (cf_scene_get_takes (cf_script_get_scene (a, 0)), ==, 2);
  g_assert_cmpint (cf_scene_get_seed (cf_script_get_scene (a, 0)), ==, 700);
  g_assert_cmpint (cf_script_get_default_aspect (a), ==, CF_ASPECT_LANDSCAPE);

  /* An empty list is a script with no scenes yet, as the editor saves it. */
  b = expect_parse ("{\"format\": \"clipfleet-script\", \"version\": 1, \"scenes\": []}",
                    CF_SCRIPT_FORMAT_JSON);
  g_assert_cmpuint (cf_script_get_n_scenes (b), ==, 0);

  expect_parse_error ("{\"scenes\": [{\"prompt\": \"x\", \"takes\": 2.5}]}",
                      CF_SCRIPT_FORMAT_JSON, "scenes[0].takes");
  expect_parse_error ("{\"scenes\": [{\"prompt\": \"x\", \"seed\": 2147483648}]}",
                      CF_SCRIPT_FORMAT_JSON, "scenes[0].seed");
  expect_parse_error ("{\"scenes\": [{\"prompt\": \"x\", \"seed\": -1}]}",
                      CF_SCRIPT_FORMAT_JSON, "scenes[0].seed");
  expect_parse_error ("{\"scenes\": [{\"prompt\": 5}]}",
                      CF_SCRIPT_FORMAT_JSON, "scenes[0].prompt (scene 1): expected text");
  expect_parse_error ("{\"scenes\": [{\"title\": \"no prompt\"}]}",
                      CF_SCRIPT_FORMAT_JSON, "no \"prompt\"");
  expect_parse_error ("{\"title\": [], \"scenes\": []}", CF_SCRIPT_FORMAT_JSON, "title");
  expect_parse_error ("{\"defaults\": 3, \"scenes\": []}", CF_SCRIPT_FORMAT_JSON, "defaults");
  expect_parse_error ("{\"defaults\": {\"takes\": 9}, \"scenes\": []}",
                      CF_SCRIPT_FORMAT_JSON, "t, line 1, column 24: defaults.takes");
  /* Escaped keys and strings with brackets do not throw the position off. */
  expect_parse_error ("{\"x\\\"]\": \"[{\",\n \"scenes\": [\"a\",\n  {\"prompt\": \"b\",\n"
                      "   \"seed\": \"x\"}]}",
                      CF_SCRIPT_FORMAT_JSON, "t, line 4, column 12: scenes[1].seed (scene 2)");
  expect_parse_error ("{\"version\": \"1\", \"scenes\": []}", CF_SCRIPT_FORMAT_JSON, "version");
  expect_parse_error ("{\"title\": \"no scenes\"}", CF_SCRIPT_FORMAT_JSON, "\"scenes\"");
  expect_parse_error ("{\"scenes\": {}}", CF_SCRIPT_FORMAT_JSON, "scenes: expected a list");
  expect_parse_error ("[1, 2]", CF_SCRIPT_FORMAT_JSON, "[0] (scene 1)");
  expect_parse_error ("\"just a string\"", CF_SCRIPT_FORMAT_JSON, "expected a Clipfleet script");
  expect_parse_error ("{\"scenes\": [\"a\",\n  \"b\"\n  \"c\"]}", CF_SCRIPT_FORMAT_JSON,
                      "t, line 2");
}

static void
test_text_details (void)
{
  g_autoptr(CfScript) a = NULL;
  g_autoptr(CfScript) b = NULL;

  /* A byte order mark and Windows line ends are what Notepad writes. */
  a = expect_parse ("\xef\xbb\xbf# Tiêu đề\r\n\r\nCảnh một\r\ndòng hai\r\n \r\nCảnh hai\r\n",
                    CF_SCRIPT_FORMAT_TEXT);
  g_assert_cmpstr (cf_script_get_title (a), ==, "Tiêu đề");
  g_assert_cmpuint (cf_script_get_n_scenes (a), ==, 2);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (a, 0)), ==, "Cảnh một\ndòng hai");
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (a, 1)), ==, "Cảnh hai");

  /* A title line directly followed by text, and a no-break space as a blank line. */
  b = expect_parse ("# T\nOne\n\xc2\xa0\nTwo", CF_SCRIPT_FORMAT_TEXT);
  g_assert_cmpstr (cf_script_get_title (b), ==, "T");
  g_assert_cmpuint (cf_script_get_n_scenes (b), ==, 2);

  expect_parse_error ("ok\n\nbad \xc3\x28 byte", CF_SCRIPT_FORMAT_TEXT, "line 3, byte 5");
  expect_parse_error ("\xef\xbb\xbf", CF_SCRIPT_FORMAT_TEXT, "empty");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CfScript) none = cf_script_parse (NULL, 0, CF_SCRIPT_FORMAT_AUTO, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  }
}

static void
test_csv_details (void)
{
  g_autoptr(CfScript) a = NULL;
  g_autoptr(CfScript) b = NULL;

  /* Header in any case, unknown columns ignored, trailing empty cells, no final newline. */
  a = expect_parse ("\n Notes ,PROMPT,Takes\nx,\"a, b\",\ny,\"\"\"q\"\"\",3,,",
                    CF_SCRIPT_FORMAT_CSV);
  g_assert_cmpuint (cf_script_get_n_scenes (a), ==, 2);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (a, 0)), ==, "a, b");
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (a, 1)), ==, "\"q\"");
  g_assert_cmpuint (cf_scene_get_takes (cf_script_get_scene (a, 1)), ==, 3);

  /* Tab-separated, as copied out of a spreadsheet. */
  b = expect_parse ("prompt\ttitle\nA, with comma\tT\n", CF_SCRIPT_FORMAT_CSV);
  g_assert_cmpstr (cf_scene_get_prompt (cf_script_get_scene (b, 0)), ==, "A, with comma");
  g_assert_cmpstr (cf_scene_get_title (cf_script_get_scene (b, 0)), ==, "T");

  expect_parse_error ("prompt,prompt\na,b\n", CF_SCRIPT_FORMAT_CSV, "appears twice");
  expect_parse_error ("prompt,aspect\na,wide\n", CF_SCRIPT_FORMAT_CSV,
                      "line 2, column 3: “wide” is not an aspect ratio");
  expect_parse_error ("prompt\n", CF_SCRIPT_FORMAT_CSV, "no scenes below the header");
  expect_parse_error ("title,prompt\n\"Đà Lạt\",\"ok\"\n\"x\",\n", CF_SCRIPT_FORMAT_CSV,
                      "line 3, column 5: scene 2 has an empty prompt");
  expect_parse_error ("prompt,takes\n\"multi\nline\",0\n", CF_SCRIPT_FORMAT_CSV,
                      "line 3, column 7");
}

static void
test_limits (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GString) csv = g_string_new ("prompt\n");
  g_autofree char *huge = NULL;
  g_autoptr(CfScript) exact = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "s\n\n");
  exact = expect_parse (text->str, CF_SCRIPT_FORMAT_TEXT);
  g_assert_cmpuint (cf_script_get_n_scenes (exact), ==, 10000);

  g_string_append (text, "one too many\n");
  expect_parse_error (text->str, CF_SCRIPT_FORMAT_TEXT, "more than 10000 scenes");

  for (guint i = 0; i <= 10000; i++)
    {
      g_string_append (json, i > 0 ? ",\"s\"" : "\"s\"");
      g_string_append (csv, "s\n");
    }
  g_string_append (json, "]");
  expect_parse_error (json->str, CF_SCRIPT_FORMAT_JSON, "10001 scenes");
  expect_parse_error (csv->str, CF_SCRIPT_FORMAT_CSV, "line 10002: more than 10000 scenes");

  huge = g_malloc (10 * 1024 * 1024 + 2);
  memset (huge, 'a', 10 * 1024 * 1024 + 1);
  huge[10 * 1024 * 1024 + 1] = '\0';
  expect_parse_error (huge, CF_SCRIPT_FORMAT_TEXT, "larger than 10 MB");

  /* Deep nesting would overflow the JSON parser's stack: refused before parsing. */
  memset (huge, '[', 5 * 1024 * 1024);
  memset (huge + 5 * 1024 * 1024, ']', 5 * 1024 * 1024);
  huge[10 * 1024 * 1024] = '\0';
  expect_parse_error (huge, CF_SCRIPT_FORMAT_JSON, "line 1, column 65: the data is nested");
}

static void
test_binary (void)
{
  static const char data[] = "prompt\nA cat\0 and a dog\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CfScript) script = cf_script_parse (data, sizeof data - 1, CF_SCRIPT_FORMAT_AUTO,
                                                "cat.csv", &error);

  g_assert_null (script);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "cat.csv, line 2, byte 6: a NUL byte"));
}

/*
 * Random damage to good files must give a script or a clear error, never a
 * crash, a warning or an error of another kind.
 */
static void
test_mutations (void)
{
  static const char * const names[] = { "good.json", "good.txt", "good.csv", "bare-objects.json" };
  static const char specials[] = "\"\\,;\n\r\t{}[]:#\xc3\xa0\xff";

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "scripts", names[n],
                                                     NULL);
      g_autofree char *original = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &original, &length, NULL));

      for (guint round = 0; round < 400; round++)
        {
          g_autofree char *data = g_memdup2 (original, length);
          g_autoptr(GError) error = NULL;
          g_autoptr(CfScript) script = NULL;
          gsize cut = length;
          guint n_changes = g_test_rand_int_range (1, 6);

          for (guint c = 0; c < n_changes; c++)
            {
              gsize at = g_test_rand_int_range (0, (gint32) length);

              data[at] = specials[g_test_rand_int_range (0, sizeof specials - 1)];
            }
          if (round % 5 == 0)
            cut = g_test_rand_int_range (0, (gint32) length);

          script = cf_script_parse (data, cut, CF_SCRIPT_FORMAT_AUTO, names[n], &error);
          g_assert_true ((script == NULL) != (error == NULL));
          if (error != NULL)
            {
              g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
              g_assert_true (g_str_has_prefix (error->message, names[n]));
              g_assert_true (g_utf8_validate (error->message, -1, NULL));
            }
          else
            {
              for (guint i = 0; i < cf_script_get_n_scenes (script); i++)
                g_assert_true (g_utf8_validate (cf_scene_get_prompt (cf_script_get_scene (script,
                                                                                         i)),
                                                -1, NULL));
            }
        }
    }
}

static void
test_format_guess (void)
{
  g_assert_cmpint (cf_script_format_guess ("a.JSON", NULL, 0), ==, CF_SCRIPT_FORMAT_JSON);
  g_assert_cmpint (cf_script_format_guess ("a.csv", "x", 1), ==, CF_SCRIPT_FORMAT_CSV);
  g_assert_cmpint (cf_script_format_guess ("a.txt", "{", 1), ==, CF_SCRIPT_FORMAT_TEXT);
  g_assert_cmpint (cf_script_format_guess ("paste", "\xef\xbb\xbf  [\"a\"]", 11), ==,
                   CF_SCRIPT_FORMAT_JSON);
  g_assert_cmpint (cf_script_format_guess (NULL, "Title,Prompt\nx,y", 16), ==,
                   CF_SCRIPT_FORMAT_CSV);
  g_assert_cmpint (cf_script_format_guess (NULL, "prompt\nA cat", 13), ==,
                   CF_SCRIPT_FORMAT_CSV);
  g_assert_cmpint (cf_script_format_guess (NULL, "A prompt, with commas\n\nTwo", 26), ==,
                   CF_SCRIPT_FORMAT_TEXT);
  g_assert_cmpint (cf_script_format_guess (NULL, NULL, 0), ==, CF_SCRIPT_FORMAT_TEXT);
}

static void
test_save_atomic (void)
{
  g_autoptr(CfScript) script = make_vietnamese_script ();
  g_autoptr(CfScript) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "scripts", NULL);
  g_autofree char *path = g_build_filename (dir, "ad.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GDir) listing = NULL;
  g_autofree char *contents = NULL;
  GStatBuf before;
  GStatBuf after;
  guint n_files = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  g_assert_true (cf_script_save (script, file, CF_SCRIPT_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  cf_script_set_title (script, "Phiên bản hai");
  g_assert_true (cf_script_save (script, file, CF_SCRIPT_FORMAT_JSON, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &after), ==, 0);

  /*
   * A new inode proves the new version was written elsewhere and renamed over
   * the old one: at no moment did the path hold a half-written file.
   */
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);

  /* No temporary or backup file is left behind. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  back = cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cf_script_get_title (back), ==, "Phiên bản hai");
  assert_scenes_equal (script, back, TRUE);

  /* A cancelled save is not an error to show, and leaves the file as it was. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    cf_script_set_title (script, "never written");
    g_assert_false (cf_script_save (script, file, CF_SCRIPT_FORMAT_JSON, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Phiên bản hai"));
  g_assert_null (strstr (contents, "never written"));
}

/* Saving through a symbolic link keeps the link and still replaces the target whole. */
static void
test_save_symlink (void)
{
  g_autoptr(CfScript) script = make_vietnamese_script ();
  g_autoptr(GError) error = NULL;
  g_autofree char *real = g_build_filename (g_get_user_data_dir (), "real.json", NULL);
  g_autofree char *link = g_build_filename (g_get_user_data_dir (), "link.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (link);
  g_autofree char *contents = NULL;
  GStatBuf before;
  GStatBuf after;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  g_assert_cmpint (g_stat (real, &before), ==, 0);

  g_assert_true (cf_script_save (script, file, CF_SCRIPT_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (g_stat (real, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "clipfleet-script"));
}

static void
test_save_formats (void)
{
  g_autoptr(CfScript) script = make_vietnamese_script ();
  const char *names[] = { "a.txt", "a.csv", "a.json", "a.script" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(CfScript) back = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
      g_assert_true (cf_script_save (script, file, CF_SCRIPT_FORMAT_AUTO, NULL, &error));
      g_assert_no_error (error);

      /* An unknown extension is saved as JSON, which keeps everything. */
      back = cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, &error);
      g_assert_no_error (error);
      assert_scenes_equal (script, back, i != 0);
      if (i == 1)
        g_assert_cmpstr (cf_script_get_title (back), ==, "a");
      else
        g_assert_cmpstr (cf_script_get_title (back), ==, "Quảng cáo Cà phê — Đà Lạt");
    }
}

static void
test_io_errors (void)
{
  g_autoptr(CfScript) script = make_vietnamese_script ();
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "nope", "x.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  g_autoptr(GFile) folder = g_file_new_for_path (g_get_user_data_dir ());
  g_autoptr(CfScript) loaded = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);

  g_assert_false (cf_script_save (script, file, CF_SCRIPT_FORMAT_JSON, NULL, &error));
  g_assert_error (error, CF_ERROR, CF_ERROR_OUTPUT);
  g_assert_nonnull (strstr (error->message, "x.json"));
  g_clear_error (&error);

  loaded = cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "x.json"));
  g_clear_error (&error);

  loaded = cf_script_load (folder, CF_SCRIPT_FORMAT_AUTO, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "folder"));
}

static void
test_huge_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "huge.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfScript) loaded = NULL;
  FILE *out;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  out = g_fopen (path, "wb");
  g_assert_nonnull (out);
  /* Sparse: a large size without writing the bytes. */
  g_assert_cmpint (fseek (out, 64 * 1024 * 1024, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('x', out), ==, 'x');
  fclose (out);

  loaded = cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "larger than 10 MB"));
}

static void
test_demo_script (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "demo-script.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfScript) script = cf_script_load (file, CF_SCRIPT_FORMAT_AUTO, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cf_script_get_n_scenes (script), ==, 10);
  g_assert_cmpstr (cf_script_get_title (script), !=, "");

  for (guint i = 0; i < 10; i++)
    {
      CfScene *scene = cf_script_get_scene (script, i);

      g_assert_cmpstr (cf_scene_get_title (scene), !=, "");
      g_assert_cmpuint (strlen (cf_scene_get_prompt (scene)), >, 80);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/script-io/round-trip/json", test_round_trip_json);
  g_test_add_func ("/script-io/round-trip/text", test_round_trip_text);
  g_test_add_func ("/script-io/round-trip/text-edge", test_round_trip_text_edge);
  g_test_add_func ("/script-io/round-trip/csv", test_round_trip_csv);
  g_test_add_func ("/script-io/load/good", test_load_good);
  g_test_add_func ("/script-io/load/bare-arrays", test_load_bare_arrays);
  g_test_add_func ("/script-io/load/broken", test_load_broken);
  g_test_add_func ("/script-io/json", test_json_details);
  g_test_add_func ("/script-io/text", test_text_details);
  g_test_add_func ("/script-io/csv", test_csv_details);
  g_test_add_func ("/script-io/limits", test_limits);
  g_test_add_func ("/script-io/binary", test_binary);
  g_test_add_func ("/script-io/mutations", test_mutations);
  g_test_add_func ("/script-io/format-guess", test_format_guess);
  g_test_add_func ("/script-io/save/atomic", test_save_atomic);
  g_test_add_func ("/script-io/save/formats", test_save_formats);
  g_test_add_func ("/script-io/save/symlink", test_save_symlink);
  g_test_add_func ("/script-io/errors", test_io_errors);
  g_test_add_func ("/script-io/huge-file", test_huge_file);
  g_test_add_func ("/script-io/demo-script", test_demo_script);

  return g_test_run ();
}
