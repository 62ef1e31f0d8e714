//===- Weights.cpp - a model's weights outside LLVM's code generation -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Weights.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace llvm;

namespace kiln::cpu {

namespace {
constexpr StringLiteral kBlobName = "__kiln_weights";
constexpr StringLiteral kSectionName = ".rodata.kiln_weights";

Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}
} // namespace

namespace {
/// The weights' global and the bytes of its resource, if it has them.
std::pair<mlir::LLVM::GlobalOp, mlir::AsmResourceBlob *>
findWeights(mlir::ModuleOp module) {
  auto global = module.lookupSymbol<mlir::LLVM::GlobalOp>(kBlobName);
  if (!global || !global.getValueOrNull())
    return {};
  auto resource =
      dyn_cast<mlir::DenseResourceElementsAttr>(global.getValueOrNull());
  mlir::AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  return {global, blob};
}
} // namespace

ArrayRef<char> getWeightBytes(mlir::ModuleOp module) {
  mlir::AsmResourceBlob *blob = findWeights(module).second;
  return blob ? blob->getData() : ArrayRef<char>();
}

std::string getWeightSymbol(StringRef prefix) {
  return (prefix + "_weights").str();
}

std::optional<DetachedWeights> detachWeights(mlir::ModuleOp module,
                                             StringRef symbol) {
  auto [global, blob] = findWeights(module);
  if (!blob)
    return std::nullopt;
  DetachedWeights weights;
  weights.symbol = symbol.str();
  weights.bytes = blob->getData();
  weights.alignment = global.getAlignment().value_or(64);
  global.removeValueAttr();
  global.setLinkage(mlir::LLVM::Linkage::External);
  global.setVisibility_(mlir::LLVM::Visibility::Hidden);
  global.setDsoLocal(true);
  mlir::SymbolTable symbols(module);
  if (failed(symbols.rename(global, weights.symbol)))
    return std::nullopt;
  return weights;
}

namespace {
using Header = ELF::Elf64_Ehdr;
using Section = ELF::Elf64_Shdr;
using Symbol = ELF::Elf64_Sym;

/// The object file, read and checked, with views of its tables.
struct ObjectFile {
  std::string bytes;
  Header header;
  SmallVector<Section> sections;

  Error read(StringRef path) {
    auto buffer = MemoryBuffer::getFile(path, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
    if (!buffer)
      return makeError("cannot read " + path + ": " +
                       buffer.getError().message());
    bytes = (*buffer)->getBuffer().str();
    if (bytes.size() < sizeof(Header))
      return makeError(path + " is not an ELF object");
    std::memcpy(&header, bytes.data(), sizeof(Header));
    if (StringRef(bytes.data(), 4) != ELF::ElfMagic ||
        header.e_ident[ELF::EI_CLASS] != ELF::ELFCLASS64 ||
        header.e_ident[ELF::EI_DATA] != ELF::ELFDATA2LSB ||
        header.e_type != ELF::ET_REL || header.e_shnum == 0 ||
        header.e_shentsize != sizeof(Section) ||
        header.e_shoff + header.e_shnum * sizeof(Section) > bytes.size())
      return makeError(path + " is not a 64-bit little-endian ELF object");
    sections.resize(header.e_shnum);
    std::memcpy(sections.data(), bytes.data() + header.e_shoff,
                header.e_shnum * sizeof(Section));
    return Error::success();
  }

  StringRef contents(const Section &section) const {
    return StringRef(bytes).substr(section.sh_offset, section.sh_size);
  }

  /// The undefined symbol `name` in the symbol table, by byte offset.
  Expected<size_t> findUndefined(StringRef name) const {
    for (const Section &table : sections) {
      if (table.sh_type != ELF::SHT_SYMTAB || table.sh_link >= sections.size())
        continue;
      StringRef names = contents(sections[table.sh_link]);
      for (uint64_t at = table.sh_offset;
           at + sizeof(Symbol) <= table.sh_offset + table.sh_size;
           at += sizeof(Symbol)) {
        Symbol symbol;
        std::memcpy(&symbol, bytes.data() + at, sizeof(Symbol));
        if (symbol.st_shndx == ELF::SHN_UNDEF &&
            symbol.st_name < names.size() &&
            names.substr(symbol.st_name).split('\0').first == name)
          return at;
      }
    }
    return makeError("the object refers to no symbol '" + name + "'");
  }
};

void pad(raw_ostream &os, uint64_t &size, uint64_t alignment) {
  uint64_t padded = alignTo(size, alignment);
  os.write_zeros(padded - size);
  size = padded;
}
} // namespace

namespace {
/// Points the undefined symbol `weights.symbol` at the start of the new
/// section `sectionIndex`, as a global object of the blob's size.
Error defineWeightSymbol(ObjectFile &object, const DetachedWeights &weights,
                         unsigned sectionIndex) {
  Expected<size_t> symbolAt = object.findUndefined(weights.symbol);
  if (!symbolAt)
    return symbolAt.takeError();
  Symbol symbol;
  std::memcpy(&symbol, object.bytes.data() + *symbolAt, sizeof(Symbol));
  symbol.st_shndx = sectionIndex;
  symbol.st_value = 0;
  symbol.st_size = weights.bytes.size();
  symbol.setBindingAndType(ELF::STB_GLOBAL, ELF::STT_OBJECT);
  std::memcpy(object.bytes.data() + *symbolAt, &symbol, sizeof(Symbol));
  return Error::success();
}
} // namespace

Error attachWeights(StringRef objectPath, ArrayRef<DetachedWeights> blobs) {
  ObjectFile object;
  if (Error err = object.read(objectPath))
    return err;
  if (object.header.e_shstrndx >= object.sections.size() ||
      object.sections.size() + blobs.size() >= ELF::SHN_LORESERVE)
    return makeError(objectPath + " has an unexpected section table");
  for (auto [i, weights] : llvm::enumerate(blobs))
    if (Error err =
            defineWeightSymbol(object, weights, object.sections.size() + i))
      return err;

  // Appended: the weights, the section names with the new ones, then the
  // section table with the new sections.
  std::error_code ec;
  raw_fd_ostream os(objectPath, ec);
  if (ec)
    return makeError("cannot write " + objectPath + ": " + ec.message());
  // The old bytes first; their header is rewritten once the offsets are
  // known.
  uint64_t size = object.bytes.size();
  os << object.bytes;
  Section &names = object.sections[object.header.e_shstrndx];
  std::string nameTable = object.contents(names).str();
  SmallVector<Section> added;
  for (const DetachedWeights &weights : blobs) {
    Section section{};
    section.sh_name = nameTable.size();
    nameTable.append(kSectionName.data(), kSectionName.size() + 1);
    section.sh_type = ELF::SHT_PROGBITS;
    section.sh_flags = ELF::SHF_ALLOC;
    section.sh_addralign = weights.alignment;
    pad(os, size, weights.alignment);
    section.sh_offset = size;
    section.sh_size = weights.bytes.size();
    os.write(weights.bytes.data(), weights.bytes.size());
    size += weights.bytes.size();
    added.push_back(section);
  }
  names.sh_offset = size;
  names.sh_size = nameTable.size();
  os << nameTable;
  size += nameTable.size();
  pad(os, size, 8);
  object.sections.append(added.begin(), added.end());
  Header header = object.header;
  header.e_shoff = size;
  header.e_shnum = object.sections.size();
  os.write(reinterpret_cast<const char *>(object.sections.data()),
           object.sections.size() * sizeof(Section));
  os.seek(0);
  os.write(reinterpret_cast<const char *>(&header), sizeof(Header));
  os.close();
  if (os.has_error())
    return makeError("cannot write " + objectPath + ": " +
                     os.error().message());
  return Error::success();
}

} // namespace kiln::cpu
