//! Stake positions: adding, removing, minting rewards as stake, delegate take, invariants.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::Precision,
	},
};
use myelin_primitives::{Balance, BlockNumber, SubnetInfo};
use sp_runtime::{traits::SaturatedConversion, Perbill};

use crate::pallet::{
	Config, Error, Event, HoldReason, NominatorCount, Pallet, PendingTake, Stake, StakedHotkeys,
	Take, TotalColdkeyStake, TotalHotkeyStake,
};

impl<T: Config> Pallet<T> {
	/// Holds `amount` from `coldkey` as stake on `hotkey`.
	pub(crate) fn do_add_stake(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
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

	/// Releases `amount` of `coldkey`'s stake on `hotkey`.
	pub(crate) fn do_remove_stake(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
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

	/// Lowers the take of `hotkey`, owned by `coldkey`, at once; cancels an announced increase.
	pub(crate) fn do_decrease_take(
		coldkey: &T::AccountId,
		hotkey: T::AccountId,
		take: Perbill,
	) -> DispatchResult {
		Self::ensure_hotkey_owner(coldkey, &hotkey)?;
		ensure!(take < Self::take(&hotkey), Error::<T>::TakeNotLower);
		PendingTake::<T>::remove(&hotkey);
		Take::<T>::insert(&hotkey, take);
		Self::deposit_event(Event::TakeDecreased { hotkey, take });
		Ok(())
	}

	/// Announces a higher take of `hotkey`, owned by `coldkey`, within `MaxTake`: it applies
	/// `TakeIncreaseDelay` blocks from now.
	pub(crate) fn do_increase_take(
		coldkey: &T::AccountId,
		hotkey: T::AccountId,
		take: Perbill,
	) -> DispatchResult {
		Self::ensure_hotkey_owner(coldkey, &hotkey)?;
		ensure!(take <= T::MaxTake::get(), Error::<T>::TakeTooHigh);
		let now = Self::now();
		let current = Self::settle_take(&hotkey, now);
		ensure!(take > current, Error::<T>::TakeNotHigher);
		let effective_at = now.saturating_add(T::TakeIncreaseDelay::get());
		PendingTake::<T>::insert(&hotkey, (take, effective_at));
		Self::deposit_event(Event::TakeIncreaseAnnounced { hotkey, take, effective_at });
		Ok(())
	}

	/// Makes a matured announcement the stored take and returns the take in force at `now`.
	fn settle_take(hotkey: &T::AccountId, now: BlockNumber) -> Perbill {
		if let Some((take, effective_at)) = PendingTake::<T>::get(hotkey) {
			if now >= effective_at {
				PendingTake::<T>::remove(hotkey);
				Take::<T>::insert(hotkey, take);
			}
		}
		Take::<T>::get(hotkey).unwrap_or_else(T::DefaultTake::get)
	}

	fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().saturated_into()
	}

	/// The take of `hotkey` in force now: an announced increase once its block has come,
	/// otherwise its owner's last choice, otherwise `DefaultTake`.
	pub fn take(hotkey: &T::AccountId) -> Perbill {
		match PendingTake::<T>::get(hotkey) {
			Some((take, effective_at)) if Self::now() >= effective_at => take,
			_ => Take::<T>::get(hotkey).unwrap_or_else(T::DefaultTake::get),
		}
	}

	/// The announced take of `hotkey` and the block it applies from, until it applies.
	pub fn pending_take(hotkey: &T::AccountId) -> Option<(Perbill, BlockNumber)> {
		PendingTake::<T>::get(hotkey).filter(|&(_, effective_at)| Self::now() < effective_at)
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
		ensure!(TotalHotkeyStake::<T>::iter().count() == by_hotkey.len(), "hotkey totals missing");
		for (coldkey, total) in TotalColdkeyStake::<T>::iter() {
			ensure!(by_coldkey.get(&coldkey) == Some(&total), "coldkey total disagrees");
			let held =
				<T::Currency as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
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
