/*===- x86_host_features.h - CPU features a model may require -----*- C -*-===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 * One bit per x86-64 feature that <prefix>_check_host verifies with CPUID.
 * kilnc sets the bits of the features it compiled for; model_abi.c reads
 * them. Shared by C and C++.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_TARGET_CPU_RUNTIME_X86_HOST_FEATURES_H
#define KILN_TARGET_CPU_RUNTIME_X86_HOST_FEATURES_H

/* X(bit, LLVM feature name, CPUID leaf (1, 7 or 0x80000001), register index
 * (ebx=1, ecx=2), bit) */
#define KILN_X86_FEATURES(X)                                                   \
  X(0, "sse3", 1, 2, 0)                                                        \
  X(1, "ssse3", 1, 2, 9)                                                       \
  X(2, "fma", 1, 2, 12)                                                        \
  X(3, "sse4.1", 1, 2, 19)                                                     \
  X(4, "sse4.2", 1, 2, 20)                                                     \
  X(5, "popcnt", 1, 2, 23)                                                     \
  X(6, "avx", 1, 2, 28)                                                        \
  X(7, "f16c", 1, 2, 29)                                                       \
  X(8, "bmi", 7, 1, 3)                                                         \
  X(9, "avx2", 7, 1, 5)                                                        \
  X(10, "bmi2", 7, 1, 8)                                                       \
  X(11, "avx512f", 7, 1, 16)                                                   \
  X(12, "avx512dq", 7, 1, 17)                                                  \
  X(13, "avx512cd", 7, 1, 28)                                                  \
  X(14, "avx512bw", 7, 1, 30)                                                  \
  X(15, "avx512vl", 7, 1, 31)                                                  \
  X(16, "cx16", 1, 2, 13)                                                      \
  X(17, "movbe", 1, 2, 22)                                                     \
  X(18, "sahf", 0x80000001, 2, 0)                                              \
  X(19, "lzcnt", 0x80000001, 2, 5)

/* Features that need the OS to save AVX (and AVX-512) register state. */
#define KILN_X86_AVX_MASK                                                      \
  ((1u << 2) | (1u << 6) | (1u << 7) | (1u << 9) | (1u << 11) | (1u << 12) |   \
   (1u << 13) | (1u << 14) | (1u << 15))
#define KILN_X86_AVX512_MASK                                                   \
  ((1u << 11) | (1u << 12) | (1u << 13) | (1u << 14) | (1u << 15))

#endif /* KILN_TARGET_CPU_RUNTIME_X86_HOST_FEATURES_H */
