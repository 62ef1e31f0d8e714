/* Every run-time validation error returns its documented status and a
 * message naming the input; nothing is printed by the model, nothing
 * aborts, and the outputs are not touched. */
#include "affine.h"

#include <stdio.h>

static affine_ctx *ctx;

static void report(const char *what, kiln_status status) {
  printf("%s: %s (%d): %s\n", what, affine_status_string(status), (int)status,
         affine_ctx_last_error(ctx));
}

int main(void) {
  char msg[256] = "weights";
  affine_model *model = NULL;
  kiln_status status =
      affine_model_create(NULL, msg, sizeof msg, &model, msg, sizeof msg);
  printf("weights: %s (%d): %s\n", affine_status_string(status), (int)status,
         msg);
  kiln_hooks short_hooks = {4, NULL, NULL, NULL, NULL};
  status = affine_model_create(&short_hooks, NULL, 0, &model, msg, sizeof msg);
  printf("hooks: %s (%d): %s\n", affine_status_string(status), (int)status,
         msg);
  if (affine_model_create(NULL, NULL, 0, &model, NULL, 0) ||
      affine_ctx_create(model, &ctx))
    return 1;

  float x[3] = {1, 2, 3}, y[3] = {-9, -9, -9};
  int64_t n[3] = {1, 2, 3}, m[3], d3[1] = {3}, d4[1] = {4}, d2x[2] = {3, 1};
  int64_t yd[1], md[1];
  kiln_tensor in[2] = {{KILN_DTYPE_FLOAT32, 1, d3, x, sizeof x},
                       {KILN_DTYPE_INT64, 1, d3, n, sizeof n}};
  kiln_tensor out[2] = {{KILN_DTYPE_FLOAT32, 1, yd, y, sizeof y},
                        {KILN_DTYPE_INT64, 1, md, m, sizeof m}};

  report("count", affine_run(ctx, NULL, in, 1, out, 2, NULL, 0));
  report("output count", affine_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  report("null array", affine_run(ctx, NULL, NULL, 2, out, 2, NULL, 0));

  kiln_tensor bad[2] = {in[0], in[1]};
  bad[1].dtype = KILN_DTYPE_INT32;
  report("dtype", affine_run(ctx, NULL, bad, 2, out, 2, NULL, 0));
  bad[1] = in[1];
  bad[0].rank = 2;
  bad[0].dims = d2x;
  report("rank", affine_run(ctx, NULL, bad, 2, out, 2, NULL, 0));
  bad[0] = in[0];
  bad[0].dims = d4;
  report("dims", affine_run(ctx, NULL, bad, 2, out, 2, NULL, 0));
  bad[0] = in[0];
  bad[0].dims = NULL;
  report("null dims", affine_run(ctx, NULL, bad, 2, out, 2, NULL, 0));
  bad[0] = in[0];
  bad[0].data = NULL;
  report("null data", affine_run(ctx, NULL, bad, 2, out, 2, NULL, 0));
  bad[0] = in[0];
  bad[0].size_bytes = 11;
  report("short input", affine_run(ctx, NULL, bad, 2, out, 2, NULL, 0));

  kiln_tensor bad_out[2] = {out[0], out[1]};
  bad_out[1].data = NULL;
  report("null output", affine_run(ctx, NULL, in, 2, bad_out, 2, NULL, 0));
  bad_out[1] = out[1];
  bad_out[0].size_bytes = 4;
  report("short output", affine_run(ctx, NULL, in, 2, bad_out, 2, NULL, 0));
  kiln_run_options opts = {2, 0};
  report("options", affine_run(ctx, &opts, in, 2, out, 2, NULL, 0));
  report("query", affine_query(ctx, bad, 2, out, 2, NULL));
  printf("outputs untouched: %s\n",
         y[0] == -9 && y[1] == -9 && y[2] == -9 ? "yes" : "no");
  report("good", affine_run(ctx, NULL, in, 2, out, 2, NULL, 0));
  printf("y = %.1f %.1f %.1f\n", y[0], y[1], y[2]);
  printf("null ctx: %s\n",
         affine_status_string(affine_run(NULL, NULL, in, 2, out, 2, NULL, 0)));
  printf("desc out of range: %s\n", affine_input_desc(2) ? "desc" : "NULL");
  affine_ctx_destroy(ctx);
  affine_model_destroy(model);
  return 0;
}
