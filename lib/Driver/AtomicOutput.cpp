//===- AtomicOutput.cpp - outputs that appear whole or not at all ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "AtomicOutput.h"
#include "kiln/Driver/Compile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"

namespace kiln::driver {

llvm::Error
writeAtomically(llvm::StringRef path,
                llvm::function_ref<llvm::Error(llvm::StringRef)> write) {
  if (path == "-")
    return write(path);
  llvm::SmallString<256> model(path), temp;
  model += "-%%%%%%%%.kiln-tmp";
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp))
    return makeError(ErrorKind::Usage,
                     "cannot write " + path + ": " + ec.message());
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  llvm::sys::RemoveFileOnSignal(temp);
  llvm::FileRemover remover(temp);
  llvm::Error err = write(temp);
  if (!err)
    if (std::error_code ec = llvm::sys::fs::rename(temp, path))
      err = makeError(ErrorKind::Usage,
                      "cannot write " + path + ": " + ec.message());
  if (!err)
    remover.releaseFile();
  llvm::sys::DontRemoveFileOnSignal(temp);
  return err;
}

} // namespace kiln::driver
