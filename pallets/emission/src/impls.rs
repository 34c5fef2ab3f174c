//! What the weights and subnets pallets ask of this one: paying an epoch, and forgetting a
//! dissolved subnet.

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::fungible::Inspect};
use myelin_primitives::{Balance, EpochPayout, NetUid, OnNeuronChange, StakeInfo, Uid};
use myelin_yuma::EpochOutput;

use crate::pallet::{Config, EmissionDust, OwnerCut, Pallet, Subnets, TotalEmitted, Unminted};

impl<T: Config> EpochPayout<T::AccountId> for Pallet<T> {
	fn pay_epoch(
		netuid: NetUid,
		hotkeys: &[T::AccountId],
		output: &EpochOutput,
		permitted_stake: Balance,
	) -> Vec<u64> {
		Self::do_pay_epoch(netuid, hotkeys, output, permitted_stake)
	}
}

impl<T: Config> OnNeuronChange<T::AccountId> for Pallet<T> {
	fn on_neuron_replaced(_: NetUid, _: Uid, _: &T::AccountId, _: &T::AccountId) {}

	/// A dissolved subnet's pending emission is forfeited (it was never minted); what its
	/// neurons were credited stays in their pools, withdrawable.
	fn on_subnet_removed(netuid: NetUid) {
		let mut subnets = Subnets::<T>::get();
		if let Some(account) = subnets.remove(&netuid) {
			Self::forfeit(account.pending);
			Subnets::<T>::put(subnets);
		}
		OwnerCut::<T>::remove(netuid);
	}
}

impl<T: Config> Pallet<T> {
	/// Invariants: [`Unminted`] is exactly pending + dust, total issuance is the sum of every
	/// account's balance, and the supply (issued, owed, undelivered) stays below the cap.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let pending =
			Subnets::<T>::get().values().fold(0u128, |acc, a| acc.saturating_add(a.pending));
		let parts = pending.saturating_add(EmissionDust::<T>::get());
		ensure!(Unminted::<T>::get() == parts, "unminted differs from pending + dust");
		ensure!(Unminted::<T>::get() <= TotalEmitted::<T>::get(), "more unminted than emitted");
		// Total issuance is every account's free plus held balance: emission mints nothing
		// that does not land in an account.
		let accounts = frame_system::Account::<T>::iter_keys()
			.map(|who| T::Currency::total_balance(&who))
			.fold(0u128, |acc, b| acc.saturating_add(b));
		ensure!(accounts == T::Currency::total_issuance(), "issuance differs from Σ balances");
		let supply = T::Currency::total_issuance()
			.saturating_add(T::Stake::owed())
			.saturating_add(Unminted::<T>::get());
		ensure!(
			supply <= T::SupplyCap::get().max(T::Currency::total_issuance()),
			"emission above the supply cap"
		);
		Ok(())
	}
}
