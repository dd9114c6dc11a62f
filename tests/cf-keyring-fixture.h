/* cf-keyring-fixture.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A real Secret Service for a test: a private session bus (GTestDBus) with
 * gnome-keyring-daemon on it, its login keyring created, unlocked and set as
 * the default collection, all under the test's isolated HOME. Call it from
 * a test run with G_TEST_OPTION_ISOLATE_DIRS. It sets
 * DBUS_SESSION_BUS_ADDRESS for the process until stopped.
 *
 * Release every object that holds the session bus (secret stores, account
 * stores) before cf_keyring_fixture_stop(): GTestDBus waits (30 s, then a
 * fatal warning) for the bus connection to be gone. Talk to the keyring
 * through CfKeyringSecretStore or a SecretService of your own
 * (secret_service_open_sync); libsecret's shared service, used by the
 * secret_password_*() calls, keeps the connection alive past the stop.
 */
typedef struct _CfKeyringFixture CfKeyringFixture;

CfKeyringFixture *cf_keyring_fixture_start (GError          **error);
void              cf_keyring_fixture_stop  (CfKeyringFixture *f);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfKeyringFixture, cf_keyring_fixture_stop)

G_END_DECLS
