//! Stylus pricing: the parameters and formulas (ArbOS "StylusParams" v2 defaults), the ink of
//! each Wasm operator and which operators Nitro prices at all — every Nitro price in one file.
//!
//! The numbers follow Nitro's published defaults; the formulas are re-implemented here from
//! their description (ink per gas, page-based memory model, init/cached call costs).

/// Parameters of the Stylus runtime, as `ArbWasm` reports them.
#[derive(Clone, Debug)]
pub struct StylusParams {
    /// Stylus version programs are activated at (`ArbWasm.stylusVersion`).
    pub version: u16,
    /// Ink that one unit of EVM gas buys.
    pub ink_price: u32,
    /// Wasm stack limit (reported only; wasmi bounds recursion by its own stack limit).
    pub max_stack_depth: u32,
    /// Pages a transaction gets for free.
    pub free_pages: u16,
    /// Linear cost of each additional page.
    pub page_gas: u16,
    /// Exponential ramp (reported only; the table below is derived from it).
    pub page_ramp: u64,
    /// Maximum initial pages of a program.
    pub page_limit: u16,
    /// Minimum init gas, in units of 128 gas.
    pub min_init_gas: u8,
    /// Minimum cached init gas, in units of 32 gas.
    pub min_cached_init_gas: u8,
    /// Init cost scalar, in units of 2%.
    pub init_cost_scalar: u8,
    /// Cached cost scalar, in units of 2%.
    pub cached_cost_scalar: u8,
    pub expiry_days: u16,
    pub keepalive_days: u16,
    pub block_cache_size: u16,
    /// Maximum decompressed Wasm size.
    pub max_wasm_size: u32,
    /// Most fragments a root program may name (ArbOS 60: 2).
    pub max_fragment_count: u8,
    /// Gas `activateProgram` charges before anything else (ArbOS 60: 0 by default; the chain
    /// owner raises it to deter or pause activations).
    pub activation_gas: u64,
}

impl Default for StylusParams {
    fn default() -> Self {
        Self {
            version: 2,
            ink_price: 10_000,
            max_stack_depth: 22_000, // ArbOS 50 caps the initial 4 * 65536
            free_pages: 2,
            page_gas: 1000,
            page_ramp: 620_674_314,
            page_limit: 128,
            min_init_gas: 69,
            min_cached_init_gas: 11,
            init_cost_scalar: 50,
            cached_cost_scalar: 50,
            expiry_days: 365,
            keepalive_days: 31,
            block_cache_size: 32,
            max_wasm_size: 128 * 1024,
            max_fragment_count: 2,
            activation_gas: 0,
        }
    }
}

pub const MIN_INIT_GAS_UNITS: u64 = 128;
pub const MIN_CACHED_GAS_UNITS: u64 = 32;
pub const COST_SCALAR_PERCENT: u64 = 2;
/// Maximum compressed program size (EIP-170 code size limit, as on Arbitrum).
pub const MAX_COMPRESSED_SIZE: usize = 24 * 1024;
/// Fixed gas `ArbWasm.activateProgram` charges before compiling.
pub const ACTIVATION_FIXED_GAS: u64 = 1_659_168;

impl StylusParams {
    pub fn ink_to_gas(&self, ink: u64) -> u64 {
        ink / self.ink_price as u64
    }
    pub fn gas_to_ink(&self, gas: u64) -> u64 {
        gas.saturating_mul(self.ink_price as u64)
    }
    /// Gas charged on each call of a program that is not cached.
    pub fn init_gas(&self, init_cost: u16) -> u64 {
        let base = self.min_init_gas as u64 * MIN_INIT_GAS_UNITS;
        let dyno = (init_cost as u64) * (self.init_cost_scalar as u64 * COST_SCALAR_PERCENT);
        base + dyno.div_ceil(100)
    }
    /// Gas charged on each call of a program (version >= 2) on top of `init_gas`.
    pub fn cached_gas(&self, cached_cost: u16) -> u64 {
        let base = self.min_cached_init_gas as u64 * MIN_CACHED_GAS_UNITS;
        let dyno = (cached_cost as u64) * (self.cached_cost_scalar as u64 * COST_SCALAR_PERCENT);
        base + dyno.div_ceil(100)
    }
    pub fn memory_model(&self) -> MemoryModel {
        MemoryModel {
            free_pages: self.free_pages,
            page_gas: self.page_gas,
        }
    }
}

/// Nitro's page-based memory pricing: linear per page beyond the free ones, plus an exponential
/// term on the most pages a transaction ever had open.
#[derive(Clone, Copy, Debug)]
pub struct MemoryModel {
    pub free_pages: u16,
    pub page_gas: u16,
}

/// `floor(b^pages)` with `b^128 = 31_874_000`: the exponential part of memory costs.
fn memory_exp(pages: u16) -> u64 {
    if pages > 128 {
        return u64::MAX;
    }
    let base = f64::exp(31_874_000_f64.ln() / 128.0);
    base.powi(pages as i32) as u64
}

impl MemoryModel {
    /// Gas of opening `new` pages when `open` are open and `ever` were ever open in this tx.
    pub fn gas_cost(&self, new: u16, open: u16, ever: u16) -> u64 {
        let new_open = open.saturating_add(new);
        let new_ever = ever.max(new_open);
        if new_ever <= self.free_pages {
            return 0;
        }
        let credit = |pages: u16| pages.saturating_sub(self.free_pages);
        let adding = credit(new_open).saturating_sub(credit(open)) as u64;
        let linear = adding.saturating_mul(self.page_gas as u64);
        let expand = memory_exp(new_ever).saturating_sub(memory_exp(ever));
        linear.saturating_add(expand)
    }
}

/// Ink prices of host I/O (Nitro's published hostio pricing).
pub mod ink {
    pub const HOSTIO: u64 = 8400;
    pub const PTR: u64 = 13440 - HOSTIO;
    pub const EVM_API: u64 = 59673;
    pub const DIV: u64 = 20000;
    pub const MUL_MOD: u64 = 24100;
    pub const ADD_MOD: u64 = 21000;

    pub fn write_price(bytes: u32) -> u64 {
        5040 + 30 * (bytes.saturating_sub(32) as u64)
    }
    pub fn read_price(bytes: u32) -> u64 {
        16381 + 55 * (bytes.saturating_sub(32) as u64)
    }
    pub fn keccak_price(bytes: u32) -> u64 {
        let words = (bytes as u64).div_ceil(32).saturating_sub(2);
        121800 + 21000 * words
    }
    pub fn pow_price(exponent: &[u8; 32]) -> u64 {
        let zeros = exponent.iter().take_while(|b| **b == 0).count() as u64;
        3000 + (33 - zeros) * 17500
    }
}

/// EVM gas constants the host functions use.
pub mod evm_gas {
    pub const SSTORE_SENTRY: u64 = 2300;
    pub const COLD_ACCOUNT: u64 = 2600;
    pub const COLD_SLOAD: u64 = 2100;
    pub const WARM_READ: u64 = 100;
    pub const LOG_TOPIC: u64 = 375;
    pub const LOG_DATA: u64 = 8;
    pub const CALL_VALUE: u64 = 9000;
    pub const CALL_STIPEND: u64 = 2300;
    pub const NEW_ACCOUNT: u64 = 25000;
    pub const CREATE: u64 = 32000;
    pub const KECCAK_WORD: u64 = 6;
    pub const MEMORY: u64 = 3;
    /// Gas the storage cache requires to be available for any access.
    pub const CACHE_ACCESS_REQUIRED: u64 = 10;
}

/// EVM memory expansion cost of `bytes` (used to cap gas returned alongside large results).
pub fn evm_memory_cost(bytes: u64) -> u64 {
    let words = bytes.div_ceil(32);
    words * evm_gas::MEMORY + words * words / 512
}

/// Microseconds of compilation expressed in gas (activation pricing).
pub fn activation_us_to_gas(us: u64) -> u64 {
    us.saturating_mul(2 * 7_000_000) / 500_000
}

/// Ink one unit of wasmi fuel stands for. wasmi charges fuel per *Wasm operator* from a
/// configurable table (`nitro_operator_costs`); its entries are u8, so Nitro's per-operator ink
/// is expressed in units of 25 ink (exact for most operators, see `README.md`).
pub const INK_PER_FUEL: u64 = 25;

/// Nitro's per-operator ink (pricing v1) in units of `INK_PER_FUEL`, rounded to nearest and
/// capped at 255 units (6375 ink): only `call_indirect` and `memory.grow` hit the cap.
pub fn nitro_operator_costs() -> wasmi::OperatorCost {
    let mut costs = wasmi::OperatorCost::default();
    control_and_memory_costs(&mut costs);
    numeric_costs(&mut costs);
    costs
}

/// An operator's ink in units of `INK_PER_FUEL`, rounded to nearest, capped at 255.
fn u(ink: u64) -> u8 {
    ((ink + INK_PER_FUEL / 2) / INK_PER_FUEL).min(255) as u8
}

/// Control flow, calls, locals, globals, loads, stores and memory operators.
fn control_and_memory_costs(c: &mut wasmi::OperatorCost) {
    c.unreachable = u(1);
    c.return_ = u(1);
    c.nop = u(1);
    c.i32_const = u(1);
    c.i64_const = u(1);
    c.drop = u(9);
    c.block = u(1);
    c.loop_ = u(1);
    c.else_ = u(1);
    c.end = u(1);
    c.br = u(765);
    c.br_if = u(765);
    c.if_ = u(765);
    c.select = u(1250);
    c.typed_select = u(1250);
    c.call = u(3800);
    c.call_indirect = u(13610);
    c.br_table = u(2400);
    c.local_get = u(75);
    c.local_tee = u(75);
    c.local_set = u(210);
    c.global_get = u(225);
    c.global_set = u(575);
    for f in [
        &mut c.i32_load,
        &mut c.i32_load8_s,
        &mut c.i32_load8_u,
        &mut c.i32_load16_s,
        &mut c.i32_load16_u,
    ] {
        *f = u(670);
    }
    for f in [
        &mut c.i64_load,
        &mut c.i64_load8_s,
        &mut c.i64_load8_u,
        &mut c.i64_load16_s,
        &mut c.i64_load16_u,
        &mut c.i64_load32_s,
        &mut c.i64_load32_u,
    ] {
        *f = u(680);
    }
    for f in [&mut c.i32_store, &mut c.i32_store8, &mut c.i32_store16] {
        *f = u(825);
    }
    for f in [
        &mut c.i64_store,
        &mut c.i64_store8,
        &mut c.i64_store16,
        &mut c.i64_store32,
    ] {
        *f = u(950);
    }
    c.memory_size = u(3000);
    c.memory_grow = u(8050);
    c.memory_copy = u(950);
    c.memory_fill = u(950);
}

/// Comparison, arithmetic, bit and conversion operators.
fn numeric_costs(c: &mut wasmi::OperatorCost) {
    for f in [
        &mut c.i32_eqz,
        &mut c.i32_eq,
        &mut c.i32_ne,
        &mut c.i32_lt_s,
        &mut c.i32_lt_u,
        &mut c.i32_gt_s,
        &mut c.i32_gt_u,
        &mut c.i32_le_s,
        &mut c.i32_le_u,
        &mut c.i32_ge_s,
        &mut c.i32_ge_u,
    ] {
        *f = u(170);
    }
    for f in [
        &mut c.i64_eqz,
        &mut c.i64_eq,
        &mut c.i64_ne,
        &mut c.i64_lt_s,
        &mut c.i64_lt_u,
        &mut c.i64_gt_s,
        &mut c.i64_gt_u,
        &mut c.i64_le_s,
        &mut c.i64_le_u,
        &mut c.i64_ge_s,
        &mut c.i64_ge_u,
    ] {
        *f = u(225);
    }
    c.i32_clz = u(210);
    c.i32_ctz = u(210);
    c.i64_clz = u(210);
    c.i64_ctz = u(210);
    c.i32_add = u(70);
    c.i32_sub = u(70);
    c.i32_mul = u(160);
    for f in [
        &mut c.i32_div_s,
        &mut c.i32_div_u,
        &mut c.i32_rem_s,
        &mut c.i32_rem_u,
    ] {
        *f = u(1120);
    }
    for f in [
        &mut c.i32_and,
        &mut c.i32_or,
        &mut c.i32_xor,
        &mut c.i32_shl,
        &mut c.i32_shr_s,
        &mut c.i32_shr_u,
        &mut c.i32_rotl,
        &mut c.i32_rotr,
    ] {
        *f = u(70);
    }
    c.i64_add = u(100);
    c.i64_sub = u(100);
    c.i64_mul = u(160);
    for f in [
        &mut c.i64_div_s,
        &mut c.i64_div_u,
        &mut c.i64_rem_s,
        &mut c.i64_rem_u,
    ] {
        *f = u(1270);
    }
    for f in [
        &mut c.i64_and,
        &mut c.i64_or,
        &mut c.i64_xor,
        &mut c.i64_shl,
        &mut c.i64_shr_s,
        &mut c.i64_shr_u,
        &mut c.i64_rotl,
        &mut c.i64_rotr,
    ] {
        *f = u(100);
    }
    c.i32_popcnt = u(2650);
    c.i64_popcnt = u(6000);
    for f in [
        &mut c.i32_wrap_i64,
        &mut c.i64_extend_i32_s,
        &mut c.i64_extend_i32_u,
        &mut c.i32_extend8_s,
        &mut c.i32_extend16_s,
        &mut c.i64_extend8_s,
        &mut c.i64_extend16_s,
        &mut c.i64_extend32_s,
    ] {
        *f = u(100);
    }
}

/// Whether Nitro's pricing table (v1) has a price for an operator; others are rejected.
pub fn nitro_prices(op: &wasmparser::Operator) -> bool {
    use wasmparser::Operator::*;
    matches!(
        op,
        Unreachable
            | Return
            | Nop
            | I32Const { .. }
            | I64Const { .. }
            | Drop
            | Block { .. }
            | Loop { .. }
            | Else
            | End
            | Br { .. }
            | BrIf { .. }
            | If { .. }
            | Select
            | Call { .. }
            | LocalGet { .. }
            | LocalTee { .. }
            | LocalSet { .. }
            | GlobalGet { .. }
            | GlobalSet { .. }
            | I32Load { .. }
            | I32Load8S { .. }
            | I32Load8U { .. }
            | I32Load16S { .. }
            | I32Load16U { .. }
            | I64Load { .. }
            | I64Load8S { .. }
            | I64Load8U { .. }
            | I64Load16S { .. }
            | I64Load16U { .. }
            | I64Load32S { .. }
            | I64Load32U { .. }
            | I32Store { .. }
            | I32Store8 { .. }
            | I32Store16 { .. }
            | I64Store { .. }
            | I64Store8 { .. }
            | I64Store16 { .. }
            | I64Store32 { .. }
            | MemorySize { .. }
            | MemoryGrow { .. }
            | I32Eqz
            | I32Eq
            | I32Ne
            | I32LtS
            | I32LtU
            | I32GtS
            | I32GtU
            | I32LeS
            | I32LeU
            | I32GeS
            | I32GeU
            | I64Eqz
            | I64Eq
            | I64Ne
            | I64LtS
            | I64LtU
            | I64GtS
            | I64GtU
            | I64LeS
            | I64LeU
            | I64GeS
            | I64GeU
            | I32Clz
            | I32Ctz
            | I32Add
            | I32Sub
            | I32Mul
            | I32DivS
            | I32DivU
            | I32RemS
            | I32RemU
            | I32And
            | I32Or
            | I32Xor
            | I32Shl
            | I32ShrS
            | I32ShrU
            | I32Rotl
            | I32Rotr
            | I64Clz
            | I64Ctz
            | I64Add
            | I64Sub
            | I64Mul
            | I64DivS
            | I64DivU
            | I64RemS
            | I64RemU
            | I64And
            | I64Or
            | I64Xor
            | I64Shl
            | I64ShrS
            | I64ShrU
            | I64Rotl
            | I64Rotr
            | I32Popcnt
            | I64Popcnt
            | I32WrapI64
            | I64ExtendI32S
            | I64ExtendI32U
            | I32Extend8S
            | I32Extend16S
            | I64Extend8S
            | I64Extend16S
            | I64Extend32S
            | MemoryCopy { .. }
            | MemoryFill { .. }
            | BrTable { .. }
            | CallIndirect { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_model_matches_nitro_shape() {
        let m = StylusParams::default().memory_model();
        assert_eq!(m.gas_cost(2, 0, 0), 0);
        // third page: 1000 linear + exp(3) - exp(0) = 1000 + 1 - 1
        assert_eq!(m.gas_cost(3, 0, 0), 1000);
        assert_eq!(memory_exp(128), 31_873_999);
        assert_eq!(memory_exp(0), 1);
        assert_eq!(m.gas_cost(1, 2, 2), 1000 + memory_exp(3) - memory_exp(2));
    }

    #[test]
    fn init_costs() {
        let p = StylusParams::default();
        assert_eq!(p.init_gas(0), 69 * 128);
        assert_eq!(p.cached_gas(0), 11 * 32);
        assert_eq!(p.init_gas(100), 69 * 128 + 100);
    }
}
