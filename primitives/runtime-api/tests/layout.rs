//! Pins the SCALE layout of every runtime API type per API version.
//!
//! Each API's argument and result types are rendered from their `TypeInfo` down to primitives
//! (field names, order, and types). `layouts.txt` holds one line per API and version. Adding,
//! removing, renaming or reordering a field changes the rendering, and this test fails until the
//! API's `api_version` is bumped and the new line is added, so a client can always tell an old
//! layout from a new one by the version the runtime reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use myelin_runtime_api::*;
use scale_info::{form::PortableForm, meta_type, PortableRegistry, Registry, TypeDef};
use sp_api::RuntimeApiInfo;

type Block = sp_runtime::generic::Block<
	sp_runtime::generic::Header<u32, sp_runtime::traits::BlakeTwo256>,
	sp_runtime::OpaqueExtrinsic,
>;

fn render(registry: &PortableRegistry, id: u32) -> String {
	let ty = registry.resolve(id).expect("registered");
	let name = ty.path.segments.last().cloned().unwrap_or_default();
	let fields = |fields: &[scale_info::Field<PortableForm>]| -> String {
		fields
			.iter()
			.map(|f| match &f.name {
				Some(n) => format!("{n}:{}", render(registry, f.ty.id)),
				None => render(registry, f.ty.id),
			})
			.collect::<Vec<_>>()
			.join(",")
	};
	match &ty.type_def {
		TypeDef::Composite(c) => format!("{name}{{{}}}", fields(&c.fields)),
		TypeDef::Variant(v) => format!(
			"{name}<{}>",
			v.variants
				.iter()
				.map(|var| format!("{}={}({})", var.name, var.index, fields(&var.fields)))
				.collect::<Vec<_>>()
				.join("|")
		),
		TypeDef::Sequence(s) => format!("[{}]", render(registry, s.type_param.id)),
		TypeDef::Array(a) => format!("[{};{}]", render(registry, a.type_param.id), a.len),
		TypeDef::Tuple(t) => format!(
			"({})",
			t.fields.iter().map(|f| render(registry, f.id)).collect::<Vec<_>>().join(",")
		),
		TypeDef::Primitive(p) => format!("{p:?}").to_lowercase(),
		TypeDef::Compact(c) => format!("Compact<{}>", render(registry, c.type_param.id)),
		TypeDef::BitSequence(_) => "BitSequence".into(),
	}
}

fn layout(types: &[scale_info::MetaType]) -> String {
	let mut registry = Registry::new();
	let ids: Vec<u32> = types.iter().map(|t| registry.register_type(t).id).collect();
	let portable = PortableRegistry::from(registry);
	ids.iter().map(|id| render(&portable, *id)).collect::<Vec<_>>().join(" ; ")
}

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
