//! The miner worker: answer the current round (commit), then reveal the answer.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_system::offchain::Account;
use myelin_primitives::{BlockNumber, NetUid};

use super::{embed, inputs, load, modes::MinerMode, storage_key, store, submit};
use crate::{
	challenge_seed, outputs_hash,
	pallet::{Call, Config, CurrentRound, Pallet, Rounds, Submissions},
	RoundIndex,
};

/// What a miner keeps between its commit and its reveal.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct MinerState {
	/// The round answered.
	pub round: RoundIndex,
	/// The committed outputs.
	pub outputs: Vec<Vec<i8>>,
	/// The commit's salt.
	pub salt: [u8; 32],
	/// The block at which the reveal was last sent (0: not yet).
	pub reveal_sent: BlockNumber,
	/// Whether the chain has the reveal.
	pub revealed: bool,
}

/// Blocks to wait for a sent reveal to be included before sending it again.
const RESEND_AFTER: BlockNumber = 2;

fn state_key<T: Config>(netuid: NetUid, account: &Account<T>) -> Vec<u8> {
	storage_key(&[b"miner", &netuid.to_le_bytes(), &account.id.encode()])
}

/// One step of the miner `account` on `netuid` at the current block.
pub fn work<T: Config>(netuid: NetUid, account: &Account<T>, mode: MinerMode) {
	let now = Pallet::<T>::now();
	let key = state_key::<T>(netuid, account);
	let mut state: Option<MinerState> = load(&key);
	if let Some(state) = state.as_mut().filter(|s| !s.revealed) {
		reveal::<T>(netuid, account, state, now);
		store(&key, &*state);
	}
	let Some(current) = CurrentRound::<T>::get(netuid) else { return };
	// The round's own task: a task set since applies from the next round.
	let spec = &current.spec;
	let answered = state.as_ref().is_some_and(|s| s.round >= current.index);
	let open = now < spec.commit_end(current.start);
	if answered || !open || Submissions::<T>::contains_key((netuid, current.index), &account.id) {
		return;
	}
	let seed = challenge_seed(&current.seed, &account.id);
	let count = usize::from(spec.inputs_per_round);
	let honest = if mode.runs_model() {
		let Some(texts) = inputs(spec, seed) else { return };
		let Some(outputs) = embed(spec, texts) else { return };
		outputs
	} else {
		Vec::new()
	};
	let outputs = mode.answer(honest, current.index, &seed, count, usize::from(spec.dimensions));
	let salt = sp_io::offchain::random_seed();
	let hash = outputs_hash(&account.id, netuid, current.index, &outputs, &salt);
	let call = Call::<T>::commit_outputs { netuid, round: current.index, hash };
	if submit::<T, T::MinerKey>(account, call.into()) {
		log::info!(
			target: "runtime::inference",
			"miner committed to round {} of subnet {netuid} ({mode:?})",
			current.index
		);
		let state =
			MinerState { round: current.index, outputs, salt, reveal_sent: 0, revealed: false };
		store(&key, &state);
	}
}

/// Sends the reveal of `state` once the next block is in its reveal window and the commit is on
/// chain; marks it revealed once the chain has it, or dropped when its round is gone.
fn reveal<T: Config>(
	netuid: NetUid,
	account: &Account<T>,
	state: &mut MinerState,
	now: BlockNumber,
) {
	let Some(info) = Rounds::<T>::get(netuid, state.round) else {
		state.revealed = true;
		return;
	};
	let spec = &info.spec;
	let Some(submission) = Submissions::<T>::get((netuid, state.round), &account.id) else {
		return;
	};
	if submission.revealed || now >= spec.reveal_end(info.start) {
		state.revealed = true;
		return;
	}
	let next = now.saturating_add(1);
	let waiting = state.reveal_sent != 0 && now < state.reveal_sent.saturating_add(RESEND_AFTER);
	if next < spec.commit_end(info.start) || waiting {
		return;
	}
	let call = Call::<T>::reveal_outputs {
		netuid,
		round: state.round,
		outputs: state.outputs.clone(),
		salt: state.salt,
	};
	if submit::<T, T::MinerKey>(account, call.into()) {
		state.reveal_sent = now;
	}
}
