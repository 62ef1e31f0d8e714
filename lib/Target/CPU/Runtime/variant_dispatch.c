/*===- variant_dispatch.c - one model, several x86-64 variants ----*- C -*-===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 * A portable model carries its code several times, once per x86-64 level
 * (x86-64-v2, -v3, -v4), each a whole model with the ABI runtime under a
 * prefix of its own. This file is the model's public API in front of them:
 * kilnc links it in, renames each `kiln_abi_<f>` to `<prefix>_<f>` and
 * generates `kiln_gen_variants`, the variants from the least demanding to
 * the most, each with the CPU features it needs and its API table.
 *
 * The variant is chosen once per process, at the first call (normally
 * model_create): the last one whose features the CPU has, or the one the
 * environment variable KILN_CPU_VARIANT names. Every call then goes to it,
 * so a model and its contexts always belong to the same variant.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln_types.h"
#include "model_api_table.h"
#include "x86_cpuid.h"

char *getenv(const char *name);
int strcmp(const char *a, const char *b);

typedef struct kiln_variant {
  const char *name;      /* the CPU it was compiled for: "x86-64-v3" */
  uint32_t x86_features; /* x86_host_features.h bits it needs */
  const kiln_model_api *(*get_api)(uint32_t version);
} kiln_variant;

extern const int32_t kiln_gen_num_variants;
extern const kiln_variant kiln_gen_variants[];

/*===-- the choice --------------------------------------------------------===*/

/* The choice as index | status << 8, or -1 before the first call. Every
 * thread computes the same value, so a race only repeats the work. */
static int32_t choice = -1;

static const char *const kForceVariable = "KILN_CPU_VARIANT";

static int32_t decide(void) {
  uint32_t host = kiln_host_x86_features();
  int32_t best = -1;
  for (int32_t i = 0; i < kiln_gen_num_variants; ++i)
    if (!(kiln_gen_variants[i].x86_features & ~host))
      best = i;
  const char *forced = getenv(kForceVariable);
  if (forced && *forced) {
    for (int32_t i = 0; i < kiln_gen_num_variants; ++i)
      if (!strcmp(kiln_gen_variants[i].name, forced))
        return kiln_gen_variants[i].x86_features & ~host
                   ? i | KILN_STATUS_UNSUPPORTED_HOST << 8
                   : i;
    return (best < 0 ? 0 : best) | KILN_STATUS_INVALID_ARGUMENT << 8;
  }
  return best < 0 ? KILN_STATUS_UNSUPPORTED_HOST << 8 : best;
}

static int32_t choose(void) {
  int32_t c = __atomic_load_n(&choice, __ATOMIC_ACQUIRE);
  if (c < 0) {
    c = decide();
    __atomic_store_n(&choice, c, __ATOMIC_RELEASE);
  }
  return c;
}

static const kiln_model_api *chosen_api(void) {
  return kiln_gen_variants[choose() & 0xff].get_api(KILN_ABI_VERSION);
}

/* Why the choice failed, into msg; the status (OK if it did not). */
static kiln_status explain_choice(char *msg, size_t cap) {
  int32_t c = choose();
  kiln_status status = (kiln_status)(c >> 8);
  const kiln_variant *variant = &kiln_gen_variants[c & 0xff];
  if (status == KILN_STATUS_UNSUPPORTED_HOST) {
    kiln_write_missing_x86_features(
        msg, cap, variant->x86_features & ~kiln_host_x86_features());
    int at = msg && cap ? (int)__builtin_strlen(msg) : -1;
    if (at >= 0 && (size_t)at < cap)
      snprintf(msg + at, cap - (size_t)at, " (for the variant %s)",
               variant->name);
  } else if (status == KILN_STATUS_INVALID_ARGUMENT && msg && cap) {
    int at = snprintf(msg, cap, "%s names no variant of this model; it has",
                      kForceVariable);
    for (int32_t i = 0;
         i < kiln_gen_num_variants && at >= 0 && (size_t)at < cap; ++i)
      at += snprintf(msg + at, cap - (size_t)at, " %s",
                     kiln_gen_variants[i].name);
  }
  return status;
}

/*===-- the API, forwarded ------------------------------------------------===*/

uint32_t kiln_abi_abi_version(void) { return KILN_ABI_VERSION; }

const kiln_model_info *kiln_abi_model_info(void) {
  return chosen_api()->model_info();
}

const char *kiln_abi_metadata_json(void) {
  return chosen_api()->metadata_json();
}

int32_t kiln_abi_num_inputs(void) { return chosen_api()->num_inputs(); }

int32_t kiln_abi_num_outputs(void) { return chosen_api()->num_outputs(); }

const kiln_tensor_desc *kiln_abi_input_desc(int32_t i) {
  return chosen_api()->input_desc(i);
}

const kiln_tensor_desc *kiln_abi_output_desc(int32_t i) {
  return chosen_api()->output_desc(i);
}

int32_t kiln_abi_num_dim_symbols(void) {
  return chosen_api()->num_dim_symbols();
}

const kiln_dim_symbol *kiln_abi_dim_symbol(int32_t i) {
  return chosen_api()->dim_symbol(i);
}

const char *kiln_abi_status_string(kiln_status status) {
  return chosen_api()->status_string(status);
}

kiln_status kiln_abi_check_host(char *msg, size_t cap) {
  kiln_status status = explain_choice(msg, cap);
  if (status != KILN_STATUS_OK)
    return status;
  return chosen_api()->check_host(msg, cap);
}

kiln_status kiln_abi_model_create(const kiln_hooks *hooks, const void *weights,
                                  size_t weights_size, kiln_model **out,
                                  char *msg, size_t cap) {
  kiln_status status = explain_choice(msg, cap);
  if (status != KILN_STATUS_OK) {
    if (out)
      *out = 0;
    return status;
  }
  return chosen_api()->model_create(hooks, weights, weights_size, out, msg,
                                    cap);
}

void kiln_abi_model_destroy(kiln_model *model) {
  chosen_api()->model_destroy(model);
}

kiln_status kiln_abi_ctx_create(const kiln_model *model, kiln_ctx **out) {
  return chosen_api()->ctx_create(model, out);
}

kiln_status kiln_abi_ctx_create_without_workspace(const kiln_model *model,
                                                  kiln_ctx **out) {
  return chosen_api()->ctx_create_without_workspace(model, out);
}

void kiln_abi_ctx_destroy(kiln_ctx *ctx) { chosen_api()->ctx_destroy(ctx); }

const char *kiln_abi_ctx_last_error(const kiln_ctx *ctx) {
  return chosen_api()->ctx_last_error(ctx);
}

kiln_status kiln_abi_query(kiln_ctx *ctx, const kiln_tensor *in, int32_t n_in,
                           kiln_tensor *out, int32_t n_out,
                           size_t *workspace_bytes) {
  return chosen_api()->query(ctx, in, n_in, out, n_out, workspace_bytes);
}

kiln_status kiln_abi_run(kiln_ctx *ctx, const kiln_run_options *opts,
                         const kiln_tensor *in, int32_t n_in, kiln_tensor *out,
                         int32_t n_out, void *workspace,
                         size_t workspace_bytes) {
  return chosen_api()->run(ctx, opts, in, n_in, out, n_out, workspace,
                           workspace_bytes);
}

/*===-- the API table -----------------------------------------------------===*/

KILN_DEFINE_MODEL_API_TABLE()
