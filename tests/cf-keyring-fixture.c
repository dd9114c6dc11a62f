/* cf-keyring-fixture.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "cf-keyring-fixture.h"

#define SECRETS_BUS_NAME "org.freedesktop.secrets"
#define KEYRING_PASSWORD "test"

/* A guard against a daemon that never shows up, not a measured duration. */
#define OWNER_WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

struct _CfKeyringFixture
{
  GTestDBus   *bus;
  GSubprocess *daemon;
};

static gboolean
name_has_owner (GDBusConnection  *connection,
                gboolean         *has_owner,
                GError          **error)
{
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (connection,
                                       "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus",
                                       "NameHasOwner",
                                       g_variant_new ("(s)", SECRETS_BUS_NAME),
                                       G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, error);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(b)", has_owner);
  return TRUE;
}

/*
 * Polls the bus on a private connection: the test's own code must be the
 * first to open the shared session connection, and GTestDBus insists on
 * seeing that one disappear at the end.
 */
static gboolean
wait_for_owner (CfKeyringFixture  *f,
                GError           **error)
{
  g_autoptr(GDBusConnection) connection = NULL;
  gint64 deadline = g_get_monotonic_time () + OWNER_WAIT_LIMIT_US;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (f->bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, error);
  if (connection == NULL)
    return FALSE;

  for (;;)
    {
      gboolean has_owner = FALSE;

      if (!name_has_owner (connection, &has_owner, error))
        break;

      if (has_owner)
        {
          g_dbus_connection_close_sync (connection, NULL, NULL);
          return TRUE;
        }

      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "gnome-keyring-daemon did not take " SECRETS_BUS_NAME);
          break;
        }

      g_usleep (20 * 1000);
    }

  g_dbus_connection_close_sync (connection, NULL, NULL);
  return FALSE;
}

static void
cf_keyring_fixture_free (CfKeyringFixture *f)
{
  /* libsecret may keep a shared SecretService (and with it the bus) alive. */
  secret_service_disconnect ();

  if (f->daemon != NULL)
    {
      g_subprocess_send_signal (f->daemon, SIGTERM);
      g_subprocess_wait (f->daemon, NULL, NULL);
      g_clear_object (&f->daemon);
    }

  if (f->bus != NULL)
    {
      g_test_dbus_down (f->bus);
      g_clear_object (&f->bus);
    }

  g_free (f);
}

CfKeyringFixture *
cf_keyring_fixture_start (GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *runtime_dir = NULL;
  CfKeyringFixture *f;
  GOutputStream *input;

  f = g_new0 (CfKeyringFixture, 1);

  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);

  /* The daemon wants a private runtime folder for its control socket. */
  runtime_dir = g_build_filename (g_get_user_runtime_dir (), "keyring-fixture", NULL);
  if (g_mkdir_with_parents (runtime_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not create %s", runtime_dir);
      cf_keyring_fixture_free (f);
      return NULL;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (f->bus), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "GNOME_KEYRING_CONTROL");

  /*
   * --unlock reads the password from stdin until end of file and creates
   * the "login" keyring with it on a fresh HOME; gnome-keyring then aliases
   * it as the default collection, so items are stored without a prompt. A
   * non-empty password keeps the keyring file encrypted on disk.
   */
  f->daemon = g_subprocess_launcher_spawn (launcher, error,
                                           "gnome-keyring-daemon",
                                           "--foreground",
                                           "--components=secrets",
                                           "--unlock",
                                           NULL);
  if (f->daemon == NULL)
    {
      cf_keyring_fixture_free (f);
      return NULL;
    }

  input = g_subprocess_get_stdin_pipe (f->daemon);
  if (!g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD),
                                  NULL, NULL, error) ||
      !g_output_stream_close (input, NULL, error) ||
      !wait_for_owner (f, error))
    {
      cf_keyring_fixture_free (f);
      return NULL;
    }

  return f;
}

void
cf_keyring_fixture_stop (CfKeyringFixture *f)
{
  if (f != NULL)
    cf_keyring_fixture_free (f);
}
