/* test-scene.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-scene.h"

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_scene_defaults (void)
{
  g_autoptr(CfScene) scene = cf_scene_new ("A lighthouse at dusk");

  g_assert_cmpstr (cf_scene_get_prompt (scene), ==, "A lighthouse at dusk");
  g_assert_cmpstr (cf_scene_get_title (scene), ==, "");
  g_assert_cmpstr (cf_scene_get_negative_prompt (scene), ==, "");
  g_assert_cmpint (cf_scene_get_aspect (scene), ==, CF_ASPECT_DEFAULT);
  g_assert_cmpuint (cf_scene_get_takes (scene), ==, 0);
  g_assert_cmpint (cf_scene_get_seed (scene), ==, -1);
  g_assert_cmpuint (cf_scene_get_number (scene), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&scene));
}

static void
test_scene_notify (void)
{
  g_autoptr(CfScene) scene = cf_scene_new (NULL);
  guint count = 0;

  g_signal_connect (scene, "notify", G_CALLBACK (count_notify_cb), &count);

  cf_scene_set_prompt (scene, "Sóng vỗ bờ");
  g_assert_cmpuint (count, ==, 1);
  cf_scene_set_prompt (scene, "Sóng vỗ bờ");
  g_assert_cmpuint (count, ==, 1);

  cf_scene_set_title (scene, "Biển");
  cf_scene_set_negative_prompt (scene, "blur");
  cf_scene_set_aspect (scene, CF_ASPECT_PORTRAIT);
  cf_scene_set_takes (scene, 2);
  cf_scene_set_seed (scene, 2147483647);
  cf_scene_set_number (scene, 3);
  g_assert_cmpuint (count, ==, 7);

  /* Setting the same values again notifies nothing (EXPLICIT_NOTIFY). */
  g_object_set (scene,
                "title", "Biển",
                "negative-prompt", "blur",
                "aspect", CF_ASPECT_PORTRAIT,
                "takes", 2,
                "seed", (gint64) 2147483647,
                "number", 3,
                NULL);
  g_assert_cmpuint (count, ==, 7);

  /* NULL is the empty string, never NULL. */
  cf_scene_set_title (scene, NULL);
  g_assert_cmpstr (cf_scene_get_title (scene), ==, "");
  g_assert_cmpuint (count, ==, 8);
}

static void
test_scene_copy (void)
{
  g_autoptr(CfScene) scene = cf_scene_new ("Đèn lồng Hội An");
  g_autoptr(CfScene) copy = NULL;

  cf_scene_set_title (scene, "Phố cổ");
  cf_scene_set_negative_prompt (scene, "people");
  cf_scene_set_aspect (scene, CF_ASPECT_SQUARE);
  cf_scene_set_takes (scene, 4);
  cf_scene_set_seed (scene, 0);
  cf_scene_set_number (scene, 9);

  copy = cf_scene_copy (scene);
  g_assert_true (copy != scene);
  g_assert_cmpstr (cf_scene_get_prompt (copy), ==, "Đèn lồng Hội An");
  g_assert_cmpstr (cf_scene_get_title (copy), ==, "Phố cổ");
  g_assert_cmpstr (cf_scene_get_negative_prompt (copy), ==, "people");
  g_assert_cmpint (cf_scene_get_aspect (copy), ==, CF_ASPECT_SQUARE);
  g_assert_cmpuint (cf_scene_get_takes (copy), ==, 4);
  g_assert_cmpint (cf_scene_get_seed (copy), ==, 0);
  g_assert_cmpuint (cf_scene_get_number (copy), ==, 9);

  /* A deep copy: editing one leaves the other alone. */
  cf_scene_set_prompt (scene, "changed");
  g_assert_cmpstr (cf_scene_get_prompt (copy), ==, "Đèn lồng Hội An");

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&scene));
}

static void
test_scene_properties (void)
{
  g_autoptr(CfScene) scene = cf_scene_new ("x");
  g_autofree char *prompt = NULL;
  CfAspect aspect = CF_ASPECT_DEFAULT;
  gint64 seed = 0;

  cf_scene_set_aspect (scene, CF_ASPECT_LANDSCAPE);
  g_object_get (scene, "prompt", &prompt, "aspect", &aspect, "seed", &seed, NULL);
  g_assert_cmpstr (prompt, ==, "x");
  g_assert_cmpint (aspect, ==, CF_ASPECT_LANDSCAPE);
  g_assert_cmpint (seed, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scene/defaults", test_scene_defaults);
  g_test_add_func ("/scene/notify", test_scene_notify);
  g_test_add_func ("/scene/copy", test_scene_copy);
  g_test_add_func ("/scene/properties", test_scene_properties);

  return g_test_run ();
}
