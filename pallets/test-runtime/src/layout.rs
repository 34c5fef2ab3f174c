//! SCALE layouts rendered from `TypeInfo`, for tests that pin them: every field's name, order
//! and type down to primitives, one line per type, so that any change of an encoded layout
//! changes the text.

use scale_info::{form::PortableForm, PortableRegistry, Registry, TypeDef};

/// Renders type `id` of `registry` down to primitives.
pub fn render(registry: &PortableRegistry, id: u32) -> String {
	let Some(ty) = registry.resolve(id) else { return format!("<unknown type {id}>") };
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

/// Renders `types` (registered into a fresh registry), separated by ` ; `.
pub fn layout(types: &[scale_info::MetaType]) -> String {
	let mut registry = Registry::new();
	let ids: Vec<u32> = types.iter().map(|t| registry.register_type(t).id).collect();
	let portable = PortableRegistry::from(registry);
	ids.iter().map(|id| render(&portable, *id)).collect::<Vec<_>>().join(" ; ")
}
