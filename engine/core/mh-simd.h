/* mh-simd.h — MH_HOT marks the element-wise loops that dominate a step
 * outside the matrix products.  The compiler builds each such function for
 * AVX-512, AVX2 and the baseline, and the loader picks the best for the CPU
 * (GCC/Clang function multi-versioning), so one binary runs everywhere and
 * uses the wide vectors where they exist.  MH_NO_TARGET_CLONES turns it off
 * (the fuzz build: clang 14 mishandles clones of static functions). */
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__ELF__) \
    && !defined(MH_NO_TARGET_CLONES)
#define MH_HOT __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MH_HOT
#endif
