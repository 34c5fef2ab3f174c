//! # Yuma pallet
//!
//! Validators' opinions of the miners on each subnet, and the epoch that turns them into
//! consensus, incentive and dividends.
//!
//! ## Setting weights
//! A registered hotkey sets a weight vector over the subnet's UIDs with [`Pallet::set_weights`].
//! The vector is checked (docs/ARCHITECTURE.md, "Setting weights"): equal lengths, no duplicate
//! or unknown UIDs, a version key at least the subnet's `weights_version_key`, the subnet's rate
//! limit, a validator permit from the last epoch (a vector holding only the hotkey's own UID is
//! always allowed), at least `min(min_allowed_weights, n)` entries and no single weight above
//! `max_weights_limit` as a share of the vector's sum. Values are stored max-upscaled (the largest becomes `u16::MAX`), sorted
//! by UID.
//!
//! With `commit_reveal_enabled` the vector is first committed as a hash
//! ([`Pallet::commit_weights`], [`commit_hash`]: `blake2_256(SCALE(hotkey, netuid, epoch, uids,
//! values, salt, version_key))`) and revealed later ([`Pallet::reveal_weights`]). A commit
//! belongs to the epoch it is made in (the subnet's [`EpochIndex`], which the hash binds): a
//! hotkey commits at most once per epoch, and reveals only after the subnet's next epoch has
//! run, within `reveal_period` epochs. So a vector someone copies from a reveal is at least one
//! epoch old when the copy can count, and nobody can commit alternatives and reveal the best.
//! A reveal that matches no live commit is rejected and changes nothing; expired commits are
//! dropped; the salt is at most [`MaxSaltWords`] words.
//!
//! ## The epoch
//! Every `tempo` blocks (staggered by netuid: subnet `s` runs when `(block + s) % tempo == 0`),
//! [`Hooks::on_initialize`] runs Yuma consensus ([`myelin_yuma::epoch`]) on the subnet's stake
//! (through [`StakeInfo`]), weights, previous bonds and registration blocks (through
//! [`SubnetInfo`]). At most `MaxEpochsPerBlock` epochs run in one block; the rest are deferred to
//! the next blocks, first come first served, with [`Event::EpochDeferred`].
//!
//! The epoch stores its per-UID outputs in one [`NeuronMetrics`] per subnet ([`Metrics`]:
//! incentive, dividends, consensus, validator trust, activity, validator permits, emission, next
//! to each UID's last weight update), and the new [`Bonds`]. It hands the results to the emission
//! pallet ([`EpochPayout`]), which pays the subnet's accrued emission and returns each UID's
//! share, stored as the `emission` metric — the score by which full subnets prune.
//!
//! Bonds a validator held on a UID are dropped when that UID changes hands ([`OnNeuronChange`]),
//! and a new neuron's column is ignored in the previous bonds until it has been through an epoch.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod epoch;
mod impls;
pub mod metrics;
mod setting;
#[cfg(test)]
mod tests;
pub mod weights;

pub use metrics::{NeuronMetric, NeuronMetrics};
pub use setting::commit_hash;
pub use weights::WeightInfo;

use frame_support::traits::ConstU32;
use myelin_primitives::{
	Balance, BlockNumber, EpochPayout, NetUid, StakeInfo, SubnetInfo, Uid, MAX_UIDS_HARD_CAP,
};

/// The bound of every per-UID vector: the hard cap of UIDs on a subnet.
pub type MaxUids = ConstU32<{ MAX_UIDS_HARD_CAP as u32 }>;

/// A stored weight or bond row: `(uid, value)` sorted by UID, `u16::MAX` = the largest / 1.
pub type SparseRow = frame_support::BoundedVec<(Uid, u16), MaxUids>;

/// The length a weight call is charged for: the longer of its two vectors (a mismatch is
/// refused, but only after the call's weight was reserved).
fn vector_len(uids: &[Uid], values: &[u16]) -> u32 {
	u32::try_from(uids.len().max(values.len())).unwrap_or(u32::MAX)
}

/// Most live weight commits of one hotkey on one subnet: one per epoch over the longest reveal
/// period, plus the current epoch's.
pub type MaxCommits = ConstU32<{ myelin_primitives::subnets::bounds::MAX_REVEAL_PERIOD + 1 }>;

/// Longest salt of a weight commit, in `u16` words (256 bits is plenty; the bound keeps the
/// reveal's hashing cost fixed).
pub type MaxSaltWords = ConstU32<32>;

/// A weight commit: the hash and the subnet's epoch index it was made in.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct WeightCommit {
	/// [`commit_hash`] of the vector, salt and version key.
	pub hash: sp_core::H256,
	/// The subnet's epoch index when the commit was made.
	pub epoch: u64,
}

/// Sets up what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Creates a subnet with `n` neurons, the first `validators` of them staked (decreasingly)
	/// so that an epoch grants them permits. Returns the netuid and the hotkeys by UID.
	fn subnet_with_neurons(n: u16, validators: u16) -> (NetUid, alloc::vec::Vec<AccountId>);
	/// Replaces the subnet's hyperparameters.
	fn set_hyperparams(netuid: NetUid, params: myelin_primitives::SubnetHyperparams);
	/// Gives the subnet pending emission, so that its epoch pays every neuron it can.
	fn fund_epoch(netuid: NetUid);
}

/// The bound of per-subnet collections: the subnets pallet's `MaxSubnets`, read through
/// [`SubnetInfo`] so that it is defined once.
pub type MaxSubnetsOf<T> =
	myelin_primitives::MaxSubnetsOf<<T as Config>::Subnets, <T as frame_system::Config>::AccountId>;

// The FRAME macros expand to code that trips the runtime deny-lints; the pallet module holds
// only declarations and thin call wrappers, and the logic lives in sibling modules where the
// lints apply.
#[allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_core::H256;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default configurations of this pallet.
	pub mod config_preludes {
		use super::*;
		use frame_support::derive_impl;
		use frame_support::traits::ConstU32;

		/// The configuration test runtimes start from: small bounds, no rate limits, nothing
		/// that depends on other pallets (those items have no default).
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type MaxEpochsPerBlock = ConstU32<2>;
			type WeightInfo = ();
		}
	}

	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Subnets, their neurons and hyperparameters.
		#[pallet::no_default]
		type Subnets: SubnetInfo<Self::AccountId>;

		/// Stake behind each hotkey.
		#[pallet::no_default]
		type Stake: StakeInfo<Self::AccountId, Balance>;

		/// Pays each epoch's emission.
		#[pallet::no_default]
		type Payout: EpochPayout<Self::AccountId>;

		/// Most epochs run in one block; the others wait for the next blocks.
		#[pallet::constant]
		type MaxEpochsPerBlock: Get<u32>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Sets up subnets and neurons for the benchmarks.
		#[pallet::no_default]
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The weights each UID set (validators' rows; empty for most miners), max-upscaled, sorted.
	#[pallet::storage]
	pub type Weights<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, SparseRow, ValueQuery>;

	/// Bonds of each validator UID on the UIDs it weighted, column-normalized, sorted.
	#[pallet::storage]
	pub type Bonds<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, SparseRow, ValueQuery>;

	/// Per-UID metrics of each subnet: last weight updates and the last epoch's outputs.
	#[pallet::storage]
	pub type Metrics<T: Config> = StorageMap<_, Twox64Concat, NetUid, NeuronMetrics, ValueQuery>;

	/// Block of each subnet's last epoch.
	#[pallet::storage]
	pub type LastEpoch<T: Config> = StorageMap<_, Twox64Concat, NetUid, BlockNumber, OptionQuery>;

	/// Subnets whose epoch was due but did not fit in its block, oldest first.
	#[pallet::storage]
	pub type DeferredEpochs<T: Config> =
		StorageValue<_, BoundedVec<NetUid, MaxSubnetsOf<T>>, ValueQuery>;

	/// Live weight commits of each hotkey on each subnet, oldest first, at most one per epoch.
	#[pallet::storage]
	pub type WeightCommits<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<WeightCommit, MaxCommits>,
		ValueQuery,
	>;

	/// How many epochs each subnet has run: the epoch a weight commit belongs to and binds.
	#[pallet::storage]
	pub type EpochIndex<T: Config> = StorageMap<_, Twox64Concat, NetUid, u64, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A neuron set its weights (directly or by a reveal).
		WeightsSet {
			/// The subnet.
			netuid: NetUid,
			/// The neuron's UID.
			uid: Uid,
			/// How many UIDs the vector weights.
			count: u32,
		},
		/// A neuron committed to a weight vector.
		WeightsCommitted {
			/// The subnet.
			netuid: NetUid,
			/// The committing hotkey.
			hotkey: T::AccountId,
			/// The commit hash.
			hash: H256,
			/// The subnet's epoch index the commit belongs to.
			epoch: u64,
		},
		/// A subnet's epoch ran.
		EpochRun {
			/// The subnet.
			netuid: NetUid,
			/// Its number of neurons.
			neurons: u16,
			/// Whether any weight counted (if not, miners earned nothing).
			has_weights: bool,
		},
		/// A subnet's epoch was due but the block already ran `MaxEpochsPerBlock` epochs.
		EpochDeferred {
			/// The subnet whose epoch runs in a later block.
			netuid: NetUid,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet with this id.
		SubnetNotFound,
		/// The hotkey is not registered on this subnet.
		HotkeyNotRegistered,
		/// `uids` and `values` differ in length.
		LengthMismatch,
		/// A UID appears twice.
		DuplicateUid,
		/// A UID is not (yet) on the subnet.
		UidOutOfRange,
		/// Every value is zero.
		AllWeightsZero,
		/// The version key is below the subnet's `weights_version_key`.
		OutdatedVersionKey,
		/// The neuron set weights less than `weights_set_rate_limit` blocks ago.
		SettingWeightsTooFast,
		/// Only neurons with a validator permit may weight others.
		NoValidatorPermit,
		/// Fewer weights than `min(min_allowed_weights, n)`.
		TooFewWeights,
		/// One weight's share of the vector is above `max_weights_limit`.
		MaxWeightExceeded,
		/// The subnet uses commit-reveal: use `commit_weights` and `reveal_weights`.
		CommitRevealEnabled,
		/// The subnet does not use commit-reveal: use `set_weights`.
		CommitRevealDisabled,
		/// The hotkey already committed in this epoch on this subnet.
		AlreadyCommitted,
		/// No live commit matches the revealed vector.
		NoMatchingCommit,
		/// The commit's epoch is still running: reveal after the subnet's next epoch.
		RevealTooEarly,
		/// The matching commit is more than `reveal_period` epochs old.
		CommitExpired,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Runs the epochs due in this block (and deferred ones), at most `MaxEpochsPerBlock`.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::run_due_epochs()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the signing hotkey's weights on `netuid`: `values[k]` on `uids[k]`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_weights(vector_len(uids, values)))]
		pub fn set_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			uids: Vec<Uid>,
			values: Vec<u16>,
			version_key: u64,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_set_weights(&hotkey, netuid, uids, values, version_key, false)
		}

		/// Commits the signing hotkey to a weight vector on a commit-reveal subnet, for the
		/// current epoch: `hash = commit_hash(hotkey, netuid, epoch_index, uids, values, salt,
		/// version_key)`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::commit_weights())]
		pub fn commit_weights(origin: OriginFor<T>, netuid: NetUid, hash: H256) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_commit_weights(hotkey, netuid, hash)
		}

		/// Reveals a committed weight vector after the subnet's next epoch; it is then checked
		/// and set like `set_weights`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reveal_weights(vector_len(uids, values)))]
		pub fn reveal_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			uids: Vec<Uid>,
			values: Vec<u16>,
			salt: BoundedVec<u16, MaxSaltWords>,
			version_key: u64,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_reveal_weights(hotkey, netuid, uids, values, salt.into_inner(), version_key)
		}
	}
}
