//===- CalibrationData.cpp - the input sets of a calibration run ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Calibrate.h"
#include "kiln/Driver/TensorFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace kiln::driver {
namespace {

llvm::Error dataError(const llvm::Twine &why) {
  return makeError(ErrorKind::Usage, "--calibration-data: " + why);
}

/// The entries of `dir` (sorted), directories or files as `wantDirs` says.
std::vector<std::string> listDir(llvm::StringRef dir, bool wantDirs) {
  std::vector<std::string> entries;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    bool isDir = llvm::sys::fs::is_directory(it->path());
    llvm::StringRef ext = llvm::sys::path::extension(it->path());
    if (isDir == wantDirs && (isDir || ext == ".pb" || ext == ".npy"))
      entries.push_back(it->path());
  }
  llvm::sort(entries);
  return entries;
}

llvm::Expected<HostTensor> readFile(llvm::StringRef path) {
  HostTensor tensor;
  std::string error = readTensorFile(path, tensor);
  if (!error.empty())
    return dataError(error);
  return tensor;
}

/// Input `i` of a set directory: input_<i>.pb or .npy, or <name>.npy/.pb.
llvm::Expected<HostTensor> readSetInput(llvm::StringRef dir, int i,
                                        llvm::StringRef name) {
  std::string index = "input_" + std::to_string(i);
  for (std::string file : {index + ".pb", index + ".npy", name.str() + ".npy",
                           name.str() + ".pb"}) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, file);
    if (llvm::sys::fs::exists(path))
      return readFile(path);
  }
  return dataError(dir + " has no file for input '" + name + "' (" + index +
                   ".pb, " + index + ".npy or " + name + ".npy)");
}

/// `batch` split along its first dim into tensors of first dim 1.
std::vector<InputSet> splitBatch(const HostTensor &batch) {
  std::vector<InputSet> sets;
  int64_t n = batch.dims[0];
  size_t bytes = batch.bytes.size() / std::max<int64_t>(n, 1);
  for (int64_t i = 0; i < n; ++i) {
    HostTensor one{batch.dtype, batch.dims, {}};
    one.dims[0] = 1;
    auto begin = batch.bytes.begin() + i * bytes;
    one.bytes.assign(begin, begin + bytes);
    sets.push_back({std::move(one)});
  }
  return sets;
}

/// One set per file, for a one-input model.
llvm::Expected<std::vector<InputSet>>
readFlatSets(llvm::ArrayRef<std::string> files, const kiln_model_api &api) {
  if (api.num_inputs() != 1)
    return dataError("the model has " + llvm::Twine(api.num_inputs()) +
                     " inputs: give one subdirectory per input set");
  const kiln_tensor_desc &desc = *api.input_desc(0);
  std::vector<InputSet> sets;
  for (const std::string &file : files) {
    llvm::Expected<HostTensor> tensor = readFile(file);
    if (!tensor)
      return tensor.takeError();
    bool batched = desc.rank >= 1 && desc.dims[0] == 1 &&
                   (int)tensor->dims.size() == desc.rank && tensor->dims[0] > 1;
    if (!batched) {
      sets.push_back({std::move(*tensor)});
      continue;
    }
    for (InputSet &set : splitBatch(*tensor))
      sets.push_back(std::move(set));
  }
  return sets;
}

} // namespace

llvm::Expected<std::vector<InputSet>>
readCalibrationSets(llvm::StringRef dir, const kiln_model_api &api) {
  if (!llvm::sys::fs::is_directory(dir))
    return dataError("'" + dir + "' is not a directory");
  std::vector<std::string> setDirs = listDir(dir, /*wantDirs=*/true);
  if (setDirs.empty()) {
    std::vector<std::string> files = listDir(dir, /*wantDirs=*/false);
    if (files.empty())
      return dataError("'" + dir + "' holds no .pb or .npy files");
    return readFlatSets(files, api);
  }
  std::vector<InputSet> sets;
  for (const std::string &setDir : setDirs) {
    InputSet set;
    for (int i = 0; i < api.num_inputs(); ++i) {
      llvm::Expected<HostTensor> tensor =
          readSetInput(setDir, i, api.input_desc(i)->name);
      if (!tensor)
        return tensor.takeError();
      set.push_back(std::move(*tensor));
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

} // namespace kiln::driver
