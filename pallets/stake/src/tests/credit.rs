//! credit_stake: O(1) rewards to a pool, the take as the owner's new shares, the rest raising
//! every share; nothing minted until withdrawn.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

use super::mock::*;
use crate::{Event, Pools, Positions, TotalOwed};
use myelin_primitives::StakeInfo;

#[test]
fn take_buys_owner_shares_and_the_rest_raises_every_share() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OWNER), HOTKEY, NETUID, 10 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 30 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 100 * UNIT));

		// 10% take; 90 units raise 40 to 130: the nominator holds 3/4 of the old shares.
		assert_close(value(NOMINATOR, HOTKEY, NETUID), 30 * UNIT + 675 * UNIT / 10, 1);
		assert_close(value(OWNER, HOTKEY, NETUID), 10 * UNIT + 225 * UNIT / 10 + 10 * UNIT, 1);
		assert_eq!(Stake::stake_on(NETUID, &HOTKEY), 140 * UNIT);
		assert_eq!(TotalOwed::<Test>::get(), 100 * UNIT);
		// Principal (held) is untouched; the rewards are owed.
		assert_eq!(held(NOMINATOR), 30 * UNIT);
		assert_eq!(principal(OWNER, HOTKEY, NETUID), 10 * UNIT);
		assert_eq!(
			last_event(),
			Event::StakeCredited { netuid: NETUID, pools: 1, amount: 100 * UNIT }
		);
		check_invariants();
	});
}

#[test]
fn a_pool_without_stakers_credits_everything_to_its_owner() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 5 * UNIT));
		assert_eq!(value(OWNER, HOTKEY, NETUID), 5 * UNIT);
		assert_eq!(principal(OWNER, HOTKEY, NETUID), 0);
		assert_eq!(held(OWNER), 0);
		// The owner withdraws it: minted once, then nothing is left.
		let issuance = Balances::total_issuance();
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(OWNER), HOTKEY, NETUID, 5 * UNIT));
		assert_eq!(Balances::total_issuance(), issuance + 5 * UNIT);
		assert_eq!(TotalOwed::<Test>::get(), 0);
		assert!(!Pools::<Test>::contains_key(HOTKEY, NETUID));
		check_invariants();
	});
}

#[test]
fn crediting_nothing_is_a_no_op() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 0));
		assert!(!Pools::<Test>::contains_key(HOTKEY, NETUID));
	});
}

/// The take's shares wait in the pool, and join the owner's position the moment the owner
/// acts on it: nothing is lost, nothing counted twice.
#[test]
fn the_owners_take_shares_join_its_position_when_it_acts() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 30 * UNIT));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 10 * UNIT));
		assert!(Stake::pool_with_accrued(&HOTKEY, NETUID).unwrap().owner_shares > 0);
		assert!(!Positions::<Test>::contains_key((HOTKEY, NETUID, OWNER)));
		let take = value(OWNER, HOTKEY, NETUID);
		assert_close(take, UNIT, 1);
		assert_eq!(Stake::positions_of(&OWNER).len(), 1, "listed although no position holds it");
		assert!(Stake::stakers(&HOTKEY).iter().any(|s| s.coldkey == OWNER));
		// The owner stakes: its take shares join its new position.
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(OWNER), HOTKEY, NETUID, 5 * UNIT));
		assert_eq!(Pools::<Test>::get(HOTKEY, NETUID).unwrap().owner_shares, 0);
		assert_close(value(OWNER, HOTKEY, NETUID), take + 5 * UNIT, 2);
		assert_eq!(principal(OWNER, HOTKEY, NETUID), 5 * UNIT);
		// Someone else acting on the pool leaves the owner's shares alone.
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 10 * UNIT));
		let owner_shares = Stake::pool_with_accrued(&HOTKEY, NETUID).unwrap().owner_shares;
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, UNIT));
		assert_eq!(Pools::<Test>::get(HOTKEY, NETUID).unwrap().owner_shares, owner_shares);
		check_invariants();
	});
}

#[test]
fn a_credit_too_large_for_the_pool_fails_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 30 * UNIT));
		assert_noop!(
			Stake::credit_stake(NETUID, &HOTKEY, u128::MAX),
			sp_runtime::ArithmeticError::Overflow
		);
	});
}

/// 10,000 stakers on one hotkey: a credit writes the pool, the owner's position and the owed
/// total, and no staker's position; yet every staker's value grows by its share.
#[test]
fn crediting_ten_thousand_stakers_touches_none_of_their_positions() {
	new_test_ext().execute_with(|| {
		let stakers: Vec<AccountId> = (0..10_000).map(|i| 1_000_000 + i).collect();
		for who in &stakers {
			fund(*who, 10 * UNIT);
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(*who), HOTKEY, NETUID, UNIT));
		}
		let before: Vec<_> =
			stakers.iter().map(|who| Positions::<Test>::get((HOTKEY, NETUID, *who))).collect();

		assert_ok!(Stake::decrease_take(RuntimeOrigin::signed(OWNER), HOTKEY, Perbill::zero()));
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 10_000 * UNIT));

		for (who, position) in stakers.iter().zip(before) {
			assert_eq!(Positions::<Test>::get((HOTKEY, NETUID, *who)), position);
			assert_close(value(*who, HOTKEY, NETUID), 2 * UNIT, 1);
		}
		assert_eq!(Stake::stake_on(NETUID, &HOTKEY), 20_000 * UNIT);
		check_invariants();
	});
}

#[test]
fn rewards_on_one_subnet_stay_on_it() {
	new_test_ext().execute_with(|| {
		let other = second_subnet();
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 10 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, other, 10 * UNIT));
		assert_ok!(Stake::credit_stake(other, &HOTKEY, 10 * UNIT));
		assert_eq!(value(NOMINATOR, HOTKEY, NETUID), 10 * UNIT);
		assert_close(value(NOMINATOR, HOTKEY, other), 19 * UNIT, 1);
		check_invariants();
	});
}
