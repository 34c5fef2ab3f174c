//! Sparse matrices of the epoch in compressed form (one allocation per matrix, rows sorted by
//! column) and the per-column weighted quantile.
//!
//! Rows are kept sorted by column so that the bonds EMA is a linear merge. The consensus quantile
//! transposes the rows into columns once (a counting sort, O(n + nnz)) and then selects in place
//! with a three-way quickselect, which is O(m) per column of `m` entries on average and falls back
//! to a sort (O(m log m)) if a crafted column keeps defeating the pivot.

use crate::math::{Fixed, ZERO};
use alloc::vec::Vec;

/// A `(column, value)` entry packed into one word: the column in the top 16 bits, the value's
/// fixed-point bits below (values are fractions, at most one, so 33 bits suffice; larger ones
/// saturate). Half the memory of a pair, and sorting the words sorts by column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry(u64);

const VALUE_BITS: u32 = 48;
const VALUE_MASK: u64 = (1 << VALUE_BITS) - 1;

impl Entry {
	/// Packs `value` (saturated to 48 bits) at `column`.
	pub fn new(column: u16, value: Fixed) -> Self {
		Self((u64::from(column) << VALUE_BITS) | value.to_bits().min(VALUE_MASK))
	}

	/// The column.
	pub fn column(self) -> u16 {
		u16::try_from(self.0 >> VALUE_BITS).unwrap_or(u16::MAX)
	}

	/// The value.
	pub fn value(self) -> Fixed {
		Fixed::from_bits(self.0 & VALUE_MASK)
	}
}

/// Compressed sparse rows: row `i` is `entries[offsets[i]..offsets[i + 1]]`.
#[derive(Default)]
pub struct Csr {
	offsets: Vec<usize>,
	entries: Vec<Entry>,
}

impl Csr {
	/// An empty matrix with room for `rows` rows and `capacity` entries.
	pub fn with_capacity(rows: usize, capacity: usize) -> Self {
		let mut offsets = Vec::with_capacity(rows.saturating_add(1));
		offsets.push(0);
		Self { offsets, entries: Vec::with_capacity(capacity) }
	}

	/// Number of rows.
	pub fn rows(&self) -> usize {
		self.offsets.len().saturating_sub(1)
	}

	/// Appends an entry to the row being built.
	pub fn push(&mut self, entry: Entry) {
		self.entries.push(entry);
	}

	/// Closes the row being built; returns its entries for in-place finishing (sort, scale).
	pub fn finish_row(&mut self) -> &mut [Entry] {
		let start = self.offsets.last().copied().unwrap_or_default();
		self.offsets.push(self.entries.len());
		self.entries.get_mut(start..).unwrap_or_default()
	}

	fn bounds(&self, i: usize) -> (usize, usize) {
		let start = self.offsets.get(i).copied().unwrap_or_default();
		let end = self.offsets.get(i.saturating_add(1)).copied().unwrap_or(start);
		(start, end)
	}

	/// Row `i` (empty when out of range).
	pub fn row(&self, i: usize) -> &[Entry] {
		let (start, end) = self.bounds(i);
		self.entries.get(start..end).unwrap_or_default()
	}

	/// Row `i`, mutable (empty when out of range).
	pub fn row_mut(&mut self, i: usize) -> &mut [Entry] {
		let (start, end) = self.bounds(i);
		self.entries.get_mut(start..end).unwrap_or_default()
	}
}

/// Sorts a row by column unless it already is (rows the Yuma pallet stores are).
pub fn sort_row(row: &mut [Entry]) {
	if !row.windows(2).all(|w| matches!(w, [a, b] if a <= b)) {
		row.sort_unstable();
	}
}

/// Columns gathered per block: the block's column segments (about `COLUMN_BLOCK` × validators ×
/// 8 bytes) stay within cache and TLB reach while rows are scattered into them.
const COLUMN_BLOCK: usize = 256;

/// Entries (one cache line) between two column segments of a block.
const SEGMENT_PADDING: usize = 8;

/// For every column `j < n` of `rows`, the largest `c` such that the stake `stake[i]` of the rows
/// with `W_ij ≥ c` adds up to at least the share `kappa / 65535` of all stake (zero when it never
/// does).
///
/// The comparison is exact: `65535 · Σ_{W_ij ≥ c} stake_i ≥ kappa · Σ_i stake_i` in integers, so
/// sums landing exactly on κ reach it and `kappa = 65535` asks for every staked row. (Stakes
/// are shifted right together only if their total exceeds 2¹¹² planck, far above any supply.)
///
/// Columns are gathered block by block (a counting sort of each block's entries, read through a
/// cursor per row since rows are sorted by column), then each column is selected in place.
pub fn weighted_quantiles(rows: &Csr, stake: &[u128], n: usize, kappa: u16) -> Vec<Fixed> {
	let total = stake.iter().fold(0u128, |acc, s| acc.saturating_add(*s));
	let shift = (u128::BITS.saturating_sub(total.leading_zeros())).saturating_sub(112);
	let scale = |s: u128| s.checked_shr(shift).unwrap_or(0).saturating_mul(u128::from(u16::MAX));
	let votes: Vec<u128> = stake.iter().map(|&s| scale(s)).collect();
	let target = total.checked_shr(shift).unwrap_or(0).saturating_mul(u128::from(kappa));
	let stake = votes.as_slice();
	let staked = |i: usize| stake.get(i).copied().unwrap_or_default() != 0;
	// (row, its entries not yet gathered) for every staked row that has entries.
	let mut cursors: Vec<(u16, &[Entry])> = (0..rows.rows())
		.filter(|&i| staked(i))
		.filter_map(|i| Some((u16::try_from(i).ok()?, rows.row(i))))
		.filter(|(_, row)| !row.is_empty())
		.collect();
	let mut consensus = Vec::with_capacity(n);
	let mut starts = [0usize; COLUMN_BLOCK];
	let mut column_buffer: Vec<Voter> = Vec::new();
	let mut first = 0usize;
	while first < n {
		let end = first.saturating_add(COLUMN_BLOCK).min(n);
		// Count the block's entries per column.
		starts.fill(0);
		for (_, row) in cursors.iter() {
			for entry in row.iter() {
				let column = usize::from(entry.column());
				if column >= end {
					break;
				}
				if let Some(count) = starts.get_mut(column.saturating_sub(first)) {
					*count = count.saturating_add(1);
				}
			}
		}
		// Segments are padded by a cache line so that they do not all start at the same cache
		// set (with 256 validators a segment is exactly 2 KiB, and the scattered writes would
		// evict each other).
		let mut total = 0usize;
		for start in starts.iter_mut() {
			let count = *start;
			*start = total;
			total = total.saturating_add(count).saturating_add(SEGMENT_PADDING);
		}
		// Scatter them, advancing each row's cursor past the block.
		column_buffer.clear();
		column_buffer.resize(total, Voter::default());
		let mut next = starts;
		for (row_index, row) in cursors.iter_mut() {
			let taken = row.iter().take_while(|e| usize::from(e.column()) < end).count();
			let (block, rest) = row.split_at(taken.min(row.len()));
			for entry in block {
				let offset = usize::from(entry.column()).saturating_sub(first);
				let Some(slot_index) = next.get_mut(offset) else { continue };
				if let Some(slot) = column_buffer.get_mut(*slot_index) {
					*slot = Voter::new(entry.value(), *row_index);
				}
				*slot_index = slot_index.saturating_add(1);
			}
			*row = rest;
		}
		for offset in 0..end.saturating_sub(first) {
			let start = starts.get(offset).copied().unwrap_or_default();
			let stop = next.get(offset).copied().unwrap_or(start);
			let column = column_buffer.get_mut(start..stop).unwrap_or_default();
			consensus.push(quantile(column, stake, target));
		}
		first = end;
	}
	consensus
}

/// One row's weight in a column, packed as `weight bits · 2¹⁶ + row`: keys are distinct, and
/// ordering them orders by weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Voter(u64);

impl Voter {
	fn new(weight: Fixed, row: u16) -> Self {
		Self((weight.to_bits().min(VALUE_MASK) << 16) | u64::from(row))
	}

	fn weight(self) -> Fixed {
		Fixed::from_bits(self.0 >> 16)
	}

	fn row(self) -> usize {
		usize::from(u16::try_from(self.0 & 0xffff).unwrap_or_default())
	}
}

/// The largest weight `c` in `column` such that the stake at weights `≥ c` reaches `target`,
/// found by quickselect (reorders `column`).
fn quantile(column: &mut [Voter], stake: &[u128], target: u128) -> Fixed {
	let stake_of = |v: Voter| stake.get(v.row()).copied().unwrap_or_default();
	let mut target = target;
	let mut rest = column;
	// Enough rounds for any reasonable pivot sequence; past it, sort what is left.
	let mut rounds = usize::try_from(usize::BITS.saturating_sub(rest.len().leading_zeros()))
		.unwrap_or(usize::MAX)
		.saturating_mul(2)
		.saturating_add(4);
	loop {
		let Some(last) = rest.len().checked_sub(1) else { return ZERO };
		if rounds == 0 {
			rest.sort_unstable_by(|a, b| b.cmp(a));
			let mut reached = 0u128;
			for &voter in rest.iter() {
				reached = reached.saturating_add(stake_of(voter));
				if reached >= target {
					return voter.weight();
				}
			}
			return ZERO;
		}
		rounds = rounds.saturating_sub(1);
		// Median of three as pivot, moved to the end.
		let middle = last / 2;
		let at = |i: usize| rest.get(i).copied().unwrap_or_default();
		let (a, b, c) = (at(0), at(middle), at(last));
		let pivot_at = if (a <= b) == (b <= c) {
			middle
		} else if (b <= a) == (a <= c) {
			0
		} else {
			last
		};
		rest.swap(pivot_at, last);
		let pivot = rest.get(last).copied().unwrap_or_default();
		// Branchless partition: keys above the pivot to the front, summing their stake.
		let mut above = 0usize;
		let mut above_stake = 0u128;
		for k in 0..last {
			let voter = rest.get(k).copied().unwrap_or_default();
			let is_above = voter > pivot;
			rest.swap(k, above);
			// A branch here would be mispredicted half the time.
			let counted = core::hint::select_unpredictable(is_above, stake_of(voter), 0);
			above_stake = above_stake.saturating_add(counted);
			above = above.saturating_add(usize::from(is_above));
		}
		rest.swap(above, last);
		let (head, tail) = rest.split_at_mut(above);
		if target <= above_stake && !head.is_empty() {
			rest = head;
			continue;
		}
		let through_pivot = above_stake.saturating_add(stake_of(pivot));
		if target <= through_pivot {
			return pivot.weight();
		}
		target = target.saturating_sub(through_pivot);
		rest = tail.get_mut(1..).unwrap_or_default();
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn f(bits: u64) -> Fixed {
		Fixed::from_bits(bits)
	}

	/// The quantile by sorting, the plain definition.
	fn by_sorting(column: &[(u64, u64)], kappa: u64) -> Fixed {
		let mut sorted = column.to_vec();
		sorted.sort_by_key(|&(w, _)| std::cmp::Reverse(w));
		let mut reached = 0;
		for (w, s) in sorted {
			reached += s;
			if reached >= kappa {
				return f(w);
			}
		}
		ZERO
	}

	fn select(column: &[(u64, u64)], kappa: u64) -> Fixed {
		let stake: Vec<u128> = column.iter().map(|&(_, s)| u128::from(s)).collect();
		let mut voters: Vec<Voter> =
			column.iter().enumerate().map(|(i, &(w, _))| Voter::new(f(w), i as u16)).collect();
		quantile(&mut voters, &stake, u128::from(kappa))
	}

	#[test]
	fn quickselect_matches_sorting_on_random_columns() {
		let mut state = 0x9e37_79b9_7f4a_7c15u64;
		let mut next = move || {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			state
		};
		for len in 0..80usize {
			for distinct in [1u64, 3, 1000] {
				let column: Vec<(u64, u64)> =
					(0..len).map(|_| (next() % distinct, next() % 100 + 1)).collect();
				for kappa in [0u64, 1, 50, 2_000, 10_000] {
					assert_eq!(select(&column, kappa), by_sorting(&column, kappa));
				}
			}
		}
	}

	#[test]
	fn adversarial_columns_stay_correct() {
		// Sorted, reversed and organ-pipe columns: the patterns that defeat naive pivots.
		let ascending: Vec<(u64, u64)> = (0..500).map(|i| (i, 1)).collect();
		let descending: Vec<(u64, u64)> = ascending.iter().rev().copied().collect();
		let pipe: Vec<(u64, u64)> = (0..250).chain((0..250).rev()).map(|i| (i, 1)).collect();
		for column in [ascending, descending, pipe] {
			for kappa in [0u64, 1, 17, 250, 499, 500, 501] {
				assert_eq!(select(&column, kappa), by_sorting(&column, kappa));
			}
		}
	}

	#[test]
	fn entries_pack_and_sort_by_column() {
		let a = Entry::new(7, f(1 << 32));
		assert_eq!((a.column(), a.value()), (7, f(1 << 32)));
		assert!(Entry::new(3, f(u64::MAX)) < a);
		assert_eq!(Entry::new(3, f(u64::MAX)).value(), f(VALUE_MASK));
	}
}
