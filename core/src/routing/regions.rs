//! Country codes and the groups a policy may name (`EU`, `EEA`, `UK`...), expanded to ISO 3166-1
//! alpha-2 codes, so that residency rules compare plain country codes.

use std::collections::BTreeSet;

/// The 27 member states of the European Union (2026).
const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The EEA adds Iceland, Liechtenstein and Norway to the EU.
const EEA_EXTRA: &[&str] = &["IS", "LI", "NO"];

/// Countries the European Commission has found to protect personal data adequately (GDPR art. 45),
/// beside the EEA: transfers there need no further safeguards. The US adequacy covers only
/// certified organisations, so the US is not in this group.
const ADEQUATE: &[&str] = &[
    "AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY",
];

/// Named groups a policy may use in `jurisdictions` and `processing`, besides country codes.
pub const GROUPS: &[&str] = &["EU", "EEA", "ADEQUATE", "UK", "US", "CH", "CA"];

/// Every ISO 3166-1 alpha-2 code (assigned), for validating policies and catalogues.
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK \
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW \
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB \
LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC \
NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC \
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    country(code).is_some()
}

/// The table's own copy of an assigned ISO 3166-1 alpha-2 code.
fn country(code: &str) -> Option<&'static str> {
    if code.len() != 2 {
        return None;
    }
    ISO_3166_ALPHA2.split(' ').find(|c| *c == code)
}

/// The countries a policy entry stands for: a group name (`EU`, `EEA`, `ADEQUATE`, `UK`, `US`,
/// `CH`, `CA`) or a country code; `None` when it is neither. `UK` is `GB` (ISO has no `UK`).
pub fn expand(entry: &str) -> Option<BTreeSet<&'static str>> {
    let eea = || EU.iter().chain(EEA_EXTRA).copied();
    let set: BTreeSet<&'static str> = match entry {
        "EU" => EU.iter().copied().collect(),
        "EEA" => eea().collect(),
        "ADEQUATE" => eea().chain(ADEQUATE.iter().copied()).collect(),
        "UK" => ["GB"].into(),
        _ => [country(entry)?].into(),
    };
    Some(set)
}

/// The union of several entries' countries; the first entry that is neither a group nor a country
/// is returned as the error, for the caller to name.
pub fn expand_all(entries: &[String]) -> Result<BTreeSet<&'static str>, &str> {
    let mut all = BTreeSet::new();
    for entry in entries {
        all.extend(expand(entry).ok_or(entry.as_str())?);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_expand_to_their_members() {
        assert_eq!(expand("EU").unwrap().len(), 27);
        let eea = expand("EEA").unwrap();
        assert_eq!(eea.len(), 30);
        assert!(eea.contains("NO") && eea.contains("IE") && !eea.contains("GB"));
        assert!(expand("ADEQUATE").unwrap().is_superset(&eea));
        assert!(expand("ADEQUATE").unwrap().contains("CH"));
        assert!(!expand("ADEQUATE").unwrap().contains("US"));
        assert_eq!(expand("UK").unwrap(), ["GB"].into());
        assert_eq!(expand("US").unwrap(), ["US"].into());
        assert_eq!(expand("IE").unwrap(), ["IE"].into());
    }

    #[test]
    fn unknown_entries_are_named() {
        assert!(expand("XX").is_none() && expand("eu").is_none() && expand("Europe").is_none());
        let entries = vec!["EU".to_string(), "Atlantis".to_string()];
        assert_eq!(expand_all(&entries), Err("Atlantis"));
        let ok = vec!["EU".to_string(), "CH".to_string()];
        assert_eq!(expand_all(&ok).unwrap().len(), 28);
    }

    #[test]
    fn every_group_is_known_and_every_member_is_a_country() {
        for group in GROUPS {
            for code in expand(group).unwrap() {
                assert!(is_country(code), "{group} lists {code}");
            }
        }
        assert_eq!(ISO_3166_ALPHA2.split(' ').count(), 249);
    }
}
