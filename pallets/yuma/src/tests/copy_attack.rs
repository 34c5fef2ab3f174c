//! The weight-copying attack against commit-reveal, played as fast as the rules allow: a copier
//! commits what it saw revealed in the very next block and reveals at the first moment it may.
//! With a miner ranking that moves every epoch, the copy is always one epoch stale, so the
//! honest validators' trust and dividends beat the copier's.

use super::mock::*;
use crate::{setting::commit_hash, Error, Weights as StoredWeights};
use frame_support::assert_ok;
use myelin_primitives::Uid;

const HONEST: [AccountId; 3] = [101, 102, 103];
const COPIER: AccountId = 104;
const COPIER_UID: usize = 3;
const MINERS: [Uid; 4] = [4, 5, 6, 7];
const SALT: [u16; 4] = [1, 2, 3, 4];

/// A revealable commit kept by its maker.
#[derive(Clone)]
struct Kept {
	uids: Vec<Uid>,
	values: Vec<u16>,
}

/// The honest vector of epoch `e`: everything on that epoch's best miner.
fn honest_vector(e: u64) -> Kept {
	Kept { uids: vec![MINERS[(e % 4) as usize]], values: vec![u16::MAX] }
}

fn commit(who: AccountId, kept: &Kept) {
	let epoch = Yuma::epoch_index(NETUID);
	let hash = commit_hash(&who, NETUID, epoch, &kept.uids, &kept.values, &SALT, 0);
	assert_ok!(Yuma::commit_weights(RuntimeOrigin::signed(who), NETUID, hash));
}

fn reveal(who: AccountId, kept: &Kept) -> frame_support::dispatch::DispatchResult {
	Yuma::reveal_weights(
		RuntimeOrigin::signed(who),
		NETUID,
		kept.uids.clone(),
		kept.values.clone(),
		SALT.to_vec().try_into().unwrap(),
		0,
	)
}

#[test]
fn a_copier_only_ever_reveals_a_stale_vector_and_earns_less() {
	new_test_ext().execute_with(|| {
		// Four validators of equal stake (UIDs 0-3), four miners (UIDs 4-7).
		for k in 2..=8 {
			register(NETUID, k);
		}
		for k in 1..=4 {
			stake(NETUID, k, 1_000);
		}
		let mut params = pallet_subnets::Hyperparams::<Test>::get(NETUID).unwrap();
		params.commit_reveal_enabled = true;
		params.reveal_period = 2;
		params.max_allowed_validators = 4;
		params.weights_set_rate_limit = 0;
		pallet_subnets::Hyperparams::<Test>::insert(NETUID, params);
		run_to_epoch(NETUID); // permits

		let mut honest_pending: Option<Kept> = None;
		let mut copier_pending: Option<Kept> = None;
		let mut epochs_seen = Vec::new();
		for _ in 0..10 {
			run_to_epoch(NETUID);
			let epoch = Yuma::epoch_index(NETUID);
			epochs_seen.push(epoch);
			// Block 1 of the epoch: the honest validators reveal last epoch's vector and commit
			// this epoch's ranking.
			let revealed = honest_pending.take();
			for who in HONEST {
				if let Some(kept) = &revealed {
					assert_ok!(reveal(who, kept));
				}
				commit(who, &honest_vector(epoch));
			}
			honest_pending = Some(honest_vector(epoch));
			// Block 2: the copier reveals its last copy, commits a copy of what it just saw…
			run_to_block(System::block_number() + 1);
			if let Some(kept) = copier_pending.take() {
				assert_ok!(reveal(COPIER, &kept));
			}
			if let Some(seen) = revealed {
				commit(COPIER, &seen);
				// …and tries to reveal it at once, in the next block.
				run_to_block(System::block_number() + 1);
				match reveal(COPIER, &seen) {
					Ok(()) => {}
					Err(e) => {
						assert_eq!(e, Error::<Test>::RevealTooEarly.into());
						// What it holds is what the honest validators held one epoch ago.
						copier_pending = Some(seen);
					}
				}
			}
		}

		// Each epoch's outputs, once the copier's copies count (from the fourth epoch on).
		let outputs: Vec<_> = paid().into_iter().map(|(_, output, _)| output).collect();
		let counted = &outputs[4..];
		assert!(counted.len() >= 6);
		for output in counted {
			for (h, _) in HONEST.iter().enumerate() {
				assert!(
					output.validator_trust[h] > output.validator_trust[COPIER_UID],
					"honest trust {} vs copier {}",
					output.validator_trust[h],
					output.validator_trust[COPIER_UID]
				);
			}
		}
		let dividends =
			|uid: usize| counted.iter().map(|o| u64::from(o.dividends[uid])).sum::<u64>();
		for h in 0..HONEST.len() {
			assert!(
				dividends(h) > 2 * dividends(COPIER_UID),
				"{} vs {}",
				dividends(h),
				dividends(COPIER_UID)
			);
		}
		// The copier's stored vector is always last epoch's ranking, never the current one.
		let current = Yuma::epoch_index(NETUID);
		let copied = StoredWeights::<Test>::get(NETUID, COPIER_UID as u16).into_inner();
		let honest = StoredWeights::<Test>::get(NETUID, 0).into_inner();
		assert_eq!(copied, vec![(honest_vector(current - 2).uids[0], u16::MAX)]);
		assert_eq!(honest, vec![(honest_vector(current - 1).uids[0], u16::MAX)]);
		check_invariants();
	});
}
