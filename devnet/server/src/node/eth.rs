//! The `eth_` methods that read the chain or run calls on it: state queries, blocks,
//! transactions and receipts, `eth_call`/`eth_estimateGas`/`eth_createAccessList` (with Nitro's
//! `NodeInterface` virtual contract) and `eth_feeHistory`.

use super::convert::{rpc_proof, RpcReceipt};
use super::errors::{alloy_sol_error, call_error, tx_error_message};
use super::{CallParams, Node};
use crate::json::*;
use alloy_eips::eip2930::{AccessList, AccessListItem, AccessListResult};
use alloy_eips::BlockId;
use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_rpc_types_eth::{FeeHistory, TransactionRequest};
use serde_json::Value;
use vvv_devnet_engine::{AccountOverride, BlockInfo, CallRequest};

/// The NodeInterface virtual contract's address.
pub const NODE_INTERFACE: Address =
    alloy_primitives::address!("00000000000000000000000000000000000000c8");

impl Node {
    /// A call's transaction as the engine runs it: gas capped at the call cap, `gasPrice` or
    /// else `maxFeePerGas` as its price.
    pub(super) fn call_request(&self, tx: &TransactionRequest) -> CallRequest {
        let cap = self.settings.call_gas_cap;
        CallRequest {
            from: tx.from.unwrap_or_default(),
            to: tx.to.and_then(|k| k.to().copied()),
            value: tx.value.unwrap_or_default(),
            data: tx.input.input().cloned().unwrap_or_default(),
            gas: Some(tx.gas.unwrap_or(cap).min(cap)),
            gas_price: tx.gas_price.or(tx.max_fee_per_gas),
            access_list: tx
                .access_list
                .iter()
                .flat_map(|l| l.0.iter())
                .map(|i| (i.address, i.storage_keys.clone()))
                .collect(),
            block: None,
        }
    }

    pub(super) fn eth_call(&mut self, c: CallParams) -> RpcResult {
        let mut req = self.call_request(&c.tx);
        let at = self.call_block(c.block)?;
        req.block = c.block_overrides;
        self.prepare_time();
        if req.to == Some(NODE_INTERFACE) {
            return self.node_interface(&req, at, &c.overrides);
        }
        let r = self
            .chain
            .call_at(&req, at, &c.overrides)
            .map_err(|e| RpcError::server(tx_error_message(&e)))?;
        if r.success {
            Ok(data(&r.output))
        } else {
            Err(call_error(&r, false, req.gas.unwrap_or_default()))
        }
    }

    pub(super) fn eth_estimate_gas(&mut self, c: CallParams) -> RpcResult {
        let req = self.call_request(&c.tx);
        let at = self.call_block(c.block)?;
        self.prepare_time();
        if req.to == Some(NODE_INTERFACE) {
            // as Nitro: the virtual contract's calls cost nothing to speak of
            self.node_interface(&req, at, &c.overrides)?;
            return Ok(qty(21_000u64));
        }
        match self.chain.estimate_gas_at(&req, at, &c.overrides) {
            Ok(g) => Ok(qty(g)),
            Err(r) => Err(call_error(&r, true, req.gas.unwrap_or_default())),
        }
    }

    /// `NodeInterface` (0xC8), the virtual contract Nitro serves from the RPC layer:
    /// `gasEstimateComponents` and `gasEstimateL1Component` (no L1 component here: the L1 price
    /// is zero, as on nitro-devnode), `nitroGenesisBlock`.
    fn node_interface(
        &mut self,
        req: &CallRequest,
        at: Option<u64>,
        overrides: &[AccountOverride],
    ) -> RpcResult {
        let d = &req.data;
        let sel: [u8; 4] = match d.get(..4) {
            Some(s) => s.try_into().unwrap(),
            None => return Err(RpcError::reverted(Bytes::new(), "execution reverted")),
        };
        let word = |v: u64| B256::from(U256::from(v));
        let basefee = self.basefee();
        match sel {
            // gasEstimateComponents(address,bool,bytes) / gasEstimateL1Component(address,bool,bytes)
            [0xc9, 0x4e, 0x6e, 0xeb] | [0x77, 0xd4, 0x88, 0xa2] => {
                let args = &d[4..];
                if args.len() < 96 {
                    return Err(RpcError::reverted(Bytes::new(), "execution reverted"));
                }
                let to = Address::from_slice(&args[12..32]);
                let create = args[63] != 0;
                let off = U256::from_be_slice(&args[64..96]).saturating_to::<usize>();
                let len = args
                    .get(off..off.saturating_add(32))
                    .map(|w| U256::from_be_slice(w).saturating_to::<usize>())
                    .ok_or_else(|| RpcError::reverted(Bytes::new(), "execution reverted"))?;
                let data_ = args
                    .get(off + 32..(off + 32).saturating_add(len))
                    .ok_or_else(|| RpcError::reverted(Bytes::new(), "execution reverted"))?;
                let mut inner = req.clone();
                inner.to = if create { None } else { Some(to) };
                inner.data = Bytes::copy_from_slice(data_);
                if sel == [0x77, 0xd4, 0x88, 0xa2] {
                    let out = [word(0), word(basefee), word(0)].concat();
                    return Ok(data(&out));
                }
                let g = self
                    .chain
                    .estimate_gas_at(&inner, at, overrides)
                    .map_err(|r| call_error(&r, true, inner.gas.unwrap_or_default()))?;
                let out = [word(g), word(0), word(basefee), word(0)].concat();
                Ok(data(&out))
            }
            // nitroGenesisBlock()
            [0x93, 0xa2, 0xfe, 0x21] => Ok(data(word(0).as_slice())),
            _ => Err(RpcError::reverted(
                alloy_sol_error(&format!(
                    "vvv-devnet: NodeInterface method {} is not modelled",
                    alloy_primitives::hex::encode_prefixed(sel)
                )),
                "execution reverted: vvv-devnet: NodeInterface method not modelled",
            )),
        }
    }

    /// `eth_createAccessList`: the accounts and slots the call touches (iterated until stable,
    /// as geth does), with the gas it uses with that list.
    pub(super) fn create_access_list(&mut self, c: CallParams) -> RpcResult {
        let req = self.call_request(&c.tx);
        let at = self.call_block(c.block)?;
        self.prepare_time();
        let (list, r) = self
            .chain
            .with_state_at(at, &[], |c| c.create_access_list(&req))
            .map_err(|e| RpcError::server(tx_error_message(&e)))?;
        let access_list = AccessList(
            list.into_iter()
                .map(|(address, storage_keys)| AccessListItem {
                    address,
                    storage_keys,
                })
                .collect(),
        );
        to_value(&AccessListResult {
            access_list,
            gas_used: U256::from(r.gas_used),
            error: (!r.success).then(|| call_error(&r, false, 0).message),
        })
    }

    pub(super) fn fee_history(
        &self,
        count: u64,
        newest: BlockId,
        percentiles: Option<Vec<f64>>,
    ) -> RpcResult {
        let newest = self.state_block(Some(newest))?;
        let count = count.min(1024).min(newest + 1);
        let oldest = newest + 1 - count;
        let basefee = self.basefee();
        let limit = self.chain.config().block_gas_limit as f64;
        let blocks: Vec<&BlockInfo> = (oldest..=newest)
            .map(|n| self.chain.block(n).expect("block in range"))
            .collect();
        // geth weighs tips by gas used: ArbOS's startBlock (no gas) counts for nothing, the
        // block's own transaction (last) for all.
        let tip = |b: &BlockInfo| {
            b.transactions
                .last()
                .and_then(|h| self.chain.receipt(*h))
                .map(|r| r.effective_gas_price.saturating_sub(basefee as u128))
                .unwrap_or(0)
        };
        let reward = percentiles.map(|ps| {
            blocks
                .iter()
                .map(|b| vec![tip(b); ps.len()])
                .collect::<Vec<_>>()
        });
        to_value(&FeeHistory {
            base_fee_per_gas: vec![basefee as u128; count as usize + 1],
            gas_used_ratio: blocks.iter().map(|b| b.gas_used as f64 / limit).collect(),
            base_fee_per_blob_gas: vec![1; count as usize + 1],
            blob_gas_used_ratio: vec![0.0; count as usize],
            oldest_block: oldest,
            reward,
        })
    }

    pub(super) fn get_storage_at(&self, a: Address, slot: U256, b: Option<BlockId>) -> RpcResult {
        let n = self.state_block(b)?;
        Ok(hash(&B256::from(self.chain.storage_at(a, slot, n))))
    }

    pub(super) fn get_proof(&self, a: Address, slots: &[B256], b: Option<BlockId>) -> RpcResult {
        let n = self.state_block(b)?;
        to_value(&rpc_proof(&self.chain.proof_at(a, slots, n)))
    }

    pub(super) fn get_receipt(&self, h: B256) -> RpcResult {
        match self.chain.receipt(h) {
            Some(r) => to_value(&self.rpc_receipt(r)),
            None => Ok(Value::Null),
        }
    }

    /// A mined transaction, or one waiting in the nonce queue.
    pub(super) fn get_transaction(&mut self, h: B256) -> RpcResult {
        self.expire_queue();
        if let Some(t) = self.rpc_transaction(&h) {
            return to_value(&t);
        }
        match self.queued_transaction(&h) {
            Some(t) => to_value(&t),
            None => Ok(Value::Null),
        }
    }

    pub(super) fn get_block(&self, b: BlockId, full: bool) -> RpcResult {
        match self.find_block(b) {
            Some(b) => to_value(&self.rpc_block(b, full)),
            None => Ok(Value::Null),
        }
    }

    pub(super) fn get_transaction_by_index(&self, b: BlockId, i: u64) -> RpcResult {
        let h = self
            .find_block(b)
            .and_then(|b| b.transactions.get(i as usize).copied());
        match h.and_then(|h| self.rpc_transaction(&h)) {
            Some(t) => to_value(&t),
            None => Ok(Value::Null),
        }
    }

    pub(super) fn get_block_receipts(&self, b: BlockId) -> RpcResult {
        let Some(b) = self.find_block(b) else {
            return Ok(Value::Null);
        };
        let receipts: Vec<RpcReceipt> = b
            .transactions
            .iter()
            .filter_map(|h| self.chain.receipt(*h))
            .map(|r| self.rpc_receipt(r))
            .collect();
        to_value(&receipts)
    }
}
