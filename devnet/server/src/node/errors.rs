//! Errors as JSON-RPC answers them: failed calls and estimates (code 3 with the revert data,
//! geth's messages otherwise), engine errors in geth's words, revert-data decoding.

use crate::json::*;
use alloy_primitives::{Bytes, U256};
use vvv_devnet_engine::{CallResult, Receipt, TxError};

/// Why a failed receipt failed, for the log line.
pub(super) fn failure_reason(r: &Receipt) -> String {
    match &r.halt {
        Some(h) => h.clone(),
        None if r.output.is_empty() => "reverted".into(),
        None => format!(
            "reverted with {}",
            alloy_primitives::hex::encode_prefixed(&r.output[..r.output.len().min(68)])
        ),
    }
}

/// The JSON-RPC error for a failed call or estimate: revert data in `data` with code 3 (what
/// cast and alloy decode custom errors from), geth's messages otherwise.
pub fn call_error(r: &CallResult, estimate: bool, gas: u64) -> RpcError {
    if r.reverted {
        // geth >= 1.15 and Nitro: code 3 with the revert data, "0x" when empty
        let mut msg = "execution reverted".to_string();
        if let Some(reason) = decode_error_string(&r.output).or_else(|| decode_panic(&r.output)) {
            msg = format!("execution reverted: {reason}");
        }
        return RpcError {
            code: code::EXECUTION_REVERTED,
            message: msg,
            data: Some(data(&r.output)),
        };
    }
    let halt = r.halt.clone().unwrap_or_default();
    if halt.starts_with("insufficient funds") {
        return RpcError::server(halt);
    }
    if halt.contains("OutOfGas") {
        if estimate {
            return RpcError::server(format!("gas required exceeds allowance ({gas})"));
        }
        return RpcError::server("out of gas");
    }
    if halt.contains("OpcodeNotFound") || halt.contains("InvalidFEOpcode") {
        return RpcError::server("invalid opcode");
    }
    if halt.contains("StackOverflow") || halt.contains("StackUnderflow") {
        return RpcError::server(format!("stack error: {halt}"));
    }
    RpcError::server(format!("execution halted: {halt}"))
}

/// `Panic(uint256)` revert data → geth's reason for the code.
pub(super) fn decode_panic(out: &[u8]) -> Option<String> {
    if out.len() != 36 || out[..4] != [0x4e, 0x48, 0x7b, 0x71] {
        return None;
    }
    let code = U256::from_be_slice(&out[4..]);
    let reason = match code.saturating_to::<u64>() {
        0x00 => "generic panic",
        0x01 => "assert(false)",
        0x11 => "arithmetic underflow or overflow",
        0x12 => "division or modulo by zero",
        0x21 => "enum overflow",
        0x22 => "invalid encoded storage byte array accessed",
        0x31 => "out-of-bounds array access; popping on an empty array",
        0x32 => "out-of-bounds access of an array or bytesN",
        0x41 => "out of memory",
        0x51 => "uninitialized function",
        _ => return Some(format!("unknown panic code: {code:#x}")),
    };
    Some(reason.to_string())
}

/// `Error(string)` ABI encoding.
pub(super) fn alloy_sol_error(msg: &str) -> Bytes {
    use vvv_devnet_engine::arbos::Error;
    alloy_sol_types::SolError::abi_encode(&Error {
        message: msg.to_string(),
    })
    .into()
}

/// An engine error as the RPC message (geth's wording where there is one).
pub(super) fn tx_error_message(e: &TxError) -> String {
    match e {
        TxError::Invalid(m) if m.starts_with("insufficient funds") => m.clone(),
        other => other.to_string(),
    }
}

/// `Error(string)` revert data → the string.
pub(super) fn decode_error_string(out: &[u8]) -> Option<String> {
    if out.len() < 4 + 64 || out[..4] != [0x08, 0xc3, 0x79, 0xa0] {
        return None;
    }
    let body = &out[4..];
    let off = usize::try_from(U256::from_be_slice(&body[..32])).ok()?;
    let len_end = off.checked_add(32)?;
    let len = usize::try_from(U256::from_be_slice(body.get(off..len_end)?)).ok()?;
    let s = body.get(len_end..len_end.checked_add(len)?)?;
    Some(String::from_utf8_lossy(s).into_owned())
}

/// revm's transaction-validation messages in geth's words where clients look for them.
pub(super) fn simplify_invalid(m: &str) -> String {
    let l = m.to_ascii_lowercase();
    if l.contains("gas floor") || l.contains("intrinsic") || l.contains("call gas cost") {
        return format!("intrinsic gas too low ({m})");
    }
    if l.contains("lack of funds") || l.contains("insufficient") {
        return format!("insufficient funds for gas * price + value ({m})");
    }
    m.to_string()
}
