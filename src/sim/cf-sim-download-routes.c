/* cf-sim-download-routes.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cf-sim-private.h"

/*
 * The two places videos come from: Cloud-Storage-like signed URLs for Labs
 * takes (and their poster images) and the Gemini Files API. Called with the
 * state lock held.
 */

#define STORAGE_PREFIX "/storage/ai-sandbox-videofx/"
#define FILES_PREFIX "/v1beta/files/"
#define FILES_SUFFIX ":download"

/* Splits "/storage/ai-sandbox-videofx/KIND/ID" into its kind and id. */
static gboolean
parse_storage_path (const char  *path,
                    char       **kind,
                    char       **id)
{
  const char *rest;
  const char *slash;

  if (!g_str_has_prefix (path, STORAGE_PREFIX))
    return FALSE;
  rest = path + strlen (STORAGE_PREFIX);
  slash = strchr (rest, '/');
  if (slash == NULL || strchr (slash + 1, '/') != NULL || slash[1] == '\0')
    return FALSE;
  *kind = g_strndup (rest, slash - rest);
  *id = g_strdup (slash + 1);
  return g_str_equal (*kind, "video") || g_str_equal (*kind, "image");
}

static char *
parse_files_path (const char *path)
{
  const char *rest;

  if (!g_str_has_prefix (path, FILES_PREFIX))
    return NULL;
  rest = path + strlen (FILES_PREFIX);
  if (!g_str_has_suffix (rest, FILES_SUFFIX) || strlen (rest) <= strlen (FILES_SUFFIX))
    return NULL;
  return g_strndup (rest, strlen (rest) - strlen (FILES_SUFFIX));
}

CfSimTake *
cf_sim_download_find_take (CfSimState         *st,
                           const CfSimRequest *req)
{
  g_autofree char *kind = NULL;
  g_autofree char *id = NULL;

  if (parse_storage_path (req->path, &kind, &id))
    return g_hash_table_lookup (st->videos, id);
  g_clear_pointer (&id, g_free);
  id = parse_files_path (req->path);
  if (id != NULL)
    return g_hash_table_lookup (st->videos, id);
  return NULL;
}

static void
storage_error (CfSimReply *reply,
               guint       status,
               const char *code,
               const char *message)
{
  g_autofree char *xml = g_strdup_printf ("<?xml version='1.0' encoding='UTF-8'?>"
                                          "<Error><Code>%s</Code><Message>%s</Message></Error>",
                                          code, message);

  cf_sim_reply_clear (reply);
  reply->status = status;
  reply->content_type = "application/xml; charset=UTF-8";
  reply->body = g_bytes_new (xml, strlen (xml));
}

static void
serve_video (CfSimState         *st,
             const CfSimRequest *req,
             CfSimTake          *take,
             CfSimReply         *reply)
{
  double now = cf_sim_clock_now (st);

  /* A HEAD only looks: the statistics count what was fetched. */
  if (g_str_equal (req->method, "GET"))
    {
      if (take->downloaded_at < 0)
        take->downloaded_at = now;
      take->downloads++;
    }
  reply->status = 200;
  reply->content_type = "video/mp4";
  reply->body = g_bytes_ref (st->clips[take->clip % st->n_clips]);
}

void
cf_sim_storage_route (CfSimState         *st,
                      const CfSimRequest *req,
                      CfSimReply         *reply)
{
  g_autofree char *kind = NULL;
  g_autofree char *id = NULL;
  g_autofree char *signature = NULL;
  const char *expires;
  const char *given;
  CfSimTake *take;
  gint64 expires_at;
  char *end = NULL;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      storage_error (reply, 405, "MethodNotAllowed", "The method is not allowed.");
      return;
    }
  if (!parse_storage_path (req->path, &kind, &id))
    {
      storage_error (reply, 404, "NoSuchKey", "The specified key does not exist.");
      return;
    }
  expires = req->query != NULL ? g_hash_table_lookup (req->query, "Expires") : NULL;
  given = req->query != NULL ? g_hash_table_lookup (req->query, "Signature") : NULL;
  if (expires == NULL || given == NULL
      || req->query == NULL || g_hash_table_lookup (req->query, "GoogleAccessId") == NULL)
    {
      storage_error (reply, 403, "AccessDenied", "Anonymous caller does not have "
                     "storage.objects.get access to the object.");
      return;
    }
  signature = cf_sim_sign (st, kind, id, expires);
  if (!g_str_equal (signature, given))
    {
      storage_error (reply, 403, "SignatureDoesNotMatch", "The request signature we "
                     "calculated does not match the signature you provided.");
      return;
    }
  expires_at = g_ascii_strtoll (expires, &end, 10);
  if (req->fault == CF_SIM_FAULT_EXPIRED_URL
      || expires_at < cf_sim_clock_to_epoch (st, cf_sim_clock_now (st)))
    {
      storage_error (reply, 403, "ExpiredToken", "Invalid argument: the provided token has "
                     "expired.");
      return;
    }
  take = g_hash_table_lookup (st->videos, id);
  if (take == NULL)
    {
      storage_error (reply, 404, "NoSuchKey", "The specified key does not exist.");
      return;
    }
  if (g_str_equal (kind, "image"))
    {
      reply->status = 200;
      reply->content_type = "image/jpeg";
      reply->body = g_bytes_ref (st->poster);
      return;
    }
  serve_video (st, req, take, reply);
}

void
cf_sim_files_route (CfSimState         *st,
                    const CfSimRequest *req,
                    CfSimReply         *reply)
{
  g_autofree char *id = parse_files_path (req->path);
  CfSimAccount *account;
  CfSimTake *take;
  const char *alt;
  double now;

  if (!g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      cf_sim_reply_error (reply, 405, NULL, NULL, NULL, -1, "Method not allowed.");
      return;
    }
  if (id == NULL)
    {
      cf_sim_reply_error (reply, 404, NULL, NULL, NULL, -1,
                          "The requested URL %s was not found on this server.", req->path);
      return;
    }

  account = cf_sim_gemini_find_account (st, req);
  if (account == NULL)
    {
      const char *key = soup_message_headers_get_one (req->headers, "x-goog-api-key");

      if (key == NULL && req->query != NULL)
        key = g_hash_table_lookup (req->query, "key");
      if (key == NULL)
        cf_sim_reply_error (reply, 403, NULL, NULL, NULL, -1,
                            "Method doesn't allow unregistered callers (callers without "
                            "established identity). Please use API Key or other form of API "
                            "consumer identity to call this API.");
      else
        cf_sim_reply_error (reply, 400, "API_KEY_INVALID", "googleapis.com", NULL, -1,
                            "API key not valid. Please pass a valid API key.");
      return;
    }
  if (account->permission_denied)
    {
      cf_sim_gemini_reply_permission_denied (account, reply);
      return;
    }

  now = cf_sim_clock_now (st);
  take = g_hash_table_lookup (st->videos, id);
  if (take == NULL || take->shape != CF_SIM_SHAPE_GEMINI || take->inline_video
      || cf_sim_take_status (take, now) != CF_SIM_STATUS_SUCCESSFUL)
    {
      cf_sim_reply_error (reply, 404, NULL, NULL, NULL, -1,
                          "File files/%s was not found.", id);
      return;
    }
  if (take->account != account)
    {
      cf_sim_reply_error (reply, 403, NULL, NULL, NULL, -1,
                          "You do not have permission to access the File files/%s or it may "
                          "not exist.", id);
      return;
    }
  /* Files are kept file_ttl_seconds (two days) after the take finished. */
  if (req->fault == CF_SIM_FAULT_EXPIRED_URL
      || now > take->finished_at + st->config->file_ttl_seconds)
    {
      cf_sim_reply_error (reply, 404, NULL, NULL, NULL, -1,
                          "File files/%s has expired and was deleted.", id);
      return;
    }

  alt = req->query != NULL ? g_hash_table_lookup (req->query, "alt") : NULL;
  if (g_strcmp0 (alt, "media") != 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *name = g_strconcat ("files/", id, NULL);
      g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT,
                                               g_bytes_get_size (st->clips[take->clip % st->n_clips]));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "mimeType");
      json_builder_add_string_value (builder, "video/mp4");
      json_builder_set_member_name (builder, "sizeBytes");
      json_builder_add_string_value (builder, size);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, "ACTIVE");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cf_sim_reply_json (reply, 200, root);
      return;
    }
  serve_video (st, req, take, reply);
}
