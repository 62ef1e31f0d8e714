/*===- model_abi.c - the C ABI around a compiled model ------------*- C -*-===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 * This file is compiled to LLVM bitcode when kiln is built and linked by
 * kilnc into every model it compiles, so that linking a model needs nothing
 * but libc and libm. kilnc then renames each `kiln_abi_<f>` to
 * `<prefix>_<f>` and makes every other symbol internal.
 *
 * The model-specific parts are globals kilnc generates (`kiln_gen_*`): the
 * tensor descriptors, symbolic dims, metadata, the static workspace size,
 * the CPU features compiled for, `kiln_gen_dims`, which computes the output
 * dims and the workspace size from the inputs, and `kiln_gen_entry`, which
 * calls the code MLIR generated. Both take one memref descriptor per
 * argument: the inputs, then `memref<?xi64>` (dims) or the workspace and
 * the outputs (entry).
 *
 * No libc headers: the file is compiled for several targets on one host.
 * No mutable global state: everything lives in the model and the context.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln_types.h"
#include "model_api_table.h"
#include "x86_cpuid.h"

void *malloc(size_t size);
void free(void *ptr);
int snprintf(char *str, size_t size, const char *format, ...);
int vsnprintf(char *str, size_t size, const char *format,
              __builtin_va_list args);

/*===-- what kilnc generates ----------------------------------------------===*/

extern const int32_t kiln_gen_num_inputs;
extern const int32_t kiln_gen_num_outputs;
extern const kiln_tensor_desc kiln_gen_input_descs[];
extern const kiln_tensor_desc kiln_gen_output_descs[];
extern const kiln_model_info kiln_gen_model_info;
extern const char kiln_gen_metadata_json[];
extern const uint64_t kiln_gen_workspace_bytes; /* the static part */
extern const uint32_t kiln_gen_x86_features;
extern const int32_t kiln_gen_num_dim_symbols;
extern const kiln_dim_symbol kiln_gen_dim_symbols[];
extern const int32_t *const kiln_gen_input_dim_symbols[];
extern const int32_t kiln_gen_num_shape_checks;
extern const char *const kiln_gen_shape_checks[];
void kiln_gen_dims(void **descriptors);
void kiln_gen_entry(void **descriptors);

/*===-- threads -----------------------------------------------------------===*/

/* The hooks of the model this thread is running, for the generated code's
 * parallel loops (kiln-lower-parallel-calls); set around kiln_gen_entry. */
static __thread const kiln_hooks *running_hooks;

/* Runs fn(arg, begin, end) over [0, n): through the caller's parallel_for,
 * or here when there is none. The generated code calls it. */
void kiln_rt_parallel_for(int64_t n, kiln_task_fn fn, void *arg);
void kiln_rt_parallel_for(int64_t n, kiln_task_fn fn, void *arg) {
  const kiln_hooks *hooks = running_hooks;
  if (n > 1 && hooks && hooks->parallel_for)
    hooks->parallel_for(hooks->user, n, fn, arg);
  else if (n > 0)
    fn(arg, 0, n);
}

/*===-- objects -----------------------------------------------------------===*/

enum { kMessageCapacity = 512, kWorkspaceAlignment = 64 };

struct kiln_model {
  kiln_hooks hooks;
};

struct kiln_ctx {
  const struct kiln_model *model;
  void *workspace; /* owned; workspace_capacity + alignment slack */
  size_t workspace_capacity;
  int64_t *words;          /* storage of the memref descriptors */
  void **descriptors;      /* inputs, workspace, outputs */
  void **dims_descriptors; /* inputs, dims */
  int64_t dims_words[5];   /* the descriptor of memref<?xi64> dims */
  int64_t *dims; /* what kiln_gen_dims computes: workspace, output dims */
  int64_t *symbol_values; /* per symbol, this call's value */
  int32_t *symbol_origin; /* per symbol, input * 65536 + dim that set it */
  char message[kMessageCapacity];
};

static void *default_alloc(void *user, size_t bytes, size_t alignment) {
  (void)user;
  (void)alignment; /* callers over-allocate and align themselves */
  return malloc(bytes);
}

static void default_free(void *user, void *ptr) {
  (void)user;
  free(ptr);
}

static void *hooks_alloc(const kiln_hooks *hooks, size_t bytes) {
  return hooks->alloc(hooks->user, bytes ? bytes : 1, kWorkspaceAlignment);
}

/*===-- descriptors and sizes ---------------------------------------------===*/

static const char *dtype_name(kiln_dtype dtype) {
  switch (dtype) {
  case KILN_DTYPE_FLOAT32:
    return "float32";
  case KILN_DTYPE_UINT8:
    return "uint8";
  case KILN_DTYPE_INT8:
    return "int8";
  case KILN_DTYPE_UINT16:
    return "uint16";
  case KILN_DTYPE_INT16:
    return "int16";
  case KILN_DTYPE_INT32:
    return "int32";
  case KILN_DTYPE_INT64:
    return "int64";
  case KILN_DTYPE_BOOL:
    return "bool";
  case KILN_DTYPE_FLOAT16:
    return "float16";
  case KILN_DTYPE_FLOAT64:
    return "float64";
  case KILN_DTYPE_UINT32:
    return "uint32";
  case KILN_DTYPE_UINT64:
    return "uint64";
  case KILN_DTYPE_BFLOAT16:
    return "bfloat16";
  case KILN_DTYPE_FLOAT8E4M3FN:
    return "float8e4m3fn";
  case KILN_DTYPE_FLOAT8E4M3FNUZ:
    return "float8e4m3fnuz";
  case KILN_DTYPE_FLOAT8E5M2:
    return "float8e5m2";
  case KILN_DTYPE_FLOAT8E5M2FNUZ:
    return "float8e5m2fnuz";
  case KILN_DTYPE_UINT4:
    return "uint4";
  case KILN_DTYPE_INT4:
    return "int4";
  case KILN_DTYPE_FLOAT4E2M1:
    return "float4e2m1";
  case KILN_DTYPE_UINT2:
    return "uint2";
  case KILN_DTYPE_INT2:
    return "int2";
  default:
    return "unknown";
  }
}

/* Bytes of a dense tensor, or -1 when that overflows. */
static int64_t tensor_bytes(kiln_dtype dtype, int32_t rank,
                            const int64_t *dims) {
  int64_t bytes = (int64_t)kiln_dtype_size(dtype);
  for (int32_t d = 0; d < rank; ++d) {
    if (dims[d] != 0 && bytes > INT64_MAX / dims[d])
      return -1;
    bytes *= dims[d];
  }
  return bytes;
}

static int32_t num_args(void) {
  return kiln_gen_num_inputs + kiln_gen_num_outputs + 1;
}

/* Arguments of the compute function: inputs, the workspace, outputs. */
static int32_t arg_rank(int32_t arg) {
  if (arg < kiln_gen_num_inputs)
    return kiln_gen_input_descs[arg].rank;
  if (arg == kiln_gen_num_inputs)
    return 1; /* the workspace, memref<?xi8> */
  return kiln_gen_output_descs[arg - kiln_gen_num_inputs - 1].rank;
}

/* Entries of ctx->dims: the workspace size, every output dim, then the
 * shape check status (0, or 1 + the index of the first failing check). */
static size_t num_dims_entries(void) {
  size_t n = 2;
  for (int32_t o = 0; o < kiln_gen_num_outputs; ++o)
    n += (size_t)kiln_gen_output_descs[o].rank;
  return n;
}

/* A ranked memref descriptor: {allocated, aligned, offset, sizes, strides}. */
static void fill_descriptor(int64_t *words, void *data, int32_t rank,
                            const int64_t *dims) {
  void *pointers[2] = {data, data};
  __builtin_memcpy(words, pointers, sizeof(pointers));
  words[2] = 0;
  int64_t stride = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    words[3 + d] = dims[d];
    words[3 + rank + d] = stride;
    stride *= dims[d];
  }
}

/*===-- metadata ----------------------------------------------------------===*/

uint32_t kiln_abi_abi_version(void) { return KILN_ABI_VERSION; }

const kiln_model_info *kiln_abi_model_info(void) {
  return &kiln_gen_model_info;
}

const char *kiln_abi_metadata_json(void) { return kiln_gen_metadata_json; }

int32_t kiln_abi_num_inputs(void) { return kiln_gen_num_inputs; }

int32_t kiln_abi_num_outputs(void) { return kiln_gen_num_outputs; }

const kiln_tensor_desc *kiln_abi_input_desc(int32_t i) {
  return i >= 0 && i < kiln_gen_num_inputs ? &kiln_gen_input_descs[i] : 0;
}

const kiln_tensor_desc *kiln_abi_output_desc(int32_t i) {
  return i >= 0 && i < kiln_gen_num_outputs ? &kiln_gen_output_descs[i] : 0;
}

int32_t kiln_abi_num_dim_symbols(void) { return kiln_gen_num_dim_symbols; }

const kiln_dim_symbol *kiln_abi_dim_symbol(int32_t i) {
  return i >= 0 && i < kiln_gen_num_dim_symbols ? &kiln_gen_dim_symbols[i] : 0;
}

const char *kiln_abi_status_string(kiln_status status) {
  switch (status) {
  case KILN_STATUS_OK:
    return "ok";
  case KILN_STATUS_INVALID_ARGUMENT:
    return "invalid argument";
  case KILN_STATUS_INPUT_COUNT:
    return "wrong number of inputs";
  case KILN_STATUS_OUTPUT_COUNT:
    return "wrong number of outputs";
  case KILN_STATUS_NULL_BUFFER:
    return "NULL buffer";
  case KILN_STATUS_DTYPE_MISMATCH:
    return "dtype mismatch";
  case KILN_STATUS_RANK_MISMATCH:
    return "rank mismatch";
  case KILN_STATUS_DIM_MISMATCH:
    return "dim mismatch";
  case KILN_STATUS_BUFFER_TOO_SMALL:
    return "buffer too small";
  case KILN_STATUS_OUT_OF_MEMORY:
    return "out of memory";
  case KILN_STATUS_WEIGHTS_INVALID:
    return "invalid weights";
  case KILN_STATUS_UNSUPPORTED_HOST:
    return "unsupported host";
  case KILN_STATUS_VERSION_MISMATCH:
    return "ABI version mismatch";
  }
  return "unknown status";
}

/*===-- host check --------------------------------------------------------===*/

kiln_status kiln_abi_check_host(char *msg, size_t cap) {
#if defined(__x86_64__)
  uint32_t missing = kiln_gen_x86_features & ~kiln_host_x86_features();
  if (missing) {
    kiln_write_missing_x86_features(msg, cap, missing);
    return KILN_STATUS_UNSUPPORTED_HOST;
  }
#endif
  if (msg && cap)
    msg[0] = 0;
  return KILN_STATUS_OK;
}

/*===-- model and context -------------------------------------------------===*/

kiln_status kiln_abi_model_create(const kiln_hooks *hooks, const void *weights,
                                  size_t weights_size, kiln_model **out,
                                  char *msg, size_t cap) {
  if (msg && cap)
    msg[0] = 0;
  if (!out) {
    if (msg && cap)
      snprintf(msg, cap, "model_create: `out` is NULL");
    return KILN_STATUS_INVALID_ARGUMENT;
  }
  *out = 0;
  kiln_hooks chosen = {sizeof(kiln_hooks), 0, default_alloc, default_free, 0};
  if (hooks) {
    if (hooks->struct_size < sizeof(kiln_hooks)) {
      if (msg && cap)
        snprintf(msg, cap,
                 "model_create: hooks->struct_size is %u, expected "
                 "at least %u",
                 (unsigned)hooks->struct_size, (unsigned)sizeof(kiln_hooks));
      return KILN_STATUS_INVALID_ARGUMENT;
    }
    if ((hooks->alloc == 0) != (hooks->free == 0)) {
      if (msg && cap)
        snprintf(msg, cap,
                 "model_create: set both alloc and free, or "
                 "neither");
      return KILN_STATUS_INVALID_ARGUMENT;
    }
    chosen.user = hooks->user;
    if (hooks->alloc) {
      chosen.alloc = hooks->alloc;
      chosen.free = hooks->free;
    }
    chosen.parallel_for = hooks->parallel_for;
  }
  if (weights || weights_size) {
    if (msg && cap)
      snprintf(msg, cap,
               "model_create: this model embeds its weights; pass "
               "NULL and 0");
    return KILN_STATUS_WEIGHTS_INVALID;
  }
  struct kiln_model *model = hooks_alloc(&chosen, sizeof(struct kiln_model));
  if (!model) {
    if (msg && cap)
      snprintf(msg, cap, "model_create: out of memory");
    return KILN_STATUS_OUT_OF_MEMORY;
  }
  model->hooks = chosen;
  *out = model;
  return KILN_STATUS_OK;
}

void kiln_abi_model_destroy(kiln_model *model) {
  if (model)
    model->hooks.free(model->hooks.user, model);
}

static void ctx_release(const kiln_hooks *hooks, struct kiln_ctx *ctx) {
  if (ctx->workspace)
    hooks->free(hooks->user, ctx->workspace);
  if (ctx->words)
    hooks->free(hooks->user, ctx->words);
  if (ctx->descriptors)
    hooks->free(hooks->user, ctx->descriptors);
  if (ctx->dims_descriptors)
    hooks->free(hooks->user, ctx->dims_descriptors);
  if (ctx->dims)
    hooks->free(hooks->user, ctx->dims);
  if (ctx->symbol_values)
    hooks->free(hooks->user, ctx->symbol_values);
  if (ctx->symbol_origin)
    hooks->free(hooks->user, ctx->symbol_origin);
  hooks->free(hooks->user, ctx);
}

/* A context, with the static workspace allocated now when `workspace` is
 * set, or none until a run without the caller's needs one. */
static kiln_status ctx_create(const kiln_model *model, kiln_ctx **out,
                              int workspace) {
  if (!model || !out)
    return KILN_STATUS_INVALID_ARGUMENT;
  *out = 0;
  const kiln_hooks *hooks = &model->hooks;
  struct kiln_ctx *ctx = hooks_alloc(hooks, sizeof(struct kiln_ctx));
  if (!ctx)
    return KILN_STATUS_OUT_OF_MEMORY;
  __builtin_memset(ctx, 0, sizeof(*ctx));
  ctx->model = model;
  size_t words = 0;
  for (int32_t a = 0; a < num_args(); ++a)
    words += 3 + 2 * (size_t)arg_rank(a);
  ctx->words = hooks_alloc(hooks, words * sizeof(int64_t));
  ctx->descriptors = hooks_alloc(hooks, (size_t)num_args() * sizeof(void *));
  ctx->dims_descriptors =
      hooks_alloc(hooks, ((size_t)kiln_gen_num_inputs + 1) * sizeof(void *));
  ctx->dims = hooks_alloc(hooks, num_dims_entries() * sizeof(int64_t));
  size_t symbols = (size_t)kiln_gen_num_dim_symbols;
  ctx->symbol_values = hooks_alloc(hooks, symbols * sizeof(int64_t));
  ctx->symbol_origin = hooks_alloc(hooks, symbols * sizeof(int32_t));
  if (workspace && kiln_gen_workspace_bytes) {
    ctx->workspace =
        hooks_alloc(hooks, kiln_gen_workspace_bytes + kWorkspaceAlignment);
    ctx->workspace_capacity = kiln_gen_workspace_bytes;
  }
  if (!ctx->words || !ctx->descriptors || !ctx->dims_descriptors ||
      !ctx->dims || !ctx->symbol_values || !ctx->symbol_origin ||
      (workspace && kiln_gen_workspace_bytes && !ctx->workspace)) {
    ctx_release(hooks, ctx);
    return KILN_STATUS_OUT_OF_MEMORY;
  }
  int64_t *w = ctx->words;
  for (int32_t a = 0; a < num_args(); ++a) {
    ctx->descriptors[a] = w;
    w += 3 + 2 * arg_rank(a);
  }
  for (int32_t i = 0; i < kiln_gen_num_inputs; ++i)
    ctx->dims_descriptors[i] = ctx->descriptors[i];
  ctx->dims_descriptors[kiln_gen_num_inputs] = ctx->dims_words;
  *out = ctx;
  return KILN_STATUS_OK;
}

kiln_status kiln_abi_ctx_create(const kiln_model *model, kiln_ctx **out) {
  return ctx_create(model, out, 1);
}

kiln_status kiln_abi_ctx_create_without_workspace(const kiln_model *model,
                                                  kiln_ctx **out) {
  return ctx_create(model, out, 0);
}

void kiln_abi_ctx_destroy(kiln_ctx *ctx) {
  if (ctx)
    ctx_release(&ctx->model->hooks, ctx);
}

const char *kiln_abi_ctx_last_error(const kiln_ctx *ctx) {
  return ctx ? ctx->message : "NULL context";
}

/*===-- validation --------------------------------------------------------===*/

/* Sets the context's message and returns `status`. */
static kiln_status report(kiln_ctx *ctx, kiln_status status, const char *fmt,
                          ...) {
  __builtin_va_list args;
  __builtin_va_start(args, fmt);
  vsnprintf(ctx->message, kMessageCapacity, fmt, args);
  __builtin_va_end(args);
  return status;
}

/* Dim `d` of input `i` against its symbol's bounds and earlier uses. */
static kiln_status check_symbol(kiln_ctx *ctx, int32_t i, int32_t d,
                                int64_t value) {
  int32_t s = kiln_gen_input_dim_symbols[i][d];
  if (s < 0)
    return KILN_STATUS_OK;
  const kiln_dim_symbol *symbol = &kiln_gen_dim_symbols[s];
  const char *name = kiln_gen_input_descs[i].name;
  if (value < symbol->min || (symbol->max >= 0 && value > symbol->max)) {
    if (symbol->max >= 0)
      return report(ctx, KILN_STATUS_DIM_MISMATCH,
                    "input %d '%s': dim %d ('%s') is %lld, outside its "
                    "bounds %lld..%lld",
                    (int)i, name, (int)d, symbol->name, (long long)value,
                    (long long)symbol->min, (long long)symbol->max);
    return report(ctx, KILN_STATUS_DIM_MISMATCH,
                  "input %d '%s': dim %d ('%s') is %lld, below its minimum "
                  "%lld",
                  (int)i, name, (int)d, symbol->name, (long long)value,
                  (long long)symbol->min);
  }
  if (ctx->symbol_origin[s] < 0) {
    ctx->symbol_values[s] = value;
    ctx->symbol_origin[s] = i * 65536 + d;
    return KILN_STATUS_OK;
  }
  if (ctx->symbol_values[s] == value)
    return KILN_STATUS_OK;
  int32_t first = ctx->symbol_origin[s] / 65536;
  return report(ctx, KILN_STATUS_DIM_MISMATCH,
                "input %d '%s': dim %d ('%s') is %lld, but input %d '%s' "
                "dim %d ('%s') is %lld",
                (int)i, name, (int)d, symbol->name, (long long)value,
                (int)first, kiln_gen_input_descs[first].name,
                (int)(ctx->symbol_origin[s] % 65536), symbol->name,
                (long long)ctx->symbol_values[s]);
}

static kiln_status check_inputs(kiln_ctx *ctx, const kiln_tensor *in,
                                int32_t n_in) {
  for (int32_t s = 0; s < kiln_gen_num_dim_symbols; ++s)
    ctx->symbol_origin[s] = -1;
  if (n_in != kiln_gen_num_inputs)
    return report(ctx, KILN_STATUS_INPUT_COUNT, "expected %d inputs, got %d",
                  (int)kiln_gen_num_inputs, (int)n_in);
  if (n_in > 0 && !in)
    return report(ctx, KILN_STATUS_INVALID_ARGUMENT, "the input array is NULL");
  for (int32_t i = 0; i < n_in; ++i) {
    const kiln_tensor_desc *desc = &kiln_gen_input_descs[i];
    const kiln_tensor *t = &in[i];
    if (t->dtype != desc->dtype)
      return report(ctx, KILN_STATUS_DTYPE_MISMATCH,
                    "input %d '%s': dtype is %s, expected %s", (int)i,
                    desc->name, dtype_name(t->dtype), dtype_name(desc->dtype));
    if (t->rank != desc->rank)
      return report(ctx, KILN_STATUS_RANK_MISMATCH,
                    "input %d '%s': rank is %d, expected %d", (int)i,
                    desc->name, (int)t->rank, (int)desc->rank);
    if (t->rank > 0 && !t->dims)
      return report(ctx, KILN_STATUS_INVALID_ARGUMENT,
                    "input %d '%s': dims is NULL", (int)i, desc->name);
    for (int32_t d = 0; d < t->rank; ++d) {
      int64_t want = desc->dims[d];
      if (t->dims[d] < 0 || (want >= 0 && t->dims[d] != want))
        return report(ctx, KILN_STATUS_DIM_MISMATCH,
                      "input %d '%s': dim %d is %lld, expected %lld", (int)i,
                      desc->name, (int)d, (long long)t->dims[d],
                      (long long)want);
      kiln_status status = check_symbol(ctx, i, d, t->dims[d]);
      if (status != KILN_STATUS_OK)
        return status;
    }
    int64_t bytes = tensor_bytes(t->dtype, t->rank, t->dims);
    if (bytes < 0)
      return report(ctx, KILN_STATUS_DIM_MISMATCH,
                    "input %d '%s': its byte size overflows", (int)i,
                    desc->name);
    if (!t->data && bytes > 0)
      return report(ctx, KILN_STATUS_NULL_BUFFER, "input %d '%s': data is NULL",
                    (int)i, desc->name);
    if ((uint64_t)t->size_bytes < (uint64_t)bytes)
      return report(ctx, KILN_STATUS_BUFFER_TOO_SMALL,
                    "input %d '%s': size_bytes is %llu, %lld needed", (int)i,
                    desc->name, (unsigned long long)t->size_bytes,
                    (long long)bytes);
  }
  return KILN_STATUS_OK;
}

/* Output dims for the inputs compute_dims last saw. */
static const int64_t *output_dims(const kiln_ctx *ctx, int32_t o) {
  const int64_t *dims = ctx->dims + 1;
  for (int32_t p = 0; p < o; ++p)
    dims += kiln_gen_output_descs[p].rank;
  return dims;
}

/* Runs the model's dims function on (already checked) inputs: the output
 * dims and the workspace size. Input values may take part (a Reshape's
 * shape input), so these are checked as well. */
static kiln_status compute_dims(kiln_ctx *ctx, const kiln_tensor *in) {
  for (int32_t i = 0; i < kiln_gen_num_inputs; ++i)
    fill_descriptor(ctx->descriptors[i], in[i].data, in[i].rank, in[i].dims);
  int64_t entries = (int64_t)num_dims_entries();
  fill_descriptor(ctx->dims_words, ctx->dims, 1, &entries);
  kiln_gen_dims(ctx->dims_descriptors);
  int64_t failed = ctx->dims[entries - 1];
  if (failed > 0 && failed <= kiln_gen_num_shape_checks)
    return report(ctx, KILN_STATUS_DIM_MISMATCH,
                  "the input dims do not fit the model: %s",
                  kiln_gen_shape_checks[failed - 1]);
  if (ctx->dims[0] < 0)
    return report(ctx, KILN_STATUS_DIM_MISMATCH,
                  "the inputs give a negative workspace size");
  for (int32_t o = 0; o < kiln_gen_num_outputs; ++o) {
    const kiln_tensor_desc *desc = &kiln_gen_output_descs[o];
    const int64_t *dims = output_dims(ctx, o);
    for (int32_t d = 0; d < desc->rank; ++d)
      if (dims[d] < 0)
        return report(ctx, KILN_STATUS_DIM_MISMATCH,
                      "output %d '%s': the inputs give dim %d = %lld", (int)o,
                      desc->name, (int)d, (long long)dims[d]);
    if (tensor_bytes(desc->dtype, desc->rank, dims) < 0)
      return report(ctx, KILN_STATUS_DIM_MISMATCH,
                    "output %d '%s': its byte size overflows", (int)o,
                    desc->name);
  }
  return KILN_STATUS_OK;
}

static kiln_status write_output_shapes(kiln_ctx *ctx, kiln_tensor *out,
                                       int32_t n_out) {
  if (n_out != kiln_gen_num_outputs)
    return report(ctx, KILN_STATUS_OUTPUT_COUNT, "expected %d outputs, got %d",
                  (int)kiln_gen_num_outputs, (int)n_out);
  if (n_out > 0 && !out)
    return report(ctx, KILN_STATUS_INVALID_ARGUMENT,
                  "the output array is NULL");
  for (int32_t o = 0; o < n_out; ++o) {
    const kiln_tensor_desc *desc = &kiln_gen_output_descs[o];
    out[o].dtype = desc->dtype;
    out[o].rank = desc->rank;
    if (out[o].dims)
      for (int32_t d = 0; d < desc->rank; ++d)
        out[o].dims[d] = output_dims(ctx, o)[d];
  }
  return KILN_STATUS_OK;
}

/*===-- query and run -----------------------------------------------------===*/

/* What callers pass: the workspace plus slack to align it. */
static size_t workspace_request(const kiln_ctx *ctx) {
  return ctx->dims[0] ? (size_t)ctx->dims[0] + kWorkspaceAlignment : 0;
}

kiln_status kiln_abi_query(kiln_ctx *ctx, const kiln_tensor *in, int32_t n_in,
                           kiln_tensor *out, int32_t n_out,
                           size_t *workspace_bytes) {
  if (!ctx)
    return KILN_STATUS_INVALID_ARGUMENT;
  ctx->message[0] = 0;
  kiln_status status = check_inputs(ctx, in, n_in);
  if (status == KILN_STATUS_OK)
    status = compute_dims(ctx, in);
  if (status == KILN_STATUS_OK)
    status = write_output_shapes(ctx, out, n_out);
  if (status == KILN_STATUS_OK && workspace_bytes)
    *workspace_bytes = workspace_request(ctx);
  return status;
}

kiln_status kiln_abi_run(kiln_ctx *ctx, const kiln_run_options *opts,
                         const kiln_tensor *in, int32_t n_in, kiln_tensor *out,
                         int32_t n_out, void *workspace,
                         size_t workspace_bytes) {
  if (!ctx)
    return KILN_STATUS_INVALID_ARGUMENT;
  ctx->message[0] = 0;
  if (opts && opts->struct_size < sizeof(kiln_run_options))
    return report(ctx, KILN_STATUS_INVALID_ARGUMENT,
                  "opts->struct_size is %u, expected at least %u",
                  (unsigned)opts->struct_size,
                  (unsigned)sizeof(kiln_run_options));
  kiln_status status = check_inputs(ctx, in, n_in);
  if (status != KILN_STATUS_OK)
    return status;
  status = compute_dims(ctx, in);
  if (status != KILN_STATUS_OK)
    return status;
  status = write_output_shapes(ctx, out, n_out);
  if (status != KILN_STATUS_OK)
    return status;
  for (int32_t o = 0; o < n_out; ++o) {
    const kiln_tensor_desc *desc = &kiln_gen_output_descs[o];
    int64_t bytes = tensor_bytes(desc->dtype, desc->rank, output_dims(ctx, o));
    if (!out[o].data && bytes > 0)
      return report(ctx, KILN_STATUS_NULL_BUFFER,
                    "output %d '%s': data is NULL", (int)o, desc->name);
    if ((uint64_t)out[o].size_bytes < (uint64_t)bytes)
      return report(ctx, KILN_STATUS_BUFFER_TOO_SMALL,
                    "output %d '%s': size_bytes is %llu, %lld needed", (int)o,
                    desc->name, (unsigned long long)out[o].size_bytes,
                    (long long)bytes);
  }
  char *base = ctx->workspace;
  size_t needed = (size_t)ctx->dims[0];
  if (workspace) {
    if (workspace_bytes < workspace_request(ctx))
      return report(ctx, KILN_STATUS_BUFFER_TOO_SMALL,
                    "workspace: %llu bytes given, %llu needed",
                    (unsigned long long)workspace_bytes,
                    (unsigned long long)workspace_request(ctx));
    base = workspace;
  } else if (needed > ctx->workspace_capacity) {
    /* Dynamic shapes: the context's workspace grows to the largest inputs
     * seen; pass one to `run` to keep allocation off this path. */
    const kiln_hooks *hooks = &ctx->model->hooks;
    void *grown = hooks->alloc(hooks->user, needed + kWorkspaceAlignment,
                               kWorkspaceAlignment);
    if (!grown)
      return report(ctx, KILN_STATUS_OUT_OF_MEMORY,
                    "workspace: cannot allocate %llu bytes",
                    (unsigned long long)needed);
    if (ctx->workspace)
      hooks->free(hooks->user, ctx->workspace);
    ctx->workspace = base = grown;
    ctx->workspace_capacity = needed;
  }
  if (base)
    base += (kWorkspaceAlignment - (uintptr_t)base % kWorkspaceAlignment) %
            kWorkspaceAlignment;

  /* compute_dims filled the input descriptors. */
  int32_t arg = n_in;
  int64_t workspace_dims[1] = {(int64_t)needed};
  fill_descriptor(ctx->descriptors[arg++], base, 1, workspace_dims);
  for (int32_t o = 0; o < n_out; ++o, ++arg)
    fill_descriptor(ctx->descriptors[arg], out[o].data,
                    kiln_gen_output_descs[o].rank, output_dims(ctx, o));
  /* Saved and restored: a task of another model's run may run this one. */
  const kiln_hooks *outer = running_hooks;
  running_hooks = &ctx->model->hooks;
  kiln_gen_entry(ctx->descriptors);
  running_hooks = outer;
  return KILN_STATUS_OK;
}

/*===-- the API table -----------------------------------------------------===*/

KILN_DEFINE_MODEL_API_TABLE()

/*===-- compiler builtins -------------------------------------------------===*/

#if defined(__x86_64__)
/* x86's instruction selection lowers a bfloat select or phi (which LLVM
   forms from kiln's integer bf16 code) through the compiler-rt/libgcc
   helper __truncsfbf2. Compiled models must not depend on either library,
   so each model carries its own: hidden, weak, and kept though no IR calls
   it. The values it sees are bfloat already, so the conversion is exact;
   it rounds to nearest even and keeps NaNs quiet like the library's. */
__attribute__((used, weak, visibility("hidden"))) __bf16
__truncsfbf2(float x) {
  uint32_t bits;
  __builtin_memcpy(&bits, &x, sizeof bits);
  uint16_t half;
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    half = (uint16_t)((bits >> 16) | 0x40u);
  else
    half = (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
  __bf16 result;
  __builtin_memcpy(&result, &half, sizeof result);
  return result;
}
#endif
