//! The miner and validator workers on the tiny model, end to end in one process: workers of an
//! honest, a noisy and a lazy miner and of a validator run after every block, their transactions
//! are dispatched in the next block, and the validator's weights rank the miners.

use std::sync::Arc;

use codec::Decode;
use frame_support::{assert_ok, traits::UnfilteredDispatchable};
use myelin_inference::host::{InferenceExt, InferenceHost};
use myelin_inference_engine::registry::ModelRegistry;
use sp_core::offchain::{
	testing::{PoolState, TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
};
use sp_runtime::{generic::Preamble, testing::UintAuthorityId};

use super::mock::*;
use crate::{offchain::modes::MINER_MODE_KEY, Submissions, TaskSpec};

struct Workers {
	ext: sp_io::TestExternalities,
	pool: Arc<parking_lot::RwLock<PoolState>>,
	model: [u8; 32],
	_models: tempfile::TempDir,
}

fn workers() -> Workers {
	let models = tempfile::tempdir().unwrap();
	myelin_inference_engine::testing::write_tiny_model(&models.path().join("tiny")).unwrap();
	let registry = Arc::new(ModelRegistry::new(models.path()));
	let model = registry.models()[0];
	let mut ext = new_test_ext();
	let (offchain, _) = TestOffchainExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(InferenceExt::from(registry as Arc<dyn InferenceHost>));
	// A test network: its genesis allows the miner test modes.
	ext.execute_with(|| crate::MinerTestModes::<Test>::put(true));
	Workers { ext, pool: pool_state, model, _models: models }
}

fn tiny_spec(model: [u8; 32]) -> TaskSpec {
	TaskSpec { model, dimensions: 32, speed_weight: 0, ..spec() }
}

/// Gives the test subnet the tiny model's task and validator UID 0 (hotkey 10) a permit.
fn start_task(model: [u8; 32]) {
	assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, tiny_spec(model)));
	PERMITS.with(|p| p.borrow_mut().push((NETUID, 0)));
}

/// One round's full score moved into an average of 0 by α, as a u16 weight.
fn alpha() -> u16 {
	(u64::from(crate::offchain::scoring::EMA_ALPHA) * 65_535 / 1_000_000) as u16
}

/// Runs the worker of one node holding `hotkey`, in `mode`.
fn run_worker(hotkey: AccountId, mode: &[u8]) {
	UintAuthorityId::set_all_keys([hotkey]);
	sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, MINER_MODE_KEY, mode);
	crate::offchain::run::<Test>();
}

/// Dispatches the pooled transactions; returns the weight calls among them.
fn dispatch(pool: &parking_lot::RwLock<PoolState>) -> Vec<(AccountId, WeightCall)> {
	let mut weights = Vec::new();
	for bytes in core::mem::take(&mut pool.write().transactions) {
		let xt = Extrinsic::decode(&mut &bytes[..]).unwrap();
		let Preamble::Signed(who, (), ()) = xt.preamble else { panic!("unsigned") };
		if let RuntimeCall::System(frame_system::Call::remark { remark }) = &xt.function {
			weights.push((who, WeightCall::decode(&mut &remark[..]).unwrap()));
		}
		assert_ok!(xt.function.dispatch_bypass_filter(RuntimeOrigin::signed(who)));
	}
	weights
}

#[test]
fn validator_weights_rank_honest_over_noisy_over_lazy() {
	let mut w = workers();
	let pool = w.pool.clone();
	let model = w.model;
	w.ext.execute_with(|| {
		start_task(model);
		let mut set = Vec::new();
		// Rounds start at 5, 11, 17, 23; round 3 is scored from block 22 on.
		while System::block_number() < 24 {
			next_block();
			set.extend(dispatch(&pool));
			run_worker(1, b"honest");
			run_worker(2, b"noisy");
			run_worker(3, b"lazy");
			run_worker(10, b"honest");
		}

		// Every miner committed and revealed in every kept round, one block after it started.
		for round in 2..=3u32 {
			for miner in 1..=3u64 {
				let s = Submissions::<Test>::get((NETUID, round), miner)
					.unwrap_or_else(|| panic!("miner {miner} committed in round {round}"));
				assert!(s.revealed, "miner {miner} revealed round {round}");
				assert_eq!(s.commit_block, [12, 18][round as usize - 2]);
			}
		}
		// The validator set weights after each scored round (blocks 10, 16, 22).
		let vectors: Vec<_> = set
			.iter()
			.map(|(who, call)| match call {
				WeightCall::Set { netuid, uids, values, .. } => {
					assert_eq!((*who, *netuid), (10, NETUID));
					assert_eq!(uids, &vec![1, 2, 3], "the validator does not weight itself");
					values.clone()
				}
				other => panic!("direct weights expected, got {other:?}"),
			})
			.collect();
		assert_eq!(vectors.len(), 3, "{vectors:?}");
		// Round 1: only the honest miner passes (round 1 is a noise round of the noisy miner).
		// The honest average moved from 0 by α.
		let alpha = alpha();
		assert_eq!(vectors[0], vec![alpha, 0, 0]);
		let last = vectors.last().unwrap();
		assert!(
			last[0] > last[1] && last[1] > 0 && last[2] == 0,
			"honest > noisy > lazy = 0: {last:?}"
		);
	});
}

#[test]
fn miner_modes_are_ignored_on_chains_whose_genesis_forbids_them() {
	let mut w = workers();
	let pool = w.pool.clone();
	let model = w.model;
	w.ext.execute_with(|| {
		// A production chain: a mode written into the node's off-chain storage (as the unsafe
		// RPC can) must not make its miner lazy.
		crate::MinerTestModes::<Test>::put(false);
		start_task(model);
		let mut set = Vec::new();
		// Round 1 starts at block 5 and is scored from block 10 on.
		while System::block_number() < 11 {
			next_block();
			set.extend(dispatch(&pool));
			run_worker(1, b"honest");
			run_worker(3, b"lazy");
			run_worker(10, b"honest");
		}
		let [(10, WeightCall::Set { uids, values, .. })] = set.as_slice() else {
			panic!("one weight vector expected: {set:?}")
		};
		assert_eq!(uids, &vec![1, 2, 3]);
		// Miner 2 did not answer; miner 3 answered honestly, as miner 1 did.
		let alpha = alpha();
		assert_eq!(values, &vec![alpha, 0, alpha]);
	});
}

#[test]
fn large_rounds_are_scored_over_several_runs_and_never_two_at_once() {
	use crate::offchain::validator;
	use sp_runtime::offchain::{storage_lock::StorageLock, Duration};

	let mut w = workers();
	let pool = w.pool.clone();
	let model = w.model;
	w.ext.execute_with(|| {
		start_task(model);
		// Three honest miners answer round 1; the validator's worker runs from the block the
		// round's reveal window has ended.
		while validator::progress::<Test>(NETUID, &10).is_none() {
			next_block();
			assert!(dispatch(&pool).is_empty(), "no weights before the round is scored");
			for miner in 1..=3 {
				run_worker(miner, b"honest");
			}
			// While another run holds the validator's lock, this one does nothing.
			let lock_key = crate::offchain::lock_key(b"vali", NETUID, &10u64);
			let mut lock = StorageLock::<sp_runtime::offchain::storage_lock::Time>::with_deadline(
				&lock_key,
				Duration::from_millis(crate::offchain::LOCK_DEADLINE_MS),
			);
			let guard = lock.try_lock().unwrap();
			run_worker(10, b"honest");
			assert_eq!(validator::state::<Test>(NETUID, &10), Default::default());
			assert_eq!(validator::progress::<Test>(NETUID, &10), None);
			drop(guard);
			run_worker(10, b"honest");
			assert!(System::block_number() < 20, "round 1 was never scored");
		}
		// The first run scored two miners (`MinersScoredPerRun`) and sent nothing.
		let progress = validator::progress::<Test>(NETUID, &10).unwrap();
		assert_eq!((progress.round, progress.scores.len()), (1, 2));
		assert_eq!(validator::state::<Test>(NETUID, &10).scored, 0);
		assert!(pool.read().transactions.is_empty());
		// The next run scores the third, completes the round and sets weights for all three.
		next_block();
		run_worker(10, b"honest");
		assert_eq!(validator::progress::<Test>(NETUID, &10), None);
		assert_eq!(validator::state::<Test>(NETUID, &10).scored, 1);
		let sent = dispatch(&pool);
		let [(10, WeightCall::Set { uids, values, .. })] = sent.as_slice() else {
			panic!("one weight vector expected: {sent:?}")
		};
		assert_eq!(uids, &vec![1, 2, 3]);
		assert!(values.iter().all(|&v| v > 0 && v == values[0]), "{values:?}");
	});
}

#[test]
fn commit_reveal_subnets_get_committed_weights() {
	let mut w = workers();
	let pool = w.pool.clone();
	let model = w.model;
	w.ext.execute_with(|| {
		start_task(model);
		set_params(NETUID, |p| p.commit_reveal_enabled = true);
		let mut calls = Vec::new();
		let run_until = |block: u64, calls: &mut Vec<_>| {
			while System::block_number() < block {
				next_block();
				calls.extend(dispatch(&pool));
				run_worker(1, b"honest");
				run_worker(10, b"honest");
			}
		};
		// In the subnet's epoch 0 the validator commits, and waits.
		run_until(30, &mut calls);
		let [(_, WeightCall::Commit { hash, .. })] = calls.as_slice() else {
			panic!("one commit expected: {calls:?}")
		};
		let hash = *hash;
		// Once the subnet's next epoch has run, it reveals.
		EPOCHS.with(|e| e.borrow_mut().insert(NETUID, 1));
		run_until(34, &mut calls);
		let [_, (_, WeightCall::Reveal { uids, values, salt, version_key, .. })] = calls.as_slice()
		else {
			panic!("a commit then its reveal expected: {calls:?}")
		};
		assert_eq!(
			hash,
			<MockWeights as crate::WeightCalls<_, _>>::commit_hash(
				&10,
				NETUID,
				0,
				uids,
				values,
				salt,
				*version_key
			)
		);
		assert_eq!(values.iter().filter(|&&v| v > 0).count(), 1, "only the honest miner answered");
	});
}

#[test]
fn workers_without_a_permit_or_the_model_do_nothing() {
	let mut w = workers();
	let pool = w.pool.clone();
	w.ext.execute_with(|| {
		// A model this node does not have: the miner cannot answer.
		assert_ok!(Inference::set_task_spec(RuntimeOrigin::signed(OWNER), NETUID, spec()));
		run_to(5);
		run_worker(1, b"honest");
		assert!(pool.read().transactions.is_empty());
		// Lazy miners answer without the model; the validator without a permit stays quiet.
		run_worker(3, b"lazy");
		assert_eq!(dispatch(&pool).len(), 0);
		assert!(Submissions::<Test>::get((NETUID, 1), 3).is_some());
		run_to(11);
		run_worker(10, b"unknown mode means honest");
		let sent = pool.read().transactions.len();
		assert_eq!(sent, 0, "hotkey 10 has neither the model nor a permit");
	});
}

#[test]
fn runs_score_more_when_a_round_would_be_pruned_first_but_stay_bounded() {
	use crate::offchain::validator::run_budget;
	new_test_ext().execute_with(|| {
		let round = |interval| crate::RoundInfo {
			index: 1,
			start: 5,
			seed: [0; 32],
			spec: TaskSpec { interval, ..spec() },
		};
		// More neurons than the most one run may score (`MinersScoredPerRun` 2, at most 4×).
		let hotkeys: Vec<AccountId> = (100..120).collect();
		set_neurons(NETUID, hotkeys);
		let budget =
			|interval, scored, now| run_budget::<Test>(NETUID, Some(&round(interval)), scored, now);
		// Nothing to score, or plenty of time (3 rounds kept × 100 blocks): the configured 2.
		assert_eq!(run_budget::<Test>(NETUID, None, 0, 5), 2);
		assert_eq!(budget(100, 0, 5), 2);
		// 20 neurons, pruned at block 5 + 3 × 4 = 17: from block 9, 4 runs planned, 5 each.
		assert_eq!(budget(4, 0, 9), 5);
		// 10 of them done: 10 left over the 4 planned runs.
		assert_eq!(budget(4, 10, 9), 3);
		// Out of time: capped at 4 × 2, however many are left.
		assert_eq!(budget(4, 0, 16), 8);
		assert_eq!(budget(4, 0, 1_000), 8);
		// An interval of zero (invalid) divides nothing by zero.
		assert_eq!(budget(0, 0, 5), 8);
	});
}

#[test]
fn a_netuid_registered_again_is_scored_from_its_first_round() {
	let mut w = workers();
	let pool = w.pool.clone();
	let model = w.model;
	w.ext.execute_with(|| {
		start_task(model);
		// What the validator kept for the subnet that held this netuid before: 40 rounds scored.
		let old = crate::offchain::validator::ValidatorState::<AccountId> {
			scored: 40,
			weights_round: 40,
			..Default::default()
		};
		let key = crate::offchain::validator::state_key::<Test>(NETUID, &10);
		crate::offchain::store(&key, &old);
		let mut sent = Vec::new();
		while System::block_number() < 12 {
			next_block();
			sent.extend(dispatch(&pool));
			for hotkey in [1, 2, 3, 10] {
				run_worker(hotkey, b"honest");
			}
		}
		// Round 1 of the new subnet was scored and its weights sent.
		assert_eq!(crate::offchain::validator::state::<Test>(NETUID, &10).scored, 1);
		assert_eq!(sent.len(), 1, "{sent:?}");
	});
}

/// The node's gateway reports organic work in the audit ledger: at the next scored round a miner
/// with a failed audit scores 0, and the others' scores count the volume they served. The
/// ledger is taken once, and a gateway's later writes wait for the next round.
#[test]
fn audited_organic_work_folds_into_the_validators_scores() {
	use crate::offchain::audits::{ledger_key, merge, take, AuditTally};
	let mut w = workers();
	let pool = w.pool.clone();
	let model = w.model;
	w.ext.execute_with(|| {
		start_task(model);
		let tally = |hotkey: AccountId, served, failed| AuditTally {
			hotkey,
			served,
			audited: failed,
			failed,
		};
		let mut ledgers = 0;
		let mut set = Vec::new();
		while System::block_number() < 24 {
			next_block();
			set.extend(dispatch(&pool));
			// Before every block, the gateway adds: miner 1 served 10 answers (one of which,
			// before the first block only, failed its audit), miner 2 served 10, miner 3 (as
			// honest as the others) nothing.
			let mut ledger: Vec<AuditTally<AccountId>> =
				sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &ledger_key(NETUID))
					.map(|raw| Decode::decode(&mut &raw[..]).unwrap())
					.unwrap_or_default();
			let failed = u32::from(ledgers == 0);
			merge(&mut ledger, &[tally(1, 10, failed), tally(2, 10, 0)]);
			ledgers += 1;
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				&ledger_key(NETUID),
				&codec::Encode::encode(&ledger),
			);
			for miner in 1..=3 {
				run_worker(miner, b"honest");
			}
			run_worker(10, b"honest");
		}
		assert!(ledgers > 3);
		let last = match &set.last().unwrap().1 {
			WeightCall::Set { uids, values, .. } => {
				assert_eq!(uids, &vec![1, 2, 3]);
				values.clone()
			}
			other => panic!("direct weights expected, got {other:?}"),
		};
		// Miner 1 failed an audit once: nothing, in every round since. Miner 2 (challenge 1,
		// volume 1) above miner 3 (challenge 1, volume 0 → half the score).
		assert_eq!(last[0], 0, "{last:?}");
		let penalized = crate::offchain::validator::penalties::<Test>(NETUID, &10);
		let until = crate::offchain::validator::AUDIT_PENALTY_ROUNDS + 1;
		assert_eq!(penalized, vec![(1, until)], "held at 0 from the first scored round");
		assert!(last[1] > last[2] && last[2] > 0, "{last:?}");
		// What the gateway added after the last scored round waits in the ledger.
		let waiting: Vec<AuditTally<AccountId>> = take(NETUID);
		assert!(waiting.iter().any(|t| t.hotkey == 2 && t.served >= 10), "{waiting:?}");
		assert!(take::<AccountId>(NETUID).is_empty(), "taken once");
	});
}
