/* One model shared by 8 threads, each with its own context, running at
 * once: every result must equal the serial one, bit for bit. */
#include "mlp.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { kThreads = 8, kRuns = 20000 };

static mlp_model *model;
static float inputs[kThreads][8];
static float expected[kThreads][6];
static int mismatches[kThreads];
static int failures[kThreads];

static kiln_status run(mlp_ctx *ctx, float *x, float *y) {
  int64_t xd[2] = {2, 4}, yd[2];
  kiln_tensor in = {KILN_DTYPE_FLOAT32, 2, xd, x, 8 * sizeof(float)};
  kiln_tensor out = {KILN_DTYPE_FLOAT32, 2, yd, y, 6 * sizeof(float)};
  return mlp_run(ctx, NULL, &in, 1, &out, 1, NULL, 0);
}

static void *worker(void *arg) {
  int t = (int)(size_t)arg;
  mlp_ctx *ctx = NULL;
  if (mlp_ctx_create(model, &ctx)) {
    failures[t]++;
    return NULL;
  }
  for (int r = 0; r < kRuns; ++r) {
    float y[6];
    if (run(ctx, inputs[t], y) != KILN_STATUS_OK)
      failures[t]++;
    else if (memcmp(y, expected[t], sizeof y) != 0)
      mismatches[t]++;
  }
  mlp_ctx_destroy(ctx);
  return NULL;
}

int main(void) {
  if (mlp_model_create(NULL, NULL, 0, &model, NULL, 0))
    return 1;
  mlp_ctx *serial = NULL;
  if (mlp_ctx_create(model, &serial))
    return 1;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < 8; ++i)
      inputs[t][i] = (float)((t + 1) * (i - 3)) * 0.37f;
    if (run(serial, inputs[t], expected[t]))
      return 1;
  }
  mlp_ctx_destroy(serial);
  pthread_t threads[kThreads];
  for (int t = 0; t < kThreads; ++t)
    pthread_create(&threads[t], NULL, worker, (void *)(size_t)t);
  int bad = 0;
  for (int t = 0; t < kThreads; ++t) {
    pthread_join(threads[t], NULL);
    bad += mismatches[t] + failures[t];
  }
  printf("%d threads x %d runs: %d mismatches or failures\n", kThreads, kRuns,
         bad);
  mlp_model_destroy(model);
  return bad != 0;
}
