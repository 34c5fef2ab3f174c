//! What the fuzzer sends: operations drawn from a seeded generator, biased towards calls that
//! can succeed (existing subnets, registered hotkeys signed by their own keys, owners
//! registering their hotkeys, stakers withdrawing their positions, affordable amounts) but
//! reaching every error path too, plus raw and corrupted extrinsics.

use codec::Encode;
use myelin_primitives::{inference::TaskSpec, NetUid, SubnetInfo, Uid, MAX_UIDS_HARD_CAP};
use myelin_runtime::{AccountId, Runtime, RuntimeCall, Subnets, MYL};
use pallet_subnets::Hyperparameter;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::Perbill;

/// One extrinsic the fuzzer offers.
#[derive(Clone, Debug)]
pub enum Op {
	/// `call` signed by key `signer`, with its current nonce plus `nonce_offset` (0: valid).
	Signed {
		/// Index into the fuzzer's keys.
		signer: usize,
		/// The call.
		call: RuntimeCall,
		/// Added to the account's nonce (a stale or future nonce is rejected).
		nonce_offset: u32,
	},
	/// `call` without a signature (only inherents and unsigned-valid calls pass).
	Bare(RuntimeCall),
	/// Raw bytes offered as an extrinsic.
	Raw(Vec<u8>),
	/// A valid signed extrinsic of `call` with bytes flipped at `(offset, xor)`.
	Mutated {
		/// Index into the fuzzer's keys.
		signer: usize,
		/// The call.
		call: RuntimeCall,
		/// Byte positions (modulo the length) and the bits flipped there.
		flips: Vec<(u16, u8)>,
	},
}

/// A deterministic xorshift generator: the same seed gives the same run.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
	/// A generator for `seed`.
	pub fn new(seed: u64) -> Self {
		Self(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(0x2545_f491_4f6c_dd1d) | 1)
	}

	/// The next 64 random bits.
	pub fn bits(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}

	/// Uniform in `0..n` (0 when `n` is 0).
	pub fn below(&mut self, n: u64) -> u64 {
		self.bits().checked_rem(n).unwrap_or(0)
	}

	/// True with probability `percent`%.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// One of `items` (`None` if empty).
	pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
		items.get(usize::try_from(self.below(items.len() as u64)).unwrap_or(0))
	}
}

/// The fuzzer's keys: the twelve funded development accounts first (Alice, the sudo key, is
/// key 0), then `extra` unfunded ones that transfers bring to life.
pub fn keys(extra: u8) -> Vec<sr25519::Pair> {
	let mut keys: Vec<sr25519::Pair> =
		sp_keyring::Sr25519Keyring::iter().map(|k| k.pair()).collect();
	keys.extend((0..extra).map(|i| sr25519::Pair::from_seed(&[i.wrapping_add(1); 32])));
	keys
}

/// What the generator knows about the chain when it draws the next block's operations.
pub struct View {
	accounts: Vec<AccountId>,
	netuids: Vec<NetUid>,
	/// Hotkeys registered on each subnet.
	hotkeys: Vec<(NetUid, Vec<AccountId>)>,
	/// Hotkeys with a consenting owner: `(hotkey, owner)`.
	owned: Vec<(AccountId, AccountId)>,
	/// Open stake positions: `(coldkey, hotkey, netuid)`.
	positions: Vec<(AccountId, AccountId, NetUid)>,
	/// Of those, positions in pools that were credited rewards (withdrawing them mints).
	earning: Vec<(AccountId, AccountId, NetUid)>,
	/// Hotkeys holding a validator permit: `(netuid, hotkey)`.
	validators: Vec<(NetUid, AccountId)>,
	genesis: H256,
}

impl View {
	/// Reads the view from chain state (call inside the chain's externalities).
	pub fn read(keys: &[sr25519::Pair], genesis: H256) -> Self {
		let netuids = <Subnets as SubnetInfo<AccountId>>::netuids();
		let hotkeys = netuids
			.iter()
			.map(|&netuid| (netuid, <Subnets as SubnetInfo<AccountId>>::hotkeys(netuid)))
			.collect();
		let accounts: Vec<AccountId> = keys.iter().map(|k| k.public().into()).collect();
		let mut owned: Vec<(AccountId, AccountId)> =
			pallet_subnets::Owner::<Runtime>::iter().collect();
		owned.sort();
		let mut positions: Vec<(AccountId, AccountId, NetUid)> = accounts
			.iter()
			.flat_map(|coldkey| {
				pallet_stake::StakedOn::<Runtime>::iter_key_prefix(coldkey)
					.map(move |(hotkey, netuid)| (coldkey.clone(), hotkey, netuid))
			})
			.collect();
		positions.sort();
		let earning = positions
			.iter()
			.filter(|(_, hotkey, netuid)| {
				// Accrued rewards included: withdrawing them makes the pool take them first.
				pallet_stake::Pallet::<Runtime>::pool_with_accrued(hotkey, *netuid)
					.is_some_and(|pool| pool.value > pool.principal)
			})
			.cloned()
			.collect();
		let validators = netuids
			.iter()
			.flat_map(|&netuid| {
				let permits = pallet_yuma::Pallet::<Runtime>::metrics(netuid).validator_permit;
				<Subnets as SubnetInfo<AccountId>>::hotkeys(netuid)
					.into_iter()
					.zip(permits)
					.filter(|(_, permit)| *permit)
					.map(move |(hotkey, _)| (netuid, hotkey))
			})
			.collect();
		Self { accounts, netuids, hotkeys, owned, positions, earning, validators, genesis }
	}

	/// The key index of `account`, if it is one of the fuzzer's.
	fn key_of(&self, account: &AccountId) -> Option<usize> {
		self.accounts.iter().position(|a| a == account)
	}

	fn account(&self, rng: &mut Rng) -> AccountId {
		self.accounts
			.get(rng.below(self.accounts.len() as u64) as usize)
			.cloned()
			.unwrap_or(AccountId::new([0; 32]))
	}

	fn netuid(&self, rng: &mut Rng) -> NetUid {
		match rng.pick(&self.netuids) {
			Some(&netuid) if rng.chance(90) => netuid,
			_ => rng.below(70) as NetUid,
		}
	}

	/// A hotkey registered on `netuid` most of the time, any account otherwise.
	fn hotkey(&self, rng: &mut Rng, netuid: NetUid) -> AccountId {
		let registered = self.hotkeys.iter().find(|(n, _)| *n == netuid).map(|(_, h)| h.as_slice());
		match registered.and_then(|h| rng.pick(h)) {
			Some(hotkey) if rng.chance(85) => hotkey.clone(),
			_ => self.account(rng),
		}
	}

	/// A hotkey with a consenting owner and that owner's key, most of the time.
	fn owned_hotkey(&self, rng: &mut Rng) -> Option<(AccountId, usize)> {
		let (hotkey, owner) = rng.pick(&self.owned)?;
		Some((hotkey.clone(), self.key_of(owner)?))
	}

	fn uid_count(&self, netuid: NetUid) -> u16 {
		self.hotkeys
			.iter()
			.find(|(n, _)| *n == netuid)
			.map_or(0, |(_, h)| u16::try_from(h.len()).unwrap_or(u16::MAX))
	}
}

/// An amount: mostly affordable, sometimes zero, dust, or absurd.
fn amount(rng: &mut Rng) -> u128 {
	match rng.below(10) {
		0 => 0,
		1 => u128::from(rng.below(1_000)),
		2 => u128::MAX,
		3 => u128::from(rng.bits()) * MYL,
		_ => u128::from(rng.below(50_000)) * MYL / 100,
	}
}

fn hyperparameter(rng: &mut Rng) -> Hyperparameter {
	let small = |rng: &mut Rng| u32::try_from(rng.below(200)).unwrap_or(0);
	match rng.below(19) {
		0 => Hyperparameter::Tempo(rng.below(30) as u16),
		1 => Hyperparameter::Kappa(rng.bits() as u16),
		2 => Hyperparameter::MaxAllowedUids(rng.below(u64::from(MAX_UIDS_HARD_CAP) + 2) as u16),
		3 => Hyperparameter::MaxAllowedValidators(rng.below(300) as u16),
		4 => Hyperparameter::ImmunityPeriod(small(rng)),
		5 => Hyperparameter::MinAllowedWeights(rng.below(20) as u16),
		6 => Hyperparameter::MaxWeightsLimit(rng.bits() as u16),
		7 => Hyperparameter::WeightsSetRateLimit(small(rng)),
		8 => Hyperparameter::WeightsVersionKey(rng.below(3)),
		9 => Hyperparameter::ActivityCutoff(small(rng)),
		10 => Hyperparameter::BondsMovingAverage(rng.below(1_100_000) as u32),
		11 => Hyperparameter::CommitRevealEnabled(rng.chance(50)),
		12 => Hyperparameter::RevealPeriod(rng.below(20) as u32),
		13 => Hyperparameter::MinBurn(amount(rng)),
		14 => Hyperparameter::MaxBurn(amount(rng)),
		15 => Hyperparameter::BurnHalfLife(small(rng)),
		16 => Hyperparameter::BurnIncreaseMult(rng.below(1_200) as u32),
		17 => Hyperparameter::ServingRateLimit(small(rng)),
		_ => Hyperparameter::Tempo(rng.below(5) as u16 + 1),
	}
}

/// A weight vector over (mostly) existing UIDs.
fn weights(rng: &mut Rng, n: u16) -> (Vec<Uid>, Vec<u16>) {
	let len = rng.below(u64::from(n).saturating_add(2)) as usize;
	let uids = (0..len).map(|_| rng.below(u64::from(n).saturating_add(1)) as Uid).collect();
	let values = (0..len).map(|_| rng.bits() as u16).collect();
	(uids, values)
}

/// A call of any Myelin pallet (and transfers and governance), with its signer.
fn call(rng: &mut Rng, view: &View, keys: &[sr25519::Pair]) -> (usize, RuntimeCall) {
	// Mostly the funded development accounts, so that calls get past their fees.
	let signer = if rng.chance(75) { rng.below(12) } else { rng.below(keys.len() as u64) } as usize;
	let me: AccountId =
		keys.get(signer).map(|k| k.public().into()).unwrap_or(AccountId::new([0; 32]));
	let netuid = view.netuid(rng);
	let hotkey = view.hotkey(rng, netuid);
	let n = view.uid_count(netuid);
	use pallet_stake::Call as Stake;
	use pallet_subnets::Call as Subnets;
	use pallet_yuma::Call as Yuma;
	let call = match rng.below(24) {
		0 | 1 => RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: view.account(rng).into(),
			value: amount(rng),
		}),
		2 => RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: view.account(rng).into(),
			value: amount(rng),
		}),
		3 | 4 => {
			// The hotkey's owner registers it (a subnet now and then, mostly a neuron).
			let (hotkey, owner) = view.owned_hotkey(rng).unwrap_or((hotkey, signer));
			let owner = if rng.chance(90) { owner } else { signer };
			let call = if rng.chance(10) {
				RuntimeCall::Subnets(Subnets::register_network { hotkey })
			} else {
				let max_burn = if rng.chance(80) { u128::MAX } else { amount(rng) };
				RuntimeCall::Subnets(Subnets::burned_register { netuid, hotkey, max_burn })
			};
			return (owner, call);
		}
		5 => {
			// A hotkey's consent, signed by it (or, sometimes, by someone else).
			let hotkey_index = rng.below(keys.len() as u64) as usize;
			let signer_key =
				if rng.chance(85) { hotkey_index } else { (hotkey_index + 1) % keys.len() };
			let payload = pallet_subnets::hotkey_consent_payload(&view.genesis, &me);
			let (Some(hotkey_pair), Some(signing_pair)) =
				(keys.get(hotkey_index), keys.get(signer_key))
			else {
				return (
					signer,
					RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
				);
			};
			RuntimeCall::Subnets(Subnets::associate_hotkey {
				hotkey: hotkey_pair.public().into(),
				signature: signing_pair.sign(&payload).into(),
			})
		}
		6 => {
			RuntimeCall::Subnets(Subnets::set_hyperparameter { netuid, param: hyperparameter(rng) })
		}
		7 => RuntimeCall::Subnets(Subnets::serve_axon {
			netuid,
			version: rng.below(3) as u32,
			ip: u128::from(rng.bits()),
			port: rng.bits() as u16,
			ip_type: [4, 6, 5].get(rng.below(3) as usize).copied().unwrap_or(4),
			protocol: rng.below(3) as u8,
		}),
		8 => RuntimeCall::Subnets(Subnets::dissolve_network { netuid }),
		9 | 10 => {
			// Half the time behind a validator with a permit: its pool earns at the next epochs.
			let (netuid, hotkey) = match rng.pick(&view.validators) {
				Some((netuid, validator)) if rng.chance(50) => (*netuid, validator.clone()),
				_ => (netuid, hotkey),
			};
			RuntimeCall::Stake(Stake::add_stake { hotkey, netuid, amount: amount(rng) })
		}
		11 => {
			// Mostly a position the signer holds (one that earned, when there is one: that is
			// where rewards are minted), sometimes all of it.
			let earning = rng.pick(&view.earning).filter(|_| rng.chance(70)).cloned();
			let Some((coldkey, hotkey, netuid)) =
				earning.or_else(|| rng.pick(&view.positions).cloned())
			else {
				return (
					signer,
					RuntimeCall::Stake(Stake::remove_stake { hotkey, netuid, amount: amount(rng) }),
				);
			};
			let owner = view.key_of(&coldkey).unwrap_or(signer);
			let amount = if rng.chance(30) { u128::MAX } else { amount(rng) / 4 };
			return (owner, RuntimeCall::Stake(Stake::remove_stake { hotkey, netuid, amount }));
		}
		12 => RuntimeCall::Stake(Stake::move_stake {
			hotkey,
			netuid,
			to_hotkey: view.hotkey(rng, netuid),
			to_netuid: view.netuid(rng),
			amount: amount(rng),
		}),
		13 => RuntimeCall::Stake(Stake::transfer_stake {
			to: view.account(rng),
			hotkey,
			netuid,
			amount: amount(rng),
		}),
		14 => {
			let take = Perbill::from_parts(rng.below(300_000_000) as u32);
			if rng.chance(50) {
				RuntimeCall::Stake(Stake::increase_take { hotkey, take })
			} else {
				RuntimeCall::Stake(Stake::decrease_take { hotkey, take })
			}
		}
		15 | 16 => {
			// Mostly a validator holding a permit, signing with its own hotkey, weighting other
			// UIDs (what makes a subnet pay out); sometimes anyone, anything.
			let (netuid, hotkey) = match rng.pick(&view.validators) {
				Some((netuid, validator)) if rng.chance(80) => (*netuid, validator.clone()),
				_ => (netuid, hotkey),
			};
			let n = view.uid_count(netuid);
			let (uids, values) = if rng.chance(70) {
				let own = <myelin_runtime::Subnets as SubnetInfo<AccountId>>::uid_of_hotkey(
					netuid, &hotkey,
				);
				let uids: Vec<Uid> = (0..n).filter(|uid| Some(*uid) != own).collect();
				let values =
					uids.iter().map(|_| rng.below(u64::from(u16::MAX)) as u16 + 1).collect();
				(uids, values)
			} else {
				weights(rng, n)
			};
			let signer = view.key_of(&hotkey).filter(|_| rng.chance(90)).unwrap_or(signer);
			let call =
				RuntimeCall::Yuma(Yuma::set_weights { netuid, uids, values, version_key: 0 });
			return (signer, call);
		}
		17 | 18 => {
			// Commit-reveal by a registered hotkey: a commit of this epoch, or a reveal (which
			// matches only by chance: the point is that a mismatch changes nothing).
			let signer = view.key_of(&hotkey).filter(|_| rng.chance(90)).unwrap_or(signer);
			let (uids, values) = weights(rng, n);
			let salt: Vec<u16> = vec![rng.bits() as u16; rng.below(4) as usize];
			let call = if rng.chance(50) {
				let epoch = pallet_yuma::Pallet::<Runtime>::epoch_index(netuid);
				let committer = keys.get(signer).map(|k| k.public().into()).unwrap_or(me);
				let hash =
					pallet_yuma::commit_hash(&committer, netuid, epoch, &uids, &values, &salt, 0);
				RuntimeCall::Yuma(Yuma::commit_weights { netuid, hash })
			} else {
				let salt = salt.try_into().unwrap_or_default();
				RuntimeCall::Yuma(Yuma::reveal_weights {
					netuid,
					uids,
					values,
					salt,
					version_key: 0,
				})
			};
			return (signer, call);
		}
		19 => RuntimeCall::Inference(pallet_inference::Call::set_task_spec {
			netuid,
			spec: TaskSpec {
				model: [rng.bits() as u8; 32],
				dimensions: rng.below(1_100) as u16,
				inputs_per_round: rng.below(18) as u8,
				interval: rng.below(30) as u32,
				commit_window: rng.below(15) as u32,
				reveal_window: rng.below(15) as u32,
				score_threshold: rng.below(1_100_000) as u32,
				speed_weight: rng.below(1_100_000) as u32,
				audit_rate: rng.below(1_100_000) as u32,
			},
		}),
		20 => {
			let round = pallet_inference::Pallet::<Runtime>::current_round(netuid)
				.map_or(rng.below(5) as u32, |r| r.index);
			if rng.chance(50) {
				RuntimeCall::Inference(pallet_inference::Call::commit_outputs {
					netuid,
					round,
					hash: H256::from_low_u64_be(rng.bits()),
				})
			} else {
				let outputs = (0..rng.below(5))
					.map(|_| (0..rng.below(40)).map(|_| rng.bits() as i8).collect())
					.collect();
				RuntimeCall::Inference(pallet_inference::Call::reveal_outputs {
					netuid,
					round,
					outputs,
					salt: [rng.bits() as u8; 32],
				})
			}
		}
		21 => {
			// Root calls through sudo: only Alice (key 0) holds the key.
			let inner = match rng.below(5) {
				0 => RuntimeCall::Subnets(Subnets::dissolve_network { netuid }),
				1 => RuntimeCall::Subnets(Subnets::set_hyperparameter {
					netuid,
					param: hyperparameter(rng),
				}),
				2 => {
					RuntimeCall::Subnets(Subnets::set_subnet_limit { limit: rng.below(70) as u16 })
				}
				3 => RuntimeCall::Emission(pallet_emission::Call::set_owner_cut {
					netuid,
					cut: Perbill::from_parts(rng.below(1_100_000_000) as u32),
				}),
				_ => RuntimeCall::Emission(pallet_emission::Call::set_split_mode {
					mode: if rng.chance(50) {
						pallet_emission::SplitMode::Equal
					} else {
						pallet_emission::SplitMode::ByStake
					},
				}),
			};
			let signer = if rng.chance(80) { 0 } else { signer };
			return (signer, RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(inner) }));
		}
		22 => {
			let proposal = RuntimeCall::Subnets(Subnets::set_hyperparameter {
				netuid,
				param: hyperparameter(rng),
			});
			let origin = if rng.chance(50) {
				myelin_runtime::OriginCaller::Governance(pallet_governance::Origin::SubnetParams)
			} else {
				frame_system::RawOrigin::Root.into()
			};
			let inline = proposal.encode().try_into().unwrap_or_default();
			RuntimeCall::Referenda(pallet_referenda::Call::submit {
				proposal_origin: Box::new(origin),
				proposal: frame_support::traits::Bounded::Inline(inline),
				enactment_moment: frame_support::traits::schedule::DispatchTime::After(1),
			})
		}
		_ => {
			let poll_index = rng.below(4) as u32;
			if rng.chance(30) {
				RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit {
					index: poll_index,
				})
			} else {
				RuntimeCall::ConvictionVoting(pallet_conviction_voting::Call::vote {
					poll_index,
					vote: pallet_conviction_voting::AccountVote::Standard {
						vote: pallet_conviction_voting::Vote {
							aye: rng.chance(60),
							conviction: pallet_conviction_voting::Conviction::Locked1x,
						},
						balance: amount(rng),
					},
				})
			}
		}
	};
	(signer, call)
}

/// One block's operations: up to `max` of them, mostly valid signed calls.
pub fn block_ops(rng: &mut Rng, view: &View, keys: &[sr25519::Pair], max: u64) -> Vec<Op> {
	(0..rng.below(max.saturating_add(1)))
		.map(|_| {
			let kind = rng.below(100);
			let (signer, call) = call(rng, view, keys);
			match kind {
				0..=84 => Op::Signed { signer, call, nonce_offset: 0 },
				85..=88 => Op::Signed { signer, call, nonce_offset: rng.below(3) as u32 + 1 },
				89..=91 => Op::Bare(call),
				92..=95 => Op::Mutated {
					signer,
					call,
					flips: (0..rng.below(3) + 1)
						.map(|_| (rng.bits() as u16, rng.bits() as u8 | 1))
						.collect(),
				},
				_ => Op::Raw((0..rng.below(160)).map(|_| rng.bits() as u8).collect()),
			}
		})
		.collect()
}
