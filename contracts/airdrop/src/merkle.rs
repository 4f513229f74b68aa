//! Merkle proofs compatible with OpenZeppelin's `MerkleProof` (sorted-pair keccak256) and
//! `StandardMerkleTree` leaves of type `(uint256 index, address account, uint256 amount)`.
//!
//! Pure functions: the same code verifies on chain and can build trees off chain.
use alloy_primitives::{keccak256, Address, B256, U256};

/// `keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))))`: the leaf of
/// OpenZeppelin's `StandardMerkleTree` for `["uint256", "address", "uint256"]`. Hashing twice
/// keeps a leaf (96 bytes of preimage) from ever being mistaken for an inner node (64 bytes).
pub fn leaf(index: U256, account: Address, amount: U256) -> B256 {
    let mut encoded = [0u8; 96];
    encoded[..32].copy_from_slice(&index.to_be_bytes::<32>());
    // An address is left-padded to 32 bytes by `abi.encode`.
    encoded[44..64].copy_from_slice(account.as_slice());
    encoded[64..].copy_from_slice(&amount.to_be_bytes::<32>());
    keccak256(keccak256(encoded))
}

/// `keccak256(min(a, b) ‖ max(a, b))`: OpenZeppelin's commutative `_hashPair`.
pub fn hash_pair(a: B256, b: B256) -> B256 {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(low.as_slice());
    buf[32..].copy_from_slice(high.as_slice());
    keccak256(buf)
}

/// The root that `proof` leads to from `leaf` (OpenZeppelin's `processProof`).
pub fn process_proof(leaf: B256, proof: &[B256]) -> B256 {
    proof
        .iter()
        .fold(leaf, |node, sibling| hash_pair(node, *sibling))
}

/// Whether `proof` proves `leaf` under `root` (OpenZeppelin's `verify`).
pub fn verify(proof: &[B256], root: B256, leaf: B256) -> bool {
    process_proof(leaf, proof) == root
}
