//! Sending transactions: `eth_sendRawTransaction` and `eth_sendTransaction` (signed here for the
//! devnet's accounts), geth's pool checks and messages, and the queue of nonce-gapped
//! transactions (held until the gap fills, as Nitro's sequencer does).

use super::errors::{call_error, failure_reason, simplify_invalid};
use super::{Node, Queued, QUEUE_PER_ACCOUNT, QUEUE_TOTAL};
use crate::accounts::DevAccount;
use crate::json::*;
use alloy_consensus::error::ValueError;
use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{SignableTransaction, Signed, Transaction as _, TxEnvelope};
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::{Address, Signature, TxKind, B256, U256};
use alloy_rpc_types_eth::TransactionRequest;
use serde_json::Value;
use std::time::Instant;
use vvv_devnet_engine::{Devnet, TxError};

impl Node {
    pub(super) fn send_raw(&mut self, raw: &[u8]) -> RpcResult<B256> {
        if raw.is_empty() {
            return Err(RpcError::server("empty transaction"));
        }
        let env = TxEnvelope::decode_2718(&mut &raw[..])
            .map_err(|e| RpcError::server(format!("failed to decode signed transaction: {e}")))?;
        let from = env
            .recover_signer()
            .map_err(|_| RpcError::server("invalid sender: invalid signature"))?;
        self.submit(env, from)
    }

    /// Checks a signed transaction the way geth's pool does (with its messages), then mines it.
    fn submit(&mut self, env: TxEnvelope, from: Address) -> RpcResult<B256> {
        if !matches!(
            env,
            TxEnvelope::Legacy(_) | TxEnvelope::Eip2930(_) | TxEnvelope::Eip1559(_)
        ) {
            return Err(RpcError::server(format!(
                "transaction type {} not supported",
                env.tx_type() as u8
            )));
        }
        if let Some(id) = env.chain_id() {
            if id != self.settings.chain_id {
                return Err(RpcError::server(format!(
                    "invalid chain id for signer: have {id} want {}",
                    self.settings.chain_id
                )));
            }
        }
        let hash = *env.tx_hash();
        if self.chain.receipt(hash).is_some() {
            return Err(RpcError::server("already known"));
        }
        let gas = env.gas_limit();
        if gas > self.settings.tx_gas_cap {
            return Err(RpcError::server(format!(
                "exceeds block gas limit: gas {gas}, max per transaction {}",
                self.settings.tx_gas_cap
            )));
        }
        let intrinsic = Devnet::intrinsic_gas(&env);
        if gas < intrinsic {
            return Err(RpcError::server(format!(
                "intrinsic gas too low: gas {gas}, minimum needed {intrinsic}"
            )));
        }
        let max_fee = env.max_fee_per_gas();
        let basefee = self.basefee() as u128;
        if max_fee < basefee {
            return Err(RpcError::server(format!("max fee per gas less than block base fee: address {from}, maxFeePerGas: {max_fee}, baseFee: {basefee}")));
        }
        if let Some(tip) = env.max_priority_fee_per_gas() {
            if tip > max_fee {
                return Err(RpcError::server(format!("max priority fee per gas higher than max fee per gas: address {from}, maxPriorityFeePerGas: {tip}, maxFeePerGas: {max_fee}")));
            }
        }
        self.expire_queue();
        let state_nonce = self.chain.nonce(from);
        match env.nonce() {
            n if n < state_nonce => {
                return Err(RpcError::server(format!(
                    "nonce too low: next nonce {state_nonce}, tx nonce {n}"
                )))
            }
            n if n > state_nonce && self.settings.queue_timeout.is_zero() => {
                return Err(RpcError::server(format!(
                    "nonce too high: next nonce {state_nonce}, tx nonce {n} (nonce queue disabled)"
                )))
            }
            n if n > state_nonce => return self.enqueue(env, from, hash),
            _ => {}
        }
        self.execute(env, from, hash)?;
        self.promote(from);
        Ok(hash)
    }

    /// Mines the queued transactions of `from` whose gap has filled, in nonce order; a queued
    /// transaction that no longer passes the checks (e.g. the balance fell) is dropped.
    fn promote(&mut self, from: Address) {
        loop {
            let next = self.chain.nonce(from);
            let Some(q) = self.queue.get_mut(&from) else {
                return;
            };
            // anything below the account's nonce can never be mined
            while let Some((&n, _)) = q.first_key_value() {
                if n >= next {
                    break;
                }
                q.pop_first();
            }
            let item = q.remove(&next);
            if q.is_empty() {
                self.queue.remove(&from);
            }
            let Some(item) = item else { return };
            if let Err(e) = self.execute(item.env, from, item.hash) {
                if self.settings.log {
                    println!(
                        "    Dropped queued transaction {:#x}: {}",
                        item.hash, e.message
                    );
                }
                return;
            }
        }
    }

    /// Drops queued transactions older than the queue timeout.
    pub fn expire_queue(&mut self) {
        if self.queue.is_empty() {
            return;
        }
        let timeout = self.settings.queue_timeout;
        let log = self.settings.log;
        self.queue.retain(|_, q| {
            q.retain(|_, t| {
                let keep = t.at.elapsed() < timeout;
                if !keep && log {
                    println!(
                        "    Dropped queued transaction {:#x}: nonce gap not filled in time",
                        t.hash
                    );
                }
                keep
            });
            !q.is_empty()
        });
    }

    /// Holds a nonce-gapped transaction (as Nitro's sequencer does) until the gap fills.
    fn enqueue(&mut self, env: TxEnvelope, from: Address, hash: B256) -> RpcResult<B256> {
        self.expire_queue();
        // geth's pool checks the balance of queued transactions too
        let want = U256::from(env.gas_limit()) * U256::from(env.max_fee_per_gas()) + env.value();
        let have = self.chain.balance(from);
        if have < want {
            return Err(RpcError::server(format!("insufficient funds for gas * price + value: address {from} have {have} want {want}")));
        }
        let n = env.nonce();
        let total: usize = self.queue.values().map(|q| q.len()).sum();
        let q = self.queue.entry(from).or_default();
        if let Some(old) = q.get(&n) {
            if old.hash == hash {
                return Err(RpcError::server("already known"));
            }
            let old_fee = old.env.max_fee_per_gas();
            if env.max_fee_per_gas() < old_fee + old_fee / 10 {
                return Err(RpcError::server("replacement transaction underpriced"));
            }
        } else if q.len() >= QUEUE_PER_ACCOUNT || total >= QUEUE_TOTAL {
            let state_nonce = self.chain.nonce(from);
            return Err(RpcError::server(format!(
                "nonce too high: next nonce {state_nonce}, tx nonce {n} (queue of nonce-gapped transactions full)"
            )));
        }
        q.insert(
            n,
            Queued {
                env,
                hash,
                at: Instant::now(),
            },
        );
        if self.settings.log {
            println!("    Queued transaction {hash:#x} (nonce {n} waits for the gap to fill)\n");
        }
        Ok(hash)
    }

    /// Balance check, then mining of a transaction whose nonce is the account's next one.
    fn execute(&mut self, env: TxEnvelope, from: Address, hash: B256) -> RpcResult<()> {
        let gas = env.gas_limit();
        let max_fee = env.max_fee_per_gas();
        let want = U256::from(gas) * U256::from(max_fee) + env.value();
        let have = self.chain.balance(from);
        if have < want {
            return Err(RpcError::server(format!("insufficient funds for gas * price + value: address {from} have {have} want {want}")));
        }
        self.prepare_time();
        let receipt = self.chain.send_recovered(env, from).map_err(|e| match e {
            TxError::Invalid(m) => RpcError::server(simplify_invalid(&m)),
            other => RpcError::server(other.to_string()),
        })?;
        self.after_mine();
        if self.settings.log {
            let status = if receipt.status {
                "success".to_string()
            } else {
                format!("failed ({})", failure_reason(&receipt))
            };
            println!("    Transaction: {hash:#x}");
            if let Some(a) = receipt.contract_address {
                println!("    Contract created: {a}");
            }
            println!(
                "    Block: {}  Gas used: {}  Status: {status}\n",
                receipt.block_number, receipt.gas_used
            );
        }
        Ok(())
    }

    /// `eth_sendTransaction`: filled in (nonce, gas, fees, type), signed with the devnet's key
    /// for `from`, then submitted like a raw transaction.
    pub(super) fn send_transaction(&mut self, tx: TransactionRequest) -> RpcResult<B256> {
        let from = tx.from.unwrap_or_default();
        let Some(account) = self.accounts.iter().find(|a| a.address == from).cloned() else {
            return Err(RpcError::server(format!("unknown account {from}: eth_sendTransaction signs only for the devnet's accounts (eth_accounts)")));
        };
        if let Some(id) = tx.chain_id.filter(|id| *id != self.settings.chain_id) {
            return Err(RpcError::server(format!(
                "invalid chain id for signer: have {id} want {}",
                self.settings.chain_id
            )));
        }
        let mut req = self.call_request(&tx);
        let nonce = tx.nonce.unwrap_or_else(|| self.chain.nonce(from));
        let gas = match tx.gas {
            Some(g) => g,
            None => {
                req.gas = Some(self.settings.tx_gas_cap.min(self.settings.call_gas_cap));
                self.prepare_time();
                self.chain
                    .estimate_gas(&req)
                    .map_err(|r| call_error(&r, true, req.gas.unwrap_or_default()))?
            }
        };
        let env = self.sign(&account, tx, nonce, gas)?;
        self.submit(env, from)
    }

    /// The transaction of type `tx.transaction_type` (by default: legacy with a `gasPrice` and
    /// no access list, EIP-2930 with both, EIP-1559 otherwise), completed (chain id, nonce, gas,
    /// fees from the base fee), built by alloy's `TransactionRequest` and signed by `account`.
    fn sign(
        &self,
        account: &DevAccount,
        mut tx: TransactionRequest,
        nonce: u64,
        gas: u64,
    ) -> RpcResult<TxEnvelope> {
        let basefee = self.basefee() as u128;
        let has_access_list = tx.access_list.as_ref().is_some_and(|l| !l.is_empty());
        let ty = tx
            .transaction_type
            .unwrap_or(match (tx.gas_price, has_access_list) {
                (Some(_), false) => 0,
                (Some(_), true) => 1,
                (None, _) => 2,
            });
        tx.chain_id = Some(self.settings.chain_id);
        tx.nonce = Some(nonce);
        tx.gas = Some(gas);
        tx.to = Some(tx.to.unwrap_or(TxKind::Create));
        match ty {
            0 if has_access_list => Err(RpcError::params(
                "a legacy (type 0) transaction has no access list",
            )),
            0 | 1 => {
                tx.gas_price.get_or_insert(basefee);
                if ty == 0 {
                    signed(account, tx.build_legacy())
                } else {
                    signed(account, tx.build_2930())
                }
            }
            _ => {
                let tip = *tx.max_priority_fee_per_gas.get_or_insert(0);
                let default_fee = tx
                    .gas_price
                    .unwrap_or(basefee.saturating_mul(2).saturating_add(tip));
                tx.max_fee_per_gas.get_or_insert(default_fee);
                signed(account, tx.build_1559())
            }
        }
    }

    pub(super) fn txpool_status(&mut self) -> RpcResult {
        self.expire_queue();
        let queued: usize = self.queue.values().map(|q| q.len()).sum();
        let mut o = serde_json::Map::new();
        o.insert("pending".into(), qty(0u64));
        o.insert("queued".into(), qty(queued as u64));
        Ok(Value::Object(o))
    }
}

/// A transaction alloy built from a complete request, signed.
fn signed<T>(
    account: &DevAccount,
    tx: Result<T, ValueError<TransactionRequest>>,
) -> RpcResult<TxEnvelope>
where
    T: SignableTransaction<Signature>,
    Signed<T>: Into<TxEnvelope>,
{
    let tx = tx.map_err(|e| RpcError::new(code::INTERNAL, e.to_string()))?;
    let sig = account.sign_hash(tx.signature_hash());
    Ok(tx.into_signed(sig).into())
}
