//! Paying an epoch: owner cut, miners and validators as stake, the queue, dissolved subnets.

use super::{accrual::eligible, mock::*};
use crate::{Event, OwnerCut, Payouts, Subnets as Accounts, TotalEmitted, Unminted};
use frame_support::{assert_ok, weights::Weight};
use myelin_primitives::StakeInfo;
use sp_runtime::Perbill;

fn paid_event() -> (Balance, Balance, Balance, Balance) {
	events()
		.into_iter()
		.rev()
		.find_map(|e| match e {
			Event::EpochPaid { netuid: NETUID, owner_cut, miners, validators, still_pending } => {
				Some((owner_cut, miners, validators, still_pending))
			}
			_ => None,
		})
		.unwrap()
}

#[test]
fn an_epoch_pays_the_owner_the_miners_and_the_validators() {
	new_test_ext().execute_with(|| {
		// Validators 102 (300) and 103 (100) both weight miner 104.
		eligible(NETUID, &[(2, 300), (3, 100)], 4);
		let pending = Accounts::<Test>::get()[&NETUID].pending;
		let tempo_blocks = pending / UNIT;
		assert!(tempo_blocks > 0);
		let owner_before = free(OWNER);
		let stake = |hotkey| <Stake as StakeInfo<AccountId, Balance>>::total_stake(&hotkey);
		let before = [stake(102), stake(103), stake(104)];
		let block = System::block_number();
		run_to_epoch(NETUID);
		// The epoch pays what accrued before its block (emission accrues after the epochs).
		let accrued = pending + (System::block_number() - block - 1) as Balance * UNIT;
		let (owner_cut, miners, validators, still_pending) = paid_event();
		assert_eq!(owner_cut, Perbill::from_percent(18).mul_floor(accrued));
		assert_eq!(owner_cut + miners + validators + still_pending, accrued);
		assert_eq!(free(OWNER) - owner_before, owner_cut);
		// Half of the rest to the one weighted miner, half to the validators by dividends.
		assert_eq!(stake(104) - before[2], miners);
		assert!(miners.abs_diff((accrued - owner_cut) / 2) <= 2);
		let gains = [stake(102) - before[0], stake(103) - before[1]];
		assert_eq!(gains[0] + gains[1], validators);
		assert!(gains[0] > 2 * gains[1], "dividends follow stake: {gains:?}");
		assert!(Payouts::<Test>::iter().next().is_none());
		check_invariants();
	});
}

#[test]
fn without_weights_the_validators_half_goes_by_stake_and_the_miners_half_waits() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300), (3, 100)], 4);
		let _ = pallet_yuma::Weights::<Test>::clear_prefix(NETUID, u32::MAX, None);
		let block = System::block_number();
		let pending = Accounts::<Test>::get()[&NETUID].pending;
		run_to_epoch(NETUID);
		// The epoch pays what accrued before its block (emission accrues after the epochs).
		let accrued = pending + (System::block_number() - block - 1) as Balance * UNIT;
		let (owner_cut, miners, validators, still_pending) = paid_event();
		assert_eq!(miners, 0);
		let rest = accrued - owner_cut;
		assert!(validators.abs_diff(rest - rest / 2) <= 2);
		assert_eq!(still_pending, rest - validators);
		// Kept pending, plus this block's emission (accrued after the epoch).
		assert_eq!(Accounts::<Test>::get()[&NETUID].pending, still_pending + UNIT);
		check_invariants();
	});
}

#[test]
fn payouts_wait_for_spare_weight() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300), (3, 100)], 4);
		let stake = |hotkey| <Stake as StakeInfo<AccountId, Balance>>::total_stake(&hotkey);
		let before = stake(104);
		let tempo = TEMPO as u64;
		let mut next = System::block_number() + 1;
		while !pallet_yuma::Pallet::<Test>::epoch_due(NETUID, TEMPO, next as u32) {
			next += 1;
		}
		run_to_block_with_idle(next, Weight::zero());
		assert_eq!(Payouts::<Test>::get(NETUID).len(), 3);
		assert_eq!(stake(104), before);
		check_invariants();
		// Enough for exactly one credit (one position) per block.
		let one = <() as crate::WeightInfo>::on_idle_base()
			.saturating_add(<() as crate::WeightInfo>::credit(1));
		run_to_block_with_idle(next + 1, one);
		assert_eq!(Payouts::<Test>::get(NETUID).len(), 2);
		run_to_block_with_idle(next + 3, one);
		assert!(!Payouts::<Test>::contains_key(NETUID));
		assert!(stake(104) > before);
		assert!(next + 3 < next + tempo);
		check_invariants();
	});
}

#[test]
fn governance_sets_the_owner_cut() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300)], 3);
		assert_ok!(Emission::set_owner_cut(RuntimeOrigin::root(), NETUID, Perbill::zero()));
		assert!(events().contains(&Event::OwnerCutSet { netuid: NETUID, cut: Perbill::zero() }));
		assert_eq!(OwnerCut::<Test>::get(NETUID), Some(Perbill::zero()));
		let owner_before = free(OWNER);
		run_to_epoch(NETUID);
		assert_eq!(paid_event().0, 0);
		assert_eq!(free(OWNER), owner_before);
	});
}

#[test]
fn a_dissolved_subnets_pending_is_forfeited_and_its_queue_still_paid() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300)], 3);
		let mut next = System::block_number() + 1;
		while !pallet_yuma::Pallet::<Test>::epoch_due(NETUID, TEMPO, next as u32) {
			next += 1;
		}
		run_to_block_with_idle(next, Weight::zero());
		assert!(Payouts::<Test>::contains_key(NETUID));
		run_to_block_with_idle(next + 2, Weight::zero());
		let pending = Accounts::<Test>::get()[&NETUID].pending;
		let emitted = TotalEmitted::<Test>::get();
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(OWNER), NETUID));
		assert!(!Accounts::<Test>::get().contains_key(&NETUID));
		assert_eq!(TotalEmitted::<Test>::get(), emitted - pending);
		check_invariants();
		run_to_block(next + 3);
		assert!(!Payouts::<Test>::contains_key(NETUID));
		assert_eq!(Unminted::<Test>::get(), 0);
		check_invariants();
	});
}

/// A payout that fails half-way (the nominators' shares minted, the owner's refused) must not
/// leave those mints behind and then mint the whole amount again to the owner.
#[test]
fn a_credit_failing_half_way_mints_nothing_twice() {
	new_test_ext().execute_with(|| {
		// Room for every hotkey of the test: none is pruned.
		pallet_subnets::Hyperparams::<Test>::mutate(NETUID, |params| {
			params.as_mut().unwrap().max_allowed_uids = 32;
		});
		// Hotkey 102 of coldkey 2, with a nominator (coldkey 7).
		register(NETUID, 2);
		stake(2, 10);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(7), 102, 50 * UNIT));
		// Coldkey 2 then unstakes from its own hotkey and fills its staked-hotkeys list
		// elsewhere: crediting 102 must mint the owner's share on a new position, which fails.
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), 102, 10 * UNIT));
		let limit = MaxStakedHotkeys::get();
		for k in 0..limit {
			let coldkey = 300 + AccountId::from(k);
			fund(coldkey, 100 * UNIT);
			register(NETUID, coldkey);
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(2), 100 + coldkey, UNIT));
		}
		let amount = 7 * UNIT;
		Unminted::<Test>::mutate(|u| *u += amount);
		TotalEmitted::<Test>::mutate(|t| *t += amount);
		let (issuance, nominator) = (total_issuance(), Stake::stake(&7, &102));

		crate::Pallet::<Test>::credit(&102, amount);

		// Exactly `amount` was minted: to the owner's free balance, as the fallback says, and
		// none of the nominator's half-way share survived.
		assert_eq!(total_issuance(), issuance + amount);
		assert_eq!(Stake::stake(&7, &102), nominator);
		assert!(events().iter().any(
			|e| matches!(e, Event::StakeCreditFailed { hotkey: 102, amount: a, .. } if *a == amount)
		));
		check_invariants();
	});
}
