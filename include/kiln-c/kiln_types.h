/*===- kiln_types.h - types every kiln-compiled model shares ------*- C -*-===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 * Every header kilnc generates carries a copy of this file, guarded by
 * KILN_TYPES_H, so headers of several models can be included together.
 * Pure C99; nothing here needs a kiln library at link time.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_TYPES_H
#define KILN_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this ABI. Structs carry a struct_size field as well. */
#define KILN_ABI_VERSION 1u

/* What every call returns. Calls that take a context also leave a message
 * naming what was wrong (the input index and name, expected and got) that
 * <prefix>_ctx_last_error returns. Nothing prints and nothing aborts. */
typedef enum kiln_status {
  KILN_STATUS_OK = 0,
  KILN_STATUS_INVALID_ARGUMENT = 1,  /* a NULL handle, array or dims pointer */
  KILN_STATUS_INPUT_COUNT = 2,       /* n_in is not the model's input count */
  KILN_STATUS_OUTPUT_COUNT = 3,      /* n_out is not the model's output count */
  KILN_STATUS_NULL_BUFFER = 4,       /* a tensor's data is NULL */
  KILN_STATUS_DTYPE_MISMATCH = 5,    /* an input's dtype is not the model's */
  KILN_STATUS_RANK_MISMATCH = 6,     /* an input's rank is not the model's */
  KILN_STATUS_DIM_MISMATCH = 7,      /* an input dim differs or is negative */
  KILN_STATUS_BUFFER_TOO_SMALL = 8,  /* size_bytes (or workspace) too small */
  KILN_STATUS_OUT_OF_MEMORY = 9,     /* the allocator hook returned NULL */
  KILN_STATUS_WEIGHTS_INVALID = 10,  /* weights given for embedded weights */
  KILN_STATUS_UNSUPPORTED_HOST = 11, /* the CPU lacks a feature compiled for */
  KILN_STATUS_VERSION_MISMATCH = 12  /* an unknown ABI version asked for */
} kiln_status;

/* Element types, numbered as ONNX's TensorProto.DataType. float8 values
   take one byte each, bit-for-bit ONNX's encoding. The 4- and 2-bit types
   are not packed: each element takes one byte and its value sits in the low
   bits (int4/int2 may also be stored sign-extended, as an int8 holding the
   value); the model ignores the high bits of inputs and leaves those of
   outputs unspecified. */
/* The dtype table, one row per element type the ABI passes:
   X(NAME, ONNX TensorProto.DataType, bytes per element, lower-case name).
   The enum below, kiln_dtype_size, kiln_dtype_name, kilnc's signature and
   kiln-run all come from it. */
#define KILN_DTYPES(X)                                                         \
  X(FLOAT32, 1, 4, "float32")                                                  \
  X(UINT8, 2, 1, "uint8")                                                      \
  X(INT8, 3, 1, "int8")                                                        \
  X(UINT16, 4, 2, "uint16")                                                    \
  X(INT16, 5, 2, "int16")                                                      \
  X(INT32, 6, 4, "int32")                                                      \
  X(INT64, 7, 8, "int64")                                                      \
  X(BOOL, 9, 1, "bool")                                                        \
  X(FLOAT16, 10, 2, "float16")                                                 \
  X(FLOAT64, 11, 8, "float64")                                                 \
  X(UINT32, 12, 4, "uint32")                                                   \
  X(UINT64, 13, 8, "uint64")                                                   \
  X(BFLOAT16, 16, 2, "bfloat16")                                               \
  X(FLOAT8E4M3FN, 17, 1, "float8e4m3fn")                                       \
  X(FLOAT8E4M3FNUZ, 18, 1, "float8e4m3fnuz")                                   \
  X(FLOAT8E5M2, 19, 1, "float8e5m2")                                           \
  X(FLOAT8E5M2FNUZ, 20, 1, "float8e5m2fnuz")                                   \
  X(UINT4, 21, 1, "uint4")                                                     \
  X(INT4, 22, 1, "int4")                                                       \
  X(FLOAT4E2M1, 23, 1, "float4e2m1")                                           \
  X(UINT2, 25, 1, "uint2")                                                     \
  X(INT2, 26, 1, "int2")

typedef enum kiln_dtype {
  KILN_DTYPE_UNDEFINED = 0,
#define KILN_DTYPE_ENUMERATOR_(name, value, bytes, text)                       \
  KILN_DTYPE_##name = value,
  KILN_DTYPES(KILN_DTYPE_ENUMERATOR_)
#undef KILN_DTYPE_ENUMERATOR_
} kiln_dtype;

/* Bytes per element of a dtype; 0 for one the ABI does not pass. */
static inline size_t kiln_dtype_size(kiln_dtype dtype) {
  switch (dtype) {
#define KILN_DTYPE_SIZE_(name, value, bytes, text)                             \
  case KILN_DTYPE_##name:                                                      \
    return bytes;
    KILN_DTYPES(KILN_DTYPE_SIZE_)
#undef KILN_DTYPE_SIZE_
  default:
    return 0;
  }
}

/* The lower-case name of a dtype ("float32", "bfloat16"); NULL for one the
   ABI does not pass. */
static inline const char *kiln_dtype_name(kiln_dtype dtype) {
  switch (dtype) {
#define KILN_DTYPE_NAME_(name, value, bytes, text)                             \
  case KILN_DTYPE_##name:                                                      \
    return text;
    KILN_DTYPES(KILN_DTYPE_NAME_)
#undef KILN_DTYPE_NAME_
  default:
    return 0;
  }
}

/* What the model declares for one input or output. */
typedef struct kiln_tensor_desc {
  uint32_t struct_size;
  const char *name;
  kiln_dtype dtype;
  int32_t rank;
  const int64_t *dims;          /* rank entries; -1 marks a dynamic dim */
  const char *const *dim_names; /* rank entries; "" where the dim has none */
} kiln_tensor_desc;

/* A symbolic dim of the inputs (an ONNX dim_param such as "batch") and its
 * bounds. Every input dim that names it must have the same value, within
 * [min, max]; max is -1 when unbounded. */
typedef struct kiln_dim_symbol {
  uint32_t struct_size;
  const char *name;
  int64_t min;
  int64_t max;
} kiln_dim_symbol;

/* A caller-owned tensor: dense, row-major, `size_bytes` bytes at `data`.
 * Inputs are only read. For outputs, query and run write dtype, rank and
 * dims (dims must then hold the output's rank entries, or be NULL). */
typedef struct kiln_tensor {
  kiln_dtype dtype;
  int32_t rank;
  int64_t *dims;
  void *data;
  size_t size_bytes;
} kiln_tensor;

typedef void (*kiln_task_fn)(void *arg, int64_t begin, int64_t end);

/* Injectable hooks. Any NULL member (or a NULL hooks pointer) takes the
 * default: malloc/free, and serial execution. */
typedef struct kiln_hooks {
  uint32_t struct_size; /* sizeof(kiln_hooks) */
  void *user;
  void *(*alloc)(void *user, size_t bytes, size_t alignment);
  void (*free)(void *user, void *ptr);
  /* Runs fn(arg, begin, end) over disjoint ranges covering [0, n). */
  void (*parallel_for)(void *user, int64_t n, kiln_task_fn fn, void *arg);
} kiln_hooks;

/* Per-run options; NULL for the defaults. */
typedef struct kiln_run_options {
  uint32_t struct_size; /* sizeof(kiln_run_options) */
  uint32_t flags;       /* reserved, 0 */
} kiln_run_options;

/* How the model was compiled: enough to reproduce the compile. */
typedef struct kiln_model_info {
  uint32_t struct_size;
  uint32_t abi_version;
  const char *prefix;
  const char *graph_name;
  const char *producer;         /* producer_name and _version of the model */
  const char *compiler_version; /* kilnc's */
  const char *compiler_flags;   /* kilnc's command line */
  const char *target_triple;
  const char *target_cpu;
  const char *target_features;
  const char *pipeline; /* the MLIR pass pipeline that made the code */
  int32_t num_opsets;
  const char *const *opset_domains;
  const int64_t *opset_versions;
  /* Loops the code runs through kiln_hooks.parallel_for (0: the code is
   * serial and never calls it). */
  int32_t num_parallel_loops;
  /* Appended (check struct_size): the variants of the code, named by the
   * CPU each was compiled for, from the least demanding; a portable
   * object has x86-64-v2, -v3 and -v4, others one. target_cpu names the
   * variant in use. */
  int32_t num_variants;
  const char *const *variants;
} kiln_model_info;

typedef struct kiln_model kiln_model; /* immutable, shareable by threads */
typedef struct kiln_ctx kiln_ctx;     /* one per thread or request */

/* The whole API of one model as a table, for hosts that dlopen models. */
typedef struct kiln_model_api {
  uint32_t struct_size;
  uint32_t abi_version;
  const kiln_model_info *(*model_info)(void);
  const char *(*metadata_json)(void);
  int32_t (*num_inputs)(void);
  int32_t (*num_outputs)(void);
  const kiln_tensor_desc *(*input_desc)(int32_t i);
  const kiln_tensor_desc *(*output_desc)(int32_t i);
  const char *(*status_string)(kiln_status status);
  kiln_status (*check_host)(char *msg, size_t cap);
  kiln_status (*model_create)(const kiln_hooks *hooks, const void *weights,
                              size_t weights_size, kiln_model **out, char *msg,
                              size_t cap);
  void (*model_destroy)(kiln_model *model);
  kiln_status (*ctx_create)(const kiln_model *model, kiln_ctx **out);
  void (*ctx_destroy)(kiln_ctx *ctx);
  const char *(*ctx_last_error)(const kiln_ctx *ctx);
  kiln_status (*query)(kiln_ctx *ctx, const kiln_tensor *in, int32_t n_in,
                       kiln_tensor *out, int32_t n_out,
                       size_t *workspace_bytes);
  kiln_status (*run)(kiln_ctx *ctx, const kiln_run_options *opts,
                     const kiln_tensor *in, int32_t n_in, kiln_tensor *out,
                     int32_t n_out, void *workspace, size_t workspace_bytes);
  int32_t (*num_dim_symbols)(void);
  const kiln_dim_symbol *(*dim_symbol)(int32_t i);
  /* Appended (check struct_size): a context without a workspace of its
   * own, for callers that pass one to every run. */
  kiln_status (*ctx_create_without_workspace)(const kiln_model *model,
                                              kiln_ctx **out);
} kiln_model_api;

/* A shared library built by `kilnc --emit=lib` exports this one unprefixed
 * symbol; it returns NULL for an ABI version it does not implement. */
typedef const kiln_model_api *(*kiln_get_model_api_fn)(uint32_t version);

#ifdef __cplusplus
}
#endif

#endif /* KILN_TYPES_H */
