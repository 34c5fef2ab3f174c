//! The epoch: which subnets run in this block, gathering Yuma's inputs through the traits,
//! storing its outputs and handing them to the payout.

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, BoundedVec};
use myelin_primitives::{Balance, EpochPayout, NetUid, StakeInfo, SubnetInfo, Uid};
use myelin_yuma::{EpochInput, EpochOutput};

use crate::{
	pallet::{
		Bonds, Config, DeferredEpochs, EpochIndex, Event, LastEpoch, Metrics, Pallet, Weights,
	},
	weights::WeightInfo,
	MaxSubnetsOf, MaxUids, NeuronMetrics, SparseRow,
};

impl<T: Config> Pallet<T> {
	/// Whether `netuid`'s epoch falls on `block`: every `tempo` blocks, offset by the netuid so
	/// subnets with the same tempo do not all run in the same block.
	pub fn epoch_due(netuid: NetUid, tempo: u16, block: u32) -> bool {
		myelin_primitives::subnets::epoch_due(netuid, tempo, block)
	}

	/// Runs the deferred epochs and those due now, at most `MaxEpochsPerBlock`; defers the rest.
	pub(crate) fn run_due_epochs() -> Weight {
		let now = Self::now();
		let netuids = T::Subnets::netuids();
		let subnets = u32::try_from(netuids.len()).unwrap_or(u32::MAX);
		let mut weight = T::WeightInfo::on_initialize(subnets);

		let mut queue: Vec<NetUid> = DeferredEpochs::<T>::get().into_inner();
		for netuid in netuids {
			let tempo = T::Subnets::hyperparams(netuid).map(|p| p.tempo).unwrap_or_default();
			if Self::epoch_due(netuid, tempo, now) && !queue.contains(&netuid) {
				queue.push(netuid);
			}
		}
		let budget = usize::try_from(T::MaxEpochsPerBlock::get()).unwrap_or(usize::MAX);
		let later = queue.split_off(budget.min(queue.len()));
		for netuid in queue {
			// A deferred subnet may have been dissolved meanwhile.
			if T::Subnets::exists(netuid) {
				weight = weight.saturating_add(Self::run_epoch(netuid));
			}
		}
		for netuid in &later {
			Self::deposit_event(Event::EpochDeferred { netuid: *netuid });
		}
		let changed = !later.is_empty() || DeferredEpochs::<T>::exists();
		if changed {
			let mut deferred: BoundedVec<NetUid, MaxSubnetsOf<T>> = BoundedVec::new();
			for netuid in later {
				// More deferred subnets than subnets cannot happen; if it did, drop the newest.
				let _ = deferred.try_push(netuid);
			}
			if deferred.is_empty() {
				DeferredEpochs::<T>::kill();
			} else {
				DeferredEpochs::<T>::put(deferred);
			}
		}
		weight
	}

	/// Gathers the inputs of `netuid`'s epoch from storage and the other pallets: the hotkeys
	/// by UID, Yuma's input, and which UIDs have stored bonds.
	pub fn epoch_input(netuid: NetUid) -> (Vec<T::AccountId>, EpochInput, Vec<bool>) {
		let params = T::Subnets::hyperparams(netuid).unwrap_or_default();
		// One read per page of neurons.
		let (hotkeys, registered_at): (Vec<T::AccountId>, Vec<u32>) =
			T::Subnets::neurons(netuid).into_iter().unzip();
		let n = hotkeys.len();
		// One read per page of stake by UID.
		let mut stake: Vec<Balance> = T::Stake::stakes(netuid);
		stake.resize(n, 0);
		let mut metrics = Metrics::<T>::get(netuid);
		metrics.resize(u16::try_from(n).unwrap_or(u16::MAX));
		let last_update = metrics.last_update.into_inner();

		// Only the rows of the UIDs that will hold a permit count (Yuma drops the others), and
		// permits follow from the stake just read: read those rows only, at most
		// `max_allowed_validators`, whatever rows other neurons left in storage.
		let permits = myelin_yuma::top_k(&stake, params.max_allowed_validators);
		let mut weights = alloc::vec![Vec::new(); n];
		for (uid, slot) in weights.iter_mut().enumerate() {
			if permits.get(uid) == Some(&true) {
				let uid = Uid::try_from(uid).unwrap_or(Uid::MAX);
				*slot = Weights::<T>::get(netuid, uid).into_inner();
			}
		}
		// Bonds on a UID whose neuron registered at or after the last epoch were formed with
		// the previous holder of that UID: the new neuron starts without them.
		let last_epoch = LastEpoch::<T>::get(netuid);
		let fresh = |j: Uid| {
			let registered = registered_at.get(usize::from(j)).copied().unwrap_or_default();
			last_epoch.is_some_and(|epoch| registered >= epoch)
		};
		let mut bonds = alloc::vec![Vec::new(); n];
		let mut bonded = alloc::vec![false; n];
		for (uid, row) in Bonds::<T>::iter_prefix(netuid) {
			if let Some(slot) = bonds.get_mut(usize::from(uid)) {
				*slot = row.into_iter().filter(|&(j, _)| !fresh(j)).collect();
			}
			if let Some(flag) = bonded.get_mut(usize::from(uid)) {
				*flag = true;
			}
		}

		let input = EpochInput {
			stake,
			last_update,
			registered_at,
			weights,
			bonds,
			max_validators: params.max_allowed_validators,
			kappa: params.kappa,
			bonds_moving_average: params.bonds_moving_average,
			activity_cutoff: params.activity_cutoff,
			current_block: Self::now(),
		};
		(hotkeys, input, bonded)
	}

	/// Runs `netuid`'s epoch now: Yuma, outputs, payout. Returns its weight.
	pub fn run_epoch(netuid: NetUid) -> Weight {
		let (hotkeys, input, bonded) = Self::epoch_input(netuid);
		let output = myelin_yuma::epoch(&input);
		let permitted_stake = input
			.stake
			.iter()
			.zip(&output.validator_permit)
			.filter(|(_, permit)| **permit)
			.fold(0u128, |acc, (stake, _)| acc.saturating_add(*stake));
		let emission = T::Payout::pay_epoch(netuid, &hotkeys, &output, permitted_stake);
		Self::store_outputs(netuid, &output, &bonded, emission);
		LastEpoch::<T>::insert(netuid, Self::now());
		EpochIndex::<T>::mutate(netuid, |index| *index = index.saturating_add(1));

		let n = u16::try_from(hotkeys.len()).unwrap_or(u16::MAX);
		let validators = output.validator_permit.iter().filter(|p| **p).count();
		Self::deposit_event(Event::EpochRun {
			netuid,
			neurons: n,
			has_weights: output.has_weights,
		});
		// The benchmark runs the runtime's payout too: this covers it. Charged after the work,
		// for the neurons it had and the permits it granted: the weight rows it read.
		T::WeightInfo::epoch(u32::from(n), u32::try_from(validators).unwrap_or(u32::MAX))
	}

	fn store_outputs(netuid: NetUid, output: &EpochOutput, bonded: &[bool], emission: Vec<u64>) {
		fn bounded<V: Clone>(values: &[V]) -> BoundedVec<V, MaxUids> {
			BoundedVec::truncate_from(values.to_vec())
		}
		Metrics::<T>::mutate(netuid, |metrics| {
			let n = u16::try_from(output.incentive.len()).unwrap_or(u16::MAX);
			metrics.resize(n);
			*metrics = NeuronMetrics {
				last_update: core::mem::take(&mut metrics.last_update),
				incentive: bounded(&output.incentive),
				dividends: bounded(&output.dividends),
				consensus: bounded(&output.consensus),
				validator_trust: bounded(&output.validator_trust),
				active: bounded(&output.active),
				validator_permit: bounded(&output.validator_permit),
				emission: BoundedVec::truncate_from(emission),
			};
			// Every vector covers exactly the UIDs the epoch saw.
			metrics.resize(n);
		});
		for (uid, (row, had_bonds)) in output.bonds.iter().zip(bonded).enumerate() {
			let Ok(uid) = Uid::try_from(uid) else { break };
			if !row.is_empty() {
				Bonds::<T>::insert(netuid, uid, SparseRow::truncate_from(row.clone()));
			} else if *had_bonds {
				Bonds::<T>::remove(netuid, uid);
			}
		}
	}
}
