//! Where emission goes: accrual per block, the split of an epoch, and crediting it as stake.

use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use myelin_primitives::{Balance, NetUid, StakeInfo, SubnetInfo, Uid};
use myelin_yuma::EpochOutput;
use sp_runtime::helpers_128bit::multiply_by_rational_with_rounding;
use sp_runtime::{Perbill, Rounding};

use crate::{
	pallet::{
		Config, EmissionDust, Event, OwnerCut, Pallet, Split, Subnets, TotalEmitted, Unminted,
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

	/// Emission of the next block given the current supply (minted, owed by the stake pools,
	/// and emitted but undelivered).
	pub fn current_block_emission() -> Balance {
		let issued = T::Currency::total_issuance()
			.saturating_add(T::Stake::owed())
			.saturating_add(Unminted::<T>::get());
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
		// By stake: what the subnet's permitted validators had at its last epoch, less what has
		// left the subnet since (`SubnetAccount::split_weight`), so stake moved on to another
		// subnet stops counting here at once and no token counts on two subnets.
		let shares: Vec<Balance> = subnets
			.iter()
			.map(|(netuid, account)| match mode {
				SplitMode::ByStake => account.split_weight(T::Stake::subnet_stake(*netuid)),
				SplitMode::Equal => 1,
			})
			.collect();
		let total = shares.iter().fold(0u128, |acc, s| acc.saturating_add(*s));
		let mut distributed: Balance = 0;
		if total > 0 {
			for ((_, account), share) in subnets.iter_mut().zip(&shares) {
				let part =
					multiply_by_rational_with_rounding(amount, *share, total, Rounding::Down)
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

	/// Pays `netuid`'s pending emission by `output`: mints the owner's cut, credits the neurons'
	/// payouts as stake on the subnet, keeps what is not handed out pending. Returns each UID's
	/// emission.
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

		let mut emission = Vec::with_capacity(hotkeys.len());
		let mut credits = Vec::with_capacity(hotkeys.len());
		for (uid, hotkey) in (0..Uid::MAX).zip(hotkeys) {
			let index = usize::from(uid);
			let miner = split.miner.get(index).copied().unwrap_or_default();
			let validator = split.validator.get(index).copied().unwrap_or_default();
			let amount = miner.saturating_add(validator);
			emission.push(u64::try_from(amount).unwrap_or(u64::MAX));
			if amount > 0 {
				credits.push((uid, hotkey.clone(), amount));
			}
		}
		Self::credit(netuid, &credits);

		if eligible {
			let account = SubnetAccount {
				stake: permitted_stake,
				pending: split.pending,
				// After this epoch's credits: they are stake the subnet holds, not inflow.
				stake_at_epoch: T::Stake::subnet_stake(netuid),
			};
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

	/// Credits each `(uid, hotkey, amount)` as stake to the UID's hotkey on `netuid`. A credit
	/// that fails leaves nothing behind (the stake pallet makes each all or nothing) and is
	/// forfeited. Either way the amounts leave [`Unminted`]: delivered (owed by the stake
	/// pallet) or never to be minted, and never both.
	pub(crate) fn credit(netuid: NetUid, credits: &[(Uid, T::AccountId, Balance)]) {
		let total = credits.iter().fold(0u128, |acc, (_, _, amount)| acc.saturating_add(*amount));
		Unminted::<T>::mutate(|u| *u = u.saturating_sub(total));
		let by_uid: Vec<(Uid, Balance)> =
			credits.iter().map(|(uid, _, amount)| (*uid, *amount)).collect();
		let results = T::Stake::credit_stakes(netuid, &by_uid);
		for ((_, hotkey, amount), result) in credits.iter().zip(results) {
			if let Err(error) = result {
				TotalEmitted::<T>::mutate(|t| *t = t.saturating_sub(*amount));
				Self::deposit_event(Event::StakeCreditFailed {
					hotkey: hotkey.clone(),
					amount: *amount,
					error,
				});
			}
		}
	}

	/// Drops emitted-but-unminted `amount`: it will never be minted.
	pub(crate) fn forfeit(amount: Balance) {
		Unminted::<T>::mutate(|u| *u = u.saturating_sub(amount));
		TotalEmitted::<T>::mutate(|t| *t = t.saturating_sub(amount));
	}
}
