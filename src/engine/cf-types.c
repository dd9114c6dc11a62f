/* cf-types.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-types.h"

const char *
cf_aspect_to_string (CfAspect aspect)
{
  switch (aspect)
    {
    case CF_ASPECT_LANDSCAPE: return "16:9";
    case CF_ASPECT_PORTRAIT: return "9:16";
    case CF_ASPECT_SQUARE: return "1:1";
    case CF_ASPECT_DEFAULT:
    default:
      return NULL;
    }
}

gboolean
cf_aspect_from_string (const char *text,
                       CfAspect   *aspect)
{
  static const struct { const char *name; CfAspect aspect; } names[] = {
    { "16:9", CF_ASPECT_LANDSCAPE },
    { "landscape", CF_ASPECT_LANDSCAPE },
    { "9:16", CF_ASPECT_PORTRAIT },
    { "portrait", CF_ASPECT_PORTRAIT },
    { "1:1", CF_ASPECT_SQUARE },
    { "square", CF_ASPECT_SQUARE },
  };
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (aspect != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  stripped = g_strstrip (g_ascii_strdown (text, -1));

  if (stripped[0] == '\0' || g_str_equal (stripped, "default"))
    {
      *aspect = CF_ASPECT_DEFAULT;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (stripped, names[i].name))
        {
          *aspect = names[i].aspect;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cf_account_kind_to_string (CfAccountKind kind)
{
  return kind == CF_ACCOUNT_KIND_GEMINI ? "gemini" : "labs";
}

gboolean
cf_account_kind_from_string (const char    *text,
                             CfAccountKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (g_strcmp0 (text, "labs") == 0)
    *kind = CF_ACCOUNT_KIND_LABS;
  else if (g_strcmp0 (text, "gemini") == 0)
    *kind = CF_ACCOUNT_KIND_GEMINI;
  else
    return FALSE;

  return TRUE;
}
