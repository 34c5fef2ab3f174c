//! The seams between Myelin's pallets. A pallet that needs another pallet's data asks through
//! one of these traits; the runtime wires the implementations. No pallet reads another's storage.

use alloc::vec::Vec;
use core::marker::PhantomData;
use sp_runtime::{traits::Get, DispatchError};

use crate::{Balance, BlockNumber, NetUid, SubnetHyperparams, Uid};
use myelin_yuma::EpochOutput;

/// Read access to subnets and their neurons (implemented by the subnets pallet).
pub trait SubnetInfo<AccountId> {
	/// Whether the subnet exists.
	fn exists(netuid: NetUid) -> bool;
	/// All existing subnets, ascending.
	fn netuids() -> Vec<NetUid>;
	/// The coldkey that owns the subnet.
	fn owner(netuid: NetUid) -> Option<AccountId>;
	/// The subnet's hyperparameters.
	fn hyperparams(netuid: NetUid) -> Option<SubnetHyperparams>;
	/// Number of neurons (UIDs `0..n`).
	fn neuron_count(netuid: NetUid) -> u16;
	/// The hotkey holding `uid`.
	fn hotkey_of_uid(netuid: NetUid, uid: Uid) -> Option<AccountId>;
	/// The UID of `hotkey` on the subnet.
	fn uid_of_hotkey(netuid: NetUid, hotkey: &AccountId) -> Option<Uid>;
	/// Hotkeys of every UID, indexed by UID.
	fn hotkeys(netuid: NetUid) -> Vec<AccountId>;
	/// Every neuron's hotkey and registration block, indexed by UID. Paged: a full subnet is a
	/// few reads, where a per-UID getter in a loop would be one or two per UID.
	fn neurons(netuid: NetUid) -> Vec<(AccountId, BlockNumber)>;
	/// The coldkey owning `hotkey` (fixed at the hotkey's first registration).
	fn hotkey_owner(hotkey: &AccountId) -> Option<AccountId>;
	/// Every hotkey `coldkey` owns (reads a prefix: for views, not for hooks).
	fn owned_hotkeys(coldkey: &AccountId) -> Vec<AccountId>;
	/// The most subnets that can ever exist at once: the one bound every per-subnet collection
	/// of every pallet is sized by (see [`MaxSubnetsOf`]).
	fn max_subnets() -> u16;
	/// Whether `netuid` was dissolved and its per-UID data is still being cleared (its netuid
	/// is not reused until then).
	fn is_clearing(_netuid: NetUid) -> bool {
		false
	}
}

/// [`SubnetInfo::max_subnets`] as a `Get<u32>` bound, so other pallets size their per-subnet
/// collections by the subnets pallet's own constant instead of a copy that could drift.
pub struct MaxSubnetsOf<Subnets, AccountId>(PhantomData<(Subnets, AccountId)>);

impl<Subnets: SubnetInfo<AccountId>, AccountId> Get<u32> for MaxSubnetsOf<Subnets, AccountId> {
	fn get() -> u32 {
		u32::from(Subnets::max_subnets())
	}
}

/// Stake per (hotkey, subnet) and crediting rewards to it (implemented by the stake pallet).
/// Stake counts on one subnet only: what a hotkey has on one subnet is invisible on another.
pub trait StakeInfo<AccountId, Balance> {
	/// Stake behind `hotkey` on `netuid`: every position in its pool, owed rewards included,
	/// and rewards its UID accrued that the pool has not taken yet.
	fn stake_on(netuid: NetUid, hotkey: &AccountId) -> Balance;
	/// The stake behind each UID of `netuid` (as [`Self::stake_on`] its hotkey), indexed by
	/// UID. Paged: a full subnet is a few reads, where `stake_on` in a loop would be one per UID.
	fn stakes(netuid: NetUid) -> Vec<Balance>;
	/// Credits each `(uid, amount)` reward to the pool of the hotkey holding `uid` on `netuid`,
	/// whatever the pool's number of stakers: the delegate take in force now is the hotkey
	/// owner's, the rest raises the value of every share. The rewards accrue by UID, in pages,
	/// and a pool takes what its UID accrued before anything else touches it. Nothing is
	/// minted: rewards are owed (see [`StakeInfo::owed`]) until withdrawn. Each credit is all or
	/// nothing; the result of each is returned in order.
	fn credit_stakes(netuid: NetUid, credits: &[(Uid, Balance)]) -> Vec<Result<(), DispatchError>>;
	/// Rewards credited and not yet minted: part of the supply, not of total issuance.
	fn owed() -> Balance;
	/// All stake on `netuid` now (Σ of its pools and accrued rewards), in O(1).
	fn subnet_stake(netuid: NetUid) -> Balance;
}

/// Validators' standing from their subnet's last epoch (implemented by the Yuma pallet): what
/// a validator needs to know before setting weights.
pub trait ValidatorStatus {
	/// Whether `uid` holds a validator permit.
	fn has_permit(netuid: NetUid, uid: Uid) -> bool;
	/// The block of `uid`'s last weight update (0: never), for the weights rate limit.
	fn last_update(netuid: NetUid, uid: Uid) -> BlockNumber;
	/// How many epochs `netuid` has run: the epoch a weight commit made now belongs to (it
	/// can be revealed once this has grown past it).
	fn epoch_index(netuid: NetUid) -> u64;
}

/// The emission neurons earned in their subnet's last epoch: the pruning score (implemented by
/// the Yuma pallet; `()` means nobody has emission yet).
pub trait NeuronEmission {
	/// Emission of each UID of `netuid` in its last epoch, in token units, indexed by UID (read
	/// once per scan; UIDs beyond the vector have none).
	fn emissions(netuid: NetUid) -> Vec<u64>;
}

impl NeuronEmission for () {
	fn emissions(_netuid: NetUid) -> Vec<u64> {
		Vec::new()
	}
}

/// Told when a UID changes hands or a subnet disappears, so every pallet drops the per-UID data
/// it keeps (weights, bonds, outputs, commitments). Implemented for tuples.
pub trait OnNeuronChange<AccountId> {
	/// `uid` on `netuid` now belongs to a new neuron; the old one's data must go. Called before
	/// the new neuron is recorded (and before [`Self::on_neuron_registered`]).
	fn on_neuron_replaced(netuid: NetUid, uid: Uid, old_hotkey: &AccountId, new_hotkey: &AccountId);
	/// `hotkey` was recorded at `uid` on `netuid`: a new UID or a replaced one.
	fn on_neuron_registered(_netuid: NetUid, _uid: Uid, _hotkey: &AccountId) {}
	/// The subnet was dissolved: what is kept for it in O(1) items must go now. Per-UID data
	/// goes later, through [`Self::clear_subnet`].
	fn on_subnet_removed(netuid: NetUid);
	/// Removes at most `limit` storage keys of the dissolved `netuid`'s per-UID data. The
	/// subnets pallet calls it block after block, within a per-block budget, until it reports
	/// `done`; only then can the netuid be reused.
	fn clear_subnet(_netuid: NetUid, _limit: u32) -> SubnetClearing {
		SubnetClearing { removed: 0, done: true }
	}
}

/// Progress of [`OnNeuronChange::clear_subnet`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SubnetClearing {
	/// Storage keys removed (or visited) in this call.
	pub removed: u32,
	/// Whether nothing is left to remove.
	pub done: bool,
}

impl SubnetClearing {
	/// Removes the first `limit` of `keys` with `remove`; done when fewer were left. The keys
	/// are read before removing (the iterator is not invalidated) and counted exactly, whether
	/// they are committed or still in this block's overlay.
	pub fn remove_keys<K>(
		keys: impl Iterator<Item = K>,
		limit: u32,
		mut remove: impl FnMut(K),
	) -> Self {
		let batch: Vec<K> = keys.take(usize::try_from(limit).unwrap_or(usize::MAX)).collect();
		let removed = u32::try_from(batch.len()).unwrap_or(u32::MAX);
		for key in batch {
			remove(key);
		}
		Self { removed, done: removed < limit }
	}

	/// Runs `steps` in turn within `limit` keys: each step gets what the previous ones left,
	/// and once nothing is left the rest wait (the result is then not done).
	pub fn in_turn(limit: u32, steps: &[&dyn Fn(u32) -> SubnetClearing]) -> Self {
		let mut progress = SubnetClearing { removed: 0, done: true };
		for step in steps {
			let left = limit.saturating_sub(progress.removed);
			if left == 0 {
				progress.done = false;
				break;
			}
			let part = step(left);
			progress.add(part.removed, part.done);
		}
		progress
	}

	/// Records `removed` more keys and whether that part is done.
	pub fn add(&mut self, removed: u32, done: bool) {
		self.removed = self.removed.saturating_add(removed);
		self.done = self.done && done;
	}
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> OnNeuronChange<AccountId> for Tuple {
	fn on_neuron_replaced(
		netuid: NetUid,
		uid: Uid,
		old_hotkey: &AccountId,
		new_hotkey: &AccountId,
	) {
		for_tuples!( #( Tuple::on_neuron_replaced(netuid, uid, old_hotkey, new_hotkey); )* );
	}

	fn on_neuron_registered(netuid: NetUid, uid: Uid, hotkey: &AccountId) {
		for_tuples!( #( Tuple::on_neuron_registered(netuid, uid, hotkey); )* );
	}

	fn on_subnet_removed(netuid: NetUid) {
		for_tuples!( #( Tuple::on_subnet_removed(netuid); )* );
	}

	fn clear_subnet(netuid: NetUid, limit: u32) -> SubnetClearing {
		SubnetClearing::in_turn(
			limit,
			&[for_tuples!( #( &|left| Tuple::clear_subnet(netuid, left) ),* )],
		)
	}
}

/// Pays out a subnet's epoch (implemented by the emission pallet, called by the Yuma pallet
/// after it ran Yuma consensus). Its cost is part of the Yuma pallet's benchmarked epoch.
pub trait EpochPayout<AccountId> {
	/// Pays the emission `netuid` accrued since its last epoch according to `output` (indexed by
	/// UID like `hotkeys`); `permitted_stake` is the stake behind the subnet's permitted
	/// validators, its share of future block emission. Returns each UID's emission.
	fn pay_epoch(
		netuid: NetUid,
		hotkeys: &[AccountId],
		output: &EpochOutput,
		permitted_stake: Balance,
	) -> Vec<u64>;
}

impl<AccountId> EpochPayout<AccountId> for () {
	fn pay_epoch(_: NetUid, hotkeys: &[AccountId], _: &EpochOutput, _: Balance) -> Vec<u64> {
		alloc::vec![0; hotkeys.len()]
	}
}
