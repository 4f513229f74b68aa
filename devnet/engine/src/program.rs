//! Stylus program format, activation-time validation and the activation record.

use crate::params::{self, StylusParams};
use alloy_primitives::{keccak256, B256};
use wasmparser::{ExternalKind, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures};

/// `0xEFF000` + dictionary byte `0x00`: the prefix of deployed Stylus code.
pub const STYLUS_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];
/// The only dictionary this engine supports: none (plain brotli).
pub const DICT_EMPTY: u8 = 0x00;
/// Name of the exported entrypoint every program must have.
pub const ENTRYPOINT: &str = "user_entrypoint";

/// `0xEFF001`: a fragment of a large program's compressed Wasm (ArbOS 60). Not executable.
pub const FRAGMENT_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x01];
/// `0xEFF002` + dictionary byte + big-endian u32 decompressed length + fragment addresses: the
/// root of a fragmented program (ArbOS 60), executed and activated like a classic program.
pub const ROOT_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x02];

/// Whether deployed code is a classic (single-contract) Stylus program.
pub fn is_classic(code: &[u8]) -> bool {
    code.len() > 3 && code[..3] == STYLUS_PREFIX
}
/// Whether deployed code is the root of a fragmented Stylus program.
pub fn is_root(code: &[u8]) -> bool {
    code.len() > 3 && code[..3] == ROOT_PREFIX
}
/// Whether deployed code is a fragment of a Stylus program.
pub fn is_fragment(code: &[u8]) -> bool {
    code.len() > 3 && code[..3] == FRAGMENT_PREFIX
}

/// Whether deployed code runs as a Stylus program (Nitro's `IsStylusDeployableProgramPrefix`
/// at ArbOS 60: a classic program or a root program; fragments run as EVM code).
pub fn is_stylus(code: &[u8]) -> bool {
    is_classic(code) || is_root(code)
}

/// Whether code starting with `0xEF` may be deployed (Nitro's `IsStylusComponentPrefix`).
pub fn is_stylus_component(code: &[u8]) -> bool {
    is_stylus(code) || is_fragment(code)
}

/// A parsed root program (Nitro's `StylusRoot`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootProgram {
    pub dictionary: u8,
    pub decompressed_len: u32,
    pub fragments: Vec<alloy_primitives::Address>,
}

/// Parses root-program code, with Nitro's error messages.
pub fn parse_root(code: &[u8]) -> Result<RootProgram, String> {
    if !is_root(code) {
        return Err("specified bytecode is not a Stylus program root".into());
    }
    if code.len() < 8 {
        return Err(format!(
            "stylus program root too short: need at least 8 bytes, got {}",
            code.len()
        ));
    }
    let addrs = &code[8..];
    if !addrs.len().is_multiple_of(20) {
        return Err(format!(
            "stylus program root address data has invalid length: {} (must be multiple of 20)",
            addrs.len()
        ));
    }
    Ok(RootProgram {
        dictionary: code[3],
        decompressed_len: u32::from_be_bytes(code[4..8].try_into().unwrap()),
        fragments: addrs
            .chunks_exact(20)
            .map(alloy_primitives::Address::from_slice)
            .collect(),
    })
}

/// Decompresses the concatenated fragment payloads of a root program: the result must have
/// exactly the length the root announces.
pub fn decompress_fragments(
    root: &RootProgram,
    compressed: &[u8],
    params: &StylusParams,
) -> Result<Vec<u8>, ProgramError> {
    if root.dictionary != DICT_EMPTY {
        return Err(ProgramError::UnknownDictionary(root.dictionary));
    }
    let limit = root.decompressed_len.min(params.max_wasm_size);
    let out = brotli_limited(compressed, limit)?;
    if out.len() != root.decompressed_len as usize {
        return Err(ProgramError::Invalid(format!(
            "invalid wasm: decompressed length {} does not match expected length {}",
            out.len(),
            root.decompressed_len
        )));
    }
    Ok(out)
}

fn brotli_limited(body: &[u8], limit: u32) -> Result<Vec<u8>, ProgramError> {
    let mut out = Vec::new();
    let reader = brotli::Decompressor::new(body, 4096);
    let mut limited = std::io::Read::take(reader, limit as u64 + 1);
    std::io::Read::read_to_end(&mut limited, &mut out)
        .map_err(|_| ProgramError::Decompression { limit })?;
    if out.len() > limit as usize {
        return Err(ProgramError::Decompression { limit });
    }
    Ok(out)
}

/// Wraps a raw Wasm in the deployable format: prefix, dictionary byte, brotli-compressed body.
pub fn compress_program(wasm: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        std::io::Write::write_all(&mut w, wasm).expect("in-memory write");
    }
    let mut code = STYLUS_PREFIX.to_vec();
    code.push(DICT_EMPTY);
    code.extend(out);
    code
}

/// Init code that deploys `runtime` as-is (what `cargo stylus deploy` sends): copies the code
/// appended after it to memory and returns it.
pub fn deployment_init_code(runtime: &[u8]) -> Vec<u8> {
    let len = runtime.len();
    assert!(len <= u32::MAX as usize);
    // PUSH4 len; DUP1; PUSH1 offset; PUSH1 0; CODECOPY; PUSH1 0; RETURN
    let mut code = vec![0x63];
    code.extend((len as u32).to_be_bytes());
    let prelude_len = 1 + 4 + 1 + 2 + 2 + 1 + 2 + 1;
    code.extend([
        0x80,
        0x60,
        prelude_len as u8,
        0x60,
        0x00,
        0x39,
        0x60,
        0x00,
        0xF3,
    ]);
    debug_assert_eq!(code.len(), prelude_len);
    code.extend_from_slice(runtime);
    code
}

/// Why a program cannot be activated or run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgramError {
    #[error("program is not a Stylus program (missing 0xEFF000 prefix)")]
    NotWasm,
    #[error("unsupported Stylus dictionary byte {0:#04x}")]
    UnknownDictionary(u8),
    #[error("compressed program is {0} bytes, over the 24 KiB limit")]
    CompressedTooLarge(usize),
    #[error("brotli decompression failed or exceeded {limit} bytes")]
    Decompression { limit: u32 },
    #[error("failed to parse wasm: {0}")]
    Invalid(String),
    #[error(
        "forbidden import {module}::{name}: only vm_hooks (and console in debug mode) are allowed"
    )]
    ForbiddenImport { module: String, name: String },
    #[error("import {module}::{name} has the wrong signature")]
    BadImportSignature { module: String, name: String },
    #[error("missing export with name user_entrypoint")]
    MissingEntrypoint,
    #[error("wrong type for user_entrypoint: expected (i32) -> i32")]
    BadEntrypoint,
    #[error("missing memory with export name \"memory\"")]
    MissingMemory,
    #[error("memory exceeds limit: {pages} > {limit}")]
    MemoryTooLarge { pages: u64, limit: u16 },
    #[error("too many wasm {what}: {count} > {limit}")]
    TooMany {
        what: &'static str,
        count: u64,
        limit: u64,
    },
    #[error("unsupported operator {0} (Stylus has no price for it)")]
    UnsupportedOperator(String),
    #[error("wasm start functions not allowed")]
    StartFunction,
}

/// Strips the prefix and decompresses a Stylus program.
pub fn decompress(code: &[u8], params: &StylusParams) -> Result<Vec<u8>, ProgramError> {
    if !is_classic(code) {
        return Err(ProgramError::NotWasm);
    }
    if code.len() > params::MAX_COMPRESSED_SIZE {
        return Err(ProgramError::CompressedTooLarge(code.len()));
    }
    if code[3] != DICT_EMPTY {
        return Err(ProgramError::UnknownDictionary(code[3]));
    }
    brotli_limited(&code[4..], params.max_wasm_size)
}

/// What activation learns about a program; stored per code hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ProgramInfo {
    pub version: u16,
    pub init_cost: u16,
    pub cached_cost: u16,
    pub footprint: u16,
    /// Hours since Arbitrum began, as Nitro records it.
    pub activated_at: u32,
    pub asm_estimate_kb: u32,
    pub cached: bool,
}

impl ProgramInfo {
    pub fn to_word(self) -> B256 {
        let mut w = [0u8; 32];
        w[0..2].copy_from_slice(&self.version.to_be_bytes());
        w[2..4].copy_from_slice(&self.init_cost.to_be_bytes());
        w[4..6].copy_from_slice(&self.cached_cost.to_be_bytes());
        w[6..8].copy_from_slice(&self.footprint.to_be_bytes());
        w[8..11].copy_from_slice(&self.activated_at.to_be_bytes()[1..]);
        w[11..14].copy_from_slice(&self.asm_estimate_kb.to_be_bytes()[1..]);
        w[14] = self.cached as u8;
        B256::from(w)
    }
    pub fn from_word(w: B256) -> Self {
        let w = w.0;
        let u24 = |b: &[u8]| u32::from_be_bytes([0, b[0], b[1], b[2]]);
        Self {
            version: u16::from_be_bytes([w[0], w[1]]),
            init_cost: u16::from_be_bytes([w[2], w[3]]),
            cached_cost: u16::from_be_bytes([w[4], w[5]]),
            footprint: u16::from_be_bytes([w[6], w[7]]),
            activated_at: u24(&w[8..11]),
            asm_estimate_kb: u24(&w[11..14]),
            cached: w[14] != 0,
        }
    }
}

/// Result of validating a Wasm for activation.
#[derive(Clone, Debug)]
pub struct Validated {
    pub info: ProgramInfo,
    pub module_hash: B256,
    pub asm_estimate: u32,
    /// Gas the compilation is charged (on top of `ACTIVATION_FIXED_GAS`).
    pub activation_gas: u64,
}

/// Host imports a program may use: name, params, results.
pub fn hostio_signature(
    module: &str,
    name: &str,
    debug: bool,
) -> Option<(&'static [ValType], &'static [ValType])> {
    use ValType::*;
    const N: &[ValType] = &[];
    let sig: (&'static [ValType], &'static [ValType]) = match (module, name) {
        ("vm_hooks", n) => match n {
            "read_args" => (&[I32], N),
            "write_result" => (&[I32, I32], N),
            "exit_early" => (&[I32], N),
            "storage_load_bytes32" | "storage_cache_bytes32" => (&[I32, I32], N),
            "storage_flush_cache" => (&[I32], N),
            "transient_load_bytes32" | "transient_store_bytes32" => (&[I32, I32], N),
            "call_contract" => (&[I32, I32, I32, I32, I64, I32], &[I32]),
            "delegate_call_contract" | "static_call_contract" => {
                (&[I32, I32, I32, I64, I32], &[I32])
            }
            "create1" => (&[I32, I32, I32, I32, I32], N),
            "create2" => (&[I32, I32, I32, I32, I32, I32], N),
            "read_return_data" => (&[I32, I32, I32], &[I32]),
            "return_data_size" => (N, &[I32]),
            "emit_log" => (&[I32, I32, I32], N),
            "account_balance" | "account_codehash" => (&[I32, I32], N),
            "account_code" => (&[I32, I32, I32, I32], &[I32]),
            "account_code_size" => (&[I32], &[I32]),
            "block_basefee" | "block_coinbase" | "contract_address" | "msg_sender"
            | "msg_value" | "tx_gas_price" | "tx_origin" => (&[I32], N),
            "block_gas_limit" | "block_number" | "block_timestamp" | "chainid" | "evm_gas_left"
            | "evm_ink_left" => (N, &[I64]),
            "math_div" | "math_mod" | "math_pow" => (&[I32, I32], N),
            "math_add_mod" | "math_mul_mod" => (&[I32, I32, I32], N),
            "msg_reentrant" | "tx_ink_price" => (N, &[I32]),
            "native_keccak256" => (&[I32, I32, I32], N),
            "pay_for_memory_grow" => (&[I32], N),
            _ => return None,
        },
        ("console", n) if debug => match n {
            "log_txt" => (&[I32, I32], N),
            "log_i32" => (&[I32], N),
            "log_i64" => (&[I64], N),
            "log_f32" => (&[F32], N),
            "log_f64" => (&[F64], N),
            "tee_i32" => (&[I32], &[I32]),
            "tee_i64" => (&[I64], &[I64]),
            "tee_f32" => (&[F32], &[F32]),
            "tee_f64" => (&[F64], &[F64]),
            _ => return None,
        },
        _ => return None,
    };
    Some(sig)
}

/// Wasm features Stylus accepts (Nitro's `parse_with_version` set, without multi-value).
pub fn stylus_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
}

/// Validates a decompressed Wasm as activation does and predicts its costs.
pub fn validate(
    wasm: &[u8],
    params: &StylusParams,
    page_limit: u16,
    debug: bool,
) -> Result<Validated, ProgramError> {
    if wasm.len() > params.max_wasm_size as usize {
        return Err(ProgramError::Decompression {
            limit: params.max_wasm_size,
        });
    }
    let mut validator = Validator::new_with_features(stylus_features());
    validator.validate_all(wasm).map_err(invalid)?;
    let module = ModuleShape::scan(wasm, debug)?;
    module.check_limits()?;
    let footprint = module.check_entrypoint_and_memory(page_limit)?;
    Ok(module.estimate(wasm, params, footprint))
}

/// `ProgramError::Invalid` from a parser error.
fn invalid(e: wasmparser::BinaryReaderError) -> ProgramError {
    ProgramError::Invalid(e.to_string())
}

/// Fails with `TooMany` when `count` exceeds `limit`.
fn at_most(limit: u64, count: u64, what: &'static str) -> Result<(), ProgramError> {
    if count > limit {
        return Err(ProgramError::TooMany { what, count, limit });
    }
    Ok(())
}

/// What activation checks and prices in a module, counted in one pass over its sections.
#[derive(Default)]
struct ModuleShape {
    types: Vec<(Vec<ValType>, Vec<ValType>)>,
    /// The type of every function, imports first.
    func_types: Vec<u32>,
    imported_funcs: u64,
    memory_pages: Option<u64>,
    memory_count: u64,
    exports: Vec<(String, ExternalKind, u32)>,
    globals: u64,
    datas: u64,
    elements: u64,
    data_len: u64,
    elem_len: u64,
    code_ops: u64,
    imports: u64,
    table_entries: u64,
}

impl ModuleShape {
    fn scan(wasm: &[u8], debug: bool) -> Result<Self, ProgramError> {
        let mut m = Self::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(invalid)? {
                Payload::TypeSection(r) => {
                    for ty in r.into_iter_err_on_gc_types() {
                        let f = ty.map_err(invalid)?;
                        m.types.push((f.params().to_vec(), f.results().to_vec()));
                    }
                }
                Payload::ImportSection(r) => {
                    for imp in r {
                        m.import(imp.map_err(invalid)?, debug)?;
                    }
                }
                Payload::FunctionSection(r) => {
                    for f in r {
                        m.func_types.push(f.map_err(invalid)?);
                    }
                }
                Payload::TableSection(r) => {
                    for t in r {
                        m.table_entries += t.map_err(invalid)?.ty.initial;
                    }
                }
                Payload::MemorySection(r) => {
                    for mem in r {
                        let mem = mem.map_err(invalid)?;
                        m.memory_count += 1;
                        m.memory_pages.get_or_insert(mem.initial);
                    }
                }
                Payload::GlobalSection(r) => m.globals += r.count() as u64,
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e.map_err(invalid)?;
                        m.exports.push((e.name.to_string(), e.kind, e.index));
                    }
                }
                Payload::StartSection { .. } => return Err(ProgramError::StartFunction),
                Payload::ElementSection(r) => {
                    for e in r {
                        m.elements += 1;
                        m.elem_len += match e.map_err(invalid)?.items {
                            wasmparser::ElementItems::Functions(f) => f.count() as u64,
                            wasmparser::ElementItems::Expressions(_, x) => x.count() as u64,
                        };
                    }
                }
                Payload::DataSection(r) => {
                    for d in r {
                        m.datas += 1;
                        m.data_len += d.map_err(invalid)?.data.len() as u64;
                    }
                }
                Payload::CodeSectionEntry(body) => m.code_ops += function_ops(body)?,
                _ => {}
            }
        }
        Ok(m)
    }

    /// An import must be a host function of `vm_hooks` (or `console` in debug mode) with
    /// Nitro's signature.
    fn import(&mut self, imp: wasmparser::Import<'_>, debug: bool) -> Result<(), ProgramError> {
        self.imports += 1;
        let (module, name) = (imp.module.to_string(), imp.name.to_string());
        let TypeRef::Func(ty) = imp.ty else {
            return Err(ProgramError::ForbiddenImport { module, name });
        };
        let Some((p, r)) = hostio_signature(&module, &name, debug) else {
            return Err(ProgramError::ForbiddenImport { module, name });
        };
        let actual = &self.types[ty as usize];
        if actual.0 != p || actual.1 != r {
            return Err(ProgramError::BadImportSignature { module, name });
        }
        self.func_types.push(ty);
        self.imported_funcs += 1;
        Ok(())
    }

    fn funcs(&self) -> u64 {
        self.func_types.len() as u64 - self.imported_funcs
    }

    /// Nitro's module limits.
    fn check_limits(&self) -> Result<(), ProgramError> {
        at_most(1, self.memory_count, "memories")?;
        at_most(128, self.datas, "datas")?;
        at_most(128, self.elements, "elements")?;
        at_most(1024, self.exports.len() as u64, "exports")?;
        at_most(4096, self.funcs(), "functions")?;
        at_most(32768, self.globals, "globals")?;
        at_most(513, self.imports, "imports")?;
        at_most(4096, self.table_entries, "table entries")?;
        at_most(4096, self.elem_len, "element entries")
    }

    /// The entrypoint's signature and the exported memory; returns the memory's initial pages
    /// (the program's footprint).
    fn check_entrypoint_and_memory(&self, page_limit: u16) -> Result<u16, ProgramError> {
        let exports = &self.exports;
        let Some(&(_, kind, index)) = exports.iter().find(|(n, _, _)| n == ENTRYPOINT) else {
            return Err(ProgramError::MissingEntrypoint);
        };
        if kind != ExternalKind::Func {
            return Err(ProgramError::BadEntrypoint);
        }
        let ty = &self.types[self.func_types[index as usize] as usize];
        if ty.0 != [ValType::I32] || ty.1 != [ValType::I32] {
            return Err(ProgramError::BadEntrypoint);
        }
        let Some(pages) = self.memory_pages else {
            return Err(ProgramError::MissingMemory);
        };
        if !exports
            .iter()
            .any(|(n, k, _)| n == "memory" && *k == ExternalKind::Memory)
        {
            return Err(ProgramError::MissingMemory);
        }
        if pages > page_limit as u64 {
            return Err(ProgramError::MemoryTooLarge {
                pages,
                limit: page_limit,
            });
        }
        Ok(pages as u16)
    }

    /// Nitro's activation-time estimates: assembly size, init costs, activation gas.
    fn estimate(&self, wasm: &[u8], params: &StylusParams, footprint: u16) -> Validated {
        let funcs = self.funcs();
        let wasm_len = wasm.len() as u64;
        let type_len: u64 = self.func_types[self.imported_funcs as usize..]
            .iter()
            .map(|t| (self.types[*t as usize].0.len() + self.types[*t as usize].1.len()) as u64)
            .sum();
        let data_total = self.data_len + self.elem_len;
        let asm_estimate = 512_000
            + funcs * 996_829 / 1000
            + type_len * 11_416 / 1000
            + wasm_len * 62_628 / 10_000;
        let cached_init = funcs * 13_420 / 100_000
            + type_len * 89 / 100_000
            + wasm_len * 122 / 100_000
            + self.globals * 1628 / 1000
            + data_total * 75_244 / 100_000
            + footprint as u64 * 5;
        let mut init = if params.version == 1 { cached_init } else { 0 };
        init += funcs * 8252 / 1000 + type_len * 1059 / 1000 + wasm_len * 1286 / 10_000;

        let activation_gas = params::activation_us_to_gas(wasm_len * 31_733 / 100_000)
            + params::activation_us_to_gas(funcs * 17_263 / 100_000)
            + params::activation_us_to_gas(self.data_len * 17_376 / 100_000)
            + params::activation_us_to_gas(self.elem_len * 17_376 / 100_000)
            + params::activation_us_to_gas(footprint as u64 * 2217)
            + params::activation_us_to_gas(self.code_ops * 535 / 1000);

        let info = ProgramInfo {
            version: params.version,
            init_cost: init.min(u16::MAX as u64) as u16,
            cached_cost: cached_init.min(u16::MAX as u64) as u16,
            footprint,
            activated_at: 0,
            asm_estimate_kb: (asm_estimate.div_ceil(1024)).min(0xFF_FFFF) as u32,
            cached: false,
        };
        let mut pre = wasm.to_vec();
        pre.extend(params.version.to_be_bytes());
        Validated {
            info,
            module_hash: keccak256(&pre),
            asm_estimate: asm_estimate as u32,
            activation_gas,
        }
    }
}

/// Checks one function body (its locals, and that Nitro prices each operator) and returns how
/// many operators it has.
fn function_ops(body: wasmparser::FunctionBody<'_>) -> Result<u64, ProgramError> {
    let mut locals = 0u64;
    for l in body.get_locals_reader().map_err(invalid)? {
        locals += l.map_err(invalid)?.0 as u64;
    }
    at_most(348, locals, "locals")?;
    let mut ops = 0u64;
    let mut reader = body.get_operators_reader().map_err(invalid)?;
    while !reader.eof() {
        let op = reader.read().map_err(invalid)?;
        if !params::nitro_prices(&op) {
            return Err(ProgramError::UnsupportedOperator(format!("{op:?}")));
        }
        ops += 1;
    }
    at_most(65536, ops, "opcodes in func body")?;
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_info_roundtrip() {
        let i = ProgramInfo {
            version: 2,
            init_cost: 7,
            cached_cost: 9,
            footprint: 3,
            activated_at: 0x123456,
            asm_estimate_kb: 0xABCDEF,
            cached: true,
        };
        assert_eq!(ProgramInfo::from_word(i.to_word()), i);
    }

    #[test]
    fn compress_roundtrip() {
        let wasm = wat::parse_str("(module)").unwrap();
        let code = compress_program(&wasm);
        assert!(is_stylus(&code));
        assert_eq!(decompress(&code, &StylusParams::default()).unwrap(), wasm);
    }
}
