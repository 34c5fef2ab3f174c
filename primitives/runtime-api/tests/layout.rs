//! Pins the SCALE layout of every runtime API type per API version.
//!
//! Each API's argument and result types are rendered from their `TypeInfo` down to primitives
//! (field names, order, and types). `layouts.txt` holds one line per API and version. Adding,
//! removing, renaming or reordering a field changes the rendering, and this test fails until the
//! API's `api_version` is bumped and the new line is added, so a client can always tell an old
//! layout from a new one by the version the runtime reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use myelin_runtime_api::*;
use myelin_test_runtime::layout::layout;
use scale_info::meta_type;
use sp_api::RuntimeApiInfo;

type Block = sp_runtime::generic::Block<
	sp_runtime::generic::Header<u32, sp_runtime::traits::BlakeTwo256>,
	sp_runtime::OpaqueExtrinsic,
>;

#[test]
fn runtime_api_layouts_are_pinned_per_version() {
	let pinned = include_str!("layouts.txt");
	let apis = [
		(
			"SubnetsApi",
			<dyn SubnetsApi<Block>>::VERSION,
			layout(&[
				meta_type::<SubnetList>(),
				meta_type::<Option<SubnetHyperparams>>(),
				meta_type::<Option<Balance>>(),
			]),
		),
		(
			"MetagraphApi",
			<dyn MetagraphApi<Block>>::VERSION,
			layout(&[
				meta_type::<Option<Metagraph>>(),
				meta_type::<Vec<MetagraphField>>(),
				meta_type::<Option<NeuronInfo>>(),
			]),
		),
		(
			"StakeApi",
			<dyn StakeApi<Block>>::VERSION,
			layout(&[meta_type::<ColdkeyStake>(), meta_type::<HotkeyStakers>()]),
		),
		(
			"InferenceApi",
			<dyn InferenceApi<Block>>::VERSION,
			layout(&[
				meta_type::<Option<TaskSpec>>(),
				meta_type::<Option<RoundInfo>>(),
				meta_type::<Option<[u8; 32]>>(),
			]),
		),
	];
	let mut missing = Vec::new();
	for (api, version, rendered) in apis {
		let line = format!("{api} v{version}: {rendered}");
		if !pinned.lines().any(|pinned_line| pinned_line == line) {
			missing.push(line);
		}
	}
	assert!(
		missing.is_empty(),
		"runtime API layout changed without a version bump; bump the API's api_version and add \
		 the new line(s) to tests/layouts.txt:\n{}",
		missing.join("\n")
	);
}

#[test]
fn metagraph_fields_round_trip_by_name() {
	for field in MetagraphField::ALL {
		assert_eq!(MetagraphField::from_name(field.name()), Some(field));
	}
	assert_eq!(MetagraphField::from_name("Incentive"), None);
	assert_eq!(MetagraphField::ALL.len(), 13);
}
