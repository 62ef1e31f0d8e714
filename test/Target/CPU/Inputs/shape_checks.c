/* Requirements between dims the types cannot show (a MatMul's inner dims,
 * a dim that must broadcast) are checked by query and run: inputs that
 * break them get a status and a message naming the node, never an
 * out-of-bounds read. */
#include "matmul_dyn.h"

#include <stdio.h>

static matmul_dyn_ctx *ctx;

static void report(const char *what, kiln_status status) {
  printf("%s: %s (%d): %s\n", what, matmul_dyn_status_string(status),
         (int)status, matmul_dyn_ctx_last_error(ctx));
}

int main(void) {
  matmul_dyn_model *model;
  if (matmul_dyn_model_create(NULL, NULL, 0, &model, NULL, 0) ||
      matmul_dyn_ctx_create(model, &ctx))
    return 1;
  float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 0, 0, 1, 1, 1}, x[6] = {0},
        y[3] = {10, 20, 30}, p[16], s[16];
  int64_t a23[2] = {2, 3}, b32[2] = {3, 2}, b23[2] = {2, 3}, x23[2] = {2, 3},
          y3[1] = {3}, y1[1] = {1}, y2[1] = {2}, pd[2], sd[2];
  kiln_tensor in[4] = {{KILN_DTYPE_FLOAT32, 2, a23, a, sizeof a},
                       {KILN_DTYPE_FLOAT32, 2, b32, b, sizeof b},
                       {KILN_DTYPE_FLOAT32, 2, x23, x, sizeof x},
                       {KILN_DTYPE_FLOAT32, 1, y3, y, sizeof y}};
  kiln_tensor out[2] = {{KILN_DTYPE_FLOAT32, 2, pd, p, sizeof p},
                        {KILN_DTYPE_FLOAT32, 2, sd, s, sizeof s}};
  report("good", matmul_dyn_run(ctx, NULL, in, 4, out, 2, NULL, 0));
  printf("P = %g %g %g %g\n", p[0], p[1], p[2], p[3]);
  printf("S = %g %g %g\n", s[0], s[1], s[2]);
  in[3].dims = y1;
  report("broadcast 1", matmul_dyn_run(ctx, NULL, in, 4, out, 2, NULL, 0));
  printf("S = %g %g %g\n", s[0], s[1], s[2]);
  in[3].dims = y2;
  report("broadcast 2", matmul_dyn_run(ctx, NULL, in, 4, out, 2, NULL, 0));
  in[3].dims = y3;
  in[1].dims = b23;
  report("inner dims", matmul_dyn_run(ctx, NULL, in, 4, out, 2, NULL, 0));
  report("query inner dims", matmul_dyn_query(ctx, in, 4, out, 2, NULL));
  matmul_dyn_ctx_destroy(ctx);
  matmul_dyn_model_destroy(model);
  return 0;
}
