/* cf-account.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cf-account.h"
#include "cf-account-private.h"
#include "cf-enum-types.h"
#include "cf-error.h"

struct _CfAccount
{
  GObject          parent_instance;

  char            *id;
  char            *name;
  char            *project_id;
  char           **tokens;
  char            *api_key;
  char            *tier;
  char            *model_key;
  char            *health_reason;

  gint64           last_credits;
  gint64           backoff_until;
  guint64          secrets_serial;

  CfAccountKind    kind;
  CfRequestForm    request_form;
  CfAccountHealth  health;
  int              out_code;
  guint            max_in_flight;
  guint            enabled : 1;
};

G_DEFINE_FINAL_TYPE (CfAccount, cf_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_PROJECT_ID,
  PROP_TOKENS,
  PROP_N_TOKENS,
  PROP_API_KEY,
  PROP_ENABLED,
  PROP_TIER,
  PROP_MODEL_KEY,
  PROP_MAX_IN_FLIGHT,
  PROP_REQUEST_FORM,
  PROP_LAST_CREDITS,
  PROP_HEALTH,
  PROP_BACKOFF_UNTIL,
  PROP_OUT_CODE,
  PROP_HEALTH_REASON,
  PROP_USABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/*
 * Serials come from one counter for the whole process, so that two account
 * objects (say, one reloaded from disk with the same id) never share one and
 * the store cannot mistake a new object's secrets for the ones it saved.
 */
static gsize secrets_serial_counter;

static guint64
next_secrets_serial (void)
{
  return (guint64) g_atomic_pointer_add (&secrets_serial_counter, 1) + 1;
}

/* Secrets are overwritten before their memory goes back to the allocator. */
static void
wipe_string (char *str)
{
  if (str != NULL)
    {
      explicit_bzero (str, strlen (str));
      g_free (str);
    }
}

static void
wipe_strv (char **strv)
{
  if (strv != NULL)
    {
      for (guint i = 0; strv[i] != NULL; i++)
        explicit_bzero (strv[i], strlen (strv[i]));
      g_strfreev (strv);
    }
}

/* An empty string means "not set" for the optional text fields. */
static const char *
empty_to_null (const char *str)
{
  return (str != NULL && str[0] != '\0') ? str : NULL;
}

/* Replaces *ptr by a copy of value; FALSE if they were equal already. */
static gboolean
set_str (char       **ptr,
         const char  *value)
{
  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  g_free (*ptr);
  *ptr = g_strdup (value);
  return TRUE;
}

static gboolean
compute_usable (CfAccount *self)
{
  if (self->kind == CF_ACCOUNT_KIND_GEMINI)
    return self->api_key != NULL;

  return self->project_id != NULL && self->tokens[0] != NULL;
}

static void
cf_account_finalize (GObject *object)
{
  CfAccount *self = (CfAccount *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->tokens, wipe_strv);
  g_clear_pointer (&self->api_key, wipe_string);
  g_clear_pointer (&self->tier, g_free);
  g_clear_pointer (&self->model_key, g_free);
  g_clear_pointer (&self->health_reason, g_free);

  G_OBJECT_CLASS (cf_account_parent_class)->finalize (object);
}

static void
cf_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CfAccount *self = CF_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;

    case PROP_TOKENS:
      g_value_set_boxed (value, self->tokens);
      break;

    case PROP_N_TOKENS:
      g_value_set_uint (value, cf_account_get_n_tokens (self));
      break;

    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;

    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    case PROP_TIER:
      g_value_set_string (value, self->tier);
      break;

    case PROP_MODEL_KEY:
      g_value_set_string (value, self->model_key);
      break;

    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->max_in_flight);
      break;

    case PROP_REQUEST_FORM:
      g_value_set_enum (value, self->request_form);
      break;

    case PROP_LAST_CREDITS:
      g_value_set_int64 (value, self->last_credits);
      break;

    case PROP_HEALTH:
      g_value_set_enum (value, self->health);
      break;

    case PROP_BACKOFF_UNTIL:
      g_value_set_int64 (value, self->backoff_until);
      break;

    case PROP_OUT_CODE:
      g_value_set_int (value, self->out_code);
      break;

    case PROP_HEALTH_REASON:
      g_value_set_string (value, self->health_reason);
      break;

    case PROP_USABLE:
      g_value_set_boolean (value, cf_account_is_usable (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CfAccount *self = CF_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      cf_account_set_id (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      cf_account_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_NAME:
      cf_account_set_name (self, g_value_get_string (value));
      break;

    case PROP_PROJECT_ID:
      cf_account_set_project_id (self, g_value_get_string (value));
      break;

    case PROP_TOKENS:
      cf_account_set_tokens (self, g_value_get_boxed (value));
      break;

    case PROP_API_KEY:
      cf_account_set_api_key (self, g_value_get_string (value));
      break;

    case PROP_ENABLED:
      cf_account_set_enabled (self, g_value_get_boolean (value));
      break;

    case PROP_TIER:
      cf_account_set_tier (self, g_value_get_string (value));
      break;

    case PROP_MODEL_KEY:
      cf_account_set_model_key (self, g_value_get_string (value));
      break;

    case PROP_MAX_IN_FLIGHT:
      cf_account_set_max_in_flight (self, g_value_get_uint (value));
      break;

    case PROP_REQUEST_FORM:
      cf_account_set_request_form (self, g_value_get_enum (value));
      break;

    case PROP_LAST_CREDITS:
      cf_account_set_last_credits (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_class_init (CfAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cf_account_finalize;
  object_class->get_property = cf_account_get_property;
  object_class->set_property = cf_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, rw);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       CF_TYPE_ACCOUNT_KIND, CF_ACCOUNT_KIND_LABS, rw);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL, rw);
  properties[PROP_TOKENS] =
    g_param_spec_boxed ("tokens", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_N_TOKENS] =
    g_param_spec_uint ("n-tokens", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL, rw);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE, rw);
  properties[PROP_TIER] =
    g_param_spec_string ("tier", NULL, NULL, NULL, rw);
  properties[PROP_MODEL_KEY] =
    g_param_spec_string ("model-key", NULL, NULL, NULL, rw);
  properties[PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL,
                       1, G_MAXUINT, CF_ACCOUNT_DEFAULT_MAX_IN_FLIGHT, rw);
  properties[PROP_REQUEST_FORM] =
    g_param_spec_enum ("request-form", NULL, NULL,
                       CF_TYPE_REQUEST_FORM, CF_REQUEST_FORM_CLASSIC, rw);
  properties[PROP_LAST_CREDITS] =
    g_param_spec_int64 ("last-credits", NULL, NULL, -1, G_MAXINT64, -1, rw);
  properties[PROP_HEALTH] =
    g_param_spec_enum ("health", NULL, NULL,
                       CF_TYPE_ACCOUNT_HEALTH, CF_ACCOUNT_HEALTH_READY, ro);
  properties[PROP_BACKOFF_UNTIL] =
    g_param_spec_int64 ("backoff-until", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_OUT_CODE] =
    g_param_spec_int ("out-code", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_HEALTH_REASON] =
    g_param_spec_string ("health-reason", NULL, NULL, NULL, ro);
  properties[PROP_USABLE] =
    g_param_spec_boolean ("usable", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_account_init (CfAccount *self)
{
  self->id = g_uuid_string_random ();
  self->tokens = g_new0 (char *, 1);
  self->enabled = TRUE;
  self->max_in_flight = CF_ACCOUNT_DEFAULT_MAX_IN_FLIGHT;
  self->last_credits = -1;
  self->out_code = -1;
  self->secrets_serial = next_secrets_serial ();
}

CfAccount *
cf_account_new (CfAccountKind  kind,
                const char    *name)
{
  return g_object_new (CF_TYPE_ACCOUNT,
                       "kind", kind,
                       "name", name,
                       NULL);
}

CfAccount *
cf_account_copy (CfAccount *self)
{
  CfAccount *copy;

  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  copy = cf_account_new (self->kind, self->name);
  g_free (copy->id);
  copy->id = g_strdup (self->id);
  copy->project_id = g_strdup (self->project_id);
  g_strfreev (copy->tokens);
  copy->tokens = g_strdupv (self->tokens);
  copy->api_key = g_strdup (self->api_key);
  copy->enabled = self->enabled;
  copy->tier = g_strdup (self->tier);
  copy->model_key = g_strdup (self->model_key);
  copy->max_in_flight = self->max_in_flight;
  copy->request_form = self->request_form;
  copy->last_credits = self->last_credits;
  copy->health = self->health;
  copy->backoff_until = self->backoff_until;
  copy->out_code = self->out_code;
  copy->health_reason = g_strdup (self->health_reason);

  return copy;
}

guint64
_cf_account_get_secrets_serial (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), 0);

  return self->secrets_serial;
}

/*
 * Notifies "usable" if a change flipped it, so that the setters that can
 * affect it need not each repeat the check.
 */
static void
notify_usable_if_changed (CfAccount *self,
                          gboolean   was_usable)
{
  if (was_usable != compute_usable (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USABLE]);
}

const char *
cf_account_get_id (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return self->id;
}

void
cf_account_set_id (CfAccount  *self,
                   const char *id)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));
  /* The id keys the secret store; an account without one cannot exist. */
  g_return_if_fail (id != NULL && id[0] != '\0');

  if (set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

CfAccountKind
cf_account_get_kind (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), CF_ACCOUNT_KIND_LABS);

  return self->kind;
}

void
cf_account_set_kind (CfAccount     *self,
                     CfAccountKind  kind)
{
  gboolean was_usable;

  g_return_if_fail (CF_IS_ACCOUNT (self));

  if (self->kind == kind)
    return;

  was_usable = compute_usable (self);
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  notify_usable_if_changed (self, was_usable);
}

const char *
cf_account_get_name (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return self->name;
}

void
cf_account_set_name (CfAccount  *self,
                     const char *name)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));

  if (set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
cf_account_get_project_id (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return self->project_id;
}

void
cf_account_set_project_id (CfAccount  *self,
                           const char *project_id)
{
  gboolean was_usable;

  g_return_if_fail (CF_IS_ACCOUNT (self));

  was_usable = compute_usable (self);
  if (set_str (&self->project_id, empty_to_null (project_id)))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
      notify_usable_if_changed (self, was_usable);
    }
}

char *
cf_account_dup_short_project_id (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  if (self->project_id == NULL)
    return g_strdup ("-");

  return g_utf8_substring (self->project_id, 0,
                           MIN (8, g_utf8_strlen (self->project_id, -1)));
}

const char * const *
cf_account_get_tokens (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return (const char * const *) self->tokens;
}

void
cf_account_set_tokens (CfAccount          *self,
                       const char * const *tokens)
{
  static const char * const empty[] = { NULL };
  guint old_n;
  gboolean was_usable;

  g_return_if_fail (CF_IS_ACCOUNT (self));

  if (tokens == NULL)
    tokens = empty;

  if (g_strv_equal ((const char * const *) self->tokens, tokens))
    return;

  old_n = cf_account_get_n_tokens (self);
  was_usable = compute_usable (self);
  wipe_strv (self->tokens);
  self->tokens = g_strdupv ((char **) tokens);
  self->secrets_serial = next_secrets_serial ();

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);
  if (old_n != cf_account_get_n_tokens (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOKENS]);
  notify_usable_if_changed (self, was_usable);
}

guint
cf_account_get_n_tokens (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), 0);

  return g_strv_length (self->tokens);
}

const char *
cf_account_get_api_key (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return self->api_key;
}

void
cf_account_set_api_key (CfAccount  *self,
                        const char *api_key)
{
  gboolean was_usable;

  g_return_if_fail (CF_IS_ACCOUNT (self));

  api_key = empty_to_null (api_key);
  if (g_strcmp0 (self->api_key, api_key) == 0)
    return;

  was_usable = compute_usable (self);
  wipe_string (self->api_key);
  self->api_key = g_strdup (api_key);
  self->secrets_serial = next_secrets_serial ();

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
  notify_usable_if_changed (self, was_usable);
}

gboolean
cf_account_get_enabled (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), FALSE);

  return self->enabled;
}

void
cf_account_set_enabled (CfAccount *self,
                        gboolean   enabled)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));

  enabled = !!enabled;
  if (self->enabled == (guint) enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

const char *
cf_account_get_tier (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return self->tier;
}

void
cf_account_set_tier (CfAccount  *self,
                     const char *tier)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));

  if (set_str (&self->tier, empty_to_null (tier)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIER]);
}

const char *
cf_account_get_model_key (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return self->model_key;
}

void
cf_account_set_model_key (CfAccount  *self,
                          const char *model_key)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));

  if (set_str (&self->model_key, empty_to_null (model_key)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_KEY]);
}

guint
cf_account_get_max_in_flight (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), CF_ACCOUNT_DEFAULT_MAX_IN_FLIGHT);

  return self->max_in_flight;
}

void
cf_account_set_max_in_flight (CfAccount *self,
                              guint      max_in_flight)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));
  g_return_if_fail (max_in_flight > 0);

  if (self->max_in_flight == max_in_flight)
    return;

  self->max_in_flight = max_in_flight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_IN_FLIGHT]);
}

CfRequestForm
cf_account_get_request_form (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), CF_REQUEST_FORM_CLASSIC);

  return self->request_form;
}

void
cf_account_set_request_form (CfAccount     *self,
                             CfRequestForm  form)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));

  if (self->request_form == form)
    return;

  self->request_form = form;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_FORM]);
}

gint64
cf_account_get_last_credits (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), -1);

  return self->last_credits;
}

void
cf_account_set_last_credits (CfAccount *self,
                             gint64     credits)
{
  g_return_if_fail (CF_IS_ACCOUNT (self));

  credits = MAX (credits, -1);
  if (self->last_credits == credits)
    return;

  self->last_credits = credits;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CREDITS]);
}

CfAccountHealth
cf_account_get_health (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), CF_ACCOUNT_HEALTH_READY);

  return self->health;
}

gint64
cf_account_get_backoff_until (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), 0);

  return self->backoff_until;
}

int
cf_account_get_out_code (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), -1);

  return self->out_code;
}

const char *
cf_account_get_health_reason (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  return self->health_reason;
}

void
cf_account_set_health (CfAccount       *self,
                       CfAccountHealth  health,
                       gint64           backoff_until,
                       int              out_code,
                       const char      *reason)
{
  GObject *object = (GObject *) self;

  g_return_if_fail (CF_IS_ACCOUNT (self));

  /*
   * The four fields describe one state, so listeners see them change
   * together: every field is stored before the first notification runs.
   */
  backoff_until = MAX (backoff_until, 0);
  out_code = MAX (out_code, -1);

  g_object_freeze_notify (object);

  if (self->health != health)
    {
      self->health = health;
      g_object_notify_by_pspec (object, properties[PROP_HEALTH]);
    }

  if (self->backoff_until != backoff_until)
    {
      self->backoff_until = backoff_until;
      g_object_notify_by_pspec (object, properties[PROP_BACKOFF_UNTIL]);
    }

  if (self->out_code != out_code)
    {
      self->out_code = out_code;
      g_object_notify_by_pspec (object, properties[PROP_OUT_CODE]);
    }

  if (set_str (&self->health_reason, reason))
    g_object_notify_by_pspec (object, properties[PROP_HEALTH_REASON]);

  g_object_thaw_notify (object);
}

gboolean
cf_account_is_usable (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), FALSE);

  return compute_usable (self);
}

static const char *
request_form_to_string (CfRequestForm form)
{
  return form == CF_REQUEST_FORM_2026 ? "2026" : "classic";
}

JsonNode *
cf_account_to_json (CfAccount *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, cf_account_kind_to_string (self->kind));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name != NULL ? self->name : "");

  if (self->project_id != NULL)
    {
      json_builder_set_member_name (builder, "project_id");
      json_builder_add_string_value (builder, self->project_id);
    }

  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, self->enabled);

  if (self->tier != NULL)
    {
      json_builder_set_member_name (builder, "tier");
      json_builder_add_string_value (builder, self->tier);
    }

  if (self->model_key != NULL)
    {
      json_builder_set_member_name (builder, "model_key");
      json_builder_add_string_value (builder, self->model_key);
    }

  json_builder_set_member_name (builder, "max_in_flight");
  json_builder_add_int_value (builder, self->max_in_flight);
  json_builder_set_member_name (builder, "request_form");
  json_builder_add_string_value (builder, request_form_to_string (self->request_form));

  if (self->last_credits >= 0)
    {
      json_builder_set_member_name (builder, "last_credits");
      json_builder_add_int_value (builder, self->last_credits);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean G_GNUC_PRINTF (3, 4)
bad_field (GError     **error,
           const char  *field,
           const char  *format,
           ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the first %s is a field of an account, such as "max_in_flight". */
  g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
               _("Account field “%s” %s"), field, what);
  return FALSE;
}

/*
 * Reads an optional string member. Absent and null are both "not set"; any
 * other type is an error, so that a hand-edited file is not half-understood.
 */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     const char **value,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return bad_field (error, member, "%s", _("must be a string"));

  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_optional_int (JsonObject  *object,
                  const char  *member,
                  gboolean    *present,
                  gint64      *value,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *present = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return bad_field (error, member, "%s", _("must be a whole number"));

  *present = TRUE;
  *value = json_node_get_int (node);
  return TRUE;
}

CfAccount *
cf_account_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(CfAccount) account = NULL;
  JsonObject *object;
  JsonNode *enabled_node;
  const char *id;
  const char *kind_str;
  const char *name;
  const char *project_id;
  const char *tier;
  const char *model_key;
  const char *form;
  CfAccountKind kind;
  gboolean present;
  gint64 number;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                           _("An account must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);

  if (!get_optional_string (object, "id", &id, error) ||
      !get_optional_string (object, "kind", &kind_str, error) ||
      !get_optional_string (object, "name", &name, error) ||
      !get_optional_string (object, "project_id", &project_id, error) ||
      !get_optional_string (object, "tier", &tier, error) ||
      !get_optional_string (object, "model_key", &model_key, error) ||
      !get_optional_string (object, "request_form", &form, error))
    return NULL;

  if (id == NULL || id[0] == '\0')
    {
      bad_field (error, "id", "%s", _("is missing"));
      return NULL;
    }

  if (!cf_account_kind_from_string (kind_str, &kind))
    {
      bad_field (error, "kind", "%s", _("must be “labs” or “gemini”"));
      return NULL;
    }

  account = cf_account_new (kind, name != NULL ? name : "");
  cf_account_set_id (account, id);
  cf_account_set_project_id (account, project_id);
  cf_account_set_tier (account, tier);
  cf_account_set_model_key (account, model_key);

  if (form == NULL || g_str_equal (form, "classic"))
    cf_account_set_request_form (account, CF_REQUEST_FORM_CLASSIC);
  else if (g_str_equal (form, "2026"))
    cf_account_set_request_form (account, CF_REQUEST_FORM_2026);
  else
    {
      bad_field (error, "request_form", "%s", _("must be “classic” or “2026”"));
      return NULL;
    }

  enabled_node = json_object_get_member (object, "enabled");
  if (enabled_node != NULL && !JSON_NODE_HOLDS_NULL (enabled_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (enabled_node) ||
          json_node_get_value_type (enabled_node) != G_TYPE_BOOLEAN)
        {
          bad_field (error, "enabled", "%s", _("must be true or false"));
          return NULL;
        }
      cf_account_set_enabled (account, json_node_get_boolean (enabled_node));
    }

  if (!get_optional_int (object, "max_in_flight", &present, &number, error))
    return NULL;
  if (present)
    {
      if (number < 1 || number > 1000)
        {
          bad_field (error, "max_in_flight", "%s", _("must be between 1 and 1000"));
          return NULL;
        }
      cf_account_set_max_in_flight (account, (guint) number);
    }

  if (!get_optional_int (object, "last_credits", &present, &number, error))
    return NULL;
  if (present)
    cf_account_set_last_credits (account, number);

  return g_steal_pointer (&account);
}
