/* test-output-name.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-output-name.h"

/* What every name must be, whatever went in. */
static void
assert_safe_component (const char *name)
{
  g_assert_nonnull (name);
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpuint (strlen (name), <=, 120);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_null (strchr (name, ':'));
  g_assert_null (strstr (name, ".."));
  g_assert_cmpstr (name, !=, ".");
  g_assert_cmpint (name[0], !=, '.');
  g_assert_cmpint (name[0], !=, '-');
  g_assert_cmpint (name[strlen (name) - 1], !=, '.');
  g_assert_cmpint (name[strlen (name) - 1], !=, ' ');

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_false (strchr ("<>\"|?*", c) != NULL && c < 0x80);
    }
}

static void
test_output_name_simple (void)
{
  g_autofree char *take = cf_output_name_for_take ("Paper Boats", 4, 1);
  g_autofree char *name = cf_output_name_sanitize ("Paper Boats");

  g_assert_cmpstr (take, ==, "paper-boats-s04-t1");
  g_assert_cmpstr (name, ==, "paper-boats");
}

static void
test_output_name_hostile (void)
{
  static const char * const inputs[] = {
    "../../etc/passwd", "/", "", ".", "..", "...", "a/b\\c", "\t\n\r\x01\x1f\x7f",
    "caf\xe9 \xff\xfe", "C:\\Windows\\system32", "name.", "name ", " .hidden",
    "CON", "con", "NUL", "nul.txt", "Com1", "LPT9.mp4", "aux", "PRN",
    "a<b>c:d\"e|f?g*h", "🎬🎥📽️", "-rf", "--", "a..b", "..\\..\\boot.ini",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *name = cf_output_name_sanitize (inputs[i]);
      g_autofree char *take = cf_output_name_for_take (inputs[i], 12, 3);

      assert_safe_component (name);
      assert_safe_component (take);
      g_assert_true (g_str_has_suffix (take, "-s12-t3"));
    }
}

static void
test_output_name_specific (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "../../etc/passwd", "etc-passwd" },
    { "/", "untitled" },
    { "", "untitled" },
    { NULL, "untitled" },
    { ".", "untitled" },
    { "..", "untitled" },
    { "a/b\\c", "a-b-c" },
    { "CON", "_con" },
    { "nul", "_nul" },
    { "nul.txt", "_nul.txt" },
    { "console", "console" },
    { "caf\xe9 au lait", "caf-au-lait" },
    { "🎬 Film 🎥", "film" },
    { "Quảng cáo Cà phê", "quảng-cáo-cà-phê" },
    /* Decomposed input (as macOS writes it) comes out composed. */
    { "Ca\xcc\x80 phe\xcc\x82", "cà-phê" },
    { "a..b", "a.b" },
    { "v1.2 final", "v1.2-final" },
    { "tab\there", "tab-here" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = cf_output_name_sanitize (cases[i].in);

      g_assert_cmpstr (name, ==, cases[i].out);
    }
}

static void
test_output_name_long (void)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *take = NULL;

  /* Two-byte letters, so that a cut in the middle of a character would show. */
  for (guint i = 0; i < 1000; i++)
    g_string_append (title, i % 7 == 6 ? " " : "ệ");

  name = cf_output_name_sanitize (title->str);
  take = cf_output_name_for_take (title->str, 10000, 4);

  assert_safe_component (name);
  assert_safe_component (take);
  g_assert_true (g_str_has_suffix (take, "-s10000-t4"));
  g_assert_true (g_str_has_prefix (take, "ệệệ"));
}

static void
test_output_name_distinct (void)
{
  g_autofree char *a = cf_output_name_for_take ("Ads", 1, 1);
  g_autofree char *b = cf_output_name_for_take ("Ads", 1, 2);
  g_autofree char *c = cf_output_name_for_take ("Ads", 2, 1);

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (c, ==, "ads-s02-t1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/output-name/simple", test_output_name_simple);
  g_test_add_func ("/output-name/hostile", test_output_name_hostile);
  g_test_add_func ("/output-name/specific", test_output_name_specific);
  g_test_add_func ("/output-name/long", test_output_name_long);
  g_test_add_func ("/output-name/distinct", test_output_name_distinct);

  return g_test_run ();
}
