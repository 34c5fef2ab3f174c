//! The origin check and the genesis-chosen timing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use frame_support::{derive_impl, traits::EnsureOrigin};
use sp_runtime::BuildStorage;

use crate::{self as pallet_governance, EnsureSubnetParams, Timing};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Governance: pallet_governance,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl crate::Config for Test {}

fn ext(timing: Timing) -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		governance: pallet_governance::GenesisConfig { timing, _config: Default::default() },
	}
	.build_storage()
	.unwrap();
	storage.into()
}

#[test]
fn only_the_subnet_params_origin_passes() {
	ext(Timing::Production).execute_with(|| {
		let subnet_params: RuntimeOrigin = crate::Origin::SubnetParams.into();
		assert!(EnsureSubnetParams::try_origin(subnet_params).is_ok());
		assert!(EnsureSubnetParams::try_origin(RuntimeOrigin::root()).is_err());
		assert!(EnsureSubnetParams::try_origin(RuntimeOrigin::signed(1)).is_err());
		assert!(EnsureSubnetParams::try_origin(RuntimeOrigin::none()).is_err());
	});
}

#[test]
fn timing_comes_from_genesis() {
	ext(Timing::Fast).execute_with(|| assert_eq!(Governance::timing(), Timing::Fast));
	ext(Timing::Production).execute_with(|| assert_eq!(Governance::timing(), Timing::Production));
	// Outside any state (as when native metadata lists the tracks): production, no panic.
	assert_eq!(Governance::timing(), Timing::Production);
}
