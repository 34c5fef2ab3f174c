//! Token-holder governance on the native runtime (development preset: fast track timing), block
//! by block through `Executive`: referenda on the `subnet-params` and `root` tracks, decided by
//! conviction votes, enacted by the scheduler.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

mod common;

use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, fungible::InspectHold, StorePreimage, UnfilteredDispatchable},
};
use frame_system::RawOrigin;
use myelin_runtime::{
	AccountId, Balance, Balances, OriginCaller, Runtime, RuntimeCall, RuntimeOrigin, MYL,
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_referenda::ReferendumInfo;
use pallet_subnets::Hyperparameter;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Dispatchable, DispatchError};

const NETUID: u16 = 1;

fn id(key: Sr25519Keyring) -> AccountId {
	key.to_account_id()
}

fn tempo() -> u16 {
	pallet_subnets::Hyperparams::<Runtime>::get(NETUID).unwrap().tempo
}

fn set_tempo(tempo: u16) -> RuntimeCall {
	RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameter {
		netuid: NETUID,
		param: Hyperparameter::Tempo(tempo),
	})
}

fn submit(
	who: Sr25519Keyring,
	origin: OriginCaller,
	call: RuntimeCall,
) -> (AccountId, RuntimeCall) {
	let proposal = <pallet_preimage::Pallet<Runtime> as StorePreimage>::bound(call).unwrap();
	let submit = pallet_referenda::Call::submit {
		proposal_origin: Box::new(origin),
		proposal,
		enactment_moment: frame_support::traits::schedule::DispatchTime::After(1),
	};
	(id(who), RuntimeCall::Referenda(submit))
}

fn decision_deposit(who: Sr25519Keyring, index: u32) -> (AccountId, RuntimeCall) {
	(id(who), RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit { index }))
}

fn vote(who: Sr25519Keyring, index: u32, aye: bool, balance: Balance) -> (AccountId, RuntimeCall) {
	let vote =
		AccountVote::Standard { vote: Vote { aye, conviction: Conviction::Locked1x }, balance };
	(
		id(who),
		RuntimeCall::ConvictionVoting(pallet_conviction_voting::Call::vote {
			poll_index: index,
			vote,
		}),
	)
}

fn info(index: u32) -> pallet_referenda::ReferendumInfoOf<Runtime, ()> {
	pallet_referenda::ReferendumInfoFor::<Runtime>::get(index).expect("referendum exists")
}

/// Runs blocks until `done` or `limit`, returning the block reached.
fn run_until(block: &mut u32, limit: u32, done: impl Fn() -> bool) {
	while !done() {
		assert!(*block < limit, "not done by block {limit}");
		*block += 1;
		common::run_block(*block, vec![]);
	}
}

/// Four holders vote 90,000 MYL each: 30% of the ~1.2M MYL issuance.
fn votes(index: u32, aye: bool) -> Vec<(AccountId, RuntimeCall)> {
	[Alice, Bob, Charlie, Dave].into_iter().map(|who| vote(who, index, aye, 90_000 * MYL)).collect()
}

#[test]
fn subnet_params_referendum_changes_tempo_when_passed() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(tempo(), 10);
		let mut block = 1;
		let subnet_params = OriginCaller::Governance(pallet_governance::Origin::SubnetParams);
		common::run_block(block, vec![submit(Ferdie, subnet_params, set_tempo(20))]);
		block += 1;
		let mut calls = vec![decision_deposit(Ferdie, 0)];
		calls.extend(votes(0, true));
		common::run_block(block, calls);
		let ongoing = info(0);
		assert!(matches!(ongoing, ReferendumInfo::Ongoing(ref s) if s.track == 1), "{ongoing:?}");

		// Prepare (2 blocks), confirm (2), then enactment 1 block after approval.
		run_until(&mut block, 30, || matches!(info(0), ReferendumInfo::Approved(..)));
		let approved_at = block;
		assert_eq!(tempo(), 10, "not enacted before its scheduled block");
		// Approval scheduled the call: exactly one agenda entry, after the approval block.
		let scheduled: Vec<u32> = pallet_scheduler::Agenda::<Runtime>::iter()
			.filter(|(_, agenda)| agenda.iter().any(Option::is_some))
			.map(|(at, _)| at)
			.collect();
		assert_eq!(scheduled.len(), 1, "{scheduled:?}");
		let scheduled_at = scheduled[0];
		assert!(scheduled_at > approved_at);
		run_until(&mut block, scheduled_at + 1, || tempo() == 20);
		assert_eq!(block, scheduled_at, "enacted at the scheduled block");
		// The submission and decision deposits can be refunded.
		let before = Balances::balance(&id(Ferdie));
		assert_ok!(RuntimeCall::Referenda(pallet_referenda::Call::refund_decision_deposit {
			index: 0
		})
		.dispatch(RuntimeOrigin::signed(id(Ferdie))));
		assert_eq!(Balances::balance(&id(Ferdie)), before + 100 * MYL);
	});
}

#[test]
fn rejected_referendum_changes_nothing() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let mut block = 1;
		let subnet_params = OriginCaller::Governance(pallet_governance::Origin::SubnetParams);
		common::run_block(block, vec![submit(Ferdie, subnet_params, set_tempo(20))]);
		block += 1;
		let mut calls = vec![decision_deposit(Ferdie, 0), vote(Eve, 0, true, 10_000 * MYL)];
		calls.extend(votes(0, false));
		common::run_block(block, calls);
		run_until(&mut block, 40, || matches!(info(0), ReferendumInfo::Rejected(..)));
		for _ in 0..5 {
			block += 1;
			common::run_block(block, vec![]);
		}
		assert_eq!(tempo(), 10);
	});
}

#[test]
fn only_governance_origins_set_governance_parameters() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		common::run_block(1, vec![]);
		// A plain signed account, even the subnet's owner, cannot set the tempo.
		assert_noop!(
			set_tempo(20).dispatch(RuntimeOrigin::signed(id(Bob))),
			pallet_subnets::Error::<Runtime>::NotSubnetOwner
		);
		assert_noop!(
			set_tempo(20).dispatch(RuntimeOrigin::signed(id(Alice))),
			pallet_subnets::Error::<Runtime>::NotOwnerSettable
		);
		let limit = RuntimeCall::Subnets(pallet_subnets::Call::set_subnet_limit { limit: 3 });
		assert_noop!(
			limit.clone().dispatch(RuntimeOrigin::signed(id(Alice))),
			DispatchError::BadOrigin
		);
		// The subnet-params origin can, and Root can.
		let subnet_params: RuntimeOrigin = pallet_governance::Origin::SubnetParams.into();
		assert_ok!(set_tempo(20).dispatch(subnet_params.clone()));
		assert_eq!(tempo(), 20);
		assert_ok!(limit.dispatch(subnet_params.clone()));
		let split = RuntimeCall::Emission(pallet_emission::Call::set_split_mode {
			mode: pallet_emission::SplitMode::Equal,
		});
		assert_ok!(split.dispatch(subnet_params.clone()));
		assert_ok!(set_tempo(30).dispatch(RuntimeOrigin::root()));
		// But the subnet-params origin is no Root: no runtime upgrade, no sudo removal.
		let upgrade = RuntimeCall::System(frame_system::Call::authorize_upgrade {
			code_hash: Default::default(),
		});
		assert_noop!(upgrade.dispatch(subnet_params.clone()), DispatchError::BadOrigin);
		let remove_sudo = RuntimeCall::Sudo(pallet_sudo::Call::remove_key {});
		assert!(remove_sudo.dispatch(subnet_params).is_err());
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(id(Alice)));
	});
}

#[test]
fn root_referendum_removes_the_sudo_key() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let mut block = 1;
		let remove_sudo = RuntimeCall::Sudo(pallet_sudo::Call::remove_key {});
		// The proposal is noted as a preimage (as a wallet would) and submitted by its hash.
		let note = pallet_preimage::Call::note_preimage { bytes: remove_sudo.encode() };
		common::run_block(block, vec![(id(Ferdie), RuntimeCall::Preimage(note))]);
		assert!(
			Balances::balance_on_hold(
				&myelin_runtime::RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage),
				&id(Ferdie)
			) > 0
		);
		block += 1;
		common::run_block(
			block,
			vec![submit(Ferdie, OriginCaller::system(RawOrigin::Root), remove_sudo)],
		);
		block += 1;
		let mut calls = vec![decision_deposit(Ferdie, 0)];
		calls.extend(votes(0, true));
		common::run_block(block, calls);
		assert!(matches!(info(0), ReferendumInfo::Ongoing(ref s) if s.track == 0));
		// 30% support passes once the root track's support curve (50% → 10%) falls below it.
		run_until(&mut block, 40, || pallet_sudo::Key::<Runtime>::get().is_none());
		assert!(matches!(info(0), ReferendumInfo::Approved(..)));
		assert!(block > 10, "the root track took its time: enacted at block {block}");
	});
}

#[test]
fn staked_tokens_vote_with_conviction() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let eve = id(Eve);
		let hotkey = id(Sr25519Keyring::AliceStash);
		let mut block = 1;
		// The dev chain's subnet 1, whose owner hotkey is Alice's stash.
		let stake = pallet_stake::Call::add_stake {
			hotkey: hotkey.clone(),
			netuid: 1,
			amount: 95_000 * MYL,
		};
		let subnet_params = OriginCaller::Governance(pallet_governance::Origin::SubnetParams);
		common::run_block(
			block,
			vec![
				(eve.clone(), RuntimeCall::Stake(stake)),
				submit(Ferdie, subnet_params, set_tempo(20)),
			],
		);
		let free = Balances::balance(&eve);
		assert!(free < 6_000 * MYL, "most of Eve's tokens are held as stake");
		// She votes with 99,000 MYL at 3x conviction: more than her free balance.
		block += 1;
		let vote = AccountVote::Standard {
			vote: Vote { aye: true, conviction: Conviction::Locked3x },
			balance: 99_000 * MYL,
		};
		let call = pallet_conviction_voting::Call::vote { poll_index: 0, vote };
		common::run_block(
			block,
			vec![decision_deposit(Ferdie, 0), (eve.clone(), RuntimeCall::ConvictionVoting(call))],
		);
		let account = frame_system::Account::<Runtime>::get(&eve).data;
		assert_eq!(account.frozen, 99_000 * MYL, "the vote's lock covers held tokens too");
		assert!(account.reserved >= 95_000 * MYL);
		if let ReferendumInfo::Ongoing(status) = info(0) {
			assert_eq!(status.tally.ayes, 3 * 99_000 * MYL, "conviction multiplies the vote");
			assert_eq!(status.tally.support, 99_000 * MYL);
		} else {
			panic!("ongoing");
		}
		// Unstaking works, but the unlocked tokens stay frozen by the vote.
		let unstake = pallet_stake::Call::remove_stake { hotkey, netuid: 1, amount: 95_000 * MYL };
		assert_ok!(RuntimeCall::Stake(unstake).dispatch(RuntimeOrigin::signed(eve.clone())));
		let transfer = pallet_balances::Call::transfer_keep_alive {
			dest: id(Bob).into(),
			value: 50_000 * MYL,
		};
		assert!(RuntimeCall::Balances(transfer)
			.dispatch_bypass_filter(RuntimeOrigin::signed(eve.clone()))
			.is_err());
	});
}

/// The results of every call the scheduler dispatched so far in this block's events.
fn dispatched() -> Vec<sp_runtime::DispatchResult> {
	frame_system::Pallet::<Runtime>::events()
		.into_iter()
		.filter_map(|record| match record.event {
			myelin_runtime::RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched {
				result,
				..
			}) => Some(result),
			_ => None,
		})
		.collect()
}

#[test]
fn a_subnet_params_referendum_can_neither_dissolve_a_subnet_nor_override_its_task() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let dissolve =
			RuntimeCall::Subnets(pallet_subnets::Call::dissolve_network { netuid: NETUID });
		let override_task =
			RuntimeCall::Inference(pallet_inference::Call::remove_task_spec { netuid: NETUID });
		let task_before = pallet_inference::TaskSpecs::<Runtime>::get(NETUID);
		// Whatever the subnet's size, dissolving fits what the scheduler may enact in a block.
		let scheduler_limit = <Runtime as pallet_scheduler::Config>::MaximumWeight::get();
		let dissolve_weight =
			frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&dissolve).call_weight;
		assert!(dissolve_weight.all_lte(scheduler_limit.saturating_div(10)), "{dissolve_weight}");
		let mut block = 1;
		let subnet_params = OriginCaller::Governance(pallet_governance::Origin::SubnetParams);
		common::run_block(
			block,
			vec![
				submit(Ferdie, subnet_params.clone(), dissolve.clone()),
				submit(Eve, subnet_params, override_task.clone()),
			],
		);
		block += 1;
		let mut calls = vec![decision_deposit(Ferdie, 0), decision_deposit(Eve, 1)];
		calls.extend(votes(0, true));
		calls.extend(votes(1, true));
		common::run_block(block, calls);
		// Both pass and are enacted, and both dispatches fail on their origin (the scheduler
		// also dispatches the referenda's own alarms, which succeed).
		let mut failures = Vec::new();
		while failures.len() < 2 {
			assert!(
				block < 40,
				"not enacted by block 40: {:?} {:?} {failures:?}",
				info(0),
				info(1)
			);
			block += 1;
			common::run_block(block, vec![]);
			failures.extend(dispatched().into_iter().filter(Result::is_err));
		}
		assert!(matches!(info(0), ReferendumInfo::Approved(..)));
		assert!(matches!(info(1), ReferendumInfo::Approved(..)));
		assert_eq!(failures, vec![Err(DispatchError::BadOrigin); 2]);
		assert!(pallet_subnets::Networks::<Runtime>::contains_key(NETUID));
		assert_eq!(pallet_inference::TaskSpecs::<Runtime>::get(NETUID), task_before);

		// Root (a `root` referendum) can: the development subnet has no task to remove, which
		// is the next check after the origin.
		assert!(task_before.is_none());
		assert_noop!(
			override_task.dispatch(RuntimeOrigin::root()),
			pallet_inference::Error::<Runtime>::NoTaskSpec
		);
		assert_ok!(dissolve.dispatch(RuntimeOrigin::root()));
		assert!(!pallet_subnets::Networks::<Runtime>::contains_key(NETUID));
	});
}
