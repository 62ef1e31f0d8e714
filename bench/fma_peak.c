// fma_peak.c - the single-thread f32 FMA peak of this machine, measured.
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
// Independent chains of vector fused multiply-adds, as many as hide the
// FMA latency on two FMA ports, at the widest vector width the compiler
// targets (-march=native). Prints GFLOP/s (2 flops per lane per FMA), the
// best of several trials.
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#elif defined(__AVX__)
#define LANES 8
#else
#define LANES 4
#endif
#define CHAINS 16

typedef float vec __attribute__((vector_size(LANES * 4)));

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  vec acc[CHAINS], a, b;
  for (int l = 0; l < LANES; ++l)
    a[l] = 0.999999f, b[l] = 1e-7f;
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = a * (float)c;
  const long iterations = 50 * 1000 * 1000;
  double best = 0;
  for (int trial = 0; trial < 5; ++trial) {
    double start = now();
    for (long i = 0; i < iterations; ++i) {
      for (int c = 0; c < CHAINS; ++c)
        acc[c] = acc[c] * a + b;
      __asm__ volatile("" : "+x"(acc[0]));
    }
    double seconds = now() - start;
    double gflops = 2.0 * LANES * CHAINS * iterations / seconds * 1e-9;
    if (gflops > best)
      best = gflops;
  }
  float sink = 0;
  for (int c = 0; c < CHAINS; ++c)
    sink += acc[c][0];
  printf("%.2f GFLOP/s %d lanes %d chains (checksum %g)\n", best, LANES, CHAINS,
         sink);
  return 0;
}
