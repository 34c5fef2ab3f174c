//! # Emission pallet
//!
//! Creates Myelin's block emission and pays it out through the subnets' epochs.
//!
//! ## Block emission
//! Every block emits `InitialBlockEmission`, halved each time the supply crosses another half of
//! what remains below `SupplyCap` ([`myelin_yuma::emission::block_emission`]; the supply counts tokens already
//! owed but not yet minted). The block's emission is split across the subnets that have run at
//! least one epoch with weights: in proportion to the stake behind each subnet's permitted
//! validators at its last epoch, or equally ([`SplitMode`], set by governance). Each subnet's
//! share accrues as *pending*; the rounding remainder is carried into the next block
//! ([`EmissionDust`]), so nothing is created or lost. While no subnet is eligible, nothing is
//! emitted.
//!
//! ## Paying an epoch
//! When a subnet's epoch runs (the Yuma pallet calls [`EpochPayout::pay_epoch`]), its pending
//! emission is paid: the owner's cut ([`OwnerCut`], 18% unless governance set another) is minted
//! to the owner coldkey; of the rest, half goes to miners by incentive and half to validators by
//! dividends ([`myelin_yuma::EpochOutput::emission_split`]). Without any weights the validators'
//! half goes by active stake and the miners' half stays pending, as does rounding dust.
//!
//! Miners' and validators' amounts are credited as stake to their UIDs on the subnet through
//! [`StakeInfo::credit_stakes`]: the stake pallet accrues them by UID, in pages, and each
//! hotkey's pool takes its UID's before it is next touched (the take buys shares for the
//! hotkey's owner, the rest raises every share). So the epoch pays every neuron in its own
//! block for a few page writes, inside the Yuma pallet's benchmarked epoch weight. Each credit
//! is all or nothing: one that fails leaves nothing behind, is reported
//! ([`Event::StakeCreditFailed`]) and forfeited, never paid a second way.
//!
//! ## Accounting
//! [`Unminted`] is what has been emitted and not yet delivered (pending and dust),
//! [`TotalEmitted`] everything ever emitted. Delivered emission is either minted (owner cuts) or
//! owed by the stake pools until withdrawn ([`StakeInfo::owed`]); so
//! `TotalEmitted − Unminted` is exactly the growth of `total issuance + owed` due to emission.
//! The try-state check verifies `Unminted` against its parts.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod distribution;
mod impls;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

use myelin_primitives::{Balance, NetUid, StakeInfo, SubnetInfo};

/// How the block emission is split across eligible subnets.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub enum SplitMode {
	/// In proportion to the stake behind each subnet's permitted validators.
	#[default]
	ByStake,
	/// Equally.
	Equal,
}

/// What the pallet keeps per eligible subnet.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct SubnetAccount {
	/// Stake behind the subnet's permitted validators at its last epoch.
	pub stake: Balance,
	/// Emission accrued since the last epoch, not yet paid.
	pub pending: Balance,
	/// All stake on the subnet right after its last epoch's payout: what has left the subnet
	/// since is the shortfall of its live stake against this.
	pub stake_at_epoch: Balance,
}

impl SubnetAccount {
	/// The subnet's weight in a `ByStake` split given its stake `live` now: its permitted
	/// stake at the last epoch, less whatever has left the subnet since, and never more than
	/// it holds now. So stake moved to another subnet counts there only, even when other
	/// stake on this subnet (miners', non-permitted validators') could have covered for it.
	pub fn split_weight(&self, live: Balance) -> Balance {
		let left = self.stake_at_epoch.saturating_sub(live);
		self.stake.saturating_sub(left).min(live)
	}
}

/// Sets up what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Creates a subnet (owned by a funded coldkey). Returns its netuid.
	fn subnet() -> NetUid;
	/// A hotkey registered on a subnet whose pool there has `stakers` positions. Returns both.
	fn hotkey_with_stakers(stakers: u32) -> (NetUid, AccountId);
	/// Records `amount` of stake on `netuid` as the stake pallet would (benchmark state only).
	fn set_subnet_stake(netuid: NetUid, amount: Balance);
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
	use frame_support::{pallet_prelude::*, traits::fungible::Mutate};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;

	// 1: the payout queue (`Payouts`) is gone: epochs credit in their own block.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default configurations of this pallet.
	pub mod config_preludes {
		use super::*;
		use frame_support::derive_impl;
		use frame_support::traits::ConstU128;

		/// The supply cap of test runtimes: 2,000,000 units, small enough that tests cross
		/// halvings.
		pub const TEST_SUPPLY_CAP: Balance = 2_000_000 * 1_000_000_000;

		frame_support::parameter_types! {
			/// The runtime's owner cut.
			pub const DefaultTestOwnerCut: Perbill = Perbill::from_percent(18);
		}

		/// The configuration test runtimes start from: small bounds, no rate limits, nothing
		/// that depends on other pallets (those items have no default).
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type GovernanceOrigin = frame_system::EnsureRoot<Self::AccountId>;
			type InitialBlockEmission = ConstU128<1_000_000_000>;
			type SupplyCap = ConstU128<TEST_SUPPLY_CAP>;
			type DefaultOwnerCut = DefaultTestOwnerCut;
			type WeightInfo = ();
		}
	}

	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The token: mints what is paid, reports total issuance.
		#[pallet::no_default]
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// Subnets and their owners.
		#[pallet::no_default]
		type Subnets: SubnetInfo<Self::AccountId>;

		/// Credits rewards as stake.
		#[pallet::no_default]
		type Stake: StakeInfo<Self::AccountId, Balance>;

		/// Origin that sets the split mode and owner cuts.
		#[pallet::no_default_bounds]
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Emission of a block before any halving.
		#[pallet::constant]
		type InitialBlockEmission: Get<Balance>;

		/// The supply the emission approaches and never exceeds.
		#[pallet::constant]
		type SupplyCap: Get<Balance>;

		/// Owner cut of a subnet unless governance set another.
		#[pallet::constant]
		type DefaultOwnerCut: Get<Perbill>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Sets up subnets and hotkeys for the benchmarks.
		#[pallet::no_default]
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Stake share and pending emission of every subnet eligible for block emission.
	#[pallet::storage]
	pub type Subnets<T: Config> =
		StorageValue<_, BoundedBTreeMap<NetUid, SubnetAccount, MaxSubnetsOf<T>>, ValueQuery>;

	/// Rounding remainder of the last block's split, added to the next block's.
	#[pallet::storage]
	pub type EmissionDust<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// How the block emission is split across subnets.
	#[pallet::storage]
	pub type Split<T: Config> = StorageValue<_, SplitMode, ValueQuery>;

	/// Owner cut of each subnet that governance set (others use `DefaultOwnerCut`).
	#[pallet::storage]
	pub type OwnerCut<T: Config> = StorageMap<_, Twox64Concat, NetUid, Perbill, OptionQuery>;

	/// Emitted but not yet delivered: pending and dust.
	#[pallet::storage]
	pub type Unminted<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Everything ever emitted (minus what was forfeited, e.g. a dissolved subnet's pending).
	#[pallet::storage]
	pub type TotalEmitted<T: Config> = StorageValue<_, Balance, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A subnet's epoch was paid: the owner's cut minted, the rest credited to its neurons.
		EpochPaid {
			/// The subnet.
			netuid: NetUid,
			/// Minted to the subnet's owner.
			owner_cut: Balance,
			/// Credited to miners, by incentive.
			miners: Balance,
			/// Credited to validators, by dividends.
			validators: Balance,
			/// Kept pending for the next epoch (nothing to pay it to, or rounding).
			still_pending: Balance,
		},
		/// A payout could not be credited as stake (nothing of it was) and was forfeited: it is
		/// never minted.
		StakeCreditFailed {
			/// The hotkey the payout was for.
			hotkey: T::AccountId,
			/// Tokens of the payout.
			amount: Balance,
			/// Why crediting failed.
			error: DispatchError,
		},
		/// Governance changed the split mode.
		SplitModeSet {
			/// The new mode.
			mode: SplitMode,
		},
		/// Governance changed a subnet's owner cut.
		OwnerCutSet {
			/// The subnet.
			netuid: NetUid,
			/// The share of its emission its owner gets now.
			cut: Perbill,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet with this id.
		SubnetNotFound,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Accrues this block's emission to the eligible subnets.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::accrue_block_emission()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets how the block emission is split across subnets (governance).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_split_mode())]
		pub fn set_split_mode(origin: OriginFor<T>, mode: SplitMode) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Split::<T>::put(mode);
			Self::deposit_event(Event::SplitModeSet { mode });
			Ok(())
		}

		/// Sets the owner cut of a subnet (governance).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_owner_cut())]
		pub fn set_owner_cut(origin: OriginFor<T>, netuid: NetUid, cut: Perbill) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(T::Subnets::exists(netuid), Error::<T>::SubnetNotFound);
			OwnerCut::<T>::insert(netuid, cut);
			Self::deposit_event(Event::OwnerCutSet { netuid, cut });
			Ok(())
		}
	}
}
