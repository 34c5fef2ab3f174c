//! serve_axon: validation of addresses and ports, registration, rate limit.

use frame_support::{assert_noop, assert_ok};

use super::mock::*;
use crate::{AxonInfo, Axons, Error, Event};

const LOCALHOST_V4: u128 = 0x7f00_0001;
const V6: u128 = 0x2001_0db8_0000_0000_0000_0000_0000_0001;

fn registered() -> u16 {
	let netuid = add_network(ALICE, 11);
	consent(BOB, 21);
	assert_ok!(Subnets::burned_register(RuntimeOrigin::signed(BOB), netuid, 21, u128::MAX));
	netuid
}

#[test]
fn a_registered_neuron_serves_ipv4_and_ipv6() {
	new_test_ext().execute_with(|| {
		let netuid = registered();
		assert_ok!(Subnets::serve_axon(
			RuntimeOrigin::signed(21),
			netuid,
			3,
			LOCALHOST_V4,
			8091,
			4,
			0
		));
		let axon = AxonInfo {
			block: 1,
			version: 3,
			ip: LOCALHOST_V4,
			port: 8091,
			ip_type: 4,
			protocol: 0,
		};
		assert_eq!(Axons::<Test>::get(netuid, 21), Some(axon.clone()));
		assert_eq!(last_event(), Event::AxonServed { netuid, hotkey: 21, axon });
		assert_ok!(Subnets::serve_axon(RuntimeOrigin::signed(11), netuid, 1, V6, 443, 6, 1));
	});
}

#[test]
fn invalid_endpoints_are_rejected() {
	new_test_ext().execute_with(|| {
		let netuid = registered();
		let serve = |ip, port, ip_type| {
			Subnets::serve_axon(RuntimeOrigin::signed(21), netuid, 1, ip, port, ip_type, 0)
		};
		assert_noop!(serve(LOCALHOST_V4, 8091, 5), Error::<Test>::InvalidIpType);
		assert_noop!(serve(0, 8091, 4), Error::<Test>::InvalidIpAddress);
		assert_noop!(serve(0, 8091, 6), Error::<Test>::InvalidIpAddress);
		assert_noop!(serve(1u128 << 32, 8091, 4), Error::<Test>::InvalidIpAddress);
		assert_noop!(serve(u128::from(u32::MAX), 8091, 4), Error::<Test>::InvalidIpAddress);
		assert_noop!(serve(LOCALHOST_V4, 0, 4), Error::<Test>::InvalidPort);
	});
}

#[test]
fn only_registered_hotkeys_on_existing_subnets_serve() {
	new_test_ext().execute_with(|| {
		let netuid = registered();
		assert_noop!(
			Subnets::serve_axon(RuntimeOrigin::signed(99), netuid, 1, LOCALHOST_V4, 1, 4, 0),
			Error::<Test>::HotkeyNotRegistered
		);
		assert_noop!(
			Subnets::serve_axon(RuntimeOrigin::signed(21), 7, 1, LOCALHOST_V4, 1, 4, 0),
			Error::<Test>::SubnetNotFound
		);
	});
}

#[test]
fn serving_is_rate_limited() {
	new_test_ext().execute_with(|| {
		let netuid = registered();
		assert_ok!(Subnets::serve_axon(
			RuntimeOrigin::signed(21),
			netuid,
			1,
			LOCALHOST_V4,
			1,
			4,
			0
		));
		assert_noop!(
			Subnets::serve_axon(RuntimeOrigin::signed(21), netuid, 2, LOCALHOST_V4, 2, 4, 0),
			Error::<Test>::ServingRateLimitExceeded
		);
		run_to_block(6); // serving_rate_limit is 5 in the mock
		assert_ok!(Subnets::serve_axon(
			RuntimeOrigin::signed(21),
			netuid,
			2,
			LOCALHOST_V4,
			2,
			4,
			0
		));
	});
}
