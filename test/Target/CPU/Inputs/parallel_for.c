/* The parallel_for hook (docs/abi.md): a model whose loops run through it
 * gives the serial results bit for bit, whatever parts the hook makes,
 * in any order, on any thread; from 4 caller threads at once.
 * `parallel_for overlap` instead runs a wrong hook, which gives both of its
 * threads all of [0, n): the data race ThreadSanitizer must see. */
#include "par.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { kA = 64 * 96, kB = 96 * 80, kX = 8 * 20 * 20, kP = 64 * 80 };
enum { kCallers = 4, kRuns = 50 };

static float a[kA], b[kB], x[kX];
static float want_p[kP], want_s[kX];

static kiln_status run(par_model *model, float *p, float *s) {
  par_ctx *ctx = NULL;
  kiln_status status = par_ctx_create(model, &ctx);
  if (status)
    return status;
  int64_t ad[2] = {64, 96}, bd[2] = {96, 80}, xd[4] = {1, 8, 20, 20};
  int64_t pd[2], sd[4];
  kiln_tensor in[3] = {{KILN_DTYPE_FLOAT32, 2, ad, a, sizeof a},
                       {KILN_DTYPE_FLOAT32, 2, bd, b, sizeof b},
                       {KILN_DTYPE_FLOAT32, 4, xd, x, sizeof x}};
  kiln_tensor out[2] = {{KILN_DTYPE_FLOAT32, 2, pd, p, kP * sizeof(float)},
                        {KILN_DTYPE_FLOAT32, 4, sd, s, kX * sizeof(float)}};
  status = par_run(ctx, NULL, in, 3, out, 2, NULL, 0);
  par_ctx_destroy(ctx);
  return status;
}

static int same(const float *p, const float *s) {
  return !memcmp(p, want_p, sizeof want_p) && !memcmp(s, want_s, sizeof want_s);
}

/* Three parts, the last first, on the calling thread; checks that the
 * model asks for at least one iteration. */
static int reverse_calls, bad_counts;
static void reverse_parts(void *user, int64_t n, kiln_task_fn fn, void *arg) {
  (void)user;
  ++reverse_calls;
  if (n < 1)
    ++bad_counts;
  int64_t cut[4] = {0, n / 3, 2 * n / 3, n};
  for (int part = 2; part >= 0; --part)
    if (cut[part] < cut[part + 1])
      fn(arg, cut[part], cut[part + 1]);
}

/* Two threads: a new one runs the second half while the caller runs the
 * first. */
struct half {
  kiln_task_fn fn;
  void *arg;
  int64_t begin, end;
};
static void *run_half(void *p) {
  struct half *h = p;
  h->fn(h->arg, h->begin, h->end);
  return NULL;
}
static void two_threads(void *user, int64_t n, kiln_task_fn fn, void *arg) {
  (void)user;
  struct half second = {fn, arg, n / 2, n};
  pthread_t thread;
  if (pthread_create(&thread, NULL, run_half, &second)) {
    fn(arg, 0, n);
    return;
  }
  if (n / 2 > 0)
    fn(arg, 0, n / 2);
  pthread_join(thread, NULL);
}

/* Wrong: both threads run every iteration. */
static void overlapping(void *user, int64_t n, kiln_task_fn fn, void *arg) {
  (void)user;
  struct half all = {fn, arg, 0, n};
  pthread_t thread;
  if (pthread_create(&thread, NULL, run_half, &all))
    return;
  fn(arg, 0, n);
  pthread_join(thread, NULL);
}

static par_model *threaded;
static int caller_bad[kCallers];
static void *caller(void *arg) {
  int t = (int)(size_t)arg;
  static float p[kCallers][kP], s[kCallers][kX];
  for (int r = 0; r < kRuns; ++r)
    if (run(threaded, p[t], s[t]) || !same(p[t], s[t]))
      ++caller_bad[t];
  return NULL;
}

static par_model *create(kiln_hooks *hooks) {
  par_model *model = NULL;
  return par_model_create(hooks, NULL, 0, &model, NULL, 0) ? NULL : model;
}

int main(int argc, char **argv) {
  for (int i = 0; i < kA; ++i)
    a[i] = (float)((i * 37) % 101 - 50) / 64.0f;
  for (int i = 0; i < kB; ++i)
    b[i] = (float)((i * 53) % 89 - 44) / 64.0f;
  for (int i = 0; i < kX; ++i)
    x[i] = (float)((i * 29) % 71 - 35) / 16.0f;
  printf("parallel loops: %d\n", par_model_info()->num_parallel_loops);
  if (argc > 1 && !strcmp(argv[1], "overlap")) {
    kiln_hooks wrong = {sizeof(kiln_hooks), NULL, NULL, NULL, overlapping};
    par_model *racy = create(&wrong);
    static float p[kP], s[kX];
    return !racy || run(racy, p, s);
  }

  par_model *serial = create(NULL);
  if (!serial || run(serial, want_p, want_s))
    return 1;
  par_model_destroy(serial);

  kiln_hooks hooks = {sizeof(kiln_hooks), NULL, NULL, NULL, reverse_parts};
  par_model *reversed = create(&hooks);
  static float p[kP], s[kX];
  if (!reversed || run(reversed, p, s))
    return 1;
  printf("reversed parts: %s, hook called: %s, empty loops: %d\n",
         same(p, s) ? "same bits" : "DIFFERENT", reverse_calls ? "yes" : "no",
         bad_counts);
  par_model_destroy(reversed);

  hooks.parallel_for = two_threads;
  threaded = create(&hooks);
  if (!threaded)
    return 1;
  pthread_t callers[kCallers];
  for (int t = 0; t < kCallers; ++t)
    pthread_create(&callers[t], NULL, caller, (void *)(size_t)t);
  int bad = 0;
  for (int t = 0; t < kCallers; ++t) {
    pthread_join(callers[t], NULL);
    bad += caller_bad[t];
  }
  printf("%d callers x %d runs on two threads each: %d differ or fail\n",
         kCallers, kRuns, bad);
  par_model_destroy(threaded);
  return bad != 0;
}
