//! The program's arguments and result, its early exit, and the memory it grows.

use super::{
    buy_gas, buy_ink, esc, hostio, pay_pending_pages, read, register, trace, trace_start, write,
    Escape, C, R,
};
use crate::api::EvmApi;
use crate::params::ink::*;
use wasmi::Linker;

pub(super) fn register<A: EvmApi + 'static>(linker: &mut Linker<super::HostEnv<A>>) {
    register!(
        linker,
        "vm_hooks",
        [read_args, write_result, exit_early, pay_for_memory_grow]
    );
}

fn read_args<A: EvmApi>(mut c: C<'_, A>, ptr: i32) -> R<()> {
    hostio(&mut c, HOSTIO)?;
    let args = c.data().args.clone();
    buy_ink(&mut c, write_price(args.len() as u32))?;
    write(&mut c, ptr, &args)?;
    trace!(c, "read_args", [], [args]);
    Ok(())
}

fn write_result<A: EvmApi>(mut c: C<'_, A>, ptr: i32, len: i32) -> R<()> {
    hostio(&mut c, HOSTIO)?;
    // Nitro charges the read twice: once to read it, once to keep it as the result
    buy_ink(&mut c, read_price(len as u32))?;
    buy_ink(&mut c, read_price(len as u32))?;
    let outs = read(&c, ptr, len)?;
    trace!(c, "write_result", [outs], []);
    c.data_mut().outs = outs;
    Ok(())
}

fn exit_early<A: EvmApi>(mut c: C<'_, A>, status: i32) -> R<()> {
    trace_start(&mut c);
    trace!(c, "exit_early", [(status as u32).to_be_bytes()], []);
    Err(esc(Escape::Exit(status as u32)))
}

fn pay_for_memory_grow<A: EvmApi>(mut c: C<'_, A>, pages: i32) -> R<()> {
    trace_start(&mut c);
    pay_pending_pages(&mut c)?;
    if pages == 0 {
        buy_ink(&mut c, HOSTIO)?;
    }
    let gas = c.data_mut().api.add_pages(pages as u16);
    buy_gas(&mut c, gas)?;
    trace!(c, "pay_for_memory_grow", [(pages as u16).to_be_bytes()], []);
    Ok(())
}
