/* One compiled model serves every (batch, seq): query gives the output
 * dims and workspace for given input dims, run checks that dims naming one
 * symbol agree and lie in their bounds. */
#include "dynamic.h"

#include <stdio.h>
#include <string.h>

static dynamic_ctx *ctx;

static void report(const char *what, kiln_status status) {
  printf("%s: %s (%d): %s\n", what, dynamic_status_string(status), (int)status,
         dynamic_ctx_last_error(ctx));
}

/* Runs at (batch, seq) with X[i] = i and M = 2 and prints the outputs. */
static int run_at(int64_t batch, int64_t seq) {
  float x[64], m[64], y[64], t[64], s[8];
  int64_t xd[2] = {batch, seq}, yd[2], td[2], sd[2];
  for (int i = 0; i < batch * seq; ++i) {
    x[i] = (float)i;
    m[i] = 2;
  }
  size_t bytes = (size_t)(batch * seq) * sizeof(float);
  kiln_tensor in[2] = {{KILN_DTYPE_FLOAT32, 2, xd, x, bytes},
                       {KILN_DTYPE_FLOAT32, 2, xd, m, bytes}};
  kiln_tensor out[3] = {{KILN_DTYPE_UNDEFINED, 0, yd, NULL, 0},
                        {KILN_DTYPE_UNDEFINED, 0, td, NULL, 0},
                        {KILN_DTYPE_UNDEFINED, 0, sd, NULL, 0}};
  size_t workspace = 0;
  kiln_status status = dynamic_query(ctx, in, 2, out, 3, &workspace);
  if (status)
    return report("query", status), 1;
  printf("(%lld,%lld): Y %lldx%lld, T %lldx%lld, S %lldx%lld, workspace %s\n",
         (long long)batch, (long long)seq, (long long)yd[0], (long long)yd[1],
         (long long)td[0], (long long)td[1], (long long)sd[0], (long long)sd[1],
         workspace > 0 ? "> 0" : "0");
  out[0].data = y;
  out[0].size_bytes = bytes;
  out[1].data = t;
  out[1].size_bytes = bytes;
  out[2].data = s;
  out[2].size_bytes = (size_t)batch * sizeof(float);
  if ((status = dynamic_run(ctx, NULL, in, 2, out, 3, NULL, 0)))
    return report("run", status), 1;
  printf("  Y:");
  for (int i = 0; i < batch * seq; ++i)
    printf(" %g", y[i]);
  printf("\n  T:");
  for (int i = 0; i < batch * seq; ++i)
    printf(" %g", t[i]);
  printf("\n  S:");
  for (int i = 0; i < batch; ++i)
    printf(" %g", s[i]);
  printf("\n");
  return 0;
}

int main(void) {
  dynamic_model *model;
  if (dynamic_model_create(NULL, NULL, 0, &model, NULL, 0) ||
      dynamic_ctx_create(model, &ctx))
    return 1;
  for (int32_t i = 0; i < dynamic_num_dim_symbols(); ++i) {
    const kiln_dim_symbol *symbol = dynamic_dim_symbol(i);
    printf("symbol %d: %s %lld..%lld\n", (int)i, symbol->name,
           (long long)symbol->min, (long long)symbol->max);
  }
  printf("input 0 dims: %lld %lld (%s, %s)\n",
         (long long)dynamic_input_desc(0)->dims[0],
         (long long)dynamic_input_desc(0)->dims[1],
         dynamic_input_desc(0)->dim_names[0],
         dynamic_input_desc(0)->dim_names[1]);
  printf("json has symbols: %s\n",
         strstr(dynamic_metadata_json(),
                "\"dim_symbols\":[{\"max\":4,\"min\":1,\"name\":\"batch\"}")
             ? "yes"
             : "no");
  if (run_at(2, 3) || run_at(1, 5) || run_at(4, 1) || run_at(3, 7))
    return 1;

  float x[32] = {0}, y[32];
  int64_t d23[2] = {2, 3}, d33[2] = {3, 3}, d53[2] = {5, 3}, d20[2] = {2, 0};
  int64_t yd[2], td[2], sd[2];
  kiln_tensor in[2] = {{KILN_DTYPE_FLOAT32, 2, d23, x, sizeof x},
                       {KILN_DTYPE_FLOAT32, 2, d33, x, sizeof x}};
  kiln_tensor out[3] = {{KILN_DTYPE_FLOAT32, 2, yd, y, sizeof y},
                        {KILN_DTYPE_FLOAT32, 2, td, y, sizeof y},
                        {KILN_DTYPE_FLOAT32, 2, sd, y, sizeof y}};
  report("disagree", dynamic_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  in[0].dims = in[1].dims = d53;
  report("above bound", dynamic_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  report("query above bound", dynamic_query(ctx, in, 2, out, 3, NULL));
  in[0].dims = in[1].dims = d20;
  report("empty", dynamic_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  in[0].dims = in[1].dims = d23;
  out[0].size_bytes = 20;
  report("short output", dynamic_run(ctx, NULL, in, 2, out, 3, NULL, 0));
  out[0].size_bytes = sizeof y;
  char small[16];
  report("short workspace",
         dynamic_run(ctx, NULL, in, 2, out, 3, small, sizeof small));
  dynamic_ctx_destroy(ctx);
  dynamic_model_destroy(model);
  return 0;
}
