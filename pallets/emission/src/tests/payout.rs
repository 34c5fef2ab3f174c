//! Paying an epoch: owner cut, miners and validators credited as stake in the epoch's own
//! block, dissolved subnets, and credits that fail.

use super::{accrual::eligible, mock::*};
use crate::{Event, OwnerCut, Subnets as Accounts, TotalEmitted, Unminted};
use frame_support::assert_ok;
use sp_runtime::Perbill;

/// The UID of `hotkey` on the test subnet.
fn uid_of(hotkey: AccountId) -> myelin_primitives::Uid {
	pallet_subnets::Uids::<Test>::get(NETUID, hotkey).expect("registered")
}

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
		let stake = |hotkey| stake_on(NETUID, hotkey);
		let before = [stake(102), stake(103), stake(104)];
		let (issuance, owed_before) = (total_issuance(), owed());
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
		// Paid in the epoch's own block: owed to the pools, only the owner's cut minted.
		assert_eq!(owed() - owed_before, miners + validators);
		assert_eq!(total_issuance() - issuance, owner_cut);
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
fn a_dissolved_subnets_pending_is_forfeited_and_its_stake_stays_withdrawable() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300)], 3);
		run_to_epoch(NETUID);
		let earned = stake_on(NETUID, 102);
		assert!(earned > 300 * UNIT, "the validator earned");
		let pending = Accounts::<Test>::get()[&NETUID].pending;
		let emitted = TotalEmitted::<Test>::get();
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(OWNER), NETUID));
		assert!(!Accounts::<Test>::get().contains_key(&NETUID));
		assert_eq!(TotalEmitted::<Test>::get(), emitted - pending);
		assert_eq!(Unminted::<Test>::get(), 0);
		check_invariants();
		// The pool outlives its subnet: once the subnet is cleared (its pools took what their
		// UIDs accrued), coldkey 2 withdraws everything, rewards minted once.
		let worth = Stake::position_view(&2, 102, NETUID).unwrap().value;
		assert!(worth <= earned && worth + 2 >= earned, "the view counts what the UID accrued");
		frame_support::assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(2), 102, NETUID, worth),
			pallet_stake::Error::<Test>::SubnetClearing
		);
		run_to_block(System::block_number() + 40);
		assert!(!<Subnets as myelin_primitives::SubnetInfo<_>>::is_clearing(NETUID));
		assert_eq!(Stake::position_view(&2, 102, NETUID).unwrap().value, worth);
		let (free_before, supply) = (free(2), total_issuance() + owed());
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), 102, NETUID, worth));
		assert_eq!(free(2), free_before + worth);
		assert_eq!(total_issuance() + owed(), supply);
		check_invariants();
	});
}

/// Crediting fails (here: the owed total would overflow): nothing of it stays behind, it is
/// forfeited, and it is not paid any other way.
#[test]
fn a_credit_that_fails_is_forfeited_and_mints_nothing() {
	new_test_ext().execute_with(|| {
		register(NETUID, 2);
		stake(NETUID, 2, 10);
		let amount = 7 * UNIT;
		Unminted::<Test>::mutate(|u| *u += amount);
		TotalEmitted::<Test>::mutate(|t| *t += amount);
		let real_owed = pallet_stake::TotalOwed::<Test>::get();
		pallet_stake::TotalOwed::<Test>::put(Balance::MAX - 1);
		let (issuance, pool, emitted) =
			(total_issuance(), stake_on(NETUID, 102), TotalEmitted::<Test>::get());

		crate::Pallet::<Test>::credit(NETUID, &[(uid_of(102), 102, amount)]);

		assert_eq!(total_issuance(), issuance);
		assert_eq!(stake_on(NETUID, 102), pool, "the pool's write was rolled back");
		assert_eq!(TotalEmitted::<Test>::get(), emitted - amount, "forfeited");
		assert!(events().iter().any(
			|e| matches!(e, Event::StakeCreditFailed { hotkey: 102, amount: a, .. } if *a == amount)
		));
		pallet_stake::TotalOwed::<Test>::put(real_owed);
		check_invariants();
	});
}

/// Former double-mint trigger 1: the owner coldkey of many earning hotkeys (more than any old
/// per-coldkey cap). Every credit is owed to a pool; issuance + owed grows by exactly what was
/// credited.
#[test]
fn an_owner_of_many_earning_hotkeys_is_credited_exactly() {
	new_test_ext().execute_with(|| {
		pallet_subnets::Hyperparams::<Test>::mutate(NETUID, |params| {
			params.as_mut().unwrap().max_allowed_uids = 80;
		});
		let owner = 2;
		fund(owner, 1_000_000 * UNIT);
		let hotkeys: Vec<AccountId> = (0..70).map(|i| 5_000 + i).collect();
		for hotkey in &hotkeys {
			consent(owner, *hotkey);
			assert_ok!(Subnets::burned_register(
				RuntimeOrigin::signed(owner),
				NETUID,
				*hotkey,
				u128::MAX
			));
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(owner), *hotkey, NETUID, UNIT));
		}
		let amount = 3 * UNIT + 1;
		let total = amount * hotkeys.len() as Balance;
		Unminted::<Test>::mutate(|u| *u += total);
		TotalEmitted::<Test>::mutate(|t| *t += total);
		let supply = total_issuance() + owed();
		let credits: Vec<_> = hotkeys.iter().map(|h| (uid_of(*h), *h, amount)).collect();
		crate::Pallet::<Test>::credit(NETUID, &credits);
		assert_eq!(total_issuance() + owed(), supply + total);
		assert!(!events().iter().any(|e| matches!(e, Event::StakeCreditFailed { .. })));
		check_invariants();
	});
}

/// Former double-mint trigger 2: the hotkey's owner coldkey was reaped. Its take becomes
/// shares of a position without principal; nothing is minted until it withdraws.
#[test]
fn a_reaped_owner_is_credited_without_minting() {
	new_test_ext().execute_with(|| {
		register(NETUID, 2);
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(7), 102, NETUID, 50 * UNIT));
		// Coldkey 2 sends everything away: its account is reaped.
		assert_ok!(Balances::transfer_all(RuntimeOrigin::signed(2), 8, false));
		assert!(!frame_system::Account::<Test>::contains_key(2));
		let amount = 7 * UNIT;
		Unminted::<Test>::mutate(|u| *u += amount);
		TotalEmitted::<Test>::mutate(|t| *t += amount);
		let (issuance, supply) = (total_issuance(), total_issuance() + owed());

		crate::Pallet::<Test>::credit(NETUID, &[(uid_of(102), 102, amount)]);

		assert_eq!(total_issuance(), issuance, "nothing minted");
		assert_eq!(total_issuance() + owed(), supply + amount);
		let take = Stake::position_view(&2, 102, NETUID).unwrap();
		assert_eq!(take.principal, 0);
		assert!(take.value > 0);
		check_invariants();
		// The owner withdraws its take: minted once, into a new account.
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(2), 102, NETUID, take.value));
		assert_eq!(free(2), take.value);
		assert_eq!(total_issuance() + owed(), supply + amount);
		check_invariants();
	});
}
