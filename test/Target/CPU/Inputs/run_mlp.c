/* Links a model compiled by kilnc through its header, runs it once. */
#include "mlp.h"

#include <stdio.h>

int main(void) {
  char msg[256];
  if (mlp_check_host(msg, sizeof msg) != KILN_STATUS_OK) {
    printf("host: %s\n", msg);
    return 1;
  }
  mlp_model *model = NULL;
  if (mlp_model_create(NULL, NULL, 0, &model, msg, sizeof msg)) {
    printf("model_create: %s\n", msg);
    return 1;
  }
  mlp_ctx *ctx = NULL;
  if (mlp_ctx_create(model, &ctx))
    return 1;
  float x[MLP_INPUT_0_ELEMENTS] = {1, 2, 3, 4, -1, 0, 1, 2};
  float y[MLP_OUTPUT_0_ELEMENTS];
  int64_t x_dims[2] = {2, 4}, y_dims[2] = {0, 0};
  kiln_tensor in = {KILN_DTYPE_FLOAT32, 2, x_dims, x, sizeof x};
  kiln_tensor out = {KILN_DTYPE_UNDEFINED, 0, y_dims, y, sizeof y};
  size_t workspace = 0;
  kiln_status status = mlp_query(ctx, &in, 1, &out, 1, &workspace);
  printf("query: %s, output %s rank %d dims %lld x %lld\n",
         mlp_status_string(status), mlp_output_desc(0)->name, (int)out.rank,
         (long long)y_dims[0], (long long)y_dims[1]);
  status = mlp_run(ctx, NULL, &in, 1, &out, 1, NULL, 0);
  printf("run: %s\n", mlp_status_string(status));
  for (int i = 0; i < MLP_OUTPUT_0_ELEMENTS; ++i)
    printf("y[%d] = %.4f\n", i, y[i]);
  const kiln_model_info *info = mlp_model_info();
  printf("info: prefix %s graph %s opsets %d %s=%lld\n", info->prefix,
         info->graph_name, (int)info->num_opsets, info->opset_domains[0],
         (long long)info->opset_versions[0]);
  printf("json: %s\n", mlp_metadata_json());
  mlp_ctx_destroy(ctx);
  mlp_model_destroy(model);
  return 0;
}
