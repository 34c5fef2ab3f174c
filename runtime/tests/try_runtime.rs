//! The TryRuntime API, as `try-runtime` calls it against live state: the upgrade checks
//! (every migration's pre- and post-upgrade checks and every pallet's `try_state`) pass on a
//! chain that has run epochs, and they catch a broken invariant.
//!
//! Built only with the `try-runtime` feature: `scripts/try-runtime.sh` runs it (the feature
//! rebuilds the whole runtime, too long for every CI run; CI checks that it compiles).

#![cfg(feature = "try-runtime")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

mod common;

use frame_support::traits::UpgradeCheckSelect;
use frame_try_runtime::runtime_decl_for_try_runtime::TryRuntime;
use myelin_runtime::{Block, Runtime};
use sp_keyring::Sr25519Keyring;

const NETUID: u16 = 1;

/// A dev chain after a registration, a stake and three epochs of its demo subnet.
fn live_like_chain() -> sp_io::TestExternalities {
	let mut ext = common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET);
	ext.execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		let hot = common::hotkey(7);
		let calls = vec![
			common::associate(&bob, 7),
			(
				bob.clone(),
				myelin_runtime::RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
					netuid: NETUID,
					hotkey: hot.clone(),
					max_burn: u128::MAX,
				}),
			),
			(
				bob.clone(),
				myelin_runtime::RuntimeCall::Stake(pallet_stake::Call::add_stake {
					hotkey: hot,
					netuid: NETUID,
					amount: 1_000 * myelin_runtime::MYL,
				}),
			),
		];
		common::run_block(1, calls);
		let mut block = 1;
		common::run_to(&mut block, 35);
	});
	ext
}

#[test]
fn upgrade_checks_pass_on_a_chain_that_ran_epochs() {
	live_like_chain().execute_with(|| {
		let (weight, limit) =
			<Runtime as TryRuntime<Block>>::on_runtime_upgrade(UpgradeCheckSelect::All);
		assert!(weight.all_lte(limit), "{weight:?} > {limit:?}");
	});
}

#[test]
fn upgrade_checks_catch_a_broken_invariant() {
	live_like_chain().execute_with(|| {
		// Emission owed that no subnet accounts for: the supply identity no longer holds.
		pallet_emission::Unminted::<Runtime>::mutate(|u| *u += 1);
		let result = std::panic::catch_unwind(|| {
			<Runtime as TryRuntime<Block>>::on_runtime_upgrade(UpgradeCheckSelect::TryState)
		});
		let panic = result.expect_err("try_state accepted a broken supply");
		let message = panic
			.downcast_ref::<String>()
			.cloned()
			.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
			.unwrap_or_default();
		assert!(message.contains("try_state"), "failed for another reason: {message}");
		// The check that failed is the supply's (the unmodified chain passes: test above).
		let supply = pallet_emission::Pallet::<Runtime>::do_try_state();
		assert!(format!("{supply:?}").contains("unminted differs"), "{supply:?}");
	});
}
