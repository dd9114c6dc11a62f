/* cf-endpoints.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cf-endpoints.h"
#include "cf-error.h"

struct _CfEndpoints
{
  gatomicrefcount  ref_count;
  char            *labs_api;
  char            *labs_web;
  char            *gemini_api;

  /* When set, downloads may come from this origin only (the simulator). */
  char            *origin_scheme;
  char            *origin_host;
  int              origin_port;
};

G_DEFINE_BOXED_TYPE (CfEndpoints, cf_endpoints, cf_endpoints_ref, cf_endpoints_unref)

/* The hosts Google serves finished videos and their redirects from. */
static const char * const google_download_hosts[] = {
  "aisandbox-pa.googleapis.com",
  "labs.google",
  "storage.googleapis.com",
  "generativelanguage.googleapis.com",
};

static CfEndpoints *
cf_endpoints_alloc (void)
{
  CfEndpoints *self = g_new0 (CfEndpoints, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->origin_port = -1;

  return self;
}

CfEndpoints *
cf_endpoints_new_google (void)
{
  CfEndpoints *self = cf_endpoints_alloc ();

  self->labs_api = g_strdup ("https://aisandbox-pa.googleapis.com/v1");
  self->labs_web = g_strdup ("https://labs.google");
  self->gemini_api = g_strdup ("https://generativelanguage.googleapis.com/v1beta");

  return self;
}

static int
default_port (const char *scheme)
{
  return g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
}

CfEndpoints *
cf_endpoints_new_for_origin (const char  *origin,
                             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *base = NULL;
  CfEndpoints *self;
  const char *scheme;
  const char *path;

  g_return_val_if_fail (origin != NULL, NULL);

  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("“%s” is not a valid service address"), origin);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  path = g_uri_get_path (uri);

  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL
      || g_uri_get_host (uri)[0] == '\0'
      || g_uri_get_userinfo (uri) != NULL
      || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL
      || (path[0] != '\0' && g_strcmp0 (path, "/") != 0))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("“%s” is not an http or https origin such as http://127.0.0.1:8080"),
                   origin);
      return NULL;
    }

  self = cf_endpoints_alloc ();
  self->origin_scheme = g_ascii_strdown (scheme, -1);
  self->origin_host = g_ascii_strdown (g_uri_get_host (uri), -1);
  self->origin_port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                                               : default_port (self->origin_scheme);

  /* Rebuild the origin rather than trusting the caller's spelling of it. */
  base = g_uri_join (G_URI_FLAGS_NONE, self->origin_scheme, NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
  self->labs_api = g_strconcat (base, "/v1", NULL);
  self->labs_web = g_strdup (base);
  self->gemini_api = g_strconcat (base, "/v1beta", NULL);

  return self;
}

CfEndpoints *
cf_endpoints_ref (CfEndpoints *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
cf_endpoints_unref (CfEndpoints *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->labs_api);
      g_free (self->labs_web);
      g_free (self->gemini_api);
      g_free (self->origin_scheme);
      g_free (self->origin_host);
      g_free (self);
    }
}

const char *
cf_endpoints_get_labs_api (CfEndpoints *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->labs_api;
}

const char *
cf_endpoints_get_labs_web (CfEndpoints *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->labs_web;
}

const char *
cf_endpoints_get_gemini_api (CfEndpoints *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->gemini_api;
}

static gboolean
is_google_download_host (const char *host)
{
  for (guint i = 0; i < G_N_ELEMENTS (google_download_hosts); i++)
    {
      if (g_ascii_strcasecmp (host, google_download_hosts[i]) == 0)
        return TRUE;
    }

  /* Any subdomain of googleusercontent.com, but not a look-alike such as
   * "evilgoogleusercontent.com" nor the bare domain. */
  if (g_str_has_suffix (host, ".googleusercontent.com")
      && strlen (host) > strlen (".googleusercontent.com"))
    return TRUE;

  return FALSE;
}

gboolean
cf_endpoints_is_download_allowed (CfEndpoints *self,
                                  const char  *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  const char *scheme;
  int port;

  g_return_val_if_fail (self != NULL, FALSE);

  if (url == NULL || url[0] == '\0')
    return FALSE;

  /* Control characters or spaces have no business in a URL from the service. */
  for (const char *p = url; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || *p == 0x7f || *p == '\\')
        return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_host (uri) == NULL)
    return FALSE;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (host[0] == '\0' || g_str_has_suffix (host, "."))
    return FALSE;

  port = g_uri_get_port (uri);

  if (self->origin_host != NULL)
    {
      if (g_ascii_strcasecmp (scheme, self->origin_scheme) != 0)
        return FALSE;
      if (port <= 0)
        port = default_port (scheme);
      return g_str_equal (host, self->origin_host) && port == self->origin_port;
    }

  if (g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;
  if (port > 0 && port != 443)
    return FALSE;

  return is_google_download_host (host);
}

gboolean
cf_endpoints_is_loopback (CfEndpoints *self)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->origin_host == NULL)
    return FALSE;

  if (g_str_equal (self->origin_host, "localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (self->origin_host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}
