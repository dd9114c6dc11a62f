/* cf-test-notifications.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stand-in for the desktop's notification server on the test's session
 * bus. The app notifies when a run ends while its window is not focused,
 * which under Xvfb without a window manager is left to chance. Without a
 * server GIO warns, and the tests make warnings fatal; with one, a test can
 * see what the user would be told.
 */

#include "config.h"

#include "cf-test-notifications.h"

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

static guint n_notifications;
static char *last_notification_body;

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *body = NULL;

      g_variant_get_child (parameters, 4, "&s", &body);
      g_free (last_notification_body);
      last_notification_body = g_strdup (body);
      n_notifications++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n_notifications));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "clipfleet",
                                                                      "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Kept for the whole process: the last unref would close the shared
 * connection and drop the name. */
static GDBusConnection *bus;

void
cf_test_notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  guint32 owner = 0;
  g_autoptr(GVariant) reply = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  /* Without a session bus GApplication sends nothing, so there is nothing to stand in for. */
  if (bus == NULL)
    return;

  info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_assert_nonnull (info);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                       info->interfaces[0], &vtable,
                                                       NULL, NULL, NULL), >, 0);
  /*
   * Window tests run side by side on one session bus (`meson test` under
   * one dbus-run-session): the first to ask owns the name and the others
   * wait in line, each taking over when the one before it ends. So there is
   * always a server while any of them runs.
   */
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(u)", &owner);
  /* 1: DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER, 2: DBUS_REQUEST_NAME_REPLY_IN_QUEUE */
  g_assert_true (owner == 1 || owner == 2);
}

gboolean
cf_test_notifications_is_owner (void)
{
  g_autoptr(GVariant) reply = NULL;
  const char *owner = NULL;

  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(&s)", &owner);

  return g_strcmp0 (owner, g_dbus_connection_get_unique_name (bus)) == 0;
}

guint
cf_test_notifications_get_count (void)
{
  return n_notifications;
}

const char *
cf_test_notifications_get_last_body (void)
{
  return last_notification_body;
}
