/* cf-sales-brief.c
 *
 * Copyright 2026 The Clipfleet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns a product brief into a script that follows a sales arc: hook,
 * problem, reveal, features, proof, offer, call to action. Prompts are
 * English (what the video model understands best); titles are in the
 * language the user chose. The camera, lighting and setting vocabulary is
 * picked from a hash of the brief, so the same brief always gives the same
 * script while different products do not all look alike.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cf-enum-types.h"
#include "cf-error.h"
#include "cf-sales-brief.h"

#define MIN_FEATURES 3
#define MAX_FEATURES 5
#define MIN_SCENES 3
#define MAX_SCENES 12
#define MAX_NAME_CHARS 80
#define MAX_FIELD_CHARS 300
#define MAX_FEATURE_CHARS 120

struct _CfSalesBrief
{
  GObject   parent_instance;

  char     *product_name;
  char     *description;
  char    **features;
  char     *audience;
  char     *offer;
  char     *call_to_action;
  char     *style;
  guint     n_scenes;
  CfAspect  aspect;
  char     *language;
};

G_DEFINE_FINAL_TYPE (CfSalesBrief, cf_sales_brief, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRODUCT_NAME,
  PROP_DESCRIPTION,
  PROP_FEATURES,
  PROP_AUDIENCE,
  PROP_OFFER,
  PROP_CALL_TO_ACTION,
  PROP_STYLE,
  PROP_N_SCENES,
  PROP_ASPECT,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const empty_strv[] = { NULL };

/* ------------------------------------------------------------------------ */
/* GObject boilerplate                                                       */
/* ------------------------------------------------------------------------ */

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static void
cf_sales_brief_finalize (GObject *object)
{
  CfSalesBrief *self = (CfSalesBrief *)object;

  g_clear_pointer (&self->product_name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->features, g_strfreev);
  g_clear_pointer (&self->audience, g_free);
  g_clear_pointer (&self->offer, g_free);
  g_clear_pointer (&self->call_to_action, g_free);
  g_clear_pointer (&self->style, g_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (cf_sales_brief_parent_class)->finalize (object);
}

static void
cf_sales_brief_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CfSalesBrief *self = CF_SALES_BRIEF (object);

  switch (prop_id)
    {
    case PROP_PRODUCT_NAME:
      g_value_set_string (value, self->product_name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_FEATURES:
      g_value_set_boxed (value, self->features);
      break;

    case PROP_AUDIENCE:
      g_value_set_string (value, self->audience);
      break;

    case PROP_OFFER:
      g_value_set_string (value, self->offer);
      break;

    case PROP_CALL_TO_ACTION:
      g_value_set_string (value, self->call_to_action);
      break;

    case PROP_STYLE:
      g_value_set_string (value, self->style);
      break;

    case PROP_N_SCENES:
      g_value_set_uint (value, self->n_scenes);
      break;

    case PROP_ASPECT:
      g_value_set_enum (value, self->aspect);
      break;

    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_sales_brief_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CfSalesBrief *self = CF_SALES_BRIEF (object);

  switch (prop_id)
    {
    case PROP_PRODUCT_NAME:
      cf_sales_brief_set_product_name (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      cf_sales_brief_set_description (self, g_value_get_string (value));
      break;

    case PROP_FEATURES:
      cf_sales_brief_set_features (self, g_value_get_boxed (value));
      break;

    case PROP_AUDIENCE:
      cf_sales_brief_set_audience (self, g_value_get_string (value));
      break;

    case PROP_OFFER:
      cf_sales_brief_set_offer (self, g_value_get_string (value));
      break;

    case PROP_CALL_TO_ACTION:
      cf_sales_brief_set_call_to_action (self, g_value_get_string (value));
      break;

    case PROP_STYLE:
      cf_sales_brief_set_style (self, g_value_get_string (value));
      break;

    case PROP_N_SCENES:
      cf_sales_brief_set_n_scenes (self, g_value_get_uint (value));
      break;

    case PROP_ASPECT:
      cf_sales_brief_set_aspect (self, g_value_get_enum (value));
      break;

    case PROP_LANGUAGE:
      cf_sales_brief_set_language (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_sales_brief_class_init (CfSalesBriefClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                             G_PARAM_STATIC_STRINGS);

  object_class->finalize = cf_sales_brief_finalize;
  object_class->get_property = cf_sales_brief_get_property;
  object_class->set_property = cf_sales_brief_set_property;

  properties[PROP_PRODUCT_NAME] =
    g_param_spec_string ("product-name", NULL, NULL, "", flags);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, "", flags);
  properties[PROP_FEATURES] =
    g_param_spec_boxed ("features", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_AUDIENCE] =
    g_param_spec_string ("audience", NULL, NULL, "", flags);
  properties[PROP_OFFER] =
    g_param_spec_string ("offer", NULL, NULL, "", flags);
  properties[PROP_CALL_TO_ACTION] =
    g_param_spec_string ("call-to-action", NULL, NULL, "", flags);
  properties[PROP_STYLE] =
    g_param_spec_string ("style", NULL, NULL, "", flags);
  /* The range is wide on purpose: cf_sales_brief_validate() explains a bad count in words. */
  properties[PROP_N_SCENES] =
    g_param_spec_uint ("n-scenes", NULL, NULL, 0, 1000, 7, flags);
  properties[PROP_ASPECT] =
    g_param_spec_enum ("aspect", NULL, NULL, CF_TYPE_ASPECT, CF_ASPECT_LANDSCAPE, flags);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "en", flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_sales_brief_init (CfSalesBrief *self)
{
  self->product_name = g_strdup ("");
  self->description = g_strdup ("");
  self->features = g_strdupv ((char **) empty_strv);
  self->audience = g_strdup ("");
  self->offer = g_strdup ("");
  self->call_to_action = g_strdup ("");
  self->style = g_strdup ("");
  self->n_scenes = 7;
  self->aspect = CF_ASPECT_LANDSCAPE;
  self->language = g_strdup ("en");
}

CfSalesBrief *
cf_sales_brief_new (void)
{
  return g_object_new (CF_TYPE_SALES_BRIEF, NULL);
}

#define DEFINE_STRING_ACCESSORS(field, prop)                                  \
const char *                                                                  \
cf_sales_brief_get_##field (CfSalesBrief *self)                               \
{                                                                             \
  g_return_val_if_fail (CF_IS_SALES_BRIEF (self), NULL);                      \
  return self->field;                                                         \
}                                                                             \
                                                                              \
void                                                                          \
cf_sales_brief_set_##field (CfSalesBrief *self,                               \
                            const char   *field)                              \
{                                                                             \
  g_return_if_fail (CF_IS_SALES_BRIEF (self));                                \
  if (set_string (&self->field, field))                                       \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);             \
}

DEFINE_STRING_ACCESSORS (product_name, PROP_PRODUCT_NAME)
DEFINE_STRING_ACCESSORS (description, PROP_DESCRIPTION)
DEFINE_STRING_ACCESSORS (audience, PROP_AUDIENCE)
DEFINE_STRING_ACCESSORS (offer, PROP_OFFER)
DEFINE_STRING_ACCESSORS (call_to_action, PROP_CALL_TO_ACTION)
DEFINE_STRING_ACCESSORS (style, PROP_STYLE)
DEFINE_STRING_ACCESSORS (language, PROP_LANGUAGE)

#undef DEFINE_STRING_ACCESSORS

const char * const *
cf_sales_brief_get_features (CfSalesBrief *self)
{
  g_return_val_if_fail (CF_IS_SALES_BRIEF (self), NULL);

  return (const char * const *) self->features;
}

void
cf_sales_brief_set_features (CfSalesBrief       *self,
                             const char * const *features)
{
  g_return_if_fail (CF_IS_SALES_BRIEF (self));

  if (features == NULL)
    features = empty_strv;

  if (g_strv_equal ((const char * const *) self->features, features))
    return;

  g_strfreev (self->features);
  self->features = g_strdupv ((char **) features);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEATURES]);
}

guint
cf_sales_brief_get_n_scenes (CfSalesBrief *self)
{
  g_return_val_if_fail (CF_IS_SALES_BRIEF (self), 0);

  return self->n_scenes;
}

void
cf_sales_brief_set_n_scenes (CfSalesBrief *self,
                             guint         n_scenes)
{
  g_return_if_fail (CF_IS_SALES_BRIEF (self));

  if (self->n_scenes != n_scenes)
    {
      self->n_scenes = n_scenes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SCENES]);
    }
}

CfAspect
cf_sales_brief_get_aspect (CfSalesBrief *self)
{
  g_return_val_if_fail (CF_IS_SALES_BRIEF (self), CF_ASPECT_DEFAULT);

  return self->aspect;
}

void
cf_sales_brief_set_aspect (CfSalesBrief *self,
                           CfAspect      aspect)
{
  g_return_if_fail (CF_IS_SALES_BRIEF (self));
  g_return_if_fail (aspect <= CF_ASPECT_SQUARE);

  if (self->aspect != aspect)
    {
      self->aspect = aspect;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT]);
    }
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                */
/* ------------------------------------------------------------------------ */

/* One line, single spaces: what the user typed, tidied for a prompt. */
static char *
tidy (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          continue;
        }

      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* The features the user actually filled in (a form may have empty rows). */
static GPtrArray *
tidy_features (CfSalesBrief *self)
{
  GPtrArray *features = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; self->features[i] != NULL; i++)
    {
      char *feature = tidy (self->features[i]);

      if (feature[0] != '\0')
        g_ptr_array_add (features, feature);
      else
        g_free (feature);
    }

  return features;
}

static gboolean
is_vietnamese (const char *language)
{
  return g_ascii_strncasecmp (language, "vi", 2) == 0 &&
         (language[2] == '\0' || language[2] == '_' || language[2] == '-');
}

static gboolean
is_english (const char *language)
{
  return g_ascii_strncasecmp (language, "en", 2) == 0 &&
         (language[2] == '\0' || language[2] == '_' || language[2] == '-');
}

static gboolean
check_text (const char  *value,
            const char  *missing_message,
            const char  *label,
            guint        max_chars,
            GError     **error)
{
  g_autofree char *text = tidy (value);
  glong n_chars = g_utf8_strlen (text, -1);

  if (text[0] == '\0')
    {
      g_set_error_literal (error, CF_ERROR, CF_ERROR_BAD_INPUT, missing_message);
      return FALSE;
    }

  if (n_chars > (glong) max_chars)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   /* TRANSLATORS: %s is a field of the form, e.g. "The product name". */
                   _("%s is too long (%ld characters); keep it under %u."),
                   label, n_chars, max_chars);
      return FALSE;
    }

  return TRUE;
}

gboolean
cf_sales_brief_validate (CfSalesBrief  *self,
                         GError       **error)
{
  g_autoptr(GPtrArray) features = NULL;

  g_return_val_if_fail (CF_IS_SALES_BRIEF (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_text (self->product_name, _("Enter the product name."),
                   _("The product name"), MAX_NAME_CHARS, error) ||
      !check_text (self->description, _("Describe what the product is in a few words."),
                   _("The description"), MAX_FIELD_CHARS, error))
    return FALSE;

  features = tidy_features (self);
  if (features->len < MIN_FEATURES)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("List at least %d key features (you have %u)."),
                   MIN_FEATURES, features->len);
      return FALSE;
    }
  if (features->len > MAX_FEATURES)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("List at most %d key features (you have %u); keep the strongest."),
                   MAX_FEATURES, features->len);
      return FALSE;
    }
  for (guint i = 0; i < features->len; i++)
    {
      const char *feature = g_ptr_array_index (features, i);

      if (g_utf8_strlen (feature, -1) > MAX_FEATURE_CHARS)
        {
          g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                       _("Key feature %u is too long; describe it in under %d characters."),
                       i + 1, MAX_FEATURE_CHARS);
          return FALSE;
        }
    }

  if (!check_text (self->audience, _("Say who the product is for (the target audience)."),
                   _("The target audience"), MAX_FIELD_CHARS, error) ||
      !check_text (self->offer, _("Enter the offer or the price."),
                   _("The offer"), MAX_FIELD_CHARS, error) ||
      !check_text (self->call_to_action,
                   _("Enter the call to action, for example “Order today at example.com”."),
                   _("The call to action"), MAX_FIELD_CHARS, error) ||
      !check_text (self->style,
                   _("Describe the visual style, for example “bright, modern, cinematic”."),
                   _("The visual style"), MAX_FIELD_CHARS, error))
    return FALSE;

  if (self->n_scenes < MIN_SCENES || self->n_scenes > MAX_SCENES)
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The number of scenes must be from %d to %d (it is %u)."),
                   MIN_SCENES, MAX_SCENES, self->n_scenes);
      return FALSE;
    }

  if (!is_english (self->language) && !is_vietnamese (self->language))
    {
      g_set_error (error, CF_ERROR, CF_ERROR_BAD_INPUT,
                   _("The language of the scene titles must be English or Vietnamese."));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The arc                                                                   */
/* ------------------------------------------------------------------------ */

typedef enum
{
  STAGE_HOOK,
  STAGE_PROBLEM,
  STAGE_REVEAL,
  STAGE_REVEAL_FEATURES,
  STAGE_FEATURE,
  STAGE_PROOF,
  STAGE_OFFER,
  STAGE_OFFER_CTA,
  STAGE_CTA,
  N_STAGES
} Stage;

/*
 * Short videos keep the spine of the arc and merge stages: three scenes are
 * hook, reveal with features, offer with call to action. From eight scenes on,
 * the extra scenes go alternately to features and proof.
 */
static GArray *
plan_arc (guint n_scenes)
{
  GArray *arc = g_array_new (FALSE, FALSE, sizeof (Stage));
  Stage stage;
  guint n_features = 1;
  guint n_proofs = 1;

#define ADD(s) G_STMT_START { stage = (s); g_array_append_val (arc, stage); } G_STMT_END

  switch (n_scenes)
    {
    case 3:
      ADD (STAGE_HOOK); ADD (STAGE_REVEAL_FEATURES); ADD (STAGE_OFFER_CTA);
      break;

    case 4:
      ADD (STAGE_HOOK); ADD (STAGE_PROBLEM); ADD (STAGE_REVEAL_FEATURES); ADD (STAGE_OFFER_CTA);
      break;

    case 5:
      ADD (STAGE_HOOK); ADD (STAGE_PROBLEM); ADD (STAGE_REVEAL); ADD (STAGE_FEATURE);
      ADD (STAGE_OFFER_CTA);
      break;

    case 6:
      ADD (STAGE_HOOK); ADD (STAGE_PROBLEM); ADD (STAGE_REVEAL); ADD (STAGE_FEATURE);
      ADD (STAGE_OFFER); ADD (STAGE_CTA);
      break;

    default:
      n_features += (n_scenes - 7 + 1) / 2;
      n_proofs += (n_scenes - 7) / 2;
      ADD (STAGE_HOOK); ADD (STAGE_PROBLEM); ADD (STAGE_REVEAL);
      for (guint i = 0; i < n_features; i++)
        ADD (STAGE_FEATURE);
      for (guint i = 0; i < n_proofs; i++)
        ADD (STAGE_PROOF);
      ADD (STAGE_OFFER); ADD (STAGE_CTA);
      break;
    }

#undef ADD

  g_assert (arc->len == n_scenes);

  return arc;
}

/* ------------------------------------------------------------------------ */
/* Vocabulary                                                                */
/* ------------------------------------------------------------------------ */

static const char * const hook_cameras[] = {
  "A fast push-in from a wide shot to an extreme close-up",
  "A dramatic low-angle crane shot rising upward",
  "A whip pan that snaps into focus",
  "A slow-motion macro shot",
  "A top-down overhead shot that slowly rotates",
};

static const char * const problem_cameras[] = {
  "A handheld, slightly restless medium shot",
  "A static wide shot that lingers a beat too long",
  "A slow push-in on a tired, frustrated face",
  "An over-the-shoulder shot",
};

static const char * const reveal_cameras[] = {
  "A smooth 360-degree orbit around",
  "A slow dolly-in with a rack focus onto",
  "A low-angle hero shot slowly tilting up to",
  "A graceful crane-down shot onto",
};

static const char * const feature_cameras[] = {
  "A macro close-up sliding along",
  "A smooth gimbal tracking shot following",
  "A slider shot gliding sideways past",
  "A tight, steady close-up on",
  "A gentle handheld close-up of",
};

static const char * const proof_cameras[] = {
  "A natural, interview-style medium shot",
  "A warm documentary-style handheld shot",
  "A steady eye-level shot",
};

static const char * const offer_cameras[] = {
  "A clean, centered product shot on a slowly turning pedestal",
  "A slow push-in on the product",
  "A top-down flat-lay shot",
};

static const char * const cta_cameras[] = {
  "A medium close-up, the presenter looking straight into the lens",
  "A slow pull-back from a close-up to a friendly medium shot",
};

static const char * const lightings[] = {
  "soft golden-hour sunlight with long warm shadows",
  "bright, clean high-key studio lighting",
  "moody low-key lighting with a warm rim light",
  "soft natural window light",
  "vibrant neon-tinged evening light",
  "crisp, airy morning daylight",
};

static const char * const everyday_settings[] = {
  "a sunlit modern kitchen",
  "a busy city street",
  "a cosy living room",
  "a bright open-plan office",
  "a small apartment with plants on the windowsill",
  "a lively café",
};

static const char * const reveal_settings[] = {
  "a minimalist studio with a seamless backdrop",
  "a sculpted stone pedestal surrounded by soft haze",
  "a sunlit wooden tabletop",
  "a glossy reflective surface with a gradient background",
};

static const char * const hook_actions[] = {
  "turns sharply toward the camera as if they just noticed something remarkable",
  "freezes mid-motion as the world around them slips into dramatic slow motion",
  "catches a falling object just before it hits the ground, then grins",
  "pauses and looks up as a single beam of light cuts through the scene",
};

static const char * const problem_actions[] = {
  "sighing at a cluttered, frustrating routine and checking the time",
  "giving up on a clumsy old solution that keeps failing",
  "rubbing their eyes, stressed by a task that takes far too long",
  "looking around, annoyed, at a mess that never seems to shrink",
};

static const char * const reveal_actions[] = {
  "The product emerges from soft shadow as light sweeps across it, every detail crisp",
  "Drifting particles of light swirl and settle as the product lands center frame",
  "A hand sets the product down and the background melts into a soft blur",
  "A curtain of mist parts to reveal the product, sharp and gleaming",
};

/* Plural, since they also complete "... and <action> show off its key features". */
static const char * const feature_actions[] = {
  "clear, tactile close-ups of hands using it",
  "quick, satisfying cuts between detail shots",
  "smooth, unhurried shots where every result is visible at a glance",
};

typedef enum
{
  PROOF_TESTIMONIAL,
  PROOF_BEFORE_AFTER,
  PROOF_SOCIAL,
  PROOF_QUALITY,
  N_PROOFS
} ProofKind;

/* FNV-1a, then splitmix64: stable across runs, machines and GLib versions. */
static guint64
hash_text (guint64     hash,
           const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }

  /* A separator, so that ("ab", "c") and ("a", "bc") differ. */
  hash ^= 0x1f;
  hash *= G_GUINT64_CONSTANT (0x100000001b3);

  return hash;
}

static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);

  return x ^ (x >> 31);
}

typedef struct
{
  guint64     seed;
  gboolean    vietnamese;
  char       *product;
  char       *description;
  GPtrArray  *features;
  char       *audience;
  char       *offer;
  char       *cta;
  char       *style;
  const char *lighting;
  const char *framing;
  guint       uses[N_STAGES];  /* how many scenes of each stage so far */
} Builder;

static void
builder_clear (Builder *builder)
{
  g_free (builder->product);
  g_free (builder->description);
  g_clear_pointer (&builder->features, g_ptr_array_unref);
  g_free (builder->audience);
  g_free (builder->offer);
  g_free (builder->cta);
  g_free (builder->style);
}

/*
 * The n-th scene of a stage takes the next entry after the stage's starting
 * point, so that two feature scenes never share a camera move.
 */
static const char *
pick (const Builder      *builder,
      const char * const *words,
      guint               n_words,
      guint               salt,
      guint               occurrence)
{
  guint64 start = mix (builder->seed ^ mix (salt)) % n_words;

  return words[(start + occurrence) % n_words];
}

#define PICK(builder, words, salt, occurrence) \
  pick ((builder), (words), G_N_ELEMENTS (words), (salt), (occurrence))

/* "a, b and c" */
static char *
join_list (GPtrArray *items,
           guint      first,
           guint      step)
{
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint i = first; i < items->len; i += step)
    g_ptr_array_add (chosen, g_ptr_array_index (items, i));

  for (guint i = 0; i < chosen->len; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == chosen->len ? (chosen->len > 2 ? ", and " : " and ")
                                                   : ", ");
      g_string_append (out, g_ptr_array_index (chosen, i));
    }

  return g_string_free (out, FALSE);
}

static char *
person (const Builder *builder)
{
  return g_strdup_printf ("a person from the target audience (%s)", builder->audience);
}

/* The tail every prompt shares: light, style and framing, so the scenes cut together. */
static void
append_look (GString       *prompt,
             const Builder *builder,
             const char    *lighting)
{
  g_string_append_printf (prompt, " Lighting: %s. Visual style: %s.", lighting, builder->style);
  if (builder->framing != NULL)
    g_string_append_printf (prompt, " %s.", builder->framing);
  g_string_append (prompt, " No on-screen text.");
}

typedef struct
{
  char *title;
  char *prompt;
} Beat;

static Beat
compose (Builder *builder,
         Stage    stage,
         guint    feature_scenes,
         guint    n_feature_scenes)
{
  GString *prompt = g_string_new (NULL);
  g_autofree char *who = person (builder);
  guint k = builder->uses[stage]++;
  const char *setting = PICK (builder, everyday_settings, 1, k + stage);
  char *title = NULL;

  switch (stage)
    {
    case STAGE_HOOK:
      g_string_append_printf (prompt,
                              "%s opens a commercial for %s: in %s, %s %s.",
                              PICK (builder, hook_cameras, 10, k), builder->product, setting,
                              who, PICK (builder, hook_actions, 11, k));
      append_look (prompt, builder, builder->lighting);
      title = g_strdup (builder->vietnamese ? "Mở đầu" : "Hook");
      break;

    case STAGE_PROBLEM:
      g_string_append_printf (prompt,
                              "%s in %s: %s struggles through the day without %s, %s, "
                              "the everyday problem that %s is about to solve.",
                              PICK (builder, problem_cameras, 20, k), setting, who,
                              builder->description, PICK (builder, problem_actions, 21, k),
                              builder->product);
      /* The problem looks dull on purpose, so that the reveal feels like relief. */
      append_look (prompt, builder, "flat, slightly cold and desaturated light");
      title = g_strdup (builder->vietnamese ? "Vấn đề" : "The problem");
      break;

    case STAGE_REVEAL:
      g_string_append_printf (prompt,
                              "%s %s, %s, revealed on %s. %s.",
                              PICK (builder, reveal_cameras, 30, k), builder->product,
                              builder->description, PICK (builder, reveal_settings, 31, k),
                              PICK (builder, reveal_actions, 32, k));
      append_look (prompt, builder, builder->lighting);
      title = g_strdup (builder->vietnamese ? "Giới thiệu sản phẩm" : "Product reveal");
      break;

    case STAGE_REVEAL_FEATURES:
      {
        g_autofree char *all = join_list (builder->features, 0, 1);

        g_string_append_printf (prompt,
                                "%s %s, %s, revealed on %s, then shown in action in %s: %s "
                                "uses it, and %s show off its key features: %s.",
                                PICK (builder, reveal_cameras, 30, k), builder->product,
                                builder->description, PICK (builder, reveal_settings, 31, k),
                                setting, who, PICK (builder, feature_actions, 41, k), all);
        append_look (prompt, builder, builder->lighting);
        title = g_strdup (builder->vietnamese ? "Giới thiệu và tính năng"
                                              : "Reveal and features");
      }
      break;

    case STAGE_FEATURE:
      {
        g_autofree char *shown = NULL;
        const char *feature_title;

        /*
         * With fewer scenes than features a scene shows several; with more,
         * the last ones show them all together in daily life.
         */
        if (feature_scenes < builder->features->len)
          shown = join_list (builder->features, feature_scenes, n_feature_scenes);

        if (shown != NULL)
          {
            guint n_shown = (builder->features->len - feature_scenes + n_feature_scenes - 1)
                            / n_feature_scenes;

            g_string_append_printf (prompt,
                                    "%s %s in use in %s, as %s uses it with ease. The shot "
                                    "demonstrates its key %s: %s, through %s.",
                                    PICK (builder, feature_cameras, 40, k), builder->product,
                                    setting, who, n_shown > 1 ? "features" : "feature", shown,
                                    PICK (builder, feature_actions, 41, k));
            feature_title = n_feature_scenes >= builder->features->len
              ? g_ptr_array_index (builder->features, feature_scenes) : NULL;
            if (feature_title != NULL)
              title = g_strdup_printf (builder->vietnamese ? "Tính năng: %s" : "Feature: %s",
                                       feature_title);
            else if (n_feature_scenes > 1)
              title = g_strdup_printf (builder->vietnamese ? "Tính năng (%u/%u)"
                                                           : "Features (%u/%u)",
                                       feature_scenes + 1, n_feature_scenes);
            else
              title = g_strdup (builder->vietnamese ? "Tính năng" : "Features");
          }
        else
          {
            g_autofree char *all = join_list (builder->features, 0, 1);

            g_string_append_printf (prompt,
                                    "A fast, rhythmic montage of %s in daily life: %s enjoys "
                                    "it in %s and other everyday places, each quick cut "
                                    "showing off one of its key features: %s. Energetic match "
                                    "cuts between wide shots and close-ups.",
                                    builder->product, who, setting, all);
            title = g_strdup (builder->vietnamese ? "Tính năng trong đời sống"
                                                  : "Features in everyday life");
          }
        append_look (prompt, builder, builder->lighting);
      }
      break;

    case STAGE_PROOF:
      {
        ProofKind kind = (mix (builder->seed ^ 50) + k) % N_PROOFS;
        const char *camera = PICK (builder, proof_cameras, 51, k);

        switch (kind)
          {
          case PROOF_TESTIMONIAL:
            g_string_append_printf (prompt,
                                    "%s of a delighted customer, %s, holding %s in %s and "
                                    "speaking warmly to the camera about how it changed their "
                                    "routine; genuine smile, relaxed body language.",
                                    camera, who, builder->product, setting);
            title = g_strdup (builder->vietnamese ? "Bằng chứng: khách hàng nói gì"
                                                  : "Proof: a customer’s word");
            break;

          case PROOF_BEFORE_AFTER:
            g_string_append_printf (prompt,
                                    "%s, split into a before-and-after: the same corner of %s, "
                                    "first messy and stressful, then calm and effortless "
                                    "with %s.",
                                    camera, setting, builder->product);
            title = g_strdup (builder->vietnamese ? "Bằng chứng: trước và sau"
                                                  : "Proof: before and after");
            break;

          case PROOF_SOCIAL:
            g_string_append_printf (prompt,
                                    "%s of several different people from the target audience "
                                    "(%s) enjoying %s in quick succession, nodding, laughing "
                                    "and sharing it with friends in %s.",
                                    camera, builder->audience, builder->product, setting);
            title = g_strdup (builder->vietnamese ? "Bằng chứng: ai cũng thích"
                                                  : "Proof: people love it");
            break;

          case PROOF_QUALITY:
          case N_PROOFS:
          default:
            g_string_append_printf (prompt,
                                    "%s moving into an extreme macro view of %s, its materials "
                                    "and finish in perfect detail, while a satisfied customer "
                                    "in the soft-focus background of %s smiles and nods.",
                                    camera, builder->product, setting);
            title = g_strdup (builder->vietnamese ? "Bằng chứng: chất lượng"
                                                  : "Proof: quality up close");
            break;
          }
        append_look (prompt, builder, builder->lighting);
      }
      break;

    case STAGE_OFFER:
      g_string_append_printf (prompt,
                              "%s: %s stands as the hero of the frame on %s, a festive burst of "
                              "light and confetti around it, while a warm voiceover says: "
                              "\"%s\".",
                              PICK (builder, offer_cameras, 60, k), builder->product,
                              PICK (builder, reveal_settings, 61, k), builder->offer);
      append_look (prompt, builder, builder->lighting);
      title = g_strdup (builder->vietnamese ? "Ưu đãi" : "The offer");
      break;

    case STAGE_OFFER_CTA:
      {
        gsize len = strlen (builder->offer);
        gboolean closed = len > 0 && strchr (".!?", builder->offer[len - 1]) != NULL;

        g_string_append_printf (prompt,
                                "%s: %s holds %s up to the camera in %s and says with a "
                                "confident smile: \"%s%s %s\".",
                                PICK (builder, cta_cameras, 70, k), who, builder->product,
                                setting, builder->offer, closed ? "" : ".", builder->cta);
      }
      append_look (prompt, builder, builder->lighting);
      title = g_strdup (builder->vietnamese ? "Ưu đãi và kêu gọi hành động"
                                            : "Offer and call to action");
      break;

    case STAGE_CTA:
      g_string_append_printf (prompt,
                              "%s: %s holds %s toward the camera in %s and says with a "
                              "confident smile: \"%s\".",
                              PICK (builder, cta_cameras, 70, k), who, builder->product,
                              setting, builder->cta);
      append_look (prompt, builder, builder->lighting);
      title = g_strdup (builder->vietnamese ? "Kêu gọi hành động" : "Call to action");
      break;

    case N_STAGES:
    default:
      g_assert_not_reached ();
    }

  return (Beat) { title, g_string_free (prompt, FALSE) };
}

static const char *
framing_for (CfAspect aspect)
{
  switch (aspect)
    {
    case CF_ASPECT_PORTRAIT: return "Vertical 9:16 framing, subject centered for phones";
    case CF_ASPECT_SQUARE: return "Square 1:1 framing";
    case CF_ASPECT_LANDSCAPE: return "Widescreen 16:9 framing";
    case CF_ASPECT_DEFAULT:
    default:
      return NULL;
    }
}

CfScript *
cf_sales_brief_build_script (CfSalesBrief  *self,
                             GError       **error)
{
  g_autoptr(CfScript) script = NULL;
  g_autoptr(GArray) arc = NULL;
  Builder builder = { 0 };
  guint n_feature_scenes = 0;
  guint feature_scene = 0;

  g_return_val_if_fail (CF_IS_SALES_BRIEF (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cf_sales_brief_validate (self, error))
    return NULL;

  builder.vietnamese = is_vietnamese (self->language);
  builder.product = tidy (self->product_name);
  builder.description = tidy (self->description);
  builder.features = tidy_features (self);
  builder.audience = tidy (self->audience);
  builder.offer = tidy (self->offer);
  builder.cta = tidy (self->call_to_action);
  builder.style = tidy (self->style);
  builder.framing = framing_for (self->aspect);

  /* Only what the brief says goes into the seed: no time, no address, no locale. */
  builder.seed = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  builder.seed = hash_text (builder.seed, builder.product);
  builder.seed = hash_text (builder.seed, builder.description);
  for (guint i = 0; i < builder.features->len; i++)
    builder.seed = hash_text (builder.seed, g_ptr_array_index (builder.features, i));
  builder.seed = hash_text (builder.seed, builder.audience);
  builder.seed = hash_text (builder.seed, builder.offer);
  builder.seed = hash_text (builder.seed, builder.cta);
  builder.seed = hash_text (builder.seed, builder.style);
  builder.seed = mix (builder.seed ^ self->n_scenes);
  builder.lighting = PICK (&builder, lightings, 2, 0);

  script = cf_script_new ();
  cf_script_set_title (script, builder.product);
  cf_script_set_default_aspect (script, self->aspect);

  arc = plan_arc (self->n_scenes);
  for (guint i = 0; i < arc->len; i++)
    n_feature_scenes += g_array_index (arc, Stage, i) == STAGE_FEATURE;

  for (guint i = 0; i < arc->len; i++)
    {
      Stage stage = g_array_index (arc, Stage, i);
      Beat beat = compose (&builder, stage, feature_scene, n_feature_scenes);
      g_autoptr(CfScene) scene = cf_scene_new (beat.prompt);

      if (stage == STAGE_FEATURE)
        feature_scene++;

      cf_scene_set_title (scene, beat.title);
      cf_scene_set_negative_prompt (scene,
                                    "on-screen text, subtitles, watermarks, other brands' logos, "
                                    "distorted hands or faces, blurry or low-quality footage");
      cf_script_append_scene (script, scene);

      g_free (beat.title);
      g_free (beat.prompt);
    }

  builder_clear (&builder);

  return g_steal_pointer (&script);
}
