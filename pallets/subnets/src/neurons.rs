//! Neuron registration: UID assignment, pruning on a full subnet, and the burn.

use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::{DispatchError, DispatchResult},
};
use myelin_primitives::{Balance, BlockNumber, NetUid, NeuronEmission, OnNeuronChange, Uid};

use crate::{
	pallet::{
		Axons, Burn, Clearing, Config, Error, Event, Hyperparams, Networks, Neurons, OwnedHotkeys,
		Owner, Pallet, SubnetworkN, Uids,
	},
	pricing, Neuron,
};

impl<T: Config> Pallet<T> {
	/// Registers `hotkey` for `coldkey` on `netuid`. Returns how many UIDs were scanned for
	/// pruning (the part of the weight that depends on subnet size).
	pub(crate) fn do_burned_register(
		coldkey: &T::AccountId,
		netuid: NetUid,
		hotkey: &T::AccountId,
		max_burn: Balance,
	) -> Result<u16, DispatchError> {
		ensure!(Networks::<T>::contains_key(netuid), Error::<T>::SubnetNotFound);
		let params = Hyperparams::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		ensure!(!Uids::<T>::contains_key(netuid, hotkey), Error::<T>::AlreadyRegistered);
		Self::ensure_hotkey_available(coldkey, hotkey)?;
		let price = Burn::<T>::get(netuid);
		ensure!(price <= max_burn, Error::<T>::BurnAboveMax);

		let n = SubnetworkN::<T>::get(netuid);
		let (uid, scanned) = if n < params.max_allowed_uids {
			(n, 0)
		} else {
			let uid = Self::pruning_candidate(netuid, n, params.immunity_period)
				.ok_or(Error::<T>::AllNeuronsImmune)?;
			(uid, n)
		};

		Self::burn_fee(coldkey, price)?;

		if uid < n {
			Self::replace_neuron(netuid, uid, coldkey, hotkey, price)?;
		} else {
			Self::append_neuron(netuid, uid, coldkey, hotkey, price)?;
		}
		Burn::<T>::insert(
			netuid,
			pricing::bumped_burn(
				price,
				params.burn_increase_mult,
				params.min_burn,
				params.max_burn,
			),
		);
		Ok(scanned)
	}

	/// The UID to prune on a full subnet: among neurons past their immunity period, the lowest
	/// emission, then the oldest registration, then the lowest UID. `None` if all are immune.
	pub fn pruning_candidate(netuid: NetUid, n: u16, immunity_period: BlockNumber) -> Option<Uid> {
		let now = Self::now();
		let emissions = T::NeuronEmission::emissions(netuid);
		Self::neurons(netuid)
			.iter()
			.zip(0..n)
			.filter_map(|(neuron, uid)| {
				let registered = neuron.registered_at;
				let immune = now < registered.saturating_add(immunity_period);
				let emission = emissions.get(usize::from(uid)).copied().unwrap_or_default();
				(!immune).then_some((emission, registered, uid))
			})
			.min()
			.map(|(_, _, uid)| uid)
	}

	/// Records a new neuron at `uid` (which must be `n`, the next free UID).
	pub(crate) fn append_neuron(
		netuid: NetUid,
		uid: Uid,
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
		burned: Balance,
	) -> DispatchResult {
		SubnetworkN::<T>::insert(netuid, uid.saturating_add(1));
		Self::store_neuron(netuid, uid, coldkey, hotkey, burned)
	}

	/// Gives `uid` to `hotkey`, evicting its current neuron and telling other pallets.
	fn replace_neuron(
		netuid: NetUid,
		uid: Uid,
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
		burned: Balance,
	) -> DispatchResult {
		if let Some(Neuron { hotkey: old_hotkey, .. }) = Self::neuron(netuid, uid) {
			Uids::<T>::remove(netuid, &old_hotkey);
			Axons::<T>::remove(netuid, &old_hotkey);
			T::OnNeuronChange::on_neuron_replaced(netuid, uid, &old_hotkey, hotkey);
			Self::deposit_event(Event::NeuronReplaced {
				netuid,
				uid,
				old_hotkey,
				new_hotkey: hotkey.clone(),
			});
		}
		Self::store_neuron(netuid, uid, coldkey, hotkey, burned)
	}

	/// Writes the neuron first: if its page cannot take it, the call fails before anything
	/// else is recorded (and the dispatch drops what came before, the burn included).
	fn store_neuron(
		netuid: NetUid,
		uid: Uid,
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
		burned: Balance,
	) -> DispatchResult {
		let neuron = Neuron { hotkey: hotkey.clone(), registered_at: Self::now() };
		Self::put_neuron(netuid, uid, neuron)?;
		if !Owner::<T>::contains_key(hotkey) {
			Owner::<T>::insert(hotkey, coldkey);
			OwnedHotkeys::<T>::insert(coldkey, hotkey, ());
		}
		Uids::<T>::insert(netuid, hotkey, uid);
		T::OnNeuronChange::on_neuron_registered(netuid, uid, hotkey);
		Self::deposit_event(Event::NeuronRegistered {
			netuid,
			uid,
			hotkey: hotkey.clone(),
			coldkey: coldkey.clone(),
			burned,
		});
		Ok(())
	}

	/// Invariants: every UID below `n` maps to a hotkey and back, nothing at or above `n`,
	/// `n ≤ max_allowed_uids`, and the held locks equal the recorded ones.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		for (netuid, info) in Networks::<T>::iter() {
			let params = Hyperparams::<T>::get(netuid).ok_or("subnet without hyperparameters")?;
			let n = SubnetworkN::<T>::get(netuid);
			ensure!(n <= params.max_allowed_uids, "more neurons than max_allowed_uids");
			let neurons = Self::neurons(netuid);
			ensure!(neurons.len() == usize::from(n), "uid without a neuron");
			for (neuron, uid) in neurons.iter().zip(0..n) {
				let hotkey = &neuron.hotkey;
				ensure!(Uids::<T>::get(netuid, hotkey) == Some(uid), "hotkey does not map back");
				let owner = Owner::<T>::get(hotkey).ok_or("registered hotkey without owner")?;
				ensure!(
					OwnedHotkeys::<T>::contains_key(&owner, hotkey),
					"owned hotkey missing from OwnedHotkeys"
				);
			}
			// Pages are full but the last, and none beyond it.
			let pages: Vec<(u16, usize)> = Neurons::<T>::iter_prefix(netuid)
				.map(|(page, entries)| (page, entries.len()))
				.collect();
			ensure!(
				pages.iter().map(|(_, len)| len).sum::<usize>() == usize::from(n)
					&& pages.iter().all(|&(page, len)| {
						let (last, _) = myelin_primitives::subnets::uid_page(n.saturating_sub(1));
						page <= last
							&& (page == last
								|| len == usize::from(myelin_primitives::subnets::UID_PAGE))
					}),
				"neuron pages beyond the neuron count"
			);
			ensure!(
				Uids::<T>::iter_prefix(netuid).count() == usize::from(n),
				"uids beyond the neuron count"
			);
			let held = T::Currency::balance_on_hold(
				&crate::pallet::HoldReason::SubnetLock.into(),
				&info.owner,
			);
			ensure!(held >= info.lock, "subnet lock not held");
		}
		// Per-UID data exists only for live subnets and dissolved ones being cleared; those
		// have no other record left and count against `MaxSubnets`.
		let clearing = Clearing::<T>::get();
		for netuid in &clearing {
			ensure!(!Networks::<T>::contains_key(netuid), "a live subnet in the clearing queue");
			ensure!(!SubnetworkN::<T>::contains_key(netuid), "neurons of a dissolved subnet");
		}
		for (netuid, _) in Neurons::<T>::iter_keys() {
			ensure!(
				Networks::<T>::contains_key(netuid) || clearing.contains(&netuid),
				"keys of a missing subnet"
			);
		}
		ensure!(
			usize::try_from(Networks::<T>::count())
				.unwrap_or(usize::MAX)
				.saturating_add(clearing.len())
				<= usize::from(<T::MaxSubnets as frame_support::traits::Get<u16>>::get()),
			"more subnets than MaxSubnets"
		);
		Ok(())
	}
}
