/*===- x86_cpuid.h - the running CPU's x86-64 features ------------*- C -*-===*
 *
 * Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
 *
 * The features of x86_host_features.h that the running CPU has, read with
 * CPUID and XGETBV, and their names for a message. Included by the ABI
 * runtime (check_host) and by the variant dispatcher (the choice at
 * model_create); both are compiled to bitcode without libc headers.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_TARGET_CPU_RUNTIME_X86_CPUID_H
#define KILN_TARGET_CPU_RUNTIME_X86_CPUID_H

#include "kiln_types.h"
#include "x86_host_features.h"

int snprintf(char *str, size_t size, const char *format, ...);

#if defined(__x86_64__)
static void kiln_cpuid(uint32_t leaf, uint32_t regs[4]) {
  __asm__ volatile("cpuid"
                   : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3])
                   : "a"(leaf), "c"(0));
}

/* XCR0: the register state the OS saves (0 without OSXSAVE). */
static uint64_t kiln_xcr0(const uint32_t leaf1[4]) {
  if (!((leaf1[2] >> 27) & 1u))
    return 0;
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}

static uint32_t kiln_host_x86_features(void) {
  uint32_t max[4], leaf1[4], leaf7[4] = {0, 0, 0, 0}, ext[4] = {0, 0, 0, 0};
  uint32_t extMax[4];
  kiln_cpuid(0, max);
  kiln_cpuid(1, leaf1);
  if (max[0] >= 7)
    kiln_cpuid(7, leaf7);
  kiln_cpuid(0x80000000u, extMax);
  if (extMax[0] >= 0x80000001u)
    kiln_cpuid(0x80000001u, ext);
  uint32_t mask = 0;
#define KILN_X86_TEST(bit, name, leaf, reg, cpubit)                            \
  if (((leaf == 1 ? leaf1 : leaf == 7 ? leaf7 : ext)[reg] >> cpubit) & 1u)     \
    mask |= 1u << bit;
  KILN_X86_FEATURES(KILN_X86_TEST)
#undef KILN_X86_TEST
  /* AVX state must be enabled by the OS. */
  uint64_t xcr0 = kiln_xcr0(leaf1);
  if ((xcr0 & 0x6) != 0x6)
    mask &= ~(uint32_t)KILN_X86_AVX_MASK;
  if ((xcr0 & 0xe6) != 0xe6)
    mask &= ~(uint32_t)KILN_X86_AVX512_MASK;
  return mask;
}

/* "the CPU lacks: avx2 fma" into msg (if any), for the features in
 * `missing`. */
static void kiln_write_missing_x86_features(char *msg, size_t cap,
                                            uint32_t missing) {
  if (!msg || !cap)
    return;
  int at = snprintf(msg, cap, "the CPU lacks:");
#define KILN_X86_NAME(bit, name, leaf, reg, cpubit)                            \
  if ((missing >> bit) & 1u && at >= 0 && (size_t)at < cap)                    \
    at += snprintf(msg + at, cap - (size_t)at, " %s", name);
  KILN_X86_FEATURES(KILN_X86_NAME)
#undef KILN_X86_NAME
}
#endif

#endif /* KILN_TARGET_CPU_RUNTIME_X86_CPUID_H */
