//! End-to-end tests: the real Wasm of the VVV contracts on the in-process devnet engine.

mod airdrop;
mod deploy;
mod gas;
mod model;
mod sniping;
mod system;
mod time_rules;
