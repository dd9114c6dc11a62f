/* test-ui-first-frame.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cf_first_frame_read(), the job cards' thumbnail decoder: the right frame,
 * in the right colours, at the asked size; a clip with sound; a file that
 * is no video, a clip with only sound and a missing file each give the
 * error that says so; a damaged clip gives no frame. The thumbnailer, which
 * runs those reads for the cards, tries a read that ran out of time once more.
 *
 * The two files in data/ were made once with GStreamer 1.22 and committed:
 *   gst-launch-1.0 -q videotestsrc num-buffers=24 pattern=smpte
 *     ! video/x-raw,width=256,height=144,framerate=24/1 ! x264enc bitrate=64 ! mux.
 *     audiotestsrc num-buffers=10 ! audioconvert ! avenc_aac ! mux.
 *     mp4mux name=mux ! filesink location=clip-with-audio.mp4
 *   gst-launch-1.0 -q audiotestsrc num-buffers=10 ! audioconvert ! avenc_aac
 *     ! mp4mux ! filesink location=audio-only.m4a
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "cf-first-frame.h"
#include "cf-thumbnailer.h"
#include "cf-test-util.h"

typedef struct
{
  guint8 r, g, b;
} Pixel;

static Pixel
pixel_at (GdkPixbuf *pixbuf,
          double     x_fraction,
          double     y_fraction)
{
  int x = (int) (x_fraction * gdk_pixbuf_get_width (pixbuf));
  int y = (int) (y_fraction * gdk_pixbuf_get_height (pixbuf));
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf)
                    + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
                    + (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);

  return (Pixel) { p[0], p[1], p[2] };
}

/*
 * SMPTE bars, left to right: white, yellow, cyan, green, magenta, red,
 * blue (each 75 %). Red and blue the right way round proves the channel
 * order GDK is given.
 */
static void
assert_smpte_bars (GdkPixbuf *frame)
{
  Pixel white = pixel_at (frame, 1 / 14.0, 0.3);
  Pixel yellow = pixel_at (frame, 3 / 14.0, 0.3);
  Pixel red = pixel_at (frame, 11 / 14.0, 0.3);
  Pixel blue = pixel_at (frame, 13 / 14.0, 0.3);

  g_assert_cmpuint (white.r, >, 150);
  g_assert_cmpuint (white.g, >, 150);
  g_assert_cmpuint (white.b, >, 150);
  g_assert_cmpuint (yellow.r, >, 150);
  g_assert_cmpuint (yellow.g, >, 150);
  g_assert_cmpuint (yellow.b, <, 60);
  g_assert_cmpuint (red.r, >, 150);
  g_assert_cmpuint (red.g, <, 60);
  g_assert_cmpuint (red.b, <, 60);
  g_assert_cmpuint (blue.r, <, 60);
  g_assert_cmpuint (blue.g, <, 60);
  g_assert_cmpuint (blue.b, >, 150);
}

static char *
sim_clip_path (void)
{
  return g_build_filename (g_getenv ("CLIPFLEET_SRCDIR"), "src", "sim", "clips", "clip-1.mp4",
                           NULL);
}

/* Reads path's first frame at most max_width wide: width × height, RGB, bars. */
static void
assert_reads_bars (const char *path,
                   int         max_width,
                   int         width,
                   int         height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) frame = cf_first_frame_read (path, max_width, CF_FIRST_FRAME_TIMEOUT_MS,
                                                    NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (frame);
  g_assert_cmpint (gdk_pixbuf_get_width (frame), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (frame), ==, height);
  g_assert_false (gdk_pixbuf_get_has_alpha (frame));
  assert_smpte_bars (frame);
}

static void
test_first_frame_full_size (void)
{
  g_autofree char *path = sim_clip_path ();

  /* Smaller than the limit: kept as it is, never enlarged. */
  assert_reads_bars (path, 360, 320, 180);
}

static void
test_first_frame_scaled (void)
{
  g_autofree char *path = sim_clip_path ();

  assert_reads_bars (path, 160, 160, 90);
}

static void
test_first_frame_with_sound (void)
{
  g_autofree char *path = cf_test_data_path ("clip-with-audio.mp4");

  /* The sound stream, left unlinked, does not hold the preroll back. */
  assert_reads_bars (path, 360, 256, 144);
}

/* No frame, and an error that says why. */
static GError *
read_error (const char *path)
{
  GError *error = NULL;
  g_autoptr(GdkPixbuf) frame = cf_first_frame_read (path, 360, CF_FIRST_FRAME_TIMEOUT_MS,
                                                    NULL, &error);

  g_assert_null (frame);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);

  return error;
}

/* A file with contents, in a folder of its own that goes when the test ends. */
static char *
write_temporary (const char *name,
                 const char *contents,
                 gsize       length)
{
  g_autofree char *dir = g_dir_make_tmp ("clipfleet-first-frame-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

static void
remove_temporary (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_first_frame_not_a_clip (void)
{
  g_autofree char *path = write_temporary ("notes.mp4", "These are notes, not a video.\n", -1);
  g_autoptr(GError) error = read_error (path);

  g_assert_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND);
  remove_temporary (path);
}

/*
 * An MP4 header and then nothing of use. decodebin now and then drops the
 * demuxer's error while it is still setting the demuxer up, and the reader
 * waits out its limit (see cf-first-frame.c): either way, no frame and an
 * error.
 */
static void
test_first_frame_damaged (void)
{
  static const char damaged[] = "\0\0\0\030ftypisom this is not a video at all";
  g_autofree char *path = write_temporary ("damaged.mp4", damaged, sizeof damaged - 1);
  g_autoptr(GError) error = read_error (path);

  remove_temporary (path);
}

static void
test_first_frame_audio_only (void)
{
  g_autofree char *path = cf_test_data_path ("audio-only.m4a");
  g_autoptr(GError) error = read_error (path);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_first_frame_missing (void)
{
  g_autoptr(GError) error = read_error ("/nonexistent/clipfleet/clip.mp4");

  g_assert_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND);
}

static void
test_first_frame_cancelled (void)
{
  g_autofree char *path = sim_clip_path ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) frame = NULL;

  g_cancellable_cancel (cancellable);
  frame = cf_first_frame_read (path, 360, CF_FIRST_FRAME_TIMEOUT_MS, cancellable, &error);

  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* Asks a new thumbnailer for path's frame, its first read given first_ms and
 * any later one later_ms, and waits until the thumbnailer has the outcome,
 * which it must say once. */
static CfThumbnailer *
thumbnail_within (const char *path,
                  guint       first_ms,
                  guint       later_ms)
{
  CfThumbnailer *thumbnailer = cf_thumbnailer_new ();
  guint n_ready = 0;

  g_signal_connect_swapped (thumbnailer, "ready", G_CALLBACK (count_cb), &n_ready);
  cf_thumbnailer_set_timeout (thumbnailer, first_ms);
  cf_thumbnailer_request (thumbnailer, path);
  /* The first read has started with its limit: the next one gets this. */
  cf_thumbnailer_set_timeout (thumbnailer, later_ms);

  while (n_ready == 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_ready, ==, 1);
  g_signal_handlers_disconnect_by_func (thumbnailer, count_cb, &n_ready);

  return thumbnailer;
}

/*
 * A read that runs out of time, as a healthy clip can on a busy machine, is
 * tried once more before its failure is kept. The first read is given no
 * time at all; the second, of the same clip, the usual limit.
 */
static void
test_thumbnailer_retries_timed_out_read (void)
{
  g_autofree char *path = sim_clip_path ();
  g_autoptr(CfThumbnailer) thumbnailer = NULL;

  thumbnailer = thumbnail_within (path, 0, CF_FIRST_FRAME_TIMEOUT_MS);

  g_assert_false (cf_thumbnailer_has_failed (thumbnailer, path));
  g_assert_nonnull (cf_thumbnailer_lookup (thumbnailer, path));
}

/* A second timeout is kept as a failure: a clip that hangs every read is
 * not read over and over (which would leave this test waiting until meson
 * stops it). */
static void
test_thumbnailer_keeps_second_timeout (void)
{
  g_autofree char *path = sim_clip_path ();
  g_autoptr(CfThumbnailer) thumbnailer = thumbnail_within (path, 0, 0);

  g_assert_true (cf_thumbnailer_has_failed (thumbnailer, path));
  g_assert_null (cf_thumbnailer_lookup (thumbnailer, path));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/first-frame/full-size", test_first_frame_full_size);
  g_test_add_func ("/first-frame/scaled", test_first_frame_scaled);
  g_test_add_func ("/first-frame/with-sound", test_first_frame_with_sound);
  g_test_add_func ("/first-frame/not-a-clip", test_first_frame_not_a_clip);
  g_test_add_func ("/first-frame/damaged", test_first_frame_damaged);
  g_test_add_func ("/first-frame/audio-only", test_first_frame_audio_only);
  g_test_add_func ("/first-frame/missing", test_first_frame_missing);
  g_test_add_func ("/first-frame/cancelled", test_first_frame_cancelled);
  g_test_add_func ("/thumbnailer/retries-timed-out-read",
                   test_thumbnailer_retries_timed_out_read);
  g_test_add_func ("/thumbnailer/keeps-second-timeout", test_thumbnailer_keeps_second_timeout);

  return g_test_run ();
}
