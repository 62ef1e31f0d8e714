/* Two different models linked into one program: no symbol clash. */
#include "affine.h"
#include "mlp.h"

#include <stdio.h>

int main(void) {
  mlp_model *m1 = NULL;
  affine_model *m2 = NULL;
  mlp_ctx *c1 = NULL;
  affine_ctx *c2 = NULL;
  if (mlp_model_create(NULL, NULL, 0, &m1, NULL, 0) ||
      affine_model_create(NULL, NULL, 0, &m2, NULL, 0) ||
      mlp_ctx_create(m1, &c1) || affine_ctx_create(m2, &c2))
    return 1;
  float x[8] = {1, 2, 3, 4, -1, 0, 1, 2}, y[6];
  int64_t xd[2] = {2, 4}, yd[2];
  kiln_tensor in1 = {KILN_DTYPE_FLOAT32, 2, xd, x, sizeof x};
  kiln_tensor out1 = {KILN_DTYPE_FLOAT32, 2, yd, y, sizeof y};
  kiln_status s1 = mlp_run(c1, NULL, &in1, 1, &out1, 1, NULL, 0);
  printf("mlp: %s y[2] = %.1f\n", mlp_status_string(s1), y[2]);

  float a[3] = {1, 2, 3}, b[3];
  int64_t n[3] = {5, -6, 7}, m[3], d3[1] = {3}, o1[1], o2[1];
  kiln_tensor in2[2] = {{KILN_DTYPE_FLOAT32, 1, d3, a, sizeof a},
                        {KILN_DTYPE_INT64, 1, d3, n, sizeof n}};
  kiln_tensor out2[2] = {{KILN_DTYPE_FLOAT32, 1, o1, b, sizeof b},
                         {KILN_DTYPE_INT64, 1, o2, m, sizeof m}};
  kiln_status s2 = affine_run(c2, NULL, in2, 2, out2, 2, NULL, 0);
  printf("affine: %s b = %.1f %.1f %.1f m = %lld %lld %lld\n",
         affine_status_string(s2), b[0], b[1], b[2], (long long)m[0],
         (long long)m[1], (long long)m[2]);
  const kiln_model_api *api = affine_get_model_api(KILN_ABI_VERSION);
  printf("api: %d inputs, version 2 gives %s\n", (int)api->num_inputs(),
         affine_get_model_api(2) ? "a table" : "NULL");
  mlp_ctx_destroy(c1);
  affine_ctx_destroy(c2);
  mlp_model_destroy(m1);
  affine_model_destroy(m2);
  return 0;
}
