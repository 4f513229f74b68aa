//! Stylus pricing parameters and formulas (ArbOS "StylusParams" v2 defaults).
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
