//! The `console` imports of debug mode (activation rejects them otherwise): each prints its
//! value and keeps it in the chain's console log.

use super::{read, trace, trace_start, C, R};
use crate::api::EvmApi;
use wasmi::Linker;

pub(super) fn register<A: EvmApi + 'static>(linker: &mut Linker<super::HostEnv<A>>) {
    let module = "console";
    super::register!(linker, module, [log_txt]);
    super::register!(linker, module, [log_i32, log_i64, log_f32, log_f64]);
    super::register!(linker, module, [tee_i32, tee_i64, tee_f32, tee_f64]);
}

fn say<A: EvmApi>(c: &C<'_, A>, text: String) {
    let env = c.data();
    env.api.console(env.frame.contract, text);
}

fn log_txt<A: EvmApi>(mut c: C<'_, A>, ptr: i32, len: i32) -> R<()> {
    trace_start(&mut c);
    let text = read(&c, ptr, len)?;
    say(&c, String::from_utf8_lossy(&text).into_owned());
    trace!(c, "console_log_text", [text], []);
    Ok(())
}

// Nitro traces these as `console_log` with its own rendering of the value (`i32(5)`, with
// terminal colours); the trace here carries the plain text printed.
fn log<A: EvmApi>(mut c: C<'_, A>, text: String) {
    trace_start(&mut c);
    say(&c, text.clone());
    trace!(c, "console_log", [text.as_bytes()], []);
}

fn log_i32<A: EvmApi>(c: C<'_, A>, v: i32) {
    log(c, v.to_string())
}
fn log_i64<A: EvmApi>(c: C<'_, A>, v: i64) {
    log(c, v.to_string())
}
fn log_f32<A: EvmApi>(c: C<'_, A>, v: f32) {
    log(c, v.to_string())
}
fn log_f64<A: EvmApi>(c: C<'_, A>, v: f64) {
    log(c, v.to_string())
}
fn tee_i32<A: EvmApi>(c: C<'_, A>, v: i32) -> i32 {
    say(&c, v.to_string());
    v
}
fn tee_i64<A: EvmApi>(c: C<'_, A>, v: i64) -> i64 {
    say(&c, v.to_string());
    v
}
fn tee_f32<A: EvmApi>(c: C<'_, A>, v: f32) -> f32 {
    say(&c, v.to_string());
    v
}
fn tee_f64<A: EvmApi>(c: C<'_, A>, v: f64) -> f64 {
    say(&c, v.to_string());
    v
}
