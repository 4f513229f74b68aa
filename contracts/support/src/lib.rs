//! What every Stylus program of the suite links besides its rules (`vvv-common`) and bindings
//! (`vvv-interfaces`): the trapping panic handler. A program links it with `use vvv_support as
//! _;` (a dependency nothing names is not linked). The crate header each program starts with
//! cannot come from a dependency (inner attributes); `contracts/README.md` gives it. Nor can
//! `src/main.rs`'s body: a bin that names this crate links its handler beside std's in a Wasm
//! build of the bin (`vvv build`, a plain `cargo build --target wasm32-unknown-unknown`).
#![no_std]

/// A panic is a bug (every input error is a custom error), so it traps without formatting:
/// leaving out `core::fmt` saves several KiB of Wasm. Wasm builds only: host builds (unit tests,
/// `export-abi`) keep std's handler.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
