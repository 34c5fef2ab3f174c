//! The off-chain workers: what a node does for the hotkeys in its keystore after importing a
//! block.
//!
//! - **Miners** (key type `mine`): for each subnet with a task where the hotkey is registered,
//!   expand the round's challenge inputs, embed them with the subnet's model through the
//!   inference host functions, commit to the outputs in the commit window and reveal them in the
//!   reveal window ([`miner`]).
//! - **Validators** (key type `vali`) holding a validator permit: after each round's reveal
//!   window, recompute every revealed miner's references, score them ([`scoring`]), keep the
//!   moving average per miner hotkey in the node's off-chain storage, and set weights from it
//!   ([`validator`]).
//!
//! Everything here runs only in `offchain_worker`: the host functions' float results never
//! reach block execution. A node never submits the same step twice: what it sent is kept in its
//! off-chain storage, under a lock so that workers of consecutive blocks do not race.

pub mod audits;
pub mod miner;
pub mod modes;
pub mod scoring;
pub mod validator;

use alloc::vec::Vec;
use frame_system::offchain::{Account, AppCrypto, SendSignedTransaction, Signer};
use myelin_primitives::{NetUid, SubnetInfo};
use sp_runtime::offchain::{
	storage::StorageValueRef,
	storage_lock::{StorageLock, Time},
	Duration,
};

use crate::{
	pallet::{Config, TaskSpecs},
	TaskSpec,
};

/// Prefix of every off-chain storage key this pallet uses.
pub const STORAGE_PREFIX: &[u8] = b"myelin/inference/";

/// How long one worker may hold a hotkey's lock.
pub(crate) const LOCK_DEADLINE_MS: u64 = 120_000;

/// An off-chain storage key under [`STORAGE_PREFIX`].
pub(crate) fn storage_key(parts: &[&[u8]]) -> Vec<u8> {
	let mut key = STORAGE_PREFIX.to_vec();
	for (i, part) in parts.iter().enumerate() {
		if i > 0 {
			key.push(b'/');
		}
		key.extend_from_slice(part);
	}
	key
}

/// Runs both workers for every subnet with a task.
pub fn run<T: Config>() {
	let miners: Vec<Account<T>> = Signer::<T, T::MinerKey>::keystore_accounts().collect();
	let validators: Vec<Account<T>> = Signer::<T, T::ValidatorKey>::keystore_accounts().collect();
	if miners.is_empty() && validators.is_empty() {
		return;
	}
	let mode = modes::MinerMode::configured::<T>();
	for netuid in TaskSpecs::<T>::iter_keys() {
		for account in &miners {
			if T::Subnets::uid_of_hotkey(netuid, &account.id).is_some() {
				locked::<T>(b"mine", netuid, account, || miner::work::<T>(netuid, account, mode));
			}
		}
		for account in &validators {
			if let Some(uid) = T::Subnets::uid_of_hotkey(netuid, &account.id) {
				locked::<T>(b"vali", netuid, account, || {
					validator::work::<T>(netuid, account, uid)
				});
			}
		}
	}
}

/// The off-chain storage key of the lock of `(role, netuid, hotkey)`.
pub(crate) fn lock_key(role: &[u8], netuid: NetUid, hotkey: &impl codec::Encode) -> Vec<u8> {
	storage_key(&[b"lock", role, &netuid.to_le_bytes(), &hotkey.encode()])
}

/// Runs `f` under the lock of `(role, netuid, hotkey)`; skips it if another worker holds it.
fn locked<T: Config>(role: &[u8], netuid: NetUid, account: &Account<T>, f: impl FnOnce()) {
	let key = lock_key(role, netuid, &account.id);
	let mut lock =
		StorageLock::<Time>::with_deadline(&key, Duration::from_millis(LOCK_DEADLINE_MS));
	if let Ok(guard) = lock.try_lock() {
		f();
		drop(guard);
	};
}

/// Signs `call` with `account` (a key of type `C`) and submits it to the node's pool.
pub(crate) fn submit<T: Config, C: AppCrypto<T::Public, T::Signature>>(
	account: &Account<T>,
	call: <T as frame_system::Config>::RuntimeCall,
) -> bool {
	let sent = Signer::<T, C>::all_accounts().send_single_signed_transaction(account, call);
	matches!(sent, Some(Ok(())))
}

/// Reads a value this pallet keeps in the node's off-chain storage.
pub(crate) fn load<V: codec::Decode>(key: &[u8]) -> Option<V> {
	StorageValueRef::persistent(key).get::<V>().ok().flatten()
}

/// Stores a value in the node's off-chain storage.
pub(crate) fn store<V: codec::Encode>(key: &[u8], value: &V) {
	StorageValueRef::persistent(key).set(value);
}

/// The challenge inputs of `seed` for the task's model, or `None` (logged) when the node
/// cannot expand them.
pub(crate) fn inputs(spec: &TaskSpec, seed: [u8; 32]) -> Option<Vec<Vec<u8>>> {
	let inputs = myelin_inference::host::inference::challenge_inputs(
		spec.model,
		seed,
		u32::from(spec.inputs_per_round),
	);
	match inputs {
		Ok(inputs) => Some(inputs),
		Err(error) => {
			log::warn!(
				target: "runtime::inference",
				"cannot expand the challenge inputs of model 0x{}: {error:?}",
				hex_prefix(&spec.model)
			);
			None
		}
	}
}

/// Embeddings of `texts` with the task's model, or `None` (logged) when the node cannot run it.
pub(crate) fn embed(spec: &TaskSpec, texts: Vec<Vec<u8>>) -> Option<Vec<Vec<i8>>> {
	match myelin_inference::host::inference::embed(spec.model, texts) {
		Ok(outputs) => Some(outputs),
		Err(error) => {
			log::warn!(
				target: "runtime::inference",
				"cannot run model 0x{}: {error:?}",
				hex_prefix(&spec.model)
			);
			None
		}
	}
}

/// The first bytes of a model id in hex, for logs.
fn hex_prefix(id: &[u8; 32]) -> alloc::string::String {
	id.iter().take(8).map(|b| alloc::format!("{b:02x}")).collect()
}
