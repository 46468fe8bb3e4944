# analysis/: lcg-analyze (analysis library, LLVM-C) and lcg-cc (compiler wrapper, LTO plugin, finalize)
-include analysis/analyze.mk
-include analysis/cc.mk
