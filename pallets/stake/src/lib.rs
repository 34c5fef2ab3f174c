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
//! lower the take at any time ([`Pallet::decrease_take`]) and raise it at most to `MaxTake`,
//! once per `TakeIncreaseRateLimit` blocks ([`Pallet::increase_take`]): stakers always have
//! time to leave before a take increase.
//!
//! ## Validator permits
//! [`StakeInfo::validator_permits`] ranks a subnet's neurons by the total stake of their
//! hotkeys and grants the top `max_allowed_validators` a permit (ties to the lower UID). The
//! weights pallet calls it at every epoch.
//!
//! ## Bounds
//! A hotkey has at most `MaxNominators` stakers besides its owner; a coldkey stakes on at most
//! `MaxStakedHotkeys` hotkeys; every stake position is at least `MinStake`.

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
pub mod permits;
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

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Mutate, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::SaturatedConversion,
		Perbill,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The token whose holds back stake.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = Balance>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Subnets and hotkey ownership.
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

		/// Blocks between two take increases of one hotkey.
		#[pallet::constant]
		type TakeIncreaseRateLimit: Get<BlockNumber>;

		/// Most stakers on one hotkey besides its owner.
		#[pallet::constant]
		type MaxNominators: Get<u32>;

		/// Most hotkeys one coldkey stakes on.
		#[pallet::constant]
		type MaxStakedHotkeys: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Registers hotkeys for the benchmarks.
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

	/// Block of each hotkey's last take increase.
	#[pallet::storage]
	pub type LastTakeIncrease<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumber, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A coldkey staked on a hotkey.
		StakeAdded { coldkey: T::AccountId, hotkey: T::AccountId, amount: Balance, stake: Balance },
		/// A coldkey unstaked from a hotkey.
		StakeRemoved { coldkey: T::AccountId, hotkey: T::AccountId, amount: Balance, stake: Balance },
		/// A hotkey's owner lowered its take.
		TakeDecreased { hotkey: T::AccountId, take: Perbill },
		/// A hotkey's owner raised its take.
		TakeIncreased { hotkey: T::AccountId, take: Perbill },
		/// Rewards were minted as stake behind a hotkey.
		StakeCredited { hotkey: T::AccountId, amount: Balance, owner_share: Balance },
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
		/// `increase_take` needs a take above the current one.
		TakeNotHigher,
		/// The take was raised less than `TakeIncreaseRateLimit` blocks ago.
		TakeRateLimitExceeded,
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
		pub fn add_stake(origin: OriginFor<T>, hotkey: T::AccountId, amount: Balance) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			ensure!(amount >= T::MinStake::get(), Error::<T>::AmountBelowMinimum);
			let owner = T::Subnets::hotkey_owner(&hotkey).ok_or(Error::<T>::HotkeyNotRegistered)?;
			if Stake::<T>::get(&hotkey, &coldkey) == 0 && coldkey != owner {
				ensure!(
					NominatorCount::<T>::get(&hotkey) < T::MaxNominators::get(),
					Error::<T>::TooManyNominators
				);
			}
			T::Currency::hold(&HoldReason::Staked.into(), &coldkey, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let stake = Self::increase_stake(&coldkey, &hotkey, &owner, amount)?;
			Self::deposit_event(Event::StakeAdded { coldkey, hotkey, amount, stake });
			Ok(())
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
			let current = Stake::<T>::get(&hotkey, &coldkey);
			ensure!(amount <= current, Error::<T>::NotEnoughStake);
			let remaining = current.saturating_sub(amount);
			ensure!(
				remaining == 0 || remaining >= T::MinStake::get(),
				Error::<T>::RemainingStakeBelowMinimum
			);
			T::Currency::release(&HoldReason::Staked.into(), &coldkey, amount, Precision::Exact)?;
			Self::decrease_stake(&coldkey, &hotkey, amount, remaining);
			Self::deposit_event(Event::StakeRemoved { coldkey, hotkey, amount, stake: remaining });
			Ok(())
		}

		/// Lowers `hotkey`'s take (signed by its owner coldkey). Allowed at any time.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::decrease_take())]
		pub fn decrease_take(origin: OriginFor<T>, hotkey: T::AccountId, take: Perbill) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::ensure_hotkey_owner(&coldkey, &hotkey)?;
			ensure!(take < Self::take(&hotkey), Error::<T>::TakeNotLower);
			Take::<T>::insert(&hotkey, take);
			Self::deposit_event(Event::TakeDecreased { hotkey, take });
			Ok(())
		}

		/// Raises `hotkey`'s take up to `MaxTake` (signed by its owner coldkey), at most once per
		/// `TakeIncreaseRateLimit` blocks.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::increase_take())]
		pub fn increase_take(origin: OriginFor<T>, hotkey: T::AccountId, take: Perbill) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::ensure_hotkey_owner(&coldkey, &hotkey)?;
			ensure!(take <= T::MaxTake::get(), Error::<T>::TakeTooHigh);
			ensure!(take > Self::take(&hotkey), Error::<T>::TakeNotHigher);
			let now = Self::now();
			if let Some(last) = LastTakeIncrease::<T>::get(&hotkey) {
				ensure!(
					now >= last.saturating_add(T::TakeIncreaseRateLimit::get()),
					Error::<T>::TakeRateLimitExceeded
				);
			}
			Take::<T>::insert(&hotkey, take);
			LastTakeIncrease::<T>::insert(&hotkey, now);
			Self::deposit_event(Event::TakeIncreased { hotkey, take });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn now() -> BlockNumber {
			frame_system::Pallet::<T>::block_number().saturated_into()
		}

		/// The take of `hotkey` (its owner's choice or `DefaultTake`).
		pub fn take(hotkey: &T::AccountId) -> Perbill {
			Take::<T>::get(hotkey).unwrap_or_else(T::DefaultTake::get)
		}

		fn ensure_hotkey_owner(coldkey: &T::AccountId, hotkey: &T::AccountId) -> DispatchResult {
			let owner = T::Subnets::hotkey_owner(hotkey).ok_or(Error::<T>::HotkeyNotRegistered)?;
			ensure!(&owner == coldkey, Error::<T>::NotHotkeyOwner);
			Ok(())
		}

		/// Records `amount` more stake of `coldkey` on `hotkey` (already held). Returns the new
		/// position.
		pub(crate) fn increase_stake(
			coldkey: &T::AccountId,
			hotkey: &T::AccountId,
			owner: &T::AccountId,
			amount: Balance,
		) -> Result<Balance, DispatchError> {
			let previous = Stake::<T>::get(hotkey, coldkey);
			if previous == 0 {
				StakedHotkeys::<T>::try_mutate(coldkey, |hotkeys| hotkeys.try_push(hotkey.clone()))
					.map_err(|_| Error::<T>::TooManyStakedHotkeys)?;
				if coldkey != owner {
					NominatorCount::<T>::mutate(hotkey, |n| *n = n.saturating_add(1));
				}
			}
			let stake = previous.saturating_add(amount);
			Stake::<T>::insert(hotkey, coldkey, stake);
			TotalHotkeyStake::<T>::mutate(hotkey, |total| *total = total.saturating_add(amount));
			TotalColdkeyStake::<T>::mutate(coldkey, |total| *total = total.saturating_add(amount));
			Ok(stake)
		}

		/// Records `amount` less stake of `coldkey` on `hotkey` (already released).
		fn decrease_stake(
			coldkey: &T::AccountId,
			hotkey: &T::AccountId,
			amount: Balance,
			remaining: Balance,
		) {
			if remaining == 0 {
				Stake::<T>::remove(hotkey, coldkey);
				StakedHotkeys::<T>::mutate(coldkey, |hotkeys| hotkeys.retain(|h| h != hotkey));
				if T::Subnets::hotkey_owner(hotkey).as_ref() != Some(coldkey) {
					NominatorCount::<T>::mutate(hotkey, |n| *n = n.saturating_sub(1));
				}
			} else {
				Stake::<T>::insert(hotkey, coldkey, remaining);
			}
			TotalHotkeyStake::<T>::mutate_exists(hotkey, |total| {
				let left = total.unwrap_or_default().saturating_sub(amount);
				*total = (left > 0).then_some(left);
			});
			TotalColdkeyStake::<T>::mutate_exists(coldkey, |total| {
				let left = total.unwrap_or_default().saturating_sub(amount);
				*total = (left > 0).then_some(left);
			});
		}

		/// Mints `amount` into `coldkey`'s account and stakes it on `hotkey`.
		pub(crate) fn mint_stake(
			coldkey: &T::AccountId,
			hotkey: &T::AccountId,
			owner: &T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			if amount == 0 {
				return Ok(());
			}
			T::Currency::mint_into(coldkey, amount)?;
			T::Currency::hold(&HoldReason::Staked.into(), coldkey, amount)?;
			Self::increase_stake(coldkey, hotkey, owner, amount).map(|_| ())
		}

		/// Invariants: the three stake totals agree with each other and with the holds; counts
		/// and indices match the positions.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut by_hotkey = alloc::collections::BTreeMap::<T::AccountId, Balance>::new();
			let mut by_coldkey = alloc::collections::BTreeMap::<T::AccountId, Balance>::new();
			for (hotkey, coldkey, stake) in Stake::<T>::iter() {
				ensure!(stake > 0, "zero stake position stored");
				let h = by_hotkey.entry(hotkey.clone()).or_default();
				*h = h.saturating_add(stake);
				let c = by_coldkey.entry(coldkey.clone()).or_default();
				*c = c.saturating_add(stake);
				ensure!(
					StakedHotkeys::<T>::get(&coldkey).contains(&hotkey),
					"position missing from StakedHotkeys"
				);
			}
			for (hotkey, total) in TotalHotkeyStake::<T>::iter() {
				ensure!(by_hotkey.get(&hotkey) == Some(&total), "hotkey total disagrees");
			}
			ensure!(
				TotalHotkeyStake::<T>::iter().count() == by_hotkey.len(),
				"hotkey totals missing"
			);
			for (coldkey, total) in TotalColdkeyStake::<T>::iter() {
				ensure!(by_coldkey.get(&coldkey) == Some(&total), "coldkey total disagrees");
				let held = <T::Currency as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
					&HoldReason::Staked.into(),
					&coldkey,
				);
				ensure!(held == total, "stake hold differs from recorded stake");
			}
			ensure!(
				TotalColdkeyStake::<T>::iter().count() == by_coldkey.len(),
				"coldkey totals missing"
			);
			Ok(())
		}
	}
}
