//! Thousands of random blocks (register, stake, unstake, set weights, prune, dissolve): after
//! every block every pallet's invariants hold, and total issuance moved by exactly what emission
//! minted minus what registrations burned.

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

fn random_operation(rng: &mut Rng) {
	let coldkey = 1 + rng.below(20);
	let netuids = <Subnets as SubnetInfo<AccountId>>::netuids();
	let netuid: NetUid = match netuids.len() {
		0 => 1,
		len => netuids[rng.below(len as u64) as usize],
	};
	match rng.below(10) {
		// Register a hotkey of this coldkey (prunes when the subnet is full).
		0 | 1 => {
			let hotkey = 100 + coldkey + 20 * rng.below(3);
			let _ =
				Subnets::burned_register(RuntimeOrigin::signed(coldkey), netuid, hotkey, u128::MAX);
		}
		// Stake on one of its hotkeys, or unstake part.
		2 | 3 => {
			let hotkey = 100 + coldkey + 20 * rng.below(3);
			let _ = Stake::add_stake(
				RuntimeOrigin::signed(coldkey),
				hotkey,
				(1 + rng.below(50) as u128) * UNIT,
			);
		}
		4 => {
			let hotkey = 100 + coldkey + 20 * rng.below(3);
			let _ = Stake::remove_stake(
				RuntimeOrigin::signed(coldkey),
				hotkey,
				(1 + rng.below(20) as u128) * UNIT,
			);
		}
		// A registered hotkey sets random weights.
		5..=8 => {
			let n = <Subnets as SubnetInfo<AccountId>>::neuron_count(netuid);
			let Some(hotkey) = <Subnets as SubnetInfo<AccountId>>::hotkey_of_uid(
				netuid,
				rng.below(n.into()) as u16,
			) else {
				return;
			};
			let count = 1 + rng.below(n.into());
			let uids: Vec<u16> = (0..count)
				.map(|_| rng.below(n.into()) as u16)
				.collect::<std::collections::BTreeSet<_>>()
				.into_iter()
				.collect();
			let values = uids.iter().map(|_| 1 + rng.below(u16::MAX.into()) as u16).collect();
			let _ = Yuma::set_weights(RuntimeOrigin::signed(hotkey), netuid, uids, values, 0);
		}
		// Rarely: a new subnet, or dissolving one.
		_ => {
			if rng.below(8) == 0 {
				let _ = Subnets::dissolve_network(RuntimeOrigin::root(), netuid);
			} else {
				let _ = Subnets::register_network(RuntimeOrigin::signed(coldkey), 100 + coldkey);
			}
		}
	}
}

#[test]
fn issuance_tracks_emission_over_thousands_of_random_blocks() {
	new_test_ext().execute_with(|| {
		let initial = total_issuance();
		let mut rng = Rng(0x5eed_1234_abcd_9876);
		for block in 2..=3_000u64 {
			System::set_block_number(block);
			Subnets::on_initialize(block);
			Yuma::on_initialize(block);
			Emission::on_initialize(block);
			for _ in 0..rng.below(4) {
				random_operation(&mut rng);
			}
			// Some blocks are full: no spare weight for payouts.
			let spare = if rng.below(4) == 0 {
				frame_support::weights::Weight::zero()
			} else {
				frame_support::weights::Weight::MAX
			};
			Emission::on_idle(block, spare);

			// Every pallet's try-state, including Σ free + held == total issuance.
			check_invariants();
			let minted = TotalEmitted::<Test>::get() - Unminted::<Test>::get();
			let all_burned = BURNED_BEFORE.with(|b| *b.borrow()) + burned();
			assert_eq!(total_issuance(), initial + minted - all_burned, "block {block}");
			// Everything stays below the cap, counting what is owed.
			assert!(total_issuance() + Unminted::<Test>::get() <= CAP);
			if block % 500 == 0 {
				// Keep the event log (and the burn sum) cheap to scan.
				let burned_so_far = burned();
				System::reset_events();
				BURNED_BEFORE.with(|b| *b.borrow_mut() += burned_so_far);
			}
		}
		assert!(TotalEmitted::<Test>::get() > 0, "some subnet became eligible");
		let minted = TotalEmitted::<Test>::get() - Unminted::<Test>::get();
		assert!(minted > UNIT, "payouts were minted: {minted}");
		assert!(burned() + BURNED_BEFORE.with(|b| *b.borrow()) > 0, "registrations burned");
	});
}

thread_local! {
	static BURNED_BEFORE: std::cell::RefCell<Balance> = const { std::cell::RefCell::new(0) };
}
