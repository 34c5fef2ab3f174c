//! [`StakeInfo`] for the other pallets: stake reads, reward crediting, validator permits.

use alloc::vec::Vec;
use frame_support::ensure;
use myelin_primitives::{Balance, NetUid, StakeInfo, SubnetInfo};
use sp_runtime::{DispatchError, Rounding};

use crate::pallet::{
	Config, Error, Event, NominatorCount, Pallet, Stake, StakedHotkeys, TotalColdkeyStake,
	TotalHotkeyStake,
};

impl<T: Config> Pallet<T> {
	/// Every stake position of `coldkey`: `(hotkey, amount)` in the order it staked.
	pub fn positions_of(coldkey: &T::AccountId) -> Vec<(T::AccountId, Balance)> {
		StakedHotkeys::<T>::get(coldkey)
			.into_iter()
			.map(|hotkey| {
				let amount = Stake::<T>::get(&hotkey, coldkey);
				(hotkey, amount)
			})
			.collect()
	}

	/// Total stake of `coldkey` on all hotkeys.
	pub fn coldkey_total(coldkey: &T::AccountId) -> Balance {
		TotalColdkeyStake::<T>::get(coldkey)
	}

	/// Every staker of `hotkey`: `(coldkey, amount)`, largest first, ties by coldkey.
	pub fn stakers(hotkey: &T::AccountId) -> Vec<(T::AccountId, Balance)>
	where
		T::AccountId: Ord,
	{
		let mut stakers: Vec<_> = Stake::<T>::iter_prefix(hotkey).collect();
		stakers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
		stakers
	}
}

impl<T: Config> StakeInfo<T::AccountId, Balance> for Pallet<T> {
	fn total_stake(hotkey: &T::AccountId) -> Balance {
		TotalHotkeyStake::<T>::get(hotkey)
	}

	fn stake(coldkey: &T::AccountId, hotkey: &T::AccountId) -> Balance {
		Stake::<T>::get(hotkey, coldkey)
	}

	fn credit_stake(hotkey: &T::AccountId, amount: Balance) -> Result<Balance, DispatchError> {
		let owner = T::Subnets::hotkey_owner(hotkey).ok_or(Error::<T>::HotkeyNotRegistered)?;
		ensure!(amount > 0, Error::<T>::AmountBelowMinimum);
		let total = TotalHotkeyStake::<T>::get(hotkey);
		let take = Self::take(hotkey).mul_floor(amount);
		let to_stakers = amount.saturating_sub(take);

		// Stakers' shares are computed on the stake before this credit, rounded down; whatever
		// rounding leaves over goes to the owner, so exactly `amount` is minted.
		let mut shares: Vec<(T::AccountId, Balance)> = Vec::new();
		let mut distributed: Balance = 0;
		if total > 0 {
			for (coldkey, stake) in Stake::<T>::iter_prefix(hotkey) {
				let share = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
					to_stakers,
					stake,
					total,
					Rounding::Down,
				)
				.unwrap_or_default();
				distributed = distributed.saturating_add(share);
				shares.push((coldkey, share));
			}
		}
		let owner_share = amount.saturating_sub(distributed);
		for (coldkey, share) in shares.iter().filter(|(c, _)| c != &owner) {
			Self::mint_stake(coldkey, hotkey, &owner, *share)?;
		}
		let owner_staker_share =
			shares.iter().find(|(c, _)| c == &owner).map(|(_, s)| *s).unwrap_or_default();
		Self::mint_stake(&owner, hotkey, &owner, owner_share.saturating_add(owner_staker_share))?;
		Self::deposit_event(Event::StakeCredited {
			hotkey: hotkey.clone(),
			amount,
			owner_share: owner_share.saturating_add(owner_staker_share),
		});
		Ok(amount)
	}

	fn positions(hotkey: &T::AccountId) -> u32 {
		NominatorCount::<T>::get(hotkey).saturating_add(1)
	}

	fn validator_permits(netuid: NetUid) -> Vec<bool> {
		let Some(params) = T::Subnets::hyperparams(netuid) else {
			return Vec::new();
		};
		let stakes: Vec<Balance> =
			T::Subnets::hotkeys(netuid).iter().map(TotalHotkeyStake::<T>::get).collect();
		myelin_yuma::top_k(&stakes, params.max_allowed_validators)
	}
}
