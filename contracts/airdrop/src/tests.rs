//! Unit tests of the airdrop against the real VVV token and burn treasury (motsu).
use alloc::vec;

use alloy_primitives::{b256, uint, Address, U256};
use alloy_sol_types::SolError;
use burn_treasury::{BalanceBurned, BurnTreasury};
use diem_minter::DiemMinter;
use emission_controller::EmissionController;
use motsu::prelude::*;
use openzeppelin_stylus::{token::erc20::ERC20InsufficientBalance, utils::pausable::EnforcedPause};
use proptest::prelude::*;
use staking_vault::StakingVault;
use vvv_test_support::assert_revert;
use vvv_token::{VvvToken, GENESIS_SUPPLY};

use super::*;
use vvv_common::airdrop::{hash_pair, leaf, verify};

const WAD: U256 = uint!(1_000_000_000_000_000_000_U256);

fn vvv(n: u64) -> U256 {
    U256::from(n) * WAD
}

/// One airdrop allocation: `(index, account, amount)`.
type Allocation = (U256, Address, U256);

/// Builds the tree exactly as OpenZeppelin's `StandardMerkleTree.of(values, ["uint256",
/// "address", "uint256"])` does (leaves sorted by hash, laid out as a complete binary tree in
/// an array, `tree[len - 1 - i] = sorted[i]`, node `i` = hashPair(2i + 1, 2i + 2)), and
/// returns the root and each value's proof (in the order of `values`).
fn standard_tree(values: &[Allocation]) -> (B256, Vec<Vec<B256>>) {
    let hashes: Vec<B256> = values.iter().map(|&(i, a, v)| leaf(i, a, v)).collect();
    let mut sorted = hashes.clone();
    sorted.sort();
    let n = sorted.len();
    let len = 2 * n - 1;
    let mut tree = vec![B256::ZERO; len];
    for (i, l) in sorted.iter().enumerate() {
        tree[len - 1 - i] = *l;
    }
    for i in (0..len - n).rev() {
        tree[i] = hash_pair(tree[2 * i + 1], tree[2 * i + 2]);
    }
    let proofs = hashes
        .iter()
        .map(|h| {
            let mut j = len - 1 - sorted.iter().position(|x| x == h).unwrap();
            let mut proof = Vec::new();
            while j > 0 {
                let sibling = if j % 2 == 1 { j + 1 } else { j - 1 };
                proof.push(tree[sibling]);
                j = (j - 1) / 2;
            }
            proof
        })
        .collect();
    (tree[0], proofs)
}

/// Fixed vector computed independently in Python (pycryptodome), OpenZeppelin
/// `StandardMerkleTree` rules, values `[(0, 0x11…11, 100e18), (1, 0x22…22, 250e18),
/// (2, 0x33…33, 1)]`:
/// ```text
/// from Crypto.Hash import keccak; k = lambda b: keccak.new(digest_bits=256, data=b).digest()
/// leaf = lambda i, a, v: k(k(i.to_bytes(32,'big') + bytes(12) + bytes.fromhex(a) + v.to_bytes(32,'big')))
/// hp = lambda a, b: k(min(a, b) + max(a, b))
/// L = sorted(leaf(*v) for v in vals); t = [None]*(2*len(L)-1)
/// for i, l in enumerate(L): t[len(t)-1-i] = l
/// for i in range(len(t)-1-len(L), -1, -1): t[i] = hp(t[2*i+1], t[2*i+2])
/// # proof of tree position j: while j > 0: p.append(t[j+1 if j % 2 else j-1]); j = (j-1)//2
/// ```
mod vector {
    use super::*;

    pub const ROOT: B256 =
        b256!("6957b387d387eaf24d7e73056ea446419f4a393ed5c7515f8d62b2c7d2fab376");
    pub const LEAF0: B256 =
        b256!("0af33d4b4d9a982dc328aa42f7cb6a2cc5ea66a017e900622bf25011cc4d69c8");
    pub const LEAF1: B256 =
        b256!("a84f421c66d057376df5f5211c3a23c04d7254fefec17c9fb862d2083d1c4b91");
    pub const LEAF2: B256 =
        b256!("864aeed7b0b2280614a993529f60f945f555003ed8815ba2510661db9138c4e0");
    pub const NODE01: B256 =
        b256!("e9f794c278d9607c6523f6ac2f0022e32d63c4a33e684c181bd4aa7a19037b98");

    pub fn values() -> [Allocation; 3] {
        [
            (U256::from(0), Address::repeat_byte(0x11), vvv(100)),
            (U256::from(1), Address::repeat_byte(0x22), vvv(250)),
            (U256::from(2), Address::repeat_byte(0x33), U256::from(1)),
        ]
    }
}

#[test]
fn merkle_matches_the_python_vector() {
    let [v0, v1, v2] = vector::values();
    assert_eq!(leaf(v0.0, v0.1, v0.2), vector::LEAF0);
    assert_eq!(leaf(v1.0, v1.1, v1.2), vector::LEAF1);
    assert_eq!(leaf(v2.0, v2.1, v2.2), vector::LEAF2);
    assert!(verify(
        &[vector::LEAF2, vector::LEAF1],
        vector::ROOT,
        vector::LEAF0
    ));
    assert!(verify(&[vector::NODE01], vector::ROOT, vector::LEAF1));
    assert!(verify(
        &[vector::LEAF0, vector::LEAF1],
        vector::ROOT,
        vector::LEAF2
    ));
    assert!(!verify(&[vector::LEAF2], vector::ROOT, vector::LEAF0));
    // The test tree builder agrees with Python.
    let (root, proofs) = standard_tree(&vector::values());
    assert_eq!(root, vector::ROOT);
    assert_eq!(proofs[0], vec![vector::LEAF2, vector::LEAF1]);
    assert_eq!(proofs[1], vec![vector::NODE01]);
    assert_eq!(proofs[2], vec![vector::LEAF0, vector::LEAF1]);
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    /// Every leaf of an OpenZeppelin-style tree of any size verifies with its own proof, and
    /// not with another leaf's values.
    #[test]
    fn merkle_proofs_of_every_size_verify(
        amounts in proptest::collection::vec(1u64..u64::MAX, 1..40),
        seed in any::<u8>(),
    ) {
        let values: Vec<Allocation> = amounts
            .iter()
            .enumerate()
            .map(|(i, &a)| (U256::from(i), Address::repeat_byte(seed ^ i as u8), U256::from(a)))
            .collect();
        let (root, proofs) = standard_tree(&values);
        for (&(i, a, v), proof) in values.iter().zip(&proofs) {
            prop_assert!(verify(proof, root, leaf(i, a, v)));
            prop_assert!(!verify(proof, root, leaf(i, a, v + U256::from(1))));
        }
    }
}

/// Everything a contract test needs.
struct World<'a> {
    token: &'a Contract<VvvToken>,
    airdrop: &'a Contract<Airdrop>,
    holder: Address,
    values: Vec<Allocation>,
    proofs: Vec<Vec<B256>>,
    deadline: u64,
}

impl World<'_> {
    fn balance(&self, account: Address) -> U256 {
        self.token.sender(self.holder).balance_of(account)
    }

    /// `claim` (or `claimAndStake`) of allocation `k` with its own proof, by `caller`, at `now`.
    fn claim(&self, caller: Address, k: usize, stake: bool, now: u64) -> Result<(), Error> {
        let (i, a, v) = self.values[k];
        self.airdrop
            .sender(caller)
            .claim_at(i, a, v, self.proofs[k].clone(), stake, now)
            .motsu_res()
    }
}

const WINDOW: u64 = DEFAULT_CLAIM_WINDOW;

/// Deploys the token (100M to `holder`), the treasury and the airdrop for `accounts` (index
/// `k`, `(k + 1) × 100` VVV), with `vault`, and funds the airdrop with the exact total.
fn deploy<'a>(
    token: &'a Contract<VvvToken>,
    treasury: &'a Contract<BurnTreasury>,
    airdrop: &'a Contract<Airdrop>,
    holder: Address,
    accounts: &[Address],
    vault: Address,
) -> World<'a> {
    token
        .sender(holder)
        .constructor(holder, vec![holder], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    treasury
        .sender(holder)
        .constructor(token.address(), holder)
        .motsu_unwrap();
    let values: Vec<Allocation> = accounts
        .iter()
        .enumerate()
        .map(|(k, &a)| (U256::from(k), a, vvv(100 * (k as u64 + 1))))
        .collect();
    let (root, proofs) = standard_tree(&values);
    airdrop
        .sender(holder)
        .constructor(token.address(), treasury.address(), vault, root, WINDOW)
        .motsu_unwrap();
    let total = values.iter().fold(U256::ZERO, |s, v| s + v.2);
    token
        .sender(holder)
        .transfer(airdrop.address(), total)
        .motsu_unwrap();
    let deadline = airdrop.sender(holder).deadline();
    World {
        token,
        airdrop,
        holder,
        values,
        proofs,
        deadline,
    }
}

#[motsu::test]
fn constructor_fixes_the_wiring_and_the_deadline(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    deployer: Address,
    vault: Address,
) {
    let root = vector::ROOT;
    airdrop
        .sender(deployer)
        .constructor(token.address(), treasury.address(), vault, root, WINDOW)
        .motsu_unwrap();
    let a = airdrop.sender(deployer);
    let now = block::timestamp();
    assert_eq!(a.deadline(), now + WINDOW);
    assert_eq!(a.merkle_root(), root);
    assert_eq!(a.vvv(), token.address());
    assert_eq!(a.treasury(), treasury.address());
    assert_eq!(a.vault(), vault);
    assert_eq!(a.total_claimed(), U256::ZERO);
    assert_eq!(a.total_swept(), U256::ZERO);
    assert!(!a.is_claimed(U256::ZERO));
    airdrop.assert_emitted(&AirdropCreated {
        vvv: token.address(),
        treasury: treasury.address(),
        vault,
        merkleRoot: root,
        deadline: now + WINDOW,
    });
}

#[motsu::test]
fn constructor_accepts_no_vault(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    deployer: Address,
) {
    airdrop
        .sender(deployer)
        .init_at(
            token.address(),
            treasury.address(),
            Address::ZERO,
            vector::ROOT,
            1,
            1_000,
        )
        .motsu_unwrap();
    assert_eq!(airdrop.sender(deployer).vault(), Address::ZERO);
    assert_eq!(airdrop.sender(deployer).deadline(), 1_001);
}

#[motsu::test]
fn constructor_rejects_bad_wiring(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    deployer: Address,
    vault: Address,
) {
    let (t, r) = (token.address(), treasury.address());
    let root = vector::ROOT;
    assert_revert!(
        airdrop
            .sender(deployer)
            .constructor(Address::ZERO, r, vault, root, WINDOW),
        Error::ZeroAddress(ZeroAddress {})
    );
    assert_revert!(
        airdrop
            .sender(deployer)
            .constructor(t, Address::ZERO, vault, root, WINDOW),
        Error::ZeroAddress(ZeroAddress {})
    );
    assert_revert!(
        airdrop
            .sender(deployer)
            .constructor(t, r, vault, B256::ZERO, WINDOW),
        Error::InvalidMerkleRoot(InvalidMerkleRoot {})
    );
    assert_revert!(
        airdrop.sender(deployer).constructor(t, r, vault, root, 0),
        Error::InvalidClaimWindow(InvalidClaimWindow { window: 0 })
    );
    assert_revert!(
        airdrop
            .sender(deployer)
            .constructor(t, r, vault, root, u64::MAX),
        Error::InvalidClaimWindow(InvalidClaimWindow { window: u64::MAX })
    );
    assert_eq!(airdrop.sender(deployer).vvv(), Address::ZERO);
}

#[motsu::test]
fn claim_sends_vvv_to_the_account_whoever_submits(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    bob: Address,
    relayer: Address,
) {
    let w = deploy(
        &token,
        &treasury,
        &airdrop,
        holder,
        &[alice, bob],
        Address::ZERO,
    );
    // Submitted by a relayer, paid to alice; through the public entry point (motsu's clock
    // is the deployment time, well before the deadline).
    let (i, a, v) = w.values[0];
    airdrop
        .sender(relayer)
        .claim(i, a, v, w.proofs[0].clone())
        .motsu_unwrap();
    assert_eq!(w.balance(alice), vvv(100));
    assert_eq!(w.balance(relayer), U256::ZERO);
    assert_eq!(w.balance(airdrop.address()), vvv(200));
    airdrop.assert_emitted(&Claimed {
        index: U256::ZERO,
        account: alice,
        amount: vvv(100),
        staked: false,
    });
    // bob claims himself, one second before the deadline.
    w.claim(bob, 1, false, w.deadline - 1).motsu_unwrap();
    assert_eq!(w.balance(bob), vvv(200));
    let a = airdrop.sender(bob);
    assert!(a.is_claimed(U256::ZERO) && a.is_claimed(U256::from(1)));
    assert!(!a.is_claimed(U256::from(2)));
    assert_eq!(a.total_claimed(), vvv(300));
    assert_eq!(w.balance(airdrop.address()), U256::ZERO);
}

#[motsu::test]
fn claim_twice_reverts(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    bob: Address,
) {
    let w = deploy(
        &token,
        &treasury,
        &airdrop,
        holder,
        &[alice, bob],
        Address::ZERO,
    );
    let now = w.deadline - WINDOW;
    w.claim(alice, 0, false, now).motsu_unwrap();
    let err = w.claim(bob, 0, false, now + 1).unwrap_err();
    assert_eq!(
        match err {
            Error::AlreadyClaimed(e) => e,
            other => panic!("{other:?}"),
        },
        AlreadyClaimed { index: U256::ZERO }
    );
    assert_eq!(w.balance(alice), vvv(100));
    assert_eq!(airdrop.sender(alice).total_claimed(), vvv(100));
}

#[motsu::test]
fn claim_at_or_after_the_deadline_reverts(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
) {
    let w = deploy(&token, &treasury, &airdrop, holder, &[alice], Address::ZERO);
    for now in [w.deadline, w.deadline + 1, u64::MAX] {
        for stake in [false, true] {
            let err = w.claim(alice, 0, stake, now).unwrap_err();
            assert!(
                matches!(err, Error::ClaimWindowClosed(ClaimWindowClosed { deadline }) if deadline == w.deadline)
            );
        }
    }
    assert!(!airdrop.sender(alice).is_claimed(U256::ZERO));
    assert_eq!(w.balance(alice), U256::ZERO);
}

#[motsu::test]
fn claim_with_a_bad_proof_reverts(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    bob: Address,
    carol: Address,
    dave: Address,
    mallory: Address,
) {
    let w = deploy(
        &token,
        &treasury,
        &airdrop,
        holder,
        &[alice, bob, carol, dave],
        Address::ZERO,
    );
    let now = w.deadline - 1;
    let (i, a, v) = w.values[2];
    let proof = w.proofs[2].clone();
    assert!(proof.len() >= 2);
    let mut extended = proof.clone();
    extended.push(vector::ROOT);
    let attempts: Vec<(U256, Address, U256, Vec<B256>)> = vec![
        (i, a, v + U256::from(1), proof.clone()),     // wrong amount
        (i, a, v - U256::from(1), proof.clone()),     // wrong amount
        (i, mallory, v, proof.clone()),               // wrong account
        (U256::from(3), a, v, proof.clone()),         // wrong index
        (i, a, v, proof[..proof.len() - 1].to_vec()), // truncated proof
        (i, a, v, Vec::new()),                        // empty proof
        (i, a, v, extended),                          // extra element
        (i, a, v, w.proofs[1].clone()),               // someone else's proof
    ];
    for (i, a, v, p) in attempts {
        for (caller, stake) in [(mallory, false), (a, false)] {
            assert_revert!(
                airdrop
                    .sender(caller)
                    .claim_at(i, a, v, p.clone(), stake, now),
                Error::InvalidProof(InvalidProof {})
            );
        }
    }
    for k in 0..4 {
        assert!(!airdrop.sender(alice).is_claimed(U256::from(k)));
    }
    assert_eq!(airdrop.sender(alice).total_claimed(), U256::ZERO);
    assert_eq!(w.balance(airdrop.address()), vvv(1_000));
}

#[motsu::test]
fn claim_from_an_underfunded_airdrop_forwards_the_token_error(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    bob: Address,
) {
    token
        .sender(holder)
        .constructor(holder, vec![holder], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    let values = [
        (U256::ZERO, alice, vvv(100)),
        (U256::from(1), bob, vvv(200)),
    ];
    let (root, proofs) = standard_tree(&values);
    airdrop
        .sender(holder)
        .constructor(
            token.address(),
            treasury.address(),
            Address::ZERO,
            root,
            WINDOW,
        )
        .motsu_unwrap();
    // Funded with 150 of the 300 it owes: bob's 200 cannot be paid.
    token
        .sender(holder)
        .transfer(airdrop.address(), vvv(150))
        .motsu_unwrap();
    let (i, a, v) = values[1];
    let reason = ERC20InsufficientBalance {
        sender: airdrop.address(),
        balance: vvv(150),
        needed: vvv(200),
    }
    .abi_encode();
    assert_revert!(
        airdrop.sender(bob).claim(i, a, v, proofs[1].clone()),
        Error::CallFailed(CallFailed {
            target: token.address(),
            reason: reason.into(),
        })
    );
    // Reverted as a whole: the index is still claimable.
    assert!(!airdrop.sender(bob).is_claimed(U256::from(1)));
    assert_eq!(airdrop.sender(bob).total_claimed(), U256::ZERO);
    // alice's 100 can still be paid.
    let (i, a, v) = values[0];
    airdrop
        .sender(alice)
        .claim(i, a, v, proofs[0].clone())
        .motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), vvv(100));
}

#[motsu::test]
fn claim_and_stake_without_a_vault_reverts(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
) {
    let w = deploy(&token, &treasury, &airdrop, holder, &[alice], Address::ZERO);
    let (i, a, v) = w.values[0];
    assert_revert!(
        airdrop
            .sender(alice)
            .claim_and_stake(i, a, v, w.proofs[0].clone()),
        Error::StakingUnavailable(StakingUnavailable {})
    );
    assert!(!airdrop.sender(alice).is_claimed(U256::ZERO));
    // The plain claim still works.
    w.claim(alice, 0, false, w.deadline - 1).motsu_unwrap();
    assert_eq!(w.balance(alice), vvv(100));
}

#[motsu::test]
fn claim_and_stake_is_only_for_the_account_itself(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    mallory: Address,
    vault: Address,
) {
    let w = deploy(&token, &treasury, &airdrop, holder, &[alice], vault);
    let err = w.claim(mallory, 0, true, w.deadline - 1).unwrap_err();
    assert_eq!(
        match err {
            Error::NotClaimant(e) => e,
            other => panic!("{other:?}"),
        },
        NotClaimant {
            caller: mallory,
            account: alice
        }
    );
    assert!(!airdrop.sender(alice).is_claimed(U256::ZERO));
}

#[motsu::test]
fn claim_and_stake_stakes_into_the_real_vault(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    vault: Contract<StakingVault>,
    holder: Address,
    alice: Address,
    bob: Address,
) {
    vault
        .sender(holder)
        .constructor(token.address(), holder, holder)
        .motsu_unwrap();
    let _links = wire_vault(&vault, token.address(), holder);
    let w = deploy(
        &token,
        &treasury,
        &airdrop,
        holder,
        &[alice, bob],
        vault.address(),
    );
    // Through the public entry point, by the account itself.
    let (i, a, v) = w.values[0];
    airdrop
        .sender(alice)
        .claim_and_stake(i, a, v, w.proofs[0].clone())
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).balance_of(alice), vvv(100));
    assert_eq!(vault.sender(alice).unlocked_of(alice), vvv(100));
    assert_eq!(vault.sender(alice).total_supply(), vvv(100));
    assert_eq!(w.balance(alice), U256::ZERO);
    assert_eq!(w.balance(vault.address()), vvv(100));
    assert_eq!(w.balance(airdrop.address()), vvv(200));
    // The vault spent exactly the approval.
    assert_eq!(
        token
            .sender(alice)
            .allowance(airdrop.address(), vault.address()),
        U256::ZERO
    );
    assert!(airdrop.sender(alice).is_claimed(U256::ZERO));
    assert_eq!(airdrop.sender(alice).total_claimed(), vvv(100));
    airdrop.assert_emitted(&Claimed {
        index: U256::ZERO,
        account: alice,
        amount: vvv(100),
        staked: true,
    });
    // Staked once: neither a second stake nor a plain claim of the same index.
    for stake in [true, false] {
        let err = w.claim(alice, 0, stake, w.deadline - 1).unwrap_err();
        assert!(matches!(err, Error::AlreadyClaimed(AlreadyClaimed { index }) if index.is_zero()));
    }
    // Just before the deadline still works; bob stakes too.
    w.claim(bob, 1, true, w.deadline - 1).motsu_unwrap();
    assert_eq!(vault.sender(bob).balance_of(bob), vvv(200));
    assert_eq!(vault.sender(bob).total_supply(), vvv(300));
}

#[motsu::test]
fn claim_and_stake_while_the_vault_is_paused_forwards_its_error(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    vault: Contract<StakingVault>,
    holder: Address,
    alice: Address,
) {
    vault
        .sender(holder)
        .constructor(token.address(), holder, holder)
        .motsu_unwrap();
    let _links = wire_vault(&vault, token.address(), holder);
    let w = deploy(
        &token,
        &treasury,
        &airdrop,
        holder,
        &[alice],
        vault.address(),
    );
    vault.sender(holder).pause().motsu_unwrap();
    let err = w.claim(alice, 0, true, w.deadline - 1).unwrap_err();
    let Error::CallFailed(CallFailed { target, reason }) = err else {
        panic!("expected CallFailed, got {err:?}");
    };
    assert_eq!(target, vault.address());
    assert_eq!(reason.to_vec(), EnforcedPause {}.abi_encode());
    assert!(!airdrop.sender(alice).is_claimed(U256::ZERO));
    assert_eq!(
        token
            .sender(alice)
            .allowance(airdrop.address(), vault.address()),
        U256::ZERO
    );
    // A plain claim is always available.
    w.claim(alice, 0, false, w.deadline - 1).motsu_unwrap();
    assert_eq!(w.balance(alice), vvv(100));
}

#[motsu::test]
fn sweep_before_the_deadline_reverts(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    keeper: Address,
) {
    let w = deploy(&token, &treasury, &airdrop, holder, &[alice], Address::ZERO);
    // Through the public entry point (motsu's clock = deployment time) and just before.
    assert_revert!(
        airdrop.sender(keeper).sweep(),
        matches Error::ClaimWindowOpen(ClaimWindowOpen { deadline }) if deadline == w.deadline
    );
    assert_revert!(
        airdrop.sender(keeper).sweep_at(w.deadline - 1),
        Error::ClaimWindowOpen(ClaimWindowOpen {
            deadline: w.deadline
        })
    );
    assert_eq!(w.balance(airdrop.address()), vvv(100));
}

#[motsu::test]
fn sweep_burns_the_rest_through_the_treasury(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    bob: Address,
    carol: Address,
    keeper: Address,
) {
    let w = deploy(
        &token,
        &treasury,
        &airdrop,
        holder,
        &[alice, bob, carol],
        Address::ZERO,
    );
    w.claim(alice, 0, false, w.deadline - 10).motsu_unwrap();
    // 100 claimed of 600: 500 left. A stray 7 VVV sent to the treasury burns along.
    token
        .sender(holder)
        .transfer(treasury.address(), vvv(7))
        .motsu_unwrap();
    airdrop.sender(keeper).sweep_at(w.deadline).motsu_unwrap();
    assert_eq!(w.balance(airdrop.address()), U256::ZERO);
    assert_eq!(w.balance(treasury.address()), U256::ZERO);
    assert_eq!(token.sender(keeper).total_burned(), vvv(507));
    assert_eq!(
        token.sender(keeper).total_supply(),
        GENESIS_SUPPLY - vvv(507)
    );
    assert_eq!(treasury.sender(keeper).total_burned(), vvv(507));
    let a = airdrop.sender(keeper);
    assert_eq!(a.total_swept(), vvv(500));
    assert_eq!(a.total_claimed(), vvv(100));
    airdrop.assert_emitted(&Swept { amount: vvv(500) });
    // The treasury booked it as a balance burn called by the airdrop.
    treasury.assert_emitted(&BalanceBurned {
        caller: airdrop.address(),
        amount: vvv(507),
    });
    // Claims stay closed after the sweep.
    let err = w.claim(bob, 1, false, w.deadline + 1).unwrap_err();
    assert!(matches!(err, Error::ClaimWindowClosed(_)));
}

#[motsu::test]
fn sweep_with_nothing_left_reverts_and_later_deposits_can_be_swept(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    airdrop: Contract<Airdrop>,
    holder: Address,
    alice: Address,
    keeper: Address,
) {
    let w = deploy(&token, &treasury, &airdrop, holder, &[alice], Address::ZERO);
    w.claim(alice, 0, false, w.deadline - 1).motsu_unwrap();
    assert_revert!(
        airdrop.sender(keeper).sweep_at(w.deadline + 1),
        Error::NothingToSweep(NothingToSweep {})
    );
    // VVV sent after the deadline is swept (and burned) too.
    token
        .sender(holder)
        .transfer(airdrop.address(), vvv(3))
        .motsu_unwrap();
    airdrop
        .sender(keeper)
        .sweep_at(w.deadline + 2)
        .motsu_unwrap();
    assert_eq!(airdrop.sender(keeper).total_swept(), vvv(3));
    assert_eq!(token.sender(keeper).total_burned(), vvv(3));
    assert_revert!(
        airdrop.sender(keeper).sweep_at(w.deadline + 3),
        Error::NothingToSweep(NothingToSweep {})
    );
}

/// A random set of indices (small, large, neighbours in one bitmap word and across words):
/// each is claimed exactly once, a second claim reverts `AlreadyClaimed`, and claiming never
/// marks any other index (members not yet claimed, nor their neighbours).
#[motsu::test]
fn bitmap_claims_each_index_once(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
) {
    token
        .sender(holder)
        .constructor(holder, vec![holder], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    let index = prop_oneof![
        (0u64..1_024).prop_map(U256::from),
        any::<u64>().prop_map(U256::from),
        any::<[u64; 4]>().prop_map(U256::from_limbs),
    ];
    let indices = proptest::collection::btree_set(index, 1..24);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::default());
    runner
        .run(&(indices, any::<u64>()), |(indices, order_seed)| {
            let airdrop = Contract::<Airdrop>::new();
            let values: Vec<Allocation> = indices
                .iter()
                .enumerate()
                .map(|(k, &i)| (i, Address::repeat_byte(k as u8 + 1), U256::from(k + 1)))
                .collect();
            let (root, proofs) = standard_tree(&values);
            airdrop
                .sender(holder)
                .constructor(
                    token.address(),
                    treasury.address(),
                    Address::ZERO,
                    root,
                    WINDOW,
                )
                .motsu_unwrap();
            let total = values.iter().fold(U256::ZERO, |s, v| s + v.2);
            token
                .sender(holder)
                .transfer(airdrop.address(), total)
                .motsu_unwrap();
            let now = airdrop.sender(holder).deadline() - 1;
            // Claim in a shuffled order.
            let mut order: Vec<usize> = (0..values.len()).collect();
            let mut s = order_seed;
            for k in (1..order.len()).rev() {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                order.swap(k, (s >> 33) as usize % (k + 1));
            }
            let neighbours = |i: U256| [i.checked_sub(U256::from(1)), i.checked_add(U256::from(1))];
            let mut claimed = std::collections::BTreeSet::new();
            for &k in &order {
                let (i, a, v) = values[k];
                prop_assert!(!airdrop.sender(holder).is_claimed(i));
                airdrop
                    .sender(holder)
                    .claim_at(i, a, v, proofs[k].clone(), false, now)
                    .motsu_unwrap();
                claimed.insert(i);
                let err = airdrop
                    .sender(holder)
                    .claim_at(i, a, v, proofs[k].clone(), false, now)
                    .motsu_unwrap_err();
                let already =
                    matches!(err, Error::AlreadyClaimed(AlreadyClaimed { index }) if index == i);
                prop_assert!(already);
                for &j in &indices {
                    prop_assert_eq!(airdrop.sender(holder).is_claimed(j), claimed.contains(&j));
                    for n in neighbours(j).into_iter().flatten() {
                        if !indices.contains(&n) {
                            prop_assert!(!airdrop.sender(holder).is_claimed(n));
                        }
                    }
                }
            }
            prop_assert_eq!(airdrop.sender(holder).total_claimed(), total);
            prop_assert_eq!(
                token.sender(holder).balance_of(airdrop.address()),
                U256::ZERO
            );
            Ok(())
        })
        .unwrap();
}

/// Wires `vault` (deployer `holder`) to a real emission controller and DIEM minter built for
/// it, as a deployment does: staking opens only then. Keep the result alive for the test.
fn wire_vault(
    vault: &Contract<StakingVault>,
    vvv: Address,
    holder: Address,
) -> (Contract<EmissionController>, Contract<DiemMinter>) {
    let (controller, minter) = (
        Contract::<EmissionController>::new(),
        Contract::<DiemMinter>::new(),
    );
    controller
        .sender(holder)
        .constructor(
            vvv,
            vault.address(),
            holder,
            holder,
            U256::ZERO,
            1_735_689_600,
        )
        .motsu_unwrap();
    minter
        .sender(holder)
        .constructor(
            vault.address(),
            holder,
            holder,
            vvv_common::diem::DEFAULT_BASE,
        )
        .motsu_unwrap();
    vault
        .sender(holder)
        .set_rewards_distributor(controller.address())
        .motsu_unwrap();
    vault
        .sender(holder)
        .set_locker(minter.address())
        .motsu_unwrap();
    (controller, minter)
}
