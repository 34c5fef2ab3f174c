//! Attacks on the split of emission across subnets: stake counts on one subnet only, so owning
//! many subnets earns nothing extra; and paying an epoch costs the same whatever the number of
//! stakers behind its validators.

use super::{
	accrual::{eligible, quiet_blocks},
	mock::*,
};
use crate::Subnets as Accounts;
use frame_support::{assert_ok, traits::Hooks};
use myelin_primitives::{NetUid, SubnetInfo};

/// A delegate (coldkey 2, hotkey 102) owns three subnets with its hotkey at UID 0 of each and a
/// cheap miner on each, but stakes on the first only. An honest validator with the same stake
/// runs subnet 1. The delegate's subnets together earn no more than its stake's share.
#[test]
fn a_delegate_owning_several_subnets_earns_only_its_stake_share() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(3, 300)], 4);
		let mut attacker: Vec<NetUid> = Vec::new();
		for i in 0..3 {
			let netuid = new_subnet(2, 102);
			pallet_subnets::Hyperparams::<Test>::mutate(netuid, |p| {
				p.as_mut().unwrap().tempo = TEMPO;
			});
			register(netuid, 5 + i);
			attacker.push(netuid);
		}
		stake(attacker[0], 2, 300);
		for &netuid in &attacker {
			run_to_epoch(netuid);
		}
		for (i, &netuid) in attacker.iter().enumerate() {
			let miner = 105 + i as AccountId;
			let uid = <Subnets as SubnetInfo<AccountId>>::uid_of_hotkey(netuid, &miner).unwrap();
			// Without stake there, 102 holds no permit: the weights count only where it staked.
			let _ = Yuma::set_weights(RuntimeOrigin::signed(102), netuid, vec![uid], vec![1], 0);
		}
		for _ in 0..3 {
			for &netuid in &attacker {
				run_to_epoch(netuid);
			}
		}
		// All stake on a set of subnets: each hotkey's pool on each subnet, counted once.
		let real = |netuids: &[NetUid]| {
			netuids
				.iter()
				.flat_map(|&n| {
					<Subnets as SubnetInfo<AccountId>>::hotkeys(n)
						.into_iter()
						.map(move |h| stake_on(n, h))
				})
				.sum::<Balance>()
		};
		let (attacker_stake, honest_stake) = (real(&attacker), real(&[NETUID]));
		// Counted once: the split's stake of the delegate's subnets is at most its real stake.
		let accounts = Accounts::<Test>::get();
		let counted: Balance =
			attacker.iter().filter_map(|n| accounts.get(n)).map(|a| a.stake).sum();
		assert!(counted <= attacker_stake, "counted {counted} > staked {attacker_stake}");

		let all: Vec<NetUid> = [NETUID].into_iter().chain(attacker.iter().copied()).collect();
		let block = quiet_blocks(&all, 6);
		run_to_block(block - 1);
		let pending = |n: &NetUid| Accounts::<Test>::get().get(n).map(|a| a.pending).unwrap_or(0);
		let before: Vec<Balance> = all.iter().map(pending).collect();
		run_to_block(block + 4);
		let gains: Vec<Balance> =
			all.iter().map(pending).zip(&before).map(|(a, b)| a - b).collect();
		let total: Balance = gains.iter().sum();
		let attacker_gain: Balance = gains[1..].iter().sum();
		assert!(total > 0 && attacker_gain > 0, "both sides earn: {gains:?}");
		// attacker_gain / total ≤ attacker_stake / (attacker_stake + honest_stake), up to the
		// stake credited since the last epochs (a few percent here).
		let fair = total as f64 * attacker_stake as f64 / (attacker_stake + honest_stake) as f64;
		assert!(
			attacker_gain as f64 <= fair * 1.05,
			"the delegate took {attacker_gain} of {total}; its stake share is {fair}"
		);
		check_invariants();
	});
}

/// The same delegate hops its stake from subnet to subnet, each time just before that subnet's
/// epoch, so every epoch records it; on A, other stake that A's epoch did not count (a third
/// party's, on a miner without a permit) would cover for it. The split counts a subnet's
/// recorded stake less what has left the subnet since: the hopping stake counts once.
#[test]
fn stake_hopping_between_subnets_counts_once() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(3, 300)], 4);
		let mut attacker: Vec<NetUid> = Vec::new();
		for i in 0..2 {
			let netuid = new_subnet(2, 102);
			pallet_subnets::Hyperparams::<Test>::mutate(netuid, |p| {
				p.as_mut().unwrap().tempo = TEMPO;
			});
			register(netuid, 5 + i);
			attacker.push(netuid);
		}
		// Epochs fall at block ≡ −netuid (mod tempo): the higher netuid's comes first, so A's epoch
		// is followed by B's, then by a quiet stretch before A's next.
		let (a, b) = (attacker[0].max(attacker[1]), attacker[0].min(attacker[1]));
		let miner_of = |n: NetUid| if n == attacker[0] { 105 } else { 106 };
		let weigh = |netuid: NetUid| {
			let miner = miner_of(netuid);
			let uid = <Subnets as SubnetInfo<AccountId>>::uid_of_hotkey(netuid, &miner).unwrap();
			let _ = Yuma::set_weights(RuntimeOrigin::signed(102), netuid, vec![uid], vec![1], 0);
		};
		let next_epoch = |netuid: NetUid| {
			let mut block = System::block_number() + 1;
			while !pallet_yuma::Pallet::<Test>::epoch_due(netuid, TEMPO, block as u32) {
				block += 1;
			}
			block
		};
		let hop = |from: NetUid, to: NetUid| {
			let worth = Stake::position_view(&2, 102, from).unwrap().value;
			assert_ok!(Stake::move_stake(RuntimeOrigin::signed(2), 102, from, 102, to, worth));
		};
		// Cover on A: 200 units of coldkey 9 on A's miner, which A's single permit (102's larger
		// stake) never counts.
		pallet_subnets::Hyperparams::<Test>::mutate(a, |p| {
			p.as_mut().unwrap().max_allowed_validators = 1;
		});
		assert_ok!(Stake::add_stake(RuntimeOrigin::signed(9), miner_of(a), a, 200 * UNIT));
		// Both subnets get permits and weights while the stake sits on each in turn.
		stake(b, 2, 300);
		run_to_epoch(b);
		weigh(b);
		hop(b, a);
		run_to_epoch(a);
		weigh(a);
		// The hop: on A for A's epoch, on B for B's.
		let at_a = next_epoch(a);
		run_to_block(at_a);
		hop(a, b);
		let at_b = next_epoch(b);
		assert!(at_b < at_a + u64::from(TEMPO), "B's epoch comes before A's next");
		run_to_block(at_b);
		let accounts = Accounts::<Test>::get();
		assert!(accounts.contains_key(&a) && accounts.contains_key(&b), "both became eligible");
		assert!(accounts[&a].stake >= 300 * UNIT, "A recorded the stake before it left");
		assert!(accounts[&b].stake >= 300 * UNIT, "B recorded it after it arrived");

		let live = |n: NetUid| {
			<Stake as myelin_primitives::StakeInfo<AccountId, Balance>>::subnet_stake(n)
		};
		let all: Vec<NetUid> = vec![NETUID, a, b];
		let block = quiet_blocks(&all, 6);
		run_to_block(block - 1);
		let pending = |n: &NetUid| Accounts::<Test>::get().get(n).map(|a| a.pending).unwrap_or(0);
		let before: Vec<Balance> = all.iter().map(pending).collect();
		run_to_block(block + 4);
		let gains: Vec<Balance> =
			all.iter().map(pending).zip(&before).map(|(x, y)| x - y).collect();
		assert!(gains.iter().sum::<Balance>() > 0);
		// A's permitted stake (102's) has left: A weighs nothing, whatever else it holds.
		assert!(live(a) >= 200 * UNIT, "the cover is still on A");
		assert_eq!(Accounts::<Test>::get()[&a].split_weight(live(a)), 0);
		assert_eq!(gains[1], 0, "A earned nothing while its counted stake was elsewhere");
		assert!(gains[2] > 0, "B, where the stake is, earned");
		check_invariants();
	});
}

/// 10,000 stakers behind one validator: its epoch credits the validator's pool in the epoch's
/// block, touches none of the stakers' positions, and charges the benchmarked epoch weight,
/// which does not depend on stakers.
#[test]
fn an_epoch_with_ten_thousand_stakers_on_a_validator_fits_its_weight() {
	new_test_ext().execute_with(|| {
		eligible(NETUID, &[(2, 300)], 3);
		let stakers: Vec<AccountId> = (0..10_000).map(|i| 1_000_000 + i).collect();
		for who in &stakers {
			fund(*who, 10 * UNIT);
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(*who), 102, NETUID, UNIT));
		}
		let positions = |who: &AccountId| pallet_stake::Positions::<Test>::get((102, NETUID, *who));
		let before: Vec<_> = stakers.iter().map(positions).collect();
		let pool_before = stake_on(NETUID, 102);
		let mut next = System::block_number() + 1;
		while !pallet_yuma::Pallet::<Test>::epoch_due(NETUID, TEMPO, next as u32) {
			next += 1;
		}
		run_to_block(next - 1);
		System::set_block_number(next);
		let n = <Subnets as SubnetInfo<AccountId>>::neuron_count(NETUID);
		let charged = Yuma::on_initialize(next);
		let permits = pallet_yuma::Metrics::<Test>::get(NETUID)
			.validator_permit
			.iter()
			.filter(|p| **p)
			.count() as u32;
		assert!(permits > 0);
		assert_eq!(
			charged,
			<() as pallet_yuma::WeightInfo>::on_initialize(1)
				.saturating_add(<() as pallet_yuma::WeightInfo>::epoch(n.into(), permits))
		);
		assert!(stake_on(NETUID, 102) > pool_before, "the validator's pool was credited");
		assert!(stakers.iter().map(positions).eq(before), "no staker's position was written");
		check_invariants();
	});
}
