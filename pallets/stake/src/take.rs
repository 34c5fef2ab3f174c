//! Delegate take: decreases at once, increases announced `TakeIncreaseDelay` blocks ahead.

use frame_support::{ensure, pallet_prelude::*};
use myelin_primitives::{BlockNumber, SubnetInfo};
use sp_runtime::{traits::SaturatedConversion, Perbill};

use crate::pallet::{Config, Error, Event, Pallet, PendingTake, Take};

impl<T: Config> Pallet<T> {
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
		Self::record_take(&hotkey);
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
		Self::record_take(&hotkey);
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

	pub(crate) fn now() -> BlockNumber {
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
}
