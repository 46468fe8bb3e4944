// SPDX-License-Identifier: GPL-2.0
/*
 * plugin.cpp - lcg-plugin.so, the only C++ in lcg: LLVM-C cannot register a
 * pass, so this registers one at the full-LTO-last extension point (after
 * the whole program is merged and optimised, before code generation) and
 * hands the module to lcg_lto_run() in C.
 */
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

#include "analysis/lto_plugin.h"

namespace {

struct LcgPass : llvm::PassInfoMixin<LcgPass> {
	llvm::PreservedAnalyses run(llvm::Module &m, llvm::ModuleAnalysisManager &)
	{
		return lcg_lto_run(llvm::wrap(&m)) ? llvm::PreservedAnalyses::none()
						   : llvm::PreservedAnalyses::all();
	}
	static bool isRequired() { return true; }	/* run at -O0 too */
};

void registerCallbacks(llvm::PassBuilder &pb)
{
	pb.registerFullLinkTimeOptimizationLastEPCallback(
		[](llvm::ModulePassManager &mpm, llvm::OptimizationLevel) {
			mpm.addPass(LcgPass());
		});
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK llvm::PassPluginLibraryInfo llvmGetPassPluginInfo()
{
	return { LLVM_PLUGIN_API_VERSION, "lcg", "1", registerCallbacks };
}
