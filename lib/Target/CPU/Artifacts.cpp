//===- Artifacts.cpp - object files, archives, shared libraries -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Artifacts.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;

namespace kiln::cpu {

namespace {
Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}
} // namespace

Error emitCode(Module &module, TargetMachine &machine, CodeGenFileType type,
               raw_pwrite_stream &os) {
  legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr, type))
    return makeError("the target cannot emit this file type");
  pm.run(module);
  return Error::success();
}

Error writeStaticLibrary(StringRef path, StringRef objectName,
                         StringRef objectPath, const Triple &triple) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> object =
      MemoryBuffer::getFile(objectPath, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!object)
    return makeError("cannot read " + objectPath + ": " +
                     object.getError().message());
  std::vector<NewArchiveMember> members;
  members.emplace_back(MemoryBufferRef((*object)->getBuffer(), objectName));
  members.back().MemberName = objectName;
  object::Archive::Kind kind =
      triple.isOSDarwin() ? object::Archive::K_DARWIN : object::Archive::K_GNU;
  return writeArchive(path, members, SymtabWritingMode::NormalSymtab, kind,
                      /*Deterministic=*/true, /*Thin=*/false);
}

namespace {
/// The C compiler drivers that can link for `triple`: $KILN_LINKER alone
/// when set; for the host's architecture cc, clang and gcc; for another,
/// the GNU cross driver `<arch>-<os>-<env>-gcc` (Debian's
/// gcc-aarch64-linux-gnu) and clang, which needs that toolchain's sysroot.
SmallVector<std::string> getLinkerCandidates(const Triple &triple) {
  if (const char *env = std::getenv("KILN_LINKER"))
    return {env};
  Triple host(sys::getProcessTriple());
  if (host.getArch() == triple.getArch() && host.getOS() == triple.getOS())
    return {"cc", "clang-22", "clang", "gcc"};
  std::string gnu = (triple.getArchName() + "-" + triple.getOSName() + "-" +
                     triple.getEnvironmentName())
                        .str();
  return {gnu + "-gcc", "clang-22", "clang"};
}

/// The first candidate on PATH, with its name.
ErrorOr<std::string> findLinker(ArrayRef<std::string> candidates,
                                std::string &name) {
  ErrorOr<std::string> program = std::errc::no_such_file_or_directory;
  for (const std::string &candidate : candidates) {
    name = candidate;
    if ((program = sys::findProgramByName(candidate)))
      break;
  }
  return program;
}
} // namespace

Error linkSharedLibrary(StringRef path, StringRef objectPath,
                        const Triple &triple, StringRef soname) {
  SmallVector<std::string> candidates = getLinkerCandidates(triple);
  std::string linker;
  ErrorOr<std::string> program = findLinker(candidates, linker);
  if (!program)
    return makeError("cannot find a linker driver for " + triple.str() + " (" +
                     join(candidates, ", ") +
                     ") on PATH: install one or set KILN_LINKER to a C "
                     "compiler driver that links for that target");
  std::string sonameFlag = ("-Wl,-soname," + soname).str();
  SmallVector<StringRef> args{*program, "-shared",  sonameFlag, "-o",
                              path,     objectPath, "-lm"};
  std::string targetFlag = "--target=" + triple.str();
  if (StringRef(linker).contains("clang"))
    args.insert(args.begin() + 1, targetFlag);
  std::string message;
  int rc =
      sys::ExecuteAndWait(*program, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0)
    return makeError("linking " + path + " with '" + *program + "' failed" +
                     (message.empty() ? "" : ": " + message) + " (exit " +
                     Twine(rc) + ")");
  return Error::success();
}

} // namespace kiln::cpu
