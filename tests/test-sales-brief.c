/* test-sales-brief.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cf-error.h"
#include "cf-sales-brief.h"
#include "cf-script-io.h"

static CfSalesBrief *
make_brief (void)
{
  static const char * const features[] = {
    "brews cold coffee in 5 minutes",
    "fits in a backpack",
    "no filters to clean",
    NULL,
  };
  CfSalesBrief *brief = cf_sales_brief_new ();

  cf_sales_brief_set_product_name (brief, "Brewly Go");
  cf_sales_brief_set_description (brief, "a pocket cold-brew coffee maker");
  cf_sales_brief_set_features (brief, features);
  cf_sales_brief_set_audience (brief, "busy young professionals");
  cf_sales_brief_set_offer (brief, "20% off in launch week, now 49 dollars");
  cf_sales_brief_set_call_to_action (brief, "Order yours today at brewly.example");
  cf_sales_brief_set_style (brief, "bright, modern, cinematic");
  cf_sales_brief_set_n_scenes (brief, 7);
  cf_sales_brief_set_aspect (brief, CF_ASPECT_PORTRAIT);
  cf_sales_brief_set_language (brief, "en");

  return brief;
}

static CfScript *
build (CfSalesBrief *brief)
{
  g_autoptr(GError) error = NULL;
  CfScript *script = cf_sales_brief_build_script (brief, &error);

  g_assert_no_error (error);
  g_assert_nonnull (script);

  return script;
}

/* The arc rank of an English scene title; the arc may merge or repeat, never go back. */
static int
stage_rank (const char *title)
{
  static const struct { const char *prefix; int rank; } ranks[] = {
    { "Hook", 0 },
    { "The problem", 1 },
    { "Product reveal", 2 },
    { "Reveal and features", 2 },
    { "Feature", 3 },
    { "Proof", 4 },
    { "The offer", 5 },
    { "Offer and call to action", 5 },
    { "Call to action", 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ranks); i++)
    {
      if (g_str_has_prefix (title, ranks[i].prefix))
        return ranks[i].rank;
    }

  g_error ("unknown scene title “%s”", title);
  return -1;
}

static void
test_sales_brief_validate (void)
{
  static const char * const two[] = { "a", "  ", "b", NULL };
  static const char * const six[] = { "a", "b", "c", "d", "e", "f", NULL };
  struct {
    const char *property;
    const char *expect;
  } cases[] = {
    { "product-name", "product name" },
    { "description", "what the product is" },
    { "audience", "target audience" },
    { "offer", "offer or the price" },
    { "call-to-action", "call to action" },
    { "style", "visual style" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CfSalesBrief) brief = make_brief ();
      g_autoptr(GError) error = NULL;

      /* White space alone is as empty as nothing. */
      g_object_set (brief, cases[i].property, " \n\t ", NULL);
      g_assert_false (cf_sales_brief_validate (brief, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
      g_clear_error (&error);

      g_assert_null (cf_sales_brief_build_script (brief, &error));
      g_assert_error (error, CF_ERROR, CF_ERROR_BAD_INPUT);
    }

  {
    g_autoptr(CfSalesBrief) brief = make_brief ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) long_name = g_string_new (NULL);

    g_assert_true (cf_sales_brief_validate (brief, &error));
    g_assert_no_error (error);

    cf_sales_brief_set_features (brief, two);
    g_assert_false (cf_sales_brief_validate (brief, &error));
    g_assert_nonnull (strstr (error->message, "at least 3 key features (you have 2)"));
    g_clear_error (&error);

    cf_sales_brief_set_features (brief, six);
    g_assert_false (cf_sales_brief_validate (brief, &error));
    g_assert_nonnull (strstr (error->message, "at most 5 key features (you have 6)"));
    g_clear_error (&error);

    cf_sales_brief_set_features (brief, NULL);
    g_assert_false (cf_sales_brief_validate (brief, &error));
    g_assert_nonnull (strstr (error->message, "you have 0"));
    g_clear_error (&error);
    g_clear_object (&brief);

    brief = make_brief ();
    for (guint i = 0; i < 81; i++)
      g_string_append (long_name, "ư");
    cf_sales_brief_set_product_name (brief, long_name->str);
    g_assert_false (cf_sales_brief_validate (brief, &error));
    g_assert_nonnull (strstr (error->message, "The product name is too long (81 characters)"));
    g_clear_error (&error);
    g_clear_object (&brief);

    brief = make_brief ();
    cf_sales_brief_set_n_scenes (brief, 2);
    g_assert_false (cf_sales_brief_validate (brief, &error));
    g_assert_nonnull (strstr (error->message, "number of scenes must be from 3 to 12 (it is 2)"));
    g_clear_error (&error);
    cf_sales_brief_set_n_scenes (brief, 13);
    g_assert_false (cf_sales_brief_validate (brief, &error));
    g_clear_error (&error);
    cf_sales_brief_set_n_scenes (brief, 12);
    cf_sales_brief_set_language (brief, "fr");
    g_assert_false (cf_sales_brief_validate (brief, &error));
    g_assert_nonnull (strstr (error->message, "English or Vietnamese"));
    g_clear_error (&error);
    cf_sales_brief_set_language (brief, "vi_VN");
    g_assert_true (cf_sales_brief_validate (brief, &error));
  }
}

static void
test_sales_brief_deterministic (void)
{
  g_autoptr(CfSalesBrief) a = make_brief ();
  g_autoptr(CfSalesBrief) b = make_brief ();
  g_autoptr(CfScript) first = build (a);
  g_autoptr(CfScript) again = build (a);
  g_autoptr(CfScript) twin = build (b);
  g_autofree char *first_json = cf_script_serialize (first, CF_SCRIPT_FORMAT_JSON, NULL);
  g_autofree char *again_json = cf_script_serialize (again, CF_SCRIPT_FORMAT_JSON, NULL);
  g_autofree char *twin_json = cf_script_serialize (twin, CF_SCRIPT_FORMAT_JSON, NULL);

  g_assert_cmpstr (first_json, ==, again_json);
  g_assert_cmpstr (first_json, ==, twin_json);
}

/* The vocabulary depends on the brief: a dozen products do not all get the same shots. */
static void
test_sales_brief_varied (void)
{
  g_autoptr(GHashTable) hooks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(CfSalesBrief) brief = make_brief ();
      g_autofree char *name = g_strdup_printf ("Product %u", i);
      g_autoptr(CfScript) script = NULL;
      const char *prompt;

      cf_sales_brief_set_product_name (brief, name);
      script = build (brief);
      prompt = cf_scene_get_prompt (cf_script_get_scene (script, 0));
      /* The camera move is what the prompt starts with. */
      g_hash_table_add (hooks, g_strndup (prompt, strstr (prompt, " opens") - prompt));
    }

  g_assert_cmpuint (g_hash_table_size (hooks), >, 1);
}

static void
test_sales_brief_arc (void)
{
  for (guint n = 3; n <= 12; n++)
    {
      g_autoptr(CfSalesBrief) brief = make_brief ();
      g_autoptr(CfScript) script = NULL;
      const char * const *features;
      int last_rank = -1;
      gboolean has_offer = FALSE;

      cf_sales_brief_set_n_scenes (brief, n);
      script = build (brief);

      g_assert_cmpuint (cf_script_get_n_scenes (script), ==, n);
      g_assert_cmpstr (cf_script_get_title (script), ==, "Brewly Go");
      g_assert_cmpint (cf_script_get_default_aspect (script), ==, CF_ASPECT_PORTRAIT);

      for (guint i = 0; i < n; i++)
        {
          CfScene *scene = cf_script_get_scene (script, i);
          const char *title = cf_scene_get_title (scene);
          const char *prompt = cf_scene_get_prompt (scene);
          int rank = stage_rank (title);

          g_assert_cmpint (rank, >=, last_rank);
          last_rank = rank;
          has_offer |= strstr (prompt, "20% off in launch week") != NULL;

          g_assert_cmpuint (cf_scene_get_number (scene), ==, i + 1);
          g_assert_nonnull (strstr (prompt, "Brewly Go"));
          g_assert_nonnull (strstr (prompt, "bright, modern, cinematic"));
          g_assert_nonnull (strstr (prompt, "9:16"));
          g_assert_nonnull (strstr (prompt, "Lighting: "));
          g_assert_cmpuint (strlen (prompt), >, 150);
          g_assert_cmpstr (cf_scene_get_negative_prompt (scene), !=, "");
        }

      /* It opens with a hook and ends asking the viewer to act, with the offer made. */
      g_assert_cmpint (stage_rank (cf_scene_get_title (cf_script_get_scene (script, 0))), ==, 0);
      g_assert_true (g_str_has_suffix (cf_scene_get_title (cf_script_get_scene (script, n - 1)),
                                       "all to action"));
      g_assert_true (has_offer);
      g_assert_nonnull (strstr (cf_scene_get_prompt (cf_script_get_scene (script, n - 1)),
                                "Order yours today at brewly.example"));

      /* Every feature is shown somewhere. */
      features = cf_sales_brief_get_features (brief);
      for (guint f = 0; features[f] != NULL; f++)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < n && !found; i++)
            found = strstr (cf_scene_get_prompt (cf_script_get_scene (script, i)),
                            features[f]) != NULL;
          g_assert_true (found);
        }

      /* From seven scenes on, every stage of the arc has its own scene. */
      if (n >= 7)
        g_assert_cmpint (last_rank, ==, 6);
    }
}

static void
test_sales_brief_twelve (void)
{
  static const char * const five[] = { "one", "two", "three", "four", "five", NULL };
  g_autoptr(CfSalesBrief) brief = make_brief ();
  g_autoptr(CfScript) script = NULL;
  guint n_features = 0;
  guint n_proofs = 0;

  cf_sales_brief_set_features (brief, five);
  cf_sales_brief_set_n_scenes (brief, 12);
  script = build (brief);

  for (guint i = 0; i < 12; i++)
    {
      const char *title = cf_scene_get_title (cf_script_get_scene (script, i));

      n_features += g_str_has_prefix (title, "Feature");
      n_proofs += g_str_has_prefix (title, "Proof");
    }

  g_assert_cmpuint (n_features, ==, 4);
  g_assert_cmpuint (n_proofs, ==, 3);
}

static void
test_sales_brief_vietnamese (void)
{
  static const char * const features[] = {
    "pha lạnh trong 5 phút", "nhỏ gọn bỏ túi", "không cần lọc", "pin 2 ngày", NULL,
  };
  static const char * const expected[] = {
    "Mở đầu", "Vấn đề", "Giới thiệu sản phẩm", "Tính năng: pha lạnh trong 5 phút",
    "Bằng chứng", "Ưu đãi", "Kêu gọi hành động",
  };
  g_autoptr(CfSalesBrief) brief = make_brief ();
  g_autoptr(CfScript) script = NULL;
  g_autoptr(CfScript) three = NULL;
  g_autoptr(CfScript) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  cf_sales_brief_set_product_name (brief, "Cà phê Sữa Đá");
  cf_sales_brief_set_features (brief, features);
  cf_sales_brief_set_audience (brief, "dân văn phòng trẻ ở Sài Gòn");
  cf_sales_brief_set_style (brief, "tươi sáng, hiện đại");
  cf_sales_brief_set_language (brief, "vi");
  cf_sales_brief_set_n_scenes (brief, 7);
  script = build (brief);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CfScene *scene = cf_script_get_scene (script, i);
      const char *title = cf_scene_get_title (scene);

      g_assert_true (g_utf8_validate (title, -1, NULL));
      /* With one feature scene for four features, it shows them all. */
      if (i == 3)
        g_assert_cmpstr (title, ==, "Tính năng");
      else
        g_assert_true (g_str_has_prefix (title, expected[i]));
      g_assert_nonnull (strstr (cf_scene_get_prompt (scene), "Cà phê Sữa Đá"));
      g_assert_nonnull (strstr (cf_scene_get_prompt (scene), "tươi sáng, hiện đại"));
    }
  g_assert_cmpstr (cf_script_get_title (script), ==, "Cà phê Sữa Đá");

  cf_sales_brief_set_n_scenes (brief, 3);
  three = build (brief);
  g_assert_cmpstr (cf_scene_get_title (cf_script_get_scene (three, 1)), ==,
                   "Giới thiệu và tính năng");
  g_assert_cmpstr (cf_scene_get_title (cf_script_get_scene (three, 2)), ==,
                   "Ưu đãi và kêu gọi hành động");

  /* The result is an ordinary script: it saves, loads and can be edited. */
  json = cf_script_serialize (script, CF_SCRIPT_FORMAT_JSON, NULL);
  back = cf_script_parse (json, strlen (json), CF_SCRIPT_FORMAT_JSON, "brief", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cf_scene_get_title (cf_script_get_scene (back, 0)), ==, "Mở đầu");
  cf_script_remove_scene (back, 1);
  g_assert_cmpuint (cf_scene_get_number (cf_script_get_scene (back, 1)), ==, 2);
}

static void
test_sales_brief_tidy (void)
{
  g_autoptr(CfSalesBrief) brief = make_brief ();
  g_autoptr(CfScript) script = NULL;
  const char *prompt;

  /* Line breaks and runs of spaces from a multi-line form field become single spaces. */
  cf_sales_brief_set_product_name (brief, "  Brewly\n   Go  ");
  script = build (brief);
  prompt = cf_scene_get_prompt (cf_script_get_scene (script, 0));
  g_assert_nonnull (strstr (prompt, "Brewly Go"));
  g_assert_null (strchr (prompt, '\n'));
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_sales_brief_properties (void)
{
  static const char * const features[] = { "a", "b", "c", NULL };
  CfSalesBrief *brief = cf_sales_brief_new ();
  g_auto(GStrv) got = NULL;
  guint count = 0;

  g_assert_cmpuint (cf_sales_brief_get_n_scenes (brief), ==, 7);
  g_assert_cmpstr (cf_sales_brief_get_language (brief), ==, "en");
  g_assert_nonnull (cf_sales_brief_get_features (brief));

  g_signal_connect (brief, "notify", G_CALLBACK (notify_count_cb), &count);
  cf_sales_brief_set_features (brief, features);
  cf_sales_brief_set_features (brief, features);
  cf_sales_brief_set_style (brief, "noir");
  cf_sales_brief_set_style (brief, "noir");
  cf_sales_brief_set_n_scenes (brief, 5);
  cf_sales_brief_set_n_scenes (brief, 5);
  g_assert_cmpuint (count, ==, 3);

  g_object_get (brief, "features", &got, NULL);
  g_assert_cmpstrv (got, features);

  g_assert_finalize_object (brief);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sales-brief/validate", test_sales_brief_validate);
  g_test_add_func ("/sales-brief/deterministic", test_sales_brief_deterministic);
  g_test_add_func ("/sales-brief/varied", test_sales_brief_varied);
  g_test_add_func ("/sales-brief/arc", test_sales_brief_arc);
  g_test_add_func ("/sales-brief/twelve", test_sales_brief_twelve);
  g_test_add_func ("/sales-brief/vietnamese", test_sales_brief_vietnamese);
  g_test_add_func ("/sales-brief/tidy", test_sales_brief_tidy);
  g_test_add_func ("/sales-brief/properties", test_sales_brief_properties);

  return g_test_run ();
}
