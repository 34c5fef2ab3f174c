//! # Stake pallet
//!
//! Coldkeys stake tokens on hotkeys. Any coldkey may stake on any registered hotkey
//! ([`Pallet::add_stake`], [`Pallet::remove_stake`]): staking on someone else's hotkey is
//! delegation (nomination). Staked tokens never leave the coldkey's account: they are held
//! under [`HoldReason::Staked`], so they keep counting toward total issuance and can vote in
//! governance, and `remove_stake` simply releases them.
//!
//! ## Delegate take
//! When rewards are credited to a hotkey ([`StakeInfo::credit_stake`]), the hotkey's *take*
//! goes to its owner coldkey and the rest is split among its stakers pro rata. The owner may
//! lower the take at any time ([`Pallet::decrease_take`], effective at once, cancelling any
//! announced increase) and raise it at most to `MaxTake` by announcing the increase
//! ([`Pallet::increase_take`]): every increase, the first one included, takes effect
//! `TakeIncreaseDelay` blocks after its announcement, so stakers always have that long to leave.
//!
//! ## Validator permits
//! [`StakeInfo::validator_permits`] ranks a subnet's neurons by the total stake of their
//! hotkeys and grants the top `max_allowed_validators` a permit (ties to the lower UID): the
//! same selection (`myelin_yuma::top_k`) the epoch makes, for tools that want today's ranking.
//!
//! ## Bounds
//! A hotkey has at most `MaxNominators` stakers besides its owner; a coldkey stakes on at most
//! `MaxStakedHotkeys` hotkeys; every stake position is at least `MinStake`.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
mod staking;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

use myelin_primitives::{Balance, BlockNumber, SubnetInfo};

/// Sets up what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `hotkey` a registered hotkey owned by `coldkey`.
	fn register_hotkey(coldkey: &AccountId, hotkey: &AccountId);
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

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

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
			/// A take below the limit, so tests see increases.
			pub const DefaultTestTake: Perbill = Perbill::from_percent(10);
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
			type MaxNominators = ConstU32<8>;
			type MaxStakedHotkeys = ConstU32<8>;
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

		/// Smallest stake position.
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

		/// Most stakers on one hotkey besides its owner.
		#[pallet::constant]
		type MaxNominators: Get<u32>;

		/// Most hotkeys one coldkey stakes on.
		#[pallet::constant]
		type MaxStakedHotkeys: Get<u32>;

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

	/// Stake of each (hotkey, coldkey) pair.
	#[pallet::storage]
	pub type Stake<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		Balance,
		ValueQuery,
	>;

	/// Total stake behind each hotkey.
	#[pallet::storage]
	pub type TotalHotkeyStake<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// Total stake of each coldkey (equals its held balance for [`HoldReason::Staked`]).
	#[pallet::storage]
	pub type TotalColdkeyStake<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// The hotkeys each coldkey stakes on.
	#[pallet::storage]
	pub type StakedHotkeys<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<T::AccountId, T::MaxStakedHotkeys>,
		ValueQuery,
	>;

	/// Stakers on each hotkey other than its owner.
	#[pallet::storage]
	pub type NominatorCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

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
		/// A coldkey staked on a hotkey.
		StakeAdded {
			/// The staker.
			coldkey: T::AccountId,
			/// The hotkey staked on.
			hotkey: T::AccountId,
			/// Tokens added (held from the coldkey).
			amount: Balance,
			/// The coldkey's stake on the hotkey now.
			stake: Balance,
		},
		/// A coldkey unstaked from a hotkey.
		StakeRemoved {
			/// The staker.
			coldkey: T::AccountId,
			/// The hotkey unstaked from.
			hotkey: T::AccountId,
			/// Tokens released to the coldkey.
			amount: Balance,
			/// The coldkey's stake on the hotkey now.
			stake: Balance,
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
		/// Rewards were minted as stake behind a hotkey.
		StakeCredited {
			/// The hotkey credited.
			hotkey: T::AccountId,
			/// Tokens minted as stake in all.
			amount: Balance,
			/// The part that went to the hotkey's owner (take, its own share and rounding).
			owner_share: Balance,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The hotkey has never been registered, so nobody owns it.
		HotkeyNotRegistered,
		/// The amount is below `MinStake`.
		AmountBelowMinimum,
		/// The coldkey cannot hold that much.
		InsufficientBalance,
		/// The coldkey has less stake on the hotkey than asked to remove.
		NotEnoughStake,
		/// What would remain staked is neither zero nor at least `MinStake`.
		RemainingStakeBelowMinimum,
		/// The hotkey already has `MaxNominators` stakers.
		TooManyNominators,
		/// The coldkey already stakes on `MaxStakedHotkeys` hotkeys.
		TooManyStakedHotkeys,
		/// Only the hotkey's owner may change its take.
		NotHotkeyOwner,
		/// The take is above `MaxTake`.
		TakeTooHigh,
		/// `decrease_take` needs a take below the current one.
		TakeNotLower,
		/// `increase_take` needs a take above the current one and any announced one.
		TakeNotHigher,
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
		/// Stakes `amount` of the signing coldkey's tokens on `hotkey` (held, not transferred).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_stake())]
		pub fn add_stake(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_add_stake(coldkey, hotkey, amount)
		}

		/// Unstakes `amount` from `hotkey`, releasing the held tokens to the signing coldkey.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_stake())]
		pub fn remove_stake(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_remove_stake(coldkey, hotkey, amount)
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
	}
}
