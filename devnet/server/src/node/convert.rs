//! The response side: the chain's blocks, transactions, receipts, logs and proofs as
//! `alloy-rpc-types-eth` types, with Nitro's extra fields (`l1BlockNumber`, `sendCount`,
//! `sendRoot` on blocks; `gasUsedForL1`, `l1BlockNumber` on receipts) in `WithOtherFields`.
//!
//! Hand-made: ArbOS's internal transaction (type `0x6a`, [`InternalTxJson`]), which alloy's
//! Ethereum `TxEnvelope` cannot hold.

use super::Node;
use crate::json::qty;
use alloy_consensus::{
    Receipt as ConsensusReceipt, ReceiptWithBloom, Transaction as _, TxEnvelope,
};
use alloy_consensus_any::AnyReceiptEnvelope;
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_rpc_types_eth::{
    Block, BlockTransactions, EIP1186AccountProofResponse, EIP1186StorageProof, Header, Log,
    Transaction, TransactionReceipt,
};
use alloy_serde::{JsonStorageKey, OtherFields, WithOtherFields};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use vvv_devnet_engine::block::{self, HeaderFields, InternalTx};
use vvv_devnet_engine::{BlockInfo, Receipt};

/// A receipt as served: alloy's, with any transaction type (`0x6a` included), plus Nitro's
/// fields.
pub type RpcReceipt = WithOtherFields<TransactionReceipt<AnyReceiptEnvelope<Log>>>;
/// A block as served: alloy's header and body, plus Nitro's fields.
pub type RpcBlock = WithOtherFields<Block<RpcTransaction>>;

/// A transaction as served: a signed Ethereum one (alloy's), or ArbOS's internal one.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum RpcTransaction {
    Signed(Box<Transaction<TxEnvelope>>),
    Internal(Box<InternalTxJson>),
}

/// Nitro's JSON for its ArbitrumInternalTx: ArbOS to itself, no gas, no price, no signature.
/// Our own type: alloy's `TxEnvelope` has no variant for type `0x6a`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InternalTxJson {
    hash: B256,
    #[serde(rename = "type", with = "alloy_serde::quantity")]
    ty: u8,
    #[serde(with = "alloy_serde::quantity")]
    chain_id: u64,
    #[serde(with = "alloy_serde::quantity")]
    nonce: u64,
    block_hash: B256,
    #[serde(with = "alloy_serde::quantity")]
    block_number: u64,
    #[serde(with = "alloy_serde::quantity")]
    transaction_index: u64,
    from: Address,
    to: Address,
    value: U256,
    #[serde(with = "alloy_serde::quantity")]
    gas: u64,
    #[serde(with = "alloy_serde::quantity")]
    gas_price: u128,
    input: Bytes,
    v: U256,
    r: U256,
    s: U256,
}

impl InternalTxJson {
    fn new(h: B256, tx: &InternalTx, r: &Receipt) -> Self {
        Self {
            hash: h,
            ty: block::INTERNAL_TX_TYPE,
            chain_id: tx.chain_id,
            nonce: 0,
            block_hash: r.block_hash,
            block_number: r.block_number,
            transaction_index: r.transaction_index,
            from: block::ARBOS_ADDRESS,
            to: block::ARBOS_ADDRESS,
            value: U256::ZERO,
            gas: 0,
            gas_price: 0,
            input: tx.data.clone(),
            v: U256::ZERO,
            r: U256::ZERO,
            s: U256::ZERO,
        }
    }
}

/// A log of receipt `r`, the `index`-th of its block.
pub fn rpc_log(log: &alloy_primitives::Log, block: &BlockInfo, r: &Receipt, index: u64) -> Log {
    Log {
        inner: log.clone(),
        block_hash: Some(block.hash),
        block_number: Some(block.number),
        block_timestamp: Some(block.timestamp),
        transaction_hash: Some(r.tx_hash),
        transaction_index: Some(r.transaction_index),
        log_index: Some(index),
        removed: false,
    }
}

/// `eth_getProof`'s answer.
pub fn rpc_proof(p: &block::AccountProof) -> EIP1186AccountProofResponse {
    EIP1186AccountProofResponse {
        address: p.address,
        balance: p.balance,
        code_hash: p.code_hash,
        nonce: p.nonce,
        storage_hash: p.storage_hash,
        account_proof: p.account_proof.clone(),
        storage_proof: p
            .storage_proofs
            .iter()
            .map(|s| EIP1186StorageProof {
                key: JsonStorageKey::Hash(s.key),
                value: s.value,
                proof: s.proof.clone(),
            })
            .collect(),
    }
}

fn other_fields<const N: usize>(fields: [(&str, Value); N]) -> OtherFields {
    OtherFields::new(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

impl Node {
    /// A receipt with its logs (numbered within its block).
    pub(super) fn rpc_receipt(&self, r: &Receipt) -> RpcReceipt {
        let block = self.chain.block(r.block_number);
        let first_log = block.map_or(0, |b| self.logs_before(b, r.transaction_index));
        let logs = match block {
            Some(b) => r
                .logs
                .iter()
                .enumerate()
                .map(|(i, l)| rpc_log(l, b, r, first_log + i as u64))
                .collect(),
            None => vec![],
        };
        let receipt = ConsensusReceipt {
            status: r.status.into(),
            cumulative_gas_used: r.cumulative_gas_used,
            logs,
        };
        let inner = TransactionReceipt {
            inner: AnyReceiptEnvelope {
                inner: ReceiptWithBloom::new(receipt, r.logs_bloom),
                r#type: r.tx_type,
            },
            transaction_hash: r.tx_hash,
            transaction_index: Some(r.transaction_index),
            block_hash: Some(r.block_hash),
            block_number: Some(r.block_number),
            gas_used: r.gas_used,
            effective_gas_price: r.effective_gas_price,
            blob_gas_used: None,
            blob_gas_price: None,
            from: r.from,
            to: r.to,
            contract_address: r.contract_address,
        };
        let l1 = block.map_or(0, |b| b.l1_block_number);
        let other = other_fields([("gasUsedForL1", qty(0u64)), ("l1BlockNumber", qty(l1))]);
        WithOtherFields { inner, other }
    }

    /// How many logs the transactions of `b` before index `index` emitted.
    fn logs_before(&self, b: &BlockInfo, index: u64) -> u64 {
        b.transactions
            .iter()
            .take(index as usize)
            .filter_map(|h| self.chain.receipt(*h))
            .map(|r| r.logs.len() as u64)
            .sum()
    }

    /// A mined transaction (None: unknown hash).
    pub(super) fn rpc_transaction(&self, h: &B256) -> Option<RpcTransaction> {
        let raw = self.chain.raw_transaction(h)?;
        let receipt = self.chain.receipt(*h)?;
        if let Some(tx) = InternalTx::decode(raw) {
            let internal = InternalTxJson::new(*h, &tx, receipt);
            return Some(RpcTransaction::Internal(Box::new(internal)));
        }
        let env = TxEnvelope::decode_2718(&mut &raw[..]).ok()?;
        Some(RpcTransaction::Signed(Box::new(Transaction {
            inner: alloy_consensus::transaction::Recovered::new_unchecked(env, receipt.from),
            block_hash: Some(receipt.block_hash),
            block_number: Some(receipt.block_number),
            transaction_index: Some(receipt.transaction_index),
            effective_gas_price: Some(receipt.effective_gas_price),
            block_timestamp: None,
        })))
    }

    /// A transaction still waiting in the nonce queue: no block yet, as geth shows pending ones
    /// (its `gasPrice` is its fee cap).
    pub(super) fn queued_transaction(&self, h: &B256) -> Option<Transaction<TxEnvelope>> {
        let (from, t) = self
            .queue
            .iter()
            .flat_map(|(from, q)| q.values().map(move |t| (from, t)))
            .find(|(_, t)| t.hash == *h)?;
        Some(Transaction {
            inner: alloy_consensus::transaction::Recovered::new_unchecked(t.env.clone(), *from),
            block_hash: None,
            block_number: None,
            transaction_index: None,
            effective_gas_price: Some(t.env.max_fee_per_gas()),
            block_timestamp: None,
        })
    }

    /// A block, with its transactions' hashes or (`full`) the transactions.
    pub fn rpc_block(&self, b: &BlockInfo, full: bool) -> RpcBlock {
        let config = self.chain.config();
        let header = block::header(&HeaderFields {
            parent_hash: b.parent_hash,
            beneficiary: config.coinbase,
            state_root: b.state_root,
            transactions_root: b.transactions_root,
            receipts_root: b.receipts_root,
            logs_bloom: b.logs_bloom,
            number: b.number,
            gas_limit: config.block_gas_limit,
            gas_used: b.gas_used,
            timestamp: b.timestamp,
            l1_block_number: b.l1_block_number,
            base_fee: config.basefee,
        });
        let size = 600
            + b.transactions
                .iter()
                .filter_map(|h| self.chain.raw_transaction(h))
                .map(|r| r.len() as u64)
                .sum::<u64>();
        let transactions = if full {
            BlockTransactions::Full(
                b.transactions
                    .iter()
                    .filter_map(|h| self.rpc_transaction(h))
                    .collect(),
            )
        } else {
            BlockTransactions::Hashes(b.transactions.clone())
        };
        let inner = Block {
            header: Header {
                hash: b.hash,
                inner: header,
                total_difficulty: Some(U256::from(b.number + 1)),
                size: Some(U256::from(size)),
            },
            uncles: vec![],
            transactions,
            withdrawals: None,
        };
        let other = other_fields([
            ("l1BlockNumber", qty(b.l1_block_number)),
            ("sendCount", qty(0u64)),
            ("sendRoot", crate::json::hash(&block::SEND_ROOT)),
        ]);
        WithOtherFields { inner, other }
    }
}
