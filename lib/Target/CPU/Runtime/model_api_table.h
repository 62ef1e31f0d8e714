/*===- model_api_table.h - a model's functions as one table -------*- C -*-===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 * KILN_DEFINE_MODEL_API_TABLE() defines `kiln_abi_get_model_api`, which
 * returns the table of the `kiln_abi_*` functions of the file it is used
 * in: the ABI runtime's (one variant) or the dispatcher's (a portable
 * object's public API).
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_TARGET_CPU_RUNTIME_MODEL_API_TABLE_H
#define KILN_TARGET_CPU_RUNTIME_MODEL_API_TABLE_H

#define KILN_DEFINE_MODEL_API_TABLE()                                          \
  static const kiln_model_api api = {sizeof(kiln_model_api),                   \
                                     KILN_ABI_VERSION,                         \
                                     kiln_abi_model_info,                      \
                                     kiln_abi_metadata_json,                   \
                                     kiln_abi_num_inputs,                      \
                                     kiln_abi_num_outputs,                     \
                                     kiln_abi_input_desc,                      \
                                     kiln_abi_output_desc,                     \
                                     kiln_abi_status_string,                   \
                                     kiln_abi_check_host,                      \
                                     kiln_abi_model_create,                    \
                                     kiln_abi_model_destroy,                   \
                                     kiln_abi_ctx_create,                      \
                                     kiln_abi_ctx_destroy,                     \
                                     kiln_abi_ctx_last_error,                  \
                                     kiln_abi_query,                           \
                                     kiln_abi_run,                             \
                                     kiln_abi_num_dim_symbols,                 \
                                     kiln_abi_dim_symbol,                      \
                                     kiln_abi_ctx_create_without_workspace};   \
                                                                               \
  const kiln_model_api *kiln_abi_get_model_api(uint32_t version) {             \
    return version == KILN_ABI_VERSION ? &api : 0;                             \
  }

#endif /* KILN_TARGET_CPU_RUNTIME_MODEL_API_TABLE_H */
