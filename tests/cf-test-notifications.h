/* cf-test-notifications.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Owns org.freedesktop.Notifications on the session bus, if there is one.
 * Call before the app connects to the bus. */
void        cf_test_notifications_start          (void);
/* Whether this process serves them now: another test may, before it ends. */
gboolean    cf_test_notifications_is_owner       (void);
/* Notifications received so far, and the body of the last. */
guint       cf_test_notifications_get_count      (void);
const char *cf_test_notifications_get_last_body  (void);

G_END_DECLS
