//! What the validator off-chain worker needs from the weights pallet, wired by the runtime.

use alloc::vec::Vec;
use myelin_primitives::{BlockNumber, NetUid, Uid};
use sp_core::H256;

/// Validator permits, the weight rate limit's clock, and the weight calls to submit.
pub trait ValidatorWeights<AccountId, RuntimeCall> {
	/// Whether `uid` holds a validator permit from its subnet's last epoch.
	fn has_permit(netuid: NetUid, uid: Uid) -> bool;
	/// The block of `uid`'s last weight update (0: never).
	fn last_update(netuid: NetUid, uid: Uid) -> BlockNumber;
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
	/// The hash `commit_weights` expects for the vector.
	fn commit_hash(
		hotkey: &AccountId,
		netuid: NetUid,
		uids: &[Uid],
		values: &[u16],
		salt: &[u16],
		version_key: u64,
	) -> H256;
}
