//! Pre-funded development accounts.

use alloy_primitives::{hex, keccak256, Address, Signature, B256};
use k256::ecdsa::SigningKey;

/// The development key `nitro-devnode` funds (its address is
/// `0x3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E`).
pub const NITRO_DEV_KEY: &str =
    "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";

/// The ten well-known keys anvil and hardhat fund (mnemonic "test test … junk"), so tools and
/// habits from those devnets carry over.
pub const TEST_KEYS: [&str; 10] = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];

/// A funded account whose key the devnet holds (it signs `eth_sendTransaction` for it).
#[derive(Clone)]
pub struct DevAccount {
    pub address: Address,
    pub private_key: B256,
    key: SigningKey,
}

impl std::fmt::Debug for DevAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DevAccount({})", self.address)
    }
}

impl DevAccount {
    pub fn from_key(private_key: B256) -> Option<Self> {
        let key = SigningKey::from_bytes(&private_key.0.into()).ok()?;
        let address = Address::from_public_key(key.verifying_key());
        Some(Self {
            address,
            private_key,
            key,
        })
    }

    pub fn from_hex(s: &str) -> Option<Self> {
        let bytes = hex::decode(s).ok()?;
        Self::from_key(B256::try_from(bytes.as_slice()).ok()?)
    }

    /// Signs a 32-byte hash (a transaction's signing hash).
    pub fn sign_hash(&self, hash: B256) -> Signature {
        let (sig, rec) = self
            .key
            .sign_prehash_recoverable(hash.as_slice())
            .expect("signing a 32-byte hash");
        Signature::from_signature_and_parity(sig, rec.is_y_odd())
    }

    /// The devnet's accounts: the nitro-devnode key first, then `extra` more (the ten test keys,
    /// then keys derived as keccak256("vvv-devnet account <i>")).
    pub fn defaults(extra: usize) -> Vec<DevAccount> {
        let mut out = vec![DevAccount::from_hex(NITRO_DEV_KEY).expect("valid key")];
        for i in 0..extra {
            let acc = match TEST_KEYS.get(i) {
                Some(k) => DevAccount::from_hex(k).expect("valid key"),
                None => {
                    let mut n = 0u32;
                    loop {
                        let seed = keccak256(format!("vvv-devnet account {i}/{n}"));
                        if let Some(a) = DevAccount::from_key(seed) {
                            break a;
                        }
                        n += 1;
                    }
                }
            };
            out.push(acc);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    #[test]
    fn known_addresses() {
        let a = DevAccount::defaults(12);
        assert_eq!(a.len(), 13);
        assert_eq!(
            a[0].address,
            address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E")
        );
        assert_eq!(
            a[1].address,
            address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        );
        assert_eq!(
            a[2].address,
            address!("70997970C51812dc3A010C7d01b50e0d17dc79C8")
        );
        assert_eq!(
            a[10].address,
            address!("a0Ee7A142d267C1f36714E4a8F75612F20a79720")
        );
        let mut set: Vec<_> = a.iter().map(|x| x.address).collect();
        set.dedup();
        assert_eq!(set.len(), 13);
    }
}
