//! `{name}` placeholders in the templates of the `http` and `command` backends.

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    /// A `{name}` placeholder, by name (not yet checked against the known ones).
    Name(String),
}

/// Splits `template` at `{name}` placeholders; `{{` and `}}` are literal braces. An empty
/// template is one empty literal.
pub fn split(template: &str) -> Result<Vec<Part>, String> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => {
                            return Err(format!("{template:?} has an unclosed {{ (write {{{{ for a literal brace)"));
                        }
                    }
                }
                if !literal.is_empty() {
                    out.push(Part::Literal(std::mem::take(&mut literal)));
                }
                out.push(Part::Name(name));
            }
            '}' => return Err(format!("{template:?} has a lone }} (write }}}} for a literal brace)")),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() || out.is_empty() {
        out.push(Part::Literal(literal));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_braces() {
        assert_eq!(
            split("a{text}b").unwrap(),
            vec![Part::Literal("a".into()), Part::Name("text".into()), Part::Literal("b".into())]
        );
        assert_eq!(split("{{x}}").unwrap(), vec![Part::Literal("{x}".into())]);
        assert_eq!(split("").unwrap(), vec![Part::Literal(String::new())]);
        assert!(split("{oops").unwrap_err().contains("unclosed"));
        assert!(split("x}").unwrap_err().contains("lone"));
    }
}
