//! Challenge inputs: K short sentences drawn from the model's vocabulary by a generator seeded
//! with the 32-byte challenge seed. The same seed and model give the same inputs on every
//! machine; different seeds (one per miner hotkey) give different inputs.

use blake2::{Blake2b, Digest};
use tokenizers::Tokenizer;

type Blake2b256 = Blake2b<blake2::digest::consts::U32>;

/// Words per challenge sentence.
pub const WORDS_PER_INPUT: usize = 12;

/// The vocabulary's plain words (lowercase alphabetic, at least two letters, no subword pieces
/// or special tokens), ordered by token id.
pub fn vocabulary_words(tokenizer: &Tokenizer) -> Vec<String> {
	let mut words: Vec<(u32, String)> = tokenizer
		.get_vocab(false)
		.into_iter()
		.filter(|(word, _)| word.len() >= 2 && word.chars().all(|c| c.is_ascii_lowercase()))
		.map(|(word, id)| (id, word))
		.collect();
	words.sort();
	words.into_iter().map(|(_, word)| word).collect()
}

/// A deterministic stream of 64-bit numbers: blake2b-256 of (seed ‖ counter), four per block.
struct Stream {
	seed: [u8; 32],
	counter: u64,
	buffer: Vec<u64>,
}

impl Stream {
	fn next(&mut self) -> u64 {
		if self.buffer.is_empty() {
			let mut hasher = Blake2b256::new();
			hasher.update(self.seed);
			hasher.update(self.counter.to_le_bytes());
			self.counter = self.counter.wrapping_add(1);
			self.buffer = hasher
				.finalize()
				.chunks_exact(8)
				.rev()
				.map(|chunk| {
					let mut bytes = [0u8; 8];
					bytes.copy_from_slice(chunk);
					u64::from_le_bytes(bytes)
				})
				.collect();
		}
		self.buffer.pop().unwrap_or_default()
	}
}

/// `k` sentences of [`WORDS_PER_INPUT`] words from `words`, a pure function of `seed`.
pub fn challenge_inputs(words: &[String], seed: [u8; 32], k: usize) -> Vec<String> {
	if words.is_empty() {
		return Vec::new();
	}
	let len = words.len() as u64;
	let mut stream = Stream { seed, counter: 0, buffer: Vec::new() };
	(0..k)
		.map(|_| {
			(0..WORDS_PER_INPUT)
				.filter_map(|_| {
					words.get(stream.next().checked_rem(len).unwrap_or_default() as usize).cloned()
				})
				.collect::<Vec<_>>()
				.join(" ")
		})
		.collect()
}
