//! add_stake / remove_stake: holds, per-subnet pools, totals, minimums and every error.

use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};

use super::mock::*;
use crate::{Error, Event, Pools, Positions, StakedOn, TotalColdkeyStake, TotalOwed};
use myelin_primitives::StakeInfo;

#[test]
fn staking_holds_tokens_without_moving_them() {
	new_test_ext().execute_with(|| {
		let free = Balances::free_balance(NOMINATOR);
		let issuance = Balances::total_issuance();
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 30 * UNIT));

		assert_eq!(Balances::free_balance(NOMINATOR), free - 30 * UNIT);
		assert_eq!(held(NOMINATOR), 30 * UNIT);
		assert_eq!(Balances::total_balance(&NOMINATOR), FUNDS, "tokens stay in the account");
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(value(NOMINATOR, HOTKEY, NETUID), 30 * UNIT);
		assert_eq!(principal(NOMINATOR, HOTKEY, NETUID), 30 * UNIT);
		assert_eq!(Stake::stake_on(NETUID, &HOTKEY), 30 * UNIT);
		assert_eq!(TotalColdkeyStake::<Test>::get(NOMINATOR), 30 * UNIT);
		assert!(StakedOn::<Test>::contains_key(NOMINATOR, (HOTKEY, NETUID)));
		assert_eq!(TotalOwed::<Test>::get(), 0);
		assert_eq!(
			last_event(),
			Event::StakeAdded {
				coldkey: NOMINATOR,
				hotkey: HOTKEY,
				netuid: NETUID,
				amount: 30 * UNIT,
				stake: 30 * UNIT
			}
		);
		check_invariants();
	});
}

#[test]
fn stake_counts_only_on_its_own_subnet() {
	new_test_ext().execute_with(|| {
		let other = second_subnet();
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 30 * UNIT));
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, other, 5 * UNIT));
		assert_eq!(Stake::stake_on(NETUID, &HOTKEY), 30 * UNIT);
		assert_eq!(Stake::stake_on(other, &HOTKEY), 5 * UNIT);
		// The holds are the sum, and each token is in one pool only.
		assert_eq!(held(NOMINATOR), 35 * UNIT);
		assert_eq!(Stake::hotkey_stake(&HOTKEY), vec![(NETUID, 30 * UNIT), (other, 5 * UNIT)]);
		let positions = Stake::positions_of(&NOMINATOR);
		assert_eq!(positions.len(), 2);
		assert_eq!(positions.iter().map(|p| p.value).sum::<Balance>(), 35 * UNIT);
		check_invariants();
	});
}

#[test]
fn unstaking_releases_the_hold_and_cleans_up() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 30 * UNIT));
		assert_ok!(Stake::remove_stake(
			RuntimeOrigin::signed(NOMINATOR),
			HOTKEY,
			NETUID,
			10 * UNIT
		));
		assert_eq!(value(NOMINATOR, HOTKEY, NETUID), 20 * UNIT);
		assert_eq!(held(NOMINATOR), 20 * UNIT);
		assert_ok!(Stake::remove_stake(
			RuntimeOrigin::signed(NOMINATOR),
			HOTKEY,
			NETUID,
			20 * UNIT
		));
		assert_eq!(held(NOMINATOR), 0);
		assert_eq!(Balances::free_balance(NOMINATOR), FUNDS);
		assert!(!Positions::<Test>::contains_key((HOTKEY, NETUID, NOMINATOR)));
		assert!(!Pools::<Test>::contains_key(HOTKEY, NETUID));
		assert!(!TotalColdkeyStake::<Test>::contains_key(NOMINATOR));
		assert!(!StakedOn::<Test>::contains_key(NOMINATOR, (HOTKEY, NETUID)));
		assert_eq!(
			last_event(),
			Event::StakeRemoved {
				coldkey: NOMINATOR,
				hotkey: HOTKEY,
				netuid: NETUID,
				amount: 20 * UNIT,
				released: 20 * UNIT,
				minted: 0,
				stake: 0
			}
		);
		check_invariants();
	});
}

#[test]
fn stake_needs_a_hotkey_registered_on_the_subnet() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), 555, NETUID, 10 * UNIT),
			Error::<Test>::HotkeyNotRegistered
		);
		consent(OTHER, 300);
		assert_ok!(Subnets::register_network(RuntimeOrigin::signed(OTHER), 300));
		// Hotkey 300 owns a subnet, but holds no UID on subnet 1: stake there would earn nothing.
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), 300, NETUID, 10 * UNIT),
			Error::<Test>::HotkeyNotOnSubnet
		);
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 77, 10 * UNIT),
			Error::<Test>::HotkeyNotOnSubnet
		);
	});
}

#[test]
fn stake_must_reach_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, MIN_STAKE - 1),
			Error::<Test>::AmountBelowMinimum
		);
		assert_ok!(Stake::add_stake(
			RuntimeOrigin::signed(NOMINATOR),
			HOTKEY,
			NETUID,
			3 * MIN_STAKE
		));
		assert_noop!(
			Stake::remove_stake(
				RuntimeOrigin::signed(NOMINATOR),
				HOTKEY,
				NETUID,
				2 * MIN_STAKE + 1
			),
			Error::<Test>::RemainingStakeBelowMinimum
		);
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 0),
			Error::<Test>::AmountBelowMinimum
		);
	});
}

#[test]
fn cannot_stake_more_than_the_free_balance() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, FUNDS + 1),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn cannot_unstake_more_than_the_position_nor_anothers() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 5 * UNIT));
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 5 * UNIT + 1),
			Error::<Test>::NotEnoughStake
		);
		// Another coldkey cannot touch the position.
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(OTHER), HOTKEY, NETUID, UNIT),
			Error::<Test>::NotEnoughStake
		);
		// Nor can the position be withdrawn from another subnet.
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, 2, UNIT),
			Error::<Test>::NotEnoughStake
		);
	});
}

#[test]
fn withdrawing_mints_the_rewards_once_and_only_what_is_owed() {
	new_test_ext().execute_with(|| {
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, 40 * UNIT));
		let supply_before = supply();
		let issuance = Balances::total_issuance();
		// A reward: owed, not minted.
		assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 10 * UNIT));
		assert_eq!(Balances::total_issuance(), issuance, "crediting mints nothing");
		assert_eq!(supply(), supply_before + 10 * UNIT);
		let worth = value(NOMINATOR, HOTKEY, NETUID);
		// 90% of 10 units, less a planck of share rounding.
		assert_close(worth, 49 * UNIT, 1);

		// Withdraw it all: 40 released, the rest minted.
		assert_ok!(Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, worth));
		assert_eq!(
			last_event(),
			Event::StakeRemoved {
				coldkey: NOMINATOR,
				hotkey: HOTKEY,
				netuid: NETUID,
				amount: worth,
				released: 40 * UNIT,
				minted: worth - 40 * UNIT,
				stake: 0
			}
		);
		assert_eq!(Balances::free_balance(NOMINATOR), FUNDS + worth - 40 * UNIT);
		assert_eq!(supply(), supply_before + 10 * UNIT, "minting moved owed into issuance");
		// Nothing more to withdraw.
		assert_noop!(
			Stake::remove_stake(RuntimeOrigin::signed(NOMINATOR), HOTKEY, NETUID, MIN_STAKE),
			Error::<Test>::NotEnoughStake
		);
		check_invariants();
	});
}

/// The owner of a hotkey shrinks its pool to the minimum after every reward, so the share price
/// balloons; a later depositor must not lose more than `MAX_ROUNDING_LOSS` to it, neither when
/// staking nor when withdrawing part, and the pool never keeps value without shares.
#[test]
fn an_inflated_share_price_cannot_take_a_depositors_tokens() {
	use crate::pool::MAX_ROUNDING_LOSS;
	new_test_ext().execute_with(|| {
		let signed = RuntimeOrigin::signed;
		fund(OWNER, 1_000_000 * UNIT);
		assert_ok!(Stake::decrease_take(signed(OWNER), HOTKEY, sp_runtime::Perbill::zero()));
		assert_ok!(Stake::add_stake(signed(OWNER), HOTKEY, NETUID, MIN_STAKE));
		// Until one share is worth 60 units, so a deposit of 190 buys three and would lose 10.
		let price = || {
			let pool = Stake::pool_with_accrued(&HOTKEY, NETUID).unwrap();
			pool.value / pool.shares
		};
		while price() < 60 * UNIT {
			assert_ok!(Stake::credit_stake(NETUID, &HOTKEY, 10 * UNIT));
			let worth = value(OWNER, HOTKEY, NETUID);
			if worth > MIN_STAKE {
				let _ = Stake::remove_stake(signed(OWNER), HOTKEY, NETUID, worth - MIN_STAKE);
			}
		}
		assert!(price() < 600 * UNIT, "a deposit of 190 units still buys shares");
		check_invariants();

		// A victim stakes: either it keeps all but a planck or two, or the stake is refused.
		let supply_before = supply();
		let (free, amount) = (Balances::free_balance(NOMINATOR), 190 * UNIT + 7);
		match Stake::add_stake(signed(NOMINATOR), HOTKEY, NETUID, amount) {
			Ok(()) => {
				let kept = value(NOMINATOR, HOTKEY, NETUID);
				assert!(kept + MAX_ROUNDING_LOSS >= amount, "lost {} planck", amount - kept);
				// A partial withdrawal loses no more either, or is refused.
				let before = value(NOMINATOR, HOTKEY, NETUID);
				if Stake::remove_stake(signed(NOMINATOR), HOTKEY, NETUID, 10 * UNIT + 3).is_ok() {
					let after = value(NOMINATOR, HOTKEY, NETUID);
					assert!(before - after <= 10 * UNIT + 3 + MAX_ROUNDING_LOSS);
				}
				// Everything can always be withdrawn.
				let worth = value(NOMINATOR, HOTKEY, NETUID);
				assert_ok!(Stake::remove_stake(signed(NOMINATOR), HOTKEY, NETUID, worth));
			}
			Err(error) => {
				assert_eq!(error, Error::<Test>::RoundingLoss.into());
				assert_eq!(Balances::free_balance(NOMINATOR), free);
			}
		}
		assert_eq!(supply(), supply_before);
		assert!(Balances::total_balance(&NOMINATOR) + MAX_ROUNDING_LOSS >= FUNDS);
		check_invariants();
	});
}
