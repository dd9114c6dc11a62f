/* cf-labs-provider.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-provider.h"

G_BEGIN_DECLS

#define CF_TYPE_LABS_PROVIDER (cf_labs_provider_get_type ())

G_DECLARE_FINAL_TYPE (CfLabsProvider, cf_labs_provider, CF, LABS_PROVIDER, GObject)

/* Keeps a copy of account; call it in the thread that will use the provider. */
CfLabsProvider *cf_labs_provider_new (CfAccount   *account,
                                      CfEndpoints *endpoints);

/* How many of the account's tokens have not been refused yet in this provider's life. */
guint           cf_labs_provider_get_n_live_tokens (CfLabsProvider *self);

G_END_DECLS
