/* cf-file-secret-store.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-secret-store.h"

G_BEGIN_DECLS

#define CF_TYPE_FILE_SECRET_STORE (cf_file_secret_store_get_type ())

/*
 * Secrets in a JSON file readable only by the user, for machines without a
 * Secret Service (servers, CI). Only ever used when the user asks for it.
 */
G_DECLARE_FINAL_TYPE (CfFileSecretStore, cf_file_secret_store, CF, FILE_SECRET_STORE, GObject)

/* path NULL: $XDG_CONFIG_HOME/clipfleet/secrets.json. */
CfSecretStore *cf_file_secret_store_new      (const char        *path);
const char    *cf_file_secret_store_get_path (CfFileSecretStore *self);

G_END_DECLS
