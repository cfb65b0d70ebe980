//! HTML character references (`&amp;`, `&#x4E2D;`…) → characters. Runs last among the inline
//! passes, so an entity never makes markup (`&lt;b&gt;` stays the text `<b>`).

use super::protect::MARK;

/// HTML character references → characters (unknown ones stay as written).
pub(super) fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('&')
            && let Some(semi) = rest.bytes().take(12).position(|b| b == b';')
            && let Some(c) = entity(&rest[1..semi])
        {
            out.push(c);
            i += semi + 1;
            continue;
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0' && c != MARK);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "times" => '×',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn entities() {
        check(&[(
            "&amp; &lt;tag&gt; &quot;q&quot; &#39;s&#39; a&nbsp;b &#x4E2D; &unknown;",
            "& <tag> \"q\" 's' a b 中 &unknown;",
        )]);
    }
}
