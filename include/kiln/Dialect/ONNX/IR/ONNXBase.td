//===- ONNXBase.td - onnx dialect, types and base op class -*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXBASE_TD
#define KILN_DIALECT_ONNX_IR_ONNXBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "kiln/Dialect/ONNX/IR/ONNXInterfaces.td"

def ONNX_Dialect : Dialect {
  let name = "onnx";
  let cppNamespace = "::kiln::onnx";
  let summary = "ONNX operators with the semantics of their newest opset";
  let description = [{
    One op per ONNX operator kiln handles. Operands, results and attributes
    follow the operator's schema at the newest opset kiln knows; the importer
    rewrites older opset forms (attributes that became inputs, changed
    defaults) into this form. An absent optional input or output is a value of
    type `none` (inputs come from `onnx.NoValue`).
  }];
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    /// Names of the attributes the importer writes: on graph arguments and
    /// results, and on the module.
    static constexpr ::llvm::StringLiteral kNameAttrName = "onnx.name";
    static constexpr ::llvm::StringLiteral kDimParamsAttrName =
        "onnx.dim_params";
    static constexpr ::llvm::StringLiteral kIRVersionAttrName =
        "onnx.ir_version";
    static constexpr ::llvm::StringLiteral kOpsetImportAttrName =
        "onnx.opset_import";
    static constexpr ::llvm::StringLiteral kProducerNameAttrName =
        "onnx.producer_name";
    static constexpr ::llvm::StringLiteral kProducerVersionAttrName =
        "onnx.producer_version";
    static constexpr ::llvm::StringLiteral kGraphNameAttrName =
        "onnx.graph_name";

    /// The ONNX node a location names (the importer's NameLoc), or "".
    static std::string getNodeName(::mlir::Location loc);
  }];
}

//===----------------------------------------------------------------------===//
// Tensor type constraints (ONNX type-constraint groups).
//===----------------------------------------------------------------------===//

defvar ONNX_FloatTypes = [F16, BF16, F32, F64];
defvar ONNX_SignedTypes = [I8, I16, I32, I64];
defvar ONNX_UnsignedTypes = [UI8, UI16, UI32, UI64];

def ONNX_FloatTensor : TensorOf<ONNX_FloatTypes>;
def ONNX_IntTensor : TensorOf<!listconcat(ONNX_SignedTypes, ONNX_UnsignedTypes)>;
def ONNX_NumericTensor : TensorOf<!listconcat(ONNX_FloatTypes, ONNX_SignedTypes,
                                              ONNX_UnsignedTypes)>;
def ONNX_BoolTensor : TensorOf<[I1]>;
def ONNX_I64Tensor : TensorOf<[I64]>;
def ONNX_IndexTensor : TensorOf<[I32, I64]>;
def ONNX_Tensor : TensorOf<[AnyType]>;

/// An ONNX input or output that may be absent (a value of type `none`).
class ONNX_Optional<Type t> : AnyTypeOf<[t, NoneType]>;

//===----------------------------------------------------------------------===//
// Base op class.
//===----------------------------------------------------------------------===//

/// Every onnx op knows its ONNX arity (computed from its ODS arguments), so
/// the importer can pad absent optional inputs with `onnx.NoValue`.
class ONNX_Op<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic, !listconcat(traits, [ONNXOpInterface])> {
  // Number of operands (tensor arguments) in `arguments`.
  int onnxNumInputs = !foldl(0, !range(!size(arguments)), n, i,
      !add(n, !if(!initialized(!getdagarg<Attr>(arguments, i)), 0, 1)));
  int onnxNumOutputs = !size(results);
  bit onnxVariadicInputs = !foldl(0, !range(!size(arguments)), v, i,
      !or(v, !if(!initialized(!getdagarg<TypeConstraint>(arguments, i)),
                 !isa<Variadic>(!getdagarg<TypeConstraint>(arguments, i)), 0)));
  bit onnxVariadicOutputs = !foldl(0, !range(!size(results)), v, i,
      !or(v, !isa<Variadic>(!getdagarg<TypeConstraint>(results, i))));
  /// C++ declaration of shape inference (set by ONNX_InferOp).
  code onnxInferDecl = "";
  /// Op-specific C++ declarations (extraClassDeclaration is taken).
  code onnxExtraDecl = "";

  let extraClassDeclaration = "static int getNumONNXInputs() { return "
      # !if(onnxVariadicInputs, -1, onnxNumInputs) # "; }\n"
      # "static int getNumONNXOutputs() { return "
      # !if(onnxVariadicOutputs, -1, onnxNumOutputs) # "; }\n"
      # onnxInferDecl # onnxExtraDecl;

  let assemblyFormat =
      "`(` operands `)` attr-dict `:` functional-type(operands, results)";
}

/// An op whose result types are computed by shape inference. `infer` is a
/// C++ expression (over `*this` and `inferred`) shared by an op family; when
/// empty, the op defines `inferResultTypes` in C++.
class ONNX_InferOp<string mnemonic, list<Trait> traits = [], string infer = "">
    : ONNX_Op<mnemonic, !listconcat(traits, [Pure, ShapeInferenceOpInterface])> {
  let onnxInferDecl = "::mlir::LogicalResult inferResultTypes("
      # "::llvm::SmallVectorImpl<::mlir::Type> &inferred)"
      # !if(!empty(infer), ";\n", " { return " # infer # "; }\n");
}

#endif // KILN_DIALECT_ONNX_IR_ONNXBASE_TD
