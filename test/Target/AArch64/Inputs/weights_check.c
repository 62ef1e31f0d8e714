/* Runs the model of test/tools/kilnc/Inputs/weights-matmul.py 24 40 96
 * (Y = A x W, 24 x 40 x 96) and checks Y against a product computed here
 * in double from the same weights. Prints "ok" or the first bad element. */
#include "weights.h"

#include <math.h>
#include <stdio.h>

enum { M = 24, K = 40, N = 96 };

static double weight(int row, int col) {
  return (double)(((row * N + col) * 7919) % 97 - 48) / 64.0;
}

int main(void) {
  char msg[256];
  weights_model *model = NULL;
  weights_ctx *ctx = NULL;
  if (weights_model_create(NULL, NULL, 0, &model, msg, sizeof msg) ||
      weights_ctx_create(model, &ctx)) {
    printf("create: %s\n", msg);
    return 1;
  }
  static float a[M * K], y[M * N];
  for (int i = 0; i < M * K; ++i)
    a[i] = (float)((i * 37) % 23 - 11) / 8.0f;
  int64_t a_dims[2] = {M, K}, y_dims[2] = {M, N};
  kiln_tensor in = {KILN_DTYPE_FLOAT32, 2, a_dims, a, sizeof a};
  kiln_tensor out = {KILN_DTYPE_FLOAT32, 2, y_dims, y, sizeof y};
  kiln_status status = weights_run(ctx, NULL, &in, 1, &out, 1, NULL, 0);
  if (status != KILN_STATUS_OK) {
    printf("run: %s\n", weights_status_string(status));
    return 1;
  }
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      double sum = 0;
      for (int k = 0; k < K; ++k)
        sum += (double)a[m * K + k] * weight(k, n);
      if (fabs(sum - y[m * N + n]) > 1e-4) {
        printf("y[%d][%d] = %f, expected %f\n", m, n, y[m * N + n], sum);
        return 1;
      }
    }
  printf("ok: %d x %d outputs match\n", M, N);
  weights_ctx_destroy(ctx);
  weights_model_destroy(model);
  return 0;
}
