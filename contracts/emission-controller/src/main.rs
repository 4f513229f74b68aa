#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}

/// Prints the Solidity interface: `cargo run -p emission-controller --features export-abi`.
#[cfg(feature = "export-abi")]
fn main() {
    emission_controller::print_from_args();
}
