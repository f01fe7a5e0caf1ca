/// The number format of stored weights or KV-cache entries, which sets their bytes per element.
public enum NumericFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case fp32, bf16, fp16, fp8, int8, int4

    /// Bytes per element (int4 packs two elements per byte).
    public var bytes: Double {
        switch self {
        case .fp32: 4
        case .bf16, .fp16: 2
        case .fp8, .int8: 1
        case .int4: 0.5
        }
    }

    /// Whether matrix multiplies on this format can use the GPU's FP8 tensor-core rate.
    /// Weight-only formats (int4) still compute in BF16.
    public var usesEightBitTensorCores: Bool { self == .fp8 || self == .int8 }
}
