//! Local Arbitrum Stylus execution engine: EVM (revm) and Stylus programs (Wasm, run by wasmi)
//! on one journaled state, with signed transactions, receipts, blocks, the `ArbWasm` and
//! `ArbSys` precompiles and Nitro-style ink pricing.
//!
//! ```no_run
//! use vvv_devnet_engine::{Devnet, CallRequest};
//! let mut chain = Devnet::default();
//! let alice = alloy_primitives::Address::repeat_byte(1);
//! chain.set_balance(alice, alloy_primitives::U256::from(10u128.pow(18)));
//! ```

pub mod api;
pub mod arbos;
pub mod block;
pub mod call_trace;
pub mod chain;
pub mod context;
pub mod evm;
pub mod history;
pub mod host;
pub mod params;
pub mod precompiles;
pub mod program;
pub mod struct_log;
pub mod trace;
pub mod trie;

pub use block::Receipt;
pub use call_trace::{CallFrame, CallTrace, FrameLog};
pub use chain::{
    AccountDump, AccountOverride, BlockInfo, BlockOverride, CallRequest, CallResult, ChainDump,
    ChainSnapshot, Devnet, DevnetConfig, TxError, DEFAULT_CHAIN_ID,
};
pub use params::StylusParams;
pub use program::{compress_program, deployment_init_code, is_stylus, ProgramError};
pub use struct_log::{StructLog, StructLogConfig};
pub use trace::{HostioRecord, TraceError, TraceLimits};
