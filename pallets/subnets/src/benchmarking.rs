//! Benchmarks of every call and of the per-block burn decay.

// Benchmark setup, compiled only with `runtime-benchmarks`: panicking on a broken fixture and
// plain arithmetic on small component values are fine here.
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{Axons, Clearing, Networks, Neurons, Owner, SubnetworkN};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get, Hooks};
use frame_system::RawOrigin;
use myelin_primitives::{units::MYL, MAX_UIDS_HARD_CAP};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * MYL);
	who
}

/// A subnet with room for `max_uids` neurons, filled with `fill` neurons registered at block 0
/// and immune for no block, so every one of them is a pruning candidate.
fn subnet_with<T: Config>(max_uids: u16, fill: u16) -> (NetUid, T::AccountId) {
	let owner = funded::<T>("owner", 0);
	let params = SubnetHyperparams {
		max_allowed_uids: max_uids,
		max_allowed_validators: 1,
		min_allowed_weights: 0,
		immunity_period: 0,
		..T::DefaultHyperparams::get()
	};
	let netuid = Pallet::<T>::create_network(&owner, &owner, T::MinLockCost::get(), params)
		.expect("benchmark subnet");
	for uid in 1..fill {
		let hotkey: T::AccountId = account("neuron", u32::from(uid), 0);
		Pallet::<T>::append_neuron(netuid, uid, &owner, &hotkey, 0).expect("dense UIDs");
		Axons::<T>::insert(
			netuid,
			&hotkey,
			AxonInfo { block: 0, version: 1, ip: 1, port: 1, ip_type: 4, protocol: 0 },
		);
	}
	(netuid, owner)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_network() {
		let caller = funded::<T>("caller", 0);
		let hotkey: T::AccountId = account("hotkey", 0, 0);
		// The hotkey consented earlier (`associate_hotkey` is its own call).
		Owner::<T>::insert(&hotkey, &caller);
		let before = Networks::<T>::count();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), hotkey);

		assert_eq!(Networks::<T>::count(), before + 1);
	}

	/// Dissolving a full subnet: the work does not depend on its neurons (their storage is
	/// cleared later), so one size is measured, the largest.
	#[benchmark]
	fn dissolve_network() {
		let (netuid, owner) = subnet_with::<T>(MAX_UIDS_HARD_CAP, MAX_UIDS_HARD_CAP);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), netuid);

		assert!(!Networks::<T>::contains_key(netuid));
		assert!(Clearing::<T>::get().contains(&netuid));
	}

	/// Clearing `k` storage keys of a dissolved subnet: its own four keys per neuron, then the
	/// other pallets' rows, written at their largest (full weight rows in the runtime).
	#[benchmark]
	fn clear_dissolved(k: Linear<0, { T::MaxClearedPerBlock::get() }>) {
		let (netuid, owner) = subnet_with::<T>(2, 2);
		T::BenchmarkHelper::full_neuron_rows(netuid, k);
		T::BenchmarkHelper::accrued_stakes(netuid, 2);
		Pallet::<T>::dissolve_network(RawOrigin::Signed(owner).into(), netuid).expect("dissolved");

		#[block]
		{
			Pallet::<T>::clear_dissolved(k);
		}

		// Its two neurons' keys go first.
		assert!(k < 2 || Neurons::<T>::iter_prefix(netuid).next().is_none());
	}

	#[benchmark]
	fn burned_register(n: Linear<1, { u32::from(MAX_UIDS_HARD_CAP) }>) {
		// Full: the newcomer replaces a UID, whose accrued reward its pool collects first.
		let (netuid, _) = subnet_with::<T>(n as u16, n as u16);
		T::BenchmarkHelper::accrued_stakes(netuid, n as u16);
		frame_system::Pallet::<T>::set_block_number(10u32.into());
		let caller = funded::<T>("caller", 1);
		let hotkey: T::AccountId = account("newcomer", 0, 0);
		Owner::<T>::insert(&hotkey, &caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), netuid, hotkey.clone(), Balance::MAX);

		assert!(Uids::<T>::contains_key(netuid, &hotkey));
		assert_eq!(SubnetworkN::<T>::get(netuid), n as u16);
	}

	#[benchmark]
	fn set_hyperparameter() {
		let (netuid, owner) = subnet_with::<T>(16, 1);
		HyperparamLastSet::<T>::insert(netuid, 4u8, 0);
		frame_system::Pallet::<T>::set_block_number(1_000_000u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), netuid, Hyperparameter::ImmunityPeriod(77));

		assert_eq!(Hyperparams::<T>::get(netuid).map(|p| p.immunity_period), Some(77));
	}

	#[benchmark]
	fn serve_axon() {
		let (netuid, _) = subnet_with::<T>(16, 2);
		let hotkey = Pallet::<T>::neuron(netuid, 1).expect("neuron 1 exists").hotkey;
		frame_system::Pallet::<T>::set_block_number(1_000_000u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey.clone()), netuid, 2, 0x7f00_0001, 8091, 4, 0);

		assert_eq!(Axons::<T>::get(netuid, &hotkey).map(|a| a.version), Some(2));
	}

	#[benchmark]
	fn associate_hotkey() {
		let caller = funded::<T>("caller", 0);
		let (hotkey, signature) = T::BenchmarkHelper::hotkey_consent(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), hotkey.clone(), signature);

		assert_eq!(Owner::<T>::get(&hotkey), Some(caller));
	}

	#[benchmark]
	fn set_subnet_limit() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 3);

		assert_eq!(SubnetLimit::<T>::get(), 3);
		Ok(())
	}

	#[benchmark]
	fn on_initialize(s: Linear<0, { u32::from(T::MaxSubnets::get()) }>) {
		let existing = Networks::<T>::count();
		for i in existing..s {
			let owner = funded::<T>("owner", i.saturating_add(1));
			let hotkey: T::AccountId = account("owner-hotkey", i, 0);
			Pallet::<T>::create_network(&owner, &hotkey, 0, T::DefaultHyperparams::get())
				.expect("room for the subnet");
		}
		for netuid in Networks::<T>::iter_keys() {
			Burn::<T>::insert(netuid, 50 * MYL);
		}

		#[block]
		{
			Pallet::<T>::on_initialize(1u32.into());
		}

		assert!(Networks::<T>::iter_keys().all(|netuid| Burn::<T>::get(netuid) < 50 * MYL));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
