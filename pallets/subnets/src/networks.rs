//! Subnet lifecycle: registration with its lock, dissolution, hyperparameters, serving info,
//! and the per-block burn decay.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::pallet_prelude::OriginFor;
use myelin_primitives::{
	subnets::HyperparamError, Balance, BlockNumber, NetUid, OnNeuronChange, SubnetClearing,
	SubnetHyperparams,
};
use sp_runtime::traits::{SaturatedConversion, Verify};

use crate::{
	pallet::{
		Axons, Burn, Clearing, Config, Error, Event, HoldReason, HyperparamLastSet, Hyperparams,
		LastLockBlock, LastLockCost, Networks, Neurons, OwnedHotkeys, Owner, Pallet, SubnetLimit,
		SubnetworkN, Uids,
	},
	pricing, AxonInfo, Hyperparameter, NetworkInfo,
};

impl<T: Config> Pallet<T> {
	/// Registers a subnet for `owner` at the current lock cost, respecting the rate limit.
	pub(crate) fn do_register_network(
		owner: &T::AccountId,
		hotkey: &T::AccountId,
	) -> DispatchResult {
		let now = Self::now();
		if let Some(last) = LastLockBlock::<T>::get() {
			ensure!(
				now >= last.saturating_add(T::NetworkRateLimit::get()),
				Error::<T>::NetworkRateLimitExceeded
			);
		}
		Self::ensure_hotkey_available(owner, hotkey)?;
		let lock = Self::current_lock_cost();
		Self::create_network(owner, hotkey, lock, T::DefaultHyperparams::get())?;
		LastLockCost::<T>::put(lock);
		LastLockBlock::<T>::put(now);
		Ok(())
	}

	/// Applies one hyperparameter change; `by_owner` adds the owner's restrictions.
	pub(crate) fn do_set_hyperparameter(
		netuid: NetUid,
		param: Hyperparameter,
		by_owner: bool,
	) -> DispatchResult {
		let now = Self::now();
		if by_owner {
			ensure!(param.owner_settable(), Error::<T>::NotOwnerSettable);
			if let Some(last) = HyperparamLastSet::<T>::get(netuid, param.kind()) {
				ensure!(
					now >= last.saturating_add(T::HyperparameterRateLimit::get()),
					Error::<T>::HyperparameterRateLimitExceeded
				);
			}
		}
		let current = Hyperparams::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		let updated = param.apply(current);
		updated.check().map_err(|e| match e {
			HyperparamError::OutOfBounds => Error::<T>::HyperparameterOutOfBounds,
			HyperparamError::Inconsistent => Error::<T>::HyperparametersInconsistent,
		})?;
		ensure!(
			updated.max_allowed_uids >= SubnetworkN::<T>::get(netuid),
			Error::<T>::HyperparametersInconsistent
		);
		// A new burn range applies to the current price at once.
		Burn::<T>::mutate(netuid, |burn| {
			*burn = (*burn).max(updated.min_burn).min(updated.max_burn)
		});
		Hyperparams::<T>::insert(netuid, updated);
		if by_owner {
			HyperparamLastSet::<T>::insert(netuid, param.kind(), now);
		}
		Self::deposit_event(Event::HyperparameterSet { netuid, param });
		Ok(())
	}

	/// Stores `hotkey`'s endpoint on `netuid` after validation and the serving rate limit.
	pub(crate) fn do_serve_axon(
		hotkey: T::AccountId,
		netuid: NetUid,
		version: u32,
		ip: u128,
		port: u16,
		ip_type: u8,
		protocol: u8,
	) -> DispatchResult {
		ensure!(Networks::<T>::contains_key(netuid), Error::<T>::SubnetNotFound);
		ensure!(Uids::<T>::contains_key(netuid, &hotkey), Error::<T>::HotkeyNotRegistered);
		Self::validate_endpoint(ip, port, ip_type)?;
		let now = Self::now();
		if let Some(previous) = Axons::<T>::get(netuid, &hotkey) {
			let limit = Hyperparams::<T>::get(netuid).map(|p| p.serving_rate_limit).unwrap_or(0);
			ensure!(
				now >= previous.block.saturating_add(limit),
				Error::<T>::ServingRateLimitExceeded
			);
		}
		let axon = AxonInfo { block: now, version, ip, port, ip_type, protocol };
		Axons::<T>::insert(netuid, &hotkey, axon.clone());
		Self::deposit_event(Event::AxonServed { netuid, hotkey, axon });
		Ok(())
	}

	/// The current block as a `u32`.
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().saturated_into()
	}

	/// The lock cost a subnet registration would pay now.
	pub fn current_lock_cost() -> Balance {
		let elapsed = LastLockBlock::<T>::get()
			.map(|last| Self::now().saturating_sub(last))
			.unwrap_or(BlockNumber::MAX);
		pricing::lock_cost(
			T::MinLockCost::get(),
			LastLockCost::<T>::get(),
			elapsed,
			T::LockReductionInterval::get(),
		)
	}

	/// `Ok(true)` for the owner, `Ok(false)` for the `Privileged` origin, an error for anyone
	/// else.
	pub(crate) fn ensure_owner_or<Privileged: EnsureOrigin<OriginFor<T>>>(
		origin: OriginFor<T>,
		owner: &T::AccountId,
	) -> Result<bool, DispatchError> {
		match Privileged::try_origin(origin) {
			Ok(_) => Ok(false),
			Err(origin) => {
				let who = frame_system::ensure_signed(origin)?;
				ensure!(&who == owner, Error::<T>::NotSubnetOwner);
				Ok(true)
			}
		}
	}

	/// Creates a subnet: holds `lock` from `owner`, stores it with `params`, and registers
	/// `hotkey` as UID 0. Skips the rate limit and lock pricing of `register_network`
	/// (used by genesis and benchmarks).
	pub fn create_network(
		owner: &T::AccountId,
		hotkey: &T::AccountId,
		lock: Balance,
		params: SubnetHyperparams,
	) -> Result<NetUid, DispatchError> {
		ensure!(
			Networks::<T>::count() < u32::from(SubnetLimit::<T>::get()),
			Error::<T>::SubnetLimitReached
		);
		// Genesis and benchmarks name hotkeys directly; an extrinsic has checked consent.
		ensure!(
			Owner::<T>::get(hotkey).is_none_or(|current| &current == owner),
			Error::<T>::HotkeyOwnedByAnotherColdkey
		);
		let netuid = Self::first_free_netuid().ok_or(Error::<T>::SubnetLimitReached)?;
		T::Currency::hold(&HoldReason::SubnetLock.into(), owner, lock)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let now = Self::now();
		Networks::<T>::insert(
			netuid,
			NetworkInfo {
				owner: owner.clone(),
				owner_hotkey: hotkey.clone(),
				lock,
				registered_at: now,
			},
		);
		Burn::<T>::insert(netuid, params.min_burn);
		Hyperparams::<T>::insert(netuid, params);
		Self::deposit_event(Event::NetworkRegistered {
			netuid,
			owner: owner.clone(),
			hotkey: hotkey.clone(),
			lock,
		});
		Self::append_neuron(netuid, 0, owner, hotkey, 0)?;
		Ok(netuid)
	}

	/// The lowest unused subnet id from 1.
	fn first_free_netuid() -> Option<NetUid> {
		let clearing = Clearing::<T>::get();
		(1..=T::MaxSubnets::get())
			.find(|netuid| !Networks::<T>::contains_key(netuid) && !clearing.contains(netuid))
	}

	/// Dissolves a subnet: releases its lock and removes its O(1) records now (the other
	/// pallets' too, [`OnNeuronChange::on_subnet_removed`]); its per-UID data is removed over the
	/// next blocks ([`Self::clear_dissolved`]), and the netuid stays taken until then.
	pub(crate) fn remove_network(
		netuid: NetUid,
		info: NetworkInfo<T::AccountId>,
	) -> DispatchResult {
		T::Currency::release(
			&HoldReason::SubnetLock.into(),
			&info.owner,
			info.lock,
			Precision::BestEffort,
		)?;
		// A subnet counts against `MaxSubnets` until it is cleared, so there is always room.
		Clearing::<T>::try_mutate(|queue| queue.try_push(netuid))
			.map_err(|_| Error::<T>::SubnetLimitReached)?;
		SubnetworkN::<T>::remove(netuid);
		// At most one entry per hyperparameter kind.
		let _ = HyperparamLastSet::<T>::clear_prefix(netuid, u32::from(u8::MAX), None);
		Hyperparams::<T>::remove(netuid);
		Burn::<T>::remove(netuid);
		Networks::<T>::remove(netuid);
		T::OnNeuronChange::on_subnet_removed(netuid);
		Self::deposit_event(Event::NetworkDissolved {
			netuid,
			owner: info.owner,
			lock_returned: info.lock,
		});
		Ok(())
	}

	/// Removes up to `budget` storage keys of the oldest dissolved subnet: this pallet's
	/// per-UID maps, then the other pallets' ([`OnNeuronChange::clear_subnet`]). Frees the netuid
	/// when nothing is left. Returns the keys removed.
	pub(crate) fn clear_dissolved(budget: u32) -> u32 {
		let Some(&netuid) = Clearing::<T>::get().first() else { return 0 };
		let progress = SubnetClearing::in_turn(
			budget,
			&[
				&|limit| {
					let keys = Neurons::<T>::iter_key_prefix(netuid);
					SubnetClearing::remove_keys(keys, limit, |page| {
						Neurons::<T>::remove(netuid, page)
					})
				},
				&|limit| {
					let keys = Uids::<T>::iter_key_prefix(netuid);
					SubnetClearing::remove_keys(keys, limit, |hotkey| {
						Uids::<T>::remove(netuid, hotkey)
					})
				},
				&|limit| {
					let keys = Axons::<T>::iter_key_prefix(netuid);
					SubnetClearing::remove_keys(keys, limit, |hotkey| {
						Axons::<T>::remove(netuid, hotkey)
					})
				},
				&|limit| T::OnNeuronChange::clear_subnet(netuid, limit),
			],
		);
		if progress.done {
			Clearing::<T>::mutate(|queue| queue.retain(|n| *n != netuid));
			Self::deposit_event(Event::NetworkCleared { netuid });
		}
		progress.removed
	}

	/// One block of burn decay for `netuid`.
	pub(crate) fn decay_burn(netuid: NetUid) {
		let Some(params) = Hyperparams::<T>::get(netuid) else {
			return;
		};
		Burn::<T>::mutate(netuid, |burn| {
			*burn = pricing::decayed_burn(
				*burn,
				1,
				params.burn_half_life,
				params.min_burn,
				params.max_burn,
			)
		});
	}

	/// Checks an endpoint: IPv4 or IPv6, non-zero address valid for its type, non-zero port.
	fn validate_endpoint(ip: u128, port: u16, ip_type: u8) -> DispatchResult {
		match ip_type {
			4 => ensure!(
				ip != 0 && ip <= u128::from(u32::MAX) && ip != u128::from(u32::MAX),
				Error::<T>::InvalidIpAddress
			),
			6 => ensure!(ip != 0, Error::<T>::InvalidIpAddress),
			_ => return Err(Error::<T>::InvalidIpType.into()),
		}
		ensure!(port != 0, Error::<T>::InvalidPort);
		Ok(())
	}

	/// Ownership rule: a hotkey may be used by the coldkey that owns it; a hotkey nobody owns
	/// only by a coldkey it consented to (`associate_hotkey`), or by itself as its own coldkey.
	pub(crate) fn ensure_hotkey_available(
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
	) -> DispatchResult {
		match Owner::<T>::get(hotkey) {
			Some(owner) if &owner != coldkey => Err(Error::<T>::HotkeyOwnedByAnotherColdkey.into()),
			Some(_) => Ok(()),
			None if coldkey == hotkey => Ok(()),
			None => Err(Error::<T>::HotkeyNotAssociated.into()),
		}
	}

	/// What a hotkey signs to consent to `coldkey` on this chain.
	pub fn consent_payload(coldkey: &T::AccountId) -> alloc::vec::Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(
			frame_system::pallet_prelude::BlockNumberFor::<T>::default(),
		);
		crate::hotkey_consent_payload(&genesis, coldkey)
	}

	/// Makes `coldkey` the owner of `hotkey` if `signature` is the hotkey's signature of its
	/// consent to `coldkey`.
	pub(crate) fn do_associate_hotkey(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		signature: T::HotkeySignature,
	) -> DispatchResult {
		match Owner::<T>::get(&hotkey) {
			Some(owner) if owner != coldkey => {
				return Err(Error::<T>::HotkeyOwnedByAnotherColdkey.into())
			}
			// Already this coldkey's: nothing to record.
			Some(_) => return Ok(()),
			None => {}
		}
		let payload = Self::consent_payload(&coldkey);
		ensure!(signature.verify(&payload[..], &hotkey), Error::<T>::BadHotkeySignature);
		Owner::<T>::insert(&hotkey, &coldkey);
		OwnedHotkeys::<T>::insert(&coldkey, &hotkey, ());
		Self::deposit_event(Event::HotkeyAssociated { hotkey, coldkey });
		Ok(())
	}

	/// Benchmark helper: a new subnet owned by `coldkey` (who must afford the minimum lock)
	/// with `hotkey` at UID 0, so other pallets' benchmarks start from a hotkey registered on a
	/// subnet. Returns the netuid.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_register_hotkey(
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
	) -> Result<NetUid, DispatchError> {
		// Benchmarks may need every subnet there can be, as governance can allow.
		SubnetLimit::<T>::put(T::MaxSubnets::get());
		Self::create_network(coldkey, hotkey, T::MinLockCost::get(), T::DefaultHyperparams::get())
	}

	/// Benchmark helper: a subnet owned by `owner` (who must afford the minimum lock) with `n`
	/// neurons whose hotkeys all belong to `owner`. Returns the netuid and the hotkeys by UID.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_subnet(
		owner: &T::AccountId,
		n: u16,
		params: SubnetHyperparams,
	) -> Result<(NetUid, alloc::vec::Vec<T::AccountId>), DispatchError> {
		let seed = Networks::<T>::count();
		let first: T::AccountId = frame_benchmarking::account("subnet-hotkey", 0, seed);
		let netuid = Self::create_network(owner, &first, T::MinLockCost::get(), params)?;
		let mut hotkeys = alloc::vec![first];
		for uid in 1..n {
			let hotkey: T::AccountId =
				frame_benchmarking::account("subnet-hotkey", u32::from(uid), seed);
			Self::append_neuron(netuid, uid, owner, &hotkey, 0)?;
			hotkeys.push(hotkey);
		}
		Ok((netuid, hotkeys))
	}

	/// Burns `amount` from `coldkey`, keeping its account alive.
	pub(crate) fn burn_fee(coldkey: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		ensure!(
			T::Currency::reducible_balance(coldkey, Preservation::Preserve, Fortitude::Polite)
				>= amount,
			Error::<T>::InsufficientBalance
		);
		T::Currency::burn_from(
			coldkey,
			amount,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite,
		)
		.map(|_| ())
		.map_err(|_| Error::<T>::InsufficientBalance.into())
	}
}
