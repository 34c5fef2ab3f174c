//! The weight calls the validator off-chain worker submits: they are the Yuma pallet's, so
//! the runtime, which knows its call type, builds them.

use alloc::vec::Vec;
use myelin_primitives::{NetUid, Uid};
use sp_core::H256;

/// Builds the Yuma pallet's calls (and its commit hash) for the validator worker.
pub trait WeightCalls<AccountId, RuntimeCall> {
	/// The call setting weights directly.
	fn set_weights(
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		version_key: u64,
	) -> RuntimeCall;
	/// The call committing to a weight vector.
	fn commit_weights(netuid: NetUid, hash: H256) -> RuntimeCall;
	/// The call revealing a committed weight vector.
	fn reveal_weights(
		netuid: NetUid,
		uids: Vec<Uid>,
		values: Vec<u16>,
		salt: Vec<u16>,
		version_key: u64,
	) -> RuntimeCall;
	/// The hash `commit_weights` expects for the vector, committed in the subnet's epoch
	/// `epoch`.
	fn commit_hash(
		hotkey: &AccountId,
		netuid: NetUid,
		epoch: u64,
		uids: &[Uid],
		values: &[u16],
		salt: &[u16],
		version_key: u64,
	) -> H256;
}
