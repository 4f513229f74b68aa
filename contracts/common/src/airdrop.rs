//! The airdrop's rules (SPEC §3.6): Merkle proofs compatible with OpenZeppelin's `MerkleProof`
//! (sorted-pair keccak256) over `StandardMerkleTree` leaves of type `(uint256 index, address
//! account, uint256 amount)`, the claim bitmap, and the claim window.
//!
//! Pure functions: the same code verifies on chain and builds trees off chain (`vvv airdrop-tree`).
use alloy_primitives::{keccak256, Address, B256, U256};

use crate::units::DAY;

/// The deploy default of the claim window: 45 days.
pub const DEFAULT_CLAIM_WINDOW: u64 = 45 * DAY;

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

/// The bitmap position of a claim index: storage word `index / 256`, bit `index % 256`.
pub fn bitmap_position(index: U256) -> (U256, U256) {
    let word = index >> 8;
    let bit = U256::from(1u8) << (index.as_limbs()[0] & 0xff) as usize;
    (word, bit)
}

/// Claims are open while `now < deadline`; sweeping is allowed from `now ≥ deadline`.
pub fn claims_open(now: u64, deadline: u64) -> bool {
    now < deadline
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::b256;

    /// Leaves and nodes of the tree over `[(0, 0x11…11, 100e18), (1, 0x22…22, 250e18),
    /// (2, 0x33…33, 1)]`, computed independently in Python (see the airdrop's tests, which build
    /// the same tree).
    const ROOT: B256 = b256!("6957b387d387eaf24d7e73056ea446419f4a393ed5c7515f8d62b2c7d2fab376");
    const LEAF0: B256 = b256!("0af33d4b4d9a982dc328aa42f7cb6a2cc5ea66a017e900622bf25011cc4d69c8");
    const LEAF1: B256 = b256!("a84f421c66d057376df5f5211c3a23c04d7254fefec17c9fb862d2083d1c4b91");
    const LEAF2: B256 = b256!("864aeed7b0b2280614a993529f60f945f555003ed8815ba2510661db9138c4e0");
    const NODE01: B256 = b256!("e9f794c278d9607c6523f6ac2f0022e32d63c4a33e684c181bd4aa7a19037b98");

    #[test]
    fn leaves_and_proofs_match_the_python_vector() {
        let wad = U256::from(10u64.pow(18));
        let account = Address::repeat_byte;
        assert_eq!(
            leaf(U256::from(0), account(0x11), U256::from(100) * wad),
            LEAF0
        );
        assert_eq!(
            leaf(U256::from(1), account(0x22), U256::from(250) * wad),
            LEAF1
        );
        assert_eq!(leaf(U256::from(2), account(0x33), U256::from(1)), LEAF2);
        assert_eq!(hash_pair(LEAF0, LEAF2), NODE01);
        assert!(verify(&[LEAF2, LEAF1], ROOT, LEAF0));
        assert!(verify(&[NODE01], ROOT, LEAF1));
        assert!(verify(&[LEAF0, LEAF1], ROOT, LEAF2));
        assert!(!verify(&[LEAF2], ROOT, LEAF0));
        assert!(!verify(&[LEAF1, LEAF2], ROOT, LEAF0));
    }

    #[test]
    fn hash_pair_is_commutative() {
        assert_eq!(hash_pair(LEAF0, LEAF1), hash_pair(LEAF1, LEAF0));
        assert_eq!(process_proof(LEAF0, &[]), LEAF0);
    }

    #[test]
    fn bitmap_position_splits_index_into_word_and_bit() {
        assert_eq!(bitmap_position(U256::ZERO), (U256::ZERO, U256::from(1)));
        assert_eq!(
            bitmap_position(U256::from(255)),
            (U256::ZERO, U256::from(1) << 255)
        );
        assert_eq!(
            bitmap_position(U256::from(256)),
            (U256::from(1), U256::from(1))
        );
        assert_eq!(
            bitmap_position(U256::from(513)),
            (U256::from(2), U256::from(2))
        );
        assert_eq!(
            bitmap_position(U256::MAX),
            (U256::MAX >> 8, U256::from(1) << 255)
        );
    }

    #[test]
    fn claims_are_open_strictly_before_the_deadline() {
        assert!(claims_open(99, 100));
        assert!(!claims_open(100, 100));
        assert!(!claims_open(101, 100));
        assert_eq!(DEFAULT_CLAIM_WINDOW, 3_888_000);
    }
}
