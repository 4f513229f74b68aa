//! `vvv airdrop-tree`: the airdrop's Merkle tree, laid out exactly like OpenZeppelin's
//! `StandardMerkleTree` (JS `@openzeppelin/merkle-tree`) for the leaf encoding
//! `["uint256", "address", "uint256"]` = `(index, account, amount)`, which is what
//! `contracts/airdrop` verifies:
//!
//! - leaf = `keccak256(keccak256(abi.encode(index, account, amount)))`;
//! - leaves sorted by hash (ascending bytes), stored at the end of a flat array
//!   `tree[len - 1 - i]`; node `i` = `hashPair(tree[2i+1], tree[2i+2])`, `hashPair` sorting
//!   its two inputs (OpenZeppelin's `MerkleProof`);
//! - a proof is the siblings from the leaf up to the root;
//! - the dump is `{"format": "standard-v1", "leafEncoding", "tree", "values": [{"value",
//!   "treeIndex"}]}`, which `StandardMerkleTree.load` reads; `vvv` adds `root` and per-account
//!   `claims` (index, amount, proof) for claimers.
//!
//! The index of a row is its position among the CSV's data rows (0-based).

use std::{collections::HashSet, path::Path};

use alloy_primitives::{Address, B256, U256};
use serde_json::{json, Value};
// the leaf and pair hashes the airdrop contract verifies with
use vvv_common::airdrop::{hash_pair, leaf};

/// One airdrop allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub index: u64,
    pub account: Address,
    pub amount: U256,
}

/// A built tree.
#[derive(Clone, Debug)]
pub struct Tree {
    pub entries: Vec<Entry>,
    /// The flat tree (root at 0).
    pub nodes: Vec<B256>,
    /// Tree index of each entry.
    pub tree_index: Vec<usize>,
}

/// Parses `account,amount` rows (an optional header `account,amount`; blank lines and lines
/// starting with `#` are skipped). Errors name the 1-based line.
pub fn parse_csv(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if entries.is_empty()
            && seen.is_empty()
            && fields
                .first()
                .is_some_and(|f| f.eq_ignore_ascii_case("account"))
        {
            continue;
        }
        if fields.len() != 2 {
            return Err(format!(
                "line {line_no}: expected `account,amount`, got {} fields",
                fields.len()
            ));
        }
        let account: Address = fields[0]
            .parse()
            .map_err(|_| format!("line {line_no}: bad address {:?}", fields[0]))?;
        if account.is_zero() {
            return Err(format!("line {line_no}: the zero address"));
        }
        let amount_text = fields[1];
        if amount_text.is_empty() || !amount_text.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "line {line_no}: amount {amount_text:?} is not a non-negative integer (wei)"
            ));
        }
        let amount = U256::from_str_radix(amount_text, 10).map_err(|_| {
            format!("line {line_no}: amount {amount_text:?} does not fit in uint256")
        })?;
        if amount.is_zero() {
            return Err(format!("line {line_no}: zero amount for {account}"));
        }
        if !seen.insert(account) {
            return Err(format!("line {line_no}: duplicate account {account}"));
        }
        entries.push(Entry {
            index: entries.len() as u64,
            account,
            amount,
        });
    }
    if entries.is_empty() {
        return Err("no rows".into());
    }
    Ok(entries)
}

impl Tree {
    pub fn from_csv_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let entries = parse_csv(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self::build(entries))
    }

    /// OpenZeppelin's `StandardMerkleTree.of(values, encoding)` with `sortLeaves: true`.
    pub fn build(entries: Vec<Entry>) -> Self {
        let mut hashed: Vec<(B256, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (leaf(U256::from(e.index), e.account, e.amount), i))
            .collect();
        hashed.sort();
        let n = hashed.len();
        let len = 2 * n - 1;
        let mut nodes = vec![B256::ZERO; len];
        let mut tree_index = vec![0; n];
        for (leaf_i, (h, value_i)) in hashed.iter().enumerate() {
            nodes[len - 1 - leaf_i] = *h;
            tree_index[*value_i] = len - 1 - leaf_i;
        }
        for i in (0..len - n).rev() {
            nodes[i] = hash_pair(nodes[2 * i + 1], nodes[2 * i + 2]);
        }
        Self {
            entries,
            nodes,
            tree_index,
        }
    }

    pub fn root(&self) -> B256 {
        self.nodes[0]
    }

    pub fn total(&self) -> U256 {
        self.entries.iter().map(|e| e.amount).sum()
    }

    /// The proof of entry `i` (siblings from the leaf up).
    pub fn proof(&self, i: usize) -> Vec<B256> {
        let mut proof = Vec::new();
        let mut k = self.tree_index[i];
        while k > 0 {
            let sibling = if k % 2 == 1 { k + 1 } else { k - 1 };
            proof.push(self.nodes[sibling]);
            k = (k - 1) / 2;
        }
        proof
    }

    /// The dump (`StandardMerkleTree.load` format) plus `root` and `claims`.
    pub fn to_json(&self) -> Value {
        let values: Vec<Value> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                json!({
                    "value": [e.index.to_string(), e.account.to_checksum(None), e.amount.to_string()],
                    "treeIndex": self.tree_index[i],
                })
            })
            .collect();
        let claims: serde_json::Map<String, Value> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    e.account.to_checksum(None),
                    json!({"index": e.index, "amount": e.amount.to_string(), "proof": self.proof(i)}),
                )
            })
            .collect();
        json!({
            "format": "standard-v1",
            "leafEncoding": ["uint256", "address", "uint256"],
            "tree": self.nodes,
            "values": values,
            "root": self.root(),
            "total": self.total().to_string(),
            "claims": claims,
        })
    }
}

/// `vvv airdrop-tree CSV -o OUT`.
pub fn run(csv: &Path, out: &Path) -> Result<(), String> {
    let tree = Tree::from_csv_file(csv)?;
    let text = serde_json::to_string_pretty(&tree.to_json()).map_err(|e| e.to_string())? + "\n";
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{} claims, total {} wei, root {} -> {}",
        tree.entries.len(),
        tree.total(),
        tree.root(),
        out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(i: u8) -> Address {
        Address::repeat_byte(i)
    }

    #[test]
    fn every_proof_verifies_and_layout_is_complete() {
        for n in 1..=9u8 {
            let entries: Vec<Entry> = (0..n)
                .map(|i| Entry {
                    index: i as u64,
                    account: addr(i + 1),
                    amount: U256::from(1000 + i as u64),
                })
                .collect();
            let t = Tree::build(entries.clone());
            assert_eq!(t.nodes.len(), 2 * n as usize - 1);
            for (i, e) in entries.iter().enumerate() {
                let l = leaf(U256::from(e.index), e.account, e.amount);
                assert_eq!(t.nodes[t.tree_index[i]], l);
                assert_eq!(
                    t.proof(i).iter().fold(l, |n, s| hash_pair(n, *s)),
                    t.root(),
                    "n={n} i={i}"
                );
                // A wrong amount does not verify.
                let bad = leaf(U256::from(e.index), e.account, e.amount + U256::from(1));
                assert_ne!(
                    t.proof(i).iter().fold(bad, |n, s| hash_pair(n, *s)),
                    t.root()
                );
            }
        }
    }

    #[test]
    fn single_leaf_tree_root_is_the_leaf() {
        let t = Tree::build(vec![Entry {
            index: 0,
            account: addr(1),
            amount: U256::from(5),
        }]);
        assert_eq!(t.root(), leaf(U256::ZERO, addr(1), U256::from(5)));
        assert!(t.proof(0).is_empty());
    }

    #[test]
    fn bad_rows_are_refused_with_their_line() {
        let ok = "account,amount\n0x1111111111111111111111111111111111111111,5\n";
        assert_eq!(parse_csv(ok).unwrap().len(), 1);
        let cases = [
            ("account,amount\n0x11,5\n", "line 2: bad address"),
            ("0x1111111111111111111111111111111111111111,5\n0x1111111111111111111111111111111111111111,6\n", "line 2: duplicate account"),
            ("account,amount\n\n0x1111111111111111111111111111111111111111,0\n", "line 3: zero amount"),
            ("0x1111111111111111111111111111111111111111,1.5\n", "line 1: amount \"1.5\" is not a non-negative integer"),
            ("0x1111111111111111111111111111111111111111,-1\n", "line 1: amount \"-1\""),
            ("0x1111111111111111111111111111111111111111\n", "line 1: expected `account,amount`"),
            ("account,amount\n", "no rows"),
        ];
        for (csv, want) in cases {
            let e = parse_csv(csv).unwrap_err();
            assert!(e.starts_with(want), "{csv:?}: {e}");
        }
    }
}
