/* The allocator promises of docs/abi.md, checked with counting hooks:
 * - the alloc/free hooks replace malloc/free for the model, its contexts
 *   and their workspaces: with hooks given, the model never calls libc's
 *   allocator (linked with --wrap, so every malloc, free, calloc, realloc,
 *   aligned_alloc and posix_memalign of the model objects is counted here);
 * - every block allocated is freed, with the same pointer, by the destroys;
 * - run calls no allocator for static shapes (with the context's workspace
 *   or one passed in, and even with an allocator that always fails);
 * - with dynamic shapes the context's workspace grows through the hook to
 *   the largest inputs seen, and a workspace passed to run avoids that;
 * - a hook returning NULL gives KILN_STATUS_OUT_OF_MEMORY from the call that
 *   needed memory, leaks nothing, and leaves the objects usable.
 * static_m is the model compiled at X, M = 2x3; dyn_m the same model with
 * dynamic (batch, seq). */
#include "dyn_m.h"
#include "static_m.h"

#include <stdio.h>
#include <string.h>

/*===-- libc's allocator, counted -----------------------------------------===*/

void *__real_malloc(size_t size);
void __real_free(void *ptr);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__real_aligned_alloc(size_t alignment, size_t size);
int __real_posix_memalign(void **out, size_t alignment, size_t size);
void *__wrap_malloc(size_t size);
void __wrap_free(void *ptr);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void *__wrap_aligned_alloc(size_t alignment, size_t size);
int __wrap_posix_memalign(void **out, size_t alignment, size_t size);

static long libc_allocs, libc_frees;

void *__wrap_malloc(size_t size) {
  void *p = __real_malloc(size);
  libc_allocs += p != NULL;
  return p;
}
void __wrap_free(void *ptr) {
  libc_frees += ptr != NULL;
  __real_free(ptr);
}
void *__wrap_calloc(size_t n, size_t size) {
  void *p = __real_calloc(n, size);
  libc_allocs += p != NULL;
  return p;
}
void *__wrap_realloc(void *ptr, size_t size) {
  /* Counted as a free and an allocation. */
  libc_frees += ptr != NULL;
  void *p = __real_realloc(ptr, size);
  libc_allocs += p != NULL;
  return p;
}
void *__wrap_aligned_alloc(size_t alignment, size_t size) {
  void *p = __real_aligned_alloc(alignment, size);
  libc_allocs += p != NULL;
  return p;
}
int __wrap_posix_memalign(void **out, size_t alignment, size_t size) {
  int rc = __real_posix_memalign(out, alignment, size);
  libc_allocs += rc == 0;
  return rc;
}

/*===-- the hooks ---------------------------------------------------------===*/

/* A bump allocator over a static arena (so that the hooks call no libc
 * allocator), recording each live block so that a free of a pointer it
 * never returned, or a double free, is caught. Blocks are filled with a
 * pattern: nothing may rely on zeroed memory. */
enum { kArenaBytes = 1 << 22, kMaxLive = 64 };

typedef struct pool {
  long allocs, frees, bad_frees, bad_user, bad_alignment;
  int fail_at; /* the fail_at-th alloc from now returns NULL; 0: none */
  int fail_all;
  int live;
  void *blocks[kMaxLive];
  size_t used;
  unsigned char arena[kArenaBytes];
} pool;

static pool the_pool;

static void *hook_alloc(void *user, size_t bytes, size_t alignment) {
  pool *p = user;
  if (p != &the_pool) {
    ++the_pool.bad_user;
    return NULL;
  }
  if (p->fail_all || (p->fail_at > 0 && --p->fail_at == 0))
    return NULL;
  /* The block is aligned as asked; alignment must be a power of two. */
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    ++p->bad_alignment;
    alignment = 64;
  }
  uintptr_t base = (uintptr_t)p->arena;
  size_t at =
      (size_t)((base + p->used + alignment - 1) / alignment * alignment - base);
  if (at + bytes > kArenaBytes || p->live == kMaxLive) {
    printf("test arena exhausted\n");
    return NULL;
  }
  p->used = at + bytes;
  void *block = p->arena + at;
  memset(block, 0xA5, bytes);
  p->blocks[p->live++] = block;
  ++p->allocs;
  return block;
}

static void hook_free(void *user, void *ptr) {
  pool *p = user;
  if (p != &the_pool) {
    ++the_pool.bad_user;
    return;
  }
  ++p->frees;
  for (int i = 0; i < p->live; ++i)
    if (p->blocks[i] == ptr) {
      p->blocks[i] = p->blocks[--p->live];
      return;
    }
  ++p->bad_frees; /* never allocated, or freed twice */
}

static const kiln_hooks hooks = {sizeof(kiln_hooks), &the_pool, hook_alloc,
                                 hook_free, NULL};

/* Counts since the last call. */
static long last_allocs, last_frees, last_libc;

static void mark(void) {
  last_allocs = the_pool.allocs;
  last_frees = the_pool.frees;
  last_libc = libc_allocs + libc_frees;
}

/* "N allocs, M frees, L libc calls" since mark(), then mark()s again. */
static void print_delta(const char *what, kiln_status status) {
  printf("%s: status %d, %ld allocs, %ld frees, %ld libc calls\n", what,
         (int)status, the_pool.allocs - last_allocs,
         the_pool.frees - last_frees, libc_allocs + libc_frees - last_libc);
  mark();
}

static void print_pool(const char *what) {
  printf("%s: %d live, %ld bad frees, %ld bad user, %ld bad alignment\n", what,
         the_pool.live, the_pool.bad_frees, the_pool.bad_user,
         the_pool.bad_alignment);
}

/*===-- running the models ------------------------------------------------===*/

/* X[i] = i, M = 2: Y = 2X + 1, T = (2X)^T, S = row sums of Y. */
static float x[128], m[128], y[128], t[128], s[16];
static int64_t xd[2], yd[2], td[2], sd[2];
static kiln_tensor in[2], out[3];

static void set_shape(int64_t batch, int64_t seq) {
  xd[0] = batch;
  xd[1] = seq;
  size_t bytes = (size_t)(batch * seq) * sizeof(float);
  for (int i = 0; i < batch * seq; ++i) {
    x[i] = (float)i;
    m[i] = 2;
  }
  for (int i = 0; i < 128; ++i)
    y[i] = t[i] = -1;
  for (int i = 0; i < 16; ++i)
    s[i] = -1;
  kiln_tensor a = {KILN_DTYPE_FLOAT32, 2, xd, x, bytes};
  kiln_tensor b = {KILN_DTYPE_FLOAT32, 2, xd, m, bytes};
  kiln_tensor o0 = {KILN_DTYPE_FLOAT32, 2, yd, y, sizeof y};
  kiln_tensor o1 = {KILN_DTYPE_FLOAT32, 2, td, t, sizeof t};
  kiln_tensor o2 = {KILN_DTYPE_FLOAT32, 2, sd, s, sizeof s};
  in[0] = a;
  in[1] = b;
  out[0] = o0;
  out[1] = o1;
  out[2] = o2;
}

/* "yes" when the outputs are right for (batch, seq). */
static const char *outputs_ok(int64_t batch, int64_t seq) {
  for (int64_t b = 0; b < batch; ++b) {
    float sum = 0;
    for (int64_t q = 0; q < seq; ++q) {
      float v = (float)(b * seq + q);
      if (y[b * seq + q] != 2 * v + 1 || t[q * batch + b] != 2 * v)
        return "no";
      sum += 2 * v + 1;
    }
    if (s[b] != sum)
      return "no";
  }
  return "yes";
}

static _Alignas(64) unsigned char caller_workspace[1 << 16];

static void check_static(void) {
  char msg[256];
  static_m_model *model = NULL;
  static_m_ctx *ctx = NULL;
  mark();
  print_delta("static model_create",
              static_m_model_create(&hooks, NULL, 0, &model, msg, sizeof msg));
  print_delta("static ctx_create", static_m_ctx_create(model, &ctx));
  set_shape(2, 3);
  size_t workspace = 0;
  print_delta("static query", static_m_query(ctx, in, 2, out, 3, &workspace));
  printf("static workspace: %s\n", workspace > 0 ? "> 0" : "0");
  print_delta("static run", static_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("static outputs ok: %s\n", outputs_ok(2, 3));
  kiln_status status = KILN_STATUS_OK;
  for (int r = 0; r < 100 && status == KILN_STATUS_OK; ++r)
    status = static_m_run(ctx, NULL, in, 2, out, 3, NULL, 0);
  print_delta("static 100 runs", status);
  set_shape(2, 3);
  print_delta("static run, caller's workspace",
              static_m_run(ctx, NULL, in, 2, out, 3, caller_workspace,
                           sizeof caller_workspace));
  printf("static outputs ok: %s\n", outputs_ok(2, 3));
  /* Nothing to allocate, so a failing allocator changes nothing. */
  the_pool.fail_all = 1;
  set_shape(2, 3);
  print_delta("static run, failing allocator",
              static_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("static outputs ok: %s\n", outputs_ok(2, 3));
  the_pool.fail_all = 0;
  static_m_ctx_destroy(ctx);
  print_delta("static ctx_destroy", KILN_STATUS_OK);
  static_m_model_destroy(model);
  print_delta("static model_destroy", KILN_STATUS_OK);
  print_pool("static pool");
}

/* A context created without a workspace: one allocation fewer than
 * ctx_create's, none in a run given the caller's workspace; a run without
 * one allocates it through the hook once. */
static void check_without_workspace(void) {
  char msg[256];
  static_m_model *model = NULL;
  static_m_ctx *backed = NULL, *ctx = NULL;
  static_m_model_create(&hooks, NULL, 0, &model, msg, sizeof msg);
  mark();
  static_m_ctx_create(model, &backed);
  long backed_allocs = the_pool.allocs - last_allocs;
  mark();
  kiln_status status = static_m_ctx_create_without_workspace(model, &ctx);
  printf("unbacked ctx_create: status %d, allocs one fewer than ctx_create's: "
         "%s\n",
         (int)status,
         the_pool.allocs - last_allocs == backed_allocs - 1 ? "yes" : "no");
  mark();
  set_shape(2, 3);
  print_delta("unbacked run, caller's workspace",
              static_m_run(ctx, NULL, in, 2, out, 3, caller_workspace,
                           sizeof caller_workspace));
  printf("unbacked outputs ok: %s\n", outputs_ok(2, 3));
  set_shape(2, 3);
  print_delta("unbacked run, no workspace",
              static_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("unbacked outputs ok: %s\n", outputs_ok(2, 3));
  set_shape(2, 3);
  print_delta("unbacked run, no workspace again",
              static_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  static_m_ctx_destroy(ctx);
  static_m_ctx_destroy(backed);
  static_m_model_destroy(model);
  print_pool("unbacked pool");
}

static void check_dynamic(void) {
  char msg[256];
  dyn_m_model *model = NULL;
  dyn_m_ctx *ctx = NULL;
  mark();
  print_delta("dyn model_create",
              dyn_m_model_create(&hooks, NULL, 0, &model, msg, sizeof msg));
  print_delta("dyn ctx_create", dyn_m_ctx_create(model, &ctx));
  set_shape(2, 3);
  size_t workspace = 0;
  print_delta("dyn query (2,3)", dyn_m_query(ctx, in, 2, out, 3, &workspace));
  printf("dyn workspace (2,3): %s\n", workspace > 0 ? "> 0" : "0");
  print_delta("dyn run (2,3)", dyn_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("dyn outputs ok: %s\n", outputs_ok(2, 3));
  set_shape(2, 3);
  print_delta("dyn run (2,3) again",
              dyn_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  set_shape(1, 2);
  print_delta("dyn run (1,2)", dyn_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("dyn outputs ok: %s\n", outputs_ok(1, 2));
  set_shape(4, 7);
  print_delta("dyn run (4,7)", dyn_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("dyn outputs ok: %s\n", outputs_ok(4, 7));
  /* A workspace from the caller: nothing allocated. */
  set_shape(8, 9);
  workspace = 0;
  dyn_m_query(ctx, in, 2, out, 3, &workspace);
  mark();
  print_delta(
      "dyn run (8,9), caller's workspace",
      workspace <= sizeof caller_workspace
          ? dyn_m_run(ctx, NULL, in, 2, out, 3, caller_workspace, workspace)
          : KILN_STATUS_BUFFER_TOO_SMALL);
  printf("dyn outputs ok: %s\n", outputs_ok(8, 9));
  /* Growing fails: out of memory, outputs untouched; the context still
   * works at the sizes it has and grows once the allocator does. */
  the_pool.fail_all = 1;
  set_shape(8, 9);
  kiln_status status = dyn_m_run(ctx, NULL, in, 2, out, 3, NULL, 0);
  printf("dyn run (8,9), failing allocator: %s (%d): %s\n",
         dyn_m_status_string(status), (int)status, dyn_m_ctx_last_error(ctx));
  print_delta("dyn run (8,9), failing allocator", status);
  printf("dyn outputs untouched: %s\n",
         y[0] == -1 && t[0] == -1 && s[0] == -1 ? "yes" : "no");
  set_shape(4, 7);
  print_delta("dyn run (4,7), failing allocator",
              dyn_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("dyn outputs ok: %s\n", outputs_ok(4, 7));
  the_pool.fail_all = 0;
  set_shape(8, 9);
  print_delta("dyn run (8,9)", dyn_m_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  printf("dyn outputs ok: %s\n", outputs_ok(8, 9));
  dyn_m_ctx_destroy(ctx);
  print_delta("dyn ctx_destroy", KILN_STATUS_OK);
  dyn_m_model_destroy(model);
  print_delta("dyn model_destroy", KILN_STATUS_OK);
  print_pool("dyn pool");
}

/* Each allocation of model_create and ctx_create failing in turn. */
static void check_out_of_memory(void) {
  char msg[256];
  static_m_model *model = (static_m_model *)&the_pool;
  the_pool.fail_at = 1;
  mark();
  kiln_status status =
      static_m_model_create(&hooks, NULL, 0, &model, msg, sizeof msg);
  printf("model_create, alloc 1 fails: %s (%d): %s, model %s\n",
         static_m_status_string(status), (int)status, msg,
         model ? "set" : "NULL");
  print_delta("model_create, alloc 1 fails", status);
  the_pool.fail_at = 0;

  if (static_m_model_create(&hooks, NULL, 0, &model, msg, sizeof msg))
    return;
  static_m_ctx *ctx = NULL;
  mark();
  if (static_m_ctx_create(model, &ctx))
    return;
  static_m_ctx_destroy(ctx);
  long ctx_allocs = the_pool.allocs - last_allocs;
  int failures = 0, leaks = 0;
  for (long k = 1; k <= ctx_allocs; ++k) {
    the_pool.fail_at = (int)k;
    static_m_ctx *bad = (static_m_ctx *)&the_pool;
    int live = the_pool.live;
    status = static_m_ctx_create(model, &bad);
    the_pool.fail_at = 0;
    failures += status == KILN_STATUS_OUT_OF_MEMORY && bad == NULL;
    leaks += the_pool.live != live;
  }
  printf("ctx_create, each of its allocs failing: %d of %ld out of memory, "
         "%d leaked\n",
         failures, ctx_allocs, leaks);
  /* The model still works after all that. */
  set_shape(2, 3);
  status = static_m_ctx_create(model, &ctx);
  if (status == KILN_STATUS_OK)
    status = static_m_run(ctx, NULL, in, 2, out, 3, NULL, 0);
  printf("after the failures: %s, outputs ok: %s\n",
         static_m_status_string(status), outputs_ok(2, 3));
  static_m_ctx_destroy(ctx);
  static_m_model_destroy(model);
  print_pool("out-of-memory pool");
}

/* No hooks: libc's malloc and free, balanced; alloc without free is
 * refused. */
static void check_default(void) {
  char msg[256];
  static_m_model *model = NULL;
  static_m_ctx *ctx = NULL;
  long allocs = libc_allocs, frees = libc_frees;
  mark();
  kiln_status status =
      static_m_model_create(NULL, NULL, 0, &model, msg, sizeof msg);
  if (status == KILN_STATUS_OK)
    status = static_m_ctx_create(model, &ctx);
  set_shape(2, 3);
  long before_run = libc_allocs + libc_frees;
  if (status == KILN_STATUS_OK)
    status = static_m_run(ctx, NULL, in, 2, out, 3, NULL, 0);
  long run_calls = libc_allocs + libc_frees - before_run;
  static_m_ctx_destroy(ctx);
  static_m_model_destroy(model);
  printf("no hooks: %s, libc allocs %s, %ld frees missing, run %ld libc "
         "calls, hook calls %ld\n",
         static_m_status_string(status), libc_allocs - allocs > 0 ? "> 0" : "0",
         (libc_allocs - allocs) - (libc_frees - frees), run_calls,
         the_pool.allocs - last_allocs + the_pool.frees - last_frees);
  kiln_hooks half = hooks;
  half.free = NULL;
  model = NULL;
  status = static_m_model_create(&half, NULL, 0, &model, msg, sizeof msg);
  printf("alloc without free: %s (%d): %s\n", static_m_status_string(status),
         (int)status, msg);
}

int main(void) {
  check_static();
  check_without_workspace();
  check_dynamic();
  check_out_of_memory();
  check_default();
  return 0;
}
