//! The chain as a Stylus program's host functions see it: Nitro's `EvmApi`
//! (`arbitrator/arbutil/src/evm/api.rs`). The host functions (`host/`) are written against this
//! trait and price every access themselves; `evm.rs` implements it over revm's journal and frame
//! loop. The trait is what keeps the layers apart: `host/` never sees revm's context, and the
//! EVM never sees wasmi.

use alloy_primitives::{Address, Bytes, Log, B256, U256};

/// A storage or journal access the database could not serve (the devnet's in-memory database
/// never fails; the program then fails as on a Nitro database error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseError;

/// A slot just written: what EIP-2200/EIP-2929 pricing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotWrite {
    /// The value at the start of the transaction.
    pub original: U256,
    /// The value before this write.
    pub present: U256,
    /// The value written.
    pub new: U256,
    /// The slot was not yet accessed in the transaction.
    pub cold: bool,
}

/// An account access (EIP-2929).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountAccess {
    /// The account was not yet accessed in the transaction.
    pub cold: bool,
    /// The account is empty (EIP-161): a call sending value to it creates it.
    pub empty: bool,
}

/// How a program calls another contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    Call,
    Delegate,
    Static,
}

/// The call frame a program runs in.
#[derive(Clone, Debug)]
pub struct Frame {
    pub contract: Address,
    pub sender: Address,
    pub value: U256,
    pub is_static: bool,
    /// Another frame of the same contract is executing below this one.
    pub reentrant: bool,
    pub codehash: B256,
}

/// A call a program makes, priced by the host: `gas` is what the callee receives.
#[derive(Debug)]
pub struct CallRequest {
    pub kind: CallKind,
    pub target: Address,
    pub input: Vec<u8>,
    pub gas: u64,
    /// Sent with a plain call (zero otherwise).
    pub value: U256,
}

/// How a call or a create a program made ended.
#[derive(Debug, Default)]
pub struct FrameOutcome {
    pub success: bool,
    /// The callee's return or revert data (a create's: its revert data only).
    pub output: Vec<u8>,
    pub gas_left: u64,
    /// Refund earned by a successful callee.
    pub refund: i64,
    /// The created contract, for a create that succeeded.
    pub created: Option<Address>,
}

/// The block and transaction a program runs in (Nitro's `EvmData`), read once when it starts.
#[derive(Debug, Clone, Default)]
pub struct EvmData {
    pub basefee: u64,
    pub coinbase: Address,
    pub gas_limit: u64,
    pub number: u64,
    pub timestamp: u64,
    pub chain_id: u64,
    pub gas_price: U256,
    pub origin: Address,
}

/// What host functions read and change on the chain.
pub trait EvmApi {
    /// `contract`'s storage at `key`, and whether the slot was cold.
    fn sload(&mut self, contract: Address, key: B256) -> Result<(B256, bool), DatabaseError>;
    /// Writes `contract`'s storage at `key`.
    fn sstore(
        &mut self,
        contract: Address,
        key: B256,
        value: B256,
    ) -> Result<SlotWrite, DatabaseError>;
    /// EIP-1153 transient storage.
    fn tload(&mut self, contract: Address, key: B256) -> U256;
    fn tstore(&mut self, contract: Address, key: B256, value: U256);
    /// Marks `address` accessed.
    fn touch(&mut self, address: Address) -> AccountAccess;
    fn balance(&mut self, address: Address) -> U256;
    fn code(&mut self, address: Address) -> Bytes;
    fn code_hash(&mut self, address: Address) -> B256;
    /// Runs a call from the program running in `from` to completion, as a child frame.
    fn call(&mut self, from: &Frame, request: CallRequest) -> FrameOutcome;
    /// Runs a CREATE (`salt` None) or CREATE2 from `creator` with `gas`.
    fn create(
        &mut self,
        creator: Address,
        code: Vec<u8>,
        endowment: U256,
        salt: Option<B256>,
        gas: u64,
    ) -> FrameOutcome;
    fn emit_log(&mut self, log: Log);
    /// Opens `pages` more Wasm pages in the transaction and returns their gas (Nitro's
    /// `add_pages`: the memory model prices pages against those already open).
    fn add_pages(&mut self, pages: u16) -> u64;
    /// Whether host calls are being traced (`capture_hostio` records them).
    fn tracing(&self) -> bool;
    fn capture_hostio(&self, name: &'static str, args: Vec<u8>, outs: Vec<u8>, ink: (u64, u64));
    /// A line a program printed through the debug `console` imports.
    fn console(&self, contract: Address, text: String);
}
