/* cf-account-private.h
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cf-account.h"

G_BEGIN_DECLS

/*
 * Grows by one each time the tokens or the API key change, so that
 * CfAccountStore writes to the secret store only the secrets that changed.
 */
guint64 _cf_account_get_secrets_serial (CfAccount *self);

G_END_DECLS
