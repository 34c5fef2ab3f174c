//! Where emission goes: accrual per block, the split of an epoch, and crediting queued payouts.

use alloc::vec::Vec;
use frame_support::storage::with_storage_layer;
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use myelin_primitives::{Balance, NetUid, StakeInfo, SubnetInfo};
use myelin_yuma::EpochOutput;
use sp_runtime::helpers_128bit::multiply_by_rational_with_rounding;
use sp_runtime::{Perbill, Rounding};

use crate::{
	pallet::{
		Config, EmissionDust, Event, OwnerCut, Pallet, Payouts, Split, Subnets, TotalEmitted,
		Unminted,
	},
	weights::WeightInfo,
	SplitMode, SubnetAccount,
};

impl<T: Config> Pallet<T> {
	/// `netuid`'s stake share and pending emission (zero when it is not eligible for emission).
	pub fn subnet_account(netuid: NetUid) -> SubnetAccount {
		Subnets::<T>::get().get(&netuid).copied().unwrap_or_default()
	}

	/// The share of `netuid`'s emission paid to its owner: governance's setting, or the default.
	pub fn owner_cut(netuid: NetUid) -> Perbill {
		OwnerCut::<T>::get(netuid).unwrap_or_else(T::DefaultOwnerCut::get)
	}

	/// Emission of the next block given the current supply (minted and owed).
	pub fn current_block_emission() -> Balance {
		let issued = T::Currency::total_issuance().saturating_add(Unminted::<T>::get());
		myelin_yuma::emission::block_emission(
			T::InitialBlockEmission::get(),
			T::SupplyCap::get(),
			issued,
		)
	}

	/// Splits this block's emission (plus last block's dust) across the eligible subnets.
	pub(crate) fn accrue_block_emission() -> Weight {
		let mut subnets = Subnets::<T>::get();
		let count = u32::try_from(subnets.len()).unwrap_or(u32::MAX);
		let weight = T::WeightInfo::on_initialize(count);
		if subnets.is_empty() {
			return weight;
		}
		let emitted = Self::current_block_emission();
		let amount = emitted.saturating_add(EmissionDust::<T>::get());
		let mode = Split::<T>::get();
		let share = |account: &SubnetAccount| match mode {
			SplitMode::ByStake => account.stake,
			SplitMode::Equal => 1,
		};
		let total = subnets.values().map(share).fold(0u128, |acc, s| acc.saturating_add(s));
		let mut distributed: Balance = 0;
		if total > 0 {
			for (_, account) in subnets.iter_mut() {
				let part = multiply_by_rational_with_rounding(
					amount,
					share(account),
					total,
					Rounding::Down,
				)
				.unwrap_or_default();
				account.pending = account.pending.saturating_add(part);
				distributed = distributed.saturating_add(part);
			}
		}
		EmissionDust::<T>::put(amount.saturating_sub(distributed));
		Subnets::<T>::put(subnets);
		Unminted::<T>::mutate(|u| *u = u.saturating_add(emitted));
		TotalEmitted::<T>::mutate(|t| *t = t.saturating_add(emitted));
		weight
	}

	/// Pays `netuid`'s pending emission by `output`: mints the owner's cut, queues the neurons'
	/// payouts, keeps what is not handed out pending. Returns each UID's emission.
	pub(crate) fn do_pay_epoch(
		netuid: NetUid,
		hotkeys: &[T::AccountId],
		output: &EpochOutput,
		permitted_stake: Balance,
	) -> Vec<u64> {
		let mut subnets = Subnets::<T>::get();
		let eligible = subnets.contains_key(&netuid) || output.has_weights;
		let pending = subnets.get_mut(&netuid).map(|a| core::mem::take(&mut a.pending));
		let pending = pending.unwrap_or_default();

		let cut = Self::owner_cut(netuid);
		let mut owner_cut = cut.mul_floor(pending);
		if owner_cut > 0 {
			let paid = T::Subnets::owner(netuid)
				.is_some_and(|owner| T::Currency::mint_into(&owner, owner_cut).is_ok());
			if paid {
				Unminted::<T>::mutate(|u| *u = u.saturating_sub(owner_cut));
			} else {
				// No owner to pay (or the amount is below the existential deposit): it stays
				// with the neurons.
				owner_cut = 0;
			}
		}
		let split = output.emission_split(pending.saturating_sub(owner_cut));

		let mut queue = Payouts::<T>::get(netuid);
		let mut emission = Vec::with_capacity(hotkeys.len());
		for (uid, hotkey) in hotkeys.iter().enumerate() {
			let miner = split.miner.get(uid).copied().unwrap_or_default();
			let validator = split.validator.get(uid).copied().unwrap_or_default();
			let amount = miner.saturating_add(validator);
			emission.push(u64::try_from(amount).unwrap_or(u64::MAX));
			if amount > 0 {
				if let Err((hotkey, amount)) = queue.try_push((hotkey.clone(), amount)) {
					// The queue is full (payouts of earlier epochs still waiting): pay now.
					Self::credit(&hotkey, amount);
				}
			}
		}
		Payouts::<T>::insert(netuid, queue);

		if eligible {
			let account = SubnetAccount { stake: permitted_stake, pending: split.pending };
			// At most one account per existing subnet: the bound cannot be hit.
			if subnets.try_insert(netuid, account).is_err() {
				Self::forfeit(split.pending);
			}
			Subnets::<T>::put(subnets);
		} else {
			// Not eligible yet: nothing was pending, and the split of nothing is nothing.
			Self::forfeit(split.pending);
		}
		let sum = |v: &[Balance]| v.iter().fold(0u128, |acc, x| acc.saturating_add(*x));
		Self::deposit_event(Event::EpochPaid {
			netuid,
			owner_cut,
			miners: sum(&split.miner),
			validators: sum(&split.validator),
			still_pending: split.pending,
		});
		emission
	}

	/// Credits queued payouts while `remaining` weight allows. Returns the weight used.
	pub(crate) fn pay_queued(remaining: Weight) -> Weight {
		let mut used = T::WeightInfo::on_idle_base();
		if !remaining.all_gte(used) {
			return Weight::zero();
		}
		let netuids: Vec<NetUid> = Payouts::<T>::iter_keys().collect();
		for netuid in netuids {
			let mut queue = Payouts::<T>::get(netuid);
			let mut exhausted = false;
			while let Some((hotkey, _)) = queue.last() {
				let cost = T::WeightInfo::credit(T::Stake::positions(hotkey));
				if !remaining.all_gte(used.saturating_add(cost)) {
					exhausted = true;
					break;
				}
				used = used.saturating_add(cost);
				if let Some((hotkey, amount)) = queue.pop() {
					Self::credit(&hotkey, amount);
				}
			}
			if queue.is_empty() {
				Payouts::<T>::remove(netuid);
			} else {
				Payouts::<T>::insert(netuid, queue);
			}
			if exhausted {
				break;
			}
		}
		used
	}

	/// Mints `amount` as stake on `hotkey`; failing that, to the hotkey's owner; failing that,
	/// forfeits it. Either way it leaves [`Unminted`], and exactly `amount` or nothing is minted.
	pub(crate) fn credit(hotkey: &T::AccountId, amount: Balance) {
		Unminted::<T>::mutate(|u| *u = u.saturating_sub(amount));
		// Crediting mints into several stakers' accounts and can fail after some of them (the
		// owner's position refused): hooks have no storage layer of their own, so this one
		// gets one, and a failure leaves none of its mints behind.
		let credited = with_storage_layer(|| T::Stake::credit_stake(hotkey, amount));
		match credited {
			Ok(_) => return,
			Err(error) => Self::deposit_event(Event::StakeCreditFailed {
				hotkey: hotkey.clone(),
				amount,
				error,
			}),
		}
		let minted = T::Subnets::hotkey_owner(hotkey)
			.is_some_and(|owner| T::Currency::mint_into(&owner, amount).is_ok());
		if !minted {
			TotalEmitted::<T>::mutate(|t| *t = t.saturating_sub(amount));
			Self::deposit_event(Event::PayoutForfeited { hotkey: hotkey.clone(), amount });
		}
	}

	/// Drops emitted-but-unminted `amount`: it will never be minted.
	pub(crate) fn forfeit(amount: Balance) {
		Unminted::<T>::mutate(|u| *u = u.saturating_sub(amount));
		TotalEmitted::<T>::mutate(|t| *t = t.saturating_sub(amount));
	}
}
