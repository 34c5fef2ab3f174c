//! Myelin's runtime APIs on the native runtime: after real registrations, stake, weights and
//! epochs, every view must agree with the pallets' storage, unknown subnets and UIDs must read as
//! `None`, and a selective metagraph must fill exactly the fields asked for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

mod common;

use myelin_runtime::{AccountId, Balance, Runtime, RuntimeCall, MYL};
use myelin_runtime_api::{
	runtime_decl_for_metagraph_api::MetagraphApi, runtime_decl_for_stake_api::StakeApi,
	runtime_decl_for_subnets_api::SubnetsApi, MetagraphField,
};
use sp_keyring::Sr25519Keyring;

type Block = myelin_runtime::Block;
const NETUID: u16 = 1;

fn register(coldkey: &AccountId, hotkey: &AccountId) -> (AccountId, RuntimeCall) {
	let call = pallet_subnets::Call::burned_register {
		netuid: NETUID,
		hotkey: hotkey.clone(),
		max_burn: Balance::MAX,
	};
	(coldkey.clone(), RuntimeCall::Subnets(call))
}

fn stake(coldkey: &AccountId, hotkey: &AccountId, amount: Balance) -> (AccountId, RuntimeCall) {
	let call = pallet_stake::Call::add_stake { hotkey: hotkey.clone(), netuid: NETUID, amount };
	(coldkey.clone(), RuntimeCall::Stake(call))
}

#[test]
fn views_agree_with_storage() {
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let ferdie = Sr25519Keyring::Ferdie.to_account_id();
		let (validator, miner) = (common::hotkey(10), common::hotkey(20));

		let mut block = 1;
		common::run_block(
			block,
			vec![
				common::associate(&bob, 10),
				common::associate(&ferdie, 20),
				register(&bob, &validator),
				stake(&bob, &validator, 100 * MYL),
				stake(&charlie, &validator, 40 * MYL),
				register(&ferdie, &miner),
			],
		);
		common::run_to(&mut block, 9); // first epoch: permits
		block += 1;
		let weights = pallet_yuma::Call::set_weights {
			netuid: NETUID,
			uids: vec![2],
			values: vec![1],
			version_key: 0,
		};
		common::run_block(block, vec![(validator.clone(), RuntimeCall::Yuma(weights))]);
		common::run_to(&mut block, 29); // two epochs with weights

		// Subnets.
		let list = <Runtime as SubnetsApi<Block>>::subnets();
		let summary = list.subnets.iter().find(|s| s.netuid == NETUID).expect("demo subnet");
		let info = pallet_subnets::Networks::<Runtime>::get(NETUID).unwrap();
		assert_eq!(summary.owner, info.owner);
		assert_eq!(summary.n, 3, "owner hotkey, validator, miner");
		assert_eq!(summary.tempo, 10);
		assert_eq!(summary.burn, pallet_subnets::Burn::<Runtime>::get(NETUID));
		assert_eq!(summary.last_epoch, Some(29));
		assert_eq!(list.network_lock_cost, myelin_runtime::Subnets::current_lock_cost());
		assert_eq!(
			<Runtime as SubnetsApi<Block>>::registration_cost(None),
			Some(list.network_lock_cost)
		);
		assert_eq!(
			<Runtime as SubnetsApi<Block>>::registration_cost(Some(NETUID)),
			Some(summary.burn)
		);
		assert_eq!(<Runtime as SubnetsApi<Block>>::registration_cost(Some(77)), None);
		assert_eq!(
			<Runtime as SubnetsApi<Block>>::subnet_hyperparams(NETUID),
			pallet_subnets::Hyperparams::<Runtime>::get(NETUID)
		);
		assert_eq!(<Runtime as SubnetsApi<Block>>::subnet_hyperparams(77), None);

		// Metagraph: every vector has n entries and equals storage.
		let graph = <Runtime as MetagraphApi<Block>>::metagraph(NETUID).unwrap();
		assert_eq!((graph.n, graph.block, graph.uids.clone()), (3, 29, vec![0, 1, 2]));
		assert_eq!(graph.hotkeys[1], validator);
		assert_eq!(graph.hotkeys[2], miner);
		assert_eq!(graph.coldkeys[1..], [bob.clone(), ferdie.clone()]);
		// The pool with what its UID accrued since it was last touched.
		assert_eq!(
			Some(graph.stake[1]),
			pallet_stake::Pallet::<Runtime>::pool_with_accrued(&validator, NETUID)
				.map(|pool| pool.value)
		);
		assert!(
			graph.stake[1]
				> pallet_stake::Pools::<Runtime>::get(&validator, NETUID).map_or(0, |p| p.value),
			"the epochs' rewards are accrued, not yet in the stored pool"
		);
		assert!(graph.stake[1] >= 140 * MYL);
		assert_eq!(
			graph.incentive,
			pallet_yuma::Metrics::<Runtime>::get(NETUID).incentive.to_vec()
		);
		assert_eq!(graph.incentive[2], u16::MAX, "the only weighted miner");
		assert_eq!(
			graph.dividends,
			pallet_yuma::Metrics::<Runtime>::get(NETUID).dividends.to_vec()
		);
		assert_eq!(graph.emission, pallet_yuma::Metrics::<Runtime>::get(NETUID).emission.to_vec());
		assert!(graph.emission[2] > 0);
		assert!(graph.validator_permit[1]);
		assert_eq!(graph.last_update[1], 10);
		assert_eq!(graph.registered_at[1..], [1, 1]);
		assert_eq!(graph.axons, vec![None, None, None]);
		for len in [
			graph.hotkeys.len(),
			graph.coldkeys.len(),
			graph.stake.len(),
			graph.consensus.len(),
			graph.validator_trust.len(),
			graph.active.len(),
		] {
			assert_eq!(len, 3);
		}
		assert_eq!(<Runtime as MetagraphApi<Block>>::metagraph(77), None);

		// Selective: only what was asked for.
		let fields = vec![MetagraphField::Incentive, MetagraphField::Hotkeys];
		let partial =
			<Runtime as MetagraphApi<Block>>::selective_metagraph(NETUID, fields).unwrap();
		assert_eq!(partial.incentive, graph.incentive);
		assert_eq!(partial.hotkeys, graph.hotkeys);
		assert!(
			partial.stake.is_empty() && partial.axons.is_empty() && partial.coldkeys.is_empty()
		);
		assert_eq!((partial.n, partial.uids.len()), (3, 3));

		// Neuron: the same numbers as the metagraph.
		let neuron = <Runtime as MetagraphApi<Block>>::neuron(NETUID, 2).unwrap();
		assert_eq!(neuron.hotkey, miner);
		assert_eq!(neuron.coldkey, ferdie);
		assert_eq!(neuron.incentive, graph.incentive[2]);
		assert_eq!(neuron.emission, graph.emission[2]);
		assert_eq!(neuron.stake, graph.stake[2]);
		assert_eq!(<Runtime as MetagraphApi<Block>>::neuron(NETUID, 3), None);
		assert_eq!(<Runtime as MetagraphApi<Block>>::neuron(77, 0), None);

		// Stake by coldkey and by hotkey.
		let charlie_stake = <Runtime as StakeApi<Block>>::coldkey_stake(charlie.clone());
		assert_eq!(charlie_stake.held, pallet_stake::TotalColdkeyStake::<Runtime>::get(&charlie));
		assert_eq!(charlie_stake.held, 40 * MYL, "the principal is what Charlie staked");
		assert_eq!(charlie_stake.positions.len(), 1);
		assert_eq!(charlie_stake.positions[0].hotkey, validator);
		assert_eq!(charlie_stake.positions[0].netuid, NETUID);
		assert!(charlie_stake.positions[0].amount > 40 * MYL, "rewards are owed on top");
		assert_eq!(charlie_stake.total, charlie_stake.positions[0].amount);
		let stakers = <Runtime as StakeApi<Block>>::hotkey_stakers(validator.clone());
		assert_eq!(stakers.owner, Some(bob.clone()));
		assert_eq!(stakers.total, graph.stake[1]);
		assert_eq!(stakers.subnets, vec![(NETUID, graph.stake[1])]);
		// Positions round down: together they claim at most the pool, within a planck each.
		let claimed = stakers.stakers.iter().map(|s| s.amount).sum::<Balance>();
		assert!(
			claimed <= stakers.total && stakers.total - claimed <= stakers.stakers.len() as Balance
		);
		assert_eq!(stakers.stakers[0].coldkey, bob, "largest staker first");
		assert_eq!(stakers.take, myelin_runtime::Stake::take(&validator));
		let nobody = <Runtime as StakeApi<Block>>::coldkey_stake(AccountId::from([99; 32]));
		assert_eq!((nobody.total, nobody.positions.len()), (0, 0));
	});
}

#[test]
fn inference_views_follow_the_task_and_rounds() {
	use myelin_runtime_api::{runtime_decl_for_inference_api::InferenceApi, TaskSpec};
	common::new_ext(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let miner = common::hotkey(20);
		assert_eq!(<Runtime as InferenceApi<Block>>::task_spec(NETUID), None);
		assert_eq!(<Runtime as InferenceApi<Block>>::current_round(NETUID), None);

		let spec = TaskSpec {
			model: [3; 32],
			dimensions: 384,
			inputs_per_round: 8,
			interval: 5,
			commit_window: 2,
			reveal_window: 2,
			score_threshold: 900_000,
			speed_weight: 200_000,
			audit_rate: 0,
		};
		let set = pallet_inference::Call::set_task_spec { netuid: NETUID, spec };
		let mut block = 1;
		common::run_block(
			block,
			vec![
				(alice.clone(), RuntimeCall::Inference(set)),
				common::associate(&Sr25519Keyring::Ferdie.to_account_id(), 20),
				register(&Sr25519Keyring::Ferdie.to_account_id(), &miner),
			],
		);
		assert_eq!(<Runtime as InferenceApi<Block>>::task_spec(NETUID), Some(spec));
		// Subnet 1 starts rounds where (block + 1) % 5 == 0: blocks 4, 9, ...
		common::run_to(&mut block, 9);
		let round = <Runtime as InferenceApi<Block>>::current_round(NETUID).unwrap();
		assert_eq!((round.index, round.start), (2, 9));
		let seed = <Runtime as InferenceApi<Block>>::challenge_seed(NETUID, 2, miner.clone());
		assert_eq!(seed, Some(pallet_inference::challenge_seed(&round.seed, &miner)));
		assert_ne!(
			seed,
			<Runtime as InferenceApi<Block>>::challenge_seed(NETUID, 1, miner.clone()),
			"a new round, new inputs"
		);
		assert_eq!(<Runtime as InferenceApi<Block>>::challenge_seed(NETUID, 3, miner), None);
	});
}
