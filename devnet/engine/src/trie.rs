//! A Merkle-Patricia trie held in memory, each node's reference (its RLP when shorter than 32
//! bytes, else the keccak of it) memoized: setting a key re-hashes only the nodes on its path,
//! so an account's storage root after a transaction costs the slots it changed times the
//! trie's depth, not a pass over all its slots. Keys are 32-byte hashes (every path has 64
//! nibbles), so no value ever sits in a branch. The encodings are alloy-trie's node types; the
//! tests hold the root against alloy-trie's `HashBuilder` over random insert/remove sequences.

use alloy_primitives::{keccak256, B256};
use alloy_trie::nodes::{BranchNodeRef, ExtensionNodeRef, LeafNodeRef, RlpNode};
use alloy_trie::{Nibbles, TrieMask, EMPTY_ROOT_HASH};

/// The trie: empty, or a root node.
#[derive(Clone, Debug, Default)]
pub struct Trie {
    root: Option<Box<Node>>,
}

#[derive(Clone, Debug)]
struct Node {
    kind: Kind,
    /// The node's reference as its parent embeds it; None until computed or after a change below.
    reference: Option<RlpNode>,
}

#[derive(Clone, Debug)]
enum Kind {
    /// The rest of the key, and the value's bytes.
    Leaf {
        key: Nibbles,
        value: Vec<u8>,
    },
    /// A shared stretch of key, then a branch.
    Extension {
        key: Nibbles,
        child: Box<Node>,
    },
    Branch {
        children: [Option<Box<Node>>; 16],
    },
}

fn node(kind: Kind) -> Box<Node> {
    Box::new(Node {
        kind,
        reference: None,
    })
}

fn leaf(key: Nibbles, value: Vec<u8>) -> Box<Node> {
    node(Kind::Leaf { key, value })
}

/// `key` ahead of a node's own key: a leaf or an extension absorbs it, a branch gets an
/// extension above it (what a branch left with one child, or an extension over one, becomes).
fn prefixed(key: Nibbles, n: Box<Node>) -> Box<Node> {
    if key.is_empty() {
        return n;
    }
    match n.kind {
        Kind::Leaf { key: rest, value } => leaf(key.join(&rest), value),
        Kind::Extension { key: rest, child } => node(Kind::Extension {
            key: key.join(&rest),
            child,
        }),
        kind @ Kind::Branch { .. } => node(Kind::Extension {
            key,
            child: Box::new(Node {
                kind,
                reference: n.reference,
            }),
        }),
    }
}

/// A branch holding two subtrees at distinct nibbles.
fn branch2(a: (u8, Box<Node>), b: (u8, Box<Node>)) -> Box<Node> {
    let mut children: [Option<Box<Node>>; 16] = Default::default();
    children[a.0 as usize] = Some(a.1);
    children[b.0 as usize] = Some(b.1);
    node(Kind::Branch { children })
}

fn insert(n: Option<Box<Node>>, path: Nibbles, value: Vec<u8>) -> Box<Node> {
    let Some(mut n) = n else {
        return leaf(path, value);
    };
    n.reference = None;
    match n.kind {
        Kind::Leaf { key, value: old } => {
            if key == path {
                return leaf(path, value);
            }
            // Same length, different: they part at `common`, each with a nibble there.
            let common = key.common_prefix_length(&path);
            let split = branch2(
                (
                    key.get_unchecked(common),
                    leaf(key.slice(common + 1..), old),
                ),
                (
                    path.get_unchecked(common),
                    leaf(path.slice(common + 1..), value),
                ),
            );
            prefixed(path.slice(..common), split)
        }
        Kind::Extension { key, child } => {
            let common = key.common_prefix_length(&path);
            if common == key.len() {
                let child = insert(Some(child), path.slice(common..), value);
                return node(Kind::Extension { key, child });
            }
            let below = prefixed(key.slice(common + 1..), child);
            let split = branch2(
                (key.get_unchecked(common), below),
                (
                    path.get_unchecked(common),
                    leaf(path.slice(common + 1..), value),
                ),
            );
            prefixed(path.slice(..common), split)
        }
        Kind::Branch { mut children } => {
            let i = path.get_unchecked(0) as usize;
            children[i] = Some(insert(children[i].take(), path.slice(1..), value));
            node(Kind::Branch { children })
        }
    }
}

/// Removes `path`; None when nothing is left. Keeps the trie canonical: no branch with one
/// child, no extension over anything but a branch.
fn remove(n: Node, path: Nibbles) -> Option<Box<Node>> {
    let Node { kind, reference } = n;
    let unchanged = |kind| Some(Box::new(Node { kind, reference }));
    match kind {
        Kind::Leaf { key, value } if key != path => unchanged(Kind::Leaf { key, value }),
        Kind::Leaf { .. } => None,
        Kind::Extension { key, child } if !path.starts_with(&key) => {
            unchanged(Kind::Extension { key, child })
        }
        Kind::Extension { key, child } => {
            let child = remove(*child, path.slice(key.len()..))?;
            Some(prefixed(key, child))
        }
        Kind::Branch { mut children } => {
            let i = path.get_unchecked(0) as usize;
            let Some(child) = children[i].take() else {
                return unchanged(Kind::Branch { children });
            };
            children[i] = remove(*child, path.slice(1..));
            let mut present = children.iter().enumerate().filter(|(_, c)| c.is_some());
            match (present.next(), present.next()) {
                (None, _) => None,
                (Some((only, _)), None) => {
                    let child = children[only].take()?;
                    Some(prefixed(Nibbles::from_nibbles([only as u8]), child))
                }
                _ => Some(node(Kind::Branch { children })),
            }
        }
    }
}

impl Node {
    /// The node's reference, computing (and memoizing) what changed below it.
    fn reference(&mut self, buf: &mut Vec<u8>) -> RlpNode {
        if let Some(r) = &self.reference {
            return r.clone();
        }
        let r = match &mut self.kind {
            Kind::Leaf { key, value } => {
                buf.clear();
                LeafNodeRef::new(key, value).rlp(buf)
            }
            Kind::Extension { key, child } => {
                let child = child.reference(buf);
                buf.clear();
                ExtensionNodeRef::new(key, &child).rlp(buf)
            }
            Kind::Branch { children } => {
                let mut mask = TrieMask::default();
                let mut stack = Vec::with_capacity(16);
                for (i, c) in children.iter_mut().enumerate() {
                    if let Some(c) = c {
                        mask.set_bit(i as u8);
                        stack.push(c.reference(buf));
                    }
                }
                buf.clear();
                BranchNodeRef::new(&stack, mask).rlp(buf)
            }
        };
        self.reference = Some(r.clone());
        r
    }
}

impl Trie {
    /// Sets `key` to `value`; an empty value removes the key (a zero slot is not in the trie).
    pub fn set(&mut self, key: B256, value: Vec<u8>) {
        let path = Nibbles::unpack(key);
        self.root = match self.root.take() {
            root if !value.is_empty() => Some(insert(root, path, value)),
            Some(root) => remove(*root, path),
            None => None,
        };
    }

    /// The root hash (the empty trie's for an empty trie).
    pub fn root(&mut self) -> B256 {
        let Some(root) = &mut self.root else {
            return EMPTY_ROOT_HASH;
        };
        let r = root.reference(&mut Vec::with_capacity(600));
        r.as_hash().unwrap_or_else(|| keccak256(r.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_trie::HashBuilder;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn reference_root(map: &BTreeMap<B256, Vec<u8>>) -> B256 {
        let mut hb = HashBuilder::default();
        for (k, v) in map {
            hb.add_leaf(Nibbles::unpack(k), v);
        }
        hb.root()
    }

    /// Keys drawn from a small set of hashes that share prefixes with each other (so splits,
    /// extensions and collapses all happen), values short (inline nodes) or long (hashed).
    fn key(i: u8) -> B256 {
        let mut k = keccak256([i % 7]);
        k[1] = i; // distinct keys agreeing on their first nibbles
        k[31] ^= i >> 4;
        k
    }

    proptest! {
        #[test]
        fn root_matches_alloys_hash_builder(ops in prop::collection::vec((any::<u8>(), 0usize..40), 1..120)) {
            let mut trie = Trie::default();
            let mut map = BTreeMap::new();
            for (i, (k, len)) in ops.into_iter().enumerate() {
                let value = vec![k ^ i as u8; len % 40];
                trie.set(key(k), value.clone());
                if value.is_empty() {
                    map.remove(&key(k));
                } else {
                    map.insert(key(k), value);
                }
                if i % 5 == 0 {
                    prop_assert_eq!(trie.root(), reference_root(&map));
                }
            }
            prop_assert_eq!(trie.root(), reference_root(&map));
        }
    }

    #[test]
    fn empty_single_and_back_to_empty() {
        let mut t = Trie::default();
        assert_eq!(t.root(), EMPTY_ROOT_HASH);
        t.set(B256::repeat_byte(1), vec![0x2a]);
        let one = BTreeMap::from([(B256::repeat_byte(1), vec![0x2a])]);
        assert_eq!(t.root(), reference_root(&one));
        t.set(B256::repeat_byte(2), vec![]);
        assert_eq!(
            t.root(),
            reference_root(&one),
            "removing an absent key changes nothing"
        );
        t.set(B256::repeat_byte(1), vec![]);
        assert_eq!(t.root(), EMPTY_ROOT_HASH);
    }
}
