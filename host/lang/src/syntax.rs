//! What a catalogue's text holds, read from Fluent's syntax tree: the ids of its
//! messages and the variables a message uses (for the checks and the budget test,
//! which the rendering API does not tell).

use fluent_syntax::ast;

/// The ids of the messages in the catalogue text `source`, in file order (terms and
/// comments aside). A part that does not parse has no ids; `Catalogue::problems`
/// reports it.
pub(crate) fn message_ids(source: &'static str) -> Vec<&'static str> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .body
        .into_iter()
        .filter_map(|entry| match entry {
            ast::Entry::Message(m) => Some(m.id.name),
            _ => None,
        })
        .collect()
}

/// The variables a pattern uses, sorted, each once.
pub(crate) fn variables(pattern: &ast::Pattern<&str>) -> Vec<String> {
    let mut out = Vec::new();
    in_pattern(pattern, &mut out);
    out.sort();
    out.dedup();
    out
}

fn in_pattern(pattern: &ast::Pattern<&str>, out: &mut Vec<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            in_expression(expression, out);
        }
    }
}

fn in_expression(expression: &ast::Expression<&str>, out: &mut Vec<String>) {
    match expression {
        ast::Expression::Inline(inline) => in_inline(inline, out),
        ast::Expression::Select { selector, variants } => {
            in_inline(selector, out);
            for v in variants {
                in_pattern(&v.value, out);
            }
        }
    }
}

fn in_inline(inline: &ast::InlineExpression<&str>, out: &mut Vec<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => out.push(id.name.to_string()),
        ast::InlineExpression::Placeable { expression } => in_expression(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                in_inline(a, out);
            }
        }
        _ => {}
    }
}
