//! Benchmarks of every call and of the round hooks.

// Benchmark setup, compiled only with `runtime-benchmarks`: panicking on a broken fixture and
// plain arithmetic on small component values are fine here.
#![allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::{CurrentRound, PruneQueue, Rounds, Submissions, TaskSpecs};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use sp_core::H256;

fn spec<T: Config>() -> TaskSpec {
	TaskSpec {
		model: [1; 32],
		dimensions: T::MaxDimensions::get() as u16,
		inputs_per_round: T::MaxInputs::get() as u8,
		interval: 10,
		commit_window: 5,
		reveal_window: 5,
		score_threshold: 900_000,
		speed_weight: 100_000,
		audit_rate: 1_000_000,
	}
}

fn set_block<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(n.into());
}

/// A subnet with the task and a round started at block 10 - netuid.
fn subnet_in_round<T: Config>(n: u16) -> (NetUid, T::AccountId, Vec<T::AccountId>) {
	let (netuid, owner, hotkeys) = T::BenchmarkHelper::subnet_with_neurons(n);
	TaskSpecs::<T>::insert(netuid, spec::<T>());
	let start = 100 - u32::from(netuid);
	set_block::<T>(start);
	Pallet::<T>::start_round(netuid, spec::<T>(), start);
	(netuid, owner, hotkeys)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_task_spec() {
		let (netuid, owner, _) = T::BenchmarkHelper::subnet_with_neurons(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), netuid, spec::<T>());
		assert_eq!(TaskSpecs::<T>::get(netuid), Some(spec::<T>()));
	}

	#[benchmark]
	fn remove_task_spec() {
		let (netuid, owner, _) = T::BenchmarkHelper::subnet_with_neurons(1);
		TaskSpecs::<T>::insert(netuid, spec::<T>());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), netuid);
		assert!(TaskSpecs::<T>::get(netuid).is_none());
	}

	#[benchmark]
	fn commit_outputs() {
		let (netuid, _, hotkeys) = subnet_in_round::<T>(1);
		let hotkey = hotkeys[0].clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey.clone()), netuid, 1, H256::repeat_byte(1));
		assert!(Submissions::<T>::contains_key((netuid, 1), &hotkey));
	}

	#[benchmark]
	fn reveal_outputs(e: Linear<1, { T::MaxInputs::get() * T::MaxDimensions::get() }>) {
		let (netuid, _, hotkeys) = subnet_in_round::<T>(1);
		let hotkey = hotkeys[0].clone();
		// `e` values as K outputs of the widest width that fits.
		let k = T::MaxInputs::get().min(e);
		let width = (e / k).max(1);
		let mut task = spec::<T>();
		task.inputs_per_round = k as u8;
		task.dimensions = width as u16;
		TaskSpecs::<T>::insert(netuid, task);
		// The round runs the task it started with: give it this one.
		let mut round = CurrentRound::<T>::get(netuid).unwrap();
		round.spec = task;
		CurrentRound::<T>::insert(netuid, round);
		Rounds::<T>::insert(netuid, round.index, round);
		let outputs: Vec<Vec<i8>> = (0..k).map(|i| alloc::vec![i as i8; width as usize]).collect();
		let salt = [7u8; 32];
		let hash = outputs_hash(&hotkey, netuid, 1, &outputs, &salt);
		Pallet::<T>::do_commit_outputs(hotkey.clone(), netuid, 1, hash).unwrap();
		let start = CurrentRound::<T>::get(netuid).unwrap().start;
		set_block::<T>(task.commit_end(start));
		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey.clone()), netuid, 1, outputs, salt);
		assert!(Submissions::<T>::get((netuid, 1), &hotkey).unwrap().revealed);
	}

	#[benchmark]
	fn on_initialize(
		s: Linear<0, { myelin_primitives::MaxSubnetsOf::<T::Subnets, T::AccountId>::get() }>,
	) {
		// The hook reads only the task specs: `s` of them, as `s` subnets would hold. Rounds
		// that start are charged apart (`start_round`), so none may be due here: with an
		// interval longer than the number of subnets, some block has none due.
		let idle = TaskSpec { interval: 1_000, ..spec::<T>() };
		for netuid in 0..s {
			TaskSpecs::<T>::insert(1_000 + netuid as NetUid, idle);
		}
		let block = (0u32..1_000)
			.find(|b| TaskSpecs::<T>::iter().all(|(n, t)| !Pallet::<T>::round_due(n, &t, *b)))
			.expect("a block with no round due");
		set_block::<T>(block);
		#[block]
		{
			Pallet::<T>::start_due_rounds();
		}
		assert!(CurrentRound::<T>::iter().next().is_none(), "no round started");
	}

	#[benchmark]
	fn start_round() {
		let (netuid, _, _) = subnet_in_round::<T>(1);
		// The next round drops one, which goes to a nearly full queue.
		let kept = T::RoundsKept::get();
		for index in 2..=kept {
			Pallet::<T>::start_round(netuid, spec::<T>(), 100 + index);
		}
		let filler: Vec<_> =
			(0..T::MaxPendingPrunes::get().saturating_sub(1)).map(|i| (NetUid::MAX, i)).collect();
		PruneQueue::<T>::put(BoundedVec::truncate_from(filler));
		#[block]
		{
			Pallet::<T>::start_round(netuid, spec::<T>(), 200);
		}
		assert_eq!(CurrentRound::<T>::get(netuid).unwrap().index, kept + 1);
		assert!(Rounds::<T>::get(netuid, 1).is_none());
	}

	/// `k` up to `MaxPrunedPerBlock`, which the hook never exceeds.
	#[benchmark]
	fn prune(k: Linear<0, { T::MaxPrunedPerBlock::get() }>) {
		let (netuid, _, _) = subnet_in_round::<T>(1);
		for i in 0..k {
			let who: T::AccountId = account("miner", i, 0);
			let submission = SubmissionOf::<T> {
				hash: [0; 32],
				commit_block: 1,
				outputs: BoundedVec::new(),
				revealed: false,
			};
			Submissions::<T>::insert((netuid, 1), who, submission);
		}
		PruneQueue::<T>::put(BoundedVec::truncate_from(alloc::vec![(netuid, 1)]));
		#[block]
		{
			Pallet::<T>::prune_old_rounds();
		}
		if k <= T::MaxPrunedPerBlock::get() {
			assert_eq!(Submissions::<T>::iter_prefix((netuid, 1)).count(), 0);
		}
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
