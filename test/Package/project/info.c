/*===- info.c - a C program linking a model from kiln_add_model ----------===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 *===----------------------------------------------------------------------===*/

#include "digits.h"

#include <stdio.h>

int main(void) {
  const kiln_model_info *info = digits_model_info();
  const kiln_tensor_desc *in = digits_input_desc(0);
  printf("prefix %s, %d input(s), input '%s' of rank %d\n", info->prefix,
         (int)DIGITS_NUM_INPUTS, in->name, (int)in->rank);
  return 0;
}
