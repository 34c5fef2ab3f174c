//! Benchmarks of every call and of the epoch.

// Benchmark setup, compiled only with `runtime-benchmarks`: panicking on a broken fixture and
// plain arithmetic on small component values are fine here.
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{Bonds, EpochIndex, Metrics, WeightCommits, Weights};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{Get, Hooks};
use frame_support::BoundedVec;
use frame_system::RawOrigin;
use myelin_primitives::{
	subnets::bounds::{MAX_REVEAL_PERIOD, MAX_VALIDATORS},
	SubnetHyperparams,
};
use sp_core::H256;

/// A subnet with `n` neurons, UID 0 staked; its epoch has run, so UID 0 holds a permit.
fn subnet<T: Config>(
	n: u16,
	params: impl FnOnce(&mut SubnetHyperparams),
) -> (NetUid, Vec<T::AccountId>) {
	let (netuid, hotkeys) = T::BenchmarkHelper::subnet_with_neurons(n, 1);
	set_params::<T>(netuid, params);
	Metrics::<T>::mutate(netuid, |metrics| {
		metrics.set(0, NeuronMetric { validator_permit: true, ..Default::default() })
	});
	(netuid, hotkeys)
}

fn set_params<T: Config>(netuid: NetUid, change: impl FnOnce(&mut SubnetHyperparams)) {
	let mut params = T::Subnets::hyperparams(netuid).expect("benchmark subnet");
	change(&mut params);
	T::BenchmarkHelper::set_hyperparams(netuid, params);
}

fn next_block<T: Config>() {
	frame_system::Pallet::<T>::set_block_number(
		frame_system::Pallet::<T>::block_number() + 1u32.into(),
	);
}

/// Sets `netuid`'s epoch index to `now` and gives `hotkey` the most commits it can hold: one
/// for each of the `MaxCommits` epochs before `now` (the oldest expired), each hashing `filler`.
fn fill_commits<T: Config>(netuid: NetUid, hotkey: &T::AccountId, now: u64, filler: H256) {
	EpochIndex::<T>::insert(netuid, now);
	let count = u64::from(<MaxCommits as Get<u32>>::get());
	let commits: Vec<WeightCommit> = (now.saturating_sub(count)..now)
		.map(|epoch| WeightCommit { hash: filler, epoch })
		.collect();
	WeightCommits::<T>::insert(netuid, hotkey, BoundedVec::truncate_from(commits));
}

fn full_vector(n: u16) -> (Vec<Uid>, Vec<u16>) {
	let uids: Vec<Uid> = (0..n).collect();
	let values = uids.iter().map(|&u| u.saturating_add(1)).collect();
	(uids, values)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_weights(n: Linear<1, { MAX_UIDS_HARD_CAP as u32 }>) {
		let (netuid, hotkeys) = subnet::<T>(n as u16, |p| {
			p.weights_set_rate_limit = 0;
			p.min_allowed_weights = 0;
		});
		let (uids, values) = full_vector(n as u16);

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkeys[0].clone()), netuid, uids, values, 0);

		assert_eq!(Weights::<T>::get(netuid, 0).len(), n as usize);
	}

	/// A commit by a hotkey already holding the most live commits the reveal period allows,
	/// all of them to be checked and the expired one dropped.
	#[benchmark]
	fn commit_weights() {
		let (netuid, hotkeys) = subnet::<T>(2, |p| {
			p.commit_reveal_enabled = true;
			p.reveal_period = MAX_REVEAL_PERIOD;
		});
		let current = u64::from(MAX_REVEAL_PERIOD) + 1;
		fill_commits::<T>(netuid, &hotkeys[0], current, H256::repeat_byte(1));
		let hash = setting::commit_hash(&hotkeys[0], netuid, current, &[1], &[1], &[0], 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkeys[0].clone()), netuid, hash);

		assert_eq!(
			WeightCommits::<T>::get(netuid, &hotkeys[0]).len(),
			MAX_REVEAL_PERIOD as usize + 1
		);
	}

	/// A reveal of `n` weights matching the last of the most live commits a hotkey can hold
	/// (each hashed for its own epoch), with the longest salt.
	#[benchmark]
	fn reveal_weights(n: Linear<1, { MAX_UIDS_HARD_CAP as u32 }>) {
		let (netuid, hotkeys) = subnet::<T>(n as u16, |p| {
			p.commit_reveal_enabled = true;
			p.weights_set_rate_limit = 0;
			p.min_allowed_weights = 0;
			p.reveal_period = MAX_REVEAL_PERIOD;
		});
		let (uids, values) = full_vector(n as u16);
		let salt: Vec<u16> = alloc::vec![7; <MaxSaltWords as Get<u32>>::get() as usize];
		let now = u64::from(MAX_REVEAL_PERIOD) + 1;
		fill_commits::<T>(netuid, &hotkeys[0], now, H256::repeat_byte(1));
		let last = now - 1;
		let hash = setting::commit_hash(&hotkeys[0], netuid, last, &uids, &values, &salt, 0);
		WeightCommits::<T>::mutate(netuid, &hotkeys[0], |commits| {
			if let Some(commit) = commits.last_mut() {
				*commit = WeightCommit { hash, epoch: last };
			}
		});
		let salt: BoundedVec<u16, MaxSaltWords> = salt.try_into().expect("within the bound");

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkeys[0].clone()), netuid, uids, values, salt, 0);

		assert_eq!(Weights::<T>::get(netuid, 0).len(), n as usize);
	}

	/// One epoch of a subnet with `n` neurons: `min(v, n)` validators each weighting every
	/// neuron, with bonds from a previous epoch, and pending emission to pay.
	#[benchmark]
	fn epoch(n: Linear<2, { MAX_UIDS_HARD_CAP as u32 }>, v: Linear<1, { MAX_VALIDATORS as u32 }>) {
		let validators = (v as u16).min(n as u16);
		let (netuid, hotkeys) = T::BenchmarkHelper::subnet_with_neurons(n as u16, validators);
		set_params::<T>(netuid, |p| {
			p.max_allowed_validators = validators;
			p.weights_set_rate_limit = 0;
			p.min_allowed_weights = 0;
		});
		Pallet::<T>::run_epoch(netuid);
		// Weights count only when set after the target registered.
		next_block::<T>();
		let (uids, values) = full_vector(n as u16);
		for hotkey in hotkeys.iter().take(usize::from(validators)) {
			Pallet::<T>::set_weights(
				RawOrigin::Signed(hotkey.clone()).into(),
				netuid,
				uids.clone(),
				values.clone(),
				0,
			)
			.expect("weights set");
		}
		Pallet::<T>::run_epoch(netuid);
		T::BenchmarkHelper::fund_epoch(netuid);

		#[block]
		{
			Pallet::<T>::run_epoch(netuid);
		}

		assert!(Bonds::<T>::contains_key(netuid, 0));
		let metrics = Metrics::<T>::get(netuid);
		assert_eq!(metrics.len(), n as u16);
		assert!(metrics.last_update.iter().take(usize::from(validators)).all(|&block| block > 0));
	}

	/// `on_initialize` scanning `s` subnets of which none is due.
	#[benchmark]
	fn on_initialize(s: Linear<1, { MaxSubnetsOf::<T>::get() }>) {
		while T::Subnets::netuids().len() < s as usize {
			T::BenchmarkHelper::subnet_with_neurons(1, 0);
		}
		for netuid in T::Subnets::netuids() {
			set_params::<T>(netuid, |p| p.tempo = 10_000);
		}
		let block: u32 = 1;
		frame_system::Pallet::<T>::set_block_number(block.into());

		#[block]
		{
			Pallet::<T>::on_initialize(block.into());
		}

		assert!(!DeferredEpochs::<T>::exists());
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
