//! Model-id globs: their syntax, matching, and whether two globs can match a common id.
//!
//! Syntax: `*` matches any run of characters and `?` exactly one, except `:`, so a variant
//! (`:online`, `:free`...) is matched only by a glob that writes the colon (`anthropic/*:*`,
//! `*:free`). Everything else is literal. Globs are lower case ASCII from
//! `a-z 0-9 . _ - / : ~ + @` plus the two wildcards: model ids are lower case, and rejecting
//! brackets, spaces, commas and capitals catches `[...]` classes we do not support,
//! `"anthropic/*, openai/*"` written as one entry and `Anthropic/*` that would match nothing.

use std::fmt;

/// Router ids pick a model at run time; they are allowed only by a glob that names them.
pub const ROUTER_PREFIX: &str = "openrouter/";

/// A validated model-id glob.
#[derive(Clone, PartialEq, Eq)]
pub struct Glob {
    text: String,
}

impl fmt::Debug for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Glob({})", self.text)
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Characters a glob may hold besides `*` and `?`.
fn literal_ok(c: char) -> bool {
    c.is_ascii_lowercase()
        || c.is_ascii_digit()
        || matches!(c, '.' | '_' | '-' | '/' | ':' | '~' | '+' | '@')
}

impl Glob {
    /// Checks the syntax. The error says why, without repeating the glob (the caller names the path).
    pub fn parse(text: &str) -> Result<Glob, String> {
        if text.is_empty() {
            return Err("a glob must not be empty".into());
        }
        if text.len() > 256 {
            return Err("a glob is longer than 256 bytes".into());
        }
        for c in text.chars() {
            if c.is_whitespace() {
                return Err("a glob must not contain spaces (write one entry per glob)".into());
            }
            if c.is_ascii_uppercase() {
                return Err("a glob must be lower case (model ids are)".into());
            }
            if matches!(c, '[' | ']' | '{' | '}' | '\\' | '!') {
                return Err(format!(
                    "`{c}` is not glob syntax here: only `*` (any run) and `?` (one character) are wildcards"
                ));
            }
            if !(c == '*' || c == '?' || literal_ok(c)) {
                return Err(format!(
                    "`{}` is not allowed in a glob (allowed: a-z 0-9 . _ - / : ~ + @ * ?)",
                    c.escape_default()
                ));
            }
        }
        Ok(Glob {
            text: text.to_string(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the glob has no wildcard (it names exactly one id).
    pub fn is_literal(&self) -> bool {
        !self.text.contains(['*', '?'])
    }

    /// Whether the glob names router ids explicitly: its literal start is `openrouter/`.
    pub fn names_router(&self) -> bool {
        self.text.starts_with(ROUTER_PREFIX)
    }

    /// Whether `id` (already lower case) matches the whole glob.
    pub fn matches(&self, id: &str) -> bool {
        // Globs are ASCII; ids nearly always are, and then bytes are characters.
        if id.is_ascii() {
            wild_match(self.text.as_bytes(), id.as_bytes(), b'*', b'?', b':')
        } else {
            let p: Vec<char> = self.text.chars().collect();
            let s: Vec<char> = id.chars().collect();
            wild_match(&p, &s, '*', '?', ':')
        }
    }

    /// Whether some id matches both globs (used to warn about entries that can have no effect).
    pub fn intersects(&self, other: &Glob) -> bool {
        let a: Vec<char> = self.text.chars().collect();
        let b: Vec<char> = other.text.chars().collect();
        // Search over pairs of positions: (i, j) means "a[..i] and b[..j] matched one common prefix".
        let mut seen = vec![false; (a.len() + 1) * (b.len() + 1)];
        let mut stack = vec![(0usize, 0usize)];
        while let Some((i, j)) = stack.pop() {
            let slot = i * (b.len() + 1) + j;
            if seen[slot] {
                continue;
            }
            seen[slot] = true;
            if i == a.len() && j == b.len() {
                return true;
            }
            let (x, y) = (a.get(i).copied(), b.get(j).copied());
            // A star may match nothing.
            if x == Some('*') {
                stack.push((i + 1, j));
            }
            if y == Some('*') {
                stack.push((i, j + 1));
            }
            // Or both consume one common character.
            if let (Some(x), Some(y)) = (x, y) {
                let next = |c: char, at: usize| if c == '*' { at } else { at + 1 };
                let common = match (x, y) {
                    (w, v) if is_wild(w) && is_wild(v) => true,
                    (w, c) | (c, w) if is_wild(w) => c != ':',
                    (c, d) => c == d,
                };
                if common {
                    stack.push((next(x, i), next(y, j)));
                }
            }
        }
        false
    }
}

/// Wildcard matching with one backtrack point (linear in practice, O(p*s) at worst). Wildcards
/// never match `colon`, so every colon of `s` pairs with a colon of `p` in order and the segments
/// between colons match independently: backtracking to the latest star stays exact.
fn wild_match<T: Copy + Eq>(p: &[T], s: &[T], star: T, one: T, colon: T) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == s[si] || (p[pi] == one && s[si] != colon)) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == star {
            resume = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = resume {
            if s[ss] == colon {
                return false;
            }
            pi = sp + 1;
            si = ss + 1;
            resume = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == star)
}

fn is_wild(c: char) -> bool {
    c == '*' || c == '?'
}

/// The id without its variant suffix (`a/b:online` -> `a/b`).
pub fn base_id(id: &str) -> &str {
    id.split_once(':').map_or(id, |(base, _)| base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str) -> Glob {
        Glob::parse(text).unwrap()
    }

    #[test]
    fn star_and_question_mark_match_runs_and_single_characters() {
        assert!(g("anthropic/*").matches("anthropic/claude-sonnet-4.5"));
        assert!(g("openai/gpt-4o*").matches("openai/gpt-4o"));
        assert!(g("openai/gpt-4o*").matches("openai/gpt-4o-mini"));
        assert!(!g("openai/gpt-4o*").matches("openai/gpt-4.1"));
        assert!(g("openai/gpt-?o").matches("openai/gpt-4o"));
        assert!(!g("openai/gpt-?o").matches("openai/gpt-40o"));
        assert!(g("*").matches("mistralai/mistral-large"));
        assert!(g("*/auto").matches("openrouter/auto"));
        assert!(g("a*b*c").matches("aXbYc") || g("a*b*c").matches("axbyc"));
        assert!(g("a*b*c").matches("abbbc"));
        assert!(!g("a*b*c").matches("abcx"));
        assert!(g("openrouter/auto").matches("openrouter/auto"));
        assert!(!g("openrouter/auto").matches("openrouter/auto2"));
    }

    #[test]
    fn wildcards_do_not_cross_the_variant_colon() {
        assert!(!g("anthropic/*").matches("anthropic/claude-sonnet-4:online"));
        assert!(g("anthropic/*:*").matches("anthropic/claude-sonnet-4:online"));
        assert!(g("*:free").matches("meta-llama/llama-3.3-70b-instruct:free"));
        assert!(!g("*:free").matches("meta-llama/llama-3.3-70b-instruct"));
        assert!(!g("*").matches("openai/gpt-4o:nitro"));
        assert!(!g("openai/gpt-4o?online").matches("openai/gpt-4o:online"));
        assert_eq!(base_id("openai/gpt-4o:nitro"), "openai/gpt-4o");
        assert_eq!(base_id("openai/gpt-4o"), "openai/gpt-4o");
    }

    #[test]
    fn bad_globs_are_rejected_with_the_reason() {
        for (text, why) in [
            ("", "empty"),
            ("anthropic/* openai/*", "spaces"),
            ("Anthropic/*", "lower case"),
            ("openai/gpt-[34]o", "glob syntax"),
            ("openai/{a,b}", "glob syntax"),
            ("openai/gpt\u{e9}", "not allowed"),
            ("openai/gpt-4o,mini", "not allowed"),
        ] {
            let err = Glob::parse(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
        }
        assert!(Glob::parse(&"a".repeat(257)).is_err());
        assert!(Glob::parse("~anthropic/claude-opus-latest").is_ok());
    }

    #[test]
    fn router_naming_and_literals() {
        assert!(g("openrouter/auto").names_router());
        assert!(g("openrouter/*").names_router());
        assert!(!g("*").names_router());
        assert!(!g("open*").names_router());
        assert!(!g("*/auto").names_router());
        assert!(g("openai/gpt-4o").is_literal());
        assert!(!g("openai/*").is_literal());
    }

    #[test]
    fn intersection_of_two_globs() {
        assert!(g("anthropic/*").intersects(&g("anthropic/claude-sonnet-4*")));
        assert!(g("anthropic/*").intersects(&g("*")));
        assert!(g("*:free").intersects(&g("meta-llama/*:*")));
        assert!(!g("anthropic/*").intersects(&g("openai/*")));
        assert!(!g("anthropic/*").intersects(&g("anthropic/*:online")));
        assert!(!g("*").intersects(&g("*:free")));
        assert!(g("a?c").intersects(&g("*c")));
        assert!(!g("a?c").intersects(&g("a:c")));
        assert!(g("openai/gpt-4o").intersects(&g("openai/gpt-4o")));
        assert!(!g("openai/gpt-4o").intersects(&g("openai/gpt-4o-mini")));
    }

    /// The same glob as a regex, to check the hand-written matcher against.
    fn reference(glob: &str, id: &str) -> bool {
        let mut re = String::from("^");
        for c in glob.chars() {
            match c {
                '*' => re.push_str("[^:]*"),
                '?' => re.push_str("[^:]"),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        regex::Regex::new(&re).unwrap().is_match(id)
    }

    proptest::proptest! {
        #[test]
        fn matching_agrees_with_a_regex(glob in "[ab:*?]{1,8}", id in "[ab:]{0,8}") {
            proptest::prop_assert_eq!(g(&glob).matches(&id), reference(&glob, &id), "{} vs {}", glob, id);
        }

        #[test]
        fn intersection_agrees_with_a_witness(a in "[ab:*?]{1,6}", b in "[ab:*?]{1,6}") {
            // Any common id is at most as long as the longer glob plus one per star; search them all.
            let mut found = false;
            'outer: for len in 0..=8usize {
                for n in 0..3usize.pow(len as u32) {
                    let id: String = (0..len).map(|k| ['a', 'b', ':'][n / 3usize.pow(k as u32) % 3]).collect();
                    if g(&a).matches(&id) && g(&b).matches(&id) {
                        found = true;
                        break 'outer;
                    }
                }
            }
            proptest::prop_assert_eq!(g(&a).intersects(&g(&b)), found, "{} and {}", a, b);
        }
    }
}
