/*===- run_raw.c - run a compiled model on raw tensor files ---------------===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 *===----------------------------------------------------------------------===*
 *
 * A runner with nothing but libc and libdl, built for the target (under
 * qemu-aarch64 here): loads a model library through kiln_get_model_api,
 * reads each input from a raw file, runs the model, and writes each output
 * as OUTDIR/output_<i>.bin. SPEC has one line per input,
 * `<dtype> <rank> <dim>... <path>`. Prints one line per output, `output <i>
 * <dtype> <rank> <dim>...`, and "ran" at the end; a failure prints the
 * model's message and exits 1.
 *
 * Usage: run_raw MODEL.so SPEC OUTDIR
 *
 *===----------------------------------------------------------------------===*/

#include "kiln-c/kiln_types.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kMaxTensors = 64, kMaxRank = 16 };

typedef struct {
  kiln_tensor tensors[kMaxTensors];
  int64_t dims[kMaxTensors][kMaxRank];
  int count;
} tensor_list;

static int fail(const char *what, const char *detail) {
  printf("error: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  return 1;
}

static size_t element_count(const kiln_tensor *t) {
  size_t n = 1;
  for (int32_t d = 0; d < t->rank; ++d)
    n *= (size_t)t->dims[d];
  return n;
}

/* Reads `path` into a new buffer of exactly `bytes`; NULL if it differs. */
static void *read_file(const char *path, size_t bytes) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  void *data = malloc(bytes ? bytes : 1);
  size_t got = fread(data, 1, bytes, f);
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (got != bytes || extra) {
    free(data);
    return NULL;
  }
  return data;
}

/* One SPEC line into the next input; 0 at the end, -1 on a bad line. */
static int read_input(FILE *spec, tensor_list *in) {
  int dtype, rank;
  if (fscanf(spec, "%d %d", &dtype, &rank) != 2)
    return 0;
  if (in->count == kMaxTensors || rank < 0 || rank > kMaxRank)
    return -1;
  kiln_tensor *t = &in->tensors[in->count];
  t->dtype = (kiln_dtype)dtype;
  t->rank = rank;
  t->dims = in->dims[in->count];
  for (int d = 0; d < rank; ++d)
    if (fscanf(spec, "%lld", (long long *)&t->dims[d]) != 1)
      return -1;
  char path[4096];
  if (fscanf(spec, " %4095s", path) != 1)
    return -1;
  t->size_bytes = element_count(t) * kiln_dtype_size(t->dtype);
  t->data = read_file(path, t->size_bytes);
  if (!t->data)
    return -1;
  ++in->count;
  return 1;
}

static int write_outputs(const tensor_list *out, const char *dir) {
  for (int i = 0; i < out->count; ++i) {
    const kiln_tensor *t = &out->tensors[i];
    char path[4096];
    snprintf(path, sizeof path, "%s/output_%d.bin", dir, i);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(t->data, 1, t->size_bytes, f) != t->size_bytes)
      return fail("cannot write", path);
    fclose(f);
    printf("output %d %d %d", i, (int)t->dtype, (int)t->rank);
    for (int32_t d = 0; d < t->rank; ++d)
      printf(" %lld", (long long)t->dims[d]);
    printf("\n");
  }
  return 0;
}

/* Sizes the outputs with `query`, allocates them and runs. */
static int run(const kiln_model_api *api, kiln_ctx *ctx, tensor_list *in,
               tensor_list *out) {
  out->count = api->num_outputs();
  if (out->count > kMaxTensors)
    return fail("too many outputs", NULL);
  for (int i = 0; i < out->count; ++i) {
    out->tensors[i].dims = out->dims[i];
    out->tensors[i].rank = kMaxRank;
  }
  size_t workspace = 0;
  if (api->query(ctx, in->tensors, in->count, out->tensors, out->count,
                 &workspace) != KILN_STATUS_OK)
    return fail("query", api->ctx_last_error(ctx));
  for (int i = 0; i < out->count; ++i) {
    kiln_tensor *t = &out->tensors[i];
    t->size_bytes = element_count(t) * kiln_dtype_size(t->dtype);
    t->data = calloc(t->size_bytes ? t->size_bytes : 1, 1);
  }
  if (api->run(ctx, NULL, in->tensors, in->count, out->tensors, out->count,
               NULL, 0) != KILN_STATUS_OK)
    return fail("run", api->ctx_last_error(ctx));
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4)
    return fail("usage: run_raw MODEL.so SPEC OUTDIR", NULL);
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return fail("dlopen", dlerror());
  kiln_get_model_api_fn get =
      (kiln_get_model_api_fn)dlsym(lib, "kiln_get_model_api");
  const kiln_model_api *api = get ? get(KILN_ABI_VERSION) : NULL;
  if (!api)
    return fail("no kiln_get_model_api for this ABI version", NULL);
  static tensor_list in, out;
  FILE *spec = fopen(argv[2], "r");
  if (!spec)
    return fail("cannot open", argv[2]);
  int more;
  while ((more = read_input(spec, &in)) > 0)
    ;
  fclose(spec);
  if (more < 0)
    return fail("bad input spec or input file", argv[2]);
  char msg[512];
  kiln_model *model = NULL;
  kiln_ctx *ctx = NULL;
  if (api->model_create(NULL, NULL, 0, &model, msg, sizeof msg))
    return fail("model_create", msg);
  if (api->ctx_create(model, &ctx))
    return fail("ctx_create", NULL);
  if (run(api, ctx, &in, &out) || write_outputs(&out, argv[3]))
    return 1;
  api->ctx_destroy(ctx);
  api->model_destroy(model);
  printf("ran\n");
  return 0;
}
