//! The built-in detector catalogue: every detector that ships, gathered from one table per area.

use super::detector::Spec;

mod europe;
mod global;
mod national;
mod passwords;
mod people;
mod secrets;

/// Every built-in detector, in priority order for ties (earlier wins an overlap of equal strength).
pub fn builtin() -> impl Iterator<Item = &'static Spec> {
    secrets::SPECS
        .iter()
        .chain(passwords::SPECS)
        .chain(global::SPECS)
        .chain(national::SPECS)
        .chain(europe::SPECS)
        .chain(people::SPECS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_snake_case_and_categories_screaming() {
        let mut ids = HashSet::new();
        for spec in builtin() {
            assert!(ids.insert(spec.id), "duplicate detector id {}", spec.id);
            assert!(
                spec.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "id {} is not snake_case",
                spec.id
            );
            assert!(
                spec.category
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
                "category {} is not SCREAMING_SNAKE_CASE",
                spec.category
            );
            assert!(
                (0.0..=1.0).contains(&spec.confidence),
                "{} confidence",
                spec.id
            );
            for word in spec.context {
                assert_eq!(
                    word.to_lowercase(),
                    *word,
                    "{}: context words are lowercase",
                    spec.id
                );
            }
            if let Some(country) = spec.country {
                assert!(
                    country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()),
                    "{}",
                    spec.id
                );
            }
        }
    }
}
