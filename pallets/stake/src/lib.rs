//! # Stake pallet
//!
//! Coldkeys stake tokens on a hotkey *on a subnet*: stake is per (hotkey, subnet), so a token
//! counts on exactly one subnet. Any coldkey may stake on any hotkey registered on the subnet
//! ([`Pallet::add_stake`]); staking on someone else's hotkey is delegation. Stake moves between
//! hotkeys and subnets in one call ([`Pallet::move_stake`]) and between coldkeys
//! ([`Pallet::transfer_stake`]); [`Pallet::remove_stake`] ends it.
//!
//! ## Share pools
//! Each (hotkey, subnet) is a [`Pool`]: a value (the hotkey's stake on the subnet) and shares; a
//! coldkey's [`Position`] owns shares. Rewards are credited to a pool in O(1) whatever its
//! number of stakers ([`StakeInfo::credit_stakes`]): the take buys new shares for the hotkey's
//! owner, the rest raises the value of every share. Every rounding favours the pool, so a
//! share's price never falls (see [`pool`]).
//!
//! ## Stake by UID
//! A subnet's epoch reads the stake of every UID and pays every UID: the pallet keeps both in
//! pages by UID ([`UidStakes`]), where rewards accrue to a copy of the pool that the pool itself
//! takes before anything touches it (see [`accrual`]).
//!
//! ## Principal and owed rewards
//! Staked tokens never leave the coldkey's account: a position's *principal* is held under
//! [`HoldReason::Staked`], so it counts toward total issuance and votes in governance. Rewards
//! are not minted when credited: a pool's value above its principal is *owed* ([`TotalOwed`]),
//! and it is minted to the coldkey only when withdrawn. So
//!
//! `total issuance + TotalOwed` moves only by what emission credits or mints, and by burns;
//!
//! and `TotalOwed == Σ (pool value − pool principal)` (checked by `try_state`). A position's
//! principal never exceeds its value: when a rounding leaves it above (by at most a planck or
//! so), the excess is burned from the hold and becomes owed to the pool, which keeps both sums
//! exact.
//!
//! ## Delegate take
//! The hotkey's owner may lower the take at any time ([`Pallet::decrease_take`], effective at
//! once, cancelling any announced increase) and raise it at most to `MaxTake` by announcing the
//! increase ([`Pallet::increase_take`]): every increase, the first one included, takes effect
//! `TakeIncreaseDelay` blocks after its announcement, so stakers always have that long to leave.
//!
//! ## Bounds
//! No count of stakers or positions is capped, so no slot can be squatted: every position a
//! coldkey opens holds at least `MinStake`, and whatever remains of a position after a
//! withdrawal or move is zero or at least `MinStake`. The only positions opened without a
//! stake are a hotkey owner's, by its take: one per pool.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

pub mod accrual;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
pub mod migrations;
pub mod pool;
mod staking;
mod take;
#[cfg(test)]
mod tests;
mod try_state;
pub mod weights;

pub use accrual::{UidStake, UidStakePage};
pub use pool::{Pool, Position};
pub use weights::WeightInfo;

use myelin_primitives::{Balance, BlockNumber, NetUid, SubnetInfo};

/// Sets up what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers `hotkey`, owned by `coldkey`, on a subnet (a new one each call). Returns it.
	fn register_hotkey(coldkey: &AccountId, hotkey: &AccountId) -> NetUid;
}

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
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;

	// 1: stake per (hotkey, subnet) in share pools (was per hotkey).
	// 2: stake and accrued rewards by UID, in pages (`UidStakes`).
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default configurations of this pallet.
	pub mod config_preludes {
		use super::*;
		use frame_support::derive_impl;
		use frame_support::traits::{ConstU128, ConstU32};

		/// The smallest position of test runtimes: one unit.
		pub const TEST_MIN_STAKE: Balance = 1_000_000_000;
		/// Blocks from a take increase's announcement to its effect in test runtimes.
		pub const TEST_TAKE_INCREASE_DELAY: BlockNumber = 10;

		frame_support::parameter_types! {
			/// The runtime's take limit.
			pub const MaxTestTake: Perbill = Perbill::from_percent(18);
			/// A take below the limit, so tests see increases (a test may change it, as a
			/// runtime upgrade would).
			pub storage DefaultTestTake: Perbill = Perbill::from_percent(10);
		}

		/// The configuration test runtimes start from: small bounds, no rate limits, nothing
		/// that depends on other pallets (those items have no default).
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			#[inject_runtime_type]
			type RuntimeHoldReason = ();
			type MinStake = ConstU128<TEST_MIN_STAKE>;
			type MaxTake = MaxTestTake;
			type DefaultTake = DefaultTestTake;
			type TakeIncreaseDelay = ConstU32<TEST_TAKE_INCREASE_DELAY>;
			type WeightInfo = ();
		}
	}

	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The token whose holds back stake.
		#[pallet::no_default]
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = Balance>;

		/// The overarching hold reason.
		#[pallet::no_default_bounds]
		type RuntimeHoldReason: From<HoldReason>;

		/// Subnets and hotkey ownership.
		#[pallet::no_default]
		type Subnets: SubnetInfo<Self::AccountId>;

		/// Smallest stake a coldkey adds or moves, and smallest position it keeps.
		#[pallet::constant]
		type MinStake: Get<Balance>;

		/// Highest delegate take.
		#[pallet::constant]
		type MaxTake: Get<Perbill>;

		/// Take of a hotkey whose owner never set one.
		#[pallet::constant]
		type DefaultTake: Get<Perbill>;

		/// Blocks from a take increase's announcement to its effect: how long stakers have to
		/// leave before a higher take applies.
		#[pallet::constant]
		type TakeIncreaseDelay: Get<BlockNumber>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Registers hotkeys for the benchmarks.
		#[pallet::no_default]
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds tokens.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Tokens staked on a hotkey.
		Staked,
	}

	/// The pool of each (hotkey, subnet) with stake.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		NetUid,
		Pool,
		OptionQuery,
	>;

	/// Each coldkey's position in each pool: key (hotkey, subnet, coldkey), so a pool's
	/// positions are one prefix.
	#[pallet::storage]
	pub type Positions<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, NetUid>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		Position,
		OptionQuery,
	>;

	/// The pools each coldkey has a position in, as (hotkey, subnet): an index of
	/// [`Positions`] by coldkey.
	#[pallet::storage]
	pub type StakedOn<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		(T::AccountId, NetUid),
		(),
		OptionQuery,
	>;

	/// Principal of each coldkey over all its positions (equals its hold for
	/// [`HoldReason::Staked`]).
	#[pallet::storage]
	pub type TotalColdkeyStake<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// Rewards credited to pools and not yet minted: Σ (pool value − pool principal).
	#[pallet::storage]
	pub type TotalOwed<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Stake on each subnet now: Σ of its pools' values, kept in step by every flow, so the
	/// emission split can read what a subnet holds at this block.
	#[pallet::storage]
	pub type SubnetStake<T: Config> = StorageMap<_, Twox64Concat, NetUid, Balance, ValueQuery>;

	/// Each subnet's stake by UID, in pages of `UID_PAGE` UIDs: the value of the pool of the
	/// hotkey holding the UID, the rewards the UID accrued that the pool has not taken yet, and
	/// the hotkey's take (see [`accrual`]).
	#[pallet::storage]
	pub type UidStakes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Twox64Concat,
		u16,
		UidStakePage<T::AccountId>,
		ValueQuery,
	>;

	/// Delegate take of each hotkey whose owner set one.
	#[pallet::storage]
	pub type Take<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Perbill, OptionQuery>;

	/// Announced take increases: the new take and the block from which it applies.
	#[pallet::storage]
	pub type PendingTake<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (Perbill, BlockNumber), OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A coldkey staked on a hotkey on a subnet.
		StakeAdded {
			/// The staker.
			coldkey: T::AccountId,
			/// The hotkey staked on.
			hotkey: T::AccountId,
			/// The subnet.
			netuid: NetUid,
			/// Tokens added (held from the coldkey).
			amount: Balance,
			/// The coldkey's stake in the pool now.
			stake: Balance,
		},
		/// A coldkey unstaked from a hotkey on a subnet.
		StakeRemoved {
			/// The staker.
			coldkey: T::AccountId,
			/// The hotkey unstaked from.
			hotkey: T::AccountId,
			/// The subnet.
			netuid: NetUid,
			/// Stake withdrawn: `released + minted`.
			amount: Balance,
			/// Of it, principal released from the hold.
			released: Balance,
			/// Of it, rewards minted into the coldkey's account.
			minted: Balance,
			/// The coldkey's stake in the pool now.
			stake: Balance,
		},
		/// A coldkey moved stake to another hotkey and/or subnet.
		StakeMoved {
			/// The staker.
			coldkey: T::AccountId,
			/// The pool the stake left: (hotkey, subnet).
			from: (T::AccountId, NetUid),
			/// The pool the stake joined: (hotkey, subnet).
			to: (T::AccountId, NetUid),
			/// Stake moved.
			amount: Balance,
		},
		/// A coldkey gave stake to another coldkey, in the same pool.
		StakeTransferred {
			/// The giver.
			from: T::AccountId,
			/// The receiver.
			to: T::AccountId,
			/// The hotkey.
			hotkey: T::AccountId,
			/// The subnet.
			netuid: NetUid,
			/// Stake transferred.
			amount: Balance,
		},
		/// A hotkey's owner lowered its take.
		TakeDecreased {
			/// The hotkey.
			hotkey: T::AccountId,
			/// Its take now.
			take: Perbill,
		},
		/// A hotkey's owner announced a higher take.
		TakeIncreaseAnnounced {
			/// The hotkey.
			hotkey: T::AccountId,
			/// The take it will have.
			take: Perbill,
			/// The first block in which the new take applies.
			effective_at: BlockNumber,
		},
		/// Rewards were credited to UIDs of a subnet (owed, minted when withdrawn; each pool
		/// takes its UID's before it is next touched): one event per payout, not per UID, so an
		/// epoch of 4096 UIDs adds one event. Each UID's amount is its emission in the Yuma
		/// pallet's metrics.
		StakeCredited {
			/// The subnet.
			netuid: NetUid,
			/// UIDs credited.
			pools: u32,
			/// Tokens credited in all.
			amount: Balance,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The hotkey has never been registered, so nobody owns it.
		HotkeyNotRegistered,
		/// The hotkey holds no UID on the subnet, so stake there would earn nothing.
		HotkeyNotOnSubnet,
		/// The amount is below `MinStake`.
		AmountBelowMinimum,
		/// The coldkey cannot hold that much.
		InsufficientBalance,
		/// The coldkey's position in the pool is worth less than asked.
		NotEnoughStake,
		/// What would remain staked is neither zero nor at least `MinStake`.
		RemainingStakeBelowMinimum,
		/// A move needs another pool than the one the stake is in.
		SamePool,
		/// A transfer needs another coldkey than the giver.
		SameColdkey,
		/// At this pool's share price the amount would lose more than `MAX_ROUNDING_LOSS`
		/// planck to rounding: choose another amount, or withdraw the whole position.
		RoundingLoss,
		/// Only the hotkey's owner may change its take.
		NotHotkeyOwner,
		/// The take is above `MaxTake`.
		TakeTooHigh,
		/// `decrease_take` needs a take below the current one.
		TakeNotLower,
		/// `increase_take` needs a take above the current one and any announced one.
		TakeNotHigher,
		/// The subnet was dissolved and is being cleared: its stake can move once its pools
		/// have taken their accrued rewards (after the dissolved subnets queued before it).
		SubnetClearing,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Stakes `amount` of the signing coldkey's tokens on `hotkey` on `netuid` (held, not
		/// transferred). The hotkey must hold a UID on the subnet.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_stake())]
		pub fn add_stake(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			netuid: NetUid,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_add_stake(coldkey, hotkey, netuid, amount)
		}

		/// Withdraws `amount` of the signing coldkey's stake on `hotkey` on `netuid`: its held
		/// principal is released first, rewards beyond it are minted.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_stake())]
		pub fn remove_stake(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			netuid: NetUid,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_remove_stake(coldkey, hotkey, netuid, amount)
		}

		/// Lowers `hotkey`'s take (signed by its owner coldkey), at once; an announced increase
		/// is cancelled.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::decrease_take())]
		pub fn decrease_take(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			take: Perbill,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_decrease_take(&coldkey, hotkey, take)
		}

		/// Announces a higher take for `hotkey` (signed by its owner coldkey), at most `MaxTake`;
		/// it applies `TakeIncreaseDelay` blocks from now and replaces any earlier announcement.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::increase_take())]
		pub fn increase_take(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			take: Perbill,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_increase_take(&coldkey, hotkey, take)
		}

		/// Moves `amount` of the signing coldkey's stake from `hotkey` on `netuid` to
		/// `to_hotkey` on `to_netuid`, in one step (nothing is released or minted; owed
		/// rewards move with it). The destination hotkey must hold a UID on its subnet.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::move_stake())]
		pub fn move_stake(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			netuid: NetUid,
			to_hotkey: T::AccountId,
			to_netuid: NetUid,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_move_stake(coldkey, (hotkey, netuid), (to_hotkey, to_netuid), amount)
		}

		/// Gives `amount` of the signing coldkey's stake on `hotkey` on `netuid` to `to`, in the
		/// same pool: the principal's hold moves to `to`'s account, owed rewards with it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::transfer_stake())]
		pub fn transfer_stake(
			origin: OriginFor<T>,
			to: T::AccountId,
			hotkey: T::AccountId,
			netuid: NetUid,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_transfer_stake(coldkey, to, hotkey, netuid, amount)
		}
	}
}
