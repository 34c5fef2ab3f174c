//! Stake flows: adding, withdrawing, moving and transferring positions of the share pools.
//!
//! Every flow goes through two primitives, [`Pallet::deposit`] and [`Pallet::withdraw`], which
//! first have the pool take its UID's accrued rewards ([`crate::accrual`]), keep `TotalColdkeyStake` (the holds) and `TotalOwed` (rewards not yet minted) in step with the
//! pools, and end in [`Pallet::settle`], which writes the pool and the position back and burns
//! a principal that a rounding left above its position's value.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
	},
};
use myelin_primitives::{Balance, NetUid, SubnetInfo};
use sp_runtime::ArithmeticError;

use crate::{
	pallet::{
		Config, Error, Event, HoldReason, Pallet, Pools, Positions, StakedOn, SubnetStake,
		TotalColdkeyStake, TotalOwed,
	},
	pool::MAX_ROUNDING_LOSS,
	Pool, Position,
};

/// What a withdrawal took out of a position.
pub(crate) struct Withdrawn {
	/// Principal that left the position (still held by the coldkey until the flow moves it).
	pub principal: Balance,
	/// Owed rewards that left the position (not minted yet).
	pub rewards: Balance,
	/// The position's value afterwards.
	pub remaining: Balance,
}

impl<T: Config> Pallet<T> {
	/// Holds `amount` from `coldkey` as stake on `hotkey` on `netuid`.
	pub(crate) fn do_add_stake(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		netuid: NetUid,
		amount: Balance,
	) -> DispatchResult {
		ensure!(amount >= T::MinStake::get(), Error::<T>::AmountBelowMinimum);
		Self::ensure_on_subnet(&hotkey, netuid)?;
		T::Currency::hold(&HoldReason::Staked.into(), &coldkey, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let stake = Self::deposit(&coldkey, &hotkey, netuid, amount, amount)?;
		Self::deposit_event(Event::StakeAdded { coldkey, hotkey, netuid, amount, stake });
		Ok(())
	}

	/// Withdraws `amount` of `coldkey`'s stake on `hotkey` on `netuid`: releases the principal
	/// part, mints the rewards part.
	pub(crate) fn do_remove_stake(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		netuid: NetUid,
		amount: Balance,
	) -> DispatchResult {
		let out = Self::withdraw(&coldkey, &hotkey, netuid, amount)?;
		if out.principal > 0 {
			T::Currency::release(
				&HoldReason::Staked.into(),
				&coldkey,
				out.principal,
				Precision::Exact,
			)?;
		}
		if out.rewards > 0 {
			T::Currency::mint_into(&coldkey, out.rewards)?;
		}
		Self::deposit_event(Event::StakeRemoved {
			coldkey,
			hotkey,
			netuid,
			amount,
			released: out.principal,
			minted: out.rewards,
			stake: out.remaining,
		});
		Ok(())
	}

	/// Moves `amount` of `coldkey`'s stake from pool `from` to pool `to`: the principal stays
	/// held, owed rewards stay owed.
	pub(crate) fn do_move_stake(
		coldkey: T::AccountId,
		from: (T::AccountId, NetUid),
		to: (T::AccountId, NetUid),
		amount: Balance,
	) -> DispatchResult {
		ensure!(from != to, Error::<T>::SamePool);
		ensure!(amount >= T::MinStake::get(), Error::<T>::AmountBelowMinimum);
		Self::ensure_on_subnet(&to.0, to.1)?;
		let out = Self::withdraw(&coldkey, &from.0, from.1, amount)?;
		Self::deposit(&coldkey, &to.0, to.1, amount, out.principal)?;
		Self::deposit_event(Event::StakeMoved { coldkey, from, to, amount });
		Ok(())
	}

	/// Gives `amount` of `from`'s stake on `hotkey` on `netuid` to `to`, in the same pool: the
	/// held principal moves to `to`'s account (still held), owed rewards stay owed.
	pub(crate) fn do_transfer_stake(
		from: T::AccountId,
		to: T::AccountId,
		hotkey: T::AccountId,
		netuid: NetUid,
		amount: Balance,
	) -> DispatchResult {
		ensure!(from != to, Error::<T>::SameColdkey);
		ensure!(amount >= T::MinStake::get(), Error::<T>::AmountBelowMinimum);
		let out = Self::withdraw(&from, &hotkey, netuid, amount)?;
		if out.principal > 0 {
			T::Currency::transfer_on_hold(
				&HoldReason::Staked.into(),
				&from,
				&to,
				out.principal,
				Precision::Exact,
				Restriction::OnHold,
				Fortitude::Polite,
			)?;
		}
		Self::deposit(&to, &hotkey, netuid, amount, out.principal)?;
		Self::deposit_event(Event::StakeTransferred { from, to, hotkey, netuid, amount });
		Ok(())
	}

	/// Adds `amount` of value to `coldkey`'s position in pool (`hotkey`, `netuid`), of which
	/// `principal` is already held from `coldkey`. Returns the position's value.
	pub(crate) fn deposit(
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
		netuid: NetUid,
		amount: Balance,
		principal: Balance,
	) -> Result<Balance, DispatchError> {
		Self::ensure_not_clearing(netuid)?;
		Self::collect_accrued(hotkey, netuid);
		let mut pool = Pools::<T>::get(hotkey, netuid).unwrap_or_default();
		let key = (hotkey.clone(), netuid, coldkey.clone());
		let mut position = Positions::<T>::get(&key).unwrap_or_default();
		Self::take_owner_shares(coldkey, hotkey, &mut pool, &mut position)?;
		let worth_before = position.value_in(&pool);
		let shares = pool.deposit(amount, principal)?;
		ensure!(shares > 0, Error::<T>::RoundingLoss);
		position.shares = position.shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		position.principal =
			position.principal.checked_add(principal).ok_or(ArithmeticError::Overflow)?;
		let gained = position.value_in(&pool).saturating_sub(worth_before);
		ensure!(gained.saturating_add(MAX_ROUNDING_LOSS) >= amount, Error::<T>::RoundingLoss);
		Self::change_subnet_stake(netuid, amount, true)?;
		Self::add_principal(coldkey, principal)?;
		Self::add_owed(amount.saturating_sub(principal))?;
		Self::settle(coldkey, hotkey, netuid, pool, position)
	}

	/// Takes `amount` of value out of `coldkey`'s position in pool (`hotkey`, `netuid`); what
	/// remains must be zero or at least `MinStake`. The principal part stays held and the
	/// rewards part unminted: the caller releases, moves or mints them.
	pub(crate) fn withdraw(
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
		netuid: NetUid,
		amount: Balance,
	) -> Result<Withdrawn, DispatchError> {
		ensure!(amount > 0, Error::<T>::AmountBelowMinimum);
		Self::ensure_not_clearing(netuid)?;
		Self::collect_accrued(hotkey, netuid);
		let key = (hotkey.clone(), netuid, coldkey.clone());
		let mut pool = Pools::<T>::get(hotkey, netuid).ok_or(Error::<T>::NotEnoughStake)?;
		let mut position = Positions::<T>::get(&key).unwrap_or_default();
		Self::take_owner_shares(coldkey, hotkey, &mut pool, &mut position)?;
		let worth = position.value_in(&pool);
		ensure!(worth > 0 && amount <= worth, Error::<T>::NotEnoughStake);
		let (principal, rewards) = position.withdrawal_split(amount);
		let burned = pool.withdraw(amount, position.shares)?;
		position.shares = position.shares.checked_sub(burned).ok_or(ArithmeticError::Underflow)?;
		// Judged on what remains after rounding, not on the estimate before it.
		let remaining = position.value_in(&pool);
		ensure!(
			remaining == 0 || remaining >= T::MinStake::get(),
			Error::<T>::RemainingStakeBelowMinimum
		);
		let given_up = worth.saturating_sub(remaining);
		ensure!(given_up <= amount.saturating_add(MAX_ROUNDING_LOSS), Error::<T>::RoundingLoss);
		Self::change_subnet_stake(netuid, amount, false)?;
		position.principal =
			position.principal.checked_sub(principal).ok_or(ArithmeticError::Underflow)?;
		pool.principal = pool.principal.checked_sub(principal).ok_or(ArithmeticError::Underflow)?;
		Self::sub_principal(coldkey, principal)?;
		TotalOwed::<T>::try_mutate(|owed| {
			*owed = owed.checked_sub(rewards).ok_or(ArithmeticError::Underflow)?;
			Ok::<_, DispatchError>(())
		})?;
		let remaining = Self::settle(coldkey, hotkey, netuid, pool, position)?;
		Ok(Withdrawn { principal, rewards, remaining })
	}

	/// Writes `pool` and `coldkey`'s `position` in it back (removing them once empty), after
	/// burning the position's principal above its value, if a rounding left any: that planck or
	/// so leaves the coldkey's hold and becomes owed to the pool, so total issuance plus owed
	/// stays exact. Returns the position's value.
	pub(crate) fn settle(
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
		netuid: NetUid,
		mut pool: Pool,
		mut position: Position,
	) -> Result<Balance, DispatchError> {
		let worth = position.value_in(&pool);
		let excess = position.principal.saturating_sub(worth);
		if excess > 0 {
			T::Currency::burn_held(
				&HoldReason::Staked.into(),
				coldkey,
				excess,
				Precision::Exact,
				Fortitude::Force,
			)?;
			position.principal = worth;
			pool.principal =
				pool.principal.checked_sub(excess).ok_or(ArithmeticError::Underflow)?;
			Self::sub_principal(coldkey, excess)?;
			Self::add_owed(excess)?;
		}
		// A pool without shares holds no value: nothing may be left behind unowned.
		ensure!(pool.shares > 0 || pool.value == 0, ArithmeticError::Underflow);
		let key = (hotkey.clone(), netuid, coldkey.clone());
		if position.shares == 0 {
			Positions::<T>::remove(&key);
			StakedOn::<T>::remove(coldkey, (hotkey.clone(), netuid));
		} else {
			Positions::<T>::insert(&key, position);
			StakedOn::<T>::insert(coldkey, (hotkey.clone(), netuid), ());
		}
		Self::write_pool(hotkey, netuid, &pool);
		Ok(worth)
	}

	/// When `coldkey` owns `hotkey`, the shares its take bought join its position before it
	/// acts on it.
	fn take_owner_shares(
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
		pool: &mut Pool,
		position: &mut Position,
	) -> DispatchResult {
		if pool.owner_shares > 0 && T::Subnets::hotkey_owner(hotkey).as_ref() == Some(coldkey) {
			pool.release_owner_shares(position)?;
		}
		Ok(())
	}

	fn add_principal(coldkey: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		TotalColdkeyStake::<T>::try_mutate(coldkey, |total| {
			*total = total.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
			Ok(())
		})
	}

	fn sub_principal(coldkey: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		TotalColdkeyStake::<T>::try_mutate_exists(coldkey, |total| {
			let left = total.unwrap_or_default().checked_sub(amount);
			let left = left.ok_or(ArithmeticError::Underflow)?;
			*total = (left > 0).then_some(left);
			Ok(())
		})
	}

	/// Adds `amount` to (or takes it from) the stake on `netuid`.
	pub(crate) fn change_subnet_stake(
		netuid: NetUid,
		amount: Balance,
		add: bool,
	) -> DispatchResult {
		SubnetStake::<T>::try_mutate_exists(netuid, |stake| {
			let current = stake.unwrap_or_default();
			let new = if add { current.checked_add(amount) } else { current.checked_sub(amount) };
			let new = new.ok_or(ArithmeticError::Overflow)?;
			*stake = (new > 0).then_some(new);
			Ok(())
		})
	}

	pub(crate) fn add_owed(amount: Balance) -> DispatchResult {
		TotalOwed::<T>::try_mutate(|owed| {
			*owed = owed.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
			Ok(())
		})
	}

	/// Stake earns only on a subnet where its hotkey holds a UID.
	fn ensure_on_subnet(hotkey: &T::AccountId, netuid: NetUid) -> DispatchResult {
		T::Subnets::hotkey_owner(hotkey).ok_or(Error::<T>::HotkeyNotRegistered)?;
		ensure!(T::Subnets::uid_of_hotkey(netuid, hotkey).is_some(), Error::<T>::HotkeyNotOnSubnet);
		Ok(())
	}
}
