/* cf-download.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cf-download.h"
#include "cf-error.h"
#include "cf-http.h"

#define CHUNK_SIZE (64 * 1024)

/*
 * The .part file being written. It lives next to the final path (same folder,
 * so the rename is atomic) and is opened without following a symlink, so that
 * a planted link cannot make us write anywhere else.
 */
typedef struct
{
  char    *path;
  char    *part_path;
  int      fd;
  goffset  size;
  guint8   head[8];
} PartFile;

static void
part_file_discard (PartFile *part)
{
  if (part->fd >= 0)
    {
      close (part->fd);
      part->fd = -1;
    }

  if (part->part_path != NULL)
    g_unlink (part->part_path);

  g_clear_pointer (&part->path, g_free);
  g_clear_pointer (&part->part_path, g_free);
}

static gboolean
part_file_open (PartFile    *part,
                const char  *path,
                GError     **error)
{
  int saved_errno;

  part->fd = -1;
  part->size = 0;
  part->path = g_strdup (path);
  part->part_path = g_strconcat (path, ".part", NULL);
  part->fd = g_open (part->part_path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

  if (part->fd < 0)
    {
      g_autofree char *display = NULL;

      saved_errno = errno;
      display = g_filename_display_name (part->part_path);
      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
      /* Nothing of ours to remove: leave whatever was there alone. */
      g_clear_pointer (&part->part_path, g_free);
      g_clear_pointer (&part->path, g_free);
      return FALSE;
    }

  return TRUE;
}

static gboolean
not_an_mp4 (GError **error)
{
  g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                       _("The service sent something other than an MP4 video (an image or a "
                         "web page?)"));
  return FALSE;
}

static gboolean
part_file_write (PartFile      *part,
                 const guint8  *data,
                 gsize          length,
                 GError       **error)
{
  gsize done = 0;

  if (part->size + (goffset) length > CF_DOWNLOAD_MAX_SIZE)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                   _("The video is larger than %d GB"),
                   (int) (CF_DOWNLOAD_MAX_SIZE / (1024 * 1024 * 1024)));
      return FALSE;
    }

  /* Check the signature as soon as it has arrived, so that a web page or a
   * poster image is refused before it is downloaded whole. */
  if (part->size < 8)
    {
      gsize n = MIN (length, 8 - (gsize) part->size);

      memcpy (part->head + part->size, data, n);
      if (part->size + (goffset) n == 8 && memcmp (part->head + 4, "ftyp", 4) != 0)
        return not_an_mp4 (error);
    }

  while (done < length)
    {
      gssize n = write (part->fd, data + done, length - done);

      if (n < 0)
        {
          int saved_errno = errno;
          g_autofree char *display = NULL;

          if (saved_errno == EINTR)
            continue;

          display = g_filename_display_name (part->path);
          g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                       _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
          return FALSE;
        }

      done += n;
    }

  part->size += length;

  return TRUE;
}

static gboolean
read_exact_at (int      fd,
               guint8  *buffer,
               gsize    length,
               goffset  offset)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = pread (fd, buffer + done, length - done, offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }

  return TRUE;
}

/*
 * Walks the top-level MP4 boxes: they must fill the file exactly. A download
 * cut short (without the transport noticing) ends inside a box.
 */
static gboolean
part_file_check_boxes (PartFile  *part,
                       GError   **error)
{
  goffset offset = 0;

  if (part->size < 8 || memcmp (part->head + 4, "ftyp", 4) != 0)
    return not_an_mp4 (error);

  while (offset < part->size)
    {
      guint8 header[16];
      guint64 box_size;
      guint header_size = 8;

      if (part->size - offset < 8 || !read_exact_at (part->fd, header, 8, offset))
        goto truncated;

      box_size = ((guint64) header[0] << 24) | ((guint64) header[1] << 16)
                 | ((guint64) header[2] << 8) | header[3];

      if (box_size == 0)
        return TRUE;  /* the last box runs to the end of the file */

      if (box_size == 1)
        {
          if (part->size - offset < 16 || !read_exact_at (part->fd, header + 8, 8, offset + 8))
            goto truncated;
          box_size = 0;
          for (guint i = 8; i < 16; i++)
            box_size = (box_size << 8) | header[i];
          header_size = 16;
        }

      if (box_size < header_size)
        {
          g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                               _("The downloaded video is damaged"));
          return FALSE;
        }

      if (box_size > (guint64) (part->size - offset))
        goto truncated;

      offset += (goffset) box_size;
    }

  return TRUE;

truncated:
  g_set_error_literal (error, CF_ERROR, CF_ERROR_TRANSIENT,
                       _("The video download was cut short"));
  return FALSE;
}

static gboolean
part_file_commit (PartFile  *part,
                  GError   **error)
{
  g_autofree char *display = g_filename_display_name (part->path);
  g_autofree char *folder = NULL;
  int saved_errno;
  int dir_fd;

  if (!part_file_check_boxes (part, error))
    return FALSE;

  /*
   * Closed whatever the sync says: a failed sync must not leak the
   * descriptor. fdatasync () is enough: the size it flushes is all the
   * metadata a reader needs, and the timestamps are not worth a second write.
   */
  saved_errno = fdatasync (part->fd) != 0 ? errno : 0;
  if (close (part->fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  part->fd = -1;
  if (saved_errno != 0)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_rename (part->part_path, part->path) != 0)
    {
      saved_errno = errno;
      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  /* Make the rename itself durable. */
  folder = g_path_get_dirname (part->path);
  dir_fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  g_clear_pointer (&part->part_path, g_free);
  g_clear_pointer (&part->path, g_free);

  return TRUE;
}

char *
cf_download_dup_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  int port;

  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if ((g_str_equal (scheme, "https") && port == 443) || (g_str_equal (scheme, "http") && port == 80))
    port = -1;

  return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, host, port, "", NULL, NULL);
}

static char *
dup_host_for_message (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *scheme = NULL;

  if (uri == NULL)
    return g_strdup (_("an invalid address"));

  /* Only scheme and host: the rest of a signed URL is a credential. */
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);

  return g_strdup_printf ("%s://%s", scheme,
                          g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "");
}

static GError *
error_for_download_status (SoupMessage *message)
{
  guint status = soup_message_get_status (message);
  GError *error;

  switch (status)
    {
    case 401:
    case 403:
    case 404:
    case 410:
      return g_error_new (CF_ERROR, CF_ERROR_URL_EXPIRED,
                          _("The download link expired (HTTP %u)"), status);

    case 429:
      error = g_error_new (CF_ERROR, CF_ERROR_THROTTLED,
                           _("The download was throttled (HTTP %u)"), status);
      cf_error_set_retry_after_ms (error,
                                   cf_http_parse_retry_after_ms (
                                     soup_message_headers_get_one (
                                       soup_message_get_response_headers (message),
                                       "Retry-After")));
      return error;

    default:
      if (status == 408 || status >= 500)
        return g_error_new (CF_ERROR, CF_ERROR_TRANSIENT,
                            _("The download failed for now (HTTP %u)"), status);
      return g_error_new (CF_ERROR, CF_ERROR_PROTOCOL,
                          _("The download answered with an unexpected HTTP %u"), status);
    }
}

/* Copies the body of an answer into the part file. */
static gboolean
stream_to_part (GInputStream  *stream,
                PartFile      *part,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);
  GError *local_error = NULL;

  for (;;)
    {
      gssize n_read = g_input_stream_read (stream, buffer, CHUNK_SIZE, cancellable, &local_error);

      if (n_read < 0)
        {
          cf_http_propagate_transport_error (error, local_error);
          return FALSE;
        }

      if (n_read == 0)
        break;

      if (!part_file_write (part, buffer, n_read, error))
        return FALSE;
    }

  /* An empty or tiny answer never reached the signature check. */
  if (part->size < 8)
    return not_an_mp4 (error);

  return TRUE;
}

static void
abandon_stream (GInputStream *stream)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_cancellable_cancel (cancelled);
  g_input_stream_close (stream, cancelled, NULL);
}

gboolean
cf_download_url_to_file (SoupSession   *session,
                         CfEndpoints   *endpoints,
                         const char    *url,
                         const char    *auth_header,
                         const char    *auth_value,
                         const char    *auth_origin,
                         const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *current = NULL;
  PartFile part = { 0, };

  g_return_val_if_fail (SOUP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (endpoints != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (url == NULL)
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                           _("The service gave no download address"));
      return FALSE;
    }

  current = g_strdup (url);

  for (guint hop = 0; hop <= CF_DOWNLOAD_MAX_REDIRECTS; hop++)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autofree char *origin = NULL;
      SoupMessageHeaders *headers;
      GError *local_error = NULL;
      guint status;

      if (!cf_endpoints_is_download_allowed (endpoints, current))
        {
          g_autofree char *host = dup_host_for_message (current);

          g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                       _("The service gave a download address that is not its own (%s): "
                         "refused"), host);
          return FALSE;
        }

      message = soup_message_new ("GET", current);
      if (message == NULL)
        {
          g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                               _("The service gave an invalid download address"));
          return FALSE;
        }

      soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

      origin = cf_download_dup_origin (current);
      if (auth_header != NULL && auth_value != NULL && auth_origin != NULL
          && g_strcmp0 (origin, auth_origin) == 0)
        soup_message_headers_replace (soup_message_get_request_headers (message),
                                      auth_header, auth_value);

      stream = soup_session_send (session, message, cancellable, &local_error);
      if (stream == NULL)
        {
          cf_http_propagate_transport_error (error, local_error);
          return FALSE;
        }

      status = soup_message_get_status (message);
      headers = soup_message_get_response_headers (message);

      if (SOUP_STATUS_IS_REDIRECTION (status))
        {
          const char *location = soup_message_headers_get_one (headers, "Location");
          g_autoptr(GUri) next = NULL;

          abandon_stream (stream);

          if (location != NULL)
            next = g_uri_parse_relative (soup_message_get_uri (message), location,
                                         G_URI_FLAGS_NONE, NULL);
          if (next == NULL)
            {
              g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                           _("The download answered HTTP %u without a valid address"), status);
              return FALSE;
            }

          g_free (current);
          current = g_uri_to_string (next);
          continue;
        }

      if (status != SOUP_STATUS_OK)
        {
          abandon_stream (stream);
          g_propagate_error (error, error_for_download_status (message));
          return FALSE;
        }

      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
          && soup_message_headers_get_content_length (headers) > CF_DOWNLOAD_MAX_SIZE)
        {
          abandon_stream (stream);
          g_set_error (error, CF_ERROR, CF_ERROR_PROTOCOL,
                       _("The video is larger than %d GB"),
                       (int) (CF_DOWNLOAD_MAX_SIZE / (1024 * 1024 * 1024)));
          return FALSE;
        }

      if (!part_file_open (&part, path, error))
        {
          abandon_stream (stream);
          return FALSE;
        }

      if (!stream_to_part (stream, &part, cancellable, error))
        {
          abandon_stream (stream);
          part_file_discard (&part);
          return FALSE;
        }

      g_input_stream_close (stream, NULL, NULL);

      if (!part_file_commit (&part, error))
        {
          part_file_discard (&part);
          return FALSE;
        }

      return TRUE;
    }

  g_set_error_literal (error, CF_ERROR, CF_ERROR_PROTOCOL,
                       _("The download was redirected too many times"));
  return FALSE;
}

gboolean
cf_download_base64_to_file (const char    *base64,
                            const char    *path,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree guint8 *buffer = NULL;
  PartFile part = { 0, };
  gsize length;
  gsize offset = 0;
  int state = 0;
  guint save = 0;
  /* A multiple of 4, so that chunks split on base64 quanta. */
  const gsize in_chunk = 4 * 16 * 1024;

  g_return_val_if_fail (base64 != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  length = strlen (base64);
  buffer = g_malloc ((in_chunk / 4) * 3 + 3);

  if (!part_file_open (&part, path, error))
    return FALSE;

  while (offset < length)
    {
      gsize n = MIN (in_chunk, length - offset);
      gsize out;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          part_file_discard (&part);
          return FALSE;
        }

      out = g_base64_decode_step (base64 + offset, n, buffer, &state, &save);
      if (!part_file_write (&part, buffer, out, error))
        {
          part_file_discard (&part);
          return FALSE;
        }

      offset += n;
    }

  if (part.size < 8)
    {
      not_an_mp4 (error);
      part_file_discard (&part);
      return FALSE;
    }

  if (!part_file_commit (&part, error))
    {
      part_file_discard (&part);
      return FALSE;
    }

  return TRUE;
}

char *
cf_download_dup_sidecar_path (const char *video_path)
{
  gsize length;

  g_return_val_if_fail (video_path != NULL, NULL);

  length = strlen (video_path);
  if (length > 4 && g_ascii_strcasecmp (video_path + length - 4, ".mp4") == 0)
    length -= 4;

  return g_strdup_printf ("%.*s.json", (int) length, video_path);
}

static gboolean
is_secret_member (const char *name)
{
  static const char * const names[] = {
    "token", "tokens", "access_token", "api_key", "apikey", "key", "authorization",
    "bearer", "secret",
  };
  g_autofree char *folded = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (folded, names[i]))
        return TRUE;
    }

  return FALSE;
}

gboolean
cf_download_write_sidecar (const char  *video_path,
                           JsonNode    *fields,
                           GError     **error)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  int saved_errno = 0;
  int fd;

  g_return_val_if_fail (video_path != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (fields))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("The fields of a sidecar must be a JSON object"));
      return FALSE;
    }

  members = json_object_get_members (json_node_get_object (fields));
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (is_secret_member (l->data))
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("A sidecar may not hold the field “%s”"), (const char *) l->data);
          return FALSE;
        }
    }

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, fields);
  text = json_generator_to_data (generator, &length);

  /*
   * Written in place, without a sync and a rename: the sidecar only
   * describes a video that is already safe and nothing reads it back, while
   * a consistent write costs a temporary file, an fsync and a rename per take
   * (a third of the disk work of a whole download). A crash in the middle
   * leaves at worst a short sidecar beside a good video. Opened without
   * following a symlink, like the video's part file.
   */
  sidecar = cf_download_dup_sidecar_path (video_path);
  fd = g_open (sidecar, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    saved_errno = errno;
  else
    {
      const char *data = text;
      gsize left = length;

      while (left > 0 && saved_errno == 0)
        {
          gssize n = write (fd, data, left);

          if (n < 0 && errno != EINTR)
            saved_errno = errno;
          else if (n > 0)
            {
              data += n;
              left -= n;
            }
        }
      if (close (fd) != 0 && saved_errno == 0)
        saved_errno = errno;
    }

  if (saved_errno != 0)
    {
      g_autofree char *display = g_filename_display_name (sidecar);

      g_set_error (error, CF_ERROR, CF_ERROR_OUTPUT,
                   _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;

  if (usec <= 0)
    return;

  time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (time == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text = g_date_time_format_iso8601 (time));
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

gboolean
cf_download_write_take_sidecar (const char          *video_path,
                                const CfSidecarInfo *info,
                                GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (video_path != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  json_builder_begin_object (builder);
  add_string (builder, "prompt", info->prompt);
  json_builder_set_member_name (builder, "seed");
  if (info->seed >= 0)
    json_builder_add_int_value (builder, info->seed);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "model", info->model_key);
  add_string (builder, "account", info->account_name);
  add_string (builder, "name", info->handle_name);
  add_time (builder, "submitted_at", info->submitted_at);
  add_time (builder, "finished_at", info->finished_at);
  add_time (builder, "downloaded_at", info->downloaded_at);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return cf_download_write_sidecar (video_path, root, error);
}
