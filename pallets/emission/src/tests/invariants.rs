//! Thousands of random blocks, adversarial: registrations that prune, stake added, withdrawn,
//! moved between hotkeys and subnets and transferred between coldkeys, one coldkey staking on
//! far more hotkeys than any old cap, reaped accounts, weights, subnets dissolved with rewards
//! pending, blocks full of operations. After every block every pallet's invariants hold and
//! `total issuance + owed` moved by exactly what emission delivered minus what registrations
//! burned, to the unit.

use super::mock::*;
use crate::{TotalEmitted, Unminted};
use frame_support::traits::Hooks;
use myelin_primitives::{NetUid, SubnetInfo};

/// A deterministic xorshift sequence.
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
}

/// A hotkey of the test's scheme (coldkey `k` owns `100 + k + 20·i`).
fn hotkey_of(rng: &mut Rng, coldkey: AccountId) -> AccountId {
	100 + coldkey + 20 * rng.below(3)
}

fn any_netuid(rng: &mut Rng) -> NetUid {
	let netuids = <Subnets as SubnetInfo<AccountId>>::netuids();
	match netuids.len() {
		0 => 1,
		len => netuids[rng.below(len as u64) as usize],
	}
}

/// A hotkey holding a UID on `netuid`, if any.
fn registered_hotkey(rng: &mut Rng, netuid: NetUid) -> Option<AccountId> {
	let n = <Subnets as SubnetInfo<AccountId>>::neuron_count(netuid);
	<Subnets as SubnetInfo<AccountId>>::hotkey_of_uid(netuid, rng.below(n.into()) as u16)
}

/// One of `coldkey`'s positions (hotkey, subnet), or a random pool if it has none.
fn position_of(rng: &mut Rng, coldkey: AccountId, netuid: NetUid) -> (AccountId, NetUid) {
	let positions = Stake::positions_of(&coldkey);
	match positions.len() {
		0 => (
			{
				let owner = 1 + rng.below(20);
				hotkey_of(rng, owner)
			},
			netuid,
		),
		len => {
			let p = &positions[rng.below(len as u64) as usize];
			(p.hotkey, p.netuid)
		}
	}
}

/// Some amount of stake: often small, sometimes exactly what a position is worth.
fn amount(rng: &mut Rng, coldkey: AccountId, hotkey: AccountId, netuid: NetUid) -> Balance {
	let worth = Stake::position_view(&coldkey, hotkey, netuid).map(|p| p.value).unwrap_or(0);
	match rng.below(4) {
		0 if worth > 0 => worth,
		1 if worth > 1 => worth - 1 - rng.below(10) as u128,
		_ => (1 + rng.below(50) as u128) * UNIT + rng.below(1_000) as u128,
	}
}

/// Runs one random operation; returns what succeeded.
fn random_operation(rng: &mut Rng) -> Option<&'static str> {
	let coldkey = 1 + rng.below(20);
	let netuid = any_netuid(rng);
	let signed = RuntimeOrigin::signed;
	match rng.below(16) {
		// Register a hotkey of this coldkey (prunes when the subnet is full).
		0 | 1 => {
			let hotkey = hotkey_of(rng, coldkey);
			consent(coldkey, hotkey);
			Subnets::burned_register(signed(coldkey), netuid, hotkey, u128::MAX)
				.ok()
				.map(|_| "register")
		}
		// Stake on any hotkey (mostly others'), or withdraw part or all.
		2 | 3 => {
			let hotkey = registered_hotkey(rng, netuid)?;
			let value = amount(rng, coldkey, hotkey, netuid);
			Stake::add_stake(signed(coldkey), hotkey, netuid, value).ok().map(|_| "stake")
		}
		4 => {
			let (hotkey, netuid) = position_of(rng, coldkey, netuid);
			let value = amount(rng, coldkey, hotkey, netuid);
			Stake::remove_stake(signed(coldkey), hotkey, netuid, value).ok().map(|_| "unstake")
		}
		// Move to another hotkey and/or subnet; transfer to another coldkey.
		5 => {
			let (hotkey, netuid) = position_of(rng, coldkey, netuid);
			let to_netuid = any_netuid(rng);
			let to_hotkey = registered_hotkey(rng, to_netuid)?;
			let value = amount(rng, coldkey, hotkey, netuid);
			Stake::move_stake(signed(coldkey), hotkey, netuid, to_hotkey, to_netuid, value)
				.ok()
				.map(|_| "move")
		}
		6 => {
			let (hotkey, netuid) = position_of(rng, coldkey, netuid);
			let to = 1 + rng.below(21);
			let value = amount(rng, coldkey, hotkey, netuid);
			Stake::transfer_stake(signed(coldkey), to, hotkey, netuid, value)
				.ok()
				.map(|_| "transfer")
		}
		// Coldkey 1 stakes a little on every hotkey it can: far more positions than any cap.
		7 => {
			let hotkeys = <Subnets as SubnetInfo<AccountId>>::hotkeys(netuid);
			let staked = hotkeys
				.into_iter()
				.filter(|hotkey| Stake::add_stake(signed(1), *hotkey, netuid, UNIT).is_ok())
				.count();
			(staked > 0).then_some("stake everywhere")
		}
		// Rarely, a coldkey sends away all it can: reaped when nothing is held.
		8 if rng.below(8) == 0 => {
			let _ = Balances::transfer_all(signed(coldkey), 21, false);
			let reaped = !frame_system::Account::<Test>::contains_key(coldkey);
			let _ = Balances::transfer_allow_death(signed(21), coldkey, 500 * UNIT);
			reaped.then_some("reaped")
		}
		// A registered hotkey sets random weights.
		8..=13 => {
			let n = <Subnets as SubnetInfo<AccountId>>::neuron_count(netuid);
			let hotkey = registered_hotkey(rng, netuid)?;
			let count = 1 + rng.below(n.into());
			let uids: Vec<u16> = (0..count)
				.map(|_| rng.below(n.into()) as u16)
				.collect::<std::collections::BTreeSet<_>>()
				.into_iter()
				.collect();
			let values = uids.iter().map(|_| 1 + rng.below(u16::MAX.into()) as u16).collect();
			Yuma::set_weights(signed(hotkey), netuid, uids, values, 0).ok().map(|_| "weights")
		}
		// Rarely: a new subnet, or dissolving one (its pending forfeited, its pools kept).
		_ => {
			if rng.below(8) == 0 {
				let pending = crate::Pallet::<Test>::subnet_account(netuid).pending;
				Subnets::dissolve_network(RuntimeOrigin::root(), netuid).ok().map(|_| {
					if pending > 0 {
						"dissolve with pending"
					} else {
						"dissolve"
					}
				})
			} else {
				consent(coldkey, 100 + coldkey);
				Subnets::register_network(signed(coldkey), 100 + coldkey).ok().map(|_| "subnet")
			}
		}
	}
}

/// Blocks of the random run: the short form in the regular test run, the long one (the
/// acceptance bar of 10,000) in the benchmark-feature run.
const BLOCKS: u64 = if cfg!(feature = "runtime-benchmarks") { 10_000 } else { 2_000 };

#[test]
fn issuance_tracks_emission_over_thousands_of_random_blocks() {
	new_test_ext().execute_with(|| {
		let initial = total_issuance();
		let mut rng = Rng(0x5eed_1234_abcd_9876);
		let mut done = std::collections::BTreeMap::new();
		for block in 2..=BLOCKS {
			System::set_block_number(block);
			Subnets::on_initialize(block);
			Yuma::on_initialize(block);
			Emission::on_initialize(block);
			// Some blocks are full of operations.
			let operations = if rng.below(10) == 0 { 40 } else { rng.below(4) };
			for _ in 0..operations {
				if let Some(kind) = random_operation(&mut rng) {
					*done.entry(kind).or_insert(0u32) += 1;
				}
			}

			// Every pallet's try-state (Σ free + held == total issuance, TotalOwed == Σ (pool
			// value − pool principal), holds == principals, …) every few blocks: it scans all
			// of storage. The supply equation below holds after every block.
			if block % 8 == 0 || operations > 4 {
				check_invariants();
			}
			let delivered = TotalEmitted::<Test>::get() - Unminted::<Test>::get();
			let all_burned = BURNED_BEFORE.with(|b| *b.borrow()) + burned();
			assert_eq!(
				total_issuance() + owed(),
				initial + delivered - all_burned,
				"block {block}"
			);
			// Everything stays below the cap, counting what is owed and undelivered.
			assert!(total_issuance() + owed() + Unminted::<Test>::get() <= CAP);
			if block % 500 == 0 {
				// Keep the event log (and the burn sum) cheap to scan.
				let burned_so_far = burned();
				System::reset_events();
				BURNED_BEFORE.with(|b| *b.borrow_mut() += burned_so_far);
			}
		}
		check_invariants();
		println!("operations that succeeded: {done:?}");
		assert!(TotalEmitted::<Test>::get() > 0, "some subnet became eligible");
		let delivered = TotalEmitted::<Test>::get() - Unminted::<Test>::get();
		assert!(delivered > UNIT, "payouts were delivered: {delivered}");
		assert!(owed() > 0, "rewards are owed to the pools");
		for kind in
			["move", "transfer", "unstake", "stake everywhere", "reaped", "dissolve with pending"]
		{
			assert!(done.get(kind).is_some_and(|n| *n > 0), "no {kind} succeeded: {done:?}");
		}
		assert!(burned() + BURNED_BEFORE.with(|b| *b.borrow()) > 0, "registrations burned");
	});
}

thread_local! {
	static BURNED_BEFORE: std::cell::RefCell<Balance> = const { std::cell::RefCell::new(0) };
}
