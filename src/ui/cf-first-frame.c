/* cf-first-frame.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * filesrc ! decodebin ! videoconvert ! videoscale ! RGB ! fakesink, taken
 * to PAUSED: a paused pipeline prerolls, its sink holds the first frame
 * and nothing plays. Only the first video stream is linked; a sound
 * stream is left undecoded (autoplug-continue stops it at its
 * compressed form) and unlinked.
 */

#include "config.h"

#include <gst/gst.h>

#include "cf-first-frame.h"

/* How often a wait looks at the cancellable and at what decodebin found. */
#define WAKE_MS 100

/* What decodebin's streaming threads found, read by the waiting thread. */
typedef struct
{
  GstElement *convert;
  gint        n_streams;    /* atomic: pads decodebin exposed */
  gint        no_video;     /* atomic: every stream exposed, none is video */
  gint        link_failed;  /* atomic: the video stream would not link */
} Streams;

static gboolean
caps_have_prefix (GstCaps    *caps,
                  const char *prefix)
{
  return caps != NULL && !gst_caps_is_empty (caps)
         && g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), prefix);
}

/* Sound is not decoded: FALSE exposes it as it is, and nothing links it. */
static gboolean
autoplug_continue_cb (GstElement *decodebin,
                      GstPad     *pad,
                      GstCaps    *caps,
                      Streams    *streams)
{
  return !caps_have_prefix (caps, "audio/");
}

static void
pad_added_cb (GstElement *decodebin,
              GstPad     *pad,
              Streams    *streams)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) sink = gst_element_get_static_pad (streams->convert, "sink");

  g_atomic_int_inc (&streams->n_streams);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (!caps_have_prefix (caps, "video/") || gst_pad_is_linked (sink))
    return;
  if (GST_PAD_LINK_FAILED (gst_pad_link (pad, sink)))
    g_atomic_int_set (&streams->link_failed, TRUE);
}

static void
no_more_pads_cb (GstElement *decodebin,
                 Streams    *streams)
{
  g_autoptr(GstPad) sink = gst_element_get_static_pad (streams->convert, "sink");

  if (!gst_pad_is_linked (sink))
    g_atomic_int_set (&streams->no_video, TRUE);
}

/*
 * What decodebin found, when it explains a failure better than the error
 * GStreamer posts: a clip with only sound ends in a "not linked" stream
 * error, which says nothing to a user.
 */
static gboolean
set_streams_error (Streams  *streams,
                   GError  **error)
{
  g_autoptr(GstPad) sink = gst_element_get_static_pad (streams->convert, "sink");

  if (g_atomic_int_get (&streams->link_failed))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "The clip's video cannot be converted to a picture");
      return TRUE;
    }
  if (g_atomic_int_get (&streams->no_video)
      || (g_atomic_int_get (&streams->n_streams) > 0 && !gst_pad_is_linked (sink)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The clip has no video stream");
      return TRUE;
    }

  return FALSE;
}

static GstElement *
make_element (GstBin      *bin,
              const char  *factory,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The GStreamer element “%s” is missing: install GStreamer's base plugins",
                   factory);
      return NULL;
    }
  gst_bin_add (bin, element);

  return element;
}

/* Waits for the pipeline to preroll; FALSE with error set when it cannot. */
static gboolean
wait_for_preroll (GstElement    *pipeline,
                  Streams       *streams,
                  guint          timeout_ms,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GstMessage) message = NULL;
      g_autoptr(GError) gst_error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if ((g_atomic_int_get (&streams->no_video) || g_atomic_int_get (&streams->link_failed))
          && set_streams_error (streams, error))
        return FALSE;

      message = gst_bus_timed_pop_filtered (bus, WAKE_MS * GST_MSECOND,
                                            GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
      if (message == NULL)
        continue;
      if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ASYNC_DONE)
        return TRUE;

      /* GStreamer's own error, unless it is the bare "stream failed" that
       * follows a clip without a usable video stream: a missing decoder,
       * say, is named there and must not become "no video stream". */
      gst_message_parse_error (message, &gst_error, NULL);
      if (g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED)
          && set_streams_error (streams, error))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&gst_error));
      return FALSE;
    }

  /* A cancel that came as the limit passed is still a cancel. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /*
   * Seen with a damaged MP4 now and then: decodebin drops the demuxer's
   * error while it is still setting the demuxer up, and nothing follows.
   * The limit is what ends such a wait.
   */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
               "The clip gave no frame in %.1f s", timeout_ms / 1000.0);
  return FALSE;
}

/* Why the pipeline did not even start: the error it posted, if any. */
static void
set_start_error (GstElement  *pipeline,
                 GError     **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (message != NULL)
    gst_message_parse_error (message, error, NULL);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The clip cannot be opened");
}

/* The prerolled RGB frame, copied out of GStreamer's buffer. */
static GdkPixbuf *
pixbuf_from_sample (GstSample  *sample,
                    GError    **error)
{
  GstCaps *caps = gst_sample_get_caps (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  g_autoptr(GBytes) pixels = NULL;
  GstMapInfo map;
  int width = 0, height = 0;
  gsize stride;

  if (caps == NULL || buffer == NULL
      || !gst_structure_get_int (gst_caps_get_structure (caps, 0), "width", &width)
      || !gst_structure_get_int (gst_caps_get_structure (caps, 0), "height", &height)
      || width <= 0 || height <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The clip's first frame has no size");
      return NULL;
    }

  /* GStreamer's packed RGB rows start on 4-byte boundaries. */
  stride = GST_ROUND_UP_4 ((gsize) width * 3);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The clip's first frame cannot be read");
      return NULL;
    }
  if (map.size < stride * (gsize) height)
    {
      gst_buffer_unmap (buffer, &map);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The clip's first frame is incomplete");
      return NULL;
    }

  /* Pixbufs use the same row padding: one copy, and the bytes are shared from
   * then on (the main thread wraps them in a texture without copying). */
  pixels = g_bytes_new (map.data, stride * (gsize) height);
  gst_buffer_unmap (buffer, &map);

  return gdk_pixbuf_new_from_bytes (pixels, GDK_COLORSPACE_RGB, FALSE, 8, width, height,
                                    (int) stride);
}

GdkPixbuf *
cf_first_frame_read (const char    *path,
                     int            max_width,
                     guint          timeout_ms,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstCaps) rgb = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GdkPixbuf) frame = NULL;
  g_autoptr(GdkPixbuf) small = NULL;
  g_autoptr(GBytes) pixels = NULL;
  GstElement *source, *decode, *scale, *filter, *sink;
  Streams streams = { NULL, 0, FALSE, FALSE };
  gboolean prerolled = FALSE;
  int width, height;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (max_width > 0, NULL);

  /* Thread-safe, and a no-op once done; GTK's own media backend shares it. */
  if (!gst_init_check (NULL, NULL, error))
    return NULL;

  pipeline = gst_object_ref_sink (gst_pipeline_new ("first-frame"));
  if ((source = make_element (GST_BIN (pipeline), "filesrc", error)) == NULL
      || (decode = make_element (GST_BIN (pipeline), "decodebin", error)) == NULL
      || (streams.convert = make_element (GST_BIN (pipeline), "videoconvert", error)) == NULL
      || (scale = make_element (GST_BIN (pipeline), "videoscale", error)) == NULL
      || (filter = make_element (GST_BIN (pipeline), "capsfilter", error)) == NULL
      || (sink = make_element (GST_BIN (pipeline), "fakesink", error)) == NULL)
    return NULL;

  rgb = gst_caps_new_simple ("video/x-raw",
                             "format", G_TYPE_STRING, "RGB",
                             "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                             NULL);
  g_object_set (source, "location", path, NULL);
  g_object_set (filter, "caps", rgb, NULL);
  g_object_set (sink, "enable-last-sample", TRUE, "sync", FALSE, NULL);
  g_signal_connect (decode, "autoplug-continue", G_CALLBACK (autoplug_continue_cb), &streams);
  g_signal_connect (decode, "pad-added", G_CALLBACK (pad_added_cb), &streams);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (no_more_pads_cb), &streams);

  if (!gst_element_link (source, decode)
      || !gst_element_link_many (streams.convert, scale, filter, sink, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The GStreamer pipeline for the clip's first frame cannot be built");
      return NULL;
    }

  if (gst_element_set_state (pipeline, GST_STATE_PAUSED) != GST_STATE_CHANGE_FAILURE)
    prerolled = wait_for_preroll (pipeline, &streams, timeout_ms, cancellable, error);
  else
    set_start_error (pipeline, error);

  if (prerolled)
    g_object_get (sink, "last-sample", &sample, NULL);
  /* Joins the streaming threads before streams, on this stack, goes. */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (!prerolled)
    return NULL;
  if (sample == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The clip gave no frame");
      return NULL;
    }

  frame = pixbuf_from_sample (sample, error);
  if (frame == NULL)
    return NULL;

  width = gdk_pixbuf_get_width (frame);
  height = gdk_pixbuf_get_height (frame);
  if (width <= max_width)
    return g_steal_pointer (&frame);

  height = MAX (1, (int) ((gint64) height * max_width / width));
  small = gdk_pixbuf_scale_simple (frame, max_width, height, GDK_INTERP_BILINEAR);
  if (small == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           "Not enough memory for the clip's first frame");
      return NULL;
    }
  /* As bytes, like an unscaled frame. */
  pixels = gdk_pixbuf_read_pixel_bytes (small);

  return gdk_pixbuf_new_from_bytes (pixels, GDK_COLORSPACE_RGB, FALSE, 8, max_width, height,
                                    gdk_pixbuf_get_rowstride (small));
}
